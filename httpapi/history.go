package httpapi

import (
	"errors"
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/date"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/validation"
)

// attendanceIn is the body of POST /customers/{id}/attendances: an
// attendance.Attendance with its identifiers and time as text. Its
// customer_id, when given, must be the path's.
type attendanceIn struct {
	ID         string      `json:"id"`
	CustomerID string      `json:"customer_id"`
	Contact    string      `json:"contact"`
	At         string      `json:"at"`
	Attendant  attendantIn `json:"attendant"`
	Channel    string      `json:"channel"`
	Reason     string      `json:"reason"`
	Outcome    string      `json:"outcome"`
	Notes      string      `json:"notes"`
	Confirmed  string      `json:"confirmed"`
	AgendaItem string      `json:"agenda_item"`
}

type attendantIn struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// optionalID parses s, a UUID in its 36-character form, at path; "" is
// uuid.Nil.
func optionalID(v *validation.Error, path, s string) uuid.UUID {
	if s == "" {
		return uuid.Nil
	}
	id, err := uuid.Parse(s)
	if err != nil || len(s) != 36 {
		v.Add(path, validation.ErrInvalid)
		return uuid.Nil
	}
	return id
}

// optionalTime parses s, an RFC 3339 time, at path; "" is the zero time.
func optionalTime(v *validation.Error, path, s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		v.Add(path, validation.ErrInvalid)
	}
	return t
}

// attendance parses the request for the customer id, recording every
// field that fails in v.
func (in *attendanceIn) attendance(v *validation.Error, id uuid.UUID) *attendance.Attendance {
	a := &attendance.Attendance{CustomerID: id, Contact: in.Contact, Outcome: in.Outcome, Notes: in.Notes,
		Attendant: attendance.Attendant(in.Attendant)}
	a.ID = optionalID(v, "id", in.ID)
	if c := optionalID(v, "customer_id", in.CustomerID); c != uuid.Nil && c != id {
		v.Add("customer_id", errIDMismatch)
	}
	a.At = optionalTime(v, "at", in.At)
	text(v, "channel", in.Channel, &a.Channel)
	text(v, "reason", in.Reason, &a.Reason)
	text(v, "confirmed", in.Confirmed, &a.Confirmed)
	a.AgendaItem = optionalID(v, "agenda_item", in.AgendaItem)
	return a
}

// attend serves POST /customers/{id}/attendances.
func (h *handler) attend(w http.ResponseWriter, r *http.Request, c call) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	b, ok := readBody(w, r, h.maxBody, "application/json")
	if !ok {
		return
	}
	var in attendanceIn
	var v validation.Error
	if err := decodeRequest(b, &in, &v); err != nil {
		writeProblem(w, r, problem{status: http.StatusBadRequest, code: codeMalformed})
		return
	}
	a := in.attendance(&v, id)
	if len(v.Fields) > 0 {
		addRest(&v, a.Validate(h.opts.Now()))
		writeProblem(w, r, invalid(&v))
		return
	}
	got, err := h.store.Attend(r.Context(), c.tenant, a)
	if err != nil {
		var fields *validation.Error
		if errors.Is(err, storage.ErrInvalid) && !errors.As(err, &fields) && a.AgendaItem != uuid.Nil {
			v.Add("agenda_item", errNotTheCustomers)
			writeProblem(w, r, invalid(&v))
			return
		}
		h.failWrite(w, r, c, id, err)
		return
	}
	writeJSON(w, r, http.StatusCreated, got)
}

// attendances serves GET /customers/{id}/attendances: the customer's,
// newest first; another tenant's customer has none.
func (h *handler) attendances(w http.ResponseWriter, r *http.Request, c call) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	p := readParams(r, "cursor", "limit")
	limit, ok := p.page(w, r)
	if !ok {
		return
	}
	page, err := h.store.Attendances(r.Context(), c.tenant, id, limit, p.str("cursor"))
	if err != nil {
		fail(w, r, err)
		return
	}
	if page.Items == nil {
		page.Items = []attendance.Attendance{}
	}
	writeJSON(w, r, http.StatusOK, page)
}

