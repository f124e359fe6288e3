package memory

import (
	"slices"
	"testing"

	"github.com/google/uuid"
)

// TestHolders walks a key's set from one holder to many and back to none.
func TestHolders(t *testing.T) {
	a, b, c := uuid.New(), uuid.New(), uuid.New()
	sorted := func(h holders) []uuid.UUID {
		return slices.SortedFunc(h.all(), func(x, y uuid.UUID) int { return slices.Compare(x[:], y[:]) })
	}
	want := func(h holders, ids ...uuid.UUID) {
		t.Helper()
		slices.SortFunc(ids, func(x, y uuid.UUID) int { return slices.Compare(x[:], y[:]) })
		if got := sorted(h); !slices.Equal(got, ids) || h.len() != len(ids) {
			t.Fatalf("holders %v (len %d), want %v", got, h.len(), ids)
		}
	}
	var h holders
	want(h)
	h = h.add(a)
	want(h, a)
	h = h.add(a) // twice: still one
	want(h, a)
	h = h.add(b).add(c)
	want(h, a, b, c)
	h = h.remove(a).remove(uuid.New()) // one it does not hold: nothing
	want(h, b, c)
	h = h.remove(b)
	want(h, c)
	if h.many != nil {
		t.Error("one holder left, still in a map")
	}
	h = h.remove(b) // gone already
	want(h, c)
	h = h.remove(c)
	want(h)
}
