package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Dialect holds what differs between the SQL databases Ficha supports: the
// placeholder style, the schema migrations, how migrators are serialised,
// and how a few values are written. It returns SQL text and arguments
// only; it imports no driver. Use [SQLite], [Postgres] or [MySQL].
type Dialect struct {
	name     string
	numbered bool // $1, $2... instead of ?
	// prepare caches prepared statements: worth it where the driver
	// compiles each statement in process (SQLite), not where the driver
	// caches them already (pgx) or interpolates arguments (MySQL).
	prepare bool
	// queueWrites queues a driver's write transactions in the process,
	// first come first served, before they ask the database for its one
	// write lock (SQLite). The database's own wait polls at growing
	// intervals: a writer that let go took the lock back before a long
	// waiter looked again, and a load's batch waited out its retries
	// beside two desks writing in a loop.
	queueWrites bool
	// unnest inserts many rows with one array parameter per column
	// (INSERT ... SELECT FROM unnest(...)): one short statement whatever
	// the number of rows, which PostgreSQL parses and plans once.
	unnest bool
	// writers is how many chunks of a bulk insert are written at once: one
	// for SQLite, which has one writer; two for servers, which then use
	// more than one core.
	writers int
	// bulkChunk is how many customers a bulk insert writes per
	// transaction: large for SQLite, whose commits serialise anyway;
	// smaller for servers, so that a batch spreads over the writers.
	bulkChunk int
	// autoAnalyze refreshes statistics after bulk inserts that grew the
	// tables by a fifth since the last refresh (see Driver.InsertMany).
	autoAnalyze bool
	// recursiveSkip lists the distinct words of a prefix in one recursive
	// statement, an index probe per word; without it (MariaDB) the probes
	// are one statement each.
	recursiveSkip bool
	// mergeInSQL walks the keys of many words in one statement, which the
	// planner merges in order and stops when the page is full
	// (PostgreSQL's Merge Append, SQLite's MERGE (UNION ALL)); elsewhere
	// the driver merges them.
	mergeInSQL bool
	// armLimits writes each word's keys of such a walk as a subquery with
	// a LIMIT of its own, which PostgreSQL plans as small ranges to merge.
	// Without it the words are one plain compound SELECT, ordered and
	// limited as a whole: SQLite merges that from the words' index ranges
	// in order, where it would sort each limited subquery first.
	armLimits bool
	// likeWords checks a words column with LIKE (PostgreSQL, whose
	// planner estimates it); elsewhere with instr, as SQLite prepares a
	// statement again whenever the pattern bound to a LIKE changes.
	likeWords bool
	// rowJSON, when set, returns the expression that makes a JSON array
	// of cols: a customer and its sub-records are then read in one
	// statement, one round trip, instead of one statement per table.
	rowJSON func(cols []string) string
	// readTx are the options of the read-only transactions that load a
	// whole customer from one snapshot.
	readTx *sql.TxOptions
	// lockMigrations serialises migrators on conn and returns the handle
	// to run migrations on, and a function that ends the lock, committing
	// when ok; changed reports that some migration ran.
	lockMigrations func(ctx context.Context, conn *sql.Conn) (execer, func(ok, changed bool) error, error)
	// timeArg is how a timestamp is passed to the database.
	timeArg func(time.Time) any
	// tableExists is a query with one placeholder, a table name, that
	// returns how many tables of that name the schema Ficha uses holds.
	tableExists string
	// bumpSeq adds its second argument to the counter of the tenant its
	// first names, creating the counter at that value.
	bumpSeq string
	// returning marks a dialect whose UPDATE and upsert statements can
	// return the rows they wrote (RETURNING): a write then reads what it
	// needs back in the same statement, one round trip fewer.
	returning bool
	// seqInsertID marks a dialect whose bumpSeq reports the counter's new
	// value as the statement's insert ID (MySQL's LAST_INSERT_ID(expr)),
	// where returning cannot: no statement reads it back.
	seqInsertID bool
	// writeCTE marks a dialect whose WITH clauses can write and feed each
	// other through RETURNING: an update that changes only the customers
	// row is then one statement (see Driver.rowStatement).
	writeCTE bool
	// ensureSchema, where set, creates the schema Ficha's tables go to
	// when it is missing; it runs under the migration lock.
	ensureSchema func(ctx context.Context, ex execer) error
}

// Name returns the dialect's name: "sqlite", "postgres" or "mysql".
func (d Dialect) Name() string { return d.name }

