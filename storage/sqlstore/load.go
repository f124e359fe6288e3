package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"github.com/fichacrm/ficha/storage"
)

var _ storage.BulkLoader = (*Driver)(nil)

// setAside is the table where BeginLoad keeps the definition of each index
// it dropped until EndLoad builds it again. A row left behind (a load whose
// process died) is built again by the next Migrate.
const setAside = "ficha_load_indexes"

// loadTables are the tables an initial load fills, whose secondary indexes
// it drops and rebuilds.
func loadTables() []string {
	names := []string{tCustomers.name, tChanges.name}
	for _, t := range childTables {
		names = append(names, t.name)
	}
	return names
}

// BeginLoad implements [storage.BulkLoader]. When no tenant has a
// customer, it drops the secondary indexes of the tables a load fills
// (customers, their sub-records and keys, the change log),
// keeping every primary key and unique constraint, and records their
// definitions for EndLoad (or, should the process die first, the next
// Migrate) to build them again. On MySQL/MariaDB it does nothing.
func (d *Driver) BeginLoad(ctx context.Context) (bool, error) {
	if d.dialect.name == MySQL.name {
		return false, nil
	}
	dropped := false
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		if d.dialect.name == Postgres.name {
			// One loader at a time sets indexes aside.
			if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(4242424243)"); err != nil {
				return err
			}
		}
		var one int
		err := tx.QueryRowContext(ctx, "SELECT 1 FROM customers LIMIT 1").Scan(&one)
		if err == nil {
			return nil // not empty: load with the indexes in place
		}
		if err != sql.ErrNoRows {
			return err
		}
		if _, err := tx.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS "+setAside+
			" (name VARCHAR(200) NOT NULL PRIMARY KEY, definition TEXT NOT NULL)"); err != nil {
			return err
		}
		idx, err := d.secondaryIndexes(ctx, tx)
		if err != nil {
			return err
		}
		for _, ix := range idx {
			if _, err := tx.ExecContext(ctx, d.dialect.rebind("INSERT INTO "+setAside+" (name, definition) VALUES (?, ?)"), ix.name, ix.def); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "DROP INDEX "+ix.name); err != nil {
				return err
			}
		}
		for _, t := range keyTables {
			if err := d.setKeysAside(ctx, tx, t); err != nil {
				return err
			}
		}
		dropped = true
		return nil
	})
	if err != nil {
		return false, d.fail(ctx, err)
	}
	// Statements prepared before need nothing: SQLite compiles a statement
	// again when the schema changed, PostgreSQL plans it again.
	return dropped, nil
}

// EndLoad implements [storage.BulkLoader]: it builds every index BeginLoad
// set aside and refreshes the planner's statistics of the loaded tables.
func (d *Driver) EndLoad(ctx context.Context) error {
	if d.dialect.name == MySQL.name {
		return nil
	}
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return d.fail(ctx, err)
	}
	defer conn.Close()
	if d.dialect.name == Postgres.name {
		// Each index is built by one sort; in the default 64 MB it
		// spills to disk at a million customers. The setting is this
		// session's, and goes back before the connection does.
		if _, err := conn.ExecContext(ctx, "SET maintenance_work_mem = '256MB'"); err != nil {
			return d.fail(ctx, err)
		}
		defer func() { _, _ = conn.ExecContext(context.WithoutCancel(ctx), "RESET maintenance_work_mem") }()
		// Another process's Migrate builds what a load set aside, under
		// the migration lock; EndLoad takes it too (for the session: each
		// index is built in a transaction of its own), else the two built
		// one index at once and one of them failed.
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock("+postgresMigrationLock+")"); err != nil {
			return d.fail(ctx, err)
		}
		defer func() {
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock("+postgresMigrationLock+")")
		}()
	}
	if d.dialect.name == SQLite.name {
		// The rebuilds sort: in memory (temp_store MEMORY, as DB sets
		// it), SQLite merges one list of every row, half of a 300k
		// load's rebuild in the pure-Go build; spilled to files, it
		// sorts in runs, on a second thread. Twice as fast (see
		// BENCHMARKS.md).
		for _, q := range []string{"PRAGMA threads = 2", "PRAGMA temp_store = FILE"} {
			if _, err := conn.ExecContext(ctx, q); err != nil {
				return d.fail(ctx, err)
			}
		}
		defer func() {
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA threads = 0")
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA temp_store = MEMORY")
		}()
	}
	// Each index and key in a transaction of its own: writers wait for
	// one build at a time, and no lock is held from one to the next (in
	// one transaction, a write that had inserted a customer and waited for
	// a key table closed a cycle with it; the outside review saw the
	// whole rebuild rolled back, and searches stalled for all of it).
	if err := d.restoreIndexes(ctx, conn, false); err != nil {
		return d.fail(ctx, err)
	}
	return d.analyze(ctx, []string{tCustomers.name, tChanges.name}, false)
}

