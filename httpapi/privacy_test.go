package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/consent"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/memory"
	"github.com/fichacrm/ficha/storage/storagetest"
)

func TestConsentRoutes(t *testing.T) {
	t.Parallel()
	a := newAPI(t, nil)
	c, err := a.store.Create(t.Context(), "dealer-a", storagetest.Individual(71))
	require.NoError(t, err)
	base := "/customers/" + c.ID.String()

	w := a.do(req{method: "GET", target: base + "/may-contact?channel=sms&purpose=marketing", tenant: "dealer-a"})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	var d consent.Decision
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &d))
	assert.Equal(t, consent.Decision{Reason: consent.ReasonNoRecord}, d, "no record means no")

	w = a.do(req{method: "POST", target: base + "/consents", tenant: "dealer-a", body: `{"statements":[
		{"channel":"sms","purpose":"marketing","state":"granted","basis":"consent","source":"desk","evidence":{"notice":"termo v3","reference":"ficha 12"}},
		{"channel":"email","purpose":"surveys","state":"denied","basis":"consent","source":"web"}]}`})
	require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	w = a.do(req{method: "GET", target: base + "/may-contact?channel=sms&purpose=marketing", tenant: "dealer-a"})
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &d))
	assert.True(t, d.Allowed)
	assert.Equal(t, []string{c.Phones[0].String()}, d.Addresses)

	// Every bad field is named; nothing is recorded.
	w = a.do(req{method: "POST", target: base + "/consents", tenant: "dealer-a", body: `{"statements":[
		{"channel":"fax","purpose":"Marketing","state":"granted","basis":"consent","source":"desk"},
		{"channel":"sms","purpose":"marketing","state":"granted","basis":"contract","source":"desk","at":"ontem"}]}`})
	require.Equal(t, http.StatusUnprocessableEntity, w.Code, w.Body.String())
	for _, path := range []string{"statements[0].channel", "statements[0].purpose", "statements[0].evidence.notice", "statements[1].at", "statements[1].basis"} {
		assert.Contains(t, w.Body.String(), `"path":"`+path+`"`)
	}
	w = a.do(req{method: "POST", target: base + "/consents", tenant: "dealer-a", body: `{"statements":[]}`})
	assert.Equal(t, http.StatusUnprocessableEntity, w.Code)

	w = a.do(req{method: "POST", target: base + "/opt-out", tenant: "dealer-a", body: `{"channels":["sms"],"source":"sms_reply"}`})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	w = a.do(req{method: "GET", target: base + "/may-contact?channel=sms&purpose=marketing", tenant: "dealer-a"})
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &d))
	assert.False(t, d.Allowed, "Cancelar SMS")
	assert.Equal(t, consent.ReasonWithdrawn, d.Reason)

	w = a.do(req{method: "GET", target: base + "/consents", tenant: "dealer-a"})
	require.Equal(t, http.StatusOK, w.Code)
	var got struct {
		Standing []storage.ConsentState `json:"standing"`
		Ledger   []storage.ConsentEntry `json:"ledger"`
	}
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &got))
	assert.Len(t, got.Ledger, 5, "two statements, then three withdrawals")
	assert.Equal(t, "ficha 12", got.Ledger[0].Evidence.Reference)

	w = a.do(req{method: "GET", target: base + "/may-contact?channel=sms", tenant: "dealer-a"})
	assert.Equal(t, http.StatusBadRequest, w.Code, "the purpose is required")
	w = a.do(req{method: "GET", target: base + "/consents", tenant: "dealer-b"})
	require.Equal(t, http.StatusOK, w.Code)
	assert.JSONEq(t, `{"standing":[],"ledger":[]}`, w.Body.String(), "another tenant sees nothing")

	w = a.do(req{method: "POST", target: "/suppressions", tenant: "dealer-a", body: `{"channel":"whatsapp","address":"(11) 97777-0000"}`})
	require.Equal(t, http.StatusNoContent, w.Code, w.Body.String())
	listed, err := a.store.IsSuppressed(t.Context(), "dealer-a", consent.WhatsApp, "+5511977770000")
	require.NoError(t, err)
	assert.True(t, listed)
	w = a.do(req{method: "POST", target: "/suppressions", tenant: "dealer-a", body: `{"channel":"post","address":"Rua A"}`})
	assert.Equal(t, http.StatusUnprocessableEntity, w.Code)
	assert.NotContains(t, w.Body.String(), "Rua A", "no value is repeated")

	w = a.do(req{method: "GET", target: "/consent/reachable?channel=email&purpose=surveys", tenant: "dealer-a"})
	require.Equal(t, http.StatusOK, w.Code)
	assert.JSONEq(t, `{"items":[]}`, w.Body.String())
}

