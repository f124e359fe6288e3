package csvio

import (
	"bytes"
	"io"
	"unicode/utf8"
)

// MaxRecord is the longest record the reader takes, in bytes: far above
// any row of customer data, and a bound on what a quote left open can
// make the reader hold.
const MaxRecord = 8 << 20

// window is how much of the file the reader looks at to choose its
// encoding and separator, and the size of its buffer.
const window = 64 << 10

// scanner splits CSV text into records, as spreadsheets write it: cells
// separated by comma, a cell in double quotes holding separators, line
// breaks and doubled quotes, and records ending in CRLF, LF or a lone CR.
// What is inside quotes is kept byte for byte. A quote that is not at the
// start of a cell is text, and so is what follows a closing quote before
// the next separator; only a quote left open to the end of the input
// makes the input unreadable.
type scanner struct {
	src   io.Reader
	buf   []byte // the input read and not yet split is buf[r:w]
	r, w  int
	err   error // what ended the input: io.EOF or a read error
	comma byte

	cell  []byte // the record's cells, unquoted, one after another
	ends  []int  // where each cell ends in cell, for the first limit cells
	cells int    // how many cells the record has
	limit int
}

func newScanner(src io.Reader) *scanner {
	return &scanner{src: src, buf: make([]byte, window), limit: 1 << 16}
}

// fill reads more input after what is unread, and reports whether there
// is any unread input.
func (s *scanner) fill() bool {
	if s.r > 0 {
		s.w = copy(s.buf, s.buf[s.r:s.w])
		s.r = 0
	}
	for tries := 0; s.w < len(s.buf) && s.err == nil; tries++ {
		n, err := s.src.Read(s.buf[s.w:])
		s.w += n
		if err != nil {
			s.err = err
		}
		if n > 0 {
			break
		}
		if tries == 100 {
			s.err = io.ErrNoProgress
		}
	}
	return s.r < s.w
}

// peek fills the buffer as far as it goes and returns the unread input.
func (s *scanner) peek() []byte {
	for s.w < len(s.buf) && s.err == nil {
		s.fill()
	}
	return s.buf[s.r:s.w]
}

// end reports why the input ended: nil at its end, else the read error.
func (s *scanner) end() error {
	if s.err == io.EOF {
		return nil
	}
	return s.err
}

// The states of the record splitter.
const (
	cellStart = iota // at the start of a cell
	plain            // in a cell without quotes
	quoted           // in a quoted cell
	quote            // just after a quote in a quoted cell
	afterCR          // after the CR that ended the record
)

// next reads the next record into cell and ends. It returns io.EOF at
// the end of the input, the read error that cut it short, errQuote for a
// quote open at the end of the input, and errTooLong for a record past
// MaxRecord.
func (s *scanner) next() error {
	s.cell, s.ends, s.cells = s.cell[:0], s.ends[:0], 0
	state, begun := cellStart, false
	for {
		if s.r == s.w && !s.fill() {
			if err := s.end(); err != nil {
				return err
			}
			switch {
			case state == quoted:
				return errQuote
			case !begun:
				return io.EOF
			case state != afterCR:
				s.endCell()
			}
			return nil
		}
		begun = true
		b := s.buf[s.r:s.w]
		i := 0
		switch state {
		case cellStart:
			if b[0] == '"' {
				i, state = 1, quoted
			} else {
				state = plain
			}
		case plain:
			for i < len(b) && b[i] != s.comma && b[i] != '\n' && b[i] != '\r' {
				i++
			}
			s.cell = append(s.cell, b[:i]...)
			if i < len(b) {
				c := b[i]
				i++
				s.endCell()
				switch c {
				case s.comma:
					state = cellStart
				case '\r':
					state = afterCR
				default:
					s.r += i
					return nil
				}
			}
		case quoted:
			j := bytes.IndexByte(b, '"')
			if j < 0 {
				i = len(b)
				s.cell = append(s.cell, b...)
			} else {
				i = j + 1
				s.cell = append(s.cell, b[:j]...)
				state = quote
			}
		case quote:
			switch b[0] {
			case '"':
				s.cell = append(s.cell, '"')
				i, state = 1, quoted
			case s.comma:
				s.endCell()
				i, state = 1, cellStart
			case '\n':
				s.endCell()
				s.r++
				return nil
			case '\r':
				s.endCell()
				i, state = 1, afterCR
			default:
				state = plain // text after the closing quote
			}
		case afterCR:
			if b[0] == '\n' {
				s.r++
			}
			return nil
		}
		s.r += i
		if len(s.cell) > MaxRecord {
			return errTooLong
		}
	}
}

func (s *scanner) endCell() {
	if s.cells < s.limit {
		s.ends = append(s.ends, len(s.cell))
	}
	s.cells++
}

// blank reports whether the record holds nothing but white space.
func (s *scanner) blank() bool {
	for _, c := range s.cell {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\v' && c != '\f' {
			return false
		}
	}
	return true
}

// validPrefix reports whether b is valid UTF-8, but for a rune cut short
// at its end when more input may follow.
func validPrefix(b []byte, more bool) bool {
	if utf8.Valid(b) {
		return true
	}
	if !more {
		return false
	}
	i := len(b) - 1
	for i > 0 && i > len(b)-utf8.UTFMax && b[i]&0xc0 == 0x80 {
		i--
	}
	return i >= 0 && !utf8.FullRune(b[i:]) && utf8.Valid(b[:i])
}

// detectComma chooses the separator of the header line at the start of
// b: the most frequent of ';', '\t' and ',' outside quotes, preferring
// them in that order, or ';' for a line with none.
func detectComma(b []byte) byte {
	var semicolons, tabs, commas int
	inQuotes := false
	for _, c := range b {
		if c == '"' {
			inQuotes = !inQuotes
			continue
		}
		if inQuotes {
			continue
		}
		switch c {
		case '\n', '\r':
			return pickComma(semicolons, tabs, commas)
		case ';':
			semicolons++
		case '\t':
			tabs++
		case ',':
			commas++
		}
	}
	return pickComma(semicolons, tabs, commas)
}

func pickComma(semicolons, tabs, commas int) byte {
	switch {
	case semicolons >= tabs && semicolons >= commas:
		return ';'
	case tabs >= commas:
		return '\t'
	}
	return ','
}
