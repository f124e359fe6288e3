package httpapi_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage/storagetest"
)

func storagetestIndividual(n int) *customer.Customer { return storagetest.Individual(n) }

func contextWithDeadline(t *testing.T, d time.Time) (context.Context, context.CancelFunc) {
	return context.WithDeadline(t.Context(), d)
}

func newRequest(method, target, body string) *http.Request {
	var b io.Reader
	if body != "" {
		b = strings.NewReader(body)
	}
	r := httptest.NewRequest(method, target, b)
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	return r
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// versionOf is the version part of an ETag: "v2" of "v2.mfx1b0qk2w", the
// tag as a test that knows only the version writes it.
func versionOf(tag string) string {
	if v, _, ok := strings.Cut(strings.Trim(tag, `"`), "."); ok {
		return `"` + v + `"`
	}
	return tag
}
