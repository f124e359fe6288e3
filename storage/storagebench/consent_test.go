package storagebench

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/consent"
	"github.com/fichacrm/ficha/storage"
)

// The consent plan of customer i, by i % 20: 60% granted SMS and WhatsApp
// marketing at the desk; 20% granted SMS marketing and withdrew it a
// month later (their phones go on the SMS list); 10% have service notices
// by SMS on the basis of the contract; 10% have no statement.
func consentPlan(i int, id uuid.UUID) []storage.ConsentEntry {
	at := benchDay.AddDate(0, 0, -40-i%700)
	desk := func(ch consent.Channel, p consent.Purpose, st consent.State, basis consent.Basis, when time.Time) storage.ConsentEntry {
		return storage.ConsentEntry{CustomerID: id, At: when, Statement: consent.Statement{Channel: ch, Purpose: p, State: st, Basis: basis,
			Source: consent.AtDesk, Evidence: consent.Evidence{Notice: "termo-marketing-v3"}}}
	}
	switch r := i % 20; {
	case r < 12:
		return []storage.ConsentEntry{desk(consent.SMS, consent.Marketing, consent.Granted, consent.BasisConsent, at),
			desk(consent.WhatsApp, consent.Marketing, consent.Granted, consent.BasisConsent, at)}
	case r < 16:
		return []storage.ConsentEntry{desk(consent.SMS, consent.Marketing, consent.Granted, consent.BasisConsent, at),
			desk(consent.SMS, consent.Marketing, consent.Withdrawn, consent.BasisConsent, at.AddDate(0, 1, 0))}
	case r < 18:
		return []storage.ConsentEntry{desk(consent.SMS, consent.Service, consent.Granted, consent.BasisContract, at)}
	}
	return nil
}

// benchKey keys the suppression list of the consent benchmark, so that
// the bulk writer computes the fingerprints the store would.
var benchKey = []byte("the consent benchmark's own key")

// consentOptions are the store options of the consent benchmark.
func consentOptions(clk *clock) func() *storage.Options {
	return func() *storage.Options {
		o := clk.options()
		o.SuppressionKey = benchKey
		return o
	}
}

// recordConsents records the plan through the store, the path a desk
// takes: writers at once.
func recordConsents(ctx context.Context, s *storage.Store, ids []uuid.UUID, writers int) error {
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Go(func() {
			for i := w; i < len(ids); i += writers {
				plan := consentPlan(i, ids[i])
				if len(plan) == 0 {
					continue
				}
				if _, err := s.RecordConsent(ctx, tenant, plan...); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// loadConsent creates n customers and records their consents: through the
// store for the memory adapter, straight into the tables for the SQL ones
// (bulkWriter.consents, which TestBulkConsentMatchesTheStore holds to
// what the store writes); unless a run before did (FICHA_BENCH_DIR,
// FICHA_BENCH_SCHEMA).
func loadConsent(clk *clock) func(ctx context.Context, b *testing.B, s *storage.Store, n int) []uuid.UUID {
	return func(ctx context.Context, b *testing.B, s *storage.Store, n int) []uuid.UUID {
		clk.set(benchDay)
		have, err := s.Count(ctx, tenant)
		if err != nil {
			b.Fatal(err)
		}
		var ids []uuid.UUID
		switch have {
		case 0:
			ids = createAll(ctx, b, s, n)
		case int64(n):
			ids = idsFor(n)
			if page, err := s.Reachable(ctx, tenant, consent.SMS, consent.Marketing, 1, ""); err != nil {
				b.Fatal(err)
			} else if len(page.Items) > 0 {
				b.Logf("reusing the %d customers and their consents loaded before", n)
				return ids
			}
		default:
			b.Fatalf("the database holds %d customers, not 0 or %d", have, n)
		}
		start := time.Now()
		if bw := bulkWriterOf(s); bw != nil {
			if err := bw.consents(ctx, ids); err != nil {
				b.Fatal(err)
			}
		} else if err := recordConsents(ctx, s, ids, 4); err != nil {
			b.Fatal(err)
		}
		b.Logf("recorded the consents of %d customers in %v", n, time.Since(start).Round(time.Second))
		return ids
	}
}

// BenchmarkConsent loads each adapter (FICHA_BENCH_ADAPTERS,
// FICHA_BENCH_SIZES as BenchmarkStore) with customers and their consents
// (consentPlan), then times what a sending system asks: one decision, a
// batch of 1,000 decisions, a page of the campaign list, and a decision
// from a loaded snapshot (with the time the snapshot took to load).
func BenchmarkConsent(b *testing.B) {
	clk := &clock{}
	eachLoaded(b, consentOptions(clk), loadConsent(clk), runConsent)
}

func runConsent(b *testing.B, s *storage.Store, ids []uuid.UUID, n int) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(5, 6))
	b.Run("may-contact", func(b *testing.B) {
		allowed := 0
		b.ReportAllocs()
		for b.Loop() {
			d, err := s.MayContact(ctx, tenant, ids[rng.IntN(n)], "", consent.SMS, consent.Marketing)
			if err != nil {
				b.Fatal(err)
			}
			if d.Allowed {
				allowed++
			}
		}
		b.ReportMetric(float64(allowed)/float64(b.N), "allowed/op")
	})
	b.Run("may-contact-many-1000", func(b *testing.B) {
		batch := make([]uuid.UUID, storage.MaxBatch)
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			for i := range batch {
				batch[i] = ids[rng.IntN(n)]
			}
			b.StartTimer()
			if _, err := s.MayContactMany(ctx, tenant, batch, consent.SMS, consent.Marketing); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*storage.MaxBatch), "ns/answer")
	})
	b.Run("reachable-page-100", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			page, err := s.Reachable(ctx, tenant, consent.SMS, consent.Marketing, 100, "")
			if err != nil || len(page.Items) == 0 {
				b.Fatal(err)
			}
		}
	})
	b.Run("snapshot-may", func(b *testing.B) {
		// Loading the snapshot is timed once, not per answer: at 1M it
		// takes seconds.
		start := time.Now()
		snap, err := s.LoadSnapshot(ctx, tenant, consent.SMS, consent.Marketing)
		if err != nil {
			b.Fatal(err)
		}
		load := time.Since(start)
		allowed := 0
		b.ReportAllocs()
		for b.Loop() {
			if snap.May(ids[rng.IntN(n)], "").Allowed {
				allowed++
			}
		}
		b.ReportMetric(float64(allowed)/float64(b.N), "allowed/op")
		b.ReportMetric(load.Seconds(), "load-s")
		b.ReportMetric(float64(snap.Len()), "subjects")
	})
}

