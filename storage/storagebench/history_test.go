package storagebench

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/agenda"
	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/date"
	"github.com/fichacrm/ficha/storage"
)

// The history of a CRM that has run for two years, per customer (the
// ratios the history issue names): five attendances, two agenda items, one
// edit of the record, and the change-log entries all of that writes, about
// ten. Each attendant has about twenty items a day, so the number of
// attendants grows with the number of customers.
const (
	attendsEach = 5
	itemsEach   = 2
	itemsPerDay = 20
	agendaDays  = 365 // the agenda spans the year around benchDay
)

var (
	// bornAt is the store's clock while the customers are created.
	bornAt = time.Date(2024, time.March, 1, 12, 0, 0, 0, time.UTC)
	// benchDay is "today" for the agenda: half of it is past, half ahead;
	// the history runs from bornAt to benchDay.
	benchDay = time.Date(2026, time.March, 3, 0, 0, 0, 0, time.UTC)
)

// attendantsFor is how many attendants n customers keep busy.
func attendantsFor(n int) int { return max(1, itemsEach*n/(itemsPerDay*agendaDays)) }

func attendantID(k int) string { return fmt.Sprintf("att-%03d", k) }

// born is mk(i) with a birth date spread over the year.
func born(i int) *customer.Customer {
	c := mk(i)
	c.BirthDate = date.MustNew(1950+i%50, time.Month(1+i%12), 1+(i/12)%28)
	return c
}

// itemPlan is one agenda item's life: scheduled, perhaps moved once, then
// done, cancelled or still open.
type itemPlan struct {
	item        agenda.Item // as scheduled
	movedAt     time.Time   // zero when never moved
	due         time.Time   // the due time in the end
	closedAt    time.Time   // zero while open
	final       agenda.Status
	attendantAt time.Time
}

// plan is what happens to customer i after its creation.
type plan struct {
	atts     [attendsEach]attendance.Attendance
	items    [itemsEach]itemPlan
	updateAt time.Time
	notes    string
}

// between returns a time in [from, to), to the microsecond; from when the
// range is empty.
func between(rng *rand.Rand, from, to time.Time) time.Time {
	if !to.After(from) {
		return from
	}
	return from.Add(time.Duration(rng.Int64N(int64(to.Sub(from)/time.Microsecond))) * time.Microsecond)
}

// later and earlier return the later and the earlier of two times.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// idFrom makes a random (version 4) UUID from rng.
func idFrom(rng *rand.Rand) uuid.UUID {
	var id uuid.UUID
	for i := range id {
		id[i] = byte(rng.Uint32())
	}
	id[6] = id[6]&0x0f | 0x40
	id[8] = id[8]&0x3f | 0x80
	return id
}

var (
	channels = []attendance.Channel{attendance.InPerson, attendance.Phone, attendance.WhatsApp, attendance.Email}
	reasons  = []attendance.Reason{attendance.Sales, attendance.Service, attendance.Parts, attendance.Financing}
)

// planFor returns customer i's plan, the same on every call: the
// benchmark regenerates it instead of holding a million of them.
func planFor(i, n int, id uuid.UUID) plan {
	rng := rand.New(rand.NewPCG(uint64(i), 0x5eed))
	var p plan
	start := bornAt.Add(time.Hour)
	for k := range p.atts {
		a := attendance.Attendance{ID: idFrom(rng), CustomerID: id, At: between(rng, start, benchDay),
			Attendant: attendance.Attendant{ID: attendantID(rng.IntN(attendantsFor(n)))},
			Channel:   channels[rng.IntN(len(channels))], Reason: reasons[rng.IntN(len(reasons))]}
		if rng.IntN(2) == 0 {
			a.Confirmed |= attendance.Phones
		}
		if rng.IntN(10) < 3 {
			a.Confirmed |= attendance.Emails
		}
		if k == 0 {
			a.Outcome = "retorno agendado"
		}
		p.atts[k] = a
	}
	for k := range p.items {
		ip := &p.items[k]
		day := benchDay.AddDate(0, 0, rng.IntN(agendaDays)-agendaDays/2)
		// Business hours in São Paulo: 08:00 to 18:00, 11:00 to 21:00 UTC.
		due := day.Add(11*time.Hour + time.Duration(rng.IntN(600))*time.Minute)
		ip.due = due
		first := due
		moved := rng.IntN(3) == 0
		if moved {
			first = due.Add(-48 * time.Hour)
		}
		scheduled := earlier(later(first.Add(-time.Duration(1+rng.IntN(30))*24*time.Hour), start), benchDay)
		ip.item = agenda.Item{ID: idFrom(rng), CustomerID: id, Due: first, Subject: "retorno",
			Attendant: attendance.Attendant{ID: attendantID((i*itemsEach + k) % attendantsFor(n))}, Channel: attendance.Phone}
		ip.attendantAt = scheduled
		if moved {
			ip.movedAt = between(rng, scheduled, earlier(first, benchDay))
			if !ip.movedAt.After(scheduled) {
				ip.movedAt = scheduled.Add(time.Microsecond)
			}
		}
		ip.final = agenda.Open
		if due.Before(benchDay) {
			switch r := rng.IntN(20); {
			case r < 15:
				ip.final = agenda.Done
			case r < 17:
				ip.final = agenda.Cancelled
			}
		}
		if ip.final != agenda.Open {
			ip.closedAt = later(due.Add(time.Duration(rng.IntN(120))*time.Minute), ip.movedAt.Add(time.Microsecond))
		}
	}
	p.updateAt = between(rng, start, benchDay)
	p.notes = fmt.Sprintf("visitou a loja; nota %d", rng.IntN(1000))
	return p
}

