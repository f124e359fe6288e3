// Package reference models the references a customer gives: [Personal]
// references (people who vouch for the customer), [Bank] references
// (accounts, with branch and account check digits per bank), and the
// payment [Card]s the customer holds, kept masked.
package reference

import (
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/validation"
)

// Personal is a person the customer names as a reference.
type Personal struct {
	Name  string        `json:"name"`
	Phone contact.Phone `json:"phone"`
	Note  string        `json:"note,omitempty"`
}

// Validate reports every failed field of p with paths relative to it: the
// name and phone are required, and the note may not hold a card number. It
// returns nil or an [*validation.Error].
func (p Personal) Validate() error {
	var v validation.Error
	v.Text("name", p.Name, validation.Line, true)
	if p.Phone.IsZero() {
		v.Add("phone", validation.ErrRequired)
	}
	v.Text("note", p.Note, validation.Note, false)
	return v.Err()
}
