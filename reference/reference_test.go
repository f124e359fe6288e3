package reference_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/internal/vectors"
	"github.com/fichacrm/ficha/reference"
	"github.com/fichacrm/ficha/validation"
)

func TestCardVectors(t *testing.T) {
	t.Parallel()
	for _, v := range vectors.Load(t, "vectors/card.csv") {
		t.Run(v["number"], func(t *testing.T) {
			c, err := reference.ParseCard(v["number"])
			if v["valid"] != "true" {
				assert.Error(t, err, v["note"])
				return
			}
			require.NoError(t, err)
			assert.Equal(t, v["brand"], c.Brand().String())
			assert.Equal(t, v["last4"], c.Last4())
			assert.Equal(t, strings.ReplaceAll(v["number"], " ", "")[:6], c.BIN())
		})
	}
}

func TestCardBrands(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"5067000000000004": "elo",       // Elo inside no other range
		"6500310000000007": "elo",       // Elo inside Discover's 65
		"4011780000000006": "elo",       // Elo inside Visa's 4
		"3841000000000003": "hipercard", // Hipercard inside Diners' 38
		"6011000000000004": "discover",
		"6500300000000008": "discover", // 650030 is not Elo
		"36000000000008":   "diners",
		"3095000000000009": "diners",
		"2221000000000009": "mastercard",
		"2721000000000003": "other", // past the Mastercard 2-series
	}
	for in, want := range tests {
		c, err := reference.ParseCard(fixLuhn(in))
		require.NoError(t, err, in)
		assert.Equal(t, want, c.Brand().String(), in)
	}
}

// fixLuhn replaces the last digit of s with the one that makes it pass.
func fixLuhn(s string) string {
	base := s[:len(s)-1]
	for d := '0'; d <= '9'; d++ {
		if _, err := reference.ParseCard(base + string(d)); err == nil || !errors.Is(err, reference.ErrCardLuhn) {
			return base + string(d)
		}
	}
	panic("no Luhn digit")
}

func TestCardNeverShowsTheNumber(t *testing.T) {
	t.Parallel()
	const number = "4111 1111 1111 1111"
	full := strings.ReplaceAll(number, " ", "")
	now := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	c, err := reference.NewCard(number, "JOAO SILVA", reference.Expiry{Month: 12, Year: 2030}, now)
	require.NoError(t, err)
	b, err := json.Marshal(c)
	require.NoError(t, err)
	outputs := []string{
		fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), fmt.Sprintf("%s", c),
		fmt.Sprintf("%d", c), fmt.Sprintf("%x", c), fmt.Sprintf("%q", c), c.String(), c.Masked(), string(b),
		fmt.Sprintf("%+v", struct{ C reference.Card }{c}), fmt.Sprintf("%#v", []reference.Card{c}),
	}
	for _, out := range outputs {
		assert.NotContains(t, out, full)
		assert.NotContains(t, out, "11111111", out)
	}
	assert.Equal(t, "visa •••• 1111", c.String())

	var back reference.Card
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, c, back)
}

func TestCardJSONTakesANumberAndForgetsIt(t *testing.T) {
	t.Parallel()
	var c reference.Card
	require.NoError(t, json.Unmarshal([]byte(`{"number":"5555 5555 5555 4444","holder":"ANA","expiry":{"month":1,"year":2031}}`), &c))
	assert.Equal(t, reference.Mastercard, c.Brand())
	assert.Equal(t, "4444", c.Last4())
	b, err := json.Marshal(c)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "5555555555554444")
	assert.NotContains(t, string(b), `"number"`)
	assert.Error(t, json.Unmarshal([]byte(`{"number":"4111111111111112"}`), &c))
	assert.Error(t, json.Unmarshal([]byte(`{"brand":"visa","bin":"41","last4":"1111"}`), &c))
}

func TestNewCardRefusesExpired(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	_, err := reference.NewCard("4111111111111111", "X", reference.Expiry{Month: 10, Year: 2026}, now)
	assert.ErrorIs(t, err, reference.ErrCardExpired)
	_, err = reference.NewCard("4111111111111111", "X", reference.Expiry{Month: 11, Year: 2026}, now)
	assert.NoError(t, err, "a card is good through its expiry month")
	_, err = reference.NewCard("4111111111111111", "X", reference.Expiry{Month: 13, Year: 2026}, now)
	assert.ErrorIs(t, err, reference.ErrCardExpiry)
}

