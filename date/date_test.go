package date_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/date"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in    string
		valid bool
	}{
		{"2024-02-29", true},
		{"2023-02-29", false},
		{"1900-02-29", false},
		{"2000-02-29", true},
		{"2024-04-31", false},
		{"2024-13-01", false},
		{"2024-1-01", false},
		{"24-01-01xx", false},
		{"", false},
	}
	for _, tt := range tests {
		d, err := date.Parse(tt.in)
		if !tt.valid {
			assert.ErrorIs(t, err, date.ErrInvalid, tt.in)
			continue
		}
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.in, d.String())
	}
}

func TestFormatAndCompare(t *testing.T) {
	t.Parallel()
	d := date.MustNew(1985, time.March, 7)
	assert.Equal(t, "07/03/1985", d.Format())
	assert.Equal(t, "", date.Date{}.Format())
	assert.True(t, d.Before(date.MustNew(1985, time.March, 8)))
	assert.True(t, d.After(date.MustNew(1984, time.December, 31)))
	assert.Equal(t, d, date.Of(d.Time(time.UTC)))
}

func TestJSONAndSQL(t *testing.T) {
	t.Parallel()
	d := date.MustNew(2030, time.January, 2)
	b, err := json.Marshal(struct{ D date.Date }{d})
	require.NoError(t, err)
	assert.JSONEq(t, `{"D":"2030-01-02"}`, string(b))
	var back struct{ D date.Date }
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, d, back.D)
	assert.Error(t, json.Unmarshal([]byte(`{"D":"2030-02-30"}`), &back))

	v, err := date.Date{}.Value()
	require.NoError(t, err)
	assert.Nil(t, v, "the zero date is NULL")
	var s date.Date
	require.NoError(t, s.Scan(time.Date(2030, 1, 2, 0, 0, 0, 0, time.UTC)))
	assert.Equal(t, d, s)
	require.NoError(t, s.Scan([]byte("2030-01-02")))
	assert.Equal(t, d, s)
	require.NoError(t, s.Scan(nil))
	assert.True(t, s.IsZero())
	assert.Error(t, s.Scan(42))
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"2024-02-29", "2023-02-29", "0000-00-00", "9999-12-31"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := date.Parse(s)
		if err != nil {
			return
		}
		back, err := date.Parse(d.String())
		if err != nil || back != d {
			t.Fatalf("round trip of %q failed", s)
		}
		if !d.IsValid() || date.Of(d.Time(time.UTC)) != d {
			t.Fatalf("%q parsed to an impossible day", s)
		}
	})
}
