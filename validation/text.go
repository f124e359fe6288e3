package validation

import (
	"strings"
	"unicode/utf8"

	"github.com/fichacrm/ficha/internal/luhn"
)

// Rules of free text.
var (
	// ErrTextEncoding is reported for text that is not valid UTF-8.
	ErrTextEncoding = NewRule("text.encoding", "this text is not valid UTF-8", "este texto não está em UTF-8 válido")
	// ErrTextControl is reported for text that holds a NUL or another
	// control character, a line break where only one line is allowed, a
	// byte-order mark, or a bidirectional embedding, override or isolate
	// (which make text display other than it reads).
	ErrTextControl = NewRule("text.control", "this text holds control characters", "este texto contém caracteres de controle")
)

// Text is the rule of one kind of free text: how long it may be and
// whether it may span lines. Every free-text field of every record is
// checked by a Text, so that every storage adapter receives the same kind
// of string: valid UTF-8, without NUL or other control characters (tab,
// line feed, carriage return and the Unicode line and paragraph
// separators allowed in multi-line text only), without byte-order marks
// or bidirectional overrides, at most Max bytes, and holding no card
// number.
type Text struct {
	Max       int  // the longest text, in bytes
	Multiline bool // tabs and line breaks allowed
}

// The kinds of free text.
var (
	// Line is one line of text: a name, a street, a role.
	Line = Text{Max: MaxText}
	// Note is multi-line text: notes, descriptions, additional information.
	Note = Text{Max: MaxNote, Multiline: true}
)

// IsBlank reports whether s is empty or only white space: blank text
// counts as empty, so a required field cannot be filled with spaces.
func IsBlank(s string) bool { return strings.TrimSpace(s) == "" }

// Check returns the rule that s breaks, or nil. Blank text breaks none;
// whether a field is required is the caller's rule (see [Error.Text]).
// The rules are checked in order: encoding, control characters, length,
// card number.
func (t Text) Check(s string) error {
	if s == "" {
		return nil
	}
	if !utf8.ValidString(s) {
		return ErrTextEncoding
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\t' || c == '\n' || c == '\r':
			if !t.Multiline {
				return ErrTextControl
			}
		case c < 0x20 || c == 0x7f:
			return ErrTextControl
		case c == 0xc2 && s[i+1] < 0xa0:
			// U+0080..U+009F, the C1 controls (valid UTF-8 has the
			// continuation bytes).
			return ErrTextControl
		case c == 0xe2 && s[i+1] == 0x80 && (s[i+2] == 0xa8 || s[i+2] == 0xa9):
			// U+2028 and U+2029, the line and paragraph separators.
			if !t.Multiline {
				return ErrTextControl
			}
		case c == 0xe2 && s[i+1] == 0x80 && s[i+2] >= 0xaa && s[i+2] <= 0xae,
			c == 0xe2 && s[i+1] == 0x81 && s[i+2] >= 0xa6 && s[i+2] <= 0xa9,
			c == 0xef && s[i+1] == 0xbb && s[i+2] == 0xbf:
			// U+202A..U+202E and U+2066..U+2069, the bidirectional
			// embeddings, overrides and isolates; U+FEFF, the byte-order
			// mark.
			return ErrTextControl
		}
	}
	if len(s) > t.Max {
		return ErrTooLong
	}
	if luhn.ContainsCardNumber(s) {
		return ErrCardInText
	}
	return nil
}

// Text checks the free-text field at path with rule t and records what it
// breaks: [ErrRequired] for blank text when required, else t's rules.
func (e *Error) Text(path, s string, t Text, required bool) {
	if required && IsBlank(s) {
		e.Add(path, ErrRequired)
		return
	}
	e.Add(path, t.Check(s))
}
