package sqlite_test

import (
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/sqlite"
	"github.com/fichacrm/ficha/storage/storagetest"
)

// TestDeskBesideALoad runs the desk's writes (a create, an attendance,
// an update) on one tenant while a load commits batch after batch into
// another: each write must succeed. Write transactions that began
// deferred read a snapshot that the load's next commit made stale, and
// SQLite refused their first write at once (the outside review saw one
// to three attendances in a few hundred fail after their retries). The
// load must also get its turns: SQLite's busy wait polls at growing
// intervals, and the desk's writers, taking the lock back the moment
// they let go, once kept a batch waiting until its retries ran out (CI,
// 72 s); with a CPU crowded, the load took 26-50 s beside 2,800-4,600
// rounds of desk writes, and 2 s beside 57-76 once writes queued.
func TestDeskBesideALoad(t *testing.T) {
	s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "desk.db"), nil)
	require.NoError(t, err)
	defer s.Close()
	var done atomic.Bool
	var wg sync.WaitGroup
	var rounds atomic.Int64
	failures := make(chan error, 1000)
	for w := range 2 {
		wg.Go(func() {
			for i := 0; !done.Load(); i++ {
				c, err := s.Create(t.Context(), "desk", storagetest.Individual(100000+w*50000+i))
				if err != nil {
					failures <- err
					continue
				}
				if _, err := s.Attend(t.Context(), "desk", &attendance.Attendance{CustomerID: c.ID,
					Channel: attendance.Phone, Reason: attendance.Sales, Confirmed: attendance.Phones}); err != nil {
					failures <- err
				}
				c.Notes = "called back"
				if _, err := s.Update(t.Context(), "desk", c); err != nil {
					failures <- err
				}
				rounds.Add(1)
			}
		})
	}
	src := func(yield func(*customer.Customer) bool) {
		for i := range 4000 {
			if !yield(storagetest.Individual(i)) {
				return
			}
		}
	}
	stats, err := s.Load(t.Context(), "load", src, nil, &storage.LoadOptions{BatchSize: 100})
	done.Store(true)
	wg.Wait()
	close(failures)
	require.NoError(t, err)
	assert.Equal(t, 4000, stats.Created)
	for err := range failures {
		t.Errorf("a desk write beside the load: %v", err)
	}
	t.Logf("%d rounds of desk writes during the load", rounds.Load())
	require.Positive(t, rounds.Load())
	assert.Less(t, rounds.Load(), int64(1000), "the load waited behind the desk's writes")
}
