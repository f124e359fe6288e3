package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/storage"
)

var tAttend = newTable("attendances", "tenant", "id uuid", "customer_id uuid", "at timestamptz", "contact", "attendant_id",
	"attendant_name", "channel", "reason", "outcome", "notes", "confirmed integer", "agenda_item uuid")

// freshColumn is the customers column that holds when section s (one
// section) was last confirmed, NULL until it is: "fresh_" and the
// section's name. Each has an index (tenant, column, id) for Stale.
//
// Until migration freshness_columns these times were a freshness table of
// a row per section and customer: eight rows and sixteen index entries a
// customer, about a quarter of a PostgreSQL database at a million.
func freshColumn(s attendance.Section) string { return "fresh_" + s.String() }

// freshColumns are the freshness columns, in the order of
// attendance.AllSections.Each(), the order of the customers row.
func freshColumns() []string {
	var out []string
	for _, s := range attendance.AllSections.Each() {
		out = append(out, freshColumn(s))
	}
	return out
}

// freshSpecs are freshColumns as newTable specs.
func freshSpecs() []string {
	var out []string
	for _, c := range freshColumns() {
		out = append(out, c+" timestamptz")
	}
	return out
}

// touchStatement makes the sections of mask fresh, each as of its own
// time where that is later than the one stored: two arguments (the time,
// twice) per section of mask in the order of Each, then tenant and id.
func touchStatement(mask attendance.Section) string {
	return "UPDATE customers SET " + strings.Join(freshSets(mask), ", ") + " WHERE tenant = ? AND id = ?"
}

// freshSets are the assignments that make the sections of mask fresh,
// each where its time is later: two arguments each, the time twice.
func freshSets(mask attendance.Section) []string {
	var sets []string
	for _, s := range mask.Each() {
		c := freshColumn(s)
		sets = append(sets, c+" = CASE WHEN "+c+" IS NULL OR "+c+" < ? THEN ? ELSE "+c+" END")
	}
	return sets
}

// attendStatement is the one update of the customers row an attendance
// makes: the sections of mask fresh as of its time, its time the last
// attendance and the activity, each where that is later. Its arguments
// are the time twice per section, the time twice, the activity twice,
// then the tenant and ID.
func attendStatement(mask attendance.Section) string {
	sets := append(freshSets(mask), "last_attendance_at = CASE WHEN last_attendance_at IS NULL OR last_attendance_at < ? THEN ? ELSE last_attendance_at END",
		"activity = CASE WHEN activity < ? THEN ? ELSE activity END")
	return "UPDATE customers SET " + strings.Join(sets, ", ") + " WHERE tenant = ? AND id = ?"
}

// sectionTimes holds a time per section.
type sectionTimes map[attendance.Section]time.Time

// touchTimes makes each section of times fresh as of its time, where that
// is later, in tx: one statement.
func (d *Driver) touchTimes(ctx context.Context, tx *sql.Tx, tenant, id string, times sectionTimes) error {
	var mask attendance.Section
	var args []any
	for _, s := range attendance.AllSections.Each() {
		if at, ok := times[s]; ok {
			mask |= s
			t := d.dialect.timeArg(at)
			args = append(args, t, t)
		}
	}
	if mask == 0 {
		return nil
	}
	_, err := d.exec(ctx, tx, d.q.touchFresh[mask], append(args, tenant, id)...)
	return err
}

// freshness reads the times of the sections of a customer that have one,
// in tx (nil: outside one); sql.ErrNoRows when the customer is not there.
func (d *Driver) freshness(ctx context.Context, tx *sql.Tx, tenant, id string) (sectionTimes, error) {
	each := attendance.AllSections.Each()
	vals := make([]timeValue, len(each))
	dest := make([]any, len(each))
	for i := range vals {
		dest[i] = &vals[i]
	}
	if err := d.queryRow(ctx, tx, d.q.freshness, tenant, id).Scan(dest...); err != nil {
		return nil, err
	}
	out := sectionTimes{}
	for i, s := range each {
		if !vals[i].t.IsZero() {
			out[s] = vals[i].t
		}
	}
	return out, nil
}

