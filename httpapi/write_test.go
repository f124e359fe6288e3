package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/httpapi"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/memory"
	"github.com/fichacrm/ficha/storage/storagetest"
)

// body returns the JSON of c without the fields the store sets, as a
// client would send it to create c.
func body(t *testing.T, c *customer.Customer) string {
	t.Helper()
	b, err := json.Marshal(c)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	for _, k := range []string{"id", "version", "created_at", "updated_at"} {
		delete(m, k)
	}
	b, err = json.Marshal(m)
	require.NoError(t, err)
	return string(b)
}

// post creates c over HTTP and returns it as answered.
func (a *api) post(tenant string, c *customer.Customer) *customer.Customer {
	a.t.Helper()
	w := a.do(req{method: "POST", target: "/customers", tenant: tenant, body: body(a.t, c)})
	require.Equal(a.t, http.StatusCreated, w.Code, w.Body.String())
	return decodeCustomer(a.t, w)
}

func ifMatch(v string) map[string]string { return map[string]string{"If-Match": v} }

func TestCreate(t *testing.T) {
	t.Parallel()
	a := newAPI(t, nil)
	w := a.do(req{method: "POST", target: "/customers", tenant: "dealer-a", body: body(t, storagetest.Individual(1)),
		header: map[string]string{"X-Actor": "att-7"}})
	require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	got := decodeCustomer(t, w)
	assert.Equal(t, "/customers/"+got.ID.String(), w.Header().Get("Location"))
	assert.Equal(t, `"v1"`, versionOf(w.Header().Get("ETag")))
	assert.Equal(t, int64(1), got.Version)
	stored, err := a.store.Get(t.Context(), "dealer-a", got.ID)
	require.NoError(t, err)
	assert.Equal(t, storagetest.Individual(1).TaxID, stored.TaxID)
	hist, err := a.store.History(t.Context(), "dealer-a", got.ID, 0, 0)
	require.NoError(t, err)
	require.Len(t, hist, 1)
	assert.Equal(t, "att-7", hist[0].Actor.ID, "the actor function's actor is the write's")

	t.Run("under a prefix", func(t *testing.T) {
		h := http.StripPrefix("/api", a.h)
		r := newRequest("POST", "/api/customers", body(t, storagetest.Individual(2)))
		r.Header.Set("X-Tenant", "dealer-a")
		w := serve(h, r)
		require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
		assert.True(t, strings.HasPrefix(w.Header().Get("Location"), "/api/customers/"))
	})
	t.Run("with the client's ID, twice", func(t *testing.T) {
		c := storagetest.Individual(3)
		c.ID = customer.NewID()
		b, err := json.Marshal(c)
		require.NoError(t, err)
		w := a.do(req{method: "POST", target: "/customers", tenant: "dealer-a", body: string(b)})
		require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
		assert.Equal(t, c.ID, decodeCustomer(t, w).ID)
		w = a.do(req{method: "POST", target: "/customers", tenant: "dealer-a", body: strings.Replace(string(b), storagetest.CPF(3).String(), storagetest.CPF(4).String(), 1)})
		problem(t, w, http.StatusConflict, "id.exists")
	})
	t.Run("duplicate tax ID", func(t *testing.T) {
		c := storagetest.Individual(1)
		c.Name = "Outra Pessoa"
		w := a.do(req{method: "POST", target: "/customers", tenant: "dealer-a", body: body(t, c)})
		p := problem(t, w, http.StatusConflict, "taxid.duplicate")
		require.Len(t, p.Errors, 1)
		assert.Equal(t, "tax_id", p.Errors[0].Path)
		assert.NotContains(t, w.Body.String(), c.TaxID.String())
		assert.NotContains(t, w.Body.String(), got.ID.String(), "the holder is not named")
		// Another tenant may hold the same CPF.
		w = a.do(req{method: "POST", target: "/customers", tenant: "dealer-b", body: body(t, c)})
		assert.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	})
	t.Run("a whole record", func(t *testing.T) {
		full := storagetest.Full(time.Now())
		w := a.do(req{method: "POST", target: "/customers", tenant: "dealer-a", body: body(t, full)})
		require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
		got := decodeCustomer(t, w)
		stored, err := a.store.Get(t.Context(), "dealer-a", got.ID)
		require.NoError(t, err)
		full.ID, full.Version, full.CreatedAt, full.UpdatedAt = stored.ID, stored.Version, stored.CreatedAt, stored.UpdatedAt
		assert.Empty(t, customer.Diff(full, stored), "the API stores every field it is sent")
	})
	t.Run("a card number is kept masked", func(t *testing.T) {
		c := storagetest.Company(9)
		b := strings.Replace(body(t, c), `"contacts"`, `"cards":[{"number":"4111 1111 1111 1111","holder":"X","expiry":{"month":12,"year":2099}}],"contacts"`, 1)
		w := a.do(req{method: "POST", target: "/customers", tenant: "dealer-a", body: b})
		require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
		assert.NotContains(t, w.Body.String(), "4111111111111111")
		assert.Contains(t, w.Body.String(), `"last4":"1111"`)
	})
}

