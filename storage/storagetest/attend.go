package storagetest

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
)

// attendClock is the clock of the store testAttendances runs on, in
// microseconds since the epoch: the test moves it. The suite runs its
// tests one at a time.
var attendClock atomic.Int64

func attendOptions() *storage.Options {
	attendClock.Store(time.Date(2031, time.January, 10, 12, 0, 0, 0, time.UTC).UnixMicro())
	return &storage.Options{Now: func() time.Time { return time.UnixMicro(attendClock.Load()).UTC() }}
}

func moveClock(d time.Duration) { attendClock.Add(d.Microseconds()) }

// testAttendances checks that an attendance is stored and listed newest
// first, that it refreshes the sections it confirms (and never makes one
// older), that it becomes the customer's last attendance, that writes
// refresh the sections they change, and that the stale list and tenant
// isolation hold.
func testAttendances(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	c, err := s.Create(ctx(t), tn, Individual(1))
	require.NoError(t, err)
	created := c.CreatedAt
	f, err := s.Freshness(ctx(t), tn, c.ID)
	require.NoError(t, err)
	for _, sec := range attendance.AllSections.Each() {
		assert.True(t, f[sec].Equal(created), "creating makes %s fresh", sec)
	}

	moveClock(3 * time.Hour)
	at := created.Add(time.Hour)
	a := &attendance.Attendance{CustomerID: c.ID, At: at, Attendant: attendance.Attendant{ID: "att-7", Name: "Carla"},
		Channel: attendance.WhatsApp, Reason: attendance.Service, Outcome: "revisão agendada",
		Notes: "cliente pediu retorno\nà tarde", Confirmed: attendance.Phones | attendance.Emails}
	stored, err := s.Attend(ctx(t), tn, a)
	require.NoError(t, err)
	assert.NotEqual(t, uuid.Nil, stored.ID)
	older := &attendance.Attendance{CustomerID: c.ID, At: created.Add(time.Minute), Channel: attendance.Phone,
		Reason: attendance.Sales, Confirmed: attendance.Phones | attendance.Addresses}
	_, err = s.Attend(ctx(t), tn, older)
	require.NoError(t, err)

	f, err = s.Freshness(ctx(t), tn, c.ID)
	require.NoError(t, err)
	assert.True(t, f[attendance.Phones].Equal(at), "confirmed at the attendance")
	assert.True(t, f[attendance.Emails].Equal(at))
	assert.True(t, f[attendance.Addresses].Equal(created.Add(time.Minute)))
	assert.True(t, f[attendance.Assets].Equal(created), "what was not confirmed stays as it was")

	page, err := s.Attendances(ctx(t), tn, c.ID, 1, "")
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	got := page.Items[0]
	assert.Equal(t, stored.ID, got.ID, "newest first")
	assert.Equal(t, "cliente pediu retorno\nà tarde", got.Notes)
	assert.Equal(t, attendance.WhatsApp, got.Channel)
	assert.Equal(t, attendance.Service, got.Reason)
	assert.Equal(t, attendance.Phones|attendance.Emails, got.Confirmed)
	assert.Equal(t, "Carla", got.Attendant.Name)
	assert.True(t, got.At.Equal(at))
	require.NotEmpty(t, page.Next)
	rest, err := s.Attendances(ctx(t), tn, c.ID, 1, page.Next)
	require.NoError(t, err)
	require.Len(t, rest.Items, 1)
	assert.Empty(t, rest.Next)
	_, err = s.Attendances(ctx(t), tenant(t), c.ID, 1, page.Next)
	assert.ErrorIs(t, err, storage.ErrCursor, "a cursor belongs to its tenant")

	list, err := s.List(ctx(t), tn, nil)
	require.NoError(t, err)
	require.Len(t, list.Items, 1)
	assert.True(t, list.Items[0].LastAttendance.Equal(at), "the list shows the last attendance")

	// A write refreshes the sections it changes, as of the write.
	c, err = s.Get(ctx(t), tn, c.ID)
	require.NoError(t, err)
	c.Phones = append(c.Phones, contact.MustParsePhone("(11) 3333-4444"))
	u, err := s.Update(ctx(t), tn, c)
	require.NoError(t, err)
	f, err = s.Freshness(ctx(t), tn, c.ID)
	require.NoError(t, err)
	assert.True(t, f[attendance.Phones].Equal(u.UpdatedAt), "changing the phones refreshes them")
	assert.True(t, f[attendance.Assets].Equal(created), "and nothing else")

	// The stale list: whose assets nobody confirmed since before the
	// attendance.
	other, err := s.Create(ctx(t), tn, Individual(2))
	require.NoError(t, err)
	moveClock(3 * time.Hour)
	_, err = s.Attend(ctx(t), tn, &attendance.Attendance{CustomerID: other.ID, At: other.CreatedAt.Add(2 * time.Hour),
		Channel: attendance.InPerson, Reason: attendance.Sales, Confirmed: attendance.AllSections})
	require.NoError(t, err)
	stale, err := s.Stale(ctx(t), tn, attendance.Assets, other.CreatedAt.Add(time.Hour), 0, "")
	require.NoError(t, err)
	require.Len(t, stale.Items, 1)
	assert.Equal(t, c.ID, stale.Items[0].ID)
	assert.True(t, stale.Items[0].Since.Equal(created))
	_, err = s.Stale(ctx(t), tn, attendance.Assets|attendance.Phones, time.Now(), 0, "")
	assert.ErrorIs(t, err, storage.ErrInvalid, "one section at a time")

	// Errors.
	_, err = s.Attend(ctx(t), tn, &attendance.Attendance{CustomerID: customerOf(t), Channel: attendance.Phone, Reason: attendance.Sales})
	assert.ErrorIs(t, err, storage.ErrNotFound)
	_, err = s.Attend(ctx(t), tenant(t), &attendance.Attendance{CustomerID: c.ID, Channel: attendance.Phone, Reason: attendance.Sales})
	assert.ErrorIs(t, err, storage.ErrNotFound, "another tenant's customer is no customer")
	_, err = s.Attend(ctx(t), tn, &attendance.Attendance{CustomerID: c.ID, Notes: "cartão 4111 1111 1111 1111"})
	assert.ErrorIs(t, err, storage.ErrInvalid)
	_, err = s.Attend(ctx(t), tn, &attendance.Attendance{CustomerID: c.ID, Channel: attendance.Phone, Reason: attendance.Sales,
		At: time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC)})
	assert.ErrorIs(t, err, storage.ErrInvalid, "a time no adapter keeps alike")
	_, err = s.Stale(ctx(t), tn, attendance.Assets, time.Date(20000, 1, 1, 0, 0, 0, 0, time.UTC), 0, "")
	assert.ErrorIs(t, err, storage.ErrInvalid, "a cutoff out of range")
	dup := *stored
	_, err = s.Attend(ctx(t), tn, &dup)
	assert.ErrorIs(t, err, storage.ErrExists)
	none, err := s.Attendances(ctx(t), tenant(t), c.ID, 0, "")
	require.NoError(t, err)
	assert.Empty(t, none.Items)
	_, err = s.Freshness(ctx(t), tenant(t), c.ID)
	assert.ErrorIs(t, err, storage.ErrNotFound, "another tenant's customer has no freshness")
	noStale, err := s.Stale(ctx(t), tenant(t), attendance.Assets, time.Now().Add(24*time.Hour), 0, "")
	require.NoError(t, err)
	assert.Empty(t, noStale.Items, "nor stale sections")

	// Deleting the customer takes its attendances and freshness with it.
	require.NoError(t, s.Delete(ctx(t), tn, u.ID, u.Version))
	gone, err := s.Attendances(ctx(t), tn, u.ID, 0, "")
	require.NoError(t, err)
	assert.Empty(t, gone.Items)
	_, err = s.Freshness(ctx(t), tn, u.ID)
	assert.ErrorIs(t, err, storage.ErrNotFound)
}

