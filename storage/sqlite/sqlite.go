// Package sqlite opens Ficha's embedded default store: SQLite through
// modernc.org/sqlite, pure Go without cgo, in a file or in memory. Every
// connection has foreign keys on, write-ahead logging and a busy timeout.
//
// Like every adapter it offers [Open] (a migrated, ready
// [storage.Store]), [OpenDriver] (the driver alone, for hosts that
// migrate on their own schedule), [DB] (the configured *sql.DB) and
// [Classify] (its error classifier).
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

// Open opens (creating if needed) the SQLite database at path, applies the
// migrations, and returns a store over it; path ":memory:" opens a private
// in-memory database. path is a file's path, not a URI ("file:..." names
// a file called so), and its directory must exist. opts may be nil.
func Open(ctx context.Context, path string, opts *storage.Options) (*storage.Store, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	d, err := OpenDriver(path)
	if err != nil {
		return nil, err
	}
	return d.OpenStore(ctx, opts)
}

// OpenDriver returns a driver over the SQLite database at path. It does not
// change the schema: call Migrate on the driver before use, or use [Open].
func OpenDriver(path string) (*sqlstore.Driver, error) {
	db, err := DB(path)
	if err != nil {
		return nil, err
	}
	return sqlstore.New(db, sqlstore.SQLite, Classify), nil
}

// DB returns a *sql.DB for the database at path, configured as Ficha needs
// it: foreign keys on, a busy timeout, write-ahead logging for files,
// temporary data in memory (a multi-row INSERT's statement journal went
// to a file once it passed 64 KiB: a fifth of a bulk load's time),
// a pool of 8 connections (one for ":memory:", where each connection
// would be a database of its own), and write transactions that begin
// IMMEDIATE (the driver's _txlock). Hosts that build their own pool pass
// it to sqlstore.New with [Classify], and should set the same.
func DB(path string) (*sql.DB, error) {
	if path == "" {
		return nil, errors.New("sqlite: empty database path")
	}
	memory := path == ":memory:"
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "foreign_keys(1)", "synchronous(NORMAL)", "mmap_size(1073741824)", "cache_size(-32768)", "temp_store(MEMORY)"} {
		q.Add("_pragma", p)
	}
	if !memory {
		q.Add("_pragma", "journal_mode(WAL)")
	}
	// A write transaction takes the write lock when it begins, waiting
	// for it under the busy timeout. Begun deferred, it read first and
	// asked for the lock on its first write; when another connection
	// had committed meanwhile (a load commits a batch every moment), its
	// snapshot was stale, SQLite refused it at once, whatever the
	// timeout, and an attendance beside a load failed after its retries.
	// Read-only transactions still begin deferred.
	q.Set("_txlock", "immediate")
	// The driver reads a URI: escape what a path may hold and a URI
	// reads otherwise ('%' first, then the query and fragment marks).
	escaped := strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(path)
	dsn := "file:" + escaped + "?" + q.Encode()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	if memory {
		db.SetMaxOpenConns(1)
	} else {
		db.SetMaxOpenConns(8)
		db.SetMaxIdleConns(8)
	}
	return db, nil
}

// Classify is the [sqlstore.Classifier] of SQLite, by result code.
func Classify(err error) (sqlstore.Class, string) {
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
