// Package transfer moves customers between files and a store: the import
// of a spreadsheet or a DMS export, with a report of every row it could
// not take, and the export of a tenant or a filtered list. The file
// formats are csvio's (CSV as Brazilian spreadsheets write it, and JSON
// Lines); the writes are storage.Store.Upsert's.
package transfer

import (
	"cmp"
	"context"
	"errors"
	"hash/maphash"
	"io"
	"slices"
	"strconv"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/validation"
)

// Record is one record a [Source] read: its row number and what it says,
// or the problems that kept it from saying anything usable.
type Record struct {
	Row      int
	Customer *customer.Customer
	Problems []Problem
	// Column, when set, names the column of the row a field came from
	// (a row may lay a list out in other columns than the header's
	// first); the source's Columns otherwise.
	Column func(path string) string
}

// Source is a file of customers, read one record at a time; io.EOF ends
// it. An error other than io.EOF ends the import.
type Source interface {
	Next() (Record, error)
}

// Columns is implemented by a source that can name the column a field of
// the customer came from, for the report.
type Columns interface {
	Column(path string) string
}

// Problem is why a row, or a field of it, was not taken. It never holds
// the row's values.
type Problem struct {
	Row    int    `json:"row"`    // as a spreadsheet numbers it: the header is row 1
	Column string `json:"column"` // the file's column, when known
	Path   string `json:"path"`   // the customer's field: "tax_id", "phones[1]"
	Code   string `json:"code"`   // stable: "cpf.check_digit", "import.tax_id_held"
	EN     string `json:"en"`
	PT     string `json:"pt"`
}

// Message returns the problem's message in lang.
func (p Problem) Message(lang validation.Lang) string {
	if lang == validation.Portuguese {
		return p.PT
	}
	return p.EN
}

// ProblemOf returns the problem a validation rule's failure makes.
func ProblemOf(row int, column, path string, r *validation.Rule) Problem {
	return Problem{Row: row, Column: column, Path: path, Code: r.Code(), EN: r.Message(validation.English), PT: r.Message(validation.Portuguese)}
}

// The problems of the import itself, besides the record's own rules.
var (
	ErrTaxIDHeld  = validation.NewRule("import.tax_id_held", "another customer holds this CPF/CNPJ", "outro cliente tem este CPF/CNPJ")
	ErrRepeated   = validation.NewRule("import.repeated", "an earlier row of the file has the same key", "uma linha anterior do arquivo tem a mesma chave")
	ErrAmbiguous  = validation.NewRule("import.ambiguous", "more than one customer has this key: merge them first", "mais de um cliente tem esta chave: unifique-os antes")
	ErrAnonymised = validation.NewRule("import.anonymised", "the customer was anonymised", "o cliente foi anonimizado")
	ErrVanished   = validation.NewRule("import.vanished", "the customer was deleted or merged during the import", "o cliente foi excluído ou unificado durante a importação")
	ErrLockedRow  = validation.NewRule("import.locked", "the edit policy locks a field this row changes", "a política de edição bloqueia um campo que esta linha altera")
	ErrIDTaken    = validation.NewRule("import.id_taken", "another customer has (or had) this ID", "outro cliente tem (ou teve) este ID")
	ErrEmptyRow   = validation.NewRule("import.empty", "the row holds no customer", "a linha não traz nenhum cliente")
	// ErrSameCustomer is a row that stands for the customer an earlier row
	// of its batch stands for (found by another key, or as its likely
	// duplicate): the earlier row is applied, this one is not.
	ErrSameCustomer = validation.NewRule("import.same_customer", "an earlier row of the file is the same customer", "uma linha anterior do arquivo é o mesmo cliente")
	// ErrSavedMeanwhile is a row whose customer someone else saved between the
	// import's read and its write: nothing of the row was saved.
	ErrSavedMeanwhile = validation.NewRule("import.changed", "the customer was changed by someone else during the import: import this row again", "o cliente foi alterado por outra pessoa durante a importação: importe esta linha de novo")
)

// Options tunes [Import]. The zero value upserts by CPF/CNPJ under the
// store's edit policy, 1,000 rows at a time.
type Options struct {
	Key    storage.Key
	Policy customer.Policy
	// DryRun reads and checks every row, against the store too (who holds
	// a CPF, what the edit policy locks), and writes nothing.
	DryRun bool
	// Batch is how many rows go to the store at once; 0 is 1,000.
	Batch int
	// Progress, when set, is called after each batch with the totals so
	// far.
	Progress func(Totals)
	// Problem, when set, is called with every problem, in row order: for a
	// report that does not fit in memory. The Report keeps the first
	// MaxProblems either way.
	Problem func(Problem)
}

