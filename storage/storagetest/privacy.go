package storagetest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/agenda"
	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/consent"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/reference"
	"github.com/fichacrm/ficha/storage"
)

// Dumper is what every adapter's driver offers the anonymisation test:
// everything it holds, as text. The SQL adapter writes every row of
// every table; the memory adapter every value its state reaches.
type Dumper interface {
	Dump(ctx context.Context, w io.Writer) error
}

// dump returns everything the store's driver holds.
func dump(t *testing.T, s *storage.Store) string {
	t.Helper()
	d, ok := s.Driver().(Dumper)
	require.True(t, ok, "the driver can dump what it holds")
	var b bytes.Buffer
	require.NoError(t, d.Dump(ctx(t), &b))
	return b.String()
}

// distinctive returns a customer holding values found nowhere else in
// any test's data: a random CPF, phones, e-mails, plates and VINs, and a
// random word in every free-text field, which the returned function lists
// in every form a search or a screen writes it.
func distinctive(now time.Time) (*customer.Customer, []string) {
	r := rand.IntN(700000000)
	word := fmt.Sprintf("Qzx%07d", rand.IntN(10000000))
	c := Full(now)
	c.TaxID = CPF(r)
	var values []string
	for i, f := range TextFields() {
		if codeFields[f.Path] {
			continue
		}
		v := fmt.Sprintf("%s%03dw", word, i)
		f.Set(c, v)
		values = append(values, v)
	}
	c.Phones = []contact.Phone{Phone(r), Phone(r + 1)}
	c.Contacts[0].Phones = []contact.Phone{Phone(r + 2)}
	c.Contacts[1].Phones = nil
	c.PersonalReferences[0].Phone = Phone(r + 3)
	c.PersonalReferences[1].Phone = Phone(r + 4)
	c.Emails = []contact.Email{contact.MustParseEmail(strings.ToLower(word) + "@example.com.br")}
	c.Contacts[0].Email = contact.MustParseEmail(strings.ToLower(word) + ".frota@example.org")
	c.Assets[0].Plate = Plate(2*(r%17000000) + 1)
	c.Assets[0].VIN = asset.MustParseVIN(fmt.Sprintf("9BW%06dVT%06d", r%1000000, rand.IntN(1000000)))
	c.DMSCode = "D" + word
	c.ServiceOrders = []string{"OS" + word}
	values = append(values, c.TaxID.String(), c.TaxID.Format(), c.DMSCode, c.ServiceOrders[0],
		c.Assets[0].VIN.String(), c.Assets[0].Plate.String(), c.Assets[0].Plate.Mercosul().String(), c.Assets[0].Plate.Format())
	for _, p := range []contact.Phone{c.Phones[0], c.Phones[1], c.Contacts[0].Phones[0], c.PersonalReferences[0].Phone, c.PersonalReferences[1].Phone} {
		values = append(values, p.String(), p.Format(), p.DDD()+p.Subscriber(), p.Subscriber())
	}
	values = append(values, c.Emails[0].String(), c.Contacts[0].Email.String(), strings.ToLower(word))
	return c, values
}

