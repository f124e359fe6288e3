package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/sqlstore"
)

// Cluster is a PostgreSQL primary and its streaming replicas, which
// [OpenCluster] opens as one store: everything runs on the primary but
// the reads a caller allows on a replica (see [storage.ReplicaOK]).
type Cluster struct {
	// Primary is the primary's DSN, as [Open] takes it.
	Primary string
	// Replicas are the DSNs of hot standbys that stream from the primary
	// (primary_conninfo; hot_standby on, the default). Each names one
	// server, not a balancer over several, and the same database and
	// search_path as Primary. A connect_timeout in each bounds how long a
	// read waits for a replica that stopped answering. Each gets a pool
	// of its own, as [DB] makes it.
	Replicas []string
	// CheckEvery is how often, at most, the store asks the primary for
	// its WAL position and each replica for the WAL it has replayed, from
	// which it tells how far behind each replica is. Checks are made by
	// the reads that need them, never in the background. 100ms when 0.
	CheckEvery time.Duration
	// CheckTimeout bounds the check of one server. 1s when 0.
	CheckTimeout time.Duration
	// RetryAfter is how long a replica that failed is left alone before
	// it is checked again; the wait doubles while it keeps failing, up to
	// 30 seconds. 1s when 0.
	RetryAfter time.Duration
}

// OpenCluster opens the cluster c as [Open] opens one server: it applies
// the migrations on the primary and returns a store over it, which sends
// to c's replicas the reads a caller allows on one. opts may be nil.
func OpenCluster(ctx context.Context, c Cluster, opts *storage.Options) (*storage.Store, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	d, err := OpenClusterDriver(c)
	if err != nil {
		return nil, err
	}
	return d.OpenStore(ctx, opts)
}

// OpenClusterDriver returns a driver over the cluster c, as [OpenDriver]
// over one server: it connects lazily and does not change the schema.
func OpenClusterDriver(c Cluster) (*sqlstore.Driver, error) {
	d, err := OpenDriver(c.Primary)
	if err != nil {
		return nil, err
	}
	r := &router{primary: d.DB(), every: c.CheckEvery, timeout: c.CheckTimeout, retry: c.RetryAfter}
	if r.every <= 0 {
		r.every = 100 * time.Millisecond
	}
	if r.timeout <= 0 {
		r.timeout = time.Second
	}
	if r.retry <= 0 {
		r.retry = time.Second
	}
	for i, dsn := range c.Replicas {
		db, err := DB(dsn)
		if err != nil {
			_ = r.Close()
			_ = d.Close()
			return nil, fmt.Errorf("postgres: replica %d: %w", i, err)
		}
		r.replicas = append(r.replicas, &replica{db: db})
	}
	if len(r.replicas) > 0 {
		d.SetReadRouter(r)
	}
	return d, nil
}

// maxSamples is how many of the primary's WAL positions a router keeps:
// at CheckEvery's default, the last few seconds and more, as the checks
// happen only when reads need them.
const maxSamples = 64

// maxRetry caps the wait before a failed replica is checked again.
const maxRetry = 30 * time.Second

// router is the sqlstore.ReadRouter of a PostgreSQL cluster.
//
// How far behind a replica is, it tells from WAL positions, not from
// pg_last_xact_replay_timestamp, which grows on a replica of an idle
// primary that is not behind at all. Each check first samples the
// primary's WAL insert position (a sample at time t: every transaction
// committed before t ends at or before it), then asks each replica what
// it has replayed. A replica that has replayed up to a sample taken at t
// has every transaction committed before t: it is at most now−t behind.
// Positions only grow, so a replica's lag as a check leaves it only grows
// until the next check: the routing errs on the side of the primary.
type router struct {
	primary  *sql.DB
	replicas []*replica
	every    time.Duration
	timeout  time.Duration
	retry    time.Duration

	checking atomic.Bool   // a read is checking
	next     atomic.Uint32 // the replica a read tries first, round robin

	mu      sync.Mutex
	checked time.Time // when the last check began
	samples []sample  // the primary's positions, oldest first
}

type sample struct {
	at  time.Time
	pos uint64
}

// replica is one replica's state, guarded by router.mu.
type replica struct {
	db        *sql.DB
	standby   bool      // in recovery at the last check
	replayed  uint64    // the WAL it had replayed at the last check
	current   time.Time // it has every transaction the primary committed before then
	downUntil time.Time // failed: not used nor checked before then
	failures  int       // failures in a row
}

var _ sqlstore.ReadRouter = (*router)(nil)

// Replica implements [sqlstore.ReadRouter].
func (r *router) Replica(ctx context.Context, maxLag time.Duration, pos uint64) *sql.DB {
	r.check(ctx)
	now := time.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	n := uint32(len(r.replicas))
	first := r.next.Add(1)
	for i := range n {
		p := r.replicas[(first+i)%n]
		if p.standby && !now.Before(p.downUntil) && p.replayed >= pos &&
			!p.current.IsZero() && now.Sub(p.current) <= maxLag {
			return p.db
		}
	}
	return nil
}

