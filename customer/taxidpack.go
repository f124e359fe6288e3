package customer

import (
	"encoding/binary"

	"github.com/fichacrm/ficha/internal/ident"
)

// packed is the representation that [CPF], [CNPJ] and [TaxID] share, after
// net/netip's Addr: the canonical characters as the bytes of a 128-bit
// number held in two words, right-aligned (the last character is the low
// byte of lo), and their count in the top byte of hi: 0 for the zero
// value, 11 for a CPF, 14 for a CNPJ; the bytes in between are zero. A
// value is thus comparable with ==, holds no pointer, travels in two
// registers, and is read from any typed form without allocating.
type packed struct{ hi, lo uint64 }

// Byte-wise constants: every byte 0x01, every byte '0', the top bit of
// every byte, and the bit that sets an upper-case letter apart from a
// digit.
const (
	ones       = 0x0101010101010101
	zeros      = '0' * ones
	topBits    = 0x80 * ones
	letterBits = 0x40 * ones
)

// pack returns the value that holds the n characters right-aligned in hi:lo.
func pack(hi, lo uint64, n int) packed { return packed{hi: hi | uint64(n)<<56, lo: lo} }

// packString returns the value that holds s, of at most 15 digits and
// upper-case letters.
func packString(s string) packed {
	var hi, lo uint64
	for i := 0; i < len(s); i++ {
		hi, lo = hi<<8|lo>>56, lo<<8|uint64(s[i])
	}
	return pack(hi, lo, len(s))
}

// len returns how many characters p holds.
func (p packed) len() int { return int(p.hi >> 56) }

// bytes returns p as 16 bytes, its characters last.
func (p packed) bytes() [16]byte {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], p.hi)
	binary.BigEndian.PutUint64(b[8:], p.lo)
	return b
}

// String returns the characters of p.
func (p packed) String() string {
	b := p.bytes()
	return string(b[16-p.len():])
}

// text returns the characters of p in a new slice, empty but not nil for
// the zero value.
func (p packed) text() []byte {
	b := p.bytes()
	n := p.len()
	return append(make([]byte, 0, n), b[16-n:]...)
}

// hasLetter reports whether p holds a letter.
func (p packed) hasLetter() bool { return (p.hi|p.lo)&letterBits != 0 }

// Reading a typed tax ID: [compact] returns the significant characters of
// s under the input policy (white space around ignored, separators
// skipped, letters upper-cased), each a digit or an upper-case letter,
// right-aligned in hi:lo (the last 16 when there are more), and how many
// there are: -1 if s holds a character the policy refuses. [usual] returns
// the same without a loop for the shapes people most often type, and n = 0
// for any other s. So each parser reads s with
//
//	hi, lo, n := usual(s)
//	if n == 0 {
//		hi, lo, n = compact(s)
//	}
//
// (by hand: the compiler does not inline a function that calls both).

// usual is [compact] for the four shapes people most often type, with
// digits and upper-case letters only: "24843803480", "248.438.034-80",
// "12ABC34501DE35" and "12.ABC.345/01DE-35". It reads them without a loop.
// For any other s, white space around included, it returns n = 0.
func usual(s string) (hi, lo uint64, n int) {
	switch len(s) {
	case 11: // "24843803480"
		hi, lo = be8(s)>>40, be8(s[3:])
		return digits(hi, lo, 11)
	case 14:
		// For "248.438.034-80", a holds "248.438." and b "8.034-80": the
		// separators are bytes 4 and 0 of a, 6 and 2 of b (byte 0 is the
		// least significant).
		a, b := be8(s), be8(s[6:])
		if a&0xff_0000_00ff == '.'<<32|'.' && b&0xff_0000_00ff_0000 == '.'<<48|'-'<<16 {
			hi, lo = a>>40, a>>8&0xff_ffff<<40|b>>24&0xff_ffff<<16|b&0xffff
			return digits(hi, lo, 11)
		}
		// "12ABC34501DE35"
		return alnum(a>>16, b, 14)
	case 18:
		// For "12.ABC.345/01DE-35", a holds "12.ABC.3" and b "45/01DE-":
		// the separators are bytes 5 and 1 of a, 5 and 0 of b.
		a, b := be8(s), be8(s[8:])
		if a&0xff_0000_00ff_00 != '.'<<40|'.'<<8 || b&0xff_0000_0000_ff != '/'<<40|'-' {
			return 0, 0, 0
		}
		hi = a>>48<<32 | a>>16&0xff_ffff<<8 | a&0xff
		lo = b>>48<<48 | b>>8&0xffff_ffff<<16 | uint64(s[16])<<8 | uint64(s[17])
		return alnum(hi, lo, 14)
	}
	return 0, 0, 0
}