// testAnonymise writes a customer with distinctive values in every field,
// sub-record, attendance, agenda item, consent and change, anonymises it,
// then reads everything the adapter holds and asserts that none of those
// values is left anywhere, that no search finds the person, and that what
// says nothing about anyone stayed.
func testAnonymise(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	now := time.Now()
	c, values := distinctive(now)
	word := values[0][:10]
	stored, err := s.Create(ctx(t), tn, c)
	require.NoError(t, err)
	require.Contains(t, dump(t, s), c.TaxID.String(), "the dump sees what is stored")

	// A change, so that the log holds old values as well as new ones.
	stored, err = s.Modify(ctx(t), tn, stored.ID, func(c *customer.Customer) error {
		c.Notes = word + " mudou de endereço"
		c.Addresses[0].Street = "Rua " + word + "ova"
		return nil
	})
	require.NoError(t, err)
	values = append(values, "Rua "+word+"ova")
	att, err := s.Attend(ctx(t), tn, &attendance.Attendance{CustomerID: stored.ID, Contact: c.Contacts[0].Name,
		Attendant: attendance.Attendant{ID: "att-1", Name: "Bruna"}, Channel: attendance.WhatsApp, Reason: attendance.Service,
		Outcome: word + " agendou revisão", Notes: word + " pediu carro reserva", Confirmed: attendance.Phones})
	require.NoError(t, err)
	item, err := s.Schedule(ctx(t), tn, &agenda.Item{CustomerID: stored.ID, Contact: c.Contacts[0].Name, Due: now.Add(48 * time.Hour),
		Attendant: attendance.Attendant{ID: "att-1", Name: "Bruna"}, Subject: word + " retorno", Channel: attendance.Phone,
		Notes: word + " ligar à tarde"})
	require.NoError(t, err)
	_, err = s.Reschedule(ctx(t), tn, item.ID, now.Add(72*time.Hour), item.Version)
	require.NoError(t, err)
	_, err = s.RecordConsent(ctx(t), tn, storage.ConsentEntry{CustomerID: stored.ID, Statement: grant(consent.SMS, consent.Marketing)},
		storage.ConsentEntry{CustomerID: stored.ID, Contact: c.Contacts[0].Name, Statement: grant(consent.Email, consent.Service)})
	require.NoError(t, err)
	_, err = s.CancelSMS(ctx(t), tn, stored.ID, consent.AtDesk, consent.Evidence{})
	require.NoError(t, err)
	// A neighbour whose data must survive untouched.
	neighbour, err := s.Create(ctx(t), tn, Individual(rand.IntN(1000000)))
	require.NoError(t, err)

	_, err = s.Anonymise(ctx(t), tn, stored.ID, stored.Version-1)
	require.ErrorIs(t, err, storage.ErrConflict, "a stale version changes nothing")
	require.Contains(t, dump(t, s), c.TaxID.String())
	_, err = s.Anonymise(ctx(t), tenant(t), stored.ID, stored.Version)
	require.ErrorIs(t, err, storage.ErrNotFound, "another tenant cannot anonymise it")

	res, err := s.Anonymise(storage.WithActor(ctx(t), storage.Actor{ID: "dpo", Name: "Encarregado"}), tn, stored.ID, stored.Version)
	require.NoError(t, err)
	assert.Empty(t, res.Kept)
	assert.Equal(t, storage.OutcomeDone, res.Request.Outcome)
	assert.Equal(t, storage.RequestAnonymisation, res.Request.Kind)

	all := dump(t, s)
	for _, v := range values {
		assert.False(t, strings.Contains(all, v), "anonymised everywhere: %q is left", v)
	}
	assert.False(t, strings.Contains(all, word), "no trace of any free text")
	assert.Contains(t, all, neighbour.TaxID.String(), "the neighbour is untouched")

	for _, q := range []customer.Query{{Name: word}, {TaxID: c.TaxID.Format()}, {Phone: c.Phones[0].Format()},
		{Phone: c.Contacts[0].Phones[0].Format()}, {Email: c.Emails[0].String()}, {Email: c.Contacts[0].Email.String()},
		{Plate: c.Assets[0].Plate.String()}, {VIN: c.Assets[0].VIN.String()}, {DMSCustomer: c.DMSCode},
		{ServiceOrder: c.ServiceOrders[0]}, {Company: word}, {Name: storage.AnonymisedName}} {
		page, err := s.Search(ctx(t), tn, q, nil)
		require.NoError(t, err)
		assert.Empty(t, page.Hits, "no search finds the person: %+v", q)
	}

	got, err := s.Get(ctx(t), tn, stored.ID)
	require.NoError(t, err)
	since, ok := storage.IsAnonymised(got)
	assert.True(t, ok)
	assert.False(t, since.IsZero())
	assert.Equal(t, storage.AnonymisedName, got.Name)
	assert.Equal(t, customer.Individual, got.Kind, "what says nothing about anyone stays")
	assert.True(t, got.CreatedAt.Equal(stored.CreatedAt))
	assert.True(t, got.TaxID.IsZero())
	assert.Empty(t, got.Phones)
	assert.Empty(t, got.Contacts)
	atts, err := s.Attendances(ctx(t), tn, stored.ID, 0, "")
	require.NoError(t, err)
	require.Len(t, atts.Items, 1, "the attendance happened")
	assert.True(t, atts.Items[0].At.Equal(att.At))
	assert.Equal(t, attendance.WhatsApp, atts.Items[0].Channel)
	assert.Equal(t, "Bruna", atts.Items[0].Attendant.Name, "the attendant is not the data subject")
	it, err := s.AgendaItem(ctx(t), tn, item.ID)
	require.NoError(t, err)
	assert.True(t, it.Due.Equal(storage.Timestamp(now.Add(72*time.Hour))))
	hist, err := s.History(ctx(t), tn, stored.ID, 0, 0)
	require.NoError(t, err)
	require.NotEmpty(t, hist)
	assert.Equal(t, storage.OpUpdate, hist[0].Op, "the anonymisation is logged")
	marked := false
	for _, f := range hist[0].Fields {
		marked = marked || f.Path == "anonymised"
	}
	assert.True(t, marked, "and marked as one")
	ledger, err := s.Consents(ctx(t), tn, stored.ID)
	require.NoError(t, err)
	assert.NotEmpty(t, ledger, "the statements stay as proof")
	listed, err := s.IsSuppressed(ctx(t), tn, consent.SMS, c.Phones[0].String())
	require.NoError(t, err)
	assert.True(t, listed, "an opt-out outlives the record")
	d, err := s.MayContact(ctx(t), tn, stored.ID, "", consent.SMS, consent.Marketing)
	require.NoError(t, err)
	assert.False(t, d.Allowed)

	_, err = s.Modify(ctx(t), tn, stored.ID, func(c *customer.Customer) error { c.Notes = "de volta"; return nil })
	require.ErrorIs(t, err, storage.ErrAnonymised, "an anonymised record is not edited")
	_, err = s.Anonymise(ctx(t), tn, stored.ID, got.Version)
	require.ErrorIs(t, err, storage.ErrAnonymised)
	_, err = s.RecordConsent(ctx(t), tn, storage.ConsentEntry{CustomerID: stored.ID, Statement: grant(consent.SMS, consent.Marketing)})
	require.ErrorIs(t, err, storage.ErrAnonymised)
	reqs, err := s.Requests(ctx(t), tn, false, 0, "")
	require.NoError(t, err)
	require.Len(t, reqs.Items, 1, "the register keeps the request")
	assert.Equal(t, stored.ID, reqs.Items[0].CustomerID)
	assert.Equal(t, "Encarregado", reqs.Items[0].AnsweredBy.Name)
}

