package storagetest

import (
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
