package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/fichacrm/ficha/csvio"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/transfer"
)

// mappings is a repeatable -map flag: "Header=key".
type mappings map[string]string

func (m mappings) String() string { return "" }

func (m mappings) Set(s string) error {
	h, k, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(h) == "" || strings.TrimSpace(k) == "" {
		return errors.New("want Header=key")
	}
	m[strings.TrimSpace(h)] = strings.TrimSpace(k)
	return nil
}

// runImport imports customers from a file: a dry run or the real one,
// with a progress bar and the per-row report.
func runImport(e *env, args []string) int {
	fs := e.newFlags("import")
	format := fs.String("format", "", "")
	keyName := fs.String("key", "tax_id", "")
	dry := fs.Bool("dry-run", false, "")
	reportPath := fs.String("report", "", "")
	encoding := fs.String("encoding", "auto", "")
	sep := fs.String("sep", "", "")
	cols := mappings{}
	fs.Var(cols, "map", "")
	if code, ok := e.parse(fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		e.say(e.stderr, "usage.file")
		return exitUsage
	}
	key, err := storage.ParseKey(*keyName)
	if err != nil {
		e.say(e.stderr, "usage.key")
		return exitUsage
	}
	path := fs.Arg(0)
	if *format == "" {
		*format = "csv"
		if strings.EqualFold(filepath.Ext(path), ".jsonl") {
			*format = "jsonl"
		}
	}
	opts := &csvio.Options{Columns: cols}
	switch *encoding {
	case "auto":
	case "utf-8", "utf8":
		opts.Encoding = csvio.EncodingUTF8
	case "windows-1252", "latin1", "iso-8859-1":
		opts.Encoding = csvio.EncodingWindows1252
	default:
		e.say(e.stderr, "usage.encoding")
		return exitUsage
	}
	switch *sep {
	case "":
	case ";", ",", "\\t", "tab":
		opts.Comma = map[string]rune{";": ';', ",": ',', "\\t": '\t', "tab": '\t'}[*sep]
	default:
		e.say(e.stderr, "usage.sep")
		return exitUsage
	}
	s, code := e.open()
	if s == nil {
		return code
	}
	var in io.Reader = e.stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			e.say(e.stderr, "err.file", err)
			return exitFailed
		}
		defer f.Close()
		in = f
	}
	var src transfer.Source
	var hintWindows bool
	switch *format {
	case "csv":
		r, err := csvio.NewReader(in, opts)
		if errors.Is(err, csvio.ErrMapping) {
			e.say(e.stderr, "usage.map")
			return exitUsage
		}
		if err != nil {
			if msg, ok := transfer.FileMessage(err, e.lang); ok {
				e.say(e.stderr, "err.header", msg)
				return exitRefused
			}
			e.say(e.stderr, "err.file", err)
			return exitFailed
		}
		src = transfer.CSV(r)
		// The hint to read Windows-1252 is for a file guessed to be
		// UTF-8: not one declared so, nor one read as Windows-1252.
		enc, guessed := r.Encoding()
		hintWindows = guessed && enc == csvio.EncodingUTF8
	case "jsonl":
		src = transfer.JSONL(csvio.NewJSONLReader(in))
	default:
		e.say(e.stderr, "usage.format")
		return exitUsage
	}

	var report *transfer.ReportWriter
	if *reportPath != "" && path != "-" {
		// The report must never overwrite the file being imported.
		in, ierr := os.Stat(path)
		out, oerr := os.Stat(*reportPath)
		if ierr == nil && oerr == nil && os.SameFile(in, out) {
			e.say(e.stderr, "usage.report")
			return exitUsage
		}
	}
	if isStoreFile(e.dsn, *reportPath) {
		e.say(e.stderr, "usage.store")
		return exitUsage
	}
	if *reportPath != "" {
		f, err := os.Create(*reportPath)
		if err != nil {
			e.say(e.stderr, "err.file", err)
			return exitFailed
		}
		defer f.Close()
		if report, err = transfer.NewReportWriter(f, e.lang); err != nil {
			e.say(e.stderr, "err.file", err)
			return exitFailed
		}
	}
	bar := e.newBar("import.progress")
	var reportErr error
	encodingTrouble := false
	res, err := transfer.Import(e.ctx, s, e.tenant, src, &transfer.Options{Key: key, DryRun: *dry,
		Progress: func(t transfer.Totals) { bar.set(int64(t.Rows), 0) },
		Problem: func(p transfer.Problem) {
			encodingTrouble = encodingTrouble || p.Code == csvio.ErrEncoding.Code()
			if report != nil && reportErr == nil {
				reportErr = report.Write(p)
			}
		}})
	bar.done()
	if report != nil && reportErr == nil {
		reportErr = report.Flush()
	}
	if reportErr != nil {
		e.say(e.stderr, "err.file", reportErr)
		return exitFailed
	}
	if res != nil {
		head := "import.done"
		if *dry {
			head = "import.dry"
		}
		fmt.Fprintln(e.stdout, e.text(head, res.Rows, res.Created, res.Updated, res.Unchanged, res.Failed))
		if report == nil {
			for i, p := range res.Problems {
				if i == 20 {
					fmt.Fprintln(e.stdout, e.text("import.more", len(res.Problems)+res.Dropped-20))
					break
				}
				fmt.Fprintf(e.stdout, "  %d\t%s\t%s\t%s\n", p.Row, p.Column, p.Code, p.Message(e.lang))
			}
		}
	}
	if err != nil {
		if msg, ok := transfer.FileMessage(err, e.lang); ok {
			e.say(e.stderr, "err.header", msg)
			return exitFailed
		}
		return e.fail(err)
	}
	if encodingTrouble && hintWindows {
		e.say(e.stderr, "import.encoding")
	}
	if res.Failed > 0 {
		return exitPartial
	}
	return exitOK
}

// runExport writes the tenant's customers to a file or standard output.
func runExport(e *env, args []string) int {
	fs := e.newFlags("export")
	format := fs.String("format", "", "")
	out := fs.String("o", "", "")
	status := fs.String("status", "", "")
	if code, ok := e.parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		e.say(e.stderr, "usage.args")
		return exitUsage
	}
	if *format == "" {
		*format = "csv"
		if strings.EqualFold(filepath.Ext(*out), ".jsonl") {
			*format = "jsonl"
		}
	}
	f, err := transfer.ParseFormat(*format)
	if err != nil {
		e.say(e.stderr, "usage.format")
		return exitUsage
	}
	opts := &transfer.ExportOptions{Format: f}
	if *status != "" {
		if err := opts.Status.UnmarshalText([]byte(*status)); err != nil || !opts.Status.IsValid() {
			e.say(e.stderr, "usage.status")
			return exitUsage
		}
	}
	if isStoreFile(e.dsn, *out) {
		e.say(e.stderr, "usage.store")
		return exitUsage
	}
	s, code := e.open()
	if s == nil {
		return code
	}
	var w io.Writer = e.stdout
	var file *os.File
	if *out != "" && *out != "-" {
		if file, err = os.Create(*out); err != nil {
			e.say(e.stderr, "err.file", err)
			return exitFailed
		}
		w = file
	}
	bar := e.newBar("export.progress")
	opts.Progress = bar.set
	n, err := transfer.Export(e.ctx, s, e.tenant, w, opts)
	bar.done()
	if file != nil {
		if cerr := file.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return e.fail(err)
	}
	if file != nil {
		fmt.Fprintln(e.stdout, e.text("export.done", n, *out))
	}
	return exitOK
}
