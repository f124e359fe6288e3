package storagetest

import (
	"encoding/json"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/agenda"
	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
)

var attendant = storage.Actor{ID: "att-7", Name: "Carla Souza", App: "desk", RequestID: "req-1"}

// fieldsByPath indexes an entry's changed fields by path.
func fieldsByPath(ch storage.Change) map[string]customer.FieldChange {
	m := map[string]customer.FieldChange{}
	for _, f := range ch.Fields {
		m[f.Path] = f
	}
	return m
}

// testChangeLog checks that every write appends one entry, in its
// transaction, with the actor, the operation, the version and the fields
// it changed, old and new; that a write that changes nothing appends
// nothing and keeps the version; and that History and Changes read the
// entries back newest first and in sequence order.
func testChangeLog(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	actx := storage.WithActor(ctx(t), attendant)
	created, err := s.Create(actx, tn, Full(time.Now()))
	require.NoError(t, err)

	c := created.Clone()
	c.Phones[0] = contact.MustParsePhone("(11) 91111-2222")
	c.Notes = "ligar depois das 18h"
	saved, err := s.Save(actx, tn, c, nil)
	require.NoError(t, err)
	require.NotNil(t, saved.Change)
	assert.Equal(t, int64(2), saved.Customer.Version)
	assert.Equal(t, []string{"version", "phones[0]", "notes"}, customer.Diff(created, saved.Customer))
	f := fieldsByPath(*saved.Change)
	require.Len(t, f, 2, "only what changed is logged")
	assert.JSONEq(t, `"+5511987654321"`, string(f["phones[0]"].Old))
	assert.JSONEq(t, `"+5511911112222"`, string(f["phones[0]"].New))

	same, err := s.Save(actx, tn, saved.Customer, nil)
	require.NoError(t, err)
	assert.Nil(t, same.Change, "a write that changes nothing is not logged")
	assert.Equal(t, int64(2), same.Customer.Version, "and does not bump the version")
	unchanged, err := s.Update(ctx(t), tn, saved.Customer)
	require.NoError(t, err)
	assert.Equal(t, int64(2), unchanged.Version)

	require.NoError(t, s.Delete(ctx(t), tn, created.ID, 2))

	hist, err := s.History(ctx(t), tn, created.ID, 0, 0)
	require.NoError(t, err)
	require.Len(t, hist, 3, "create, update, delete")
	ops := []storage.Op{hist[0].Op, hist[1].Op, hist[2].Op}
	assert.Equal(t, []storage.Op{storage.OpDelete, storage.OpUpdate, storage.OpCreate}, ops, "newest first")
	assert.Equal(t, []int64{2, 2, 1}, []int64{hist[0].Version, hist[1].Version, hist[2].Version})
	assert.Equal(t, attendant, hist[1].Actor)
	assert.True(t, hist[0].Actor.IsZero(), "a write without an actor is recorded as unknown")
	assert.Equal(t, "unknown", hist[0].Actor.String())
	assert.Equal(t, saved.Change.Seq, hist[1].Seq)
	assert.True(t, hist[1].At.Equal(saved.Customer.UpdatedAt))
	for _, h := range hist {
		assert.Equal(t, tn, h.Tenant)
		assert.Equal(t, created.ID, h.CustomerID)
	}
	createdFields := fieldsByPath(hist[2])
	assert.JSONEq(t, `"Maria da Conceição Müller D'Ávila 🚗"`, string(createdFields["name"].New))
	assert.JSONEq(t, `""`, string(createdFields["name"].Old), "a creation changes each field from its zero value")
	assert.NotContains(t, createdFields, "id", "the entry carries the ID itself")
	addr, err := json.Marshal(created.Addresses[0])
	require.NoError(t, err)
	assert.Equal(t, string(addr), string(createdFields["addresses[0]"].New), "an object reads back as written, on every adapter")
	deleted := fieldsByPath(hist[0])
	assert.JSONEq(t, `"24843803480"`, string(deleted["tax_id"].Old), "a deletion keeps what the customer held")
	for _, h := range hist {
		b, err := json.Marshal(h)
		require.NoError(t, err)
		assert.NotContains(t, string(b), "5555555555554444", "card data appears only as stored")
	}

	page, err := s.History(ctx(t), tn, created.ID, 0, 2)
	require.NoError(t, err)
	require.Len(t, page, 2)
	rest, err := s.History(ctx(t), tn, created.ID, page[1].Seq, 2)
	require.NoError(t, err)
	require.Len(t, rest, 1)
	assert.Equal(t, storage.OpCreate, rest[0].Op)

	feed, err := s.Changes(ctx(t), tn, 0, 0)
	require.NoError(t, err)
	require.Len(t, feed, 3)
	for i, ch := range feed {
		assert.Equal(t, int64(i+1), ch.Seq, "a tenant's entries are numbered from 1 without gaps")
	}
	tail, err := s.Changes(ctx(t), tn, 2, 10)
	require.NoError(t, err)
	require.Len(t, tail, 1)
	assert.Equal(t, storage.OpDelete, tail[0].Op)

	_, err = s.Changes(ctx(t), tn, 0, -1)
	assert.ErrorIs(t, err, storage.ErrLimit)
	_, err = s.History(ctx(t), tn, created.ID, 0, -1)
	assert.ErrorIs(t, err, storage.ErrLimit)

	// Another tenant sees none of it, and numbers its own from 1.
	other := tenant(t)
	none, err := s.Changes(ctx(t), other, 0, 0)
	require.NoError(t, err)
	assert.Empty(t, none)
	none, err = s.History(ctx(t), other, created.ID, 0, 0)
	require.NoError(t, err)
	assert.Empty(t, none)
	_, err = s.Create(ctx(t), other, Individual(1))
	require.NoError(t, err)
	first, err := s.Changes(ctx(t), other, 0, 0)
	require.NoError(t, err)
	require.Len(t, first, 1)
	assert.Equal(t, int64(1), first[0].Seq)
}

