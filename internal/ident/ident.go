// Package ident holds the byte-level helpers shared by the identifier
// types: separator stripping under Ficha's input policy, the modulo-11
// arithmetic behind Brazilian check digits, and the text, JSON and SQL
// plumbing. Decoding text (JSON is input) validates with the full parser;
// scanning from a database checks the shape of the canonical form only.
package ident

import (
	"database/sql/driver"
	"fmt"
)

// IsSpace reports whether c is ASCII white space.
func IsSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// TrimSpace strips leading and trailing ASCII white space without allocating.
func TrimSpace(s string) string {
	for len(s) > 0 && IsSpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && IsSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

// IsSeparator reports whether c is one of the characters the input policy
// ignores inside an identifier: space, '.', '-', '/', '(' and ')'.
func IsSeparator(c byte) bool {
	switch c {
	case ' ', '.', '-', '/', '(', ')':
		return true
	}
	return false
}

// Status is the outcome of [Compact].
type Status uint8

// The outcomes of [Compact].
const (
	OK      Status = iota // every character was kept or skipped
	BadChar               // a character is neither a separator, a digit nor a letter
	TooLong               // more significant characters than dst holds
)

// Compact copies the significant characters of s into dst, skipping
// separators and upper-casing ASCII letters. It returns the number of
// characters written, whether s was already compact (so that the caller can
// reuse s instead of allocating), and a status: BadChar wins over TooLong.
func Compact(dst []byte, s string) (n int, same bool, st Status) {
	same = true
	count := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9', c >= 'A' && c <= 'Z':
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
			same = false
		case IsSeparator(c):
			same = false
			continue
		default:
			return n, false, BadChar
		}
		if count < len(dst) {
			dst[count] = c
			n++
		}
		count++
	}
	if count > len(dst) {
		return n, false, TooLong
	}
	return n, same, OK
}

// Canonical returns s when it was already compact and a new string holding
// b otherwise. It is how parsers avoid allocating on canonical input.
func Canonical(s string, b []byte, same bool) string {
	if same {
		return s
	}
	return string(b)
}

// AllDigits reports whether b holds only ASCII digits.
func AllDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// AllSame reports whether every byte of b equals the first one.
func AllSame(b []byte) bool {
	for _, c := range b {
		if c != b[0] {
			return false
		}
	}
	return true
}

// Mod11 turns a weighted sum, which is not negative, into a check digit
// value with the rule shared by CPF and CNPJ: 0 when the remainder is below
// 2, 11 minus it otherwise.
func Mod11(sum int) int {
	var r int
	if uint(sum) < 1<<15 {
		// sum·5958/2¹⁶ overestimates sum/11 by less than 1/11 below 2¹⁵,
		// so its integer part is the quotient: a multiplication, cheaper
		// than a division.
		r = sum - 11*(sum*5958>>16)
	} else {
		r = int(uint(sum) % 11)
	}
	if r < 2 {
		return 0
	}
	return 11 - r
}

// ScanText implements [database/sql.Scanner] for an identifier type T that
// is stored as its canonical text. NULL and empty text scan to the zero
// value; a string or []byte is handed to restore, which rebuilds the value
// and reports whether the text has the shape of a canonical T. Restore
// checks shape only, never the rules of the parser: data accepted when it
// was written must stay readable when a rule changes, so rules apply on
// input and reading never re-judges. Text of the wrong shape is corrupt and
// an error names the type, never the text, which is personal data. A string
// source is kept without copying; a []byte one, which the driver owns, is
// copied once.
func ScanText[T any](dst *T, src any, name string, restore func(string) (T, bool)) error {
	var s string
	switch v := src.(type) {
	case nil:
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return fmt.Errorf("cannot scan %T into %s", src, name)
	}
	if s == "" {
		var zero T
		*dst = zero
		return nil
	}
	v, ok := restore(s)
	if !ok {
		return fmt.Errorf("cannot scan into %s: the stored text is not in its canonical form", name)
	}
	*dst = v
	return nil
}

// IsDigits reports whether s is exactly n ASCII digits.
func IsDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// IsUpperAlnum reports whether s is exactly n ASCII digits and upper-case
// letters.
func IsUpperAlnum(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return true
}

// Unmarshal decodes text into dst with parse, so that decoding validates.
// Empty text decodes to the zero value.
//
// Text that parse refuses but that is in the canonical form, as restore
// reads it (what String wrote, perhaps under older rules), is accepted
// too: what the library wrote it can read back. Such a value still breaks
// today's rules, and validation (the type's Check) reports it.
func Unmarshal[T any](b []byte, dst *T, parse func(string) (T, error), restore func(string) (T, bool)) error {
	if len(b) == 0 {
		var zero T
		*dst = zero
		return nil
	}
	v, err := parse(string(b))
	if err != nil {
		r, ok := restore(string(b))
		if !ok {
			return err
		}
		v = r
	}
	*dst = v
	return nil
}

// Check re-runs parse on the canonical text s of a value: nil for the zero
// value and for a value today's rules accept, the broken rule otherwise.
func Check[T any](s string, parse func(string) (T, error)) error {
	if s == "" {
		return nil
	}
	_, err := parse(s)
	return err
}

// Value returns the database value of a canonical string: NULL when empty.
func Value(s string) (driver.Value, error) {
	if s == "" {
		return nil, nil
	}
	return s, nil
}
