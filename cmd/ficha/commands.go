package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/dedupe"
	"github.com/fichacrm/ficha/sheet"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/validation"
)

// runMigrate applies the migrations and says which schema the store has.
func runMigrate(e *env, args []string) int {
	fs := e.newFlags("migrate")
	if code, ok := e.parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		e.say(e.stderr, "usage.args")
		return exitUsage
	}
	s, code := e.open()
	if s == nil {
		return code
	}
	if d, ok := sqlDriver(s); ok {
		applied, embedded, err := d.SchemaVersion(e.ctx)
		if err != nil {
			return e.fail(err)
		}
		fmt.Fprintln(e.stdout, e.text("migrate.done", applied, embedded))
	}
	return exitOK
}

// runSearch searches by any key of the attendance page.
func runSearch(e *env, args []string) int {
	fs := e.newFlags("search")
	var q customer.Query
	fs.StringVar(&q.Name, "name", "", "")
	fs.StringVar(&q.Phone, "phone", "", "")
	fs.StringVar(&q.TaxID, "tax-id", "", "")
	fs.StringVar(&q.Company, "company", "", "")
	fs.StringVar(&q.VIN, "vin", "", "")
	fs.StringVar(&q.Plate, "plate", "", "")
	fs.StringVar(&q.DMSCustomer, "dms", "", "")
	fs.StringVar(&q.ServiceOrder, "os", "", "")
	fs.StringVar(&q.Email, "email", "", "")
	limit := fs.Int("limit", 20, "")
	asJSON := fs.Bool("json", false, "")
	if code, ok := e.parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		e.say(e.stderr, "usage.args")
		return exitUsage
	}
	s, code := e.open()
	if s == nil {
		return code
	}
	page, err := s.Search(e.ctx, e.tenant, q, &storage.SearchOptions{Limit: *limit})
	var rule *validation.Rule
	var fields *validation.Error
	if errors.As(err, &rule) || errors.As(err, &fields) {
		// What was typed is the problem: a usage error.
		e.invalid(err)
		return exitUsage
	}
	if err != nil {
		return e.fail(err)
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		for _, h := range page.Hits {
			if err := enc.Encode(h.Summary); err != nil {
				return e.fail(err)
			}
		}
		return exitOK
	}
	if len(page.Hits) == 0 {
		fmt.Fprintln(e.stdout, e.text("search.none"))
		return exitOK
	}
	sums := make([]storage.Summary, len(page.Hits))
	for i, h := range page.Hits {
		sums[i] = h.Summary
	}
	e.table(e.stdout, sums)
	if page.Next != "" {
		fmt.Fprintln(e.stdout, e.text("search.more"))
	}
	return exitOK
}

// table writes summaries as aligned columns.
func (e *env) table(w io.Writer, sums []storage.Summary) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, e.text("col.header"))
	for _, s := range sums {
		place := s.City
		if s.UF.IsValid() {
			place += "/" + s.UF.String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.ID, s.Name, s.TaxID.Format(), s.Phone.Format(), place)
	}
	_ = tw.Flush()
}

// mergedError is what findOne returns for the ID of a record merged into
// another, when the caller does not follow it.
type mergedError struct{ into uuid.UUID }

func (e *mergedError) Error() string { return "merged into " + e.into.String() }

// findOne returns the customer an argument names: an ID, or a CPF or
// CNPJ in any format. The ID of a merged record finds the one it was
// merged into when follow is set, and is a *mergedError otherwise.
func (e *env) findOne(s *storage.Store, arg string, follow bool) (*customer.Customer, error) {
	if id, err := uuid.Parse(arg); err == nil {
		c, err := s.Get(e.ctx, e.tenant, id)
		if err == nil && c.ID != id && !follow {
			return nil, &mergedError{into: c.ID}
		}
		return c, err
	}
	if _, err := customer.ParseTaxID(arg); err != nil {
		return nil, storage.ErrNotFound
	}
	page, err := s.Search(e.ctx, e.tenant, customer.Query{TaxID: arg}, nil)
	if err != nil {
		return nil, err
	}
	if len(page.Hits) == 0 {
		return nil, storage.ErrNotFound
	}
	return s.Get(e.ctx, e.tenant, page.Hits[0].ID)
}

// runShow prints a customer's sheet.
func runShow(e *env, args []string) int {
	fs := e.newFlags("show")
	asJSON := fs.Bool("json", false, "")
	if code, ok := e.parse(fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		e.say(e.stderr, "usage.one")
		return exitUsage
	}
	s, code := e.open()
	if s == nil {
		return code
	}
	c, err := e.findOne(s, fs.Arg(0), true)
	if err != nil {
		return e.fail(err)
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(c); err != nil {
			return e.fail(err)
		}
		return exitOK
	}
	if err := sheet.Text(e.stdout, c, s.Info(), &sheet.Options{English: e.lang == validation.English}); err != nil {
		return e.fail(err)
	}
	return exitOK
}

