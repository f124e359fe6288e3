package storage

import (
	"errors"
	"testing"
	"time"

	"github.com/fichacrm/ficha/customer"
)

// FuzzPosition checks a list cursor both ways: a position sealed for a
// domain, tenant and scope opens to the same position there and nowhere
// else, and whatever string is sent as a cursor opens to ErrCursor or to a
// position without panicking.
func FuzzPosition(f *testing.F) {
	f.Add("list", "loja", []byte{1, 2, 3}, int64(1_700_000_000_000_000), []byte("0123456789abcdef"), "joao silva", "p2.AAAA")
	f.Add("stale", "t", []byte{}, int64(0), []byte{}, "", "")
	s := &Store{cursorKey: []byte("a key for the fuzz target, 32 B.")}
	f.Fuzz(func(t *testing.T, domain, tenant string, scope []byte, us int64, id []byte, name, sent string) {
		if p, err := s.openPosition(domain, sent, tenant, scope); err != nil && !errors.Is(err, ErrCursor) {
			t.Fatalf("a cursor sent opened to %v", err)
		} else if err == nil && len(p.SortName) > customer.MaxSortName {
			t.Fatal("a position longer than any cursor sealed")
		}
		var p Position
		copy(p.ID[:], id)
		if us != 0 && us > -1<<60 && us < 1<<60 {
			p.UpdatedAt = time.UnixMicro(us).UTC()
		}
		if len(name) > customer.MaxSortName {
			name = name[:customer.MaxSortName]
		}
		p.SortName = name
		c := s.sealPosition(domain, p, tenant, scope)
		got, err := s.openPosition(domain, c, tenant, scope)
		if err != nil {
			t.Fatalf("a sealed cursor did not open: %v", err)
		}
		if got.ID != p.ID || !got.UpdatedAt.Equal(p.UpdatedAt) || got.SortName != p.SortName {
			t.Fatalf("opened %+v, sealed %+v", got, p)
		}
		if _, err := s.openPosition(domain, c, tenant+"x", scope); !errors.Is(err, ErrCursor) {
			t.Fatal("a cursor opened for another tenant")
		}
	})
}