// retentionOptions keep a customer's name and CPF for tax reasons when
// its notes say "nota fiscal", and refuse when they say "processo".
func retentionOptions() *storage.Options {
	return &storage.Options{Retention: func(_ context.Context, _ string, c *customer.Customer) (storage.Hold, error) {
		switch {
		case strings.Contains(c.Notes, "processo"):
			return storage.Hold{Refuse: true, Reason: "processo judicial em curso"}, nil
		case strings.Contains(c.Notes, "motivo ruim"):
			return storage.Hold{Refuse: true, Reason: "motivo\x00ruim"}, nil
		case strings.Contains(c.Notes, "nota fiscal"):
			return storage.Hold{Keep: []string{"name", "tax_id"}, Reason: "NF-e: guarda fiscal de 5 anos"}, nil
		}
		return storage.Hold{}, nil
	}}
}

// testRetention checks the retention hook: a refusal changes nothing and
// is registered with its reason; kept fields stay in the record (and
// their values in the log) while everything else goes, and even they are
// no longer found by a search.
func testRetention(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	held := Individual(rand.IntN(1000000))
	held.Notes = "processo 123"
	h, err := s.Create(ctx(t), tn, held)
	require.NoError(t, err)
	_, err = s.Anonymise(ctx(t), tn, h.ID, h.Version)
	require.ErrorIs(t, err, storage.ErrRetained)
	var re *storage.RetainedError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "processo judicial em curso", re.Reason)
	again, err := s.Get(ctx(t), tn, h.ID)
	require.NoError(t, err)
	requireSame(t, h, again)

	bad := Individual(rand.IntN(1000000))
	bad.Notes = "motivo ruim"
	bc, err := s.Create(ctx(t), tn, bad)
	require.NoError(t, err)
	_, err = s.Anonymise(ctx(t), tn, bc.ID, bc.Version)
	require.ErrorIs(t, err, storage.ErrInvalid, "a reason that is not text stops the call")
	again, err = s.Get(ctx(t), tn, bc.ID)
	require.NoError(t, err)
	requireSame(t, bc, again)

	kept := Individual(rand.IntN(1000000))
	kept.Notes = "nota fiscal 991"
	k, err := s.Create(ctx(t), tn, kept)
	require.NoError(t, err)
	res, err := s.Anonymise(ctx(t), tn, k.ID, k.Version)
	require.NoError(t, err)
	assert.Equal(t, []string{"name", "tax_id"}, res.Kept)
	assert.Equal(t, storage.OutcomePartial, res.Request.Outcome)
	got, err := s.Get(ctx(t), tn, k.ID)
	require.NoError(t, err)
	assert.Equal(t, kept.Name, got.Name)
	assert.Equal(t, kept.TaxID, storage.KeptTaxID(got))
	assert.True(t, got.TaxID.IsZero(), "kept aside, so that the person can come back")
	assert.Empty(t, got.Phones)
	assert.Empty(t, got.Notes)
	page, err := s.Search(ctx(t), tn, customer.Query{TaxID: kept.TaxID.String()}, nil)
	require.NoError(t, err)
	assert.Empty(t, page.Hits, "kept for the tax office, not for the desk")
	all := dump(t, s)
	assert.False(t, strings.Contains(all, kept.Phones[0].String()))
	assert.False(t, strings.Contains(all, "nota fiscal 991"))
	back, err := s.Create(ctx(t), tn, kept)
	require.NoError(t, err, "the person comes back: a new record under the same CPF")
	assert.NotEqual(t, k.ID, back.ID)

	reqs, err := s.Requests(ctx(t), tn, false, 0, "")
	require.NoError(t, err)
	require.Len(t, reqs.Items, 2)
	assert.Equal(t, storage.OutcomePartial, reqs.Items[0].Outcome, "newest first")
	assert.Equal(t, storage.OutcomeRefused, reqs.Items[1].Outcome)
	assert.Equal(t, "processo judicial em curso", reqs.Items[1].Note)

	// A request the host entered when it arrived is the one answered.
	third, err := s.Create(ctx(t), tn, Individual(rand.IntN(1000000)))
	require.NoError(t, err)
	received := time.Now().Add(-72 * time.Hour)
	open, err := s.OpenRequest(ctx(t), tn, &storage.Request{Kind: storage.RequestAnonymisation, CustomerID: third.ID, Received: received})
	require.NoError(t, err)
	_, err = s.AnonymiseRequest(ctx(t), tn, reqs.Items[0].ID, third.Version)
	require.ErrorIs(t, err, storage.ErrInvalid, "an answered request")
	res, err = s.AnonymiseRequest(ctx(t), tn, open.ID, third.Version)
	require.NoError(t, err)
	assert.Equal(t, open.ID, res.Request.ID)
	assert.True(t, res.Request.Received.Equal(open.Received), "its receipt date stays")
	assert.Equal(t, storage.OutcomeDone, res.Request.Outcome)
	reqs, err = s.Requests(ctx(t), tn, false, 0, "")
	require.NoError(t, err)
	assert.Len(t, reqs.Items, 3, "no second entry")
	openOnes, err := s.Requests(ctx(t), tn, true, 0, "")
	require.NoError(t, err)
	assert.Empty(t, openOnes.Items)
}

