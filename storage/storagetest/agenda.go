package storagetest

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/agenda"
	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/date"
	"github.com/fichacrm/ficha/storage"
)

// testAgenda checks scheduling, an attendant's day in the dealership's
// zone, rescheduling with its history, completion linked to an attendance,
// cancellation, the overdue list, a customer's open items, paging, and
// tenant isolation.
func testAgenda(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	now := time.UnixMicro(attendClock.Load()).UTC() // 2031-01-10 12:00 UTC, 09:00 in São Paulo
	c, err := s.Create(ctx(t), tn, Individual(1))
	require.NoError(t, err)
	d, err := s.Create(ctx(t), tn, Company(2))
	require.NoError(t, err)
	ana := attendance.Attendant{ID: "ana", Name: "Ana"}
	bia := attendance.Attendant{ID: "bia", Name: "Bia"}
	sched := func(cust uuid.UUID, who attendance.Attendant, due time.Time, subject string) *agenda.Item {
		t.Helper()
		it, err := s.Schedule(ctx(t), tn, &agenda.Item{CustomerID: cust, Attendant: who, Due: due, Subject: subject, Channel: attendance.Phone})
		require.NoError(t, err)
		assert.Equal(t, agenda.Open, it.Status)
		assert.Equal(t, int64(1), it.Version)
		return it
	}
	// Times in UTC; São Paulo is three hours behind.
	late := sched(c.ID, ana, time.Date(2031, 1, 11, 2, 30, 0, 0, time.UTC), "ligar sobre a revisão") // 23:30 on the 10th there
	early := sched(d.ID, ana, time.Date(2031, 1, 10, 3, 0, 0, 0, time.UTC), "confirmar frota")       // 00:00 on the 10th
	past := sched(c.ID, ana, now.Add(-2*time.Hour), "retorno do orçamento")
	sched(c.ID, ana, time.Date(2031, 1, 11, 3, 0, 0, 0, time.UTC), "amanhã") // 00:00 on the 11th
	sched(d.ID, bia, now.Add(time.Hour), "visita")

	day, err := s.Day(ctx(t), tn, "ana", date.MustNew(2031, time.January, 10))
	require.NoError(t, err)
	var subjects []string
	for _, it := range day {
		subjects = append(subjects, it.Subject)
	}
	assert.Equal(t, []string{early.Subject, past.Subject, late.Subject}, subjects, "the day in São Paulo, in due order")

	// Reschedule keeps the history.
	actx := storage.WithActor(ctx(t), storage.Actor{ID: "ana", Name: "Ana"})
	moved, err := s.Reschedule(actx, tn, late.ID, late.Due.Add(24*time.Hour), late.Version)
	require.NoError(t, err)
	assert.Equal(t, int64(2), moved.Version)
	require.Len(t, moved.Reschedules, 1)
	assert.True(t, moved.Reschedules[0].From.Equal(late.Due))
	assert.True(t, moved.Reschedules[0].To.Equal(moved.Due))
	assert.Equal(t, "Ana", moved.Reschedules[0].By)
	_, err = s.Reschedule(ctx(t), tn, late.ID, late.Due, late.Version)
	assert.ErrorIs(t, err, storage.ErrConflict, "a stale copy")
	same, err := s.Reschedule(ctx(t), tn, late.ID, moved.Due, moved.Version)
	require.NoError(t, err)
	assert.Equal(t, moved, same, "a move to the same time writes nothing")
	got, err := s.AgendaItem(ctx(t), tn, late.ID)
	require.NoError(t, err)
	assert.Equal(t, moved, got)

	// Overdue: Ana's open items due before now.
	over, err := s.Overdue(ctx(t), tn, "ana", 0, "")
	require.NoError(t, err)
	require.Len(t, over.Items, 2)
	assert.Equal(t, early.ID, over.Items[0].ID)
	assert.Equal(t, past.ID, over.Items[1].ID)

	// Complete with the attendance that did it.
	att, err := s.Attend(ctx(t), tn, &attendance.Attendance{CustomerID: c.ID, Channel: attendance.Phone, Reason: attendance.Service, AgendaItem: past.ID})
	require.NoError(t, err)
	done, err := s.Complete(ctx(t), tn, past.ID, att.ID, past.Version)
	require.NoError(t, err)
	assert.Equal(t, agenda.Done, done.Status)
	assert.Equal(t, att.ID, done.ResolvedBy)
	_, err = s.Complete(ctx(t), tn, past.ID, att.ID, done.Version)
	assert.ErrorIs(t, err, storage.ErrInvalid, "done already")
	_, err = s.Complete(ctx(t), tn, early.ID, att.ID, early.Version)
	assert.ErrorIs(t, err, storage.ErrInvalid, "an attendance of another customer")
	cancelled, err := s.Cancel(ctx(t), tn, early.ID, early.Version)
	require.NoError(t, err)
	assert.Equal(t, agenda.Cancelled, cancelled.Status)

	open, err := s.OpenItems(ctx(t), tn, c.ID)
	require.NoError(t, err)
	require.Len(t, open, 2)
	assert.Equal(t, "amanhã", open[0].Subject)
	assert.Equal(t, moved.ID, open[1].ID)

	// Paging the whole agenda.
	var all []uuid.UUID
	o := storage.AgendaOptions{Limit: 2}
	for {
		p, err := s.Agenda(ctx(t), tn, &o)
		require.NoError(t, err)
		for _, it := range p.Items {
			all = append(all, it.ID)
		}
		if p.Next == "" {
			break
		}
		o.Cursor = p.Next
	}
	assert.Len(t, all, 5)
	_, err = s.Agenda(ctx(t), tn, &storage.AgendaOptions{Attendant: "bia", Cursor: o.Cursor})
	if o.Cursor != "" {
		assert.ErrorIs(t, err, storage.ErrCursor, "a cursor belongs to its filters")
	}

	// Errors and isolation.
	_, err = s.Schedule(ctx(t), tn, &agenda.Item{CustomerID: uuid.New(), Due: now, Subject: "x"})
	assert.ErrorIs(t, err, storage.ErrNotFound)
	_, err = s.Schedule(ctx(t), tenant(t), &agenda.Item{CustomerID: c.ID, Due: now, Subject: "x"})
	assert.ErrorIs(t, err, storage.ErrNotFound, "another tenant's customer")
	_, err = s.Schedule(ctx(t), tn, &agenda.Item{CustomerID: c.ID, Subject: "x"})
	assert.ErrorIs(t, err, storage.ErrInvalid, "no due time")
	_, err = s.Schedule(ctx(t), tn, &agenda.Item{CustomerID: c.ID, Subject: "x", Due: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)})
	assert.ErrorIs(t, err, storage.ErrInvalid, "a due time no adapter keeps alike")
	cur2, err := s.AgendaItem(ctx(t), tn, moved.ID)
	require.NoError(t, err)
	_, err = s.Reschedule(ctx(t), tn, moved.ID, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), cur2.Version)
	assert.ErrorIs(t, err, storage.ErrInvalid, "nor moved there")
	_, err = s.Agenda(ctx(t), tn, &storage.AgendaOptions{Status: 9})
	assert.ErrorIs(t, err, storage.ErrInvalid, "a status there is not")
	_, err = s.Day(ctx(t), tn, "ana", date.Date{Year: 2031, Month: time.February, Day: 30})
	assert.ErrorIs(t, err, storage.ErrInvalid, "a day there is not")
	_, err = s.Agenda(ctx(t), tn, &storage.AgendaOptions{From: now.Add(time.Hour), To: now})
	assert.ErrorIs(t, err, storage.ErrInvalid, "a range that starts after it ends")
	empty, err := s.Agenda(ctx(t), tn, &storage.AgendaOptions{From: now, To: now})
	require.NoError(t, err, "an empty range is a range")
	assert.Empty(t, empty.Items)
	for _, who := range []string{"a\x00b", "\xff\xfe", "ana\nbia"} {
		_, err = s.Agenda(ctx(t), tn, &storage.AgendaOptions{Attendant: who})
		assert.ErrorIs(t, err, storage.ErrInvalid, "an attendant ID no item can hold: %q", who)
		assert.NotContains(t, err.Error(), who)
	}
	still, err := s.OpenItems(ctx(t), tn, c.ID)
	require.NoError(t, err, "the agenda still reads")
	assert.NotEmpty(t, still)
	_, err = s.AgendaItem(ctx(t), tenant(t), late.ID)
	assert.ErrorIs(t, err, storage.ErrNotFound)
	none, err := s.Agenda(ctx(t), tenant(t), nil)
	require.NoError(t, err)
	assert.Empty(t, none.Items)

	// Deleting the customer deletes its items.
	cur, err := s.Get(ctx(t), tn, c.ID)
	require.NoError(t, err)
	require.NoError(t, s.Delete(ctx(t), tn, c.ID, cur.Version))
	_, err = s.AgendaItem(ctx(t), tn, late.ID)
	assert.ErrorIs(t, err, storage.ErrNotFound)
}
