package luhn

import (
	"math/bits"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The shape of a card number in text.
const (
	minCard = 13 // fewest digits of a card number
	maxCard = 19 // most digits of a card number
	maxGap  = 3  // most separators between two groups of one chain
	// longRun is the number of four-digit groups in a row, behind the same
	// separator, that makes a chain a long code rather than a card: a card
	// with a four-digit expiry after it is five.
	longRun = 6
)

// slipLayout is the group sizes of a bank slip's typed line (linha
// digitável): 23793.38128 60082.677139 66006.727301 1 96010000012345.
var slipLayout = [...]int{5, 5, 5, 6, 5, 6, 1, 14}

// ContainsCardNumber reports whether text holds a card number: 13 to 19
// decimal digits that pass the Luhn check, written as cards are written.
//
// Digits are ASCII or any other Unicode decimal digit, fullwidth ones
// included. Combining marks and format characters other than the
// zero-width space, word joiner, byte-order mark and soft hyphen (so
// zero-width joiners and direction marks) are invisible and skipped. A
// group is a run of digits; groups with one to three separators between
// them form a chain. Separators are white space other than line breaks
// (the no-break, thin and zero-width spaces included), '.', '-' and the
// Unicode dashes, '/', '_', '(' and ')'. Anything else or a fourth
// separator in a row ends the chain. Text with line breaks is read twice:
// once with line breaks ending chains, so that a card on a line of its own
// is judged alone, and once with them as separators, so that a card
// written one group a line is found too. A card is any run of consecutive groups
// of a chain laid out as cards are printed:
//
//   - one group of 13 to 19 digits: 4539148803436467;
//   - groups of four, the last of one to four digits: 4539 1488 0343 6467,
//     4539.1488.0343.6467, 4222 2222 2222 2;
//   - four, six, then four or five digits (Diners, Amex): 3782 822463 10005.
//
// Sixteen digits in four groups are no card when the middle gap differs
// from the two around it: those are two numbers written XXXX-XXXX, as
// landlines and 4004 numbers are ("4004-4249 / 4003-8573").
//
// So "ref 12 4539 1488 0343 6467" and "4539/1488/0343/6467 12/30" hold a
// card, while phones, dates, CEPs, amounts such as 1.234.567.890.123, and
// CPFs and CNPJs written with their punctuation never do, whatever their
// digits. An unbroken run of 13 to 19 digits that passes the check is
// flagged whatever it is, a CNPJ written without punctuation included: it
// cannot be told from a card. Two long codes that dealerships handle daily
// are not searched for cards at all: a chain with six or more four-digit
// groups in a row behind the same separator (an NF-e access key prints as
// eleven of them), and a chain holding a bank slip's typed line (groups of
// 5, 5, 5, 6, 5, 6, 1 and 14 digits).
//
// It takes time linear in len(text) and does not allocate.
func ContainsCardNumber(text string) bool {
	return scan(text, false) || hasLineBreak(text) && scan(text, true)
}

// hasLineBreak reports whether text holds a line break, with searches
// that run at memory speed (strings.ContainsAny with non-ASCII characters
// does not).
func hasLineBreak(text string) bool {
	return strings.IndexByte(text, '\n') >= 0 || strings.IndexByte(text, '\r') >= 0 ||
		strings.Contains(text, "\u2028") || strings.Contains(text, "\u2029")
}

// scan looks for a card in text, with line breaks as separators when lines
// is set and as ends of chains otherwise.
func scan(text string, lines bool) bool {
	var s scanner
	for i := 0; i < len(text); {
		var class uint16
		if c := text[i]; c < utf8.RuneSelf {
			i++
			if class = asciiClass[c]; class == digitClass {
				s.digit(c - '0')
				continue
			}
			if lines && (c == '\n' || c == '\r') {
				class = sepSpace
			}
		} else {
			r, n := utf8.DecodeRuneInString(text[i:])
			i += n
			if d, ok := digitValue(r); ok {
				s.digit(d)
				continue
			}
			if invisible(r) {
				continue
			}
			class = separator(r, lines)
		}
		switch {
		case class != 0:
			if s.separator(class) {
				return true
			}
		case s.size > 0 || s.ngroups > 0:
			if s.end() {
				return true
			}
		}
	}
	return s.end()
}

// asciiClass classifies the ASCII characters: digits, the classes of the
// separators, 0 for the rest.
var asciiClass = [utf8.RuneSelf]uint16{
	'0': digitClass, '1': digitClass, '2': digitClass, '3': digitClass, '4': digitClass,
	'5': digitClass, '6': digitClass, '7': digitClass, '8': digitClass, '9': digitClass,
	' ': sepSpace, '\t': sepSpace, '.': sepDot, '-': sepDash, '/': sepSlash,
	'_': sepUnder, '(': sepParen, ')': sepParen,
}

// scanner follows one chain at a time. It keeps only what a card can span:
// the chain's last digits and the sizes of its last groups.
type scanner struct {
	digits  [32]uint8 // the chain's last digits, the nth at digits[n%32]
	ndigits int
	sizes   [8]int    // the chain's last group sizes, the nth at sizes[n%8]
	gaps    [8]uint16 // the code of the gap before each of those groups
	ngroups int       // finished groups in the chain

	size    int    // digits of the group being read; 0 between groups
	gap     int    // separators since the last group
	gapCode uint16 // their classes, three bits each

	run      int    // four-digit groups in a row behind the same separator
	runGap   uint16 // that separator's code
	found    bool   // a card laid out in the chain passes the Luhn check
	longCode bool   // the chain is a long code: ignore it
}

// digit reads one digit.
func (s *scanner) digit(d uint8) {
	s.digits[s.ndigits%len(s.digits)] = d
	s.ndigits++
	s.size++
}

// separator reads one separator of the given class, and returns the verdict
// on the chain if that separator ended it.
func (s *scanner) separator(class uint16) bool {
	if s.size > 0 {
		s.endGroup()
	}
	if s.ngroups == 0 {
		return false // no chain to join
	}
	s.gap++
	if s.gap > maxGap {
		return s.end()
	}
	s.gapCode = s.gapCode<<3 | class
	return false
}

// end ends the chain, if there is one, and reports whether it holds a card.
func (s *scanner) end() bool {
	if s.size > 0 {
		s.endGroup()
	}
	if s.ngroups == 0 {
		return false
	}
	found := s.found && !s.longCode
	s.ndigits, s.ngroups, s.gap, s.gapCode = 0, 0, 0, 0
	s.run, s.found, s.longCode = 0, false, false
	return found
}

// group returns the size of the kth group from the end of the chain, 0 for
// the last one, or 0 if the chain has no such group.
func (s *scanner) group(k int) int {
	if k >= s.ngroups {
		return 0
	}
	return s.sizes[(s.ngroups-1-k)%len(s.sizes)]
}

// endGroup takes in the group just read, and checks the card layouts that
// end with it.
func (s *scanner) endGroup() {
	joined := s.ngroups > 0
	s.sizes[s.ngroups%len(s.sizes)] = s.size
	s.gaps[s.ngroups%len(s.gaps)] = s.gapCode
	s.ngroups++
	s.size, s.gap = 0, 0
	gapCode := s.gapCode
	s.gapCode = 0

	g0, g1 := s.group(0), s.group(1)
	switch {
	case g0 != 4:
		s.run = 0
	case !joined || g1 != 4:
		s.run = 1
	case s.run >= 2 && gapCode == s.runGap:
		s.run++
	default:
		s.run, s.runGap = 2, gapCode
	}
	if s.run >= longRun {
		s.longCode = true
	}
	if g0 == slipLayout[len(slipLayout)-1] && s.ngroups >= len(slipLayout) {
		slip := true
		for k, want := range slipLayout {
			if s.group(len(slipLayout)-1-k) != want {
				slip = false
				break
			}
		}
		s.longCode = s.longCode || slip
	}
	if s.found || s.longCode {
		return
	}

	// The layouts that end with this group, as a set of lengths: every
	// candidate is a tail of the chain's digits.
	var lengths uint32
	if g0 >= minCard && g0 <= maxCard {
		lengths |= 1 << g0
	}
	g2, g3, g4 := s.group(2), s.group(3), s.group(4)
	if g0 >= 1 && g0 <= 4 && g1 == 4 && g2 == 4 && g3 == 4 && !(g0 == 4 && s.phonePair()) {
		lengths |= 1 << (12 + g0)
		if g0 <= 3 && g4 == 4 {
			lengths |= 1 << (16 + g0)
		}
	}
	if (g0 == 4 || g0 == 5) && g1 == 6 && g2 == 4 {
		lengths |= 1 << (10 + g0)
	}
	if lengths != 0 {
		s.found = s.luhnTail(lengths)
	}
}

// phonePair reports whether the last four groups, all of four digits, are
// two numbers written XXXX-XXXX (4004-4249 / 4003-8573, or one a line): the
// gap inside each pair differs from the gap between them.
func (s *scanner) phonePair() bool {
	gap := func(k int) uint16 { return s.gaps[(s.ngroups-1-k)%len(s.gaps)] }
	return gap(0) == gap(2) && gap(1) != gap(0)
}

// luhnTail reports whether the last n digits of the chain pass the Luhn
// check for some n in the set lengths (bit n set).
func (s *scanner) luhnTail(lengths uint32) bool {
	sum := 0
	for n := 1; n < bits.Len32(lengths); n++ {
		d := s.digits[(s.ndigits-n)%len(s.digits)]
		if n%2 == 0 {
			d = doubled[d]
		}
		sum += int(d)
		if lengths&(1<<n) != 0 && sum%10 == 0 {
			return true
		}
	}
	return false
}

// doubled maps a digit to the sum of the digits of its double, as the Luhn
// check counts every second digit from the right.
var doubled = [10]uint8{0, 2, 4, 6, 8, 1, 3, 5, 7, 9}

// digitValue returns the value of r if r is a decimal digit (Unicode
// category Nd). Unicode encodes decimal digits only in whole runs from 0
// to 9, so the value is the distance from the start of r's range, mod 10.
func digitValue(r rune) (uint8, bool) {
	if r < utf8.RuneSelf {
		return uint8(r - '0'), r >= '0' && r <= '9'
	}
	if r <= 0xFFFF {
		return digitIn(unicode.Nd.R16, uint32(r), func(rg unicode.Range16) (uint32, uint32) { return uint32(rg.Lo), uint32(rg.Hi) })
	}
	return digitIn(unicode.Nd.R32, uint32(r), func(rg unicode.Range32) (uint32, uint32) { return rg.Lo, rg.Hi })
}

// digitIn finds c in the sorted ranges of decimal digits, whose bounds
// span returns, and gives its value.
func digitIn[R any](ranges []R, c uint32, span func(R) (lo, hi uint32)) (uint8, bool) {
	lo, hi := 0, len(ranges)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		first, last := span(ranges[m])
		switch {
		case c < first:
			hi = m
		case c > last:
			lo = m + 1
		default:
			return uint8((c - first) % 10), true
		}
	}
	return 0, false
}

