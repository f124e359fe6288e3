package viacep_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/address/lookup"
	"github.com/fichacrm/ficha/address/viacep"
)

// server plays ViaCEP: handler answers GET /ws/{cep}/json/.
func server(t *testing.T, handler http.HandlerFunc) *viacep.Client {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	return viacep.New(&viacep.Options{BaseURL: srv.URL, Timeout: 200 * time.Millisecond, MaxBody: 1024})
}

const paulista = `{
  "cep": "01310-100", "logradouro": "Avenida Paulista", "complemento": "de 612 a 1510 - lado par",
  "unidade": "", "bairro": "Bela Vista", "localidade": "São Paulo", "uf": "SP", "estado": "São Paulo",
  "regiao": "Sudeste", "ibge": "3550308", "gia": "1004", "ddd": "11", "siafi": "7107"
}`

func TestSuccess(t *testing.T) {
	t.Parallel()
	var path, agent string
	c := server(t, func(w http.ResponseWriter, r *http.Request) {
		path, agent = r.URL.Path, r.UserAgent()
		fmt.Fprint(w, paulista)
	})
	r, err := c.Lookup(t.Context(), address.MustParseCEP("01310-100"))
	require.NoError(t, err)
	assert.Equal(t, "/ws/01310100/json/", path)
	assert.Contains(t, agent, "ficha", "Ficha sends a User-Agent of its own")
	assert.Equal(t, address.Result{CEP: address.MustParseCEP("01310100"), Street: "Avenida Paulista", District: "Bela Vista",
		City: "São Paulo", UF: address.SP, Source: "viacep"}, r)
}

func TestFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    error
	}{
		{"unknown CEP, erro as a boolean", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, `{"erro": true}`) }, address.ErrLookupNotFound},
		{"unknown CEP, erro as a string", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, `{"erro": "true"}`) }, address.ErrLookupNotFound},
		{"malformed CEP", func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "bad", http.StatusBadRequest) }, address.ErrLookupInvalid},
		{"404", func(w http.ResponseWriter, _ *http.Request) { http.NotFound(w, nil) }, address.ErrLookupUnavailable},
		{"429", func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "slow down", http.StatusTooManyRequests) }, address.ErrLookupUnavailable},
		{"500", func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "oops", http.StatusInternalServerError) }, address.ErrLookupUnavailable},
		{"invalid JSON", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, `<html>maintenance</html>`) }, address.ErrLookupUnavailable},
		{"truncated body", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, paulista[:60]) }, address.ErrLookupUnavailable},
		{"oversized body", func(w http.ResponseWriter, _ *http.Request) {
			fmt.Fprint(w, `{"cep":"01310-100","x":"`+strings.Repeat("a", 5000)+`"}`)
		}, address.ErrLookupUnavailable},
		{"no state", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, `{"cep":"01310-100","localidade":"X"}`) }, address.ErrLookupUnavailable},
		{"slower than the timeout", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-time.After(2 * time.Second):
			case <-r.Context().Done():
			}
			fmt.Fprint(w, paulista)
		}, address.ErrLookupUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := server(t, tt.handler)
			start := time.Now()
			_, err := c.Lookup(t.Context(), address.MustParseCEP("01310-100"))
			assert.ErrorIs(t, err, tt.want)
			assert.Less(t, time.Since(start), time.Second, "the timeout bounds every request")
			assert.NotContains(t, err.Error(), "01310", "no CEP in the message")
		})
	}
}

func TestCancelledContextReturnsPromptly(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	// A timeout far longer than the wait: only the cancellation can end it.
	c := viacep.New(&viacep.Options{BaseURL: srv.URL, Timeout: 10 * time.Second})
	ctx, cancel := context.WithCancel(t.Context())
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	start := time.Now()
	_, err := c.Lookup(ctx, address.MustParseCEP("01310-100"))
	assert.True(t, errors.Is(err, context.Canceled))
	assert.Less(t, time.Since(start), 2*time.Second)
	_, err = c.Lookup(t.Context(), address.CEP{})
	assert.ErrorIs(t, err, address.ErrLookupInvalid)
}