func TestReplaceIsIdempotentOnWhatWasRead(t *testing.T) {
	t.Parallel()
	a := newAPI(t, nil)
	full := a.post("dealer-a", storagetest.Full(time.Now()))
	w := a.do(req{method: "GET", target: "/customers/" + full.ID.String(), tenant: "dealer-a"})
	require.Equal(t, http.StatusOK, w.Code)
	read := w.Body.String()

	w = a.do(req{method: "PUT", target: "/customers/" + full.ID.String(), tenant: "dealer-a", body: read, header: ifMatch(`"v1"`)})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, `"v1"`, versionOf(w.Header().Get("ETag")), "what was read, sent back, changes nothing")

	t.Run("through a JavaScript Date", func(t *testing.T) {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(read), &m))
		m["created_at"] = full.CreatedAt.Truncate(time.Millisecond).Format("2006-01-02T15:04:05.000Z07:00")
		m["updated_at"] = full.UpdatedAt.Truncate(time.Millisecond).Format("2006-01-02T15:04:05.000Z07:00")
		m["notes"] = "novo"
		b, _ := json.Marshal(m)
		w := a.do(req{method: "PUT", target: "/customers/" + full.ID.String(), tenant: "dealer-a", body: string(b), header: ifMatch(`"v1"`)})
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		assert.Equal(t, `"v2"`, versionOf(w.Header().Get("ETag")))
		got := decodeCustomer(t, w)
		assert.True(t, got.CreatedAt.Equal(full.CreatedAt), "the stored creation time stays")

		m["created_at"] = full.CreatedAt.Add(-24 * time.Hour).Format(time.RFC3339Nano)
		b, _ = json.Marshal(m)
		w = a.do(req{method: "PUT", target: "/customers/" + full.ID.String(), tenant: "dealer-a", body: string(b), header: ifMatch(`"v2"`)})
		p := problem(t, w, http.StatusUnprocessableEntity, "field.locked")
		require.Len(t, p.Errors, 1)
		assert.Equal(t, "created_at", p.Errors[0].Path)
	})
}