// testChangeLogBulk checks that CreateMany logs each customer it stores,
// and nothing for those it refuses.
func testChangeLogBulk(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	batch := []*customer.Customer{Individual(1), Individual(2), Individual(1), Company(3)}
	res, err := s.CreateMany(storage.WithActor(ctx(t), storage.Actor{App: "dms-import"}), tn, batch)
	require.NoError(t, err)
	require.Error(t, res[2].Err)
	feed, err := s.Changes(ctx(t), tn, 0, 0)
	require.NoError(t, err)
	require.Len(t, feed, 3)
	ids := map[uuid.UUID]bool{}
	for i, ch := range feed {
		assert.Equal(t, int64(i+1), ch.Seq)
		assert.Equal(t, storage.OpCreate, ch.Op)
		assert.Equal(t, "dms-import", ch.Actor.App)
		ids[ch.CustomerID] = true
	}
	for _, i := range []int{0, 1, 3} {
		assert.True(t, ids[res[i].Customer.ID])
	}
}

// testRequireActor checks that a store that requires an actor refuses a
// write without one, or with one that is not valid text, and stores
// nothing.
func testRequireActor(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	_, err := s.Create(ctx(t), tn, Individual(1))
	require.ErrorIs(t, err, storage.ErrActor)
	_, err = s.Create(storage.WithActor(ctx(t), storage.Actor{Name: "Carla\x00"}), tn, Individual(1))
	require.ErrorIs(t, err, storage.ErrActor)
	n, err := s.Count(ctx(t), tn)
	require.NoError(t, err)
	assert.Zero(t, n)
	feed, err := s.Changes(ctx(t), tn, 0, 0)
	require.NoError(t, err)
	assert.Empty(t, feed)

	actx := storage.WithActor(ctx(t), attendant)
	c, err := s.Create(actx, tn, Individual(1))
	require.NoError(t, err)
	_, err = s.Attend(ctx(t), tn, &attendance.Attendance{CustomerID: c.ID, Channel: attendance.Phone, Reason: attendance.Sales})
	require.ErrorIs(t, err, storage.ErrActor, "attendances too")
	_, err = s.Schedule(ctx(t), tn, &agenda.Item{CustomerID: c.ID, Due: time.Now(), Subject: "x"})
	require.ErrorIs(t, err, storage.ErrActor, "and the agenda")
	c.Notes = "x"
	_, err = s.Update(ctx(t), tn, c)
	require.ErrorIs(t, err, storage.ErrActor)
	require.ErrorIs(t, s.Delete(ctx(t), tn, c.ID, c.Version), storage.ErrActor)
	_, err = s.Update(actx, tn, c)
	require.NoError(t, err)
}

