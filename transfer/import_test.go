package transfer

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/memory"
	"github.com/fichacrm/ficha/storage/storagetest"
	"github.com/fichacrm/ficha/validation"
)

// records is a Source over a slice, naming the column of each path as
// "col:<path>".
type records struct {
	recs []Record
	err  error
}

func (r *records) Next() (Record, error) {
	if len(r.recs) == 0 {
		if r.err != nil {
			return Record{}, r.err
		}
		return Record{}, io.EOF
	}
	rec := r.recs[0]
	r.recs = r.recs[1:]
	return rec, nil
}

func (r *records) Column(path string) string { return "col:" + path }

const tenant = "loja"

// fileOf returns a file of rows: customers numbered from row 2.
func fileOf(cs ...*customer.Customer) *records {
	f := &records{}
	for i, c := range cs {
		f.recs = append(f.recs, Record{Row: i + 2, Customer: c})
	}
	return f
}

func TestImport(t *testing.T) {
	s := memory.Open(nil)
	known, err := s.Create(t.Context(), tenant, storagetest.Individual(1))
	require.NoError(t, err)
	update := &customer.Customer{Kind: customer.Individual, Status: customer.StatusCustomer, TaxID: known.TaxID,
		Phones: []contact.Phone{storagetest.Phone(90)}}
	invalid := storagetest.Individual(3)
	invalid.Name = ""
	file := func() *records {
		f := fileOf(storagetest.Individual(2), update, invalid, nil, storagetest.Individual(4), storagetest.Individual(2))
		f.recs[3] = Record{Row: 5, Problems: []Problem{ProblemOf(5, "CPF", "tax_id", customer.ErrTaxIDRequired)}}
		return f
	}
	check := func(r *Report, dry bool) {
		t.Helper()
		assert.Equal(t, dry, r.DryRun)
		assert.Equal(t, Totals{Rows: 6, Created: 2, Updated: 1, Unchanged: 0, Failed: 3}, r.Totals)
		require.Len(t, r.Problems, 3)
		assert.Equal(t, Problem{Row: 4, Column: "col:name", Path: "name", Code: validation.ErrRequired.Code(),
			EN: validation.ErrRequired.Message(validation.English), PT: validation.ErrRequired.Message(validation.Portuguese)}, r.Problems[0])
		assert.Equal(t, 5, r.Problems[1].Row)
		assert.Equal(t, 7, r.Problems[2].Row)
		assert.Equal(t, "col:tax_id", r.Problems[2].Column)
		assert.Equal(t, "import.repeated", r.Problems[2].Code)
		assert.Contains(t, r.Problems[2].PT, "(linha 2)")
	}

	count, err := s.Count(t.Context(), tenant)
	require.NoError(t, err)
	var progress []Totals
	var seen []Problem
	r, err := Import(t.Context(), s, tenant, file(), &Options{DryRun: true, Batch: 2,
		Progress: func(tt Totals) { progress = append(progress, tt) }, Problem: func(p Problem) { seen = append(seen, p) }})
	require.NoError(t, err)
	check(r, true)
	assert.Equal(t, r.Problems, seen)
	require.NotEmpty(t, progress)
	assert.Equal(t, r.Totals, progress[len(progress)-1])
	after, err := s.Count(t.Context(), tenant)
	require.NoError(t, err)
	assert.Equal(t, count, after, "a dry run writes nothing")

	r, err = Import(t.Context(), s, tenant, file(), &Options{Batch: 2})
	require.NoError(t, err)
	check(r, false)
	after, err = s.Count(t.Context(), tenant)
	require.NoError(t, err)
	assert.Equal(t, count+2, after)
	got, err := s.Get(t.Context(), tenant, known.ID)
	require.NoError(t, err)
	assert.Contains(t, got.Phones, storagetest.Phone(90))

	// The same file again: nothing new.
	r, err = Import(t.Context(), s, tenant, file(), nil)
	require.NoError(t, err)
	assert.Equal(t, Totals{Rows: 6, Unchanged: 3, Failed: 3}, r.Totals)

	// By DMS code, a CPF another customer holds.
	held := storagetest.Individual(5)
	held.TaxID = known.TaxID
	r, err = Import(t.Context(), s, tenant, fileOf(held), &Options{Key: storage.KeyDMSCode})
	require.NoError(t, err)
	require.Len(t, r.Problems, 1)
	assert.Equal(t, Problem{Row: 2, Column: "col:tax_id", Path: "tax_id", Code: "import.tax_id_held", EN: ErrTaxIDHeld.Message(validation.English),
		PT: ErrTaxIDHeld.Message(validation.Portuguese)}, r.Problems[0])

	// An ID another customer has, and a row with nothing: problems of
	// their rows; the others go in.
	taken := storagetest.Individual(8)
	taken.ID = known.ID
	empty := fileOf(storagetest.Individual(9), taken, storagetest.Individual(10))
	empty.recs = append(empty.recs, Record{Row: 5})
	for _, dry := range []bool{true, false} {
		r, err = Import(t.Context(), s, tenant, empty, &Options{DryRun: dry})
		require.NoError(t, err)
		assert.Equal(t, Totals{Rows: 4, Created: 2, Failed: 2}, r.Totals, "dry run %v", dry)
		require.Len(t, r.Problems, 2)
		assert.Equal(t, "import.id_taken", r.Problems[0].Code)
		assert.Equal(t, "import.empty", r.Problems[1].Code)
		empty = fileOf(storagetest.Individual(9), taken, storagetest.Individual(10))
		empty.recs = append(empty.recs, Record{Row: 5})
	}

	// A source that fails ends the import, with what was done.
	broken := fileOf(storagetest.Individual(6))
	broken.err = errors.New("disk gone")
	r, err = Import(t.Context(), s, tenant, broken, nil)
	assert.EqualError(t, err, "disk gone")
	assert.Equal(t, 1, r.Rows)
	assert.Equal(t, 1, r.Created, "the row read before the error went in")
	_, err = s.Get(t.Context(), tenant, mustFind(t, s, storagetest.CPF(6).String()))
	assert.NoError(t, err)
}

