package storagetest

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/agenda"
	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/consent"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/date"
	"github.com/fichacrm/ficha/dedupe"
	"github.com/fichacrm/ficha/storage"
)

// mergePair stores the two records of a showroom duplicate: a prospect
// typed at the desk without a CPF (A, who survives) and the same person
// as a customer from the DMS (B), sharing a phone, an e-mail, an address,
// a vehicle (its plate in the other form) and a contact, each also holding
// what the other lacks.
func mergePair(t *testing.T, s *storage.Store, tn string, n int) (a, b *customer.Customer) {
	t.Helper()
	phone, email := Phone(n), contact.MustParseEmail("jose.oliveira"+uuid.NewString()[:8]+"@example.com.br")
	home := address.Address{CEP: address.MustParseCEP("30130-010"), Street: "Avenida Afonso Pena", Number: "1500",
		Complement: "Apto 301", District: "Centro", City: "Belo Horizonte", UF: address.MG, Purposes: address.Correspondence}
	plate := Plate(n)
	a = &customer.Customer{Kind: customer.Individual, Status: customer.StatusProspect, Name: "José C. de Oliveira",
		Phones: []contact.Phone{phone}, Emails: []contact.Email{email}, Addresses: []address.Address{home},
		Assets:   []asset.Asset{{Description: "Onix", Kind: asset.Vehicle, Plate: plate}},
		Contacts: []contact.Contact{{Name: "Ana Oliveira", Role: "Esposa", Phones: []contact.Phone{Phone(n + 1)}}},
		Info:     map[string]string{"profession": "Engenheiro", "spouse_name": "Ana Oliveira"},
	}
	work := home
	work.Street, work.Number, work.Complement, work.CEP = "Rua da Bahia", "200", "", address.MustParseCEP("30160-011")
	work.Purposes = address.Billing
	b = &customer.Customer{Kind: customer.Individual, Status: customer.StatusCustomer, Name: "JOSE CARLOS OLIVEIRA",
		TaxID: CPF(n), BirthDate: date.MustNew(1971, time.May, 4), DMSCode: "DMS-" + uuid.NewString()[:8],
		Phones:        []contact.Phone{phone, Phone(n + 2)},
		Emails:        []contact.Email{contact.MustParseEmail(email.String())},
		Addresses:     []address.Address{home, work},
		Assets:        []asset.Asset{{Description: "Chevrolet Onix LT", Kind: asset.Vehicle, Plate: plate.Mercosul(), VIN: VIN(n)}},
		ServiceOrders: []string{"OS-" + uuid.NewString()[:8]},
		Contacts:      []contact.Contact{{Name: "ANA OLIVEIRA", Phones: []contact.Phone{Phone(n + 3)}, Email: contact.MustParseEmail("ana@example.com.br")}},
		Info:          map[string]string{"profession": "Engenheiro civil"},
	}
	var err error
	a, err = s.Create(ctx(t), tn, a)
	require.NoError(t, err)
	b, err = s.Create(ctx(t), tn, b)
	require.NoError(t, err)
	return a, b
}

