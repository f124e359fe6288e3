// Package money reads and checks amounts of money in reais before any
// arithmetic touches them. A decimal such as "1e2147483647" is cheap to
// hold but costs minutes to rescale or compare, and a coefficient of a
// million digits costs seconds to parse: every amount Ficha reads from
// outside passes [Parse] (text) or [Check] (a decoded value) first.
package money

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/fichacrm/ficha/validation"
)

// Bounds of the text of an amount. A real amount has at most 13 digits
// before the point and 2 after; the bounds leave room for zeros a program
// may write ("0001500.0000") while keeping every operation on the value
// cheap.
const (
	MaxDigits   = 30 // significant and padding digits of the coefficient
	MaxExponent = 30 // magnitude of the decimal exponent
	MaxText     = 64 // bytes of the whole text
)

// Max is the bound amounts stay below, ten trillion reais (10^13):
// NUMERIC(15, 2) holds at most 9,999,999,999,999.99.
var Max = decimal.New(1, 13)

// Parse reads an amount written as a decimal number: an optional sign,
// digits with an optional point and fraction, and an optional exponent
// ("1500", "1234.56", "-0.5", "1.5e3"). Text longer than [MaxText], with
// more than [MaxDigits] digits or an exponent past [MaxExponent] is
// refused before it is parsed, with [validation.ErrMoneyRange]; text that
// is not a number with [validation.ErrInvalid].
func Parse(s string) (decimal.Decimal, error) {
	if len(s) > MaxText {
		return decimal.Decimal{}, validation.ErrMoneyRange
	}
	if err := shape(s); err != nil {
		return decimal.Decimal{}, err
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, validation.ErrInvalid
	}
	return d, nil
}

// Brazilian rewrites an amount as Brazilians write it in the form [Parse]
// reads: "1.234,56" is 1234.56 and "1.500" is 1500 (dots in groups of three
// digits separate thousands); any other dot, as in "1234.5", is a decimal
// point, and text without a comma or such groups is left as it is. A
// leading "R$" and surrounding spaces are dropped. Whether the result is a
// number is for the caller's parser to say.
func Brazilian(s string) string {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "R$"))
	if strings.Contains(s, ",") {
		return strings.ReplaceAll(strings.ReplaceAll(s, ".", ""), ",", ".")
	}
	if thousands(s) {
		return strings.ReplaceAll(s, ".", "")
	}
	return s
}

// ParseBrazilian reads an amount as Brazilians write it ("1.234,56",
// "1234,56", "R$ 1.500") or in the form [Parse] reads ("1234.56"): it is
// Parse of [Brazilian], with Parse's bounds and errors.
func ParseBrazilian(s string) (decimal.Decimal, error) {
	return Parse(Brazilian(s))
}

// thousands reports whether s is digits grouped by dots in threes, as in
// "1.500" or "12.345.678".
func thousands(s string) bool {
	groups := strings.Split(strings.TrimPrefix(s, "-"), ".")
	if len(groups) < 2 || len(groups[0]) == 0 || len(groups[0]) > 3 || groups[0][0] == '0' {
		return false
	}
	for i, g := range groups {
		if i > 0 && len(g) != 3 {
			return false
		}
		for _, c := range g {
			if c < '0' || c > '9' {
				return false
			}
		}
	}
	return true
}

// shape checks the grammar and bounds of s without converting it.
func shape(s string) error {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	digits, point := 0, false
	for ; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			digits++
			continue
		}
		if c == '.' && !point {
			point = true
			continue
		}
		break
	}
	if digits == 0 {
		return validation.ErrInvalid
	}
	if digits > MaxDigits {
		return validation.ErrMoneyRange
	}
	if i == len(s) {
		return nil
	}
	if s[i] != 'e' && s[i] != 'E' {
		return validation.ErrInvalid
	}
	i++
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	exp, expDigits := 0, 0
	for ; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return validation.ErrInvalid
		}
		expDigits++
		if exp = exp*10 + int(c-'0'); exp > MaxExponent {
			return validation.ErrMoneyRange
		}
	}
	if expDigits == 0 {
		return validation.ErrInvalid
	}
	return nil
}

// Check returns the rule the amount d breaks, or nil: it must not be
// negative, must be in whole centavos, and must stay below [Max]. The
// exponent and the number of digits are checked first, so that a value
// decoded by other means cannot make the check itself slow.
func Check(d decimal.Decimal) error {
	e := d.Exponent()
	switch {
	case e > MaxExponent:
		return validation.ErrMoneyRange
	case e < -MaxExponent:
		return validation.ErrMoneyPrecision
	case d.NumDigits() > MaxDigits:
		return validation.ErrMoneyRange
	case d.IsNegative():
		return validation.ErrNegative
	case !d.Equal(d.Truncate(2)):
		return validation.ErrMoneyPrecision
	case d.GreaterThanOrEqual(Max):
		return validation.ErrMoneyRange
	}
	return nil
}

