package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
)

var (
	// tChanges is the change log; tSeq numbers each tenant's entries.
	tChanges = newTable("changes", "tenant", "seq bigint", "customer_id uuid", "changed_at timestamptz", "op",
		"version bigint", "item_id uuid", "actor_id", "actor_name", "actor_app", "request_id", "fields json")
	tSeq = newTable("change_seq", "tenant", "last bigint")
)

// appendChanges numbers the entries (the tenant's next numbers, in order)
// and inserts them, in tx. It runs last in a write's transaction: taking
// the numbers locks the tenant's counter row until the commit, so that the
// tenant's entries commit in the order of their numbers and a reader of
// the log never sees an entry before one with a lower number.
func (d *Driver) appendChanges(ctx context.Context, tx *sql.Tx, tenant string, changes []*storage.Change) error {
	return d.appendChangesWith(ctx, tx, tenant, changes, func(b *batch) error { return d.flush(ctx, tx, b) })
}

// appendChangesWith is appendChanges writing the entries' rows with
// write: a bulk insert's COPY.
func (d *Driver) appendChangesWith(ctx context.Context, tx *sql.Tx, tenant string, changes []*storage.Change, write func(*batch) error) error {
	if len(changes) == 0 {
		return nil
	}
	var last int64
	if d.dialect.returning {
		if err := d.queryRow(ctx, tx, d.q.bumpSeq, tenant, len(changes)).Scan(&last); err != nil {
			return err
		}
	} else {
		res, err := d.exec(ctx, tx, d.q.bumpSeq, tenant, len(changes))
		if err != nil {
			return err
		}
		if d.dialect.seqInsertID {
			last, err = res.LastInsertId()
		} else {
			err = d.queryRow(ctx, tx, d.q.lastSeq, tenant).Scan(&last)
		}
		if err != nil {
			return err
		}
	}
	b := newBatch()
	first := last - int64(len(changes)) + 1
	for i, ch := range changes {
		ch.Seq = first + int64(i)
		row, err := d.changeRow(tenant, ch)
		if err != nil {
			return err
		}
		b.add(tChanges, row...)
	}
	return write(b)
}

// changeRow is the changes row of ch, in the order of tChanges.
func (d *Driver) changeRow(tenant string, ch *storage.Change) ([]any, error) {
	fields := ch.Fields
	if fields == nil {
		fields = []customer.FieldChange{}
	}
	js, err := json.Marshal(fields)
	if err != nil {
		return nil, err
	}
	var item any
	if ch.Item != uuid.Nil {
		item = ch.Item.String()
	}
	return []any{tenant, ch.Seq, ch.CustomerID.String(), d.dialect.timeArg(ch.At), ch.Op.String(), ch.Version, item,
		ch.Actor.ID, ch.Actor.Name, ch.Actor.App, ch.Actor.RequestID, string(js)}, nil
}

// changeList is the entries of a write that appends change, if any.
func changeList(change *storage.Change) []*storage.Change {
	if change == nil {
		return nil
	}
	return []*storage.Change{change}
}

// History implements [storage.Driver].
func (d *Driver) History(ctx context.Context, tenant string, id uuid.UUID, before int64, limit int) ([]storage.Change, error) {
	return d.readChanges(ctx, tenant, d.q.history, tenant, id.String(), before, limit)
}

// Changes implements [storage.Driver].
func (d *Driver) Changes(ctx context.Context, tenant string, after int64, limit int) ([]storage.Change, error) {
	return d.readChanges(ctx, tenant, d.q.changes, tenant, after, limit)
}

func (d *Driver) readChanges(ctx context.Context, tenant, query string, args ...any) ([]storage.Change, error) {
	rows, err := d.query(ctx, nil, query, args...)
	if err != nil {
		return nil, d.fail(ctx, err)
	}
	defer rows.Close()
	var out []storage.Change
	for rows.Next() {
		ch := storage.Change{Tenant: tenant}
		var at timeValue
		var fields []byte
		if err := rows.Scan(&ch.Seq, &ch.CustomerID, &at, textOf{&ch.Op}, &ch.Version, &ch.Item,
			&ch.Actor.ID, &ch.Actor.Name, &ch.Actor.App, &ch.Actor.RequestID, &fields); err != nil {
			return nil, d.fail(ctx, err)
		}
		ch.At = at.t
		if ch.Fields, err = decodeFields(fields); err != nil {
			return nil, d.fail(ctx, err)
		}
		out = append(out, ch)
	}
	if err := rows.Err(); err != nil {
		return nil, d.fail(ctx, err)
	}
	return out, nil
}