func customerOf(*testing.T) uuid.UUID { return uuid.New() }

// testClockBehind writes a customer from a host whose clock runs an hour
// behind the one that created it: its UpdatedAt must not go back, and a
// search by words, a page at a time, must still find every customer, in
// the order of their UpdatedAt (the adapters' word indexes only ever
// raise a customer's place; a cursor made from an earlier UpdatedAt
// skipped the customers between).
func testClockBehind(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	named := func(i int, name string) *customer.Customer {
		c := Individual(i)
		c.Name = name
		got, err := s.Create(ctx(t), tn, c)
		require.NoError(t, err)
		return got
	}
	alves := named(1, "Maria Alves")
	moveClock(time.Minute)
	borges := named(2, "Maria Borges")
	moveClock(-time.Hour)
	borges.Notes = "written by a host whose clock is behind"
	saved, err := s.Update(ctx(t), tn, borges)
	require.NoError(t, err)
	assert.True(t, saved.UpdatedAt.After(borges.UpdatedAt), "UpdatedAt went back: %v after %v", saved.UpdatedAt, borges.UpdatedAt)

	got := SearchAll(t, s, tn, customer.Query{Name: "maria"}, 1)
	assert.Equal(t, []uuid.UUID{borges.ID, alves.ID}, got, "newest first, each once")
}
