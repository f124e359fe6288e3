package mysql_test

import (
	"context"
	"log"

	"github.com/fichacrm/ficha/storage/mysql"
)

// Open creates the database the DSN names if it is missing (utf8mb4) and
// the user may create it, applies the migrations and returns a ready
// store. A database of its own keeps Ficha's tables apart from the
// host's. (Not run: it needs a MySQL or MariaDB server.)
func ExampleOpen() {
	ctx := context.Background()
	dsn := "crm@tcp(db.internal:3306)/ficha" // the password from the host's secrets, in practice
	store, err := mysql.Open(ctx, dsn, nil)
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
