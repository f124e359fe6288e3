// Command attendance runs the 15 steps of the attendance page (the DMS
// help page in ../../../shared/seed) against Ficha, in order: the
// attendant finds the customer, opens the record, changes what the edit
// policy allows, adds every kind of sub-record (the address filled by a
// CEP lookup) and saves. Around the steps it does what a desk does: every
// write carries the attendant as its actor; the attendance is recorded
// (channel, reason, outcome, and the parts of the record the customer
// confirmed as current); the follow-up call is scheduled at the time the
// customer's fleet manager prefers; and the customer's change history,
// who changed what, newest first, is printed before the customer sheet,
// which shows the relationship: the last attendance, the scheduled
// contacts and when each part of the record was last confirmed.
//
// The store is a temporary SQLite file, removed at exit, so that every run
// starts from the same customer. The sheet, ficha-do-cliente.html, is
// kept: in the system's temporary directory, or in the directory -dir
// names; the last line of output says where.
//
//	go run ./examples/attendance                  # offline
//	go run ./examples/attendance -dir . -online   # the real ViaCEP and BrasilAPI; the sheet in .
//
// FICHA_CEP_ONLINE=1 has the same effect as -online.
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
	_ "time/tzdata" // the dealership's zone, even where the system has no time-zone database

	"github.com/shopspring/decimal"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/address/brasilapi"
	"github.com/fichacrm/ficha/address/lookup"
	"github.com/fichacrm/ficha/address/viacep"
	"github.com/fichacrm/ficha/agenda"
	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/customer/info"
	"github.com/fichacrm/ficha/date"
	"github.com/fichacrm/ficha/reference"
	"github.com/fichacrm/ficha/sheet"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/sqlite"
	"github.com/fichacrm/ficha/validation"
)

const tenant = "concessionaria-centro"

// Who writes: the attendant at the desk, and the DMS that registered the
// customer long ago. A host's middleware puts the actor of each request
// in its context (storage.WithActor); the change log records it with
// every write.
var (
	attendant = storage.Actor{ID: "att-017", Name: "Marina Costa", App: "desk", RequestID: "req-0001"}
	dms       = storage.Actor{ID: "dms", Name: "DMS import", App: "dms-sync"}
)

func main() {
	dir := flag.String("dir", os.TempDir(), "directory the printed sheet is written to and kept in")
	online := flag.Bool("online", os.Getenv("FICHA_CEP_ONLINE") == "1", "look CEPs up in ViaCEP and BrasilAPI instead of the in-process table")
	flag.Parse()
	// Interrupted, the run stops at its next store call and still removes
	// its temporary files.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, *dir, *online); err != nil {
		fmt.Fprintln(os.Stderr, "attendance:", err)
		stop()
		os.Exit(1)
	}
}

// offlineCEPs stands in for the CEP services when the machine is offline.
var offlineCEPs = address.LookupFunc(func(_ context.Context, cep address.CEP) (address.Result, error) {
	known := map[string]address.Result{
		"01310100": {Street: "Avenida Paulista", District: "Bela Vista", City: "São Paulo", UF: address.SP},
		"88015200": {Street: "Rua Felipe Schmidt", District: "Centro", City: "Florianópolis", UF: address.SC},
	}
	r, ok := known[cep.String()]
	if !ok {
		return address.Result{}, address.ErrLookupNotFound
	}
	r.CEP, r.Source = cep, "in-process table"
	return r, nil
})

// sheetName is the file the customer sheet is written to.
const sheetName = "ficha-do-cliente.html"

