package httpapi

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/customer"
)

// etag returns the entity tag of a customer's version: "v3".
func etag(version int64) string {
	return `"v` + strconv.FormatInt(version, 10) + `"`
}

// pathID returns the customer ID of the path, or answers 404: no customer
// has an ID that is not a UUID.
func pathID(w http.ResponseWriter, r *http.Request) (uuid.UUID, bool) {
	s := r.PathValue("id")
	id, err := uuid.Parse(s)
	if err != nil || len(s) != 36 {
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
	w.Header().Set("ETag", etag(c.Version))
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
	if inm := r.Header.Get("If-None-Match"); inm != "" && strings.TrimSpace(inm) == etag(cu.Version) {
		w.Header().Set("ETag", etag(cu.Version))
		w.WriteHeader(http.StatusNotModified)
		return
	}
	writeCustomer(w, r, http.StatusOK, cu)
}