// testRequests checks the register: a request is entered with its due
// date, answered once under its version, and listed open by due date or
// all by arrival, in pages, per tenant.
func testRequests(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	c, err := s.Create(ctx(t), tn, Individual(rand.IntN(1000000)))
	require.NoError(t, err)
	actx := storage.WithActor(ctx(t), storage.Actor{ID: "a-9", Name: "Carla", App: "desk", RequestID: "r-1"})
	base := time.Now().Add(-10 * 24 * time.Hour)
	var ids []uuid.UUID
	for i, kind := range []storage.RequestKind{storage.RequestAccess, storage.RequestCorrection, storage.RequestPortability,
		storage.RequestRevocation, storage.RequestConfirmation} {
		r, err := s.OpenRequest(actx, tn, &storage.Request{Kind: kind, CustomerID: c.ID, Received: base.Add(time.Duration(i) * time.Hour),
			Note: "pedido por e-mail"})
		require.NoError(t, err)
		assert.True(t, r.Due.Equal(r.Received.Add(storage.ResponseTime)), "due fifteen days later")
		assert.Equal(t, storage.Actor{ID: "a-9", Name: "Carla"}, r.ReceivedBy)
		assert.Equal(t, int64(1), r.Version)
		ids = append(ids, r.ID)
	}
	anon, err := s.OpenRequest(ctx(t), tn, &storage.Request{Kind: storage.RequestSharing, Received: base.Add(-time.Hour),
		Due: base.Add(time.Hour)})
	require.NoError(t, err)
	assert.True(t, anon.Due.Equal(storage.Timestamp(base.Add(time.Hour))), "the host may set its own due date")
	assert.Equal(t, uuid.Nil, anon.CustomerID)

	_, err = s.OpenRequest(ctx(t), tn, &storage.Request{Kind: 0})
	require.ErrorIs(t, err, storage.ErrInvalid)
	_, err = s.OpenRequest(ctx(t), tn, &storage.Request{Kind: storage.RequestAccess, Received: time.Now().Add(time.Hour)})
	require.ErrorIs(t, err, storage.ErrInvalid)
	_, err = s.OpenRequest(ctx(t), tn, &storage.Request{Kind: storage.RequestAccess, Note: "a\x00"})
	require.ErrorIs(t, err, storage.ErrInvalid)
	_, err = s.OpenRequest(ctx(t), tn, &storage.Request{Kind: storage.RequestAccess, Due: base})
	require.ErrorIs(t, err, storage.ErrInvalid, "due before it was received")
	_, err = s.OpenRequest(ctx(t), tn, &storage.Request{Kind: storage.RequestAccess, CustomerID: uuid.New()})
	require.ErrorIs(t, err, storage.ErrNotFound)

	done, err := s.AnswerRequest(actx, tn, ids[1], 1, storage.OutcomeDone, "telefone corrigido")
	require.NoError(t, err)
	assert.Equal(t, int64(2), done.Version)
	assert.False(t, done.Answered.IsZero())
	assert.Equal(t, "Carla", done.AnsweredBy.Name)
	_, err = s.AnswerRequest(actx, tn, ids[1], 1, storage.OutcomeDone, "")
	require.ErrorIs(t, err, storage.ErrConflict)
	_, err = s.AnswerRequest(actx, tn, ids[1], 2, storage.OutcomeDone, "")
	require.ErrorIs(t, err, storage.ErrInvalid, "answered already")
	assert.ErrorIs(t, err, storage.ErrAnswered)
	_, err = s.AnswerRequest(actx, tn, ids[2], 1, "talvez", "")
	require.ErrorIs(t, err, storage.ErrInvalid)
	_, err = s.AnswerRequest(actx, tn, uuid.New(), 1, storage.OutcomeDone, "")
	require.ErrorIs(t, err, storage.ErrNotFound)
	_, err = s.AnswerRequest(actx, tenant(t), ids[2], 1, storage.OutcomeDone, "")
	require.ErrorIs(t, err, storage.ErrNotFound, "another tenant's register")
	got, err := s.Request(ctx(t), tn, ids[1])
	require.NoError(t, err)
	assert.Equal(t, done.Outcome, got.Outcome)
	assert.Equal(t, "telefone corrigido", got.Note)

	collect := func(open bool) []uuid.UUID {
		var out []uuid.UUID
		cursor := ""
		for {
			page, err := s.Requests(ctx(t), tn, open, 2, cursor)
			require.NoError(t, err)
			for _, r := range page.Items {
				out = append(out, r.ID)
			}
			if page.Next == "" {
				return out
			}
			cursor = page.Next
		}
	}
	assert.Equal(t, []uuid.UUID{anon.ID, ids[0], ids[2], ids[3], ids[4]}, collect(true), "open ones, soonest due first")
	assert.Equal(t, []uuid.UUID{ids[4], ids[3], ids[2], ids[1], ids[0], anon.ID}, collect(false), "all, newest first")
	other, err := s.Requests(ctx(t), tenant(t), false, 0, "")
	require.NoError(t, err)
	assert.Empty(t, other.Items)
}