// run walks the 15 steps against a temporary store, records the
// attendance, schedules its follow-up, prints the customer's history and
// sheet, and writes the sheet into dir, where it stays.
func run(ctx context.Context, w io.Writer, dir string, online bool) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "ficha-attendance-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	mode := "offline, CEPs from an in-process table"
	if online {
		mode = "online, CEPs from ViaCEP and BrasilAPI"
	}
	fmt.Fprintf(w, "Ficha attendance: the 15 steps of the attendance page, then the attendance, its follow-up and the customer's history, on a temporary SQLite store (removed at exit), %s; the sheet is kept in %s\n\n", mode, dir)
	say := func(step int, format string, args ...any) {
		fmt.Fprintf(w, "step %2d: %s\n", step, fmt.Sprintf(format, args...))
	}
	schema := info.Default()
	loc, err := time.LoadLocation("America/Sao_Paulo")
	if err != nil {
		return err
	}
	// RequireActor: a write that does not say who made it is refused.
	store, err := sqlite.Open(ctx, filepath.Join(tmp, "ficha.db"), &storage.Options{Info: schema, Location: loc, RequireActor: true})
	if err != nil {
		return err
	}
	defer store.Close()
	var services address.Lookup = offlineCEPs
	if online {
		services = lookup.First(viacep.New(nil), brasilapi.New(nil))
	}
	ceps := lookup.NewCache(lookup.WithOffline(services), nil)

	// The customer the DMS already knows, as it was registered long ago.
	if _, err := store.Create(storage.WithActor(ctx, dms), tenant, registered()); err != nil {
		return err
	}

	// Step 1: the attendant opens Relationship/Profile (or the Agenda).
	// Everything she writes from here on carries her as its actor.
	ctx = storage.WithActor(ctx, attendant)
	say(1, "%s opens the relationship screen of %s", attendant.Name, tenant)

	// Step 2: find the customer by full name and phone.
	page, err := store.Search(ctx, tenant, customer.Query{Name: "José Carlos de Oliveira", Phone: "(48) 99988-7766"}, nil)
	if err != nil {
		return err
	}
	if len(page.Hits) != 1 {
		return fmt.Errorf("expected one customer, found %d", len(page.Hits))
	}
	hit := page.Hits[0]
	say(2, "search by name and phone found %s (CPF %s)", hit.Name, hit.TaxID.Format())

	// Step 3: open the record.
	c, err := store.Get(ctx, tenant, hit.ID)
	if err != nil {
		return err
	}
	say(3, "opened the record, version %d", c.Version)

	// Step 4: edit the profile. Step 5: only the enabled fields change.
	say(4, "editing the profile")
	attempt := c.Clone()
	attempt.TaxID = customer.MustParseTaxID("390.533.447-05")
	_, err = store.Update(ctx, tenant, attempt)
	var verr *customer.ValidationError
	if errors.Is(err, storage.ErrLocked) && errors.As(err, &verr) {
		for _, f := range verr.Fields {
			say(5, "refused: %s — %s", f.Path, f.Message(validation.Portuguese))
		}
	} else {
		return fmt.Errorf("a locked field was not refused: %v", err)
	}
	c.Emails = []contact.Email{contact.MustParseEmail("jose.oliveira@example.com.br")}
	c.Phones = append(c.Phones, contact.MustParsePhone("(48) 3222-1100"))
	say(5, "allowed: a new e-mail and a landline")

	// Step 6: pick a sub-record. Step 7: a new address, with its CEP looked
	// up, for correspondence and billing. Step 8: it is included.
	say(6, "sub-records: %d addresses, %d assets, %d references, %d cards, %d contacts",
		len(c.Addresses), len(c.Assets), len(c.PersonalReferences)+len(c.BankReferences), len(c.Cards), len(c.Contacts))
	addr := address.Address{CEP: address.MustParseCEP("88015-200"), Number: "450", Complement: "sala 3",
		Purposes: address.Correspondence | address.Billing}
	r, err := ceps.Lookup(ctx, addr.CEP)
	switch {
	case err == nil:
		say(7, "CEP %s looked up (%s): filled %v", addr.CEP.Format(), r.Source, address.Fill(&addr, r, nil))
	case errors.Is(err, address.ErrLookupNotFound):
		say(7, "CEP %s not found: the attendant types the address", addr.CEP.Format())
	default:
		return err
	}
	if addr.Street == "" { // offline: only the state came from the CEP
		addr.Street, addr.District, addr.City = "Rua Felipe Schmidt", "Centro", "Florianópolis"
	}
	c.Addresses = append(c.Addresses, addr)
	say(8, "address included: %s, %s — %s/%s", addr.Street, addr.Number, addr.City, addr.UF)

	// Step 9: an asset, a car with a lien.
	c.Assets = append(c.Assets, asset.Asset{
		Description: "Fiat Toro Volcano", Kind: asset.Vehicle, Year: 2024, Value: decimal.RequireFromString("62000.00"),
		Lien:    asset.Lien{Balance: decimal.RequireFromString("85350.40"), Creditor: "Banco Stellantis", PayoffDate: date.MustNew(2029, time.April, 10)},
		VIN:     asset.MustParseVIN("9BD281A2DRYA12345"),
		Plate:   asset.MustParsePlate("QJA-4B21"),
		RENAVAM: asset.MustParseRENAVAM("13824652268"),
	})
	say(9, "asset included: Fiat Toro, lien of R$ 85.350,40")

	// Step 10: a personal reference.
	c.PersonalReferences = append(c.PersonalReferences, reference.Personal{
		Name: "Ana Paula Souza", Phone: contact.MustParsePhone("(48) 98877-6655"), Note: "vizinha há 10 anos",
	})
	say(10, "personal reference included")

	// Step 11: a bank reference, with its check digits.
	c.BankReferences = append(c.BankReferences, reference.Bank{Code: "001", Branch: "1584", BranchDigit: "9", Account: "210169", AccountDigit: "6"})
	say(11, "bank reference included: Banco do Brasil, agência 1584-9")

	// Step 12: a credit card, kept masked.
	card, err := reference.NewCard("5555 5555 5555 4444", "JOSE C OLIVEIRA", reference.Expiry{Month: time.August, Year: time.Now().Year() + 3}, time.Now())
	if err != nil {
		return err
	}
	c.Cards = append(c.Cards, card)
	say(12, "card included: %v", card)

	// Step 13: a contact who manages the fleet, with the best time to call.
	c.Contacts = append(c.Contacts, contact.Contact{
		Name: "Lucas Oliveira", Role: "Gerente de frota", FleetManager: true,
		Phones:       []contact.Phone{contact.MustParsePhone("(48) 99111-2233")},
		Email:        contact.MustParseEmail("lucas@transoliveira.com.br"),
		Birthday:     contact.Birthday{Day: 21, Month: time.June},
		PreferredDay: contact.Thursday, PreferredHour: contact.At(15),
	})
	say(13, "fleet manager included as a contact")

	// Step 14: additional information, as the attendant types it.
	c.Info = map[string]string{
		"spouse_name": "Márcia Regina de Oliveira", "spouse_cpf": "716.566.867-59", "marital_status": "married",
		"profession": "Transportador autônomo", "monthly_income": "18.500,00", "residence_type": "owned",
		"residence_since": "10/02/2012",
	}
	say(14, "additional information typed (%d fields)", len(c.Info))

	// Step 15: save. The change log gains an entry: who, and each field's
	// old and new values.
	result, err := store.Save(ctx, tenant, c, nil)
	if err != nil {
		return err
	}
	saved := result.Customer
	say(15, "saved: version %d -> %d by %s, %d fields changed", c.Version, saved.Version, result.Change.Actor, len(result.Change.Fields))

	// The attendance itself: how and why the customer was served, what came
	// of it, and what he confirmed as current without changing it. Those
	// parts of the record become fresh as of now.
	fmt.Fprintln(w)
	att, err := store.Attend(ctx, tenant, &attendance.Attendance{
		CustomerID: saved.ID,
		Attendant:  attendance.Attendant{ID: attendant.ID, Name: attendant.Name},
		Channel:    attendance.InPerson, Reason: attendance.Sales,
		Outcome:   "proposta de duas Fiat Strada para a frota",
		Confirmed: attendance.Profile | attendance.Phones | attendance.Emails,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "attendance recorded: %s, for %s, by %s, outcome %q; confirmed as current: %s\n",
		att.Channel, att.Reason, att.Attendant.Name, att.Outcome, att.Confirmed)

	// The follow-up call, at the time the fleet manager prefers, on the
	// attendant's agenda.
	due, who := followUp(saved, time.Now(), loc)
	item, err := store.Schedule(ctx, tenant, &agenda.Item{
		CustomerID: saved.ID, Contact: who, Due: due,
		Attendant: att.Attendant, Channel: attendance.Phone,
		Subject: "retorno sobre a proposta da frota",
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "follow-up scheduled: %s (%s), %s to call %s about %q\n",
		item.Due.In(loc).Format("Monday 02/01/2006 15:04"), loc, item.Attendant.Name, item.Contact, item.Subject)

	// The change history: who changed what, newest first.
	history, err := store.History(ctx, tenant, saved.ID, 0, 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nHistory of %s, newest first:\n", saved.Name)
	printHistory(w, history, loc)
	fmt.Fprintln(w)

	// The sheet, with the relationship as the store gives it back.
	last, err := store.Attendances(ctx, tenant, saved.ID, 1, "")
	if err != nil {
		return err
	}
	open, err := store.OpenItems(ctx, tenant, saved.ID)
	if err != nil {
		return err
	}
	fresh, err := store.Freshness(ctx, tenant, saved.ID)
	if err != nil {
		return err
	}
	rel := &sheet.Relationship{Open: open, Freshness: fresh}
	if len(last.Items) > 0 {
		rel.LastAttendance = &last.Items[0]
	}
	opts := &sheet.Options{Printed: time.Now(), Location: loc, Relationship: rel}
	if err := sheet.Text(w, saved, schema, opts); err != nil {
		return err
	}
	fmt.Fprintln(w)

	path := filepath.Join(dir, sheetName)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := sheet.HTML(f, saved, schema, opts); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(w, "customer sheet written to %s\n", path)
	return nil
}

// registered is the customer as the DMS registered him years ago.
func registered() *customer.Customer {
	return &customer.Customer{
		Kind: customer.Individual, Status: customer.StatusCustomer,
		Name: "José Carlos de Oliveira", TaxID: customer.MustParseTaxID("871.957.260-37"),
		BirthDate: date.MustNew(1971, time.September, 2),
		Phones:    []contact.Phone{contact.MustParsePhone("(48) 99988-7766")},
		DMSCode:   "C-77120", ServiceOrders: []string{"OS-2025-1187"},
	}
}

// followUp proposes when to call the customer back, and whom: at the day
// and hour the first contact with a preference prefers, else at nine on
// the next business day, asking for the customer.
func followUp(c *customer.Customer, now time.Time, loc *time.Location) (time.Time, string) {
	for _, ct := range c.Contacts {
		if _, ok := ct.PreferredHour.Get(); ok || ct.PreferredDay != contact.AnyDay {
			return agenda.NextSlot(now, ct.PreferredDay, ct.PreferredHour, loc), ct.Name
		}
	}
	day := now.In(loc)
	for {
		day = day.AddDate(0, 0, 1)
		if wd := day.Weekday(); wd != time.Saturday && wd != time.Sunday {
			break
		}
	}
	start := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, loc)
	return agenda.NextSlot(start, contact.AnyDay, contact.Hour{}, loc), c.Name
}

// printHistory prints change-log entries as the history screen shows
// them: when, who, what (the record's version it made, for a write to the
// record), and each field's old and new value.
func printHistory(w io.Writer, changes []storage.Change, loc *time.Location) {
	for _, ch := range changes {
		what := ch.Op.String()
		if ch.Version > 0 {
			what += fmt.Sprintf(", version %d", ch.Version)
		}
		fmt.Fprintf(w, "  #%d %s  %s (%s)  %s, %d fields\n", ch.Seq,
			ch.At.In(loc).Format("02/01/2006 15:04"), ch.Actor, ch.Actor.App, what, len(ch.Fields))
		for _, f := range ch.Fields {
			fmt.Fprintf(w, "      %s: %s → %s\n", f.Path, value(f.Old), value(f.New))
		}
	}
}

// value shows a field's value as the change log holds it, as JSON; an
// absent value as "—", a long one cut short.
func value(v []byte) string {
	s := strings.TrimSpace(string(v))
	if s == "" {
		return "—"
	}
	if r := []rune(s); len(r) > 60 {
		return string(r[:59]) + "…"
	}
	return s
}