// Totals counts an import's rows.
type Totals struct {
	Rows      int `json:"rows"`      // rows read (empty rows are skipped, not counted)
	Created   int `json:"created"`   // new customers (would be, in a dry run)
	Updated   int `json:"updated"`   // known customers changed
	Unchanged int `json:"unchanged"` // known customers the row did not change
	Failed    int `json:"failed"`    // rows not taken
}

// Report is what an import did.
type Report struct {
	Totals
	DryRun bool `json:"dry_run"`
	// Problems are the first MaxProblems problems, in row order; Dropped
	// counts the rest.
	Problems []Problem `json:"problems"`
	Dropped  int       `json:"dropped,omitempty"`
}

// MaxProblems is how many problems a Report keeps.
const MaxProblems = 10000

// Import reads src to its end and upserts its customers into the tenant's
// store in batches (see storage.Store.Upsert): a row whose key no customer
// holds is created, a known one updated; the good rows go in even when
// others fail. A row's natural key seen in an earlier row of the file is a
// problem of the later row (the import remembers a hash of each key: a
// few bytes per row). It returns the report, and an error only when the
// import could not go on (the source's or the store's), with the report of
// what was done until then.
func Import(ctx context.Context, s *storage.Store, tenant string, src Source, opts *Options) (*Report, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Batch <= 0 {
		o.Batch = 1000
	}
	im := &importer{ctx: ctx, s: s, tenant: tenant, src: src, o: o, seed: maphash.MakeSeed(), seen: map[uint64]int{},
		report: &Report{DryRun: o.DryRun, Problems: []Problem{}}}
	if cols, ok := src.(Columns); ok {
		im.cols = cols
	}
	return im.report, im.run()
}

// importer is one import under way.
type importer struct {
	ctx    context.Context
	s      *storage.Store
	tenant string
	src    Source
	cols   Columns
	o      Options
	seed   maphash.Seed
	seen   map[uint64]int // a hash of each natural key, and the row that had it first
	report *Report
	// failed are the rows of the batch under way that failed before the
	// store saw them, with their problems: reported with the batch, so
	// that problems go out in row order.
	failed [][]Problem
}

func (im *importer) run() error {
	var rows []int
	var batch []*customer.Customer
	var cols []func(string) string
	for {
		rec, err := im.src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			// What was read before goes in, and its problems are
			// reported, before the error ends the import.
			if ferr := im.flush(rows, batch, cols); ferr != nil {
				return errors.Join(err, ferr)
			}
			return err
		}
		im.report.Rows++
		if len(rec.Problems) == 0 && rec.Customer == nil {
			rec.Problems = []Problem{ProblemOf(rec.Row, "", "", ErrEmptyRow)}
		}
		if len(rec.Problems) > 0 {
			im.failed = append(im.failed, rec.Problems)
			continue
		}
		if first, dup := im.repeated(rec); dup {
			im.failed = append(im.failed, []Problem{ProblemOf(rec.Row, im.column(im.keyPath()), im.keyPath(), ErrRepeated).withFirst(first)})
			continue
		}
		rows = append(rows, rec.Row)
		batch = append(batch, rec.Customer)
		cols = append(cols, rec.Column)
		if len(batch)+len(im.failed) >= im.o.Batch {
			if err := im.flush(rows, batch, cols); err != nil {
				return err
			}
			rows, batch, cols = rows[:0], batch[:0], cols[:0]
		}
	}
	return im.flush(rows, batch, cols)
}

// withFirst names, in the messages, the row that had the key first.
func (p Problem) withFirst(row int) Problem {
	n := strconv.Itoa(row)
	p.EN += " (row " + n + ")"
	p.PT += " (linha " + n + ")"
	return p
}

// keyPath is the customer path of the natural key.
func (im *importer) keyPath() string {
	switch im.o.Key {
	case storage.KeyDMSCode:
		return "dms_code"
	case storage.KeyID:
		return "id"
	case storage.KeyEmail:
		return "emails[0]"
	}
	return "tax_id"
}

// repeated reports whether an earlier row had the record's natural key,
// and which; it remembers the key otherwise.
func (im *importer) repeated(rec Record) (int, bool) {
	k := storage.NaturalKey(im.o.Key, rec.Customer)
	if k == "" {
		return 0, false
	}
	h := maphash.String(im.seed, k)
	if first, ok := im.seen[h]; ok {
		return first, true
	}
	im.seen[h] = rec.Row
	return 0, false
}

