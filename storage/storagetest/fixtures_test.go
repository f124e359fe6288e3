package storagetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
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
