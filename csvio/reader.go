package csvio

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/validation"
)

// Encoding is the character encoding of a CSV file.
type Encoding uint8

// The encodings the reader knows.
const (
	// EncodingAuto reads UTF-8 when the start of the file is valid
	// UTF-8, and Windows-1252 (what Excel in Portuguese saves as "CSV")
	// otherwise.
	EncodingAuto Encoding = iota
	EncodingUTF8
	// EncodingWindows1252 reads each cell that is valid UTF-8 as UTF-8,
	// and the others as Windows-1252: a file pasted together from two
	// sources, or a row finished in another program, reads right. A
	// Windows-1252 text is valid UTF-8 only through pairs such as "Ã£",
	// which no name or address holds.
	EncodingWindows1252
)

// Options tunes [NewReader]. The zero value, and a nil *Options, detect
// the separator and the encoding and match headers by their built-in
// names.
type Options struct {
	// Comma is the separator of cells. 0 detects it from the header
	// line: the most frequent of ';', ',' and tab. An Excel "sep=;"
	// first line chooses it too.
	Comma rune
	// Encoding is the file's encoding: EncodingAuto reads UTF-8 (a
	// byte-order mark skipped) when the first 64 KiB are valid UTF-8,
	// and Windows-1252 otherwise (see EncodingWindows1252).
	Encoding Encoding
	// Columns is the host's own mapping: a header as written in the
	// file (matched as written, else whatever its case, accents, spaces
	// and punctuation) to a column key of [Keys], numbered for another
	// element of a list ("address2.cep"), "info." and a key, or "-" to
	// ignore the column. It overrides the built-in names.
	Columns map[string]string
}

// Problems the reader reports on a row, besides the rules of the values
// it reads.
var (
	// ErrEncoding is the problem of a row that is not text in the
	// file's encoding. The row is not read.
	ErrEncoding = validation.NewRule("csv.encoding", "this row is not valid text in the file's encoding (UTF-8 or Windows-1252)", "esta linha não é texto válido na codificação do arquivo (UTF-8 ou Windows-1252)")
	// ErrShortRow is the problem of a row with fewer cells than the
	// header has columns. The row is not read.
	ErrShortRow = validation.NewRule("csv.short_row", "this row has fewer cells than the header has columns", "esta linha tem menos células do que o cabeçalho tem colunas")
	// ErrLongRow is the problem of a row with more cells than the
	// header has columns. The row is not read.
	ErrLongRow = validation.NewRule("csv.long_row", "this row has more cells than the header has columns", "esta linha tem mais células do que o cabeçalho tem colunas")
)

// Errors that end the reading of a file, carried by a [*FileError].
var (
	// ErrQuote is a quoted cell that is never closed: the rest of the
	// file cannot be read.
	ErrQuote = validation.NewRule("csv.quote", "a quoted cell is never closed; the rest of the file cannot be read", "uma célula entre aspas nunca é fechada; o restante do arquivo não pode ser lido")
	// ErrTooLong is a record longer than [MaxRecord].
	ErrTooLong = validation.NewRule("csv.too_long", "a row is too long to be customer data", "uma linha é longa demais para ser um cadastro de cliente")
)

// Rules of the header, carried by a [*HeaderError].
var (
	// ErrHeaderEmpty is a file without a header: empty, or blank lines.
	ErrHeaderEmpty = validation.NewRule("csv.header_empty", "the file has no header row", "o arquivo não tem linha de cabeçalho")
	// ErrHeaderUnknown is a header that names no known column.
	ErrHeaderUnknown = validation.NewRule("csv.header_unknown", "these columns are not known", "estas colunas não são conhecidas")
	// ErrHeaderRepeated is two headers for the same column.
	ErrHeaderRepeated = validation.NewRule("csv.header_repeated", "these columns are the same column", "estas colunas são a mesma coluna")
)

// ErrMapping is returned by [NewReader] for an [Options.Columns] entry
// whose key is no column key: the host's mistake, not the file's.
var ErrMapping = errors.New("csvio: Options.Columns maps a header to no column key")

// errQuote and errTooLong are the scanner's errors, before the reader
// names their row.
var (
	errQuote   = errors.New("csvio: quote")
	errTooLong = errors.New("csvio: record too long")
)