func TestCardErrors(t *testing.T) {
	t.Parallel()
	_, err := reference.ParseCard("4111.1111.1111.1111")
	assert.ErrorIs(t, err, reference.ErrCardChar)
	_, err = reference.ParseCard("41111111111111111111")
	assert.ErrorIs(t, err, reference.ErrCardLength)
	_, err = reference.ParseCard("4111111111111112")
	assert.ErrorIs(t, err, reference.ErrCardLuhn)
	assert.NotContains(t, err.Error(), "4111")

	_, err = reference.RestoreCard(reference.Visa, "411111", "111")
	assert.ErrorIs(t, err, reference.ErrCardMasked)
	c, err := reference.RestoreCard(reference.Visa, "411111", "1111")
	require.NoError(t, err)
	require.NoError(t, c.Validate())
	var v *validation.Error
	require.True(t, errors.As(reference.Card{Holder: "x"}.Validate(), &v))
	assert.True(t, v.Has("number", "card.masked"))
}

func TestBankVectors(t *testing.T) {
	t.Parallel()
	for _, v := range vectors.Load(t, "vectors/bank_account.csv") {
		b := reference.Bank{Code: v["bank"], Branch: v["branch"], BranchDigit: v["branch_digit"], Account: v["account"], AccountDigit: v["account_digit"]}
		t.Run(v["note"], func(t *testing.T) {
			err := b.Validate()
			if v["valid"] == "true" {
				assert.NoError(t, err)
			} else {
				assert.Error(t, err)
			}
		})
	}
}

func TestBankRules(t *testing.T) {
	t.Parallel()
	// Banco do Brasil written without leading zeros and with separators.
	bb := reference.Bank{Code: "1", Branch: "1584", BranchDigit: "9", Account: "21.016", AccountDigit: "9"}
	n := bb.Normalize()
	assert.Equal(t, "001", n.Code)
	assert.Equal(t, "00021016", n.Account)

	var v *validation.Error
	wrongBranch := reference.Bank{Code: "001", Branch: "1584", BranchDigit: "8", Account: "00210169", AccountDigit: "6"}
	require.True(t, errors.As(wrongBranch.Validate(), &v))
	assert.True(t, v.Has("branch_digit", "bank.branch_check_digit"))
	assert.Len(t, v.Fields, 1)

	itauWithBranchDigit := reference.Bank{Code: "341", Branch: "2545", BranchDigit: "1", Account: "02366", AccountDigit: "1"}
	require.True(t, errors.As(itauWithBranchDigit.Validate(), &v))
	assert.True(t, v.Has("branch_digit", "bank.branch_check_digit"))

	banrisul := reference.Bank{Code: "041", Branch: "0100", Account: "358507671", AccountDigit: "8"}
	assert.NoError(t, banrisul.Validate(), "Banrisul weights 3,2,4,7,6,5,4,3,2")

	tooLong := reference.Bank{Code: "077", Branch: "123456", Account: "1", AccountDigit: "ABC"}
	require.True(t, errors.As(tooLong.Validate(), &v))
	assert.True(t, v.Has("branch", "bank.branch"))
	assert.True(t, v.Has("account_digit", "bank.account_check_digit"))

	require.True(t, errors.As(reference.Bank{Code: "12a"}.Validate(), &v))
	assert.True(t, v.Has("code", "bank.code"))
}

func TestBanksTables(t *testing.T) {
	t.Parallel()
	major := reference.MajorBanks()
	for _, r := range vectors.Load(t, "banks_major.csv") {
		inst, ok := major.Lookup(r["compe"])
		if assert.True(t, ok, r["compe"]) {
			assert.Equal(t, r["ispb"], inst.ISPB)
		}
	}
	f, err := os.Open(filepath.Join(vectors.Dir(t), "banks_major.csv"))
	require.NoError(t, err)
	defer f.Close()
	loaded, err := reference.LoadBanks(f)
	require.NoError(t, err)
	assert.Equal(t, major.Len(), loaded.Len())

	// The Central Bank's participants file, with its own header and a BOM.
	bcb := "\ufeffISPB,Nome_Reduzido,Número_Código,Participa_da_Compe,Acesso_Principal,Nome_Extenso,Início_da_Operação\n" +
		"00000000,BCO DO BRASIL S.A.,001,Sim,RSFN,Banco do Brasil S.A.,22/04/2002\n" +
		"00038121,BCO CENTRAL DO BRASIL,n/a,Não,RSFN,Banco Central do Brasil,22/04/2002\n" +
		"18236120,NU PAGAMENTOS - IP,260,Sim,RSFN,NU PAGAMENTOS S.A. - INSTITUIÇÃO DE PAGAMENTO,14/11/2018\n"
	all, err := reference.LoadBanks(strings.NewReader(bcb))
	require.NoError(t, err)
	assert.Equal(t, 2, all.Len(), "rows without a COMPE code are skipped")
	nu, ok := all.Lookup("260")
	require.True(t, ok)
	assert.Equal(t, "18236120", nu.ISPB)
	assert.Equal(t, "NU PAGAMENTOS S.A. - INSTITUIÇÃO DE PAGAMENTO", nu.Name)

	_, err = reference.LoadBanks(strings.NewReader("a,b\n1,2\n"))
	assert.ErrorIs(t, err, reference.ErrBankList)
}

