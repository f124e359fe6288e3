package asset_test

import (
	"database/sql"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/internal/ident/identtest"
)

func TestPlateScanShapeOnly(t *testing.T) {
	t.Parallel()
	identtest.CheckScan(t, asset.ParsePlate,
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
	identtest.CheckScan(t, asset.ParseVIN,
		[]string{"9BWZZZ377VT0O4251", "IIIIIIIIIIIIIIIII", "9BWZZZ377VTQ04251", "9BWZZZ377VT00I251"},
		[]string{"9bwzzz377vt004251", "9BWZZZ377VT00425", "9BWZZZ377VT0042511", "9BW-ZZZ377VT004251", "9BWZZZ377VT00425_"})
}

func TestRENAVAMScanShapeOnly(t *testing.T) {
	t.Parallel()
	identtest.CheckScan(t, asset.ParseRENAVAM,
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
		identtest.FuzzScan(t, s, asset.ParsePlate, func(p asset.Plate) {
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
		identtest.FuzzScan(t, s, asset.ParseVIN, func(v asset.VIN) {
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
		identtest.FuzzScan(t, s, asset.ParseRENAVAM, func(r asset.RENAVAM) {
			if r.Format() != s {
				t.Fatalf("Format of %q is %q", s, r.Format())
			}
		})
	})
}
