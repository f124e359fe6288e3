package names

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in      string
		company bool
		words   string
		suffix  string
		first   string
		last    string
	}{
		{"José Carlos de Oliveira", false, "jose carlos oliveira", "", "jose", "oliveira"},
		{"OLIVEIRA, JOSE CARLOS", false, "jose carlos oliveira", "", "jose", "oliveira"},
		{"J. Carlos D'Ávila", false, "j carlos davila", "", "carlos", "davila"},
		{"José Carlos Oliveira Filho", false, "jose carlos oliveira", "filho", "jose", "oliveira"},
		{"Pedro Henrique Souza Jr.", false, "pedro henrique souza", "junior", "pedro", "souza"},
		{"João Neto", false, "joao neto", "", "joao", "neto"},
		{"Ana-Maria dos Santos e Silva", false, "ana maria santos silva", "", "ana", "silva"},
		{"Transportadora Oliveira Ltda.", true, "transportadora oliveira", "", "transportadora", "oliveira"},
		{"Auto Peças União S.A.", true, "auto pecas uniao", "", "auto", "uniao"},
		{"de da dos", false, "", "", "", ""},
		{"", false, "", "", "", ""},
		{"Silva, ", false, "silva", "", "silva", "silva"},
	} {
		n := Parse(tc.in, tc.company)
		assert.Equal(t, tc.words, strings.Join(n.Words, " "), tc.in)
		assert.Equal(t, tc.suffix, n.Suffix, tc.in)
		assert.Equal(t, tc.first, n.First(), tc.in)
		assert.Equal(t, tc.last, n.Last(), tc.in)
	}
}

// FuzzParse checks that any text reads without panicking into folded
// words with no particle, no separator and no empty word, and that
// reading the words again gives the same words.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"José Carlos de Oliveira", "OLIVEIRA, JOSE CARLOS", "a,b,c", "D'Ávila-Souza Filho", "🚗 Ltda", "\x00\xff"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, company bool) {
		n := Parse(s, company)
		for _, w := range n.Words {
			if w == "" || !utf8.ValidString(w) || strings.ContainsAny(w, " ,.'-") {
				t.Fatalf("bad word %q of %q", w, s)
			}
			if !company && particles[w] {
				t.Fatalf("particle %q kept in %q", w, s)
			}
		}
		again := Parse(strings.Join(n.Words, " "), company)
		if strings.Join(again.Words, " ") != strings.Join(n.Words, " ") && again.Suffix == "" {
			t.Fatalf("words of %q change when read again: %q, %q", s, n.Words, again.Words)
		}
		if f := n.First(); f != "" && utf8.RuneCountInString(f) < 2 {
			t.Fatalf("first word %q too short", f)
		}
	})
}
