// Package sqlstore is Ficha's one SQL storage adapter, over database/sql.
// Its code is dialect-neutral; a [Dialect] holds the little that differs
// between SQLite, PostgreSQL and MySQL/MariaDB, and embedded, numbered
// migrations per dialect create tables a DBA would recognise: one per
// entity, NUMERIC money, real dates, foreign keys, and an index table of
// search keys that serves every search.
//
// Hosts usually reach it through the thin openers storage/sqlite,
// storage/postgres and storage/mysql, each of which imports only its own
// driver. A host that manages its own connection pool builds the driver
// here: [New] over the opener's DB and Classify, then [Driver.Migrate].
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/fichacrm/ficha/storage"
)

// Class is what an error of the database means to the store.
type Class int

// The classes of database errors.
const (
	Other      Class = iota // anything else
	Unique                  // a unique or primary-key constraint was violated
	ForeignKey              // a foreign-key constraint was violated
	Retry                   // a deadlock, serialisation failure or busy database: run the transaction again
)

// Classifier tells the class of a database error and the database's code
// for it (an SQLSTATE, an error number), by the driver's error type, never
// by its message. Each opener supplies the one of its driver.
type Classifier func(error) (Class, string)

// Driver implements [storage.Driver] over a *sql.DB. It is safe for
// concurrent use.
type Driver struct {
	db       *sql.DB
	dialect  Dialect
	classify Classifier
	q        queries
	cache    stmtCache
	warmed   atomic.Bool
	copier   Copier // nil: bulk inserts use INSERT statements
	// turn holds one token per write transaction running, when the
	// dialect queues writes (nil otherwise): a channel's waiters are
	// served in the order they came.
	turn chan struct{}

	bulkRows   atomic.Int64 // customers bulk-inserted through this driver
	analyzedAt atomic.Int64 // bulkRows at the last automatic Analyze

	stats wordStats // counts of words, which steer searches

	// updates, rowUpdates and attends are the statements of an update
	// and an attendance, by the sections each confirms (see
	// updateStatement, rowStatement and attendWhole).
	updates, rowUpdates, attends masked

	router ReadRouter // the replicas, or nil (see SetReadRouter)
	reads  readCounts // where the reads allowed on a replica ran
}

var _ storage.Driver = (*Driver)(nil)

// New returns a Driver over db, which it owns and closes. It does no I/O;
// call [Driver.Migrate] before first use.
func New(db *sql.DB, dialect Dialect, classify Classifier) *Driver {
	d := &Driver{db: db, dialect: dialect, classify: classify, q: buildQueries(dialect)}
	if dialect.queueWrites {
		d.turn = make(chan struct{}, 1)
	}
	return d
}

// DB returns the underlying database handle.
func (d *Driver) DB() *sql.DB { return d.db }

// Dialect returns the driver's dialect.
func (d *Driver) Dialect() Dialect { return d.dialect }

// Close closes the database handle, and the replicas' (see
// [Driver.SetReadRouter]).
func (d *Driver) Close() error {
	d.closeStatements()
	err := d.db.Close()
	if d.router != nil {
		err = errors.Join(err, d.router.Close())
	}
	return err
}

// dbError is a database error as the store returns it: the driver's error
// stays reachable with errors.As, but its message, which databases fill
// with the offending values (a CPF, a birth date, the first bytes of a
// string), is never repeated. The message names the class and the
// database's code only.
type dbError struct {
	class Class
	code  string
	err   error
}

func (e *dbError) Error() string {
	msg := "sqlstore: database error"
	switch e.class {
	case Unique:
		msg = "sqlstore: unique constraint violated"
	case ForeignKey:
		msg = "sqlstore: foreign key violated"
	case Retry:
		msg = "sqlstore: transaction aborted by the database; try again"
	}
	if e.code != "" {
		msg += " (code " + e.code + ")"
	}
	return msg
}

func (e *dbError) Unwrap() error { return e.err }

// wrap turns a database error into the store's: the contract's own errors
// and the context's pass through, anything else is wrapped with its class.
// A driver error that carries the context's error (a connection that timed
// out while it was opened) becomes that context error with the wrapped
// driver error behind it: errors.Is finds the one, errors.As the other,
// and the message holds neither the driver's text nor what it names (user,
// database, host).
func (d *Driver) wrap(err error) error {
	if err == nil {
		return nil
	}
	var de *dbError
	if errors.As(err, &de) || err == context.Canceled || err == context.DeadlineExceeded ||
		errors.Is(err, storage.ErrClosed) || errors.Is(err, storage.ErrNotFound) || errors.Is(err, storage.ErrConflict) ||
		errors.Is(err, storage.ErrExists) || errors.Is(err, storage.ErrDuplicateTaxID) || errors.Is(err, storage.ErrAnonymised) {
		return err
	}
	class, code := d.classify(err)
	wrapped := &dbError{class: class, code: code, err: err}
	for _, cerr := range []error{context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, cerr) {
			return fmt.Errorf("%w (%w)", cerr, wrapped)
		}
	}
	return wrapped
}

// fail is wrap with the context: once ctx is done, its error is what the
// caller gets, whatever the driver made of the interruption. A deadline
// that has passed counts as done even in the instant before ctx says so:
// a driver's dial times out at the deadline itself.
func (d *Driver) fail(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	cerr := ctx.Err()
	if dl, ok := ctx.Deadline(); cerr == nil && ok && !time.Now().Before(dl) {
		cerr = context.DeadlineExceeded
	}
	if cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("%w (%w)", cerr, d.wrap(err))
	}
	return d.wrap(err)
}

