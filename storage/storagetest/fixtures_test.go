package storagetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/internal/fields"
)

// TestFixtures checks that the generators give valid customers and
// distinct keys, since the suite and the benchmarks rely on both.
func TestFixtures(t *testing.T) {
	t.Parallel()
	now := time.Now()
	require.NoError(t, Full(now).ValidateAt(now))
	plates := map[string]bool{}
	taxIDs := map[string]bool{}
	for i := 0; i < 200000; i++ {
		if i%97 == 0 {
			require.NoError(t, Individual(i).ValidateAt(now), i)
			require.NoError(t, Company(i).ValidateAt(now), i)
		}
		p := Plate(i).Mercosul().String()
		require.False(t, plates[p], "plate %d repeats", i)
		plates[p] = true
		c := CPF(i).String()
		require.False(t, taxIDs[c], "CPF %d repeats", i)
		taxIDs[c] = true
	}
}

// TestFullSetsEveryField checks, by reflection, that Full or FullOther
// sets every field of the aggregate (somewhere in each list; a trade name
// belongs to a company), and that FullOther is valid and differs from
// Full in every field at the first element: so a field
// added to the customer and forgotten in the fixtures fails here, before
// the tests that rely on the fixtures prove nothing about it.
func TestFullSetsEveryField(t *testing.T) {
	t.Parallel()
	now := time.Now()
	full, other := Full(now), FullOther(now)
	require.NoError(t, other.ValidateAt(now))
	ls := leaves()
	require.Greater(t, len(ls), 50, "the walk reaches the sub-records")
	for _, l := range ls {
		set := false
		for _, v := range append(l.Values(full), l.Values(other)...) {
			set = set || !fields.IsZero(v)
		}
		assert.True(t, set, "neither Full nor FullOther sets %s", l.Path())
		changed := fields.Clone(full)
		if !assert.True(t, l.Set(changed, other), "FullOther has no %s", l.Path()) {
			continue
		}
		assert.NotEqual(t, full, changed, "FullOther has the same %s as Full", l.Path())
	}
}
