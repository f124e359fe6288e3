// Command lgpd shows how Ficha handles consent and the data subject's
// rights under the LGPD (Lei 13.709/2018), on its embedded default, in six
// numbered steps:
//
//  1. a customer is registered at the desk, by an attendant every write
//     records;
//  2. she consents at the desk, on a signed form, to WhatsApp offers and
//     SMS service notices, and the sending systems ask MayContact: no
//     statement for a channel and purpose means no;
//  3. she presses "Cancelar SMS": her phone goes on the SMS suppression
//     list, and stays suppressed on a second record of hers that an import
//     from the old DMS brings in with a grant of its own;
//  4. a WhatsApp campaign loads its list of who may be reached;
//  5. she asks what the dealership holds about her: the request is entered
//     in the register, the export by her CPF is gathered (its JSON size is
//     printed) and its readable page written, and the request is answered;
//  6. she asks to be anonymised: the host's retention hook keeps her name
//     and CPF where invoices were issued to her and nothing elsewhere, no
//     search finds her any more, and the register shows every request.
//
// The store is a temporary SQLite file, removed at exit, so that every run
// starts afresh. The page handed to her, relatorio-dados-pessoais.html, is
// kept: in the system's temporary directory, or in the directory -dir
// names; step 5 says where.
//
//	go run ./examples/lgpd
//	go run ./examples/lgpd -dir .   # the page in .
//
// Every person in it is made up; the CPFs only have valid check digits.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // the dealership's zone, even where the system has no time-zone database

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/consent"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/lgpd"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/sqlite"
)

const tenant = "concessionaria-centro"

// controller is the dealership, as the page handed to the data subject
// names it.
const controller = "Concessionária Centro Ltda"

// pageName is the file the data subject's page is written to.
const pageName = "relatorio-dados-pessoais.html"

// Who writes: the attendant at the desk, the old DMS's import, and the
// dealership's data protection officer (encarregado), who answers the
// data subjects' requests. A host's middleware puts the actor of each
// request in its context (storage.WithActor).
var (
	attendant = storage.Actor{ID: "att-021", Name: "Carla Mendes", App: "desk"}
	dms       = storage.Actor{ID: "dms", Name: "DMS import", App: "dms-sync"}
	officer   = storage.Actor{ID: "dpo-01", Name: "Renata Figueiredo", App: "privacy"}
)

// The data subject of the example: her CPF and her mobile phone.
const (
	marianaCPF   = "529.982.247-25"
	marianaPhone = "(11) 99612-3480"
)

// form is the evidence of the consent she signed at the desk: the version
// of the notice she was shown and the number of the signed form.
var form = consent.Evidence{Notice: "termo-consentimento-v3", Reference: "formulário assinado nº 2026-0153"}

func main() {
	dir := flag.String("dir", os.TempDir(), "directory the data subject's page is written to and kept in")
	flag.Parse()
	// Interrupted, the run stops at its next store call and still removes
	// its temporary files.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, *dir); err != nil {
		fmt.Fprintln(os.Stderr, "lgpd:", err)
		stop()
		os.Exit(1)
	}
}

