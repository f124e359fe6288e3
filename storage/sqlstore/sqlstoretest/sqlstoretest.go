// Package sqlstoretest checks what every SQL dialect must do beyond the
// storage contract: migrations that are idempotent and safe to run from
// several processes at once, and a schema led by the tenant everywhere.
package sqlstoretest

import (
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/date"
	"github.com/fichacrm/ficha/dedupe"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/sqlstore"
	"github.com/fichacrm/ficha/storage/storagetest"
)

// Opener returns a new driver, on its own connection pool, over the same
// empty database each time it is called within one test.
type Opener func(t *testing.T) *sqlstore.Driver

// RunMigrations runs the migration checks: several drivers migrating the
// same empty database at once all succeed, and so does migrating again;
// the schema is then usable.
func RunMigrations(t *testing.T, open Opener) {
	const migrators = 4
	drivers := make([]*sqlstore.Driver, migrators)
	for i := range drivers {
		drivers[i] = open(t)
		t.Cleanup(func() { _ = drivers[i].Close() })
	}
	var wg sync.WaitGroup
	errs := make([]error, migrators)
	for i, d := range drivers {
		wg.Go(func() { errs[i] = d.Migrate(t.Context()) })
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err, "concurrent migrators")
	}
	require.NoError(t, drivers[0].Migrate(t.Context()), "migrating again is a no-op")

	var applied int
	require.NoError(t, drivers[0].DB().QueryRowContext(t.Context(), "SELECT COUNT(*) FROM ficha_migrations").Scan(&applied))
	require.Positive(t, applied)
	var distinct int
	require.NoError(t, drivers[0].DB().QueryRowContext(t.Context(), "SELECT COUNT(DISTINCT version) FROM ficha_migrations").Scan(&distinct))
	require.Equal(t, applied, distinct, "each migration is recorded once")

	require.NoError(t, drivers[0].Analyze(t.Context()), "statistics can be refreshed")

	s := storage.New(drivers[1], nil)
	c, err := s.Create(t.Context(), "migrated", storagetest.Individual(1))
	require.NoError(t, err)
	got, err := s.Get(t.Context(), "migrated", c.ID)
	require.NoError(t, err)
	require.Equal(t, c.ID, got.ID)
}

// RunOlderWriter checks a search over word rows that a release before
// word_keys.words wrote, as one still running beside this one while a
// schema change rolls out would: the column at its default, empty. Such a
// customer is found by its words, from its customers row, and once.
// open must return a driver over an empty database.
func RunOlderWriter(t *testing.T, open Opener) {
	ctx := t.Context()
	d := open(t)
	t.Cleanup(func() { _ = d.Close() })
	require.NoError(t, d.Migrate(ctx))
	s := storage.New(d, nil)
	const tenant = "older"
	var ids []uuid.UUID
	for i, name := range []string{"Maria Silva Prado", "Mariana Silva Prado", "Maria Silveira Lima"} {
		c := storagetest.Individual(i + 1)
		c.Name, c.Employer = name, ""
		c, err := s.Create(ctx, tenant, c)
		require.NoError(t, err)
		ids = append(ids, c.ID)
	}
	// The first two as the older release left them.
	for _, id := range ids[:2] {
		_, err := d.DB().ExecContext(ctx, rebind(d, "UPDATE word_keys SET words = '' WHERE tenant = ? AND customer_id = ?"), tenant, id.String())
		require.NoError(t, err)
	}
	for _, c := range []struct {
		q    string
		want []uuid.UUID
	}{
		{"maria", []uuid.UUID{ids[2], ids[0], ids[1]}}, // whole words first, then the newest
		{"maria silva", []uuid.UUID{ids[0], ids[1]}},
		{"mari silv", []uuid.UUID{ids[2], ids[1], ids[0]}},
		{"silva prado", []uuid.UUID{ids[1], ids[0]}},
		{"prado mariana", []uuid.UUID{ids[1]}},
		{"maria lima", []uuid.UUID{ids[2]}},
	} {
		assert.Equal(t, c.want, storagetest.SearchAll(t, s, tenant, customer.Query{Name: c.q}, 2), c.q)
	}
}

