package storage

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

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

// FuzzBirthdayCursor checks a birthday cursor both ways, as FuzzPosition
// does, and that it does not carry the day and month in the clear.
func FuzzBirthdayCursor(f *testing.F) {
	f.Add(uint8(1), uint16(315), []byte("0123456789abcdef"), int32(7), "b2.AAAA")
	s := &Store{cursorKey: []byte("a key for the fuzz target, 32 B.")}
	f.Fuzz(func(t *testing.T, seg uint8, md uint16, id []byte, index int32, sent string) {
		if _, _, err := s.openBirthdayCursor(sent, "loja", nil); err != nil && !errors.Is(err, ErrCursor) {
			t.Fatalf("a cursor sent opened to %v", err)
		}
		p := BirthdayPosition{MD: MonthDay(md), Index: int(index)}
		copy(p.CustomerID[:], id)
		c := s.sealBirthdayCursor(int(seg), p, "loja", nil)
		gotSeg, got, err := s.openBirthdayCursor(c, "loja", nil)
		if err != nil || gotSeg != int(seg) || *got != p {
			t.Fatalf("sealed %d %+v, opened %d %+v, %v", seg, p, gotSeg, got, err)
		}
	})
}

func TestBirthdayCursorHidesTheDay(t *testing.T) {
	s := &Store{cursorKey: []byte("a key for the fuzz target, 32 B.")}
	for _, md := range []MonthDay{315, 1225, 101} {
		c := s.sealBirthdayCursor(0, BirthdayPosition{MD: md, CustomerID: uuid.UUID{1, 2, 3}}, "loja", nil)
		b, err := base64.RawURLEncoding.DecodeString(c[3:])
		if err != nil {
			t.Fatal(err)
		}
		if MonthDay(binary.BigEndian.Uint16(b[1:3])) == md {
			t.Errorf("the cursor %s shows the birthday %d", c, md)
		}
	}
}