// FileError is an error that ends the reading of a file: a quote left
// open ([ErrQuote]) or a record past [MaxRecord] ([ErrTooLong]), at the
// row where it starts.
type FileError struct {
	Row  int
	Rule *validation.Rule
}

// Error returns the row and the English message.
func (e *FileError) Error() string { return e.Message(validation.English) }

// Message returns the row and the message in lang.
func (e *FileError) Message(lang validation.Lang) string {
	return rowWord(lang) + " " + strconv.Itoa(e.Row) + ": " + e.Rule.Message(lang)
}

// Unwrap returns the rule, so errors.Is matches it.
func (e *FileError) Unwrap() error { return e.Rule }

// HeaderError is the error [NewReader] returns for a header it cannot
// map: none ([ErrHeaderEmpty]), headers that name no known column
// ([ErrHeaderUnknown]), two headers for one column
// ([ErrHeaderRepeated]), or a header that is not text in the file's
// encoding ([ErrEncoding]). Its message gives the positions of the
// offending columns, never their text: a file without a header row has
// a customer's data where its headers should be. Headers holds the text,
// for a host that judges it safe to show.
type HeaderError struct {
	Rule    *validation.Rule
	Headers []string // the offending headers, as written
	Columns []int    // their positions, from 1 (column A is 1)
}

// Code returns the rule's code.
func (e *HeaderError) Code() string { return e.Rule.Code() }

// Error returns the English message.
func (e *HeaderError) Error() string { return e.Message(validation.English) }

// Message returns the message in lang, naming the offending columns by
// their position.
func (e *HeaderError) Message(lang validation.Lang) string {
	var b strings.Builder
	b.WriteString(e.Rule.Message(lang))
	for i, c := range e.Columns {
		if i == 0 {
			if lang == validation.Portuguese {
				b.WriteString(" (colunas ")
			} else {
				b.WriteString(" (columns ")
			}
		} else {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(c))
	}
	if len(e.Columns) > 0 {
		b.WriteString(")")
	}
	return b.String()
}

// Unwrap returns the rule, so errors.Is matches it.
func (e *HeaderError) Unwrap() error { return e.Rule }

// Problem is why a row, or a cell of it, could not be read as it is. It
// never holds the cell's value: values are personal data.
type Problem struct {
	Row    int              // the row's number as a spreadsheet shows it
	Column string           // the header as written in the file; "" for a problem of the whole row
	Path   string           // the customer path: "tax_id", "phones[1]", "addresses[0].cep"; "" for the whole row
	Rule   *validation.Rule // the broken rule: its code and messages in English and Portuguese
}

// Code returns the broken rule's code.
func (p Problem) Code() string { return p.Rule.Code() }

// Message returns the problem in lang: row, column and message.
func (p Problem) Message(lang validation.Lang) string {
	s := rowWord(lang) + " " + strconv.Itoa(p.Row)
	if p.Column != "" {
		if lang == validation.Portuguese {
			s += ", coluna "
		} else {
			s += ", column "
		}
		s += strconv.Quote(p.Column)
	}
	return s + ": " + p.Rule.Message(lang)
}

// String returns the row, the column, the code and the English message.
func (p Problem) String() string {
	s := "row " + strconv.Itoa(p.Row)
	if p.Column != "" {
		s += ", column " + strconv.Quote(p.Column)
	}
	return s + ": " + p.Rule.Code() + ": " + p.Rule.Message(validation.English)
}

// Error is String: a Problem is an error too.
func (p Problem) Error() string { return p.String() }

// Unwrap returns the rule, so errors.Is matches it.
func (p Problem) Unwrap() error { return p.Rule }

func rowWord(lang validation.Lang) string {
	if lang == validation.Portuguese {
		return "linha"
	}
	return "row"
}

// Mapped is one column of a file and the key it was mapped to.
type Mapped struct {
	Header string // as written in the file
	// Key is the column key: "name", "phone", "address1.cep" (a list's
	// element by its number), "info.spouse_name"; "" for a column
	// ignored ("-" in the mapping, or a blank header).
	Key string
}

// column is one column of the file being read.
type column struct {
	header string
	f      *field // nil for an additional-information or ignored column
	num    int    // a group field's element number, from 1
	info   string // the additional-information key
	isInfo bool
	skip   bool
}

