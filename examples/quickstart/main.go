// Command quickstart is Ficha's main job on its embedded default: it opens
// an SQLite file, registers an individual and a company with a
// fleet-manager contact, finds them by every key the attendance page
// names, updates one record as an attendant would, lists the customers
// newest first, prints the updated one's change history (who changed
// which fields) and its sheet. Its first line of output says what it
// tried, and where.
//
//	go run ./examples/quickstart            # a temporary file, removed at exit
//	go run ./examples/quickstart -dir data  # ./data/ficha.db, kept
//
// A second run on a kept file stops at the first registration: the
// customers are already there, and their CPF and CNPJ are taken.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/sheet"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/sqlite"
	"github.com/fichacrm/ficha/validation"
)

func main() {
	dir := flag.String("dir", "", "directory to keep the SQLite file in (default: a temporary file, removed at exit)")
	flag.Parse()
	// Interrupted, the run stops at its next store call and still removes
	// its temporary files.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, *dir); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		stop()
		os.Exit(1)
	}
}

// tenant is the dealership these customers belong to.
const tenant = "concessionaria-centro"

// what is what the quickstart does, after where its store is.
const what = "two customers, every search of the attendance page, an update and its conflict, a list, a history, the printed sheet"

// attendant is who makes this run's writes: the change log records her
// with each one.
var attendant = storage.Actor{ID: "att-001", Name: "Carla Mendes", App: "quickstart"}

// run does the quickstart on an SQLite file kept in dir or, when dir is
// empty, on a temporary one removed before run returns.
func run(ctx context.Context, w io.Writer, dir string) error {
	where := "a temporary SQLite store (removed at exit; -dir keeps one)"
	if dir == "" {
		tmp, err := os.MkdirTemp("", "ficha-quickstart-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	} else {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		where = "an SQLite store at " + filepath.Join(dir, "ficha.db") + " (kept)"
	}
	store, err := sqlite.Open(ctx, filepath.Join(dir, "ficha.db"), nil)
	if err != nil {
		return err
	}
	defer store.Close()
	fmt.Fprintf(w, "Ficha quickstart: %s, %s\n\n", where, what)
	// A host's middleware puts who is writing in each request's context.
	ctx = storage.WithActor(ctx, attendant)

	// A wrong CPF is refused, and the UI learns which field failed.
	bad := individual()
	bad.TaxID = customer.TaxID{}
	bad.Status = customer.StatusCustomer
	_, err = store.Create(ctx, tenant, bad)
	var verr *customer.ValidationError
	if errors.As(err, &verr) {
		for _, f := range verr.Fields {
			fmt.Fprintf(w, "refused: %s [%s] %s / %s\n", f.Path, f.Code(), f.Message(validation.English), f.Message(validation.Portuguese))
		}
	}

	jose, err := store.Create(ctx, tenant, individual())
	if err != nil {
		return err
	}
	frota, err := store.Create(ctx, tenant, company())
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "registered %s (CPF %s) and %s (CNPJ %s)\n\n", jose.Name, jose.TaxID.Format(), frota.Name, frota.TaxID.Format())

	// Step 2 of the attendance page: find the customer by full name and
	// phone, or by any of the other filters.
	searches := []struct {
		label string
		q     customer.Query
	}{
		{"name and phone", customer.Query{Name: "jose da silva", Phone: "(11) 98765-4321"}},
		{"name prefix", customer.Query{Name: "jose silv"}},
		{"phone without DDD", customer.Query{Phone: "98765-4321"}},
		{"CPF", customer.Query{TaxID: "248.438.034-80"}},
		{"CNPJ (alphanumeric)", customer.Query{TaxID: "12.abc.345/01de-35"}},
		{"company", customer.Query{Company: "transportadora aguia"}},
		{"chassis", customer.Query{VIN: "9bwzzz377vt004251"}},
		{"plate (old form)", customer.Query{Plate: "ABC-1234"}},
		{"plate (Mercosul form)", customer.Query{Plate: "ABC1C34"}},
		{"DMS customer code", customer.Query{DMSCustomer: "c-1001"}},
		{"DMS service order", customer.Query{ServiceOrder: "OS-2026-0420"}},
		{"e-mail", customer.Query{Email: "Compras@AguiaFrotas.com.br"}},
		{"fleet manager's phone", customer.Query{Phone: "(47) 99123-4567"}},
	}
	for _, s := range searches {
		page, err := store.Search(ctx, tenant, s.q, nil)
		if err != nil {
			return fmt.Errorf("search by %s: %w", s.label, err)
		}
		var names []string
		for _, h := range page.Hits {
			var matched []string
			for _, k := range h.Matched {
				matched = append(matched, k.Field.String())
			}
			names = append(names, fmt.Sprintf("%s (matched %s)", h.Name, strings.Join(dedupe(matched), ", ")))
		}
		fmt.Fprintf(w, "search by %-22s -> %s\n", s.label+":", strings.Join(names, "; "))
	}

	// Steps 3-15: open the record, change it, save. The version read makes
	// a concurrent change by another attendant a conflict, not a loss.
	rec, err := store.Get(ctx, tenant, jose.ID)
	if err != nil {
		return err
	}
	rec.Addresses = append(rec.Addresses, address.Address{
		CEP: address.MustParseCEP("70040-010"), Street: "SBS Quadra 1", Number: "12", District: "Asa Sul",
		City: "Brasília", UF: address.DF, Purposes: address.Billing,
	})
	rec.Phones = append(rec.Phones, contact.MustParsePhone("(61) 3333-4444"))
	updated, err := store.Update(ctx, tenant, rec)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nupdated %s: version %d -> %d, %d addresses\n", updated.Name, rec.Version, updated.Version, len(updated.Addresses))
	_, err = store.Update(ctx, tenant, rec) // the same stale copy again
	fmt.Fprintf(w, "saving a stale copy again: conflict=%t\n", errors.Is(err, storage.ErrConflict))
	n, err := store.Counts(ctx, tenant)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%d customers stored (%d individual, %d company)\n\n", n.Total, n.Individuals, n.Companies)

	// A list, as the customers screen shows it: newest first, a page at a
	// time, each row a summary.
	list, err := store.List(ctx, tenant, &storage.ListOptions{Order: storage.NewestFirst, Limit: 10})
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "customers, newest first:")
	for _, s := range list.Items {
		fmt.Fprintf(w, "  %-26s %-19s %-16s %s\n", s.Name, s.TaxID.Format(), s.Phone.Format(), place(s.City, s.UF.String()))
	}
	if list.Next == "" {
		fmt.Fprintln(w, "  (last page)")
	}

	// The updated customer's history: who changed which fields, newest
	// first, each entry with every field's old and new value.
	history, err := store.History(ctx, tenant, updated.ID, 0, 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nhistory of %s, newest first:\n", updated.Name)
	for _, ch := range history {
		var paths []string
		for _, f := range ch.Fields {
			paths = append(paths, f.Path)
		}
		fields := strings.Join(paths, ", ")
		if ch.Op == storage.OpCreate {
			fields = fmt.Sprintf("%d fields", len(paths))
		}
		fmt.Fprintf(w, "  #%d %s by %s (%s) -> version %d: %s\n", ch.Seq, ch.Op, ch.Actor, ch.Actor.App, ch.Version, fields)
	}
	fmt.Fprintln(w)

	// The customer sheet, as it would be printed.
	return sheet.Text(w, updated, nil, nil)
}

