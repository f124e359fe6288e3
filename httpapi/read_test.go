package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/storagetest"
)

type listAnswer struct {
	Items []storage.Summary `json:"items"`
	Next  string            `json:"next"`
}

type searchAnswer struct {
	Items []storage.Hit `json:"items"`
	Next  string        `json:"next"`
}

func decode[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(body, &v), string(body))
	return v
}

func TestList(t *testing.T) {
	t.Parallel()
	a := newAPI(t, nil)
	var ids []string
	for i := range 5 {
		ids = append(ids, a.create("dealer-a", storagetest.Individual(i)).ID.String())
	}
	a.create("dealer-a", storagetest.Company(1))
	a.create("dealer-b", storagetest.Individual(99))

	w := a.do(req{method: "GET", target: "/customers", tenant: "dealer-a"})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	page := decode[listAnswer](t, w.Body.Bytes())
	assert.Len(t, page.Items, 6, "only the tenant's")
	assert.Empty(t, page.Next)

	// Paged, oldest first, individuals only.
	var got []string
	cursor := ""
	for range 10 {
		q := url.Values{"order": {"oldest"}, "kind": {"individual"}, "limit": {"2"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		w := a.do(req{method: "GET", target: "/customers?" + q.Encode(), tenant: "dealer-a"})
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		page := decode[listAnswer](t, w.Body.Bytes())
		for _, s := range page.Items {
			got = append(got, s.ID.String())
		}
		if cursor = page.Next; cursor == "" {
			break
		}
	}
	assert.Equal(t, ids, got)

	w = a.do(req{method: "GET", target: "/customers?order=name&status=customer&updated_since=" + url.QueryEscape(time.Now().Add(-time.Hour).Format(time.RFC3339)), tenant: "dealer-a"})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Len(t, decode[listAnswer](t, w.Body.Bytes()).Items, 6)

	w = a.do(req{method: "GET", target: "/customers", tenant: "dealer-c"})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.JSONEq(t, `{"items":[]}`, w.Body.String())

	for _, tc := range []struct{ query, code string }{
		{"order=sideways", "query.invalid"},
		{"status=vip", "query.invalid"},
		{"kind=robot", "query.invalid"},
		{"updated_since=yesterday", "query.invalid"},
		{"limit=ten", "query.invalid"},
		{"limit=1&limit=2", "query.invalid"},
		{"tenant=dealer-b", "query.invalid"},
		{"limit=-1", "limit.invalid"},
		{"cursor=forged", "cursor.invalid"},
		{"updated_since=2026-01-02T00:00:00Z&updated_before=2026-01-01T00:00:00Z", ""},
	} {
		w := a.do(req{method: "GET", target: "/customers?" + tc.query, tenant: "dealer-a"})
		if tc.code == "" {
			assert.Equal(t, http.StatusOK, w.Code, tc.query)
			continue
		}
		problem(t, w, http.StatusBadRequest, tc.code)
	}
	t.Run("a cursor of another tenant", func(t *testing.T) {
		w := a.do(req{method: "GET", target: "/customers?limit=1", tenant: "dealer-a"})
		next := decode[listAnswer](t, w.Body.Bytes()).Next
		require.NotEmpty(t, next)
		problem(t, a.do(req{method: "GET", target: "/customers?limit=1&cursor=" + url.QueryEscape(next), tenant: "dealer-b"}), http.StatusBadRequest, "cursor.invalid")
	})
}

func TestSearch(t *testing.T) {
	t.Parallel()
	a := newAPI(t, nil)
	c := storagetest.Full(time.Now())
	full := a.create("dealer-a", c)
	for i := range 3 {
		a.create("dealer-a", storagetest.Individual(i))
	}
	for _, q := range []url.Values{
		{"name": {"maria conc"}},
		{"phone": {"(11) 98765-4321"}},
		{"phone": {"98765-4321"}, "name": {"muller"}},
		{"tax_id": {c.TaxID.Format()}},
		{"company": {"aguas claras"}},
		{"vin": {c.Assets[0].VIN.String()}},
		{"plate": {c.Assets[0].Plate.Format()}},
		{"dms_customer": {c.DMSCode}},
		{"service_order": {c.ServiceOrders[1]}},
		{"email": {c.Emails[0].String()}},
	} {
		w := a.do(req{method: "GET", target: "/customers/search?" + q.Encode(), tenant: "dealer-a"})
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		page := decode[searchAnswer](t, w.Body.Bytes())
		if assert.Len(t, page.Items, 1, q.Encode()) {
			assert.Equal(t, full.ID, page.Items[0].ID)
			assert.NotEmpty(t, page.Items[0].Matched)
		}
		// Another tenant finds nothing.
		w = a.do(req{method: "GET", target: "/customers/search?" + q.Encode(), tenant: "dealer-b"})
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		assert.JSONEq(t, `{"items":[]}`, w.Body.String())
	}

	t.Run("paged", func(t *testing.T) {
		var n int
		cursor := ""
		for range 10 {
			target := "/customers/search?limit=1&name=silva"
			if cursor != "" {
				target += "&cursor=" + url.QueryEscape(cursor)
			}
			w := a.do(req{method: "GET", target: target, tenant: "dealer-a"})
			require.Equal(t, http.StatusOK, w.Code, w.Body.String())
			page := decode[searchAnswer](t, w.Body.Bytes())
			n += len(page.Items)
			if cursor = page.Next; cursor == "" {
				break
			}
		}
		assert.Equal(t, 3, n)
	})
	t.Run("errors", func(t *testing.T) {
		w := a.do(req{method: "GET", target: "/customers/search", tenant: "dealer-a"})
		p := problem(t, w, http.StatusBadRequest, "query.invalid")
		require.Len(t, p.Errors, 1)
		assert.Equal(t, "query.empty", p.Errors[0].Code)

		w = a.do(req{method: "GET", target: "/customers/search?tax_id=248.438.034-81&plate=XYZ-12345&email=a@@b", tenant: "dealer-a",
			header: map[string]string{"Accept-Language": "en"}})
		p = problem(t, w, http.StatusBadRequest, "query.invalid")
		var paths []string
		for _, f := range p.Errors {
			paths = append(paths, f.Path)
		}
		assert.ElementsMatch(t, []string{"tax_id", "plate", "email"}, paths)
		assert.NotContains(t, w.Body.String(), "248")
		assert.NotContains(t, w.Body.String(), "XYZ")

		problem(t, a.do(req{method: "GET", target: "/customers/search?nome=maria", tenant: "dealer-a"}), http.StatusBadRequest, "query.invalid")
		problem(t, a.do(req{method: "GET", target: "/customers/search?name=maria&limit=-1", tenant: "dealer-a"}), http.StatusBadRequest, "limit.invalid")
		problem(t, a.do(req{method: "GET", target: "/customers/search?name=maria&cursor=x", tenant: "dealer-a"}), http.StatusBadRequest, "cursor.invalid")
		w = a.do(req{method: "GET", target: "/customers/search?24843803480=1", tenant: "dealer-a"})
		problem(t, w, http.StatusBadRequest, "query.invalid")
		assert.NotContains(t, w.Body.String(), "24843803480", "a parameter's name is not repeated unless it is a name")
	})
}

func TestHistory(t *testing.T) {
	t.Parallel()
	a := newAPI(t, nil)
	c := a.post("dealer-a", storagetest.Individual(1))
	target := "/customers/" + c.ID.String()
	for i := range 3 {
		changed := storagetest.Individual(1)
		changed.Notes = "nota " + string(rune('a'+i))
		w := a.do(req{method: "PUT", target: target, tenant: "dealer-a", body: body(t, changed),
			header: map[string]string{"If-Match": `"v` + string(rune('1'+i)) + `"`, "X-Actor": "att-9"}})
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	}
	type page struct {
		Items      []storage.Change `json:"items"`
		NextBefore int64            `json:"next_before"`
	}
	w := a.do(req{method: "GET", target: target + "/history?limit=3", tenant: "dealer-a"})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	p := decode[page](t, w.Body.Bytes())
	require.Len(t, p.Items, 3)
	assert.Equal(t, storage.OpUpdate, p.Items[0].Op)
	assert.Equal(t, "att-9", p.Items[0].Actor.ID)
	require.NotZero(t, p.NextBefore)

	w = a.do(req{method: "GET", target: target + "/history?limit=3&before=" + jsonInt(p.NextBefore), tenant: "dealer-a"})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	p = decode[page](t, w.Body.Bytes())
	require.Len(t, p.Items, 1)
	assert.Equal(t, storage.OpCreate, p.Items[0].Op)
	assert.Zero(t, p.NextBefore)

	w = a.do(req{method: "GET", target: target + "/history", tenant: "dealer-b"})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.JSONEq(t, `{"items":[]}`, w.Body.String(), "another tenant sees no history")

	problem(t, a.do(req{method: "GET", target: target + "/history?before=-1", tenant: "dealer-a"}), http.StatusBadRequest, "query.invalid")
	problem(t, a.do(req{method: "GET", target: target + "/history?limit=-1", tenant: "dealer-a"}), http.StatusBadRequest, "limit.invalid")
	problem(t, a.do(req{method: "GET", target: "/customers/nope/history", tenant: "dealer-a"}), http.StatusNotFound, "not_found")
}

func jsonInt(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