// testExport checks the data subject's export: the person's own record
// whole, with its ledger, attendances, agenda and log; the places where
// they appear in other records, as a contact, a personal reference or by
// an address, with only those places; and nothing of anyone else.
func testExport(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	n := rand.IntN(1000000)
	me := Individual(n)
	mine, err := s.Create(ctx(t), tn, me)
	require.NoError(t, err)
	_, err = s.Attend(ctx(t), tn, &attendance.Attendance{CustomerID: mine.ID, Channel: attendance.InPerson, Reason: attendance.Sales})
	require.NoError(t, err)
	_, err = s.Schedule(ctx(t), tn, &agenda.Item{CustomerID: mine.ID, Due: time.Now().Add(time.Hour), Subject: "test drive"})
	require.NoError(t, err)
	_, err = s.RecordConsent(ctx(t), tn, storage.ConsentEntry{CustomerID: mine.ID, Statement: grant(consent.Email, consent.Marketing)})
	require.NoError(t, err)
	_, err = s.CancelSMS(ctx(t), tn, mine.ID, consent.AtDesk, consent.Evidence{})
	require.NoError(t, err)

	employer := Company(n)
	employer.Contacts = append(employer.Contacts, contact.Contact{Name: me.Name, Role: "Comprador", Phones: []contact.Phone{me.Phones[0]}})
	emp, err := s.Create(ctx(t), tn, employer)
	require.NoError(t, err)
	friend := Individual(n + 1)
	friend.PersonalReferences = []reference.Personal{{Name: me.Name, Phone: me.Phones[0], Note: "amigo"}}
	fr, err := s.Create(ctx(t), tn, friend)
	require.NoError(t, err)
	prospect := &customer.Customer{Kind: customer.Individual, Status: customer.StatusProspect, Name: "Visitante do salão",
		Emails: me.Emails}
	pr, err := s.Create(ctx(t), tn, prospect)
	require.NoError(t, err)
	stranger, err := s.Create(ctx(t), tn, Individual(n+2))
	require.NoError(t, err)

	e, err := s.Export(ctx(t), tn, storage.Subject{TaxID: me.TaxID})
	require.NoError(t, err)
	assert.Equal(t, storage.ExportSchema, e.Schema)
	require.Len(t, e.Records, 1)
	r := e.Records[0]
	requireSame(t, mine, r.Customer)
	assert.Len(t, r.Attendances, 1)
	assert.Len(t, r.Agenda, 1)
	assert.NotEmpty(t, r.Consents)
	assert.NotEmpty(t, r.Standing)
	assert.GreaterOrEqual(t, len(r.History), 3, "creation, attendance, schedule")
	assert.Equal(t, []storage.SuppressedAddress{{Channel: consent.SMS, Address: me.Phones[0].String()}}, e.Suppressed)

	roles := map[string]uuid.UUID{}
	for _, a := range e.Appearances {
		roles[a.Role] = a.CustomerID
	}
	assert.Equal(t, map[string]uuid.UUID{storage.AsContact: emp.ID, storage.AsReference: fr.ID, storage.AsAddress: pr.ID}, roles)
	for _, a := range e.Appearances {
		switch a.Role {
		case storage.AsContact:
			assert.Equal(t, "contacts[1]", a.Path)
			require.NotNil(t, a.Contact)
			assert.Equal(t, "Comprador", a.Contact.Role)
		case storage.AsReference:
			require.NotNil(t, a.Reference)
			assert.Equal(t, "amigo", a.Reference.Note)
		}
	}
	js, err := json.Marshal(e)
	require.NoError(t, err)
	for _, other := range []*customer.Customer{emp, fr, pr, stranger} {
		assert.NotContains(t, string(js), other.Name, "nothing of another record but the place that names the person")
		if !other.TaxID.IsZero() {
			assert.NotContains(t, string(js), other.TaxID.String())
		}
	}

	// Known only as a contact: found by the phone, reported by the
	// address alone (no own record gives the person's name).
	byPhone, err := s.Export(ctx(t), tn, storage.Subject{Phones: []contact.Phone{employer.Contacts[0].Phones[0]}})
	require.NoError(t, err)
	assert.Empty(t, byPhone.Records)
	require.Len(t, byPhone.Appearances, 1)
	assert.Equal(t, storage.AsContact, byPhone.Appearances[0].Role)
	assert.Nil(t, byPhone.Appearances[0].Contact)

	// A switchboard: the person's line with one extension, a colleague's
	// with another, and a colleague who shares the person's inbox. Neither
	// colleague's entry is the person's.
	office := Individual(n + 3)
	office.Phones = []contact.Phone{contact.MustParsePhone("(11) 3333-4444 ramal 10")}
	off, err := s.Create(ctx(t), tn, office)
	require.NoError(t, err)
	firm := Company(n + 3)
	firm.Contacts = []contact.Contact{
		{Name: "Quirino Colega", Phones: []contact.Phone{contact.MustParsePhone("(11) 3333-4444 ramal 20")}},
		{Name: "Rita Colega", Email: office.Emails[0]},
	}
	fi, err := s.Create(ctx(t), tn, firm)
	require.NoError(t, err)
	e, err = s.Export(ctx(t), tn, storage.Subject{TaxID: office.TaxID})
	require.NoError(t, err)
	require.Len(t, e.Records, 1)
	assert.Equal(t, off.ID, e.Records[0].Customer.ID)
	require.Len(t, e.Appearances, 1, "another extension is another line")
	assert.Equal(t, fi.ID, e.Appearances[0].CustomerID)
	assert.Equal(t, "contacts[1]", e.Appearances[0].Path)
	assert.Nil(t, e.Appearances[0].Contact, "an entry under another name is not the person's")
	js, err = json.Marshal(e)
	require.NoError(t, err)
	assert.NotContains(t, string(js), "Colega")

	none, err := s.Export(ctx(t), tenant(t), storage.Subject{TaxID: me.TaxID})
	require.NoError(t, err)
	assert.Empty(t, none.Records, "another tenant's export is empty")
	assert.Empty(t, none.Appearances)
	_, err = s.Export(ctx(t), tn, storage.Subject{})
	require.ErrorIs(t, err, storage.ErrInvalid)
}

