package address_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/validation"
)

var paulista = address.MustParseCEP("01310-100")

func TestFill(t *testing.T) {
	t.Parallel()
	r := address.Result{CEP: paulista, Street: "Avenida Paulista", District: "Bela Vista", City: "São Paulo", UF: address.SP}
	a := address.Address{CEP: paulista, Number: "1000", Complement: "ap. 12", District: "Jardins"}
	filled := address.Fill(&a, r, nil)
	assert.Equal(t, []string{"street", "city", "uf"}, filled)
	assert.Equal(t, "Jardins", a.District, "what the attendant typed stays")
	assert.Equal(t, "1000", a.Number)
	assert.Equal(t, "ap. 12", a.Complement)
	require.NoError(t, a.Validate())

	filled = address.Fill(&a, r, &address.FillOptions{Overwrite: true})
	assert.Equal(t, []string{"district"}, filled)
	assert.Equal(t, "Bela Vista", a.District)
	assert.Equal(t, "1000", a.Number, "never the number")

	var empty address.Address
	assert.Equal(t, []string{"cep", "uf"}, address.Fill(&empty, address.Result{CEP: paulista, UF: address.SP, Offline: true}, nil))

	blank := address.Result{CEP: paulista, Street: " ", District: "\t", City: "  ", UF: address.SP}
	assert.False(t, blank.Complete(), "a blank city is no city")
	a = address.Address{CEP: paulista, Street: "Rua A", Number: "1", City: "São Paulo", UF: address.SP}
	assert.Empty(t, address.Fill(&a, blank, &address.FillOptions{Overwrite: true}), "blank text fills nothing")
	assert.Equal(t, "São Paulo", a.City)
	require.NoError(t, a.Validate())
}

func ExampleFill() {
	// What a lookup answered for the CEP (see package lookup).
	r := address.Result{CEP: paulista, Street: "Avenida Paulista", District: "Bela Vista", City: "São Paulo", UF: address.SP, Source: "viacep"}

	a := address.Address{CEP: paulista, Number: "1000", District: "Jardins"}
	fmt.Println(address.Fill(&a, r, nil))
	fmt.Println(a.Street, a.Number, "-", a.District, "-", a.City, a.UF)
	// Output:
	// [street city uf]
	// Avenida Paulista 1000 - Jardins - São Paulo SP
}

func TestResultCheckUsesTheRecordsRule(t *testing.T) {
	t.Parallel()
	good := address.Result{CEP: paulista, Street: "Avenida Paulista", District: "Bela Vista", City: "São Paulo", UF: address.SP}
	require.NoError(t, good.Check())
	require.NoError(t, address.Result{CEP: paulista, UF: address.SP, Offline: true}.Check(), "empty fields are no fault")

	tests := []struct {
		name  string
		r     address.Result
		path  string
		rule  error
		value string
	}{
		{"control character", address.Result{Street: "Rua\x07A"}, "street", validation.ErrTextControl, "Rua\x07A"},
		{"line break", address.Result{Street: "Rua A\nRua B"}, "street", validation.ErrTextControl, "Rua A\nRua B"},
		{"bidi override", address.Result{District: "Centro\u202eortneC"}, "district", validation.ErrTextControl, "ortneC"},
		{"invalid UTF-8", address.Result{City: "S\xe3o Paulo"}, "city", validation.ErrTextEncoding, "S\xe3o"},
		{"too long", address.Result{District: strings.Repeat("Bela Vista ", 50)}, "district", validation.ErrTooLong, "Bela Vista"},
		{"card number", address.Result{City: "4111 1111 1111 1111"}, "city", validation.ErrCardInText, "4111"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.r.Check()
			require.ErrorIs(t, err, tt.rule)
			var v *validation.Error
			require.ErrorAs(t, err, &v)
			assert.True(t, v.Has(tt.path, tt.rule.(*validation.Rule).Code()))
			assert.NotContains(t, err.Error(), tt.value, "no value in the message")

			// An address filled from such an answer would be refused:
			// that is what Check spares the attendant.
			a := address.Address{CEP: paulista, Street: "Rua A", Number: "1", City: "São Paulo", UF: address.SP}
			address.Fill(&a, tt.r, &address.FillOptions{Overwrite: true})
			assert.Error(t, a.Validate())
		})
	}
}

func TestCheckAnswer(t *testing.T) {
	t.Parallel()
	r := address.Result{CEP: paulista, Street: "Avenida Paulista", City: "São Paulo", UF: address.SP, Source: "test"}
	for _, answered := range []string{"", " ", "01310-100", "01310100", "01.310-100"} {
		assert.NoError(t, address.CheckAnswer(r, answered), "%q names the CEP asked, or none", answered)
	}
	for _, answered := range []string{"70040-010", "70040010", "0131010", "013101000", "01310-10x", "x"} {
		err := address.CheckAnswer(r, answered)
		assert.ErrorIs(t, err, address.ErrLookupUnavailable, "%q is another CEP", answered)
		assert.ErrorContains(t, err, "malformed answer")
		assert.NotContains(t, err.Error(), "0131", "no CEP in the message")
		assert.NotContains(t, err.Error(), "7004", "no CEP in the message")
	}

	bad := r
	bad.City = "Cartão 4111 1111 1111 1111"
	err := address.CheckAnswer(bad, "01310-100")
	assert.ErrorIs(t, err, address.ErrLookupUnavailable)
	assert.ErrorContains(t, err, "malformed answer")
	assert.NotContains(t, err.Error(), "4111")
	var v *validation.Error
	assert.False(t, errors.As(err, &v), "a service's fault must not read as the attendant's")

	// A stored CEP outside today's ranges still matches its own answer.
	var old address.CEP
	require.NoError(t, old.Scan("78900000"))
	assert.NoError(t, address.CheckAnswer(address.Result{CEP: old, City: "X"}, "78900-000"))
}

// FuzzCheckAnswer: an answer naming its CEP is accepted exactly when
// that CEP, read as people type it, is the one asked; an answer that
// passes fills an address that validation accepts; a refused one is
// ErrLookupUnavailable.
func FuzzCheckAnswer(f *testing.F) {
	f.Add("01310-100", "Avenida Paulista", "Bela Vista", "São Paulo")
	f.Add("", "Rua\x07A", "", "São Paulo")
	f.Add("70040010", "", "Centro\u202e", "4111 1111 1111 1111")
	f.Add(" 01.310-100 ", "", "", "S\xe3o Paulo")
	f.Fuzz(func(t *testing.T, answered, street, district, city string) {
		err := address.CheckAnswer(address.Result{CEP: paulista, UF: address.SP}, answered)
		got, perr := address.ParseCEP(answered)
		if want := strings.Trim(answered, " \t\n\r\v\f") == "" || perr == nil && got == paulista; (err == nil) != want {
			t.Fatalf("CheckAnswer(%q) = %v, want accepted: %v", answered, err, want)
		}
		r := address.Result{CEP: paulista, Street: street, District: district, City: city, UF: address.SP}
		err = address.CheckAnswer(r, "")
		if err != nil {
			if !errors.Is(err, address.ErrLookupUnavailable) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		a := address.Address{CEP: paulista, Street: "Rua A", Number: "1", City: "São Paulo"}
		address.Fill(&a, r, &address.FillOptions{Overwrite: true})
		if err := a.Validate(); err != nil {
			t.Fatalf("an accepted answer fills an address that is refused: %v", err)
		}
	})
}
