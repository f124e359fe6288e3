package customer_test

import (
	"database/sql"
	"database/sql/driver"
	"encoding"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/customer"
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

func TestCPFScanShapeOnly(t *testing.T) {
	t.Parallel()
	checkScan(t, customer.ParseCPF,
		[]string{"12345678900", "24843803481", "00000000000", "99999999999"},
		[]string{"2484380348", "248438034800", "248.438.034-80", "2484380348A", " 24843803480", "１2345678900"})
}

func TestCNPJScanShapeOnly(t *testing.T) {
	t.Parallel()
	checkScan(t, customer.ParseCNPJ,
		[]string{"26637142000159", "12ABC34501DE36", "00000000000000", "AAAAAAAAAAAA45", "ZZZZZZZZZZZZ99"},
		[]string{"2663714200015", "12ABC34501DEAB", "12abc34501de35", "12.ABC.345/01DE-35", "12ABC34501DE3", "12ABC34501DE350"})
}

func TestTaxIDScanShapeOnly(t *testing.T) {
	t.Parallel()
	checkScan(t, customer.ParseTaxID,
		[]string{"12345678900", "26637142000159", "12ABC34501DE36", "11111111111"},
		[]string{"1234567890", "123456789012", "1234567890123", "1234567890A", "12ABC34501DEAB"})
}

// TestScannedTaxIDMethods checks every method on values that only Scan
// produces.
func TestScannedTaxIDMethods(t *testing.T) {
	t.Parallel()
	var cpf customer.CPF
	require.NoError(t, cpf.Scan("12345678900"))
	assert.Equal(t, "123.456.789-00", cpf.Format())
	assert.Equal(t, "x123.456.789-00", string(cpf.AppendFormat([]byte("x"))))
	assert.False(t, cpf.IsZero())
	assert.Equal(t, "12345678900", cpf.TaxID().String())

	var cnpj customer.CNPJ
	require.NoError(t, cnpj.Scan("AAAAAAAAAAAA45"))
	assert.Equal(t, "AA.AAA.AAA/AAAA-45", cnpj.Format())
	assert.Equal(t, "AAAAAAAA", cnpj.Root())
	assert.True(t, cnpj.IsAlphanumeric())

	var tid customer.TaxID
	require.NoError(t, tid.Scan("12345678900"))
	assert.True(t, tid.IsCPF())
	assert.False(t, tid.IsCNPJ())
	got, ok := tid.CPF()
	assert.True(t, ok)
	assert.Equal(t, cpf, got)
	assert.Equal(t, "123.456.789-00", tid.Format())
	require.NoError(t, tid.Scan("26637142000159"))
	gotCNPJ, ok := tid.CNPJ()
	assert.True(t, ok)
	assert.Equal(t, "26637142000159", gotCNPJ.String())
	assert.Equal(t, "26.637.142/0001-59", tid.Format())
}

func TestTaxIDScanNoAllocs(t *testing.T) {
	var c customer.CPF
	var n customer.CNPJ
	var tid customer.TaxID
	for _, tc := range []struct {
		name string
		dst  sql.Scanner
		src  any
	}{
		{"CPF", &c, "12345678900"},
		{"CNPJ", &n, "12ABC34501DE36"},
		{"TaxID", &tid, "12ABC34501DE36"},
	} {
		assert.Zero(t, testing.AllocsPerRun(100, func() {
			if err := tc.dst.Scan(tc.src); err != nil {
				t.Fatal(err)
			}
		}), tc.name)
	}
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

var taxIDSeeds = []string{"24843803480", "12345678900", "26637142000158", "12ABC34501DE35", "AAAAAAAAAAAA45", "", "1", "248.438.034-80", "12abc34501de35"}

func FuzzScanCPF(f *testing.F) {
	for _, s := range taxIDSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fuzzScan(t, s, customer.ParseCPF, func(c customer.CPF) {
			if c.Format() != string(c.AppendFormat(nil)) || s != "" && len(c.Format()) != 14 {
				t.Fatalf("Format of %q is %q", s, c.Format())
			}
			if c.TaxID().String() != s {
				t.Fatalf("TaxID of %q is %q", s, c.TaxID())
			}
		})
	})
}

func FuzzScanCNPJ(f *testing.F) {
	for _, s := range taxIDSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fuzzScan(t, s, customer.ParseCNPJ, func(c customer.CNPJ) {
			if c.Format() != string(c.AppendFormat(nil)) || s != "" && len(c.Format()) != 18 {
				t.Fatalf("Format of %q is %q", s, c.Format())
			}
			_ = c.IsAlphanumeric()
			if s != "" && c.Root() != s[:8] || c.TaxID().String() != s {
				t.Fatalf("Root or TaxID of %q is wrong", s)
			}
		})
	})
}

func FuzzScanTaxID(f *testing.F) {
	for _, s := range taxIDSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fuzzScan(t, s, customer.ParseTaxID, func(tid customer.TaxID) {
			cpf, isCPF := tid.CPF()
			cnpj, isCNPJ := tid.CNPJ()
			if isCPF == isCNPJ && s != "" || isCPF != tid.IsCPF() || isCNPJ != tid.IsCNPJ() {
				t.Fatalf("%q is neither or both a CPF and a CNPJ", s)
			}
			if isCPF && (cpf.String() != s || tid.Format() != cpf.Format()) ||
				isCNPJ && (cnpj.String() != s || tid.Format() != cnpj.Format()) {
				t.Fatalf("TaxID %q disagrees with its CPF or CNPJ", s)
			}
			var c customer.CPF
			if (c.Scan(s) == nil) != (isCPF || s == "") {
				t.Fatalf("TaxID and CPF read %q differently", s)
			}
		})
	})
}
