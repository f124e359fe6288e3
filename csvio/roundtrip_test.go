package csvio_test

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/csvio"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/internal/fields"
	"github.com/fichacrm/ficha/storage/storagetest"
)

var now = time.Date(2026, time.March, 10, 15, 0, 0, 0, time.UTC)

// notInCSV are the fields the store sets that a CSV file does not carry.
var notInCSV = map[string]bool{"version": true, "created_at": true, "updated_at": true}

// differences lists the leaves of the aggregate, found by reflection so
// that a field added later is compared too, where got differs from want.
func differences(want, got *customer.Customer, skip map[string]bool) []string {
	var out []string
	for _, l := range fields.Leaves(reflect.TypeFor[customer.Customer]()) {
		if skip[l.Path()] {
			continue
		}
		w, g := l.Values(want), l.Values(got)
		if len(w) != len(g) {
			out = append(out, l.Path()+": elements")
			continue
		}
		for i := range w {
			if !fields.Equal(w[i], g[i]) {
				out = append(out, l.Path())
			}
		}
	}
	return out
}

// requireSame asserts that got holds in every field what want holds.
func requireSame(t testing.TB, want, got *customer.Customer, skip map[string]bool) {
	t.Helper()
	require.NotNil(t, got)
	require.Empty(t, differences(want, got, skip), "fields that do not round-trip")
}

// hostile are texts every free-text field of a valid customer may hold,
// which a CSV file and a spreadsheet must carry exactly.
var hostile = []string{
	"=1+1", "+55 11 99999-0000", "-2+3", "@SUM(A1:A2)", "'aspas'", "''", "'=x", "'",
	"=HYPERLINK(\"http://x\";\"y\")", "a;b,c\td", `"aspas" no começo`, `fim com "aspas"`,
	"  espaços nas pontas  ", " ", "Robert'); DROP TABLE customers;--",
	"São João D'Ávila 🚗 ＡＢＣ \u200f família 👨\u200d👩\u200d👧", "a\u0301 composto",
	"linha 1\nlinha 2", "linha 1\r\nlinha 2", "só CR\rno meio", "\ttab no começo", "\r\ncomeça com CRLF",
	"fim com quebra\n", "sep=;", "info.x", "ID",
}

// corpus returns valid customers of every kind, each with an ID: the
// fixtures, and Full with each hostile text in each free-text field.
func corpus(t testing.TB) []*customer.Customer {
	t.Helper()
	var out []*customer.Customer
	add := func(c *customer.Customer) {
		require.NoError(t, c.ValidateAt(now))
		c.ID = customer.NewID()
		out = append(out, c)
	}
	add(storagetest.Full(now))
	add(storagetest.FullOther(now))
	for n := range 60 {
		add(storagetest.Individual(n))
		add(storagetest.Company(n))
	}
	prospect := &customer.Customer{Kind: customer.Individual, Status: customer.StatusProspect, Name: "Só Telefone",
		Phones: []contact.Phone{storagetest.Phone(3)}}
	add(prospect)
	// Bank numbers are valid as typed, with spaces and dots: they are
	// kept as written.
	spaced := storagetest.Full(now)
	spaced.BankReferences[0].Branch, spaced.BankReferences[0].Account = " 1852", "1008.9939 "
	add(spaced)
	tried := 0
	for _, f := range storagetest.TextFields() {
		for _, s := range hostile {
			c := storagetest.Full(now)
			f.Set(c, s)
			if c.ValidateAt(now) != nil {
				continue // not text this field may hold
			}
			tried++
			add(c)
		}
	}
	require.Greater(t, tried, 300, "hostile texts tried in valid customers")
	return out
}

// expected is what a customer reads back as from CSV: an additional
// information entry with an empty value is an empty cell, which says
// nothing.
func expected(c *customer.Customer) *customer.Customer {
	c = c.Clone()
	for k, v := range c.Info {
		if v == "" {
			delete(c.Info, k)
		}
	}
	if len(c.Info) == 0 {
		c.Info = nil
	}
	return c
}

