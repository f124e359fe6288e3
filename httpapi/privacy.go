package httpapi

import (
	"bytes"
	"errors"
	"net/http"
	"strings"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/consent"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/lgpd"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/validation"
)

var (
	codeAnonymised  = validation.NewRule("customer.anonymised", "The customer was anonymised", "O cliente foi anonimizado")
	codeMerged      = validation.NewRule("customer.merged", "The customer was merged into another, whose address is in Location: change that one", "O cliente foi unificado com outro, cujo endereço está em Location: altere aquele")
	codeRetained    = validation.NewRule("customer.retained", "The record must be kept for a legal obligation", "O cadastro deve ser mantido por obrigação legal")
	codeNoRequest   = validation.NewRule("request.not_found", "Request not found", "Requisição não encontrada")
	codeReqStale    = validation.NewRule("request.stale", "The request was changed by someone else; reload it", "A requisição foi alterada por outra pessoa; recarregue-a")
	codeReqAnswered = validation.NewRule("request.answered", "The request was answered already", "A requisição já foi respondida")
)

// evidenceIn is the evidence of a statement.
type evidenceIn struct {
	Notice    string `json:"notice"`
	Reference string `json:"reference"`
}

// statementIn is one statement of POST /customers/{id}/consents.
type statementIn struct {
	Contact  string     `json:"contact"`
	Channel  string     `json:"channel"`
	Purpose  string     `json:"purpose"`
	State    string     `json:"state"`
	Basis    string     `json:"basis"`
	Source   string     `json:"source"`
	Evidence evidenceIn `json:"evidence"`
	At       string     `json:"at"`
}

// consentsIn is the body of POST /customers/{id}/consents.
type consentsIn struct {
	Statements []statementIn `json:"statements"`
}

// entries parses the statements for the customer id, recording every
// field that fails in v.
func (in *consentsIn) entries(v *validation.Error, id uuid.UUID) []storage.ConsentEntry {
	out := make([]storage.ConsentEntry, len(in.Statements))
	for i, s := range in.Statements {
		at := validation.Index("statements", i)
		mark := len(v.Fields) // this statement's errors start here
		e := storage.ConsentEntry{CustomerID: id, Contact: s.Contact}
		e.Purpose, e.Source = consent.Purpose(s.Purpose), consent.Source(s.Source)
		e.Evidence = consent.Evidence(s.Evidence)
		text(v, validation.Join(at, "channel"), s.Channel, &e.Channel)
		text(v, validation.Join(at, "state"), s.State, &e.State)
		text(v, validation.Join(at, "basis"), s.Basis, &e.Basis)
		e.At = optionalTime(v, validation.Join(at, "at"), s.At)
		if err := e.Statement.Validate(); err != nil {
			var fe *validation.Error
			if errors.As(err, &fe) {
				for _, f := range fe.Fields {
					if !hasPath(v.Fields[mark:], validation.Join(at, f.Path)) {
						v.Add(validation.Join(at, f.Path), f.Rule)
					}
				}
			}
		}
		out[i] = e
	}
	if len(in.Statements) == 0 {
		v.Add("statements", validation.ErrRequired)
	}
	return out
}

// hasPath reports whether fs hold an error at path. Callers pass the
// errors of one element, not the whole list's: a scan of every error for
// each of thousands of statements made a 422 take quadratic time (the
// outside review: 10 s of CPU for 20,000 bad statements).
func hasPath(fs []validation.FieldError, path string) bool {
	for _, f := range fs {
		if f.Path == path {
			return true
		}
	}
	return false
}

// consentsOut is the answer of GET /customers/{id}/consents.
type consentsOut struct {
	Standing []storage.ConsentState `json:"standing"`
	Ledger   []storage.ConsentEntry `json:"ledger"`
}

