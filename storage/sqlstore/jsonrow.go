package sqlstore

import (
	"errors"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// errJSONRow is a row read as JSON that is not a flat JSON array.
var errJSONRow = errors.New("sqlstore: unreadable row")

// number is a JSON number, as its text.
type number string

// parseRow parses data, a JSON array of strings, numbers, booleans and
// nulls (a row that PostgreSQL's json_build_array or MySQL's JSON_ARRAY
// wrote), into string, number, bool and nil values. It is what
// encoding/json would decode into []any, without reflection: a whole
// customer is a few hundred such rows.
func parseRow(data []byte) ([]any, error) {
	p := rowParser{data: data}
	p.space()
	if !p.take('[') {
		return nil, errJSONRow
	}
	var out []any
	p.space()
	if p.take(']') {
		return p.end(out)
	}
	for {
		p.space()
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		p.space()
		if p.take(']') {
			return p.end(out)
		}
		if !p.take(',') {
			return nil, errJSONRow
		}
	}
}

type rowParser struct {
	data []byte
	i    int
}

func (p *rowParser) end(out []any) ([]any, error) {
	p.space()
	if p.i != len(p.data) {
		return nil, errJSONRow
	}
	if out == nil {
		out = []any{}
	}
	return out, nil
}

func (p *rowParser) space() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *rowParser) take(c byte) bool {
	if p.i < len(p.data) && p.data[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *rowParser) word(w string, v any) (any, error) {
	if len(p.data)-p.i >= len(w) && string(p.data[p.i:p.i+len(w)]) == w {
		p.i += len(w)
		return v, nil
	}
	return nil, errJSONRow
}

func (p *rowParser) value() (any, error) {
	if p.i >= len(p.data) {
		return nil, errJSONRow
	}
	switch c := p.data[p.i]; {
	case c == '"':
		return p.str()
	case c == 'n':
		return p.word("null", nil)
	case c == 't':
		return p.word("true", true)
	case c == 'f':
		return p.word("false", false)
	case c == '-' || c >= '0' && c <= '9':
		return p.num()
	}
	return nil, errJSONRow
}

// num reads a number as JSON's grammar has it.
func (p *rowParser) num() (any, error) {
	start := p.i
	p.take('-')
	digits := func() int {
		n := 0
		for p.i < len(p.data) && p.data[p.i] >= '0' && p.data[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	if p.take('0') {
		// no more integer digits after a leading zero
	} else if digits() == 0 {
		return nil, errJSONRow
	}
	if p.take('.') && digits() == 0 {
		return nil, errJSONRow
	}
	if p.take('e') || p.take('E') {
		if !p.take('+') {
			p.take('-')
		}
		if digits() == 0 {
			return nil, errJSONRow
		}
	}
	return number(p.data[start:p.i]), nil
}

// str reads a string, its escapes resolved; invalid UTF-8 and lone
// surrogates become U+FFFD, as encoding/json has it.
func (p *rowParser) str() (any, error) {
	p.i++ // the quote
	start := p.i
	// The common case: no escape, valid UTF-8.
	for p.i < len(p.data) {
		c := p.data[p.i]
		if c == '"' {
			s := p.data[start:p.i]
			p.i++
			if utf8.Valid(s) {
				return string(s), nil
			}
			p.i = start
			break
		}
		if c == '\\' || c < 0x20 {
			p.i = start
			break
		}
		p.i++
	}
	if p.i != start {
		return nil, errJSONRow // unterminated
	}
	var b []byte
	for p.i < len(p.data) {
		c := p.data[p.i]
		switch {
		case c == '"':
			p.i++
			return string(b), nil
		case c < 0x20:
			return nil, errJSONRow
		case c == '\\':
			p.i++
			if p.i >= len(p.data) {
				return nil, errJSONRow
			}
			e := p.data[p.i]
			p.i++
			switch e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, ok := p.hex4()
				if !ok {
					return nil, errJSONRow
				}
				if utf16.IsSurrogate(r) {
					// A pair, or U+FFFD for a lone half.
					save := p.i
					if p.take('\\') && p.take('u') {
						if r2, ok := p.hex4(); ok {
							if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
								b = utf8.AppendRune(b, d)
								continue
							}
						}
					}
					p.i = save
					r = utf8.RuneError
				}
				b = utf8.AppendRune(b, r)
			default:
				return nil, errJSONRow
			}
		case c < utf8.RuneSelf:
			b = append(b, c)
			p.i++
		default:
			r, size := utf8.DecodeRune(p.data[p.i:])
			b = utf8.AppendRune(b, r) // U+FFFD when invalid
			p.i += size
		}
	}
	return nil, errJSONRow
}

func (p *rowParser) hex4() (rune, bool) {
	if len(p.data)-p.i < 4 {
		return 0, false
	}
	v, err := strconv.ParseUint(string(p.data[p.i:p.i+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	p.i += 4
	return rune(v), true
}