// execer is what both *sql.Conn and *sql.Tx offer.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// sqliteTime is the text form of timestamps in SQLite: fixed width, so that
// text order is time order.
const sqliteTime = "2006-01-02T15:04:05.000000Z"

// SQLite is the dialect of SQLite 3.
var SQLite = sqliteDialect

var sqliteDialect = Dialect{
	name:          "sqlite",
	mergeInSQL:    true,
	prepare:       true,
	queueWrites:   true,
	returning:     true,
	recursiveSkip: true,
	rowJSON: func(cols []string) string {
		return "json_array(" + strings.Join(cols, ", ") + ")"
	},
	writers:   1,
	bulkChunk: 4000, // a commit writes each page it dirtied to the WAL: fewer, larger ones write less
	// A read-only transaction begins deferred (and reads from one
	// snapshot) even where the pool begins the others IMMEDIATE
	// (sqlite.DB's _txlock).
	readTx: &sql.TxOptions{ReadOnly: true},
	lockMigrations: func(ctx context.Context, conn *sql.Conn) (execer, func(ok, changed bool) error, error) {
		// SQLite changes a table's keys by rebuilding it, which needs
		// foreign keys off (a DROP TABLE would cascade otherwise); that
		// can only be set outside a transaction. Every foreign key is
		// checked before migrations that ran commit (a check of the whole
		// database: not when there was nothing to do), and the connection
		// gets them back on whatever happens.
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			return nil, nil, err
		}
		restore := func() error {
			_, err := conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON")
			return err
		}
		// BEGIN IMMEDIATE takes the write lock at once: a second migrator
		// waits (busy timeout) and then sees the first one's work.
		if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
			return nil, nil, errors.Join(err, restore())
		}
		return conn, func(ok, changed bool) error {
			bg := context.WithoutCancel(ctx)
			if ok && changed {
				if err := foreignKeysHold(bg, conn); err != nil {
					_, rerr := conn.ExecContext(bg, "ROLLBACK")
					return errors.Join(err, rerr, restore())
				}
			}
			stmt := "ROLLBACK"
			if ok {
				stmt = "COMMIT"
			}
			_, err := conn.ExecContext(bg, stmt)
			return errors.Join(err, restore())
		}, nil
	},
	timeArg:     func(t time.Time) any { return t.UTC().Format(sqliteTime) },
	tableExists: "SELECT COUNT(*) FROM sqlite_master WHERE type IN ('table', 'view') AND lower(name) = lower(?)",
	bumpSeq:     "INSERT INTO change_seq (tenant, last) VALUES (?, ?) ON CONFLICT (tenant) DO UPDATE SET last = change_seq.last + excluded.last",
}

// errForeignKeys reports rows that a migration left without their parent.
var errForeignKeys = errors.New("sqlstore: a migration left rows whose foreign keys do not hold")

// foreignKeysHold runs SQLite's foreign key check over the whole database.
func foreignKeysHold(ctx context.Context, conn *sql.Conn) error {
	rows, err := conn.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return err
	}
	defer rows.Close()
	if rows.Next() {
		return errForeignKeys
	}
	return rows.Err()
}

// Postgres is the dialect of PostgreSQL (and of engines speaking its wire
// protocol and SQL).
var Postgres = postgresDialect

var postgresDialect = Dialect{
	name:          "postgres",
	numbered:      true,
	returning:     true,
	writeCTE:      true,
	unnest:        true,
	recursiveSkip: true,
	mergeInSQL:    true,
	armLimits:     true,
	likeWords:     true,
	rowJSON: func(cols []string) string {
		return "json_build_array(" + strings.Join(cols, ", ") + ")"
	},
	writers:   2,
	bulkChunk: 250,
	// pgx prepares every statement and PostgreSQL settles on generic plans
	// after a few runs; made from the statistics of small tables, they
	// scan, and a bulk load into empty tables (a DMS migration) slowed
	// down as the tables grew until autovacuum caught up.
	autoAnalyze: true,
	readTx:      &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true},
	lockMigrations: func(ctx context.Context, conn *sql.Conn) (execer, func(ok, changed bool) error, error) {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return nil, nil, err
		}
		// A transaction-scoped advisory lock: released at commit or rollback.
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock("+postgresMigrationLock+")"); err != nil {
			_ = tx.Rollback()
			return nil, nil, err
		}
		return tx, func(ok, _ bool) error {
			if ok {
				return tx.Commit()
			}
			return tx.Rollback()
		}, nil
	},
	timeArg:      func(t time.Time) any { return t.UTC() },
	tableExists:  "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1",
	ensureSchema: ensurePostgresSchema,
	bumpSeq:      "INSERT INTO change_seq (tenant, last) VALUES (?, ?) ON CONFLICT (tenant) DO UPDATE SET last = change_seq.last + excluded.last",
}

