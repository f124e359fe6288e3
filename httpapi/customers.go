package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/validation"
)

// etag returns the entity tag of a version: "v3" (agenda items, requests).
func etag(version int64) string {
	return `"v` + strconv.FormatInt(version, 10) + `"`
}

// customerTag returns a customer's entity tag: its version and a token of
// its creation time, as in "v3.mfx1b0qk2w". Deleted, a customer's ID may
// be given to another, whose versions start again at 1: the token tells
// the two apart, so that a tag read from the first never matches the
// second (found by the outside review: a stale If-Match changed and
// deleted the new customer).
func customerTag(c *customer.Customer) string {
	return `"v` + strconv.FormatInt(c.Version, 10) + "." + born(c) + `"`
}

// born is the token of a customer's creation time: its microseconds since
// the epoch, in base 36.
func born(c *customer.Customer) string {
	return strconv.FormatInt(c.CreatedAt.UnixMicro(), 36)
}

// match is what an If-Match header names: a version, and the creation
// token of the customer its tag was read from ("" for a bare "v3", which
// names no customer's creation).
type match struct {
	version int64
	born    string
}

// ifMatch returns what the If-Match header names, whether the header was
// sent, and whether it names exactly one version in the form the tags
// are written ("v3", or a customer's "v3.<token>").
func ifMatch(r *http.Request) (m match, sent, ok bool) {
	vs := r.Header.Values("If-Match")
	if len(vs) == 0 {
		return match{}, false, false
	}
	if len(vs) > 1 {
		return match{}, true, false
	}
	s := strings.TrimSpace(vs[0])
	s, found := strings.CutPrefix(s, `"v`)
	if !found {
		return match{}, true, false
	}
	s, found = strings.CutSuffix(s, `"`)
	if !found {
		return match{}, true, false
	}
	var dot bool
	s, m.born, dot = strings.Cut(s, ".")
	if s == "" || s[0] == '+' || s[0] == '-' || len(s) > 19 || !isToken(m.born) || dot && m.born == "" {
		return match{}, true, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return match{}, true, false
	}
	m.version = n
	return m, true, true
}

// isToken reports whether s can be a creation token: empty, or at most 13
// digits and lower-case letters (base 36 of a time in microseconds). A
// negative time gives a leading '-'.
func isToken(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if len(s) > 13 {
		return false
	}
	for _, c := range []byte(s) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'z') {
			return false
		}
	}
	return true
}

// precondition returns what If-Match names of a customer, or answers 428
// when it is missing and 412 when it cannot match any version of a
// customer.
func precondition(w http.ResponseWriter, r *http.Request) (match, bool) {
	return preconditionFor(w, r, codeStale, true)
}

// preconditionOf is precondition for a resource other than a customer,
// whose tags are bare versions and whose 412 is stale.
func preconditionOf(w http.ResponseWriter, r *http.Request, stale *validation.Rule) (int64, bool) {
	m, ok := preconditionFor(w, r, stale, false)
	return m.version, ok
}

// preconditionFor reads If-Match: 428 when it is missing, 412 (stale) when
// it names no version, or a creation token where tags have none (tokens
// false).
func preconditionFor(w http.ResponseWriter, r *http.Request, stale *validation.Rule, tokens bool) (match, bool) {
	m, sent, ok := ifMatch(r)
	switch {
	case !sent:
		writeProblem(w, r, problem{status: http.StatusPreconditionRequired, code: codeNeedMatch})
		return match{}, false
	case !ok || !tokens && m.born != "":
		writeProblem(w, r, problem{status: http.StatusPreconditionFailed, code: stale})
		return match{}, false
	}
	return m, true
}

// pathID returns the customer ID of the path, or answers 404: no customer
// has an ID that is not a UUID, or the nil UUID.
func pathID(w http.ResponseWriter, r *http.Request) (uuid.UUID, bool) {
	s := r.PathValue("id")
	id, err := uuid.Parse(s)
	if err != nil || len(s) != 36 || id == uuid.Nil {
		writeProblem(w, r, problem{status: http.StatusNotFound, code: codeNotFound})
		return uuid.Nil, false
	}
	return id, true
}

// writeJSON writes v as JSON with status.
func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// writeCustomer writes c with its ETag.
func writeCustomer(w http.ResponseWriter, r *http.Request, status int, c *customer.Customer) {
	w.Header().Set("ETag", customerTag(c))
	writeJSON(w, r, status, c)
}

