package httpapi

import (
	"net/http"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/customer/info"
)

// formPaths are the parts of a customer a form edits, in the order of the
// record, as the edit policy names them.
var formPaths = []string{
	"kind", "status", "name", "trade_name", "tax_id", "employer", "birth_date", "phones", "emails", "notes",
	"dms_code", "service_orders", "addresses", "assets", "personal_references", "bank_references", "cards",
	"contacts", "info",
}

// lockedAnswer is the answer of GET /customers/{id}/locked.
type lockedAnswer struct {
	// Version is the version of the record the answer is about.
	Version int64 `json:"version"`
	// Locked lists those of the form's paths the edit policy refuses to
	// change in this record; never null.
	Locked []string `json:"locked"`
}

// locked serves GET /customers/{id}/locked: which parts of the record the
// store's edit policy locks, so that a form shows them read-only. The
// policy is asked about each whole part ("addresses"), so a lock on one
// entry ("addresses[0]") is not listed; updates are checked in full
// whatever a form shows, and such a change is refused with field.locked.
func (h *handler) locked(w http.ResponseWriter, r *http.Request, c call) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	if p := readParams(r); p.failed(w, r) {
		return
	}
	cu, err := h.store.Get(r.Context(), c.tenant, id)
	if err != nil {
		fail(w, r, err)
		return
	}
	out := lockedAnswer{Version: cu.Version, Locked: []string{}}
	for _, p := range formPaths {
		if len(h.store.Locked(cu, []string{p})) > 0 {
			out.Locked = append(out.Locked, p)
		}
	}
	w.Header().Set("ETag", customerTag(cu))
	writeJSON(w, r, http.StatusOK, out)
}

// infoField is one field of the additional-information table as GET
// /info/fields shows it, its labels in the request's language.
type infoField struct {
	Key          string       `json:"key"`
	Label        string       `json:"label"`
	Section      string       `json:"section"`
	SectionLabel string       `json:"section_label"`
	Type         string       `json:"type"`
	Options      []infoOption `json:"options,omitempty"`
	Required     bool         `json:"required"`
}

// infoOption is one choice of a choice field.
type infoOption struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

var (
	infoTypes    = map[info.Type]string{info.Text: "text", info.Number: "number", info.Money: "money", info.Date: "date", info.YesNo: "yes_no", info.Choice: "choice", info.CPF: "cpf", info.Phone: "phone"}
	infoSections = map[info.Section]string{info.SectionSpouse: "spouse", info.SectionFinancial: "financial", info.SectionPersonal: "personal", info.SectionCompany: "company"}
)

// infoFields serves GET /info/fields?kind=individual|company: the fields of
// the additional-information table that apply to that kind of customer,
// in the table's order, from the store's table (storage.Options.Info),
// else Options.Info, else info.Default().
func (h *handler) infoFields(w http.ResponseWriter, r *http.Request, _ call) {
	p := readParams(r, "kind")
	var kind customer.Kind
	if p.required("kind") {
		p.text("kind", &kind)
	}
	if p.failed(w, r) {
		return
	}
	schema := h.infoTable()
	l := language(r).v
	out := struct {
		Fields []infoField `json:"fields"`
	}{Fields: []infoField{}}
	for _, f := range schema.Fields(kind) {
		o := infoField{Key: f.Key, Label: f.Label.Get(l), Section: infoSections[f.Section], SectionLabel: f.Section.Label().Get(l),
			Type: infoTypes[f.Type], Required: f.Required}
		for _, op := range f.Options {
			o.Options = append(o.Options, infoOption{Value: op.Value, Label: op.Label.Get(l)})
		}
		out.Fields = append(out.Fields, o)
	}
	writeJSON(w, r, http.StatusOK, out)
}

// infoTable is the additional-information table of the form and the sheet:
// the store's own (storage.Options.Info), else Options.Info, else
// info.Default().
func (h *handler) infoTable() *info.Schema {
	if s := h.store.Info(); s != nil {
		return s
	}
	if h.opts.Info != nil {
		return h.opts.Info
	}
	return info.Default()
}
