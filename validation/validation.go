// Package validation carries the errors that Ficha's validators return: a
// [Rule] names one broken rule with a stable code and messages in English and
// Brazilian Portuguese, a [FieldError] places a rule at a field path such as
// "addresses[1].cep", and an [Error] gathers every failed field of a record
// so that a host UI can show each message next to its field. An Error
// encodes as JSON for such a UI (see [Localized]): each field's path, code
// and message, in Portuguese unless another language is chosen.
//
// No message ever contains the value that failed: identifiers are personal
// data, and error text ends up in logs.
package validation

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
)

// Lang selects the language of a message.
type Lang uint8

// The languages messages are written in.
const (
	English    Lang = iota // English
	Portuguese             // Brazilian Portuguese
)

// Rule is one validation rule that input can break. Rules are created once,
// at package level, and compared by identity, so a parser can return one
// without allocating and a caller can test for it with [errors.Is].
type Rule struct {
	code string
	en   string
	pt   string
}

// NewRule returns a rule with a stable machine-readable code (such as
// "cpf.check_digit") and its message in English and Brazilian Portuguese.
func NewRule(code, en, pt string) *Rule {
	return &Rule{code: code, en: en, pt: pt}
}

// Code returns the rule's stable code, meant for programs.
func (r *Rule) Code() string { return r.code }

// Message returns the rule's message in lang.
func (r *Rule) Message(lang Lang) string {
	if lang == Portuguese {
		return r.pt
	}
	return r.en
}

// Error returns the English message.
func (r *Rule) Error() string { return r.en }

// Rules shared by every kind of record.
var (
	// ErrInvalid is the rule reported for a failure that carries no rule of its own.
	ErrInvalid = NewRule("invalid", "invalid value", "valor inválido")
	// ErrRequired is reported for a required field left empty.
	ErrRequired = NewRule("required", "this field is required", "este campo é obrigatório")
	// ErrTooLong is reported for text longer than [MaxText] bytes.
	ErrTooLong = NewRule("too_long", "this text is too long", "este texto é longo demais")
	// ErrFuture is reported for a date that cannot lie in the future.
	ErrFuture = NewRule("date.future", "this date cannot be in the future", "esta data não pode estar no futuro")
	// ErrNegative is reported for an amount of money below zero.
	ErrNegative = NewRule("money.negative", "the amount cannot be negative", "o valor não pode ser negativo")
	// ErrMoneyPrecision is reported for an amount with fractions of a cent.
	ErrMoneyPrecision = NewRule("money.precision", "amounts are in reais and centavos: at most two decimal places", "valores em reais e centavos: no máximo duas casas decimais")
	// ErrMoneyRange is reported for an amount of ten trillion reais or
	// more, what NUMERIC(15, 2) cannot hold, or written with more digits
	// or a larger exponent than any amount needs.
	ErrMoneyRange = NewRule("money.range", "the amount is too large", "o valor é grande demais")
	// ErrTooMany is reported for a list with more entries than a record
	// may hold.
	ErrTooMany = NewRule("list.too_many", "this list has too many entries", "esta lista tem itens demais")
	// ErrCardInText is reported for free text that holds what looks like a
	// card number.
	ErrCardInText = NewRule("text.card_number", "this text seems to hold a card number; remove it", "este texto parece conter um número de cartão; remova-o")
)

// MaxText is the longest free text, in bytes, that a short field (a name, a
// street, a role) may hold; notes and descriptions may hold [MaxNote].
const (
	MaxText = 200
	MaxNote = 2000
)

// FieldError is one failed field: where it is and which rule it broke.
type FieldError struct {
	Path string // the field's path, such as "addresses[1].cep"
	Rule *Rule  // the broken rule
}

// Code returns the broken rule's code.
func (f FieldError) Code() string { return f.Rule.Code() }

// Message returns the broken rule's message in lang, without the path.
func (f FieldError) Message(lang Lang) string { return f.Rule.Message(lang) }

// Error returns the path and the English message.
func (f FieldError) Error() string { return f.Path + ": " + f.Rule.en }

// Unwrap returns the broken rule, so errors.Is matches it.
func (f FieldError) Unwrap() error { return f.Rule }

// Error lists every field of a record that failed validation. The zero value
// is an empty list ready to use; [Error.Err] turns it into a nil error when
// nothing failed.
type Error struct {
	Fields []FieldError
}