// TestReportHoldsNoValues checks that no problem of an import carries
// what the rows held.
func TestReportHoldsNoValues(t *testing.T) {
	s := memory.Open(nil)
	bad := storagetest.Individual(7)
	bad.Name = strings.Repeat("Zuleica ", 100)
	bad.Emails = append(bad.Emails, bad.Emails[0])
	r, err := Import(t.Context(), s, tenant, fileOf(bad), nil)
	require.NoError(t, err)
	require.NotEmpty(t, r.Problems)
	var b bytes.Buffer
	w, err := NewReportWriter(&b, validation.Portuguese)
	require.NoError(t, err)
	for _, p := range r.Problems {
		require.NoError(t, w.Write(p))
	}
	require.NoError(t, w.Flush())
	out := b.String()
	assert.True(t, strings.HasPrefix(out, "\ufeffLinha;Coluna;Campo;Código;Mensagem\r\n"))
	for _, v := range []string{"Zuleica", bad.TaxID.String(), bad.Emails[0].String(), bad.Phones[0].String()} {
		assert.NotContains(t, out, v)
	}
}

func TestReportDefusesFormulas(t *testing.T) {
	var b bytes.Buffer
	w, err := NewReportWriter(&b, validation.English)
	require.NoError(t, err)
	require.NoError(t, w.Write(Problem{Row: 2, Column: "=HYPERLINK(\"x\")", Code: "c"}))
	require.NoError(t, w.Flush())
	assert.Contains(t, b.String(), `"'=HYPERLINK(""x"")"`)
}

func mustFind(t *testing.T, s *storage.Store, cpf string) uuid.UUID {
	t.Helper()
	page, err := s.Search(t.Context(), tenant, customer.Query{TaxID: cpf}, nil)
	require.NoError(t, err)
	require.Len(t, page.Hits, 1)
	return page.Hits[0].ID
}

// TestImportLeadsOfOneCustomer imports a file of leads without a CPF in
// which two rows are the same stored customer: the first updates it, the
// second is a problem of its row naming the first, and the rows after go
// in. The import used to stop there with a conflict of its own making,
// after a dry run that called every row good.
func TestImportLeadsOfOneCustomer(t *testing.T) {
	s := memory.Open(nil)
	known, err := s.Create(t.Context(), tenant, storagetest.Individual(1))
	require.NoError(t, err)
	lead := func(email string) *customer.Customer {
		return &customer.Customer{Kind: customer.Individual, Status: customer.StatusProspect, Name: known.Name,
			Phones: []contact.Phone{known.Phones[0]}, Emails: []contact.Email{contact.MustParseEmail(email)}}
	}
	for _, dry := range []bool{true, false} {
		rep, err := Import(t.Context(), s, tenant, fileOf(lead("a@example.com.br"), lead("b@example.com.br"), storagetest.Individual(2)),
			&Options{DryRun: dry})
		require.NoError(t, err, "dry run %v", dry)
		assert.Equal(t, Totals{Rows: 3, Created: 1, Updated: 1, Failed: 1}, rep.Totals, "dry run %v", dry)
		require.Len(t, rep.Problems, 1)
		p := rep.Problems[0]
		assert.Equal(t, 3, p.Row)
		assert.Equal(t, "import.same_customer", p.Code)
		assert.Contains(t, p.EN, "(row 2)")
		assert.Contains(t, p.PT, "(linha 2)")
	}
	n, err := s.Count(t.Context(), tenant)
	require.NoError(t, err)
	assert.Equal(t, int64(2), n)

	// A new lead in three rows: one customer, created once; the file
	// imported again changes nothing (the second review got three
	// customers, then import.ambiguous on every row).
	fresh := func(email string) *customer.Customer {
		return &customer.Customer{Kind: customer.Individual, Status: customer.StatusProspect, Name: "Valéria Cristina Antunes",
			Phones: []contact.Phone{storagetest.Phone(777)}, Emails: []contact.Email{contact.MustParseEmail(email)}}
	}
	for round, want := range []Totals{{Rows: 3, Created: 1, Failed: 2}, {Rows: 3, Unchanged: 1, Failed: 2}} {
		rep, err := Import(t.Context(), s, tenant, fileOf(fresh("v@example.com.br"), fresh("v@example.com.br"), fresh("v@example.com.br")), nil)
		require.NoError(t, err)
		assert.Equal(t, want, rep.Totals, "round %d", round)
		for _, p := range rep.Problems {
			assert.Equal(t, "import.same_customer", p.Code)
		}
	}
	n, err = s.Count(t.Context(), tenant)
	require.NoError(t, err)
	assert.Equal(t, int64(3), n)
}
