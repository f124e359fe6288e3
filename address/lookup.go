package address

import (
	"context"
	"errors"
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

// Complete reports whether r names at least the city and the state.
func (r Result) Complete() bool { return r.City != "" && r.UF.IsValid() }

// Lookup finds the address of a CEP ("consulta do CEP"). It is the
// contract every CEP service client implements (packages viacep and
// brasilapi); package lookup combines them, caches them and falls back
// to the official ranges.
//
// Implementations honour ctx (returning its own error when it ends) and
// are safe for concurrent use. Their other errors match
// ErrLookupInvalid, ErrLookupNotFound or ErrLookupUnavailable; an error
// that matches both ErrLookupNotFound and ErrLookupUnavailable says the
// service could not tell whether the CEP exists.
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
// city and state, each only if empty (or if opts.Overwrite). The number
// and complement, which only the attendant knows, are never changed. It
// returns the names of the fields it filled ("street", "district", "city",
// "uf"); an offline result fills only the state.
func Fill(a *Address, r Result, opts *FillOptions) []string {
	over := opts != nil && opts.Overwrite
	var filled []string
	set := func(name string, dst *string, v string) {
		if v != "" && v != *dst && (*dst == "" || over) {
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