// Add records that the field at path broke the rule in err. An err that is
// not a [*Rule] (nor wraps one) is recorded as [ErrInvalid]; a nil err is
// ignored. An [*Error] is merged, its paths prefixed with path.
func (e *Error) Add(path string, err error) {
	if err == nil {
		return
	}
	var nested *Error
	if errors.As(err, &nested) {
		for _, f := range nested.Fields {
			e.Fields = append(e.Fields, FieldError{Path: Join(path, f.Path), Rule: f.Rule})
		}
		return
	}
	var r *Rule
	if !errors.As(err, &r) {
		r = ErrInvalid
	}
	e.Fields = append(e.Fields, FieldError{Path: path, Rule: r})
}

// Without returns err without the fields that broke rule: nil when none
// is left, err itself when it is not an [*Error].
func Without(err error, rule *Rule) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	out := &Error{}
	for _, f := range e.Fields {
		if f.Rule != rule {
			out.Fields = append(out.Fields, f)
		}
	}
	return out.Err()
}

// Err returns e when it holds at least one failed field, and nil otherwise.
func (e *Error) Err() error {
	if e == nil || len(e.Fields) == 0 {
		return nil
	}
	return e
}

// Has reports whether the field at path broke the rule with the given code.
func (e *Error) Has(path, code string) bool {
	for _, f := range e.Fields {
		if f.Path == path && f.Rule.code == code {
			return true
		}
	}
	return false
}

// Error lists every failed field with its English message.
func (e *Error) Error() string {
	return e.Format(English)
}

// Format lists every failed field with its message in lang, separated by
// semicolons.
func (e *Error) Format(lang Lang) string {
	var b strings.Builder
	if lang == Portuguese {
		b.WriteString("dados inválidos: ")
	} else {
		b.WriteString("invalid data: ")
	}
	for i, f := range e.Fields {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(f.Path)
		b.WriteString(": ")
		b.WriteString(f.Rule.Message(lang))
	}
	return b.String()
}

// MarshalJSON implements [encoding/json.Marshaler]: every failed field
// with its path, code and message in Brazilian Portuguese, the language
// of the attendants. [Error.Localized] chooses another language. The
// value that failed is never written.
func (e *Error) MarshalJSON() ([]byte, error) {
	return e.Localized(Portuguese).MarshalJSON()
}

// Localized returns e as JSON carries it with messages in lang, for a
// host to encode or to place in its own response.
func (e *Error) Localized(lang Lang) Localized {
	return Localized{Err: e, Lang: lang}
}

// Localized is a validation error with its messages in one language. It
// encodes as an object listing the failed fields in the order they were
// found:
//
//	{"fields":[{"path":"addresses[1].cep","code":"cep.invalid","message":"o CEP contém apenas dígitos"}]}
//
// An error with no failed field, or a nil Err, encodes with an empty list.
type Localized struct {
	Err  *Error // the error to encode
	Lang Lang   // the language of the messages
}

// fieldJSON and errorJSON are the JSON form of [Localized].
type (
	fieldJSON struct {
		Path    string `json:"path"`
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	errorJSON struct {
		Fields []fieldJSON `json:"fields"`
	}
)

// MarshalJSON implements [encoding/json.Marshaler].
func (l Localized) MarshalJSON() ([]byte, error) {
	out := errorJSON{Fields: []fieldJSON{}}
	if l.Err != nil {
		out.Fields = make([]fieldJSON, len(l.Err.Fields))
		for i, f := range l.Err.Fields {
			r := f.Rule
			if r == nil {
				r = ErrInvalid
			}
			out.Fields[i] = fieldJSON{Path: f.Path, Code: r.code, Message: r.Message(l.Lang)}
		}
	}
	return json.Marshal(out)
}

// Unwrap returns each broken rule, so errors.Is finds any of them.
func (e *Error) Unwrap() []error {
	errs := make([]error, len(e.Fields))
	for i, f := range e.Fields {
		errs[i] = f.Rule
	}
	return errs
}

// Join joins two parts of a path with a dot, leaving out an empty one.
func Join(parent, field string) string {
	switch {
	case parent == "":
		return field
	case field == "":
		return parent
	case field[0] == '[':
		return parent + field
	}
	return parent + "." + field
}

// Index returns the path of element i of the list at path, as "path[i]".
func Index(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}
