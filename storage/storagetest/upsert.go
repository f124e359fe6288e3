package storagetest

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
)

// upsertBatch is a batch of an import: a new customer, an update of a
// known one that leaves its name blank, the same CPF again, an invalid
// record, and a prospect without a CPF.
func upsertBatch(known *customer.Customer) []*customer.Customer {
	update := &customer.Customer{Kind: customer.Individual, Status: customer.StatusCustomer, TaxID: known.TaxID,
		Phones: []contact.Phone{Phone(890901)}, Notes: "importado do DMS"}
	invalid := Individual(890902)
	invalid.Name = ""
	prospect := &customer.Customer{Kind: customer.Individual, Status: customer.StatusProspect, Name: "Rita de Cássia Prado",
		Phones: []contact.Phone{Phone(890903)}}
	return []*customer.Customer{Individual(890904), update, update.Clone(), invalid, prospect}
}

// checkUpsertBatch checks the results of upsertBatch.
func checkUpsertBatch(t *testing.T, rs []storage.UpsertResult, known *customer.Customer, dry bool) {
	t.Helper()
	require.Len(t, rs, 5)
	assert.Equal(t, storage.Created, rs[0].Outcome)
	assert.NoError(t, rs[0].Err)
	assert.Equal(t, storage.Updated, rs[1].Outcome)
	require.NoError(t, rs[1].Err)
	u := rs[1].Customer
	assert.Equal(t, known.ID, u.ID)
	assert.Equal(t, known.Version+1, u.Version)
	assert.Equal(t, known.Name, u.Name, "a blank cell erases nothing")
	assert.Equal(t, "importado do DMS", u.Notes)
	assert.Equal(t, append(known.Phones, Phone(890901)), u.Phones, "phones are united")
	var rep *storage.RepeatedError
	require.ErrorAs(t, rs[2].Err, &rep)
	assert.Equal(t, 1, rep.First)
	assert.ErrorIs(t, rs[2].Err, storage.ErrExists)
	assert.Equal(t, storage.Failed, rs[2].Outcome)
	assert.ErrorIs(t, rs[3].Err, storage.ErrInvalid)
	assert.Equal(t, storage.Created, rs[4].Outcome)
	assert.NoError(t, rs[4].Err)
	if dry {
		return
	}
	for _, i := range []int{0, 1, 4} {
		assert.NotEqual(t, uuid.Nil, rs[i].Customer.ID)
	}
}