// testAfterAnonymise checks what an anonymised record still allows and
// refuses: no new attendance, agenda item or consent; its agenda items
// are closed and keep a valid subject; its contacts' consents stay apart
// from the company's.
func testAfterAnonymise(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	co, err := s.Create(ctx(t), tn, Company(rand.IntN(1000000)))
	require.NoError(t, err)
	name := co.Contacts[0].Name
	withdrawn := withdraw(consent.Post, consent.Marketing)
	_, err = s.RecordConsent(ctx(t), tn, storage.ConsentEntry{CustomerID: co.ID, Statement: withdrawn},
		storage.ConsentEntry{CustomerID: co.ID, Contact: name, Statement: grant(consent.Post, consent.Marketing)})
	require.NoError(t, err)
	it, err := s.Schedule(ctx(t), tn, &agenda.Item{CustomerID: co.ID, Due: time.Now().Add(time.Hour), Subject: "retorno " + name})
	require.NoError(t, err)
	_, err = s.Anonymise(ctx(t), tn, co.ID, co.Version)
	require.NoError(t, err)

	_, err = s.Attend(ctx(t), tn, &attendance.Attendance{CustomerID: co.ID, Channel: attendance.Phone, Reason: attendance.Sales, Notes: "de novo"})
	require.ErrorIs(t, err, storage.ErrAnonymised)
	_, err = s.Schedule(ctx(t), tn, &agenda.Item{CustomerID: co.ID, Due: time.Now().Add(time.Hour), Subject: "x"})
	require.ErrorIs(t, err, storage.ErrAnonymised)
	// A retry of a call scheduled before the anonymisation: its ID is
	// taken, which is said first, as for an attendance.
	_, err = s.Schedule(ctx(t), tn, &agenda.Item{ID: it.ID, CustomerID: co.ID, Due: time.Now().Add(time.Hour), Subject: "x"})
	require.ErrorIs(t, err, storage.ErrExists)

	got, err := s.AgendaItem(ctx(t), tn, it.ID)
	require.NoError(t, err)
	assert.Equal(t, agenda.Cancelled, got.Status, "nobody is to be called")
	assert.Equal(t, storage.AnonymisedText, got.Subject)
	assert.Greater(t, got.Version, it.Version)
	_, err = s.Reschedule(ctx(t), tn, it.ID, time.Now().Add(2*time.Hour), it.Version)
	require.ErrorIs(t, err, storage.ErrConflict, "the item changed")

	status, err := s.ConsentStatus(ctx(t), tn, co.ID)
	require.NoError(t, err)
	require.Len(t, status, 2, "the contact's statement stays apart from the company's")
	assert.Equal(t, "", status[0].Contact)
	assert.Equal(t, consent.Withdrawn, status[0].State)
	assert.Equal(t, storage.AnonymisedContact(1), status[1].Contact)
	assert.Equal(t, consent.Granted, status[1].State)
}

