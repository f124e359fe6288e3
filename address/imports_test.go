package address_test

import (
	"go/build"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// module is Ficha's module path; moduleRoot its directory, seen from this
// package's.
const (
	module     = "github.com/fichacrm/ficha"
	moduleRoot = ".."
)

// importDir reads the package importPath of this module from its
// directory, naming it by its import path (go/build names a package read
// from a directory outside GOPATH ".").
func importDir(importPath string) (*build.Package, error) {
	p, err := build.ImportDir(filepath.Join(moduleRoot, filepath.FromSlash(strings.TrimPrefix(importPath, module))), 0)
	if p != nil {
		p.ImportPath = importPath
	}
	return p, err
}

// deps returns the import paths that the package importPath of this module
// imports, directly or not, test files aside, as go/build reads them:
// module packages from their directories here, standard ones from GOROOT
// (only when withStd, as the standard library never imports this module).
// Packages of other modules are listed but not followed; finding them
// would take the go command.
func deps(t *testing.T, importPath string, withStd bool) []string {
	t.Helper()
	seen := map[string]bool{}
	var walk func(p *build.Package)
	walk = func(p *build.Package) {
		for _, path := range p.Imports {
			var dep *build.Package
			var err error
			switch {
			case path == "C":
				continue
			case path == module || strings.HasPrefix(path, module+"/"):
				dep, err = importDir(path)
			case !withStd:
				continue
			case p.Goroot:
				// From inside GOROOT, go/build resolves the standard library's
				// vendored packages itself, without the go command.
				dep, err = build.Import(path, p.Dir, 0)
			case !strings.Contains(strings.SplitN(path, "/", 2)[0], "."):
				dep, err = build.Import(path, "", 0)
			default:
				seen[path] = true // another module's package: listed, not followed
				continue
			}
			require.NoError(t, err, "import %q of %s", path, p.ImportPath)
			if seen[dep.ImportPath] {
				continue
			}
			seen[dep.ImportPath] = true
			walk(dep)
		}
	}
	p, err := importDir(importPath)
	require.NoError(t, err)
	walk(p)
	list := make([]string, 0, len(seen))
	for path := range seen {
		list = append(list, path)
	}
	slices.Sort(list)
	return list
}

// TestImports keeps the arrows of the import graph pointing down: the
// address values and the lookup combinators make no network request, and
// the HTTP code the CEP clients share sits below every package that
// holds a domain rule.
func TestImports(t *testing.T) {
	t.Parallel()
	for _, pkg := range []string{module + "/address", module + "/address/lookup"} {
		t.Run(pkg, func(t *testing.T) {
			t.Parallel()
			all := deps(t, pkg, true)
			require.Contains(t, all, module+"/validation", "the walk follows the module's own packages")
			require.Contains(t, all, "internal/bytealg", "the walk follows the standard library's own imports")
			for _, path := range all {
				assert.False(t, path == "net/http" || strings.HasPrefix(path, "net/http/"), "%s imports %s", pkg, path)
			}
		})
	}
	t.Run("internal/httpjson", func(t *testing.T) {
		t.Parallel()
		for _, path := range deps(t, module+"/internal/httpjson", false) {
			ok := !strings.HasPrefix(path, module+"/") || strings.HasPrefix(path, module+"/internal/")
			assert.True(t, ok, "internal/httpjson imports %s, above it", path)
		}
	})
}
