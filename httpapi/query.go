package httpapi

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/validation"
)

// params are a request's query parameters, read one by one; what fails is
// recorded, to be answered at once with 400.
type params struct {
	q url.Values
	v validation.Error
}

// readParams reads the query of r, recording every parameter that is not
// among known, or that is given more than once.
func readParams(r *http.Request, known ...string) *params {
	q, err := url.ParseQuery(r.URL.RawQuery)
	p := &params{q: q}
	if err != nil {
		p.v.Add("", errParam)
	}
	var unknown []string
	for k, vs := range q {
		switch {
		case !slices.Contains(known, k):
			unknown = append(unknown, k)
		case len(vs) > 1:
			p.v.Add(k, errParam)
		}
	}
	slices.Sort(unknown)
	for _, k := range unknown {
		p.v.Add(keyPath("", k), errParamUnknown)
	}
	return p
}

// str returns the parameter's text, "" when absent.
func (p *params) str(name string) string { return p.q.Get(name) }

// int returns the parameter as a whole number, 0 when absent.
func (p *params) int(name string) int64 {
	s := p.q.Get(name)
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		p.v.Add(name, errParam)
	}
	return n
}

// limit returns the page size, 0 when absent; a negative one is ErrLimit.
func (p *params) limit() (int, error) {
	n := p.int("limit")
	if n < 0 {
		return 0, storage.ErrLimit
	}
	return int(min(n, 1<<20)), nil
}

// time returns the parameter as an RFC 3339 time, zero when absent.
func (p *params) time(name string) time.Time {
	s := p.q.Get(name)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		p.v.Add(name, errParam)
	}
	return t
}

// text parses the parameter into u when it is given.
func (p *params) text(name string, u interface{ UnmarshalText([]byte) error }) {
	if s := p.q.Get(name); s != "" {
		if err := u.UnmarshalText([]byte(s)); err != nil {
			p.v.Add(name, err)
		}
	}
}

// required reports whether the parameter is given, recording it as
// missing when it is not.
func (p *params) required(name string) bool {
	if p.q.Get(name) == "" {
		p.v.Add(name, errParamRequired)
		return false
	}
	return true
}

// page returns the page size, answering 400 and returning false when it,
// or any parameter read before it, failed.
func (p *params) page(w http.ResponseWriter, r *http.Request) (int, bool) {
	limit, err := p.limit()
	if p.failed(w, r) {
		return 0, false
	}
	if err != nil {
		fail(w, r, err)
		return 0, false
	}
	return limit, true
}

// failed answers 400 and returns true when a parameter failed.
func (p *params) failed(w http.ResponseWriter, r *http.Request) bool {
	if len(p.v.Fields) == 0 {
		return false
	}
	writeProblem(w, r, badParams(&p.v))
	return true
}

// orders are the names of the list orders, in storage.Order's order.
var orders = [...]string{storage.NewestFirst: "newest", storage.OldestFirst: "oldest", storage.ByName: "name"}

// listCustomers serves GET /customers.
func (h *handler) listCustomers(w http.ResponseWriter, r *http.Request, c call) {
	p := readParams(r, "order", "status", "kind", "updated_since", "updated_before", "created_since", "created_before", "cursor", "limit")
	var o storage.ListOptions
	if s := p.str("order"); s != "" {
		i := slices.Index(orders[:], s)
		if i < 0 {
			p.v.Add("order", errParam)
		}
		o.Order = storage.Order(max(i, 0))
	}
	p.text("status", &o.Status)
	p.text("kind", &o.Kind)
	o.UpdatedSince, o.UpdatedBefore = p.time("updated_since"), p.time("updated_before")
	o.CreatedSince, o.CreatedBefore = p.time("created_since"), p.time("created_before")
	o.Cursor = p.str("cursor")
	limit, err := p.limit()
	if p.failed(w, r) {
		return
	}
	if err != nil {
		fail(w, r, err)
		return
	}
	o.Limit = limit
	page, err := h.store.List(r.Context(), c.tenant, &o)
	if err != nil {
		if errors.Is(err, storage.ErrInvalid) || errors.Is(err, storage.ErrOrder) {
			writeProblem(w, r, badParams(&validation.Error{}))
			return
		}
		fail(w, r, err)
		return
	}
	if page.Items == nil {
		page.Items = []storage.Summary{}
	}
	writeJSON(w, r, http.StatusOK, page)
}

