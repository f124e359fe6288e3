package contact

import (
	"database/sql/driver"

	"github.com/fichacrm/ficha/internal/ident"
	"github.com/fichacrm/ficha/validation"
)

// ErrEmail is returned by [ParseEmail] for text that is not an e-mail
// address.
var ErrEmail = validation.NewRule("email.invalid", "not a valid e-mail address", "e-mail inválido")

// Email is an e-mail address in canonical form: trimmed and in lower case.
// Mailbox names are case-insensitive at every provider a dealership's
// customers use, and a lower-case form lets an address be found however it
// was typed. The zero value is no address.
type Email struct {
	s string
}

// ParseEmail parses an address of the common form local@domain.tld: a local
// part of letters, digits and the characters !#$%&'*+/=?^_`{|}~.- (dots not
// leading, trailing or doubled), and a domain of at least two labels of
// letters, digits and inner hyphens, the last not all digits. Quoted local
// parts and address literals are refused: no attendant types them.
func ParseEmail(s string) (Email, error) {
	s = ident.TrimSpace(s)
	if len(s) > maxEmail {
		return Email{}, ErrEmail
	}
	at := -1
	lower := true
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '@':
			if at >= 0 {
				return Email{}, ErrEmail
			}
			at = i
		case c >= 'A' && c <= 'Z':
			lower = false
		}
	}
	if at < 1 || at > 64 || !validLocal(s[:at]) || !validDomain(s[at+1:]) {
		return Email{}, ErrEmail
	}
	if lower {
		return Email{s: s}, nil
	}
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + ('a' - 'A')
		}
	}
	return Email{s: string(b)}, nil
}

// maxEmail is the longest address in bytes, the limit of a forward path in
// RFC 5321 less its angle brackets.
const maxEmail = 254

func validLocal(l string) bool {
	if l[0] == '.' || l[len(l)-1] == '.' {
		return false
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		switch {
		case isAlnum(c):
		case c == '.':
			if l[i-1] == '.' {
				return false
			}
		default:
			if !isAtextSymbol(c) {
				return false
			}
		}
	}
	return true
}

func isAtextSymbol(c byte) bool {
	for i := 0; i < len(atextSymbols); i++ {
		if atextSymbols[i] == c {
			return true
		}
	}
	return false
}

const atextSymbols = "!#$%&'*+/=?^_`{|}~-"

func validDomain(d string) bool {
	if len(d) == 0 || len(d) > 253 {
		return false
	}
	labels, start := 0, 0
	for i := 0; i <= len(d); i++ {
		if i < len(d) && d[i] != '.' {
			if c := d[i]; !isAlnum(c) && c != '-' {
				return false
			}
			continue
		}
		label := d[start:i]
		if len(label) == 0 || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		labels++
		start = i + 1
		if i == len(d) && allDigits(label) {
			return false
		}
	}
	return labels >= 2
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// MustParseEmail is like [ParseEmail] but panics on error; for tests and
// examples.
func MustParseEmail(s string) Email {
	e, err := ParseEmail(s)
	if err != nil {
		panic(err)
	}
	return e
}

// IsZero reports whether e is the zero value.
func (e Email) IsZero() bool { return e.s == "" }

// String returns the canonical address.
func (e Email) String() string { return e.s }

// Domain returns the part after the @.
func (e Email) Domain() string {
	for i := len(e.s) - 1; i >= 0; i-- {
		if e.s[i] == '@' {
			return e.s[i+1:]
		}
	}
	return ""
}

// MarshalText implements [encoding.TextMarshaler].
func (e Email) MarshalText() ([]byte, error) { return []byte(e.s), nil }

// UnmarshalText implements [encoding.TextUnmarshaler]: it reads what people
// type under today's rules, and the canonical form as the library writes
// it whatever rules it was written under (see Check); empty text is the
// zero value.
func (e *Email) UnmarshalText(b []byte) error { return ident.Unmarshal(b, e, ParseEmail, restoreEmail) }

// Check reports the rule e breaks today, or nil: a value read back from
// storage or from the library's own JSON is in canonical form but may
// predate the current rules. An address that is not in its canonical,
// lower-case form (one scanned from text stored by other means) breaks the
// e-mail rule too: it could not be found by search.
func (e Email) Check() error {
	if e.s == "" {
		return nil
	}
	p, err := ParseEmail(e.s)
	if err != nil {
		return err
	}
	if p.s != e.s {
		return ErrEmail
	}
	return nil
}

// Value implements [driver.Valuer]: the canonical string, or NULL.
func (e Email) Value() (driver.Value, error) { return ident.Value(e.s) }

// Scan implements [sql.Scanner]. It accepts text in the shape of an
// address, printable ASCII without spaces, at most 254 bytes, with one '@'
// between a non-empty local part and a non-empty domain, and nothing more:
// the rules for labels and characters are judged on input, not on reading,
// so a stored address always reads back.
func (e *Email) Scan(src any) error { return ident.ScanText(e, src, "contact.Email", restoreEmail) }

// restoreEmail rebuilds a stored address: canonical in shape.
func restoreEmail(s string) (Email, bool) {
	if len(s) > maxEmail {
		return Email{}, false
	}
	at := -1
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c <= ' ' || c > '~':
			return Email{}, false
		case c == '@':
			if at >= 0 {
				return Email{}, false
			}
			at = i
		}
	}
	return Email{s: s}, at > 0 && at < len(s)-1
}
