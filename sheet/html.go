package sheet

import (
	_ "embed"
	"html/template"
	"io"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/customer/info"
)

//go:embed sheet.html.tmpl
var htmlSource string

var htmlTemplate = template.Must(template.New("sheet").Parse(htmlSource))

// HTML writes the sheet of c as one self-contained HTML page for printing
// on A4 paper: styles inline, no script, no external asset. Every value is
// escaped, so a name like "<script>" prints as text. schema decides which
// additional information is printed; nil means [info.Default]().
func HTML(w io.Writer, c *customer.Customer, schema *info.Schema, opts *Options) error {
	return htmlTemplate.Execute(w, build(c, schema, opts))
}

// Sections returns the sections of c's sheet, as HTML and Text show them,
// for documents that hold a customer's record among other things (the
// data subject's export, say).
func Sections(c *customer.Customer, schema *info.Schema, opts *Options) []Section {
	return build(c, schema, opts).Sections
}