func TestPersonalValidate(t *testing.T) {
	t.Parallel()
	ok := reference.Personal{Name: "Carlos", Phone: contact.MustParsePhone("(21) 3333-4444"), Note: "cunhado"}
	require.NoError(t, ok.Validate())
	bad := reference.Personal{Note: "cartão dele: 4111-1111-1111-1111"}
	var v *validation.Error
	require.True(t, errors.As(bad.Validate(), &v))
	assert.True(t, v.Has("name", "required"))
	assert.True(t, v.Has("phone", "required"))
	assert.True(t, v.Has("note", "text.card_number"))
}

func FuzzParseCard(f *testing.F) {
	for _, s := range []string{"4111 1111 1111 1111", "6362970000457013", "8123456789012340", "4111-1111"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := reference.ParseCard(s)
		if err != nil {
			return
		}
		back, err := reference.RestoreCard(c.Brand(), c.BIN(), c.Last4())
		if err != nil || back != c {
			t.Fatalf("restoring the card parsed from %q failed", s)
		}
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		var j reference.Card
		if err := json.Unmarshal(b, &j); err != nil || j != c {
			t.Fatalf("JSON round trip of %q failed", s)
		}
	})
}

func FuzzBankValidate(f *testing.F) {
	f.Add("001", "1584", "9", "00210169", "6")
	f.Add("237", "1425", "7", "0301357", "P")
	f.Add("104", "2004", "", "00100000448", "6")
	f.Fuzz(func(t *testing.T, code, branch, bd, account, ad string) {
		b := reference.Bank{Code: code, Branch: branch, BranchDigit: bd, Account: account, AccountDigit: ad}
		err := b.Validate()
		n := b.Normalize()
		if (n.Validate() == nil) != (err == nil) {
			t.Fatal("normalising changed the verdict")
		}
		if n.Normalize() != n {
			t.Fatal("Normalize is not idempotent")
		}
	})
}

func BenchmarkParseCard(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, _ = reference.ParseCard("4111111111111111")
	}
}

func BenchmarkBankValidate(b *testing.B) {
	ref := reference.Bank{Code: "001", Branch: "1584", BranchDigit: "9", Account: "00210169", AccountDigit: "6"}
	b.ReportAllocs()
	for b.Loop() {
		_ = ref.Validate()
	}
}

func ExampleParseCard() {
	c, err := reference.ParseCard("4111 1111 1111 1111")
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Brand(), c.Last4())
	fmt.Printf("%v\n", c)
	// Output:
	// visa 1111
	// visa •••• 1111
}

func ExampleBank_Validate() {
	ok := reference.Bank{Code: "237", Branch: "1425", BranchDigit: "7", Account: "0238069", AccountDigit: "2"}
	fmt.Println(ok.Validate())
	bad := reference.Bank{Code: "237", Branch: "1425", BranchDigit: "7", Account: "0238069", AccountDigit: "3"}
	fmt.Println(bad.Validate())
	// Output:
	// <nil>
	// invalid data: account_digit: the account check digit does not match
}

func FuzzLoadBanks(f *testing.F) {
	f.Add("compe,ispb,name\n001,00000000,Banco do Brasil S.A.\n")
	f.Add("ISPB,Nome_Reduzido,Número_Código,Nome_Extenso\n1,a,n/a,b\n")
	f.Fuzz(func(t *testing.T, s string) {
		b, err := reference.LoadBanks(strings.NewReader(s))
		if err != nil {
			return
		}
		if b.Len() == 0 {
			t.Fatal("an empty table without an error")
		}
	})
}