// invisible reports whether r is a combining mark or a format character
// that is no separator (a zero-width joiner, a direction mark), which
// change nothing a reader sees between two digits.
func invisible(r rune) bool {
	if r < 0x300 {
		// Below the combining marks the only format character is the
		// soft hyphen, a separator: Latin letters take this path.
		return false
	}
	switch r {
	case '\u200B', '\u2060', '\uFEFF', '\u00AD':
		return false
	}
	return unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Mn, r)
}

// The classes of separators; two gaps between groups are the same separator
// if they have the same classes in the same order.
const (
	sepSpace uint16 = 1 + iota
	sepDot
	sepDash
	sepSlash
	sepUnder
	sepParen

	digitClass uint16 = 0xFF // in asciiClass only
)

// separator returns the class of r if r may stand between the groups of a
// card number, or 0; line breaks may when lines is set.
func separator(r rune, lines bool) uint16 {
	if r < utf8.RuneSelf {
		if lines && (r == '\n' || r == '\r') {
			return sepSpace
		}
		if c := asciiClass[r]; c != digitClass {
			return c
		}
		return 0
	}
	switch r {
	case '\u2028', '\u2029': // line and paragraph separators
		if lines {
			return sepSpace
		}
		return 0
	case '\u200B', '\u2060', '\uFEFF': // zero-width space, word joiner, BOM
		return sepSpace
	case '\u00B7', '\u2024', '\uFF0E': // middle dot, one dot leader, fullwidth full stop
		return sepDot
	case '\u00AD', '\u2212': // soft hyphen, minus sign
		return sepDash
	case '\u2044', '\u2215', '\uFF0F': // fraction slash, division slash, fullwidth solidus
		return sepSlash
	}
	switch {
	case unicode.Is(unicode.Zs, r): // no-break, figure, thin, ideographic spaces...
		return sepSpace
	case unicode.Is(unicode.Pd, r): // hyphen, en and em dashes, fullwidth hyphen-minus...
		return sepDash
	}
	return 0
}
