package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/agenda"
	"github.com/fichacrm/ficha/storage"
)

var tItems = newTable("agenda_items", "tenant", "id uuid", "customer_id uuid", "contact", "due timestamptz", "attendant_id",
	"attendant_name", "subject", "channel", "status", "notes", "resolved_by uuid", "reschedules jsonb", "version bigint",
	"created_at timestamptz", "updated_at timestamptz")

// itemRow is an item's row, in the order of tItems.
func (d *Driver) itemRow(tenant string, it *agenda.Item) ([]any, error) {
	moves := it.Reschedules
	if moves == nil {
		moves = []agenda.Reschedule{}
	}
	js, err := json.Marshal(moves)
	if err != nil {
		return nil, err
	}
	var resolved any
	if it.ResolvedBy != uuid.Nil {
		resolved = it.ResolvedBy.String()
	}
	return []any{tenant, it.ID.String(), it.CustomerID.String(), it.Contact, d.dialect.timeArg(it.Due), it.Attendant.ID,
		it.Attendant.Name, it.Subject, it.Channel.String(), it.Status.String(), it.Notes, resolved, string(js), it.Version,
		d.dialect.timeArg(it.CreatedAt), d.dialect.timeArg(it.UpdatedAt)}, nil
}

// InsertItem implements [storage.Driver].
func (d *Driver) InsertItem(ctx context.Context, tenant string, it *agenda.Item, change *storage.Change) error {
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		if err := d.shareCustomer(ctx, tx, tenant, it.CustomerID); err != nil {
			return err
		}
		row, err := d.itemRow(tenant, it)
		if err != nil {
			return err
		}
		b := newBatch()
		b.add(tItems, row...)
		if err := d.flush(ctx, tx, b); err != nil {
			return err
		}
		// After the insert, so that a taken ID is ErrExists first, as
		// for an attendance.
		if err := d.refuseAnonymised(ctx, tx, tenant, it.CustomerID); err != nil {
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

// UpdateItem implements [storage.Driver].
func (d *Driver) UpdateItem(ctx context.Context, tenant string, it *agenda.Item, expect int64, change *storage.Change) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		row, err := d.itemRow(tenant, it)
		if err != nil {
			return err
		}
		// Every column but the keys and the creation time, then the
		// WHERE clause's.
		var args []any
		for i, c := range tItems.cols {
			switch c.name {
			case "tenant", "id", "created_at":
				continue
			}
			args = append(args, row[i])
		}
		res, err := d.exec(ctx, tx, d.q.updateItem, append(args, tenant, it.ID.String(), expect)...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			var v int64
			err := d.queryRow(ctx, tx, d.dialect.rebind("SELECT version FROM agenda_items WHERE tenant = ? AND id = ?"), tenant, it.ID.String()).Scan(&v)
			if errors.Is(err, sql.ErrNoRows) {
				return storage.ErrNotFound
			}
			if err != nil {
				return err
			}
			return storage.ErrConflict
		}
		return d.appendChanges(ctx, tx, tenant, changeList(change))
	})
}

// GetItem implements [storage.Driver].
func (d *Driver) GetItem(ctx context.Context, tenant string, id uuid.UUID) (*agenda.Item, error) {
	items, err := d.readItems(ctx, d.dialect.rebind("SELECT "+joinNames(tItems.names("tenant"))+" FROM agenda_items WHERE tenant = ? AND id = ?"), tenant, id.String())
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, storage.ErrNotFound
	}
	return &items[0], nil
}

// Items implements [storage.Driver]: an attendant's items from
// agenda_attendant, a customer's from agenda_customer, every attendant's
// by status from agenda_status, every item in due order from agenda_due.
func (d *Driver) Items(ctx context.Context, tenant string, f storage.ItemFilter, limit int) ([]agenda.Item, error) {
	q, args := itemsQuery(tenant, f, limit, d.dialect.timeArg)
	return d.readItems(ctx, d.dialect.rebind(q), args...)
}

// itemsQuery is the statement of Items, with its arguments.
func itemsQuery(tenant string, f storage.ItemFilter, limit int, timeArg func(time.Time) any) (string, []any) {
	q := "SELECT " + joinNames(tItems.names("tenant")) + " FROM agenda_items WHERE tenant = ?"
	args := []any{tenant}
	if f.Attendant != "" {
		q += " AND attendant_id = ?"
		args = append(args, f.Attendant)
	}
	if f.CustomerID != uuid.Nil {
		q += " AND customer_id = ?"
		args = append(args, f.CustomerID.String())
	}
	if f.Status != 0 {
		q += " AND status = ?"
		args = append(args, f.Status.String())
	}
	if !f.DueFrom.IsZero() {
		q += " AND due >= ?"
		args = append(args, timeArg(f.DueFrom))
	}
	if !f.DueBefore.IsZero() {
		q += " AND due < ?"
		args = append(args, timeArg(f.DueBefore))
	}
	if p := f.After; p != nil {
		t := timeArg(p.UpdatedAt)
		q += " AND due >= ? AND (due > ? OR id > ?)"
		args = append(args, t, t, p.ID.String())
	}
	q += " ORDER BY due, id LIMIT ?"
	return q, append(args, limit)
}

func (d *Driver) readItems(ctx context.Context, q string, args ...any) ([]agenda.Item, error) {
	rows, err := d.query(ctx, nil, q, args...)
	if err != nil {
		return nil, d.fail(ctx, err)
	}
	defer rows.Close()
	var out []agenda.Item
	for rows.Next() {
		var it agenda.Item
		var due, created, updated timeValue
		var resolved sql.NullString
		var moves []byte
		if err := rows.Scan(&it.ID, &it.CustomerID, &it.Contact, &due, &it.Attendant.ID, &it.Attendant.Name, &it.Subject,
			textOrEmpty{&it.Channel}, textOf{&it.Status}, &it.Notes, &resolved, &moves, &it.Version, &created, &updated); err != nil {
			return nil, d.fail(ctx, err)
		}
		it.Due, it.CreatedAt, it.UpdatedAt = due.t, created.t, updated.t
		if resolved.Valid {
			if it.ResolvedBy, err = uuid.Parse(resolved.String); err != nil {
				return nil, d.fail(ctx, err)
			}
		}
		if err := json.Unmarshal(moves, &it.Reschedules); err != nil {
			return nil, d.fail(ctx, err)
		}
		if len(it.Reschedules) == 0 {
			it.Reschedules = nil
		}
		out = append(out, it)
	}
	return out, d.fail(ctx, rows.Err())
}

// HasAttendance implements [storage.Driver].
func (d *Driver) HasAttendance(ctx context.Context, tenant string, customerID, id uuid.UUID) (bool, error) {
	var one int
	err := d.queryRow(ctx, nil, d.dialect.rebind("SELECT 1 FROM attendances WHERE tenant = ? AND customer_id = ? AND id = ?"),
		tenant, customerID.String(), id.String()).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, d.fail(ctx, err)
}

// textOrEmpty scans a text column into an enum whose zero value is "".
type textOrEmpty struct {
	dst interface{ UnmarshalText([]byte) error }
}

func (v textOrEmpty) Scan(src any) error {
	switch x := src.(type) {
	case string:
		if x == "" {
			return nil
		}
	case []byte:
		if len(x) == 0 {
			return nil
		}
	}
	return textOf(v).Scan(src)
}
