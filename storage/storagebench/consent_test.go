package storagebench

import (
	"context"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/consent"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/sqlstore"
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

// loadConsent creates n customers and records their consents through the
// store, the path a desk takes (several writers at once on a server
// database), unless a run before did (FICHA_BENCH_DIR, FICHA_BENCH_SCHEMA).
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
		writers := 4
		if isSQLite(s) {
			writers = 1
		}
		start := time.Now()
		var wg sync.WaitGroup
		errs := make(chan error, writers)
		for w := range writers {
			wg.Go(func() {
				for i := w; i < n; i += writers {
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
		if err := <-errs; err != nil {
			b.Fatal(err)
		}
		b.Logf("recorded the consents of %d customers in %v", n, time.Since(start).Round(time.Second))
		return ids
	}
}

// isSQLite reports whether the store runs on SQLite, which has one writer.
func isSQLite(s *storage.Store) bool {
	d, ok := s.Driver().(*sqlstore.Driver)
	return ok && d.Dialect().Name() == "sqlite"
}

// BenchmarkConsent loads each adapter (FICHA_BENCH_ADAPTERS,
// FICHA_BENCH_SIZES as BenchmarkStore) with customers and their consents
// (consentPlan), then times what a sending system asks: one decision, a
// batch of 1,000 decisions, a decision from a loaded snapshot, loading
// that snapshot, and a page of the campaign list.
func BenchmarkConsent(b *testing.B) {
	clk := &clock{}
	eachLoaded(b, clk.options, loadConsent(clk), runConsent)
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
	var snap *storage.Snapshot
	b.Run("snapshot-load", func(b *testing.B) {
		for b.Loop() {
			var err error
			if snap, err = s.LoadSnapshot(ctx, tenant, consent.SMS, consent.Marketing); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(snap.Len()), "subjects")
	})
	b.Run("snapshot-may", func(b *testing.B) {
		if snap == nil {
			b.Skip("no snapshot loaded")
		}
		allowed := 0
		b.ReportAllocs()
		for b.Loop() {
			if snap.May(ids[rng.IntN(n)], "").Allowed {
				allowed++
			}
		}
		b.ReportMetric(float64(allowed)/float64(b.N), "allowed/op")
	})
}
