package httpapi

import (
	"errors"
	"net/http"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/agenda"
	"github.com/fichacrm/ficha/date"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/validation"
)

// itemIn is the body of POST /agenda: what a client sets of an
// agenda.Item. The status, resolution, history, version and times are the
// store's; a body that sends them is refused like any unknown field.
type itemIn struct {
	ID         string      `json:"id"`
	CustomerID string      `json:"customer_id"`
	Contact    string      `json:"contact"`
	Due        string      `json:"due"`
	Attendant  attendantIn `json:"attendant"`
	Subject    string      `json:"subject"`
	Channel    string      `json:"channel"`
	Notes      string      `json:"notes"`
}

// itemStoreFields are the fields of agenda.Item that itemIn leaves to the
// store.
var itemStoreFields = []string{"status", "resolved_by", "reschedules", "version", "created_at", "updated_at"}

// item parses the request, recording every field that fails in v.
func (in *itemIn) item(v *validation.Error) *agenda.Item {
	it := &agenda.Item{Contact: in.Contact, Subject: in.Subject, Notes: in.Notes, Status: agenda.Open}
	it.Attendant.ID, it.Attendant.Name = in.Attendant.ID, in.Attendant.Name
	it.ID = optionalID(v, "id", in.ID)
	it.CustomerID = optionalID(v, "customer_id", in.CustomerID)
	it.Due = optionalTime(v, "due", in.Due)
	text(v, "channel", in.Channel, &it.Channel)
	return it
}

// rescheduleIn is the body of POST /agenda/{id}/reschedule.
type rescheduleIn struct {
	Due string `json:"due"`
}

// completeIn is the body of POST /agenda/{id}/complete, which may be left
// out when no attendance was recorded.
type completeIn struct {
	AttendanceID string `json:"attendance_id"`
}

// writeItem writes it with its ETag, its version.
func writeItem(w http.ResponseWriter, r *http.Request, status int, it *agenda.Item) {
	w.Header().Set("ETag", etag(it.Version))
	writeJSON(w, r, status, it)
}

// failItem answers an error of the store about an agenda item: not found,
// stale and closed are the item's; the rest as fail answers them.
func failItem(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, storage.ErrNotFound):
		writeProblem(w, r, problem{status: http.StatusNotFound, code: codeNoItem})
	case errors.Is(err, storage.ErrConflict):
		writeProblem(w, r, problem{status: http.StatusPreconditionFailed, code: codeItemStale})
	case errors.Is(err, agenda.ErrClosed):
		writeProblem(w, r, problem{status: http.StatusConflict, code: codeItemClosed})
	default:
		fail(w, r, err)
	}
}

// itemID returns the agenda item's ID of the path, or answers 404.
func itemID(w http.ResponseWriter, r *http.Request) (uuid.UUID, bool) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil || len(r.PathValue("id")) != 36 || id == uuid.Nil {
		writeProblem(w, r, problem{status: http.StatusNotFound, code: codeNoItem})
		return uuid.Nil, false
	}
	return id, true
}

// schedule serves POST /agenda.
func (h *handler) schedule(w http.ResponseWriter, r *http.Request, c call) {
	b, ok := readBody(w, r, h.maxBody, "application/json")
	if !ok {
		return
	}
	var in itemIn
	var v validation.Error
	if err := decodeRequest(b, &in, &v); err != nil {
		writeProblem(w, r, problem{status: http.StatusBadRequest, code: codeMalformed})
		return
	}
	it := in.item(&v)
	if len(v.Fields) > 0 {
		addRest(&v, it.Validate())
		writeProblem(w, r, invalid(&v))
		return
	}
	got, err := h.store.Schedule(r.Context(), c.tenant, it)
	if err != nil {
		if errors.Is(err, storage.ErrNotFound) { // the customer
			if h.mergedInBody(w, r, c, "/agenda", it.CustomerID) {
				return
			}
			v.Add("customer_id", errNotTheCustomers)
			writeProblem(w, r, invalid(&v))
			return
		}
		fail(w, r, err)
		return
	}
	w.Header().Set("Location", location(r, got.ID))
	writeItem(w, r, http.StatusCreated, got)
}

// agendaList serves GET /agenda.
func (h *handler) agendaList(w http.ResponseWriter, r *http.Request, c call) {
	p := readParams(r, "attendant", "customer_id", "status", "from", "to", "cursor", "limit")
	o := storage.AgendaOptions{Attendant: p.str("attendant"), Cursor: p.str("cursor")}
	if s := p.str("customer_id"); s != "" {
		var v validation.Error
		if o.CustomerID = optionalID(&v, "customer_id", s); len(v.Fields) > 0 {
			p.v.Add("customer_id", errParam)
		}
	}
	p.text("status", &o.Status)
	o.From, o.To = p.time("from"), p.time("to")
	limit, ok := p.page(w, r)
	if !ok {
		return
	}
	o.Limit = limit
	page, err := h.store.Agenda(r.Context(), c.tenant, &o)
	if err != nil {
		failParams(w, r, err)
		return
	}
	writeAgenda(w, r, page)
}

