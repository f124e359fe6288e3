package main

import (
	"cmp"
	"context"
	"embed"
	"errors"
	"io/fs"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/agenda"
	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/customer/info"
	"github.com/fichacrm/ficha/date"
	"github.com/fichacrm/ficha/httpapi"
	"github.com/fichacrm/ficha/internal/brtime"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/sqlite"
)

//go:embed static
var static embed.FS

// tenant is the one dealership of the demo. A real host takes the tenant
// from its own authentication (a session, a token) in the TenantFunc.
const tenant = "demo"

// attendant is who the demo's writes are recorded as.
var attendant = storage.Actor{ID: "att-desk", Name: "Recepção", App: "desk"}

// pageCSP keeps the page to its own origin: no inline script or style, no
// other site's code, no framing by another page.
const pageCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
	"frame-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// openStore opens the desk's SQLite database, with the additional-information
// table the page shows, so that the store checks and normalizes it.
func openStore(ctx context.Context, path string) (*storage.Store, error) {
	return sqlite.Open(ctx, path, &storage.Options{Info: info.Default()})
}

// newHandler serves the desk page at / and the API under /api/, to
// requests for a loopback host name or one of hosts.
func newHandler(store *storage.Store, lookup address.Lookup, hosts ...string) (http.Handler, error) {
	api, err := httpapi.New(store, func(*http.Request) (string, error) { return tenant, nil }, &httpapi.Options{
		Actor:  func(*http.Request) (storage.Actor, error) { return attendant, nil },
		Lookup: lookup,
	})
	if err != nil {
		return nil, err
	}
	files, err := fs.Sub(static, "static")
	if err != nil {
		return nil, err
	}
	page := http.FileServerFS(files)
	mux := http.NewServeMux()
	mux.Handle("/api/", http.StripPrefix("/api", api))
	mux.HandleFunc("GET /config.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		// Today as the store counts days (America/Sao_Paulo), which
		// the browser's own clock may not.
		today := time.Now().In(brtime.SaoPaulo()).Format(time.DateOnly)
		_, _ = w.Write([]byte(`{"attendant":"` + attendant.ID + `","today":"` + today + `"}` + "\n"))
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		h := w.Header()
		h.Set("Content-Security-Policy", pageCSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-cache")
		page.ServeHTTP(w, r)
	})
	return onlyHosts(mux, hosts), nil
}

