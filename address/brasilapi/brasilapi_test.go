package brasilapi_test

import (
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