func TestReplaceAndDelete(t *testing.T) {
	t.Parallel()
	a := newAPI(t, nil)
	c := a.post("dealer-a", storagetest.Individual(1))
	target := "/customers/" + c.ID.String()
	changed := storagetest.Individual(1)
	changed.Notes = "prefere WhatsApp"
	b := body(t, changed)

	problem(t, a.do(req{method: "PUT", target: target, tenant: "dealer-a", body: b}), http.StatusPreconditionRequired, "version.required")
	for _, tag := range []string{`*`, `W/"v1"`, `"v1", "v2"`, `v1`, `"1"`, `"v-1"`, `"v0"`, `"v99999999999999999999"`, `"v1."`, `"v1.A"`, `"v1.abc.d"`} {
		problem(t, a.do(req{method: "PUT", target: target, tenant: "dealer-a", body: b, header: ifMatch(tag)}), http.StatusPreconditionFailed, "version.stale")
	}
	problem(t, a.do(req{method: "PUT", target: target, tenant: "dealer-a", body: b, header: ifMatch(`"v2"`)}), http.StatusPreconditionFailed, "version.stale")
	problem(t, a.do(req{method: "PUT", target: target, tenant: "dealer-b", body: b, header: ifMatch(`"v1"`)}), http.StatusNotFound, "not_found")
	problem(t, a.do(req{method: "PUT", target: "/customers/" + customer.NewID().String(), tenant: "dealer-a", body: b, header: ifMatch(`"v1"`)}), http.StatusNotFound, "not_found")

	other := customer.NewID().String()
	p := problem(t, a.do(req{method: "PUT", target: target, tenant: "dealer-a", body: strings.Replace(b, "{", `{"id":"`+other+`",`, 1), header: ifMatch(`"v1"`)}),
		http.StatusUnprocessableEntity, "validation")
	assert.Equal(t, "id", p.Errors[0].Path)
	assert.Equal(t, "id.mismatch", p.Errors[0].Code)

	w := a.do(req{method: "PUT", target: target, tenant: "dealer-a", body: b, header: ifMatch(`"v1"`)})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, `"v2"`, versionOf(w.Header().Get("ETag")))
	assert.Equal(t, "prefere WhatsApp", decodeCustomer(t, w).Notes)
	problem(t, a.do(req{method: "PUT", target: target, tenant: "dealer-a", body: b, header: ifMatch(`"v1"`)}), http.StatusPreconditionFailed, "version.stale")

	t.Run("locked fields", func(t *testing.T) {
		locked := storagetest.Individual(1)
		locked.TaxID = storagetest.CPF(77)
		locked.Status = customer.StatusProspect
		w := a.do(req{method: "PUT", target: target, tenant: "dealer-a", body: body(t, locked), header: ifMatch(`"v2"`)})
		p := problem(t, w, http.StatusUnprocessableEntity, "field.locked")
		var paths []string
		for _, f := range p.Errors {
			paths = append(paths, f.Path)
			assert.Equal(t, "field.locked", f.Code)
		}
		assert.ElementsMatch(t, []string{"status", "tax_id"}, paths)
		assert.NotContains(t, w.Body.String(), storagetest.CPF(77).String())
	})

	problem(t, a.do(req{method: "DELETE", target: target, tenant: "dealer-a"}), http.StatusPreconditionRequired, "version.required")
	problem(t, a.do(req{method: "DELETE", target: target, tenant: "dealer-a", header: ifMatch(`"v1"`)}), http.StatusPreconditionFailed, "version.stale")
	problem(t, a.do(req{method: "DELETE", target: target, tenant: "dealer-b", header: ifMatch(`"v2"`)}), http.StatusNotFound, "not_found")
	w = a.do(req{method: "DELETE", target: target, tenant: "dealer-a", header: ifMatch(`"v2"`)})
	require.Equal(t, http.StatusNoContent, w.Code, w.Body.String())
	assert.Empty(t, w.Body.String())
	problem(t, a.do(req{method: "GET", target: target, tenant: "dealer-a"}), http.StatusNotFound, "not_found")
	problem(t, a.do(req{method: "DELETE", target: target, tenant: "dealer-a", header: ifMatch(`"v2"`)}), http.StatusNotFound, "not_found")
}

func TestBodiesThatFail(t *testing.T) {
	t.Parallel()
	a := newAPI(t, &httpapi.Options{MaxBody: 4 << 10})
	for _, tc := range []struct {
		name, body, ctype string
		status            int
		code              string
	}{
		{"malformed", `{"name":`, "application/json", 400, "json.malformed"},
		{"two objects", `{} {}`, "application/json", 400, "json.malformed"},
		{"an array", `[]`, "application/json", 400, "json.malformed"},
		// Bad bytes are refused, not stored as U+FFFD (the outside review
		// saw them repaired silently).
		{"a lone surrogate", `{"kind":"individual","status":"prospect","name":"Ana","notes":"a\ud800b"}`, "application/json", 400, "json.malformed"},
		{"not UTF-8", "{\"kind\":\"individual\",\"status\":\"prospect\",\"name\":\"Jo\xe3o Silva\"}", "application/json", 400, "json.malformed"},
		{"not JSON", `name=x`, "application/x-www-form-urlencoded", 415, "media_type"},
		{"no media type", `{}`, "", 415, "media_type"},
		{"too large", `{"notes":"` + strings.Repeat("a", 5<<10) + `"}`, "application/json; charset=utf-8", 413, "body.too_large"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRequest("POST", "/customers", tc.body)
			r.Header.Set("X-Tenant", "dealer-a")
			r.Header.Del("Content-Type")
			if tc.ctype != "" {
				r.Header.Set("Content-Type", tc.ctype)
			}
			problem(t, serve(a.h, r), tc.status, tc.code)
		})
	}
}

// bad is a body with many bad fields at once, each holding personal data
// that no answer may repeat.
const bad = `{
	"kind": "individual", "status": "customer", "name": "José da Silva",
	"tax_id": "248.438.034-81",
	"phones": ["(11) 98765-4321", "(00) 1234-5678"],
	"emails": ["jose.silva@@example.com"],
	"birth_date": "1975-02-30",
	"addresses": [{"cep": "0131O-100", "street": "Av. Paulista", "number": "1000", "city": "São Paulo", "uf": "SP", "purposes": "correspondence"}],
	"assets": [{"description": "Carro", "kind": "vehicle", "year": "2020", "value": "12.345", "plate": "XYZ-12345", "lien": {"balance": "-5"}}],
	"cards": [{"number": "4111 1111 1111 1112", "holder": "JOSE"}],
	"contacts": [{"name": "Ana", "preferred_hour": 25, "phones": ["123"]}],
	"nome": "Zé",
	"info": {"spouse_name": 3}
}`

