package viacep

import (
	"errors"
	"testing"

	"github.com/fichacrm/ficha/address"
)

// FuzzDecode feeds arbitrary bodies to the answer decoder: it must not
// panic, and must either fail with a lookup error or return a result for
// the CEP asked, with a valid state.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{"cep":"01310-100","logradouro":"Avenida Paulista","bairro":"Bela Vista","localidade":"São Paulo","uf":"SP"}`,
		`{"cep":"01310100","state":"SP","city":"São Paulo","neighborhood":null,"street":null}`, `{"erro": "true"}`, `{"erro": true}`, `[]`, `null`} {
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
	})
}