// check brings the replicas' state up to date when the last check is
// older than r.every. One read checks at a time; the others go on with
// the state as it is.
func (r *router) check(ctx context.Context) {
	r.mu.Lock()
	due := time.Since(r.checked) >= r.every
	r.mu.Unlock()
	if !due || !r.checking.CompareAndSwap(false, true) {
		return
	}
	defer r.checking.Store(false)
	start := time.Now()
	pctx, cancel := context.WithTimeout(ctx, r.timeout)
	pos, err := walPosition(pctx, r.primary.QueryRowContext)
	cancel()
	if err != nil && ctx.Err() != nil {
		return // the caller left: the next read checks
	}
	r.mu.Lock()
	r.checked = start
	if err == nil {
		if len(r.samples) == maxSamples {
			r.samples = append(r.samples[:0], r.samples[1:]...)
		}
		r.samples = append(r.samples, sample{at: start, pos: pos})
	}
	r.mu.Unlock()
	for _, p := range r.replicas {
		r.mu.Lock()
		skip := start.Before(p.downUntil)
		r.mu.Unlock()
		if skip {
			continue
		}
		rctx, cancel := context.WithTimeout(ctx, r.timeout)
		standby, replayed, err := replayPosition(rctx, p.db)
		cancel()
		if err != nil && ctx.Err() != nil {
			return
		}
		r.mu.Lock()
		if err != nil {
			r.down(p)
		} else {
			p.failures = 0
			p.standby = standby
			p.current = r.currentAt(replayed, p)
			p.replayed = replayed
		}
		r.mu.Unlock()
	}
}

// currentAt returns the time before which p, having replayed up to
// replayed, has every committed transaction: that of the latest sample at
// or before replayed. When no sample kept is, it is p's earlier time if
// p has not gone back since (a restarted replica may), else none.
func (r *router) currentAt(replayed uint64, p *replica) time.Time {
	for i := len(r.samples) - 1; i >= 0; i-- {
		if s := r.samples[i]; s.pos <= replayed {
			if p.current.After(s.at) && replayed >= p.replayed {
				return p.current
			}
			return s.at
		}
	}
	if replayed >= p.replayed {
		return p.current
	}
	return time.Time{}
}

// down sets p aside after a failure, for longer each failure in a row.
// r.mu is held.
func (r *router) down(p *replica) {
	wait := r.retry << min(p.failures, 16)
	p.failures++
	p.downUntil = time.Now().Add(min(wait, maxRetry))
}

// Failed implements [sqlstore.ReadRouter]. A replica that lost its
// connection, is shutting down or is out of resources is set aside; one
// that refused the read for another reason (a conflict with recovery,
// which cancels a standby's query that holds back the replay) is not.
func (r *router) Failed(db *sql.DB, err error) {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code[:min(2, len(pe.Code))] {
		case "08", "53", "57", "58", "XX":
		default:
			return
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, p := range r.replicas {
		if p.db == db {
			r.down(p)
		}
	}
}

// Position implements [sqlstore.ReadRouter]: the primary's WAL insert
// position, which is past the commit record of every transaction that
// has committed, whatever synchronous_commit says.
func (r *router) Position(ctx context.Context, conn *sql.Conn) (uint64, error) {
	if conn != nil {
		return walPosition(ctx, conn.QueryRowContext)
	}
	return walPosition(ctx, r.primary.QueryRowContext)
}

// Close implements [sqlstore.ReadRouter]: it closes the replicas'
// handles (the primary's is the driver's).
func (r *router) Close() error {
	var errs []error
	for _, p := range r.replicas {
		errs = append(errs, p.db.Close())
	}
	return errors.Join(errs...)
}

// walPosition reads the primary's WAL insert position.
func walPosition(ctx context.Context, queryRow func(context.Context, string, ...any) *sql.Row) (uint64, error) {
	var text string
	if err := queryRow(ctx, "SELECT pg_current_wal_insert_lsn()::text").Scan(&text); err != nil {
		return 0, err
	}
	return parseLSN(text)
}

// replayPosition asks a server whether it is a standby and how far it
// has replayed the WAL.
func replayPosition(ctx context.Context, db *sql.DB) (standby bool, replayed uint64, err error) {
	var text sql.NullString
	if err := db.QueryRowContext(ctx, "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text").Scan(&standby, &text); err != nil {
		return false, 0, err
	}
	if !standby || !text.Valid {
		return false, 0, nil
	}
	replayed, err = parseLSN(text.String)
	return standby, replayed, err
}

// errLSN is returned for a WAL position PostgreSQL would not write.
var errLSN = errors.New("postgres: unreadable WAL position")

// parseLSN reads a pg_lsn's text, two hexadecimal numbers of up to 32 bits
// ("16/B374D848"), as one 64-bit position.
func parseLSN(s string) (uint64, error) {
	hi, lo, ok := strings.Cut(s, "/")
	if !ok {
		return 0, errLSN
	}
	h, err := strconv.ParseUint(hi, 16, 32)
	if err != nil {
		return 0, errLSN
	}
	l, err := strconv.ParseUint(lo, 16, 32)
	if err != nil {
		return 0, errLSN
	}
	return h<<32 | l, nil
}
