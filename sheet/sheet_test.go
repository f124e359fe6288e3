package sheet_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // America/Sao_Paulo and America/Manaus on any machine
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/agenda"
	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/customer/info"
	"github.com/fichacrm/ficha/sheet"
	"github.com/fichacrm/ficha/storage/storagetest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var now = time.Date(2026, 11, 27, 14, 30, 0, 0, time.UTC)

// sample is a customer with every section filled, fixed so that the
// golden files are stable.
func sample() *customer.Customer {
	c := storagetest.Full(now)
	c.ID = uuid.MustParse("01935f2a-7b00-7c3e-9a4b-123456789abc")
	c.Version = 3
	c.CreatedAt = now.Add(-48 * time.Hour)
	c.UpdatedAt = now
	c.Info = map[string]string{
		"spouse_name": "Carlos Müller", "spouse_cpf": "39053344705", "monthly_income": "12500.00",
		"marital_status": "married", "residence_since": "2015-03-01", "rg": "12.345.678-9",
		"fleet_size": "12", // a company's field: not printed for an individual
	}
	return c
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./sheet -update to create the golden files")
	assert.Equal(t, string(want), string(got))
}

func TestTextGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts *sheet.Options
	}{{"full.pt.txt", nil}, {"full.en.txt", &sheet.Options{English: true}}} {
		var b bytes.Buffer
		require.NoError(t, sheet.Text(&b, sample(), nil, tc.opts))
		golden(t, tc.name, b.Bytes())
		for i, line := range strings.Split(b.String(), "\n") {
			assert.LessOrEqual(t, utf8.RuneCountInString(line), sheet.Width, "line %d is wider than the page: %q", i+1, line)
		}
	}
}

func TestHTMLGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts *sheet.Options
	}{{"full.pt.html", &sheet.Options{Printed: now}}, {"full.en.html", &sheet.Options{English: true}}} {
		var b bytes.Buffer
		require.NoError(t, sheet.HTML(&b, sample(), nil, tc.opts))
		golden(t, tc.name, b.Bytes())
		out := b.String()
		assert.NotContains(t, out, "http://", "no external asset")
		assert.NotContains(t, out, "https://")
		assert.NotContains(t, out, "<script")
		assert.Contains(t, out, "@page { size: A4")
	}
}

func TestSheetFormatsAsBraziliansRead(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	require.NoError(t, sheet.Text(&b, sample(), nil, nil))
	out := b.String()
	for _, want := range []string{
		"FICHA DO CLIENTE", "248.438.034-80", "01310-100", "(11) 98765-4321", "R$ 151.234,56", "R$ 48.000,01",
		"28/02/1975", "30/06/2027", "•••• 4444", "Sexta-feira, às 00h",
		"001 - Banco do Brasil S.A.", "1852-X", "Correspondência, Cobrança", "Casado(a)", "390.533.447-05", "R$ 12.500,00",
		"01/03/2015", "Nome do cônjuge", "PERFIL DO CLIENTE", "ENDEREÇOS ADICIONAIS", "BENS", "REFERÊNCIAS PESSOAIS",
		"REFERÊNCIAS BANCÁRIAS", "CARTÕES DE CRÉDITO", "CONTATOS", "INFORMAÇÕES ADICIONAIS",
	} {
		assert.Contains(t, out, want)
	}
	assert.Regexp(t, `Responsável pela frota: +Sim`, out)
	assert.NotContains(t, out, "5555555555554444", "never the card number")
	assert.NotContains(t, out, "555555", "not even its first six")
	assert.NotContains(t, out, "Tamanho da frota", "a company's field is not printed for an individual")
}

func TestSheetOnlyPrintsWhatTheSchemaMarks(t *testing.T) {
	t.Parallel()
	schema, err := info.Default().Extend(info.Field{
		Key: "rg", Label: info.Label{EN: "RG", PT: "RG"}, Section: info.SectionPersonal,
		Type: info.Text, Kinds: info.ForIndividuals, OnSheet: false,
	})
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, sheet.Text(&b, sample(), schema, nil))
	assert.NotContains(t, b.String(), "12.345.678-9")

	co := storagetest.Company(7)
	co.Info = map[string]string{"fleet_size": "40", "spouse_name": "não se aplica"}
	b.Reset()
	require.NoError(t, sheet.Text(&b, co, nil, nil))
	assert.Contains(t, b.String(), "Tamanho da frota:")
	assert.Contains(t, b.String(), "Razão social:")
	assert.NotContains(t, b.String(), "não se aplica")
}

func TestHTMLEscapesEverything(t *testing.T) {
	t.Parallel()
	c := sample()
	c.Name = `<script>alert("x")</script>`
	c.Notes = `<img src=x onerror=alert(1)> & "aspas"`
	var b bytes.Buffer
	require.NoError(t, sheet.HTML(&b, c, nil, nil))
	out := b.String()
	assert.NotContains(t, out, "<script>")
	assert.NotContains(t, out, "<img")
	assert.Contains(t, out, "&lt;script&gt;")
	assert.Contains(t, out, "&amp;")
}

