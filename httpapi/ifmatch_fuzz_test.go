package httpapi

import (
	"net/http"
	"testing"
	"time"

	"github.com/fichacrm/ficha/customer"
)

// FuzzIfMatch checks the If-Match parser both ways: whatever header is
// sent, it names at most one positive version and a well-formed token;
// and every tag a customer is answered with names that customer back.
func FuzzIfMatch(f *testing.F) {
	for _, s := range []string{`"v1"`, `"v3.mfx1b0qk2w"`, `W/"v1"`, `*`, `"v1.`, `"v1.A"`, `"v01"`, `"v1.-1"`, ``} {
		f.Add(s, int64(3), int64(1_790_000_000_000_000))
	}
	f.Fuzz(func(t *testing.T, header string, version, us int64) {
		r := &http.Request{Header: http.Header{"If-Match": {header}}}
		if m, sent, ok := ifMatch(r); ok && (!sent || m.version <= 0 || !isToken(m.born)) {
			t.Fatalf("%q gave %+v", header, m)
		}
		if version <= 0 {
			return
		}
		c := &customer.Customer{Version: version, CreatedAt: time.UnixMicro(us).UTC()}
		r.Header.Set("If-Match", customerTag(c))
		m, _, ok := ifMatch(r)
		if !ok || m.version != version || m.born != born(c) {
			t.Fatalf("the tag %s read back as %+v, %v", customerTag(c), m, ok)
		}
	})
}