func actorOptions() *storage.Options { return &storage.Options{RequireActor: true} }

// testChangeFeedConcurrent runs writers against one tenant while a reader
// follows the feed as an integration would, from the last number it
// handled. Every page must continue exactly where the last one ended: an
// entry that committed late and appeared below a number already read would
// be lost to the reader. At the end the reader has every write once.
func testChangeFeedConcurrent(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	const writers, each = 4, 12
	var writes atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				c, err := s.Create(ctx(t), tn, Individual(1000*w+i))
				if err != nil {
					errs <- err
					return
				}
				writes.Add(1)
				c.Notes = "segunda escrita"
				if _, err := s.Update(ctx(t), tn, c); err != nil {
					errs <- err
					return
				}
				writes.Add(1)
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	var last int64
	seen := map[int64]bool{}
	read := func() {
		page, err := s.Changes(ctx(t), tn, last, 7)
		require.NoError(t, err)
		for _, ch := range page {
			require.Equal(t, last+1, ch.Seq, "the feed continues where it stopped")
			require.False(t, seen[ch.Seq])
			seen[ch.Seq] = true
			last = ch.Seq
		}
	}
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
			read()
		}
	}
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	for {
		before := last
		read()
		if last == before {
			break
		}
	}
	assert.Equal(t, writes.Load(), last, "every write is in the feed once")
	assert.Len(t, seen, int(writes.Load()))
}

