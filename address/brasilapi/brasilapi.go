// Package brasilapi looks CEPs up in BrasilAPI's public web service
// (version 1 of its CEP endpoint).
package brasilapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

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
	base, c := opts.Build("https://brasilapi.com.br")
	return &Client{base: base, c: c}
}

// answer is BrasilAPI's JSON; missing fields come as null, and fields it
// may add are ignored.
type answer struct {
	CEP          *string `json:"cep"`
	State        *string `json:"state"`
	City         *string `json:"city"`
	Neighborhood *string `json:"neighborhood"`
	Street       *string `json:"street"`
	Service      *string `json:"service"`
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// Lookup implements [address.Lookup]. BrasilAPI answers 404 both for an
// unknown CEP and when every service behind it is down, so its 404 is
// reported as an error that matches both ErrLookupNotFound and
// ErrLookupUnavailable: not proof that the CEP does not exist. A
// malformed CEP (HTTP 400) is ErrLookupInvalid; other failures are
// ErrLookupUnavailable.
func (c *Client) Lookup(ctx context.Context, cep address.CEP) (address.Result, error) {
	if cep.IsZero() {
		return address.Result{}, address.ErrLookupInvalid
	}
	code, body, err := c.c.Get(ctx, c.base+"/api/cep/v1/"+cep.String())
	if err != nil {
		return address.Result{}, err
	}
	switch code {
	case http.StatusOK:
	case http.StatusNotFound:
		return address.Result{}, fmt.Errorf("%w (%w: BrasilAPI's 404 is also its answer when its sources are down)",
			address.ErrLookupNotFound, address.ErrLookupUnavailable)
	default:
		return address.Result{}, httpjson.Status(code)
	}
	return decode(cep, body)
}

// decode reads a BrasilAPI answer of HTTP status 200.
func decode(cep address.CEP, body []byte) (address.Result, error) {
	var a answer
	if err := json.Unmarshal(body, &a); err != nil {
		return address.Result{}, fmt.Errorf("%w: malformed answer", address.ErrLookupUnavailable)
	}
	uf, err := address.ParseUF(str(a.State))
	if err != nil {
		return address.Result{}, fmt.Errorf("%w: answer without a state", address.ErrLookupUnavailable)
	}
	return address.Result{CEP: cep, Street: str(a.Street), District: str(a.Neighborhood), City: str(a.City), UF: uf, Source: "brasilapi"}, nil
}
