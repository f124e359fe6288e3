package transfer

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/csvio"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/validation"
)

// CSV returns a Source over a CSV file csvio reads; the report names the
// file's own columns.
func CSV(r *csvio.Reader) Source { return csvSource{r} }

type csvSource struct{ r *csvio.Reader }

func (s csvSource) Next() (Record, error) {
	row, err := s.r.Read()
	if err != nil {
		return Record{}, err
	}
	return recordOf(row), nil
}

func (s csvSource) Column(path string) string { return s.r.Column(path) }

// JSONL returns a Source over a JSON Lines file, one customer per line in
// its JSON form.
func JSONL(r *csvio.JSONLReader) Source { return jsonlSource{r} }

type jsonlSource struct{ r *csvio.JSONLReader }

func (s jsonlSource) Next() (Record, error) {
	row, err := s.r.Read()
	if err != nil {
		return Record{}, err
	}
	return recordOf(row), nil
}

// recordOf turns a row csvio read into a Record.
func recordOf(row *csvio.Row) Record {
	rec := Record{Row: row.Number, Customer: row.Customer, Column: row.Column}
	for _, p := range row.Problems {
		rec.Problems = append(rec.Problems, ProblemOf(p.Row, p.Column, p.Path, p.Rule))
	}
	if len(rec.Problems) > 0 {
		rec.Customer = nil
	}
	return rec
}

// Format is the format of an export.
type Format uint8

// The formats of an export.
const (
	FormatCSV   Format = iota // csvio's CSV: one row per customer, numbered column groups, UTF-8 with a BOM, ';'
	FormatJSONL               // one customer per line, in its JSON form
)

// ParseFormat returns the format a name ("csv", "jsonl") names.
func ParseFormat(s string) (Format, error) {
	switch s {
	case "csv":
		return FormatCSV, nil
	case "jsonl":
		return FormatJSONL, nil
	}
	return 0, errors.New("transfer: the format is csv or jsonl")
}

// ExportOptions tunes [Export]. The zero value writes every customer of
// the tenant as CSV.
type ExportOptions struct {
	Format Format
	// Status and Kind, when set, keep only the customers of that status
	// or kind; Filter, when set, only those it accepts.
	Status customer.Status
	Kind   customer.Kind
	Filter func(c *customer.Customer) bool
	// Progress, when set, is called after each page with the customers
	// read so far (a CSV export reads the tenant twice: once for the
	// columns it needs, once to write) and the tenant's count.
	Progress func(done, total int64)
}

// ErrChanged is returned by a CSV export when a customer changed between
// the pass that chose the columns and the pass that writes, so that it no
// longer fits them: run the export again.
var ErrChanged = errors.New("transfer: a customer changed during the export; run it again")

// Export writes the tenant's customers (those opts keeps) to w, in ID
// order, and returns how many it wrote. A CSV export reads the tenant
// twice, a page at a time: memory stays bounded whatever its size. Its
// columns are csvio's, identifiers formatted and accents intact: an
// import of the file (by ID, into an empty store) gives the same
// customers back. Anonymised records are left out: they hold no one.
func Export(ctx context.Context, s *storage.Store, tenant string, w io.Writer, opts *ExportOptions) (int, error) {
	var o ExportOptions
	if opts != nil {
		o = *opts
	}
	total, err := s.Count(ctx, tenant)
	if err != nil {
		return 0, err
	}
	keep := func(c *customer.Customer) bool {
		if _, gone := storage.IsAnonymised(c); gone {
			return false
		}
		return (o.Status == 0 || c.Status == o.Status) && (o.Kind == 0 || c.Kind == o.Kind) && (o.Filter == nil || o.Filter(c))
	}
	var read int64
	each := func(fn func(c *customer.Customer) error) error {
		for c, err := range s.All(ctx, tenant) {
			if err != nil {
				return err
			}
			read++
			if o.Progress != nil && read%500 == 0 {
				o.Progress(read, total)
			}
			if keep(c) {
				if err := fn(c); err != nil {
					return err
				}
			}
		}
		if o.Progress != nil {
			o.Progress(read, total)
		}
		return nil
	}
	n := 0
	switch o.Format {
	case FormatJSONL:
		jw := csvio.NewJSONLWriter(w)
		err := each(func(c *customer.Customer) error { n++; return jw.Write(c) })
		if err != nil {
			return n, err
		}
		return n, jw.Flush()
	case FormatCSV:
	default:
		return 0, fmt.Errorf("transfer: unknown format %d", o.Format)
	}
	var shape csvio.Shape
	seen := map[uuid.UUID]bool{}
	if err := each(func(c *customer.Customer) error { shape.Add(c); seen[c.ID] = true; return nil }); err != nil {
		return 0, err
	}
	total, read = total*2, total
	cw, err := csvio.NewWriter(w, shape)
	if err != nil {
		return 0, err
	}
	err = each(func(c *customer.Customer) error {
		if !seen[c.ID] {
			return nil // created after the first pass
		}
		if err := cw.Write(c); err != nil {
			if errors.Is(err, csvio.ErrShape) {
				return ErrChanged
			}
			return err
		}
		n++
		return nil
	})
	if err != nil {
		return n, err
	}
	return n, cw.Flush()
}

// Messages of the file-level errors a command shows: a header that names
// nothing known, a file that cannot be read on.
func FileMessage(err error, lang validation.Lang) (string, bool) {
	var he *csvio.HeaderError
	if errors.As(err, &he) {
		return he.Message(lang), true
	}
	var fe *csvio.FileError
	if errors.As(err, &fe) {
		return fe.Message(lang), true
	}
	return "", false
}
