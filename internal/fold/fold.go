// Package fold turns names into search tokens: accents and case removed,
// punctuation dropped, so that "José da Silva" and "JOSE DA SILVA" give the
// same tokens; a name joined by an apostrophe or a hyphen ("D'Ávila",
// "Ana-Maria") gives its parts and the parts written together, so that it
// is found however it is typed.
package fold

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxToken is the longest token kept, in bytes; longer ones are cut at a
// rune boundary, the same way for what is stored and what is searched.
const MaxToken = 64

// String removes accents (by Unicode decomposition) and lower-cases s.
// ASCII text, the common case, takes a fast path that builds no
// transformer.
func String(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	if f, ok := latin(s); ok {
		return f
	}
	return decompose(s)
}

// latinFirst and latinFold hold, for each letter of Unicode's Latin-1
// Supplement and Latin Extended-A blocks (U+00C0 to U+017F), what
// decompose makes of it alone; the table is made from decompose itself.
const latinFirst = 0xC0

var latinFold = func() (t [0x180 - latinFirst]string) {
	for i := range t {
		t[i] = decompose(string(rune(latinFirst + i)))
	}
	return t
}()

// latin folds s without decomposing it when every rune of it is ASCII or
// in latinFold: Portuguese names and words. Such a rune decomposes into
// a letter and combining marks that nothing else in s can combine with,
// so folding it alone gives what folding s does; a fuzz test holds the
// two to each other. It reports false, and returns nothing, otherwise.
func latin(s string) (string, bool) {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r < latinFirst || r >= latinFirst+rune(len(latinFold)) {
			return "", false
		}
		b = append(b, latinFold[r-latinFirst]...)
		i += n
	}
	return string(b), true
}

// decompose folds s by Unicode's rules: invalid UTF-8 becomes a space;
// then it decomposes s (NFD), drops the combining marks, lower-cases, and
// composes again what is left (NFC).
func decompose(s string) string {
	d := norm.NFD.String(strings.ToValidUTF8(s, " "))
	b := make([]byte, 0, len(d))
	for _, r := range d {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b = utf8.AppendRune(b, unicode.ToLower(r))
	}
	return norm.NFC.String(string(b))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Tokens folds s and returns its search tokens, sorted and without
// duplicates.
//
// A word is a run of letters and digits; any other character separates
// words, except a joiner between two letters or digits: an apostrophe
// (' ’ ` ´ ʼ) or a hyphen (- ‐ ‑). A word whose parts are joined gives
// each part and, from every part but the last, the rest of the word
// written together:
//
//	"João D'Ávila"     avila d davila joao
//	"Ana-Maria"        ana anamaria maria
//	"Sant'Anna-Maria"  anna annamaria maria sant santannamaria
//
// Search matches each token of a query as the prefix of a stored token,
// and a query goes through Tokens too, so "João D'Ávila" is found by
// "avila", "joao avila", "d avila", "davila", "d'avila" and "D’Ávila",
// and any run of consecutive parts written together ("annamaria") is the
// prefix of a token. A query with a joiner asks for the parts as well as
// the joined form: "d'avila" finds "João D'Ávila" but not "Joao Davila",
// which "davila" finds.
//
// Every token is cut to at most [MaxToken] bytes: a part on its own, the
// parts written together as a whole.
func Tokens(s string) []string {
	if s == "" {
		return nil
	}
	f := String(s)
	var words []string
	var first [8][2]int
	parts := first[:0] // the current word's parts: where each begins and ends in f
	joined := false    // a joiner followed the last part
	// One space past the end of f ends the last word.
	for i := 0; i <= len(f); {
		at, r, size := i, ' ', 1
		if i < len(f) {
			if r = rune(f[i]); r >= utf8.RuneSelf {
				r, size = utf8.DecodeRuneInString(f[i:])
			}
		}
		i += size
		switch {
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9'),
			r >= utf8.RuneSelf && !isJoiner(r) && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if len(parts) == 0 || joined {
				parts = append(parts, [2]int{at, at})
				joined = false
			}
			parts[len(parts)-1][1] = i
		case isJoiner(r):
			// A joiner joins only after a part; before the first one, it
			// is nothing. A run of joiners ("a'-b") is one.
			joined = len(parts) > 0
		case len(parts) > 0:
			if words == nil {
				words = make([]string, 0, 8) // enough for most names
			}
			words = appendWord(words, f, parts)
			parts, joined = parts[:0], false
		}
	}
	slices.Sort(words)
	return slices.Compact(words)
}

// isJoiner reports whether r joins the parts of a name: an apostrophe
// (ASCII, right single quotation mark, grave and acute accents typed on
// their own, modifier letter apostrophe) or a hyphen (ASCII, Unicode,
// non-breaking).
func isJoiner(r rune) bool {
	switch r {
	case '\'', '’', '`', '´', 'ʼ', '-', '‐', '‑':
		return true
	}
	return false
}

// appendWord appends the tokens of one word of f to words: each part (a
// substring of f) and, from every part but the last, the rest of the
// word written together.
func appendWord(words []string, f string, parts [][2]int) []string {
	for _, p := range parts {
		words = append(words, Cut(f[p[0]:p[1]]))
	}
	if len(parts) == 1 {
		return words
	}
	var b strings.Builder
	b.Grow(parts[len(parts)-1][1] - parts[0][0])
	for _, p := range parts {
		b.WriteString(f[p[0]:p[1]])
	}
	w := b.String()
	ascii := isASCII(w)
	at := 0
	for _, p := range parts[:len(parts)-1] {
		words = append(words, joinedForm(w[at:], ascii))
		at += p[1] - p[0]
	}
	return words
}

// joinedForm returns the token of w, parts written together. It is a
// substring of w unless, rarely, letters compose across a joint (Hangul
// jamo do) and the text must be normalised again. Only the head of w is
// looked at, so that a word of many parts costs linear time: composing
// letters shortens them at most three times (three jamo make a syllable),
// so four times MaxToken bytes are enough to fill a token.
func joinedForm(w string, ascii bool) string {
	if ascii {
		return Cut(w)
	}
	head := cut(w, 4*MaxToken)
	if norm.NFC.IsNormalString(head) {
		return Cut(head)
	}
	return Cut(norm.NFC.String(head))
}

// Cut shortens s to at most MaxToken bytes without splitting a rune.
func Cut(s string) string { return cut(s, MaxToken) }

// cut shortens s to at most n bytes without splitting a rune.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