// key returns the column key the column was mapped to.
func (c *column) key() string {
	switch {
	case c.skip:
		return ""
	case c.isInfo:
		return "info." + c.info
	case c.f.group != nil:
		return c.f.group.key + strconv.Itoa(c.num) + "." + c.f.key
	}
	return c.f.key
}

// groupPlan is how a group's columns are read: each element number
// present in the header, in order, with its columns.
type groupPlan struct {
	g    *group
	nums []numPlan
}

type numPlan struct {
	num  int
	cols []int
}

// Reader reads customers from a CSV file, a row at a time. It is not
// safe for concurrent use.
type Reader struct {
	sc      *scanner
	win1252 bool
	// guessed is whether the encoding was chosen from the file's first
	// bytes: no option named it, no byte-order mark declared it.
	guessed bool
	cols    []column
	top     []int // columns of no group, in file order
	plan    []groupPlan
	header  []int32 // each column's element as laid out in the header
	number  int     // the number of the last record read
	dec     decoder
	text    []byte // a Windows-1252 record decoded
}

// NewReader reads the header of a CSV file and returns a reader of its
// rows; it reads up to 64 KiB ahead to choose the encoding and the
// separator. It returns a [*HeaderError] when the header is empty, a header
// maps to no known column, or two headers map to the same column (the
// customer's phones and e-mails, a contact's phones and the service
// orders excepted: each of their columns adds to the list); an error
// for a mapping in opts that names no column key or a Comma that cannot
// separate cells; and the read error that kept it from reading the
// header.
func NewReader(r io.Reader, opts *Options) (*Reader, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Comma != 0 && (o.Comma >= utf8.RuneSelf || o.Comma == '"' || o.Comma == '\r' || o.Comma == '\n' || o.Comma == ' ' ||
		o.Comma < ' ' && o.Comma != '\t' || isDigit(byte(o.Comma)) || o.Comma|0x20 >= 'a' && o.Comma|0x20 <= 'z') {
		return nil, errors.New("csvio: Options.Comma must be ASCII punctuation or a tab")
	}
	mapping, err := hostMapping(o.Columns)
	if err != nil {
		return nil, err
	}
	rd := &Reader{sc: newScanner(r)}
	start := rd.sc.peek()
	if err := rd.sc.end(); err != nil && len(start) == 0 {
		return nil, err
	}
	if len(start) >= 3 && start[0] == 0xef && start[1] == 0xbb && start[2] == 0xbf {
		rd.sc.r += 3
		start = start[3:]
		if o.Encoding == EncodingAuto {
			o.Encoding = EncodingUTF8
		}
	}
	rd.guessed = o.Encoding == EncodingAuto
	if o.Encoding == EncodingAuto && !validPrefix(start, rd.sc.err == nil) {
		o.Encoding = EncodingWindows1252
	}
	rd.win1252 = o.Encoding == EncodingWindows1252
	comma := byte(o.Comma)
	if c, n := sepLine(start); n > 0 {
		rd.sc.r += n
		start = start[n:]
		rd.number++
		if comma == 0 {
			comma = c
		}
	}
	if comma == 0 {
		comma = detectComma(start)
	}
	rd.sc.comma = comma
	if err := rd.readHeader(mapping); err != nil {
		return nil, err
	}
	rd.dec.r = rd
	return rd, nil
}

// sepLine reads an Excel "sep=;" line at the start of b: the separator
// it names and its length with its line break, or 0.
func sepLine(b []byte) (byte, int) {
	if len(b) < 5 || !strings.EqualFold(string(b[:4]), "sep=") || b[4] == '"' || b[4] == '\r' || b[4] == '\n' {
		return 0, 0
	}
	switch {
	case len(b) == 5:
		return b[4], 5
	case b[5] == '\n':
		return b[4], 6
	case b[5] == '\r' && len(b) > 6 && b[6] == '\n':
		return b[4], 7
	case b[5] == '\r':
		return b[4], 6
	}
	return 0, 0
}