// freshness serves GET /customers/{id}/freshness: for each section of the
// record, when it was last confirmed or changed.
func (h *handler) freshness(w http.ResponseWriter, r *http.Request, c call) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	if p := readParams(r); p.failed(w, r) {
		return
	}
	f, err := h.store.Freshness(r.Context(), c.tenant, id)
	if err != nil {
		fail(w, r, err)
		return
	}
	if f == nil {
		f = attendance.Freshness{}
	}
	writeJSON(w, r, http.StatusOK, f)
}

// stale serves GET /stale?section=phones&before=...: the customers whose
// section was last confirmed or changed before a time, stalest first.
func (h *handler) stale(w http.ResponseWriter, r *http.Request, c call) {
	p := readParams(r, "section", "before", "cursor", "limit")
	var section attendance.Section
	if p.required("section") {
		p.text("section", &section)
		if _, err := section.Single(); err != nil && section != 0 {
			p.v.Add("section", errParam)
		}
	}
	var before time.Time
	if p.required("before") {
		before = p.time("before")
	}
	limit, ok := p.page(w, r)
	if !ok {
		return
	}
	page, err := h.store.Stale(r.Context(), c.tenant, section, before, limit, p.str("cursor"))
	if err != nil {
		failParams(w, r, err)
		return
	}
	if page.Items == nil {
		page.Items = []storage.StaleRow{}
	}
	writeJSON(w, r, http.StatusOK, page)
}

// birthdays serves GET /birthdays?from=&to=: the birthdays of customers
// and their contacts that fall between two days, both included.
func (h *handler) birthdays(w http.ResponseWriter, r *http.Request, c call) {
	p := readParams(r, "from", "to", "cursor", "limit")
	var from, to date.Date
	if p.required("from") {
		p.text("from", &from)
	}
	if p.required("to") {
		p.text("to", &to)
	}
	limit, ok := p.page(w, r)
	if !ok {
		return
	}
	page, err := h.store.Birthdays(r.Context(), c.tenant, from, to, limit, p.str("cursor"))
	if err != nil {
		if errors.Is(err, storage.ErrRange) {
			var v validation.Error
			v.Add("to", storage.ErrRange)
			writeProblem(w, r, badParams(&v))
			return
		}
		failParams(w, r, err)
		return
	}
	if page.Items == nil {
		page.Items = []storage.Birthday{}
	}
	writeJSON(w, r, http.StatusOK, page)
}

// counts serves GET /counts: the tenant's customers by status and kind.
func (h *handler) counts(w http.ResponseWriter, r *http.Request, c call) {
	if p := readParams(r); p.failed(w, r) {
		return
	}
	n, err := h.store.Counts(r.Context(), c.tenant)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, n)
}

// changesPage is the answer of GET /changes.
type changesPage struct {
	Items []storage.Change `json:"items"`
	// NextAfter is the after of the next call: the last entry's sequence
	// number, or the after asked for when there was none.
	NextAfter int64 `json:"next_after"`
}

// changes serves GET /changes?after=N: the tenant's change feed, in
// sequence order.
func (h *handler) changes(w http.ResponseWriter, r *http.Request, c call) {
	p := readParams(r, "after", "limit")
	after := p.int("after")
	if after < 0 {
		p.v.Add("after", errParam)
	}
	limit, ok := p.page(w, r)
	if !ok {
		return
	}
	items, err := h.store.Changes(r.Context(), c.tenant, after, limit)
	if err != nil {
		fail(w, r, err)
		return
	}
	page := changesPage{Items: items, NextAfter: after}
	if page.Items == nil {
		page.Items = []storage.Change{}
	}
	if len(items) > 0 {
		page.NextAfter = items[len(items)-1].Seq
	}
	writeJSON(w, r, http.StatusOK, page)
}

// failParams answers err of a store's list: a filter the store finds
// invalid is a 400 like the parameters', anything else as fail does.
func failParams(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, storage.ErrInvalid) {
		var v *validation.Error
		if !errors.As(err, &v) {
			v = &validation.Error{}
		}
		writeProblem(w, r, badParams(v))
		return
	}
	fail(w, r, err)
}
