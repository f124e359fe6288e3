package asset_test

import (
	"database/sql"
	"database/sql/driver"
	"encoding"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/asset"
)

// stored is what an identifier type offers to a database.
type stored interface {
	comparable
	String() string
	Value() (driver.Value, error)
}

// scanner is the pointer to a stored identifier type.
type scanner[T stored] interface {
	*T
	sql.Scanner
	encoding.TextUnmarshaler
}

// checkScan checks that each of readable, text in canonical shape that
// today's rules refuse, scans from a string and a []byte into the value
// that writes it back, while parse and text decoding, which are input,
// still refuse it; and that each of corrupt fails to scan with an error
// that does not repeat it.
func checkScan[T stored, P scanner[T]](t *testing.T, parse func(string) (T, error), readable, corrupt []string) {
	t.Helper()
	for _, s := range readable {
		t.Run(s, func(t *testing.T) {
			var v T
			require.NoError(t, P(&v).Scan(s))
			assert.Equal(t, s, v.String())
			val, err := v.Value()
			require.NoError(t, err)
			assert.Equal(t, s, val)

			buf := []byte(s)
			var b T
			require.NoError(t, P(&b).Scan(buf))
			buf[0] ^= 1
			assert.Equal(t, v, b, "a []byte source scans alike and is copied")

			_, err = parse(s)
			assert.Error(t, err, "the rules still apply on input")
			var in T
			assert.Error(t, P(&in).UnmarshalText([]byte(s)), "decoding text is input and validates")
		})
	}
	for _, s := range corrupt {
		t.Run("corrupt/"+s, func(t *testing.T) {
			var v T
			err := P(&v).Scan(s)
			require.Error(t, err)
			assert.NotContains(t, err.Error(), s, "stored text is personal data")
			assert.Zero(t, v)
		})
	}
	t.Run("NULL", func(t *testing.T) {
		var v T
		require.NoError(t, P(&v).Scan(readable[0]))
		require.NoError(t, P(&v).Scan(nil))
		assert.Zero(t, v)
		require.NoError(t, P(&v).Scan(readable[0]))
		require.NoError(t, P(&v).Scan(""))
		assert.Zero(t, v, "empty text is the zero value too")
	})
}

// fuzzScan checks Scan of s into T: text that scans writes itself back
// and survives use (every method is defined on it); text that does not
// fails with the same error as any other corrupt text, so the error cannot
// carry it; and whatever parse accepts, Scan reads back as the same value.
func fuzzScan[T stored, P scanner[T]](t *testing.T, s string, parse func(string) (T, error), use func(T)) {
	var corrupt T
	want := P(&corrupt).Scan("\x00").Error()
	var v T
	if err := P(&v).Scan(s); err != nil {
		if err.Error() != want {
			t.Fatalf("the error depends on the stored text: %v", err)
		}
	} else {
		if v.String() != s {
			t.Fatalf("Scan(%q) writes back %q", s, v.String())
		}
		val, err := v.Value()
		if err != nil || s == "" && val != nil || s != "" && val != s {
			t.Fatalf("Scan(%q) has the database value %v, %v", s, val, err)
		}
		var b T
		if err := P(&b).Scan([]byte(s)); err != nil || b != v {
			t.Fatalf("Scan(%q) as []byte disagrees: %v", s, err)
		}
		use(v)
	}
	p, err := parse(s)
	if err != nil {
		return
	}
	var back T
	if err := P(&back).Scan(p.String()); err != nil || back != p {
		t.Fatalf("what ParseX(%q) writes, %q, does not read back: %v", s, p.String(), err)
	}
}

func TestPlateScanShapeOnly(t *testing.T) {
	t.Parallel()
	checkScan(t, asset.ParsePlate,
		[]string{"1234567", "ABCDEFG", "AB12345", "ABC12D3", "A1B2C3D"},
		[]string{"ABC-1234", "abc1d23", "ABC123", "ABC12345", "ABC1D2\xc3", "ABC 1D23"})
}

