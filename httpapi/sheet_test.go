package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/customer/info"
	"github.com/fichacrm/ficha/httpapi"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/memory"
	"github.com/fichacrm/ficha/storage/storagetest"
)

func TestSheet(t *testing.T) {
	t.Parallel()
	a := newAPI(t, nil)
	c := a.create("dealer-a", storagetest.Full(time.Now()))
	target := "/customers/" + c.ID.String() + "/sheet"

	w := a.do(req{method: "GET", target: target, tenant: "dealer-a"})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, "text/html; charset=utf-8", w.Header().Get("Content-Type"))
	assert.Contains(t, w.Header().Get("Content-Security-Policy"), "default-src 'none'")
	assert.Contains(t, w.Body.String(), "<html")
	assert.Contains(t, w.Body.String(), "248.438.034-80")
	assert.Contains(t, w.Body.String(), "FICHA DO CLIENTE")

	for _, tc := range []struct {
		target string
		header map[string]string
	}{
		{target + "?format=text", nil},
		{target, map[string]string{"Accept": "text/plain"}},
		{target, map[string]string{"Accept": "text/html;q=0.5, text/plain"}},
	} {
		w := a.do(req{method: "GET", target: tc.target, tenant: "dealer-a", header: tc.header})
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		assert.Equal(t, "text/plain; charset=utf-8", w.Header().Get("Content-Type"))
		assert.NotContains(t, w.Body.String(), "<html")
		assert.Contains(t, w.Body.String(), "248.438.034-80")
	}
	w = a.do(req{method: "GET", target: target + "?format=html", tenant: "dealer-a", header: map[string]string{"Accept": "text/plain", "Accept-Language": "en"}})
	require.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "text/html; charset=utf-8", w.Header().Get("Content-Type"))
	assert.Equal(t, "en", w.Header().Get("Content-Language"))
	assert.Contains(t, w.Body.String(), "CUSTOMER")

	// ?lang= is for links and frames, which cannot send Accept-Language:
	// it wins over the header.
	w = a.do(req{method: "GET", target: target + "?lang=en", tenant: "dealer-a", header: map[string]string{"Accept-Language": "pt-BR"}})
	require.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "en", w.Header().Get("Content-Language"))
	assert.Contains(t, w.Body.String(), "CUSTOMER SHEET")
	w = a.do(req{method: "GET", target: target + "?lang=pt-BR&format=text", tenant: "dealer-a", header: map[string]string{"Accept-Language": "en"}})
	require.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "pt-BR", w.Header().Get("Content-Language"))
	assert.Contains(t, w.Body.String(), "FICHA DO CLIENTE")
	problem(t, a.do(req{method: "GET", target: target + "?lang=fr", tenant: "dealer-a"}), http.StatusBadRequest, "query.invalid")

	problem(t, a.do(req{method: "GET", target: target + "?format=pdf", tenant: "dealer-a"}), http.StatusBadRequest, "query.invalid")
	problem(t, a.do(req{method: "GET", target: target, tenant: "dealer-b"}), http.StatusNotFound, "not_found")
	problem(t, a.do(req{method: "GET", target: "/customers/x/sheet", tenant: "dealer-a"}), http.StatusNotFound, "not_found")
}

func TestCEP(t *testing.T) {
	t.Parallel()
	a := newAPI(t, nil)
	problem(t, a.do(req{method: "GET", target: "/cep/01310100", tenant: "dealer-a"}), http.StatusNotImplemented, "cep.lookup_missing")

	lookup := address.LookupFunc(func(ctx context.Context, cep address.CEP) (address.Result, error) {
		switch cep.String() {
		case "01310100":
			return address.Result{CEP: cep, Street: "Avenida Paulista", District: "Bela Vista", City: "São Paulo", UF: address.SP, Source: "fake"}, nil
		case "01310200":
			return address.Result{}, address.ErrLookupNotFound
		case "01310300":
			return address.Result{}, fmt.Errorf("%w: down", address.ErrLookupUnavailable)
		case "01310400":
			return address.Result{}, context.DeadlineExceeded
		}
		return address.Result{}, fmt.Errorf("secret database text %s", cep)
	})
	a = newAPI(t, &httpapi.Options{Lookup: lookup})
	w := a.do(req{method: "GET", target: "/cep/01310-100", tenant: "dealer-a"})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.JSONEq(t, `{"cep":"01310100","street":"Avenida Paulista","district":"Bela Vista","city":"São Paulo","uf":"SP","source":"fake"}`, w.Body.String())

	problem(t, a.do(req{method: "GET", target: "/cep/01310200", tenant: "dealer-a"}), http.StatusNotFound, "cep.not_found")
	problem(t, a.do(req{method: "GET", target: "/cep/01310300", tenant: "dealer-a"}), http.StatusServiceUnavailable, "cep.unavailable")
	problem(t, a.do(req{method: "GET", target: "/cep/01310400", tenant: "dealer-a"}), http.StatusGatewayTimeout, "timeout")
	w = a.do(req{method: "GET", target: "/cep/01310500", tenant: "dealer-a"})
	problem(t, w, http.StatusInternalServerError, "internal")
	assert.NotContains(t, w.Body.String(), "secret")
	assert.NotContains(t, w.Body.String(), "01310500")
	w = a.do(req{method: "GET", target: "/cep/0131A100", tenant: "dealer-a"})
	p := problem(t, w, http.StatusBadRequest, "cep.invalid")
	require.Len(t, p.Errors, 1)
	assert.Equal(t, "cep", p.Errors[0].Path)
	assert.NotContains(t, w.Body.String(), "0131A100")
	problem(t, a.do(req{method: "GET", target: "/cep/01310100?x=1", tenant: "dealer-a"}), http.StatusBadRequest, "query.invalid")
	problem(t, a.do(req{method: "GET", target: "/cep/01310100"}), http.StatusUnauthorized, "tenant")
}

// TestSheetPrintsTheStoresTable: the sheet prints the additional
// information of the store's own table, the one GET /info/fields lists.
func TestSheetPrintsTheStoresTable(t *testing.T) {
	t.Parallel()
	own, err := info.Default().Extend(info.Field{Key: "hobby", Label: info.Label{EN: "Hobby", PT: "Passatempo"},
		Section: info.SectionPersonal, Type: info.Text, Kinds: info.ForBoth, OnSheet: true})
	require.NoError(t, err)
	store := memory.Open(&storage.Options{Info: own})
	t.Cleanup(func() { _ = store.Close() })
	a := newAPIOver(t, store, nil)
	c := storagetest.Full(time.Now())
	c.Info = map[string]string{"hobby": "Xadrez"}
	saved := a.create("dealer-a", c)
	w := a.do(req{method: "GET", target: "/customers/" + saved.ID.String() + "/sheet?format=text", tenant: "dealer-a"})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Contains(t, w.Body.String(), "Passatempo")
	assert.Contains(t, w.Body.String(), "Xadrez")
}
