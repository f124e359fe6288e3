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
// canonical form of 11 digits. Like [CNPJ] and [TaxID] it is a fixed-size
// value, as net/netip's Addr is: comparable with ==, and parsed without
// allocating. The zero value is no CPF.
type CPF struct{ p packed }

// ParseCPF parses a CPF as people type it ("248.438.034-80", "24843803480",
// " 248 438 034 80 "). It checks both check digits and rejects the ten
// strings of one repeated digit. It never pads: 10 digits are an error.
// It does not allocate.
func ParseCPF(s string) (CPF, error) {
	hi, lo, n := usual(s)
	if n == 0 {
		hi, lo, n = compact(s)
	}
	if n != 11 {
		if n < 0 || letterAmong(s, 11) {
			return CPF{}, ErrCPFChar
		}
		return CPF{}, ErrCPFLength
	}
	if err := checkCPF(hi, lo); err != nil {
		return CPF{}, err
	}
	return CPF{pack(hi, lo, 11)}, nil
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
func (c CPF) IsZero() bool { return c.p == packed{} }

// String returns the canonical 11 digits.
func (c CPF) String() string { return c.p.String() }

// Format returns the CPF as it is shown, "248.438.034-80".
func (c CPF) Format() string {
	if c.IsZero() {
		return ""
	}
	var b [14]byte
	return string(c.AppendFormat(b[:0]))
}

// AppendFormat appends the shown form of c to b.
func (c CPF) AppendFormat(b []byte) []byte {
	if c.IsZero() {
		return b
	}
	a := c.p.bytes()
	x := a[16-11:]
	return append(b, x[0], x[1], x[2], '.', x[3], x[4], x[5], '.', x[6], x[7], x[8], '-', x[9], x[10])
}

// TaxID returns c as a [TaxID].
func (c CPF) TaxID() TaxID { return TaxID(c) }

// MarshalText implements [encoding.TextMarshaler].
func (c CPF) MarshalText() ([]byte, error) { return c.p.text(), nil }

// UnmarshalText implements [encoding.TextUnmarshaler]: it reads what people
// type under today's rules, and the canonical form as the library writes
// it whatever rules it was written under (see Check); empty text is the
// zero value.
func (c *CPF) UnmarshalText(b []byte) error { return ident.Unmarshal(b, c, ParseCPF, restoreCPF) }

// Check reports the rule c breaks today, or nil: a value read back from
// storage or from the library's own JSON is in canonical form but may
// predate the current rules.
func (c CPF) Check() error {
	if c.IsZero() {
		return nil
	}
	return checkCPF(c.p.hi, c.p.lo)
}

// Value implements [driver.Valuer]: the canonical string, or NULL.
func (c CPF) Value() (driver.Value, error) { return ident.Value(c.String()) }

// Scan implements [sql.Scanner]. It accepts any 11 digits: check digits are
// judged on input, not on reading, so a stored CPF always reads back.
func (c *CPF) Scan(src any) error { return ident.ScanText(c, src, "customer.CPF", restoreCPF) }

// restoreCPF rebuilds a stored CPF: canonical in shape, 11 digits.
func restoreCPF(s string) (CPF, bool) {
	if !ident.IsDigits(s, 11) {
		return CPF{}, false
	}
	return CPF{packString(s)}, true
}

// CNPJ is a company number (Cadastro Nacional da Pessoa Jurídica) in its
// canonical form of 14 characters: 12 letters or digits and two check
// digits. Alphanumeric CNPJs, issued since July 2026, are CNPJs like any
// other. It is a fixed-size value, as [CPF] is. The zero value is no CNPJ.
type CNPJ struct{ p packed }

// ParseCNPJ parses a CNPJ as people type it ("12.ABC.345/01DE-35",
// "26637142000158", lower case too). It checks both check digits with the
// Receita Federal's rule for alphanumeric CNPJs, which is the old rule for
// numeric ones, and rejects all zeros and any base of one repeated
// character. It does not allocate.
func ParseCNPJ(s string) (CNPJ, error) {
	hi, lo, n := usual(s)
	if n == 0 {
		hi, lo, n = compact(s)
	}
	switch {
	case n < 0:
		return CNPJ{}, ErrCNPJChar
	case n != 14:
		return CNPJ{}, ErrCNPJLength
	}
	if err := checkCNPJ(hi, lo); err != nil {
		return CNPJ{}, err
	}
	return CNPJ{pack(hi, lo, 14)}, nil
}

// MustParseCNPJ is like [ParseCNPJ] but panics on error; for tests and examples.
func MustParseCNPJ(s string) CNPJ {
	c, err := ParseCNPJ(s)
	if err != nil {
		panic(err)
	}
	return c
}

// IsZero reports whether c is the zero value.
func (c CNPJ) IsZero() bool { return c.p == packed{} }

// IsAlphanumeric reports whether c holds letters (a CNPJ of the format in
// force since July 2026).
func (c CNPJ) IsAlphanumeric() bool { return c.p.hasLetter() }

// Root returns the first eight characters, which name the company; its
// establishments share them.
func (c CNPJ) Root() string {
	if c.IsZero() {
		return ""
	}
	a := c.p.bytes()
	return string(a[16-14 : 16-14+8])
}

// String returns the canonical 14 characters.
func (c CNPJ) String() string { return c.p.String() }

// Format returns the CNPJ as it is shown, "12.ABC.345/01DE-35".
func (c CNPJ) Format() string {
	if c.IsZero() {
		return ""
	}
	var b [18]byte
	return string(c.AppendFormat(b[:0]))
}

// AppendFormat appends the shown form of c to b.
func (c CNPJ) AppendFormat(b []byte) []byte {
	if c.IsZero() {
		return b
	}
	a := c.p.bytes()
	x := a[16-14:]
	return append(b, x[0], x[1], '.', x[2], x[3], x[4], '.', x[5], x[6], x[7], '/',
		x[8], x[9], x[10], x[11], '-', x[12], x[13])
}

// TaxID returns c as a [TaxID].
func (c CNPJ) TaxID() TaxID { return TaxID(c) }

// MarshalText implements [encoding.TextMarshaler].
func (c CNPJ) MarshalText() ([]byte, error) { return c.p.text(), nil }

// UnmarshalText implements [encoding.TextUnmarshaler]: it reads what people
// type under today's rules, and the canonical form as the library writes
// it whatever rules it was written under (see Check); empty text is the
// zero value.
func (c *CNPJ) UnmarshalText(b []byte) error { return ident.Unmarshal(b, c, ParseCNPJ, restoreCNPJ) }

// Check reports the rule c breaks today, or nil: a value read back from
// storage or from the library's own JSON is in canonical form but may
// predate the current rules.
func (c CNPJ) Check() error {
	if c.IsZero() {
		return nil
	}
	return checkCNPJ(c.p.hi, c.p.lo)
}

// Value implements [driver.Valuer]: the canonical string, or NULL.
func (c CNPJ) Value() (driver.Value, error) { return ident.Value(c.String()) }

// Scan implements [sql.Scanner]. It accepts any 12 digits or upper-case
// letters followed by two digits: check digits are judged on input, not on
// reading, so a stored CNPJ always reads back.
func (c *CNPJ) Scan(src any) error { return ident.ScanText(c, src, "customer.CNPJ", restoreCNPJ) }

// restoreCNPJ rebuilds a stored CNPJ: canonical in shape, 12 digits or
// upper-case letters and 2 digits.
func restoreCNPJ(s string) (CNPJ, bool) {
	if len(s) != 14 || !ident.IsUpperAlnum(s[:12], 12) || !ident.IsDigits(s[12:], 2) {
		return CNPJ{}, false
	}
	return CNPJ{packString(s)}, true
}

// TaxID is either a [CPF] or a [CNPJ]: the tax identifier of a customer of
// either kind, told apart by length. It is a fixed-size value, as [CPF]
// is. The zero value is no tax ID.
type TaxID struct{ p packed }

// ParseTaxID parses a CPF (11 digits) or a CNPJ (14 characters) as people
// type either. It does not allocate.
func ParseTaxID(s string) (TaxID, error) {
	hi, lo, n := usual(s)
	if n == 0 {
		hi, lo, n = compact(s)
	}
	var err error
	switch n {
	case 11:
		err = checkCPF(hi, lo)
	case 14:
		err = checkCNPJ(hi, lo)
	case -1:
		err = ErrCNPJChar
	default:
		err = ErrTaxIDLength
	}
	if err != nil {
		return TaxID{}, err
	}
	return TaxID{pack(hi, lo, n)}, nil
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
func (t TaxID) IsZero() bool { return t.p == packed{} }

// IsCPF reports whether t holds a CPF.
func (t TaxID) IsCPF() bool { return t.p.len() == 11 }

// IsCNPJ reports whether t holds a CNPJ.
func (t TaxID) IsCNPJ() bool { return t.p.len() == 14 }

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
func (t TaxID) String() string { return t.p.String() }

// Format returns the shown form of the CPF or CNPJ.
func (t TaxID) Format() string {
	if c, ok := t.CPF(); ok {
		return c.Format()
	}
	return CNPJ(t).Format()
}

// AppendFormat appends the shown form of the CPF or CNPJ to b.
func (t TaxID) AppendFormat(b []byte) []byte {
	if c, ok := t.CPF(); ok {
		return c.AppendFormat(b)
	}
	return CNPJ(t).AppendFormat(b)
}

// MarshalText implements [encoding.TextMarshaler].
func (t TaxID) MarshalText() ([]byte, error) { return t.p.text(), nil }

// UnmarshalText implements [encoding.TextUnmarshaler]: it reads what people
// type under today's rules, and the canonical form as the library writes
// it whatever rules it was written under (see Check); empty text is the
// zero value.
func (t *TaxID) UnmarshalText(b []byte) error { return ident.Unmarshal(b, t, ParseTaxID, restoreTaxID) }

// Check reports the rule t breaks today, or nil: a value read back from
// storage or from the library's own JSON is in canonical form but may
// predate the current rules.
func (t TaxID) Check() error {
	if c, ok := t.CPF(); ok {
		return c.Check()
	}
	return CNPJ(t).Check()
}

// Value implements [driver.Valuer]: the canonical string, or NULL.
func (t TaxID) Value() (driver.Value, error) { return ident.Value(t.String()) }

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