// testMerge merges a prospect and a customer who are the same person and
// checks everything a host relies on afterwards: the united record, the
// search keys, the redirect, the moved attendances, agenda and consent,
// and the change log.
func testMerge(t *testing.T, s *storage.Store, n int) {
	tn := tenant(t)
	a, b := mergePair(t, s, tn, n)
	att, err := s.Attend(ctx(t), tn, &attendance.Attendance{CustomerID: b.ID, Channel: attendance.Phone, Reason: attendance.Service,
		Confirmed: attendance.Phones})
	require.NoError(t, err)
	item, err := s.Schedule(ctx(t), tn, &agenda.Item{CustomerID: b.ID, Due: time.Now().Add(48 * time.Hour), Subject: "Revisão dos 30 mil"})
	require.NoError(t, err)
	_, err = s.RecordConsent(ctx(t), tn, storage.ConsentEntry{CustomerID: b.ID, Statement: grant(consent.SMS, consent.Marketing)})
	require.NoError(t, err)
	_, err = s.RecordConsent(ctx(t), tn, storage.ConsentEntry{CustomerID: a.ID, Statement: grant(consent.Email, consent.Marketing)})
	require.NoError(t, err)
	req, err := s.OpenRequest(ctx(t), tn, &storage.Request{Kind: storage.RequestAccess, CustomerID: b.ID, Received: time.Now().UTC()})
	require.NoError(t, err)
	count, err := s.Count(ctx(t), tn)
	require.NoError(t, err)

	preview, fields, err := s.PreviewMerge(ctx(t), tn, storage.MergeRequest{Into: a.ID, From: b.ID, IntoVersion: a.Version, FromVersion: b.Version,
		Choices: dedupe.Choices{"name": dedupe.Absorbed}})
	require.NoError(t, err)
	require.NotEmpty(t, fields)
	got, err := s.Get(ctx(t), tn, b.ID)
	require.NoError(t, err)
	assert.Equal(t, b.ID, got.ID, "a preview writes nothing")

	actx := storage.WithActor(ctx(t), storage.Actor{ID: "att-7", Name: "Atendente Sete", App: "desk"})
	m, err := s.Merge(actx, tn, storage.MergeRequest{Into: a.ID, From: b.ID, IntoVersion: a.Version, FromVersion: b.Version,
		Choices: dedupe.Choices{"name": dedupe.Absorbed}})
	require.NoError(t, err)
	c := m.Customer
	assert.Equal(t, a.ID, c.ID)
	assert.Equal(t, a.Version+1, c.Version)
	assert.Equal(t, preview.Name, c.Name, "the preview is what is stored")
	assert.Equal(t, "JOSE CARLOS OLIVEIRA", c.Name, "the caller chose B's name")
	assert.Equal(t, customer.StatusCustomer, c.Status, "a customer and a prospect merge into a customer")
	assert.Equal(t, b.TaxID, c.TaxID, "a value beats an empty one")
	assert.Equal(t, b.BirthDate, c.BirthDate)
	assert.Equal(t, b.DMSCode, c.DMSCode)
	assert.Equal(t, "Engenheiro civil", c.Info["profession"], "the customer's value beats the prospect's")
	assert.Equal(t, "Ana Oliveira", c.Info["spouse_name"], "keys only A has stay")
	assert.Equal(t, []contact.Phone{a.Phones[0], b.Phones[1]}, c.Phones, "the shared phone is not repeated")
	assert.Len(t, c.Emails, 1, "the same e-mail once")
	assert.Len(t, c.Addresses, 2, "the same address once, the other added")
	require.Len(t, c.Assets, 1, "the same vehicle (plate in the other form) once")
	assert.Equal(t, "Onix", c.Assets[0].Description, "the survivor's entry of a shared vehicle stays")
	assert.Equal(t, b.ServiceOrders, c.ServiceOrders)
	require.Len(t, c.Contacts, 1, "the same contact once")
	assert.Len(t, c.Contacts[0].Phones, 2, "the contact gains the other's phone")
	assert.Equal(t, "ana@example.com.br", c.Contacts[0].Email.String(), "and what it lacked")
	assert.Equal(t, a.CreatedAt, c.CreatedAt)

	stored, err := s.Get(ctx(t), tn, a.ID)
	require.NoError(t, err)
	requireSame(t, c, stored)
	viaB, err := s.Get(ctx(t), tn, b.ID)
	require.NoError(t, err, "B's ID finds A")
	assert.Equal(t, a.ID, viaB.ID)
	r, err := s.Redirect(ctx(t), tn, b.ID)
	require.NoError(t, err)
	assert.Equal(t, storage.Redirect{From: b.ID, To: a.ID, At: c.UpdatedAt}, r)
	_, err = s.Redirect(ctx(t), tn, a.ID)
	assert.ErrorIs(t, err, storage.ErrNotFound, "the survivor was not merged")

	after, err := s.Count(ctx(t), tn)
	require.NoError(t, err)
	assert.Equal(t, count-1, after)
	assertFound(t, s, tn, customer.Query{TaxID: b.TaxID.String()}, a.ID)
	assertFound(t, s, tn, customer.Query{Phone: b.Phones[1].String()}, a.ID)
	assertFound(t, s, tn, customer.Query{Phone: a.Phones[0].String()}, a.ID)
	assertFound(t, s, tn, customer.Query{DMSCustomer: b.DMSCode}, a.ID)
	assertFound(t, s, tn, customer.Query{VIN: b.Assets[0].VIN.String()}, a.ID)
	assertFound(t, s, tn, customer.Query{Name: "jose carlos"}, a.ID)

	atts, err := s.Attendances(ctx(t), tn, a.ID, 0, "")
	require.NoError(t, err)
	require.Len(t, atts.Items, 1)
	assert.Equal(t, att.ID, atts.Items[0].ID)
	fresh, err := s.Freshness(ctx(t), tn, a.ID)
	require.NoError(t, err)
	assert.False(t, fresh[attendance.Phones].Before(att.At), "B's confirmation counts for A")
	it, err := s.AgendaItem(ctx(t), tn, item.ID)
	require.NoError(t, err)
	assert.Equal(t, a.ID, it.CustomerID)
	states, err := s.ConsentStatus(ctx(t), tn, a.ID)
	require.NoError(t, err)
	assert.Len(t, states, 2, "both records' consents stand for A")
	d, err := s.MayContact(ctx(t), tn, a.ID, "", consent.SMS, consent.Marketing)
	require.NoError(t, err)
	assert.True(t, d.Allowed, "B's grant now answers for A")
	gotReq, err := s.Request(ctx(t), tn, req.ID)
	require.NoError(t, err)
	assert.Equal(t, a.ID, gotReq.CustomerID)

	hist, err := s.History(ctx(t), tn, a.ID, 0, 1)
	require.NoError(t, err)
	require.Len(t, hist, 1)
	assert.Equal(t, storage.OpMerge, hist[0].Op)
	assert.Equal(t, b.ID, hist[0].Item)
	assert.Equal(t, "att-7", hist[0].Actor.ID)
	assert.Equal(t, m.Change.Seq, hist[0].Seq)
	paths := map[string]bool{}
	for _, f := range hist[0].Fields {
		paths[f.Path] = true
	}
	for _, p := range []string{"name", "status", "tax_id", "birth_date", "dms_code", "info.profession"} {
		assert.True(t, paths[p], "the merge's entry records %s", p)
	}
	bh, err := s.History(ctx(t), tn, b.ID, 0, 1)
	require.NoError(t, err)
	require.Len(t, bh, 1)
	assert.Equal(t, storage.OpMerged, bh[0].Op)
	assert.Equal(t, a.ID, bh[0].Item)
	assert.Equal(t, b.Version, bh[0].Version)
	assert.Equal(t, hist[0].Seq+1, bh[0].Seq)
	feed, err := s.Changes(ctx(t), tn, hist[0].Seq-1, 10)
	require.NoError(t, err)
	require.Len(t, feed, 2)
	assert.Equal(t, storage.OpMerge, feed[0].Op)
	assert.Equal(t, storage.OpMerged, feed[1].Op)

	// A later write to A works as to any record; B is gone for writes.
	c.Notes = "unificado"
	_, err = s.Update(ctx(t), tn, c)
	require.NoError(t, err)
	_, err = s.Merge(ctx(t), tn, storage.MergeRequest{Into: a.ID, From: b.ID, IntoVersion: c.Version + 1, FromVersion: b.Version})
	assert.ErrorIs(t, err, storage.ErrNotFound, "a merged record cannot be merged again")
}

