package asset

import (
	"database/sql/driver"

	"github.com/fichacrm/ficha/internal/ident"
	"github.com/fichacrm/ficha/validation"
)

// Errors returned by [ParsePlate], [ParseVIN] and [ParseRENAVAM].
var (
	ErrPlate          = validation.NewRule("plate.invalid", "a plate is ABC-1234 or ABC1D23", "a placa é ABC-1234 ou ABC1D23")
	ErrVINLength      = validation.NewRule("vin.length", "a chassis number (VIN) has 17 characters", "o chassi tem 17 caracteres")
	ErrVINChar        = validation.NewRule("vin.invalid", "a chassis number (VIN) holds letters and digits, never I, O or Q", "o chassi contém letras e dígitos, nunca I, O ou Q")
	ErrRENAVAMLength  = validation.NewRule("renavam.length", "a RENAVAM has 11 digits (or 9 from before 2013)", "o RENAVAM tem 11 dígitos (ou 9, se anterior a 2013)")
	ErrRENAVAMChar    = validation.NewRule("renavam.invalid", "a RENAVAM holds only digits", "o RENAVAM contém apenas dígitos")
	ErrRENAVAMCheck   = validation.NewRule("renavam.check_digit", "the RENAVAM check digit does not match", "o dígito verificador do RENAVAM não confere")
	ErrRENAVAMRepeats = validation.NewRule("renavam.repeated", "a RENAVAM cannot be one digit repeated", "o RENAVAM não pode ser um único dígito repetido")
)

// Plate is a Brazilian licence plate in canonical form: seven characters,
// either the old LLLNNNN or the Mercosul LLLNLNN. A plate keeps the form it
// was issued in; [Plate.Mercosul] gives the Mercosul form of either, which
// is the form plates are indexed and compared by. The zero value is no
// plate.
type Plate struct {
	s string
}

// ParsePlate parses a plate as people type it ("ABC-1234", "abc 1234",
// "ABC1D23").
func ParsePlate(s string) (Plate, error) {
	s = ident.TrimSpace(s)
	var buf [7]byte
	n, same, st := ident.Compact(buf[:], s)
	if st != ident.OK || n != 7 {
		return Plate{}, ErrPlate
	}
	for i, c := range buf {
		letter := c >= 'A' && c <= 'Z'
		switch i {
		case 0, 1, 2:
			if !letter {
				return Plate{}, ErrPlate
			}
		case 4: // a digit on old plates, a letter on Mercosul ones
		default:
			if letter {
				return Plate{}, ErrPlate
			}
		}
	}
	return Plate{s: ident.Canonical(s, buf[:], same)}, nil
}

// MustParsePlate is like [ParsePlate] but panics on error; for tests and
// examples.
func MustParsePlate(s string) Plate {
	p, err := ParsePlate(s)
	if err != nil {
		panic(err)
	}
	return p
}

// IsZero reports whether p is the zero value.
func (p Plate) IsZero() bool { return p.s == "" }

// IsMercosul reports whether p was issued in the Mercosul form.
func (p Plate) IsMercosul() bool { return p.s != "" && p.s[4] >= 'A' }

// Mercosul returns the Mercosul form of p: the plate itself if it is one,
// and for an old plate the same plate with its second digit turned into a
// letter (0 → A … 9 → J), as Res. CONTRAN 969/2022 converts them.
func (p Plate) Mercosul() Plate {
	if p.s == "" || p.IsMercosul() {
		return p
	}
	b := []byte(p.s)
	b[4] = 'A' + (b[4] - '0')
	return Plate{s: string(b)}
}

// String returns the canonical seven characters.
func (p Plate) String() string { return p.s }

// Format returns the plate as it is shown: "ABC-1234" for old plates,
// "ABC1D23" for Mercosul ones.
func (p Plate) Format() string {
	if p.s == "" || p.IsMercosul() {
		return p.s
	}
	return p.s[:3] + "-" + p.s[3:]
}

