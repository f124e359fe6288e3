package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestServer checks what the page relies on without a browser: the page
// and its files with a policy that keeps them to their origin, the API
// under /api/, the offline CEPs and the demo, created once.
func TestServer(t *testing.T) {
	path := filepath.Join(t.TempDir(), "desk.db")
	store, err := openStore(t.Context(), path)
	require.NoError(t, err)
	t.Cleanup(func() { _ = store.Close() })
	now := time.Now()
	require.NoError(t, seed(t.Context(), store, now))
	require.NoError(t, seed(t.Context(), store, now), "a second start keeps the demo as it is")
	n, err := store.Counts(t.Context(), tenant)
	require.NoError(t, err)
	assert.Equal(t, int64(4), n.Total)
	assert.Equal(t, int64(1), n.Prospects)

	h, err := newHandler(store, offlineLookup)
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	get := func(path string) (*http.Response, string) {
		res, err := http.Get(srv.URL + path)
		require.NoError(t, err)
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		return res, string(b)
	}

	res, body := get("/")
	require.Equal(t, http.StatusOK, res.StatusCode)
	assert.Contains(t, body, `<script src="desk.js" defer></script>`)
	csp := res.Header.Get("Content-Security-Policy")
	assert.Contains(t, csp, "script-src 'self'")
	assert.Contains(t, csp, "frame-ancestors 'none'")
	assert.NotContains(t, body, "http://", "nothing is loaded from elsewhere")
	assert.NotContains(t, body, "https://")
	for _, f := range []string{"/desk.js", "/desk.css"} {
		res, body := get(f)
		assert.Equal(t, http.StatusOK, res.StatusCode, f)
		assert.NotContains(t, body, "https://", f)
		assert.NotContains(t, body, "innerHTML", "the page writes data as text, never as HTML")
	}

	res, body = get("/config.json")
	require.Equal(t, http.StatusOK, res.StatusCode)
	var cfg struct{ Attendant, Today string }
	require.NoError(t, json.Unmarshal([]byte(body), &cfg))
	assert.Equal(t, attendant.ID, cfg.Attendant)
	_, err = time.Parse(time.DateOnly, cfg.Today)
	assert.NoError(t, err)

	res, body = get("/api/agenda/day?attendant=" + attendant.ID + "&date=" + cfg.Today)
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	assert.Contains(t, body, "Retorno sobre a revisão")

	res, body = get("/api/cep/20040-020")
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	assert.Contains(t, body, "Avenida Rio Branco")
	res, _ = get("/api/cep/99999-999")
	assert.Equal(t, http.StatusNotFound, res.StatusCode)

	res, body = get("/api/customers/search?plate=BRA2E19")
	require.Equal(t, http.StatusOK, res.StatusCode)
	assert.Contains(t, body, "Maria da Conceição Oliveira")

	post, err := http.Post(srv.URL+"/", "text/plain", strings.NewReader("x"))
	require.NoError(t, err)
	post.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, post.StatusCode)
}
