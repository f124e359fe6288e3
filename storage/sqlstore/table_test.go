package sqlstore

import (
	"database/sql"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite"
)

// TestTablesMatchMigrations checks that the table descriptions every
// statement is built from name exactly the columns the migrations create,
// so a column added to one and not the other fails here. It reads the
// SQLite schema; the conformance suite's field-by-field round trip catches
// a PostgreSQL or MySQL migration that disagrees.
func TestTablesMatchMigrations(t *testing.T) {
	db, err := sql.Open("sqlite", "file:"+t.TempDir()+"/schema.db?_pragma=foreign_keys(1)")
	require.NoError(t, err)
	d := New(db, SQLite, func(error) (Class, string) { return Other, "" })
	defer d.Close()
	require.NoError(t, d.Migrate(t.Context()))
	for _, tb := range append([]table{tCustomers, tChanges, tSeq, tAttend, tItems}, childTables...) {
		rows, err := db.QueryContext(t.Context(), "SELECT name FROM pragma_table_info(?)", tb.name)
		require.NoError(t, err)
		var got []string
		for rows.Next() {
			var name string
			require.NoError(t, rows.Scan(&name))
			got = append(got, name)
		}
		require.NoError(t, rows.Err())
		rows.Close()
		slices.Sort(got)
		want := slices.Sorted(slices.Values(append(tb.names(), tb.kept...)))
		assert.Equal(t, want, got, "table %s", tb.name)
	}
}
