package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/sqlite"
	"github.com/fichacrm/ficha/storage/storagetest"
)

const tenant = "loja-centro"

// cli runs the command in-process against the SQLite file db, with the
// environment vars, and returns its exit code and output.
type cli struct {
	t    *testing.T
	db   string
	vars map[string]string
}

func newCLI(t *testing.T) *cli {
	return &cli{t: t, db: filepath.Join(t.TempDir(), "ficha.db"), vars: map[string]string{}}
}

func (c *cli) run(args ...string) (int, string, string) {
	var out, errs bytes.Buffer
	getenv := func(k string) string {
		if v, ok := c.vars[k]; ok {
			return v
		}
		switch k {
		case "FICHA_DSN":
			return c.db
		case "FICHA_TENANT":
			return tenant
		}
		return ""
	}
	code := run(c.t.Context(), args, getenv, strings.NewReader(""), &out, &errs)
	return code, out.String(), errs.String()
}

// seed stores customers in the command's database, as a host would have.
func (c *cli) seed(cs ...*customer.Customer) []*customer.Customer {
	s, err := sqlite.Open(context.Background(), c.db, nil)
	require.NoError(c.t, err)
	defer s.Close()
	var out []*customer.Customer
	for _, x := range cs {
		got, err := s.Create(context.Background(), tenant, x)
		require.NoError(c.t, err)
		out = append(out, got)
	}
	return out
}

// store opens the command's database, for checking what it wrote.
func (c *cli) store() *storage.Store {
	s, err := sqlite.Open(context.Background(), c.db, nil)
	require.NoError(c.t, err)
	c.t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestHelpAndUsage(t *testing.T) {
	c := newCLI(t)
	code, out, _ := c.run("-h")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "merge")
	assert.Contains(t, out, "Exit codes")
	c.vars["LANG"] = "pt_BR.UTF-8"
	code, out, _ = c.run("help")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "Códigos de saída")
	code, _, errs := c.run("-lang", "en", "529.982.247-25")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errs, "unknown command")
	assert.NotContains(t, errs, "529.982", "what was typed is not echoed: it may be a CPF")
	code, _, errs = c.run("search", "-limit", "529.982.247-25")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errs, "-limit")
	assert.NotContains(t, errs, "529.982")
	for _, args := range [][]string{{}, {"-nope"}, {"-lang", "fr", "search"}, {"show"}, {"merge", "one"}, {"search", "-name", "a", "extra"},
		{"duplicates", "-min", "2"}, {"duplicates", "-min", "NaN"}, {"search"}, {"-progress", "sometimes", "migrate"}} {
		code, _, _ := c.run(args...)
		assert.Equal(t, exitUsage, code, "%q", args)
	}
	c.vars["FICHA_TENANT"] = ""
	code, _, errs = c.run("-lang", "pt", "search", "-name", "maria")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errs, "informe a loja")
	code, out, _ = c.run("search", "-h")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "-tax-id")
}

func TestMigrateSearchShow(t *testing.T) {
	c := newCLI(t)
	code, out, _ := c.run("migrate")
	require.Equal(t, exitOK, code)
	assert.Regexp(t, `schema at version (\d+) \(this version of ficha knows \d+\)`, out)
	stored := c.seed(storagetest.Full(time.Now()), storagetest.Individual(7))
	full := stored[0]

	code, out, _ = c.run("search", "-name", "maria conc")
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, full.ID.String())
	assert.Contains(t, out, full.TaxID.Format())
	assert.Contains(t, out, "São Paulo/SP")
	code, out, _ = c.run("search", "-json", "-plate", "abc1234")
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, `"id":"`+full.ID.String())
	code, out, _ = c.run("search", "-phone", "(99) 3333-0000")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "no customer found")

	for _, arg := range []string{full.ID.String(), full.TaxID.Format(), full.TaxID.String()} {
		code, out, _ = c.run("-lang", "pt", "show", arg)
		require.Equal(t, exitOK, code, arg)
		assert.Contains(t, out, full.Name)
		assert.Contains(t, out, "FICHA DO CLIENTE")
	}
	code, out, _ = c.run("show", "-json", full.ID.String())
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, `"name": "`+full.Name)
	code, _, errs := c.run("show", "111.444.777-35")
	assert.Equal(t, exitNotFound, code)
	assert.Contains(t, errs, "no such customer")
	assert.NotContains(t, errs, "111", "no personal data in errors")
	code, _, _ = c.run("show", "not-an-id")
	assert.Equal(t, exitNotFound, code)
}