// hostMapping checks the host's mapping and indexes it by the header
// as written and as normalised.
func hostMapping(m map[string]string) (map[string]column, error) {
	out := make(map[string]column, 2*len(m))
	for h, key := range m {
		c, ok := columnOfKey(key)
		if !ok {
			return nil, fmt.Errorf("%w: %q maps to %q", ErrMapping, h, key)
		}
		out["="+strings.TrimSpace(h)] = c
		if _, taken := out[normalize(h)]; !taken {
			out[normalize(h)] = c
		}
	}
	return out, nil
}

// columnOfKey returns the column a key names, without its header.
func columnOfKey(key string) (column, bool) {
	if key == "-" {
		return column{skip: true}, true
	}
	if k, ok := strings.CutPrefix(key, "info."); ok {
		return column{isInfo: true, info: k}, true
	}
	f, num, ok := lookupKey(key)
	return column{f: f, num: num}, ok
}

// readHeader reads and maps the header row, skipping blank lines before
// it.
func (r *Reader) readHeader(mapping map[string]column) error {
	for {
		err := r.sc.next()
		if err == io.EOF {
			return &HeaderError{Rule: ErrHeaderEmpty}
		}
		if err != nil {
			return r.fileError(err)
		}
		r.number++
		if !r.sc.blank() {
			break
		}
	}
	text, ok := r.decode()
	if !ok {
		return &HeaderError{Rule: ErrEncoding}
	}
	var unknown []string
	var at []int
	r.cols = make([]column, 0, len(r.sc.ends))
	for i := range r.sc.ends {
		h := strings.TrimSpace(r.cellOf(text, i))
		c, known := mapHeader(h, mapping)
		if !known {
			unknown = append(unknown, h)
			at = append(at, i+1)
		}
		c.header = h
		r.cols = append(r.cols, c)
	}
	if unknown != nil {
		return &HeaderError{Rule: ErrHeaderUnknown, Headers: unknown, Columns: at}
	}
	if r.sc.cells > len(r.sc.ends) {
		return &HeaderError{Rule: ErrHeaderUnknown, Headers: []string{"…"}, Columns: []int{len(r.sc.ends) + 1}}
	}
	seen := map[string]int{}
	for i, c := range r.cols {
		if c.skip || !c.isInfo && c.f.many {
			continue
		}
		k := c.key()
		if first, ok := seen[k]; ok {
			return &HeaderError{Rule: ErrHeaderRepeated, Headers: []string{r.cols[first].header, c.header}, Columns: []int{first + 1, i + 1}}
		}
		seen[k] = i
	}
	r.layOut()
	return nil
}

// mapHeader finds the column a header names: by the host's mapping, by
// a column key written as the header, or by the built-in names. A blank
// header is an ignored column.
func mapHeader(h string, mapping map[string]column) (column, bool) {
	if c, ok := mapping["="+h]; ok {
		return c, true
	}
	if c, ok := mapping[normalize(h)]; ok && normalize(h) != "" {
		return c, true
	}
	if validation.IsBlank(h) {
		return column{skip: true}, true
	}
	if strings.HasPrefix(strings.ToLower(h), "info.") {
		return column{isInfo: true, info: h[len("info."):]}, true
	}
	if c, ok := columnOfKey(strings.ToLower(h)); ok && !c.skip && !c.isInfo {
		return c, true
	}
	f, num, ok := lookupHeader(h)
	return column{f: f, num: num}, ok
}

// layOut plans how rows are read: the columns of no group in file
// order, and each group's element numbers in order with their columns;
// and lays out the header's own elements for Reader.Column.
func (r *Reader) layOut() {
	r.header = make([]int32, len(r.cols))
	lists := map[*field]int32{}
	plans := map[*group]map[int][]int{}
	for i, c := range r.cols {
		switch {
		case c.skip:
			r.header[i] = -1
		case c.isInfo || c.f.group == nil:
			r.top = append(r.top, i)
			if !c.isInfo && c.f.list {
				r.header[i] = lists[c.f]
				lists[c.f]++
			}
		default:
			g := c.f.group
			if plans[g] == nil {
				plans[g] = map[int][]int{}
			}
			plans[g][c.num] = append(plans[g][c.num], i)
			r.header[i] = int32(c.num - 1)
		}
	}
	for _, g := range cat.groups {
		nums := plans[g]
		if nums == nil {
			continue
		}
		gp := groupPlan{g: g}
		for _, n := range slices.Sorted(maps.Keys(nums)) {
			gp.nums = append(gp.nums, numPlan{num: n, cols: nums[n]})
		}
		r.plan = append(r.plan, gp)
	}
}