// MarshalText implements [encoding.TextMarshaler].
func (p Plate) MarshalText() ([]byte, error) { return []byte(p.s), nil }

// UnmarshalText implements [encoding.TextUnmarshaler]: it reads what people
// type under today's rules, and the canonical form as the library writes
// it whatever rules it was written under (see Check); empty text is the
// zero value.
func (p *Plate) UnmarshalText(b []byte) error { return ident.Unmarshal(b, p, ParsePlate, restorePlate) }

// Check reports the rule p breaks today, or nil: a value read back from
// storage or from the library's own JSON is in canonical form but may
// predate the current rules.
func (p Plate) Check() error { return ident.Check(p.String(), ParsePlate) }

// Value implements [driver.Valuer]: the canonical string, or NULL.
func (p Plate) Value() (driver.Value, error) { return ident.Value(p.s) }

// Scan implements [sql.Scanner]. It accepts any seven digits or upper-case
// letters: the plate formats are judged on input, not on reading, so a
// stored plate always reads back.
func (p *Plate) Scan(src any) error { return ident.ScanText(p, src, "asset.Plate", restorePlate) }

// restorePlate rebuilds a stored plate: canonical in shape, seven digits or
// upper-case letters.
func restorePlate(s string) (Plate, bool) { return Plate{s: s}, ident.IsUpperAlnum(s, 7) }

// VIN is a vehicle identification number (chassi), ISO 3779: 17 letters and
// digits, never I, O or Q. The North American check digit in position 9 is
// not required: Brazilian VINs do not carry it. The zero value is no VIN.
type VIN struct {
	s string
}

// ParseVIN parses a VIN, accepting lower case and separators.
func ParseVIN(s string) (VIN, error) {
	s = ident.TrimSpace(s)
	var buf [17]byte
	n, same, st := ident.Compact(buf[:], s)
	switch {
	case st == ident.BadChar:
		return VIN{}, ErrVINChar
	case st == ident.TooLong || n != 17:
		return VIN{}, ErrVINLength
	}
	for _, c := range buf {
		if c == 'I' || c == 'O' || c == 'Q' {
			return VIN{}, ErrVINChar
		}
	}
	return VIN{s: ident.Canonical(s, buf[:], same)}, nil
}

// MustParseVIN is like [ParseVIN] but panics on error; for tests and examples.
func MustParseVIN(s string) VIN {
	v, err := ParseVIN(s)
	if err != nil {
		panic(err)
	}
	return v
}

// IsZero reports whether v is the zero value.
func (v VIN) IsZero() bool { return v.s == "" }

// String returns the canonical 17 characters.
func (v VIN) String() string { return v.s }

// Format returns the VIN as it is shown, which is its canonical form.
func (v VIN) Format() string { return v.s }

// MarshalText implements [encoding.TextMarshaler].
func (v VIN) MarshalText() ([]byte, error) { return []byte(v.s), nil }

// UnmarshalText implements [encoding.TextUnmarshaler]: it reads what people
// type under today's rules, and the canonical form as the library writes
// it whatever rules it was written under (see Check); empty text is the
// zero value.
func (v *VIN) UnmarshalText(b []byte) error { return ident.Unmarshal(b, v, ParseVIN, restoreVIN) }

// Check reports the rule v breaks today, or nil: a value read back from
// storage or from the library's own JSON is in canonical form but may
// predate the current rules.
func (v VIN) Check() error { return ident.Check(v.String(), ParseVIN) }

// Value implements [driver.Valuer]: the canonical string, or NULL.
func (v VIN) Value() (driver.Value, error) { return ident.Value(v.s) }

// Scan implements [sql.Scanner]. It accepts any 17 digits or upper-case
// letters, I, O and Q included: the character rules are judged on input,
// not on reading, so a stored VIN always reads back.
func (v *VIN) Scan(src any) error { return ident.ScanText(v, src, "asset.VIN", restoreVIN) }

