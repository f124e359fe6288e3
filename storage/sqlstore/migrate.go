package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fichacrm/ficha/customer"
)

//go:embed migrations
var migrationFS embed.FS

var errMigrationLock = errors.New("sqlstore: could not take the migration lock")

// ErrForeignTable is returned by [Driver.Migrate] when the schema has no
// record of Ficha's migrations but already holds a table with the name of
// one of Ficha's (a host's own customers table, say). Nothing is changed;
// open Ficha in a schema (PostgreSQL) or database (MySQL) of its own, or
// in another file (SQLite).
var ErrForeignTable = errors.New("sqlstore: the schema already holds a table named like one of Ficha's, which Ficha did not create: give Ficha a schema or database of its own")

type migration struct {
	version int
	name    string
	stmts   []string
}

// migrations returns the dialect's numbered migrations in order.
func (d Dialect) migrations() ([]migration, error) {
	dir := path.Join("migrations", d.name)
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("sqlstore: migration %s is not named NNNN_name.sql", e.Name())
		}
		b, err := fs.ReadFile(migrationFS, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), stmts: splitStatements(string(b))})
	}
	slices.SortFunc(ms, func(a, b migration) int { return a.version - b.version })
	return ms, nil
}

// splitStatements splits a migration file at semicolons that end a line,
// dropping comment lines.
func splitStatements(src string) []string {
	var stmts []string
	var cur strings.Builder
	for line := range strings.SplitSeq(src, "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "--") {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(trimmed, ";") {
			stmts = append(stmts, strings.TrimSuffix(strings.TrimSpace(cur.String()), ";"))
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		stmts = append(stmts, s)
	}
	return stmts
}

// Migrate brings the database schema up to date by applying, in order,
// every embedded migration not yet recorded in the ficha_migrations table.
// It is idempotent, and safe when several processes run it at once: they
// are serialised by a lock of the database (a write transaction in
// SQLite, an advisory lock in PostgreSQL, a named lock in MySQL), and each
// one applies only what the others have not.
func (d *Driver) Migrate(ctx context.Context) error {
	return d.MigrateTo(ctx, math.MaxInt)
}

// MigrateTo is [Driver.Migrate] up to and including the migration
// numbered version: for hosts that roll a schema change out in steps,
// and for tests of the upgrade from an older schema.
//
// When the database turns a migrator away as busy (SQLite does, at times,
// to processes that open a new file at the same moment), it tries again,
// a few times, after a short wait.
func (d *Driver) MigrateTo(ctx context.Context, version int) error {
	var err error
	for attempt := range 5 {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Duration(attempt*attempt) * 20 * time.Millisecond):
			}
		}
		err = d.migrateTo(ctx, version)
		var de *dbError
		if !errors.As(err, &de) || de.class != Retry {
			return err
		}
	}
	return err
}

func (d *Driver) migrateTo(ctx context.Context, version int) (err error) {
	ms, err := d.dialect.migrations()
	if err != nil {
		return err
	}
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return d.wrap(err)
	}
	defer conn.Close()
	ex, unlock, err := d.dialect.lockMigrations(ctx, conn)
	if err != nil {
		return d.wrap(err)
	}
	changed := false
	defer func() {
		if uerr := unlock(err == nil, changed); err == nil && uerr != nil {
			err = d.wrap(uerr)
		}
	}()
	if d.dialect.ensureSchema != nil {
		if err := d.dialect.ensureSchema(ctx, ex); err != nil {
			return d.wrap(err)
		}
	}
	if err := d.checkForeignTables(ctx, ex); err != nil {
		return err
	}
	create := "CREATE TABLE IF NOT EXISTS ficha_migrations (version INTEGER NOT NULL PRIMARY KEY, name VARCHAR(200) NOT NULL)"
	if _, err := ex.ExecContext(ctx, create); err != nil {
		return d.wrap(err)
	}
	// Indexes a load set aside and never built again (its process died)
	// are built first, so that the migrations find the schema they expect.
	if err := d.restoreIndexes(ctx, ex, d.dialect.name == Postgres.name); err != nil {
		return d.wrap(err)
	}
	applied := map[int]bool{}
	rows, err := ex.QueryContext(ctx, "SELECT version FROM ficha_migrations")
	if err != nil {
		return d.wrap(err)
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return d.wrap(err)
		}
		applied[v] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return d.wrap(err)
	}
	for _, m := range ms {
		if applied[m.version] || m.version > version {
			continue
		}
		changed = true
		for _, stmt := range m.stmts {
			if _, err := ex.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("sqlstore: migration %s: %w", m.name, d.wrap(err))
			}
		}
		if step := afterMigration[m.topic()]; step != nil {
			if err := step(ctx, d, ex); err != nil {
				return fmt.Errorf("sqlstore: migration %s: %w", m.name, d.wrap(err))
			}
		}
		if _, err := ex.ExecContext(ctx, d.dialect.rebind("INSERT INTO ficha_migrations (version, name) VALUES (?, ?)"), m.version, m.name); err != nil {
			return d.wrap(err)
		}
	}
	if d.dialect.name == SQLite.name {
		var n int
		if err := ex.QueryRowContext(ctx, d.dialect.tableExists, tWords.name).Scan(&n); err != nil {
			return d.wrap(err)
		}
		if n > 0 {
			if err := pinWordPlan(ctx, ex); err != nil {
				return d.wrap(err)
			}
		}
	}
	return nil
}