func testMergeRecords(t *testing.T, s *storage.Store) { testMerge(t, s, 810001) }

// testMergeRefusals checks that a refused merge changes nothing: stale
// versions of either record, unknown records, another tenant's, a record
// merged into itself, records of different kinds, an unknown choice, an
// anonymised record, and a united record that breaks a limit.
func testMergeRefusals(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	a, b := mergePair(t, s, tn, 820001)
	unchanged := func() {
		t.Helper()
		for _, want := range []*customer.Customer{a, b} {
			got, err := s.Get(ctx(t), tn, want.ID)
			require.NoError(t, err)
			requireSame(t, want, got)
		}
		_, err := s.Redirect(ctx(t), tn, b.ID)
		assert.ErrorIs(t, err, storage.ErrNotFound)
	}
	req := storage.MergeRequest{Into: a.ID, From: b.ID, IntoVersion: a.Version, FromVersion: b.Version}
	for name, tc := range map[string]struct {
		change func(r *storage.MergeRequest)
		want   error
	}{
		"stale survivor":   {func(r *storage.MergeRequest) { r.IntoVersion-- }, storage.ErrConflict},
		"stale absorbed":   {func(r *storage.MergeRequest) { r.FromVersion++ }, storage.ErrConflict},
		"unknown survivor": {func(r *storage.MergeRequest) { r.Into = uuid.New() }, storage.ErrNotFound},
		"unknown absorbed": {func(r *storage.MergeRequest) { r.From = uuid.New() }, storage.ErrNotFound},
		"nil absorbed":     {func(r *storage.MergeRequest) { r.From = uuid.Nil }, storage.ErrNotFound},
		"itself":           {func(r *storage.MergeRequest) { r.From, r.FromVersion = a.ID, a.Version }, storage.ErrMerge},
		"unknown choice":   {func(r *storage.MergeRequest) { r.Choices = dedupe.Choices{"shoe_size": dedupe.Absorbed} }, storage.ErrMerge},
		"bad side":         {func(r *storage.MergeRequest) { r.Choices = dedupe.Choices{"name": 9} }, storage.ErrMerge},
	} {
		r := req
		tc.change(&r)
		_, err := s.Merge(ctx(t), tn, r)
		assert.ErrorIs(t, err, tc.want, name)
		_, _, err = s.PreviewMerge(ctx(t), tn, r)
		assert.ErrorIs(t, err, tc.want, name+" (preview)")
		unchanged()
	}

	// Another tenant's record is unknown here, and its own tenant's
	// records are untouched.
	other := tenant(t) + "-other"
	oa, ob := mergePair(t, s, other, 820101)
	_, err := s.Merge(ctx(t), tn, storage.MergeRequest{Into: a.ID, From: ob.ID, IntoVersion: a.Version, FromVersion: ob.Version})
	assert.ErrorIs(t, err, storage.ErrNotFound)
	_, err = s.Merge(ctx(t), other, storage.MergeRequest{Into: oa.ID, From: b.ID, IntoVersion: oa.Version, FromVersion: b.Version})
	assert.ErrorIs(t, err, storage.ErrNotFound)
	got, err := s.Get(ctx(t), other, ob.ID)
	require.NoError(t, err)
	requireSame(t, ob, got)
	unchanged()

	// A company and an individual.
	co, err := s.Create(ctx(t), tn, Company(820201))
	require.NoError(t, err)
	var v *customer.ValidationError
	_, err = s.Merge(ctx(t), tn, storage.MergeRequest{Into: a.ID, From: co.ID, IntoVersion: a.Version, FromVersion: co.Version})
	require.ErrorIs(t, err, storage.ErrMerge)
	require.ErrorAs(t, err, &v)
	assert.True(t, v.Has("kind", "merge.kinds"))
	unchanged()

	// Two CPFs are two people.
	taxed, err := s.Create(ctx(t), tn, Individual(820251))
	require.NoError(t, err)
	_, err = s.Merge(ctx(t), tn, storage.MergeRequest{Into: taxed.ID, From: b.ID, IntoVersion: taxed.Version, FromVersion: b.Version})
	require.ErrorIs(t, err, storage.ErrMerge)
	require.ErrorAs(t, err, &v)
	assert.True(t, v.Has("tax_id", "merge.tax_ids"))
	unchanged()

	// United phones beyond the limit: a validation error, nothing stored.
	many := Individual(820301)
	many.TaxID = customer.TaxID{}
	many.Status = customer.StatusProspect
	many.Phones = nil
	for i := range customer.MaxPhones {
		many.Phones = append(many.Phones, Phone(821000+i))
	}
	full, err := s.Create(ctx(t), tn, many)
	require.NoError(t, err)
	_, err = s.Merge(ctx(t), tn, storage.MergeRequest{Into: full.ID, From: b.ID, IntoVersion: full.Version, FromVersion: b.Version})
	require.ErrorIs(t, err, storage.ErrInvalid)
	unchanged()

	// An anonymised record takes part in no merge.
	gone, err := s.Create(ctx(t), tn, Individual(820401))
	require.NoError(t, err)
	anon, err := s.Anonymise(ctx(t), tn, gone.ID, gone.Version)
	require.NoError(t, err)
	_, err = s.Merge(ctx(t), tn, storage.MergeRequest{Into: a.ID, From: gone.ID, IntoVersion: a.Version, FromVersion: anon.Customer.Version})
	assert.ErrorIs(t, err, storage.ErrAnonymised)
	unchanged()
}

