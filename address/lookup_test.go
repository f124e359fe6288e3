package address_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/address"
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
