package sqlstore

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Dump writes every row of every table of the schema Ficha uses, one line
// per row, as text: what a reader of the database could see. It is for
// audits and for tests that prove a value is gone from every table (the
// anonymisation's); it reads whole tables, so it is not for production
// databases of any size.
func (d *Driver) Dump(ctx context.Context, w io.Writer) error {
	var q string
	switch d.dialect.name {
	case "sqlite":
		q = "SELECT name FROM sqlite_master WHERE type = 'table'"
	case "postgres":
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
	default:
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'"
	}
	rows, err := d.db.QueryContext(ctx, q)
	if err != nil {
		return d.fail(ctx, err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return d.fail(ctx, err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return d.fail(ctx, err)
	}
	slices.Sort(tables)
	for _, t := range tables {
		if err := d.dumpTable(ctx, w, t); err != nil {
			return err
		}
	}
	return nil
}

// dumpTable writes every row of one table.
func (d *Driver) dumpTable(ctx context.Context, w io.Writer, table string) error {
	quote := `"`
	if d.dialect.name == "mysql" {
		quote = "`"
	}
	rows, err := d.db.QueryContext(ctx, "SELECT * FROM "+quote+strings.ReplaceAll(table, quote, "")+quote)
	if err != nil {
		return d.fail(ctx, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return d.fail(ctx, err)
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return d.fail(ctx, err)
		}
		var b strings.Builder
		b.WriteString(table)
		for i, v := range vals {
			b.WriteString(" " + cols[i] + "=")
			switch x := v.(type) {
			case []byte:
				b.Write(x)
			case nil:
				b.WriteString("NULL")
			default:
				fmt.Fprint(&b, x)
			}
		}
		b.WriteByte('\n')
		if _, err := io.WriteString(w, b.String()); err != nil {
			return err
		}
	}
	return d.fail(ctx, rows.Err())
}
