package customer

import (
	"database/sql/driver"

	"github.com/fichacrm/ficha/internal/ident"
	"github.com/fichacrm/ficha/validation"
)

// Errors returned by [ParseCPF], [ParseCNPJ] and [ParseTaxID].
var (
	ErrCPFLength     = validation.NewRule("cpf.length", "a CPF has 11 digits", "o CPF tem 11 dígitos")
	ErrCPFChar       = validation.NewRule("cpf.invalid", "a CPF holds only digits", "o CPF contém apenas dígitos")
	ErrCPFCheckDigit = validation.NewRule("cpf.check_digit", "the CPF check digits do not match", "os dígitos verificadores do CPF não conferem")
	ErrCPFRepeated   = validation.NewRule("cpf.repeated", "a CPF cannot be one digit repeated", "o CPF não pode ser um único dígito repetido")

	ErrCNPJLength     = validation.NewRule("cnpj.length", "a CNPJ has 14 characters", "o CNPJ tem 14 caracteres")
	ErrCNPJChar       = validation.NewRule("cnpj.invalid", "a CNPJ holds letters A-Z and digits, and ends in two digits", "o CNPJ contém letras A-Z e dígitos, e termina com dois dígitos")
	ErrCNPJCheckDigit = validation.NewRule("cnpj.check_digit", "the CNPJ check digits do not match", "os dígitos verificadores do CNPJ não conferem")
	ErrCNPJRepeated   = validation.NewRule("cnpj.repeated", "a CNPJ cannot be one character repeated", "o CNPJ não pode ser um único caractere repetido")

	ErrTaxIDLength = validation.NewRule("taxid.length", "a CPF has 11 digits and a CNPJ 14 characters", "o CPF tem 11 dígitos e o CNPJ 14 caracteres")
)

// CPF is an individual taxpayer number (Cadastro de Pessoas Físicas) in its
// canonical form of 11 digits. The zero value is no CPF.
type CPF struct {
	s string
}

// ParseCPF parses a CPF as people type it ("248.438.034-80", "24843803480",
// " 248 438 034 80 "). It checks both check digits and rejects the ten
// strings of one repeated digit. It never pads: 10 digits are an error.
func ParseCPF(s string) (CPF, error) {
	s = ident.TrimSpace(s)
	var buf [11]byte
	n, same, st := ident.Compact(buf[:], s)
	if err := checkCPF(buf[:n], st); err != nil {
		return CPF{}, err
	}
	return CPF{s: ident.Canonical(s, buf[:], same)}, nil
}

func checkCPF(b []byte, st ident.Status) error {
	switch {
	case st == ident.BadChar || !ident.AllDigits(b):
		return ErrCPFChar
	case st == ident.TooLong || len(b) != 11:
		return ErrCPFLength
	case ident.AllSame(b):
		return ErrCPFRepeated
	}
	s1, s2 := 0, 0
	for i := 0; i < 9; i++ {
		d := int(b[i] - '0')
		s1 += d * (10 - i)
		s2 += d * (11 - i)
	}
	d1 := ident.Mod11(s1)
	d2 := ident.Mod11(s2 + d1*2)
	if int(b[9]-'0') != d1 || int(b[10]-'0') != d2 {
		return ErrCPFCheckDigit
	}
	return nil
}

// MustParseCPF is like [ParseCPF] but panics on error; for tests and examples.
func MustParseCPF(s string) CPF {
	c, err := ParseCPF(s)
	if err != nil {
		panic(err)
	}
	return c
}

// IsZero reports whether c is the zero value.
func (c CPF) IsZero() bool { return c.s == "" }

// String returns the canonical 11 digits.
func (c CPF) String() string { return c.s }

// Format returns the CPF as it is shown, "248.438.034-80".
func (c CPF) Format() string {
	if c.s == "" {
		return ""
	}
	return string(c.AppendFormat(make([]byte, 0, 14)))
}

// AppendFormat appends the shown form of c to b.
func (c CPF) AppendFormat(b []byte) []byte {
	if c.s == "" {
		return b
	}
	b = append(b, c.s[0:3]...)
	b = append(b, '.')
	b = append(b, c.s[3:6]...)
	b = append(b, '.')
	b = append(b, c.s[6:9]...)
	b = append(b, '-')
	return append(b, c.s[9:]...)
}

// TaxID returns c as a [TaxID].
func (c CPF) TaxID() TaxID { return TaxID(c) }

// MarshalText implements [encoding.TextMarshaler].
func (c CPF) MarshalText() ([]byte, error) { return []byte(c.s), nil }

// UnmarshalText implements [encoding.TextUnmarshaler]: it reads what people
// type under today's rules, and the canonical form as the library writes
// it whatever rules it was written under (see Check); empty text is the
// zero value.
func (c *CPF) UnmarshalText(b []byte) error { return ident.Unmarshal(b, c, ParseCPF, restoreCPF) }