// Kinds of event, in the order a customer's same-instant events go.
const (
	evAttend uint8 = iota
	evSchedule
	evMove
	evClose
	evUpdate
)

// event is one write of the history, as small as a million customers'
// ten events each allow.
type event struct {
	at   int64 // Unix microseconds
	cust int32
	kind uint8
	k    uint8
}

// events returns every customer's writes after its creation, in the
// order they happen (then by customer, kind, index).
func events(ids []uuid.UUID) []event {
	out := make([]event, 0, len(ids)*11)
	for i, id := range ids {
		p := planFor(i, len(ids), id)
		add := func(t time.Time, kind uint8, k int) {
			out = append(out, event{at: t.UnixMicro(), cust: int32(i), kind: kind, k: uint8(k)})
		}
		for k, a := range p.atts {
			add(a.At, evAttend, k)
		}
		for k, ip := range p.items {
			add(ip.attendantAt, evSchedule, k)
			if !ip.movedAt.IsZero() {
				add(ip.movedAt, evMove, k)
			}
			if !ip.closedAt.IsZero() {
				add(ip.closedAt, evClose, k)
			}
		}
		add(p.updateAt, evUpdate, 0)
	}
	slices.SortFunc(out, func(a, b event) int {
		return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.cust, b.cust), cmp.Compare(a.kind, b.kind), cmp.Compare(a.k, b.k))
	})
	return out
}

// actorOf is who writes an event: the attendant, at the desk.
func actorOf(who attendance.Attendant) storage.Actor { return storage.Actor{ID: who.ID, App: "desk"} }

// clock is the store's clock while history is loaded: each write happens
// at its event's time.
type clock struct{ at atomic.Int64 }

func (c *clock) now() time.Time  { return time.UnixMicro(c.at.Load()).UTC() }
func (c *clock) set(t time.Time) { c.at.Store(t.UnixMicro()) }
func (c *clock) options() *storage.Options {
	c.set(bornAt)
	return &storage.Options{Now: c.now}
}

// idOf is customer i's ID.
func idOf(i int) uuid.UUID { return idFrom(rand.New(rand.NewPCG(uint64(i), 0x1d))) }

// idsFor is the IDs of customers 0..n-1.
func idsFor(n int) []uuid.UUID {
	ids := make([]uuid.UUID, n)
	for i := range ids {
		ids[i] = idOf(i)
	}
	return ids
}

// createAll creates the n customers, at bornAt on the store's clock, each
// with the ID its index gives it.
func createAll(ctx context.Context, b testing.TB, s *storage.Store, n int) []uuid.UUID {
	return createEach(ctx, b, s, n, func(i int) *customer.Customer {
		c := born(i)
		c.ID = idOf(i)
		return c
	})
}

