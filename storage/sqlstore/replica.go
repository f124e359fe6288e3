package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
)

// ReadRouter sends the reads a caller allows on a replica (see
// [storage.ReplicaOK]) to replicas of the driver's database, and tells
// where in the primary's log a write is, for [storage.Session]. A driver
// without one reads everything from its own database; storage/postgres
// builds one over PostgreSQL's streaming replicas.
type ReadRouter interface {
	// Replica returns the handle of a replica on which a read may run:
	// one whose data is at most maxLag behind the primary's and, when
	// pos is not 0, that has replayed the primary's log up to pos at
	// least. It returns nil when none qualifies, and the read runs on the
	// primary. It does not fail: a replica it cannot reach is not
	// returned.
	Replica(ctx context.Context, maxLag time.Duration, pos uint64) *sql.DB
	// Failed tells the router that a read on db, a handle Replica
	// returned, failed with err. The read then runs again on the primary.
	Failed(db *sql.DB, err error)
	// Position returns a position in the primary's log at or after every
	// write committed so far, through conn, a connection to the primary
	// (nil: any connection of the primary's pool).
	Position(ctx context.Context, conn *sql.Conn) (uint64, error)
	// Close closes the replicas' handles.
	Close() error
}

// SetReadRouter makes d serve the reads a caller allows on a replica
// through r, which it then owns and closes. Call it before the driver is
// used: it is not safe to call concurrently with the driver's methods.
func (d *Driver) SetReadRouter(r ReadRouter) { d.router = r }

// ReadStats counts where the reads that callers allowed on a replica ran:
// on a replica, on the primary because no replica qualified (too far
// behind, behind the caller's session, down), or on the primary after a
// replica failed them.
type ReadStats struct {
	Replica  int64
	Primary  int64
	Fallback int64
}

// ReadStats returns the counts of the reads that callers allowed on a
// replica, since the driver was made.
func (d *Driver) ReadStats() ReadStats {
	return ReadStats{Replica: d.reads.replica.Load(), Primary: d.reads.primary.Load(), Fallback: d.reads.fallback.Load()}
}

type readCounts struct {
	replica, primary, fallback atomic.Int64
}

// poolKey marks the context of a read routed to a replica: its value is
// the replica's handle.
type poolKey struct{}

// pool returns the handle a statement outside a transaction runs on: the
// replica the read was routed to, or the driver's database.
func (d *Driver) pool(ctx context.Context) *sql.DB {
	if d.router != nil {
		if db, ok := ctx.Value(poolKey{}).(*sql.DB); ok {
			return db
		}
	}
	return d.db
}

// onReplica reports whether ctx is that of a read routed to a replica,
// whose statements are never the cached ones (prepared on the primary).
func (d *Driver) onReplica(ctx context.Context) bool {
	if d.router == nil {
		return false
	}
	_, ok := ctx.Value(poolKey{}).(*sql.DB)
	return ok
}

// routed runs read on a replica when the Store allows it on one (see
// storage.ReplicaRead) and the router has one that qualifies, and on the
// primary otherwise. A replica that fails the read with a database error
// is reported to the router and the read runs again on the primary: the
// caller sees the primary's answer, never the replica's failure. What a
// replica answers as the contract's (not found, say) is its answer.
func routed[T any](d *Driver, ctx context.Context, read func(ctx context.Context) (T, error)) (T, error) {
	if d.router == nil {
		return read(ctx)
	}
	maxLag, ok := storage.ReplicaRead(ctx)
	if !ok {
		return read(ctx)
	}
	db := d.router.Replica(ctx, maxLag, storage.SessionFrom(ctx).Position())
	if db == nil {
		d.reads.primary.Add(1)
		return read(ctx)
	}
	v, err := read(context.WithValue(ctx, poolKey{}, db))
	var de *dbError
	if err == nil || ctx.Err() != nil || !errors.As(err, &de) {
		d.reads.replica.Add(1)
		return v, err
	}
	d.router.Failed(db, de.err)
	d.reads.fallback.Add(1)
	return read(ctx)
}

// positionTimeout bounds the read of a write's position: the write has
// committed, and its caller waits.
const positionTimeout = 5 * time.Second

// wrote records, in the session ctx carries, where in the primary's log
// the write that just committed on conn is. When the position cannot be
// read, the session is sent to the primary for good: a read that missed
// the write would be worse than one that loads the primary.
func (d *Driver) wrote(ctx context.Context, conn *sql.Conn) {
	if d.router == nil {
		return
	}
	s := storage.SessionFrom(ctx)
	if s == nil {
		return
	}
	// The write is stored: its position is read even if ctx ends now,
	// within a bound of its own.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), positionTimeout)
	defer cancel()
	pos, err := d.router.Position(ctx, conn)
	if err != nil {
		pos, err = d.router.Position(ctx, nil)
	}
	if err != nil {
		pos = math.MaxUint64
	}
	s.Observe(pos)
}

// Get implements [storage.Driver]. The customer and its sub-records are
// read from one snapshot (see get): of a replica when the Store allows it
// (see [storage.ReplicaRead]), else of the primary.
func (d *Driver) Get(ctx context.Context, tenant string, id uuid.UUID) (*customer.Customer, error) {
	return routed(d, ctx, func(ctx context.Context) (*customer.Customer, error) { return d.get(ctx, tenant, id) })
}

// Search implements [storage.Driver], on a replica when the Store allows
// it (see [storage.ReplicaRead]): see search for how.
func (d *Driver) Search(ctx context.Context, req storage.SearchRequest) (storage.SearchResult, error) {
	return routed(d, ctx, func(ctx context.Context) (storage.SearchResult, error) { return d.search(ctx, req) })
}

// List implements [storage.Driver], on a replica when the Store allows it
// (see [storage.ReplicaRead]): see list for how.
func (d *Driver) List(ctx context.Context, tenant string, f storage.ListFilter, limit int) ([]storage.Summary, error) {
	return routed(d, ctx, func(ctx context.Context) ([]storage.Summary, error) { return d.list(ctx, tenant, f, limit) })
}
