// Package mysql opens a Ficha store on MySQL 8 or MariaDB 10.11 through
// go-sql-driver/mysql, with utf8mb4 text and DATETIME(6) timestamps.
//
// Like every adapter it offers [Open] (a migrated, ready
// [storage.Store]), [OpenDriver] (the driver alone, for hosts that
// migrate on their own schedule), [DB] (the configured *sql.DB) and
// [Classify] (its error classifier).
//
// Ficha's tables live in the database the DSN names, which [Open] creates
// (utf8mb4) if it is missing and the user may create it. A database of its
// own keeps Ficha's tables apart from a host's.
//
// Size InnoDB's buffer pool for the searches: a word search checks its
// candidates against their customers' rows, and with MariaDB's default
// pool (128 MB, and O_DIRECT, so no help from the operating system's
// cache) each row not in the pool is a read of the disk. At a million
// customers, word_keys and customers take about 1.7 GB with their
// indexes; with innodb_buffer_pool_size at 2 GB a name search took 8 ms
// at the median and 20 ms at p95 here, with the default pool 27 and 230 ms
// (BENCHMARKS.md).
package mysql

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/sqlstore"
)

// Open opens the database that dsn names, in the driver's format
// ("user:pass@tcp(host:3306)/ficha"), creating it if it does not exist,
// applies the migrations, and returns a store over it. opts may be nil.
func Open(ctx context.Context, dsn string, opts *storage.Options) (*storage.Store, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if err := createDatabase(ctx, dsn); err != nil {
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
	return sqlstore.New(db, sqlstore.MySQL, Classify), nil
}

// DB returns a *sql.DB for dsn configured as Ficha needs it, with a pool
// of 16 connections. Whatever the DSN says, times are read as time.Time
// in UTC and the connection speaks utf8mb4. Hosts that build their own
// pool pass it to sqlstore.New with [Classify].
func DB(dsn string) (*sql.DB, error) {
	cfg, err := config(dsn)
	if err != nil {
		return nil, err
	}
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(conn)
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	db.SetConnMaxLifetime(time.Hour)
	return db, nil
}

func config(dsn string) (*mysql.Config, error) {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	cfg.ParseTime = true
	cfg.Loc = time.UTC
	// utf8mb4 whatever charset the DSN asks for: Ficha's text is Unicode.
	if err := cfg.Apply(mysql.Charset("utf8mb4", "utf8mb4_unicode_ci")); err != nil {
		return nil, err
	}
	// Arguments are escaped by the driver instead of a prepare round trip
	// per statement; queries still carry only placeholders.
	cfg.InterpolateParams = true
	if cfg.Params == nil {
		cfg.Params = map[string]string{}
	}
	cfg.Params["time_zone"] = "'+00:00'"
	// Searches probe the search keys with correlated EXISTS subqueries;
	// turned into semi-joins, MariaDB materialises a whole name range
	// instead (a common name prefix at 1M customers: 1.4 s against 0.23 s).
	if _, ok := cfg.Params["optimizer_switch"]; !ok {
		cfg.Params["optimizer_switch"] = "'semijoin=off'"
	}
	return cfg, nil
}

// errUnknownDatabase is MySQL's ER_BAD_DB_ERROR.
const errUnknownDatabase = 1049

// createDatabase creates the DSN's database when connecting to it fails
// because it does not exist.
func createDatabase(ctx context.Context, dsn string) error {
	cfg, err := config(dsn)
	if err != nil {
		return err
	}
	if cfg.DBName == "" {
		return errors.New("mysql: the DSN names no database")
	}
	db, err := DB(dsn)
	if err != nil {
		return err
	}
	err = db.PingContext(ctx)
	_ = db.Close()
	var me *mysql.MySQLError
	if err == nil || !errors.As(err, &me) || me.Number != errUnknownDatabase {
		return nil // the database exists, or migrating will report the failure
	}
	name := cfg.DBName
	cfg.DBName = ""
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return err
	}
	server := sql.OpenDB(conn)
	defer server.Close()
	quoted := "`" + strings.ReplaceAll(name, "`", "``") + "`"
	if _, err := server.ExecContext(ctx, "CREATE DATABASE IF NOT EXISTS "+quoted+" CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		_, code := Classify(err)
		return &createError{code: code, err: err}
	}
	return nil
}

// createError reports a database that could not be created, keeping the
// server's error reachable with errors.As but not repeating its message.
type createError struct {
	code string
	err  error
}

func (e *createError) Error() string {
	return "mysql: the database does not exist and could not be created (code " + e.code + ")"
}

func (e *createError) Unwrap() error { return e.err }

// Classify is the [sqlstore.Classifier] of MySQL and MariaDB, by error
// number.
func Classify(err error) (sqlstore.Class, string) {
	var me *mysql.MySQLError
	if !errors.As(err, &me) {
		return sqlstore.Other, ""
	}
	code := strconv.Itoa(int(me.Number))
	switch me.Number {
	case 1062: // ER_DUP_ENTRY
		return sqlstore.Unique, code
	case 1451, 1452: // ER_ROW_IS_REFERENCED_2, ER_NO_REFERENCED_ROW_2
		return sqlstore.ForeignKey, code
	case 1205, 1213: // ER_LOCK_WAIT_TIMEOUT, ER_LOCK_DEADLOCK
		return sqlstore.Retry, code
	}
	return sqlstore.Other, code
}
