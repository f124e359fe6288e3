// Package mysql opens a Ficha store on MySQL 8 or MariaDB 10.11 through
// go-sql-driver/mysql, with utf8mb4 text and DATETIME(6) timestamps.
package mysql

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/sqlstore"
)

// Open returns a driver over the database that dsn names, in the driver's
// format ("user:pass@tcp(host:3306)/db"). Whatever the DSN says, times are
// read as time.Time in UTC and the connection speaks utf8mb4. It connects
// lazily and does not change the schema: call Migrate on the driver before
// use, or use [OpenStore].
func Open(dsn string) (*sqlstore.Driver, error) {
	db, err := DB(dsn)
	if err != nil {
		return nil, err
	}
	return sqlstore.New(db, sqlstore.MySQL, classify), nil
}

// DB returns a *sql.DB for dsn configured as Ficha needs it, for hosts
// that manage their own pool; pass it to sqlstore.New with [Classify].
func DB(dsn string) (*sql.DB, error) {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	cfg.ParseTime = true
	cfg.Loc = time.UTC
	cfg.Collation = "utf8mb4_unicode_ci"
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

// OpenStore opens the database, applies the migrations, and returns a
// store over it.
func OpenStore(ctx context.Context, dsn string, opts *storage.Options) (*storage.Store, error) {
	d, err := Open(dsn)
	if err != nil {
		return nil, err
	}
	return d.OpenStore(ctx, opts)
}

// Classify is the [sqlstore.Classifier] of MySQL and MariaDB, by error
// number.
func Classify(err error) (sqlstore.Class, string) { return classify(err) }

func classify(err error) (sqlstore.Class, string) {
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
