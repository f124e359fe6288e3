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