type indexDef struct{ name, def string }

// secondaryIndexes returns the indexes of the load's tables that no
// primary key or unique constraint needs, with the statements that
// create them.
func (d *Driver) secondaryIndexes(ctx context.Context, tx *sql.Tx) ([]indexDef, error) {
	tables := loadTables()
	var q string
	args := make([]any, len(tables))
	for i, t := range tables {
		args[i] = t
	}
	switch d.dialect.name {
	case Postgres.name:
		q = "SELECT ic.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i " +
			"JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class tc ON tc.oid = i.indrelid " +
			"JOIN pg_namespace n ON n.oid = tc.relnamespace " +
			"WHERE n.nspname = current_schema() AND NOT i.indisunique AND NOT i.indisprimary AND tc.relname = ANY($1::text[]) " +
			"ORDER BY ic.relname"
		args = []any{tables}
	default:
		q = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL " +
			"AND upper(sql) NOT LIKE 'CREATE UNIQUE%' AND tbl_name IN (" + list(len(tables)) + ") ORDER BY name"
	}
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []indexDef
	for rows.Next() {
		var ix indexDef
		if err := rows.Scan(&ix.name, &ix.def); err != nil {
			return nil, err
		}
		out = append(out, ix)
	}
	return out, rows.Err()
}

// restoreIndexes builds every index the set-aside table lists and empties
// it: at the end of a load, and in Migrate after a load that never ended.
func (d *Driver) restoreIndexes(ctx context.Context, ex execer, inTx bool) error {
	var n int
	if err := ex.QueryRowContext(ctx, d.dialect.tableExists, setAside).Scan(&n); err != nil || n == 0 {
		return err
	}
	rows, err := ex.QueryContext(ctx, "SELECT name, definition FROM "+setAside+" ORDER BY name")
	if err != nil {
		return err
	}
	var idx []indexDef
	for rows.Next() {
		var ix indexDef
		if err := rows.Scan(&ix.name, &ix.def); err != nil {
			rows.Close()
			return err
		}
		idx = append(idx, ix)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// Tables first: an index set aside on one is built on the table as
	// it is rebuilt.
	slices.SortStableFunc(idx, func(a, b indexDef) int {
		switch ta, tb := isTableDef(a.def) || isKeyDef(a.def), isTableDef(b.def) || isKeyDef(b.def); {
		case ta && !tb:
			return -1
		case tb && !ta:
			return 1
		}
		return 0
	})
	for _, ix := range idx {
		if err := d.restoreIndex(ctx, ex, ix, inTx); err != nil {
			return err
		}
	}
	return nil
}

// restoreIndex builds one index or key restoreIndexes found set aside.
// Outside a transaction it takes its turn among the driver's writers
// (see Driver.turn): on SQLite a build is a write, and asking SQLite for
// the lock beside desk writers that retake it at once, it waited out its
// busy timeout (CI: TestDeskBesideALoad under the race detector).
func (d *Driver) restoreIndex(ctx context.Context, ex execer, ix indexDef, inTx bool) error {
	if !inTx {
		release, err := d.takeTurn(ctx)
		if err != nil {
			return err
		}
		defer release()
	}
	if isTableDef(ix.def) {
		return d.restoreKeys(ctx, ex, ix)
	}
	if isKeyDef(ix.def) {
		return d.restorePrimaryKey(ctx, ex, ix, inTx)
	}
	// Another process may have built it already.
	create := ix.def
	if rest, ok := strings.CutPrefix(create, "CREATE INDEX "); ok && !strings.HasPrefix(strings.ToUpper(rest), "IF NOT EXISTS") {
		create = "CREATE INDEX IF NOT EXISTS " + rest
	}
	if _, err := ex.ExecContext(ctx, create); err != nil {
		return err
	}
	_, err := ex.ExecContext(ctx, d.dialect.rebind("DELETE FROM "+setAside+" WHERE name = ?"), ix.name)
	return err
}

// keyTables are the tables whose rows an initial load writes in no order
// of their primary key (a customer's keys and words, by value). On SQLite
// each transaction dirtied pages all over their B-trees, and the WAL
// received each of them again at every commit, so that a load slowed as
// they grew; PostgreSQL inserted into a B-tree a row at a time. During an
// initial load they have no primary key: rows are appended in order of
// arrival, and at its end the key is built once, in key order
// (setKeysAside; restoreKeys on SQLite, which must rebuild the table,
// restorePrimaryKey on PostgreSQL). Their foreign keys stay, so that a
// deletion during the load still cascades.
var keyTables = []string{tKeys.name, tWords.name}

// isTableDef reports whether a set-aside definition is a SQLite table's,
// as setKeysAside records it, rather than an index's.
func isTableDef(def string) bool { return strings.HasPrefix(def, "CREATE TABLE") }

// isKeyDef reports whether a set-aside definition is a PostgreSQL primary
// key's, as setKeysAside records it.
func isKeyDef(def string) bool { return strings.HasPrefix(def, "ALTER TABLE") }

// keysLoadPrefix names the plain table a load filled while restoreKeys
// rebuilds the real one.
const keysLoadPrefix = "ficha_loaded_"

// setKeysAside takes the primary key off the empty table name and records
// how to put it back. On SQLite, where a table's key is its structure, it
// replaces the table by a plain one of the same columns, NOT NULLs,
// defaults and foreign keys, and records the table's definition; on
// PostgreSQL it drops the key's constraint and records it.
func (d *Driver) setKeysAside(ctx context.Context, tx *sql.Tx, name string) error {
	if d.dialect.name == Postgres.name {
		var constraint, def string
		err := tx.QueryRowContext(ctx, "SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "+
			"JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace "+
			"WHERE n.nspname = current_schema() AND t.relname = $1 AND c.contype = 'p'", name).Scan(&constraint, &def)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // set aside already, by a load not yet ended
		}
		if err != nil {
			return err
		}
		add := "ALTER TABLE " + name + " ADD CONSTRAINT " + constraint + " " + def
		if _, err := tx.ExecContext(ctx, "INSERT INTO "+setAside+" (name, definition) VALUES ($1, $2)", constraint, add); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "ALTER TABLE "+name+" DROP CONSTRAINT "+constraint)
		return err
	}
	if pk, err := primaryKey(ctx, tx, name); err != nil || len(pk) == 0 {
		return err // no key: set aside already, by a load not yet ended
	}
	var def string
	if err := tx.QueryRowContext(ctx, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", name).Scan(&def); err != nil {
		return err
	}
	plain, err := plainTable(ctx, tx, name)
	if err != nil {
		return err
	}
	for _, q := range []string{"DROP TABLE " + name, plain} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, "INSERT INTO "+setAside+" (name, definition) VALUES (?, ?)", name, def)
	return err
}

