package customer

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestUsualShapes checks that the four shapes people most often type are
// read without a loop, as compact reads them, and that any other shape is
// left to compact.
func TestUsualShapes(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"24843803480", "248.438.034-80", "26637142000158", "12ABC34501DE35",
		"26.637.142/0001-58", "12.ABC.345/01DE-35", "00000000000", "ZZZZZZZZZZZZ99"} {
		hi, lo, n := usual(s)
		require.NotZero(t, n, "%q is a usual shape", s)
		chi, clo, cn := compact(s)
		assert.Equal(t, [3]uint64{chi, clo, uint64(cn)}, [3]uint64{hi, lo, uint64(n)}, s)
	}
	for _, s := range []string{
		"", "248 438 034 80", " 24843803480", "24843803480\t", "248.438.034/80", "248-438-034.80",
		"2484380348A", "248.438.034-8A", "12.abc.345/01de-35", "12abc34501de35", "12ABC34501DE3@",
		"12.ABC.345-01DE/35", "12/ABC.345.01DE-35", "248.438.03480-", "12.ABC.345/01DE-3\xff",
		"2484380348\x80", "2663714200015\x00",
	} {
		_, _, n := usual(s)
		assert.Zero(t, n, "%q is left to compact", s)
	}
}

// TestUsualOneByteOff checks that usual reads every string one byte away
// from a usual shape as compact does, or leaves it to compact.
func TestUsualOneByteOff(t *testing.T) {
	t.Parallel()
	read := 0
	for _, s := range []string{"24843803480", "248.438.034-80", "12ABC34501DE35", "12.ABC.345/01DE-35"} {
		for i := range len(s) {
			for c := range 256 {
				b := []byte(s)
				b[i] = byte(c)
				hi, lo, n := usual(string(b))
				if n == 0 {
					continue
				}
				read++
				chi, clo, cn := compact(string(b))
				require.Equal(t, [3]uint64{chi, clo, uint64(cn)}, [3]uint64{hi, lo, uint64(n)}, "%q", b)
			}
		}
	}
	// Each character of a CPF takes the ten digits, each of a CNPJ the
	// ten and the 26 letters (the check digits too: that they are digits
	// is a rule of the CNPJ, not of the shape), each separator only itself.
	assert.Equal(t, 11*10+(11*10+3)+14*36+(14*36+4), read)
}

// FuzzUsual checks that wherever usual reads s, it reads what compact does.
func FuzzUsual(f *testing.F) {
	for _, s := range []string{"24843803480", "248.438.034-80", "12ABC34501DE35", "12.ABC.345/01DE-35",
		"12.abc.345/01de-35", "248.438.034/80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		hi, lo, n := usual(s)
		if n == 0 {
			return
		}
		if chi, clo, cn := compact(s); hi != chi || lo != clo || n != cn {
			t.Fatalf("usual(%q) = %x %x %d, compact %x %x %d", s, hi, lo, n, chi, clo, cn)
		}
	})
}

// TestPacked checks the representation: characters right-aligned, the
// count in the top byte, nothing in between, and the text back.
func TestPacked(t *testing.T) {
	t.Parallel()
	p := packString("12ABC34501DE35")
	assert.Equal(t, packed{hi: 14<<56 | 0x31_32_41_42_43_33, lo: 0x34_35_30_31_44_45_33_35}, p)
	assert.Equal(t, 14, p.len())
	assert.Equal(t, "12ABC34501DE35", p.String())
	assert.Equal(t, []byte("12ABC34501DE35"), p.text())
	assert.True(t, p.hasLetter())
	assert.False(t, packString("24843803480").hasLetter())
	assert.Equal(t, "", packed{}.String())
	assert.Equal(t, []byte{}, packed{}.text(), "empty, not nil")
}
