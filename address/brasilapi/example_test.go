package brasilapi_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/address/brasilapi"
)

func Example() {
	// A server that answers as BrasilAPI does; a host leaves BaseURL empty.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/cep/v1/01310100" {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"name":"CepPromiseError","message":"Todos os serviços de CEP retornaram erro.","type":"service_error"}`)
			return
		}
		fmt.Fprint(w, `{"cep":"01310100","state":"SP","city":"São Paulo","neighborhood":"Bela Vista",
			"street":"Avenida Paulista","service":"open-cep"}`)
	}))
	defer srv.Close()

	c := brasilapi.New(&brasilapi.Options{BaseURL: srv.URL, Timeout: 2 * time.Second})
	r, err := c.Lookup(context.Background(), address.MustParseCEP("01310-100"))
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Source, r.CEP.Format())
	fmt.Println(r.Street, "-", r.District, "-", r.City, r.UF)

	// BrasilAPI's 404 does not prove the CEP does not exist.
	_, err = c.Lookup(context.Background(), address.MustParseCEP("88015-200"))
	fmt.Println(errors.Is(err, address.ErrLookupNotFound), errors.Is(err, address.ErrLookupUnavailable))
	// Output:
	// brasilapi 01310-100
	// Avenida Paulista - Bela Vista - São Paulo SP
	// true true
}
