package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/validation"
)

// Problem is the body of every error answer: an RFC 9457 problem
// (application/problem+json). Type is "urn:ficha:problem:" followed by
// Code; Title is in the language of the request's Accept-Language.
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	// Code is the stable, machine-readable name of the problem, such as
	// "validation" or "version.stale".
	Code string `json:"code"`
	// Errors lists every failed field of a 422 (or every bad query
	// parameter of a 400): its JSON path or parameter name, the broken
	// rule's code and its message. No value is ever repeated.
	Errors []FieldProblem `json:"errors,omitempty"`
	// Omitted is how many failed fields there were past the first
	// MaxListedErrors, which alone are listed: a body of a million bad
	// entries gets an answer of bounded size.
	Omitted int `json:"omitted,omitempty"`
	// Detail explains the problem in the host's own words where the
	// library has none: the retention hook's reason for keeping a record.
	Detail string `json:"detail,omitempty"`
}

// FieldProblem is one failed field of a [Problem].
type FieldProblem struct {
	Path    string `json:"path"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// The problems the API answers with, each a code and its title in both
// languages.
var (
	codeValidation  = validation.NewRule("validation", "Invalid data", "Dados inválidos")
	codeLocked      = validation.NewRule("field.locked", "These fields cannot be changed", "Estes campos não podem ser alterados")
	codeMalformed   = validation.NewRule("json.malformed", "The body is not valid JSON", "O corpo não é um JSON válido")
	codeTooLarge    = validation.NewRule("body.too_large", "The body is too large", "O corpo é grande demais")
	codeMediaType   = validation.NewRule("media_type", "Send the body as application/json", "Envie o corpo como application/json")
	codeNotFound    = validation.NewRule("not_found", "Customer not found", "Cliente não encontrado")
	codeNoEntry     = validation.NewRule("entry.not_found", "No such entry in the customer's record", "Item inexistente na ficha do cliente")
	codeNoItem      = validation.NewRule("agenda.not_found", "Agenda item not found", "Agendamento não encontrado")
	codeItemStale   = validation.NewRule("agenda.stale", "The agenda item was changed by someone else; reload it", "O agendamento foi alterado por outra pessoa; recarregue-o")
	codeItemClosed  = validation.NewRule("agenda.closed", "This agenda item is done or cancelled already", "Este agendamento já foi feito ou cancelado")
	codeNoRoute     = validation.NewRule("route.not_found", "No such resource", "Recurso inexistente")
	codeMethod      = validation.NewRule("method.not_allowed", "Method not allowed", "Método não permitido")
	codeExists      = validation.NewRule("id.exists", "The ID is taken", "O ID já está em uso")
	codeDuplicate   = validation.NewRule("taxid.duplicate", "Another customer already has this CPF/CNPJ", "Outro cliente já tem este CPF/CNPJ")
	codeNeedMatch   = validation.NewRule("version.required", "Send If-Match with the ETag you read", "Envie If-Match com o ETag que você leu")
	codeStale       = validation.NewRule("version.stale", "The customer was changed by someone else; reload it", "O cliente foi alterado por outra pessoa; recarregue-o")
	codeTenant      = validation.NewRule("tenant", "No tenant for this request", "Requisição sem empresa identificada")
	codeActor       = validation.NewRule("actor", "Who makes this request could not be established", "Não foi possível identificar quem faz esta requisição")
	codeActorDenied = validation.NewRule("actor.refused", "This write needs a valid actor", "Esta alteração precisa de um responsável válido")
	codeQuery       = validation.NewRule("query.invalid", "Invalid query parameters", "Parâmetros de consulta inválidos")
	codeCursor      = validation.NewRule("cursor.invalid", "Invalid cursor; start again from the first page", "Cursor inválido; recomece da primeira página")
	codeLimit       = validation.NewRule("limit.invalid", "Invalid page size", "Tamanho de página inválido")
	codeTimeout     = validation.NewRule("timeout", "The request took too long", "A requisição demorou demais")
	codeUnavailable = validation.NewRule("unavailable", "Service unavailable; try again later", "Serviço indisponível; tente mais tarde")
	codeInternal    = validation.NewRule("internal", "Internal error", "Erro interno")
	codeNoLookup    = validation.NewRule("cep.lookup_missing", "CEP lookup is not configured", "A consulta de CEP não está configurada")
	codeCEPNotFound = validation.NewRule("cep.not_found", "CEP not found", "CEP não encontrado")
	codeCEPInvalid  = validation.NewRule("cep.invalid", "Invalid CEP", "CEP inválido")
	codeCEPDown     = validation.NewRule("cep.unavailable", "The CEP services are unavailable; type the address", "Os serviços de CEP estão indisponíveis; digite o endereço")
)

// Rules of a body's fields that the domain packages do not have.
var (
	// errUnknownField is a field the API does not know.
	errUnknownField = validation.NewRule("field.unknown", "unknown field", "campo desconhecido")
	// errJSONType is a value of the wrong JSON type.
	errJSONType = validation.NewRule("json.type", "wrong type of value", "tipo de valor errado")
	// errIDMismatch is a body's id that is not the path's.
	errIDMismatch = validation.NewRule("id.mismatch", "the ID is not the one in the URL", "o ID não é o da URL")
	// errParam is a query parameter that is not valid.
	errParam = validation.NewRule("param.invalid", "invalid value", "valor inválido")
	// errParamRequired is a query parameter the route needs.
	errParamRequired = validation.NewRule("param.required", "this parameter is required", "este parâmetro é obrigatório")
	// errNotTheCustomers is an agenda item or attendance a body names that
	// is not one of the customer's.
	errNotTheCustomers = validation.NewRule("not_the_customers", "this is not one of the customer's", "este não é do cliente")
	// errParamUnknown is a query parameter the route does not know.
	errParamUnknown = validation.NewRule("param.unknown", "unknown parameter", "parâmetro desconhecido")
)

// problem is an answer being built: a status, a code and the failed
// fields, if any.
type problem struct {
	status int
	code   *validation.Rule
	fields *validation.Error
	detail string
}

// problemFor returns the plain problem of an HTTP status the mux answers.
func problemFor(status int) problem {
	switch status {
	case http.StatusMethodNotAllowed:
		return problem{status: status, code: codeMethod}
	case http.StatusUnauthorized:
		return problem{status: status, code: codeTenant}
	case http.StatusNotFound:
		return problem{status: status, code: codeNoRoute}
	}
	return problem{status: http.StatusInternalServerError, code: codeInternal}
}

func (p problem) with(code *validation.Rule) problem { p.code = code; return p }

// writeProblem writes p in the request's language.
func writeProblem(w http.ResponseWriter, r *http.Request, p problem) {
	l := language(r)
	body := Problem{Type: "urn:ficha:problem:" + p.code.Code(), Title: p.code.Message(l.v), Status: p.status, Code: p.code.Code(), Detail: p.detail}
	if p.fields != nil {
		for i, f := range p.fields.Fields {
			if i == MaxListedErrors {
				body.Omitted = len(p.fields.Fields) - i
				break
			}
			body.Errors = append(body.Errors, FieldProblem{Path: f.Path, Code: f.Code(), Message: f.Message(l.v)})
		}
	}
	b, err := json.Marshal(body)
	if err != nil { // cannot happen: only strings and ints
		b = []byte(`{"type":"urn:ficha:problem:internal","status":500,"code":"internal"}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("Content-Language", l.tag)
	h.Del("ETag")
	if p.status == http.StatusServiceUnavailable {
		h.Set("Retry-After", "5")
	}
	w.WriteHeader(p.status)
	_, _ = w.Write(append(b, '\n'))
}

