package contact

import (
	"database/sql/driver"
	"strings"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/internal/ident"
	"github.com/fichacrm/ficha/validation"
)

// Errors returned by [ParsePhone].
var (
	ErrPhoneLength            = validation.NewRule("phone.length", "a phone number has a 2-digit area code and 8 or 9 digits", "o telefone tem DDD de 2 dígitos e 8 ou 9 dígitos")
	ErrPhoneChar              = validation.NewRule("phone.invalid", "a phone number holds only digits, separators, a leading + and an extension (\"ramal 123\")", "o telefone contém apenas dígitos, separadores, um + inicial e o ramal (\"ramal 123\")")
	ErrPhoneDDD               = validation.NewRule("phone.ddd", "this area code (DDD) does not exist", "este DDD não existe")
	ErrPhoneMissingNinthDigit = validation.NewRule("phone.missing_ninth_digit", "mobile numbers have 9 digits: add the leading 9", "celulares têm 9 dígitos: inclua o 9 na frente")
	ErrPhoneMobilePrefix      = validation.NewRule("phone.mobile_prefix", "a 9-digit number is a mobile and starts with 9", "um número de 9 dígitos é celular e começa com 9")
	ErrPhoneLandlinePrefix    = validation.NewRule("phone.landline_prefix", "landline numbers start with 2, 3, 4 or 5", "telefones fixos começam com 2, 3, 4 ou 5")
	ErrPhoneForeign           = validation.NewRule("phone.foreign", "an international number has 8 to 15 digits after the +", "um número internacional tem de 8 a 15 dígitos após o +")
	ErrPhoneExtension         = validation.NewRule("phone.extension", "an extension has 1 to 6 digits after \"ramal\", \"r.\", \"ext.\" or \"x\"", "o ramal tem de 1 a 6 dígitos após \"ramal\", \"r.\", \"ext.\" ou \"x\"")
	ErrPhoneMobileExtension   = validation.NewRule("phone.mobile_extension", "a mobile number has no extension: keep the extension for a landline", "celular não tem ramal: informe o ramal junto a um telefone fixo")
)

// Kind says what sort of number a [Phone] is.
type Kind uint8

// The kinds of phone number.
const (
	Mobile        Kind = iota + 1 // a Brazilian mobile: DDD and 9 digits starting with 9
	Landline                      // a Brazilian landline: DDD and 8 digits starting 2-5
	NonGeographic                 // 0800, 0300, 0500, 0900 and the 300X/400X/4020 numbers
	Foreign                       // a number of another country, in E.164
)

var kindNames = [...]string{"", "mobile", "landline", "nongeographic", "foreign"}

// String returns "mobile", "landline", "nongeographic" or "foreign".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return ""
}

// dddUF maps each assigned area code to its state; 0 marks an unassigned
// code. The areas of 42, 47, 49 and 61 also reach into a second state
// (dddAlso).
var dddUF = [100]address.UF{
	11: address.SP, 12: address.SP, 13: address.SP, 14: address.SP, 15: address.SP,
	16: address.SP, 17: address.SP, 18: address.SP, 19: address.SP,
	21: address.RJ, 22: address.RJ, 24: address.RJ, 27: address.ES, 28: address.ES,
	31: address.MG, 32: address.MG, 33: address.MG, 34: address.MG, 35: address.MG,
	37: address.MG, 38: address.MG,
	41: address.PR, 42: address.PR, 43: address.PR, 44: address.PR, 45: address.PR,
	46: address.PR, 47: address.SC, 48: address.SC, 49: address.SC,
	51: address.RS, 53: address.RS, 54: address.RS, 55: address.RS,
	61: address.DF, 62: address.GO, 63: address.TO, 64: address.GO, 65: address.MT,
	66: address.MT, 67: address.MS, 68: address.AC, 69: address.RO,
	71: address.BA, 73: address.BA, 74: address.BA, 75: address.BA, 77: address.BA,
	79: address.SE,
	81: address.PE, 82: address.AL, 83: address.PB, 84: address.RN, 85: address.CE,
	86: address.PI, 87: address.PE, 88: address.CE, 89: address.PI,
	91: address.PA, 92: address.AM, 93: address.PA, 94: address.PA, 95: address.RR,
	96: address.AP, 97: address.AM, 98: address.MA, 99: address.MA,
}

