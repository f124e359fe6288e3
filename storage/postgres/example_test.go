package postgres_test

import (
	"context"
	"log"

	"github.com/fichacrm/ficha/storage/postgres"
)

// Open connects, creates the schema that search_path names if it is
// missing, applies the migrations and returns a ready store. A schema of
// its own keeps Ficha's tables apart from the host's. (Not run: it needs
// a PostgreSQL server.)
func ExampleOpen() {
	ctx := context.Background()
	dsn := "postgres://crm@db.internal:5432/dealership?sslmode=verify-full&search_path=ficha"
	store, err := postgres.Open(ctx, dsn, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()

	n, err := store.Count(ctx, "concessionaria-centro")
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("%d customers", n)
}
