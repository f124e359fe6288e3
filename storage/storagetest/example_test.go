package storagetest_test

import (
	"path/filepath"
	"testing"

	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/memory"
	"github.com/fichacrm/ficha/storage/sqlite"
	"github.com/fichacrm/ficha/storage/storagetest"
)

// An adapter's main test is the conformance suite: one test function that
// hands Run a factory of fresh drivers. Run builds a store over each
// driver, with the options each test needs, and closes it. An example
// cannot take a *testing.T, so the test functions an adapter's
// conformance_test.go would declare, TestConformance(t *testing.T), are
// written here as values.
func ExampleRun() {
	// The in-memory adapter: a new, empty driver per test.
	testConformance := func(t *testing.T) {
		storagetest.Run(t, func(t *testing.T) storage.Driver {
			return memory.OpenDriver()
		})
	}

	// An SQL adapter: drivers over one database, each migrated. Tests of
	// one Run use tenants of their own, so they may share it.
	testConformanceSQLite := func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "ficha.db")
		storagetest.Run(t, func(t *testing.T) storage.Driver {
			d, err := sqlite.OpenDriver(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := d.Migrate(t.Context()); err != nil {
				t.Fatal(err)
			}
			return d
		})
	}

	_, _ = testConformance, testConformanceSQLite
}