// flush upserts a batch, counts its outcomes and reports its failed
// rows, in row order.
func (im *importer) flush(rows []int, batch []*customer.Customer, cols []func(string) string) error {
	if len(batch) == 0 && len(im.failed) == 0 {
		return nil
	}
	var results []storage.UpsertResult
	if len(batch) > 0 {
		var err error
		results, err = im.s.Upsert(im.ctx, im.tenant, batch, &storage.UpsertOptions{Key: im.o.Key, Policy: im.o.Policy, DryRun: im.o.DryRun})
		if err != nil {
			return err
		}
	}
	// An error that ends the import is returned once the batch's
	// outcomes are counted and its problems reported: the totals say
	// what was stored.
	var fatal error
	for i, r := range results {
		switch r.Outcome {
		case storage.Created:
			im.report.Created++
		case storage.Updated:
			im.report.Updated++
		case storage.Unchanged:
			im.report.Unchanged++
		default:
			ps, err := im.problems(rows, i, cols[i], r.Err)
			if err != nil {
				fatal = cmp.Or(fatal, err)
				continue
			}
			im.failed = append(im.failed, ps)
		}
	}
	slices.SortStableFunc(im.failed, func(a, b []Problem) int { return rowOf(a) - rowOf(b) })
	for _, ps := range im.failed {
		im.fail(ps...)
	}
	im.failed = im.failed[:0]
	if im.o.Progress != nil {
		im.o.Progress(im.report.Totals)
	}
	return fatal
}

// rowOf returns the row of a failed row's problems.
func rowOf(ps []Problem) int {
	if len(ps) == 0 {
		return 0
	}
	return ps[0].Row
}

// fail records a failed row's problems.
func (im *importer) fail(ps ...Problem) {
	im.report.Failed++
	for _, p := range ps {
		if im.o.Problem != nil {
			im.o.Problem(p)
		}
		if len(im.report.Problems) < MaxProblems {
			im.report.Problems = append(im.report.Problems, p)
		} else {
			im.report.Dropped++
		}
	}
}

// problems turns the store's refusal of the batch's row i (of the file's
// rows) into problems; an error that is no refusal of the row (the
// database failing) ends the import.
func (im *importer) problems(rows []int, i int, rowCols func(string) string, err error) ([]Problem, error) {
	row := rows[i]
	column := im.column
	if rowCols != nil {
		column = rowCols
	}
	var v *validation.Error
	var dup *storage.DuplicateTaxIDError
	var rep *storage.RepeatedError
	var same *storage.SameCustomerError
	switch {
	case errors.As(err, &v):
		code := func(f validation.FieldError) *validation.Rule { return f.Rule }
		if errors.Is(err, storage.ErrLocked) {
			code = func(validation.FieldError) *validation.Rule { return ErrLockedRow }
		}
		out := make([]Problem, 0, len(v.Fields))
		for _, f := range v.Fields {
			out = append(out, ProblemOf(row, column(f.Path), f.Path, code(f)))
		}
		return out, nil
	case errors.As(err, &dup):
		return []Problem{ProblemOf(row, column("tax_id"), "tax_id", ErrTaxIDHeld)}, nil
	case errors.As(err, &rep):
		return []Problem{ProblemOf(row, column(im.keyPath()), im.keyPath(), ErrRepeated).withFirst(rows[rep.First])}, nil
	case errors.As(err, &same):
		return []Problem{ProblemOf(row, "", "", ErrSameCustomer).withFirst(rows[same.First])}, nil
	case errors.Is(err, storage.ErrConflict):
		return []Problem{ProblemOf(row, "", "", ErrSavedMeanwhile)}, nil
	case errors.Is(err, storage.ErrAmbiguous):
		return []Problem{ProblemOf(row, column(im.keyPath()), im.keyPath(), ErrAmbiguous)}, nil
	case errors.Is(err, storage.ErrAnonymised):
		return []Problem{ProblemOf(row, "", "", ErrAnonymised)}, nil
	case errors.Is(err, storage.ErrNotFound):
		return []Problem{ProblemOf(row, "", "", ErrVanished)}, nil
	case errors.Is(err, storage.ErrExists):
		return []Problem{ProblemOf(row, column("id"), "id", ErrIDTaken)}, nil
	}
	return nil, err
}

// column names the file's column of a path, when the source can.
func (im *importer) column(path string) string {
	if im.cols == nil {
		return ""
	}
	return im.cols.Column(path)
}