// replay writes the history through the store, one call per event, each
// at its time: what the bulk writer must match.
func replay(ctx context.Context, tb testing.TB, s *storage.Store, clk *clock, ids []uuid.UUID) {
	versions := map[uuid.UUID]int64{}
	for _, e := range events(ids) {
		id := ids[e.cust]
		p := planFor(int(e.cust), len(ids), id)
		clk.set(time.UnixMicro(e.at))
		var err error
		switch e.kind {
		case evAttend:
			a := p.atts[e.k]
			_, err = s.Attend(storage.WithActor(ctx, actorOf(a.Attendant)), tenant, &a)
		case evSchedule:
			ip := p.items[e.k]
			_, err = s.Schedule(storage.WithActor(ctx, actorOf(ip.item.Attendant)), tenant, &ip.item)
			versions[ip.item.ID] = 1
		case evMove:
			ip := p.items[e.k]
			_, err = s.Reschedule(storage.WithActor(ctx, actorOf(ip.item.Attendant)), tenant, ip.item.ID, ip.due, versions[ip.item.ID])
			versions[ip.item.ID]++
		case evClose:
			ip := p.items[e.k]
			actx := storage.WithActor(ctx, actorOf(ip.item.Attendant))
			if ip.final == agenda.Done {
				_, err = s.Complete(actx, tenant, ip.item.ID, uuid.Nil, versions[ip.item.ID])
			} else {
				_, err = s.Cancel(actx, tenant, ip.item.ID, versions[ip.item.ID])
			}
			versions[ip.item.ID]++
		case evUpdate:
			_, err = s.Modify(storage.WithActor(ctx, storage.Actor{ID: "att-000", App: "desk"}), tenant, id,
				func(c *customer.Customer) error { c.Notes = p.notes; return nil })
		}
		if err != nil {
			tb.Fatalf("event %+v: %v", e, err)
		}
	}
}

// loadHistory creates n customers and writes their history: through the
// store for the memory adapter, straight into the tables for the SQL ones
// (bulkHistory, which TestBulkHistoryMatchesTheStore holds to what the
// store writes).
func loadHistory(clk *clock) func(ctx context.Context, b *testing.B, s *storage.Store, n int) []uuid.UUID {
	return func(ctx context.Context, b *testing.B, s *storage.Store, n int) []uuid.UUID {
		if have, err := s.Count(ctx, tenant); err != nil {
			b.Fatal(err)
		} else if have == int64(n) {
			// A database a run before loaded (FICHA_BENCH_DIR,
			// FICHA_BENCH_SCHEMA): the IDs are the ones createAll gives.
			b.Logf("reusing the %d customers loaded before", n)
			clk.set(benchDay)
			return idsFor(n)
		} else if have != 0 {
			b.Fatalf("the database holds %d customers, not 0 or %d", have, n)
		}
		ids := createAll(ctx, b, s, n)
		if bw := bulkWriterOf(s); bw != nil {
			if err := bw.history(ctx, ids); err != nil {
				b.Fatal(err)
			}
		} else {
			replay(ctx, b, s, clk, ids)
		}
		clk.set(benchDay)
		return ids
	}
}

// BenchmarkHistory loads each adapter (FICHA_BENCH_ADAPTERS, FICHA_BENCH_SIZES
// as BenchmarkStore) with the history loadHistory makes, then times what an
// attendant's screens ask of it: a day of agenda, a customer's history,
// 10,000 entries of the change feed, a list page newest first, a week of
// birthdays; and an update written with and without its log entry.
func BenchmarkHistory(b *testing.B) {
	clk := &clock{}
	eachLoaded(b, clk.options, loadHistory(clk), func(b *testing.B, s *storage.Store, ids []uuid.UUID, n int) {
		runHistory(b, s, ids, n)
	})
}

func runHistory(b *testing.B, s *storage.Store, ids []uuid.UUID, n int) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(3, 4))
	total, err := s.Changes(ctx, tenant, 0, 1)
	if err != nil || len(total) == 0 {
		b.Fatal(err)
	}
	b.Run("agenda-day", func(b *testing.B) {
		items := 0
		b.ReportAllocs()
		for b.Loop() {
			day := date.Of(benchDay.AddDate(0, 0, rng.IntN(agendaDays)-agendaDays/2))
			got, err := s.Day(ctx, tenant, attendantID(rng.IntN(attendantsFor(n))), day)
			if err != nil {
				b.Fatal(err)
			}
			items += len(got)
		}
		b.ReportMetric(float64(items)/float64(b.N), "items/op")
	})
	// The whole dealership's week, every attendant's items in due order:
	// a manager's view, the first page.
	b.Run("agenda-week-all", func(b *testing.B) {
		items := 0
		b.ReportAllocs()
		for b.Loop() {
			from := benchDay.AddDate(0, 0, rng.IntN(agendaDays)-agendaDays/2)
			p, err := s.Agenda(ctx, tenant, &storage.AgendaOptions{From: from, To: from.AddDate(0, 0, 7), Limit: 50})
			if err != nil {
				b.Fatal(err)
			}
			items += len(p.Items)
		}
		b.ReportMetric(float64(items)/float64(b.N), "items/op")
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
	entries := int64(len(ids)) * 10
	b.Run("changes-10k", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			after := rng.Int64N(max(entries-10000, 1))
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
