package fold

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTokens(t *testing.T) {
	t.Parallel()
	assert.Equal(t, []string{"jose", "da", "silva"}, Tokens("José da Silva"))
	assert.Equal(t, []string{"jose", "da", "silva"}, Tokens("  JOSÉ   DA SILVA "))
	assert.Equal(t, []string{"joao", "davila", "filho"}, Tokens("João D'Ávila-Filho"))
	assert.Equal(t, []string{"conceicao", "aco", "s", "a"}, Tokens("Conceição Aço S.A."))
	assert.Equal(t, []string{"muller", "123"}, Tokens("Müller #123"))
	assert.Empty(t, Tokens(" - . "))
}

func TestCut(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("ã", 40) // 80 bytes
	c := Cut(long)
	assert.LessOrEqual(t, len(c), MaxToken)
	assert.Equal(t, strings.Repeat("ã", 32), c)
	assert.Equal(t, "abc", Cut("abc"))
}

func TestStringASCIIAndNot(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "abc d", String("ABC d"))
	assert.Equal(t, "sao joao", String("SÃO JOÃO"))
	assert.Nil(t, Tokens(""))
}

func BenchmarkTokens(b *testing.B) {
	for _, in := range []string{"Jose da Silva", "José da Conceição"} {
		b.Run(in, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = Tokens(in)
			}
		})
	}
}

func FuzzTokens(f *testing.F) {
	for _, s := range []string{"José da Silva", "D'Ávila-Filho", "ÆØÅ ß", "", "a\u0301b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		words := Tokens(s)
		again := Tokens(strings.Join(words, " "))
		if strings.Join(words, " ") != strings.Join(again, " ") {
			t.Fatalf("folding is not idempotent for %q: %q then %q", s, words, again)
		}
		for _, w := range words {
			if w == "" || len(w) > MaxToken {
				t.Fatalf("bad token %q", w)
			}
		}
	})
}
