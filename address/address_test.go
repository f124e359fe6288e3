package address_test

import (
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/internal/vectors"
	"github.com/fichacrm/ficha/validation"
)

func TestCEPVectors(t *testing.T) {
	t.Parallel()
	for _, v := range vectors.Load(t, "vectors/cep.csv") {
		t.Run(v["input"], func(t *testing.T) {
			c, err := address.ParseCEP(v["input"])
			if v["valid"] != "true" {
				assert.Error(t, err, v["note"])
				return
			}
			require.NoError(t, err)
			assert.Equal(t, v["canonical"], c.String())
			assert.Equal(t, v["formatted"], c.Format())
			assert.Equal(t, v["uf"], c.UF().String())
		})
	}
}

// TestCEPRangesTable checks every range of the Correios table at both ends
// and just outside them.
func TestCEPRangesTable(t *testing.T) {
	t.Parallel()
	rows := vectors.Load(t, "cep_ranges_uf.csv")
	for _, r := range rows {
		uf := address.MustParseUF(r["uf"])
		assert.Equal(t, r["state_name"], uf.Name())
		for _, s := range []string{r["cep_start"], r["cep_end"]} {
			c, err := address.ParseCEP(s)
			require.NoError(t, err, s)
			assert.Equal(t, uf, c.UF(), s)
		}
	}
	for _, s := range []string{"00999999", "78900000", "78999999", "00000000"} {
		_, err := address.ParseCEP(s)
		assert.ErrorIs(t, err, address.ErrCEPRange, s)
	}
	// Every CEP prefix outside the two gaps belongs to exactly one listed range.
	covered := 0
	for p := 0; p < 100000; p++ {
		c, err := address.ParseCEP(fmt.Sprintf("%05d000", p))
		if err == nil {
			covered++
			assert.True(t, c.UF().IsValid())
		}
	}
	assert.Equal(t, 100000-1000-100, covered)
}

func TestCEPErrors(t *testing.T) {
	t.Parallel()
	_, err := address.ParseCEP("0131010")
	assert.ErrorIs(t, err, address.ErrCEPLength)
	_, err = address.ParseCEP("013101000")
	assert.ErrorIs(t, err, address.ErrCEPLength)
	_, err = address.ParseCEP("01310A00")
	assert.ErrorIs(t, err, address.ErrCEPChar)
	_, err = address.ParseCEP("01310_100")
	assert.ErrorIs(t, err, address.ErrCEPChar)
	var rule *validation.Rule
	require.True(t, errors.As(err, &rule))
	assert.Equal(t, "cep.invalid", rule.Code())
}

func TestCEPNoAllocs(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() {
		c, err := address.ParseCEP("01310100")
		if err != nil || c.UF() != address.SP {
			t.Fatal("unexpected result")
		}
	})
	assert.Zero(t, allocs)
}

func TestUF(t *testing.T) {
	t.Parallel()
	all := address.UFs()
	require.Len(t, all, 27)
	seen := map[string]bool{}
	for _, u := range all {
		back, err := address.ParseUF(u.String())
		require.NoError(t, err)
		assert.Equal(t, u, back)
		assert.NotEmpty(t, u.Name())
		seen[u.String()] = true
	}
	assert.Len(t, seen, 27)
	u, err := address.ParseUF(" rj ")
	require.NoError(t, err)
	assert.Equal(t, address.RJ, u)
	_, err = address.ParseUF("XX")
	assert.ErrorIs(t, err, address.ErrUF)
	assert.Equal(t, "", address.UF(0).String())
}

func TestCEPTextJSONAndSQL(t *testing.T) {
	t.Parallel()
	c := address.MustParseCEP("01310-100")
	b, err := json.Marshal(c)
	require.NoError(t, err)
	assert.Equal(t, `"01310100"`, string(b))
	var back address.CEP
	require.NoError(t, json.Unmarshal([]byte(`"01310-100"`), &back))
	assert.Equal(t, c, back)
	assert.Error(t, json.Unmarshal([]byte(`"00801-000"`), &back), "typed text is parsed by the rules")
	require.NoError(t, json.Unmarshal([]byte(`"00801000"`), &back), "the canonical form decodes")
	assert.Error(t, back.Check(), "and Check judges it")

	var _ driver.Valuer = c
	var _ sql.Scanner = &back
	v, err := c.Value()
	require.NoError(t, err)
	assert.Equal(t, "01310100", v)
	require.NoError(t, back.Scan([]byte("20040020")))
	assert.Equal(t, address.RJ, back.UF())
	require.NoError(t, back.Scan(nil))
	assert.True(t, back.IsZero())
	assert.Error(t, back.Scan(12))

	var u address.UF
	require.NoError(t, u.Scan("MG"))
	assert.Equal(t, address.MG, u)
	uv, err := u.Value()
	require.NoError(t, err)
	assert.Equal(t, "MG", uv)
}