// run does the six steps on a temporary store and writes the data
// subject's page into dir, where it stays.
func run(ctx context.Context, w io.Writer, dir string) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "ficha-lgpd-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	loc, err := time.LoadLocation("America/Sao_Paulo")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Ficha LGPD: consent, opt-out, a campaign list, an access request and an anonymisation, "+
		"on a temporary SQLite store (removed at exit); the data subject's page is kept in %s\n", dir)
	step := func(n int, title string) { fmt.Fprintf(w, "\nstep %d: %s\n", n, title) }

	// RequireActor: a write that does not say who made it is refused. The
	// retention hook is the host's: asked before every anonymisation what
	// a law requires the dealership to keep. A host in production also
	// sets SuppressionKey, a secret kept outside the database.
	store, err := sqlite.Open(ctx, filepath.Join(tmp, "ficha.db"), &storage.Options{
		Location: loc, RequireActor: true, Retention: retention,
	})
	if err != nil {
		return err
	}
	defer store.Close()
	desk := storage.WithActor(ctx, attendant)
	// may asks what a sending system asks before each message, and
	// prints the answer.
	may := func(id uuid.UUID, ch consent.Channel, p consent.Purpose) error {
		d, err := store.MayContact(ctx, tenant, id, "", ch, p)
		if err != nil {
			return fmt.Errorf("may contact by %s for %s: %w", ch, p, err)
		}
		fmt.Fprintf(w, "  may contact by %-8s for %-9s -> %s\n", ch, p, decision(d))
		return nil
	}

	// Step 1: the customer, at the desk. The DMS code and the service
	// order say invoices were issued to her: the retention hook of step 6
	// reads them.
	step(1, "a customer is registered at the desk")
	mariana, err := store.Create(desk, tenant, &customer.Customer{
		Kind: customer.Individual, Status: customer.StatusCustomer,
		Name: "Mariana Alves Ribeiro", TaxID: customer.MustParseTaxID(marianaCPF),
		Phones:  []contact.Phone{contact.MustParsePhone(marianaPhone)},
		Emails:  []contact.Email{contact.MustParseEmail("mariana.ribeiro@example.com.br")},
		DMSCode: "C-20455", ServiceOrders: []string{"OS-2026-0815"},
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  registered %s, CPF %s, phone %s, by %s (%s)\n",
		mariana.Name, mariana.TaxID.Format(), mariana.Phones[0].Format(), attendant.Name, attendant.App)

	// Step 2: consent at the desk, on a signed form. Each statement is
	// about one channel and one purpose; the evidence proves it (LGPD art.
	// 8 §2: the burden of proof is the dealership's).
	step(2, "consent at the desk: WhatsApp offers and SMS service notices, on a signed form")
	granted, err := store.RecordConsent(desk, tenant,
		storage.ConsentEntry{CustomerID: mariana.ID, Statement: consent.Statement{
			Channel: consent.WhatsApp, Purpose: consent.Marketing, State: consent.Granted,
			Basis: consent.BasisConsent, Source: consent.AtDesk, Evidence: form}},
		storage.ConsentEntry{CustomerID: mariana.ID, Statement: consent.Statement{
			Channel: consent.SMS, Purpose: consent.Service, State: consent.Granted,
			Basis: consent.BasisConsent, Source: consent.AtDesk, Evidence: form}})
	if err != nil {
		return err
	}
	for _, e := range granted {
		fmt.Fprintf(w, "  recorded: %s/%s %s on %s, from the %s, notice %q, %s, by %s\n", e.Channel, e.Purpose, e.State,
			e.Basis, e.Source, e.Evidence.Notice, e.Evidence.Reference, e.Actor.Name)
	}
	for _, q := range []struct {
		ch consent.Channel
		p  consent.Purpose
	}{
		{consent.WhatsApp, consent.Marketing},
		{consent.SMS, consent.Service},
		{consent.SMS, consent.Marketing},   // granted for service only
		{consent.Email, consent.Marketing}, // never asked: no record means no
	} {
		if err := may(mariana.ID, q.ch, q.p); err != nil {
			return err
		}
	}

	// Step 3: "Cancelar SMS" withdraws every purpose of the channel and
	// puts her phone on the tenant's SMS suppression list, kept by keyed
	// fingerprint, not in clear.
	step(3, `"Cancelar SMS" at the desk, then a re-import from the old DMS`)
	withdrawn, err := store.CancelSMS(desk, tenant, mariana.ID, consent.AtDesk,
		consent.Evidence{Reference: "pedido no balcão, protocolo 7731"})
	if err != nil {
		return err
	}
	var purposes []string
	for _, e := range withdrawn {
		purposes = append(purposes, string(e.Purpose))
	}
	fmt.Fprintf(w, "  withdrawn: sms for %s\n", strings.Join(purposes, ", "))
	if err := may(mariana.ID, consent.SMS, consent.Service); err != nil {
		return err
	}
	if err := may(mariana.ID, consent.WhatsApp, consent.Marketing); err != nil {
		return err
	}
	listed, err := store.IsSuppressed(ctx, tenant, consent.SMS, marianaPhone)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  phone %s on the SMS suppression list: %t\n", marianaPhone, listed)

	// The old DMS's lead list brings her in again, as a prospect without
	// CPF, with an SMS grant of its own. An imported grant does not lift
	// an opt-out: the phone stays suppressed.
	imp := storage.WithActor(ctx, dms)
	again, err := store.Create(imp, tenant, &customer.Customer{
		Kind: customer.Individual, Status: customer.StatusProspect,
		Name: "Mariana A. Ribeiro", Phones: []contact.Phone{contact.MustParsePhone(marianaPhone)},
	})
	if err != nil {
		return err
	}
	if _, err := store.RecordConsent(imp, tenant, storage.ConsentEntry{CustomerID: again.ID, Statement: consent.Statement{
		Channel: consent.SMS, Purpose: consent.Marketing, State: consent.Granted, Basis: consent.BasisConsent,
		Source: consent.Import, Evidence: consent.Evidence{Notice: "termo-legado-2019", Reference: "lote de importação 7"}}}); err != nil {
		return err
	}
	fmt.Fprintf(w, "  re-imported by %s (%s): a second record, %q, same phone, with an sms/marketing grant from the import\n",
		dms.Name, dms.App, again.Name)
	if err := may(again.ID, consent.SMS, consent.Marketing); err != nil {
		return err
	}

	// Step 4: a campaign. Two more customers answered the web form: one
	// agreed to WhatsApp offers, one said no. The snapshot is the whole
	// list of who may be reached, loaded once before the campaign.
	step(4, "a WhatsApp marketing campaign")
	rafael, err := webForm(desk, store, "Rafael Souza Lima", "314.159.265-90", "(21) 99745-1122", consent.Granted, "web-8841")
	if err != nil {
		return err
	}
	paula, err := webForm(desk, store, "Paula Cristina Nogueira", "271.828.182-05", "(31) 98830-5566", consent.Denied, "web-8842")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  on the web form: %s agreed to WhatsApp offers, %s said no\n", rafael.Name, paula.Name)
	sn, err := store.LoadSnapshot(ctx, tenant, consent.WhatsApp, consent.Marketing)
	if err != nil {
		return err
	}
	counts, err := store.Counts(ctx, tenant)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  campaign list whatsapp/marketing: %d of %d records may be reached\n", sn.Len(), counts.Total)
	// The snapshot keeps only who may be reached; MayContact says why the
	// others may not.
	for _, c := range []*customer.Customer{mariana, again, rafael, paula} {
		if d := sn.May(c.ID, ""); d.Allowed {
			fmt.Fprintf(w, "    %-25s on the list -> %s\n", c.Name, strings.Join(d.Addresses, ", "))
			continue
		}
		d, err := store.MayContact(ctx, tenant, c.ID, "", consent.WhatsApp, consent.Marketing)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "    %-25s not on the list (%s)\n", c.Name, d.Reason)
	}

	// Step 5: she asks what the dealership holds about her (LGPD art. 18
	// II). The request goes in the register, with its due date; the
	// export gathers her record whole and every place her phone appears
	// elsewhere; the page is handed to her; the request is answered.
	step(5, "an access request")
	dpo := storage.WithActor(ctx, officer)
	req, err := store.OpenRequest(dpo, tenant, &storage.Request{Kind: storage.RequestAccess, CustomerID: mariana.ID,
		Note: "pedido presencial; identidade conferida com documento"})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  request %s entered by %s, due %s\n", req.Kind, req.ReceivedBy.Name, req.Due.In(loc).Format("02/01/2006"))
	export, err := store.Export(dpo, tenant, storage.Subject{TaxID: mariana.TaxID})
	if err != nil {
		return err
	}
	js, err := json.Marshal(export)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  export by CPF: %d record(s), %d appearance(s) elsewhere, %d suppressed address(es); JSON (%s) %d bytes\n",
		len(export.Records), len(export.Appearances), len(export.Suppressed), export.Schema, len(js))
	for _, r := range export.Records {
		fmt.Fprintf(w, "    own record %s: %d consent statements, %d in force, %d change-log entries\n",
			r.Customer.ID, len(r.Consents), len(r.Standing), len(r.History))
	}
	for _, a := range export.Appearances {
		fmt.Fprintf(w, "    appears in record %s as %s at %s (matched %s)\n", a.CustomerID, a.Role, a.Path, strings.Join(a.Matched, ", "))
	}
	for _, s := range export.Suppressed {
		fmt.Fprintf(w, "    suppressed for %s: %s\n", s.Channel, s.Address)
	}
	path := filepath.Join(dir, pageName)
	if err := writePage(path, export, loc); err != nil {
		return err
	}
	fmt.Fprintf(w, "  page for the data subject written to %s\n", path)
	req, err = store.AnswerRequest(dpo, tenant, req.ID, req.Version, storage.OutcomeDone, "relatório entregue em mãos, em HTML e JSON")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  request %s answered %s by %s\n", req.Kind, req.Outcome, req.AnsweredBy.Name)

	// Step 6: she asks to be anonymised (LGPD art. 18 IV). Her own record
	// and the one the export found holding her phone as its own (the
	// officer reviewed it: it is the re-imported one) are anonymised, each
	// with the version the officer read. Store.Anonymise enters each in
	// the register itself.
	step(6, "an anonymisation, with the host's retention hook")
	ids := []uuid.UUID{}
	for _, r := range export.Records {
		ids = append(ids, r.Customer.ID)
	}
	for _, a := range export.Appearances {
		if a.Role == storage.AsAddress && !slices.Contains(ids, a.CustomerID) {
			ids = append(ids, a.CustomerID)
		}
	}
	for _, id := range ids {
		c, err := store.Get(dpo, tenant, id)
		if err != nil {
			return err
		}
		res, err := store.Anonymise(dpo, tenant, id, c.Version)
		if err != nil {
			return err
		}
		kept := "nothing"
		if len(res.Kept) > 0 {
			kept = strings.Join(res.Kept, " and ") + ", because " + res.Reason
		}
		fmt.Fprintf(w, "  anonymised record %s: %s, kept %s\n", id, res.Request.Outcome, kept)
		cpf := "none"
		if t := storage.KeptTaxID(res.Customer); !t.IsZero() {
			cpf = t.Format() + " (kept aside for the tax office)"
		}
		fmt.Fprintf(w, "    it now reads: name %q, CPF %s, %d phones, %d e-mails\n", res.Customer.Name, cpf,
			len(res.Customer.Phones), len(res.Customer.Emails))
	}
	for _, s := range []struct {
		label string
		q     customer.Query
	}{
		{"CPF", customer.Query{TaxID: marianaCPF}},
		{"phone", customer.Query{Phone: marianaPhone}},
		{"name", customer.Query{Name: "mariana ribeiro"}},
	} {
		page, err := store.Search(dpo, tenant, s.q, nil)
		if err != nil {
			return fmt.Errorf("search by %s: %w", s.label, err)
		}
		fmt.Fprintf(w, "  search by %-6s finds %d\n", s.label+":", len(page.Hits))
	}
	// The kept CPF is no search key either: a new export by it finds no
	// record, and the register's entry, which names the record's ID, is
	// the way back to it.
	after, err := store.Export(dpo, tenant, storage.Subject{TaxID: mariana.TaxID})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  a new export by the CPF finds %d record(s)\n", len(after.Records))
	if listed, err = store.IsSuppressed(ctx, tenant, consent.SMS, marianaPhone); err != nil {
		return err
	}
	fmt.Fprintf(w, "  the opt-out outlives the records: phone on the SMS suppression list: %t\n", listed)
	fmt.Fprintln(w, "  her consents in force are dropped with her record:")
	if err := may(mariana.ID, consent.WhatsApp, consent.Marketing); err != nil {
		return err
	}

	// The register: what was asked, when, by when, and how it was
	// answered; it holds no personal data besides the customer's ID.
	all, err := store.Requests(dpo, tenant, false, 0, "")
	if err != nil {
		return err
	}
	open, err := store.Requests(dpo, tenant, true, 0, "")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  register of requests, newest first (%d open):\n", len(open.Items))
	for _, r := range all.Items {
		fmt.Fprintf(w, "    %-13s %-7s customer %s, received %s, due %s, answered %s by %s",
			r.Kind, r.Outcome, r.CustomerID, r.Received.In(loc).Format("02/01/2006 15:04"), r.Due.In(loc).Format("02/01/2006"),
			r.Answered.In(loc).Format("02/01/2006 15:04"), r.AnsweredBy.Name)
		if r.Note != "" {
			fmt.Fprintf(w, ": %s", r.Note)
		}
		fmt.Fprintln(w)
	}
	return nil
}

