package readme

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// packages are the import paths a README block may use by package name.
var packages = map[string]string{
	"context": "context", "errors": "errors", "fmt": "fmt", "time": "time", "os": "os", "log": "log",
	"http": "net/http", "strings": "strings", "io": "io",
	"uuid":       "github.com/google/uuid",
	"decimal":    "github.com/shopspring/decimal",
	"address":    "github.com/fichacrm/ficha/address",
	"lookup":     "github.com/fichacrm/ficha/address/lookup",
	"viacep":     "github.com/fichacrm/ficha/address/viacep",
	"brasilapi":  "github.com/fichacrm/ficha/address/brasilapi",
	"asset":      "github.com/fichacrm/ficha/asset",
	"contact":    "github.com/fichacrm/ficha/contact",
	"customer":   "github.com/fichacrm/ficha/customer",
	"info":       "github.com/fichacrm/ficha/customer/info",
	"date":       "github.com/fichacrm/ficha/date",
	"reference":  "github.com/fichacrm/ficha/reference",
	"sheet":      "github.com/fichacrm/ficha/sheet",
	"storage":    "github.com/fichacrm/ficha/storage",
	"memory":     "github.com/fichacrm/ficha/storage/memory",
	"sqlite":     "github.com/fichacrm/ficha/storage/sqlite",
	"postgres":   "github.com/fichacrm/ficha/storage/postgres",
	"mysql":      "github.com/fichacrm/ficha/storage/mysql",
	"sqlstore":   "github.com/fichacrm/ficha/storage/sqlstore",
	"validation": "github.com/fichacrm/ficha/validation",
	"httpapi":    "github.com/fichacrm/ficha/httpapi",
	"consent":    "github.com/fichacrm/ficha/consent",
	"lgpd":       "github.com/fichacrm/ficha/lgpd",
	"dedupe":     "github.com/fichacrm/ficha/dedupe",
	"csvio":      "github.com/fichacrm/ficha/csvio",
	"transfer":   "github.com/fichacrm/ficha/transfer",
}

var (
	block    = regexp.MustCompile("(?s)```go\n(.*?)```")
	selector = regexp.MustCompile(`\b([a-z][a-z0-9]*)\.[A-Z]`)
)

// source wraps a README block into a file: a whole file as it is, and
// statements as the body of a function that has ctx, with the imports the
// block names.
func source(code string) string {
	if strings.HasPrefix(strings.TrimSpace(code), "package ") {
		return code
	}
	var imports []string
	for _, m := range selector.FindAllStringSubmatch(stripComments(code), -1) {
		if p, ok := packages[m[1]]; ok && !slices.Contains(imports, p) {
			imports = append(imports, p)
		}
	}
	if !slices.Contains(imports, "context") {
		imports = append(imports, "context")
	}
	var b strings.Builder
	b.WriteString("package snippet\n\nimport (\n")
	for _, p := range imports {
		b.WriteString("\t\"" + p + "\"\n")
	}
	b.WriteString(")\n\nfunc _(ctx context.Context) {\n" + code + "\n}\n")
	return b.String()
}

func stripComments(code string) string {
	var out []string
	for line := range strings.SplitSeq(code, "\n") {
		if i := strings.Index(line, "//"); i >= 0 {
			line = line[:i]
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// exportData returns a lookup of the compiler's export data of every
// package a block may import, which go list builds (or finds in the build
// cache): much faster than type-checking them all from source.
func exportData(t *testing.T) func(path string) (io.ReadCloser, error) {
	t.Helper()
	args := []string{"list", "-export", "-deps", "-f", "{{.ImportPath}}\t{{.Export}}"}
	for _, p := range packages {
		args = append(args, p)
	}
	out, err := exec.Command("go", args...).Output()
	require.NoError(t, err)
	files := map[string]string{}
	for line := range strings.SplitSeq(strings.TrimSpace(string(out)), "\n") {
		path, file, _ := strings.Cut(line, "\t")
		files[path] = file
	}
	return func(path string) (io.ReadCloser, error) {
		file, ok := files[path]
		if !ok || file == "" {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(file)
	}
}

// TestREADMECompiles type-checks each Go block of README.md. Only the
// complaints a fragment cannot avoid (a variable it declares for the
// reader and does not use) are forgiven.
func TestREADMECompiles(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	blocks := block.FindAllStringSubmatch(string(readme), -1)
	require.NotEmpty(t, blocks, "the README has Go code")
	fset := token.NewFileSet()
	imp := importer.ForCompiler(fset, "gc", exportData(t))
	for i, m := range blocks {
		src := source(m[1])
		f, err := parser.ParseFile(fset, "README block", src, parser.AllErrors)
		if !assert.NoError(t, err, "block %d does not parse:\n%s", i+1, src) {
			continue
		}
		var errs []string
		conf := types.Config{Importer: imp, Error: func(err error) {
			msg := err.Error()
			if strings.Contains(msg, "declared and not used") {
				return
			}
			errs = append(errs, msg)
		}}
		_, _ = conf.Check("snippet", fset, []*ast.File{f}, nil)
		assert.Empty(t, errs, "block %d of README.md does not compile:\n%s", i+1, src)
	}
}
