package storagebench

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/storage"
)

// TestBulkHistoryMatchesTheStore holds the benchmark's bulk writer to the
// store: the same planned history, written once through the store and
// once by the bulk writer, reads back the same through every call the
// benchmark times, on each SQL adapter the environment provides.
func TestBulkHistoryMatchesTheStore(t *testing.T) {
	const n = 200
	for _, name := range []string{"sqlite", "postgres", "mysql"} {
		t.Run(name, func(t *testing.T) {
			open := adapters()[name]
			stores := [2]*storage.Store{}
			for k := range stores {
				clk := &clock{}
				s, _ := open(t, clk.options())
				t.Cleanup(func() { _ = s.Close() })
				ids := createAll(t.Context(), t, s, n)
				if k == 0 {
					replay(t.Context(), t, s, clk, ids)
				} else {
					require.NoError(t, bulkWriterOf(s).history(t.Context(), ids))
				}
				stores[k] = s
			}
			// same compares what read returns from both stores, in their
			// canonical JSON, and shows where they first differ.
			same := func(what string, read func(s *storage.Store) (any, error)) {
				t.Helper()
				var js [2]string
				for k, s := range stores {
					v, err := read(s)
					require.NoError(t, err, what)
					raw, err := json.Marshal(v)
					require.NoError(t, err)
					var canon any
					require.NoError(t, json.Unmarshal(raw, &canon))
					raw, err = json.Marshal(canon)
					require.NoError(t, err)
					js[k] = string(raw)
				}
				if js[0] != js[1] {
					i := 0
					for i < min(len(js[0]), len(js[1])) && js[0][i] == js[1][i] {
						i++
					}
					from := max(i-120, 0)
					t.Fatalf("%s differs at byte %d:\nstore: %s\nbulk:  %s", what, i, js[0][from:min(i+80, len(js[0]))], js[1][from:min(i+80, len(js[1]))])
				}
			}
			feed, err := stores[0].Changes(t.Context(), tenant, 0, storage.MaxLogLimit)
			require.NoError(t, err)
			assert.Greater(t, len(feed), n*9, "about ten entries a customer")
			same("the change feed", func(s *storage.Store) (any, error) { return s.Changes(t.Context(), tenant, 0, storage.MaxLogLimit) })
			same("the list", func(s *storage.Store) (any, error) {
				p, err := s.List(t.Context(), tenant, &storage.ListOptions{Limit: storage.MaxLimit})
				if err != nil {
					return nil, err
				}
				return p.Items, nil
			})
			same("the agenda", func(s *storage.Store) (any, error) {
				p, err := s.Agenda(t.Context(), tenant, &storage.AgendaOptions{Limit: storage.MaxLimit})
				if err != nil {
					return nil, err
				}
				return p.Items, nil
			})
			for i := 0; i < n; i += 7 {
				id := feed[i].CustomerID
				same("a customer", func(s *storage.Store) (any, error) { return s.Get(t.Context(), tenant, id) })
				same("a history", func(s *storage.Store) (any, error) { return s.History(t.Context(), tenant, id, 0, 20) })
				same("attendances", func(s *storage.Store) (any, error) {
					p, err := s.Attendances(t.Context(), tenant, id, 0, "")
					if err != nil {
						return nil, err
					}
					return p.Items, nil
				})
				same("freshness", func(s *storage.Store) (any, error) { return s.Freshness(t.Context(), tenant, id) })
			}
		})
	}
}
