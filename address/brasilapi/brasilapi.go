// Package brasilapi looks CEPs up in BrasilAPI's public web service
// (version 1 of its CEP endpoint, https://brasilapi.com.br). A [Client]
// is an [address.Lookup]; combine it with other services, a cache and an
// offline fallback through package
// [github.com/fichacrm/ficha/address/lookup].
package brasilapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/internal/httpjson"
)

// DefaultBaseURL is where the service lives.
const DefaultBaseURL = "https://brasilapi.com.br"

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
	// UserAgent is sent with every request; one naming Ficha by default
	// (BrasilAPI answers 429 to Go's default User-Agent).
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
// malformed CEP (HTTP 400) is ErrLookupInvalid; the end of ctx its own
// error; other failures are ErrLookupUnavailable, an answer for another
// CEP or with text that an [address.Address] would refuse included (see
// [address.CheckAnswer]).
func (c *Client) Lookup(ctx context.Context, cep address.CEP) (address.Result, error) {
	if cep.IsZero() {
		return address.Result{}, address.ErrLookupInvalid
	}
	code, body, err := c.c.Get(ctx, "/api/cep/v1/"+cep.String())
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
	case http.StatusNotFound:
		return address.Result{}, fmt.Errorf("%w (%w: BrasilAPI's 404 is also its answer when its sources are down)",
			address.ErrLookupNotFound, address.ErrLookupUnavailable)
	default:
		return address.Result{}, fmt.Errorf("%w: HTTP status %d", address.ErrLookupUnavailable, code)
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
	r := address.Result{CEP: cep, Street: str(a.Street), District: str(a.Neighborhood), City: str(a.City), UF: uf, Source: "brasilapi"}
	if err := address.CheckAnswer(r, str(a.CEP)); err != nil {
		return address.Result{}, err
	}
	return r, nil
}
