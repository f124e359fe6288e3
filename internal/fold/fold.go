// Package fold turns names into search tokens: accents and case removed,
// punctuation dropped, so that "José da Silva" and "JOSE DA SILVA" give the
// same tokens.
package fold

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// MaxToken is the longest token kept, in bytes; longer ones are cut at a
// rune boundary, the same way for what is stored and what is searched.
const MaxToken = 64

// String removes accents (by Unicode decomposition) and lower-cases s.
func String(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}

// Tokens folds s and splits it into words of letters and digits.
// Apostrophes vanish without splitting ("D'Ávila" gives "davila"); any
// other character that is not a letter or digit separates words.
func Tokens(s string) []string {
	f := String(s)
	f = strings.NewReplacer("'", "", "’", "", "`", "", "´", "").Replace(f)
	words := strings.FieldsFunc(f, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for i, w := range words {
		words[i] = Cut(w)
	}
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