var dddAlso = map[int]address.UF{42: address.SC, 47: address.PR, 49: address.PR, 61: address.GO}

// DDDState returns the state of an area code, the second state its area
// reaches into (or 0), and whether the code is assigned.
func DDDState(ddd int) (uf, also address.UF, ok bool) {
	if ddd < 0 || ddd >= len(dddUF) || dddUF[ddd] == 0 {
		return 0, 0, false
	}
	return dddUF[ddd], dddAlso[ddd], true
}

// Phone is a telephone number in canonical form: E.164 ("+5511987654321")
// for Brazilian mobiles and landlines and for foreign numbers, and the digits
// as dialled ("08001234567") for non-geographic numbers, which have no E.164
// form. A number may carry an extension (a "ramal" of a PABX), written after
// it as RFC 3966 writes one: "+551133334444;ext=123". Two phones are equal
// when number and extension are; [Phone.Main] drops the extension, and a
// number with an extension sorts right after the same number without one
// among numbers of its length. The zero value is no number.
type Phone struct {
	s string
}

// maxPhoneDigits bounds what ParsePhone reads: a trunk 0, a carrier code and
// an 11-digit national number, or "0055" and an 11-digit national number.
const maxPhoneDigits = 15

// MaxExtensionDigits is the most digits an extension has. PABX extensions
// in Brazil have 2 to 5 digits (4 is the common plan); 6 leaves room for
// the switchboard of a dealer group without letting other text pass for
// an extension.
const MaxExtensionDigits = 6

// extTag separates a number from its extension in the canonical form.
const extTag = ";ext="

// maxPhoneLen is the length of the longest canonical phone: '+', 15
// digits, the tag and the longest extension.
const maxPhoneLen = 1 + maxPhoneDigits + len(extTag) + MaxExtensionDigits

// ParsePhone parses a phone number as people type it: "(11) 98765-4321",
// "+55 11 98765 4321", "0xx11 3333-4444" with a trunk 0 and a carrier code,
// "0800 123 4567", "4004-1234", or "+1 212 555 0100" for a foreign number.
// A national number needs its area code (DDD).
//
// An extension may follow the number, as [CutExtension] reads it:
// "(11) 3333-4444 ramal 123", "r. 123", "ext. 123", "x123" or
// "+551133334444;ext=123". Landlines, non-geographic and foreign numbers
// take one; a Brazilian mobile does not ([ErrPhoneMobileExtension]): a
// dealership reaches a mobile by dialling it, and an extension a PABX
// gives a mobile is dialled only inside the customer's company.
func ParsePhone(s string) (Phone, error) {
	s = ident.TrimSpace(s)
	num, ext, extErr := cutExtension(s)
	if extErr == ErrPhoneChar {
		return Phone{}, extErr
	}
	if len(num) > 3 && num[0] == '0' && num[1]|0x20 == 'x' && num[2]|0x20 == 'x' {
		// "0xx": the trunk 0 and a placeholder for the carrier code.
		num = "0" + num[3:]
	}
	plus := len(num) > 0 && num[0] == '+'
	in := num
	if plus {
		in = num[1:]
	}
	var buf [maxPhoneDigits + 1]byte
	n, _, st := ident.Compact(buf[:], in)
	d := buf[:n]
	switch {
	case st == ident.BadChar || !ident.AllDigits(d):
		return Phone{}, ErrPhoneChar
	case st == ident.TooLong:
		return Phone{}, ErrPhoneLength
	}
	var out [maxPhoneLen]byte
	var canon []byte
	mobile := false
	switch {
	case plus && hasPrefix(d, "55"):
		if err := checkNational(d[2:]); err != nil {
			return Phone{}, err
		}
		mobile = len(d) == 13
		canon = append(append(out[:0], '+'), d...)
	case plus:
		if len(d) < 8 || len(d) > 15 || d[0] == '0' {
			return Phone{}, ErrPhoneForeign
		}
		canon = append(append(out[:0], '+'), d...)
	case isNonGeographic(d):
		canon = append(out[:0], d...)
	default:
		national, err := nationalPart(d)
		if err != nil {
			return Phone{}, err
		}
		mobile = len(national) == 11
		canon = append(append(out[:0], "+55"...), national...)
	}
	switch {
	case extErr != nil:
		return Phone{}, extErr
	case ext != "" && mobile:
		return Phone{}, ErrPhoneMobileExtension
	case ext != "":
		canon = append(append(canon, extTag...), ext...)
	}
	if string(canon) == s {
		return Phone{s: s}, nil
	}
	return Phone{s: string(canon)}, nil
}

