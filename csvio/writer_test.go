package csvio_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/csvio"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage/storagetest"
)

// cellsOf reads a written file with encoding/csv, as another program
// would, and returns each row's cells by header.
func cellsOf(t *testing.T, file []byte) []map[string]string {
	t.Helper()
	require.True(t, bytes.HasPrefix(file, []byte("\uFEFF")), "a byte-order mark first")
	r := csv.NewReader(bytes.NewReader(file[3:]))
	r.Comma = ';'
	records, err := r.ReadAll()
	require.NoError(t, err)
	var out []map[string]string
	for _, rec := range records[1:] {
		m := map[string]string{}
		for i, h := range records[0] {
			m[h] = rec[i]
		}
		out = append(out, m)
	}
	return out
}

func TestWriterFormats(t *testing.T) {
	t.Parallel()
	full := storagetest.Full(now)
	full.ID = customer.NewID()
	company := storagetest.FullOther(now)
	file := writeCSV(t, full, company)
	assert.Equal(t, 3, bytes.Count(file, []byte("\r\n"))-bytes.Count(file, []byte("\"\r\n")), "CRLF after each row")
	header, _, _ := bytes.Cut(file[3:], []byte("\r\n"))
	assert.True(t, bytes.HasPrefix(header, []byte("Nome;Tipo;Situação;CPF/CNPJ;")), string(header))
	assert.True(t, bytes.HasSuffix(header, []byte(";info.annual_revenue;info.fleet_size;info.monthly_income;info.profession;info.spouse_name;ID")), string(header))

	rows := cellsOf(t, file)
	require.Len(t, rows, 2)
	p, c := rows[0], rows[1]
	for header, want := range map[string]string{
		"Tipo": "Pessoa física", "Situação": "Cliente", "CPF/CNPJ": "248.438.034-80", "Data de nascimento": "28/02/1975",
		"Telefone 1": "(11) 98765-4321", "Telefone 2": "(61) 3333-4444 ramal 123", "Telefone 3": "0800 123 4567",
		"Telefone 4": "'+12125550100 ramal 123456", "E-mail 2": "m.conceicao@example.org",
		"Ordens de serviço": "OS-1, OS-2, OS-3", "CEP 1": "01310-100", "UF 2": "DF", "Finalidade 2": "Correspondência, Cobrança",
		"Finalidade 3": "", "Tipo do bem 1": "Veículo", "Tipo do bem 2": "Imóvel", "Valor quitado 1": "151234,56",
		"Valor quitado 3": "0,10", "Saldo devedor 1": "48000,01", "Saldo devedor 2": "", "Data de quitação 1": "30/06/2027",
		"Placa 1": "ABC1234", "RENAVAM 1": "00639884962",
		"Telefones do contato 1": "(11) 91234-5678 / (11) 3030-4040 ramal 2045", "Aniversário do contato 1": "29/02",
		"Aniversário do contato 2": "01/01/1990", "Gestor de frota 1": "Sim", "Gestor de frota 2": "",
		"Melhor dia para contato 1": "Sexta-feira", "Melhor horário para contato 1": "0", "Melhor horário para contato 2": "",
		"Bandeira do cartão 1": "mastercard", "Cartão 1": "555555******4444", "Validade do cartão 1": "12/2029",
		"Cartão 2": "636297******7013", "info.monthly_income": "12500.00", "info.annual_revenue": "",
		"ID": full.ID.String(),
	} {
		assert.Equal(t, want, p[header], header)
	}
	for header, want := range map[string]string{
		"Tipo": "Pessoa jurídica", "Situação": "Prospect", "CPF/CNPJ": company.TaxID.Format(), "Telefone 2": "",
		"CEP 2": "", "info.fleet_size": "40", "ID": "",
	} {
		assert.Equal(t, want, c[header], header)
	}
	assert.Contains(t, c["CPF/CNPJ"], "/")
}

