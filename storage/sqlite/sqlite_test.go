package sqlite_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/sqlite"
	"github.com/fichacrm/ficha/storage/sqlstore"
	"github.com/fichacrm/ficha/storage/sqlstore/sqlstoretest"
	"github.com/fichacrm/ficha/storage/storagetest"
)

func TestConformanceFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "ficha.db")
	storagetest.Run(t, func(t *testing.T) storage.Driver {
		d, err := sqlite.OpenDriver(path)
		require.NoError(t, err)
		require.NoError(t, d.Migrate(t.Context()))
		return d
	})
}

func TestConformanceMemory(t *testing.T) {
	if raceDetector {
		t.Skip("under the race detector the suite runs on a file only; the plain test run covers \":memory:\"")
	}
	t.Parallel()
	storagetest.Run(t, func(t *testing.T) storage.Driver {
		d, err := sqlite.OpenDriver(":memory:")
		require.NoError(t, err)
		require.NoError(t, d.Migrate(t.Context()))
		return d
	})
}

func TestMigrations(t *testing.T) {
	path := filepath.Join(t.TempDir(), "migrate.db")
	sqlstoretest.RunMigrations(t, opener(path))
}

func TestSetAside(t *testing.T) {
	path := filepath.Join(t.TempDir(), "aside.db")
	sqlstoretest.RunSetAside(t, opener(path))
}

func TestInitialLoad(t *testing.T) {
	d, err := sqlite.OpenDriver(filepath.Join(t.TempDir(), "load.db"))
	require.NoError(t, err)
	require.NoError(t, d.Migrate(t.Context()))
	storagetest.RunInitialLoad(t, d, true)
}

func TestForeignKeysAndWAL(t *testing.T) {
	d, err := sqlite.OpenDriver(filepath.Join(t.TempDir(), "pragmas.db"))
	require.NoError(t, err)
	defer d.Close()
	require.NoError(t, d.Migrate(t.Context()))
	// Every connection of the pool, not just the first, has the pragmas.
	for range 3 {
		conn, err := d.DB().Conn(t.Context())
		require.NoError(t, err)
		defer conn.Close()
		var fk int
		var mode string
		require.NoError(t, conn.QueryRowContext(t.Context(), "PRAGMA foreign_keys").Scan(&fk))
		require.NoError(t, conn.QueryRowContext(t.Context(), "PRAGMA journal_mode").Scan(&mode))
		require.Equal(t, 1, fk)
		require.Equal(t, "wal", mode)
	}
	_, err = d.DB().ExecContext(t.Context(), "INSERT INTO customer_phones (customer_id, position, phone) VALUES ('nope', 0, '+5511987654321')")
	require.Error(t, err, "a sub-record without its customer is refused")
}

func TestUpgradeFromFirstSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "upgrade.db")
	sqlstoretest.RunUpgrade(t, opener(path))
}

func TestOlderWriter(t *testing.T) {
	path := filepath.Join(t.TempDir(), "older.db")
	sqlstoretest.RunOlderWriter(t, opener(path))
}

// TestTenantFirst checks that every table, index and foreign key leads
// with the tenant, so that the schema can be partitioned or distributed
// by tenant.
func TestTenantFirst(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tenant.db")
	sqlstoretest.RunTenantFirst(t, opener(path))
}

func TestForeignTable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "host.db")
	sqlstoretest.RunForeignTable(t, opener(path))
}

func TestOpenRefusesShortCursorKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "never.db")
	_, err := sqlite.Open(t.Context(), path, &storage.Options{CursorKey: []byte("short")})
	require.ErrorIs(t, err, storage.ErrOptions)
	_, statErr := os.Stat(path)
	require.True(t, os.IsNotExist(statErr), "nothing was opened")
}

func TestForeignTableAnyCase(t *testing.T) {
	for _, ddl := range []string{"CREATE TABLE Customers (x INTEGER)", "CREATE VIEW customers AS SELECT 1 AS x"} {
		path := filepath.Join(t.TempDir(), "host.db")
		d, err := sqlite.OpenDriver(path)
		require.NoError(t, err)
		_, err = d.DB().ExecContext(t.Context(), ddl)
		require.NoError(t, err)
		require.ErrorIs(t, d.Migrate(t.Context()), sqlstore.ErrForeignTable, ddl)
		require.NoError(t, d.Close())
	}
}

// TestPathIsAPath checks that a path with the characters a URI reads
// otherwise (# % ?) opens the file it names, and no other.
func TestPathIsAPath(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a#b.db", "q%2523.db", "e%41f.db", "what?.db"} {
		path := filepath.Join(dir, name)
		s, err := sqlite.Open(t.Context(), path, nil)
		require.NoError(t, err, name)
		_, err = s.Create(t.Context(), "t", storagetest.Individual(1))
		require.NoError(t, err, "%s is a new database", name)
		require.NoError(t, s.Close())
		_, err = os.Stat(path)
		require.NoError(t, err, "%s exists under its own name", name)
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		require.Contains(t, []string{"a#b.db", "q%2523.db", "e%41f.db", "what?.db",
			"a#b.db-wal", "a#b.db-shm", "q%2523.db-wal", "q%2523.db-shm", "e%41f.db-wal", "e%41f.db-shm", "what?.db-wal", "what?.db-shm"}, e.Name())
	}
}

// opener returns what the sqlstoretest suites call for a driver: one on
// path, opened afresh.
func opener(path string) func(t *testing.T) *sqlstore.Driver {
	return func(t *testing.T) *sqlstore.Driver {
		d, err := sqlite.OpenDriver(path)
		require.NoError(t, err)
		return d
	}
}