// customerConsents serves GET /customers/{id}/consents: the states that
// stand and the whole ledger, oldest first.
func (h *handler) customerConsents(w http.ResponseWriter, r *http.Request, c call) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	if p := readParams(r); p.failed(w, r) {
		return
	}
	ledger, err := h.store.Consents(r.Context(), c.tenant, id)
	if err != nil {
		fail(w, r, err)
		return
	}
	out := consentsOut{Standing: storage.Standing(ledger), Ledger: ledger}
	if out.Ledger == nil {
		out.Ledger = []storage.ConsentEntry{}
	}
	writeJSON(w, r, http.StatusOK, out)
}

// recordConsents serves POST /customers/{id}/consents.
func (h *handler) recordConsents(w http.ResponseWriter, r *http.Request, c call) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	b, ok := readBody(w, r, h.maxBody, "application/json")
	if !ok {
		return
	}
	var in consentsIn
	var v validation.Error
	if err := decodeRequest(b, &in, &v); err != nil {
		writeProblem(w, r, problem{status: http.StatusBadRequest, code: codeMalformed})
		return
	}
	entries := in.entries(&v, id)
	if len(v.Fields) > 0 {
		writeProblem(w, r, invalid(&v))
		return
	}
	got, err := h.store.RecordConsent(r.Context(), c.tenant, entries...)
	if err != nil {
		h.failWrite(w, r, c, id, err)
		return
	}
	writeJSON(w, r, http.StatusCreated, map[string]any{"entries": got})
}

// optOutIn is the body of POST /customers/{id}/opt-out.
type optOutIn struct {
	Contact  string     `json:"contact"`
	Channels []string   `json:"channels"`
	Source   string     `json:"source"`
	Evidence evidenceIn `json:"evidence"`
}

// optOut serves POST /customers/{id}/opt-out: the withdrawal of every
// purpose of the channels named (every channel when none is), with the
// subject's addresses put on the suppression list. "Cancelar SMS" is
// {"channels": ["sms"]}.
func (h *handler) optOut(w http.ResponseWriter, r *http.Request, c call) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	b, ok := readBody(w, r, h.maxBody, "application/json")
	if !ok {
		return
	}
	var in optOutIn
	var v validation.Error
	if err := decodeRequest(b, &in, &v); err != nil {
		writeProblem(w, r, problem{status: http.StatusBadRequest, code: codeMalformed})
		return
	}
	o := storage.OptOut{CustomerID: id, Contact: in.Contact, Source: consent.Source(in.Source), Evidence: consent.Evidence(in.Evidence)}
	for i, s := range in.Channels {
		var ch consent.Channel
		text(&v, validation.Index("channels", i), s, &ch)
		o.Channels = append(o.Channels, ch)
	}
	if in.Source != "" && !consent.Token(in.Source) {
		v.Add("source", consent.ErrSource)
	}
	if len(v.Fields) > 0 {
		writeProblem(w, r, invalid(&v))
		return
	}
	got, err := h.store.Withdraw(r.Context(), c.tenant, o)
	if err != nil {
		h.failWrite(w, r, c, id, err)
		return
	}
	writeJSON(w, r, http.StatusOK, map[string]any{"entries": got})
}

// askParams reads the channel and purpose of a question.
func askParams(p *params) (consent.Channel, consent.Purpose) {
	var ch consent.Channel
	if p.required("channel") {
		p.text("channel", &ch)
	}
	purpose := consent.Purpose(p.str("purpose"))
	if p.required("purpose") && !consent.Token(string(purpose)) {
		p.v.Add("purpose", errParam)
	}
	return ch, purpose
}

// mayContact serves GET /customers/{id}/may-contact?channel=&purpose=:
// the decision, for the customer or (with contact=) one of its contacts.
func (h *handler) mayContact(w http.ResponseWriter, r *http.Request, c call) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	p := readParams(r, "channel", "purpose", "contact")
	ch, purpose := askParams(p)
	if p.failed(w, r) {
		return
	}
	d, err := h.store.MayContact(r.Context(), c.tenant, id, p.str("contact"), ch, purpose)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, d)
}