// TestFormulaGuard: no cell of a written file begins as a formula; the
// apostrophe that prevents it is gone when the file is read back.
func TestFormulaGuard(t *testing.T) {
	t.Parallel()
	var cs []*customer.Customer
	for _, s := range []string{"=1+1", "+55 11", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "'=1", "'x", "''"} {
		c := storagetest.Individual(1)
		c.Notes = s
		c.Employer = "=" + strings.TrimLeft(s, "\t\r")
		cs = append(cs, c)
	}
	file := writeCSV(t, cs...)
	for _, row := range cellsOf(t, file) {
		for h, cell := range row {
			if cell != "" {
				assert.NotContains(t, "=+-@\t\r", cell[:1], "%s: %q", h, cell)
			}
		}
	}
	for i, row := range readAll(t, file, nil) {
		require.Empty(t, row.Problems)
		assert.Equal(t, cs[i].Notes, row.Customer.Notes)
		assert.Equal(t, cs[i].Employer, row.Customer.Employer)
	}
	// A cell a person typed with an apostrophe before a letter keeps it.
	row := readOne(t, "Nome;Observações\n'Ana;'ok\n", nil)
	assert.Equal(t, "'Ana", row.Customer.Name)
	assert.Equal(t, "'ok", row.Customer.Notes)
}

func TestWriterShape(t *testing.T) {
	t.Parallel()
	full := storagetest.Full(now)
	var small csvio.Shape
	small.Add(storagetest.Individual(1))
	var buf bytes.Buffer
	w, err := csvio.NewWriter(&buf, small)
	require.NoError(t, err)
	require.NoError(t, w.Write(storagetest.Individual(2)))
	err = w.Write(full)
	assert.ErrorIs(t, err, csvio.ErrShape, "more phones than the shape holds")

	wide := small
	wide.Phones, wide.Emails, wide.Addresses, wide.Assets, wide.Contacts = 9, 9, 9, 9, 9
	wide.PersonalReferences, wide.BankReferences, wide.Cards = 9, 9, 9
	w, err = csvio.NewWriter(&buf, wide)
	require.NoError(t, err)
	assert.ErrorIs(t, w.Write(full), csvio.ErrShape, "info keys the shape does not hold")
	for k := range full.Info {
		assert.NotContains(t, w.Write(full).Error(), k)
	}

	// A template: the columns of a shape, no rows.
	buf.Reset()
	w, err = csvio.NewWriter(&buf, csvio.Shape{Phones: 2, Emails: 1, Addresses: 1, Info: []string{"rg"}})
	require.NoError(t, err)
	require.NoError(t, w.Flush())
	r, err := csvio.NewReader(&buf, nil)
	require.NoError(t, err)
	var keys []string
	for _, m := range r.Mapping() {
		keys = append(keys, m.Key)
	}
	assert.Contains(t, keys, "address1.purposes")
	assert.Contains(t, keys, "info.rg")
	assert.Equal(t, 2, strings.Count(strings.Join(keys, " "), "phone "))
}

type failWriter struct{ n int }

func (f *failWriter) Write(p []byte) (int, error) {
	if f.n -= len(p); f.n < 0 {
		return 0, errors.New("disco cheio")
	}
	return len(p), nil
}

func TestWriterErrors(t *testing.T) {
	t.Parallel()
	var shape csvio.Shape
	c := storagetest.Individual(1)
	shape.Add(c)
	w, err := csvio.NewWriter(&failWriter{n: 10 << 10}, shape)
	require.NoError(t, err)
	for err == nil {
		err = w.Write(c)
	}
	assert.EqualError(t, err, "disco cheio")
	assert.EqualError(t, w.Flush(), "disco cheio")

	jw := csvio.NewJSONLWriter(&failWriter{n: 10 << 10})
	for err = nil; err == nil; {
		err = jw.Write(c)
	}
	assert.EqualError(t, jw.Flush(), "disco cheio")
}
