package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Copier writes rows into a table through the database's bulk path, on
// conn, inside the transaction open on it: for PostgreSQL, the statement
// copySQL (COPY table (columns) FROM STDIN) fed with data, which is in
// COPY's text format. Each opener whose database has such a path supplies
// one (postgres.Copy); [Driver.SetCopier] installs it.
type Copier func(ctx context.Context, conn *sql.Conn, copySQL string, data io.Reader) error

// SetCopier makes the driver's bulk inserts ([Driver.InsertMany], which
// Store.CreateMany and Store.Upsert call) write their rows with c instead
// of INSERT statements, and returns d. Call it before the driver's first
// use; postgres.OpenDriver does.
func (d *Driver) SetCopier(c Copier) *Driver {
	d.copier = c
	return d
}

// copyRows writes every row of b with the driver's Copier, parents before
// children, one COPY per table.
func (d *Driver) copyRows(ctx context.Context, conn *sql.Conn, b *batch) error {
	var buf bytes.Buffer
	for _, t := range b.tables {
		buf.Reset()
		for _, row := range b.rows[t.name] {
			for i, v := range row {
				if i > 0 {
					buf.WriteByte('\t')
				}
				appendCopyText(&buf, v)
			}
			buf.WriteByte('\n')
		}
		q := "COPY " + t.name + " (" + strings.Join(t.names(), ", ") + ") FROM STDIN"
		if err := d.copier(ctx, conn, q, bytes.NewReader(buf.Bytes())); err != nil {
			return err
		}
	}
	return nil
}

// appendCopyText writes v as COPY's text format reads a column: NULL as
// \N, and a backslash, tab, newline or carriage return inside a value
// escaped with a backslash. Values are rendered as textArg renders them
// for PostgreSQL.
func appendCopyText(buf *bytes.Buffer, v any) {
	var s string
	switch x := v.(type) {
	case nil:
		buf.WriteString(`\N`)
		return
	case string:
		s = x
	case int:
		buf.Write(strconv.AppendInt(buf.AvailableBuffer(), int64(x), 10))
		return
	case int64:
		buf.Write(strconv.AppendInt(buf.AvailableBuffer(), x, 10))
		return
	case bool:
		buf.Write(strconv.AppendBool(buf.AvailableBuffer(), x))
		return
	case time.Time:
		buf.Write(x.UTC().AppendFormat(buf.AvailableBuffer(), time.RFC3339Nano))
		return
	default:
		s = fmt.Sprint(x)
	}
	start := 0
	for i := 0; i < len(s); i++ {
		var esc byte
		switch s[i] {
		case '\\':
			esc = '\\'
		case '\t':
			esc = 't'
		case '\n':
			esc = 'n'
		case '\r':
			esc = 'r'
		default:
			continue
		}
		buf.WriteString(s[start:i])
		buf.WriteByte('\\')
		buf.WriteByte(esc)
		start = i + 1
	}
	buf.WriteString(s[start:])
}
