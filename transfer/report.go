package transfer

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/fichacrm/ficha/validation"
)

// ReportWriter writes an import's problems as CSV, as Brazilian
// spreadsheets open it (UTF-8 with a byte-order mark, ';' between cells,
// CRLF), with its header in lang: the per-row report an operator opens
// next to the file.
type ReportWriter struct {
	w    *csv.Writer
	lang validation.Lang
}

// NewReportWriter writes the byte-order mark and the header.
func NewReportWriter(w io.Writer, lang validation.Lang) (*ReportWriter, error) {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return nil, err
	}
	cw := csv.NewWriter(w)
	cw.Comma, cw.UseCRLF = ';', true
	head := []string{"Row", "Column", "Field", "Code", "Message"}
	if lang == validation.Portuguese {
		head = []string{"Linha", "Coluna", "Campo", "Código", "Mensagem"}
	}
	if err := cw.Write(head); err != nil {
		return nil, err
	}
	return &ReportWriter{w: cw, lang: lang}, nil
}

// Write writes one problem. The column's name comes from the imported
// file: a name a spreadsheet would take for a formula is written with an
// apostrophe first.
func (r *ReportWriter) Write(p Problem) error {
	return r.w.Write([]string{strconv.Itoa(p.Row), inert(p.Column), p.Path, p.Code, p.Message(r.lang)})
}

// inert returns s as a spreadsheet shows it as text: with an apostrophe
// before a first character that would start a formula.
func inert(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Flush writes what is buffered and returns the first error of any write.
func (r *ReportWriter) Flush() error {
	r.w.Flush()
	return r.w.Error()
}