func TestDuplicatesAndMerge(t *testing.T) {
	c := newCLI(t)
	phone := storagetest.Phone(42)
	stored := c.seed(
		&customer.Customer{Kind: customer.Individual, Status: customer.StatusProspect, Name: "José C. de Oliveira", Phones: []contact.Phone{phone}},
		&customer.Customer{Kind: customer.Individual, Status: customer.StatusCustomer, Name: "JOSE CARLOS OLIVEIRA",
			TaxID: storagetest.CPF(42), Phones: []contact.Phone{phone}},
		storagetest.Individual(43),
	)
	a, b := stored[0], stored[1]

	code, out, _ := c.run("duplicates")
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "1 likely duplicate pairs")
	assert.Contains(t, out, "same phone")
	code, out, _ = c.run("-lang", "pt", "duplicates", a.ID.String())
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, b.ID.String())
	assert.Contains(t, out, "mesmo telefone")
	code, out, _ = c.run("duplicates", "-json", b.TaxID.Format())
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, `"score":`)
	code, out, _ = c.run("duplicates", stored[2].ID.String())
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "no likely duplicate")

	// A preview writes nothing.
	code, out, _ = c.run("merge", "-take", "name", a.ID.String(), b.ID.String())
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "tax_id")
	assert.Contains(t, out, "-yes")
	got, err := c.store().Get(t.Context(), tenant, b.ID)
	require.NoError(t, err)
	assert.Equal(t, b.ID, got.ID)

	code, _, errs := c.run("merge", "-take", "shoe_size", "-yes", a.ID.String(), b.ID.String())
	assert.Equal(t, exitRefused, code)
	assert.Contains(t, errs, "merge.choice")
	code, _, _ = c.run("merge", "-yes", a.ID.String(), a.ID.String())
	assert.Equal(t, exitRefused, code)

	code, out, _ = c.run("merge", "-take", "name", "-yes", a.ID.String(), b.ID.String())
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "merged into "+a.ID.String())
	got, err = c.store().Get(t.Context(), tenant, b.ID)
	require.NoError(t, err)
	assert.Equal(t, a.ID, got.ID, "B's ID finds A")
	code, _, errs = c.run("merge", "-yes", a.ID.String(), b.ID.String())
	assert.Equal(t, exitNotFound, code, "merged already")
	assert.Contains(t, errs, "merged into "+a.ID.String())
	code, out, _ = c.run("show", b.ID.String())
	assert.Equal(t, exitOK, code, "show follows the redirect")
	assert.Contains(t, out, a.ID.String())
	assert.Equal(t, "JOSE CARLOS OLIVEIRA", got.Name)
	assert.Equal(t, b.TaxID, got.TaxID)
	code, _, errs = c.run("merge", "-yes", a.ID.String(), stored[2].ID.String())
	assert.Equal(t, exitRefused, code, "two CPFs are two people")
	assert.Contains(t, errs, "merge.tax_ids")
}

// TestBinary builds the command and runs it as an operator's script
// would, checking the exit codes a script relies on.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	bin := filepath.Join(t.TempDir(), "ficha")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())
	dir := t.TempDir()
	runBin := func(args ...string) (int, string) {
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "FICHA_TENANT=loja", "LANG=C")
		out, err := cmd.CombinedOutput()
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode(), string(out)
		}
		require.NoError(t, err)
		return 0, string(out)
	}
	code, out := runBin("migrate")
	assert.Equal(t, 0, code, out)
	_, err := os.Stat(filepath.Join(dir, "ficha.db"))
	assert.NoError(t, err, "the default store is ficha.db in the working directory")
	code, _ = runBin("show", "529.982.247-25")
	assert.Equal(t, 4, code)
	code, _ = runBin("bogus")
	assert.Equal(t, 2, code)
	code, out = runBin("-dsn", "postgres://nobody@127.0.0.1:1/none?connect_timeout=2", "migrate")
	assert.Equal(t, 1, code, out)
}