// InsertAttendance implements [storage.Driver].
func (d *Driver) InsertAttendance(ctx context.Context, tenant string, a *attendance.Attendance, change *storage.Change) error {
	mask := a.Confirmed & attendance.AllSections
	d.ahead(ctx, d.q.attend[mask])
	var agenda any
	if a.AgendaItem != uuid.Nil {
		agenda = a.AgendaItem.String()
	}
	row := []any{tenant, a.ID.String(), a.CustomerID.String(), d.dialect.timeArg(a.At), a.Contact, a.Attendant.ID,
		a.Attendant.Name, a.Channel.String(), a.Reason.String(), a.Outcome, a.Notes, int(a.Confirmed), agenda}
	// The customers row is written once: freshness, last attendance and
	// activity in one statement (three, each a new version of the row on
	// PostgreSQL, before).
	at, us := d.dialect.timeArg(a.At), a.At.UnixMicro()
	var args []any
	for range mask.Each() {
		args = append(args, at, at)
	}
	args = append(args, at, at, us, us, tenant, a.CustomerID.String())
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		if d.dialect.writeCTE && change != nil {
			entry, err := d.logArgs(tenant, change)
			if err != nil {
				return err
			}
			all := slices.Concat(args, row, []any{us, tenant, a.CustomerID.String(), us}, entry)
			var seq int64
			err = d.queryRow(ctx, tx, d.attendWhole(mask), all...).Scan(&seq)
			if errors.Is(err, sql.ErrNoRows) {
				return storage.ErrNotFound
			}
			if err != nil {
				return err
			}
			change.Seq = seq
			return d.refuseAnonymised(ctx, tx, tenant, a.CustomerID)
		}
		var one int
		err := d.queryRow(ctx, tx, d.q.idExists, tenant, a.CustomerID.String()).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return storage.ErrNotFound
		}
		if err != nil {
			return err
		}
		// The customers row first: its exclusive lock, taken at once,
		// is what orders this write with others of the customer (a
		// merge's, another attendance's). The attendance's foreign key
		// would otherwise take a shared lock first, and two writers
		// holding it, each waiting to make it exclusive, deadlock.
		if _, err := d.exec(ctx, tx, d.q.attend[mask], args...); err != nil {
			return err
		}
		b := newBatch()
		b.add(tAttend, row...)
		if err := d.flush(ctx, tx, b); err != nil {
			return err
		}
		if _, err := d.exec(ctx, tx, d.q.wordActivity, us, tenant, a.CustomerID.String(), us); err != nil {
			return err
		}
		if err := d.refuseAnonymised(ctx, tx, tenant, a.CustomerID); err != nil {
			return err
		}
		return d.appendChanges(ctx, tx, tenant, changeList(change))
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

// refuseAnonymised returns storage.ErrAnonymised when the tenant's
// customer id is anonymised, read in tx after the transaction has written
// the customer's row: an anonymisation, which writes that row first, has
// either committed before (and a statement begun now sees its mark; on
// MySQL a locking read, as a plain one reads the transaction's first
// snapshot) or waits for tx and then clears what tx wrote.
func (d *Driver) refuseAnonymised(ctx context.Context, tx *sql.Tx, tenant string, id uuid.UUID) error {
	var one int
	err := d.queryRow(ctx, tx, d.q.anonymised, tenant, id.String(), storage.AnonymisedKey).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err == nil {
		return storage.ErrAnonymised
	}
	return err
}

// shareCustomer takes, in tx, a shared lock of the tenant's customer id's
// row, which an anonymisation writes before it rewrites the customer's
// agenda and consent ledger: a write that adds to those waits for one, or
// holds it off until it commits (a foreign key's own lock of the row does
// not). It returns storage.ErrNotFound when the customer is not there.
func (d *Driver) shareCustomer(ctx context.Context, tx *sql.Tx, tenant string, id uuid.UUID) error {
	var one int
	err := d.queryRow(ctx, tx, d.q.shareCustomer, tenant, id.String()).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return storage.ErrNotFound
	}
	return err
}