// testUpsert checks the upsert of an import and a DMS sync: creations,
// updates by natural key under the edit policy, what stays unchanged, the
// dry run that writes nothing, and each refusal.
func testUpsert(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	known, err := s.Create(ctx(t), tn, Individual(890001))
	require.NoError(t, err)
	before, err := s.Count(ctx(t), tn)
	require.NoError(t, err)

	// A dry run: every outcome, nothing written.
	rs, err := s.Upsert(ctx(t), tn, upsertBatch(known), &storage.UpsertOptions{DryRun: true})
	require.NoError(t, err)
	checkUpsertBatch(t, rs, known, true)
	after, err := s.Count(ctx(t), tn)
	require.NoError(t, err)
	assert.Equal(t, before, after, "a dry run creates nothing")
	got, err := s.Get(ctx(t), tn, known.ID)
	require.NoError(t, err)
	requireSame(t, known, got)

	rs, err = s.Upsert(ctx(t), tn, upsertBatch(known), nil)
	require.NoError(t, err)
	checkUpsertBatch(t, rs, known, false)
	got, err = s.Get(ctx(t), tn, known.ID)
	require.NoError(t, err)
	requireSame(t, rs[1].Customer, got)
	hist, err := s.History(ctx(t), tn, known.ID, 0, 1)
	require.NoError(t, err)
	assert.Equal(t, storage.OpUpdate, hist[0].Op)
	assertFound(t, s, tn, customer.Query{Phone: Phone(890901).String()}, known.ID)
	assertFound(t, s, tn, customer.Query{TaxID: CPF(890904).String()}, rs[0].Customer.ID)

	// A row of a known customer with a phone it has and a bad new one:
	// the error names the row's own place of the bad one (its column in
	// an import's report), not the place it takes in the united list.
	bad := &customer.Customer{Kind: customer.Individual, Status: customer.StatusCustomer, TaxID: known.TaxID,
		Phones:   []contact.Phone{known.Phones[0], restored[contact.Phone](t, "+5520912345678")},
		Emails:   []contact.Email{restored[contact.Email](t, "ana@example")},
		Contacts: []contact.Contact{{Name: "Ana", Phones: []contact.Phone{restored[contact.Phone](t, "+5520911112222")}}}}
	refused, err := s.Upsert(ctx(t), tn, []*customer.Customer{bad}, nil)
	require.NoError(t, err)
	var v *customer.ValidationError
	require.ErrorAs(t, refused[0].Err, &v)
	assert.ErrorIs(t, refused[0].Err, storage.ErrInvalid)
	var paths []string
	for _, f := range v.Fields {
		paths = append(paths, f.Path)
	}
	assert.ElementsMatch(t, []string{"phones[1]", "emails[0]", "contacts[0].phones[0]"}, paths)

	// The same file again changes nothing.
	again, err := s.Upsert(ctx(t), tn, []*customer.Customer{Individual(890904), upsertBatch(known)[1]}, nil)
	require.NoError(t, err)
	assert.Equal(t, storage.Unchanged, again[0].Outcome)
	assert.Equal(t, storage.Unchanged, again[1].Outcome)
	assert.Equal(t, rs[1].Customer.Version, again[1].Customer.Version)

	// By DMS code: a CPF another customer holds, a locked change, two
	// holders of one code.
	other, err := s.Create(ctx(t), tn, Individual(890002))
	require.NoError(t, err)
	byCode := Individual(890003)
	byCode.DMSCode = other.DMSCode
	byCode.TaxID = known.TaxID
	dupTax := Individual(890004)
	dupTax.TaxID = known.TaxID
	for _, dry := range []bool{true, false} {
		rs, err = s.Upsert(ctx(t), tn, []*customer.Customer{byCode, dupTax},
			&storage.UpsertOptions{Key: storage.KeyDMSCode, Policy: customer.DefaultPolicy, DryRun: dry})
		require.NoError(t, err)
		assert.ErrorIs(t, rs[0].Err, storage.ErrLocked, "a customer's CPF is locked (dry run %v)", dry)
		var dup *storage.DuplicateTaxIDError
		require.ErrorAs(t, rs[1].Err, &dup, "dry run %v", dry)
		assert.Equal(t, known.ID, dup.HolderID)
	}
	twin := Individual(890005)
	twin.DMSCode = other.DMSCode
	_, err = s.Create(ctx(t), tn, twin)
	require.NoError(t, err)
	probe := Individual(890006)
	probe.DMSCode = other.DMSCode
	rs, err = s.Upsert(ctx(t), tn, []*customer.Customer{probe}, &storage.UpsertOptions{Key: storage.KeyDMSCode})
	require.NoError(t, err)
	assert.ErrorIs(t, rs[0].Err, storage.ErrAmbiguous)

	// By ID, as an export wrote them, into another tenant: created with
	// their IDs, then unchanged.
	dest := tn + "-copy"
	exported := []*customer.Customer{got, other}
	rs, err = s.Upsert(ctx(t), dest, exported, &storage.UpsertOptions{Key: storage.KeyID})
	require.NoError(t, err)
	for i, r := range rs {
		require.NoError(t, r.Err)
		assert.Equal(t, storage.Created, r.Outcome)
		assert.Equal(t, exported[i].ID, r.Customer.ID)
	}
	rs, err = s.Upsert(ctx(t), dest, exported, &storage.UpsertOptions{Key: storage.KeyID})
	require.NoError(t, err)
	for _, r := range rs {
		assert.Equal(t, storage.Unchanged, r.Outcome)
	}
	// The source tenant is untouched by the copy's writes.
	mine, err := s.Get(ctx(t), tn, known.ID)
	require.NoError(t, err)
	requireSame(t, got, mine)

	// A batch as large as an importer's: more keys than one statement of
	// some databases may look up.
	var big []*customer.Customer
	for i := range 700 {
		big = append(big, Individual(891000+i))
	}
	big = append(big, Individual(890904))
	rs, err = s.Upsert(ctx(t), tn, big, nil)
	require.NoError(t, err)
	for i, r := range rs[:700] {
		require.NoError(t, r.Err, "input %d", i)
		assert.Equal(t, storage.Created, r.Outcome)
	}
	assert.Equal(t, storage.Unchanged, rs[700].Outcome, "the known one among them")

	// Inputs without the key: a lead imported twice is one customer; a
	// row of an export names its record by ID; by DMS code, a row with a
	// CPF but no code finds the customer with that CPF.
	lead := &customer.Customer{Kind: customer.Individual, Status: customer.StatusProspect, Name: "Lead da Feira",
		Phones: []contact.Phone{Phone(892001)}, Emails: []contact.Email{contact.MustParseEmail("lead892001@example.com.br")}}
	first, err := s.Upsert(ctx(t), tn, []*customer.Customer{lead}, nil)
	require.NoError(t, err)
	require.Equal(t, storage.Created, first[0].Outcome)
	twice, err := s.Upsert(ctx(t), tn, []*customer.Customer{lead.Clone()}, nil)
	require.NoError(t, err)
	require.NoError(t, twice[0].Err)
	assert.Equal(t, storage.Unchanged, twice[0].Outcome, "a lead imported twice is one customer")
	assert.Equal(t, first[0].Customer.ID, twice[0].Customer.ID)
	row := first[0].Customer.Clone()
	row.Notes = "voltou à loja"
	byID, err := s.Upsert(ctx(t), tn, []*customer.Customer{row}, nil)
	require.NoError(t, err)
	require.NoError(t, byID[0].Err)
	assert.Equal(t, storage.Updated, byID[0].Outcome)
	assert.Equal(t, row.ID, byID[0].Customer.ID)
	noCode := &customer.Customer{Kind: customer.Individual, Status: customer.StatusCustomer, TaxID: known.TaxID, Notes: "sem código"}
	byTax, err := s.Upsert(ctx(t), tn, []*customer.Customer{noCode}, &storage.UpsertOptions{Key: storage.KeyDMSCode})
	require.NoError(t, err)
	require.NoError(t, byTax[0].Err)
	assert.Equal(t, known.ID, byTax[0].Customer.ID)

	_, err = s.Upsert(ctx(t), "", nil, nil)
	assert.ErrorIs(t, err, storage.ErrTenant)
	rs, err = s.Upsert(ctx(t), tn, []*customer.Customer{nil}, nil)
	require.NoError(t, err)
	assert.ErrorIs(t, rs[0].Err, storage.ErrInvalid)
}