// writeCSV writes cs to a file of a shape that holds them all.
func writeCSV(t testing.TB, cs ...*customer.Customer) []byte {
	t.Helper()
	var shape csvio.Shape
	for _, c := range cs {
		shape.Add(c)
	}
	var buf bytes.Buffer
	w, err := csvio.NewWriter(&buf, shape)
	require.NoError(t, err)
	for _, c := range cs {
		require.NoError(t, w.Write(c))
	}
	require.NoError(t, w.Flush())
	return buf.Bytes()
}

// readAll reads every row of a CSV file.
func readAll(t testing.TB, file []byte, opts *csvio.Options) []*csvio.Row {
	t.Helper()
	r, err := csvio.NewReader(bytes.NewReader(file), opts)
	require.NoError(t, err)
	var rows []*csvio.Row
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			return rows
		}
		require.NoError(t, err)
		rows = append(rows, row)
	}
}

func TestCSVRoundTrip(t *testing.T) {
	t.Parallel()
	cs := corpus(t)
	file := writeCSV(t, cs...)
	rows := readAll(t, file, nil)
	require.Len(t, rows, len(cs))
	for i, row := range rows {
		assert.Equal(t, i+2, row.Number)
		require.Empty(t, row.Problems, "row %d", row.Number)
		requireSame(t, expected(cs[i]), row.Customer, notInCSV)
		row.Validate(now)
		require.Empty(t, row.Problems, "what was valid is valid when read back")
	}
}

// TestCSVRoundTripThroughWindows1252 reads back a file saved again in
// Windows-1252 without its byte-order mark, as Excel saves "CSV": the
// customers whose text the encoding holds read back the same.
func TestCSVRoundTripThroughWindows1252(t *testing.T) {
	t.Parallel()
	cs := []*customer.Customer{storagetest.Full(now), storagetest.FullOther(now), storagetest.Individual(1), storagetest.Company(2)}
	cs[0].Name = "JOSÉ CONCEIÇÃO D'ÁVILA"
	cs[0].Notes = "Observação: ação, pão, avô — “aspas” € 5"
	for _, c := range cs {
		c.ID = customer.NewID()
	}
	file := encode1252(t, strings.TrimPrefix(string(writeCSV(t, cs...)), "\uFEFF"))
	for _, enc := range []csvio.Encoding{csvio.EncodingAuto, csvio.EncodingWindows1252} {
		rows := readAll(t, file, &csvio.Options{Encoding: enc})
		require.Len(t, rows, len(cs))
		for i, row := range rows {
			require.Empty(t, row.Problems)
			requireSame(t, expected(cs[i]), row.Customer, notInCSV)
		}
	}
}

// TestCSVWithoutID: a customer written without an ID reads back with
// none, and the same otherwise.
func TestCSVWithoutID(t *testing.T) {
	t.Parallel()
	c := storagetest.Full(now)
	rows := readAll(t, writeCSV(t, c), nil)
	require.Len(t, rows, 1)
	assert.Equal(t, uuid.Nil, rows[0].Customer.ID)
	requireSame(t, expected(c), rows[0].Customer, notInCSV)
}

func TestJSONLRoundTrip(t *testing.T) {
	t.Parallel()
	cs := corpus(t)
	for i, c := range cs {
		c.Version = int64(i + 1)
		c.CreatedAt = now.Add(-time.Duration(i) * time.Hour)
		c.UpdatedAt = now
	}
	var buf bytes.Buffer
	w := csvio.NewJSONLWriter(&buf)
	for _, c := range cs {
		require.NoError(t, w.Write(c))
	}
	require.NoError(t, w.Flush())
	assert.Equal(t, len(cs), bytes.Count(buf.Bytes(), []byte("\n")), "one line a customer")

	r := csvio.NewJSONLReader(&buf)
	for i, c := range cs {
		row, err := r.Read()
		require.NoError(t, err)
		assert.Equal(t, i+1, row.Number)
		require.Empty(t, row.Problems)
		requireSame(t, c, row.Customer, nil)
	}
	_, err := r.Read()
	assert.ErrorIs(t, err, io.EOF)
}
