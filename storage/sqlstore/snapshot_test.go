package sqlstore_test

import (
	"database/sql"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/mysql"
	"github.com/fichacrm/ficha/storage/postgres"
	"github.com/fichacrm/ficha/storage/sqlite"
	"github.com/fichacrm/ficha/storage/sqlstore"
	"github.com/fichacrm/ficha/storage/storagetest"
)

// TestSearchReadsOneSnapshot renames a customer, through another pool,
// between the statement of a word search that checks candidates and the
// one that reads the page (MySQL/MariaDB merges a walk in the driver, in
// several statements; PostgreSQL and SQLite walk in one): the page must
// show the customers as they were when they were checked, each matching
// the query and in search order, never the renamed one under its new
// name.
func TestSearchReadsOneSnapshot(t *testing.T) {
	t.Run("mysql", func(t *testing.T) {
		d, other := countedStores(t, "mysql", "")
		testSnapshot(t, d, other)
	})
}

func testSnapshot(t *testing.T, d *sqlstore.Driver, other *storage.Store) {
	s := storage.New(d, nil)
	t.Cleanup(func() { _ = s.Close(); _ = other.Close() })
	tn := "snap-" + uuid.NewString()
	// Two words start each prefix searched, so that the walk merges
	// them (one word is walked in one statement, the page with it).
	for i := range 2 {
		c := storagetest.Individual(890 + i)
		c.Name = "Zeco Teodora Bastos"
		_, err := s.Create(t.Context(), tn, c)
		require.NoError(t, err)
	}
	var ids []uuid.UUID
	for i := range 6 {
		c := storagetest.Individual(900 + i)
		c.Name = "Zeca Teodoro Alvim"
		created, err := s.Create(t.Context(), tn, c)
		require.NoError(t, err)
		ids = append(ids, created.ID)
	}
	// The newest customer comes first: rename it as the page is read.
	victim, err := other.Get(t.Context(), tn, ids[len(ids)-1])
	require.NoError(t, err)
	var fired atomic.Bool
	hook := func(q string) {
		if !strings.Contains(q, ", 0 FROM customers c WHERE c.tenant = ? AND c.id IN (") || !fired.CompareAndSwap(false, true) {
			return
		}
		victim.Name = "Bento Quaresma"
		_, err := other.Update(t.Context(), tn, victim)
		assert.NoError(t, err)
	}
	queryHook.Store(&hook)
	defer queryHook.Store(nil)

	for _, q := range []customer.Query{{Name: "zec teod"}, {Name: "zec"}} {
		fired.Store(false)
		victim, err = other.Get(t.Context(), tn, victim.ID)
		require.NoError(t, err)
		victim.Name = "Zeca Teodoro Alvim"
		victim, err = other.Update(t.Context(), tn, victim)
		require.NoError(t, err)
		p, err := s.Search(t.Context(), tn, q, &storage.SearchOptions{Limit: 4})
		require.NoError(t, err)
		require.True(t, fired.Load(), "the page was read by the statement the hook waits for")
		require.NotEmpty(t, p.Hits)
		for i, h := range p.Hits {
			assert.Contains(t, h.Name, "Zec", "hit %d was checked under one name and shown under another", i)
			if i > 0 {
				prev, cur := p.Hits[i-1], h
				assert.GreaterOrEqual(t, storage.Rank(prev.UpdatedAt, prev.LastAttendance), storage.Rank(cur.UpdatedAt, cur.LastAttendance), "hits out of order")
			}
		}
	}
}

// mysqlDSN is dsn with the settings the opener storage/mysql makes, for
// a pool opened through the counted driver.
func mysqlDSN(t *testing.T, dsn string) string {
	cfg, err := gomysql.ParseDSN(dsn)
	require.NoError(t, err)
	cfg.ParseTime = true
	cfg.Loc = time.UTC
	require.NoError(t, cfg.Apply(gomysql.Charset("utf8mb4", "utf8mb4_unicode_ci")))
	cfg.InterpolateParams = true
	if cfg.Params == nil {
		cfg.Params = map[string]string{}
	}
	cfg.Params["time_zone"] = "'+00:00'"
	return cfg.FormatDSN()
}

// TestSearchStopsWhereItRead pages through a word search whose pages stop
// at the search budget while another pool deletes a word key the first
// page read, just before the statement that finds where the page stopped:
// the next page must go on from the last key the first page read, so that
// no customer is skipped (when the two statements saw different data, the
// budget's end slid one key further and a matching customer was never
// checked).
func TestSearchStopsWhereItRead(t *testing.T) {
	for _, a := range []string{"sqlite", "postgres", "mysql"} {
		t.Run(a, func(t *testing.T) {
			d, other := countedStores(t, a, "ficha_stops")
			testStops(t, d, other)
		})
	}
}