// restoreVIN rebuilds a stored VIN: canonical in shape, 17 digits or
// upper-case letters.
func restoreVIN(s string) (VIN, bool) { return VIN{s: s}, ident.IsUpperAlnum(s, 17) }

// RENAVAM is a vehicle's national registration number in canonical form:
// 11 digits, the last a check digit. The zero value is no RENAVAM.
type RENAVAM struct {
	s string
}

// ParseRENAVAM parses a RENAVAM. A 9-digit code issued before 2013 is
// written with two leading zeros, as the rule says; no other length is
// padded.
func ParseRENAVAM(s string) (RENAVAM, error) {
	s = ident.TrimSpace(s)
	var buf [11]byte
	n, same, st := ident.Compact(buf[:], s)
	switch {
	case st == ident.BadChar || !ident.AllDigits(buf[:n]):
		return RENAVAM{}, ErrRENAVAMChar
	case st == ident.TooLong || n != 11 && n != 9:
		return RENAVAM{}, ErrRENAVAMLength
	}
	if n == 9 {
		copy(buf[2:], buf[:9])
		buf[0], buf[1] = '0', '0'
		same = false
	}
	if ident.AllSame(buf[:]) {
		return RENAVAM{}, ErrRENAVAMRepeats
	}
	weights := [10]int{3, 2, 9, 8, 7, 6, 5, 4, 3, 2}
	sum := 0
	for i, w := range weights {
		sum += int(buf[i]-'0') * w
	}
	d := sum * 10 % 11
	if d == 10 {
		d = 0
	}
	if int(buf[10]-'0') != d {
		return RENAVAM{}, ErrRENAVAMCheck
	}
	return RENAVAM{s: ident.Canonical(s, buf[:], same)}, nil
}

// MustParseRENAVAM is like [ParseRENAVAM] but panics on error; for tests and
// examples.
func MustParseRENAVAM(s string) RENAVAM {
	r, err := ParseRENAVAM(s)
	if err != nil {
		panic(err)
	}
	return r
}

// IsZero reports whether r is the zero value.
func (r RENAVAM) IsZero() bool { return r.s == "" }

// String returns the canonical 11 digits.
func (r RENAVAM) String() string { return r.s }

// Format returns the RENAVAM as it is shown, which is its canonical form.
func (r RENAVAM) Format() string { return r.s }

// MarshalText implements [encoding.TextMarshaler].
func (r RENAVAM) MarshalText() ([]byte, error) { return []byte(r.s), nil }

// UnmarshalText implements [encoding.TextUnmarshaler]: it reads what people
// type under today's rules, and the canonical form as the library writes
// it whatever rules it was written under (see Check); empty text is the
// zero value.
func (r *RENAVAM) UnmarshalText(b []byte) error {
	return ident.Unmarshal(b, r, ParseRENAVAM, restoreRENAVAM)
}

// Check reports the rule r breaks today, or nil: a value read back from
// storage or from the library's own JSON is in canonical form but may
// predate the current rules.
func (r RENAVAM) Check() error { return ident.Check(r.String(), ParseRENAVAM) }

// Value implements [driver.Valuer]: the canonical string, or NULL.
func (r RENAVAM) Value() (driver.Value, error) { return ident.Value(r.s) }

// Scan implements [sql.Scanner]. It accepts any 11 digits: the check digit
// is judged on input, not on reading, so a stored RENAVAM always reads back.
func (r *RENAVAM) Scan(src any) error { return ident.ScanText(r, src, "asset.RENAVAM", restoreRENAVAM) }

// restoreRENAVAM rebuilds a stored RENAVAM: canonical in shape, 11 digits.
func restoreRENAVAM(s string) (RENAVAM, bool) { return RENAVAM{s: s}, ident.IsDigits(s, 11) }