func TestAddressValidate(t *testing.T) {
	t.Parallel()
	ok := address.Address{
		CEP: address.MustParseCEP("01310-100"), Street: "Avenida Paulista", Number: "1000",
		District: "Bela Vista", City: "São Paulo", UF: address.SP, Purposes: address.Billing | address.Correspondence,
	}
	require.NoError(t, ok.Validate())

	bad := ok
	bad.UF = address.RJ
	err := bad.Validate()
	var v *validation.Error
	require.True(t, errors.As(err, &v))
	assert.True(t, v.Has("cep", "cep.uf_mismatch"))

	empty := address.Address{Purposes: 8}
	require.True(t, errors.As(empty.Validate(), &v))
	for _, f := range []string{"cep", "street", "city", "uf", "purposes"} {
		assert.Truef(t, len(v.Fields) > 0 && hasPath(v, f), "missing %s", f)
	}
}

func hasPath(v *validation.Error, path string) bool {
	for _, f := range v.Fields {
		if f.Path == path {
			return true
		}
	}
	return false
}

func TestPurpose(t *testing.T) {
	t.Parallel()
	p := address.Correspondence | address.Billing
	assert.Equal(t, "correspondence,billing", p.String())
	back, err := address.ParsePurpose(p.String())
	require.NoError(t, err)
	assert.Equal(t, p, back)
	assert.True(t, p.Has(address.Billing))
	assert.False(t, address.Billing.Has(address.Correspondence))
	_, err = address.ParsePurpose("home")
	assert.ErrorIs(t, err, address.ErrPurpose)
}

func FuzzParseCEP(f *testing.F) {
	for _, s := range []string{"01310-100", "01310100", "78900-000", "", "0", "01.310 100"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := address.ParseCEP(s)
		if err != nil {
			return
		}
		back, err := address.ParseCEP(c.String())
		if err != nil || back != c {
			t.Fatalf("round trip of %q failed", s)
		}
		if f2, err := address.ParseCEP(c.Format()); err != nil || f2 != c {
			t.Fatalf("formatted round trip of %q failed", s)
		}
		if !c.UF().IsValid() {
			t.Fatalf("valid CEP %q without UF", s)
		}
	})
}

func BenchmarkParseCEP(b *testing.B) {
	for _, in := range []string{"01310100", "01310-100"} {
		b.Run(strconv.Quote(in), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, _ = address.ParseCEP(in)
			}
		})
	}
}

func ExampleParseCEP() {
	c, err := address.ParseCEP("01.310-100")
	if err != nil {
		panic(err)
	}
	fmt.Println(c, c.Format(), c.UF(), c.UF().Name())
	// Output: 01310100 01310-100 SP São Paulo
}

func FuzzParseUF(f *testing.F) {
	for _, s := range []string{"SP", "sp", " rj ", "XX", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := address.ParseUF(s)
		if err != nil {
			return
		}
		if back, err := address.ParseUF(u.String()); err != nil || back != u || u.Name() == "" {
			t.Fatalf("round trip of %q failed", s)
		}
	})
}

func FuzzParsePurpose(f *testing.F) {
	for _, s := range []string{"correspondence,billing", "billing", "", "home"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := address.ParsePurpose(s)
		if err != nil {
			return
		}
		if back, err := address.ParsePurpose(p.String()); err != nil || back != p {
			t.Fatalf("round trip of %q failed", s)
		}
	})
}

func ExampleParseUF() {
	u, _ := address.ParseUF("df")
	fmt.Println(u, u.Name())
	// Output: DF Distrito Federal
}
