package sheet

import (
	"bufio"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/customer/info"
)

// Width is the width of the text sheet, in columns.
const Width = 80

// labelWidth is the column where values start in the text sheet.
const labelWidth = 28

// Text writes the sheet of c as plain text of at most [Width] columns
// (longer values wrap). schema decides which additional information is
// printed; nil means [info.Default]().
func Text(w io.Writer, c *customer.Customer, schema *info.Schema, opts *Options) error {
	p := build(c, schema, opts)
	bw := bufio.NewWriter(w)
	line := func(s string) { bw.WriteString(strings.TrimRight(s, " ") + "\n") }
	rule := func(ch string) { line(strings.Repeat(ch, Width)) }
	rule("=")
	line(center(p.Title))
	line(center(clip(p.Subtitle, Width)))
	rule("=")
	for _, s := range p.Sections {
		line("")
		line(strings.ToUpper(s.Title))
		rule("-")
		if len(s.Blocks) == 0 {
			line(s.Empty)
		}
		for i, b := range s.Blocks {
			if i > 0 {
				line("")
			}
			if b.Title != "" {
				line(b.Title)
			}
			for _, r := range b.Rows {
				label := clip(r.Label, labelWidth-2) + ":"
				lines := wrap(r.Value, Width-labelWidth)
				for j, v := range lines {
					if j == 0 {
						line(pad(label, labelWidth) + v)
					} else {
						line(strings.Repeat(" ", labelWidth) + v)
					}
				}
			}
		}
	}
	if p.Footer != "" {
		line("")
		rule("-")
		for _, f := range wrap(p.Footer, Width) {
			line(f)
		}
	}
	return bw.Flush()
}

func runes(s string) int { return utf8.RuneCountInString(s) }

func pad(s string, n int) string {
	if k := runes(s); k < n {
		return s + strings.Repeat(" ", n-k)
	}
	return s + " "
}

func center(s string) string {
	k := runes(s)
	if k >= Width {
		return s
	}
	return strings.Repeat(" ", (Width-k)/2) + s
}

// clip cuts s to n runes, marking the cut with an ellipsis.
func clip(s string, n int) string {
	if runes(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// wrap splits s into lines of at most n runes, at spaces where it can and
// inside a word where a word is longer than a line. Line breaks in s are
// kept.
func wrap(s string, n int) []string {
	var out []string
	for para := range strings.SplitSeq(s, "\n") {
		var cur []rune
		for _, word := range strings.Fields(para) {
			wr := []rune(word)
			for len(wr) > n {
				if len(cur) > 0 {
					out = append(out, string(cur))
					cur = nil
				}
				out = append(out, string(wr[:n]))
				wr = wr[n:]
			}
			switch {
			case len(cur) == 0:
				cur = wr
			case len(cur)+1+len(wr) <= n:
				cur = append(append(cur, ' '), wr...)
			default:
				out = append(out, string(cur))
				cur = wr
			}
		}
		out = append(out, string(cur))
	}
	return out
}