// testConsentEdges checks the cases where one statement could speak for
// someone else or outlive its time: contacts whose names fold alike, a
// back-dated grant after a newer opt-out, a denial of one purpose beside
// a standing grant of another, and a recall on a legal obligation.
func testConsentEdges(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	twin := Company(rand.IntN(1000000))
	twin.Contacts = append(twin.Contacts, contact.Contact{Name: strings.ToUpper(twin.Contacts[0].Name), Phones: []contact.Phone{Phone(rand.IntN(1000000))}})
	tw, err := s.Create(ctx(t), tn, twin)
	require.NoError(t, err)
	_, err = s.RecordConsent(ctx(t), tn, storage.ConsentEntry{CustomerID: tw.ID, Contact: twin.Contacts[0].Name, Statement: grant(consent.SMS, consent.Marketing)})
	require.ErrorIs(t, err, storage.ErrInvalid, "a statement about one would speak for both")
	d, err := s.MayContact(ctx(t), tn, tw.ID, twin.Contacts[1].Name, consent.SMS, consent.Marketing)
	require.NoError(t, err)
	assert.False(t, d.Allowed)

	// Two records share a phone; one opts out today; a grant dated years
	// ago, recorded now, does not lift it.
	phone := Phone(rand.IntN(1000000))
	a, b := Individual(rand.IntN(1000000)), Individual(rand.IntN(1000000))
	a.Phones, b.Phones = []contact.Phone{phone}, []contact.Phone{phone}
	ac, err := s.Create(ctx(t), tn, a)
	require.NoError(t, err)
	bc, err := s.Create(ctx(t), tn, b)
	require.NoError(t, err)
	_, err = s.RecordConsent(ctx(t), tn, storage.ConsentEntry{CustomerID: bc.ID, Statement: grant(consent.SMS, consent.Marketing)})
	require.NoError(t, err)
	_, err = s.CancelSMS(ctx(t), tn, ac.ID, consent.SMSReply, consent.Evidence{})
	require.NoError(t, err)
	old := grant(consent.SMS, consent.Marketing)
	_, err = s.RecordConsent(ctx(t), tn, storage.ConsentEntry{CustomerID: ac.ID, Statement: old, At: time.Now().AddDate(-5, 0, 0)})
	require.NoError(t, err)
	listed, err := s.IsSuppressed(ctx(t), tn, consent.SMS, phone.String())
	require.NoError(t, err)
	assert.True(t, listed, "an old grant does not undo a newer opt-out")
	d, err = s.MayContact(ctx(t), tn, bc.ID, "", consent.SMS, consent.Marketing)
	require.NoError(t, err)
	assert.Equal(t, consent.ReasonSuppressed, d.Reason)

	// Saying no to offers by SMS leaves the recall notices on.
	c, err := s.Create(ctx(t), tn, Individual(rand.IntN(1000000)))
	require.NoError(t, err)
	recall := consent.Statement{Channel: consent.SMS, Purpose: consent.Service, State: consent.Granted, Basis: consent.BasisContract, Source: consent.AtDesk}
	denied := grant(consent.SMS, consent.Marketing)
	denied.State = consent.Denied
	_, err = s.RecordConsent(ctx(t), tn, storage.ConsentEntry{CustomerID: c.ID, Statement: recall}, storage.ConsentEntry{CustomerID: c.ID, Statement: denied})
	require.NoError(t, err)
	d, err = s.MayContact(ctx(t), tn, c.ID, "", consent.SMS, consent.Service)
	require.NoError(t, err)
	assert.True(t, d.Allowed, "a denial of one purpose suppresses nothing while another is granted")

	// A safety recall on a legal obligation reaches even a suppressed
	// line; nothing else does.
	legal := recall
	legal.Basis, legal.Purpose = consent.BasisLegalObligation, "recall"
	_, err = s.RecordConsent(ctx(t), tn, storage.ConsentEntry{CustomerID: ac.ID, Statement: legal})
	require.NoError(t, err)
	d, err = s.MayContact(ctx(t), tn, ac.ID, "", consent.SMS, "recall")
	require.NoError(t, err)
	assert.True(t, d.Allowed)
	assert.Equal(t, []string{phone.String()}, d.Addresses)
}