func TestEveryBadFieldIsListed(t *testing.T) {
	t.Parallel()
	a := newAPI(t, nil)
	want := map[string]string{
		"tax_id":                     "cpf.check_digit",
		"phones[1]":                  "",
		"emails[0]":                  "",
		"birth_date":                 "",
		"addresses[0].cep":           "cep.invalid",
		"assets[0].year":             "json.type",
		"assets[0].plate":            "",
		"cards[0].number":            "",
		"contacts[0].phones[0]":      "",
		"contacts[0].preferred_hour": "hour.invalid",
		"nome":                       "field.unknown",
		"info.spouse_name":           "json.type",
		"assets[0].value":            "money.precision",
		"assets[0].lien.balance":     "money.negative",
	}
	for _, tc := range []struct {
		lang, header, title string
	}{
		{"pt-BR", "", "Dados inválidos"},
		{"pt-BR", "pt-BR,pt;q=0.9", "Dados inválidos"},
		{"en", "en-US,en;q=0.9,pt;q=0.5", "Invalid data"},
	} {
		t.Run(tc.lang+" "+tc.header, func(t *testing.T) {
			w := a.do(req{method: "POST", target: "/customers", tenant: "dealer-a", body: bad, header: map[string]string{"Accept-Language": tc.header}})
			p := problem(t, w, http.StatusUnprocessableEntity, "validation")
			assert.Equal(t, tc.title, p.Title)
			assert.Equal(t, tc.lang, w.Header().Get("Content-Language"))
			got := map[string]string{}
			for _, f := range p.Errors {
				got[f.Path] = f.Code
				assert.NotEmpty(t, f.Message)
			}
			for path, code := range want {
				if assert.Contains(t, got, path) && code != "" {
					assert.Equal(t, code, got[path], path)
				}
			}
			for _, personal := range []string{"248", "98765", "1234-5678", "jose.silva", "0131O", "XYZ", "4111", "1112", "José", "Zé", "Ana"} {
				assert.NotContains(t, w.Body.String(), personal)
			}
			if tc.lang == "en" {
				assert.Contains(t, w.Body.String(), "the CPF check digits do not match")
			} else {
				assert.Contains(t, w.Body.String(), "os dígitos verificadores do CPF não conferem")
			}
		})
	}
}

func TestWritesNeedTheStoresActor(t *testing.T) {
	t.Parallel()
	store := memory.Open(&storage.Options{RequireActor: true})
	defer store.Close()
	a := newAPIOver(t, store, nil)
	problem(t, a.do(req{method: "POST", target: "/customers", tenant: "dealer-a", body: body(t, storagetest.Individual(1))}), http.StatusForbidden, "actor.refused")
	w := a.do(req{method: "POST", target: "/customers", tenant: "dealer-a", body: body(t, storagetest.Individual(1)), header: map[string]string{"X-Actor": "att-1"}})
	assert.Equal(t, http.StatusCreated, w.Code, w.Body.String())
}

// TestTagOfADeletedCustomer deletes a customer and creates another under
// its ID, whose versions start again at 1: a tag read from the first
// matches no write to the second (the outside review changed and deleted
// the new customer with it), and the second's own tag does.
func TestTagOfADeletedCustomer(t *testing.T) {
	t.Parallel()
	a := newAPI(t, nil)
	first := storagetest.Individual(11)
	first.ID = customer.NewID()
	target := "/customers/" + first.ID.String()
	withID := func(c *customer.Customer) string {
		return strings.Replace(body(t, c), "{", `{"id":"`+first.ID.String()+`",`, 1)
	}
	w := a.do(req{method: "POST", target: "/customers", tenant: "dealer-a", body: withID(first)})
	require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	old := w.Header().Get("ETag")
	assert.Regexp(t, `^"v1\.[0-9a-z]+"$`, old)
	w = a.do(req{method: "DELETE", target: target, tenant: "dealer-a", header: ifMatch(old)})
	require.Equal(t, http.StatusNoContent, w.Code, w.Body.String())
	second := storagetest.Individual(12)
	w = a.do(req{method: "POST", target: "/customers", tenant: "dealer-a", body: withID(second)})
	require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	fresh := w.Header().Get("ETag")
	require.NotEqual(t, old, fresh)

	changed := storagetest.Individual(12)
	changed.Notes = "x"
	for _, r := range []req{
		{method: "PUT", target: target, body: body(t, changed)},
		{method: "PATCH", target: target, body: `{"notes":"x"}`},
		{method: "DELETE", target: target + "/phones/0"},
		{method: "POST", target: target + "/anonymise"},
		{method: "DELETE", target: target},
	} {
		r.tenant, r.header = "dealer-a", ifMatch(old)
		problem(t, a.do(r), http.StatusPreconditionFailed, "version.stale")
	}
	w = a.do(req{method: "GET", target: target, tenant: "dealer-a"})
	require.Equal(t, http.StatusOK, w.Code)
	got := decodeCustomer(t, w)
	assert.Equal(t, int64(1), got.Version, "nothing was written to the second customer")
	assert.Equal(t, second.Name, got.Name)
	assert.Equal(t, fresh, w.Header().Get("ETag"))
	w = a.do(req{method: "GET", target: target, tenant: "dealer-a", header: map[string]string{"If-None-Match": fresh}})
	assert.Equal(t, http.StatusNotModified, w.Code)

	w = a.do(req{method: "PATCH", target: target, tenant: "dealer-a", body: `{"notes":"x"}`, header: ifMatch(fresh)})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, `"v2"`, versionOf(w.Header().Get("ETag")))
}

