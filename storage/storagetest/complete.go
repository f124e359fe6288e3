package storagetest

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/internal/fields"
	"github.com/fichacrm/ficha/storage"
)

// storeSet are the fields the store, not the caller, sets.
var storeSet = map[string]bool{"id": true, "version": true, "created_at": true, "updated_at": true}

// Leaves returns every field of the customer aggregate, by path, except
// those the store sets.
func leaves() []fields.Leaf {
	var out []fields.Leaf
	for _, l := range fields.Leaves(reflect.TypeFor[customer.Customer]()) {
		if !storeSet[l.Path()] {
			out = append(out, l)
		}
	}
	return out
}

// requireEveryField asserts that got holds, in every field of the
// aggregate and at every element, the value want holds.
func requireEveryField(t *testing.T, want, got *customer.Customer) {
	t.Helper()
	for _, l := range leaves() {
		w, g := l.Values(want), l.Values(got)
		require.Len(t, g, len(w), "%s: elements", l.Path())
		for i := range w {
			assert.True(t, fields.Equal(w[i], g[i]), "%s (element %d) is not kept", l.Path(), i)
		}
	}
}

// testEveryFieldRoundTrips checks, field by field and found by reflection
// so that a field added to the aggregate is checked without a change
// here, that a created customer reads back as the store returned it, and
// that an update that changes every field does too. (That the store keeps
// what the caller gave is RoundTripFullCustomer's part.)
func testEveryFieldRoundTrips(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	now := time.Now()
	full := Full(now)
	created, err := s.Create(ctx(t), tn, full)
	require.NoError(t, err)
	got, err := s.Get(ctx(t), tn, created.ID)
	require.NoError(t, err)
	requireEveryField(t, created, got)

	other := FullOther(now)
	other.ID, other.Version = created.ID, created.Version
	updated, err := s.UpdateWithPolicy(ctx(t), tn, other, customer.Policies{})
	require.NoError(t, err)
	got, err = s.Get(ctx(t), tn, created.ID)
	require.NoError(t, err)
	requireEveryField(t, updated, got)
	assert.Equal(t, updated.Version, got.Version)
}

// testEachFieldUpdatedAlone updates a full customer one field at a time,
// each field (found by reflection) given FullOther's value, and checks
// after each update that the customer reads back as the store returned
// it: an adapter that writes only what an update changed must not miss a
// field. A value that is invalid beside the others (a company's kind
// with an individual's CPF) is refused and changes nothing.
func testEachFieldUpdatedAlone(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	now := time.Now()
	cur, err := s.Create(ctx(t), tn, Full(now))
	require.NoError(t, err)
	other := FullOther(now)
	updated := 0
	for _, l := range leaves() {
		next := cur.Clone()
		require.True(t, l.Set(next, other), "FullOther has no %s", l.Path())
		if len(customer.Diff(cur, next)) == 0 {
			continue // set already with a field before (a card as a whole, then its holder)
		}
		saved, err := s.UpdateWithPolicy(ctx(t), tn, next, customer.Policies{})
		if errors.Is(err, storage.ErrInvalid) {
			got, gerr := s.Get(ctx(t), tn, cur.ID)
			require.NoError(t, gerr)
			requireEveryField(t, cur, got)
			continue
		}
		require.NoError(t, err, l.Path())
		require.Equal(t, cur.Version+1, saved.Version, "%s: not written", l.Path())
		got, err := s.Get(ctx(t), tn, cur.ID)
		require.NoError(t, err)
		requireEveryField(t, saved, got)
		if t.Failed() {
			t.Fatalf("after an update of %s alone", l.Path())
		}
		cur = saved
		updated++
	}
	assert.Greater(t, updated, len(leaves())*3/4, "most fields can change alone")
}
