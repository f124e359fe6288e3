package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/postgres"
	"github.com/fichacrm/ficha/storage/sqlstore"
	"github.com/fichacrm/ficha/storage/sqlstore/sqlstoretest"
	"github.com/fichacrm/ficha/storage/storagetest"
)

// schemaDSN creates a schema of its own for t, dropped at the end, and
// returns a DSN whose search_path selects it.
func schemaDSN(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv("FICHA_TEST_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("set FICHA_TEST_POSTGRES_DSN (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable) to run the PostgreSQL tests")
	}
	db, err := postgres.DB(dsn)
	require.NoError(t, err)
	schema := fmt.Sprintf("ficha_test_%d", time.Now().UnixNano())
	_, err = db.ExecContext(t.Context(), "CREATE SCHEMA "+schema)
	require.NoError(t, err)
	t.Cleanup(func() {
		_, _ = db.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		_ = db.Close()
	})
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		return strings.TrimSpace(dsn) + " search_path=" + schema
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func TestConformance(t *testing.T) {
	t.Parallel() // beside TestReplicas, which runs servers of its own
	dsn := schemaDSN(t)
	storagetest.Run(t, func(t *testing.T) storage.Driver {
		d, err := postgres.OpenDriver(dsn)
		require.NoError(t, err)
		require.NoError(t, d.Migrate(t.Context()))
		return d
	})
}

func TestMigrations(t *testing.T) {
	dsn := schemaDSN(t)
	sqlstoretest.RunMigrations(t, opener(dsn))
}

func TestSetAside(t *testing.T) {
	dsn := schemaDSN(t)
	sqlstoretest.RunSetAside(t, opener(dsn))
}

func TestInitialLoad(t *testing.T) {
	d, err := postgres.OpenDriver(schemaDSN(t))
	require.NoError(t, err)
	require.NoError(t, d.Migrate(t.Context()))
	storagetest.RunInitialLoad(t, d, true)
}

func TestSchemaTypes(t *testing.T) {
	dsn := schemaDSN(t)
	d, err := postgres.OpenDriver(dsn)
	require.NoError(t, err)
	defer d.Close()
	require.NoError(t, d.Migrate(t.Context()))
	types := map[string]string{}
	rows, err := d.DB().QueryContext(t.Context(), `SELECT table_name || '.' || column_name, data_type FROM information_schema.columns
		WHERE table_schema = current_schema() AND column_name IN ('value', 'lien_balance', 'birth_date', 'created_at', 'id', 'fleet_manager')`)
	require.NoError(t, err)
	defer rows.Close()
	for rows.Next() {
		var col, typ string
		require.NoError(t, rows.Scan(&col, &typ))
		types[col] = typ
	}
	require.NoError(t, rows.Err())
	require.Equal(t, "numeric", types["assets.value"])
	require.Equal(t, "numeric", types["assets.lien_balance"])
	require.Equal(t, "date", types["customers.birth_date"])
	require.Equal(t, "timestamp with time zone", types["customers.created_at"])
	require.Equal(t, "uuid", types["customers.id"])
	require.Equal(t, "boolean", types["contacts.fleet_manager"])
	var _ *sql.DB = d.DB()
}

// TestBulkLoadRefreshesStatistics checks that a bulk load large enough to
// change the planner's picture refreshes the statistics by itself.
func TestBulkLoadRefreshesStatistics(t *testing.T) {
	dsn := schemaDSN(t)
	s, err := postgres.Open(t.Context(), dsn, nil)
	require.NoError(t, err)
	defer s.Close()
	batch := make([]*customer.Customer, 5000)
	for i := range batch {
		batch[i] = storagetest.Individual(i)
	}
	res, err := s.CreateMany(t.Context(), "bulk", batch)
	require.NoError(t, err)
	require.NoError(t, res[len(res)-1].Err)
	db, err := postgres.DB(dsn)
	require.NoError(t, err)
	defer db.Close()
	var analyzed bool
	require.NoError(t, db.QueryRowContext(t.Context(),
		"SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE schemaname = current_schema() AND relname = 'search_keys'").Scan(&analyzed))
	require.True(t, analyzed)
}

func TestUpgradeFromFirstSchema(t *testing.T) {
	dsn := schemaDSN(t)
	sqlstoretest.RunUpgrade(t, opener(dsn))
}

func TestOlderWriter(t *testing.T) {
	dsn := schemaDSN(t)
	sqlstoretest.RunOlderWriter(t, opener(dsn))
}

// TestTenantFirst checks that every table, index and foreign key leads
// with the tenant, so that the schema can be partitioned or distributed
// by tenant.
func TestTenantFirst(t *testing.T) {
	dsn := schemaDSN(t)
	sqlstoretest.RunTenantFirst(t, opener(dsn))
}

// TestTenantFirstPrebuiltIndex checks the way migration 13 offers a DBA
// who would not make writes wait while it builds its index: the index
// built beforehand, concurrently, is the one the migration keeps.
func TestTenantFirstPrebuiltIndex(t *testing.T) {
	dsn := schemaDSN(t)
	d, err := postgres.OpenDriver(dsn)
	require.NoError(t, err)
	defer d.Close()
	require.NoError(t, d.MigrateTo(t.Context(), 12))
	_, err = d.DB().ExecContext(t.Context(), "CREATE INDEX CONCURRENTLY search_keys_tenant_customer ON search_keys (tenant, customer_id)")
	require.NoError(t, err)
	var oid int64
	require.NoError(t, d.DB().QueryRowContext(t.Context(), "SELECT 'search_keys_tenant_customer'::regclass::oid").Scan(&oid))
	require.NoError(t, d.Migrate(t.Context()))
	var kept int64
	require.NoError(t, d.DB().QueryRowContext(t.Context(), "SELECT 'search_keys_customer'::regclass::oid").Scan(&kept))
	assert.Equal(t, oid, kept, "the prebuilt index is kept, under the old index's name")
	sqlstoretest.RunTenantFirst(t, opener(dsn))
}

func TestForeignTable(t *testing.T) {
	dsn := schemaDSN(t)
	sqlstoretest.RunForeignTable(t, opener(dsn))
}

// TestSchemaOfItsOwn checks that Open creates the schema the search path
// names when it is missing, and that a host's unrelated customers table in
// another schema of the same database does not matter.
func TestSchemaOfItsOwn(t *testing.T) {
	hostDSN := schemaDSN(t) // stands for the host's schema
	db, err := postgres.DB(hostDSN)
	require.NoError(t, err)
	defer db.Close()
	_, err = db.ExecContext(t.Context(), "CREATE TABLE customers (code INTEGER PRIMARY KEY, label TEXT)")
	require.NoError(t, err)

	schema := fmt.Sprintf("Ficha_%d", time.Now().UnixNano()) // mixed case: quoted
	t.Cleanup(func() { _, _ = db.ExecContext(context.Background(), `DROP SCHEMA IF EXISTS "`+schema+`" CASCADE`) })
	u, err := url.Parse(os.Getenv("FICHA_TEST_POSTGRES_DSN"))
	require.NoError(t, err)
	q := u.Query()
	q.Set("search_path", `"`+schema+`"`)
	u.RawQuery = q.Encode()
	for range 2 {
		s, err := postgres.Open(t.Context(), u.String(), nil)
		require.NoError(t, err)
		_, err = s.Create(t.Context(), "dealer", storagetest.Individual(1))
		if err != nil {
			require.ErrorIs(t, err, storage.ErrDuplicateTaxID, "the second open finds the first one's customer")
		}
		require.NoError(t, s.Close())
	}
	var tables int
	require.NoError(t, db.QueryRowContext(t.Context(), "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = $1", schema).Scan(&tables))
	require.Greater(t, tables, 10, "Ficha's tables are in its own schema")
	var rows int
	require.NoError(t, db.QueryRowContext(t.Context(), "SELECT COUNT(*) FROM customers").Scan(&rows))
	require.Zero(t, rows, "the host's table is untouched")
}

// TestSchemaFirstInPath checks that a search path naming a new schema
// before an existing one creates the new one and puts Ficha's tables
// there, not in the existing one.
func TestSchemaFirstInPath(t *testing.T) {
	hostDSN := schemaDSN(t) // an existing schema, second in the path
	u, err := url.Parse(hostDSN)
	require.NoError(t, err)
	host := u.Query().Get("search_path")
	schema := fmt.Sprintf("ficha_first_%d", time.Now().UnixNano())
	q := u.Query()
	q.Set("search_path", schema+", "+host)
	u.RawQuery = q.Encode()
	db, err := postgres.DB(hostDSN)
	require.NoError(t, err)
	defer db.Close()
	t.Cleanup(func() { _, _ = db.ExecContext(context.Background(), "DROP SCHEMA IF EXISTS "+schema+" CASCADE") })

	s, err := postgres.Open(t.Context(), u.String(), nil)
	require.NoError(t, err)
	require.NoError(t, s.Close())
	var inNew, inHost int
	require.NoError(t, db.QueryRowContext(t.Context(), "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = $1", schema).Scan(&inNew))
	require.NoError(t, db.QueryRowContext(t.Context(), "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = $1", host).Scan(&inHost))
	require.Greater(t, inNew, 10, "Ficha's tables are in the schema the path names first")
	require.Zero(t, inHost, "and none in the one after it")
}

// opener returns what the sqlstoretest suites call for a driver: one on
// dsn, opened afresh.
func opener(dsn string) func(t *testing.T) *sqlstore.Driver {
	return func(t *testing.T) *sqlstore.Driver {
		d, err := postgres.OpenDriver(dsn)
		require.NoError(t, err)
		return d
	}
}
