package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
)

// tableSet is a set of child tables, by name; nil stands for all of them.
type tableSet map[string]bool

func (s tableSet) has(t table) bool { return s == nil || s[t.name] }

// tablesOfField are the child tables that hold the fields under each top
// of a customer.Diff path ("phones" of "phones[2]", "info" of
// "info.spouse"). A path whose top is not here is a column of the
// customers row.
var tablesOfField = map[string][]table{
	"phones":              {tPhones},
	"emails":              {tEmails},
	"service_orders":      {tOrders},
	"addresses":           {tAddresses},
	"assets":              {tAssets},
	"personal_references": {tPersonal},
	"bank_references":     {tBanks},
	"cards":               {tCards},
	"contacts":            {tContacts, tContactTel},
	"info":                {tInfo},
}

// touchedTables returns the child tables whose rows can differ between
// the stored customer prev and rec's: those holding a field that changed,
// the search keys' table when the keys other than words differ, and the
// words' table when the words do (compared only when a field they are
// made of changed: customer.KeyPath). The fields that changed are those of
// rec.Change, which the Store made with customer.Changes from prev (see
// storage.Record.Stored), or else customer.Diff's. The store writes
// nothing when that diff is empty, so a field it missed would already be
// lost; the rows of the other tables are the stored ones.
//
// It also returns prev's search keys when it had to make them (nil
// otherwise), for replaceChildren.
func touchedTables(prev *customer.Customer, rec storage.Record) (tableSet, []customer.Key) {
	s := tableSet{}
	mark := func(p string) {
		if i := strings.IndexAny(p, "[."); i >= 0 {
			p = p[:i]
		}
		for _, t := range tablesOfField[p] {
			s[t.name] = true
		}
	}
	keys := rec.Change == nil
	if rec.Change != nil {
		for _, f := range rec.Change.Fields {
			mark(f.Path)
			keys = keys || customer.KeyPath(f.Path)
		}
	} else {
		for _, p := range customer.Diff(prev, rec.Customer) {
			mark(p)
		}
	}
	if !keys {
		// No field the keys are made of changed: neither have they.
		return s, nil
	}
	old := prev.SearchKeys()
	if !sameKeys(old, rec.Keys, true) {
		s[tWords.name] = true
	}
	if !sameKeys(old, rec.Keys, false) {
		s[tKeys.name] = true
	}
	return s, old
}

// sameKeys reports whether a and b hold the same word keys (words) or the
// same other keys (!words), in the same order.
func sameKeys(a, b []customer.Key, words bool) bool {
	next := func(ks []customer.Key, i int) int {
		for i < len(ks) && wordKey(ks[i].Field) != words {
			i++
		}
		return i
	}
	i, j := next(a, 0), next(b, 0)
	for i < len(a) && j < len(b) {
		if a[i] != b[j] {
			return false
		}
		i, j = next(a, i+1), next(b, j+1)
	}
	return i == len(a) && j == len(b)
}

// masked builds a statement per mask of sections when one is first
// needed, and keeps it.
type masked struct {
	made [attendance.AllSections + 1]atomic.Pointer[string]
}

func (m *masked) get(mask attendance.Section, build func(attendance.Section) string) string {
	if s := m.made[mask].Load(); s != nil {
		return *s
	}
	s := build(mask)
	m.made[mask].Store(&s)
	return s
}

// updateSets are the assignments of an update of the customers row, one
// argument each: every column but updateSkips, the activity as set.
func updateSets(activity string) []string {
	var sets []string
	for _, c := range tCustomers.names(updateSkips...) {
		if c == "activity" {
			sets = append(sets, activity)
			continue
		}
		sets = append(sets, c+" = ?")
	}
	return sets
}

// updateStatement is an update's write of the customers row: the row's
// values, with the sections of mask fresh as of the update (see
// freshSets), at the version expected. Its arguments are updateArgs'.
func (d *Driver) updateStatement(mask attendance.Section) string {
	return d.updates.get(mask, func(mask attendance.Section) string {
		q := "UPDATE customers SET " + strings.Join(append(updateSets("activity = ?"), freshSets(mask)...), ", ") +
			" WHERE tenant = ? AND id = ? AND version = ?"
		if d.dialect.returning {
			q += " RETURNING created_at, last_attendance_at"
		}
		return d.dialect.rebind(q)
	})
}

