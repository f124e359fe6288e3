package storagebench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/agenda"
	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/date"
	"github.com/fichacrm/ficha/storage"
)

// born is mk(i) with a birth date spread over the year.
func born(i int) *customer.Customer {
	c := mk(i)
	c.BirthDate = date.MustNew(1950+i%50, time.Month(1+i%12), 1+(i/12)%28)
	return c
}

const attendants = 50

var benchDay = time.Date(2026, time.March, 3, 0, 0, 0, 0, time.UTC)

// loadHistory loads n customers and, around them, what a CRM that has run
// for a while holds: a second change of every tenth customer, an
// attendance of every fifth, an agenda item of each (50 attendants, due
// over 60 days).
func loadHistory(ctx context.Context, b *testing.B, s *storage.Store, n int) []uuid.UUID {
	ids := make([]uuid.UUID, 0, n)
	const chunk = 2000
	for start := 0; start < n; start += chunk {
		cs := make([]*customer.Customer, 0, chunk)
		for i := start; i < min(start+chunk, n); i++ {
			cs = append(cs, born(i))
		}
		res, err := s.CreateMany(ctx, tenant, cs)
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range res {
			if r.Err != nil {
				b.Fatal(r.Err)
			}
			ids = append(ids, r.Customer.ID)
		}
	}
	for i, id := range ids {
		if i%10 == 0 {
			if _, err := s.Modify(ctx, tenant, id, func(c *customer.Customer) error { c.Notes = "segunda visita"; return nil }); err != nil {
				b.Fatal(err)
			}
		}
		if i%5 == 0 {
			if _, err := s.Attend(ctx, tenant, &attendance.Attendance{CustomerID: id, Channel: attendance.Phone,
				Reason: attendance.Sales, Confirmed: attendance.Phones, At: benchDay.Add(-time.Duration(i%1000) * time.Hour)}); err != nil {
				b.Fatal(err)
			}
		}
		due := benchDay.Add(time.Duration(i%(60*24)) * time.Hour)
		if _, err := s.Schedule(ctx, tenant, &agenda.Item{CustomerID: id, Due: due, Subject: "retorno",
			Attendant: attendance.Attendant{ID: fmt.Sprintf("att-%02d", i%attendants)}}); err != nil {
			b.Fatal(err)
		}
	}
	return ids
}

// BenchmarkHistory loads each adapter (FICHA_BENCH_ADAPTERS, FICHA_BENCH_SIZES
// as BenchmarkStore) with the history loadHistory makes, then times what an
// attendant's screens ask of it: a day of agenda, a customer's history,
// 10,000 entries of the change feed, a list page newest first, a week of
// birthdays; and an update written with and without its log entry.
func BenchmarkHistory(b *testing.B) {
	eachLoaded(b, loadHistory, func(b *testing.B, s *storage.Store, ids []uuid.UUID, _ int) { runHistory(b, s, ids) })
}

func runHistory(b *testing.B, s *storage.Store, ids []uuid.UUID) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(3, 4))
	b.Run("agenda-day", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			day := date.Of(benchDay.AddDate(0, 0, rng.IntN(60)))
			if _, err := s.Day(ctx, tenant, fmt.Sprintf("att-%02d", rng.IntN(attendants)), day); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("history-first-page", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			h, err := s.History(ctx, tenant, ids[rng.IntN(len(ids))], 0, 20)
			if err != nil || len(h) == 0 {
				b.Fatal(err, len(h))
			}
		}
	})
	b.Run("changes-10k", func(b *testing.B) {
		total := int64(len(ids))
		b.ReportAllocs()
		for b.Loop() {
			after := rng.Int64N(max(total-10000, 1))
			ch, err := s.Changes(ctx, tenant, after, 10000)
			if err != nil || len(ch) == 0 {
				b.Fatal(err)
			}
		}
	})
	b.Run("list-page-newest", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.List(ctx, tenant, &storage.ListOptions{Limit: 50}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("birthdays-week", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			from := date.Of(benchDay.AddDate(0, 0, rng.IntN(365)))
			to := date.Of(from.Time(time.UTC).AddDate(0, 0, 6))
			if _, err := s.Birthdays(ctx, tenant, from, to, 50, ""); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, logged := range []bool{false, true} {
		name := "update-without-log"
		if logged {
			name = "update-with-log"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer() // only the write is timed
				id := ids[rng.IntN(len(ids))]
				c, err := s.Get(ctx, tenant, id)
				if err != nil {
					b.Fatal(err)
				}
				n := c.Clone()
				n.Notes = fmt.Sprintf("nota %d", rng.Int())
				n.Version++
				n.UpdatedAt = storage.Timestamp(time.Now())
				rec := storage.Record{Tenant: tenant, Customer: n, Keys: n.SearchKeys()}
				if logged {
					rec.Change = &storage.Change{Tenant: tenant, CustomerID: id, At: n.UpdatedAt, Op: storage.OpUpdate,
						Version: n.Version, Fields: customer.Changes(c, n)}
				}
				b.StartTimer()
				if _, err := s.Driver().Update(ctx, rec, c.Version); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
