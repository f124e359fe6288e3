package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
)

var tRedirects = newTable("redirects", "tenant", "id uuid", "target uuid", "merged_at timestamptz")

// Merge implements [storage.Driver]. The absorbed record's dependants move
// first, while both records exist; then it is deleted (its CPF/CNPJ is
// free for the survivor to take) and the survivor replaced. Each step that
// touches no row stops the transaction, which rolls every step back.
func (d *Driver) Merge(ctx context.Context, m *storage.Merging) error {
	rec := m.Record
	tenant, into, from := rec.Tenant, rec.Customer.ID.String(), m.From.String()
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		exec := func(q string, args ...any) error {
			_, err := d.exec(ctx, tx, d.dialect.rebind(q), args...)
			return err
		}
		// Both must be there, at the versions the store read, before
		// anything moves; and locked, so that a write to either (an
		// attendance, a consent) waits for the merge instead of slipping
		// in between the move and the delete. SQLite has one writer at a
		// time already. The lower ID first, so that two merges of the
		// same pair cannot deadlock.
		pair := [...]struct {
			id     string
			expect int64
		}{{into, m.Expect}, {from, m.FromExpect}}
		if pair[1].id < pair[0].id {
			pair[0], pair[1] = pair[1], pair[0]
		}
		lock := d.q.version
		if d.dialect.name != "sqlite" {
			lock += " FOR UPDATE"
		} else if err := exec("UPDATE customers SET version = version WHERE tenant = ? AND id = ?", tenant, into); err != nil {
			// SQLite: a write first, so that the transaction holds the
			// database's write lock before it reads (a deferred one that
			// reads first may be refused the lock later).
			return err
		}
		for _, c := range pair {
			var v int64
			err := d.queryRow(ctx, tx, lock, tenant, c.id).Scan(&v)
			if errors.Is(err, sql.ErrNoRows) {
				return storage.ErrNotFound
			}
			if err != nil {
				return err
			}
			if v != c.expect {
				return storage.ErrConflict
			}
		}
		for _, q := range []string{
			"UPDATE attendances SET customer_id = ? WHERE tenant = ? AND customer_id = ?",
			"UPDATE agenda_items SET customer_id = ? WHERE tenant = ? AND customer_id = ?",
			"UPDATE consent_entries SET customer_id = ? WHERE tenant = ? AND customer_id = ?",
			"UPDATE data_requests SET customer_id = ? WHERE tenant = ? AND customer_id = ?",
			"UPDATE redirects SET target = ? WHERE tenant = ? AND target = ?",
		} {
			if err := exec(q, into, tenant, from); err != nil {
				return err
			}
		}
		if err := d.mergeFreshness(ctx, tx, tenant, into, from); err != nil {
			return err
		}
		res, err := d.exec(ctx, tx, d.q.deleteCustomer, tenant, from, m.FromExpect)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return storage.ErrConflict
		}
		if err := d.restand(ctx, tx, tenant, rec.Customer.ID); err != nil {
			return err
		}
		b := newBatch()
		b.add(tRedirects, tenant, from, into, d.dialect.timeArg(rec.Customer.UpdatedAt))
		if err := d.flush(ctx, tx, b); err != nil {
			return err
		}
		// The change log last: replace appends the survivor's entry.
		if _, err := d.replace(ctx, tx, rec, m.Expect, nil); err != nil {
			return err
		}
		return d.appendChanges(ctx, tx, tenant, changeList(m.FromChange))
	})
	if err != nil {
		return d.explainUnique(ctx, rec, false, err)
	}
	return nil
}

// mergeFreshness makes each section of into as fresh as the fresher of
// the two records, and its last attendance the later of theirs.
func (d *Driver) mergeFreshness(ctx context.Context, tx *sql.Tx, tenant, into, from string) error {
	theirs, err := d.freshness(ctx, tx, tenant, from)
	if err != nil {
		return err
	}
	if err := d.touchTimes(ctx, tx, tenant, into, theirs); err != nil {
		return err
	}
	var last timeValue
	err = d.queryRow(ctx, tx, d.dialect.rebind("SELECT last_attendance_at FROM customers WHERE tenant = ? AND id = ?"), tenant, from).Scan(&last)
	if err != nil || last.t.IsZero() {
		return err
	}
	if _, err = d.exec(ctx, tx, d.q.lastAttendance, d.dialect.timeArg(last.t), tenant, into, d.dialect.timeArg(last.t)); err != nil {
		return err
	}
	return d.raiseActivity(ctx, tx, tenant, into, last.t)
}

// restand replaces a customer's standing consent states with those its
// ledger makes.
func (d *Driver) restand(ctx context.Context, tx *sql.Tx, tenant string, id uuid.UUID) error {
	ledger, err := d.consents(ctx, tx, tenant, id)
	if err != nil {
		return err
	}
	if _, err := d.exec(ctx, tx, d.dialect.rebind("DELETE FROM consent_state WHERE tenant = ? AND customer_id = ?"), tenant, id.String()); err != nil {
		return err
	}
	b := newBatch()
	for _, st := range storage.Standing(ledger) {
		b.add(tConsentState, tenant, id.String(), st.Contact, st.Channel.String(), string(st.Purpose), st.State.String(),
			st.Basis.String(), d.dialect.timeArg(st.Since), st.Entry.String())
	}
	return d.flush(ctx, tx, b)
}

