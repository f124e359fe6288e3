// Package vectors loads the shared test vectors (../shared/data beside the
// module root) for tests. Only tests import it.
package vectors

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the shared data folder, or skips t when it cannot be found.
// FICHA_SHARED_DATA overrides the location.
func Dir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("FICHA_SHARED_DATA"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			data := filepath.Join(dir, "..", "shared", "data")
			if _, err := os.Stat(data); err != nil {
				t.Skipf("shared test data not found at %s: set FICHA_SHARED_DATA to its folder", data)
			}
			return data
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("module root not found: cannot locate the shared test data")
		}
		dir = parent
	}
}

// Load reads a CSV file of the shared data folder (such as
// "vectors/cpf.csv") as one map per row, keyed by the header.
func Load(t testing.TB, name string) []map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join(Dir(t), name))
	if err != nil {
		t.Fatalf("open %s: %v", name, err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	if len(recs) < 2 {
		t.Fatalf("%s has no rows", name)
	}
	rows := make([]map[string]string, 0, len(recs)-1)
	for _, rec := range recs[1:] {
		m := make(map[string]string, len(rec))
		for i, h := range recs[0] {
			m[h] = rec[i]
		}
		rows = append(rows, m)
	}
	return rows
}
