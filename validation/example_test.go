package validation_test

import (
	"errors"
	"fmt"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/validation"
)

// errVisitStore is a rule of the host's own: its test-drive form asks which
// store the visit is at. A host declares its rules once, at package level,
// as Ficha does.
var errVisitStore = validation.NewRule("visit.store", "choose the store of the visit", "escolha a loja da visita")

// A host checks the fields of its own form with Ficha's parsers and rules
// and with rules of its own, gathering every failure in one
// [validation.Error], so that the attendant sees every message at once,
// each next to its field.
func Example() {
	// What the attendant typed in the host's test-drive form.
	form := map[string]string{
		"name":  "  ",
		"cpf":   "248.438.034-81", // the last digit mistyped
		"phone": "(11) 8765-4321", // a mobile without its ninth digit
		"email": "ana.souza@example.com.br",
		"store": "",
	}

	var v validation.Error
	v.Text("name", form["name"], validation.Line, true)
	_, err := customer.ParseTaxID(form["cpf"])
	v.Add("cpf", err)
	_, err = contact.ParsePhone(form["phone"])
	v.Add("phone", err)
	_, err = contact.ParseEmail(form["email"])
	v.Add("email", err) // nil: nothing is recorded
	if validation.IsBlank(form["store"]) {
		v.Add("store", errVisitStore)
	}

	if err := v.Err(); err != nil {
		// What the host's handler does with any validation error, its own
		// or one returned by Ficha.
		var verr *validation.Error
		if errors.As(err, &verr) {
			for _, f := range verr.Fields {
				fmt.Printf("%-5s %-27s %s\n", f.Path, f.Code(), f.Message(validation.Portuguese))
			}
		}
		fmt.Println(errors.Is(err, customer.ErrCPFCheckDigit))
	}
	// Output:
	// name  required                    este campo é obrigatório
	// cpf   cpf.check_digit             os dígitos verificadores do CPF não conferem
	// phone phone.missing_ninth_digit   celulares têm 9 dígitos: inclua o 9 na frente
	// store visit.store                 escolha a loja da visita
	// true
}

// Add merges the errors of a sub-record under its path, so that a form
// with a list of addresses puts each message next to the right address.
func ExampleError_Add() {
	addresses := []address.Address{
		{CEP: address.MustParseCEP("01310-100"), Street: "Avenida Paulista", Number: "1000", City: "São Paulo", UF: address.SP},
		{CEP: address.MustParseCEP("01310-100"), Street: "Rua XV de Novembro", City: "Curitiba", UF: address.PR},
	}
	var v validation.Error
	for i, a := range addresses {
		v.Add(validation.Index("addresses", i), a.Validate())
	}
	fmt.Println(v.Has("addresses[1].cep", "cep.uf_mismatch"))
	fmt.Println(v.Format(validation.Portuguese))
	fmt.Println(v.Error())
	// Output:
	// true
	// dados inválidos: addresses[1].cep: o CEP não pertence ao estado do endereço
	// invalid data: addresses[1].cep: the CEP does not belong to the address's state
}

// A Rule is compared by identity, so a caller tests for it with errors.Is,
// and its messages never repeat the value that broke it.
func ExampleRule() {
	_, err := address.ParseCEP("01310-10") // a digit missing
	fmt.Println(errors.Is(err, address.ErrCEPLength))

	var r *validation.Rule
	if errors.As(err, &r) {
		fmt.Println(r.Code())
		fmt.Println(r.Message(validation.English))
		fmt.Println(r.Message(validation.Portuguese))
	}
	// Output:
	// true
	// cep.length
	// a CEP has 8 digits
	// o CEP tem 8 dígitos
}
