package arch

import (
	"bufio"
	"bytes"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const module = "github.com/fichacrm/ficha"

// layers places every package of the module. A package may import only
// packages of lower layers: that is what keeps the arrows pointing one
// way. A new package gets a line here, in the layer its imports allow.
var layers = [][]string{
	{"internal/fold", "internal/ident", "internal/luhn", "internal/vectors", "internal/fields", "internal/httpjson", "internal/jsontext", "internal/arch", "internal/readme", "internal/brtime"},
	{"internal/names"},
	{"validation", "internal/ident/identtest"},
	{"date", "internal/money"},
	{"address"},
	{"contact", "asset", "address/lookup", "attendance", "consent"},
	{"reference", "address/viacep", "address/brasilapi", "agenda"},
	{"customer"},
	{"customer/info"},
	{"dedupe", "csvio"},
	{"sheet", "storage"},
	{"lgpd", "transfer"},
	{"storage/memory", "storage/sqlstore", "storage/storagetest"},
	{"storage/sqlite", "storage/postgres", "storage/mysql", "storage/sqlstore/sqlstoretest", "storage/storagebench", "storage/outbox/natsrelay", "httpapi"},
	{"examples/quickstart", "examples/attendance", "examples/desk", "examples/loadtest", "examples/lgpd", "cmd/ficha", "storage/storagebench/perf"},
}

// pure are the domain packages: values in, values or errors out. They
// import no database driver and no network code.
var pure = []string{"validation", "date", "address", "contact", "asset", "reference", "customer", "customer/info", "sheet", "storage"}

var forbidden = []string{"net/http", "net", "github.com/jackc/", "github.com/go-sql-driver/", "modernc.org/sqlite", "os/exec"}

// imports lists the module's packages and what each imports (not tests).
func imports(t *testing.T) map[string][]string {
	t.Helper()
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", module+"/...").Output()
	require.NoError(t, err)
	m := map[string][]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		m[strings.TrimPrefix(f[0], module+"/")] = f[1:]
	}
	require.NoError(t, sc.Err())
	require.Contains(t, m, "customer", "go list sees the module")
	return m
}

func TestImportsRunDownward(t *testing.T) {
	rank := map[string]int{}
	for i, l := range layers {
		for _, p := range l {
			rank[p] = i
		}
	}
	for pkg, deps := range imports(t) {
		r, ok := rank[pkg]
		if !assert.True(t, ok, "%s has no layer: add it to layers", pkg) {
			continue
		}
		for _, d := range deps {
			dep, ours := strings.CutPrefix(d, module+"/")
			if !ours {
				continue
			}
			dr, known := rank[dep]
			if known {
				assert.Less(t, dr, r, "%s imports %s, which is not below it", pkg, dep)
			}
		}
	}
}

func TestDomainPackagesArePure(t *testing.T) {
	m := imports(t)
	for _, pkg := range pure {
		deps, ok := m[pkg]
		if !ok {
			continue // not in this tree yet
		}
		for _, d := range deps {
			for _, f := range forbidden {
				assert.False(t, d == f || strings.HasSuffix(f, "/") && strings.HasPrefix(d, f), "%s imports %s", pkg, d)
			}
		}
	}
}