// Redirect implements [storage.Driver].
func (d *Driver) Redirect(ctx context.Context, tenant string, id uuid.UUID) (storage.Redirect, error) {
	r := storage.Redirect{From: id}
	var at timeValue
	err := d.queryRow(ctx, nil, d.dialect.rebind("SELECT target, merged_at FROM redirects WHERE tenant = ? AND id = ?"), tenant, id.String()).
		Scan(&r.To, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return storage.Redirect{}, storage.ErrNotFound
	}
	if err != nil {
		return storage.Redirect{}, d.fail(ctx, err)
	}
	r.At = at.t
	return r, nil
}

// Redirects implements [storage.Driver]: one statement.
func (d *Driver) Redirects(ctx context.Context, tenant string, ids []uuid.UUID) (map[uuid.UUID]uuid.UUID, error) {
	out := map[uuid.UUID]uuid.UUID{}
	if len(ids) == 0 {
		return out, nil
	}
	q, args := d.inList("SELECT id, target FROM redirects WHERE tenant = ? AND id", uuidArgs(ids), "uuid")
	rows, err := d.query(ctx, nil, q, append([]any{tenant}, args...)...)
	if err != nil {
		return nil, d.fail(ctx, err)
	}
	defer rows.Close()
	for rows.Next() {
		var from, to uuid.UUID
		if err := rows.Scan(&from, &to); err != nil {
			return nil, d.fail(ctx, err)
		}
		out[from] = to
	}
	return out, d.fail(ctx, rows.Err())
}

// Merged implements [storage.Driver]. Redirects always name the final
// survivor (a merge repoints those to the record it absorbs), so one
// look-up finds every record merged into id.
func (d *Driver) Merged(ctx context.Context, tenant string, id uuid.UUID) ([]uuid.UUID, error) {
	rows, err := d.query(ctx, nil, d.dialect.rebind("SELECT id FROM redirects WHERE tenant = ? AND target = ?"), tenant, id.String())
	if err != nil {
		return nil, d.fail(ctx, err)
	}
	defer rows.Close()
	var out []uuid.UUID
	for rows.Next() {
		var from uuid.UUID
		if err := rows.Scan(&from); err != nil {
			return nil, d.fail(ctx, err)
		}
		out = append(out, from)
	}
	return out, d.fail(ctx, rows.Err())
}

// Customers implements [storage.Driver]: one read-only transaction, one
// statement per table.
func (d *Driver) Customers(ctx context.Context, tenant string, ids []uuid.UUID) (map[uuid.UUID]*customer.Customer, error) {
	d.warm(ctx)
	tx, err := d.db.BeginTx(ctx, d.dialect.readTx)
	if err != nil {
		return nil, d.fail(ctx, err)
	}
	defer func() { _ = tx.Rollback() }()
	m, err := d.loadMany(ctx, tx, tenant, ids)
	if err != nil {
		return nil, d.fail(ctx, err)
	}
	return m, d.fail(ctx, tx.Commit())
}

// Holders implements [storage.Driver]: one statement per holdersChunk
// keys, each key a limited range of the search keys' primary key.
func (d *Driver) Holders(ctx context.Context, tenant string, keys []customer.Key, limit int) ([]storage.Holder, error) {
	var out []storage.Holder
	for len(keys) > 0 {
		n := min(len(keys), holdersChunk)
		hs, err := d.holders(ctx, tenant, keys[:n], limit)
		if err != nil {
			return nil, d.fail(ctx, err)
		}
		out = append(out, hs...)
		keys = keys[n:]
	}
	return out, nil
}

// holdersChunk is how many keys one statement of Holders looks up: SQLite
// allows 500 terms in a compound SELECT.
const holdersChunk = 200

func (d *Driver) holders(ctx context.Context, tenant string, keys []customer.Key, limit int) ([]storage.Holder, error) {
	var b strings.Builder
	args := make([]any, 0, 3*len(keys))
	for i, k := range keys {
		if i > 0 {
			b.WriteString(" UNION ALL ")
		}
		b.WriteString("SELECT field, value, customer_id FROM (SELECT field, value, customer_id FROM search_keys " +
			"WHERE tenant = ? AND field = ? AND value = ? ORDER BY customer_id LIMIT " + strconv.Itoa(limit+1) + ") h" + strconv.Itoa(i))
		args = append(args, tenant, k.Field.String(), k.Value)
	}
	rows, err := d.query(ctx, nil, d.dialect.rebind(b.String()), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []storage.Holder
	for rows.Next() {
		var field, value string
		var id uuid.UUID
		if err := rows.Scan(&field, &value, &id); err != nil {
			return nil, err
		}
		f, err := customer.ParseField(field)
		if err != nil {
			return nil, err
		}
		out = append(out, storage.Holder{Key: customer.Key{Field: f, Value: value}, ID: id})
	}
	return out, rows.Err()
}
