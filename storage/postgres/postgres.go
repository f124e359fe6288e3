// Package postgres opens Ficha's production store: PostgreSQL through
// pgx, for one server or a scaled-out fleet, and for engines that speak
// PostgreSQL's wire protocol and SQL.
//
// Like every adapter it offers [Open] (a migrated, ready
// [storage.Store]), [OpenDriver] (the driver alone, for hosts that
// migrate on their own schedule), [DB] (the configured *sql.DB) and
// [Classify] (its error classifier).
//
// Ficha's tables live in the schema that the DSN's search_path names
// first ("...?search_path=ficha"), which migrating creates if it is
// missing; without one, in the server's default (public). A schema of its
// own keeps Ficha's tables apart from a host's: a host table that happens
// to be called customers elsewhere does not matter to it.
//
// # Streaming replicas
//
// [OpenCluster] opens a primary and its hot-standby streaming replicas as
// one store. Everything runs on the primary, as with [Open], except the
// reads a caller allows on a replica with [storage.ReplicaOK]: Get, Search
// and List made with such a context go to a replica whose data is at most
// the given time behind, or to the primary when none is. The reads of a
// write (an update's read of the stored version, Modify, merges, consent
// decisions) never go to a replica, nor do writes.
//
// How far behind a replica is, the store tells from WAL positions: it
// samples the primary's WAL insert position and asks each replica what it
// has replayed (pg_last_wal_replay_lsn), at most every
// [Cluster.CheckEvery], from the reads themselves (no goroutine runs in the
// background). A replica that has replayed what the primary had written at
// time t has every transaction committed before t. Unlike
// pg_last_xact_replay_timestamp, this does not count a replica of an idle
// primary as behind.
//
// A [storage.Session] gives a caller its own writes back: each write made
// with a context that carries one records the primary's WAL insert
// position after its commit (one more round trip, on the write's
// connection, only for a store with replicas and a context with a
// session), and a read with the session goes to a replica only if the
// replica has replayed that far. Without a session, a caller that allows
// a replica may not see what it has just written.
//
// A replica that cannot be reached, is not a standby (promoted, or a DSN
// that names the primary), or fails a read with a lost connection or a
// shutdown is set aside for [Cluster.RetryAfter], longer while it keeps
// failing; a read it failed runs again on the primary, and the caller
// sees no error. [sqlstore.Driver.ReadStats] counts where the allowed
// reads ran. Cursors hold positions in the results, not a server's state:
// a search paged on the primary goes on from a replica and back.
//
// One limit: a replica's state is checked, not re-read at each read. A
// replica restarted between two checks may for an instant show less than
// it had replayed before; a read then may miss a session's write made
// just before the restart.
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/sqlstore"
)

// Open opens the PostgreSQL database that dsn names (a URL such as
// "postgres://user@host:5432/db?sslmode=disable&search_path=ficha" or a
// key=value string), applies the migrations (creating the schema if
// needed), and returns a store over it. opts may be nil.
func Open(ctx context.Context, dsn string, opts *storage.Options) (*storage.Store, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	d, err := OpenDriver(dsn)
	if err != nil {
		return nil, err
	}
	return d.OpenStore(ctx, opts)
}

// OpenDriver returns a driver over the database that dsn names. It
// connects lazily and does not change the schema: call Migrate on the
// driver before use, or use [Open].
func OpenDriver(dsn string) (*sqlstore.Driver, error) {
	db, err := DB(dsn)
	if err != nil {
		return nil, err
	}
	return sqlstore.New(db, sqlstore.Postgres, Classify).SetCopier(Copy), nil
}

// Copy is the [sqlstore.Copier] of PostgreSQL over pgx: it runs copySQL
// (a COPY ... FROM STDIN) with data on conn's own pgx connection, inside
// the transaction open on it. Hosts that build their own pool pass it to
// the driver's SetCopier, so that bulk inserts use COPY.
func Copy(ctx context.Context, conn *sql.Conn, copySQL string, data io.Reader) error {
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return errNotPgx
		}
		_, err := c.Conn().PgConn().CopyFrom(ctx, data, copySQL)
		return err
	})
}

var errNotPgx = errors.New("postgres: COPY needs a connection of pgx's database/sql driver (stdlib)")

// DB returns a *sql.DB for dsn over pgx, configured as Ficha needs it,
// with a pool of 16 connections. Hosts that build their own pool pass it
// to sqlstore.New with [Classify].
func DB(dsn string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	db.SetConnMaxLifetime(time.Hour)
	return db, nil
}

// Classify is the [sqlstore.Classifier] of PostgreSQL, by SQLSTATE.
func Classify(err error) (sqlstore.Class, string) {
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