// CutExtension splits typed text at the extension that ends it, as
// [ParsePhone] reads one, and returns the text of the number before it and
// the extension's digits; text without an extension is returned whole, with
// ext "". The extension is 1 to [MaxExtensionDigits] digits after a marker:
// "ramal", "ram.", "r.", "r", "ext.", "ext" or "x", in any case, followed
// by an optional ':' or '=' and spaces ("ramal: 123", "x123"), or RFC
// 3966's ";ext=" ("+551133334444;ext=123"). The number itself is not
// checked, which lets a search use a number typed with an extension. A
// word after the number that is no marker is [ErrPhoneChar]; a marker
// without an extension of 1 to 6 digits, [ErrPhoneExtension].
func CutExtension(s string) (number, ext string, err error) {
	number, ext, err = cutExtension(ident.TrimSpace(s))
	if err != nil {
		return "", "", err
	}
	return number, ext, nil
}

// cutExtension is CutExtension on trimmed text; on ErrPhoneExtension it
// still returns the number, so that ParsePhone can judge the number first.
func cutExtension(s string) (number, ext string, err error) {
	i := 0
	if len(s) > 3 && s[0] == '0' && s[1]|0x20 == 'x' && s[2]|0x20 == 'x' {
		i = 3 // the carrier placeholder of "0xx11 3333-4444" is no marker
	}
	for i < len(s) && s[i] != ';' && !isLetter(s[i]) {
		i++
	}
	if i == len(s) {
		return s, "", nil
	}
	number, rest := ident.TrimSpace(s[:i]), s[i:]
	if rest[0] == ';' {
		if len(rest) < len(extTag) || !equalFold(rest[:len(extTag)], extTag) {
			return "", "", ErrPhoneChar
		}
		rest = rest[len(extTag):]
	} else {
		j := 0
		for j < len(rest) && isLetter(rest[j]) {
			j++
		}
		if !isExtensionMarker(rest[:j]) {
			return "", "", ErrPhoneChar
		}
		rest = strings.TrimPrefix(rest[j:], ".")
		rest = ident.TrimSpace(rest)
		if len(rest) > 0 && (rest[0] == ':' || rest[0] == '=') {
			rest = ident.TrimSpace(rest[1:])
		}
	}
	if !isExtension(rest) {
		return number, "", ErrPhoneExtension
	}
	return number, rest, nil
}

// isExtension reports whether s is the digits of an extension.
func isExtension(s string) bool {
	return len(s) >= 1 && len(s) <= MaxExtensionDigits && ident.IsDigits(s, len(s))
}