// restorePrimaryKey adds back a PostgreSQL primary key setKeysAside
// dropped, unless another process did: it builds the key's unique index
// (one sort of the table's rows; writes to the table wait, searches do
// not), then makes it the primary key (a moment's exclusive lock). inTx
// tells whether ex is inside a transaction (Migrate's), where a failed
// statement must be rolled back to a savepoint.
func (d *Driver) restorePrimaryKey(ctx context.Context, ex execer, ix indexDef, inTx bool) error {
	has := func() (bool, error) {
		var n int
		err := ex.QueryRowContext(ctx, "SELECT COUNT(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "+
			"WHERE n.nspname = current_schema() AND c.conname = $1", ix.name).Scan(&n)
		return n > 0, err
	}
	done, err := has()
	if err != nil {
		return err
	}
	if !done {
		table, _, _ := strings.Cut(strings.TrimPrefix(ix.def, "ALTER TABLE "), " ")
		_, cols, _ := strings.Cut(ix.def, "PRIMARY KEY ")
		create := "CREATE UNIQUE INDEX IF NOT EXISTS " + ix.name + " ON " + table + " " + cols
		if err := d.uniqueIndex(ctx, ex, table, cols, create, inTx); err != nil {
			return err
		}
		if done, err = has(); err != nil {
			return err
		}
		if !done {
			if _, err := ex.ExecContext(ctx, "ALTER TABLE "+table+" ADD CONSTRAINT "+ix.name+" PRIMARY KEY USING INDEX "+ix.name); err != nil {
				return err
			}
		}
	}
	_, err = ex.ExecContext(ctx, "DELETE FROM "+setAside+" WHERE name = $1", ix.name)
	return err
}

