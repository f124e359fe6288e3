package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/storage"
)

var (
	tAttend = newTable("attendances", "tenant", "id uuid", "customer_id uuid", "at timestamptz", "contact", "attendant_id",
		"attendant_name", "channel", "reason", "outcome", "notes", "confirmed integer", "agenda_item uuid")
	tFresh = newTable("freshness", "tenant", "customer_id uuid", "section", "at timestamptz")
)

// sectionName is the text freshness rows name a single section by.
func sectionName(s attendance.Section) string { return s.String() }

// touch makes sections of a customer fresh as of at, where that is
// later, in tx.
func (d *Driver) touch(ctx context.Context, tx *sql.Tx, tenant string, id uuid.UUID, sections attendance.Section, at time.Time) error {
	each := sections.Each()
	if len(each) == 0 {
		return nil
	}
	args := make([]any, 0, 4*len(each))
	for _, s := range each {
		args = append(args, tenant, id.String(), sectionName(s), d.dialect.timeArg(at))
	}
	_, err := d.exec(ctx, tx, d.q.touchFresh[len(each)], args...)
	return err
}

// touchNew adds to b the freshness rows of a customer being inserted.
func (d *Driver) touchNew(b *batch, rec storage.Record) {
	for _, s := range rec.Touched.Each() {
		b.add(tFresh, rec.Tenant, rec.Customer.ID.String(), sectionName(s), d.dialect.timeArg(rec.Customer.UpdatedAt))
	}
}

// InsertAttendance implements [storage.Driver].
func (d *Driver) InsertAttendance(ctx context.Context, tenant string, a *attendance.Attendance, change *storage.Change) error {
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		var one int
		err := d.queryRow(ctx, tx, d.q.idExists, tenant, a.CustomerID.String()).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return storage.ErrNotFound
		}
		if err != nil {
			return err
		}
		var agenda any
		if a.AgendaItem != uuid.Nil {
			agenda = a.AgendaItem.String()
		}
		b := newBatch()
		b.add(tAttend, tenant, a.ID.String(), a.CustomerID.String(), d.dialect.timeArg(a.At), a.Contact, a.Attendant.ID,
			a.Attendant.Name, a.Channel.String(), a.Reason.String(), a.Outcome, a.Notes, int(a.Confirmed), agenda)
		if err := d.flush(ctx, tx, b); err != nil {
			return err
		}
		if err := d.touch(ctx, tx, tenant, a.CustomerID, a.Confirmed, a.At); err != nil {
			return err
		}
		at := d.dialect.timeArg(a.At)
		if _, err = d.exec(ctx, tx, d.q.lastAttendance, at, tenant, a.CustomerID.String(), at); err != nil {
			return err
		}
		if err := d.raiseActivity(ctx, tx, tenant, a.CustomerID.String(), a.At); err != nil {
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

// Freshness implements [storage.Driver].
func (d *Driver) Freshness(ctx context.Context, tenant string, customerID uuid.UUID) (attendance.Freshness, error) {
	var one int
	err := d.queryRow(ctx, nil, d.q.idExists, tenant, customerID.String()).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, storage.ErrNotFound
	}
	if err != nil {
		return nil, d.fail(ctx, err)
	}
	rows, err := d.query(ctx, nil, d.dialect.rebind("SELECT section, at FROM freshness WHERE tenant = ? AND customer_id = ?"), tenant, customerID.String())
	if err != nil {
		return nil, d.fail(ctx, err)
	}
	defer rows.Close()
	f := attendance.Freshness{}
	for rows.Next() {
		var name string
		var at timeValue
		if err := rows.Scan(&name, &at); err != nil {
			return nil, d.fail(ctx, err)
		}
		s, err := attendance.ParseSection(name)
		if err != nil {
			continue // a section a later version added: not this one's
		}
		f[s] = at.t
	}
	return f, d.fail(ctx, rows.Err())
}

// Stale implements [storage.Driver], from the freshness_section index.
func (d *Driver) Stale(ctx context.Context, tenant string, section attendance.Section, cutoff time.Time, after *storage.Position, limit int) ([]storage.StaleRow, error) {
	q := "SELECT " + summarySelect + ", f.at FROM freshness f JOIN customers c ON c.tenant = f.tenant AND c.id = f.customer_id " +
		"WHERE f.tenant = ? AND f.section = ? AND f.at < ?"
	args := []any{tenant, sectionName(section), d.dialect.timeArg(cutoff)}
	if after != nil {
		t := d.dialect.timeArg(after.UpdatedAt)
		q += " AND f.at >= ? AND (f.at > ? OR f.customer_id > ?)"
		args = append(args, t, t, after.ID.String())
	}
	q += " ORDER BY f.at, f.customer_id LIMIT ?"
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
