package httpapi_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/httpapi"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/memory"
)

// The tests take the tenant and the actor from headers; a host takes them
// from its own authentication.
func tenantOf(r *http.Request) (string, error) {
	t := r.Header.Get("X-Tenant")
	if t == "" {
		return "", errors.New("no tenant")
	}
	return t, nil
}

func actorOf(r *http.Request) (storage.Actor, error) {
	if r.Header.Get("X-Actor") == "bad" {
		return storage.Actor{}, errors.New("bad actor")
	}
	if r.Header.Get("X-Actor") == "" {
		return storage.Actor{}, nil
	}
	return storage.Actor{ID: r.Header.Get("X-Actor"), App: "test"}, nil
}

// api is a handler over a store, with helpers to call it as a tenant.
type api struct {
	t     *testing.T
	store *storage.Store
	h     http.Handler
}

func newAPI(t *testing.T, opts *httpapi.Options) *api {
	t.Helper()
	store := memory.Open(nil)
	t.Cleanup(func() { _ = store.Close() })
	return newAPIOver(t, store, opts)
}

func newAPIOver(t *testing.T, store *storage.Store, opts *httpapi.Options) *api {
	t.Helper()
	if opts == nil {
		opts = &httpapi.Options{}
	}
	if opts.Actor == nil {
		opts.Actor = actorOf
	}
	h, err := httpapi.New(store, tenantOf, opts)
	require.NoError(t, err)
	return &api{t: t, store: store, h: h}
}

// req is one request: method, target, body and headers.
type req struct {
	method, target string
	body           string
	tenant         string
	header         map[string]string
}

// do runs a request and returns the recorded answer.
func (a *api) do(q req) *httptest.ResponseRecorder {
	a.t.Helper()
	var body io.Reader
	if q.body != "" {
		body = strings.NewReader(q.body)
	}
	r := httptest.NewRequest(q.method, q.target, body)
	if q.tenant != "" {
		r.Header.Set("X-Tenant", q.tenant)
	}
	if q.body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	for k, v := range q.header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	a.h.ServeHTTP(w, r)
	return w
}

// create stores c for tenant directly in the store.
func (a *api) create(tenant string, c *customer.Customer) *customer.Customer {
	a.t.Helper()
	got, err := a.store.Create(a.t.Context(), tenant, c)
	require.NoError(a.t, err)
	return got
}

// problem decodes a problem answer and checks its status and code.
func problem(t *testing.T, w *httptest.ResponseRecorder, status int, code string) httpapi.Problem {
	t.Helper()
	require.Equal(t, status, w.Code, w.Body.String())
	assert.Equal(t, "application/problem+json", w.Header().Get("Content-Type"))
	var p httpapi.Problem
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &p), w.Body.String())
	assert.Equal(t, status, p.Status)
	assert.Equal(t, code, p.Code, w.Body.String())
	assert.Equal(t, "urn:ficha:problem:"+code, p.Type)
	assert.NotEmpty(t, p.Title)
	return p
}

// decodeCustomer decodes a customer answer.
func decodeCustomer(t *testing.T, w *httptest.ResponseRecorder) *customer.Customer {
	t.Helper()
	require.Equal(t, "application/json", w.Header().Get("Content-Type"), w.Body.String())
	var c customer.Customer
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &c))
	return &c
}

func TestNewRefusesAnOpenAPI(t *testing.T) {
	t.Parallel()
	store := memory.Open(nil)
	defer store.Close()
	_, err := httpapi.New(store, nil, nil)
	assert.ErrorIs(t, err, httpapi.ErrNoTenant)
	_, err = httpapi.New(store, nil, &httpapi.Options{Actor: actorOf})
	assert.ErrorIs(t, err, httpapi.ErrNoTenant)
	_, err = httpapi.New(nil, tenantOf, nil)
	assert.ErrorIs(t, err, httpapi.ErrNoStore)
	h, err := httpapi.New(store, tenantOf, nil)
	require.NoError(t, err)
	assert.NotNil(t, h)
}

