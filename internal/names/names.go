// Package names reads Brazilian names of people and companies the way
// duplicate detection compares them: folded (case, accents), in order,
// without the particles ("de", "da", "dos", "e") and legal forms ("Ltda",
// "S.A.") that people drop or add at will, turned round when written
// surname first ("OLIVEIRA, JOSE CARLOS"), and with a generation suffix
// ("Filho", "Júnior", "Neto") kept apart, since it tells a son from his
// father. The customer package builds the match keys from it, and the
// dedupe package scores names with it: one reading, two uses.
package names

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/fichacrm/ficha/internal/fold"
)

// Name is a name as duplicate detection reads it.
type Name struct {
	// Words are the name's words in order, folded, without particles,
	// legal forms or the generation suffix; an abbreviation's dot is
	// dropped ("C." is "c").
	Words []string
	// Suffix is the generation suffix, in one spelling: "filho",
	// "junior", "neto", "sobrinho", "segundo", "terceiro"; "" for none.
	Suffix string
	// Company is whether the name is a company's.
	Company bool
}

// particles are the words that join a Brazilian name's parts.
var particles = map[string]bool{"de": true, "da": true, "do": true, "das": true, "dos": true, "e": true, "di": true, "del": true, "du": true, "van": true, "von": true}

// legal are the legal forms and words of a company's name that its
// records add or drop at will.
var legal = map[string]bool{"ltda": true, "me": true, "epp": true, "eireli": true, "sa": true, "s": true, "a": true,
	"cia": true, "mei": true, "limitada": true, "ss": true}

// suffixes maps the spellings of a generation suffix to one.
var suffixes = map[string]string{"filho": "filho", "fo": "filho", "junior": "junior", "jr": "junior", "jor": "junior",
	"neto": "neto", "sobrinho": "sobrinho", "segundo": "segundo", "ii": "segundo", "terceiro": "terceiro", "iii": "terceiro"}

// Parse reads a person's name (company false) or a company's.
func Parse(s string, company bool) Name {
	if head, tail, ok := strings.Cut(s, ","); ok && !company && strings.TrimSpace(tail) != "" && !strings.Contains(tail, ",") {
		s = tail + " " + head
	}
	n := Name{Company: company}
	for w := range strings.FieldsFuncSeq(fold.String(s), split) {
		w = strings.Map(keep, w)
		switch {
		case w == "":
		case company && legal[w]:
		case !company && particles[w]:
		case !company && suffixes[w] != "" && len(n.Words) > 1:
			n.Suffix = suffixes[w]
		default:
			n.Words = append(n.Words, w)
		}
	}
	return n
}

// split reports whether r separates two words: anything but a letter, a
// digit or an apostrophe (which joins "D'Ávila" into "davila").
func split(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !isApostrophe(r)
}

// keep drops apostrophes from a word.
func keep(r rune) rune {
	if isApostrophe(r) {
		return -1
	}
	return r
}

func isApostrophe(r rune) bool {
	switch r {
	case '\'', '’', '`', '´', 'ʼ':
		return true
	}
	return false
}

// First returns the name's first word of two letters or more: the given
// name, even when an initial comes first ("J. Carlos"); "" when it has
// none.
func (n Name) First() string {
	for _, w := range n.Words {
		if utf8.RuneCountInString(w) > 1 {
			return w
		}
	}
	return ""
}

// Last returns the name's last word of two letters or more: the family
// name; "" when it has none.
func (n Name) Last() string {
	for i := len(n.Words) - 1; i >= 0; i-- {
		if utf8.RuneCountInString(n.Words[i]) > 1 {
			return n.Words[i]
		}
	}
	return ""
}
