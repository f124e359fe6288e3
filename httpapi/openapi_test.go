package httpapi

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage/memory"
	"github.com/fichacrm/ficha/storage/storagetest"
)

// TestOpenAPIHasEveryRoute holds the document to routeTable both ways:
// every route is described, and every operation described is a route.
func TestOpenAPIHasEveryRoute(t *testing.T) {
	t.Parallel()
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	require.NoError(t, json.Unmarshal(openAPI, &doc))
	var described []string
	for path, item := range doc.Paths {
		for method := range item {
			described = append(described, strings.ToUpper(method)+" "+path)
		}
	}
	var routes []string
	for _, rt := range routeTable() {
		routes = append(routes, rt.method+" "+rt.pattern)
	}
	slices.Sort(described)
	slices.Sort(routes)
	assert.Equal(t, routes, described)
}

// TestOpenAPIIsValid validates the document against the OpenAPI 3.1
// schema with libopenapi-validator, and some real answers against the
// document's own schemas.
func TestOpenAPIIsValid(t *testing.T) {
	t.Parallel()
	doc, err := libopenapi.NewDocument(openAPI)
	require.NoError(t, err)
	assert.Equal(t, "3.1.0", doc.GetVersion())
	v, errs := validator.NewValidator(doc)
	require.Empty(t, errs)
	ok, verrs := v.ValidateDocument()
	for _, e := range verrs {
		t.Errorf("%s: %s", e.Message, e.Reason)
	}
	assert.True(t, ok)

	// The validator does judge: a copy with an operation without answers,
	// which 3.1 requires, and a parameter without a location, fails.
	broken := strings.Replace(string(openAPI), `"responses":`, `"answers":`, 1)
	broken = strings.Replace(broken, `"in": "query"`, `"in": "body"`, 1)
	bdoc, err := libopenapi.NewDocument([]byte(broken))
	require.NoError(t, err)
	bv, errs := validator.NewValidator(bdoc)
	require.Empty(t, errs)
	ok, verrs = bv.ValidateDocument()
	assert.False(t, ok)
	assert.NotEmpty(t, verrs)

	store := memory.Open(nil)
	t.Cleanup(func() { _ = store.Close() })
	h, err := New(store, func(*http.Request) (string, error) { return "dealer-a", nil }, nil)
	require.NoError(t, err)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/openapi.json", nil))
	require.Equal(t, http.StatusOK, w.Code)
	assert.JSONEq(t, string(openAPI), w.Body.String())
}

// TestAnswersFollowTheDocument validates real answers of the handler
// against the document's schemas with libopenapi-validator.
func TestAnswersFollowTheDocument(t *testing.T) {
	t.Parallel()
	doc, err := libopenapi.NewDocument(openAPI)
	require.NoError(t, err)
	v, errs := validator.NewValidator(doc)
	require.Empty(t, errs)

	store := memory.Open(nil)
	t.Cleanup(func() { _ = store.Close() })
	h, err := New(store, func(*http.Request) (string, error) { return "dealer-a", nil }, nil)
	require.NoError(t, err)
	c, err := store.Create(t.Context(), "dealer-a", storagetest.Full(time.Now()))
	require.NoError(t, err)
	id := c.ID.String()
	due := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	for _, tc := range []struct {
		method, target, body string
		header               map[string]string
		status               int
	}{
		{"GET", "/customers/" + id, "", nil, 200},
		{"GET", "/customers", "", nil, 200},
		{"GET", "/customers/search?name=maria", "", nil, 200},
		{"GET", "/customers/" + customer.NewID().String(), "", nil, 404},
		{"GET", "/customers?limit=x", "", nil, 400},
		{"POST", "/customers/" + id + "/phones", `"(11) 91111-2222"`, map[string]string{"If-Match": `"v1"`}, 200},
		{"POST", "/customers/" + id + "/addresses", `{"cep":"0131O-100"}`, map[string]string{"If-Match": `"v2"`}, 422},
		{"POST", "/customers/" + id + "/attendances", `{"channel":"phone","reason":"sales"}`, nil, 201},
		{"GET", "/customers/" + id + "/attendances", "", nil, 200},
		{"GET", "/customers/" + id + "/freshness", "", nil, 200},
		{"GET", "/customers/" + id + "/history", "", nil, 200},
		{"POST", "/agenda", `{"customer_id":"` + id + `","due":"` + due + `","subject":"x"}`, nil, 201},
		{"GET", "/agenda", "", nil, 200},
		{"GET", "/counts", "", nil, 200},
		{"GET", "/customers/" + id + "/locked", "", nil, 200},
		{"GET", "/info/fields?kind=company", "", nil, 200},
		{"GET", "/info/fields", "", nil, 400},
		{"GET", "/changes", "", nil, 200},
		{"GET", "/birthdays?from=2026-02-01&to=2026-03-01", "", nil, 200},
		{"POST", "/customers/" + id + "/consents", `{"statements":[{"channel":"sms","purpose":"marketing","state":"granted","basis":"consent","source":"desk","evidence":{"notice":"v3"}}]}`, nil, 201},
		{"POST", "/customers/" + id + "/consents", `{"statements":[{"channel":"fax"}]}`, nil, 422},
		{"GET", "/customers/" + id + "/consents", "", nil, 200},
		{"GET", "/customers/" + id + "/may-contact?channel=sms&purpose=marketing", "", nil, 200},
		{"GET", "/consent/reachable?channel=sms&purpose=marketing", "", nil, 200},
		{"POST", "/customers/" + id + "/opt-out", `{"channels":["sms"]}`, nil, 200},
		{"POST", "/suppressions", `{"channel":"email","address":"x@example.com"}`, nil, 204},
		{"POST", "/privacy/export", `{"tax_id":"` + c.TaxID.String() + `"}`, nil, 200},
		{"POST", "/privacy/requests", `{"kind":"access"}`, nil, 201},
		{"GET", "/privacy/requests?open=true", "", nil, 200},
		{"GET", "/privacy/requests/" + customer.NewID().String(), "", nil, 404},
		{"POST", "/customers/" + id + "/anonymise", "", map[string]string{"If-Match": `"v2"`}, 200},
		{"POST", "/customers/" + id + "/anonymise", "", map[string]string{"If-Match": `"v3"`}, 409},
	} {
		r := httptest.NewRequest(tc.method, tc.target, strings.NewReader(tc.body))
		if tc.body != "" {
			r.Header.Set("Content-Type", "application/json")
		}
		for k, val := range tc.header {
			r.Header.Set(k, val)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		require.Equal(t, tc.status, w.Code, "%s %s: %s", tc.method, tc.target, w.Body.String())
		r = httptest.NewRequest(tc.method, tc.target, strings.NewReader(tc.body))
		r.Header = w.Header().Clone()
		if tc.body != "" {
			r.Header.Set("Content-Type", "application/json")
		}
		ok, verrs := v.ValidateHttpResponse(r, w.Result())
		for _, e := range verrs {
			t.Errorf("%s %s: %s: %s", tc.method, tc.target, e.Message, e.Reason)
		}
		assert.True(t, ok, "%s %s", tc.method, tc.target)
	}
}
