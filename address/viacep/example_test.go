package viacep_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/address/viacep"
)

func Example() {
	// A server that answers as ViaCEP does; a host leaves BaseURL empty.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"cep": "01310-100", "logradouro": "Avenida Paulista", "bairro": "Bela Vista",
			"localidade": "São Paulo", "uf": "SP", "estado": "São Paulo", "ibge": "3550308", "ddd": "11"}`)
	}))
	defer srv.Close()

	c := viacep.New(&viacep.Options{BaseURL: srv.URL, Timeout: 2 * time.Second, UserAgent: "dealer-desk/1.0"})
	r, err := c.Lookup(context.Background(), address.MustParseCEP("01310-100"))
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Source, r.CEP.Format())
	fmt.Println(r.Street, "-", r.District, "-", r.City, r.UF)
	// Output:
	// viacep 01310-100
	// Avenida Paulista - Bela Vista - São Paulo SP
}
