package memory_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/memory"
	"github.com/fichacrm/ficha/storage/storagetest"
)

func TestConformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storage.Driver { return memory.OpenDriver() })
}

// TestDumpShowsTaxIDs checks that the dump the anonymisation tests search
// holds a stored CPF as its text, though the record keeps it as numbers.
func TestDumpShowsTaxIDs(t *testing.T) {
	d := memory.OpenDriver()
	s := storage.New(d, nil)
	defer s.Close()
	c := storagetest.Individual(3)
	_, err := s.Create(t.Context(), "dump", c)
	require.NoError(t, err)
	var b strings.Builder
	require.NoError(t, d.Dump(t.Context(), &b))
	assert.GreaterOrEqual(t, strings.Count(b.String(), c.TaxID.String()+"\n"), 2, "the record's CPF, not only the index's key")
}
