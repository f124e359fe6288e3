package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/customer/info"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/memory"
	"github.com/fichacrm/ficha/storage/storagetest"
)

type lockedAnswer struct {
	Version int64    `json:"version"`
	Locked  []string `json:"locked"`
}

func TestLocked(t *testing.T) {
	t.Parallel()
	read := func(t *testing.T, a *api, id string) lockedAnswer {
		t.Helper()
		w := a.do(req{method: "GET", target: "/customers/" + id + "/locked", tenant: "dealer-a"})
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		var got lockedAnswer
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &got))
		assert.Equal(t, etagOf(got.Version), versionOf(w.Header().Get("ETag")))
		return got
	}
	t.Run("the default policy", func(t *testing.T) {
		t.Parallel()
		a := newAPI(t, nil)
		cust := a.create("dealer-a", storagetest.Full(time.Now()))
		assert.Equal(t, lockedAnswer{Version: 1, Locked: []string{"kind", "status", "tax_id"}}, read(t, a, cust.ID.String()))
		p := storagetest.FullOther(time.Now())
		p.Status = customer.StatusProspect
		pros := a.create("dealer-a", p)
		got := read(t, a, pros.ID.String())
		assert.NotNil(t, got.Locked)
		assert.Empty(t, got.Locked, "a prospect's tax ID, kind and status may change")
	})
	t.Run("a host's policy", func(t *testing.T) {
		t.Parallel()
		store := memory.Open(&storage.Options{Policy: customer.Policies{customer.Immutable, customer.Lock{Paths: []string{"bank_references", "name"}}}})
		t.Cleanup(func() { _ = store.Close() })
		a := newAPIOver(t, store, nil)
		c := a.create("dealer-a", storagetest.Full(time.Now()))
		assert.Equal(t, []string{"name", "bank_references"}, read(t, a, c.ID.String()).Locked)
	})
	t.Run("another tenant's customer", func(t *testing.T) {
		t.Parallel()
		a := newAPI(t, nil)
		c := a.create("dealer-a", storagetest.Full(time.Now()))
		w := a.do(req{method: "GET", target: "/customers/" + c.ID.String() + "/locked", tenant: "dealer-b"})
		problem(t, w, http.StatusNotFound, "not_found")
		w = a.do(req{method: "GET", target: "/customers/" + c.ID.String() + "/locked?x=1", tenant: "dealer-a"})
		problem(t, w, http.StatusBadRequest, "query.invalid")
	})
}

type infoFieldsAnswer struct {
	Fields []struct {
		Key          string `json:"key"`
		Label        string `json:"label"`
		Section      string `json:"section"`
		SectionLabel string `json:"section_label"`
		Type         string `json:"type"`
		Options      []struct {
			Value string `json:"value"`
			Label string `json:"label"`
		} `json:"options"`
		Required bool `json:"required"`
	} `json:"fields"`
}

func TestInfoFields(t *testing.T) {
	t.Parallel()
	get := func(t *testing.T, a *api, query, lang string) infoFieldsAnswer {
		t.Helper()
		w := a.do(req{method: "GET", target: "/info/fields" + query, tenant: "dealer-a", header: map[string]string{"Accept-Language": lang}})
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		var got infoFieldsAnswer
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &got))
		return got
	}
	a := newAPI(t, nil)
	ind := get(t, a, "?kind=individual", "")
	require.Len(t, ind.Fields, len(info.Default().Fields(customer.Individual)))
	first := ind.Fields[0]
	assert.Equal(t, "spouse_name", first.Key)
	assert.Equal(t, "Nome do cônjuge", first.Label)
	assert.Equal(t, "spouse", first.Section)
	assert.Equal(t, "Cônjuge", first.SectionLabel)
	assert.Equal(t, "text", first.Type)
	var marital bool
	for _, f := range ind.Fields {
		assert.NotEqual(t, "company", f.Section, f.Key)
		if f.Key == "marital_status" {
			marital = true
			assert.Equal(t, "choice", f.Type)
			require.NotEmpty(t, f.Options)
			assert.Equal(t, "single", f.Options[0].Value)
			assert.Equal(t, "Solteiro(a)", f.Options[0].Label)
		}
	}
	assert.True(t, marital)
	en := get(t, a, "?kind=individual", "en")
	assert.Equal(t, "Spouse's name", en.Fields[0].Label)
	co := get(t, a, "?kind=company", "pt-BR")
	require.NotEmpty(t, co.Fields)
	for _, f := range co.Fields {
		assert.Equal(t, "company", f.Section, f.Key)
	}

	// The store's own table, when it has one.
	own, err := info.NewSchema(info.Field{Key: "hobby", Label: info.Label{EN: "Hobby", PT: "Passatempo"}, Section: info.SectionPersonal,
		Type: info.Text, Kinds: info.ForBoth, Required: true})
	require.NoError(t, err)
	store := memory.Open(&storage.Options{Info: own})
	t.Cleanup(func() { _ = store.Close() })
	b := newAPIOver(t, store, nil)
	got := get(t, b, "?kind=company", "")
	require.Len(t, got.Fields, 1)
	assert.Equal(t, "hobby", got.Fields[0].Key)
	assert.True(t, got.Fields[0].Required)

	for _, q := range []string{"", "?kind=robot", "?kind=company&kind=individual"} {
		w := a.do(req{method: "GET", target: "/info/fields" + q, tenant: "dealer-a"})
		assert.Equal(t, http.StatusBadRequest, w.Code, q)
	}
	w := a.do(req{method: "GET", target: "/info/fields?kind=company"})
	assert.Equal(t, http.StatusUnauthorized, w.Code)
}

// etagOf is the ETag of a version.
func etagOf(v int64) string { return `"v` + strconv.FormatInt(v, 10) + `"` }