func TestTextWrapsLongValues(t *testing.T) {
	t.Parallel()
	var base bytes.Buffer
	require.NoError(t, sheet.Text(&base, sample(), nil, nil))
	c := sample()
	c.Notes = strings.Repeat("palavra ", 30) + strings.Repeat("x", 120)
	var b bytes.Buffer
	require.NoError(t, sheet.Text(&b, c, nil, nil))
	for _, line := range strings.Split(b.String(), "\n") {
		assert.LessOrEqual(t, utf8.RuneCountInString(line), sheet.Width)
	}
	assert.Equal(t, 30, strings.Count(b.String(), "palavra"), "no word is lost in wrapping")
	assert.Equal(t, 120, strings.Count(b.String(), "x")-strings.Count(base.String(), "x"), "a word longer than a line is split, not cut")
}

// footer returns the footer of the sheet of c in both renderings, with
// the text's line breaks undone.
func footer(t *testing.T, c *customer.Customer, opts *sheet.Options) (text, html string) {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, sheet.Text(&b, c, nil, opts))
	_, text, ok := strings.Cut(b.String(), strings.Repeat("-", sheet.Width)+"\nRe")
	require.True(t, ok, "the text sheet has a footer")
	b.Reset()
	require.NoError(t, sheet.HTML(&b, c, nil, opts))
	_, html, ok = strings.Cut(b.String(), "<footer>")
	require.True(t, ok, "the HTML sheet has a footer")
	html, _, _ = strings.Cut(html, "</footer>")
	return "Re" + strings.Join(strings.Fields(text), " "), html
}

func TestSheetPrintsTimesInTheDealershipsZone(t *testing.T) {
	t.Parallel()
	manaus, err := time.LoadLocation("America/Manaus")
	require.NoError(t, err)
	late := time.Date(2026, 11, 28, 2, 0, 0, 0, time.UTC) // stored in UTC, as every store does
	for _, tc := range []struct {
		name    string
		updated time.Time
		opts    *sheet.Options
		want    string
	}{
		{"São Paulo by default: 02:00 UTC is the evening before", late, nil,
			"atualizado em 27/11/2026 23:00 (America/Sao_Paulo)"},
		{"in English", late, &sheet.Options{English: true},
			"updated 27/11/2026 23:00 (America/Sao_Paulo)"},
		{"the zone the host sets", late, &sheet.Options{Location: manaus},
			"atualizado em 27/11/2026 22:00 (America/Manaus)"},
		{"UTC if asked for", late, &sheet.Options{Location: time.UTC},
			"atualizado em 28/11/2026 02:00 (UTC)"},
		{"summer time before 2019, by the zone's own rules", time.Date(2018, 1, 15, 2, 0, 0, 0, time.UTC), nil,
			"atualizado em 15/01/2018 00:00 (America/Sao_Paulo)"},
		{"the time printed too, whatever its location", late,
			&sheet.Options{Printed: time.Date(2026, 11, 28, 9, 15, 0, 0, time.FixedZone("CET", 3600))},
			"atualizado em 27/11/2026 23:00 (America/Sao_Paulo) · impresso em 28/11/2026 05:15 (America/Sao_Paulo)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := sample()
			c.UpdatedAt = tc.updated
			text, html := footer(t, c, tc.opts)
			assert.True(t, strings.HasSuffix(text, tc.want), "text footer %q", text)
			assert.True(t, strings.HasSuffix(html, tc.want), "HTML footer %q", html)
			assert.NotContains(t, text, " UTC", "no stored time printed as it is stored")
		})
	}
}

// relationship is a history for the sample: one attendance, two open
// items, the record's freshness.
func relationship() *sheet.Relationship {
	at := now.Add(-26 * time.Hour)
	return &sheet.Relationship{
		LastAttendance: &attendance.Attendance{At: at, Channel: attendance.WhatsApp, Reason: attendance.Service,
			Attendant: attendance.Attendant{Name: "Carla Souza"}, Outcome: "revisão agendada para sexta"},
		Open: []agenda.Item{
			{Due: now.Add(48 * time.Hour), Subject: "confirmar revisão", Attendant: attendance.Attendant{Name: "Carla Souza"}},
			{Due: now.Add(30 * 24 * time.Hour), Subject: "oferecer seguro"},
		},
		Freshness: attendance.Freshness{attendance.Profile: now.Add(-48 * time.Hour), attendance.Phones: at, attendance.Emails: at},
	}
}

func TestRelationshipGolden(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opts *sheet.Options
	}{{"relationship.pt.txt", &sheet.Options{Relationship: relationship()}}, {"relationship.en.txt", &sheet.Options{English: true, Relationship: relationship()}}} {
		var b bytes.Buffer
		require.NoError(t, sheet.Text(&b, sample(), nil, tc.opts))
		golden(t, tc.name, b.Bytes())
		for line := range strings.SplitSeq(b.String(), "\n") {
			assert.LessOrEqual(t, utf8.RuneCountInString(line), sheet.Width, line)
		}
		var h bytes.Buffer
		require.NoError(t, sheet.HTML(&h, sample(), nil, tc.opts))
		assert.Contains(t, h.String(), "Carla Souza")
	}
}