// testMergeChain merges B into A, then A into C: B's and A's IDs both
// find C, and each redirect says where it went.
func testMergeChain(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	a, b := mergePair(t, s, tn, 830001)
	m, err := s.Merge(ctx(t), tn, storage.MergeRequest{Into: a.ID, From: b.ID, IntoVersion: a.Version, FromVersion: b.Version})
	require.NoError(t, err)
	cin := Individual(830101)
	cin.TaxID, cin.Status = customer.TaxID{}, customer.StatusProspect
	c, err := s.Create(ctx(t), tn, cin)
	require.NoError(t, err)
	_, err = s.Merge(ctx(t), tn, storage.MergeRequest{Into: c.ID, From: a.ID, IntoVersion: c.Version, FromVersion: m.Customer.Version})
	require.NoError(t, err)
	for _, id := range []uuid.UUID{a.ID, b.ID} {
		got, err := s.Get(ctx(t), tn, id)
		require.NoError(t, err)
		assert.Equal(t, c.ID, got.ID)
		r, err := s.Redirect(ctx(t), tn, id)
		require.NoError(t, err)
		assert.Equal(t, c.ID, r.To)
	}
	got, err := s.Get(ctx(t), tn, c.ID)
	require.NoError(t, err)
	assert.Equal(t, b.TaxID, got.TaxID, "the CPF travelled from B through A to C")
	assertFound(t, s, tn, customer.Query{TaxID: b.TaxID.String()}, c.ID)

	// A deleted survivor takes its redirects' targets with it.
	require.NoError(t, s.Delete(ctx(t), tn, got.ID, got.Version))
	_, err = s.Get(ctx(t), tn, b.ID)
	assert.ErrorIs(t, err, storage.ErrNotFound)
}