// place shows "city/UF", or "—" when the customer has no address.
func place(city, uf string) string {
	if city == "" && uf == "" {
		return "—"
	}
	return city + "/" + uf
}

func dedupe(s []string) []string {
	var out []string
	for _, v := range s {
		if len(out) == 0 || out[len(out)-1] != v {
			out = append(out, v)
		}
	}
	return out
}

func individual() *customer.Customer {
	return &customer.Customer{
		Kind: customer.Individual, Status: customer.StatusCustomer,
		Name: "José da Silva", TaxID: customer.MustParseTaxID("248.438.034-80"),
		Employer:      "Transportadora Águia",
		Phones:        []contact.Phone{contact.MustParsePhone("(11) 98765-4321")},
		Emails:        []contact.Email{contact.MustParseEmail("jose.silva@example.com.br")},
		DMSCode:       "C-1001",
		ServiceOrders: []string{"OS-2026-0420"},
		Addresses: []address.Address{{
			CEP: address.MustParseCEP("01310-100"), Street: "Avenida Paulista", Number: "1000",
			District: "Bela Vista", City: "São Paulo", UF: address.SP, Purposes: address.Correspondence,
		}},
		Assets: []asset.Asset{{
			Description: "Volkswagen Gol", Kind: asset.Vehicle, Year: 2019, Value: decimal.RequireFromString("42000.00"),
			VIN: asset.MustParseVIN("9BWZZZ377VT004251"), Plate: asset.MustParsePlate("ABC-1234"),
		}},
	}
}

func company() *customer.Customer {
	return &customer.Customer{
		Kind: customer.Company, Status: customer.StatusCustomer,
		Name: "Transportadora Águia Ltda", TradeName: "Águia Frotas",
		TaxID:  customer.MustParseTaxID("12.ABC.345/01DE-35"),
		Phones: []contact.Phone{contact.MustParsePhone("(47) 3333-2222")},
		Emails: []contact.Email{contact.MustParseEmail("compras@aguiafrotas.com.br")},
		Contacts: []contact.Contact{{
			Name: "Ana Pereira", Role: "Gerente de frota", FleetManager: true,
			Phones:       []contact.Phone{contact.MustParsePhone("(47) 99123-4567")},
			Birthday:     contact.Birthday{Day: 12, Month: time.March},
			PreferredDay: contact.Tuesday, PreferredHour: contact.At(10),
		}},
	}
}
