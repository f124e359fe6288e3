package ident

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
	// Every sum below 2¹⁷: past the short cut and beyond.
	for sum := range 1 << 17 {
		want := 11 - sum%11
		if want >= 10 {
			want = 0
		}
		if got := Mod11(sum); got != want {
			t.Fatalf("Mod11(%d) = %d, want %d", sum, got, want)
		}
	}
}

// code is a toy identifier for the ScanText tests: three upper-case letters.
type code struct{ s string }

func restoreCode(s string) (code, bool) { return code{s: s}, IsUpperAlnum(s, 3) && !IsDigits(s[:1], 1) }

func (c *code) Scan(src any) error { return ScanText(c, src, "ident.code", restoreCode) }

func TestScanText(t *testing.T) {
	t.Parallel()
	var c code
	require.NoError(t, c.Scan("ABC"))
	assert.Equal(t, "ABC", c.s)

	buf := []byte("XYZ")
	require.NoError(t, c.Scan(buf))
	buf[0] = 'Q'
	assert.Equal(t, "XYZ", c.s, "a scanned []byte is copied, not kept")

	require.NoError(t, c.Scan(nil))
	assert.Equal(t, code{}, c, "NULL is the zero value")
	c = code{s: "ABC"}
	require.NoError(t, c.Scan(""))
	assert.Equal(t, code{}, c, "empty text is the zero value")
	c = code{s: "ABC"}
	require.NoError(t, c.Scan([]byte{}))
	assert.Equal(t, code{}, c)

	for _, src := range []any{"1BC", "ABCD", []byte("ab")} {
		c = code{s: "KEEP"}
		err := c.Scan(src)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "ident.code")
		assert.NotContains(t, err.Error(), "BC", "the stored text is personal data")
		assert.NotContains(t, err.Error(), "ab")
		assert.Equal(t, "KEEP", c.s, "a failed scan leaves the destination alone")
	}
	err := c.Scan(42)
	require.Error(t, err)
	assert.Equal(t, "cannot scan int into ident.code", err.Error())
}

func TestScanTextNoAllocs(t *testing.T) {
	var c code
	var src any = "ABC"
	assert.Zero(t, testing.AllocsPerRun(100, func() {
		if err := c.Scan(src); err != nil {
			t.Fatal(err)
		}
	}))
}

func TestShapes(t *testing.T) {
	t.Parallel()
	assert.True(t, IsDigits("0123456789", 10))
	assert.True(t, IsDigits("", 0))
	assert.False(t, IsDigits("0123", 5), "length")
	assert.False(t, IsDigits("01a3", 4))
	assert.False(t, IsDigits("01/3", 4), "the byte before '0'")
	assert.False(t, IsDigits("01:3", 4), "the byte after '9'")
	assert.True(t, IsUpperAlnum("AZ09", 4))
	assert.False(t, IsUpperAlnum("AZ09", 3), "length")
	assert.False(t, IsUpperAlnum("Az09", 4), "lower case")
	assert.False(t, IsUpperAlnum("A@09", 4), "the byte before 'A'")
	assert.False(t, IsUpperAlnum("A[09", 4), "the byte after 'Z'")
}