// TestWritesThroughAMergedID merges B into A: a GET of B's ID still finds
// A (a DMS link keeps working), and every write that names B answers 409
// customer.merged with A's URL in Location, not a 422 about IDs, a 404, or
// a change of A through B's URL (the outside review saw all three).
func TestWritesThroughAMergedID(t *testing.T) {
	t.Parallel()
	a := newAPI(t, nil)
	into := a.post("dealer-a", storagetest.Individual(21))
	dup := storagetest.Individual(21)
	dup.TaxID, dup.Status = customer.TaxID{}, customer.StatusProspect
	dup.DMSCode, dup.ServiceOrders, dup.Assets = "", nil, nil
	from := a.post("dealer-a", dup)
	_, err := a.store.Merge(t.Context(), "dealer-a", storage.MergeRequest{Into: into.ID, From: from.ID, IntoVersion: into.Version, FromVersion: from.Version})
	require.NoError(t, err)
	target := "/customers/" + from.ID.String()
	w := a.do(req{method: "GET", target: target, tenant: "dealer-a"})
	require.Equal(t, http.StatusOK, w.Code)
	read := w.Body.String()
	tag := w.Header().Get("ETag")
	assert.Equal(t, into.ID, decodeCustomer(t, w).ID)

	for _, r := range []req{
		{method: "PUT", target: target, body: read},
		{method: "PATCH", target: target, body: `{"notes":"x"}`},
		{method: "POST", target: target + "/service_orders", body: `"OS-1"`},
		{method: "DELETE", target: target + "/phones/0"},
		{method: "POST", target: target + "/anonymise"},
		{method: "POST", target: target + "/attendances", body: `{"channel":"phone","reason":"sales"}`},
		{method: "POST", target: target + "/consents", body: `{"statements":[{"channel":"sms","purpose":"marketing","state":"granted","basis":"consent","source":"desk","evidence":{"notice":"v3"}}]}`},
		{method: "POST", target: target + "/opt-out", body: `{"channels":["sms"]}`},
		{method: "DELETE", target: target},
	} {
		for _, m := range []string{tag, versionOf(tag)} {
			r.tenant, r.header = "dealer-a", ifMatch(m)
			w := a.do(r)
			problem(t, w, http.StatusConflict, "customer.merged")
			assert.Equal(t, "/customers/"+into.ID.String(), w.Header().Get("Location"), "%s %s", r.method, r.target)
		}
	}
	// The routes that name the customer in their body answer the same.
	due := time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
	for _, r := range []req{
		{method: "POST", target: "/agenda", body: `{"customer_id":"` + from.ID.String() + `","attendant":{"id":"att-1","name":"Ana"},"due":"` + due + `","subject":"retorno","channel":"phone"}`},
		{method: "POST", target: "/privacy/requests", body: `{"kind":"access","customer_id":"` + from.ID.String() + `"}`},
	} {
		r.tenant = "dealer-a"
		w := a.do(r)
		problem(t, w, http.StatusConflict, "customer.merged")
		assert.Equal(t, "/customers/"+into.ID.String(), w.Header().Get("Location"), "%s %s", r.method, r.target)
	}
	got, err := a.store.Get(t.Context(), "dealer-a", into.ID)
	require.NoError(t, err)
	assert.Equal(t, into.Version+1, got.Version, "only the merge wrote the survivor")
}
