package asset_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/date"
	"github.com/fichacrm/ficha/internal/vectors"
	"github.com/fichacrm/ficha/validation"
)

func TestPlateVectors(t *testing.T) {
	t.Parallel()
	for _, v := range vectors.Load(t, "vectors/plate.csv") {
		t.Run(v["input"], func(t *testing.T) {
			p, err := asset.ParsePlate(v["input"])
			if v["valid"] != "true" {
				assert.ErrorIs(t, err, asset.ErrPlate, v["note"])
				return
			}
			require.NoError(t, err)
			assert.Equal(t, v["canonical"], p.String())
			assert.Equal(t, v["formatted"], p.Format())
			assert.Equal(t, v["mercosul"], p.Mercosul().String())
		})
	}
}

func TestPlateMercosulConversion(t *testing.T) {
	t.Parallel()
	for d := 0; d <= 9; d++ {
		old := asset.MustParsePlate(fmt.Sprintf("XYZ9%d87", d))
		m := old.Mercosul()
		assert.True(t, m.IsMercosul())
		assert.Equal(t, string(rune('A'+d)), m.String()[4:5])
		assert.Equal(t, m, m.Mercosul(), "the Mercosul form is its own")
	}
	assert.False(t, asset.MustParsePlate("ABC1234").IsMercosul())
}

func TestVINVectors(t *testing.T) {
	t.Parallel()
	for _, v := range vectors.Load(t, "vectors/vin.csv") {
		t.Run(v["input"], func(t *testing.T) {
			vin, err := asset.ParseVIN(v["input"])
			if v["valid"] != "true" {
				assert.Error(t, err, v["note"])
				return
			}
			require.NoError(t, err)
			assert.Equal(t, v["canonical"], vin.String())
		})
	}
	_, err := asset.ParseVIN("9BWZZZ377VT0042#1")
	assert.ErrorIs(t, err, asset.ErrVINChar)
	_, err = asset.ParseVIN("9BWZZZ377VT0042")
	assert.ErrorIs(t, err, asset.ErrVINLength)
}

func TestRENAVAMVectors(t *testing.T) {
	t.Parallel()
	for _, v := range vectors.Load(t, "vectors/renavam.csv") {
		t.Run(v["input"], func(t *testing.T) {
			r, err := asset.ParseRENAVAM(v["input"])
			if v["valid"] != "true" {
				assert.Error(t, err, v["note"])
				return
			}
			require.NoError(t, err)
			assert.Equal(t, v["canonical"], r.String())
		})
	}
	_, err := asset.ParseRENAVAM("38872054170")
	assert.ErrorIs(t, err, asset.ErrRENAVAMCheck)
	_, err = asset.ParseRENAVAM("00000000000")
	assert.ErrorIs(t, err, asset.ErrRENAVAMRepeats)
	_, err = asset.ParseRENAVAM("1382465226")
	assert.ErrorIs(t, err, asset.ErrRENAVAMLength)
	_, err = asset.ParseRENAVAM("1382465226X")
	assert.ErrorIs(t, err, asset.ErrRENAVAMChar)
}

func TestIdentifiersNoAllocs(t *testing.T) {
	assert.Zero(t, testing.AllocsPerRun(100, func() { _, _ = asset.ParsePlate("ABC1D23") }))
	assert.Zero(t, testing.AllocsPerRun(100, func() { _, _ = asset.ParseVIN("9BWZZZ377VT004251") }))
	assert.Zero(t, testing.AllocsPerRun(100, func() { _, _ = asset.ParseRENAVAM("13824652268") }))
}

func TestJSONValidatesOnDecode(t *testing.T) {
	t.Parallel()
	a := asset.Asset{Kind: asset.Vehicle, Description: "Onix", Plate: asset.MustParsePlate("ABC1234"),
		VIN: asset.MustParseVIN("9BWZZZ377VT004251"), RENAVAM: asset.MustParseRENAVAM("639884962"),
		Value: decimal.RequireFromString("45000.10"),
		Lien:  asset.Lien{Balance: decimal.RequireFromString("12000.50"), Creditor: "Banco X", PayoffDate: date.MustNew(2028, 5, 10)}}
	b, err := json.Marshal(a)
	require.NoError(t, err)
	var back asset.Asset
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, a.Plate, back.Plate)
	assert.Equal(t, a.RENAVAM, back.RENAVAM)
	assert.True(t, a.Value.Equal(back.Value))
	assert.Equal(t, a.Lien.PayoffDate, back.Lien.PayoffDate)
	assert.Error(t, json.Unmarshal([]byte(`{"plate":"AB-1234"}`), &back))
	assert.Error(t, json.Unmarshal([]byte(`{"kind":"boat"}`), &back))

	var p asset.Plate
	require.NoError(t, p.Scan("ABC1D23"))
	assert.True(t, p.IsMercosul())
}