// RunUpgrade checks the upgrade of a database written under the first
// schema, where customer IDs were unique across tenants: the customer and
// every sub-record survive the migrations and read back whole, it is found
// and updated and deleted as before, and afterwards another tenant may
// hold the same ID. open must return a driver over an empty database.
func RunUpgrade(t *testing.T, open Opener) {
	ctx := t.Context()
	d := open(t)
	t.Cleanup(func() { _ = d.Close() })
	require.NoError(t, d.MigrateTo(ctx, 1))

	const tenant = "upgrade"
	id := customer.NewID()
	created := time.Date(2026, 3, 4, 5, 6, 7, 891011000, time.UTC)
	var ts any = created
	if d.Dialect().Name() == "sqlite" {
		ts = created.Format("2006-01-02T15:04:05.000000Z")
	}
	rows := []struct {
		q    string
		args []any
	}{
		{"INSERT INTO customers (id, tenant, kind, status, version, name, trade_name, tax_id, employer, birth_date, notes, dms_code, created_at, updated_at) " +
			"VALUES (?, ?, 'individual', 'customer', 3, 'Ana Souza', '', '24843803480', '', '1980-02-29', 'nota', 'C-1', ?, ?)",
			[]any{id.String(), tenant, ts, ts}},
		{"INSERT INTO customer_phones (customer_id, position, phone) VALUES (?, 0, '+5511987654321')", []any{id.String()}},
		{"INSERT INTO contacts (customer_id, position, name, role, email, fleet_manager) VALUES (?, 0, 'Pedro', 'Motorista', NULL, ?)", []any{id.String(), false}},
		{"INSERT INTO contact_phones (customer_id, contact_position, position, phone) VALUES (?, 0, 0, '+5511912345678')", []any{id.String()}},
		{"INSERT INTO customer_info (customer_id, info_key, info_value) VALUES (?, 'spouse_name', 'Carlos')", []any{id.String()}},
		{"INSERT INTO search_keys (tenant, field, value, customer_id) VALUES (?, 'name', 'ana', ?)", []any{tenant, id.String()}},
		{"INSERT INTO search_keys (tenant, field, value, customer_id) VALUES (?, 'name', 'souza', ?)", []any{tenant, id.String()}},
		{"INSERT INTO search_keys (tenant, field, value, customer_id) VALUES (?, 'tax_id', '24843803480', ?)", []any{tenant, id.String()}},
	}
	for _, r := range rows {
		_, err := d.DB().ExecContext(ctx, rebind(d, r.q), r.args...)
		require.NoError(t, err, r.q)
	}
	// A change-log entry as schema 7 wrote it, before entries named an
	// attendance or agenda item; and, in the freshness table of those
	// days (schema 5 filled it from updated_at), a later confirmation of
	// the phones.
	require.NoError(t, d.MigrateTo(ctx, 7))
	phonesAt := created.Add(72 * time.Hour)
	var phonesTS any = phonesAt
	if d.Dialect().Name() == "sqlite" {
		phonesTS = phonesAt.Format("2006-01-02T15:04:05.000000Z")
	}
	_, err := d.DB().ExecContext(ctx, rebind(d, "UPDATE freshness SET at = ? WHERE tenant = ? AND customer_id = ? AND section = 'phones'"),
		phonesTS, tenant, id.String())
	require.NoError(t, err)
	for _, q := range []string{
		"INSERT INTO changes (tenant, seq, customer_id, changed_at, op, version, actor_id, actor_name, actor_app, request_id, fields) " +
			"VALUES (?, 1, ?, ?, 'update', 3, 'att-1', 'Carla', 'desk', '', '[{\"path\":\"notes\",\"new\":\"nota\"}]')",
		"INSERT INTO change_seq (tenant, last) VALUES (?, 1)",
	} {
		args := []any{tenant}
		if strings.Contains(q, "customer_id") {
			args = append(args, id.String(), ts)
		}
		_, err := d.DB().ExecContext(ctx, rebind(d, q), args...)
		require.NoError(t, err, q)
	}

	require.NoError(t, d.Migrate(ctx))
	s := storage.New(d, nil)
	// The freshness moved to the customers row, each section's own time.
	fresh, err := s.Freshness(ctx, tenant, id)
	require.NoError(t, err)
	require.Len(t, fresh, len(attendance.AllSections.Each()), "every section keeps its time")
	assert.True(t, fresh[attendance.Phones].Equal(phonesAt), "%v", fresh[attendance.Phones])
	assert.True(t, fresh[attendance.Profile].Equal(created), "%v", fresh[attendance.Profile])
	cutoff := created.Add(time.Hour)
	stale, err := s.Stale(ctx, tenant, attendance.Profile, cutoff, 0, "")
	require.NoError(t, err)
	require.Len(t, stale.Items, 1, "the profile is stale as of the cutoff")
	assert.Equal(t, id, stale.Items[0].ID)
	stale, err = s.Stale(ctx, tenant, attendance.Phones, cutoff, 0, "")
	require.NoError(t, err)
	assert.Empty(t, stale.Items, "the phones were confirmed after the cutoff")
	hist, err := s.History(ctx, tenant, id, 0, 0)
	require.NoError(t, err)
	require.Len(t, hist, 1, "the change log survives the migrations")
	assert.Equal(t, storage.OpUpdate, hist[0].Op)
	assert.Equal(t, "Carla", hist[0].Actor.Name)
	assert.Equal(t, uuid.Nil, hist[0].Item)
	assert.JSONEq(t, `"nota"`, string(hist[0].Fields[0].New))
	att, err := s.Attend(ctx, tenant, &attendance.Attendance{CustomerID: id, Channel: attendance.Phone, Reason: attendance.Sales})
	require.NoError(t, err)
	hist, err = s.History(ctx, tenant, id, 0, 0)
	require.NoError(t, err)
	require.Len(t, hist, 2)
	assert.Equal(t, int64(2), hist[0].Seq, "numbering goes on")
	assert.Equal(t, att.ID, hist[0].Item)
	got, err := s.Get(ctx, tenant, id)
	require.NoError(t, err)
	assert.Equal(t, "Ana Souza", got.Name)
	assert.Equal(t, int64(3), got.Version)
	assert.True(t, got.CreatedAt.Equal(created), "%v", got.CreatedAt)
	assert.Equal(t, "1980-02-29", got.BirthDate.String())
	require.Len(t, got.Phones, 1)
	assert.Equal(t, "+5511987654321", got.Phones[0].String())
	require.Len(t, got.Contacts, 1)
	require.Len(t, got.Contacts[0].Phones, 1)
	assert.Equal(t, "+5511912345678", got.Contacts[0].Phones[0].String())
	assert.Equal(t, map[string]string{"spouse_name": "Carlos"}, got.Info)

	p, err := s.Search(ctx, tenant, customer.Query{Name: "an", TaxID: "248.438.034-80"}, nil)
	require.NoError(t, err)
	require.Len(t, p.Hits, 1)
	assert.Equal(t, id, p.Hits[0].ID)
	// The words moved from search_keys to word_keys, at the customer's
	// activity: a search by the name alone finds the record.
	words, err := s.Search(ctx, tenant, customer.Query{Name: "ana"}, nil)
	require.NoError(t, err)
	require.Len(t, words.Hits, 1)
	assert.Equal(t, []customer.Key{{Field: customer.FieldName, Value: "ana"}}, words.Hits[0].Matched)
	// Each word's row carries the customer's other words: a search by two
	// of them, driven by either, finds the record.
	for _, q := range []string{"ana sou", "souza an"} {
		both, err := s.Search(ctx, tenant, customer.Query{Name: q}, nil)
		require.NoError(t, err)
		require.Len(t, both.Hits, 1, q)
		assert.Equal(t, id, both.Hits[0].ID)
	}
	var left int
	require.NoError(t, d.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM search_keys WHERE field = 'name'").Scan(&left))
	assert.Zero(t, left, "search_keys holds no words")
	sum := storage.SummaryOf(got)
	hit := p.Hits[0].Summary
	assert.Equal(t, sum.Phone, hit.Phone, "the summary of a customer stored before lists existed is filled in")
	assert.True(t, sum.UpdatedAt.Equal(hit.UpdatedAt))
	list, err := s.List(ctx, tenant, &storage.ListOptions{Order: storage.ByName})
	require.NoError(t, err)
	require.Len(t, list.Items, 1, "the migration gave it a sort name")
	assert.Equal(t, id, list.Items[0].ID)

	// The match keys of duplicate detection were back-filled: the same
	// name with the same birth date, and the phone typed under another
	// DDD, find the record.
	look, err := s.LooksLike(ctx, tenant, &customer.Customer{Kind: customer.Individual, Name: "ANA SOUZA",
		BirthDate: date.MustNew(1980, time.February, 29)}, nil)
	require.NoError(t, err)
	require.Len(t, look, 1)
	assert.Equal(t, id, look[0].ID)
	assert.Contains(t, look[0].Match.Reasons, dedupe.SameBirthDate)
	look, err = s.LooksLike(ctx, tenant, &customer.Customer{Kind: customer.Individual, Name: "Ana Souza",
		Phones: []contact.Phone{contact.MustParsePhone("(21) 98765-4321")}}, nil)
	require.NoError(t, err)
	require.Len(t, look, 1)
	assert.Contains(t, look[0].Match.Reasons, dedupe.SamePhoneTail)

	u := got.Clone()
	u.Notes = "depois da migração"
	u.Contacts[0].Phones = append(u.Contacts[0].Phones, contact.MustParsePhone("(11) 3030-4040"))
	updated, err := s.Update(ctx, tenant, u)
	require.NoError(t, err)

	// Another tenant may now hold the same ID; each sees its own.
	other := storagetest.Individual(1)
	other.ID = id
	_, err = s.Create(ctx, "upgrade-other", other)
	require.NoError(t, err)
	mine, err := s.Get(ctx, tenant, id)
	require.NoError(t, err)
	assert.Equal(t, "depois da migração", mine.Notes)
	require.NoError(t, s.Delete(ctx, tenant, id, updated.Version))
	theirs, err := s.Get(ctx, "upgrade-other", id)
	require.NoError(t, err, "deleting one tenant's customer leaves the other's")
	assert.Equal(t, other.Name, theirs.Name)
	require.NoError(t, d.DB().QueryRowContext(ctx, rebind(d, "SELECT COUNT(*) FROM contact_phones WHERE tenant = ?"), tenant).Scan(&left))
	assert.Zero(t, left, "the delete cascaded through the new keys")

	// The upgraded schema leads with the tenant everywhere, as a new one
	// does.
	checkTenantFirst(t, d)
}

// rebind writes ? placeholders as PostgreSQL's $1, $2...
func rebind(d *sqlstore.Driver, q string) string {
	if d.Dialect().Name() != "postgres" {
		return q
	}
	var b strings.Builder
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// RunForeignTable checks that migrating a schema that already holds a
// host's own table named customers, and no record of Ficha's migrations,
// fails with [sqlstore.ErrForeignTable] and leaves the host's table as it
// was. open must return a driver over an empty database.
func RunForeignTable(t *testing.T, open Opener) {
	ctx := t.Context()
	d := open(t)
	t.Cleanup(func() { _ = d.Close() })
	_, err := d.DB().ExecContext(ctx, "CREATE TABLE customers (code INTEGER NOT NULL PRIMARY KEY, label VARCHAR(40) NOT NULL)")
	require.NoError(t, err)
	_, err = d.DB().ExecContext(ctx, "INSERT INTO customers (code, label) VALUES (1, 'host row')")
	require.NoError(t, err)

	err = d.Migrate(ctx)
	require.ErrorIs(t, err, sqlstore.ErrForeignTable)
	var label string
	require.NoError(t, d.DB().QueryRowContext(ctx, "SELECT label FROM customers WHERE code = 1").Scan(&label))
	assert.Equal(t, "host row", label, "the host's table is untouched")
	err = d.Migrate(ctx)
	require.ErrorIs(t, err, sqlstore.ErrForeignTable, "and stays refused on the next try")
}

// RunTenantFirst checks that the migrated schema can be partitioned or
// distributed by tenant: every one of Ficha's tables has a tenant column,
// and every index (primary keys and unique constraints included) and
// every foreign key, on both its sides, leads with it. ficha_migrations,
// the record of the schema itself, is the one table without a tenant.
// open must return a driver over an empty database.
func RunTenantFirst(t *testing.T, open Opener) {
	d := open(t)
	t.Cleanup(func() { _ = d.Close() })
	require.NoError(t, d.Migrate(t.Context()))
	checkTenantFirst(t, d)
}

// checkTenantFirst checks that every table of d's schema but
// ficha_migrations is led by its tenant (see RunTenantFirst).
func checkTenantFirst(t *testing.T, d *sqlstore.Driver) {
	t.Helper()
	ctx := t.Context()
	db := d.DB()
	// Each query returns (table, what, first column): what is an index or
	// a foreign key's side; a table's tenant column shows as its "column".
	var queries []string
	switch d.Dialect().Name() {
	case "postgres":
		queries = []string{
			`SELECT c.relname, 'index ' || i.relname, a.attname FROM pg_index x
				JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
				JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = x.indkey[0]
				WHERE c.relnamespace = current_schema()::regnamespace`,
			`SELECT t.relname, 'foreign key ' || con.conname, a.attname FROM pg_constraint con
				JOIN pg_class t ON t.oid = con.conrelid JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = con.conkey[1]
				WHERE con.contype = 'f' AND t.relnamespace = current_schema()::regnamespace`,
			`SELECT t.relname, 'foreign key ' || con.conname || ' references', a.attname FROM pg_constraint con
				JOIN pg_class t ON t.oid = con.conrelid JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = con.confkey[1]
				WHERE con.contype = 'f' AND t.relnamespace = current_schema()::regnamespace`,
			`SELECT c.relname, 'column', COALESCE(MAX(a.attname) FILTER (WHERE a.attname = 'tenant'), 'none') FROM pg_class c
				LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
				WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace GROUP BY c.relname`,
		}
	case "mysql":
		queries = []string{
			`SELECT table_name, CONCAT('index ', index_name), column_name FROM information_schema.statistics
				WHERE table_schema = DATABASE() AND seq_in_index = 1`,
			`SELECT table_name, CONCAT('foreign key ', constraint_name), column_name FROM information_schema.key_column_usage
				WHERE table_schema = DATABASE() AND referenced_table_name IS NOT NULL AND ordinal_position = 1`,
			`SELECT table_name, CONCAT('foreign key ', constraint_name, ' references'), referenced_column_name FROM information_schema.key_column_usage
				WHERE table_schema = DATABASE() AND referenced_table_name IS NOT NULL AND ordinal_position = 1`,
			`SELECT t.table_name, 'column', COALESCE(MAX(c.column_name), 'none') FROM information_schema.tables t
				LEFT JOIN information_schema.columns c ON c.table_schema = t.table_schema AND c.table_name = t.table_name AND c.column_name = 'tenant'
				WHERE t.table_schema = DATABASE() AND t.table_type = 'BASE TABLE' GROUP BY t.table_name`,
		}
	case "sqlite":
		tables := "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
		queries = []string{
			`SELECT t.name, 'index ' || l.name, i.name FROM (` + tables + `) t, pragma_index_list(t.name) l, pragma_index_info(l.name) i
				WHERE i.seqno = 0`,
			`SELECT t.name, 'foreign key ' || f.id, f."from" FROM (` + tables + `) t, pragma_foreign_key_list(t.name) f WHERE f.seq = 0`,
			`SELECT t.name, 'foreign key ' || f.id || ' references', f."to" FROM (` + tables + `) t, pragma_foreign_key_list(t.name) f WHERE f.seq = 0`,
			`SELECT t.name, 'column', COALESCE(MAX(c.name), 'none') FROM (` + tables + `) t
				LEFT JOIN pragma_table_info(t.name) c ON c.name = 'tenant' GROUP BY t.name`,
		}
	default:
		t.Fatalf("no catalog queries for dialect %s", d.Dialect().Name())
	}
	seen := map[string]int{}
	var notLed []string
	for _, q := range queries {
		rows, err := db.QueryContext(ctx, q)
		require.NoError(t, err, q)
		for rows.Next() {
			var table, what, first string
			require.NoError(t, rows.Scan(&table, &what, &first))
			if strings.EqualFold(table, "ficha_migrations") {
				continue
			}
			seen[strings.Fields(what)[0]]++
			if !strings.EqualFold(first, "tenant") {
				notLed = append(notLed, table+" "+what+" leads with "+first)
			}
		}
		require.NoError(t, rows.Err())
		rows.Close()
	}
	assert.Empty(t, notLed, "every table, index and foreign key leads with the tenant")
	// The catalog queries found what there is: the schema has dozens of
	// tables, indexes and foreign keys.
	assert.Greater(t, seen["column"], 20)
	assert.Greater(t, seen["index"], 30)
	assert.Greater(t, seen["foreign"], 20)
}

// tableSQL returns, on SQLite, the definition of each of Ficha's tables by
// name (nil on the other dialects).
func tableSQL(t *testing.T, d *sqlstore.Driver) map[string]string {
	t.Helper()
	if d.Dialect().Name() != sqlstore.SQLite.Name() {
		return nil
	}
	rows, err := d.DB().QueryContext(t.Context(), "SELECT name, sql FROM sqlite_master WHERE type = 'table'")
	require.NoError(t, err)
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var name, def string
		require.NoError(t, rows.Scan(&name, &def))
		if name != "ficha_load_indexes" { // the load's own table
			out[name] = def
		}
	}
	require.NoError(t, rows.Err())
	return out
}

// indexNames returns the names of the indexes of Ficha's schema, sorted.
func indexNames(t *testing.T, d *sqlstore.Driver) []string {
	t.Helper()
	var q string
	switch d.Dialect().Name() {
	case sqlstore.Postgres.Name():
		q = "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname"
	case sqlstore.MySQL.Name():
		q = "SELECT DISTINCT CONCAT(table_name, '.', index_name) FROM information_schema.statistics WHERE table_schema = DATABASE() ORDER BY 1"
	default:
		q = "SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name"
	}
	rows, err := d.DB().QueryContext(t.Context(), q)
	require.NoError(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		require.NoError(t, rows.Scan(&n))
		if !strings.Contains(n, "ficha_load_indexes") { // the load's own table
			out = append(out, n)
		}
	}
	require.NoError(t, rows.Err())
	return out
}

// RunSetAside checks what an initial load does to the schema: on an empty
// database BeginLoad drops secondary indexes (the dialects that can: all
// but MySQL/MariaDB) and EndLoad builds exactly them again; a load whose
// process died before EndLoad leaves them to the next Migrate, which
// builds them; once a customer is stored, BeginLoad changes nothing.
func RunSetAside(t *testing.T, open Opener) {
	d := open(t)
	t.Cleanup(func() { _ = d.Close() })
	require.NoError(t, d.Migrate(t.Context()))
	all := indexNames(t, d)
	tables := tableSQL(t, d)
	dropped, err := d.BeginLoad(t.Context())
	require.NoError(t, err)
	if d.Dialect().Name() == sqlstore.MySQL.Name() {
		assert.False(t, dropped)
		assert.Equal(t, all, indexNames(t, d))
		return
	}
	require.True(t, dropped, "an empty database sets indexes aside")
	// A second load (another tenant's, or a host's BeginLoad before Load)
	// finds them set aside already.
	dropped, err = d.BeginLoad(t.Context())
	require.NoError(t, err, "BeginLoad while a load has set the indexes aside")
	assert.True(t, dropped)
	during := indexNames(t, d)
	assert.Less(t, len(during), len(all), "secondary indexes are dropped")
	assert.Subset(t, all, during)
	sqlite := d.Dialect().Name() == sqlstore.SQLite.Name()
	for _, table := range []string{"search_keys", "word_keys"} {
		q := "SELECT COUNT(*) FROM pragma_table_info(?) WHERE pk > 0"
		if !sqlite {
			q = "SELECT COUNT(*) FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace " +
				"WHERE n.nspname = current_schema() AND t.relname = $1 AND c.contype = 'p'"
		}
		var n int
		require.NoError(t, d.DB().QueryRowContext(t.Context(), q, table).Scan(&n))
		assert.Zero(t, n, "%s is written without its primary key during the load", table)
	}
	// A customer stored during the load, then the process dies: another
	// one opens and migrates the database.
	s := storage.New(d, nil)
	c, err := s.Create(t.Context(), "set-aside", storagetest.Individual(1))
	require.NoError(t, err, "writes work while indexes are set aside")
	gone, err := s.Create(t.Context(), "set-aside", storagetest.Individual(2))
	require.NoError(t, err)
	require.NoError(t, s.Delete(t.Context(), "set-aside", gone.ID, gone.Version), "deletes too")
	// Nothing Ficha writes puts a key row there twice, but without the key
	// nothing refuses it: the key is built all the same.
	_, err = d.DB().ExecContext(t.Context(), rebind(d, "INSERT INTO search_keys SELECT * FROM search_keys WHERE customer_id = ? AND field = 'tax_id'"), c.ID.String())
	require.NoError(t, err)
	for _, table := range []string{"search_keys", "word_keys"} {
		var n int
		require.NoError(t, d.DB().QueryRowContext(t.Context(), rebind(d, "SELECT COUNT(*) FROM "+table+" WHERE customer_id = ?"), gone.ID.String()).Scan(&n))
		assert.Zero(t, n, "a deletion during the load takes its customer's rows of %s", table)
	}
	other := open(t)
	t.Cleanup(func() { _ = other.Close() })
	require.NoError(t, other.Migrate(t.Context()))
	assert.Equal(t, all, indexNames(t, other), "Migrate builds what a dead load set aside")
	if sqlite {
		assert.Equal(t, tables, tableSQL(t, other), "the key tables are as the migrations made them")
	}
	for _, q := range []customer.Query{{TaxID: c.TaxID.String()}, {Name: c.Name}} {
		p, err := s.Search(t.Context(), "set-aside", q, nil)
		require.NoError(t, err)
		require.Len(t, p.Hits, 1, "the customer stored during the load is found by its keys and words")
		assert.Equal(t, c.ID, p.Hits[0].ID)
	}
	require.NoError(t, s.Delete(t.Context(), "set-aside", c.ID, c.Version))
	require.NoError(t, d.EndLoad(t.Context()), "a load's end after Migrate built them")
	assert.Equal(t, all, indexNames(t, d))

	// A load's end and another process's Migrate at once: each builds
	// what the other has not, and neither fails.
	for round := range 4 {
		dropped, err = d.BeginLoad(t.Context())
		require.NoError(t, err)
		require.True(t, dropped)
		c, err := s.Create(t.Context(), "set-aside", storagetest.Individual(10+round))
		require.NoError(t, err)
		var wg sync.WaitGroup
		var endErr, migrateErr error
		wg.Go(func() { endErr = d.EndLoad(t.Context()) })
		wg.Go(func() { migrateErr = other.Migrate(t.Context()) })
		wg.Wait()
		require.NoError(t, endErr, "EndLoad beside a Migrate")
		require.NoError(t, migrateErr, "Migrate beside an EndLoad")
		assert.Equal(t, all, indexNames(t, d))
		require.NoError(t, s.Delete(t.Context(), "set-aside", c.ID, c.Version))
	}

	dropped, err = d.BeginLoad(t.Context())
	require.NoError(t, err)
	require.True(t, dropped)
	_, err = s.Create(t.Context(), "set-aside", storagetest.Individual(1))
	require.NoError(t, err, "writes work while indexes are set aside")
	require.NoError(t, d.EndLoad(t.Context()))
	assert.Equal(t, all, indexNames(t, d), "EndLoad builds every index again")
	assert.Equal(t, tables, tableSQL(t, d), "EndLoad rebuilds the tables it changed as they were")
	dropped, err = d.BeginLoad(t.Context())
	require.NoError(t, err)
	assert.False(t, dropped, "a database with customers keeps its indexes")
	assert.Equal(t, all, indexNames(t, d))
	p, err := s.Search(t.Context(), "set-aside", customer.Query{Name: storagetest.Individual(1).Name}, nil)
	require.NoError(t, err)
	assert.Len(t, p.Hits, 1)
}
