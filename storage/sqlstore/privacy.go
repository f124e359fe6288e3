package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/consent"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
)

var (
	tConsent = newTable("consent_entries", "tenant", "id uuid", "customer_id uuid", "contact", "channel", "purpose", "state",
		"basis", "source", "notice", "reference", "stated_at timestamptz", "recorded_at timestamptz",
		"actor_id", "actor_name", "actor_app", "request_id")
	tConsentState = newTable("consent_state", "tenant", "customer_id uuid", "contact", "channel", "purpose", "state",
		"basis", "stated_at timestamptz", "entry_id uuid")
	tSuppress = newTable("suppressions", "tenant", "channel", "fingerprint", "since timestamptz", "source")
	tRequests = newTable("data_requests", "tenant", "id uuid", "kind", "customer_id uuid", "received_at timestamptz",
		"due_at timestamptz", "answered_at timestamptz", "outcome", "note", "received_id", "received_name",
		"answered_id", "answered_name", "version bigint")
)

// insertIgnore returns an INSERT of one row of t that does nothing when
// the row's key is taken.
func (d *Driver) insertIgnore(t table) string {
	cols := t.names()
	q := "INSERT INTO " + t.name + " (" + strings.Join(cols, ", ") + ") VALUES (" + list(len(cols)) + ")"
	if d.dialect.name == "mysql" {
		q = "INSERT IGNORE" + strings.TrimPrefix(q, "INSERT")
	} else {
		q += " ON CONFLICT DO NOTHING"
	}
	return d.dialect.rebind(q)
}

// in returns a membership test of column in values, with "?" placeholders
// left for the caller to rebind with the rest of its query: one array
// parameter on PostgreSQL, a list elsewhere.
func (d *Driver) in(column string, values []any, typ string) (string, []any) {
	if d.dialect.unnest {
		arr := make([]*string, len(values))
		for i, v := range values {
			arr[i] = textArg(v)
		}
		return column + " = ANY(?::" + typ + "[])", []any{arr}
	}
	return column + " IN (" + list(len(values)) + ")", values
}

func uuidArgs(ids []uuid.UUID) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id.String()
	}
	return out
}

// RecordConsent implements [storage.Driver]. A state is written by a
// conditional UPDATE (only over an older statement), else an INSERT that
// yields to a row already there, else the UPDATE again (a concurrent
// writer inserted the row meanwhile).
func (d *Driver) RecordConsent(ctx context.Context, tenant string, w *storage.ConsentWrite) error {
	setState := d.dialect.rebind("UPDATE consent_state SET state = ?, basis = ?, stated_at = ?, entry_id = ? " +
		"WHERE tenant = ? AND customer_id = ? AND contact = ? AND channel = ? AND purpose = ? " +
		"AND (stated_at < ? OR (stated_at = ? AND entry_id < ?))")
	addState := d.insertIgnore(tConsentState)
	lift := d.dialect.rebind("DELETE FROM suppressions WHERE tenant = ? AND channel = ? AND fingerprint = ? AND since <= ?")
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		if err := d.shareCustomer(ctx, tx, tenant, w.CustomerID); err != nil {
			return err
		}
		b := newBatch()
		for _, e := range w.Entries {
			b.add(tConsent, tenant, e.ID.String(), e.CustomerID.String(), e.Contact, e.Channel.String(), string(e.Purpose),
				e.State.String(), e.Basis.String(), string(e.Source), e.Evidence.Notice, e.Evidence.Reference,
				d.dialect.timeArg(e.At), d.dialect.timeArg(e.RecordedAt), e.Actor.ID, e.Actor.Name, e.Actor.App, e.Actor.RequestID)
		}
		if err := d.flush(ctx, tx, b); err != nil {
			return err
		}
		// After the insert, so that a taken entry ID is ErrExists first.
		if err := d.refuseAnonymised(ctx, tx, tenant, w.CustomerID); err != nil {
			return err
		}
		for _, e := range w.Entries {
			at := d.dialect.timeArg(e.At)
			upd := []any{e.State.String(), e.Basis.String(), at, e.ID.String(), tenant, e.CustomerID.String(), e.Contact,
				e.Channel.String(), string(e.Purpose), at, at, e.ID.String()}
			n, err := d.affected(ctx, tx, setState, upd...)
			if err != nil {
				return err
			}
			if n > 0 {
				continue
			}
			if n, err = d.affected(ctx, tx, addState, tenant, e.CustomerID.String(), e.Contact, e.Channel.String(),
				string(e.Purpose), e.State.String(), e.Basis.String(), at, e.ID.String()); err != nil {
				return err
			}
			if n == 0 {
				if _, err := d.exec(ctx, tx, setState, upd...); err != nil {
					return err
				}
			}
		}
		if err := d.suppress(ctx, tx, tenant, w.Suppress); err != nil {
			return err
		}
		for _, l := range w.Lift {
			if _, err := d.exec(ctx, tx, lift, tenant, l.Channel.String(), l.Fingerprint, d.dialect.timeArg(l.Since)); err != nil {
				return err
			}
		}
		return nil
	})
	var de *dbError
	if errors.As(err, &de) && de.class == Unique {
		return storage.ErrExists
	}
	if errors.As(err, &de) && de.class == ForeignKey {
		// The customer went (deleted, or merged into another) between
		// the check and the write.
		return storage.ErrNotFound
	}
	return err
}