// testMergeCancelled cancels a merge at every point where it consults its
// context: it either happened whole or not at all.
func testMergeCancelled(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	type pair struct {
		a, b *customer.Customer
		att  uuid.UUID
	}
	pairs := map[int]pair{}
	sweep(t, func(c context.Context, i int) error {
		a, b := mergePair(t, s, tn, 840001+i*10)
		att, err := s.Attend(ctx(t), tn, &attendance.Attendance{CustomerID: b.ID, Channel: attendance.Phone, Reason: attendance.Service})
		require.NoError(t, err)
		pairs[i] = pair{a, b, att.ID}
		_, err = s.Merge(c, tn, storage.MergeRequest{Into: a.ID, From: b.ID, IntoVersion: a.Version, FromVersion: b.Version})
		return err
	}, func(i int, err error) {
		p := pairs[i]
		got, gerr := s.Get(ctx(t), tn, p.b.ID)
		require.NoError(t, gerr)
		has, herr := s.Driver().HasAttendance(ctx(t), tn, p.a.ID, p.att)
		require.NoError(t, herr)
		if err == nil {
			assert.Equal(t, p.a.ID, got.ID, "step %d: merged, B finds A", i)
			assert.True(t, has, "step %d: B's attendance is A's", i)
			return
		}
		requireSame(t, p.b, got)
		a, aerr := s.Get(ctx(t), tn, p.a.ID)
		require.NoError(t, aerr)
		requireSame(t, p.a, a)
		assert.False(t, has, "step %d: not merged, the attendance stays B's", i)
		_, rerr := s.Redirect(ctx(t), tn, p.b.ID)
		assert.True(t, errors.Is(rerr, storage.ErrNotFound), "step %d: no redirect", i)
	})
}