// Check reports the rule c breaks today, or nil: a value read back from
// storage or from the library's own JSON is in canonical form but may
// predate the current rules.
func (c CPF) Check() error { return ident.Check(c.String(), ParseCPF) }

// Value implements [driver.Valuer]: the canonical string, or NULL.
func (c CPF) Value() (driver.Value, error) { return ident.Value(c.s) }

// Scan implements [sql.Scanner]. It accepts any 11 digits: check digits are
// judged on input, not on reading, so a stored CPF always reads back.
func (c *CPF) Scan(src any) error { return ident.ScanText(c, src, "customer.CPF", restoreCPF) }

// restoreCPF rebuilds a stored CPF: canonical in shape, 11 digits.
func restoreCPF(s string) (CPF, bool) { return CPF{s: s}, ident.IsDigits(s, 11) }

// CNPJ is a company number (Cadastro Nacional da Pessoa Jurídica) in its
// canonical form of 14 characters: 12 letters or digits and two check
// digits. Alphanumeric CNPJs, issued since July 2026, are CNPJs like any
// other. The zero value is no CNPJ.
type CNPJ struct {
	s string
}

// ParseCNPJ parses a CNPJ as people type it ("12.ABC.345/01DE-35",
// "26637142000158", lower case too). It checks both check digits with the
// Receita Federal's rule for alphanumeric CNPJs, which is the old rule for
// numeric ones, and rejects all zeros and any base of one repeated
// character.
func ParseCNPJ(s string) (CNPJ, error) {
	s = ident.TrimSpace(s)
	var buf [14]byte
	n, same, st := ident.Compact(buf[:], s)
	if err := checkCNPJ(buf[:n], st); err != nil {
		return CNPJ{}, err
	}
	return CNPJ{s: ident.Canonical(s, buf[:], same)}, nil
}

func checkCNPJ(b []byte, st ident.Status) error {
	switch {
	case st == ident.BadChar:
		return ErrCNPJChar
	case st == ident.TooLong || len(b) != 14:
		return ErrCNPJLength
	case !ident.AllDigits(b[12:]):
		return ErrCNPJChar
	case ident.AllSame(b[:12]):
		return ErrCNPJRepeated
	}
	// Weights run 2..9 from the right, cycling; a character is worth its
	// ASCII code minus 48, so 'A' is 17 and 'Z' is 42.
	s1, s2 := 0, 0
	for i := 0; i < 12; i++ {
		v := int(b[i]) - '0'
		s1 += v * cnpjWeight(11-i)
		s2 += v * cnpjWeight(12-i)
	}
	d1 := ident.Mod11(s1)
	d2 := ident.Mod11(s2 + d1*2)
	if int(b[12]-'0') != d1 || int(b[13]-'0') != d2 {
		return ErrCNPJCheckDigit
	}
	return nil
}

// cnpjWeight returns the weight of the character at distance k from the
// right end of the summed span (k = 0 is the rightmost).
func cnpjWeight(k int) int { return 2 + k%8 }

// MustParseCNPJ is like [ParseCNPJ] but panics on error; for tests and examples.
func MustParseCNPJ(s string) CNPJ {
	c, err := ParseCNPJ(s)
	if err != nil {
		panic(err)
	}
	return c
}

// IsZero reports whether c is the zero value.
func (c CNPJ) IsZero() bool { return c.s == "" }

// IsAlphanumeric reports whether c holds letters (a CNPJ of the format in
// force since July 2026).
func (c CNPJ) IsAlphanumeric() bool {
	for i := 0; i < len(c.s); i++ {
		if c.s[i] >= 'A' {
			return true
		}
	}
	return false
}

// Root returns the first eight characters, which name the company; its
// establishments share them.
func (c CNPJ) Root() string {
	if c.s == "" {
		return ""
	}
	return c.s[:8]
}

// String returns the canonical 14 characters.
func (c CNPJ) String() string { return c.s }

// Format returns the CNPJ as it is shown, "12.ABC.345/01DE-35".
func (c CNPJ) Format() string {
	if c.s == "" {
		return ""
	}
	return string(c.AppendFormat(make([]byte, 0, 18)))
}

// AppendFormat appends the shown form of c to b.
func (c CNPJ) AppendFormat(b []byte) []byte {
	if c.s == "" {
		return b
	}
	b = append(b, c.s[0:2]...)
	b = append(b, '.')
	b = append(b, c.s[2:5]...)
	b = append(b, '.')
	b = append(b, c.s[5:8]...)
	b = append(b, '/')
	b = append(b, c.s[8:12]...)
	b = append(b, '-')
	return append(b, c.s[12:]...)
}

// TaxID returns c as a [TaxID].
func (c CNPJ) TaxID() TaxID { return TaxID(c) }

// MarshalText implements [encoding.TextMarshaler].
func (c CNPJ) MarshalText() ([]byte, error) { return []byte(c.s), nil }

