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