// testMergeConsentOrder checks that the united ledger's latest statement
// stands: a withdrawal on one record beats an older grant on the other.
func testMergeConsentOrder(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	a, b := mergePair(t, s, tn, 850001)
	old := time.Now().Add(-48 * time.Hour).UTC()
	_, err := s.RecordConsent(ctx(t), tn, storage.ConsentEntry{CustomerID: a.ID, Statement: withdraw(consent.SMS, consent.Marketing)})
	require.NoError(t, err)
	_, err = s.RecordConsent(ctx(t), tn, storage.ConsentEntry{CustomerID: b.ID, Statement: grant(consent.SMS, consent.Marketing), At: old})
	require.NoError(t, err)
	_, err = s.Merge(ctx(t), tn, storage.MergeRequest{Into: a.ID, From: b.ID, IntoVersion: a.Version, FromVersion: b.Version})
	require.NoError(t, err)
	st := stateOf(t, s, tn, a.ID, "", consent.SMS, consent.Marketing)
	require.NotNil(t, st)
	assert.Equal(t, consent.Withdrawn, st.State, "the newer withdrawal stands")
	ledger, err := s.Consents(ctx(t), tn, a.ID)
	require.NoError(t, err)
	assert.Len(t, ledger, 2, "both statements stay in A's ledger")
	d, err := s.MayContact(ctx(t), tn, a.ID, "", consent.SMS, consent.Marketing)
	require.NoError(t, err)
	assert.False(t, d.Allowed)
}

// testMergeThenAnonymise merges a record into another and anonymises the
// survivor: what the absorbed record held, its history included, goes
// too; before that, the person's export holds that history.
func testMergeThenAnonymise(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	now := time.Now()
	c, values := distinctive(now)
	b, err := s.Create(ctx(t), tn, c)
	require.NoError(t, err)
	a, err := s.Create(ctx(t), tn, &customer.Customer{Kind: customer.Individual, Status: customer.StatusProspect,
		Name: "Prospect da vitrine", Phones: []contact.Phone{c.Phones[0]}})
	require.NoError(t, err)
	m, err := s.Merge(ctx(t), tn, storage.MergeRequest{Into: a.ID, From: b.ID, IntoVersion: a.Version, FromVersion: b.Version})
	require.NoError(t, err)

	exp, err := s.Export(ctx(t), tn, storage.Subject{TaxID: c.TaxID})
	require.NoError(t, err)
	require.Len(t, exp.Records, 1)
	var ops []storage.Op
	for _, h := range exp.Records[0].History {
		ops = append(ops, h.Op)
	}
	assert.Contains(t, ops, storage.OpMerged, "the absorbed record's history is the person's")
	assert.Contains(t, ops, storage.OpMerge)

	_, err = s.Anonymise(ctx(t), tn, a.ID, m.Customer.Version)
	require.NoError(t, err)
	all := dump(t, s)
	for _, v := range values {
		assert.False(t, strings.Contains(all, v), "anonymised everywhere: %q is left", v)
	}
	got, err := s.Get(ctx(t), tn, b.ID)
	require.NoError(t, err)
	assert.Equal(t, a.ID, got.ID, "the redirect stays: it names no one")
}

