package ident

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCompact(t *testing.T) {
	t.Parallel()
	var buf [8]byte
	n, same, st := Compact(buf[:], "ab.1-2")
	assert.Equal(t, OK, st)
	assert.False(t, same)
	assert.Equal(t, "AB12", string(buf[:n]))

	n, same, st = Compact(buf[:], "AB12")
	assert.Equal(t, OK, st)
	assert.True(t, same)
	assert.Equal(t, "AB12", string(buf[:n]))

	_, _, st = Compact(buf[:], "AB@1")
	assert.Equal(t, BadChar, st, "a character outside the policy is an error")
	_, _, st = Compact(buf[:], "123456789")
	assert.Equal(t, TooLong, st, "overflowing the buffer is an error")
	_, _, st = Compact(buf[:], "123456789@")
	assert.Equal(t, BadChar, st, "a bad character wins over the length")
}

func TestTrimSpace(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "a b", TrimSpace("\t a b \n"))
	assert.Equal(t, "", TrimSpace("  "))
}

func TestMod11(t *testing.T) {
	t.Parallel()
	assert.Equal(t, 0, Mod11(22)) // r = 0
	assert.Equal(t, 0, Mod11(12)) // r = 1
	assert.Equal(t, 9, Mod11(13)) // r = 2
	assert.Equal(t, 1, Mod11(21)) // r = 10
}