// reachable serves GET /consent/reachable?channel=&purpose=: the campaign
// list, paged.
func (h *handler) reachable(w http.ResponseWriter, r *http.Request, c call) {
	p := readParams(r, "channel", "purpose", "cursor", "limit")
	ch, purpose := askParams(p)
	limit, ok := p.page(w, r)
	if !ok {
		return
	}
	page, err := h.store.Reachable(r.Context(), c.tenant, ch, purpose, limit, p.str("cursor"))
	if err != nil {
		failParams(w, r, err)
		return
	}
	if page.Items == nil {
		page.Items = []storage.Reach{}
	}
	writeJSON(w, r, http.StatusOK, page)
}

// suppressIn is the body of POST /suppressions.
type suppressIn struct {
	Channel string `json:"channel"`
	Address string `json:"address"`
	Source  string `json:"source"`
}

// suppress serves POST /suppressions: an opt-out that arrives for an
// address ("SAIR" from a number).
func (h *handler) suppress(w http.ResponseWriter, r *http.Request, c call) {
	b, ok := readBody(w, r, h.maxBody, "application/json")
	if !ok {
		return
	}
	var in suppressIn
	var v validation.Error
	if err := decodeRequest(b, &in, &v); err != nil {
		writeProblem(w, r, problem{status: http.StatusBadRequest, code: codeMalformed})
		return
	}
	var ch consent.Channel
	text(&v, "channel", in.Channel, &ch)
	if ch == 0 || ch.Address() == consent.PostalAddress {
		if !hasPath(v.Fields, "channel") {
			v.Add("channel", consent.ErrChannel)
		}
	}
	if in.Source != "" && !consent.Token(in.Source) {
		v.Add("source", consent.ErrSource)
	}
	switch ch.Address() {
	case consent.PhoneAddress:
		if _, err := contact.ParsePhone(in.Address); err != nil {
			v.Add("address", err)
		}
	case consent.EmailAddress:
		if _, err := contact.ParseEmail(in.Address); err != nil {
			v.Add("address", err)
		}
	}
	if len(v.Fields) > 0 {
		writeProblem(w, r, invalid(&v))
		return
	}
	if err := h.store.SuppressAddress(r.Context(), c.tenant, ch, in.Address, consent.Source(in.Source)); err != nil {
		fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// anonymise serves POST /customers/{id}/anonymise, under If-Match: the
// version the data subject was shown.
func (h *handler) anonymise(w http.ResponseWriter, r *http.Request, c call) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	if p := readParams(r); p.failed(w, r) {
		return
	}
	m, ok := precondition(w, r)
	if !ok {
		return
	}
	if m.born != "" {
		if _, ok := h.current(w, r, c, id, m); !ok {
			return
		}
	}
	res, err := h.store.Anonymise(r.Context(), c.tenant, id, m.version)
	var re *storage.RetainedError
	switch {
	case errors.As(err, &re):
		writeProblem(w, r, problem{status: http.StatusConflict, code: codeRetained, detail: re.Reason})
	case errors.Is(err, storage.ErrAnonymised):
		writeProblem(w, r, problem{status: http.StatusConflict, code: codeAnonymised})
	case err != nil:
		h.failWrite(w, r, c, id, err)
	default:
		w.Header().Set("ETag", customerTag(res.Customer))
		writeJSON(w, r, http.StatusOK, res)
	}
}

// subjectIn is the body of POST /privacy/export.
type subjectIn struct {
	TaxID  string   `json:"tax_id"`
	Phones []string `json:"phones"`
	Emails []string `json:"emails"`
}

// export serves POST /privacy/export: everything the tenant holds about
// one person, as JSON (storage.Export), or as the readable page when the
// request accepts text/html first. The person is named in the body, not
// the URL, so that no access log keeps a CPF.
func (h *handler) export(w http.ResponseWriter, r *http.Request, c call) {
	if p := readParams(r); p.failed(w, r) {
		return
	}
	b, ok := readBody(w, r, h.maxBody, "application/json")
	if !ok {
		return
	}
	var in subjectIn
	var v validation.Error
	if err := decodeRequest(b, &in, &v); err != nil {
		writeProblem(w, r, problem{status: http.StatusBadRequest, code: codeMalformed})
		return
	}
	var s storage.Subject
	if in.TaxID != "" {
		t, err := customer.ParseTaxID(in.TaxID)
		if err != nil {
			v.Add("tax_id", err)
		}
		s.TaxID = t
	}
	for i, ph := range in.Phones {
		p, err := contact.ParsePhone(ph)
		if err != nil {
			v.Add(validation.Index("phones", i), err)
		}
		s.Phones = append(s.Phones, p)
	}
	for i, m := range in.Emails {
		e, err := contact.ParseEmail(m)
		if err != nil {
			v.Add(validation.Index("emails", i), err)
		}
		s.Emails = append(s.Emails, e)
	}
	if len(v.Fields) == 0 && s.TaxID.IsZero() && len(s.Phones) == 0 && len(s.Emails) == 0 {
		v.Add("tax_id", validation.ErrRequired)
	}
	if len(v.Fields) > 0 {
		writeProblem(w, r, invalid(&v))
		return
	}
	e, err := h.store.Export(r.Context(), c.tenant, s)
	if err != nil {
		fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Add("Vary", "Accept")
	if !wantsHTML(r) {
		writeJSON(w, r, http.StatusOK, e)
		return
	}
	l := language(r)
	var page bytes.Buffer
	if err := lgpd.HTML(&page, e, &lgpd.Options{English: l == english, Schema: h.store.Info()}); err != nil {
		fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", l.tag)
	// As the sheet's: the page holds no script, and fetches nothing.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(page.Bytes())
}

// wantsHTML reports whether the request's Accept prefers text/html to
// JSON: it names text/html before any JSON type.
func wantsHTML(r *http.Request) bool {
	for _, part := range strings.Split(strings.Join(r.Header.Values("Accept"), ","), ",") {
		mt, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		switch strings.ToLower(strings.TrimSpace(mt)) {
		case "text/html":
			return true
		case "application/json", "application/*":
			return false
		}
	}
	return false
}

// requestIn is the body of POST /privacy/requests.
type requestIn struct {
	Kind       string `json:"kind"`
	CustomerID string `json:"customer_id"`
	Received   string `json:"received"`
	Due        string `json:"due"`
	Note       string `json:"note"`
}

// answerIn is the body of POST /privacy/requests/{id}/answer.
type answerIn struct {
	Outcome string `json:"outcome"`
	Note    string `json:"note"`
}

// writeRequest writes a request of the register with its ETag.
func writeRequest(w http.ResponseWriter, r *http.Request, status int, req *storage.Request) {
	w.Header().Set("ETag", etag(req.Version))
	writeJSON(w, r, status, req)
}

// failRequest answers an error of the register.
func failRequest(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, storage.ErrNotFound):
		writeProblem(w, r, problem{status: http.StatusNotFound, code: codeNoRequest})
	case errors.Is(err, storage.ErrConflict):
		writeProblem(w, r, problem{status: http.StatusPreconditionFailed, code: codeReqStale})
	case errors.Is(err, storage.ErrAnswered):
		writeProblem(w, r, problem{status: http.StatusConflict, code: codeReqAnswered})
	default:
		fail(w, r, err)
	}
}

// requestID returns the request's ID of the path, or answers 404.
func requestID(w http.ResponseWriter, r *http.Request) (uuid.UUID, bool) {
	s := r.PathValue("id")
	id, err := uuid.Parse(s)
	if err != nil || len(s) != 36 || id == uuid.Nil {
		writeProblem(w, r, problem{status: http.StatusNotFound, code: codeNoRequest})
		return uuid.Nil, false
	}
	return id, true
}

// openRequest serves POST /privacy/requests.
func (h *handler) openRequest(w http.ResponseWriter, r *http.Request, c call) {
	b, ok := readBody(w, r, h.maxBody, "application/json")
	if !ok {
		return
	}
	var in requestIn
	var v validation.Error
	if err := decodeRequest(b, &in, &v); err != nil {
		writeProblem(w, r, problem{status: http.StatusBadRequest, code: codeMalformed})
		return
	}
	req := &storage.Request{Note: in.Note}
	text(&v, "kind", in.Kind, &req.Kind)
	if in.Kind == "" {
		v.Add("kind", validation.ErrRequired)
	}
	req.CustomerID = optionalID(&v, "customer_id", in.CustomerID)
	req.Received = optionalTime(&v, "received", in.Received)
	req.Due = optionalTime(&v, "due", in.Due)
	if len(v.Fields) > 0 {
		writeProblem(w, r, invalid(&v))
		return
	}
	got, err := h.store.OpenRequest(r.Context(), c.tenant, req)
	if err != nil {
		if errors.Is(err, storage.ErrNotFound) && req.CustomerID != uuid.Nil && h.mergedInBody(w, r, c, "/privacy/requests", req.CustomerID) {
			return
		}
		fail(w, r, err)
		return
	}
	w.Header().Set("Location", location(r, got.ID))
	writeRequest(w, r, http.StatusCreated, got)
}

// getRequest serves GET /privacy/requests/{id}.
func (h *handler) getRequest(w http.ResponseWriter, r *http.Request, c call) {
	id, ok := requestID(w, r)
	if !ok {
		return
	}
	if p := readParams(r); p.failed(w, r) {
		return
	}
	req, err := h.store.Request(r.Context(), c.tenant, id)
	if err != nil {
		failRequest(w, r, err)
		return
	}
	writeRequest(w, r, http.StatusOK, req)
}

// answerRequest serves POST /privacy/requests/{id}/answer, under If-Match.
func (h *handler) answerRequest(w http.ResponseWriter, r *http.Request, c call) {
	id, ok := requestID(w, r)
	if !ok {
		return
	}
	version, ok := preconditionOf(w, r, codeReqStale)
	if !ok {
		return
	}
	b, ok := readBody(w, r, h.maxBody, "application/json")
	if !ok {
		return
	}
	var in answerIn
	var v validation.Error
	if err := decodeRequest(b, &in, &v); err != nil {
		writeProblem(w, r, problem{status: http.StatusBadRequest, code: codeMalformed})
		return
	}
	outcome := storage.Outcome(in.Outcome)
	switch outcome {
	case storage.OutcomeDone, storage.OutcomePartial, storage.OutcomeRefused:
	default:
		v.Add("outcome", validation.ErrInvalid)
	}
	if len(v.Fields) > 0 {
		writeProblem(w, r, invalid(&v))
		return
	}
	got, err := h.store.AnswerRequest(r.Context(), c.tenant, id, version, outcome, in.Note)
	if err != nil {
		failRequest(w, r, err)
		return
	}
	writeRequest(w, r, http.StatusOK, got)
}

// requests serves GET /privacy/requests: with open=true the unanswered
// ones, soonest due first; otherwise all, newest first.
func (h *handler) requests(w http.ResponseWriter, r *http.Request, c call) {
	p := readParams(r, "open", "cursor", "limit")
	open := false
	switch p.str("open") {
	case "", "false":
	case "true":
		open = true
	default:
		p.v.Add("open", errParam)
	}
	limit, ok := p.page(w, r)
	if !ok {
		return
	}
	page, err := h.store.Requests(r.Context(), c.tenant, open, limit, p.str("cursor"))
	if err != nil {
		failParams(w, r, err)
		return
	}
	if page.Items == nil {
		page.Items = []storage.Request{}
	}
	writeJSON(w, r, http.StatusOK, page)
}
