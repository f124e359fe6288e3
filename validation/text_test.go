package validation_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"

	"github.com/fichacrm/ficha/validation"
)

func TestText(t *testing.T) {
	for _, tt := range []struct {
		in   string
		t    validation.Text
		want error
	}{
		{"", validation.Line, nil},
		{"   ", validation.Line, nil},
		{"São João D'Ávila 🚗", validation.Line, nil},
		{"linha 1\nlinha 2\r\n\tfim", validation.Note, nil},
		{"linha 1\nlinha 2", validation.Line, validation.ErrTextControl},
		{"tab\there", validation.Line, validation.ErrTextControl},
		{"nota\x00secreta", validation.Note, validation.ErrTextControl},
		{"nota\x1bsecreta", validation.Note, validation.ErrTextControl},
		{"nota\x7f", validation.Note, validation.ErrTextControl},
		{"nota\u0085", validation.Note, validation.ErrTextControl},
		{"nota\u009f", validation.Note, validation.ErrTextControl},
		{"nbsp\u00a0ok", validation.Line, nil},
		{"nota \xff", validation.Note, validation.ErrTextEncoding},
		{"São \xc3", validation.Line, validation.ErrTextEncoding},
		{strings.Repeat("a", validation.MaxText), validation.Line, nil},
		{strings.Repeat("a", validation.MaxText+1), validation.Line, validation.ErrTooLong},
		{strings.Repeat("ã", validation.MaxText), validation.Line, validation.ErrTooLong},
		{"cartão 4539 1488 0343 6467", validation.Note, validation.ErrCardInText},
		{"Ana\u2028Souza", validation.Line, validation.ErrTextControl},
		{"Ana\u2029Souza", validation.Line, validation.ErrTextControl},
		{"linha\u2028linha", validation.Note, nil},
		{"\u202eanuS anA", validation.Line, validation.ErrTextControl},
		{"Ana\u2066x\u2069", validation.Note, validation.ErrTextControl},
		{"\ufeffAna", validation.Line, validation.ErrTextControl},
		{"família 👨\u200d👩\u200d👧 \u200f", validation.Line, nil},
	} {
		assert.Equal(t, tt.want, tt.t.Check(tt.in), "%q", tt.in)
	}
}

func TestErrorText(t *testing.T) {
	var v validation.Error
	v.Text("name", "  \t ", validation.Line, true)
	v.Text("role", "  ", validation.Line, false)
	v.Text("notes", "a\x00", validation.Note, false)
	assert.True(t, v.Has("name", "required"), "blank counts as empty")
	assert.False(t, v.Has("role", "required"))
	assert.True(t, v.Has("notes", "text.control"))
	assert.Len(t, v.Fields, 2)
}

func FuzzText(f *testing.F) {
	for _, s := range []string{"", "São Paulo", "a\nb", "\x00", "\xc2\x85", "4539 1488 0343 6467"} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, multi bool) {
		rule := validation.Line
		if multi {
			rule = validation.Note
		}
		if rule.Check(s) != nil {
			return
		}
		// What passes is what every database stores: valid UTF-8 without
		// NUL or other control characters, within the length.
		if !utf8.ValidString(s) || len(s) > rule.Max {
			t.Fatalf("%q passed", s)
		}
		for _, r := range s {
			lineBreak := r == '\t' || r == '\n' || r == '\r' || r == 0x2028 || r == 0x2029
			if r < 0x20 && !(multi && lineBreak) || r >= 0x7f && r < 0xa0 || !multi && lineBreak ||
				r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0xfeff {
				t.Fatalf("%q passed with control %U", s, r)
			}
		}
	})
}
