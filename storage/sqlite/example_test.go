package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage/sqlite"
)

// Open creates the database file if it is missing, brings its tables up
// to date and returns a ready store. The file here lives in a temporary
// directory, removed at the end; a host names a file of its own.
func ExampleOpen() {
	dir, err := os.MkdirTemp("", "ficha-example-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)

	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(dir, "ficha.db"), nil)
	if err != nil {
		panic(err)
	}
	defer store.Close()

	const tenant = "concessionaria-centro"
	_, err = store.Create(ctx, tenant, &customer.Customer{
		Kind:   customer.Individual,
		Status: customer.StatusCustomer,
		Name:   "José Carlos de Oliveira",
		TaxID:  customer.MustParseTaxID("248.438.034-80"),
		Phones: []contact.Phone{contact.MustParsePhone("(48) 99988-7766")},
	})
	if err != nil {
		panic(err)
	}
	n, err := store.Count(ctx, tenant)
	if err != nil {
		panic(err)
	}
	fmt.Println(n, "customer")
	// Output:
	// 1 customer
}