// countedStores opens a driver of adapter through its counted
// database/sql driver (queryHook sees its statements) over a new SQLite
// file, the PostgreSQL schema named (dropped and made again) or the MySQL
// database of FICHA_TEST_MYSQL_DSN, migrated, and a store of the adapter's
// own opener on the same database, whose writes come from another pool.
// It skips when the adapter's server is not configured.
func countedStores(t *testing.T, adapter, schema string) (*sqlstore.Driver, *storage.Store) {
	t.Helper()
	registerDrivers()
	var d *sqlstore.Driver
	var other *storage.Store
	switch adapter {
	case "sqlite":
		path := t.TempDir() + "/counted.db"
		db, err := sql.Open("sqlite-counted", "file:"+path+"?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)")
		require.NoError(t, err)
		d = sqlstore.New(db, sqlstore.SQLite, sqlite.Classify)
		require.NoError(t, d.Migrate(t.Context()))
		other, err = sqlite.Open(t.Context(), path, nil)
		require.NoError(t, err)
	case "postgres":
		dsn := os.Getenv("FICHA_TEST_POSTGRES_DSN")
		if dsn == "" {
			t.Skip("FICHA_TEST_POSTGRES_DSN is not set")
		}
		u, err := url.Parse(dsn)
		require.NoError(t, err)
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		db, err := sql.Open("pgx-counted", u.String())
		require.NoError(t, err)
		_, err = db.ExecContext(t.Context(), "DROP SCHEMA IF EXISTS "+schema+" CASCADE")
		require.NoError(t, err)
		_, err = db.ExecContext(t.Context(), "CREATE SCHEMA "+schema)
		require.NoError(t, err)
		d = sqlstore.New(db, sqlstore.Postgres, postgres.Classify)
		require.NoError(t, d.Migrate(t.Context()))
		other, err = postgres.Open(t.Context(), u.String(), nil)
		require.NoError(t, err)
	case "mysql":
		dsn := os.Getenv("FICHA_TEST_MYSQL_DSN")
		if dsn == "" {
			t.Skip("FICHA_TEST_MYSQL_DSN is not set")
		}
		db, err := sql.Open("mysql-counted", mysqlDSN(t, dsn))
		require.NoError(t, err)
		d = sqlstore.New(db, sqlstore.MySQL, mysql.Classify)
		require.NoError(t, d.Migrate(t.Context()))
		other, err = mysql.Open(t.Context(), dsn, nil)
		require.NoError(t, err)
	default:
		t.Fatalf("no adapter %q", adapter)
	}
	return d, other
}

func testStops(t *testing.T, d *sqlstore.Driver, other *storage.Store) {
	s := storage.New(d, &storage.Options{SearchBudget: 4})
	t.Cleanup(func() { _ = s.Close(); _ = other.Close() })
	tn := "stops-" + uuid.NewString()
	create := func(i int, name string) *customer.Customer {
		c := storagetest.Individual(950 + i)
		c.Name = name
		got, err := s.Create(t.Context(), tn, c)
		require.NoError(t, err)
		return got
	}
	// "alv" starts more keys than "zeca", so the search walks Zeca's keys,
	// newest first: four Pereiras (no match), then the Alvims.
	for i := range 12 {
		create(i, "Alvaro Souza")
	}
	var alvims []uuid.UUID
	for i := range 3 {
		alvims = append(alvims, create(20+i, "Zeca Alvim").ID)
	}
	var newest *customer.Customer
	for i := range 4 {
		newest = create(30+i, "Zeca Pereira")
	}
	var fired atomic.Bool
	hook := func(q string) {
		if !strings.Contains(q, "LIMIT 1 OFFSET") || !fired.CompareAndSwap(false, true) {
			return
		}
		// Newest Pereira, read by the page, leaves Zeca's keys.
		c, err := other.Get(t.Context(), tn, newest.ID)
		if assert.NoError(t, err) {
			c.Name = "Bento Pereira"
			_, err = other.Update(t.Context(), tn, c)
			assert.NoError(t, err)
		}
	}
	queryHook.Store(&hook)
	defer queryHook.Store(nil)

	// Pages of three, so that the budget of four keys holds.
	got := storagetest.SearchAll(t, s, tn, customer.Query{Name: "zeca alv"}, 3)
	require.True(t, fired.Load(), "a page stopped at the budget")
	assert.ElementsMatch(t, alvims, got, "every Zeca Alvim, once")
}