func TestAnonymiseAndExportRoutes(t *testing.T) {
	t.Parallel()
	store := memory.Open(&storage.Options{Retention: func(_ context.Context, _ string, c *customer.Customer) (storage.Hold, error) {
		if c.Notes == "processo" {
			return storage.Hold{Refuse: true, Reason: "processo judicial em curso"}, nil
		}
		return storage.Hold{}, nil
	}})
	t.Cleanup(func() { _ = store.Close() })
	a := newAPIOver(t, store, nil)
	me := storagetest.Individual(72)
	c, err := store.Create(t.Context(), "dealer-a", me)
	require.NoError(t, err)
	body := `{"tax_id":"` + me.TaxID.Format() + `"}`

	w := a.do(req{method: "POST", target: "/privacy/export", tenant: "dealer-a", body: body})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, "no-store", w.Header().Get("Cache-Control"))
	var e storage.Export
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &e))
	require.Len(t, e.Records, 1)
	assert.Equal(t, c.ID, e.Records[0].Customer.ID)

	w = a.do(req{method: "POST", target: "/privacy/export", tenant: "dealer-a", body: body,
		header: map[string]string{"Accept": "text/html,application/xhtml+xml", "Accept-Language": "pt-BR"}})
	require.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "text/html; charset=utf-8", w.Header().Get("Content-Type"))
	assert.Equal(t, "default-src 'none'; style-src 'unsafe-inline'", w.Header().Get("Content-Security-Policy"))
	assert.Contains(t, w.Body.String(), "Relatório de dados pessoais")
	assert.Contains(t, w.Body.String(), me.TaxID.Format())

	w = a.do(req{method: "POST", target: "/privacy/export", tenant: "dealer-a", body: `{"tax_id":"111.111.111-11"}`})
	assert.Equal(t, http.StatusUnprocessableEntity, w.Code)
	assert.NotContains(t, w.Body.String(), "111.111.111-11")
	w = a.do(req{method: "POST", target: "/privacy/export", tenant: "dealer-a", body: `{}`})
	assert.Equal(t, http.StatusUnprocessableEntity, w.Code)

	w = a.do(req{method: "POST", target: "/customers/" + c.ID.String() + "/anonymise", tenant: "dealer-a"})
	assert.Equal(t, http.StatusPreconditionRequired, w.Code)
	w = a.do(req{method: "POST", target: "/customers/" + c.ID.String() + "/anonymise", tenant: "dealer-a", header: ifMatch(`"v9"`)})
	assert.Equal(t, http.StatusPreconditionFailed, w.Code)
	w = a.do(req{method: "POST", target: "/customers/" + c.ID.String() + "/anonymise", tenant: "dealer-a", header: ifMatch(`"v1"`)})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, `"v2"`, versionOf(w.Header().Get("ETag")))
	assert.NotContains(t, w.Body.String(), me.Name)
	w = a.do(req{method: "POST", target: "/customers/" + c.ID.String() + "/anonymise", tenant: "dealer-a", header: ifMatch(`"v2"`)})
	assert.Equal(t, http.StatusConflict, w.Code)
	assert.Contains(t, w.Body.String(), `"code":"customer.anonymised"`)
	w = a.do(req{method: "GET", target: "/customers/search?tax_id=" + me.TaxID.String(), tenant: "dealer-a"})
	assert.JSONEq(t, `{"items":[]}`, w.Body.String())
	// Every write to the anonymised record is the same 409 (the outside
	// review got 500s from these).
	id := c.ID.String()
	for _, r := range []req{
		{method: "PUT", target: "/customers/" + id, body: `{"kind":"individual","status":"customer","name":"Outra Pessoa"}`},
		{method: "PATCH", target: "/customers/" + id, body: `{"notes":"x"}`},
		{method: "POST", target: "/customers/" + id + "/phones", body: `"(11) 98888-7777"`},
		{method: "PUT", target: "/customers/" + id + "/info/profession", body: `"engenheira"`},
		{method: "POST", target: "/customers/" + id + "/attendances", body: `{"channel":"phone","reason":"sales"}`},
	} {
		r.tenant, r.header = "dealer-a", ifMatch(`"v2"`)
		w = a.do(r)
		assert.Equal(t, http.StatusConflict, w.Code, "%s %s: %s", r.method, r.target, w.Body.String())
		assert.Contains(t, w.Body.String(), `"code":"customer.anonymised"`, "%s %s", r.method, r.target)
	}

	held := storagetest.Individual(73)
	held.Notes = "processo"
	hc, err := store.Create(t.Context(), "dealer-a", held)
	require.NoError(t, err)
	w = a.do(req{method: "POST", target: "/customers/" + hc.ID.String() + "/anonymise", tenant: "dealer-a", header: ifMatch(`"v1"`)})
	assert.Equal(t, http.StatusConflict, w.Code)
	assert.Contains(t, w.Body.String(), `"detail":"processo judicial em curso"`)

	w = a.do(req{method: "GET", target: "/privacy/requests", tenant: "dealer-a"})
	require.Equal(t, http.StatusOK, w.Code)
	var page storage.RequestPage
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &page))
	require.Len(t, page.Items, 2, "the anonymisation and the refusal")
}