// searchParams are the query parameters of a search: one per search field,
// named as the field ("name", "tax_id", "dms_customer", ...).
var searchParams = func() []string {
	var names []string
	for _, f := range customer.Fields() {
		names = append(names, f.String())
	}
	return names
}()

// queryField returns the filter of q that a search field sets.
func queryField(q *customer.Query, f customer.Field) *string {
	switch f {
	case customer.FieldName:
		return &q.Name
	case customer.FieldPhone:
		return &q.Phone
	case customer.FieldTaxID:
		return &q.TaxID
	case customer.FieldCompany:
		return &q.Company
	case customer.FieldVIN:
		return &q.VIN
	case customer.FieldPlate:
		return &q.Plate
	case customer.FieldDMSCustomer:
		return &q.DMSCustomer
	case customer.FieldServiceOrder:
		return &q.ServiceOrder
	case customer.FieldEmail:
		return &q.Email
	}
	return nil
}

// searchPage is the answer of a search.
type searchPage struct {
	Items []storage.Hit `json:"items"`
	Next  string        `json:"next,omitempty"`
	// Incomplete: the search stopped at its budget before it filled
	// the page (storage.Page.Incomplete); Next goes on.
	Incomplete bool `json:"incomplete,omitempty"`
}

// searchCustomers serves GET /customers/search.
func (h *handler) searchCustomers(w http.ResponseWriter, r *http.Request, c call) {
	p := readParams(r, append([]string{"cursor", "limit"}, searchParams...)...)
	var q customer.Query
	for _, f := range customer.Fields() {
		if s := queryField(&q, f); s != nil {
			*s = p.str(f.String())
		}
	}
	limit, err := p.limit()
	if p.failed(w, r) {
		return
	}
	if err != nil {
		fail(w, r, err)
		return
	}
	page, err := h.store.Search(r.Context(), c.tenant, q, &storage.SearchOptions{Limit: limit, Cursor: p.str("cursor")})
	if err != nil {
		var v *validation.Error
		switch {
		case errors.As(err, &v):
			writeProblem(w, r, badParams(v))
		case errors.Is(err, customer.ErrEmptyQuery):
			var e validation.Error
			e.Add("", customer.ErrEmptyQuery)
			writeProblem(w, r, badParams(&e))
		default:
			fail(w, r, err)
		}
		return
	}
	out := searchPage{Items: page.Hits, Next: page.Next, Incomplete: page.Incomplete}
	if out.Items == nil {
		out.Items = []storage.Hit{}
	}
	writeJSON(w, r, http.StatusOK, out)
}

// historyPage is the answer of a history request.
type historyPage struct {
	Items []storage.Change `json:"items"`
	// NextBefore is the before of the next page; absent on the last.
	NextBefore int64 `json:"next_before,omitempty"`
}

// customerHistory serves GET /customers/{id}/history.
func (h *handler) customerHistory(w http.ResponseWriter, r *http.Request, c call) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	p := readParams(r, "before", "limit")
	before := p.int("before")
	if before < 0 {
		p.v.Add("before", errParam)
	}
	limit, err := p.limit()
	if p.failed(w, r) {
		return
	}
	if err != nil {
		fail(w, r, err)
		return
	}
	items, err := h.store.History(r.Context(), c.tenant, id, before, limit)
	if err != nil {
		fail(w, r, err)
		return
	}
	page := historyPage{Items: items}
	if page.Items == nil {
		page.Items = []storage.Change{}
	}
	want := storage.DefaultLimit
	if limit > 0 {
		want = min(limit, storage.MaxLogLimit)
	}
	if len(items) == want {
		page.NextBefore = items[len(items)-1].Seq
	}
	writeJSON(w, r, http.StatusOK, page)
}
