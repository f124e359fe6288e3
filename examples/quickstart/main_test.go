package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestQuickstart runs the README's main command on a file it keeps and
// checks what it promises: the first line saying what it does and where,
// the file kept there, every search finding the right customer, the
// update with its conflict, the list and the updated customer's history.
func TestQuickstart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out, dir))
	path := filepath.Join(dir, "ficha.db")
	_, err := os.Stat(path)
	require.NoError(t, err, "the SQLite file is kept")
	text := out.String()
	first, _, _ := strings.Cut(text, "\n")
	assert.Equal(t, "Ficha quickstart: an SQLite store at "+path+" (kept), two customers, every search of the attendance page, "+
		"an update and its conflict, a list, a history, the printed sheet", first)
	assert.Contains(t, text, "refused: tax_id [taxid.required]")
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "search by") {
			assert.Contains(t, line, "(matched", "every search finds its customer: %s", line)
		}
	}
	assert.Equal(t, "José da Silva (matched tax_id)", result(text, "CPF"))
	assert.Equal(t, "José da Silva (matched name, phone)", result(text, "name and phone"))
	assert.Equal(t, "Transportadora Águia Ltda (matched phone)", result(text, "fleet manager's phone"))
	assert.Equal(t, "Transportadora Águia Ltda (matched company); José da Silva (matched company)", result(text, "company"), "whole words, then the newest")
	assert.Equal(t, "José da Silva (matched plate)", result(text, "plate (Mercosul form)"))
	assert.Contains(t, text, "version 1 -> 2, 2 addresses")
	assert.Contains(t, text, "conflict=true")
	assert.Contains(t, text, "2 customers stored (1 individual, 1 company)")
	assert.Contains(t, text, "customers, newest first:\n"+
		"  José da Silva              248.438.034-80      (11) 98765-4321  São Paulo/SP\n"+
		"  Transportadora Águia Ltda  12.ABC.345/01DE-35  (47) 3333-2222   —\n"+
		"  (last page)\n", "the updated customer is listed first")
	assert.Contains(t, text, "history of José da Silva, newest first:\n"+
		"  #3 update by Carla Mendes (quickstart) -> version 2: phones[1], addresses[1]\n"+
		"  #1 create by Carla Mendes (quickstart) -> version 1: ", "the update, then the creation; #2 is the company's")
	assert.Contains(t, text, "FICHA DO CLIENTE")
	assert.Contains(t, text, "SBS Quadra 1, 12")
	assert.Regexp(t, `Finalidade: +Cobrança`, text)

	// Running again on the same file finds the customers already there:
	// the CPF is taken, and nothing is lost.
	out.Reset()
	err = run(t.Context(), &out, dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "another customer already has this CPF/CNPJ")
}

// TestQuickstartOnATemporaryFile runs the quickstart as the README does,
// without -dir: it says its store is temporary, names no path, and leaves
// nothing behind in the system's temporary directory, made the test's
// own.
func TestQuickstartOnATemporaryFile(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	if os.TempDir() != tmp {
		t.Skip("os.TempDir does not follow TMPDIR on this system")
	}
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out, ""))
	first, _, _ := strings.Cut(out.String(), "\n")
	assert.Equal(t, "Ficha quickstart: a temporary SQLite store (removed at exit; -dir keeps one), two customers, "+
		"every search of the attendance page, an update and its conflict, a list, a history, the printed sheet", first)
	assert.NotContains(t, out.String(), tmp, "no path that will not exist afterwards")
	assert.Contains(t, out.String(), "conflict=true")
	entries, err := os.ReadDir(tmp)
	require.NoError(t, err)
	assert.Empty(t, entries, "the temporary store is removed")
}

// result returns what the quickstart printed for the search with label.
func result(text, label string) string {
	for _, line := range strings.Split(text, "\n") {
		if rest, ok := strings.CutPrefix(line, "search by "+label+":"); ok {
			_, hits, _ := strings.Cut(rest, "-> ")
			return hits
		}
	}
	return ""
}
