package postgres_test

import (
	"context"
	"log"
	"time"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
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

// OpenCluster opens a primary and its streaming replicas as one store.
// Reads go to the primary unless the caller allows a replica; a session
// gives an attendant's reads its own writes back, whichever server serves
// them. (Not run: it needs a PostgreSQL primary and replica.)
func ExampleOpenCluster() {
	ctx := context.Background()
	store, err := postgres.OpenCluster(ctx, postgres.Cluster{
		Primary: "postgres://crm@db-primary.internal:5432/dealership?sslmode=verify-full&search_path=ficha",
		Replicas: []string{
			"postgres://crm@db-replica-1.internal:5432/dealership?sslmode=verify-full&search_path=ficha&connect_timeout=2",
			"postgres://crm@db-replica-2.internal:5432/dealership?sslmode=verify-full&search_path=ficha&connect_timeout=2",
		},
	}, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	const tenant = "concessionaria-centro"

	// One session per attendant, carried between requests as text.
	session := new(storage.Session)
	ctx = storage.WithSession(ctx, session)
	c, err := store.Create(ctx, tenant, &customer.Customer{Kind: customer.Individual, Status: customer.StatusProspect, Name: "José da Silva"})
	if err != nil {
		log.Fatal(err)
	}

	// Searches and reads may come from a replica up to two seconds
	// behind; this one goes to a replica only if it has the customer the
	// session just created, else to the primary.
	reads := storage.ReplicaOK(ctx, 2*time.Second)
	page, err := store.Search(reads, tenant, customer.Query{Name: "jose silva"}, nil)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("%d hits, %s among them", len(page.Hits), c.ID)
}