// Mapping returns each column of the file and the key it was mapped to,
// in file order.
func (r *Reader) Mapping() []Mapped {
	out := make([]Mapped, len(r.cols))
	for i := range r.cols {
		out[i] = Mapped{Header: r.cols[i].header, Key: r.cols[i].key()}
	}
	return out
}

// Column returns the header of the column a customer path comes from,
// as the header lays the file out (the n-th column of a list is its
// element n-1, "CEP 2" is addresses[1].cep), or "" if none does. A
// row's own [Row.Column] is exact where a row leaves an element out.
func (r *Reader) Column(path string) string { return columnOf(r.cols, r.header, path) }

// fileError names the row of a scanner's error.
func (r *Reader) fileError(err error) error {
	switch err {
	case errQuote:
		return &FileError{Row: r.number + 1, Rule: ErrQuote}
	case errTooLong:
		return &FileError{Row: r.number + 1, Rule: ErrTooLong}
	}
	return err
}

// decode returns the record's text in UTF-8, its cells one after
// another as r.sc.ends marks them, and whether it was valid in the
// file's encoding.
func (r *Reader) decode() (string, bool) {
	b := r.sc.cell
	if !r.win1252 {
		return string(b), r.cellsUTF8()
	}
	ascii := true
	for _, c := range b {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii || r.cellsUTF8() {
		return string(b), true
	}
	// Cell by cell: a cell that is valid UTF-8 is read as UTF-8 (a row
	// typed in one program and finished in another), the others as
	// Windows-1252.
	ok := true
	out := r.text[:0]
	start := 0
	for i, end := range r.sc.ends {
		if cell := b[start:end]; utf8.Valid(cell) {
			out = append(out, cell...)
		} else {
			for _, c := range cell {
				if c < utf8.RuneSelf {
					out = append(out, c)
					continue
				}
				ru := charmap.Windows1252.DecodeByte(c)
				if ru == utf8.RuneError {
					ok = false
				}
				out = utf8.AppendRune(out, ru)
			}
		}
		start = end
		r.sc.ends[i] = len(out)
	}
	r.text = out
	return string(out), ok
}

// Encoding returns the encoding the reader reads the file in,
// EncodingUTF8 or EncodingWindows1252, and whether it guessed it from the
// file's first bytes (EncodingAuto and no byte-order mark): a program can
// then suggest the other when rows fail.
func (r *Reader) Encoding() (Encoding, bool) {
	if r.win1252 {
		return EncodingWindows1252, r.guessed
	}
	return EncodingUTF8, r.guessed
}

// cellsUTF8 reports whether each cell of the record is valid UTF-8: cell
// by cell, as two cells' bytes end to end can make a sequence neither
// holds.
func (r *Reader) cellsUTF8() bool {
	start := 0
	for _, end := range r.sc.ends {
		if !utf8.Valid(r.sc.cell[start:end]) {
			return false
		}
		start = end
	}
	return utf8.Valid(r.sc.cell[start:])
}

// cellOf returns cell i of a decoded record.
func (r *Reader) cellOf(text string, i int) string {
	start := 0
	if i > 0 {
		start = r.sc.ends[i-1]
	}
	return text[start:r.sc.ends[i]]
}

// Row is one row of the file: what it says of a customer, and what could
// not be read.
type Row struct {
	// Number is the row's number as a spreadsheet shows it: the header
	// is row 1 and the first row of data row 2; a cell holding line
	// breaks does not change the count. For JSON Lines it is the line's
	// number.
	Number int
	// Customer is what the row says, with every field that has a problem
	// left zero; nil for a row not read at all (ErrEncoding,
	// ErrShortRow, ErrLongRow, a malformed JSON line).
	Customer *customer.Customer
	Problems []Problem

	cols   []column // the file's columns
	layout []int32  // each column's element in this row, -1 for none
}

// add records a problem of the row.
func (r *Row) add(column, path string, rule *validation.Rule) {
	r.Problems = append(r.Problems, Problem{Row: r.Number, Column: column, Path: path, Rule: rule})
}

// Column returns the header of the column that the customer path comes
// from in this row ("addresses[0].cep" is "CEP 2" in a row whose first
// address is blank). A path of a whole list or element ("phones",
// "addresses[0]") names its first column, and a path no column holds the
// column of what encloses it; "" when nothing does.
func (r *Row) Column(path string) string { return columnOf(r.cols, r.layout, path) }

// Validate appends the problems [customer.Customer.ValidateAt] finds in
// the row's customer, as of now, each with the column its path comes
// from; a path the row has a problem at already is not reported twice.
// That is the check the store makes, so that a report can show it
// before the import; an import that goes to the store has it made
// there anyway. It does nothing for a row without a customer.
func (r *Row) Validate(now time.Time) {
	if r.Customer == nil {
		return
	}
	var v *validation.Error
	if !errors.As(r.Customer.ValidateAt(now), &v) {
		return
	}
	seen := map[string]bool{}
	for _, p := range r.Problems {
		seen[p.Path] = true
	}
	for _, f := range v.Fields {
		if seen[f.Path] {
			continue
		}
		r.add(r.Column(f.Path), f.Path, f.Rule)
	}
}

// columnOf finds the column of a path among columns laid out as layout
// says: the column at the path, else the first under it, else the
// column of the path's parent.
func columnOf(cols []column, layout []int32, path string) string {
	for p := path; p != ""; p = parentPath(p) {
		under := -1
		for i := range cols {
			if layout == nil || layout[i] < 0 {
				continue
			}
			cp := cols[i].pathAt(int(layout[i]))
			if cp == p {
				return cols[i].header
			}
			if under < 0 && len(cp) > len(p) && strings.HasPrefix(cp, p) && (cp[len(p)] == '.' || cp[len(p)] == '[') {
				under = i
			}
		}
		if under >= 0 {
			return cols[under].header
		}
	}
	return ""
}

// parentPath returns the path of what holds the field at p:
// "addresses[0]" for "addresses[0].cep", "addresses" for "addresses[0]".
func parentPath(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i < 0 {
		return ""
	}
	return p[:i]
}

// pathAt returns the customer path of the column at element i.
func (c *column) pathAt(i int) string {
	switch {
	case c.skip:
		return ""
	case c.isInfo:
		if !customer.IsInfoKey(c.info) {
			return "info"
		}
		return "info." + c.info
	}
	return c.f.pathAt(i, -1)
}

// pathAt returns the customer path of the field at element i, and at
// entry sub of the element's list for sub >= 0.
func (f *field) pathAt(i, sub int) string {
	var p string
	switch {
	case f.group != nil:
		p = validation.Index(f.group.path, i) + "." + f.path
	case f.list:
		p = validation.Index(f.path, i)
	default:
		p = f.path
	}
	if sub >= 0 {
		p = validation.Index(p, sub)
	}
	return p
}

// Read returns the next row of data, and io.EOF after the last. Rows
// that are blank are skipped (their numbers are not). A row that cannot
// be read is a Row with Problems; an error is only a read error or a
// [*FileError], after which the rest of the file cannot be read.
func (r *Reader) Read() (*Row, error) {
	for {
		if err := r.sc.next(); err != nil {
			return nil, r.fileError(err)
		}
		r.number++
		if r.sc.blank() {
			continue
		}
		row := &Row{Number: r.number}
		text, ok := r.decode()
		switch {
		case !ok:
			row.add("", "", ErrEncoding)
		case r.sc.cells < len(r.cols):
			row.add("", "", ErrShortRow)
		case r.sc.cells > len(r.cols):
			row.add("", "", ErrLongRow)
		default:
			r.dec.decodeRow(row, text)
		}
		return row, nil
	}
}

// decoder reads the cells of a row into a customer.
type decoder struct {
	r        *Reader
	row      *Row
	text     string
	col      int  // the column being read
	elem     int  // its element
	taxGiven bool // the row gives a CPF/CNPJ, valid or not
	card     cardParts
	counts   [2]int // cells read so far of the customer's phones and e-mails
	scratch  []byte
}

// fail records that the cell being read breaks the rule in err.
func (d *decoder) fail(err error) { d.failCell(d.col, -1, err) }

// failSub records that entry sub of the cell being read (a contact's
// second phone) breaks the rule in err.
func (d *decoder) failSub(sub int, err error) { d.failCell(d.col, sub, err) }

// failCell records that entry sub (or the whole cell, for -1) of column
// col, at the element being read, breaks the rule in err.
func (d *decoder) failCell(col, sub int, err error) {
	var rule *validation.Rule
	if !errors.As(err, &rule) {
		rule = validation.ErrInvalid
	}
	c := &d.r.cols[col]
	path := c.pathAt(d.elem)
	if sub >= 0 {
		path = validation.Index(path, sub)
	}
	d.row.add(c.header, path, rule)
}

// cell returns the value of column i: the cell as written, without the
// apostrophe that guards a formula-like cell.
func (d *decoder) cell(i int) string {
	start := 0
	if i > 0 {
		start = d.r.sc.ends[i-1]
	}
	return unguard(d.text[start:d.r.sc.ends[i]])
}

// says reports whether a cell says anything to field f: free text says
// what it holds, spaces included; another cell says nothing when blank.
func says(f *field, s string) bool {
	if f.text {
		return s != ""
	}
	return !validation.IsBlank(s)
}

// decodeRow reads the row's cells into a new customer.
func (d *decoder) decodeRow(row *Row, text string) {
	c := &customer.Customer{}
	d.row, d.text, d.taxGiven, d.counts = row, text, false, [2]int{}
	row.cols = d.r.cols
	row.layout = make([]int32, len(d.r.cols))
	for _, k := range d.r.top {
		d.readTop(c, k)
	}
	for _, gp := range d.r.plan {
		for _, np := range gp.nums {
			d.readElement(c, gp.g, np.cols)
		}
	}
	switch {
	case c.Kind != 0:
	case c.TaxID.IsCNPJ():
		c.Kind = customer.Company
	default:
		c.Kind = customer.Individual
	}
	if c.Status == 0 {
		c.Status = customer.StatusProspect
		if d.taxGiven {
			c.Status = customer.StatusCustomer
		}
	}
	row.Customer = c
}

// readTop reads column k, of no group.
func (d *decoder) readTop(c *customer.Customer, k int) {
	col := &d.r.cols[k]
	s := d.cell(k)
	d.col, d.elem = k, 0
	if col.isInfo {
		if s == "" {
			return
		}
		if !customer.IsInfoKey(col.info) {
			d.fail(customer.ErrInfoKey)
			return
		}
		if c.Info == nil {
			c.Info = map[string]string{}
		}
		c.Info[col.info] = s
		return
	}
	f := col.f
	if !f.list {
		if says(f, s) {
			f.read(d, c, 0, s)
		}
		return
	}
	d.row.layout[k] = -1
	if !says(f, s) {
		return
	}
	n := &d.counts[0]
	if f.path == "emails" {
		n = &d.counts[1]
	}
	d.elem = *n
	d.row.layout[k] = int32(*n)
	*n++
	f.read(d, c, d.elem, s)
}

// readElement reads one element of a group from its columns. An element
// whose cells would all be written blank, and that has no problem, is
// not kept: a row with "CEP 2" blank has one address less.
func (d *decoder) readElement(c *customer.Customer, g *group, cols []int) {
	i := g.size(c)
	g.add(c)
	d.elem = i
	problems := len(d.row.Problems)
	for _, k := range cols {
		s := d.cell(k)
		f := d.r.cols[k].f
		if says(f, s) {
			d.col = k
			f.read(d, c, i, s)
		}
	}
	if g.finish != nil {
		g.finish(d, c, i)
	}
	keep := len(d.row.Problems) > problems || !d.blank(g, c, i)
	for _, k := range cols {
		d.row.layout[k] = -1
		if keep {
			d.row.layout[k] = int32(i)
		}
	}
	if !keep {
		g.drop(c)
	}
}

// blank reports whether element i of g holds nothing: whether each of
// its columns would be written blank.
func (d *decoder) blank(g *group, c *customer.Customer, i int) bool {
	for _, f := range g.fields {
		b, err := f.write(d.scratch[:0], c, i)
		d.scratch = b
		if err != nil || len(bytes.TrimSpace(b)) > 0 {
			return false
		}
	}
	return true
}
