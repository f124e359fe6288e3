// Command quickstart is Ficha's main job in a few lines: register a
// customer, validate it, and show how it is found.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/validation"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run() error {
	c := &customer.Customer{
		Kind:   customer.Individual,
		Status: customer.Active,
		Name:   "José da Silva",
		Phones: []contact.Phone{contact.MustParsePhone("(11) 98765-4321")},
	}
	// A wrong CPF is reported by field, in both languages.
	c.TaxID = customer.TaxID{}
	if _, err := customer.ParseTaxID("248.438.034-08"); err != nil {
		fmt.Println("tax_id:", err)
	}
	err := c.Validate()
	var v *customer.ValidationError
	if errors.As(err, &v) {
		for _, f := range v.Fields {
			fmt.Printf("%s [%s] %s / %s\n", f.Path, f.Code(), f.Message(validation.English), f.Message(validation.Portuguese))
		}
	}
	c.TaxID = customer.MustParseTaxID("248.438.034-80")
	if err := c.Validate(); err != nil {
		return err
	}
	fmt.Printf("%s, CPF %s, phone %s: valid\n", c.Name, c.TaxID.Format(), c.Phones[0].Format())
	terms, err := customer.Query{Name: "jose silv", Phone: "98765-4321"}.Terms()
	if err != nil {
		return err
	}
	fmt.Println("search terms:", terms)
	return nil
}
