package storage

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/date"
)

func TestBirthdaySegments(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		from, to date.Date
		want     []MDRange
	}{
		{date.MustNew(2030, time.December, 28), date.MustNew(2031, time.January, 5),
			[]MDRange{{1228, 1231, 2030}, {101, 105, 2031}}},
		{date.MustNew(2031, time.February, 1), date.MustNew(2031, time.February, 28),
			[]MDRange{{201, 229, 2031}}}, // a common year's 28th takes in the 29th
		{date.MustNew(2032, time.February, 1), date.MustNew(2032, time.February, 28),
			[]MDRange{{201, 228, 2032}}}, // a leap year's does not
		{date.MustNew(2031, time.March, 1), date.MustNew(2031, time.March, 7),
			[]MDRange{{301, 307, 2031}}},
	} {
		got, err := birthdaySegments(tc.from, tc.to)
		require.NoError(t, err)
		assert.Equal(t, tc.want, got, "%s to %s", tc.from, tc.to)
	}
	_, err := birthdaySegments(date.Date{}, date.MustNew(2031, time.March, 7))
	assert.ErrorIs(t, err, ErrRange)
	assert.Equal(t, date.MustNew(2031, time.February, 28), celebrated(time.February, 29, 2031))
	assert.Equal(t, date.MustNew(2032, time.February, 29), celebrated(time.February, 29, 2032))
}
