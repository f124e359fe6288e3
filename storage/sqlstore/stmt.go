package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"sync"
)

// maxStatements bounds the prepared-statement cache; search shapes past it
// run unprepared.
const maxStatements = 512

// stmtCache keeps prepared statements by SQL text, for dialects whose
// driver would otherwise compile every statement anew (SQLite).
type stmtCache struct {
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// prepared returns the cached statement for query, or nil when the dialect
// does not cache. Outside a transaction (inTx false) a statement not yet
// cached is prepared on the pool. Inside one it is not: preparing needs a
// connection of the pool, and waiting for one while holding the
// transaction's could wait forever on a small pool; the statements that
// run in transactions are prepared ahead by warm.
func (d *Driver) prepared(ctx context.Context, query string, inTx bool) *sql.Stmt {
	if !d.dialect.prepare || d.onReplica(ctx) {
		return nil
	}
	c := &d.cache
	c.mu.Lock()
	st, ok := c.stmts[query]
	full := len(c.stmts) >= maxStatements
	c.mu.Unlock()
	if ok || inTx || full {
		return st
	}
	// Prepare without holding the lock: preparing waits for a connection,
	// and a holder of one may be waiting for the lock.
	st, err := d.db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev, ok := c.stmts[query]; ok {
		_ = st.Close()
		return prev
	}
	if c.stmts == nil {
		c.stmts = map[string]*sql.Stmt{}
	}
	c.stmts[query] = st
	return st
}

func (d *Driver) closeStatements() {
	d.cache.mu.Lock()
	defer d.cache.mu.Unlock()
	for _, st := range d.cache.stmts {
		_ = st.Close()
	}
	d.cache.stmts = nil
}

// exec runs a statement in tx, or on the pool when tx is nil.
func (d *Driver) exec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	if st := d.prepared(ctx, query, tx != nil); st != nil {
		if tx != nil {
			st = tx.StmtContext(ctx, st)
		}
		return st.ExecContext(ctx, args...)
	}
	if tx != nil {
		return tx.ExecContext(ctx, query, args...)
	}
	return d.db.ExecContext(ctx, query, args...) // never on a replica
}

// query runs a query in tx, or on the pool when tx is nil.
func (d *Driver) query(ctx context.Context, tx *sql.Tx, query string, args ...any) (*sql.Rows, error) {
	if st := d.prepared(ctx, query, tx != nil); st != nil {
		if tx != nil {
			st = tx.StmtContext(ctx, st)
		}
		return st.QueryContext(ctx, args...)
	}
	if tx != nil {
		return tx.QueryContext(ctx, query, args...)
	}
	return d.pool(ctx).QueryContext(ctx, query, args...)
}

// queryRow runs a one-row query in tx, or on the pool when tx is nil.
func (d *Driver) queryRow(ctx context.Context, tx *sql.Tx, query string, args ...any) *sql.Row {
	if st := d.prepared(ctx, query, tx != nil); st != nil {
		if tx != nil {
			st = tx.StmtContext(ctx, st)
		}
		return st.QueryRowContext(ctx, args...)
	}
	if tx != nil {
		return tx.QueryRowContext(ctx, query, args...)
	}
	return d.pool(ctx).QueryRowContext(ctx, query, args...)
}

// warm prepares, once and outside any transaction, the fixed statements
// that run inside transactions. It is called at the start of each write
// and read; until the schema exists it fails quietly and is tried again.
func (d *Driver) warm(ctx context.Context) {
	if !d.dialect.prepare || d.warmed.Load() {
		return
	}
	qs := []string{d.q.getCustomer, d.q.createdAt, d.q.version, d.q.deleteCustomer, d.q.idExists, d.q.activity,
		d.q.wordActivity, d.q.bumpSeq, d.q.lastSeq, d.q.deleteKey, d.q.anonymised, d.q.shareCustomer, d.q.lockCreated}
	for _, t := range childTables {
		qs = append(qs, d.q.children[t.name], d.q.deleteChildren[t.name])
	}
	for _, t := range append([]table{tCustomers, tChanges}, childTables...) {
		qs = append(qs, d.insertRow(t), d.insertRows(t))
	}
	for _, q := range qs {
		if d.prepared(ctx, q, false) == nil {
			return
		}
	}
	d.warmed.Store(true)
}

// ahead prepares, outside any transaction, a statement that a write is
// about to run in one and that warm could not prepare: one of many
// variants (an update's by the sections it confirms).
func (d *Driver) ahead(ctx context.Context, query string) {
	if d.dialect.prepare {
		d.prepared(ctx, query, false)
	}
}

// insertRow is the one-row INSERT of table t.
func (d *Driver) insertRow(t table) string {
	return d.dialect.rebind("INSERT INTO " + t.name + " (" + strings.Join(t.names(), ", ") + ") VALUES " + placeholders(len(t.cols), 1))
}

// stmtRows is how many rows the prepared many-row INSERT of a table
// writes (insertRows): enough that the cost of a statement's run through
// database/sql is spread thin, few enough that a customer table's
// placeholders stay far under SQLite's limit.
const stmtRows = 32

// insertRows is the INSERT of stmtRows rows into table t.
func (d *Driver) insertRows(t table) string {
	return d.dialect.rebind("INSERT INTO " + t.name + " (" + strings.Join(t.names(), ", ") + ") VALUES " + placeholders(len(t.cols), stmtRows))
}
