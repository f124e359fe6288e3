package vectors

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recorder is a testing.TB that records how a test would have ended.
type recorder struct {
	testing.TB
	failed, skipped bool
}

func (r *recorder) Helper()               {}
func (r *recorder) Fatal(...any)          { r.failed = true; runtime.Goexit() }
func (r *recorder) Fatalf(string, ...any) { r.failed = true; runtime.Goexit() }
func (r *recorder) FailNow()              { r.failed = true; runtime.Goexit() }
func (r *recorder) Skip(...any)           { r.skipped = true; runtime.Goexit() }
func (r *recorder) Skipf(string, ...any)  { r.skipped = true; runtime.Goexit() }
func (r *recorder) SkipNow()              { r.skipped = true; runtime.Goexit() }
func (r *recorder) Logf(string, ...any)   {}
func (r *recorder) Errorf(string, ...any) { r.failed = true }

// outcome runs f as a test of its own and records how it ended.
func outcome(f func(t testing.TB)) *recorder {
	r := new(recorder)
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
	return r
}

// tables are the files the module's tests load.
var tables = []string{
	"banks_major.csv", "cep_ranges_uf.csv", "ddd_uf.csv",
	"vectors/bank_account.csv", "vectors/card.csv", "vectors/cep.csv", "vectors/cnpj.csv",
	"vectors/cpf.csv", "vectors/phone.csv", "vectors/plate.csv", "vectors/renavam.csv",
	"vectors/vin.csv",
}

func TestLoadFromModule(t *testing.T) {
	t.Setenv(envDir, "")
	assert.Equal(t, "testdata", filepath.Base(Dir(t)))
	for _, name := range tables {
		rows := Load(t, name)
		assert.NotEmpty(t, rows, name)
	}
	cpf := Load(t, "vectors/cpf.csv")
	assert.Equal(t, "248.438.034-80", cpf[0]["input"])
	assert.Equal(t, "true", cpf[0]["valid"])
}

func TestMissingFails(t *testing.T) {
	t.Setenv(envDir, "")
	r := outcome(func(t testing.TB) { Load(t, "vectors/nothing.csv") })
	assert.True(t, r.failed, "a missing file fails the test")
	assert.False(t, r.skipped, "a missing file never skips the test")

	empty := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(empty, "header.csv"), []byte("input,valid\n"), 0o644))
	t.Setenv(envDir, empty)
	r = outcome(func(t testing.TB) { Load(t, "header.csv") })
	assert.True(t, r.failed, "a file without rows fails the test")

	t.Setenv(envDir, filepath.Join(empty, "absent"))
	r = outcome(func(t testing.TB) { Dir(t) })
	assert.True(t, r.failed, "a missing folder fails the test")
	assert.False(t, r.skipped, "a missing folder never skips the test")
}

func TestEnvOverrides(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "vectors"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "vectors", "cpf.csv"), []byte("input,valid\n1,false\n"), 0o644))
	t.Setenv(envDir, dir)
	assert.Equal(t, dir, Dir(t))
	assert.Equal(t, []map[string]string{{"input": "1", "valid": "false"}}, Load(t, "vectors/cpf.csv"))
}

// csvFiles lists the CSV files under dir, by slash-separated relative path.
func csvFiles(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	err := fs.WalkDir(os.DirFS(dir), ".", func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(name) == ".csv" {
			names = append(names, name)
		}
		return err
	})
	require.NoError(t, err)
	return names
}

// TestCopyMatchesShared checks the module's copy against the project's
// shared data folder beside the module, where there is one: a vector added
// or changed there must be copied here.
func TestCopyMatchesShared(t *testing.T) {
	t.Parallel()
	root, err := moduleRoot()
	require.NoError(t, err)
	shared := filepath.Join(root, "..", "shared", "data")
	if _, err := os.Stat(shared); err != nil {
		t.Logf("no shared data folder at %s: nothing to compare", shared)
		return
	}
	copied := filepath.Join(root, "internal", "vectors", "testdata")
	want := csvFiles(t, shared)
	assert.Equal(t, want, csvFiles(t, copied), "the CSV files of %s and %s", shared, copied)
	assert.Subset(t, want, tables)
	for _, name := range want {
		a, errA := os.ReadFile(filepath.Join(shared, name))
		b, errB := os.ReadFile(filepath.Join(copied, name))
		if errA == nil && errB == nil && !bytes.Equal(a, b) {
			t.Errorf("%s differs from the shared copy: cp %s %s", name,
				filepath.Join(shared, name), filepath.Join(copied, name))
		}
	}
}
