package customer_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/internal/vectors"
)

func TestCPFVectors(t *testing.T) {
	t.Parallel()
	for _, v := range vectors.Load(t, "vectors/cpf.csv") {
		t.Run(v["input"], func(t *testing.T) {
			c, err := customer.ParseCPF(v["input"])
			tid, terr := customer.ParseTaxID(v["input"])
			if v["valid"] != "true" {
				assert.Error(t, err, v["note"])
				assert.Error(t, terr, v["note"])
				return
			}
			require.NoError(t, err)
			require.NoError(t, terr)
			assert.Equal(t, v["canonical"], c.String())
			assert.Equal(t, v["formatted"], c.Format())
			assert.Equal(t, c.TaxID(), tid)
			assert.True(t, tid.IsCPF())
			assert.Equal(t, v["formatted"], tid.Format())
		})
	}
}

func TestCNPJVectors(t *testing.T) {
	t.Parallel()
	for _, v := range vectors.Load(t, "vectors/cnpj.csv") {
		t.Run(v["input"], func(t *testing.T) {
			c, err := customer.ParseCNPJ(v["input"])
			tid, terr := customer.ParseTaxID(v["input"])
			if v["valid"] != "true" {
				assert.Error(t, err, v["note"])
				assert.Error(t, terr, v["note"])
				return
			}
			require.NoError(t, err)
			require.NoError(t, terr)
			assert.Equal(t, v["canonical"], c.String())
			assert.Equal(t, v["formatted"], c.Format())
			assert.Equal(t, c.TaxID(), tid)
			assert.True(t, tid.IsCNPJ())
		})
	}
}

func TestTaxIDErrorCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want error
	}{
		{"248.438.034-08", customer.ErrCPFCheckDigit},
		{"111.111.111-11", customer.ErrCPFRepeated},
		{"9380826044", customer.ErrTaxIDLength},
		{"2484380348A", customer.ErrCPFChar},
		{"12ABC34501DE34", customer.ErrCNPJCheckDigit},
		{"12ABC34501DE3A", customer.ErrCNPJChar},
		{"12AB@34501DE35", customer.ErrCNPJChar},
		{"AAAAAAAAAAAA45", customer.ErrCNPJRepeated},
		{"00000000000000", customer.ErrCNPJRepeated},
		{"266371420001588", customer.ErrTaxIDLength},
	}
	for _, tt := range tests {
		_, err := customer.ParseTaxID(tt.in)
		assert.ErrorIs(t, err, tt.want, tt.in)
		assert.NotContains(t, err.Error(), tt.in[:6], "no personal data in the message")
	}
	_, err := customer.ParseCPF("9380826044")
	assert.ErrorIs(t, err, customer.ErrCPFLength)
	_, err = customer.ParseCNPJ("2663714200015")
	assert.ErrorIs(t, err, customer.ErrCNPJLength)
}

// TestCNPJAlphanumericRule recomputes the check digits of random
// alphanumeric bases with an independent, table-free implementation of
// the Receita Federal's rule, and checks that ParseCNPJ agrees.
func TestCNPJAlphanumericRule(t *testing.T) {
	t.Parallel()
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	seed := uint32(7)
	next := func() int {
		seed = seed*1664525 + 1013904223
		return int(seed>>8) % len(alphabet)
	}
	dv := func(base string) byte {
		sum := 0
		w := 2
		for i := len(base) - 1; i >= 0; i-- {
			sum += int(base[i]-48) * w
			w++
			if w > 9 {
				w = 2
			}
		}
		if r := sum % 11; r >= 2 {
			return byte('0' + 11 - r)
		}
		return '0'
	}
	for range 2000 {
		b := make([]byte, 12)
		for i := range b {
			b[i] = alphabet[next()]
		}
		base := string(b)
		d1 := dv(base)
		d2 := dv(base + string(d1))
		full := base + string(d1) + string(d2)
		c, err := customer.ParseCNPJ(full)
		require.NoError(t, err, "base %s", base)
		assert.Equal(t, full, c.String())
		wrong := base + string(d1) + string('0'+(d2-'0'+1)%10)
		_, err = customer.ParseCNPJ(wrong)
		assert.ErrorIs(t, err, customer.ErrCNPJCheckDigit)
	}
}

