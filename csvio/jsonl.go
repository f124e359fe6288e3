package csvio

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/internal/jsontext"
	"github.com/fichacrm/ficha/validation"
)

// MaxLine is the longest line of JSON Lines the reader takes, in bytes: a
// company with thousands of vehicles fits in it with room to spare.
const MaxLine = 16 << 20

// Problems of a line of JSON Lines.
var (
	// ErrMalformed is a line that is not a customer in JSON: not JSON,
	// not an object, or a member of the wrong type.
	ErrMalformed = validation.NewRule("jsonl.malformed", "this line is not a customer in JSON", "esta linha não é um cliente em JSON")
	// ErrLineEncoding is a line that is not valid UTF-8, or escapes half
	// of a surrogate pair ("\ud800"), which would be stored as U+FFFD.
	ErrLineEncoding = validation.NewRule("jsonl.encoding", "this line is not valid UTF-8", "esta linha não está em UTF-8 válido")
	// ErrUnknownMember is a line with a member that is no field of a
	// customer (a misspelt "nmae" would otherwise be dropped, and the
	// row imported without it). Its path is the list element that holds
	// it, or none: the member's name is not repeated.
	ErrUnknownMember = validation.NewRule("jsonl.unknown_member", "this line has a member that is no field of a customer: is it misspelt?", "esta linha tem um membro que não é campo de cliente: está escrito errado?")
	// ErrLineTooLong is a line longer than [MaxLine].
	ErrLineTooLong = validation.NewRule("jsonl.too_long", "this line is too long to be a customer", "esta linha é longa demais para ser um cliente")
)

// JSONLReader reads customers from JSON Lines: one customer a line, in
// the JSON form of [customer.Customer]. It is not safe for concurrent
// use.
type JSONLReader struct {
	r    *bufio.Reader
	line int
	buf  []byte
}

// NewJSONLReader returns a reader of the JSON Lines in r.
func NewJSONLReader(r io.Reader) *JSONLReader {
	return &JSONLReader{r: bufio.NewReaderSize(r, window)}
}

// Read returns the customer of the next line that is not blank, and
// io.EOF after the last. Row.Number is the line's number. A line that is
// not a customer is a Row with a problem and no customer: [ErrMalformed]
// (a value a field's own rule refuses, such as an invalid CPF, is that
// rule, at the member's path: "tax_id", "phones[1]"), [ErrLineEncoding] or
// [ErrLineTooLong]. Decoding
// does not validate the record as a whole: see [Row.Validate]. The error
// is only a read error.
func (r *JSONLReader) Read() (*Row, error) {
	for {
		line, long, err := r.readLine()
		if err != nil {
			return nil, err
		}
		r.line++
		if r.line == 1 {
			line = bytes.TrimPrefix(line, []byte("\uFEFF"))
		}
		row := &Row{Number: r.line}
		switch {
		case long:
			row.add("", "", ErrLineTooLong)
			return row, nil
		case len(bytes.TrimSpace(line)) == 0:
			continue
		case !utf8.Valid(line) || jsontext.LoneSurrogate(line):
			row.add("", "", ErrLineEncoding)
			return row, nil
		}
		c, rule := decodeCustomer(line)
		if rule != nil {
			path := ""
			if rule == ErrMalformed {
				path = typePath(line)
			} else {
				path = pathOf(line, rule)
			}
			row.add("", path, rule)
			return row, nil
		}
		if emptyInfo(c) && infoNull(line) {
			row.add("", "info", ErrMalformed)
			return row, nil
		}
		row.Customer = c
		return row, nil
	}
}

// emptyInfo reports whether a value of c's additional information is
// empty: what a null in the line decodes as.
func emptyInfo(c *customer.Customer) bool {
	for _, v := range c.Info {
		if v == "" {
			return true
		}
	}
	return false
}

// infoNull reports whether a line's additional information gives a key
// the value null, which decodes as "" and would be stored so: a value is
// a string, and a key left out is how a line leaves it alone (the HTTP
// API refuses the same). Read looks only when a decoded value is empty.
func infoNull(line []byte) bool {
	if !bytes.Contains(line, []byte(`"info"`)) {
		return false
	}
	var m struct {
		Info map[string]json.RawMessage `json:"info"`
	}
	if json.Unmarshal(line, &m) != nil {
		return false
	}
	for _, v := range m.Info {
		if string(bytes.TrimSpace(v)) == "null" {
			return true
		}
	}
	return false
}

