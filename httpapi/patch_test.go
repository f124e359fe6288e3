package httpapi_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage/storagetest"
)

func patchHeader(tag string) map[string]string {
	return map[string]string{"If-Match": tag, "Content-Type": "application/merge-patch+json"}
}

func TestPatch(t *testing.T) {
	t.Parallel()
	a := newAPI(t, nil)
	full := a.post("dealer-a", storagetest.Full(time.Now()))
	target := "/customers/" + full.ID.String()

	w := a.do(req{method: "PATCH", target: target, tenant: "dealer-a", body: `{"notes":"ligar depois das 14h","emails":null,"info":{"profession":"engenheira","spouse_name":null}}`, header: patchHeader(`"v1"`)})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, `"v2"`, versionOf(w.Header().Get("ETag")))
	got := decodeCustomer(t, w)
	assert.Equal(t, "ligar depois das 14h", got.Notes)
	assert.Empty(t, got.Emails)
	assert.Equal(t, "engenheira", got.Info["profession"])
	assert.NotContains(t, got.Info, "spouse_name")
	assert.Equal(t, full.Phones, got.Phones, "what the patch does not name stays")
	assert.Equal(t, full.Cards, got.Cards)
	assert.Len(t, got.Assets, len(full.Assets))

	w = a.do(req{method: "PATCH", target: target, tenant: "dealer-a", body: `{}`, header: patchHeader(`"v2"`)})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, `"v2"`, versionOf(w.Header().Get("ETag")), "an empty patch changes nothing")

	w = a.do(req{method: "PATCH", target: target, tenant: "dealer-a", header: patchHeader(`"v2"`),
		body: `{"phones":["(11) 98765-4321","(00) 0000-0000"],"addresses":[{"cep":"123","uf":"SP"}],"apelido":"x"}`})
	p := problem(t, w, http.StatusUnprocessableEntity, "validation")
	paths := map[string]string{}
	for _, f := range p.Errors {
		paths[f.Path] = f.Code
	}
	assert.Contains(t, paths, "phones[1]")
	assert.Equal(t, "cep.length", paths["addresses[0].cep"])
	assert.Equal(t, "field.unknown", paths["apelido"])
	assert.NotContains(t, w.Body.String(), "98765")

	problem(t, a.do(req{method: "PATCH", target: target, tenant: "dealer-a", body: `{"notes":"x"}`, header: map[string]string{"Content-Type": "application/merge-patch+json"}}),
		http.StatusPreconditionRequired, "version.required")
	problem(t, a.do(req{method: "PATCH", target: target, tenant: "dealer-a", body: `{"notes":"x"}`, header: patchHeader(`"v1"`)}), http.StatusPreconditionFailed, "version.stale")
	problem(t, a.do(req{method: "PATCH", target: target, tenant: "dealer-b", body: `{"notes":"x"}`, header: patchHeader(`"v2"`)}), http.StatusNotFound, "not_found")
	problem(t, a.do(req{method: "PATCH", target: target, tenant: "dealer-a", body: `["notes"]`, header: patchHeader(`"v2"`)}), http.StatusBadRequest, "json.malformed")
	problem(t, a.do(req{method: "PATCH", target: target, tenant: "dealer-a", body: `{"notes":"x"}`, header: map[string]string{"If-Match": `"v2"`, "Content-Type": "text/plain"}}),
		http.StatusUnsupportedMediaType, "media_type")
	p = problem(t, a.do(req{method: "PATCH", target: target, tenant: "dealer-a", body: `{"id":"` + customer.NewID().String() + `"}`, header: patchHeader(`"v2"`)}),
		http.StatusUnprocessableEntity, "validation")
	assert.Equal(t, "id.mismatch", p.Errors[0].Code)
	p = problem(t, a.do(req{method: "PATCH", target: target, tenant: "dealer-a", body: `{"tax_id":"` + storagetest.CPF(5).String() + `"}`, header: patchHeader(`"v2"`)}),
		http.StatusUnprocessableEntity, "field.locked")
	assert.Equal(t, "tax_id", p.Errors[0].Path)

	// application/json is taken too.
	w = a.do(req{method: "PATCH", target: target, tenant: "dealer-a", body: `{"notes":null}`, header: map[string]string{"If-Match": `"v2"`, "Content-Type": "application/json"}})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Empty(t, decodeCustomer(t, w).Notes)
}