// onlyHosts answers only requests whose Host is a loopback name or one of
// hosts, and 421 the others. The demo has no login: listening on loopback
// keeps other machines out, and this keeps out the web pages the
// attendant visits, which could otherwise reach it through a name of
// their own that resolves to 127.0.0.1 (DNS rebinding).
func onlyHosts(next http.Handler, hosts []string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		host = strings.ToLower(strings.Trim(host, "[]"))
		ip := net.ParseIP(host)
		if host != "localhost" && (ip == nil || !ip.IsLoopback()) && !slices.Contains(hosts, host) {
			http.Error(w, "misdirected request", http.StatusMisdirectedRequest)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// offlineLookup answers the CEPs of the demo without a network, so that
// the page works offline; -online uses ViaCEP and BrasilAPI instead.
var offlineLookup = address.LookupFunc(func(_ context.Context, cep address.CEP) (address.Result, error) {
	known := map[string]address.Result{
		"01310100": {Street: "Avenida Paulista", District: "Bela Vista", City: "São Paulo", UF: address.SP},
		"20040020": {Street: "Avenida Rio Branco", District: "Centro", City: "Rio de Janeiro", UF: address.RJ},
		"30130010": {Street: "Praça Sete de Setembro", District: "Centro", City: "Belo Horizonte", UF: address.MG},
		"70040010": {Street: "SBS Quadra 1", District: "Asa Sul", City: "Brasília", UF: address.DF},
		"80010000": {Street: "Praça Tiradentes", District: "Centro", City: "Curitiba", UF: address.PR},
	}
	r, ok := known[cep.String()]
	if !ok {
		return address.Result{}, address.ErrLookupNotFound
	}
	r.CEP, r.Source = cep, "offline"
	return r, nil
})

// demo returns the demo's customers: two individuals, a company with a
// fleet manager, and a prospect without a tax ID.
func demo() ([]*customer.Customer, error) {
	var errs []error
	tax := func(s string) customer.TaxID {
		t, err := customer.ParseTaxID(s)
		errs = append(errs, err)
		return t
	}
	phone := func(s string) contact.Phone {
		p, err := contact.ParsePhone(s)
		errs = append(errs, err)
		return p
	}
	email := func(s string) contact.Email {
		e, err := contact.ParseEmail(s)
		errs = append(errs, err)
		return e
	}
	cep := func(s string) address.CEP {
		c, err := address.ParseCEP(s)
		errs = append(errs, err)
		return c
	}
	plate := func(s string) asset.Plate {
		p, err := asset.ParsePlate(s)
		errs = append(errs, err)
		return p
	}
	vin := func(s string) asset.VIN {
		v, err := asset.ParseVIN(s)
		errs = append(errs, err)
		return v
	}
	born := func(s string) date.Date {
		d, err := date.Parse(s)
		errs = append(errs, err)
		return d
	}
	cs := []*customer.Customer{
		{
			Kind: customer.Individual, Status: customer.StatusCustomer,
			Name: "Maria da Conceição Oliveira", TaxID: tax("123.456.789-09"), BirthDate: born("1980-05-17"),
			Phones: []contact.Phone{phone("(11) 98765-4321")}, Emails: []contact.Email{email("maria.oliveira@example.com.br")},
			DMSCode: "CLI-1001", ServiceOrders: []string{"OS-5501"},
			Addresses: []address.Address{{CEP: cep("01310-100"), Street: "Avenida Paulista", Number: "1500", District: "Bela Vista",
				City: "São Paulo", UF: address.SP, Purposes: address.Correspondence}},
			Assets: []asset.Asset{{Description: "Fiat Argo Drive 1.0", Kind: asset.Vehicle, Year: 2022, Value: decimal.RequireFromString("45000.00"),
				VIN: vin("9BD358A1NYK123456"), Plate: plate("BRA2E19")}},
		},
		{
			Kind: customer.Individual, Status: customer.StatusCustomer,
			Name: "João Carlos Pereira", TaxID: tax("987.654.321-00"), BirthDate: born("1972-11-03"),
			Phones: []contact.Phone{phone("(21) 99876-1234")},
		},
		{
			Kind: customer.Company, Status: customer.StatusCustomer,
			Name: "Transportadora Oliveira Ltda", TradeName: "Oliveira Cargas", TaxID: tax("11.222.333/0001-81"),
			Phones: []contact.Phone{phone("(31) 3333-2222")},
			Contacts: []contact.Contact{{Name: "Ana Paula Souza", Role: "Gerente de frota", FleetManager: true,
				Phones: []contact.Phone{phone("(31) 98888-7777")}}},
		},
		{
			Kind: customer.Individual, Status: customer.StatusProspect,
			Name: "Carla Mendes", Phones: []contact.Phone{phone("(41) 97777-1111")},
		},
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return cs, nil
}

// seed creates the demo's customers, and today's follow-up call for the
// first, unless the tenant already has customers.
func seed(ctx context.Context, store *storage.Store, now time.Time) error {
	n, err := store.Counts(ctx, tenant)
	if err != nil {
		return err
	}
	if n.Total > 0 {
		return nil
	}
	cs, err := demo()
	if err != nil {
		return err
	}
	ctx = storage.WithActor(ctx, attendant)
	var first *customer.Customer
	for _, c := range cs {
		saved, err := store.Create(ctx, tenant, c)
		if err != nil {
			return err
		}
		first = cmp.Or(first, saved)
	}
	// Due now: in the attendant's agenda of today, whatever the hour.
	due := now.Truncate(time.Minute)
	_, err = store.Schedule(ctx, tenant, &agenda.Item{ID: uuid.New(), CustomerID: first.ID, Due: due,
		Attendant: attendance.Attendant{ID: attendant.ID, Name: attendant.Name}, Subject: "Retorno sobre a revisão dos 20.000 km",
		Channel: attendance.Phone})
	return err
}
