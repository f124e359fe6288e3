package csvio

import (
	"bufio"
	"errors"
	"io"
	"maps"
	"slices"
	"strconv"

	"github.com/fichacrm/ficha/customer"
)

// Shape is the columns a file has room for: how many phones and e-mails,
// how many numbered groups of columns each list of sub-records, and
// which keys of additional information. Build it with [Shape.Add] from
// the customers to be written, or set it for a template.
type Shape struct {
	Phones             int
	Emails             int
	Addresses          int
	Assets             int
	Contacts           int
	PersonalReferences int
	BankReferences     int
	Cards              int
	// Info are the keys of additional information, one "info.<key>"
	// column each, in this order. Add keeps them sorted.
	Info []string
}

// Add widens the shape to hold c.
func (s *Shape) Add(c *customer.Customer) {
	s.Phones = max(s.Phones, len(c.Phones))
	s.Emails = max(s.Emails, len(c.Emails))
	for _, g := range cat.groups {
		n := g.shape(s)
		*n = max(*n, g.size(c))
	}
	for k := range c.Info {
		if i, found := slices.BinarySearch(s.Info, k); !found {
			s.Info = slices.Insert(s.Info, i, k)
		}
	}
}

// ErrShape is the error [Writer.Write] returns, wrapped, for a customer
// that does not fit the writer's [Shape].
var ErrShape = errors.New("csvio: the customer does not fit the file's columns")

// wcol is one column the writer writes.
type wcol struct {
	header string
	f      *field // nil for additional information
	i      int    // the element of a group or list
	info   string
}

// Writer writes customers as CSV that Excel and LibreOffice open in
// Brazil: UTF-8 with a byte-order mark, ';' between cells, CRLF after
// each row, Portuguese headers, identifiers formatted as people read
// them, dates as DD/MM/AAAA and amounts as 1234,56. A cell that begins
// with = + - @, a tab, a CR or an apostrophe is written after an
// apostrophe, so that no spreadsheet runs it as a formula; the reader
// takes the apostrophe away again. It is not safe for concurrent use.
type Writer struct {
	w     *bufio.Writer
	cols  []wcol
	shape Shape
	info  map[string]bool
	line  []byte
	cell  []byte
	err   error
}

// NewWriter writes the byte-order mark and the header row of a file of
// the given shape to w, and returns a writer of its rows.
func NewWriter(w io.Writer, shape Shape) (*Writer, error) {
	wr := &Writer{w: bufio.NewWriter(w), shape: shape, info: map[string]bool{}}
	wr.shape.Info = slices.Clone(shape.Info)
	for _, f := range cat.fields {
		switch {
		case f.group != nil:
			if f == f.group.fields[0] {
				wr.addGroup(f.group, *f.group.shape(&wr.shape))
			}
		case f.list:
			n := shape.Phones
			if f.path == "emails" {
				n = shape.Emails
			}
			for i := range n {
				wr.cols = append(wr.cols, wcol{header: f.header + " " + strconv.Itoa(i+1), f: f, i: i})
			}
		case f.key == "id":
			for _, k := range wr.shape.Info {
				if !wr.info[k] {
					wr.info[k] = true
					wr.cols = append(wr.cols, wcol{header: "info." + k, info: k})
				}
			}
			wr.cols = append(wr.cols, wcol{header: f.header, f: f})
		default:
			wr.cols = append(wr.cols, wcol{header: f.header, f: f})
		}
	}
	wr.line = append(wr.line, "\uFEFF"...)
	for i, c := range wr.cols {
		if i > 0 {
			wr.line = append(wr.line, ';')
		}
		wr.line = appendCell(wr.line, []byte(c.header), ';')
	}
	wr.line = append(wr.line, '\r', '\n')
	if _, err := wr.w.Write(wr.line); err != nil {
		return nil, err
	}
	return wr, nil
}

// addGroup adds n numbered groups of g's columns.
func (w *Writer) addGroup(g *group, n int) {
	for i := range n {
		for _, f := range g.fields {
			w.cols = append(w.cols, wcol{header: f.header + " " + strconv.Itoa(i+1), f: f, i: i})
		}
	}
}