// MaxListedErrors is the most failed fields a problem lists (see
// Problem.Omitted).
const MaxListedErrors = 100

// invalid is a 422 listing the fields of v.
func invalid(v *validation.Error) problem {
	return problem{status: http.StatusUnprocessableEntity, code: codeValidation, fields: v}
}

// badParams is a 400 listing the query parameters of v.
func badParams(v *validation.Error) problem {
	return problem{status: http.StatusBadRequest, code: codeQuery, fields: v}
}

// fail answers err, an error of the store or of a lookup, with its
// problem. An error it does not know is a 500 whose text is not shown.
func fail(w http.ResponseWriter, r *http.Request, err error) {
	writeProblem(w, r, classify(err))
}

// classify maps an error to its problem.
func classify(err error) problem {
	var v *validation.Error
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return problem{status: http.StatusNotFound, code: codeNotFound}
	case errors.Is(err, storage.ErrAnonymised):
		return problem{status: http.StatusConflict, code: codeAnonymised}
	case errors.Is(err, storage.ErrConflict):
		return problem{status: http.StatusPreconditionFailed, code: codeStale}
	case errors.Is(err, storage.ErrDuplicateTaxID):
		var d validation.Error
		d.Add("tax_id", storage.ErrDuplicateTaxID)
		return problem{status: http.StatusConflict, code: codeDuplicate, fields: &d}
	case errors.Is(err, storage.ErrExists):
		return problem{status: http.StatusConflict, code: codeExists}
	case errors.Is(err, storage.ErrLocked):
		p := problem{status: http.StatusUnprocessableEntity, code: codeLocked}
		if errors.As(err, &v) {
			p.fields = v
		}
		return p
	case errors.Is(err, storage.ErrActor):
		return problem{status: http.StatusForbidden, code: codeActorDenied}
	case errors.Is(err, storage.ErrCursor):
		return problem{status: http.StatusBadRequest, code: codeCursor}
	case errors.Is(err, storage.ErrLimit):
		return problem{status: http.StatusBadRequest, code: codeLimit}
	case errors.Is(err, storage.ErrTenant):
		return problem{status: http.StatusUnauthorized, code: codeTenant}
	case errors.Is(err, context.DeadlineExceeded):
		return problem{status: http.StatusGatewayTimeout, code: codeTimeout}
	case errors.Is(err, storage.ErrClosed), errors.Is(err, context.Canceled):
		return problem{status: http.StatusServiceUnavailable, code: codeUnavailable}
	case errors.As(err, &v):
		return invalid(v)
	case errors.Is(err, storage.ErrInvalid):
		return invalid(&validation.Error{})
	}
	return problem{status: http.StatusInternalServerError, code: codeInternal}
}

// lang is a language a request asked for: the validation.Lang of its
// messages and its tag for Content-Language.
type lang struct {
	v   validation.Lang
	tag string
}

var (
	portuguese = lang{validation.Portuguese, "pt-BR"}
	english    = lang{validation.English, "en"}
)

// language returns the language Accept-Language prefers among Brazilian
// Portuguese and English; Portuguese when it names neither.
func language(r *http.Request) lang {
	best, bestQ := portuguese, -1.0
	for _, h := range r.Header.Values("Accept-Language") {
		for part := range strings.SplitSeq(h, ",") {
			tag, params, _ := strings.Cut(part, ";")
			tag = strings.ToLower(strings.TrimSpace(tag))
			q := 1.0
			if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
				f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil || f < 0 || f > 1 {
					continue
				}
				q = f
			}
			primary, _, _ := strings.Cut(tag, "-")
			var l lang
			switch primary {
			case "pt":
				l = portuguese
			case "en":
				l = english
			default:
				continue
			}
			if q > bestQ && q > 0 {
				best, bestQ = l, q
			}
		}
	}
	return best
}