func TestImportExport(t *testing.T) {
	c := newCLI(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "clientes.csv")
	good := storagetest.Individual(501)
	require.NoError(t, os.WriteFile(file, []byte("Nome;CPF;Celular;E-mail\r\n"+
		good.Name+";"+good.TaxID.Format()+";"+good.Phones[0].Format()+";"+good.Emails[0].String()+"\r\n"+
		"Fulano;123.456.789-00;(11) 91234-5678;\r\n"+
		"Prospect Sem CPF;;(11) 97777-6666;\r\n"), 0o600))
	report := filepath.Join(dir, "erros.csv")

	code, out, _ := c.run("import", "-dry-run", "-report", report, file)
	assert.Equal(t, exitPartial, code, "a row was rejected")
	assert.Contains(t, out, "dry run, nothing written")
	assert.Contains(t, out, "would create 2")
	n, err := c.store().Count(t.Context(), tenant)
	require.NoError(t, err)
	assert.Zero(t, n, "a dry run writes nothing")
	rep, err := os.ReadFile(report)
	require.NoError(t, err)
	assert.Contains(t, string(rep), "Row;Column;Field;Code;Message")
	assert.Contains(t, string(rep), "3;CPF;tax_id;cpf.")
	assert.NotContains(t, string(rep), "123.456.789-00", "the report holds no value")

	c.vars["LANG"] = "pt_BR.UTF-8"
	code, out, _ = c.run("import", file)
	assert.Equal(t, exitPartial, code)
	assert.Contains(t, out, "criados 2")
	assert.Contains(t, out, "cpf.", "without -report, the problems are listed")
	code, out, _ = c.run("import", file)
	assert.Equal(t, exitPartial, code)
	assert.Contains(t, out, "criados 0, alterados 0, sem mudança 2", "the CPF is known, and so is the prospect without one, by its phone")

	// Export, then import into an empty database: the same customers.
	exported := filepath.Join(dir, "export.csv")
	code, out, _ = c.run("export", "-o", exported)
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "2 clientes gravados")
	other := newCLI(t)
	code, out, errs := other.run("import", "-key", "id", exported)
	require.Equal(t, exitOK, code, out+errs)
	var before, after []string
	for cust, err := range c.store().All(t.Context(), tenant) {
		require.NoError(t, err)
		before = append(before, cust.ID.String()+" "+cust.Name+" "+cust.TaxID.String())
	}
	for cust, err := range other.store().All(t.Context(), tenant) {
		require.NoError(t, err)
		after = append(after, cust.ID.String()+" "+cust.Name+" "+cust.TaxID.String())
	}
	assert.Equal(t, before, after)
	// The store's own file is never an output: os.Create would empty it
	// (the outside review lost every customer, and the process crashed).
	for _, args := range [][]string{{"export", "-o", c.db}, {"import", "-dry-run", "-report", c.db, file}, {"export", "-o", c.db + "-wal"}, {"export", "-o", c.db + "-journal"}} {
		code, _, errs = c.run(args...)
		assert.Equal(t, exitUsage, code, args)
		assert.Contains(t, errs, "arquivo do banco", args)
	}
	n, err = c.store().Count(t.Context(), tenant)
	require.NoError(t, err)
	assert.Equal(t, int64(2), n, "the store is whole")
	code, out, _ = c.run("export", "-format", "jsonl", "-status", "customer")
	require.Equal(t, exitOK, code)
	assert.Equal(t, 1, strings.Count(out, "\n"), "one customer, one line")

	// A Windows-1252 file whose start is plain ASCII is read as UTF-8: the
	// accented rows are refused, and the command says what to try.
	late := filepath.Join(dir, "tardio.csv")
	var rows strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&rows, "CLIENTE NUMERO %d;(11) 9%04d-0000\r\n", i, i) // 3,000 people: "the same lead" is no issue here
	}
	body := "Nome;Celular\r\n" + rows.String() + "JO\xc3O CONCEI\xc7\xc3O;(11) 97777-0000\r\n"
	require.NoError(t, os.WriteFile(late, []byte(body), 0o600))
	code, _, errs = c.run("import", "-dry-run", late)
	assert.Equal(t, exitPartial, code)
	assert.Contains(t, errs, "-encoding windows-1252")
	code, out, errs = c.run("import", "-dry-run", "-encoding", "windows-1252", late)
	assert.Equal(t, exitOK, code, out+errs)
	// No such hint where it would not help: a file declared UTF-8 by its
	// byte-order mark, or one read as Windows-1252 already (found by the
	// outside review).
	for name, b := range map[string]string{
		"bom.csv":    "\uFEFFNome;Celular\r\nJO\xc3O;(11) 97777-0000\r\n",
		"latin1.csv": "Nome;Celular\r\nJO\xc3O;(11) 97777-0000\r\nJO\x81O;(11) 97777-0001\r\n",
	} {
		f := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(f, []byte(b), 0o600))
		code, _, errs = c.run("import", "-dry-run", f)
		assert.Equal(t, exitPartial, code, name)
		assert.NotContains(t, errs, "windows-1252", name)
	}

	// What cannot be imported at all.
	bad := filepath.Join(dir, "sem-cabecalho.csv")
	require.NoError(t, os.WriteFile(bad, []byte("Maria da Silva;529.982.247-25\n"), 0o600))
	code, _, errs = c.run("import", bad)
	assert.Equal(t, exitRefused, code)
	assert.Contains(t, errs, "colunas 1, 2")
	assert.NotContains(t, errs, "Maria", "a file without a header has data in its place")
	code, _, _ = c.run("import", "-dry-run", "-report", file, file)
	assert.Equal(t, exitUsage, code, "the report would overwrite the file")
	kept, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Contains(t, string(kept), good.Name, "the file is intact")
	code, _, _ = c.run("import", filepath.Join(dir, "nao-existe.csv"))
	assert.Equal(t, exitFailed, code)
	for _, args := range [][]string{{"import"}, {"import", "-key", "cpf", file}, {"import", "-encoding", "ebcdic", file}, {"import", "-map", "Celular=shoe_size", file}, {"export", "-format", "xml"}, {"export", "-status", "vip"}} {
		code, _, _ := c.run(args...)
		assert.Equal(t, exitUsage, code, "%q", args)
	}
}