// getCustomer serves GET /customers/{id}.
func (h *handler) getCustomer(w http.ResponseWriter, r *http.Request, c call) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	cu, err := h.store.Get(r.Context(), c.tenant, id)
	if err != nil {
		fail(w, r, err)
		return
	}
	if inm := strings.TrimSpace(r.Header.Get("If-None-Match")); inm != "" && (inm == customerTag(cu) || inm == etag(cu.Version)) {
		w.Header().Set("ETag", customerTag(cu))
		w.WriteHeader(http.StatusNotModified)
		return
	}
	writeCustomer(w, r, http.StatusOK, cu)
}

// customerBody reads and parses the customer a POST or PUT sends. For a
// PUT, id is the path's, which a body's id must equal. It answers the
// request itself (400, 413, 415, 422) and returns false when the body
// fails; a 422 lists every field that failed to parse, with the rules of
// customer validation that the other fields break.
func (h *handler) customerBody(w http.ResponseWriter, r *http.Request, id uuid.UUID) (*customer.Customer, bool) {
	b, ok := readBody(w, r, h.maxBody, "application/json")
	if !ok {
		return nil, false
	}
	return h.parseCustomer(w, r, b, id)
}

// parseCustomer is customerBody once the body is read.
func (h *handler) parseCustomer(w http.ResponseWriter, r *http.Request, b []byte, id uuid.UUID) (*customer.Customer, bool) {
	var in customerIn
	var v validation.Error
	if err := decodeRequest(b, &in, &v); err != nil {
		writeProblem(w, r, problem{status: http.StatusBadRequest, code: codeMalformed})
		return nil, false
	}
	c := in.customer(&v)
	if id != uuid.Nil {
		if c.ID != uuid.Nil && c.ID != id {
			v.Add("id", errIDMismatch)
		}
		c.ID = id
	}
	if len(v.Fields) > 0 {
		h.validateRest(c, &v)
		writeProblem(w, r, invalid(&v))
		return nil, false
	}
	return c, true
}

// validateRest adds to v what customer validation finds in c, except at or
// under the paths that already failed to parse (a CPF that failed is not
// also "required").
func (h *handler) validateRest(c *customer.Customer, v *validation.Error) {
	addRest(v, c.ValidateAt(h.opts.Now()))
}

// addRest adds to v the fields of err, a validation's error, except at or
// under the paths that already failed to parse.
func addRest(v *validation.Error, err error) {
	var more *validation.Error
	if !errors.As(err, &more) {
		return
	}
	failed := make([]string, len(v.Fields))
	for i, f := range v.Fields {
		failed[i] = f.Path
	}
	for _, f := range more.Fields {
		if !slices.ContainsFunc(failed, func(p string) bool { return under(f.Path, p) }) {
			v.Fields = append(v.Fields, f)
		}
	}
}

// under reports whether path is p or lies below it.
func under(path, p string) bool {
	if path == p {
		return true
	}
	if p == "" {
		return false
	}
	rest, ok := strings.CutPrefix(path, p)
	return ok && (rest[0] == '.' || rest[0] == '[')
}

// location is the URL of a customer created by a POST to r: the request's
// own path, as the client sent it (before any prefix was stripped), and
// the ID.
func location(r *http.Request, id uuid.UUID) string {
	p := r.URL.Path
	if u, err := url.ParseRequestURI(r.RequestURI); err == nil && u.Path != "" {
		p = u.Path
	}
	return strings.TrimSuffix(p, "/") + "/" + id.String()
}

// createCustomer serves POST /customers.
func (h *handler) createCustomer(w http.ResponseWriter, r *http.Request, c call) {
	in, ok := h.customerBody(w, r, uuid.Nil)
	if !ok {
		return
	}
	cu, err := h.store.Create(r.Context(), c.tenant, in)
	if err != nil {
		fail(w, r, err)
		return
	}
	w.Header().Set("Location", location(r, cu.ID))
	writeCustomer(w, r, http.StatusCreated, cu)
}

