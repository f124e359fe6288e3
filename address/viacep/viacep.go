// Package viacep looks CEPs up in ViaCEP's public web service.
package viacep

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/internal/httpjson"
)

// Options configure a [Client]: base URL (the service's own by default),
// *http.Client, timeout per request (3 seconds), User-Agent (Ficha's own)
// and the most bytes of a response read (64 KiB).
type Options = httpjson.Options

// Client is an [address.Lookup] over the service. It is safe for
// concurrent use.
type Client struct {
	base string
	c    httpjson.Client
}

// New returns a client. It does no I/O.
func New(opts *Options) *Client {
	base, c := opts.Build("https://viacep.com.br")
	return &Client{base: base, c: c}
}

// answer is ViaCEP's JSON; fields it may add are ignored, and "erro"
// comes as true or as "true".
type answer struct {
	CEP        string          `json:"cep"`
	Logradouro string          `json:"logradouro"`
	Bairro     string          `json:"bairro"`
	Localidade string          `json:"localidade"`
	UF         string          `json:"uf"`
	Erro       json.RawMessage `json:"erro"`
}

// Lookup implements [address.Lookup]. An unknown CEP (HTTP 200 with
// "erro") is ErrLookupNotFound; a malformed one (HTTP 400)
// ErrLookupInvalid; any other failure ErrLookupUnavailable.
func (c *Client) Lookup(ctx context.Context, cep address.CEP) (address.Result, error) {
	if cep.IsZero() {
		return address.Result{}, address.ErrLookupInvalid
	}
	code, body, err := c.c.Get(ctx, c.base+"/ws/"+cep.String()+"/json/")
	if err != nil {
		return address.Result{}, err
	}
	if code != http.StatusOK {
		if code == http.StatusNotFound {
			return address.Result{}, fmt.Errorf("%w: HTTP status 404", address.ErrLookupUnavailable)
		}
		return address.Result{}, httpjson.Status(code)
	}
	return decode(cep, body)
}

// decode reads a ViaCEP answer of HTTP status 200.
func decode(cep address.CEP, body []byte) (address.Result, error) {
	var a answer
	if err := json.Unmarshal(body, &a); err != nil {
		return address.Result{}, fmt.Errorf("%w: malformed answer", address.ErrLookupUnavailable)
	}
	if e := strings.Trim(string(a.Erro), `" `); e == "true" {
		return address.Result{}, address.ErrLookupNotFound
	}
	uf, err := address.ParseUF(a.UF)
	if err != nil {
		return address.Result{}, fmt.Errorf("%w: answer without a state", address.ErrLookupUnavailable)
	}
	return address.Result{CEP: cep, Street: a.Logradouro, District: a.Bairro, City: a.Localidade, UF: uf, Source: "viacep"}, nil
}
