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

func TestInitialLoad(t *testing.T) {
	storagetest.RunInitialLoad(t, memory.OpenDriver(), false)
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
	// The record's own fields, in order: its name, an empty trade name,
	// the CPF (then the numbers it is held as).
	assert.Contains(t, b.String(), c.Name+"\n\n"+c.TaxID.String()+"\n", "the record's CPF, not only the indexes' keys")
}
