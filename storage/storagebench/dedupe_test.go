package storagebench

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/internal/fold"
	"github.com/fichacrm/ficha/storage"
)

// dupEvery is how often the duplicate benchmarks' data holds a duplicate:
// one customer in dupEvery was also typed at the showroom as a prospect.
const dupEvery = 100

// showroomCopy returns the prospect an attendant would have typed for
// customer i: the name in capitals without accents, the phone and e-mail,
// no CPF, vehicle or DMS codes.
func showroomCopy(i int) *customer.Customer {
	c := mk(i).Clone()
	c.TaxID, c.Status = customer.TaxID{}, customer.StatusProspect
	c.Name = strings.ToUpper(fold.String(c.Name))
	c.Assets, c.DMSCode, c.ServiceOrders, c.Contacts = nil, "", nil, nil
	return c
}

// loadWithDuplicates loads n customers, then a showroom copy of every
// dupEvery-th; it returns the customers' IDs (not the copies').
func loadWithDuplicates(ctx context.Context, b *testing.B, s *storage.Store, n int) []uuid.UUID {
	ids := load(ctx, b, s, n)
	var cs []*customer.Customer
	for i := 0; i < n; i += dupEvery {
		cs = append(cs, showroomCopy(i))
		if len(cs) == 2000 || i+dupEvery >= n {
			res, err := s.CreateMany(ctx, tenant, cs)
			if err != nil {
				b.Fatal(err)
			}
			for _, r := range res {
				if r.Err != nil {
					b.Fatal(r.Err)
				}
			}
			cs = cs[:0]
		}
	}
	return ids
}

// BenchmarkDuplicates loads each adapter with N customers, one in a
// hundred typed twice, and times the desk's check of one customer
// (Store.Duplicates) and the check before a create (Store.LooksLike).
func BenchmarkDuplicates(b *testing.B) {
	eachLoaded(b, nil, loadWithDuplicates, func(b *testing.B, s *storage.Store, ids []uuid.UUID, n int) {
		ctx := context.Background()
		rng := rand.New(rand.NewPCG(3, 4))
		b.Run("desk-check", func(b *testing.B) {
			b.ReportAllocs()
			found := 0
			for b.Loop() {
				i := rng.IntN(n/dupEvery) * dupEvery
				cands, err := s.Duplicates(ctx, tenant, ids[i], nil)
				if err != nil {
					b.Fatal(err)
				}
				found += len(cands)
			}
			if found == 0 {
				b.Fatal("no duplicate found")
			}
		})
		b.Run("before-create", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				probe := showroomCopy(rng.IntN(n))
				if _, err := s.LooksLike(ctx, tenant, probe, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}

// BenchmarkScanDuplicates times a scan of the whole tenant; run it with
// -benchtime 1x. It reports the customers looked at per second and the
// pairs found (N/100 expected).
func BenchmarkScanDuplicates(b *testing.B) {
	eachLoaded(b, nil, loadWithDuplicates, func(b *testing.B, s *storage.Store, ids []uuid.UUID, n int) {
		ctx := context.Background()
		b.ReportAllocs()
		pairs := 0
		for b.Loop() {
			pairs = 0
			for _, err := range s.ScanDuplicates(ctx, tenant, nil) {
				if err != nil {
					b.Fatal(err)
				}
				pairs++
			}
		}
		b.ReportMetric(float64(pairs), "pairs")
		b.ReportMetric(float64(b.N)*float64(n+n/dupEvery)/b.Elapsed().Seconds(), "customers/s")
	})
}

// BenchmarkUpsert times the write of an import: batches of 1,000 new
// customers through Store.Upsert (by CPF/CNPJ), into a store that holds N
// already, and reports the rows written per second.
func BenchmarkUpsert(b *testing.B) {
	eachLoaded(b, nil, load, func(b *testing.B, s *storage.Store, ids []uuid.UUID, n int) {
		ctx := context.Background()
		const batch = 1000
		next := 60_000_000
		b.ReportAllocs()
		for b.Loop() {
			cs := make([]*customer.Customer, batch)
			for i := range cs {
				cs[i] = mk(next)
				next++
			}
			rs, err := s.Upsert(ctx, tenant, cs, nil)
			if err != nil {
				b.Fatal(err)
			}
			for _, r := range rs {
				if r.Err != nil {
					b.Fatal(r.Err)
				}
			}
		}
		b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "rows/s")
	})
}
