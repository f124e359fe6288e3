package luhn

import (
	"slices"
	"strings"
	"testing"
)

// group is a run of digits of a chain, with the classes of the separators
// before it.
type group struct {
	digits []byte // ASCII
	gap    []uint16
}

// chains splits text into chains of groups, the plain way, with line
// breaks as separators when lines is set.
func chains(text string, lines bool) [][]group {
	var all [][]group
	var cur []group
	var gap []uint16
	inGroup := false
	closeChain := func() {
		if len(cur) > 0 {
			all = append(all, cur)
		}
		cur, gap, inGroup = nil, nil, false
	}
	for _, r := range text {
		if invisible(r) {
			continue
		}
		if d, ok := digitValue(r); ok {
			if !inGroup {
				cur = append(cur, group{gap: gap})
				gap, inGroup = nil, true
			}
			last := &cur[len(cur)-1]
			last.digits = append(last.digits, '0'+d)
			continue
		}
		inGroup = false
		class := separator(r, lines)
		switch {
		case class == 0:
			closeChain()
		case len(cur) > 0:
			gap = append(gap, class)
			if len(gap) > maxGap {
				closeChain()
			}
		}
	}
	closeChain()
	return all
}

// isCardLayout reports whether the groups gs are laid out as a card.
func isCardLayout(gs []group) bool {
	total := 0
	for _, g := range gs {
		total += len(g.digits)
	}
	if total < minCard || total > maxCard {
		return false
	}
	last := len(gs[len(gs)-1].digits)
	switch {
	case len(gs) == 1:
		return true
	case len(gs) == 3 && len(gs[0].digits) == 4 && len(gs[1].digits) == 6 && (last == 4 || last == 5):
		return true
	case last > 4:
		return false
	case len(gs) == 4 && last == 4 && slices.Equal(gs[1].gap, gs[3].gap) && !slices.Equal(gs[2].gap, gs[1].gap):
		return false // two numbers written XXXX-XXXX
	}
	for _, g := range gs[:len(gs)-1] {
		if len(g.digits) != 4 {
			return false
		}
	}
	return true
}

// isLongCode reports whether a chain is an NF-e access key or a bank slip.
func isLongCode(gs []group) bool {
	for i := range gs {
		if i+longRun <= len(gs) {
			long := true
			for k := i; k < i+longRun; k++ {
				long = long && len(gs[k].digits) == 4
				if k > i+1 {
					long = long && slices.Equal(gs[k].gap, gs[i+1].gap)
				}
			}
			if long {
				return true
			}
		}
		if i+len(slipLayout) <= len(gs) {
			slip := true
			for k, want := range slipLayout {
				slip = slip && len(gs[i+k].digits) == want
			}
			if slip {
				return true
			}
		}
	}
	return false
}

// referenceContains is ContainsCardNumber written the quadratic way, from
// its documentation.
func referenceContains(text string) bool {
	return referenceScan(text, false) || referenceScan(text, true)
}

func referenceScan(text string, lines bool) bool {
	for _, gs := range chains(text, lines) {
		if isLongCode(gs) {
			continue
		}
		for i := range gs {
			var digits []byte
			for j := i + 1; j <= len(gs) && len(digits) <= maxCard; j++ {
				digits = append(digits, gs[j-1].digits...)
				if isCardLayout(gs[i:j]) && Valid(digits) {
					return true
				}
			}
		}
	}
	return false
}

// unicodeForms writes the ASCII digits and separators of text in other
// Unicode forms of the same class, which must not change the verdict.
func unicodeForms(text string) string {
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c >= '0' && c <= '9':
			b.WriteRune('０' + rune(c-'0'))
		case c == ' ':
			b.WriteRune('\u00A0')
		case c == '\t':
			b.WriteRune('\u2009')
		case c == '.':
			b.WriteRune('\uFF0E')
		case c == '-':
			b.WriteRune('\u2013')
		case c == '/':
			b.WriteRune('\u2215')
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// cardSeparators are the ways to write the space between two groups.
var cardSeparators = []string{
	" ", "  ", "   ", "\t", "-", " - ", ".", ". ", "/", " / ",
	"\u00A0", "\u2007", "\u2009", "\u202F", "\u3000", "\u200B", "\u2013", "\u2014", "\uFF0D",
}

// makeCard writes a Luhn-valid number of 13 to 19 digits drawn from seed,
// laid out and separated as style says.
func makeCard(seed uint64, style uint8) string {
	n := minCard + int(seed%(maxCard-minCard+1))
	digits := make([]byte, n)
	x := seed
	for i := range digits[:n-1] {
		x = x*6364136223846793005 + 1442695040888963407
		digits[i] = '0' + byte(x>>33%10)
	}
	for c := byte('0'); c <= '9'; c++ {
		digits[n-1] = c
		if Valid(digits) {
			break
		}
	}
	var sizes []int
	switch {
	case style%4 == 0:
		sizes = []int{n} // unbroken
	case style%4 == 1 && (n == 14 || n == 15):
		sizes = []int{4, 6, n - 10} // Diners, Amex
	default:
		for left := n; left > 0; left -= 4 {
			sizes = append(sizes, min(4, left))
		}
	}
	zero := '0'
	if style&0x80 != 0 {
		zero = '０'
	}
	var b strings.Builder
	at := 0
	for i, size := range sizes {
		if i > 0 {
			// One separator throughout, or a mix of them.
			k := int(style>>2) % len(cardSeparators)
			if style&0x40 != 0 {
				k = (k + i) % len(cardSeparators)
			}
			b.WriteString(cardSeparators[k])
		}
		for _, d := range digits[at : at+size] {
			b.WriteRune(zero + rune(d-'0'))
		}
		at += size
	}
	return b.String()
}

func FuzzContainsCardNumber(f *testing.F) {
	for i, tt := range cardTests {
		f.Add(tt.text, "", uint64(i), uint8(i))
		f.Add("nota: ", tt.text, uint64(i)*7919, uint8(i*37))
	}
	f.Add(worstCase(300), "4539 1488 0343 6467", uint64(42), uint8(0xC5))
	f.Fuzz(func(t *testing.T, a, b string, seed uint64, style uint8) {
		got := ContainsCardNumber(a)
		if want := referenceContains(a); got != want {
			t.Fatalf("ContainsCardNumber(%q) = %v, the reference says %v", a, got, want)
		}
		if other := ContainsCardNumber(unicodeForms(a)); other != got {
			t.Fatalf("ContainsCardNumber(%q) = %v, but %v in other Unicode forms", a, got, other)
		}

		// A card in either line is found in both together (the lines read
		// as one may hold a card neither holds alone: one group a line).
		gotB := ContainsCardNumber(b)
		if both := ContainsCardNumber(a + "\n" + b); (got || gotB) && !both {
			t.Fatalf("ContainsCardNumber(%q) = false, but %v and %v for its lines", a+"\n"+b, got, gotB)
		}

		// A card on a line of its own is always found, whatever surrounds it.
		card := makeCard(seed, style)
		if text := a + "\n" + card + "\n" + b; !ContainsCardNumber(text) {
			t.Fatalf("ContainsCardNumber(%q) misses the card %q", text, card)
		}
		// And so is a card between words.
		if text := "pagou com " + card + " ontem"; !ContainsCardNumber(text) {
			t.Fatalf("ContainsCardNumber(%q) misses the card", text)
		}
	})
}
