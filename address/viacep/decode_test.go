package viacep

import (
	"errors"
	"testing"

	"github.com/fichacrm/ficha/address"
)

// FuzzDecode feeds arbitrary bodies to the answer decoder: it must not
// panic, and must either fail with a lookup error or return a result for
// the CEP asked, with a valid state, which fills an address that its
// validation accepts.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{"cep":"01310-100","logradouro":"Avenida Paulista","bairro":"Bela Vista","localidade":"São Paulo","uf":"SP"}`,
		`{"cep":"01310100","state":"SP","city":"São Paulo","neighborhood":null,"street":null}`, `{"cep":"70040-010","logradouro":"Esplanada","localidade":"Brasília","uf":"DF"}`, `{"cep":"01310-100","bairro":"Bela\u202eVista","localidade":"São Paulo","uf":"SP"}`, `{"erro": "true"}`, `{"erro": true}`, `[]`, `null`} {
		f.Add([]byte(s))
	}
	cep := address.MustParseCEP("01310-100")
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := decode(cep, body)
		if err != nil {
			if !errors.Is(err, address.ErrLookupUnavailable) && !errors.Is(err, address.ErrLookupNotFound) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if r.CEP != cep || !r.UF.IsValid() {
			t.Fatalf("bad result %+v", r)
		}
		a := address.Address{CEP: cep, Street: "Rua", Number: "1", City: "Cidade", UF: cep.UF()}
		address.Fill(&a, r, &address.FillOptions{Overwrite: true})
		a.UF = cep.UF() // the state against the CEP's range is package lookup's check
		if err := a.Validate(); err != nil {
			t.Fatalf("the answer fills an address that is refused: %v", err)
		}
	})
}