// takeTurn waits for the writer's turn when the dialect queues writes
// (see Dialect.queueWrites), and returns what gives it up; with no queue
// it returns at once.
func (d *Driver) takeTurn(ctx context.Context) (func(), error) {
	if d.turn == nil {
		return func() {}, nil
	}
	select {
	case d.turn <- struct{}{}:
		return func() { <-d.turn }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// inTx runs fn in a read-write transaction, and runs it again when the
// database asks for a retry (deadlock, serialisation failure, busy).
func (d *Driver) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return d.inConnTx(ctx, func(_ *sql.Conn, tx *sql.Tx) error { return fn(tx) })
}

// inConnTx is inTx for work that also needs the connection the
// transaction runs on (a COPY through the driver's own connection).
func (d *Driver) inConnTx(ctx context.Context, fn func(conn *sql.Conn, tx *sql.Tx) error) error {
	d.warm(ctx)
	var err error
	for attempt := 0; attempt < 8; attempt++ {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Duration(attempt*attempt) * 5 * time.Millisecond):
			}
		}
		err = d.tryConnTx(ctx, fn)
		var de *dbError
		if err == nil || !errors.As(err, &de) || de.class != Retry {
			return err
		}
	}
	return err
}

// tryConnTx runs fn in one transaction, on the connection it gives fn. Its statements run under ctx, so a
// cancelled call stops at the next statement; the transaction itself is
// begun under a context that is never cancelled, because drivers commit
// with the transaction's context (pgx does) and a cancellation that lands
// during COMMIT would report a failure for a transaction the server
// committed. Once ctx has held until COMMIT is sent, the outcome is the
// commit's: a call reports success exactly when its write is stored.
func (d *Driver) tryConnTx(ctx context.Context, fn func(conn *sql.Conn, tx *sql.Tx) error) error {
	// Before the connection: a writer in the queue holds none.
	release, err := d.takeTurn(ctx)
	if err != nil {
		return err
	}
	defer release()
	// The connection is taken under ctx, so a cancelled caller does not
	// wait for a busy pool.
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return d.fail(ctx, err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(context.WithoutCancel(ctx), nil)
	if err != nil {
		return d.fail(ctx, err)
	}
	defer func() { _ = tx.Rollback() }()
	if err := fn(conn, tx); err != nil {
		return d.fail(ctx, err)
	}
	if err := ctx.Err(); err != nil {
		return err // rolled back: nothing was stored
	}
	if err := tx.Commit(); err != nil {
		return d.wrap(err)
	}
	d.wrote(ctx, conn)
	return nil
}

// Analyze refreshes the database's planner statistics of Ficha's tables.
// Call it after a bulk load (a migration from a DMS): until the database
// gathers statistics on its own, a planner that believes the tables are
// still small may choose scans over the indexes.
//
// In PostgreSQL it runs VACUUM (ANALYZE), which also does what a bulk load
// leaves for later: it marks the new rows as visible to all (their hint
// bits and the visibility map), so that the first read of each page does
// not write it back, and index-only scans need no visit to the table.
// Autovacuum gets there by itself in time; this gets there now.
//
// In SQLite it does nothing: SQLite's planner takes these indexes without
// statistics but for one table, word_keys, whose figures Migrate writes
// itself (see wordPlanStats); with sampled statistics it re-plans prepared
// statements far more often, which measured three times slower on
// look-ups (see BENCHMARKS.md).
func (d *Driver) Analyze(ctx context.Context) error {
	tables := []string{tCustomers.name, tChanges.name, tSeq.name, tAttend.name, tItems.name,
		tConsent.name, tConsentState.name, tSuppress.name, tRequests.name}
	return d.analyze(ctx, tables, true)
}

// analyze refreshes the statistics of tables (and of every sub-record
// table); in PostgreSQL, with vacuum, through VACUUM (ANALYZE).
func (d *Driver) analyze(ctx context.Context, tables []string, vacuum bool) error {
	if d.dialect.name == SQLite.name {
		return nil
	}
	for _, t := range childTables {
		tables = append(tables, t.name)
	}
	var stmts []string
	switch {
	case d.dialect.name == MySQL.name:
		for _, t := range tables {
			stmts = append(stmts, "ANALYZE TABLE "+t)
		}
	case vacuum:
		stmts = []string{"VACUUM (ANALYZE) " + strings.Join(tables, ", ")}
	default:
		stmts = []string{"ANALYZE " + strings.Join(tables, ", ")}
	}
	for _, stmt := range stmts {
		if _, err := d.db.ExecContext(ctx, stmt); err != nil {
			return d.fail(ctx, err)
		}
	}
	return nil
}

// OpenStore applies the migrations and returns a store over d; on failure
// it closes d. It is what each adapter's Open does once it has a driver.
func (d *Driver) OpenStore(ctx context.Context, opts *storage.Options) (*storage.Store, error) {
	if err := opts.Validate(); err != nil {
		_ = d.Close()
		return nil, err
	}
	if err := d.Migrate(ctx); err != nil {
		_ = d.Close()
		return nil, err
	}
	return storage.New(d, opts), nil
}
