package httpapi

import (
	_ "embed"
	"net/http"
)

// openAPI is the OpenAPI 3.1 document of the API: every route of
// routeTable, its parameters, bodies and answers, and the problem type. A
// test holds its paths and methods to routeTable, both ways, and validates
// it against the OpenAPI 3.1 schema.
//
//go:embed openapi.json
var openAPI []byte

// openAPIDoc serves GET /openapi.json. It needs no tenant: the document
// holds nothing of any.
func (h *handler) openAPIDoc(w http.ResponseWriter, r *http.Request, _ call) {
	if p := readParams(r); p.failed(w, r) {
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(openAPI)
}
