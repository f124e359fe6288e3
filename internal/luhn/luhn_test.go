package luhn

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestValid(t *testing.T) {
	t.Parallel()
	assert.True(t, Valid([]byte("4111111111111111")))
	assert.True(t, Valid([]byte("378282246310005")))
	assert.False(t, Valid([]byte("4111111111111112")))
}

func TestContainsCardNumber(t *testing.T) {
	t.Parallel()
	yes := []string{
		"card 4111111111111111 exp 12/30",
		"4111 1111 1111 1111",
		"pagou com 5555-5555-5555-4444.",
		"378282246310005",
	}
	for _, s := range yes {
		assert.True(t, ContainsCardNumber(s), s)
	}
	no := []string{
		"",
		"call 11 98765-4321 after 6pm",
		"4111111111111112",        // fails Luhn
		"41111111111111110000",    // 20 digits: longer than any card
		"CNPJ 26.637.142/0001-58", // punctuation splits the run
		"411111111111",            // 12 digits
		"4111  1111 1111 1111",    // a double space ends the run
	}
	for _, s := range no {
		assert.False(t, ContainsCardNumber(s), s)
	}
}
