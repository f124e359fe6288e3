package transfer

import (
	"bytes"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"

	"github.com/fichacrm/ficha/csvio"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/memory"
	"github.com/fichacrm/ficha/storage/storagetest"
)

// sameCustomers requires two stores' tenants to hold the same customers,
// field by field, but for versions and times; and, when blankInfo is
// set, for additional information whose value is blank, which a CSV cell
// cannot tell from none.
func sameCustomers(t *testing.T, a *storage.Store, at string, b *storage.Store, bt string, blankInfo bool) {
	t.Helper()
	read := func(s *storage.Store, tn string) []*customer.Customer {
		var out []*customer.Customer
		for c, err := range s.All(t.Context(), tn) {
			require.NoError(t, err)
			c.Version, c.CreatedAt, c.UpdatedAt = 0, time.Time{}, time.Time{}
			if blankInfo {
				maps.DeleteFunc(c.Info, func(_, v string) bool { return v == "" })
			}
			out = append(out, c)
		}
		return out
	}
	want, got := read(a, at), read(b, bt)
	require.Len(t, got, len(want))
	for i := range want {
		assert.Empty(t, customer.Diff(want[i], got[i]), "customer %d", i)
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	now := time.Now()
	src := memory.Open(nil)
	var cs []*customer.Customer
	cs = append(cs, storagetest.Full(now), storagetest.FullOther(now))
	for i := range 30 {
		cs = append(cs, storagetest.Individual(100+i), storagetest.Company(200+i))
	}
	rs, err := src.CreateMany(t.Context(), tenant, cs)
	require.NoError(t, err)
	for _, r := range rs {
		require.NoError(t, r.Err)
	}
	for _, f := range []Format{FormatCSV, FormatJSONL} {
		var file bytes.Buffer
		var calls int
		n, err := Export(t.Context(), src, tenant, &file, &ExportOptions{Format: f, Progress: func(done, total int64) { calls++ }})
		require.NoError(t, err)
		assert.Equal(t, len(cs), n)
		assert.Positive(t, calls)
		dst := memory.Open(nil)
		var in Source
		if f == FormatCSV {
			assert.True(t, strings.HasPrefix(file.String(), "\ufeff"), "a byte-order mark, for Excel")
			assert.Contains(t, file.String(), "Maria da Conceição", "accents intact")
			assert.Contains(t, file.String(), "248.438.034-80", "formatted identifiers")
			r, err := csvio.NewReader(&file, nil)
			require.NoError(t, err)
			in = CSV(r)
		} else {
			in = JSONL(csvio.NewJSONLReader(&file))
		}
		rep, err := Import(t.Context(), dst, "copy", in, &Options{Key: storage.KeyID})
		require.NoError(t, err)
		require.Empty(t, rep.Problems, "format %d", f)
		assert.Equal(t, len(cs), rep.Created)
		sameCustomers(t, src, tenant, dst, "copy", f == FormatCSV)
	}

	// A filtered list.
	var file bytes.Buffer
	n, err := Export(t.Context(), src, tenant, &file, &ExportOptions{Format: FormatJSONL, Kind: customer.Company})
	require.NoError(t, err)
	assert.Equal(t, 30+1, n, "the companies, FullOther among them")
}

// TestImportSpreadsheet imports what a Brazilian spreadsheet saves: a
// Windows-1252 file with ';', Portuguese headers, every kind of bad row,
// and good rows that go in around them.
func TestImportSpreadsheet(t *testing.T) {
	s := memory.Open(nil)
	held, err := s.Create(t.Context(), tenant, storagetest.Individual(1))
	require.NoError(t, err)
	file := "Nome;CPF/CNPJ;Telefone;Celular;E-mail;CEP;Endereço;Nº;Bairro;Cidade;UF;Placa;Chassi\r\n" +
		"José Conceição;" + storagetest.CPF(2).Format() + ";(11) 3333-4444;(11) 98765-4321;jose@example.com.br;01310-100;Av. Paulista;1000;Bela Vista;São Paulo;SP;ABC1234;\r\n" +
		"Maria Souza;123.456.789-00;;(11) 91234-5678;;;;;;;;;\r\n" + // a bad CPF
		"Ana;" + storagetest.CPF(3).Format() + "\r\n" + // a short row
		"Pedro Lima;" + held.TaxID.Format() + ";;(21) 99999-8888;;;;;;;;;\r\n" + // a CPF held: an update
		"Pedro Lima;" + held.TaxID.Format() + ";;(21) 99999-7777;;;;;;;;;\r\n" + // the same CPF again in the file
		"João Prospect;;;(31) 98888-7777;;;;;;;;;\r\n" // a prospect without CPF
	enc, err := charmap.Windows1252.NewEncoder().String(file)
	require.NoError(t, err)
	r, err := csvio.NewReader(strings.NewReader(enc), nil)
	require.NoError(t, err)
	rep, err := Import(t.Context(), s, tenant, CSV(r), nil)
	require.NoError(t, err)
	assert.Equal(t, Totals{Rows: 6, Created: 2, Updated: 1, Failed: 3}, rep.Totals)
	require.Len(t, rep.Problems, 3)
	assert.Equal(t, 3, rep.Problems[0].Row)
	assert.Equal(t, "CPF/CNPJ", rep.Problems[0].Column)
	assert.Equal(t, "csv.short_row", rep.Problems[1].Code)
	assert.Equal(t, "import.repeated", rep.Problems[2].Code)
	page, err := s.Search(t.Context(), tenant, customer.Query{Name: "jose conceicao"}, nil)
	require.NoError(t, err)
	require.Len(t, page.Hits, 1, "accents read from Windows-1252")
	got, err := s.Get(t.Context(), tenant, page.Hits[0].ID)
	require.NoError(t, err)
	assert.Len(t, got.Phones, 2)
	require.Len(t, got.Assets, 1)
	assert.Equal(t, "ABC1234", got.Assets[0].Plate.String())
}

// TestImportNamesTheRowsColumn checks that a problem the store finds names
// the column the row's value came from: a row that fills only the second
// address is told about "CEP 2", not "CEP".
func TestImportNamesTheRowsColumn(t *testing.T) {
	s := memory.Open(nil)
	file := "Nome;CPF;CEP;Logradouro;Cidade;UF;CEP 2;Logradouro 2;Cidade 2;UF 2;Celular\r\n" +
		"Bia Col;" + storagetest.CPF(41).Format() + ";;;;;01310-100;;;SP;(11) 91234-5678\r\n"
	r, err := csvio.NewReader(strings.NewReader(file), nil)
	require.NoError(t, err)
	rep, err := Import(t.Context(), s, tenant, CSV(r), nil)
	require.NoError(t, err)
	require.NotEmpty(t, rep.Problems)
	for _, p := range rep.Problems {
		assert.Contains(t, []string{"Logradouro 2", "Cidade 2"}, p.Column, "%+v", p)
	}
}