// countingTransport counts the requests it carries to the server.
type countingTransport struct{ n int }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n++
	return http.DefaultTransport.RoundTrip(r)
}

func TestOptionsReachTheRequest(t *testing.T) {
	t.Parallel()
	var agent string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		agent = r.UserAgent()
		fmt.Fprint(w, `{"cep":"01310-100","state":"SP","uf":"SP","city":"São Paulo","localidade":"São Paulo"}`)
	}))
	t.Cleanup(srv.Close)
	transport := &countingTransport{}
	c := viacep.New(&viacep.Options{BaseURL: srv.URL, HTTP: &http.Client{Transport: transport}, UserAgent: "dealer-desk/2.0"})
	r, err := c.Lookup(t.Context(), address.MustParseCEP("01310-100"))
	require.NoError(t, err)
	assert.Equal(t, "São Paulo", r.City)
	assert.Equal(t, "dealer-desk/2.0", agent, "the host's User-Agent is sent")
	assert.Equal(t, 1, transport.n, "through the host's *http.Client")
}

// body is a ViaCEP answer for Avenida Paulista with the fields in change
// replaced (a nil value drops the field).
func body(t *testing.T, change map[string]any) string {
	t.Helper()
	a := map[string]any{"cep": "01310-100", "logradouro": "Avenida Paulista", "bairro": "Bela Vista",
		"localidade": "São Paulo", "uf": "SP", "estado": "São Paulo"}
	for k, v := range change {
		if v == nil {
			delete(a, k)
			continue
		}
		a[k] = v
	}
	b, err := json.Marshal(a)
	require.NoError(t, err)
	return string(b)
}

func TestAnswersAnAddressWouldRefuseAreUnavailable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change map[string]any
		secret string // text that must not reach the message
	}{
		{"control character", map[string]any{"logradouro": "Avenida\x07Paulista"}, "Avenida"},
		{"line break", map[string]any{"logradouro": "Avenida Paulista\nBloco B"}, "Bloco"},
		{"bidi override", map[string]any{"bairro": "Bela \u202eatsiV"}, "atsiV"},
		{"byte-order mark", map[string]any{"localidade": "\ufeffSão Paulo"}, "Paulo"},
		{"500-byte district", map[string]any{"bairro": strings.Repeat("Bela Vista ", 46)}, "Bela"},
		{"card number in the city", map[string]any{"localidade": "4111 1111 1111 1111"}, "4111"},
		{"the answer for another CEP", map[string]any{"cep": "70040-010"}, "70040"},
		{"a CEP that is no CEP", map[string]any{"cep": "Paulista"}, "Paulista"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			answer := body(t, tt.change)
			c := server(t, func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, answer) })
			r, err := c.Lookup(t.Context(), address.MustParseCEP("01310-100"))
			require.ErrorIs(t, err, address.ErrLookupUnavailable)
			assert.ErrorContains(t, err, "malformed answer")
			assert.NotContains(t, err.Error(), tt.secret, "no text of the answer in the message")
			assert.Equal(t, address.Result{}, r)

			// Offline, the state is still filled, and the address the
			// attendant completes is one the store takes.
			r, err = lookup.WithOffline(c).Lookup(t.Context(), address.MustParseCEP("01310-100"))
			require.NoError(t, err)
			assert.True(t, r.Offline)
			a := address.Address{CEP: r.CEP, Street: "Avenida Paulista", Number: "1000", City: "São Paulo"}
			address.Fill(&a, r, nil)
			assert.NoError(t, a.Validate())
		})
	}
}

func TestAnswerWithoutItsCEPIsAccepted(t *testing.T) {
	t.Parallel()
	for _, answer := range []string{body(t, map[string]any{"cep": nil}), body(t, map[string]any{"cep": ""}), body(t, map[string]any{"cep": "01310100"})} {
		c := server(t, func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, answer) })
		r, err := c.Lookup(t.Context(), address.MustParseCEP("01310-100"))
		require.NoError(t, err, answer)
		assert.Equal(t, address.MustParseCEP("01310-100"), r.CEP)
		assert.Equal(t, "Avenida Paulista", r.Street)
	}
}