// testMergeUnderWrites merges while other attendants write to the
// absorbed record: every write reported as stored is found on the
// survivor afterwards, and an opt-out reported as stored stands.
func testMergeUnderWrites(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	for trial := range 4 {
		a, b := mergePair(t, s, tn, 870001+trial*10)
		_, err := s.RecordConsent(ctx(t), tn, storage.ConsentEntry{CustomerID: a.ID, Statement: grant(consent.SMS, consent.Marketing)})
		require.NoError(t, err)
		var mu sync.Mutex
		var stored []uuid.UUID
		withdrew := false
		done := make(chan struct{})
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() {
				for {
					select {
					case <-done:
						return
					default:
					}
					att, err := s.Attend(ctx(t), tn, &attendance.Attendance{CustomerID: b.ID, Channel: attendance.Phone, Reason: attendance.Service})
					if err == nil {
						mu.Lock()
						stored = append(stored, att.ID)
						mu.Unlock()
					}
				}
			})
		}
		wg.Go(func() {
			if _, err := s.Withdraw(ctx(t), tn, storage.OptOut{CustomerID: b.ID, Channels: []consent.Channel{consent.SMS}}); err == nil {
				mu.Lock()
				withdrew = true
				mu.Unlock()
			}
		})
		time.Sleep(5 * time.Millisecond)
		_, err = s.Merge(ctx(t), tn, storage.MergeRequest{Into: a.ID, From: b.ID, IntoVersion: a.Version, FromVersion: b.Version})
		close(done)
		wg.Wait()
		require.NoError(t, err)
		for _, id := range stored {
			has, err := s.Driver().HasAttendance(ctx(t), tn, a.ID, id)
			require.NoError(t, err)
			assert.True(t, has, "trial %d: an attendance reported as stored is on the survivor", trial)
		}
		if withdrew {
			d, err := s.MayContact(ctx(t), tn, a.ID, "", consent.SMS, consent.Marketing)
			require.NoError(t, err)
			assert.False(t, d.Allowed, "trial %d: a stored opt-out stands after the merge", trial)
		}
	}
}

// testMergedIDStaysTaken checks that the ID of a merged record is never
// taken again: a create refuses it, and an upsert by ID (an export taken
// before the merge) updates the survivor.
func testMergedIDStaysTaken(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	a, b := mergePair(t, s, tn, 875001)
	_, err := s.Merge(ctx(t), tn, storage.MergeRequest{Into: a.ID, From: b.ID, IntoVersion: a.Version, FromVersion: b.Version})
	require.NoError(t, err)
	count, err := s.Count(ctx(t), tn)
	require.NoError(t, err)

	again := Individual(875101)
	again.ID = b.ID
	_, err = s.Create(ctx(t), tn, again)
	assert.ErrorIs(t, err, storage.ErrExists)
	rs, err := s.CreateMany(ctx(t), tn, []*customer.Customer{again})
	require.NoError(t, err)
	assert.ErrorIs(t, rs[0].Err, storage.ErrExists)

	old := b.Clone()
	old.Notes = "exportado antes da unificação"
	for _, dry := range []bool{true, false} {
		ups, err := s.Upsert(ctx(t), tn, []*customer.Customer{old}, &storage.UpsertOptions{Key: storage.KeyID, DryRun: dry})
		require.NoError(t, err)
		require.NoError(t, ups[0].Err)
		assert.Equal(t, storage.Updated, ups[0].Outcome, "dry run %v", dry)
		assert.Equal(t, a.ID, ups[0].Customer.ID, "the old ID names the survivor")
	}
	got, err := s.Get(ctx(t), tn, a.ID)
	require.NoError(t, err)
	assert.Equal(t, "exportado antes da unificação", got.Notes)
	after, err := s.Count(ctx(t), tn)
	require.NoError(t, err)
	assert.Equal(t, count, after, "nothing created")
	r, err := s.Redirect(ctx(t), tn, b.ID)
	require.NoError(t, err)
	assert.Equal(t, a.ID, r.To)
}

