package storage_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/memory"
)

// One CPF or CNPJ per tenant: registering a customer whose tax ID another
// customer holds fails with a *DuplicateTaxIDError, which names the
// customer that holds it (so the attendant can open that record) and
// never the CPF itself.
func ExampleDuplicateTaxIDError() {
	ctx := context.Background()
	store := memory.Open(nil)
	defer store.Close()
	const tenant = "concessionaria-centro"

	newCustomer := func(name string) *customer.Customer {
		return &customer.Customer{
			Kind: customer.Individual, Status: customer.StatusCustomer, Name: name,
			TaxID:  customer.MustParseTaxID("248.438.034-80"),
			Phones: []contact.Phone{contact.MustParsePhone("(11) 98765-4321")},
		}
	}
	first, err := store.Create(ctx, tenant, newCustomer("José Carlos de Oliveira"))
	if err != nil {
		panic(err)
	}
	_, err = store.Create(ctx, tenant, newCustomer("José C. Oliveira"))

	fmt.Println(errors.Is(err, storage.ErrDuplicateTaxID))
	var dup *storage.DuplicateTaxIDError
	if errors.As(err, &dup) {
		fmt.Println(dup.HolderID == first.ID)
	}
	fmt.Println(strings.Contains(err.Error(), "24843803480"))

	// Another dealership keeps customers of its own.
	_, err = store.Create(ctx, "concessionaria-norte", newCustomer("José Carlos de Oliveira"))
	fmt.Println(err)
	// Output:
	// true
	// true
	// false
	// <nil>
}

// Options.Now gives a store the host's clock: here a fixed one, as a
// host's tests set it. Times are kept in UTC, to the microsecond.
func ExampleOptions() {
	ctx := context.Background()
	now := time.Date(2025, time.March, 5, 10, 20, 30, 123456789, time.FixedZone("BRT", -3*60*60))
	store := memory.Open(&storage.Options{Now: func() time.Time { return now }})
	defer store.Close()

	c, err := store.Create(ctx, "concessionaria-centro", &customer.Customer{
		Kind: customer.Company, Status: customer.StatusProspect, Name: "Transportes Alfa Ltda",
		Emails: []contact.Email{contact.MustParseEmail("frota@example.com.br")},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(c.CreatedAt.Format(time.RFC3339Nano))
	// Output:
	// 2025-03-05T13:20:30.123456Z
}
