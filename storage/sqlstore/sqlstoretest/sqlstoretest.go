// Package sqlstoretest checks what every SQL dialect must do beyond the
// storage contract: migrations that are idempotent and safe to run from
// several processes at once.
package sqlstoretest

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/sqlstore"
	"github.com/fichacrm/ficha/storage/storagetest"
)

// Opener returns a new driver, on its own connection pool, over the same
// empty database each time it is called within one test.
type Opener func(t *testing.T) *sqlstore.Driver

// RunMigrations runs the migration checks: several drivers migrating the
// same empty database at once all succeed, and so does migrating again;
// the schema is then usable.
func RunMigrations(t *testing.T, open Opener) {
	const migrators = 4
	drivers := make([]*sqlstore.Driver, migrators)
	for i := range drivers {
		drivers[i] = open(t)
		t.Cleanup(func() { _ = drivers[i].Close() })
	}
	var wg sync.WaitGroup
	errs := make([]error, migrators)
	for i, d := range drivers {
		wg.Go(func() { errs[i] = d.Migrate(t.Context()) })
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err, "concurrent migrators")
	}
	require.NoError(t, drivers[0].Migrate(t.Context()), "migrating again is a no-op")

	var applied int
	require.NoError(t, drivers[0].DB().QueryRowContext(t.Context(), "SELECT COUNT(*) FROM ficha_migrations").Scan(&applied))
	require.Positive(t, applied)
	var distinct int
	require.NoError(t, drivers[0].DB().QueryRowContext(t.Context(), "SELECT COUNT(DISTINCT version) FROM ficha_migrations").Scan(&distinct))
	require.Equal(t, applied, distinct, "each migration is recorded once")

	require.NoError(t, drivers[0].Analyze(t.Context()), "statistics can be refreshed")

	s := storage.New(drivers[1], nil)
	c, err := s.Create(t.Context(), "migrated", storagetest.Individual(1))
	require.NoError(t, err)
	got, err := s.Get(t.Context(), "migrated", c.ID)
	require.NoError(t, err)
	require.Equal(t, c.ID, got.ID)
}
