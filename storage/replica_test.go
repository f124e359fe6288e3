package storage_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/memory"
	"github.com/fichacrm/ficha/storage/storagetest"
)

// lagSpy is a driver that records, for each read of Get, Search and List,
// what storage.ReplicaRead said of its context.
type lagSpy struct {
	storage.Driver
	mu    sync.Mutex
	reads []string
}

func (d *lagSpy) record(op string, ctx context.Context) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if lag, ok := storage.ReplicaRead(ctx); ok {
		op += " " + lag.String()
	}
	d.reads = append(d.reads, op)
}

func (d *lagSpy) take() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	r := d.reads
	d.reads = nil
	return r
}

func (d *lagSpy) Get(ctx context.Context, tenant string, id uuid.UUID) (*customer.Customer, error) {
	d.record("get", ctx)
	return d.Driver.Get(ctx, tenant, id)
}

func (d *lagSpy) Search(ctx context.Context, req storage.SearchRequest) (storage.SearchResult, error) {
	d.record("search", ctx)
	return d.Driver.Search(ctx, req)
}

func (d *lagSpy) List(ctx context.Context, tenant string, f storage.ListFilter, limit int) ([]storage.Summary, error) {
	d.record("list", ctx)
	return d.Driver.List(ctx, tenant, f, limit)
}

// TestReplicaOKReachesOnlyReads checks which driver calls a context of
// ReplicaOK allows on a replica: the reads of Get, Search and List, and
// never the reads of a write.
func TestReplicaOKReachesOnlyReads(t *testing.T) {
	t.Parallel()
	spy := &lagSpy{Driver: memory.Open(nil).Driver()}
	s := storage.New(spy, nil)
	defer s.Close()
	const tn = "t"
	c, err := s.Create(t.Context(), tn, storagetest.Individual(1))
	require.NoError(t, err)
	spy.take()

	reads := func(ctx context.Context) []string {
		_, err := s.Get(ctx, tn, c.ID)
		require.NoError(t, err)
		_, err = s.Search(ctx, tn, customer.Query{TaxID: c.TaxID.String()}, nil)
		require.NoError(t, err)
		_, err = s.List(ctx, tn, nil)
		require.NoError(t, err)
		return spy.take()
	}
	stale := storage.ReplicaOK(t.Context(), 2*time.Second)
	assert.Equal(t, []string{"get", "search", "list"}, reads(t.Context()), "without ReplicaOK, the primary")
	assert.Equal(t, []string{"get 2s", "search 2s", "list 2s"}, reads(stale))
	assert.Equal(t, []string{"get", "search", "list"}, reads(storage.ReplicaOK(stale, 0)), "a lag of 0 withdraws it")

	// The reads of writes stay on the primary.
	u := c.Clone()
	u.Notes = "changed"
	u2, err := s.Update(stale, tn, u)
	require.NoError(t, err)
	_, err = s.Modify(stale, tn, c.ID, func(c *customer.Customer) error {
		c.Notes = "modified"
		return nil
	})
	require.NoError(t, err)
	require.ErrorIs(t, s.Delete(stale, tn, c.ID, u2.Version), storage.ErrConflict)
	for _, op := range spy.take() {
		assert.Equal(t, "get", op, "a write's read is not allowed on a replica")
	}
}

func TestSessionText(t *testing.T) {
	t.Parallel()
	var s storage.Session
	assert.Equal(t, "s1.0", s.String())
	s.Observe(0x16b374d848)
	s.Observe(0x10) // an earlier write: the position stays
	assert.Equal(t, uint64(0x16b374d848), s.Position())
	text, err := s.MarshalText()
	require.NoError(t, err)
	assert.Equal(t, "s1.16b374d848", string(text))
	var back storage.Session
	require.NoError(t, back.UnmarshalText(text))
	assert.Equal(t, s.Position(), back.Position())

	for _, bad := range []string{"", "s1.", "s1.x", "s1.-1", "s1.+1", "s1.ABC", "s2.10", "s1.10000000000000000", "10"} {
		back.Observe(7)
		before := back.Position()
		assert.ErrorIs(t, back.UnmarshalText([]byte(bad)), storage.ErrSession, bad)
		assert.Equal(t, before, back.Position(), "a malformed session changes nothing")
	}
	var none *storage.Session
	assert.Zero(t, none.Position())
	assert.Nil(t, storage.SessionFrom(t.Context()))
	assert.Same(t, &s, storage.SessionFrom(storage.WithSession(t.Context(), &s)))
}

func FuzzSessionText(f *testing.F) {
	f.Add("s1.16b374d848")
	f.Add("s1.ffffffffffffffff")
	f.Add("s1.0")
	f.Fuzz(func(t *testing.T, text string) {
		var s storage.Session
		if err := s.UnmarshalText([]byte(text)); err != nil {
			return
		}
		out, err := s.MarshalText()
		require.NoError(t, err)
		var again storage.Session
		require.NoError(t, again.UnmarshalText(out))
		require.Equal(t, s.Position(), again.Position())
	})
}
