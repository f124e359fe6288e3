package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/storage/sqlite"
	"github.com/fichacrm/ficha/storage/storagetest"
)

// TestOverSQLite runs the main flow over the embedded SQL adapter: a
// create, a read, a browser's write-back with times to the millisecond, a
// patch, a search, another tenant kept out, and a delete.
func TestOverSQLite(t *testing.T) {
	store, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "ficha.db"), nil)
	require.NoError(t, err)
	t.Cleanup(func() { _ = store.Close() })
	a := newAPIOver(t, store, nil)

	full := a.post("dealer-a", storagetest.Full(time.Now()))
	target := "/customers/" + full.ID.String()
	w := a.do(req{method: "GET", target: target, tenant: "dealer-a"})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())

	var m map[string]any
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &m))
	m["created_at"] = full.CreatedAt.Truncate(time.Millisecond).Format("2006-01-02T15:04:05.000Z07:00")
	b, err := json.Marshal(m)
	require.NoError(t, err)
	w = a.do(req{method: "PUT", target: target, tenant: "dealer-a", body: string(b), header: ifMatch(`"v1"`)})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, `"v1"`, versionOf(w.Header().Get("ETag")), "a JavaScript Date's creation time is no change")

	w = a.do(req{method: "PATCH", target: target, tenant: "dealer-a", body: `{"notes":"via sqlite"}`, header: patchHeader(`"v1"`)})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, `"v2"`, versionOf(w.Header().Get("ETag")))

	q := url.Values{"plate": {full.Assets[0].Plate.Format()}}.Encode()
	w = a.do(req{method: "GET", target: "/customers/search?" + q, tenant: "dealer-a"})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Len(t, decode[searchAnswer](t, w.Body.Bytes()).Items, 1)
	w = a.do(req{method: "GET", target: "/customers/search?" + q, tenant: "dealer-b"})
	assert.Empty(t, decode[searchAnswer](t, w.Body.Bytes()).Items)
	problem(t, a.do(req{method: "GET", target: target, tenant: "dealer-b"}), http.StatusNotFound, "not_found")
	problem(t, a.do(req{method: "DELETE", target: target, tenant: "dealer-b", header: ifMatch(`"v2"`)}), http.StatusNotFound, "not_found")

	w = a.do(req{method: "DELETE", target: target, tenant: "dealer-a", header: ifMatch(`"v2"`)})
	require.Equal(t, http.StatusNoContent, w.Code, w.Body.String())
	w = a.do(req{method: "GET", target: target + "/history", tenant: "dealer-a"})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Contains(t, w.Body.String(), `"op":"delete"`)
}
