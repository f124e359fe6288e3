package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/sqlite"
	"github.com/fichacrm/ficha/storage/storagetest"
)

func TestConformanceFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ficha.db")
	storagetest.Run(t, func(t *testing.T) *storage.Store {
		s, err := sqlite.OpenStore(t.Context(), path, nil)
		require.NoError(t, err)
		return s
	})
}

func TestConformanceMemory(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) *storage.Store {
		s, err := sqlite.OpenStore(t.Context(), ":memory:", nil)
		require.NoError(t, err)
		return s
	})
}