// attendWhole is an attendance's whole write as one statement
// (PostgreSQL, see Dialect.writeCTE): the customers row as attendStatement
// writes it, and, fed by it so that nothing is written when the customer
// is not there, the attendance, its words' activity and the change-log
// entry, whose number it returns. Its arguments are attendStatement's, the
// attendance's row, the activity, the tenant, the customer's ID and the
// activity again for the words, then logArgs'.
func (d *Driver) attendWhole(mask attendance.Section) string {
	return d.attends.get(mask, func(mask attendance.Section) string {
		return d.dialect.rebind("WITH c AS (" + attendStatement(mask) + " RETURNING id)" +
			", a AS (INSERT INTO attendances (" + strings.Join(tAttend.names(), ", ") + ") SELECT " +
			strings.Join(castPlaceholders(tAttend, nil), ", ") + " FROM c)" +
			", w AS (UPDATE word_keys SET activity = ?::bigint FROM c" +
			" WHERE word_keys.tenant = ? AND word_keys.customer_id = ? AND word_keys.activity < ?::bigint)" +
			logCTEs("c") + " SELECT s.last FROM s")
	})
}

// Attendances implements [storage.Driver], from the attendances_customer
// index.
func (d *Driver) Attendances(ctx context.Context, tenant string, customerID uuid.UUID, before *storage.Position, limit int) ([]attendance.Attendance, error) {
	q := "SELECT " + joinNames(tAttend.names("tenant")) + " FROM attendances WHERE tenant = ? AND customer_id = ?"
	args := []any{tenant, customerID.String()}
	if before != nil {
		t := d.dialect.timeArg(before.UpdatedAt)
		q += " AND at <= ? AND (at < ? OR id < ?)"
		args = append(args, t, t, before.ID.String())
	}
	q += " ORDER BY at DESC, id DESC LIMIT ?"
	rows, err := d.query(ctx, nil, d.dialect.rebind(q), append(args, limit)...)
	if err != nil {
		return nil, d.fail(ctx, err)
	}
	defer rows.Close()
	var out []attendance.Attendance
	for rows.Next() {
		var a attendance.Attendance
		var at timeValue
		var confirmed int
		var agenda sql.NullString
		if err := rows.Scan(&a.ID, &a.CustomerID, &at, &a.Contact, &a.Attendant.ID, &a.Attendant.Name, textOf{&a.Channel},
			textOf{&a.Reason}, &a.Outcome, &a.Notes, &confirmed, &agenda); err != nil {
			return nil, d.fail(ctx, err)
		}
		a.At, a.Confirmed = at.t, attendance.Section(confirmed)
		if agenda.Valid {
			if a.AgendaItem, err = uuid.Parse(agenda.String); err != nil {
				return nil, d.fail(ctx, err)
			}
		}
		out = append(out, a)
	}
	return out, d.fail(ctx, rows.Err())
}

// Freshness implements [storage.Driver]: one read of the customers row.
func (d *Driver) Freshness(ctx context.Context, tenant string, customerID uuid.UUID) (attendance.Freshness, error) {
	times, err := d.freshness(ctx, nil, tenant, customerID.String())
	if errors.Is(err, sql.ErrNoRows) {
		return nil, storage.ErrNotFound
	}
	if err != nil {
		return nil, d.fail(ctx, err)
	}
	return attendance.Freshness(times), nil
}

// Stale implements [storage.Driver], from the index of the section's
// freshness column.
func (d *Driver) Stale(ctx context.Context, tenant string, section attendance.Section, cutoff time.Time, after *storage.Position, limit int) ([]storage.StaleRow, error) {
	if !slices.Contains(attendance.AllSections.Each(), section) {
		return nil, attendance.ErrSection
	}
	col := "c." + freshColumn(section)
	q := "SELECT " + summarySelect + ", " + col + " FROM customers c WHERE c.tenant = ? AND " + col + " < ?"
	args := []any{tenant, d.dialect.timeArg(cutoff)}
	if after != nil {
		t := d.dialect.timeArg(after.UpdatedAt)
		q += " AND " + col + " >= ? AND (" + col + " > ? OR c.id > ?)"
		args = append(args, t, t, after.ID.String())
	}
	q += " ORDER BY " + col + ", c.id LIMIT ?"
	rows, err := d.query(ctx, nil, d.dialect.rebind(q), append(args, limit)...)
	if err != nil {
		return nil, d.fail(ctx, err)
	}
	defer rows.Close()
	var out []storage.StaleRow
	for rows.Next() {
		var r storage.StaleRow
		var at timeValue
		if err := scanSummary(rows, &r.Summary, &at); err != nil {
			return nil, d.fail(ctx, err)
		}
		r.Since = at.t
		out = append(out, r)
	}
	return out, d.fail(ctx, rows.Err())
}

func joinNames(names []string) string { return strings.Join(names, ", ") }