func TestCNPJHelpers(t *testing.T) {
	t.Parallel()
	c := customer.MustParseCNPJ("12.abc.345/01de-35")
	assert.True(t, c.IsAlphanumeric())
	assert.Equal(t, "12ABC345", c.Root())
	assert.False(t, customer.MustParseCNPJ("26637142000158").IsAlphanumeric())
	tid := c.TaxID()
	back, ok := tid.CNPJ()
	assert.True(t, ok)
	assert.Equal(t, c, back)
	_, ok = tid.CPF()
	assert.False(t, ok)
}

func TestTaxIDTextAndSQL(t *testing.T) {
	t.Parallel()
	tid := customer.MustParseTaxID("248.438.034-80")
	b, err := json.Marshal(tid)
	require.NoError(t, err)
	assert.Equal(t, `"24843803480"`, string(b))
	var back customer.TaxID
	require.NoError(t, json.Unmarshal([]byte(`"12.ABC.345/01DE-35"`), &back))
	assert.Equal(t, "12ABC34501DE35", back.String())
	assert.Error(t, json.Unmarshal([]byte(`"248.438.034-81"`), &back), "typed text is parsed by the rules")
	require.NoError(t, json.Unmarshal([]byte(`"24843803481"`), &back), "the canonical form decodes, whatever its rules")
	assert.ErrorIs(t, back.Check(), customer.ErrCPFCheckDigit, "and Check judges it")

	v, err := tid.Value()
	require.NoError(t, err)
	assert.Equal(t, "24843803480", v)
	var cpf customer.CPF
	require.NoError(t, cpf.Scan("24843803480"))
	assert.Equal(t, tid, cpf.TaxID())
	require.NoError(t, cpf.Scan("24843803481"), "reading never re-judges check digits")
	assert.Equal(t, "24843803481", cpf.String())
	assert.Error(t, cpf.Scan("2484380348"), "a CPF has 11 digits")
	var cnpj customer.CNPJ
	require.NoError(t, cnpj.Scan([]byte("26637142000158")))
	require.NoError(t, cnpj.Scan(nil))
	assert.True(t, cnpj.IsZero())
}

func TestTaxIDNoAllocs(t *testing.T) {
	// Canonical or typed any other way, valid or not, parsing allocates
	// nothing: a tax ID is a fixed-size value.
	for _, in := range []string{"24843803480", "248.438.034-80", " 248 438 034 80 ", "26637142000158",
		"26.637.142/0001-58", "12ABC34501DE35", "12.abc.345/01de-35", "248.438.034-81", "12ABC34501DE3@"} {
		assert.Zero(t, testing.AllocsPerRun(200, func() {
			_, _ = customer.ParseTaxID(in)
			_, _ = customer.ParseCPF(in)
			_, _ = customer.ParseCNPJ(in)
		}), in)
	}
	cpf, cnpj := customer.MustParseCPF("248.438.034-80"), customer.MustParseCNPJ("12.ABC.345/01DE-35")
	buf := make([]byte, 0, 64)
	assert.Zero(t, testing.AllocsPerRun(200, func() {
		buf = cpf.AppendFormat(buf[:0])
		buf = cnpj.AppendFormat(buf)
		buf = cnpj.TaxID().AppendFormat(buf)
	}), "AppendFormat")
	assert.Zero(t, testing.AllocsPerRun(200, func() {
		if cpf.Check() != nil || cnpj.Check() != nil || cnpj.TaxID().Check() != nil {
			t.Fatal("a valid tax ID fails its check")
		}
	}), "Check")
}

func fuzzRoundTrip[T interface {
	comparable
	String() string
	Format() string
}](t *testing.T, s string, parse func(string) (T, error)) {
	v, err := parse(s)
	if err != nil {
		return
	}
	back, err := parse(v.String())
	if err != nil || back != v {
		t.Fatalf("canonical round trip of %q failed", s)
	}
	back, err = parse(v.Format())
	if err != nil || back != v {
		t.Fatalf("formatted round trip of %q failed", s)
	}
}