// writeAgenda writes a page of the agenda.
func writeAgenda(w http.ResponseWriter, r *http.Request, page *storage.AgendaPage) {
	if page.Items == nil {
		page.Items = []agenda.Item{}
	}
	writeJSON(w, r, http.StatusOK, page)
}

// agendaDay serves GET /agenda/day?attendant=&date=YYYY-MM-DD: an
// attendant's ("" for everyone's) items of one day of the dealership's
// calendar, every status.
func (h *handler) agendaDay(w http.ResponseWriter, r *http.Request, c call) {
	p := readParams(r, "attendant", "date")
	var day date.Date
	if p.required("date") {
		p.text("date", &day)
	}
	if p.failed(w, r) {
		return
	}
	items, err := h.store.Day(r.Context(), c.tenant, p.str("attendant"), day)
	if err != nil {
		failParams(w, r, err)
		return
	}
	writeAgenda(w, r, &storage.AgendaPage{Items: items})
}

// agendaOverdue serves GET /agenda/overdue: open items due before now,
// the oldest first.
func (h *handler) agendaOverdue(w http.ResponseWriter, r *http.Request, c call) {
	p := readParams(r, "attendant", "cursor", "limit")
	limit, ok := p.page(w, r)
	if !ok {
		return
	}
	page, err := h.store.Overdue(r.Context(), c.tenant, p.str("attendant"), limit, p.str("cursor"))
	if err != nil {
		failParams(w, r, err)
		return
	}
	writeAgenda(w, r, page)
}

// agendaItem serves GET /agenda/{id}, with the item's ETag.
func (h *handler) agendaItem(w http.ResponseWriter, r *http.Request, c call) {
	id, ok := itemID(w, r)
	if !ok {
		return
	}
	it, err := h.store.AgendaItem(r.Context(), c.tenant, id)
	if err != nil {
		failItem(w, r, err)
		return
	}
	writeItem(w, r, http.StatusOK, it)
}

// changeItem serves a change of an agenda item at the version If-Match
// names: it reads the body into in when there is one (or when needBody),
// lets change parse it and call the store, and answers the item as saved.
func (h *handler) changeItem(w http.ResponseWriter, r *http.Request, in any, needBody bool,
	change func(id uuid.UUID, version int64, v *validation.Error) (*agenda.Item, error)) {
	id, ok := itemID(w, r)
	if !ok {
		return
	}
	version, ok := preconditionOf(w, r, codeItemStale)
	if !ok {
		return
	}
	var v validation.Error
	if needBody || r.ContentLength > 0 || r.Header.Get("Content-Type") != "" {
		b, ok := readBody(w, r, h.maxBody, "application/json")
		if !ok {
			return
		}
		if err := decodeRequest(b, in, &v); err != nil {
			writeProblem(w, r, problem{status: http.StatusBadRequest, code: codeMalformed})
			return
		}
	}
	it, err := change(id, version, &v)
	if len(v.Fields) > 0 {
		writeProblem(w, r, invalid(&v))
		return
	}
	if err != nil {
		failItem(w, r, err)
		return
	}
	writeItem(w, r, http.StatusOK, it)
}

// reschedule serves POST /agenda/{id}/reschedule.
func (h *handler) reschedule(w http.ResponseWriter, r *http.Request, c call) {
	var in rescheduleIn
	h.changeItem(w, r, &in, true, func(id uuid.UUID, version int64, v *validation.Error) (*agenda.Item, error) {
		due := optionalTime(v, "due", in.Due)
		if in.Due == "" {
			v.Add("due", agenda.ErrDue)
		}
		if len(v.Fields) > 0 {
			return nil, nil
		}
		it, err := h.store.Reschedule(r.Context(), c.tenant, id, due, version)
		if errors.Is(err, storage.ErrInvalid) && !errors.Is(err, agenda.ErrClosed) {
			var fields *validation.Error
			if errors.As(err, &fields) {
				v.Add("", fields) // the item's own paths: "due"
			} else {
				v.Add("due", err)
			}
		}
		return it, err
	})
}

// complete serves POST /agenda/{id}/complete.
func (h *handler) complete(w http.ResponseWriter, r *http.Request, c call) {
	var in completeIn
	h.changeItem(w, r, &in, false, func(id uuid.UUID, version int64, v *validation.Error) (*agenda.Item, error) {
		att := optionalID(v, "attendance_id", in.AttendanceID)
		if len(v.Fields) > 0 {
			return nil, nil
		}
		it, err := h.store.Complete(r.Context(), c.tenant, id, att, version)
		if errors.Is(err, storage.ErrInvalid) && !errors.Is(err, agenda.ErrClosed) {
			v.Add("attendance_id", errNotTheCustomers)
		}
		return it, err
	})
}

// cancel serves POST /agenda/{id}/cancel.
func (h *handler) cancel(w http.ResponseWriter, r *http.Request, c call) {
	var in struct{}
	h.changeItem(w, r, &in, false, func(id uuid.UUID, version int64, _ *validation.Error) (*agenda.Item, error) {
		return h.store.Cancel(r.Context(), c.tenant, id, version)
	})
}