// uniqueIndex runs create, a CREATE UNIQUE INDEX on table whose key is
// cols ("(a, b) INCLUDE (c)"). Should a row be there twice (nothing Ficha
// writes does that, but no key refused it during the load), the copies go
// and it runs create again: a load must not leave a database whose
// Migrate fails forever.
func (d *Driver) uniqueIndex(ctx context.Context, ex execer, table, cols, create string, inTx bool) error {
	if inTx {
		if _, err := ex.ExecContext(ctx, "SAVEPOINT ficha_add_key"); err != nil {
			return err
		}
	}
	_, err := ex.ExecContext(ctx, create)
	if err == nil {
		if inTx {
			_, err = ex.ExecContext(ctx, "RELEASE ficha_add_key")
		}
		return err
	}
	if inTx {
		if _, rerr := ex.ExecContext(ctx, "ROLLBACK TO ficha_add_key"); rerr != nil {
			return errors.Join(err, rerr)
		}
	}
	key, _, _ := strings.Cut(strings.TrimPrefix(cols, "("), ")")
	dedupe := "DELETE FROM " + table + " WHERE ctid IN (SELECT ctid FROM (SELECT ctid, row_number() OVER (PARTITION BY " + key +
		") AS n FROM " + table + ") x WHERE n > 1)"
	steps := []string{dedupe, create}
	if inTx {
		steps = append(steps, "RELEASE ficha_add_key")
	}
	for _, q := range steps {
		if _, err := ex.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// plainTable returns the CREATE TABLE statement of SQLite table name's
// columns (with their types, NOT NULLs and defaults) and foreign keys,
// without its primary key: a rowid table rows are appended to.
func plainTable(ctx context.Context, ex execer, name string) (string, error) {
	var parts []string
	rows, err := ex.QueryContext(ctx, "SELECT name, type, \"notnull\", dflt_value FROM pragma_table_info(?) ORDER BY cid", name)
	if err != nil {
		return "", err
	}
	for rows.Next() {
		var col, typ string
		var notNull bool
		var dflt sql.NullString
		if err := rows.Scan(&col, &typ, &notNull, &dflt); err != nil {
			rows.Close()
			return "", err
		}
		p := col + " " + typ
		if notNull {
			p += " NOT NULL"
		}
		if dflt.Valid {
			p += " DEFAULT " + dflt.String
		}
		parts = append(parts, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return "", err
	}
	// One row per column of each foreign key, in order (seq).
	rows, err = ex.QueryContext(ctx, "SELECT id, \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq", name)
	if err != nil {
		return "", err
	}
	type fk struct {
		parent, onDelete string
		from, to         []string
	}
	var fks []*fk
	last := -1
	for rows.Next() {
		var id int
		var parent, from, to, onDelete string
		if err := rows.Scan(&id, &parent, &from, &to, &onDelete); err != nil {
			rows.Close()
			return "", err
		}
		if id != last {
			fks = append(fks, &fk{parent: parent, onDelete: onDelete})
			last = id
		}
		f := fks[len(fks)-1]
		f.from, f.to = append(f.from, from), append(f.to, to)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return "", err
	}
	for _, f := range fks {
		p := "FOREIGN KEY (" + joinNames(f.from) + ") REFERENCES " + f.parent + " (" + joinNames(f.to) + ")"
		if f.onDelete != "" && f.onDelete != "NO ACTION" {
			p += " ON DELETE " + f.onDelete
		}
		parts = append(parts, p)
	}
	return "CREATE TABLE " + name + " (" + strings.Join(parts, ", ") + ")", nil
}

// restoreKeys rebuilds a table setKeysAside replaced: the plain table
// moves aside, the table is created again from its definition and filled
// from it in the order of its primary key (each B-tree page is written
// once), and the plain table goes; all or nothing.
func (d *Driver) restoreKeys(ctx context.Context, ex execer, ix indexDef) error {
	pk, err := primaryKey(ctx, ex, ix.name)
	if err != nil {
		return err
	}
	if len(pk) > 0 {
		// The table has its key already (another process rebuilt it):
		// only the record is left.
		_, err := ex.ExecContext(ctx, "DELETE FROM "+setAside+" WHERE name = ?", ix.name)
		return err
	}
	moved := keysLoadPrefix + ix.name
	if _, err := ex.ExecContext(ctx, "SAVEPOINT ficha_restore_keys"); err != nil {
		return err
	}
	err = func() error {
		for _, q := range []string{"ALTER TABLE " + ix.name + " RENAME TO " + moved, ix.def} {
			if _, err := ex.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		pk, err := primaryKey(ctx, ex, ix.name)
		if err != nil {
			return err
		}
		// In the key's order; a row the plain table held twice is one.
		fill := "INSERT OR IGNORE INTO " + ix.name + " SELECT * FROM " + moved + " ORDER BY " + joinNames(pk)
		for _, q := range []string{fill, "DROP TABLE " + moved} {
			if _, err := ex.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		if ix.name == tWords.name {
			// The table's statistics went with it.
			if err := pinWordPlan(ctx, ex); err != nil {
				return err
			}
		}
		_, err = ex.ExecContext(ctx, "DELETE FROM "+setAside+" WHERE name = ?", ix.name)
		return err
	}()
	if err != nil {
		bg := context.WithoutCancel(ctx)
		_, rerr := ex.ExecContext(bg, "ROLLBACK TO ficha_restore_keys")
		_, xerr := ex.ExecContext(bg, "RELEASE ficha_restore_keys")
		return errors.Join(err, rerr, xerr)
	}
	_, err = ex.ExecContext(ctx, "RELEASE ficha_restore_keys")
	return err
}

// primaryKey returns the columns of SQLite table name's primary key, in
// its order.
func primaryKey(ctx context.Context, ex execer, name string) ([]string, error) {
	rows, err := ex.QueryContext(ctx, "SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var pk []string
	for rows.Next() {
		var col string
		if err := rows.Scan(&col); err != nil {
			return nil, err
		}
		pk = append(pk, col)
	}
	return pk, rows.Err()
}