// updateArgs are the arguments of updateStatement(rec.Touched): the row's
// values but updateSkips, the freshness times, then the WHERE clause's.
func (d *Driver) updateArgs(rec storage.Record, expect int64) []any {
	row := d.customerRow(rec)
	var args []any
	for i, col := range tCustomers.cols {
		if !slices.Contains(updateSkips, col.name) {
			args = append(args, row[i])
		}
	}
	at := d.dialect.timeArg(rec.Customer.UpdatedAt)
	for range rec.Touched.Each() {
		args = append(args, at, at)
	}
	return append(args, rec.Tenant, rec.Customer.ID.String(), expect)
}

// rowStatement is a whole update, as one statement, of a customer whose
// change is all in the customers row (PostgreSQL, whose WITH holds
// writes): the row as updateStatement writes it, its activity the later
// of the update and the last attendance, at the version and creation time
// expected; then, fed by the row's RETURNING so that nothing is written
// when the row is not as expected, the words' activity, the change log's
// counter and the entry. It returns the creation time, the last
// attendance and the entry's number. Its arguments are updateArgs', the
// expected creation time, the tenant and ID for the words, the tenant for
// the counter, and the entry's row without its number.
func (d *Driver) rowStatement(mask attendance.Section) string {
	return d.rowUpdates.get(mask, func(mask attendance.Section) string {
		sets := append(updateSets("activity = GREATEST(?::bigint, (extract(epoch FROM last_attendance_at) * 1000000)::bigint)"), freshSets(mask)...)
		return d.dialect.rebind("WITH c AS (UPDATE customers SET " + strings.Join(sets, ", ") +
			" WHERE tenant = ? AND id = ? AND version = ? AND created_at = ?" +
			" RETURNING created_at, last_attendance_at, activity)" +
			", w AS (UPDATE word_keys SET activity = c.activity FROM c" +
			" WHERE word_keys.tenant = ? AND word_keys.customer_id = ? AND word_keys.activity < c.activity)" +
			logCTEs("c") + " SELECT c.created_at, c.last_attendance_at, s.last FROM c, s")
	})
}

// logCTEs are the WITH clauses that append a change-log entry when from
// (a clause c, or c with a condition) yields a row: s, the counter's
// upsert (its argument: the tenant), which returns the entry's number, and
// l, the entry (its arguments: the entry's row without its number, see
// logArgs).
func logCTEs(from string) string {
	return ", s AS (INSERT INTO change_seq (tenant, last) SELECT ?, 1 FROM " + from +
		" ON CONFLICT (tenant) DO UPDATE SET last = change_seq.last + excluded.last RETURNING last)" +
		", l AS (INSERT INTO changes (" + strings.Join(tChanges.names(), ", ") + ") SELECT " +
		strings.Join(castPlaceholders(tChanges, map[string]string{"seq": "s.last"}), ", ") + " FROM s)"
}

// logArgs are the arguments of logCTEs for ch.
func (d *Driver) logArgs(tenant string, ch *storage.Change) ([]any, error) {
	row, err := d.changeRow(tenant, ch)
	if err != nil {
		return nil, err
	}
	return append([]any{tenant, row[0]}, row[2:]...), nil // the number is the counter's
}

// castPlaceholders are a placeholder per column of t, each cast to the
// column's PostgreSQL type, but for the columns of given, whose
// expressions replace them.
func castPlaceholders(t table, given map[string]string) []string {
	var out []string
	for _, c := range t.cols {
		switch {
		case given[c.name] != "":
			out = append(out, given[c.name])
		case c.pg != "":
			out = append(out, "?::"+c.pg)
		default:
			out = append(out, "?::text")
		}
	}
	return out
}

// updateRow writes, with rowStatement in tx, an update of rec that
// changes nothing but the customers row. It reports false, having written
// nothing, when the stored row is not the one rec.Stored was read from
// (gone, at another version, or created again since): the general path
// then finds out which.
func (d *Driver) updateRow(ctx context.Context, tx *sql.Tx, rec storage.Record, expect int64) (time.Time, bool, error) {
	ch := rec.Change
	args := append(d.updateArgs(rec, expect), d.dialect.timeArg(rec.Stored.CreatedAt), rec.Tenant, rec.Customer.ID.String())
	entry, err := d.logArgs(rec.Tenant, ch)
	if err != nil {
		return time.Time{}, false, err
	}
	args = append(args, entry...)
	var ts, last timeValue
	var seq int64
	err = d.queryRow(ctx, tx, d.rowStatement(rec.Touched), args...).Scan(&ts, &last, &seq)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, err
	}
	ch.Seq = seq
	return ts.t, true, nil
}
