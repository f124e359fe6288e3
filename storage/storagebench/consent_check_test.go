package storagebench

import (
	"cmp"
	"encoding/json"
	"slices"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/consent"
	"github.com/fichacrm/ficha/storage"
)

// TestBulkConsentMatchesTheStore holds the consent benchmark's bulk writer
// to the store: the same plan, recorded once through RecordConsent and
// once by the bulk writer, gives the same ledgers (but for the entries'
// IDs), the same standing states, the same campaign list and the same
// answers for every customer and every phone, on each SQL adapter the
// environment provides.
func TestBulkConsentMatchesTheStore(t *testing.T) {
	const n = 120
	for _, name := range []string{"sqlite", "postgres", "mysql"} {
		t.Run(name, func(t *testing.T) {
			open := adapters()[name]
			stores := [2]*storage.Store{}
			var ids []uuid.UUID
			for k := range stores {
				clk := &clock{}
				s, _ := open(t, consentOptions(clk)())
				t.Cleanup(func() { _ = s.Close() })
				ids = createAll(t.Context(), t, s, n)
				clk.set(benchDay)
				if k == 0 {
					require.NoError(t, recordConsents(t.Context(), s, ids, 1))
				} else {
					require.NoError(t, bulkWriterOf(s).consents(t.Context(), ids))
				}
				stores[k] = s
			}
			same := func(what string, read func(s *storage.Store) any) {
				t.Helper()
				var js [2]string
				for k, s := range stores {
					raw, err := json.Marshal(read(s))
					require.NoError(t, err)
					js[k] = string(raw)
				}
				require.Equal(t, js[0], js[1], what)
			}
			for i, id := range ids {
				same("ledger", func(s *storage.Store) any {
					l, err := s.Consents(t.Context(), tenant, id)
					require.NoError(t, err)
					// Statements made at one instant are ordered by
					// their IDs, which differ: order them by content.
					for j := range l {
						l[j].ID = uuid.Nil
					}
					slices.SortStableFunc(l, func(a, b storage.ConsentEntry) int {
						return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.Channel, b.Channel), cmp.Compare(a.Purpose, b.Purpose))
					})
					return l
				})
				same("standing", func(s *storage.Store) any {
					st, err := s.ConsentStatus(t.Context(), tenant, id)
					require.NoError(t, err)
					for j := range st {
						st[j].Entry = uuid.Nil
					}
					return st
				})
				for _, p := range born(i).Phones {
					same("suppressed", func(s *storage.Store) any {
						ok, err := s.IsSuppressed(t.Context(), tenant, consent.SMS, p.String())
						require.NoError(t, err)
						return ok
					})
				}
			}
			for _, ch := range []consent.Channel{consent.SMS, consent.WhatsApp} {
				for _, p := range consent.Purposes() {
					same("answers", func(s *storage.Store) any {
						a, err := s.MayContactMany(t.Context(), tenant, ids, ch, p)
						require.NoError(t, err)
						return a
					})
					same("campaign", func(s *storage.Store) any {
						sn, err := s.LoadSnapshot(t.Context(), tenant, ch, p)
						require.NoError(t, err)
						var out []consent.Decision
						for _, id := range ids {
							out = append(out, sn.May(id, ""))
						}
						return out
					})
				}
			}
			// The plan holds every case: granted, withdrawn and suppressed,
			// service only, nothing.
			a, err := stores[1].MayContactMany(t.Context(), tenant, ids, consent.SMS, consent.Marketing)
			require.NoError(t, err)
			reasons := map[consent.Reason]int{}
			for _, x := range a {
				reasons[x.Reason]++
			}
			require.Equal(t, 3, len(reasons), "granted, withdrawn, no record: %v", reasons)
		})
	}
}
