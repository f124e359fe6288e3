// Package httpjson is the one HTTP GET of JSON that the CEP clients share:
// a deadline, a User-Agent, a capped body, and errors sorted into the
// address package's lookup errors.
package httpjson

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/fichacrm/ficha/address"
)

// Client is what a CEP client needs to make its requests.
type Client struct {
	HTTP      *http.Client
	Timeout   time.Duration
	UserAgent string
	MaxBody   int64
}

// ErrBodyTooLarge is wrapped when a response is larger than MaxBody.
var ErrBodyTooLarge = errors.New("response body too large")

// Get fetches target and returns the status code and the body, at most
// MaxBody bytes. Transport failures, timeouts and oversized bodies are
// ErrLookupUnavailable; the caller's own cancellation is its context's
// error.
func (c Client) Get(ctx context.Context, target string) (int, []byte, error) {
	ctx2, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx2, http.MethodGet, target, nil)
	if err != nil {
		return 0, nil, fmt.Errorf("%w: %w", address.ErrLookupUnavailable, err)
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
			err = ue.Err // without the URL, which holds the CEP
		}
		return 0, nil, fmt.Errorf("%w: %w", address.ErrLookupUnavailable, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.MaxBody+1))
	if err != nil {
		if ctx.Err() != nil {
			return 0, nil, ctx.Err()
		}
		return 0, nil, fmt.Errorf("%w: %w", address.ErrLookupUnavailable, err)
	}
	if int64(len(body)) > c.MaxBody {
		return 0, nil, fmt.Errorf("%w: %w", address.ErrLookupUnavailable, ErrBodyTooLarge)
	}
	return resp.StatusCode, body, nil
}

// Status turns an HTTP status other than 200 into a lookup error: 400 is
// an invalid CEP, 404 the caller decides, anything else is unavailable.
func Status(code int) error {
	switch {
	case code == http.StatusBadRequest:
		return address.ErrLookupInvalid
	case code == http.StatusNotFound:
		return address.ErrLookupNotFound
	}
	return fmt.Errorf("%w: HTTP status %d", address.ErrLookupUnavailable, code)
}

// DefaultUserAgent is the User-Agent Ficha's CEP clients send unless told
// otherwise (BrasilAPI refuses Go's default one).
const DefaultUserAgent = "ficha-cep-lookup/1.0 (+https://github.com/fichacrm/ficha)"

// Options configure a CEP client. Zero fields take the defaults.
type Options struct {
	BaseURL   string        // the service's own by default
	HTTP      *http.Client  // http.DefaultClient by default
	Timeout   time.Duration // per request; 3 seconds by default
	UserAgent string        // DefaultUserAgent by default
	MaxBody   int64         // bytes read of a response at most; 64 KiB by default
}

// Build returns the base URL (defaultBase unless set) and the client the
// options describe, defaults filled in.
func (o *Options) Build(defaultBase string) (string, Client) {
	var v Options
	if o != nil {
		v = *o
	}
	base := strings.TrimRight(v.BaseURL, "/")
	if base == "" {
		base = defaultBase
	}
	c := Client{HTTP: v.HTTP, Timeout: v.Timeout, UserAgent: v.UserAgent, MaxBody: v.MaxBody}
	if c.HTTP == nil {
		c.HTTP = http.DefaultClient
	}
	if c.Timeout <= 0 {
		c.Timeout = 3 * time.Second
	}
	if c.UserAgent == "" {
		c.UserAgent = DefaultUserAgent
	}
	if c.MaxBody <= 0 {
		c.MaxBody = 64 << 10
	}
	return base, c
}