// testUpsertSameCustomerTwice checks that one call writes a customer once:
// two leads without a CPF that are the same person as a stored customer
// (name and phone), and a row with the customer's CPF, all stand for one
// record. The first is applied; the others are refused with the index of
// the first, in a dry run as in the real one (an import reported every row
// good in its dry run, then stopped on a conflict of its own making).
func testUpsertSameCustomerTwice(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	known, err := s.Create(ctx(t), tn, Individual(890101))
	require.NoError(t, err)
	lead := func(email string) *customer.Customer {
		return &customer.Customer{Kind: customer.Individual, Status: customer.StatusProspect, Name: known.Name,
			Phones: []contact.Phone{known.Phones[0]}, Emails: []contact.Email{contact.MustParseEmail(email)}}
	}
	batch := func() []*customer.Customer {
		byTax := &customer.Customer{Kind: customer.Individual, Status: customer.StatusCustomer, TaxID: known.TaxID,
			Notes: "do DMS"}
		return []*customer.Customer{lead("trabalho@example.com.br"), Individual(890102), lead("casa@example.com.br"), byTax}
	}
	for _, dry := range []bool{true, false} {
		checkSameAsFirst(t, s, tn, batch(), storage.Updated, dry)
	}
	got, err := s.Get(ctx(t), tn, known.ID)
	require.NoError(t, err)
	assert.Equal(t, known.Version+1, got.Version, "the customer was written once")
	assert.Len(t, got.Emails, 2, "the first lead's e-mail was added, the second's not")
	assert.Empty(t, got.Notes)
	n, err := s.Count(ctx(t), tn)
	require.NoError(t, err)
	assert.Equal(t, int64(2), n)

	// A new lead in three rows is one new customer, whose first row
	// creates it; another person beside them is created too.
	newLead := func(email string) *customer.Customer {
		return &customer.Customer{Kind: customer.Individual, Status: customer.StatusProspect, Name: "Valéria Cristina Antunes",
			Phones: []contact.Phone{Phone(890777)}, Emails: []contact.Email{contact.MustParseEmail(email)}}
	}
	for _, dry := range []bool{true, false} {
		checkSameAsFirst(t, s, tn, []*customer.Customer{newLead("v1@example.com.br"), Individual(890103), newLead("v2@example.com.br"), newLead("v3@example.com.br")},
			storage.Created, dry)
	}
	n, err = s.Count(ctx(t), tn)
	require.NoError(t, err)
	assert.Equal(t, int64(4), n, "the lead once, and the other person")

	// A row refused as invalid stands for nobody: the same lead's next,
	// valid row is created (the third review saw it refused as the same
	// customer as a row never stored).
	bad := func() *customer.Customer {
		c := newLead("w1@example.com.br")
		c.Name, c.Phones = "Wagner Luiz Prado", []contact.Phone{Phone(890778)}
		c.Notes = "control \x00 character"
		return c
	}
	good := bad()
	good.Notes = ""
	for _, dry := range []bool{true, false} {
		rs, err := s.Upsert(ctx(t), tn, []*customer.Customer{bad(), good.Clone()}, &storage.UpsertOptions{DryRun: dry})
		require.NoError(t, err)
		assert.ErrorIs(t, rs[0].Err, storage.ErrInvalid, "dry run %v", dry)
		assert.NoError(t, rs[1].Err, "dry run %v", dry)
		assert.Equal(t, storage.Created, rs[1].Outcome, "dry run %v", dry)
	}
}

// checkSameAsFirst upserts four inputs of which the first, third and
// fourth are one customer and the second another, new one: the first gets
// first, the second is created, and the last two are refused as the same
// customer as the first.
func checkSameAsFirst(t *testing.T, s *storage.Store, tn string, batch []*customer.Customer, first storage.Upserted, dry bool) {
	t.Helper()
	rs, err := s.Upsert(ctx(t), tn, batch, &storage.UpsertOptions{DryRun: dry})
	require.NoError(t, err)
	require.Len(t, rs, 4)
	assert.Equal(t, first, rs[0].Outcome, "dry run %v", dry)
	assert.Equal(t, storage.Created, rs[1].Outcome, "dry run %v", dry)
	for _, i := range []int{2, 3} {
		var same *storage.SameCustomerError
		require.ErrorAs(t, rs[i].Err, &same, "dry run %v, input %d", dry, i)
		assert.Equal(t, 0, same.First)
		assert.Equal(t, storage.Failed, rs[i].Outcome)
	}
}
