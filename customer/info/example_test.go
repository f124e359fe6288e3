package info_test

import (
	"errors"
	"fmt"
	"log"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/customer/info"
	"github.com/fichacrm/ficha/validation"
)

func Example() {
	// The default table, with one yes/no field of the dealership's own.
	schema, err := info.Default().Extend(info.Field{
		Key: "first_car", Label: info.Label{EN: "First car", PT: "Primeiro carro"},
		Section: info.SectionPersonal, Type: info.YesNo, Kinds: info.ForIndividuals, OnSheet: true,
	})
	if err != nil {
		log.Fatal(err)
	}

	// An individual's additional information, as the attendant typed it.
	c := &customer.Customer{Kind: customer.Individual, Info: map[string]string{
		"monthly_income": "1.234,56",
		"first_car":      "sim",
		"marital_status": "complicated",
		"fleet_size":     "3",
	}}
	c.Info = schema.Normalize(c.Info)
	fmt.Println(c.Info["monthly_income"], c.Info["first_car"])

	// Every field that is wrong, with its path and stable code.
	var v *customer.ValidationError
	if errors.As(schema.Validate(c), &v) {
		for _, f := range v.Fields {
			fmt.Println(f.Path, f.Code())
		}
	}

	// Fields as the Portuguese sheet prints them.
	for _, key := range []string{"monthly_income", "first_car"} {
		f, _ := schema.Field(key)
		fmt.Printf("%s: %s\n", f.Label.Get(validation.Portuguese), f.Format(c.Info[key], validation.Portuguese))
	}
	// Output:
	// 1234.56 true
	// info.fleet_size info.kind
	// info.marital_status info.choice
	// Renda mensal: R$ 1.234,56
	// Primeiro carro: Sim
}