// Write writes c as a row. It returns an error wrapping [ErrShape] for
// a customer with more entries in a list than the shape has room for,
// or with a key of additional information the shape does not hold;
// else the first error writing to the underlying writer. An entry of
// additional information with an empty value is an empty cell, which
// reads back as no entry. The ID is written: it reads back too.
func (w *Writer) Write(c *customer.Customer) error {
	if w.err != nil {
		return w.err
	}
	if err := w.fits(c); err != nil {
		return err
	}
	w.line = w.line[:0]
	for k, col := range w.cols {
		if k > 0 {
			w.line = append(w.line, ';')
		}
		cell := w.cell[:0]
		var err error
		switch {
		case col.f == nil:
			cell = append(cell, c.Info[col.info]...)
		case col.f.group != nil:
			if col.i < col.f.group.size(c) {
				cell, err = col.f.write(cell, c, col.i)
			}
		case col.f.list && col.i >= col.f.count(c):
		default:
			cell, err = col.f.write(cell, c, col.i)
		}
		if err != nil {
			return errors.New("csvio: column " + strconv.Quote(col.header) + ": " + err.Error())
		}
		w.cell = cell
		w.line = appendCell(w.line, cell, ';')
	}
	w.line = append(w.line, '\r', '\n')
	_, w.err = w.w.Write(w.line)
	return w.err
}

// fits reports how c does not fit the shape, or nil.
func (w *Writer) fits(c *customer.Customer) error {
	over := func(what string, n, room int) error {
		if n > room {
			return errors.Join(ErrShape, errors.New("csvio: "+strconv.Itoa(n)+" "+what+", room for "+strconv.Itoa(room)))
		}
		return nil
	}
	if err := over("phones", len(c.Phones), w.shape.Phones); err != nil {
		return err
	}
	if err := over("emails", len(c.Emails), w.shape.Emails); err != nil {
		return err
	}
	for _, g := range cat.groups {
		if err := over(g.path, g.size(c), *g.shape(&w.shape)); err != nil {
			return err
		}
	}
	for _, k := range slices.Sorted(maps.Keys(c.Info)) {
		if !w.info[k] {
			return errors.Join(ErrShape, errors.New("csvio: a key of additional information has no column"))
		}
	}
	return nil
}

// Flush writes what is buffered to the underlying writer and returns
// the first error writing.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	w.err = w.w.Flush()
	return w.err
}

// appendCell appends a cell to a row: after an apostrophe if it begins
// like a formula (or with an apostrophe, which the reader would take
// away), and in quotes if it holds the separator, a quote, a line break
// or white space at either end.
func appendCell(b, cell []byte, comma byte) []byte {
	guard := len(cell) > 0 && isGuarded(cell[0])
	needQuotes := false
	for _, c := range cell {
		if c == comma || c == '"' || c == '\n' || c == '\r' {
			needQuotes = true
			break
		}
	}
	if n := len(cell); n > 0 && (cell[n-1] == ' ' || cell[n-1] == '\t' || cell[0] == ' ' || cell[0] == '\t') {
		needQuotes = true
	}
	if !needQuotes {
		if guard {
			b = append(b, '\'')
		}
		return append(b, cell...)
	}
	b = append(b, '"')
	if guard {
		b = append(b, '\'')
	}
	for _, c := range cell {
		if c == '"' {
			b = append(b, '"')
		}
		b = append(b, c)
	}
	return append(b, '"')
}

// isGuarded reports whether a cell beginning with c is written after an
// apostrophe.
func isGuarded(c byte) bool {
	switch c {
	case '=', '+', '-', '@', '\t', '\r', '\'':
		return true
	}
	return false
}

// unguard takes away the apostrophe the writer puts before a cell that
// begins like a formula.
func unguard(s string) string {
	if len(s) >= 2 && s[0] == '\'' && isGuarded(s[1]) {
		return s[1:]
	}
	return s
}
