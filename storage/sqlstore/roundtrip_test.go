package sqlstore_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"modernc.org/sqlite"

	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/sqlstore"
	"github.com/fichacrm/ficha/storage/storagetest"
)

// statements counts the statements that reach the database through the
// counted drivers: each execution of a query or a prepared
// statement, which on a server is a round trip.
var statements atomic.Int64

type countedConn struct{ driver.Conn }

func (c countedConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	st, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	return countedStmt{st, q}, nil
}

func (c countedConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

func (c countedConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	statements.Add(1)
	beforeQuery(q)
	return c.Conn.(driver.QueryerContext).QueryContext(ctx, q, args)
}

func (c countedConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	statements.Add(1)
	return c.Conn.(driver.ExecerContext).ExecContext(ctx, q, args)
}

type countedStmt struct {
	driver.Stmt
	query string
}

func (s countedStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	statements.Add(1)
	beforeQuery(s.query)
	return s.Stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
}

func (s countedStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	statements.Add(1)
	return s.Stmt.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (c countedConn) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := c.Conn.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

// queryHook, when set, runs before each query the counted drivers send.
var queryHook atomic.Pointer[func(query string)]

func beforeQuery(q string) {
	if h := queryHook.Load(); h != nil {
		(*h)(q)
	}
}

// counted opens a database through inner whose statements are counted.
type counted struct{ inner driver.Driver }

func (c counted) Open(name string) (driver.Conn, error) {
	conn, err := c.inner.Open(name)
	if err != nil {
		return nil, err
	}
	return countedConn{conn}, nil
}

var registerCounted sync.Once

// registerDrivers registers the counted drivers: sqlite-counted,
// pgx-counted and mysql-counted.
func registerDrivers() {
	registerCounted.Do(func() {
		sql.Register("sqlite-counted", counted{&sqlite.Driver{}})
		sql.Register("pgx-counted", counted{stdlib.GetDefaultDriver()})
		sql.Register("mysql-counted", counted{&gomysql.MySQLDriver{}})
	})
}

// TestSearchRoundTrips pins how many statements a search runs, counted
// by a driver that wraps the database's own: one for a search with an
// identifier, whatever else it holds, on every dialect; on PostgreSQL and
// SQLite, a few for a search by words, whose walk is one statement (on
// MySQL/MariaDB the driver merges the words' keys in short statements
// instead).
func TestSearchRoundTrips(t *testing.T) {
	for _, a := range []string{"sqlite", "postgres", "mysql"} {
		t.Run(a, func(t *testing.T) {
			d, other := countedStores(t, a, "ficha_roundtrips")
			require.NoError(t, other.Close())
			testRoundTrips(t, d, a != "mysql")
		})
	}
}

func testRoundTrips(t *testing.T, d *sqlstore.Driver, words bool) {
	require.NoError(t, d.Migrate(t.Context()))
	s := storage.New(d, nil)
	defer s.Close()
	tn := "trips-" + uuid.NewString()
	var cs []*customer.Customer
	for i := range 300 {
		cs = append(cs, storagetest.Individual(i))
	}
	cs = append(cs, storagetest.Full(time.Now()))
	res, err := s.CreateMany(t.Context(), tn, cs)
	require.NoError(t, err)
	c := res[7].Customer

	// Every dialect reads a whole customer, every sub-record of it, in
	// one statement (a round trip, on a server).
	{
		full := res[len(res)-1].Customer
		statements.Store(0)
		got, err := s.Get(t.Context(), tn, full.ID)
		require.NoError(t, err)
		assert.Equal(t, int64(1), statements.Load(), "statements of a Get")
		assert.Equal(t, full.Contacts, got.Contacts)
		assert.Equal(t, full.Addresses, got.Addresses)

		// The desk's duplicate check: the customer, its candidates by
		// their keys, the candidates whole.
		statements.Store(0)
		_, err = s.Duplicates(t.Context(), tn, c.ID, nil)
		require.NoError(t, err)
		t.Logf("statements of a duplicate check: %d", statements.Load())
		assert.LessOrEqual(t, statements.Load(), int64(3), "statements of a duplicate check")

		// An update of one field writes the customer's row (with its
		// freshness), its words' activity and the change log, not every
		// table: on PostgreSQL all in one statement. Of a copy this
		// store handed out (the desk's Get, change, Update), it reads
		// nothing; of a copy another store handed out, it reads the
		// customer first.
		other := storage.New(d, nil)
		defer other.Close()
		for _, kept := range []bool{true, false} {
			s := s
			if !kept {
				s = other
			}
			got.Notes = fmt.Sprintf("prefers mornings (%v)", kept)
			statements.Store(0)
			got, err = s.Update(t.Context(), tn, got)
			require.NoError(t, err)
			t.Logf("statements of an update of one field (a kept copy: %v): %d", kept, statements.Load())
			read := int64(1)
			if kept {
				read = 0
			}
			if d.Dialect().Name() == sqlstore.Postgres.Name() {
				assert.Equal(t, read+1, statements.Load(), "statements of an update of one field (a kept copy: %v)", kept)
			} else {
				// The row, its creation time read back, the words, the
				// counter (its value the insert ID), the entry.
				assert.LessOrEqual(t, statements.Load(), read+5, "statements of an update of one field (a kept copy: %v)", kept)
			}
		}

		// A new customer with every sub-record is two statements on
		// PostgreSQL: its rows and the change log, then the look-up of a
		// merge that holds its ID (a statement of its own: see
		// insertWhole).
		statements.Store(0)
		_, err = s.Create(t.Context(), tn, storagetest.FullOther(time.Now()))
		require.NoError(t, err)
		t.Logf("statements of a create: %d", statements.Load())
		if d.Dialect().Name() == sqlstore.Postgres.Name() {
			assert.Equal(t, int64(2), statements.Load(), "statements of a create")
		}

		// An attendance writes itself, the customers row, the words'
		// activity and the change log (on PostgreSQL in one statement),
		// then checks in the same transaction that the customer is not
		// anonymised.
		statements.Store(0)
		_, err = s.Attend(t.Context(), tn, &attendance.Attendance{CustomerID: c.ID, Channel: attendance.Phone,
			Reason: attendance.Sales, Confirmed: attendance.Contacts})
		require.NoError(t, err)
		t.Logf("statements of an attendance: %d", statements.Load())
		if d.Dialect().Name() == sqlstore.Postgres.Name() {
			assert.Equal(t, int64(2), statements.Load(), "statements of an attendance")
		}
	}
	count := func(q customer.Query) int64 {
		t.Helper()
		// Once to prepare what the adapter prepares, then counted.
		_, err := s.Search(t.Context(), tn, q, nil)
		require.NoError(t, err)
		statements.Store(0)
		p, err := s.Search(t.Context(), tn, q, nil)
		require.NoError(t, err)
		require.NotEmpty(t, p.Hits, "%v", q)
		return statements.Load()
	}
	name := c.Name[:4]
	for _, q := range []customer.Query{
		{TaxID: c.TaxID.String()}, {Plate: c.Assets[0].Plate.String()}, {VIN: c.Assets[0].VIN.String()},
		{DMSCustomer: c.DMSCode}, {ServiceOrder: c.ServiceOrders[0]}, {Email: c.Emails[0].String()},
		{Phone: c.Phones[0].String()}, {Name: name, Phone: c.Phones[0].String()},
	} {
		assert.Equal(t, int64(1), count(q), "%+v", q)
	}
	if !words {
		return
	}
	for _, q := range []customer.Query{{Name: name}, {Name: c.Name}, {Company: "ltda"}, {Name: "a"}} {
		// Counts, the vocabulary, and per tier a walk and, when it did
		// not fill the page, where it stopped.
		assert.LessOrEqual(t, count(q), int64(6), "%+v", q)
	}
}