// UnmarshalText implements [encoding.TextUnmarshaler]: it reads what people
// type under today's rules, and the canonical form as the library writes
// it whatever rules it was written under (see Check); empty text is the
// zero value.
func (c *CNPJ) UnmarshalText(b []byte) error { return ident.Unmarshal(b, c, ParseCNPJ, restoreCNPJ) }

// Check reports the rule c breaks today, or nil: a value read back from
// storage or from the library's own JSON is in canonical form but may
// predate the current rules.
func (c CNPJ) Check() error { return ident.Check(c.String(), ParseCNPJ) }

// Value implements [driver.Valuer]: the canonical string, or NULL.
func (c CNPJ) Value() (driver.Value, error) { return ident.Value(c.s) }

// Scan implements [sql.Scanner]. It accepts any 12 digits or upper-case
// letters followed by two digits: check digits are judged on input, not on
// reading, so a stored CNPJ always reads back.
func (c *CNPJ) Scan(src any) error { return ident.ScanText(c, src, "customer.CNPJ", restoreCNPJ) }

// restoreCNPJ rebuilds a stored CNPJ: canonical in shape, 12 digits or
// upper-case letters and 2 digits.
func restoreCNPJ(s string) (CNPJ, bool) {
	return CNPJ{s: s}, len(s) == 14 && ident.IsUpperAlnum(s[:12], 12) && ident.IsDigits(s[12:], 2)
}

// TaxID is either a [CPF] or a [CNPJ]: the tax identifier of a customer of
// either kind, told apart by length. The zero value is no tax ID.
type TaxID struct {
	s string
}

// ParseTaxID parses a CPF (11 digits) or a CNPJ (14 characters) as people
// type either.
func ParseTaxID(s string) (TaxID, error) {
	s = ident.TrimSpace(s)
	var buf [14]byte
	n, same, st := ident.Compact(buf[:], s)
	switch {
	case st == ident.OK && n == 11:
		if err := checkCPF(buf[:n], st); err != nil {
			return TaxID{}, err
		}
	case st == ident.BadChar || st == ident.OK && n == 14:
		if err := checkCNPJ(buf[:n], st); err != nil {
			return TaxID{}, err
		}
	default:
		return TaxID{}, ErrTaxIDLength
	}
	return TaxID{s: ident.Canonical(s, buf[:n], same)}, nil
}

// MustParseTaxID is like [ParseTaxID] but panics on error; for tests and
// examples.
func MustParseTaxID(s string) TaxID {
	t, err := ParseTaxID(s)
	if err != nil {
		panic(err)
	}
	return t
}

// IsZero reports whether t is the zero value.
func (t TaxID) IsZero() bool { return t.s == "" }

// IsCPF reports whether t holds a CPF.
func (t TaxID) IsCPF() bool { return len(t.s) == 11 }

// IsCNPJ reports whether t holds a CNPJ.
func (t TaxID) IsCNPJ() bool { return len(t.s) == 14 }

// CPF returns the CPF that t holds, and whether it holds one.
func (t TaxID) CPF() (CPF, bool) {
	if !t.IsCPF() {
		return CPF{}, false
	}
	return CPF(t), true
}

// CNPJ returns the CNPJ that t holds, and whether it holds one.
func (t TaxID) CNPJ() (CNPJ, bool) {
	if !t.IsCNPJ() {
		return CNPJ{}, false
	}
	return CNPJ(t), true
}

// String returns the canonical form of the CPF or CNPJ.
func (t TaxID) String() string { return t.s }

// Format returns the shown form of the CPF or CNPJ.
func (t TaxID) Format() string {
	if c, ok := t.CPF(); ok {
		return c.Format()
	}
	return CNPJ(t).Format()
}

// MarshalText implements [encoding.TextMarshaler].
func (t TaxID) MarshalText() ([]byte, error) { return []byte(t.s), nil }

// UnmarshalText implements [encoding.TextUnmarshaler]: it reads what people
// type under today's rules, and the canonical form as the library writes
// it whatever rules it was written under (see Check); empty text is the
// zero value.
func (t *TaxID) UnmarshalText(b []byte) error { return ident.Unmarshal(b, t, ParseTaxID, restoreTaxID) }

// Check reports the rule t breaks today, or nil: a value read back from
// storage or from the library's own JSON is in canonical form but may
// predate the current rules.
func (t TaxID) Check() error { return ident.Check(t.String(), ParseTaxID) }

// Value implements [driver.Valuer]: the canonical string, or NULL.
func (t TaxID) Value() (driver.Value, error) { return ident.Value(t.s) }

// Scan implements [sql.Scanner]. It accepts text in the shape of a
// canonical CPF or CNPJ, as [CPF.Scan] and [CNPJ.Scan] do.
func (t *TaxID) Scan(src any) error { return ident.ScanText(t, src, "customer.TaxID", restoreTaxID) }

func restoreTaxID(s string) (TaxID, bool) {
	if c, ok := restoreCPF(s); ok {
		return TaxID(c), true
	}
	c, ok := restoreCNPJ(s)
	return TaxID(c), ok
}