// readLine reads a line without its line break. long reports a line past
// MaxLine, whose bytes are skipped; io.EOF comes only when no line is
// left.
func (r *JSONLReader) readLine() (line []byte, long bool, err error) {
	r.buf = r.buf[:0]
	for {
		part, err := r.r.ReadSlice('\n')
		if !long {
			if len(r.buf)+len(part) > MaxLine+2 {
				long, r.buf = true, r.buf[:0]
			} else {
				r.buf = append(r.buf, part...)
			}
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && len(r.buf) == 0 && !long:
			return nil, false, io.EOF
		case err != nil && err != io.EOF:
			return nil, false, err
		}
		line = bytes.TrimSuffix(bytes.TrimSuffix(r.buf, []byte("\n")), []byte("\r"))
		return line, long || len(line) > MaxLine, nil
	}
}

// decodeCustomer decodes a line, or returns the rule it breaks.
func decodeCustomer(line []byte) (*customer.Customer, *validation.Rule) {
	trimmed := bytes.TrimLeft(line, " \t\r")
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, ErrMalformed
	}
	c := &customer.Customer{}
	if err := unmarshal(line, c); err != nil {
		var rule *validation.Rule
		if errors.As(err, &rule) {
			return nil, rule
		}
		if strings.HasPrefix(err.Error(), "json: unknown field ") {
			return nil, ErrUnknownMember
		}
		return nil, ErrMalformed
	}
	return c, nil
}

// unmarshal decodes b into c, refusing members that are no field of a
// customer.
func unmarshal(b []byte, c *customer.Customer) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(c); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errTrailing // json.Unmarshal's check, which a Decoder leaves out
	}
	return nil
}

var errTrailing = errors.New("csvio: data after the customer")

// pathOf finds where a line's value breaks rule, once decoding the whole
// line failed with it: its members are decoded one at a time, and a
// list's elements one at a time ("phones[1]"); a member that fails for
// another reason is passed over. A member that is no field of a customer
// is never named: its name is the caller's text (ErrUnknownMember is
// placed at the list element that holds it, or nowhere). A line has no
// columns, so the path is all that points at the value; "" when no one
// member breaks the rule alone.
func pathOf(line []byte, rule *validation.Rule) string {
	var members map[string]json.RawMessage
	if json.Unmarshal(line, &members) != nil {
		return ""
	}
	fails := func(k string, v any) bool {
		one, err := json.Marshal(map[string]any{k: v})
		if err != nil {
			return false
		}
		_, r := decodeCustomer(one)
		return r == rule
	}
	for _, k := range slices.Sorted(maps.Keys(members)) {
		if !known[k] || !fails(k, members[k]) {
			continue
		}
		var elems []json.RawMessage
		if json.Unmarshal(members[k], &elems) == nil {
			for i, e := range elems {
				if fails(k, []json.RawMessage{e}) {
					return validation.Index(k, i)
				}
			}
		}
		if rule == ErrUnknownMember {
			return ""
		}
		return k
	}
	return ""
}

// typePath is where a line that is malformed holds a value of the wrong
// JSON type ("name": 12), as the member of the customer it is in: "" for
// a line malformed otherwise.
func typePath(line []byte) string {
	var te *json.UnmarshalTypeError
	if err := json.Unmarshal(line, &customer.Customer{}); !errors.As(err, &te) {
		return ""
	}
	top, _, _ := strings.Cut(te.Field, ".")
	if !known[top] {
		return "" // the caller's text, or nothing
	}
	return top
}

// known are the names of a customer's members in JSON.
var known = func() map[string]bool {
	m := map[string]bool{}
	t := reflect.TypeFor[customer.Customer]()
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); name != "" && name != "-" {
			m[name] = true
		}
	}
	return m
}()

// JSONLWriter writes customers as JSON Lines: each in its JSON form on a
// line of its own. It is not safe for concurrent use.
type JSONLWriter struct {
	w   *bufio.Writer
	err error
}

// NewJSONLWriter returns a writer of JSON Lines to w.
func NewJSONLWriter(w io.Writer) *JSONLWriter {
	return &JSONLWriter{w: bufio.NewWriter(w)}
}

// Write writes c as a line. It returns the error encoding c (a value
// that has no JSON form, such as an out-of-range kind) or the first
// error writing.
func (w *JSONLWriter) Write(c *customer.Customer) error {
	if w.err != nil {
		return w.err
	}
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	if _, w.err = w.w.Write(append(b, '\n')); w.err != nil {
		return w.err
	}
	return nil
}

// Flush writes what is buffered to the underlying writer and returns
// the first error writing.
func (w *JSONLWriter) Flush() error {
	if w.err != nil {
		return w.err
	}
	w.err = w.w.Flush()
	return w.err
}
