// Package sqlite opens Ficha's embedded default store: SQLite through
// modernc.org/sqlite, pure Go without cgo, in a file or in memory. Every
// connection has foreign keys on, write-ahead logging and a busy timeout.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"strconv"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/sqlstore"
)

// Open opens (creating if needed) the SQLite database at path and returns
// a driver over it; path ":memory:" opens a private in-memory database.
// It does not change the schema: call Migrate on the driver before use,
// or use [OpenStore].
func Open(path string) (*sqlstore.Driver, error) {
	if path == "" {
		return nil, errors.New("sqlite: empty database path")
	}
	memory := path == ":memory:"
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "foreign_keys(1)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	if !memory {
		q.Add("_pragma", "journal_mode(WAL)")
	}
	dsn := "file:" + strings.ReplaceAll(path, "?", "%3F") + "?" + q.Encode()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	if memory {
		// Each connection to ":memory:" is a database of its own: keep one.
		db.SetMaxOpenConns(1)
	} else {
		db.SetMaxOpenConns(8)
		db.SetMaxIdleConns(8)
	}
	return sqlstore.New(db, sqlstore.SQLite, classify), nil
}

// OpenStore opens the database at path, applies the migrations, and
// returns a store over it.
func OpenStore(ctx context.Context, path string, opts *storage.Options) (*storage.Store, error) {
	d, err := Open(path)
	if err != nil {
		return nil, err
	}
	return d.OpenStore(ctx, opts)
}

// classify reads SQLite's result codes.
func classify(err error) (sqlstore.Class, string) {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return sqlstore.Other, ""
	}
	code := strconv.Itoa(se.Code())
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return sqlstore.Unique, code
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return sqlstore.ForeignKey, code
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return sqlstore.Retry, code
	}
	return sqlstore.Other, code
}
