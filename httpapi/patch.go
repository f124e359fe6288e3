package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http"
)

// mergePatch applies the JSON Merge Patch patch to target (RFC 7396) and
// returns the result; target's maps may be changed.
func mergePatch(target, patch any) any {
	p, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	t, ok := target.(map[string]any)
	if !ok {
		t = make(map[string]any, len(p))
	}
	for k, v := range p {
		if v == nil {
			delete(t, k)
		} else {
			t[k] = mergePatch(t[k], v)
		}
	}
	return t
}

// patchCustomer serves PATCH /customers/{id}: the patch is applied to the
// customer's JSON as stored, and the result is saved as a PUT of it would
// be. A patch is a JSON object; its failures are reported at the paths of
// the patched document.
func (h *handler) patchCustomer(w http.ResponseWriter, r *http.Request, c call) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	m, ok := precondition(w, r)
	if !ok {
		return
	}
	b, ok := readBody(w, r, h.maxBody, "application/merge-patch+json", "application/json")
	if !ok {
		return
	}
	patch, err := parseTree(b)
	if err != nil {
		writeProblem(w, r, problem{status: http.StatusBadRequest, code: codeMalformed})
		return
	}
	cur, ok := h.current(w, r, c, id, m)
	if !ok {
		return
	}
	stored, err := json.Marshal(cur)
	if err != nil {
		fail(w, r, err)
		return
	}
	dec := json.NewDecoder(bytes.NewReader(stored))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		fail(w, r, err)
		return
	}
	merged, err := json.Marshal(mergePatch(doc, patch))
	if err != nil {
		fail(w, r, err)
		return
	}
	in, ok := h.parseCustomer(w, r, merged, id)
	if !ok {
		return
	}
	h.save(w, r, c, in, m.version)
}