func TestScannedPlateMethods(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, format, mercosul string
		isMercosul           bool
	}{
		{"1234567", "123-4567", "1234F67", false},
		{"AB12345", "AB1-2345", "AB12D45", false},
		{"ABCDEFG", "ABCDEFG", "ABCDEFG", true},
		{"ABC12D3", "ABC-12D3", "ABC1CD3", false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			var p asset.Plate
			require.NoError(t, p.Scan(tc.in))
			assert.Equal(t, tc.format, p.Format())
			assert.Equal(t, tc.isMercosul, p.IsMercosul())
			m := p.Mercosul()
			assert.Equal(t, tc.mercosul, m.String())
			assert.True(t, m.IsMercosul())
			assert.Equal(t, m, m.Mercosul())
		})
	}
}

func TestVINScanShapeOnly(t *testing.T) {
	t.Parallel()
	checkScan(t, asset.ParseVIN,
		[]string{"9BWZZZ377VT0O4251", "IIIIIIIIIIIIIIIII", "9BWZZZ377VTQ04251", "9BWZZZ377VT00I251"},
		[]string{"9bwzzz377vt004251", "9BWZZZ377VT00425", "9BWZZZ377VT0042511", "9BW-ZZZ377VT004251", "9BWZZZ377VT00425_"})
}

func TestRENAVAMScanShapeOnly(t *testing.T) {
	t.Parallel()
	checkScan(t, asset.ParseRENAVAM,
		[]string{"13824652269", "00000000000", "11111111111"},
		[]string{"639884962", "1382465226A", "138246522680", "13824-652268", "1382465226"})
}

func TestScannedVehicleMethods(t *testing.T) {
	t.Parallel()
	var v asset.VIN
	require.NoError(t, v.Scan("9BWZZZ377VT0O4251"))
	assert.Equal(t, "9BWZZZ377VT0O4251", v.Format())
	var r asset.RENAVAM
	require.NoError(t, r.Scan("13824652269"))
	assert.Equal(t, "13824652269", r.Format())
}

func TestAssetScanNoAllocs(t *testing.T) {
	var p asset.Plate
	var v asset.VIN
	var r asset.RENAVAM
	for _, tc := range []struct {
		name string
		dst  sql.Scanner
		src  any
	}{
		{"Plate", &p, "ABC1D23"},
		{"VIN", &v, "9BWZZZ377VT0O4251"},
		{"RENAVAM", &r, "13824652269"},
	} {
		assert.Zero(t, testing.AllocsPerRun(100, func() {
			if err := tc.dst.Scan(tc.src); err != nil {
				t.Fatal(err)
			}
		}), tc.name)
	}
}

func FuzzScanPlate(f *testing.F) {
	for _, s := range []string{"ABC1234", "ABC1D23", "1234567", "ABCDEFG", "abc-1234", "", "ABC123"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fuzzScan(t, s, asset.ParsePlate, func(p asset.Plate) {
			format, m := p.Format(), p.Mercosul()
			if s == "" {
				if format != "" || !m.IsZero() || p.IsMercosul() {
					t.Fatal("the zero plate has a shown or a Mercosul form")
				}
				return
			}
			if format != s && format != s[:3]+"-"+s[3:] {
				t.Fatalf("Format of %q is %q", s, format)
			}
			if !m.IsMercosul() || m.Mercosul() != m || p.IsMercosul() && m != p || len(m.String()) != 7 {
				t.Fatalf("the Mercosul form of %q is %q", s, m)
			}
		})
	})
}

func FuzzScanVIN(f *testing.F) {
	for _, s := range []string{"9BWZZZ377VT004251", "9BWZZZ377VT0O4251", "9bwzzz377vt004251", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fuzzScan(t, s, asset.ParseVIN, func(v asset.VIN) {
			if v.Format() != s {
				t.Fatalf("Format of %q is %q", s, v.Format())
			}
		})
	})
}

func FuzzScanRENAVAM(f *testing.F) {
	for _, s := range []string{"13824652268", "13824652269", "639884962", "00000000000", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fuzzScan(t, s, asset.ParseRENAVAM, func(r asset.RENAVAM) {
			if r.Format() != s {
				t.Fatalf("Format of %q is %q", s, r.Format())
			}
		})
	})
}
