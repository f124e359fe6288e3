package sqlstore

import (
	"context"
	"database/sql"
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
	names := []string{tCustomers.name, tFresh.name, tChanges.name}
	for _, t := range childTables {
		names = append(names, t.name)
	}
	return names
}

// BeginLoad implements [storage.BulkLoader]. When no tenant has a
// customer, it drops the secondary indexes of the tables a load fills
// (customers, their sub-records and keys, freshness, the change log),
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
	}
	if err := d.restoreIndexes(ctx, conn); err != nil {
		return d.fail(ctx, err)
	}
	return d.analyze(ctx, []string{tCustomers.name, tFresh.name, tChanges.name}, false)
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
func (d *Driver) restoreIndexes(ctx context.Context, ex execer) error {
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
	for _, ix := range idx {
		// Another process may have built it already.
		create := ix.def
		if rest, ok := strings.CutPrefix(create, "CREATE INDEX "); ok && !strings.HasPrefix(strings.ToUpper(rest), "IF NOT EXISTS") {
			create = "CREATE INDEX IF NOT EXISTS " + rest
		}
		if _, err := ex.ExecContext(ctx, create); err != nil {
			return err
		}
		if _, err := ex.ExecContext(ctx, d.dialect.rebind("DELETE FROM "+setAside+" WHERE name = ?"), ix.name); err != nil {
			return err
		}
	}
	return nil
}
