// Package viacep looks CEPs up in ViaCEP's public web service
// (https://viacep.com.br). A [Client] is an [address.Lookup]; combine it
// with other services, a cache and an offline fallback through package
// [github.com/fichacrm/ficha/address/lookup].
package viacep

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/internal/httpjson"
)

// DefaultBaseURL is where the service lives.
const DefaultBaseURL = "https://viacep.com.br"

// Options configure a [Client]. A nil *Options, and every zero field,
// take the defaults.
type Options struct {
	// BaseURL is the service's root, DefaultBaseURL by default; a test
	// points it at its own server. A trailing slash is ignored.
	BaseURL string
	// HTTP sends the requests; http.DefaultClient by default.
	HTTP *http.Client
	// Timeout bounds each request, 3 seconds by default; the caller's
	// context may end it sooner. A request that outlives it is
	// ErrLookupUnavailable.
	Timeout time.Duration
	// UserAgent is sent with every request; one naming Ficha by default.
	UserAgent string
	// MaxBody is the most bytes of an answer read, 64 KiB by default; a
	// longer answer is ErrLookupUnavailable.
	MaxBody int64
}

// Client is an [address.Lookup] over the service. It is safe for
// concurrent use.
type Client struct {
	c httpjson.Client
}

// New returns a client. It does no I/O.
func New(opts *Options) *Client {
	var o Options
	if opts != nil {
		o = *opts
	}
	c := httpjson.Client{Base: o.BaseURL, HTTP: o.HTTP, Timeout: o.Timeout, UserAgent: o.UserAgent, MaxBody: o.MaxBody}
	return &Client{c: c.WithDefaults(DefaultBaseURL)}
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
// ErrLookupInvalid; the end of ctx its own error; any other failure
// ErrLookupUnavailable, an answer for another CEP or with text that an
// [address.Address] would refuse included (see [address.CheckAnswer]).
func (c *Client) Lookup(ctx context.Context, cep address.CEP) (address.Result, error) {
	if cep.IsZero() {
		return address.Result{}, address.ErrLookupInvalid
	}
	code, body, err := c.c.Get(ctx, "/ws/"+cep.String()+"/json/")
	if err != nil {
		var he *httpjson.Error
		if errors.As(err, &he) {
			err = fmt.Errorf("%w: %w", address.ErrLookupUnavailable, he.Err)
		}
		return address.Result{}, err
	}
	switch code {
	case http.StatusOK:
	case http.StatusBadRequest:
		return address.Result{}, address.ErrLookupInvalid
	default: // 404 included: ViaCEP tells an unknown CEP with "erro"
		return address.Result{}, fmt.Errorf("%w: HTTP status %d", address.ErrLookupUnavailable, code)
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
	r := address.Result{CEP: cep, Street: a.Logradouro, District: a.Bairro, City: a.Localidade, UF: uf, Source: "viacep"}
	if err := address.CheckAnswer(r, a.CEP); err != nil {
		return address.Result{}, err
	}
	return r, nil
}
