package address_test

import (
	"database/sql"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/internal/ident/identtest"
)

func TestCEPScanShapeOnly(t *testing.T) {
	t.Parallel()
	identtest.CheckScan(t, address.ParseCEP,
		[]string{"00000000", "00999999", "78900000", "78999999"}, // ranges of no state
		[]string{"0131010", "013101000", "01310-100", "0131010A", " 01310100", "01310100 "})
}

func TestScannedCEPMethods(t *testing.T) {
	t.Parallel()
	var c address.CEP
	require.NoError(t, c.Scan("78912345"))
	assert.Equal(t, address.UF(0), c.UF(), "a CEP outside every range has no state")
	assert.Equal(t, "78912-345", c.Format())
	assert.Equal(t, "x78912-345", string(c.AppendFormat([]byte("x"))))
	require.NoError(t, c.Scan("00000000"))
	assert.Equal(t, address.UF(0), c.UF())
	assert.Equal(t, "00000-000", c.Format())
}

func TestUFScan(t *testing.T) {
	t.Parallel()
	for _, u := range address.UFs() {
		var got address.UF
		require.NoError(t, got.Scan(u.String()), u)
		assert.Equal(t, u, got)
		require.NoError(t, got.Scan([]byte(u.String())), u)
		assert.Equal(t, u, got)
		v, err := got.Value()
		require.NoError(t, err)
		assert.Equal(t, u.String(), v)
	}
	for _, s := range []string{"sp", " SP", "SP ", "XX", "SPX", "São Paulo", "00"} {
		u := address.RJ
		err := u.Scan(s)
		require.Error(t, err, s)
		assert.NotContains(t, err.Error(), s)
		assert.Equal(t, address.RJ, u, "a failed scan leaves the destination alone")
	}
	u := address.RJ
	require.NoError(t, u.Scan(nil))
	assert.Equal(t, address.UF(0), u)
}

func TestAddressScanNoAllocs(t *testing.T) {
	var c address.CEP
	var u address.UF
	for _, tc := range []struct {
		name string
		dst  sql.Scanner
		src  any
	}{
		{"CEP", &c, "78912345"},
		{"UF", &u, "TO"},
	} {
		assert.Zero(t, testing.AllocsPerRun(100, func() {
			if err := tc.dst.Scan(tc.src); err != nil {
				t.Fatal(err)
			}
		}), tc.name)
	}
}

func FuzzScanCEP(f *testing.F) {
	for _, s := range []string{"01310100", "00000000", "78912345", "99999999", "01310-100", "", "0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		identtest.FuzzScan(t, s, address.ParseCEP, func(c address.CEP) {
			format := c.Format()
			if format != string(c.AppendFormat(nil)) || s != "" && (len(format) != 9 || format[:5]+format[6:] != s) {
				t.Fatalf("Format of %q is %q", s, format)
			}
			if u := c.UF(); u != 0 && !u.IsValid() {
				t.Fatalf("%q has the state %d", s, u)
			}
		})
	})
}

func FuzzScanUF(f *testing.F) {
	for _, s := range []string{"SP", "sp", "TO", "XX", "", "S"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		identtest.FuzzScan(t, s, address.ParseUF, func(u address.UF) {
			if s != "" && (!u.IsValid() || u.Name() == "") {
				t.Fatalf("%q reads as the unit %d", s, u)
			}
		})
	})
}