// digits returns hi, lo and n if the n characters right-aligned in hi:lo
// are all digits, and n = 0 otherwise.
func digits(hi, lo uint64, n int) (uint64, uint64, int) {
	// '0' in hi's free bytes keeps the test true. A byte is a digit if its
	// top four bits are 3 and remain so when 6 is added to it.
	const top4 = 0xf0 * ones
	x := hi | zeros<<(8*(n-8))
	if (x&top4^zeros)|(lo&top4^zeros)|((x+6*ones)&top4^zeros)|((lo+6*ones)&top4^zeros) != 0 {
		return 0, 0, 0
	}
	return hi, lo, n
}

// alnum returns hi, lo and n if the n characters right-aligned in hi:lo
// are all digits or upper-case letters, and n = 0 otherwise.
func alnum(hi, lo uint64, n int) (uint64, uint64, int) {
	if !isAlnum(hi|zeros<<(8*(n-8))) || !isAlnum(lo) {
		return 0, 0, 0
	}
	return hi, lo, n
}

// be8 returns the first 8 bytes of s as a big-endian number: one load, as
// the compiler merges them.
func be8(s string) uint64 {
	_ = s[7]
	return uint64(s[0])<<56 | uint64(s[1])<<48 | uint64(s[2])<<40 | uint64(s[3])<<32 |
		uint64(s[4])<<24 | uint64(s[5])<<16 | uint64(s[6])<<8 | uint64(s[7])
}

// isAlnum reports whether every byte of x is a digit or an upper-case
// letter.
func isAlnum(x uint64) bool {
	// Adding 0x80−c to a byte below 0x80 sets its top bit when it is at
	// least c, and carries into no other byte.
	in := (x+(0x80-'0')*ones)&^(x+(0x80-'9'-1)*ones) | (x+(0x80-'A')*ones)&^(x+(0x80-'Z'-1)*ones)
	return (x|^in)&topBits == 0 // x has no top bit set, and in has all
}

// compact reads any s, one character at a time (see above).
func compact(s string) (hi, lo uint64, n int) {
	s = ident.TrimSpace(s)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c-'0' <= 9, c-'A' < 26:
		case c-'a' < 26:
			c -= 'a' - 'A'
		case ident.IsSeparator(c):
			continue
		default:
			return 0, 0, -1
		}
		hi, lo = hi<<8|lo>>56, lo<<8|uint64(c)
		n++
	}
	return hi, lo, n
}

// letterAmong reports whether one of the first k significant characters of
// s is a letter.
func letterAmong(s string, k int) bool {
	for i := 0; i < len(s) && k > 0; i++ {
		switch c := s[i]; {
		case c-'A' < 26, c-'a' < 26:
			return true
		case c-'0' <= 9:
			k--
		}
	}
	return false
}