func TestGetCustomer(t *testing.T) {
	t.Parallel()
	a := newAPI(t, nil)
	c := a.create("dealer-a", storagetestIndividual(1))

	w := a.do(req{method: "GET", target: "/customers/" + c.ID.String(), tenant: "dealer-a"})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, `"v1"`, versionOf(w.Header().Get("ETag")))
	assert.Equal(t, "no-store", w.Header().Get("Cache-Control"))
	assert.Equal(t, "nosniff", w.Header().Get("X-Content-Type-Options"))
	got := decodeCustomer(t, w)
	assert.Equal(t, c.ID, got.ID)
	assert.Equal(t, c.Name, got.Name)
	assert.Equal(t, c.TaxID, got.TaxID)
	assert.Contains(t, w.Body.String(), `"value":"`, "money as a string")
	assert.Contains(t, w.Body.String(), `"tax_id":"`)

	w = a.do(req{method: "GET", target: "/customers/" + c.ID.String(), tenant: "dealer-a", header: map[string]string{"If-None-Match": `"v1"`}})
	assert.Equal(t, http.StatusNotModified, w.Code)
	assert.Empty(t, w.Body.String())

	t.Run("not found", func(t *testing.T) {
		w := a.do(req{method: "GET", target: "/customers/" + customer.NewID().String(), tenant: "dealer-a"})
		p := problem(t, w, http.StatusNotFound, "not_found")
		assert.Equal(t, "Cliente não encontrado", p.Title)
		assert.Equal(t, "pt-BR", w.Header().Get("Content-Language"))
	})
	t.Run("english", func(t *testing.T) {
		w := a.do(req{method: "GET", target: "/customers/" + customer.NewID().String(), tenant: "dealer-a",
			header: map[string]string{"Accept-Language": "fr;q=1, en-US;q=0.8, pt;q=0.5"}})
		p := problem(t, w, http.StatusNotFound, "not_found")
		assert.Equal(t, "Customer not found", p.Title)
		assert.Equal(t, "en", w.Header().Get("Content-Language"))
	})
	t.Run("not a UUID", func(t *testing.T) {
		w := a.do(req{method: "GET", target: "/customers/12345", tenant: "dealer-a"})
		problem(t, w, http.StatusNotFound, "not_found")
	})
	t.Run("another tenant's", func(t *testing.T) {
		w := a.do(req{method: "GET", target: "/customers/" + c.ID.String(), tenant: "dealer-b"})
		problem(t, w, http.StatusNotFound, "not_found")
	})
	t.Run("no tenant", func(t *testing.T) {
		w := a.do(req{method: "GET", target: "/customers/" + c.ID.String()})
		p := problem(t, w, http.StatusUnauthorized, "tenant")
		assert.NotContains(t, w.Body.String(), "no tenant", "the tenant function's error is not shown")
		assert.Empty(t, p.Errors)
	})
	t.Run("malformed tenant", func(t *testing.T) {
		w := a.do(req{method: "GET", target: "/customers/" + c.ID.String(), tenant: "dealer a/b"})
		problem(t, w, http.StatusUnauthorized, "tenant")
	})
	t.Run("actor refused", func(t *testing.T) {
		w := a.do(req{method: "GET", target: "/customers/" + c.ID.String(), tenant: "dealer-a", header: map[string]string{"X-Actor": "bad"}})
		problem(t, w, http.StatusUnauthorized, "actor")
	})
	t.Run("no such route", func(t *testing.T) {
		w := a.do(req{method: "GET", target: "/nothing", tenant: "dealer-a"})
		problem(t, w, http.StatusNotFound, "route.not_found")
	})
	t.Run("no such method", func(t *testing.T) {
		w := a.do(req{method: "TRACE", target: "/customers/" + c.ID.String(), tenant: "dealer-a"})
		problem(t, w, http.StatusMethodNotAllowed, "method.not_allowed")
		assert.NotEmpty(t, w.Header().Get("Allow"))
	})
}

func TestClosedStoreAndDeadline(t *testing.T) {
	t.Parallel()
	a := newAPI(t, nil)
	c := a.create("dealer-a", storagetestIndividual(2))
	r := httptest.NewRequest("GET", "/customers/"+c.ID.String(), nil)
	r.Header.Set("X-Tenant", "dealer-a")
	ctx, cancel := contextWithDeadline(t, time.Now().Add(-time.Second))
	defer cancel()
	w := httptest.NewRecorder()
	a.h.ServeHTTP(w, r.WithContext(ctx))
	problem(t, w, http.StatusGatewayTimeout, "timeout")

	require.NoError(t, a.store.Close())
	w = a.do(req{method: "GET", target: "/customers/" + c.ID.String(), tenant: "dealer-a"})
	problem(t, w, http.StatusServiceUnavailable, "unavailable")
	assert.NotEmpty(t, w.Header().Get("Retry-After"))
}

// TestProblemListsBoundedErrors sends a body of thousands of bad entries:
// the 422 lists the first httpapi.MaxListedErrors and counts the rest, so
// that an answer is never many times the size of its request (the
// outside review got 27.6 MB back for 1 MB).
func TestProblemListsBoundedErrors(t *testing.T) {
	t.Parallel()
	a := newAPI(t, nil)
	body := `{"kind":"individual","status":"prospect","name":"Ana Souza","phones":["x"` + strings.Repeat(`,"x"`, 49999) + `]}`
	w := a.do(req{method: "POST", target: "/customers", tenant: "dealer-a", body: body})
	require.Equal(t, http.StatusUnprocessableEntity, w.Code)
	var p httpapi.Problem
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &p))
	assert.Len(t, p.Errors, httpapi.MaxListedErrors)
	assert.Positive(t, p.Omitted)
	assert.Equal(t, 50000+1, len(p.Errors)+p.Omitted, "every failed field (each phone, and their number) is listed or counted")
	assert.Less(t, w.Body.Len(), len(body), "the answer is smaller than the request")
}
