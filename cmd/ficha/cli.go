package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/validation"
)

// The exit codes (see the package documentation).
const (
	exitOK       = 0
	exitFailed   = 1
	exitUsage    = 2
	exitPartial  = 3
	exitNotFound = 4
	exitRefused  = 5
)

// env is one run of the command: its streams, language and store.
type env struct {
	ctx    context.Context
	lang   validation.Lang
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	dsn    string
	tenant string
	// progress is whether long commands draw a progress bar on stderr.
	progress bool
	store    *storage.Store
}

// command is one of the command's subcommands.
type command struct {
	name  string
	run   func(e *env, args []string) int
	usage string // the key of its one-line description in the catalog
}

// commands are the subcommands, in the order help lists them.
var commands []command

func init() {
	commands = []command{
		{"migrate", runMigrate, "cmd.migrate"},
		{"import", runImport, "cmd.import"},
		{"export", runExport, "cmd.export"},
		{"search", runSearch, "cmd.search"},
		{"show", runShow, "cmd.show"},
		{"duplicates", runDuplicates, "cmd.duplicates"},
		{"merge", runMerge, "cmd.merge"},
	}
}

// run runs the command with args (without the program's name) and returns
// its exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{ctx: ctx, lang: localeLang(getenv), getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	fs := flag.NewFlagSet("ficha", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	lang := fs.String("lang", "", "")
	fs.StringVar(&e.dsn, "dsn", getenv("FICHA_DSN"), "")
	fs.StringVar(&e.tenant, "tenant", getenv("FICHA_TENANT"), "")
	progress := fs.String("progress", "auto", "")
	help := fs.Bool("help", false, "")
	fs.BoolVar(help, "h", false, "")
	if err := fs.Parse(args); err != nil {
		e.errorf("usage.flag", err)
		e.printHelp(e.stderr)
		return exitUsage
	}
	switch *lang {
	case "":
	case "pt", "pt-BR", "pt_BR":
		e.lang = validation.Portuguese
	case "en":
		e.lang = validation.English
	default:
		e.say(e.stderr, "usage.lang")
		return exitUsage
	}
	switch *progress {
	case "auto":
		e.progress = isTerminal(stderr)
	case "on":
		e.progress = true
	case "off":
	default:
		e.say(e.stderr, "usage.progress")
		return exitUsage
	}
	rest := fs.Args()
	if *help || len(rest) == 0 || rest[0] == "help" {
		out := e.stdout
		if len(rest) == 0 && !*help {
			out = e.stderr
		}
		e.printHelp(out)
		if len(rest) == 0 && !*help {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands {
		if c.name == rest[0] {
			defer e.close()
			return c.run(e, rest[1:])
		}
	}
	// The word is not echoed: an operator may have typed a CPF.
	e.say(e.stderr, "usage.command")
	e.printHelp(e.stderr)
	return exitUsage
}

// localeLang returns Portuguese when the locale is Portuguese.
func localeLang(getenv func(string) string) validation.Lang {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if l := getenv(v); l != "" {
			if strings.HasPrefix(strings.ToLower(l), "pt") {
				return validation.Portuguese
			}
			return validation.English
		}
	}
	return validation.English
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// printHelp writes the command's help.
func (e *env) printHelp(w io.Writer) {
	fmt.Fprintln(w, e.text("help.head"))
	for _, c := range commands {
		fmt.Fprintf(w, "  %-11s %s\n", c.name, e.text(c.usage))
	}
	fmt.Fprintln(w, e.text("help.tail"))
}

// text returns the catalog's message key in the run's language, with args.
func (e *env) text(key string, args ...any) string {
	m, ok := catalog[key]
	if !ok {
		return key
	}
	s := m[0]
	if e.lang == validation.Portuguese {
		s = m[1]
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// say writes a message of the catalog as a line.
func (e *env) say(w io.Writer, key string, args ...any) {
	fmt.Fprintln(w, "ficha: "+e.text(key, args...))
}

// flagName finds the flag a parse error names, when it is one of the
// command's; the flag package's own message repeats the value typed.
var flagName = regexp.MustCompile(`for flag (-[a-z-]+)`)

// errorf writes a usage message naming the flag at fault, never the value
// typed (an operator may have typed a CPF where a number was due).
func (e *env) errorf(key string, err error) {
	msg := "ficha: " + e.text(key)
	if m := flagName.FindStringSubmatch(err.Error()); m != nil {
		msg += ": " + m[1]
	}
	fmt.Fprintln(e.stderr, msg)
}

// newFlags returns the flag set of a subcommand; its usage text is the
// subcommand's help in the run's language.
func (e *env) newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parse parses a subcommand's flags. When the run must stop there (help
// asked for, or a usage error reported) it returns false and the exit
// code.
func (e *env) parse(fs *flag.FlagSet, args []string) (int, bool) {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(e.stdout, e.text("help."+fs.Name()))
		return exitOK, false
	}
	if err != nil {
		e.errorf("usage.flag", err)
		fmt.Fprintln(e.stderr, e.text("help."+fs.Name()))
		return exitUsage, false
	}
	return exitOK, true
}

// fail reports an error of the store and returns its exit code. The
// store's errors hold no personal data; a validation error is listed field
// by field in the run's language.
func (e *env) fail(err error) int {
	var v *validation.Error
	switch {
	case errors.Is(err, storage.ErrNotFound):
		e.say(e.stderr, "err.not_found")
		return exitNotFound
	case errors.As(err, &v), errors.Is(err, storage.ErrInvalid):
		e.invalid(err)
		return exitRefused
	case errors.Is(err, storage.ErrConflict):
		e.say(e.stderr, "err.conflict")
		return exitRefused
	case errors.Is(err, storage.ErrAnonymised):
		e.say(e.stderr, "err.anonymised")
		return exitRefused
	case errors.Is(err, storage.ErrTenant):
		e.say(e.stderr, "err.tenant")
		return exitUsage
	case errors.Is(err, context.Canceled):
		e.say(e.stderr, "err.cancelled")
		return exitFailed
	}
	var merged *mergedError
	if errors.As(err, &merged) {
		e.say(e.stderr, "err.merged", merged.into)
		return exitNotFound
	}
	var dup *storage.DuplicateTaxIDError
	if errors.As(err, &dup) {
		e.say(e.stderr, "err.duplicate_tax_id", dup.HolderID)
		return exitRefused
	}
	e.say(e.stderr, "err.failed", err)
	return exitFailed
}

// invalid lists what is wrong with the input, field by field, in the
// run's language.
func (e *env) invalid(err error) {
	e.say(e.stderr, "err.invalid")
	var v *validation.Error
	var r *validation.Rule
	switch {
	case errors.As(err, &v):
		for _, f := range v.Fields {
			fmt.Fprintf(e.stderr, "  %s: %s (%s)\n", f.Path, f.Message(e.lang), f.Code())
		}
	case errors.As(err, &r):
		fmt.Fprintf(e.stderr, "  %s (%s)\n", r.Message(e.lang), r.Code())
	}
}

// open opens the store the run names, once.
func (e *env) open() (*storage.Store, int) {
	if e.store != nil {
		return e.store, exitOK
	}
	if strings.TrimSpace(e.tenant) == "" {
		e.say(e.stderr, "usage.tenant")
		return nil, exitUsage
	}
	s, err := openStore(e.ctx, e.dsn)
	if err != nil {
		e.say(e.stderr, "err.open", err)
		return nil, exitFailed
	}
	e.store = s
	return s, exitOK
}

// close closes the store, if the run opened one.
func (e *env) close() {
	if e.store != nil {
		_ = e.store.Close()
	}
}