// testUpsertDryRunTellsTheTruth checks that a dry run reports what the
// write then does, for the refusals only the store's state reveals.
func testUpsertDryRunTellsTheTruth(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	held, err := s.Create(ctx(t), tn, Individual(876001))
	require.NoError(t, err)
	byMail, err := s.Create(ctx(t), tn, &customer.Customer{Kind: customer.Individual, Status: customer.StatusProspect,
		Name: "Prospect por e-mail", Emails: []contact.Email{contact.MustParseEmail("prospect876@example.com.br")}})
	require.NoError(t, err)

	takenID := Individual(876002)
	takenID.ID = held.ID
	twice := Individual(876003)
	twice.ID = customer.NewID()
	twice2 := Individual(876004)
	twice2.ID = twice.ID
	bringsCPF := &customer.Customer{Kind: customer.Individual, Status: customer.StatusCustomer, TaxID: held.TaxID,
		Emails: []contact.Email{byMail.Emails[0]}}
	inputs := []*customer.Customer{takenID, twice, twice2, bringsCPF}
	var outcomes [2][]string
	for k, dry := range []bool{true, false} {
		rs, err := s.Upsert(ctx(t), tn, inputs, &storage.UpsertOptions{Key: storage.KeyEmail, DryRun: dry})
		require.NoError(t, err)
		assert.ErrorIs(t, rs[0].Err, storage.ErrExists, "dry run %v: an ID another customer has", dry)
		assert.NoError(t, rs[1].Err)
		assert.ErrorIs(t, rs[2].Err, storage.ErrExists, "dry run %v: the same ID twice", dry)
		var dup *storage.DuplicateTaxIDError
		require.ErrorAs(t, rs[3].Err, &dup, "dry run %v: an update that brings a CPF another holds", dry)
		assert.Equal(t, held.ID, dup.HolderID)
		for _, r := range rs {
			outcomes[k] = append(outcomes[k], r.Outcome.String())
		}
	}
	assert.Equal(t, outcomes[0], outcomes[1], "the dry run said what the write did")
}

// testMergeRacesCreate merges B into A while other writers create
// customers under B's ID: B's ID is taken until the merge commits and
// retired after, so every such create fails with ErrExists, and B's ID
// leads to A.
func testMergeRacesCreate(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	for round := range 8 {
		a, b := mergePair(t, s, tn, 876001+10*round)
		errs := race(3, 4, func(w, i int) error {
			again := Individual(876500 + 100*round + 10*w + i)
			again.ID = b.ID
			_, err := s.Create(ctx(t), tn, again)
			return err
		}, func() {
			_, err := s.Merge(ctx(t), tn, storage.MergeRequest{Into: a.ID, From: b.ID, IntoVersion: a.Version, FromVersion: b.Version})
			require.NoError(t, err)
		})
		for _, err := range errs {
			require.ErrorIs(t, err, storage.ErrExists, "round %d: a create under an ID being merged away", round)
		}
		got, err := s.Get(ctx(t), tn, b.ID)
		require.NoError(t, err)
		require.Equal(t, a.ID, got.ID, "round %d: the merged ID leads to the survivor", round)
	}
}

// testDeleteRacesCreate deletes a customer while other writers create
// customers under its ID: each create either lands (at most one does) or
// fails with a typed error, never a database's.
func testDeleteRacesCreate(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	for round := range 8 {
		x, err := s.Create(ctx(t), tn, Individual(877001+10*round))
		require.NoError(t, err)
		errs := race(3, 4, func(w, i int) error {
			again := Individual(877500 + 100*round + 10*w + i)
			again.ID = x.ID
			_, err := s.Create(ctx(t), tn, again)
			return err
		}, func() { require.NoError(t, s.Delete(ctx(t), tn, x.ID, x.Version)) })
		landed := 0
		for _, err := range errs {
			switch {
			case err == nil:
				landed++
			case errors.Is(err, storage.ErrExists), errors.Is(err, storage.ErrConflict):
			default:
				t.Fatalf("round %d: a create beside a deletion of its ID failed with %v", round, err)
			}
		}
		assert.LessOrEqual(t, landed, 1, "round %d", round)
	}
}

// race calls fn(w, i) for i < each on workers goroutines w at once, while
// during runs on the test's own, and returns what every call returned.
func race(workers, each int, fn func(w, i int) error, during func()) []error {
	var wg sync.WaitGroup
	errs := make([]error, workers*each)
	start := make(chan struct{})
	for w := range workers {
		wg.Go(func() {
			<-start
			for i := range each {
				errs[w*each+i] = fn(w, i)
			}
		})
	}
	close(start)
	during()
	wg.Wait()
	return errs
}