// consents writes the consent plan of customers ids straight into the
// tables, as RecordConsent would leave them: the ledger, the states that
// stand, and the SMS suppression list for those who withdrew.
func (w *bulkWriter) consents(ctx context.Context, ids []uuid.UUID) error {
	entryCols := []string{"tenant", "id", "customer_id", "contact", "channel", "purpose", "state", "basis", "source", "notice", "reference",
		"stated_at", "recorded_at", "actor_id", "actor_name", "actor_app", "request_id"}
	stateCols := []string{"tenant", "customer_id", "contact", "channel", "purpose", "state", "basis", "stated_at", "entry_id"}
	supCols := []string{"tenant", "channel", "fingerprint", "since", "source"}
	const chunk = 5000
	seen := map[string]bool{}
	for start := 0; start < len(ids); start += chunk {
		var entries, states, sups [][]any
		for i := start; i < min(start+chunk, len(ids)); i++ {
			rng := rand.New(rand.NewPCG(uint64(i), 0xc0))
			plan := consentPlan(i, ids[i])
			standing := map[[2]string]storage.ConsentEntry{}
			var order [][2]string
			for _, e := range plan {
				e.ID, e.RecordedAt = idFrom(rng), benchDay
				entries = append(entries, []any{tenant, e.ID.String(), e.CustomerID.String(), "", e.Channel.String(), string(e.Purpose),
					e.State.String(), e.Basis.String(), string(e.Source), e.Evidence.Notice, "", w.ts(e.At), w.ts(e.RecordedAt), "", "", "", ""})
				k := [2]string{e.Channel.String(), string(e.Purpose)}
				if cur, ok := standing[k]; !ok || e.Supersedes(&cur) {
					if !ok {
						order = append(order, k)
					}
					standing[k] = e
				}
			}
			smsGranted, smsRefused := false, time.Time{}
			for _, k := range order {
				e := standing[k]
				states = append(states, []any{tenant, e.CustomerID.String(), "", k[0], k[1], e.State.String(), e.Basis.String(), w.ts(e.At), e.ID.String()})
				if e.Channel == consent.SMS {
					if e.State == consent.Granted {
						smsGranted = true
					} else {
						smsRefused = e.At
					}
				}
			}
			if !smsGranted && !smsRefused.IsZero() {
				for _, p := range born(i).Phones {
					fp := consent.Fingerprint(benchKey, tenant, consent.PhoneAddress, p.Main().String())
					sups = append(sups, []any{tenant, consent.SMS.String(), fp, w.ts(smsRefused), string(consent.AtDesk)})
				}
			}
		}
		err := w.inTx(ctx, func(tx *sql.Tx) error {
			if err := w.insert(ctx, tx, "consent_entries", entryCols, entries); err != nil {
				return err
			}
			if err := w.insert(ctx, tx, "consent_state", stateCols, states); err != nil {
				return err
			}
			return w.insert(ctx, tx, "suppressions", supCols, dedupe(seen, sups))
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// dedupe drops suppression rows whose channel and fingerprint came
// before (two customers with one phone).
func dedupe(seen map[string]bool, rows [][]any) [][]any {
	out := rows[:0]
	for _, r := range rows {
		k := r[1].(string) + "/" + r[2].(string)
		if !seen[k] {
			seen[k] = true
			out = append(out, r)
		}
	}
	return out
}
