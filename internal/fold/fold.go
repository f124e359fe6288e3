// Package fold turns names into search tokens: accents and case removed,
// punctuation dropped, so that "José da Silva" and "JOSE DA SILVA" give the
// same tokens.
package fold

import (
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
	// Invalid UTF-8 becomes a space; then decompose (NFD), drop the
	// combining marks, lower-case, and compose again what is left (NFC).
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

// Tokens folds s and splits it into words of letters and digits.
// Apostrophes vanish without splitting ("D'Ávila" gives "davila"); any
// other character that is not a letter or digit separates words.
func Tokens(s string) []string {
	if s == "" {
		return nil
	}
	f := String(s)
	var words []string
	buf := make([]byte, 0, len(f))
	flush := func() {
		if len(buf) > 0 {
			words = append(words, Cut(string(buf)))
			buf = buf[:0]
		}
	}
	for _, r := range f {
		switch {
		case r == '\'' || r == '’' || r == '`' || r == '´':
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9'),
			r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			buf = utf8.AppendRune(buf, r)
		default:
			flush()
		}
	}
	flush()
	return words
}

// Cut shortens s to at most MaxToken bytes without splitting a rune.
func Cut(s string) string {
	if len(s) <= MaxToken {
		return s
	}
	n := MaxToken
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