// ensurePostgresSchema creates the first schema of the search path when
// none of the path's schemas exists (current_schema() is then NULL).
func ensurePostgresSchema(ctx context.Context, ex execer) error {
	var path string
	if err := ex.QueryRowContext(ctx, "SELECT current_setting('search_path')").Scan(&path); err != nil {
		return err
	}
	name := firstSchema(path)
	if name == "" {
		var current sql.NullString
		if err := ex.QueryRowContext(ctx, "SELECT current_schema()").Scan(&current); err != nil {
			return err
		}
		if !current.Valid {
			return errNoSchema
		}
		return nil
	}
	var exists bool
	if err := ex.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)", name).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	_, err := ex.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+quoteIdent(name))
	return err
}

var errNoSchema = errors.New("sqlstore: the search path names no schema to create")

// firstSchema returns the first schema a PostgreSQL search path names,
// other than "$user": a quoted name as written (its doubled quotes
// undone, commas and all), an unquoted one in lower case, as PostgreSQL
// reads it.
func firstSchema(path string) string {
	for i := 0; i < len(path); {
		for i < len(path) && (path[i] == ' ' || path[i] == ',' || path[i] == '\t') {
			i++
		}
		if i == len(path) {
			break
		}
		var name string
		quoted := path[i] == '"'
		if quoted {
			var b strings.Builder
			i++
			for i < len(path) {
				if path[i] == '"' {
					if i+1 < len(path) && path[i+1] == '"' {
						b.WriteByte('"')
						i += 2
						continue
					}
					i++
					break
				}
				b.WriteByte(path[i])
				i++
			}
			name = b.String()
		} else {
			j := strings.IndexByte(path[i:], ',')
			if j < 0 {
				j = len(path) - i
			}
			name = strings.ToLower(strings.TrimSpace(path[i : i+j]))
			i += j
		}
		if name != "" && name != "$user" {
			return name
		}
	}
	return ""
}

// quoteIdent quotes a PostgreSQL identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// MySQL is the dialect of MySQL 8 and MariaDB 10.11. Their DDL is not
// transactional, so migrators are serialised with a named lock and each
// migration is recorded right after it runs.
var MySQL = mysqlDialect

var mysqlDialect = Dialect{
	name: "mysql",
	rowJSON: func(cols []string) string {
		return "JSON_ARRAY(" + strings.Join(cols, ", ") + ")"
	},
	writers:   2,
	bulkChunk: 250,
	readTx:    &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true},
	lockMigrations: func(ctx context.Context, conn *sql.Conn) (execer, func(ok, changed bool) error, error) {
		var got sql.NullInt64
		if err := conn.QueryRowContext(ctx, "SELECT GET_LOCK(CONCAT('ficha_migrate.', DATABASE()), 60)").Scan(&got); err != nil {
			return nil, nil, err
		}
		if got.Int64 != 1 {
			return nil, nil, errMigrationLock
		}
		return conn, func(bool, bool) error {
			_, err := conn.ExecContext(context.WithoutCancel(ctx), "SELECT RELEASE_LOCK(CONCAT('ficha_migrate.', DATABASE()))")
			return err
		}, nil
	},
	timeArg:     func(t time.Time) any { return t.UTC() },
	tableExists: "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?",
	// The counter's new value comes back as the statement's insert ID.
	bumpSeq:     "INSERT INTO change_seq (tenant, last) VALUES (?, LAST_INSERT_ID(?)) ON DUPLICATE KEY UPDATE last = LAST_INSERT_ID(last + VALUES(last))",
	seqInsertID: true,
}

// rebind turns the ? placeholders of query into the dialect's.
func (d Dialect) rebind(query string) string {
	if !d.numbered {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

// placeholders returns "(?, ?, ?)" repeated rows times, comma-separated.
func placeholders(cols, rows int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + ")"
	return strings.TrimSuffix(strings.Repeat(one+", ", rows), ", ")
}

// list returns "?, ?, ?" with n placeholders.
func list(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// postgresMigrationLock is the key of the PostgreSQL advisory lock that
// serialises Migrate, and EndLoad with it.
const postgresMigrationLock = "4242424242"
