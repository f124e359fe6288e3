package lgpd_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/pb33f/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/agenda"
	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/consent"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/lgpd"
	"github.com/fichacrm/ficha/reference"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/memory"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// export builds, on a store with a fixed clock and fixed IDs, the export
// of a customer with a consent history, an attendance, an agenda item,
// and appearances as a contact and a reference in two other records.
func export(t *testing.T) *storage.Export {
	t.Helper()
	clock := time.Date(2026, time.November, 20, 14, 30, 0, 0, time.UTC)
	s := memory.Open(&storage.Options{Now: func() time.Time { return clock }})
	ctx := storage.WithActor(context.Background(), storage.Actor{ID: "att-7", Name: "Carla Menezes", App: "desk"})
	const tn = "loja-1"
	me := &customer.Customer{ID: uuid.MustParse("01900000-0000-7000-8000-000000000001"), Kind: customer.Individual,
		Status: customer.StatusCustomer, Name: "Ana <b>Beatriz</b> Conceição", TaxID: customer.MustParseTaxID("529.982.247-25"),
		Phones: []contact.Phone{contact.MustParsePhone("(11) 98765-4321")}, Emails: []contact.Email{contact.MustParseEmail("ana@example.com.br")},
		Notes: "Prefere WhatsApp"}
	_, err := s.Create(ctx, tn, me)
	require.NoError(t, err)
	_, err = s.Attend(ctx, tn, &attendance.Attendance{ID: uuid.MustParse("01900000-0000-7000-8000-0000000000a1"), CustomerID: me.ID,
		At: clock.Add(-time.Hour), Channel: attendance.InPerson, Reason: attendance.Sales, Attendant: attendance.Attendant{ID: "att-7", Name: "Carla Menezes"},
		Outcome: "test drive do Corolla", Notes: "volta sábado"})
	require.NoError(t, err)
	_, err = s.Schedule(ctx, tn, &agenda.Item{ID: uuid.MustParse("01900000-0000-7000-8000-0000000000b1"), CustomerID: me.ID,
		Due: clock.Add(72 * time.Hour), Subject: "Retorno da proposta", Attendant: attendance.Attendant{ID: "att-7", Name: "Carla Menezes"}})
	require.NoError(t, err)
	_, err = s.RecordConsent(ctx, tn, storage.ConsentEntry{CustomerID: me.ID, At: clock.Add(-2 * time.Hour),
		Statement: consent.Statement{Channel: consent.WhatsApp, Purpose: consent.Marketing, State: consent.Granted, Basis: consent.BasisConsent,
			Source: consent.AtDesk, Evidence: consent.Evidence{Notice: "termo-marketing-v3", Reference: "ficha 1042"}}})
	require.NoError(t, err)
	_, err = s.RecordConsent(ctx, tn, storage.ConsentEntry{CustomerID: me.ID, At: clock.Add(-3 * time.Hour),
		Statement: consent.Statement{Channel: consent.SMS, Purpose: consent.Marketing, State: consent.Granted, Basis: consent.BasisConsent,
			Source: consent.WebForm, Evidence: consent.Evidence{Notice: "termo-marketing-v2"}}})
	require.NoError(t, err)
	_, err = s.CancelSMS(ctx, tn, me.ID, consent.SMSReply, consent.Evidence{Reference: "SMS 553"})
	require.NoError(t, err)
	_, err = s.Create(ctx, tn, &customer.Customer{ID: uuid.MustParse("01900000-0000-7000-8000-000000000002"), Kind: customer.Company,
		Status: customer.StatusCustomer, Name: "Transportes Secretos Ltda", TaxID: customer.MustParseTaxID("11.222.333/0001-81"),
		Contacts: []contact.Contact{{Name: "Ana Beatriz", Role: "Compradora", Phones: []contact.Phone{contact.MustParsePhone("11 98765-4321")}}}})
	require.NoError(t, err)
	_, err = s.Create(ctx, tn, &customer.Customer{ID: uuid.MustParse("01900000-0000-7000-8000-000000000003"), Kind: customer.Individual,
		Status: customer.StatusProspect, Name: "Outro Cliente Sigiloso", Phones: []contact.Phone{contact.MustParsePhone("(21) 99999-0000")},
		PersonalReferences: []reference.Personal{{Name: "Ana B.", Phone: contact.MustParsePhone("11 98765-4321"), Note: "prima"}}})
	require.NoError(t, err)
	e, err := s.Export(ctx, tn, storage.Subject{TaxID: me.TaxID})
	require.NoError(t, err)
	return e
}

func TestHTMLGolden(t *testing.T) {
	e := export(t)
	for _, c := range []struct {
		file string
		opts *lgpd.Options
	}{
		{"export.pt.html", &lgpd.Options{Controller: "Concessionária Exemplo Ltda"}},
		{"export.en.html", &lgpd.Options{English: true, Controller: "Example Motors"}},
	} {
		var b bytes.Buffer
		require.NoError(t, lgpd.HTML(&b, e, c.opts))
		path := filepath.Join("testdata", c.file)
		if *update {
			require.NoError(t, os.WriteFile(path, b.Bytes(), 0o644))
		}
		want, err := os.ReadFile(path)
		require.NoError(t, err, "run go test ./lgpd -update to create the golden files")
		assert.True(t, string(want) == b.String(), "%s differs: run go test ./lgpd -update and review the diff", c.file)
	}
}

func TestHTMLShowsWhatTheExportHolds(t *testing.T) {
	e := export(t)
	var b bytes.Buffer
	require.NoError(t, lgpd.HTML(&b, e, nil))
	page := b.String()
	for _, want := range []string{"529.982.247-25", "(11) 98765-4321", "ana@example.com.br", "Prefere WhatsApp",
		"termo-marketing-v3", "ficha 1042", "revogado", "negado", "test drive do Corolla", "Retorno da proposta",
		"Compradora", "prima", "01900000-0000-7000-8000-000000000002 · contacts[0]", "Carla Menezes",
		"Ana &lt;b&gt;Beatriz&lt;/b&gt; Conceição"} {
		assert.Contains(t, page, want)
	}
	for _, never := range []string{"Transportes Secretos", "Outro Cliente Sigiloso", "11.222.333/0001-81", "<b>Beatriz", "<script"} {
		assert.NotContains(t, page, never)
	}
	js, err := json.Marshal(e)
	require.NoError(t, err)
	assert.True(t, strings.Contains(string(js), `"schema":"ficha.export/v1"`))
}

func TestJSONFollowsTheSchema(t *testing.T) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(lgpd.JSONSchema))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	require.NoError(t, c.AddResource("export.schema.json", doc))
	schema, err := c.Compile("export.schema.json")
	require.NoError(t, err)

	e := export(t)
	js, err := json.Marshal(e)
	require.NoError(t, err)
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	require.NoError(t, err)
	require.NoError(t, schema.Validate(v))

	// The schema is strict enough to catch a member that drifts.
	var m map[string]any
	require.NoError(t, json.Unmarshal(js, &m))
	m["appearances"].([]any)[0].(map[string]any)["role"] = "friend"
	require.Error(t, schema.Validate(m))
	delete(m, "suppressed")
	require.Error(t, schema.Validate(m))
}

func TestHTMLEntryUnderAnotherName(t *testing.T) {
	e := export(t)
	e.Appearances[0].Contact = nil
	e.Appearances[1].Reference = nil
	var b bytes.Buffer
	require.NoError(t, lgpd.HTML(&b, e, nil))
	assert.Equal(t, 2, strings.Count(b.String(), "em outro nome: só o seu endereço coincide"))
	assert.NotContains(t, b.String(), "Compradora")
}
