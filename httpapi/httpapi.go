package httpapi

import (
	"errors"
	"net/http"
	"time"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/customer/info"
	"github.com/fichacrm/ficha/sheet"
	"github.com/fichacrm/ficha/storage"
)

// DefaultMaxBody is the largest request body read when Options.MaxBody is
// zero: 1 MiB, far above the largest customer an attendant types.
const DefaultMaxBody = 1 << 20

// Errors returned by [New].
var (
	// ErrNoStore: New was given a nil store.
	ErrNoStore = errors.New("httpapi: no store")
	// ErrNoTenant: New was given no tenant function; an API without
	// tenants would serve every tenant's customers to anyone.
	ErrNoTenant = errors.New("httpapi: a tenant function is required")
)

// TenantFunc returns the tenant of a request, from what the host's own
// authentication established (a session, a token, a host name), never
// from the body or the query. An error answers 401; its text is not shown.
type TenantFunc func(r *http.Request) (string, error)

// Options configure the handler [New] returns; nil means the defaults.
type Options struct {
	// Actor, when set, returns who makes the request, which the store
	// records with every write. An error answers 401; its text is not
	// shown. Without it writes are recorded as the store's zero Actor, or
	// refused with 403 when the store requires an actor.
	Actor func(r *http.Request) (storage.Actor, error)
	// Lookup, when set, serves GET /cep/{cep}; without it that route
	// answers 501.
	Lookup address.Lookup
	// MaxBody is the largest request body read, in bytes;
	// DefaultMaxBody when zero or less.
	MaxBody int64
	// Info is the additional-information table the sheet prints and GET
	// /info/fields lists when the store has none of its own
	// (storage.Options.Info, which comes first); info.Default() when
	// both are nil.
	Info *info.Schema
	// Sheet holds the sheet's other options (time zone, banks). English
	// is chosen per request from Accept-Language.
	Sheet *sheet.Options
	// Now returns the current time, for validating a body that failed to
	// parse; time.Now when nil.
	Now func() time.Time
}

// handler is what New returns.
type handler struct {
	store   *storage.Store
	tenant  TenantFunc
	opts    Options
	mux     *http.ServeMux
	maxBody int64
}

// New returns the API over store as one http.Handler, each request's
// tenant given by tenant. It returns ErrNoStore for a nil store and
// ErrNoTenant for a nil tenant function: there is no API without tenants.
// It does no I/O.
func New(store *storage.Store, tenant TenantFunc, opts *Options) (http.Handler, error) {
	if store == nil {
		return nil, ErrNoStore
	}
	if tenant == nil {
		return nil, ErrNoTenant
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	h := &handler{store: store, tenant: tenant, opts: o, mux: http.NewServeMux(), maxBody: o.MaxBody}
	if h.maxBody <= 0 {
		h.maxBody = DefaultMaxBody
	}
	if h.opts.Now == nil {
		h.opts.Now = time.Now
	}
	h.routes()
	return h, nil
}

// ServeHTTP dispatches the request; a route or method the API does not
// have is answered with a problem, as every other error is.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store") // answers hold personal data
	next, pattern := h.mux.Handler(r)
	if pattern == "" {
		next.ServeHTTP(&muxError{w: w, r: r}, r)
		return
	}
	h.mux.ServeHTTP(w, r)
}

// muxError turns the plain-text 404 and 405 answers of http.ServeMux into
// problems.
type muxError struct {
	w     http.ResponseWriter
	r     *http.Request
	wrote bool
}

func (m *muxError) Header() http.Header { return m.w.Header() }

func (m *muxError) WriteHeader(code int) {
	if m.wrote {
		return
	}
	m.wrote = true
	p := problemFor(code)
	writeProblem(m.w, m.r, p)
}

func (m *muxError) Write(b []byte) (int, error) {
	if !m.wrote {
		m.WriteHeader(http.StatusNotFound)
	}
	return len(b), nil
}

// call is what a route knows of its request once the tenant and actor
// functions have run.
type call struct {
	tenant string
}

// with wraps a route: it finds the tenant and the actor, puts the actor in
// the context and calls fn.
func (h *handler) with(fn func(w http.ResponseWriter, r *http.Request, c call)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var c call
		tenant, err := h.tenant(r)
		if err != nil || storage.CheckTenant(tenant) != nil {
			writeProblem(w, r, problemFor(http.StatusUnauthorized).with(codeTenant))
			return
		}
		c.tenant = tenant
		if h.opts.Actor != nil {
			a, err := h.opts.Actor(r)
			if err != nil {
				writeProblem(w, r, problemFor(http.StatusUnauthorized).with(codeActor))
				return
			}
			r = r.WithContext(storage.WithActor(r.Context(), a))
		}
		fn(w, r, c)
	}
}

