package sqlstore_test

import (
	"context"
	"log"
	"time"

	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/sqlite"
	"github.com/fichacrm/ficha/storage/sqlstore"
)

// A host that sizes the connection pool itself takes the *sql.DB an
// opener configures (foreign keys, busy timeout, WAL for SQLite), sets the
// pool, and builds the driver with the dialect and the opener's error
// classifier. Migrate runs on the host's schedule, at start-up here; it is
// safe when several processes run it at once. The same steps serve
// PostgreSQL (postgres.DB, sqlstore.Postgres, postgres.Classify) and MySQL.
func ExampleNew() {
	ctx := context.Background()
	db, err := sqlite.DB("/var/lib/dealership/ficha.db")
	if err != nil {
		log.Fatal(err)
	}
	db.SetMaxOpenConns(4)
	db.SetMaxIdleConns(4)
	db.SetConnMaxIdleTime(10 * time.Minute)

	d := sqlstore.New(db, sqlstore.SQLite, sqlite.Classify) // d owns db and closes it
	if err := d.Migrate(ctx); err != nil {
		_ = d.Close()
		log.Fatal(err)
	}
	store := storage.New(d, nil)
	defer store.Close()

	n, err := store.Count(ctx, "concessionaria-centro")
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("%d customers", n)
}