func TestRequestRoutes(t *testing.T) {
	t.Parallel()
	a := newAPI(t, nil)
	w := a.do(req{method: "POST", target: "/privacy/requests", tenant: "dealer-a", body: `{"kind":"access","note":"pedido por e-mail"}`})
	require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	var r storage.Request
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &r))
	assert.Equal(t, storage.RequestAccess, r.Kind)
	assert.Equal(t, r.Received.Add(storage.ResponseTime), r.Due)
	target := "/privacy/requests/" + r.ID.String()
	assert.True(t, strings.HasSuffix(w.Header().Get("Location"), target))

	w = a.do(req{method: "GET", target: "/privacy/requests?open=true", tenant: "dealer-a"})
	assert.Contains(t, w.Body.String(), r.ID.String())
	w = a.do(req{method: "POST", target: target + "/answer", tenant: "dealer-a", body: `{"outcome":"done"}`})
	assert.Equal(t, http.StatusPreconditionRequired, w.Code)
	w = a.do(req{method: "POST", target: target + "/answer", tenant: "dealer-a", body: `{"outcome":"talvez"}`, header: ifMatch(`"v1"`)})
	assert.Equal(t, http.StatusUnprocessableEntity, w.Code)
	w = a.do(req{method: "POST", target: target + "/answer", tenant: "dealer-a", body: `{"outcome":"done","note":"enviado"}`, header: ifMatch(`"v1"`)})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, `"v2"`, versionOf(w.Header().Get("ETag")))
	w = a.do(req{method: "POST", target: target + "/answer", tenant: "dealer-a", body: `{"outcome":"done"}`, header: ifMatch(`"v1"`)})
	assert.Equal(t, http.StatusPreconditionFailed, w.Code)
	// Answered twice, at the version read: a conflict that names itself;
	// times out of order: a 422 that names the field (the outside review
	// got a bare 422 for each).
	problem(t, a.do(req{method: "POST", target: target + "/answer", tenant: "dealer-a", body: `{"outcome":"done"}`, header: ifMatch(`"v2"`)}),
		http.StatusConflict, "request.answered")
	w = a.do(req{method: "POST", target: "/privacy/requests", tenant: "dealer-a", body: `{"kind":"access"}`})
	require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	var other storage.Request
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &other))
	p := problem(t, a.do(req{method: "POST", target: "/privacy/requests/" + other.ID.String() + "/answer", tenant: "dealer-a",
		body: `{"outcome":"done","note":"` + strings.Repeat("a", storage.MaxNote+1) + `"}`, header: ifMatch(`"v1"`)}), http.StatusUnprocessableEntity, "validation")
	require.Len(t, p.Errors, 1)
	assert.Equal(t, "note", p.Errors[0].Path)
	w = a.do(req{method: "POST", target: "/privacy/requests/" + other.ID.String() + "/answer", tenant: "dealer-a", body: `{"outcome":"done"}`, header: ifMatch(`"v1"`)})
	require.Equal(t, http.StatusOK, w.Code, "the refused answer wrote nothing")
	for _, tc := range []struct{ body, path, code string }{
		{`{"kind":"access","received":"2999-01-01T00:00:00Z"}`, "received", "request.received"},
		{`{"kind":"access","received":"2026-01-10T00:00:00Z","due":"2026-01-01T00:00:00Z"}`, "due", "request.due"},
	} {
		p := problem(t, a.do(req{method: "POST", target: "/privacy/requests", tenant: "dealer-a", body: tc.body}), http.StatusUnprocessableEntity, "validation")
		require.Len(t, p.Errors, 1, tc.body)
		assert.Equal(t, tc.path, p.Errors[0].Path)
		assert.Equal(t, tc.code, p.Errors[0].Code)
	}
	w = a.do(req{method: "GET", target: "/privacy/requests?open=true", tenant: "dealer-a"})
	assert.JSONEq(t, `{"items":[]}`, w.Body.String())
	w = a.do(req{method: "GET", target: target, tenant: "dealer-b"})
	assert.Equal(t, http.StatusNotFound, w.Code, "another tenant's register")
	w = a.do(req{method: "POST", target: "/privacy/requests", tenant: "dealer-a", body: `{"kind":"gossip"}`})
	assert.Equal(t, http.StatusUnprocessableEntity, w.Code)
	w = a.do(req{method: "GET", target: "/privacy/requests?open=maybe", tenant: "dealer-a"})
	assert.Equal(t, http.StatusBadRequest, w.Code)
}