// runDuplicates lists the likely duplicates of one customer, or of the
// whole tenant.
func runDuplicates(e *env, args []string) int {
	fs := e.newFlags("duplicates")
	minScore := fs.Float64("min", 0, "")
	asJSON := fs.Bool("json", false, "")
	if code, ok := e.parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 1 || !(*minScore >= 0 && *minScore <= 1) { // NaN too
		e.say(e.stderr, "usage.args")
		return exitUsage
	}
	s, code := e.open()
	if s == nil {
		return code
	}
	opts := storage.DuplicateOptions{MinScore: *minScore}
	enc := json.NewEncoder(e.stdout)
	if fs.NArg() == 1 {
		c, err := e.findOne(s, fs.Arg(0), true)
		if err != nil {
			return e.fail(err)
		}
		cands, err := s.Duplicates(e.ctx, e.tenant, c.ID, &opts)
		if err != nil {
			return e.fail(err)
		}
		for _, cand := range cands {
			if *asJSON {
				if err := enc.Encode(storage.Pair{A: storage.SummaryOf(c), B: cand.Summary, Match: cand.Match}); err != nil {
					return e.fail(err)
				}
				continue
			}
			e.printPair(storage.SummaryOf(c), cand.Summary, cand.Match)
		}
		if len(cands) == 0 && !*asJSON {
			fmt.Fprintln(e.stdout, e.text("dup.none"))
		}
		return exitOK
	}
	bar := e.newBar("dup.progress")
	n := 0
	for p, err := range s.ScanDuplicates(e.ctx, e.tenant, &storage.ScanOptions{DuplicateOptions: opts, Progress: bar.set}) {
		if err != nil {
			bar.done()
			return e.fail(err)
		}
		n++
		if *asJSON {
			if err := enc.Encode(p); err != nil {
				bar.done()
				return e.fail(err)
			}
			continue
		}
		bar.clear()
		e.printPair(p.A, p.B, p.Match)
	}
	bar.done()
	if !*asJSON {
		fmt.Fprintln(e.stdout, e.text("dup.count", n))
	}
	return exitOK
}

// printPair writes one likely duplicate and its reasons.
func (e *env) printPair(a, b storage.Summary, m dedupe.Match) {
	reasons := make([]string, len(m.Reasons))
	for i, r := range m.Reasons {
		reasons[i] = r.Message(e.lang)
		if r.Against() {
			reasons[i] = "−" + reasons[i]
		}
	}
	fmt.Fprintf(e.stdout, "%.2f  %s %s  ~  %s %s\n      %s\n", m.Score, a.ID, a.Name, b.ID, b.Name, strings.Join(reasons, "; "))
}

// runMerge merges one customer into another: a preview, and the merge
// itself with -yes.
func runMerge(e *env, args []string) int {
	fs := e.newFlags("merge")
	yes := fs.Bool("yes", false, "")
	take := fs.String("take", "", "")
	if code, ok := e.parse(fs, args); !ok {
		return code
	}
	if fs.NArg() != 2 {
		e.say(e.stderr, "usage.two")
		return exitUsage
	}
	choices := dedupe.Choices{}
	for _, p := range strings.Split(*take, ",") {
		if p = strings.TrimSpace(p); p != "" {
			choices[p] = dedupe.Absorbed
		}
	}
	s, code := e.open()
	if s == nil {
		return code
	}
	into, err := e.findOne(s, fs.Arg(0), false)
	if err != nil {
		return e.fail(err)
	}
	from, err := e.findOne(s, fs.Arg(1), false)
	if err != nil {
		return e.fail(err)
	}
	req := storage.MergeRequest{Into: into.ID, From: from.ID, IntoVersion: into.Version, FromVersion: from.Version, Choices: choices}
	if !*yes {
		_, fields, err := s.PreviewMerge(e.ctx, e.tenant, req)
		if err != nil {
			return e.mergeFail(err)
		}
		fmt.Fprintln(e.stdout, e.text("merge.preview", from.ID, into.ID))
		for _, f := range fields {
			fmt.Fprintf(e.stdout, "  %s\n", f.Path)
		}
		fmt.Fprintln(e.stdout, e.text("merge.confirm"))
		return exitOK
	}
	m, err := s.Merge(e.ctx, e.tenant, req)
	if err != nil {
		return e.mergeFail(err)
	}
	fmt.Fprintln(e.stdout, e.text("merge.done", from.ID, m.Customer.ID, m.Customer.Version))
	return exitOK
}

// mergeFail reports a refused merge.
func (e *env) mergeFail(err error) int {
	if errors.Is(err, storage.ErrMerge) || errors.Is(err, storage.ErrLocked) {
		var v *validation.Error
		if errors.As(err, &v) {
			e.say(e.stderr, "err.merge")
			for _, f := range v.Fields {
				fmt.Fprintf(e.stderr, "  %s: %s (%s)\n", f.Path, f.Message(e.lang), f.Code())
			}
			return exitRefused
		}
	}
	return e.fail(err)
}
