package vectors

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// envDir names the environment variable that, when set, replaces the
// module's copy of the vectors with another folder of the same layout, such
// as a newer shared data folder.
const envDir = "FICHA_SHARED_DATA"

// Dir returns the folder the vectors are read from: the one named by
// FICHA_SHARED_DATA if it is set, or else internal/vectors/testdata in the module. It fails t if
// the folder does not exist.
func Dir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv(envDir)
	if dir == "" {
		root, err := moduleRoot()
		if err != nil {
			t.Fatalf("test vectors: %v", err)
		}
		dir = filepath.Join(root, "internal", "vectors", "testdata")
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Fatalf("test vectors: %s is not a folder", dir)
	}
	return dir
}

// moduleRoot returns the nearest folder at or above the working directory
// (a test's package folder) that holds go.mod.
func moduleRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod in %s or above", wd)
		}
		dir = parent
	}
}

// Load reads a CSV file of the vectors folder (such as "vectors/cpf.csv" or
// "ddd_uf.csv") as one map per row, keyed by the header. It fails t if the
// file is missing, malformed or has no rows.
func Load(t testing.TB, name string) []map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join(Dir(t), filepath.FromSlash(name)))
	if err != nil {
		t.Fatalf("open %s: %v", name, err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
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
