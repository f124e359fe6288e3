package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAttendance runs the 15 steps offline, with the sheet written into
// a directory of the test's own.
func TestAttendance(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out, dir, false))
	text := out.String()
	first, _, _ := strings.Cut(text, "\n")
	assert.Equal(t, "Ficha attendance: the 15 steps of the attendance page on a temporary SQLite store (removed at exit), "+
		"offline, CEPs from an in-process table; the sheet is kept in "+dir, first)
	last := -1
	for step := 1; step <= 15; step++ {
		at := strings.Index(text, fmt.Sprintf("step %2d:", step))
		require.GreaterOrEqual(t, at, 0, "step %d ran", step)
		assert.Greater(t, at, last, "step %d ran in order", step)
		last = at
	}
	assert.Contains(t, text, "refused: tax_id — este campo não pode ser alterado")
	assert.Contains(t, text, "CEP 88015-200 looked up (in-process table): filled [street district city uf]")
	assert.Contains(t, text, "saved: version 1 -> 2")
	assert.Contains(t, text, "mastercard •••• 4444")

	path := filepath.Join(dir, sheetName)
	assert.True(t, strings.HasSuffix(text, "customer sheet written to "+path+"\n"), "the last line names the sheet: %q", text)
	html, err := os.ReadFile(path)
	require.NoError(t, err, "the sheet is where the output says, after the run")
	page := string(html)
	for _, want := range []string{"FICHA DO CLIENTE", "José Carlos de Oliveira", "871.957.260-37", "Rua Felipe Schmidt, 450",
		"88015-200", "R$ 85.350,40", "Banco Stellantis", "10/04/2029", "•••• 4444", "Lucas Oliveira", "Márcia Regina de Oliveira",
		"716.566.867-59", "R$ 18.500,00", "Casado(a)", "10/02/2012", "Quinta-feira, às 15h", "Correspondência, Cobrança",
		"(America/Sao_Paulo)"} {
		assert.Contains(t, page, want)
	}
	assert.NotContains(t, page, "5555555555554444")

	// A second run starts from the same customer again and replaces the
	// sheet.
	out.Reset()
	require.NoError(t, run(t.Context(), &out, dir, false))
	assert.Contains(t, out.String(), "saved: version 1 -> 2")
}

// TestAttendanceKeepsOnlyTheSheet runs with the default directory, the
// system's temporary one, made the test's own: afterwards it holds the
// sheet and nothing else, the temporary store being gone.
func TestAttendanceKeepsOnlyTheSheet(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	if os.TempDir() != tmp {
		t.Skip("os.TempDir does not follow TMPDIR on this system")
	}
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out, os.TempDir(), false))
	assert.Contains(t, out.String(), "customer sheet written to "+filepath.Join(tmp, sheetName)+"\n")
	entries, err := os.ReadDir(tmp)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.Equal(t, []string{sheetName}, names)
}
