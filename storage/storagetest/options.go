package storagetest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/customer/info"
	"github.com/fichacrm/ficha/storage"
)

func infoOptions() *storage.Options {
	return &storage.Options{Info: info.Default()}
}

// testInfoSchema checks that with a schema the store stores Info
// normalised, refuses what the schema refuses, and that the driver keeps
// the normalised values exactly.
func testInfoSchema(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	c := Individual(1)
	c.Info = map[string]string{"monthly_income": "1.234,56", "residence_since": "05/03/2019", "marital_status": "married", "profession": "Engenheira"}
	created, err := s.Create(ctx(t), tn, c)
	require.NoError(t, err)
	got, err := s.Get(ctx(t), tn, created.ID)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"monthly_income": "1234.56", "residence_since": "2019-03-05", "marital_status": "married", "profession": "Engenheira"}, got.Info)

	bad := Individual(2)
	bad.Info = map[string]string{"monthly_income": "muito", "annual_revenue": "10"}
	_, err = s.Create(ctx(t), tn, bad)
	var v *customer.ValidationError
	require.ErrorAs(t, err, &v)
	assert.True(t, v.Has("info.monthly_income", "info.money"), "%v", v)
	n, err := s.Count(ctx(t), tn)
	require.NoError(t, err)
	assert.EqualValues(t, 1, n, "a refused customer is not stored")

	got.Info["monthly_income"] = "2.000"
	updated, err := s.Update(ctx(t), tn, got)
	require.NoError(t, err)
	assert.Equal(t, "2000.00", updated.Info["monthly_income"])
}

var clockStart = time.Date(2031, time.May, 4, 10, 11, 12, 0, time.UTC)

func clockOptions() *storage.Options {
	now := clockStart
	return &storage.Options{Now: func() time.Time { now = now.Add(time.Minute); return now }}
}

// testClock checks that the store's clock, not the database's, sets the
// creation and update times.
func testClock(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	created, err := s.Create(ctx(t), tn, Individual(1))
	require.NoError(t, err)
	assert.True(t, created.CreatedAt.Equal(clockStart.Add(time.Minute)), "%v", created.CreatedAt)
	created.Notes = "segunda visita"
	updated, err := s.Update(ctx(t), tn, created)
	require.NoError(t, err)
	assert.True(t, updated.UpdatedAt.Equal(clockStart.Add(2*time.Minute)), "%v", updated.UpdatedAt)
	got, err := s.Get(ctx(t), tn, created.ID)
	require.NoError(t, err)
	assert.True(t, got.CreatedAt.Equal(clockStart.Add(time.Minute)))
	assert.True(t, got.UpdatedAt.Equal(clockStart.Add(2*time.Minute)))
}

var sharedKey = []byte("the secret every replica shares")

func keyOptions() *storage.Options { return &storage.Options{CursorKey: sharedKey} }

// testSharedCursorKey checks that a cursor issued by one store is honoured
// by another store with the same key (a replica), and by no store with
// another key.
func testSharedCursorKey(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	createMany(t, s, tn, 0, 5, Individual)
	q := customer.Query{Company: "ltda"}
	first, err := s.Search(ctx(t), tn, q, &storage.SearchOptions{Limit: 2})
	require.NoError(t, err)
	require.NotEmpty(t, first.Next)

	// Stores over the same driver; not closed, since closing a store
	// closes its driver, which s closes.
	replica := storage.New(s.Driver(), keyOptions())
	next, err := replica.Search(ctx(t), tn, q, &storage.SearchOptions{Limit: 2, Cursor: first.Next})
	require.NoError(t, err)
	require.Len(t, next.Hits, 2)
	assertSearchOrder(t, q, append(first.Hits, next.Hits...))

	stranger := storage.New(s.Driver(), &storage.Options{CursorKey: []byte("another secret, another fleet")})
	_, err = stranger.Search(ctx(t), tn, q, &storage.SearchOptions{Limit: 2, Cursor: first.Next})
	assert.ErrorIs(t, err, storage.ErrCursor)
}

// testModify checks that concurrent Modify calls on one customer all land
// (each retries on conflict with a fresh copy), that an error from the
// function writes nothing, and that a function that changes nothing does
// not write.
func testModify(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	c, err := s.Create(ctx(t), tn, Individual(40))
	require.NoError(t, err)
	const workers, each = 4, 5
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				marker := fmt.Sprintf("M%dU%d", w, i)
				_, err := s.Modify(ctx(t), tn, c.ID, func(cur *customer.Customer) error {
					if !slices.Contains(cur.ServiceOrders, marker) {
						cur.ServiceOrders = append(cur.ServiceOrders, marker)
					}
					return nil
				})
				if err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	got, err := s.Get(ctx(t), tn, c.ID)
	require.NoError(t, err)
	assert.Len(t, got.ServiceOrders, len(c.ServiceOrders)+workers*each, "every modification landed once")
	assert.Equal(t, int64(1+workers*each), got.Version)

	stop := errors.New("the attendant cancelled")
	_, err = s.Modify(ctx(t), tn, c.ID, func(cur *customer.Customer) error {
		cur.Notes = "never saved"
		return stop
	})
	require.ErrorIs(t, err, stop)
	same, err := s.Modify(ctx(t), tn, c.ID, func(cur *customer.Customer) error { return nil })
	require.NoError(t, err)
	assert.Equal(t, got.Version, same.Version, "no change, no write")
	assert.Empty(t, same.Notes)

	_, err = s.Modify(ctx(t), tn, customer.NewID(), func(*customer.Customer) error { return nil })
	assert.ErrorIs(t, err, storage.ErrNotFound)
	_, err = s.Modify(ctx(t), tn, c.ID, func(cur *customer.Customer) error {
		cur.TaxID = CPF(41) // locked for customers by the default policy
		return nil
	})
	assert.ErrorIs(t, err, storage.ErrLocked)

	modifyCreatedAt(t, s, tn, c.ID, got.Version)
}

// testModifyUnlocked is testModify's look at the creation time on a store
// whose policy locks nothing.
func testModifyUnlocked(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	c, err := s.Create(ctx(t), tn, Individual(39))
	require.NoError(t, err)
	modifyCreatedAt(t, s, tn, c.ID, c.Version)
}

// modifyCreatedAt checks that a Modify whose function moves the creation
// time is refused at once (no policy unlocks it; it is not retried as a
// conflict) and writes nothing: the customer stays at version.
func modifyCreatedAt(t *testing.T, s *storage.Store, tn string, id uuid.UUID, version int64) {
	t.Helper()
	calls := 0
	_, err := s.Modify(ctx(t), tn, id, func(cur *customer.Customer) error {
		calls++
		cur.CreatedAt = cur.CreatedAt.Add(-time.Hour)
		cur.Notes = "moved"
		return nil
	})
	assert.ErrorIs(t, err, storage.ErrLocked)
	assert.Equal(t, 1, calls)
	after, err := s.Get(ctx(t), tn, id)
	require.NoError(t, err)
	assert.Equal(t, version, after.Version, "nothing written")

	// A creation time cleared is one not sent, as Save takes it.
	saved, err := s.Modify(ctx(t), tn, id, func(cur *customer.Customer) error {
		cur.CreatedAt = time.Time{}
		cur.Notes = "sem data"
		return nil
	})
	require.NoError(t, err)
	assert.True(t, saved.CreatedAt.Equal(after.CreatedAt))
	assert.Equal(t, version+1, saved.Version)
}
