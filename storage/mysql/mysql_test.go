package mysql_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/mysql"
	"github.com/fichacrm/ficha/storage/sqlstore"
	"github.com/fichacrm/ficha/storage/sqlstore/sqlstoretest"
	"github.com/fichacrm/ficha/storage/storagetest"
)

// databaseDSN creates a database of its own for t, dropped at the end, and
// returns a DSN that selects it.
func databaseDSN(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv("FICHA_TEST_MYSQL_DSN")
	if dsn == "" {
		t.Skip("set FICHA_TEST_MYSQL_DSN (e.g. root@tcp(127.0.0.1:3306)/test) to run the MySQL/MariaDB tests")
	}
	db, err := mysql.DB(dsn)
	require.NoError(t, err)
	name := fmt.Sprintf("ficha_test_%d", time.Now().UnixNano())
	_, err = db.ExecContext(t.Context(), "CREATE DATABASE "+name+" CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
	require.NoError(t, err)
	t.Cleanup(func() {
		_, _ = db.ExecContext(context.Background(), "DROP DATABASE "+name)
		_ = db.Close()
	})
	cfg, err := gomysql.ParseDSN(dsn)
	require.NoError(t, err)
	cfg.DBName = name
	return cfg.FormatDSN()
}

func TestConformance(t *testing.T) {
	dsn := databaseDSN(t)
	storagetest.Run(t, func(t *testing.T) storage.Driver {
		d, err := mysql.OpenDriver(dsn)
		require.NoError(t, err)
		require.NoError(t, d.Migrate(t.Context()))
		return d
	})
}

func TestMigrations(t *testing.T) {
	dsn := databaseDSN(t)
	sqlstoretest.RunMigrations(t, opener(dsn))
}

func TestSetAside(t *testing.T) {
	dsn := databaseDSN(t)
	sqlstoretest.RunSetAside(t, opener(dsn))
}

func TestInitialLoad(t *testing.T) {
	d, err := mysql.OpenDriver(databaseDSN(t))
	require.NoError(t, err)
	require.NoError(t, d.Migrate(t.Context()))
	storagetest.RunInitialLoad(t, d, false)
}

func TestSchemaTypes(t *testing.T) {
	dsn := databaseDSN(t)
	d, err := mysql.OpenDriver(dsn)
	require.NoError(t, err)
	defer d.Close()
	require.NoError(t, d.Migrate(t.Context()))
	var typ, charset string
	require.NoError(t, d.DB().QueryRowContext(t.Context(), `SELECT column_type, COALESCE(character_set_name, '') FROM information_schema.columns
		WHERE table_schema = DATABASE() AND table_name = 'customers' AND column_name = 'created_at'`).Scan(&typ, &charset))
	require.Equal(t, "datetime(6)", typ)
	require.NoError(t, d.DB().QueryRowContext(t.Context(), `SELECT column_type, character_set_name FROM information_schema.columns
		WHERE table_schema = DATABASE() AND table_name = 'customers' AND column_name = 'name'`).Scan(&typ, &charset))
	require.Equal(t, "utf8mb4", charset)
	require.NoError(t, d.DB().QueryRowContext(t.Context(), `SELECT column_type FROM information_schema.columns
		WHERE table_schema = DATABASE() AND table_name = 'assets' AND column_name = 'value'`).Scan(&typ))
	require.Equal(t, "decimal(15,2)", typ)
	var fks int
	require.NoError(t, d.DB().QueryRowContext(t.Context(), `SELECT COUNT(*) FROM information_schema.referential_constraints
		WHERE constraint_schema = DATABASE()`).Scan(&fks))
	require.GreaterOrEqual(t, fks, 12, "every sub-record table has its foreign key")
}

func TestSessionSettings(t *testing.T) {
	dsn := databaseDSN(t)
	db, err := mysql.DB(dsn)
	require.NoError(t, err)
	defer db.Close()
	var zone, sw string
	require.NoError(t, db.QueryRowContext(t.Context(), "SELECT @@session.time_zone, @@session.optimizer_switch").Scan(&zone, &sw))
	require.Equal(t, "+00:00", zone)
	require.Contains(t, sw, "semijoin=off")
}

func TestUpgradeFromFirstSchema(t *testing.T) {
	dsn := databaseDSN(t)
	sqlstoretest.RunUpgrade(t, opener(dsn))
}

func TestOlderWriter(t *testing.T) {
	dsn := databaseDSN(t)
	sqlstoretest.RunOlderWriter(t, opener(dsn))
}

// TestTenantFirst checks that every table, index and foreign key leads
// with the tenant, so that the schema can be partitioned or distributed
// by tenant.
func TestTenantFirst(t *testing.T) {
	dsn := databaseDSN(t)
	sqlstoretest.RunTenantFirst(t, opener(dsn))
}

func TestForeignTable(t *testing.T) {
	dsn := databaseDSN(t)
	sqlstoretest.RunForeignTable(t, opener(dsn))
}

// TestOpenCreatesDatabase checks that Open creates the database the DSN
// names when it does not exist, and opens it again afterwards.
func TestOpenCreatesDatabase(t *testing.T) {
	dsn := os.Getenv("FICHA_TEST_MYSQL_DSN")
	if dsn == "" {
		t.Skip("set FICHA_TEST_MYSQL_DSN (e.g. root@tcp(127.0.0.1:3306)/test) to run the MySQL/MariaDB tests")
	}
	cfg, err := gomysql.ParseDSN(dsn)
	require.NoError(t, err)
	cfg.DBName = fmt.Sprintf("ficha_new_%d", time.Now().UnixNano())
	admin, err := mysql.DB(dsn)
	require.NoError(t, err)
	t.Cleanup(func() {
		_, _ = admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+cfg.DBName)
		_ = admin.Close()
	})
	for range 2 {
		s, err := mysql.Open(t.Context(), cfg.FormatDSN(), nil)
		require.NoError(t, err)
		_, err = s.Create(t.Context(), "dealer", storagetest.Individual(1))
		if err != nil {
			require.ErrorIs(t, err, storage.ErrDuplicateTaxID, "the second open finds the first one's customer")
		}
		n, err := s.Count(t.Context(), "dealer")
		require.NoError(t, err)
		require.EqualValues(t, 1, n)
		require.NoError(t, s.Close())
	}
}

// TestCharsetOfTheDSNIsOverridden checks that a DSN asking for another
// connection charset still gets utf8mb4, as the package promises.
func TestCharsetOfTheDSNIsOverridden(t *testing.T) {
	dsn := databaseDSN(t)
	s, err := mysql.Open(t.Context(), dsn+"?charset=latin1", nil)
	require.NoError(t, err)
	defer s.Close()
	c := storagetest.Individual(1)
	c.Name = "João Müller 🚗"
	created, err := s.Create(t.Context(), "dealer", c)
	require.NoError(t, err)
	got, err := s.Get(t.Context(), "dealer", created.ID)
	require.NoError(t, err)
	require.Equal(t, c.Name, got.Name)
}

// opener returns what the sqlstoretest suites call for a driver: one on
// dsn, opened afresh.
func opener(dsn string) func(t *testing.T) *sqlstore.Driver {
	return func(t *testing.T) *sqlstore.Driver {
		d, err := mysql.OpenDriver(dsn)
		require.NoError(t, err)
		return d
	}
}
