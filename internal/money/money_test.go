package money_test

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/internal/money"
	"github.com/fichacrm/ficha/validation"
)

func TestParse(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want string
		err  error
	}{
		{"1500", "1500", nil},
		{"1234.56", "1234.56", nil},
		{"-0.5", "-0.5", nil},
		{"+12", "12", nil},
		{"1.5e3", "1500", nil},
		{"0001500.0000", "1500", nil},
		{"1e2147483647", "", validation.ErrMoneyRange},
		{"1e-2147483647", "", validation.ErrMoneyRange},
		{strings.Repeat("9", 31), "", validation.ErrMoneyRange},
		{strings.Repeat("1", 100000), "", validation.ErrMoneyRange},
		{"", "", validation.ErrInvalid},
		{".", "", validation.ErrInvalid},
		{"1e", "", validation.ErrInvalid},
		{"1,50", "", validation.ErrInvalid},
		{"0x10", "", validation.ErrInvalid},
		{"1.2.3", "", validation.ErrInvalid},
		{"NaN", "", validation.ErrInvalid},
		{" 1", "", validation.ErrInvalid},
	} {
		d, err := money.Parse(tt.in)
		if tt.err != nil {
			assert.ErrorIs(t, err, tt.err, "%.40q", tt.in)
			continue
		}
		require.NoError(t, err, tt.in)
		assert.True(t, d.Equal(decimal.RequireFromString(tt.want)), "%s: %s", tt.in, d)
	}
}

func TestCheck(t *testing.T) {
	for _, tt := range []struct {
		d    decimal.Decimal
		want error
	}{
		{decimal.RequireFromString("9999999999999.99"), nil},
		{decimal.RequireFromString("0.10"), nil},
		{decimal.Zero, nil},
		{decimal.New(1, 13), validation.ErrMoneyRange},
		{decimal.RequireFromString("-1"), validation.ErrNegative},
		{decimal.RequireFromString("0.001"), validation.ErrMoneyPrecision},
		{decimal.New(1, 2147483647), validation.ErrMoneyRange},
		{decimal.New(1, -2147483647), validation.ErrMoneyPrecision},
		{decimal.New(0, -2147483647), validation.ErrMoneyPrecision},
		{decimal.RequireFromString(strings.Repeat("9", 5000)), validation.ErrMoneyRange},
	} {
		assert.Equal(t, tt.want, money.Check(tt.d), "%v", tt.d.Exponent())
	}
}

func TestJSON(t *testing.T) {
	var m money.JSON
	require.NoError(t, m.UnmarshalJSON([]byte(`"12.50"`)))
	assert.Equal(t, "12.5", m.String())
	require.NoError(t, m.UnmarshalJSON([]byte(`12.5`)))
	assert.Equal(t, "12.5", m.String())
	require.NoError(t, m.UnmarshalJSON([]byte(`null`)))
	assert.True(t, m.IsZero())
	assert.ErrorIs(t, m.UnmarshalJSON([]byte(`"1e999999"`)), validation.ErrMoneyRange)
	assert.Error(t, m.UnmarshalJSON([]byte(`true`)))
}

// FuzzParse: no text is slow or panics, what parses is bounded, and its
// canonical form parses to the same amount.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"1500", "1234.56", "-0.5", "1.5e3", "1e2147483647", "9e-30", "00.00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := money.Parse(s)
		if err != nil {
			return
		}
		if e := d.Exponent(); e > money.MaxExponent+money.MaxDigits || e < -(money.MaxExponent+money.MaxDigits) {
			t.Fatalf("exponent %d past the bounds", e)
		}
		_ = money.Check(d) // bounded: must return promptly
		// The form storage writes (two decimals) of a checked amount reads
		// back as the same amount.
		if money.Check(d) == nil {
			again, err := money.Parse(d.StringFixed(2))
			if err != nil || !again.Equal(d) {
				t.Fatalf("%q: %s then %s (%v)", s, d, again, err)
			}
		}
		again, err := money.Parse(d.String())
		if err == nil && !again.Equal(d) {
			t.Fatalf("%q: %s then %s", s, d, again)
		}
	})
}
