package brasilapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/address/brasilapi"
	"github.com/fichacrm/ficha/address/lookup"
)

func server(t *testing.T, handler http.HandlerFunc) *brasilapi.Client {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	return brasilapi.New(&brasilapi.Options{BaseURL: srv.URL + "/", Timeout: 200 * time.Millisecond, MaxBody: 1024})
}

func TestSuccessAndNulls(t *testing.T) {
	t.Parallel()
	var path, agent string
	c := server(t, func(w http.ResponseWriter, r *http.Request) {
		path, agent = r.URL.Path, r.UserAgent()
		if strings.HasSuffix(r.URL.Path, "69900000") {
			// A whole-town CEP: no street, no neighbourhood.
			fmt.Fprint(w, `{"cep":"69900000","state":"AC","city":"Rio Branco","neighborhood":null,"street":null,"service":"correios"}`)
			return
		}
		fmt.Fprint(w, `{"cep":"01310100","state":"SP","city":"São Paulo","neighborhood":"Bela Vista","street":"Avenida Paulista","service":"open-cep","location":{"type":"Point"}}`)
	})
	r, err := c.Lookup(t.Context(), address.MustParseCEP("01310-100"))
	require.NoError(t, err)
	assert.Equal(t, "/api/cep/v1/01310100", path)
	assert.False(t, strings.HasPrefix(agent, "Go-http-client"), "BrasilAPI answers 429 to Go's default User-Agent")
	assert.Equal(t, address.Result{CEP: address.MustParseCEP("01310100"), Street: "Avenida Paulista", District: "Bela Vista",
		City: "São Paulo", UF: address.SP, Source: "brasilapi"}, r)

	town, err := c.Lookup(t.Context(), address.MustParseCEP("69900-000"))
	require.NoError(t, err)
	assert.Equal(t, "", town.Street)
	assert.Equal(t, "Rio Branco", town.City)
	assert.True(t, town.Complete())
}

func TestFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    []error
	}{
		{"404 is not proof", func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"name":"CepPromiseError","message":"Todos os serviços de CEP retornaram erro.","type":"service_error"}`)
		}, []error{address.ErrLookupNotFound, address.ErrLookupUnavailable}},
		{"malformed CEP", func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "{}", http.StatusBadRequest) }, []error{address.ErrLookupInvalid}},
		{"429", func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "{}", http.StatusTooManyRequests) }, []error{address.ErrLookupUnavailable}},
		{"500", func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "{}", http.StatusInternalServerError) }, []error{address.ErrLookupUnavailable}},
		{"invalid JSON", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, `{"cep":`) }, []error{address.ErrLookupUnavailable}},
		{"oversized", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, strings.Repeat(" ", 4096)+`{}`) }, []error{address.ErrLookupUnavailable}},
		{"slow", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-time.After(2 * time.Second):
			case <-r.Context().Done():
			}
		}, []error{address.ErrLookupUnavailable}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := server(t, tt.handler)
			_, err := c.Lookup(t.Context(), address.MustParseCEP("01310-100"))
			for _, want := range tt.want {
				assert.ErrorIs(t, err, want)
			}
		})
	}
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
	c := brasilapi.New(&brasilapi.Options{BaseURL: srv.URL, HTTP: &http.Client{Transport: transport}, UserAgent: "dealer-desk/2.0"})
	r, err := c.Lookup(t.Context(), address.MustParseCEP("01310-100"))
	require.NoError(t, err)
	assert.Equal(t, "São Paulo", r.City)
	assert.Equal(t, "dealer-desk/2.0", agent, "the host's User-Agent is sent")
	assert.Equal(t, 1, transport.n, "through the host's *http.Client")
}

// body is a BrasilAPI answer for Avenida Paulista with the fields in
// change replaced (a nil value drops the field).
func body(t *testing.T, change map[string]any) string {
	t.Helper()
	a := map[string]any{"cep": "01310100", "state": "SP", "city": "São Paulo", "neighborhood": "Bela Vista",
		"street": "Avenida Paulista", "service": "open-cep"}
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
		{"control character", map[string]any{"street": "Avenida\x00Paulista"}, "Avenida"},
		{"C1 control", map[string]any{"street": "Avenida\u0085Paulista"}, "Avenida"},
		{"bidi isolate", map[string]any{"neighborhood": "Bela \u2067Vista"}, "Vista"},
		{"500-byte district", map[string]any{"neighborhood": strings.Repeat("Bela Vista ", 46)}, "Bela"},
		{"card number in the city", map[string]any{"city": "São Paulo 5555-5555-5555-4444"}, "5555"},
		{"the answer for another CEP", map[string]any{"cep": "70040010"}, "70040"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			answer := body(t, tt.change)
			c := server(t, func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, answer) })
			r, err := c.Lookup(t.Context(), address.MustParseCEP("01310-100"))
			require.ErrorIs(t, err, address.ErrLookupUnavailable)
			assert.NotErrorIs(t, err, address.ErrLookupNotFound)
			assert.ErrorContains(t, err, "malformed answer")
			assert.NotContains(t, err.Error(), tt.secret, "no text of the answer in the message")
			assert.Equal(t, address.Result{}, r)

			// Offline, the state is still filled.
			r, err = lookup.WithOffline(c).Lookup(t.Context(), address.MustParseCEP("01310-100"))
			require.NoError(t, err)
			assert.True(t, r.Offline)
			assert.Equal(t, address.SP, r.UF)
		})
	}
}

func TestAnswerWithoutItsCEPIsAccepted(t *testing.T) {
	t.Parallel()
	for _, answer := range []string{body(t, map[string]any{"cep": nil}), `{"cep":null,"state":"SP","city":"São Paulo"}`, body(t, map[string]any{"cep": "01310-100"})} {
		c := server(t, func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, answer) })
		r, err := c.Lookup(t.Context(), address.MustParseCEP("01310-100"))
		require.NoError(t, err, answer)
		assert.Equal(t, address.MustParseCEP("01310-100"), r.CEP)
		assert.Equal(t, "São Paulo", r.City)
	}
}
