package address_test

import (
	"database/sql"
	"database/sql/driver"
	"encoding"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/address"
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

func TestCEPScanShapeOnly(t *testing.T) {
	t.Parallel()
	checkScan(t, address.ParseCEP,
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
		fuzzScan(t, s, address.ParseCEP, func(c address.CEP) {
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
		fuzzScan(t, s, address.ParseUF, func(u address.UF) {
			if s != "" && (!u.IsValid() || u.Name() == "") {
				t.Fatalf("%q reads as the unit %d", s, u)
			}
		})
	})
}
