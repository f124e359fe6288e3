package address

import (
	"context"
	"errors"
	"fmt"

	"github.com/fichacrm/ficha/internal/ident"
	"github.com/fichacrm/ficha/validation"
)

// Errors of a [Lookup]. Callers tell them apart with errors.Is.
var (
	// ErrLookupInvalid: the CEP is malformed or belongs to no state.
	ErrLookupInvalid = errors.New("address: invalid CEP")
	// ErrLookupNotFound: the CEP is well formed but no service knows it.
	ErrLookupNotFound = errors.New("address: CEP not found")
	// ErrLookupUnavailable: no service could answer now (down, slow,
	// refusing, answering nonsense); worth retrying later.
	ErrLookupUnavailable = errors.New("address: CEP lookup unavailable")
)

// Result is what a CEP lookup ("consulta do CEP") tells of a CEP.
type Result struct {
	CEP      CEP
	Street   string // logradouro; empty for CEPs that cover a whole town
	District string // bairro
	City     string // localidade
	UF       UF
	// Source names who answered ("viacep", "brasilapi", "offline", ...).
	Source string
	// Offline is set when no service answered and only the state was
	// derived from the official CEP ranges.
	Offline bool
}

// Complete reports whether r names at least the city (not blank) and the
// state.
func (r Result) Complete() bool { return !validation.IsBlank(r.City) && r.UF.IsValid() }

// Check reports every text field of r (street, district, city) that an
// [Address] would refuse: each must pass [validation.Line], the rule of
// the record's own fields, none being required. It returns nil or an
// [*validation.Error] with the paths "street", "district" and "city";
// its message names the field and the rule, never the text. An answer
// that passes can be copied by [Fill] without making the address invalid
// by text the attendant never typed.
func (r Result) Check() error {
	var v validation.Error
	v.Text("street", r.Street, validation.Line, false)
	v.Text("district", r.District, validation.Line, false)
	v.Text("city", r.City, validation.Line, false)
	return v.Err()
}

// CheckAnswer is the check every CEP service client runs on its decoded
// answer r before returning it; r.CEP is the CEP asked. answered is the
// CEP the answer names itself, as the service wrote it ("01310-100",
// "01310100"), or "" when it names none. It returns nil, or an error
// matching [ErrLookupUnavailable] ("malformed answer") when answered is
// another CEP (or no CEP at all) or when a text field of r fails
// [Result.Check]. The message names the field and the rule, never a
// value; it wraps no [*validation.Error], which would read as a mistake
// of the attendant's.
func CheckAnswer(r Result, answered string) error {
	if answered = ident.TrimSpace(answered); answered != "" && !sameCEP(r.CEP, answered) {
		return fmt.Errorf("%w: malformed answer: it is for another CEP", ErrLookupUnavailable)
	}
	if err := r.Check(); err != nil {
		return fmt.Errorf("%w: malformed answer: %v", ErrLookupUnavailable, err)
	}
	return nil
}

// sameCEP reports whether s, a CEP as someone wrote it, has the digits of
// c. It compares digits only, ignoring the official ranges, so that a
// stored CEP outside them (see [CEP.Scan]) still matches its answer.
func sameCEP(c CEP, s string) bool {
	var buf [8]byte
	n, _, st := ident.Compact(buf[:], s)
	return st == ident.OK && n == len(buf) && ident.AllDigits(buf[:]) && string(buf[:]) == c.String()
}

// Lookup finds the address of a CEP ("consulta do CEP"). It is the
// contract every CEP service client implements (packages viacep and
// brasilapi); package lookup combines them, caches them and falls back
// to the official ranges.
//
// Implementations honour ctx (returning its own error when it ends) and
// are safe for concurrent use. Their other errors match
// ErrLookupInvalid, ErrLookupNotFound or ErrLookupUnavailable; an error
// that matches both ErrLookupNotFound and ErrLookupUnavailable says the
// service could not tell whether the CEP exists. A client checks its
// service's answer with [CheckAnswer] and returns ErrLookupUnavailable
// for one that fails.
type Lookup interface {
	Lookup(ctx context.Context, cep CEP) (Result, error)
}

// LookupFunc adapts a function to [Lookup].
type LookupFunc func(ctx context.Context, cep CEP) (Result, error)

// Lookup implements [Lookup].
func (f LookupFunc) Lookup(ctx context.Context, cep CEP) (Result, error) { return f(ctx, cep) }

// FillOptions change what [Fill] may do.
type FillOptions struct {
	// Overwrite lets the lookup replace street, district, city and state
	// that are already filled. Number and complement are never touched.
	Overwrite bool
}

// Fill completes a with what a lookup found for its CEP: street, district,
// city and state, each only if empty (or if opts.Overwrite) and only
// with what r holds that is not blank. The number and complement, which
// only the attendant knows, are never changed. It
// returns the names of the fields it filled ("street", "district", "city",
// "uf"); an offline result fills only the state.
func Fill(a *Address, r Result, opts *FillOptions) []string {
	over := opts != nil && opts.Overwrite
	var filled []string
	set := func(name string, dst *string, v string) {
		if !validation.IsBlank(v) && v != *dst && (*dst == "" || over) {
			*dst = v
			filled = append(filled, name)
		}
	}
	if a.CEP.IsZero() && !r.CEP.IsZero() {
		a.CEP = r.CEP
		filled = append(filled, "cep")
	}
	set("street", &a.Street, r.Street)
	set("district", &a.District, r.District)
	set("city", &a.City, r.City)
	if r.UF.IsValid() && r.UF != a.UF && (!a.UF.IsValid() || over) {
		a.UF = r.UF
		filled = append(filled, "uf")
	}
	return filled
}
