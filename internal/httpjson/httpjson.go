// Package httpjson is the one HTTP GET of JSON that the CEP clients share:
// a base URL, a deadline, a User-Agent and a capped body. It knows nothing
// of CEPs: a failed request is an [*Error], which each client sorts into
// its own errors, together with the status codes of its service.
package httpjson

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultUserAgent is the User-Agent sent unless told otherwise (BrasilAPI
// refuses Go's default one).
const DefaultUserAgent = "ficha-cep-lookup/1.0 (+https://github.com/fichacrm/ficha)"

// The defaults [Client.WithDefaults] fills in.
const (
	DefaultTimeout = 3 * time.Second
	DefaultMaxBody = 64 << 10
)

// Client makes the requests of one service. Zero fields take the defaults
// once [Client.WithDefaults] has been called.
type Client struct {
	Base      string // the service's root URL, without a trailing slash
	HTTP      *http.Client
	Timeout   time.Duration // per request
	UserAgent string
	MaxBody   int64 // bytes read of a response at most
}

// WithDefaults returns c with every zero field set to its default and the
// base URL (defaultBase when empty) trimmed of trailing slashes.
func (c Client) WithDefaults(defaultBase string) Client {
	c.Base = strings.TrimRight(c.Base, "/")
	if c.Base == "" {
		c.Base = defaultBase
	}
	if c.HTTP == nil {
		c.HTTP = http.DefaultClient
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.UserAgent == "" {
		c.UserAgent = DefaultUserAgent
	}
	if c.MaxBody <= 0 {
		c.MaxBody = DefaultMaxBody
	}
	return c
}

// Error is a request that got no complete answer: it could not be made,
// the transport failed, it outlived the client's timeout, or its body
// could not be read or was too large. Its message never holds the URL
// (which may hold personal data such as a CEP).
type Error struct {
	Err error
}

// Error returns the underlying failure's message.
func (e *Error) Error() string { return e.Err.Error() }

// Unwrap returns the underlying failure.
func (e *Error) Unwrap() error { return e.Err }

// ErrBodyTooLarge is wrapped in an [*Error] when a response is larger
// than MaxBody.
var ErrBodyTooLarge = errors.New("response body too large")

// Get fetches Base+path and returns the status code and the body, at most
// MaxBody bytes. When ctx ends first it returns ctx's own error, as is;
// every other failure is an [*Error].
func (c Client) Get(ctx context.Context, path string) (int, []byte, error) {
	ctx2, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx2, http.MethodGet, c.Base+path, nil)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // without the URL
		}
		return 0, nil, &Error{Err: err}
	}
	req.Header.Set("User-Agent", c.UserAgent)
	req.Header.Set("Accept", "application/json")
	resp, err := c.HTTP.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return 0, nil, ctx.Err()
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // without the URL
		}
		return 0, nil, &Error{Err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.MaxBody+1))
	if err != nil {
		if ctx.Err() != nil {
			return 0, nil, ctx.Err()
		}
		return 0, nil, &Error{Err: err}
	}
	if int64(len(body)) > c.MaxBody {
		return 0, nil, &Error{Err: ErrBodyTooLarge}
	}
	return resp.StatusCode, body, nil
}