func FuzzParseCPF(f *testing.F) {
	for _, s := range []string{"248.438.034-80", "24843803480", "000.000.000-00", "", "1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { fuzzRoundTrip(t, s, customer.ParseCPF) })
}

func FuzzParseCNPJ(f *testing.F) {
	for _, s := range []string{"12.ABC.345/01DE-35", "26637142000158", "00000000000000", "12abc34501de35"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { fuzzRoundTrip(t, s, customer.ParseCNPJ) })
}

func FuzzParseTaxID(f *testing.F) {
	for _, s := range []string{"12.ABC.345/01DE-35", "248.438.034-80", "", "1234567890123"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fuzzRoundTrip(t, s, customer.ParseTaxID)
		tid, err := customer.ParseTaxID(s)
		if err != nil {
			return
		}
		if string(tid.AppendFormat([]byte("x"))) != "x"+tid.Format() {
			t.Fatalf("AppendFormat and Format disagree on %q", s)
		}
		if cpf, ok := tid.CPF(); ok {
			if _, err := customer.ParseCPF(s); err != nil || cpf.String() != tid.String() {
				t.Fatalf("TaxID and CPF disagree on %q", s)
			}
		} else if _, err := customer.ParseCNPJ(s); err != nil {
			t.Fatalf("TaxID and CNPJ disagree on %q", s)
		}
	})
}

// taxIDInputs are valid tax IDs as the benchmarks type them, by name.
var taxIDInputs = []struct{ name, in string }{
	{"cpf/canonical", "24843803480"},
	{"cpf/formatted", "248.438.034-80"},
	{"cpf/spaced", " 248 438 034 80 "},
	{"cnpj/canonical", "26637142000158"},
	{"cnpj/formatted", "26.637.142/0001-58"},
	{"cnpj/alphanumeric", "12ABC34501DE35"},
	{"cnpj/alphanumeric-formatted", "12.ABC.345/01DE-35"},
	{"cnpj/lower-case", "12.abc.345/01de-35"},
}

// benchmarkParse runs parse on each input of the kind ("cpf", "cnpj" or
// "" for both).
func benchmarkParse[T any](b *testing.B, kind string, parse func(string) (T, error)) {
	for _, in := range taxIDInputs {
		name, ok := strings.CutPrefix(in.name, kind+"/")
		if kind == "" {
			name, ok = in.name, true
		}
		if !ok {
			continue
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := parse(in.in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkParseCPF(b *testing.B)   { benchmarkParse(b, "cpf", customer.ParseCPF) }
func BenchmarkParseCNPJ(b *testing.B)  { benchmarkParse(b, "cnpj", customer.ParseCNPJ) }
func BenchmarkParseTaxID(b *testing.B) { benchmarkParse(b, "", customer.ParseTaxID) }

// sinkText keeps what the String benchmark makes, so that it is made.
var sinkText string

func BenchmarkTaxIDString(b *testing.B) {
	for _, in := range []string{"24843803480", "12ABC34501DE35"} {
		t := customer.MustParseTaxID(in)
		b.Run(in, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkText = t.String()
			}
		})
	}
}

func BenchmarkTaxIDAppendFormat(b *testing.B) {
	for _, in := range []string{"24843803480", "12ABC34501DE35"} {
		t := customer.MustParseTaxID(in)
		b.Run(in, func(b *testing.B) {
			b.ReportAllocs()
			buf := make([]byte, 0, 18)
			for b.Loop() {
				buf = t.AppendFormat(buf[:0])
			}
		})
	}
}

func ExampleParseCPF() {
	c, err := customer.ParseCPF("248 438 034 80")
	if err != nil {
		panic(err)
	}
	fmt.Println(c, c.Format())
	_, err = customer.ParseCPF("248.438.034-08")
	fmt.Println(err)
	// Output:
	// 24843803480 248.438.034-80
	// the CPF check digits do not match
}

func ExampleParseCNPJ() {
	c, err := customer.ParseCNPJ("12.abc.345/01de-35")
	if err != nil {
		panic(err)
	}
	fmt.Println(c, c.Format(), c.IsAlphanumeric())
	// Output: 12ABC34501DE35 12.ABC.345/01DE-35 true
}

func ExampleParseTaxID() {
	for _, in := range []string{"248.438.034-80", "26.637.142/0001-58"} {
		t, _ := customer.ParseTaxID(in)
		fmt.Println(t.IsCPF(), t.IsCNPJ(), t.Format())
	}
	// Output:
	// true false 248.438.034-80
	// false true 26.637.142/0001-58
}
