package httpapi

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/sheet"
	"github.com/fichacrm/ficha/validation"
)

// sheetParams reads what the sheet is asked for in: text with
// ?format=text, or an Accept that prefers text/plain to text/html; and the
// language of ?lang= (pt-BR or en), which a link or an iframe can set
// where it cannot send Accept-Language, else Accept-Language's. It
// answers 400 for another format or language and returns ok false.
func sheetParams(w http.ResponseWriter, r *http.Request) (text bool, l lang, ok bool) {
	p := readParams(r, "format", "lang")
	switch p.str("format") {
	case "text":
		text = true
	case "html":
	case "":
		text = prefersText(r.Header.Values("Accept"))
	default:
		p.v.Add("format", errParam)
	}
	l = language(r)
	if v := p.str("lang"); v != "" {
		primary, _, _ := strings.Cut(strings.ToLower(v), "-")
		switch primary {
		case "pt":
			l = portuguese
		case "en":
			l = english
		default:
			p.v.Add("lang", errParam)
		}
	}
	return text, l, !p.failed(w, r)
}

// prefersText reports whether an Accept header ranks text/plain above
// text/html (and above text/* and */*, which HTML answers).
func prefersText(accept []string) bool {
	plain, html := -1.0, -1.0
	for _, h := range accept {
		for part := range strings.SplitSeq(h, ",") {
			mt, params, _ := strings.Cut(part, ";")
			q := 1.0
			for param := range strings.SplitSeq(params, ";") {
				if v, ok := strings.CutPrefix(strings.TrimSpace(param), "q="); ok {
					if f, err := strconv.ParseFloat(v, 64); err == nil {
						q = f
					}
				}
			}
			switch strings.ToLower(strings.TrimSpace(mt)) {
			case "text/plain":
				plain = max(plain, q)
			case "text/html", "text/*", "*/*":
				html = max(html, q)
			}
		}
	}
	return plain > 0 && plain > html
}

// customerSheet serves GET /customers/{id}/sheet.
func (h *handler) customerSheet(w http.ResponseWriter, r *http.Request, c call) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	text, l, ok := sheetParams(w, r)
	if !ok {
		return
	}
	cu, err := h.store.Get(r.Context(), c.tenant, id)
	if err != nil {
		fail(w, r, err)
		return
	}
	var opts sheet.Options
	if h.opts.Sheet != nil {
		opts = *h.opts.Sheet
	}
	opts.English = l.v == validation.English
	schema := h.infoTable()
	var b bytes.Buffer
	ctype := "text/html; charset=utf-8"
	if text {
		ctype = "text/plain; charset=utf-8"
		err = sheet.Text(&b, cu, schema, &opts)
	} else {
		err = sheet.HTML(&b, cu, schema, &opts)
	}
	if err != nil {
		fail(w, r, err)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", ctype)
	hd.Set("Content-Language", l.tag)
	hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	hd.Set("Vary", "Accept, Accept-Language")
	hd.Set("ETag", customerTag(cu))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b.Bytes())
}

// cepAnswer is what GET /cep/{cep} answers.
type cepAnswer struct {
	CEP      address.CEP `json:"cep"`
	Street   string      `json:"street,omitempty"`
	District string      `json:"district,omitempty"`
	City     string      `json:"city,omitempty"`
	UF       address.UF  `json:"uf"`
	Source   string      `json:"source,omitempty"`
	// Offline is set when no service answered and only the state comes
	// from the official CEP ranges.
	Offline bool `json:"offline,omitempty"`
}

// lookupCEP serves GET /cep/{cep} through Options.Lookup.
func (h *handler) lookupCEP(w http.ResponseWriter, r *http.Request, _ call) {
	if h.opts.Lookup == nil {
		writeProblem(w, r, problem{status: http.StatusNotImplemented, code: codeNoLookup})
		return
	}
	if p := readParams(r); p.failed(w, r) {
		return
	}
	cep, err := address.ParseCEP(r.PathValue("cep"))
	if err != nil {
		var v validation.Error
		v.Add("cep", err)
		writeProblem(w, r, problem{status: http.StatusBadRequest, code: codeCEPInvalid, fields: &v})
		return
	}
	res, err := h.opts.Lookup.Lookup(r.Context(), cep)
	switch {
	case err == nil:
	case errors.Is(err, address.ErrLookupInvalid):
		writeProblem(w, r, problem{status: http.StatusBadRequest, code: codeCEPInvalid})
		return
	case errors.Is(err, address.ErrLookupUnavailable):
		writeProblem(w, r, problem{status: http.StatusServiceUnavailable, code: codeCEPDown})
		return
	case errors.Is(err, address.ErrLookupNotFound):
		writeProblem(w, r, problem{status: http.StatusNotFound, code: codeCEPNotFound})
		return
	default:
		fail(w, r, err)
		return
	}
	res.CEP = cep
	writeJSON(w, r, http.StatusOK, cepAnswer{CEP: res.CEP, Street: res.Street, District: res.District, City: res.City,
		UF: res.UF, Source: res.Source, Offline: res.Offline})
}
