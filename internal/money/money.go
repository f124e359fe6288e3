// Package money reads and checks amounts of money in reais before any
// arithmetic touches them. A decimal such as "1e2147483647" is cheap to
// hold but costs minutes to rescale or compare, and a coefficient of a
// million digits costs seconds to parse: every amount Ficha reads from
// outside passes [Parse] (text) or [Check] (a decoded value) first.
package money

import (
	"bytes"

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

// JSON is an amount as JSON carries it: a number or a string holding one,
// or null for zero. Decoding goes through [Parse], so no JSON document
// can hand Ficha an amount that is slow to handle.
type JSON struct{ decimal.Decimal }

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
