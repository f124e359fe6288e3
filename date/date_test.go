package date_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/date"
	"github.com/fichacrm/ficha/validation"
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

func TestParseBrazilian(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want string // "" when refused
	}{
		{"28/02/1975", "1975-02-28"},
		{"1/2/1975", "1975-02-01"},
		{"01/2/1975", "1975-02-01"},
		{" 29/02/2024 ", "2024-02-29"},
		{"1975-02-28", "1975-02-28"},
		{"29/02/2023", ""},
		{"31/04/2024", ""},
		{"1/13/2024", ""},
		{"28/02/75", ""},
		{"28/02/01975", ""},
		{"028/02/1975", ""},
		{"28-02-1975", ""},
		{"28.02.1975", ""},
		{"28/02/1975/1", ""},
		{"//1975", ""},
		{"+1/2/1975", ""},
		{"1975-2-28", ""},
		{"", ""},
	}
	for _, tt := range tests {
		d, err := date.ParseBrazilian(tt.in)
		if tt.want == "" {
			assert.ErrorIs(t, err, date.ErrInvalid, tt.in)
			continue
		}
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, d.String(), tt.in)
	}
}

// FuzzParseBrazilian: what ParseBrazilian accepts is a real day, which it
// reads back from the form Format shows.
func FuzzParseBrazilian(f *testing.F) {
	for _, s := range []string{"28/02/1975", "1/2/1975", "2024-02-29", "29/02/2023", "0/0/0000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := date.ParseBrazilian(s)
		if err != nil {
			if err != date.ErrInvalid {
				t.Fatalf("%q: %v is not the rule", s, err)
			}
			return
		}
		back, err := date.ParseBrazilian(d.Format())
		if err != nil || back != d || !d.IsValid() {
			t.Fatalf("round trip of %q failed", s)
		}
	})
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

// TestInputErrorsAreTheRule: every error about the date a caller or a
// database hands in is ErrInvalid, a rule with a code and messages in
// English and Portuguese, never a bare error.
func TestInputErrorsAreTheRule(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "date.invalid", date.ErrInvalid.Code())
	assert.Equal(t, "data inválida", date.ErrInvalid.Message(validation.Portuguese))
	assert.Equal(t, "not a valid date", date.ErrInvalid.Message(validation.English))

	var errs []error
	for _, s := range []string{"", "07/03/1985", "1985-3-7", "1985-02-30", "0000-01-01", "1985-03-07x", "٢٠٢٤-٠١-٠١"} {
		_, err := date.Parse(s)
		errs = append(errs, err)
		if s != "" { // empty text is the zero date
			var d date.Date
			errs = append(errs, d.UnmarshalText([]byte(s)))
			if len(s) <= 10 { // a database's longer text is a timestamp, read up to its date
				errs = append(errs, d.Scan(s), d.Scan([]byte(s)))
			}
		}
	}
	_, err := date.New(2023, time.February, 29)
	errs = append(errs, err)
	_, err = date.Date{Year: 2023, Month: 2, Day: 29}.MarshalText()
	errs = append(errs, err)
	_, err = date.Date{Year: 10000, Month: 1, Day: 1}.Value()
	errs = append(errs, err)
	var d date.Date
	for _, tm := range []time.Time{time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)} {
		errs = append(errs, d.Scan(tm))
	}
	assert.True(t, d.IsZero(), "a failed scan leaves the date as it was")
	var doc struct {
		BirthDate date.Date `json:"birth_date"`
	}
	errs = append(errs, json.Unmarshal([]byte(`{"birth_date":"1985-02-30"}`), &doc))

	for i, err := range errs {
		require.Error(t, err, i)
		var rule *validation.Rule
		require.ErrorAs(t, err, &rule, "%d: %v", i, err)
		assert.Same(t, date.ErrInvalid, rule, i)
	}

	// Placed at a field, it shows in Portuguese.
	var v validation.Error
	v.Add("birth_date", errs[len(errs)-1])
	assert.True(t, v.Has("birth_date", "date.invalid"))
	assert.Equal(t, "dados inválidos: birth_date: data inválida", v.Format(validation.Portuguese))

	// A value of another type says the column is no date: not a rule.
	err = d.Scan(42)
	require.Error(t, err)
	assert.NotErrorIs(t, err, date.ErrInvalid)
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"2024-02-29", "2023-02-29", "0000-00-00", "9999-12-31"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := date.Parse(s)
		if err != nil {
			if err != date.ErrInvalid {
				t.Fatalf("%q: %v is not the rule", s, err)
			}
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

// FuzzScan: whatever text a database hands back scans to the zero date or
// a valid one that is stored again as read, or fails with ErrInvalid.
func FuzzScan(f *testing.F) {
	for _, s := range []string{"2024-02-29", "2024-02-29T00:00:00Z", "2024-02-29 10:00:00", "0000-00-00", "infinity", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var d date.Date
		for _, src := range []any{s, []byte(s)} {
			if err := d.Scan(src); err != nil {
				if err != date.ErrInvalid {
					t.Fatalf("%q: %v is not the rule", s, err)
				}
				continue
			}
			if d.IsZero() {
				continue
			}
			v, err := d.Value()
			if err != nil {
				t.Fatalf("%q scanned to %v, which cannot be stored: %v", s, d, err)
			}
			var back date.Date
			if err := back.Scan(v); err != nil || back != d {
				t.Fatalf("%q: %v stored as %v reads back as %v (%v)", s, d, v, back, err)
			}
		}
	})
}
