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

// TestAttendance runs the 15 steps offline in a temporary directory.
func TestAttendance(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out, dir, false))
	text := out.String()
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

	html, err := os.ReadFile(filepath.Join(dir, "ficha-do-cliente.html"))
	require.NoError(t, err)
	page := string(html)
	for _, want := range []string{"FICHA DO CLIENTE", "José Carlos de Oliveira", "871.957.260-37", "Rua Felipe Schmidt, 450",
		"88015-200", "R$ 85.350,40", "Banco Stellantis", "10/04/2029", "•••• 4444", "Lucas Oliveira", "Márcia Regina de Oliveira",
		"716.566.867-59", "R$ 18.500,00", "Casado(a)", "10/02/2012", "Quinta-feira, às 15h", "Correspondência, Cobrança"} {
		assert.Contains(t, page, want)
	}
	assert.NotContains(t, page, "5555555555554444")
}
