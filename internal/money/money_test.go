package money_test

import (
	"encoding/json"
	"errors"
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

func TestParseBrazilian(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   string
		want string
		err  error
	}{
		{"1.234,56", "1234.56", nil},
		{"1234,56", "1234.56", nil},
		{"1234.56", "1234.56", nil},
		{"R$ 1.500", "1500", nil},
		{" R$1.234.567,8 ", "1234567.8", nil},
		{"12.345.678", "12345678", nil},
		{"1.5", "1.5", nil},
		{"0,10", "0.1", nil},
		{"-5,00", "-5", nil},
		{"1e3", "1000", nil},
		{"1.234.", "", validation.ErrInvalid},
		{"01.500", "1.5", nil}, // no thousands group starts with 0
		{"1,2,3", "", validation.ErrInvalid},
		{"doze", "", validation.ErrInvalid},
		{"", "", validation.ErrInvalid},
		{strings.Repeat("9", 31) + ",00", "", validation.ErrMoneyRange},
	} {
		d, err := money.ParseBrazilian(tt.in)
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

func TestAppendTextKeepsTwoDecimals(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"62000", "62000.00"},
		{"62000.00", "62000.00"},
		{"6.2e4", "62000.00"},
		{"85350.4", "85350.40"},
		{"0.1", "0.10"},
		{"0.05", "0.05"},
		{"0", "0.00"},
		{"-0.00", "0.00"},
		{"0e-30", "0.00"},
		{"-3.5", "-3.50"},
		{"9999999999999.99", "9999999999999.99"},
		{"0001500.0000", "1500.00"},
		// Amounts validation refuses are still written exactly, in a
		// form that reads back.
		{"0.001", "0.001"},
		{"-0.125", "-0.125"},
		{"1e20", "100000000000000000000.00"},
		{"1e30", "1e30"},
		{"123456789012345678901234567890", "123456789012345678901234567890"},
		{"1.5e-30", "1.5e-30"},
		{"1.5e-20", "0.000000000000000000015"},
		{"0.00000000000000000000000000001e-30", "0.00000000000000000000000000001e-30"},
	} {
		d, err := money.Parse(tt.in)
		require.NoError(t, err, tt.in)
		b, err := money.AppendText([]byte("x"), d)
		require.NoError(t, err, tt.in)
		assert.Equal(t, "x"+tt.want, string(b), tt.in)
		back, err := money.Parse(tt.want)
		require.NoError(t, err, "%s is read back", tt.want)
		assert.True(t, back.Equal(d), "%s reads back as %s", tt.want, tt.in)
	}
}

func TestAppendTextRefusesWhatCannotBeRead(t *testing.T) {
	t.Parallel()
	for _, d := range []decimal.Decimal{
		decimal.New(1, 2147483647),
		decimal.New(1, -2147483647),
		decimal.New(1, 61),
		decimal.New(1, -61),
		decimal.RequireFromString(strings.Repeat("9", 5000)),
		decimal.RequireFromString(strings.Repeat("9", 31)),
	} {
		b, err := money.AppendText([]byte("x"), d)
		assert.ErrorIs(t, err, validation.ErrMoneyRange, "exponent %d", d.Exponent())
		assert.Equal(t, "x", string(b), "nothing is appended")
	}
	// Trailing zeros of the coefficient are not digits that count.
	b, err := money.AppendText(nil, decimal.New(100, -40))
	require.NoError(t, err)
	assert.Equal(t, "0.00000001e-30", string(b))
}

func TestJSONWritesTwoDecimals(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(money.JSON{decimal.RequireFromString("62000")})
	require.NoError(t, err)
	assert.Equal(t, `"62000.00"`, string(b))
	b, err = json.Marshal(money.JSON{})
	require.NoError(t, err)
	assert.Equal(t, `"0.00"`, string(b), "the zero amount")
	_, err = json.Marshal(money.JSON{decimal.New(1, 1000)})
	assert.ErrorIs(t, err, validation.ErrMoneyRange, "what could not be read back is not written")

	// What was written before, two decimals or not, as a string or a
	// number, reads as the same amount.
	for _, old := range []string{`"62000"`, `62000`, `"62000.0"`, `6.2e4`, `"62000.00"`} {
		var m money.JSON
		require.NoError(t, json.Unmarshal([]byte(old), &m), old)
		b, err := json.Marshal(m)
		require.NoError(t, err)
		assert.Equal(t, `"62000.00"`, string(b), old)
	}
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
		// What AppendText writes of any amount Parse read, Parse reads
		// back as the same amount, and writing it again gives the same
		// text; an amount in whole centavos has two decimal places.
		text, err := money.AppendText(nil, d)
		if err != nil {
			t.Fatalf("%q: %s cannot be written: %v", s, d, err)
		}
		checkWritten(t, d, string(text))
	})
}

// FuzzAppendText: any amount, however built, is written in a form Parse
// reads back as the same amount, or refused with ErrMoneyRange.
func FuzzAppendText(f *testing.F) {
	f.Add(int64(6200000), int32(-2))
	f.Add(int64(1), int32(30))
	f.Add(int64(-15), int32(-31))
	f.Add(int64(0), int32(-2147483648))
	f.Add(int64(-9223372036854775808), int32(12))
	f.Fuzz(func(t *testing.T, coef int64, exp int32) {
		d := decimal.New(coef, exp)
		text, err := money.AppendText(nil, d)
		if err != nil {
			if !errors.Is(err, validation.ErrMoneyRange) || len(text) != 0 {
				t.Fatalf("%de%d: %q, %v", coef, exp, text, err)
			}
			return
		}
		checkWritten(t, d, string(text))
	})
}

// checkWritten checks that text, written for d, reads back as d and is
// written again the same, with two decimal places for whole centavos.
func checkWritten(t *testing.T, d decimal.Decimal, text string) {
	t.Helper()
	back, err := money.Parse(text)
	if err != nil || !back.Equal(d) {
		t.Fatalf("%s written as %q reads back as %s (%v)", d, text, back, err)
	}
	again, err := money.AppendText(nil, back)
	if err != nil || string(again) != text {
		t.Fatalf("%s written as %q, then as %q (%v)", d, text, again, err)
	}
	if strings.ContainsRune(text, 'e') || !d.Equal(d.Truncate(2)) {
		return
	}
	// Whole centavos: two decimal places, unless the integer alone
	// takes all but two of the digits text may hold.
	i := strings.IndexByte(text, '.')
	if (i >= 0 && len(text)-i != 3) || (i < 0 && len(strings.TrimPrefix(text, "-")) <= money.MaxDigits-2) {
		t.Fatalf("%s in whole centavos written as %q", d, text)
	}
}