// checkForeignTables returns ErrForeignTable when the schema holds one of
// Ficha's table names but no ficha_migrations table.
func (d *Driver) checkForeignTables(ctx context.Context, ex execer) error {
	exists := func(name string) (bool, error) {
		var n int
		err := ex.QueryRowContext(ctx, d.dialect.tableExists, name).Scan(&n)
		return n > 0, err
	}
	ours, err := exists("ficha_migrations")
	if err != nil || ours {
		return d.wrap(err)
	}
	for _, t := range append([]table{tCustomers}, childTables...) {
		found, err := exists(t.name)
		if err != nil {
			return d.wrap(err)
		}
		if found {
			return ErrForeignTable
		}
	}
	return nil
}

// afterMigration are the steps, in Go, that complete a migration with
// what only the domain can compute, keyed by the migration's topic (its
// file name without the number, which differs between dialects). They run
// right after its SQL, under the same lock (and, where DDL is
// transactional, in the same transaction).
var afterMigration = map[string]func(ctx context.Context, d *Driver, ex execer) error{
	"summary":      fillSortNames,
	"match_keys":   fillMatchKeys,
	"ranked_words": fillWords,
}

// topic returns the migration's file name without its number and
// extension: "match_keys" for 0011_match_keys.sql.
func (m migration) topic() string {
	_, t, _ := strings.Cut(strings.TrimSuffix(m.name, ".sql"), "_")
	return t
}

// fillSortNames computes the sort name of every customer that has none:
// those stored before migration 4.
func fillSortNames(ctx context.Context, d *Driver, ex execer) error {
	sel := d.dialect.rebind("SELECT tenant, id, name FROM customers WHERE sort_name IS NULL ORDER BY tenant, id LIMIT 500")
	upd := d.dialect.rebind("UPDATE customers SET sort_name = ? WHERE tenant = ? AND id = ?")
	for {
		rows, err := ex.QueryContext(ctx, sel)
		if err != nil {
			return err
		}
		type row struct{ tenant, id, name string }
		var page []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.tenant, &r.id, &r.name); err != nil {
				rows.Close()
				return err
			}
			page = append(page, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(page) == 0 {
			return nil
		}
		for _, r := range page {
			c := customer.Customer{Name: r.name}
			if _, err := ex.ExecContext(ctx, upd, c.SortName(), r.tenant, r.id); err != nil {
				return err
			}
		}
	}
}

// SchemaVersion returns the number of the latest migration applied to the
// database, and of the latest this version of Ficha embeds: equal once
// [Driver.Migrate] has run.
func (d *Driver) SchemaVersion(ctx context.Context) (applied, embedded int, err error) {
	ms, err := d.dialect.migrations()
	if err != nil {
		return 0, 0, err
	}
	if len(ms) > 0 {
		embedded = ms[len(ms)-1].version
	}
	var v sql.NullInt64
	if err := d.db.QueryRowContext(ctx, "SELECT MAX(version) FROM ficha_migrations").Scan(&v); err != nil {
		return 0, embedded, d.fail(ctx, err)
	}
	return int(v.Int64), embedded, nil
}
