package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/mysql"
	"github.com/fichacrm/ficha/storage/postgres"
	"github.com/fichacrm/ficha/storage/sqlite"
	"github.com/fichacrm/ficha/storage/sqlstore"
)

// defaultDSN is the store of a run that names none: an SQLite file in the
// working directory.
const defaultDSN = "ficha.db"

// openStore opens (and migrates) the store dsn names.
func openStore(ctx context.Context, dsn string) (*storage.Store, error) {
	switch kind, rest := dsnKind(dsn); kind {
	case "postgres":
		return postgres.Open(ctx, rest, nil)
	case "mysql":
		return mysql.Open(ctx, rest, nil)
	default:
		if rest == "" {
			return nil, errors.New("empty SQLite path")
		}
		return sqlite.Open(ctx, rest, nil)
	}
}

// dsnKind tells which adapter a DSN is for, and what to hand it.
func dsnKind(dsn string) (kind, rest string) {
	switch {
	case dsn == "":
		return "sqlite", defaultDSN
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return "postgres", dsn
	case strings.HasPrefix(dsn, "mysql://"):
		return "mysql", strings.TrimPrefix(dsn, "mysql://")
	}
	return "sqlite", strings.TrimPrefix(dsn, "sqlite:")
}

// isStoreFile reports whether path names the SQLite store dsn names, or
// one of its journal files: a file the command must never create over
// (os.Create empties it, and the store with it; an export into the
// write-ahead log is thrown away at the next open). A journal is judged
// by its name too, as it may not exist until the store is opened.
func isStoreFile(dsn, path string) bool {
	kind, db := dsnKind(dsn)
	if kind != "sqlite" || path == "" || path == "-" {
		return false
	}
	names := []string{db, db + "-wal", db + "-shm", db + "-journal"}
	if out, err := os.Stat(path); err == nil {
		for _, f := range names {
			if in, err := os.Stat(f); err == nil && os.SameFile(in, out) {
				return true
			}
		}
	}
	// Not there yet: a journal's name in the store's folder (however the
	// folder is reached).
	dir, err := os.Stat(filepath.Dir(path))
	dbDir, err2 := os.Stat(filepath.Dir(db))
	if err != nil || err2 != nil || !os.SameFile(dir, dbDir) {
		return false
	}
	for _, f := range names[1:] {
		if filepath.Base(path) == filepath.Base(f) {
			return true
		}
	}
	return false
}

// sqlDriver returns the SQL driver under a store, if it has one.
func sqlDriver(s *storage.Store) (*sqlstore.Driver, bool) {
	d, ok := s.Driver().(*sqlstore.Driver)
	return d, ok
}