// retention is the host's retention hook (storage.Options.Retention): a
// customer invoiced by the dealership keeps, on the anonymised record, the
// name and CPF the invoices (NF-e) carry, for as long as the tax law
// requires them kept; anyone else keeps nothing. A host asks its fiscal
// system; here the DMS code and the service orders stand for it.
func retention(_ context.Context, _ string, c *customer.Customer) (storage.Hold, error) {
	if c.DMSCode == "" && len(c.ServiceOrders) == 0 {
		return storage.Hold{}, nil
	}
	return storage.Hold{Keep: []string{"name", "tax_id"}, Reason: "NF-e emitidas: guarda por 5 anos, CTN art. 173"}, nil
}

// webForm registers a customer who answered the web form about WhatsApp
// offers with state.
func webForm(ctx context.Context, store *storage.Store, name, cpf, phone string, state consent.State, submission string) (*customer.Customer, error) {
	c, err := store.Create(ctx, tenant, &customer.Customer{
		Kind: customer.Individual, Status: customer.StatusCustomer, Name: name, TaxID: customer.MustParseTaxID(cpf),
		Phones: []contact.Phone{contact.MustParsePhone(phone)},
	})
	if err != nil {
		return nil, err
	}
	_, err = store.RecordConsent(ctx, tenant, storage.ConsentEntry{CustomerID: c.ID, Statement: consent.Statement{
		Channel: consent.WhatsApp, Purpose: consent.Marketing, State: state, Basis: consent.BasisConsent, Source: consent.WebForm,
		Evidence: consent.Evidence{Notice: "termo-consentimento-v3", Reference: "envio " + submission}}})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// writePage writes the export's readable page, in Brazilian Portuguese,
// to path.
func writePage(path string, e *storage.Export, loc *time.Location) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := lgpd.HTML(f, e, &lgpd.Options{Controller: controller, Location: loc}); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// decision shows a decision as a sending system reads it: yes or no, why,
// and where the message may go.
func decision(d consent.Decision) string {
	if !d.Allowed {
		return "no (" + d.Reason.String() + ")"
	}
	return "yes (" + d.Reason.String() + ") -> " + strings.Join(d.Addresses, ", ")
}
