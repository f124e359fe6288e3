package address

import (
	"database/sql/driver"

	"github.com/fichacrm/ficha/internal/ident"
)

// UF is one of the 27 federative units of Brazil: the 26 states and the
// Federal District. The zero value is no unit.
type UF uint8

// The federative units, in alphabetical order of their codes.
const (
	AC UF = iota + 1
	AL
	AM
	AP
	BA
	CE
	DF
	ES
	GO
	MA
	MG
	MS
	MT
	PA
	PB
	PE
	PI
	PR
	RJ
	RN
	RO
	RR
	RS
	SC
	SE
	SP
	TO
)

var ufCodes = [...]string{"", "AC", "AL", "AM", "AP", "BA", "CE", "DF", "ES", "GO", "MA", "MG", "MS", "MT",
	"PA", "PB", "PE", "PI", "PR", "RJ", "RN", "RO", "RR", "RS", "SC", "SE", "SP", "TO"}

var ufNames = [...]string{"", "Acre", "Alagoas", "Amazonas", "Amapá", "Bahia", "Ceará", "Distrito Federal",
	"Espírito Santo", "Goiás", "Maranhão", "Minas Gerais", "Mato Grosso do Sul", "Mato Grosso", "Pará",
	"Paraíba", "Pernambuco", "Piauí", "Paraná", "Rio de Janeiro", "Rio Grande do Norte", "Rondônia",
	"Roraima", "Rio Grande do Sul", "Santa Catarina", "Sergipe", "São Paulo", "Tocantins"}

// UFs returns the 27 federative units in alphabetical order of their codes.
func UFs() []UF {
	all := make([]UF, 0, TO)
	for u := AC; u <= TO; u++ {
		all = append(all, u)
	}
	return all
}

// ParseUF parses a two-letter unit code such as "SP" or "sp".
func ParseUF(s string) (UF, error) {
	s = ident.TrimSpace(s)
	if len(s) != 2 {
		return 0, ErrUF
	}
	a, b := upper(s[0]), upper(s[1])
	for u := AC; u <= TO; u++ {
		c := ufCodes[u]
		if c[0] == a && c[1] == b {
			return u, nil
		}
	}
	return 0, ErrUF
}

// MustParseUF is like [ParseUF] but panics on error; for tests and examples.
func MustParseUF(s string) UF {
	u, err := ParseUF(s)
	if err != nil {
		panic(err)
	}
	return u
}

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

// IsValid reports whether u is one of the 27 units.
func (u UF) IsValid() bool { return u >= AC && u <= TO }

// String returns the two-letter code, or "" for the zero value.
func (u UF) String() string {
	if !u.IsValid() {
		return ""
	}
	return ufCodes[u]
}

// Name returns the unit's name in Portuguese, such as "São Paulo".
func (u UF) Name() string {
	if !u.IsValid() {
		return ""
	}
	return ufNames[u]
}

// MarshalText implements [encoding.TextMarshaler].
func (u UF) MarshalText() ([]byte, error) { return []byte(u.String()), nil }

// UnmarshalText implements [encoding.TextUnmarshaler]; empty text is the
// zero value.
func (u *UF) UnmarshalText(b []byte) error { return ident.Unmarshal(b, u, ParseUF, restoreUF) }

// Value implements [driver.Valuer]: the code, or NULL for the zero value.
func (u UF) Value() (driver.Value, error) { return ident.Value(u.String()) }

// Scan implements [sql.Scanner]. It accepts the code as [UF.Value] stores
// it, two upper-case letters.
func (u *UF) Scan(src any) error { return ident.ScanText(u, src, "address.UF", restoreUF) }

// restoreUF rebuilds a stored unit from its code.
func restoreUF(s string) (UF, bool) {
	if len(s) == 2 {
		for u := AC; u <= TO; u++ {
			if ufCodes[u] == s {
				return u, true
			}
		}
	}
	return 0, false
}
