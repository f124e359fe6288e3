package address

import (
	"strings"

	"github.com/fichacrm/ficha/validation"
)

// Purpose says what an address is used for. Purposes combine as bits.
type Purpose uint8

// The purposes an additional address may serve.
const (
	Correspondence Purpose = 1 << iota // mail is sent here
	Billing                            // bills (cobrança) are sent here
)

// String returns the purposes as a comma-separated list, such as
// "correspondence,billing".
func (p Purpose) String() string {
	var parts []string
	if p&Correspondence != 0 {
		parts = append(parts, "correspondence")
	}
	if p&Billing != 0 {
		parts = append(parts, "billing")
	}
	return strings.Join(parts, ",")
}

// Has reports whether p includes q.
func (p Purpose) Has(q Purpose) bool { return p&q == q && q != 0 }

// MarshalText implements [encoding.TextMarshaler]; bits that are no
// purpose are an error.
func (p Purpose) MarshalText() ([]byte, error) {
	if p&^(Correspondence|Billing) != 0 {
		return nil, ErrPurpose
	}
	return []byte(p.String()), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (p *Purpose) UnmarshalText(b []byte) error {
	v, err := ParsePurpose(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// ParsePurpose parses the form written by [Purpose.String].
func ParsePurpose(s string) (Purpose, error) {
	var p Purpose
	for part := range strings.SplitSeq(s, ",") {
		switch strings.TrimSpace(part) {
		case "":
		case "correspondence":
			p |= Correspondence
		case "billing":
			p |= Billing
		default:
			return 0, ErrPurpose
		}
	}
	return p, nil
}

// Validation rules of an address.
var (
	ErrPurpose = validation.NewRule("address.purpose", "unknown address purpose", "finalidade de endereço desconhecida")
)

// Address is a postal address of a customer. Its purposes say whether it
// receives correspondence, bills, or both.
type Address struct {
	CEP        CEP     `json:"cep"`
	Street     string  `json:"street"`
	Number     string  `json:"number"`
	Complement string  `json:"complement,omitempty"`
	District   string  `json:"district"`
	City       string  `json:"city"`
	UF         UF      `json:"uf"`
	Purposes   Purpose `json:"purposes"`
}

// Validate reports every failed field of a, with paths relative to the
// address ("cep", "uf", ...). It returns nil or an [*validation.Error].
func (a Address) Validate() error {
	var v validation.Error
	if a.CEP.IsZero() {
		v.Add("cep", validation.ErrRequired)
	}
	v.Text("street", a.Street, validation.Line, true)
	v.Text("number", a.Number, validation.Line, false)
	v.Text("complement", a.Complement, validation.Line, false)
	v.Text("district", a.District, validation.Line, false)
	v.Text("city", a.City, validation.Line, true)
	switch {
	case !a.UF.IsValid():
		v.Add("uf", ErrUF)
	case !a.CEP.IsZero() && a.CEP.UF() != 0 && a.CEP.UF() != a.UF:
		// A CEP outside every range (stored under older ranges) has no
		// state to compare; CEP.Check reports it where it is new.
		v.Add("cep", ErrCEPMismatch)
	}
	if a.Purposes&^(Correspondence|Billing) != 0 {
		v.Add("purposes", ErrPurpose)
	}
	return v.Err()
}
