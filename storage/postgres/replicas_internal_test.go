package postgres

import (
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseLSN(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]uint64{"0/0": 0, "16/B374D848": 0x16_B374D848, "FFFFFFFF/FFFFFFFF": 1<<64 - 1, "0/1": 1} {
		got, err := parseLSN(text)
		require.NoError(t, err, text)
		assert.Equal(t, want, got, text)
	}
	for _, bad := range []string{"", "0", "/0", "0/", "1/2/3", "G/0", "100000000/0", "0/100000000", "-1/0"} {
		_, err := parseLSN(bad)
		assert.ErrorIs(t, err, errLSN, bad)
	}
}

// lazyDB is a handle that never connects in these tests.
func lazyDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := DB("postgres://nobody@127.0.0.1:1/none?sslmode=disable")
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// TestRouterChoice checks the router's choice from the state its checks
// leave, without servers: the state is set as checks would set it, and
// the next check is an hour away.
func TestRouterChoice(t *testing.T) {
	t.Parallel()
	now := time.Now()
	a, b := &replica{db: lazyDB(t)}, &replica{db: lazyDB(t)}
	r := &router{primary: lazyDB(t), replicas: []*replica{a, b}, every: time.Hour, retry: time.Second, checked: now}
	r.samples = []sample{{now.Add(-10 * time.Second), 100}, {now.Add(-5 * time.Second), 200}, {now.Add(-time.Second), 300}}

	// a has replayed all the primary wrote a second ago; b what it had
	// written ten seconds ago, and a little more.
	a.standby, a.replayed = true, 300
	a.current = r.currentAt(a.replayed, a)
	b.standby, b.replayed = true, 150
	b.current = r.currentAt(b.replayed, b)
	assert.Equal(t, now.Add(-time.Second), a.current)
	assert.Equal(t, now.Add(-10*time.Second), b.current)

	pick := func(maxLag time.Duration, pos uint64) *replica {
		db := r.Replica(t.Context(), maxLag, pos)
		for _, p := range r.replicas {
			if p.db == db {
				return p
			}
		}
		return nil
	}
	assert.Same(t, a, pick(2*time.Second, 0), "only a is within 2s")
	assert.Nil(t, pick(500*time.Millisecond, 0), "none within half a second")
	assert.Same(t, a, pick(time.Minute, 250), "only a has the session's write")
	assert.Nil(t, pick(time.Minute, 301), "none has a write after what they replayed")
	seen := map[*replica]bool{}
	for range 4 {
		seen[pick(time.Minute, 0)] = true
	}
	assert.Len(t, seen, 2, "reads that both may serve go to both in turn")

	// A replica that failed with a lost connection is set aside; one that
	// refused a read for a conflict with recovery is not.
	r.Failed(a.db, &pgconn.PgError{Code: "40001"})
	assert.Same(t, a, pick(2*time.Second, 0))
	r.Failed(a.db, errors.New("connection reset"))
	assert.Nil(t, pick(2*time.Second, 0), "a is down")
	assert.Same(t, b, pick(time.Minute, 0))
	r.Failed(b.db, &pgconn.PgError{Code: "57P01"}) // terminating: admin shutdown
	assert.Nil(t, pick(time.Minute, 0))
	assert.Equal(t, 1, a.failures)
	assert.WithinDuration(t, time.Now().Add(time.Second), a.downUntil, 100*time.Millisecond)
	r.mu.Lock()
	r.down(a)
	r.mu.Unlock()
	assert.WithinDuration(t, time.Now().Add(2*time.Second), a.downUntil, 100*time.Millisecond, "the wait doubles")

	// A server that is no standby (promoted) serves nothing.
	b.downUntil, b.standby = time.Time{}, false
	assert.Nil(t, pick(time.Hour, 0))
}

// TestRouterIdlePrimary checks that a replica of an idle primary is not
// counted behind: its lag is the age of the last check, not the time
// since the last write.
func TestRouterIdlePrimary(t *testing.T) {
	t.Parallel()
	now := time.Now()
	p := &replica{db: lazyDB(t), standby: true}
	r := &router{replicas: []*replica{p}}
	// The primary wrote at 400 an hour ago, and nothing since; the
	// samples since then all read 400.
	r.samples = []sample{{now.Add(-time.Hour), 400}, {now.Add(-time.Minute), 400}, {now.Add(-10 * time.Millisecond), 400}}
	p.replayed = 400
	p.current = r.currentAt(400, p)
	assert.Equal(t, now.Add(-10*time.Millisecond), p.current)

	// A replica that goes back (restarted from an older point) loses the
	// time it had, down to the samples it has replayed: here, none.
	assert.True(t, r.currentAt(350, p).IsZero())

	// The primary writes again; a replica half way there has all it had
	// written before its write.
	r.samples = append(r.samples, sample{now, 600})
	assert.Equal(t, now.Add(-10*time.Millisecond), r.currentAt(500, p))
	assert.Equal(t, now, r.currentAt(600, p))
}