func TestJSONKeepsTwoDecimals(t *testing.T) {
	t.Parallel()
	a := asset.Asset{Kind: asset.Vehicle, Description: "Fiat Toro Volcano", Value: decimal.New(62000, 0),
		Lien: asset.Lien{Balance: decimal.RequireFromString("85350.4"), Creditor: "Banco Stellantis"}}
	b, err := json.Marshal(a)
	require.NoError(t, err)
	var doc struct {
		Value string `json:"value"`
		Lien  struct {
			Balance string `json:"balance"`
		} `json:"lien"`
	}
	require.NoError(t, json.Unmarshal(b, &doc))
	assert.Equal(t, "62000.00", doc.Value)
	assert.Equal(t, "85350.40", doc.Lien.Balance)

	var back asset.Asset
	require.NoError(t, json.Unmarshal(b, &back))
	assert.True(t, back.Value.Equal(a.Value))
	assert.True(t, back.Lien.Balance.Equal(a.Lien.Balance))
	again, err := json.Marshal(back)
	require.NoError(t, err)
	assert.Equal(t, string(b), string(again), "the round trip writes the same document")

	b, err = json.Marshal(&asset.Asset{})
	require.NoError(t, err)
	assert.Contains(t, string(b), `"value":"0.00"`, "a pointer encodes as a value does")
	assert.Contains(t, string(b), `"balance":"0.00"`)
}

// TestJSONReadsWhatWasWrittenBefore decodes assets as the library wrote
// them before amounts kept two decimals ("62000", "0.1"), and as numbers.
func TestJSONReadsWhatWasWrittenBefore(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("testdata/assets-before-two-decimals.json")
	require.NoError(t, err)
	var old []asset.Asset
	require.NoError(t, json.Unmarshal(b, &old))
	want := []struct{ value, balance string }{
		{"62000.00", "85350.40"}, {"950000.00", "0.00"}, {"0.10", "0.00"}, {"9999999999999.99", "1234.56"},
	}
	require.Len(t, old, len(want))
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	for i, w := range want {
		assert.True(t, old[i].Value.Equal(decimal.RequireFromString(w.value)), "%d: %s", i, old[i].Value)
		assert.True(t, old[i].Lien.Balance.Equal(decimal.RequireFromString(w.balance)), "%d", i)
		assert.NoError(t, old[i].Validate(now))
		b, err := json.Marshal(old[i])
		require.NoError(t, err)
		assert.Contains(t, string(b), `"value":"`+w.value+`"`)
		assert.Contains(t, string(b), `"balance":"`+w.balance+`"`)
	}
	assert.Equal(t, date.MustNew(2029, time.April, 10), old[0].Lien.PayoffDate)
	assert.Equal(t, "ABC1D23", old[0].Plate.String())

	var n asset.Asset
	require.NoError(t, json.Unmarshal([]byte(`{"kind":"other","value":62000,"lien":{"balance":1.5e3}}`), &n))
	assert.True(t, n.Value.Equal(decimal.New(62000, 0)))
	assert.True(t, n.Lien.Balance.Equal(decimal.New(1500, 0)))
}