// isExtensionMarker reports whether the word w introduces an extension.
func isExtensionMarker(w string) bool {
	for _, m := range [...]string{"ramal", "ram", "r", "ext", "x"} {
		if equalFold(w, m) {
			return true
		}
	}
	return false
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// equalFold reports whether s equals the lower-case ASCII text lower, in
// any case.
func equalFold(s, lower string) bool {
	if len(s) != len(lower) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// nationalPart strips a country code ("55", "0055") or a trunk 0 with an
// optional carrier code from d and checks the national number left. Where
// both readings fit, the country code wins.
func nationalPart(d []byte) ([]byte, error) {
	isNational := func(n []byte) bool { return len(n) == 10 || len(n) == 11 }
	switch {
	case hasPrefix(d, "0055") && isNational(d[4:]):
		d = d[4:]
	case hasPrefix(d, "55") && isNational(d[2:]):
		d = d[2:]
	case hasPrefix(d, "0") && isNational(d[1:]):
		d = d[1:]
	case hasPrefix(d, "0") && len(d) > 3 && isNational(d[3:]):
		d = d[3:]
	case !isNational(d):
		return nil, ErrPhoneLength
	}
	return d, checkNational(d)
}

// checkNational checks a national number: an assigned DDD followed by a
// 9-digit mobile number or an 8-digit landline.
func checkNational(d []byte) error {
	if len(d) != 10 && len(d) != 11 {
		return ErrPhoneLength
	}
	if _, _, ok := DDDState(int(d[0]-'0')*10 + int(d[1]-'0')); !ok {
		return ErrPhoneDDD
	}
	first := d[2]
	if len(d) == 11 {
		if first != '9' {
			return ErrPhoneMobilePrefix
		}
		return nil
	}
	switch {
	case first >= '2' && first <= '5':
		return nil
	case first >= '6':
		return ErrPhoneMissingNinthDigit
	}
	return ErrPhoneLandlinePrefix
}

// isNonGeographic reports whether d is a non-geographic number: 0800, 0300,
// 0500 or 0900 followed by 6 or 7 digits, or an 8-digit 300X, 400X or 4020
// number dialled without a DDD.
func isNonGeographic(d []byte) bool {
	if len(d) == 10 || len(d) == 11 {
		return hasPrefix(d, "0800") || hasPrefix(d, "0300") || hasPrefix(d, "0500") || hasPrefix(d, "0900")
	}
	if len(d) == 8 {
		return hasPrefix(d, "300") || hasPrefix(d, "400") || hasPrefix(d, "4020")
	}
	return false
}

func hasPrefix(b []byte, p string) bool {
	return len(b) >= len(p) && string(b[:len(p)]) == p
}

// MustParsePhone is like [ParsePhone] but panics on error; for tests and
// examples.
func MustParsePhone(s string) Phone {
	p, err := ParsePhone(s)
	if err != nil {
		panic(err)
	}
	return p
}

// IsZero reports whether p is the zero value.
func (p Phone) IsZero() bool { return p.s == "" }

// main returns the canonical number without its extension.
func (p Phone) main() string {
	if i := strings.IndexByte(p.s, ';'); i >= 0 {
		return p.s[:i]
	}
	return p.s
}

// Main returns the number without its extension: what to dial from
// outside, and what a search finds the number by.
func (p Phone) Main() Phone { return Phone{s: p.main()} }

// Extension returns the digits of the extension ("ramal"), or "".
func (p Phone) Extension() string {
	if i := strings.IndexByte(p.s, ';'); i >= 0 {
		return p.s[i+len(extTag):]
	}
	return ""
}

// Kind returns the kind of number, or 0 for the zero value. It follows
// from the layout of the canonical number alone ('+55' and 11 national
// digits is a mobile, '+55' and 10 a landline, no '+' is non-geographic),
// whatever its extension, so it is defined on every number [Phone.Scan]
// reads.
func (p Phone) Kind() Kind {
	m := p.main()
	switch {
	case m == "":
		return 0
	case m[0] != '+':
		return NonGeographic
	case len(m) == 14 && m[1:3] == "55":
		return Mobile
	case len(m) == 13 && m[1:3] == "55":
		return Landline
	}
	return Foreign
}

func (p Phone) brazilian() bool {
	k := p.Kind()
	return k == Mobile || k == Landline
}

// DDD returns the area code of a Brazilian mobile or landline, or "".
func (p Phone) DDD() string {
	if !p.brazilian() {
		return ""
	}
	return p.s[3:5]
}

// Subscriber returns the number of a Brazilian mobile or landline without
// its area code and extension ("987654321"), or "".
func (p Phone) Subscriber() string {
	if !p.brazilian() {
		return ""
	}
	return p.main()[5:]
}

// UF returns the state of a Brazilian number's area code, or 0 when p is
// not a Brazilian mobile or landline or its area code is not assigned.
func (p Phone) UF() address.UF {
	if !p.brazilian() {
		return 0
	}
	uf, _, _ := DDDState(int(p.s[3]-'0')*10 + int(p.s[4]-'0'))
	return uf
}

// String returns the canonical form: E.164, or the dialled digits of a
// non-geographic number, and ";ext=" and the extension if there is one.
func (p Phone) String() string { return p.s }

// Format returns the number as Brazilians write it: "(11) 98765-4321",
// "(11) 3333-4444", "0800 123 4567", "4004-1234", and " ramal " and the
// extension if there is one ("(11) 3333-4444 ramal 123"); foreign numbers,
// and stored numbers of no layout the parser produces, are shown as stored.
func (p Phone) Format() string {
	if p.s == "" {
		return ""
	}
	return string(p.AppendFormat(make([]byte, 0, 32)))
}

// AppendFormat appends the shown form of p to b.
func (p Phone) AppendFormat(b []byte) []byte {
	b = p.appendMain(b)
	if ext := p.Extension(); ext != "" {
		b = append(append(b, " ramal "...), ext...)
	}
	return b
}

// appendMain appends the shown form of the number without its extension.
func (p Phone) appendMain(b []byte) []byte {
	m := p.main()
	switch p.Kind() {
	case Mobile, Landline:
		sub := m[5:]
		cut := len(sub) - 4
		b = append(b, '(')
		b = append(b, m[3:5]...)
		b = append(b, ") "...)
		b = append(b, sub[:cut]...)
		b = append(b, '-')
		return append(b, sub[cut:]...)
	case NonGeographic:
		switch {
		case len(m) == 8:
			return append(append(append(b, m[:4]...), '-'), m[4:]...)
		case (len(m) == 10 || len(m) == 11) && m[0] == '0':
			b = append(b, m[:4]...)
			b = append(b, ' ')
			b = append(b, m[4:7]...)
			b = append(b, ' ')
			return append(b, m[7:]...)
		}
		// Digits of no known layout, which only Scan lets through, are
		// shown as stored.
	}
	return append(b, m...)
}

// MarshalText implements [encoding.TextMarshaler].
func (p Phone) MarshalText() ([]byte, error) { return []byte(p.s), nil }

// UnmarshalText implements [encoding.TextUnmarshaler]: it reads what people
// type under today's rules, and the canonical form as the library writes
// it whatever rules it was written under (see Check); empty text is the
// zero value.
func (p *Phone) UnmarshalText(b []byte) error { return ident.Unmarshal(b, p, ParsePhone, restorePhone) }

// Check reports the rule p breaks today, or nil: a value read back from
// storage or from the library's own JSON is in canonical form but may
// predate the current rules.
func (p Phone) Check() error { return ident.Check(p.String(), ParsePhone) }

// Value implements [driver.Valuer]: the canonical string, or NULL.
func (p Phone) Value() (driver.Value, error) { return ident.Value(p.s) }

// Scan implements [sql.Scanner]. It accepts text in the shape of a
// canonical number, '+' and 8 to 15 digits or 8 to 15 digits without it,
// optionally followed by ";ext=" and 1 to [MaxExtensionDigits] digits, and
// nothing more: area codes, prefixes and the numbering plan are judged on
// input, not on reading, so a stored number always reads back even when a
// later plan no longer accepts it. Every method is defined on such a
// number: [Phone.UF] is 0 for an unassigned area code, and a '+55' number
// of neither national length is of kind [Foreign].
func (p *Phone) Scan(src any) error { return ident.ScanText(p, src, "contact.Phone", restorePhone) }

// restorePhone rebuilds a stored number: canonical in shape, an optional
// '+' and 8 to 15 digits, and an optional extension.
func restorePhone(s string) (Phone, bool) {
	d, ext, hasExt := strings.Cut(s, ";")
	if hasExt && (!strings.HasPrefix(ext, extTag[1:]) || !isExtension(ext[len(extTag)-1:])) {
		return Phone{}, false
	}
	if len(d) > 0 && d[0] == '+' {
		d = d[1:]
	}
	return Phone{s: s}, len(d) >= 8 && len(d) <= maxPhoneDigits && ident.IsDigits(d, len(d))
}