// testAttendRacesAnonymise records attendances with notes while the
// customer is anonymised: each attendance is either refused with
// ErrAnonymised or recorded before the anonymisation and cleared by it,
// so that no note survives on the anonymised record.
func testAttendRacesAnonymise(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	for round := range 6 {
		c, err := s.Create(ctx(t), tn, Individual(878001+round))
		require.NoError(t, err)
		raceAnonymise(t, s, tn, c, func() error {
			_, err := s.Attend(ctx(t), tn, &attendance.Attendance{CustomerID: c.ID, Channel: attendance.Phone,
				Reason: attendance.Sales, Notes: "ligar de novo amanhã", Outcome: "interessado"})
			return err
		})
		page, err := s.Attendances(ctx(t), tn, c.ID, 100, "")
		require.NoError(t, err)
		for _, a := range page.Items {
			require.Empty(t, a.Notes, "round %d: an attendance kept its notes after the anonymisation", round)
			require.Empty(t, a.Outcome, "round %d", round)
		}
	}
}

// testScheduleRacesAnonymise schedules calls with personal subjects while
// the customer is anonymised: each is either refused with ErrAnonymised or
// scheduled before the anonymisation and rewritten by it.
func testScheduleRacesAnonymise(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	for round := range 6 {
		c, err := s.Create(ctx(t), tn, Individual(879001+round))
		require.NoError(t, err)
		var made []uuid.UUID
		var mu sync.Mutex
		raceAnonymise(t, s, tn, c, func() error {
			it, err := s.Schedule(ctx(t), tn, &agenda.Item{CustomerID: c.ID, Due: time.Now().Add(time.Hour),
				Subject: "retorno da Maria sobre o financiamento", Notes: "prefere à tarde"})
			if err == nil {
				mu.Lock()
				made = append(made, it.ID)
				mu.Unlock()
			}
			return err
		})
		for _, id := range made {
			it, err := s.AgendaItem(ctx(t), tn, id)
			require.NoError(t, err)
			require.Equal(t, storage.AnonymisedText, it.Subject, "round %d: an item kept its subject after the anonymisation", round)
			require.Empty(t, it.Notes, "round %d", round)
		}
	}
}

// raceAnonymise calls write twenty times, on two goroutines, while c is
// anonymised, and checks that each call either succeeded or was refused
// with ErrAnonymised.
func raceAnonymise(t *testing.T, s *storage.Store, tn string, c *customer.Customer, write func() error) {
	t.Helper()
	errs := race(2, 10, func(int, int) error { return write() }, func() {
		_, err := s.Anonymise(ctx(t), tn, c.ID, c.Version)
		require.NoError(t, err)
	})
	for _, err := range errs {
		if err != nil {
			require.ErrorIs(t, err, storage.ErrAnonymised)
		}
	}
}

// testConsentRacesAnonymise records a company contact's consent while the
// company is anonymised: each statement is either refused with
// ErrAnonymised or recorded before the anonymisation, which renames the
// contact in the ledger, so that no entry names the contact afterwards.
func testConsentRacesAnonymise(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	for round := range 6 {
		co, err := s.Create(ctx(t), tn, Company(880001+round))
		require.NoError(t, err)
		name := co.Contacts[0].Name
		raceAnonymise(t, s, tn, co, func() error {
			_, err := s.RecordConsent(ctx(t), tn, storage.ConsentEntry{CustomerID: co.ID, Contact: name,
				Statement: grant(consent.Email, consent.Marketing)})
			return err
		})
		ledger, err := s.Consents(ctx(t), tn, co.ID)
		require.NoError(t, err)
		for _, e := range ledger {
			require.NotEqual(t, consent.ContactKey(name), e.Contact, "round %d: an entry names the contact after the anonymisation", round)
		}
	}
}