// replaceCustomer serves PUT /customers/{id}.
func (h *handler) replaceCustomer(w http.ResponseWriter, r *http.Request, c call) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	m, ok := precondition(w, r)
	if !ok {
		return
	}
	// A body read from GET of a merged customer's ID holds the survivor's
	// ID: say where the customer went rather than that the IDs differ.
	if rd, err := h.store.Redirect(r.Context(), c.tenant, id); err == nil {
		mergedAway(w, r, id, rd.To)
		return
	}
	in, ok := h.customerBody(w, r, id)
	if !ok {
		return
	}
	if m.born != "" {
		cu, ok := h.current(w, r, c, id, m)
		if !ok {
			return
		}
		// A body without its creation time is of the customer the tag
		// names: should another be created under the ID before the save,
		// the save is refused, not written over it.
		if in.CreatedAt.IsZero() {
			in.CreatedAt = cu.CreatedAt
		}
	}
	h.save(w, r, c, in, m.version)
}

// current reads the customer a write starts from and checks it is still
// at the version If-Match named: 404 or 412 otherwise, and false.
func (h *handler) current(w http.ResponseWriter, r *http.Request, c call, id uuid.UUID, m match) (*customer.Customer, bool) {
	cu, err := h.store.Get(r.Context(), c.tenant, id)
	if err != nil {
		fail(w, r, err)
		return nil, false
	}
	if cu.ID != id {
		mergedAway(w, r, id, cu.ID)
		return nil, false
	}
	if cu.Version != m.version || m.born != "" && m.born != born(cu) {
		writeProblem(w, r, problem{status: http.StatusPreconditionFailed, code: codeStale})
		return nil, false
	}
	return cu, true
}

// save stores in, read at version, as the customer's new state and
// answers it with its new ETag.
func (h *handler) save(w http.ResponseWriter, r *http.Request, c call, in *customer.Customer, version int64) {
	in.Version = version
	cu, err := h.store.Update(r.Context(), c.tenant, in)
	if err != nil {
		h.failWrite(w, r, c, in.ID, err)
		return
	}
	writeCustomer(w, r, http.StatusOK, cu)
}

// mergedAway answers 409 customer.merged to a write that names a customer
// merged into another, into, whose URL goes in Location: reads of a merged
// ID find the survivor (a DMS link keeps working), but a write must name
// the record it changes.
func mergedAway(w http.ResponseWriter, r *http.Request, from, into uuid.UUID) {
	p := r.URL.Path
	if i := strings.LastIndex(p, "/customers/"+from.String()); i >= 0 {
		w.Header().Set("Location", p[:i]+"/customers/"+into.String())
	}
	writeProblem(w, r, problem{status: http.StatusConflict, code: codeMerged})
}

// mergedInBody is mergedAway for a write that names the customer in its
// body (POST /agenda, POST /privacy/requests), served at route under the
// API's prefix: it answers and reports true when from was merged.
func (h *handler) mergedInBody(w http.ResponseWriter, r *http.Request, c call, route string, from uuid.UUID) bool {
	rd, err := h.store.Redirect(r.Context(), c.tenant, from)
	if err != nil {
		return false
	}
	if prefix, ok := strings.CutSuffix(strings.TrimSuffix(r.URL.Path, "/"), route); ok {
		w.Header().Set("Location", prefix+"/customers/"+rd.To.String())
	}
	writeProblem(w, r, problem{status: http.StatusConflict, code: codeMerged})
	return true
}

// failWrite is fail for a write that names customer id: a customer merged
// into another is told as such (see mergedAway), not as missing.
func (h *handler) failWrite(w http.ResponseWriter, r *http.Request, c call, id uuid.UUID, err error) {
	if errors.Is(err, storage.ErrNotFound) {
		if rd, rerr := h.store.Redirect(r.Context(), c.tenant, id); rerr == nil {
			mergedAway(w, r, id, rd.To)
			return
		}
	}
	fail(w, r, err)
}

// deleteCustomer serves DELETE /customers/{id}.
func (h *handler) deleteCustomer(w http.ResponseWriter, r *http.Request, c call) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	m, ok := precondition(w, r)
	if !ok {
		return
	}
	var created time.Time
	if m.born != "" {
		cu, ok := h.current(w, r, c, id, m)
		if !ok {
			return
		}
		created = cu.CreatedAt // checked again in the delete's own transaction
	}
	if err := h.store.DeleteCreated(r.Context(), c.tenant, id, m.version, created); err != nil {
		h.failWrite(w, r, c, id, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