// affected runs a statement and returns how many rows it changed.
func (d *Driver) affected(ctx context.Context, tx *sql.Tx, query string, args ...any) (int64, error) {
	res, err := d.exec(ctx, tx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// suppress adds addresses to the suppression list in tx; an address
// listed already keeps its entry.
func (d *Driver) suppress(ctx context.Context, tx *sql.Tx, tenant string, list []storage.Suppression) error {
	q := d.insertIgnore(tSuppress)
	for _, s := range list {
		if _, err := d.exec(ctx, tx, q, tenant, s.Channel.String(), s.Fingerprint, d.dialect.timeArg(s.Since), string(s.Source)); err != nil {
			return err
		}
	}
	return nil
}

// Suppress implements [storage.Driver].
func (d *Driver) Suppress(ctx context.Context, tenant string, list []storage.Suppression) error {
	return d.inTx(ctx, func(tx *sql.Tx) error { return d.suppress(ctx, tx, tenant, list) })
}

// Consents implements [storage.Driver], from consent_entries_customer.
func (d *Driver) Consents(ctx context.Context, tenant string, customerID uuid.UUID) ([]storage.ConsentEntry, error) {
	out, err := d.consents(ctx, nil, tenant, customerID)
	return out, d.fail(ctx, err)
}

// consents reads a customer's ledger, in tx when it is not nil.
func (d *Driver) consents(ctx context.Context, tx *sql.Tx, tenant string, customerID uuid.UUID) ([]storage.ConsentEntry, error) {
	q := d.dialect.rebind("SELECT " + joinNames(tConsent.names("tenant")) + " FROM consent_entries " +
		"WHERE tenant = ? AND customer_id = ? ORDER BY stated_at, id")
	rows, err := d.query(ctx, tx, q, tenant, customerID.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []storage.ConsentEntry
	for rows.Next() {
		var e storage.ConsentEntry
		var at, rec timeValue
		if err := rows.Scan(&e.ID, &e.CustomerID, &e.Contact, textOf{&e.Channel}, (*string)(&e.Purpose), textOf{&e.State},
			textOf{&e.Basis}, (*string)(&e.Source), &e.Evidence.Notice, &e.Evidence.Reference, &at, &rec,
			&e.Actor.ID, &e.Actor.Name, &e.Actor.App, &e.Actor.RequestID); err != nil {
			return nil, err
		}
		e.At, e.RecordedAt = at.t, rec.t
		out = append(out, e)
	}
	return out, rows.Err()
}

// scanStates reads rows of consent_state without the tenant.
func (d *Driver) scanStates(ctx context.Context, rows *sql.Rows) ([]storage.ConsentState, error) {
	defer rows.Close()
	var out []storage.ConsentState
	for rows.Next() {
		var s storage.ConsentState
		var at timeValue
		if err := rows.Scan(&s.CustomerID, &s.Contact, textOf{&s.Channel}, (*string)(&s.Purpose), textOf{&s.State},
			textOf{&s.Basis}, &at, &s.Entry); err != nil {
			return nil, d.fail(ctx, err)
		}
		s.Since = at.t
		out = append(out, s)
	}
	return out, d.fail(ctx, rows.Err())
}

// ConsentStates implements [storage.Driver]: one query, by the primary
// key of consent_state.
func (d *Driver) ConsentStates(ctx context.Context, tenant string, ids []uuid.UUID, channel consent.Channel, purpose consent.Purpose) ([]storage.ConsentState, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	q, args := d.consentStatesQuery(tenant, ids, channel, purpose)
	rows, err := d.query(ctx, nil, q, args...)
	if err != nil {
		return nil, d.fail(ctx, err)
	}
	return d.scanStates(ctx, rows)
}

// consentStatesQuery is ConsentStates' statement and arguments: by the
// primary key (tenant, customer_id, channel, purpose, contact), whose four
// equalities SQLite prefers to the campaign index's three.
func (d *Driver) consentStatesQuery(tenant string, ids []uuid.UUID, channel consent.Channel, purpose consent.Purpose) (string, []any) {
	cond, args := d.in("customer_id", uuidArgs(ids), "uuid")
	q := d.dialect.rebind("SELECT " + joinNames(tConsentState.names("tenant")) + " FROM consent_state " +
		"WHERE tenant = ? AND customer_id " + strings.TrimPrefix(cond, "customer_id") + " AND channel = ? AND purpose = ?")
	return q, append(append([]any{tenant}, args...), channel.String(), string(purpose))
}

// Reachable implements [storage.Driver], from consent_state_reach.
func (d *Driver) Reachable(ctx context.Context, tenant string, channel consent.Channel, purpose consent.Purpose, after *storage.ReachPosition, limit int) ([]storage.ConsentState, error) {
	q := "SELECT " + joinNames(tConsentState.names("tenant")) + " FROM consent_state " +
		"WHERE tenant = ? AND channel = ? AND purpose = ? AND state = 'granted'"
	args := []any{tenant, channel.String(), string(purpose)}
	if after != nil {
		q += " AND customer_id >= ? AND (customer_id > ? OR contact > ?)"
		args = append(args, after.CustomerID.String(), after.CustomerID.String(), after.Contact)
	}
	q += " ORDER BY customer_id, contact LIMIT ?"
	rows, err := d.query(ctx, nil, d.dialect.rebind(q), append(args, limit)...)
	if err != nil {
		return nil, d.fail(ctx, err)
	}
	return d.scanStates(ctx, rows)
}

// ContactPoints implements [storage.Driver]: one query, the customers'
// own addresses and their contacts' united.
func (d *Driver) ContactPoints(ctx context.Context, tenant string, ids []uuid.UUID, kind consent.Address) ([]storage.ContactPoint, error) {
	if len(ids) == 0 || kind == consent.PostalAddress {
		return nil, nil
	}
	c1, a1 := d.in("customer_id", uuidArgs(ids), "uuid")
	c2, a2 := d.in("p.customer_id", uuidArgs(ids), "uuid")
	var q string
	if kind == consent.PhoneAddress {
		q = "SELECT customer_id, 0, '', 0, position, phone FROM customer_phones WHERE tenant = ? AND " + c1 +
			" UNION ALL SELECT p.customer_id, 1, c.name, p.contact_position, p.position, p.phone FROM contact_phones p " +
			"JOIN contacts c ON c.tenant = p.tenant AND c.customer_id = p.customer_id AND c.position = p.contact_position " +
			"WHERE p.tenant = ? AND " + c2
	} else {
		q = "SELECT customer_id, 0, '', 0, position, email FROM customer_emails WHERE tenant = ? AND " + c1 +
			" UNION ALL SELECT p.customer_id, 1, p.name, p.position, 0, p.email FROM contacts p " +
			"WHERE p.tenant = ? AND " + c2 + " AND p.email IS NOT NULL AND p.email <> ''"
	}
	args := append(append(append([]any{tenant}, a1...), tenant), a2...)
	rows, err := d.query(ctx, nil, d.dialect.rebind(q), args...)
	if err != nil {
		return nil, d.fail(ctx, err)
	}
	defer rows.Close()
	type row struct {
		p              storage.ContactPoint
		own, cpos, pos int
	}
	var all []row
	for rows.Next() {
		var r row
		var name string
		if err := rows.Scan(&r.p.CustomerID, &r.own, &name, &r.cpos, &r.pos, &r.p.Value); err != nil {
			return nil, d.fail(ctx, err)
		}
		if r.own == 1 {
			r.p.Contact, r.p.Position = consent.ContactKey(name), r.cpos
		}
		all = append(all, r)
	}
	if err := rows.Err(); err != nil {
		return nil, d.fail(ctx, err)
	}
	slices.SortFunc(all, func(a, b row) int {
		if c := strings.Compare(a.p.CustomerID.String(), b.p.CustomerID.String()); c != 0 {
			return c
		}
		if a.own != b.own {
			return a.own - b.own
		}
		if a.cpos != b.cpos {
			return a.cpos - b.cpos
		}
		return a.pos - b.pos
	})
	out := make([]storage.ContactPoint, len(all))
	for i, r := range all {
		out[i] = r.p
	}
	return out, nil
}

// Suppressed implements [storage.Driver]: one query, by the primary key
// of suppressions.
func (d *Driver) Suppressed(ctx context.Context, tenant string, channel consent.Channel, fingerprints []string) ([]string, error) {
	if len(fingerprints) == 0 {
		return nil, nil
	}
	vals := make([]any, len(fingerprints))
	for i, f := range fingerprints {
		vals[i] = f
	}
	cond, args := d.in("fingerprint", vals, "text")
	q := d.dialect.rebind("SELECT fingerprint FROM suppressions WHERE tenant = ? AND channel = ? AND " + cond)
	rows, err := d.query(ctx, nil, q, append([]any{tenant, channel.String()}, args...)...)
	if err != nil {
		return nil, d.fail(ctx, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var fp string
		if err := rows.Scan(&fp); err != nil {
			return nil, d.fail(ctx, err)
		}
		out = append(out, fp)
	}
	return out, d.fail(ctx, rows.Err())
}

// Anonymise implements [storage.Driver]: Update's replacement of the
// aggregate, then, before the entry is appended, the scrubbing of the
// customer's attendances, agenda, change log and consent ledger.
func (d *Driver) Anonymise(ctx context.Context, a *storage.Anonymisation) error {
	rec := a.Record
	tenant, id := rec.Tenant, rec.Customer.ID.String()
	return d.inTx(ctx, func(tx *sql.Tx) error {
		_, err := d.replace(ctx, tx, rec, a.Expect, func() error {
			exec := func(q string, args ...any) error {
				_, err := d.exec(ctx, tx, d.dialect.rebind(q), args...)
				return err
			}
			if err := exec("UPDATE attendances SET contact = '', outcome = '', notes = '' WHERE tenant = ? AND customer_id = ?", tenant, id); err != nil {
				return err
			}
			if err := exec("UPDATE agenda_items SET contact = '', subject = ?, notes = '', version = version + 1, "+
				"status = CASE WHEN status = 'open' THEN 'cancelled' ELSE status END WHERE tenant = ? AND customer_id = ?",
				storage.AnonymisedText, tenant, id); err != nil {
				return err
			}
			if err := exec("DELETE FROM consent_state WHERE tenant = ? AND customer_id = ?", tenant, id); err != nil {
				return err
			}
			if err := d.renameContacts(ctx, tx, tenant, id); err != nil {
				return err
			}
			for _, hid := range append([]uuid.UUID{rec.Customer.ID}, a.Absorbed...) {
				if err := d.scrubLog(ctx, tx, tenant, hid.String(), a.Scrub); err != nil {
					return err
				}
			}
			return nil
		})
		return err
	})
}

// renameContacts gives the contacts of a customer's consent ledger the
// names storage.AnonymisedContact gives, in the byte order of their keys.
func (d *Driver) renameContacts(ctx context.Context, tx *sql.Tx, tenant, id string) error {
	rows, err := d.query(ctx, tx, d.dialect.rebind("SELECT DISTINCT contact FROM consent_entries WHERE tenant = ? AND customer_id = ? AND contact <> ''"), tenant, id)
	if err != nil {
		return err
	}
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return err
		}
		keys = append(keys, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	slices.Sort(keys)
	q := d.dialect.rebind("UPDATE consent_entries SET contact = ? WHERE tenant = ? AND customer_id = ? AND contact = ?")
	for i, k := range keys {
		if _, err := d.exec(ctx, tx, q, storage.AnonymisedContact(i+1), tenant, id, k); err != nil {
			return err
		}
	}
	return nil
}

// scrubLog rewrites the fields of every change-log entry of a customer
// with scrub.
func (d *Driver) scrubLog(ctx context.Context, tx *sql.Tx, tenant, id string, scrub func([]customer.FieldChange) []customer.FieldChange) error {
	rows, err := d.query(ctx, tx, d.dialect.rebind("SELECT seq, fields FROM changes WHERE tenant = ? AND customer_id = ?"), tenant, id)
	if err != nil {
		return err
	}
	type entry struct {
		seq    int64
		fields []byte
	}
	var entries []entry
	for rows.Next() {
		var e entry
		if err := rows.Scan(&e.seq, &e.fields); err != nil {
			rows.Close()
			return err
		}
		entries = append(entries, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	set := d.dialect.rebind("UPDATE changes SET fields = ? WHERE tenant = ? AND seq = ?")
	for _, e := range entries {
		fields, err := decodeFields(e.fields)
		if err != nil {
			return err
		}
		fields = scrub(fields)
		if fields == nil {
			fields = []customer.FieldChange{}
		}
		js, err := json.Marshal(fields)
		if err != nil {
			return err
		}
		if _, err := d.exec(ctx, tx, set, string(js), tenant, e.seq); err != nil {
			return err
		}
	}
	return nil
}

// PutRequest implements [storage.Driver].
func (d *Driver) PutRequest(ctx context.Context, tenant string, r *storage.Request, expect int64) error {
	var cust, answered any
	if r.CustomerID != uuid.Nil {
		cust = r.CustomerID.String()
	}
	if !r.Answered.IsZero() {
		answered = d.dialect.timeArg(r.Answered)
	}
	row := []any{r.Kind.String(), cust, d.dialect.timeArg(r.Received), d.dialect.timeArg(r.Due), answered, string(r.Outcome),
		r.Note, r.ReceivedBy.ID, r.ReceivedBy.Name, r.AnsweredBy.ID, r.AnsweredBy.Name, r.Version}
	if expect == 0 {
		err := d.inTx(ctx, func(tx *sql.Tx) error {
			b := newBatch()
			b.add(tRequests, append([]any{tenant, r.ID.String()}, row...)...)
			return d.flush(ctx, tx, b)
		})
		var de *dbError
		if errors.As(err, &de) && de.class == Unique {
			return storage.ErrExists
		}
		return err
	}
	q := d.dialect.rebind("UPDATE data_requests SET " + strings.Join(tRequests.names("tenant", "id"), " = ?, ") + " = ? " +
		"WHERE tenant = ? AND id = ? AND version = ?")
	return d.inTx(ctx, func(tx *sql.Tx) error {
		n, err := d.affected(ctx, tx, q, append(row, tenant, r.ID.String(), expect)...)
		if err != nil || n > 0 {
			return err
		}
		var v int64
		err = d.queryRow(ctx, tx, d.dialect.rebind("SELECT version FROM data_requests WHERE tenant = ? AND id = ?"), tenant, r.ID.String()).Scan(&v)
		if errors.Is(err, sql.ErrNoRows) {
			return storage.ErrNotFound
		}
		if err != nil {
			return err
		}
		return storage.ErrConflict
	})
}

// scanRequests reads rows of data_requests without the tenant.
func (d *Driver) scanRequests(ctx context.Context, rows *sql.Rows) ([]storage.Request, error) {
	defer rows.Close()
	var out []storage.Request
	for rows.Next() {
		var r storage.Request
		var cust sql.NullString
		var received, due, answered timeValue
		if err := rows.Scan(&r.ID, textOf{&r.Kind}, &cust, &received, &due, &answered, (*string)(&r.Outcome), &r.Note,
			&r.ReceivedBy.ID, &r.ReceivedBy.Name, &r.AnsweredBy.ID, &r.AnsweredBy.Name, &r.Version); err != nil {
			return nil, d.fail(ctx, err)
		}
		if cust.Valid {
			id, err := uuid.Parse(cust.String)
			if err != nil {
				return nil, d.fail(ctx, err)
			}
			r.CustomerID = id
		}
		r.Received, r.Due, r.Answered = received.t, due.t, answered.t
		out = append(out, r)
	}
	return out, d.fail(ctx, rows.Err())
}

// GetRequest implements [storage.Driver].
func (d *Driver) GetRequest(ctx context.Context, tenant string, id uuid.UUID) (*storage.Request, error) {
	q := d.dialect.rebind("SELECT " + joinNames(tRequests.names("tenant")) + " FROM data_requests WHERE tenant = ? AND id = ?")
	rows, err := d.query(ctx, nil, q, tenant, id.String())
	if err != nil {
		return nil, d.fail(ctx, err)
	}
	list, err := d.scanRequests(ctx, rows)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, storage.ErrNotFound
	}
	return &list[0], nil
}

// Requests implements [storage.Driver], from data_requests_due (open)
// or data_requests_received (all).
func (d *Driver) Requests(ctx context.Context, tenant string, open bool, after *storage.Position, limit int) ([]storage.Request, error) {
	q := "SELECT " + joinNames(tRequests.names("tenant")) + " FROM data_requests WHERE tenant = ?"
	args := []any{tenant}
	col, cmp, order := "received_at", "<", " ORDER BY received_at DESC, id DESC"
	if open {
		q += " AND answered_at IS NULL"
		col, cmp, order = "due_at", ">", " ORDER BY due_at, id"
	}
	if after != nil {
		t := d.dialect.timeArg(after.UpdatedAt)
		q += " AND " + col + " " + cmp + "= ? AND (" + col + " " + cmp + " ? OR id " + cmp + " ?)"
		args = append(args, t, t, after.ID.String())
	}
	rows, err := d.query(ctx, nil, d.dialect.rebind(q+order+" LIMIT ?"), append(args, limit)...)
	if err != nil {
		return nil, d.fail(ctx, err)
	}
	return d.scanRequests(ctx, rows)
}