// testChangeLogAroundCustomer checks that attendances and every change of
// an agenda item are logged with the write's actor, the attendance or item
// they are about, and what changed, without bumping the customer's
// version; and that writes refused, or that change nothing, log nothing.
func testChangeLogAroundCustomer(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	actx := storage.WithActor(ctx(t), attendant)
	c, err := s.Create(actx, tn, Individual(1))
	require.NoError(t, err)
	due := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)

	a, err := s.Attend(actx, tn, &attendance.Attendance{CustomerID: c.ID, Channel: attendance.WhatsApp,
		Reason: attendance.Service, Outcome: "revisão marcada", Confirmed: attendance.Phones | attendance.Emails})
	require.NoError(t, err)
	it, err := s.Schedule(actx, tn, &agenda.Item{CustomerID: c.ID, Due: due, Subject: "confirmar revisão",
		Attendant: attendance.Attendant{ID: "att-7"}, Channel: attendance.Phone})
	require.NoError(t, err)
	other, err := s.Schedule(ctx(t), tn, &agenda.Item{CustomerID: c.ID, Due: due, Subject: "pesquisa"})
	require.NoError(t, err)

	// Refused, or changing nothing: no entry.
	_, err = s.Attend(actx, tn, &attendance.Attendance{CustomerID: customer.NewID(), Channel: attendance.Phone, Reason: attendance.Sales})
	require.ErrorIs(t, err, storage.ErrNotFound)
	_, err = s.Reschedule(actx, tn, it.ID, due, it.Version)
	require.NoError(t, err)
	_, err = s.Cancel(actx, tn, it.ID, it.Version+5)
	require.ErrorIs(t, err, storage.ErrConflict)

	moved, err := s.Reschedule(actx, tn, it.ID, due.Add(time.Hour), it.Version)
	require.NoError(t, err)
	done, err := s.Complete(actx, tn, it.ID, a.ID, moved.Version)
	require.NoError(t, err)
	_, err = s.Cancel(actx, tn, other.ID, other.Version)
	require.NoError(t, err)

	feed, err := s.Changes(ctx(t), tn, 0, 0)
	require.NoError(t, err)
	var ops []storage.Op
	for i, ch := range feed {
		ops = append(ops, ch.Op)
		assert.Equal(t, int64(i+1), ch.Seq)
		assert.Equal(t, c.ID, ch.CustomerID)
	}
	require.Equal(t, []storage.Op{storage.OpCreate, storage.OpAttend, storage.OpSchedule, storage.OpSchedule,
		storage.OpReschedule, storage.OpComplete, storage.OpCancel}, ops)
	items := []uuid.UUID{uuid.Nil, a.ID, it.ID, other.ID, it.ID, it.ID, other.ID}
	for i, ch := range feed {
		assert.Equal(t, items[i], ch.Item, "entry %d names what it is about", i+1)
		if i > 0 {
			assert.Zero(t, ch.Version, "entry %d leaves the customer's version out", i+1)
		}
	}
	assert.Equal(t, attendant, feed[1].Actor)
	assert.True(t, feed[3].Actor.IsZero(), "scheduled without an actor")

	att := fieldsByPath(feed[1])
	assert.JSONEq(t, `"whatsapp"`, string(att["attendance.channel"].New))
	assert.JSONEq(t, `"revisão marcada"`, string(att["attendance.outcome"].New))
	assert.Empty(t, att["attendance.channel"].Old)
	assert.NotContains(t, att, "attendance.id", "the entry carries the ID itself")
	assert.NotContains(t, att, "attendance.attendant", "an attendant not named is not a field set")
	sched := fieldsByPath(feed[2])
	assert.JSONEq(t, `"confirmar revisão"`, string(sched["agenda.subject"].New))
	assert.JSONEq(t, `"open"`, string(sched["agenda.status"].New))
	assert.Contains(t, sched, "agenda.due")
	assert.Equal(t, `{"id":"att-7"}`, string(sched["agenda.attendant"].New), "values read back as written, on every adapter")
	assert.NotContains(t, sched, "agenda.version")

	paths := func(ch storage.Change) []string {
		var p []string
		for _, f := range ch.Fields {
			p = append(p, f.Path)
		}
		return p
	}
	assert.Equal(t, []string{"agenda.due"}, paths(feed[4]), "a reschedule changes the due time only")
	var from, to time.Time
	require.NoError(t, json.Unmarshal(feed[4].Fields[0].Old, &from))
	require.NoError(t, json.Unmarshal(feed[4].Fields[0].New, &to))
	assert.True(t, from.Equal(due) && to.Equal(moved.Due), "from %v to %v", from, to)
	assert.Equal(t, []string{"agenda.status", "agenda.resolved_by"}, paths(feed[5]))
	assert.JSONEq(t, `"done"`, string(feed[5].Fields[0].New))
	assert.JSONEq(t, `"`+done.ResolvedBy.String()+`"`, string(feed[5].Fields[1].New))
	assert.Equal(t, []string{"agenda.status"}, paths(feed[6]))
	assert.JSONEq(t, `"cancelled"`, string(feed[6].Fields[0].New))

	hist, err := s.History(ctx(t), tn, c.ID, 0, 0)
	require.NoError(t, err)
	require.Len(t, hist, len(feed), "the customer's history holds its attendances and agenda")
	assert.Equal(t, storage.OpCancel, hist[0].Op)

	got, err := s.Get(ctx(t), tn, c.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(1), got.Version, "attendances and the agenda leave the record's version")

	// An attendance names only one of its customer's agenda items, and
	// naming one does not close it.
	d, err := s.Create(ctx(t), tn, Company(2))
	require.NoError(t, err)
	theirs, err := s.Schedule(ctx(t), tn, &agenda.Item{CustomerID: d.ID, Due: due, Subject: "frota"})
	require.NoError(t, err)
	elsewhere := tenant(t)
	e, err := s.Create(ctx(t), elsewhere, Individual(1))
	require.NoError(t, err)
	foreign, err := s.Schedule(ctx(t), elsewhere, &agenda.Item{CustomerID: e.ID, Due: due, Subject: "x"})
	require.NoError(t, err)
	for _, item := range []uuid.UUID{theirs.ID, foreign.ID, customer.NewID()} {
		_, err = s.Attend(ctx(t), tn, &attendance.Attendance{CustomerID: c.ID, Channel: attendance.Phone, Reason: attendance.Sales, AgendaItem: item})
		require.ErrorIs(t, err, storage.ErrInvalid)
	}
	mine, err := s.Schedule(ctx(t), tn, &agenda.Item{CustomerID: c.ID, Due: due, Subject: "retorno"})
	require.NoError(t, err)
	_, err = s.Attend(ctx(t), tn, &attendance.Attendance{CustomerID: c.ID, Channel: attendance.Phone, Reason: attendance.Sales, AgendaItem: mine.ID})
	require.NoError(t, err)
	still, err := s.AgendaItem(ctx(t), tn, mine.ID)
	require.NoError(t, err)
	assert.Equal(t, agenda.Open, still.Status, "naming the item does not complete it")
}