// checkCPF applies the CPF rules to the 11 characters right-aligned in
// hi:lo (the count in hi's top byte, if any, is ignored), in the order that
// picks the error: a character that is not a digit, one digit repeated,
// the check digits.
func checkCPF(hi, lo uint64) error {
	hi &= 1<<24 - 1
	if (hi|lo)&letterBits != 0 {
		return ErrCPFChar
	}
	// One digit repeated: lo is eight copies of its low byte, hi three.
	if rep := (lo & 0xff) * ones; lo == rep && hi == rep>>40 {
		return ErrCPFRepeated
	}
	// The digits' values: d[0] d[1] d[2] are the bytes of h, d[3] to d[10]
	// those of l, most significant first.
	h, l := hi-zeros>>40, lo-zeros
	d0, d1, d2 := int(h>>16), int(h>>8&0xff), int(h&0xff)
	d9, d10 := int(l>>8&0xff), int(l&0xff)
	// The first check digit weighs d[0] to d[8] by 10 down to 2. The product
	// of l and a number whose bytes are weights holds in its top byte the
	// sum of each byte of l times the weight in the mirrored place: here
	// d[3]·7 + d[4]·6 + … + d[8]·2. No byte of the product exceeds
	// 9·(7+6+5+4+3+2) = 243, so none carries into the next.
	s1 := 10*d0 + 9*d1 + 8*d2 + int(l*0x0000_0203_0405_0607>>56)
	// The second weighs d[0] to d[9] by 11 down to 2: each of d[0] to d[8]
	// once more than the first, and d[9] by 2.
	sum := d0 + d1 + d2 + int(l*0x0000_0101_0101_0101>>56)
	s2 := s1 + sum + 2*d9
	if ident.Mod11(s1) != d9 || ident.Mod11(s2) != d10 {
		return ErrCPFCheckDigit
	}
	return nil
}

// checkCNPJ applies the CNPJ rules to the 14 digits and upper-case
// letters right-aligned in hi:lo (the count in hi's top byte, if any, is
// ignored), in the order that picks the error: a check digit that is not
// a digit, a base of one repeated character, the check digits.
func checkCNPJ(hi, lo uint64) error {
	hi &= 1<<48 - 1
	if lo&(letterBits&0xffff) != 0 {
		return ErrCNPJChar
	}
	// The base is hi's six bytes and lo's top six: one character repeated,
	// both are six copies of hi's first.
	if rep := (hi >> 40) * ones; hi == rep>>16 && lo>>16 == rep>>16 {
		return ErrCNPJRepeated
	}
	// A character is worth its code minus 48: '0' to '9' are 0 to 9, 'A'
	// is 17 and 'Z' 42. The first check digit weighs the twelve base
	// characters by 5 4 3 2 9 8 7 6 5 4 3 2, the second weighs those and
	// the first check digit by 6 5 4 3 2 9 8 7 6 5 4 3 2.
	//
	// The sums are taken four characters at a time: a word's odd bytes,
	// then its even ones, spread into 16-bit lanes, times a number whose
	// lanes are weights, hold in their top lane the sum of each character
	// times the weight in the mirrored lane. No lane of the products or of
	// their sum exceeds 4·42·(8+6+4+2), so none carries into the next.
	const spread = 0x00ff_00ff_00ff_00ff
	h, l := hi-zeros>>16, lo-zeros
	// Characters by lane, lowest first: v[4] v[2] v[0] in hOdd, v[5] v[3]
	// v[1] in hEven, v[12] v[10] v[8] v[6] in lOdd, v[13] v[11] v[9] v[7]
	// in lEven. The weights of each come in reading order.
	hOdd, hEven, lOdd, lEven := h>>8&spread, h&spread, l>>8&spread, l&spread
	s1 := int((hOdd*lanes(0, 5, 3, 9) + hEven*lanes(0, 4, 2, 8) +
		lOdd*lanes(7, 5, 3, 0) + lEven*lanes(6, 4, 2, 0)) >> 48)
	s2 := int((hOdd*lanes(0, 6, 4, 2) + hEven*lanes(0, 5, 3, 9) +
		lOdd*lanes(8, 6, 4, 2) + lEven*lanes(7, 5, 3, 0)) >> 48)
	if ident.Mod11(s1) != int(l>>8&0xff) || ident.Mod11(s2) != int(l&0xff) {
		return ErrCNPJCheckDigit
	}
	return nil
}

// lanes returns the number whose 16-bit lanes, lowest first, are a, b, c
// and d.
func lanes(a, b, c, d uint64) uint64 { return a | b<<16 | c<<32 | d<<48 }