// FuzzAssetJSON: whatever JSON decodes to an asset encodes, decodes to
// the same amounts, and encodes to the same document again.
func FuzzAssetJSON(f *testing.F) {
	f.Add([]byte(`{"kind":"vehicle","value":"62000","lien":{"balance":"85350.4","creditor":"x"}}`))
	f.Add([]byte(`{"value":1.5e3,"lien":{"balance":"-0.001"}}`))
	f.Add([]byte(`{"value":"1e30","lien":{"balance":"0.00000000000000000000000000001e-30"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var a asset.Asset
		if err := json.Unmarshal(b, &a); err != nil {
			return
		}
		out, err := json.Marshal(a)
		if err != nil {
			t.Fatalf("a decoded asset does not encode: %v", err)
		}
		var back asset.Asset
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("what the library wrote it cannot read: %v\n%s", err, out)
		}
		if !back.Value.Equal(a.Value) || !back.Lien.Balance.Equal(a.Lien.Balance) {
			t.Fatalf("amounts changed: %s %s, then %s %s", a.Value, a.Lien.Balance, back.Value, back.Lien.Balance)
		}
		again, err := json.Marshal(back)
		if err != nil || string(again) != string(out) {
			t.Fatalf("the round trip changed the asset (%v):\n%s\n%s", err, out, again)
		}
	})
}

func TestAssetValidate(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	ok := asset.Asset{Description: "Apartamento", Kind: asset.RealEstate, Year: 2010, Value: decimal.NewFromInt(300000)}
	require.NoError(t, ok.Validate(now))
	car := asset.Asset{Description: "Strada 2027", Kind: asset.Vehicle, Year: 2027, Plate: asset.MustParsePlate("ABC1D23")}
	require.NoError(t, car.Validate(now), "next year's model is allowed")

	bad := asset.Asset{
		Description: "cartão 4111 1111 1111 1111", Kind: 9, Year: 2028,
		Value: decimal.NewFromInt(-1), Lien: asset.Lien{Balance: decimal.NewFromInt(-5)},
	}
	var v *validation.Error
	require.True(t, errors.As(bad.Validate(now), &v))
	for _, want := range [][2]string{
		{"description", "text.card_number"}, {"kind", "asset.kind"}, {"year", "asset.year"},
		{"value", "money.negative"}, {"lien.balance", "money.negative"},
	} {
		assert.True(t, v.Has(want[0], want[1]), want)
	}
	money := asset.Asset{Description: "Casa", Kind: asset.RealEstate, Value: decimal.RequireFromString("10.005"),
		Lien: asset.Lien{Balance: decimal.New(1, 13), Creditor: "X"}}
	require.True(t, errors.As(money.Validate(now), &v))
	assert.True(t, v.Has("value", "money.precision"))
	assert.True(t, v.Has("lien.balance", "money.range"))
	house := asset.Asset{Description: "Casa", Kind: asset.RealEstate, Plate: asset.MustParsePlate("ABC1234"),
		Lien: asset.Lien{Balance: decimal.NewFromInt(10)}, Year: 1899}
	require.True(t, errors.As(house.Validate(now), &v))
	assert.True(t, v.Has("plate", "asset.vehicle_only"))
	assert.True(t, v.Has("lien.creditor", "lien.creditor"))
	assert.True(t, v.Has("year", "asset.year"))
}

func FuzzParsePlate(f *testing.F) {
	for _, s := range []string{"ABC-1234", "abc1d23", "AB-1234", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := asset.ParsePlate(s)
		if err != nil {
			return
		}
		if back, err := asset.ParsePlate(p.String()); err != nil || back != p {
			t.Fatalf("round trip of %q failed", s)
		}
		if back, err := asset.ParsePlate(p.Format()); err != nil || back != p {
			t.Fatalf("formatted round trip of %q failed", s)
		}
		m := p.Mercosul()
		if !m.IsMercosul() || m.Mercosul() != m {
			t.Fatalf("Mercosul form of %q is wrong", s)
		}
	})
}

func FuzzParseVIN(f *testing.F) {
	for _, s := range []string{"9BWZZZ377VT004251", "9bwzzz377vt004251", "9BWZZZ377VTO04251"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := asset.ParseVIN(s)
		if err != nil {
			return
		}
		if back, err := asset.ParseVIN(v.String()); err != nil || back != v {
			t.Fatalf("round trip of %q failed", s)
		}
	})
}

func FuzzParseRENAVAM(f *testing.F) {
	for _, s := range []string{"13824652268", "639884962", "00000000000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := asset.ParseRENAVAM(s)
		if err != nil {
			return
		}
		if back, err := asset.ParseRENAVAM(r.String()); err != nil || back != r {
			t.Fatalf("round trip of %q failed", s)
		}
	})
}

func BenchmarkParsePlate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, _ = asset.ParsePlate("ABC1D23")
	}
}

func BenchmarkParseVIN(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, _ = asset.ParseVIN("9BWZZZ377VT004251")
	}
}

func BenchmarkParseRENAVAM(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, _ = asset.ParseRENAVAM("13824652268")
	}
}

func ExampleParsePlate() {
	p, _ := asset.ParsePlate("abc 1234")
	fmt.Println(p, p.Format(), p.Mercosul())
	// Output: ABC1234 ABC-1234 ABC1C34
}

func ExampleParseRENAVAM() {
	r, _ := asset.ParseRENAVAM("639884962")
	fmt.Println(r)
	// Output: 00639884962
}

func ExampleParseVIN() {
	v, _ := asset.ParseVIN("9bwzzz377vt004251")
	fmt.Println(v)
	// Output: 9BWZZZ377VT004251
}
