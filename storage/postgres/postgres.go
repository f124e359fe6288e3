// Package postgres opens Ficha's production store: PostgreSQL through
// pgx, for one server or a scaled-out fleet, and for engines that speak
// PostgreSQL's wire protocol and SQL.
package postgres

import (
	"context"
	"database/sql"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/sqlstore"
)

// Open returns a driver over the PostgreSQL database that dsn names (a URL
// such as "postgres://user@host:5432/db?sslmode=disable" or a key=value
// string; a search_path parameter selects the schema). It connects
// lazily and does not change the schema: call Migrate on the driver before
// use, or use [OpenStore].
func Open(dsn string) (*sqlstore.Driver, error) {
	db, err := DB(dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	return sqlstore.New(db, sqlstore.Postgres, classify), nil
}

// OpenStore opens the database, applies the migrations, and returns a
// store over it.
func OpenStore(ctx context.Context, dsn string, opts *storage.Options) (*storage.Store, error) {
	d, err := Open(dsn)
	if err != nil {
		return nil, err
	}
	return d.OpenStore(ctx, opts)
}

// DB returns a *sql.DB for dsn with the pgx driver, configured as Ficha
// needs it, for hosts that manage their own pool; pass it to sqlstore.New
// with [Classify].
func DB(dsn string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	return stdlib.OpenDB(*cfg), nil
}

// Classify is the [sqlstore.Classifier] of PostgreSQL, by SQLSTATE.
func Classify(err error) (sqlstore.Class, string) { return classify(err) }

func classify(err error) (sqlstore.Class, string) {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return sqlstore.Other, ""
	}
	switch pe.Code {
	case "23505":
		return sqlstore.Unique, pe.Code
	case "23503":
		return sqlstore.ForeignKey, pe.Code
	case "40001", "40P01":
		return sqlstore.Retry, pe.Code
	}
	return sqlstore.Other, pe.Code
}