// AppendText appends the text of the amount d to b, in the form Ficha
// writes amounts: an amount in whole centavos with exactly two decimal
// places ("62000.00", "0.10", "-3.50"), and any other amount exactly, as
// a plain decimal ("0.001") or, where that would need more than
// [MaxDigits] digits, with an exponent ("1e30"). What AppendText writes,
// [Parse] reads back as the same amount; an amount no text within Parse's
// bounds can hold (an exponent or a coefficient far past them, only
// reachable from Go code) returns [validation.ErrMoneyRange] and appends
// nothing. The size of d is bounded before any arithmetic, as in [Check].
func AppendText(b []byte, d decimal.Decimal) ([]byte, error) {
	e := int(d.Exponent())
	if e > MaxExponent+MaxDigits || e < -(MaxExponent+MaxDigits) || d.NumDigits() > MaxText {
		return b, validation.ErrMoneyRange
	}
	var buf [MaxText + 2]byte
	digits := d.Coefficient().Append(buf[:0], 10)
	neg := len(digits) > 0 && digits[0] == '-'
	if neg {
		digits = digits[1:]
	}
	for len(digits) > 1 && digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
		e++
	}
	if len(digits) == 1 && digits[0] == '0' {
		return append(b, "0.00"...), nil
	}
	start := len(b)
	if neg {
		b = append(b, '-')
	}
	if e >= -2 && len(digits)+e+2 <= MaxDigits {
		return appendCentavos(b, digits, e+2), nil
	}
	// Fractions of a centavo, or too many digits for two decimal places:
	// the plain decimal if it fits, else the digits with an exponent.
	if out, ok := appendPlaced(b, digits, e); ok {
		return out, nil
	}
	exp := min(max(e, -MaxExponent), MaxExponent)
	if out, ok := appendPlaced(b, digits, e-exp); ok {
		out = append(out, 'e')
		return strconv.AppendInt(out, int64(exp), 10), nil
	}
	return b[:start], validation.ErrMoneyRange
}

// appendCentavos appends the amount of digits×10^zeros centavos with
// two decimal places and at least one digit before the point.
func appendCentavos(b, digits []byte, zeros int) []byte {
	n := len(digits) + zeros
	pad := max(0, 3-n)
	for j := range n + pad {
		if j == n+pad-2 {
			b = append(b, '.')
		}
		switch i := j - pad; {
		case i < 0 || i >= len(digits):
			b = append(b, '0')
		default:
			b = append(b, digits[i])
		}
	}
	return b
}

// appendPlaced appends digits×10^shift as a plain decimal and reports
// true, or appends nothing and reports false if that takes more than
// [MaxDigits] digits.
func appendPlaced(b, digits []byte, shift int) ([]byte, bool) {
	n := len(digits)
	switch f := -shift; {
	case shift >= 0:
		if n+shift > MaxDigits {
			return b, false
		}
		b = append(b, digits...)
		for range shift {
			b = append(b, '0')
		}
	case f < n:
		if n > MaxDigits {
			return b, false
		}
		b = append(b, digits[:n-f]...)
		b = append(b, '.')
		b = append(b, digits[n-f:]...)
	default:
		if 1+f > MaxDigits {
			return b, false
		}
		b = append(b, "0."...)
		for range f - n {
			b = append(b, '0')
		}
		b = append(b, digits...)
	}
	return b, true
}

// JSON is an amount as JSON carries it. Decoding accepts a number or a
// string holding one, or null for zero, and goes through [Parse], so no
// JSON document can hand Ficha an amount that is slow to handle. Encoding
// writes a string in the form of [AppendText]: "62000.00".
type JSON struct{ decimal.Decimal }

// MarshalJSON implements [encoding/json.Marshaler]: the amount as a JSON
// string written by [AppendText], two decimal places for an amount in
// whole centavos.
func (m JSON) MarshalJSON() ([]byte, error) {
	b := make([]byte, 1, 24)
	b[0] = '"'
	b, err := AppendText(b, m.Decimal)
	if err != nil {
		return nil, err
	}
	return append(b, '"'), nil
}

// UnmarshalJSON implements [encoding/json.Unmarshaler].
func (m *JSON) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		m.Decimal = decimal.Decimal{}
		return nil
	}
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' {
		b = b[1 : len(b)-1]
	}
	d, err := Parse(string(b))
	if err != nil {
		return err
	}
	m.Decimal = d
	return nil
}