// route is one route of the API: a method, a pattern of [http.ServeMux]
// and what serves it. The mux is built from routeTable, and a test holds
// the OpenAPI document to it, both ways.
type route struct {
	method, pattern string
	serve           func(h *handler, w http.ResponseWriter, r *http.Request, c call)
	// public routes need no tenant.
	public bool
}

// routeTable returns every route of the API, the one list of them.
func routeTable() []route {
	rs := []route{
		{"GET", "/customers", (*handler).listCustomers, false},
		{"GET", "/customers/search", (*handler).searchCustomers, false},
		{"GET", "/customers/{id}", (*handler).getCustomer, false},
		{"GET", "/customers/{id}/history", (*handler).customerHistory, false},
		{"GET", "/customers/{id}/sheet", (*handler).customerSheet, false},
		{"GET", "/customers/{id}/locked", (*handler).locked, false},
		{"GET", "/info/fields", (*handler).infoFields, false},
		{"GET", "/cep/{cep}", (*handler).lookupCEP, false},
		{"POST", "/customers", (*handler).createCustomer, false},
		{"PUT", "/customers/{id}", (*handler).replaceCustomer, false},
		{"PATCH", "/customers/{id}", (*handler).patchCustomer, false},
		{"DELETE", "/customers/{id}", (*handler).deleteCustomer, false},
		{"PUT", "/customers/{id}/info/{key}", (*handler).putInfo, false},
		{"DELETE", "/customers/{id}/info/{key}", (*handler).deleteInfo, false},
		{"POST", "/customers/{id}/attendances", (*handler).attend, false},
		{"GET", "/customers/{id}/attendances", (*handler).attendances, false},
		{"GET", "/customers/{id}/freshness", (*handler).freshness, false},
		{"GET", "/stale", (*handler).stale, false},
		{"POST", "/agenda", (*handler).schedule, false},
		{"GET", "/agenda", (*handler).agendaList, false},
		{"GET", "/agenda/day", (*handler).agendaDay, false},
		{"GET", "/agenda/overdue", (*handler).agendaOverdue, false},
		{"GET", "/agenda/{id}", (*handler).agendaItem, false},
		{"POST", "/agenda/{id}/reschedule", (*handler).reschedule, false},
		{"POST", "/agenda/{id}/complete", (*handler).complete, false},
		{"POST", "/agenda/{id}/cancel", (*handler).cancel, false},
		{"GET", "/birthdays", (*handler).birthdays, false},
		{"GET", "/counts", (*handler).counts, false},
		{"GET", "/changes", (*handler).changes, false},
		{"GET", "/customers/{id}/consents", (*handler).customerConsents, false},
		{"POST", "/customers/{id}/consents", (*handler).recordConsents, false},
		{"POST", "/customers/{id}/opt-out", (*handler).optOut, false},
		{"GET", "/customers/{id}/may-contact", (*handler).mayContact, false},
		{"POST", "/customers/{id}/anonymise", (*handler).anonymise, false},
		{"GET", "/consent/reachable", (*handler).reachable, false},
		{"POST", "/suppressions", (*handler).suppress, false},
		{"POST", "/privacy/export", (*handler).export, false},
		{"GET", "/privacy/requests", (*handler).requests, false},
		{"POST", "/privacy/requests", (*handler).openRequest, false},
		{"GET", "/privacy/requests/{id}", (*handler).getRequest, false},
		{"POST", "/privacy/requests/{id}/answer", (*handler).answerRequest, false},
		{"GET", "/openapi.json", (*handler).openAPIDoc, true},
	}
	for _, l := range subLists {
		base := "/customers/{id}/" + l.name()
		rs = append(rs,
			route{"POST", base, func(h *handler, w http.ResponseWriter, r *http.Request, c call) { h.appendEntry(w, r, c, l) }, false},
			route{"PUT", base + "/{index}", func(h *handler, w http.ResponseWriter, r *http.Request, c call) { h.replaceEntry(w, r, c, l) }, false},
			route{"DELETE", base + "/{index}", func(h *handler, w http.ResponseWriter, r *http.Request, c call) { h.removeEntry(w, r, c, l) }, false},
		)
	}
	return rs
}

// routes registers every route of routeTable on the mux.
func (h *handler) routes() {
	for _, rt := range routeTable() {
		serve := func(w http.ResponseWriter, r *http.Request, c call) { rt.serve(h, w, r, c) }
		if rt.public {
			h.mux.HandleFunc(rt.method+" "+rt.pattern, func(w http.ResponseWriter, r *http.Request) { serve(w, r, call{}) })
			continue
		}
		h.mux.Handle(rt.method+" "+rt.pattern, h.with(serve))
	}
}
