package address

import (
	"database/sql/driver"

	"github.com/fichacrm/ficha/internal/ident"
	"github.com/fichacrm/ficha/validation"
)

// Errors returned by [ParseCEP] and address validation.
var (
	ErrCEPLength   = validation.NewRule("cep.length", "a CEP has 8 digits", "o CEP tem 8 dígitos")
	ErrCEPChar     = validation.NewRule("cep.invalid", "a CEP holds only digits", "o CEP contém apenas dígitos")
	ErrCEPRange    = validation.NewRule("cep.range", "this CEP belongs to no state", "este CEP não pertence a nenhum estado")
	ErrCEPMismatch = validation.NewRule("cep.uf_mismatch", "the CEP does not belong to the address's state", "o CEP não pertence ao estado do endereço")
	ErrUF          = validation.NewRule("uf.invalid", "not a Brazilian state", "UF inválida")
)

// CEP is a Brazilian postal code (Código de Endereçamento Postal) in its
// canonical form of 8 digits. The zero value is no CEP.
type CEP struct {
	s string
}

// cepRange is one span of CEPs, by their first five digits, held by a unit.
type cepRange struct {
	lo, hi int32
	uf     UF
}

// cepRanges are the Correios ranges by five-digit prefix, in order. AM, DF
// and GO hold two ranges each; 00000–00999 and 78900–78999 belong to none.
var cepRanges = [...]cepRange{
	{1000, 19999, SP}, {20000, 28999, RJ}, {29000, 29999, ES}, {30000, 39999, MG},
	{40000, 48999, BA}, {49000, 49999, SE}, {50000, 56999, PE}, {57000, 57999, AL},
	{58000, 58999, PB}, {59000, 59999, RN}, {60000, 63999, CE}, {64000, 64999, PI},
	{65000, 65999, MA}, {66000, 68899, PA}, {68900, 68999, AP}, {69000, 69299, AM},
	{69300, 69399, RR}, {69400, 69899, AM}, {69900, 69999, AC}, {70000, 72799, DF},
	{72800, 72999, GO}, {73000, 73699, DF}, {73700, 76799, GO}, {76800, 76999, RO},
	{77000, 77999, TO}, {78000, 78899, MT}, {79000, 79999, MS}, {80000, 87999, PR},
	{88000, 89999, SC}, {90000, 99999, RS},
}

func ufOfPrefix(p int32) UF {
	for _, r := range cepRanges {
		if p < r.lo {
			return 0
		}
		if p <= r.hi {
			return r.uf
		}
	}
	return 0
}

// ParseCEP parses a CEP as people type it ("01310-100", "01.310-100",
// "01310100"). It rejects anything but 8 digits, and CEPs in the ranges that
// belong to no state.
func ParseCEP(s string) (CEP, error) {
	s = ident.TrimSpace(s)
	var buf [8]byte
	n, same, st := ident.Compact(buf[:], s)
	switch {
	case st == ident.BadChar || !ident.AllDigits(buf[:n]):
		return CEP{}, ErrCEPChar
	case st == ident.TooLong || n != len(buf):
		return CEP{}, ErrCEPLength
	}
	if ufOfPrefix(prefix5(buf[:5])) == 0 {
		return CEP{}, ErrCEPRange
	}
	return CEP{s: ident.Canonical(s, buf[:], same)}, nil
}

// MustParseCEP is like [ParseCEP] but panics on error; for tests and examples.
func MustParseCEP(s string) CEP {
	c, err := ParseCEP(s)
	if err != nil {
		panic(err)
	}
	return c
}

func prefix5[T string | []byte](b T) int32 {
	var p int32
	for i := 0; i < 5; i++ {
		p = p*10 + int32(b[i]-'0')
	}
	return p
}

// IsZero reports whether c is the zero value.
func (c CEP) IsZero() bool { return c.s == "" }

// UF returns the unit whose range holds c, or 0 for the zero value and for
// a CEP outside every range (which only [CEP.Scan] lets through).
func (c CEP) UF() UF {
	if c.s == "" {
		return 0
	}
	return ufOfPrefix(prefix5(c.s))
}

// String returns the canonical 8 digits.
func (c CEP) String() string { return c.s }

// Format returns the CEP as it is shown, "01310-100".
func (c CEP) Format() string {
	if c.s == "" {
		return ""
	}
	return string(c.AppendFormat(make([]byte, 0, 9)))
}

// AppendFormat appends the shown form of c to b.
func (c CEP) AppendFormat(b []byte) []byte {
	if c.s == "" {
		return b
	}
	return append(append(append(b, c.s[:5]...), '-'), c.s[5:]...)
}

// MarshalText implements [encoding.TextMarshaler].
func (c CEP) MarshalText() ([]byte, error) { return []byte(c.s), nil }

// UnmarshalText implements [encoding.TextUnmarshaler]: it reads what people
// type under today's rules, and the canonical form as the library writes
// it whatever rules it was written under (see Check); empty text is the
// zero value.
func (c *CEP) UnmarshalText(b []byte) error { return ident.Unmarshal(b, c, ParseCEP, restoreCEP) }

// Check reports the rule c breaks today, or nil: a value read back from
// storage or from the library's own JSON is in canonical form but may
// predate the current rules.
func (c CEP) Check() error { return ident.Check(c.String(), ParseCEP) }

// Value implements [driver.Valuer]: the canonical string, or NULL.
func (c CEP) Value() (driver.Value, error) { return ident.Value(c.s) }

// Scan implements [sql.Scanner]. It accepts any 8 digits: the ranges of the
// states are judged on input, not on reading, so a stored CEP always reads
// back; [CEP.UF] is 0 for one outside every range.
func (c *CEP) Scan(src any) error { return ident.ScanText(c, src, "address.CEP", restoreCEP) }

// restoreCEP rebuilds a stored CEP: canonical in shape, 8 digits.
func restoreCEP(s string) (CEP, bool) { return CEP{s: s}, ident.IsDigits(s, 8) }
