package sqlstore

import (
	"context"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
)

// list reads a page of a list for List. Each order has an index led by the
// tenant (customers_updated, customers_sort_name), and a page continues
// from its position with a range on that index, never an offset.
func (d *Driver) list(ctx context.Context, tenant string, f storage.ListFilter, limit int) ([]storage.Summary, error) {
	var where []string
	args := []any{tenant}
	add := func(cond string, vals ...any) {
		where = append(where, cond)
		args = append(args, vals...)
	}
	if f.Status != 0 {
		add("c.status = ?", f.Status.String())
	}
	if f.Kind != 0 {
		add("c.kind = ?", f.Kind.String())
	}
	if !f.UpdatedSince.IsZero() {
		add("c.updated_at >= ?", d.dialect.timeArg(f.UpdatedSince))
	}
	if !f.UpdatedBefore.IsZero() {
		add("c.updated_at < ?", d.dialect.timeArg(f.UpdatedBefore))
	}
	if !f.CreatedSince.IsZero() {
		add("c.created_at >= ?", d.dialect.timeArg(f.CreatedSince))
	}
	if !f.CreatedBefore.IsZero() {
		add("c.created_at < ?", d.dialect.timeArg(f.CreatedBefore))
	}
	var order string
	switch f.Order {
	case storage.ByName:
		order = "c.sort_name, c.id"
		if p := f.After; p != nil {
			add("c.sort_name >= ? AND (c.sort_name > ? OR c.id > ?)", p.SortName, p.SortName, p.ID.String())
		}
	case storage.OldestFirst:
		order = "c.updated_at, c.id"
		if p := f.After; p != nil {
			t := d.dialect.timeArg(p.UpdatedAt)
			add("c.updated_at >= ? AND (c.updated_at > ? OR c.id > ?)", t, t, p.ID.String())
		}
	default:
		order = "c.updated_at DESC, c.id DESC"
		if p := f.After; p != nil {
			t := d.dialect.timeArg(p.UpdatedAt)
			add("c.updated_at <= ? AND (c.updated_at < ? OR c.id < ?)", t, t, p.ID.String())
		}
	}
	q := "SELECT " + summarySelect + " FROM customers c WHERE c.tenant = ?"
	for _, w := range where {
		q += " AND " + w
	}
	q += " ORDER BY " + order + " LIMIT ?"
	args = append(args, limit)
	rows, err := d.query(ctx, nil, d.dialect.rebind(q), args...)
	if err != nil {
		return nil, d.fail(ctx, err)
	}
	defer rows.Close()
	var out []storage.Summary
	for rows.Next() {
		var s storage.Summary
		if err := scanSummary(rows, &s); err != nil {
			return nil, d.fail(ctx, err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, d.fail(ctx, err)
	}
	return out, nil
}

// CountBy implements [storage.Driver], from the customers_status_kind
// index.
func (d *Driver) CountBy(ctx context.Context, tenant string) ([3][3]int64, error) {
	var by [3][3]int64
	rows, err := d.query(ctx, nil, d.dialect.rebind("SELECT status, kind, COUNT(*) FROM customers WHERE tenant = ? GROUP BY status, kind"), tenant)
	if err != nil {
		return by, d.fail(ctx, err)
	}
	defer rows.Close()
	for rows.Next() {
		var st customer.Status
		var k customer.Kind
		var n int64
		if err := rows.Scan(textOf{&st}, textOf{&k}, &n); err != nil {
			return by, d.fail(ctx, err)
		}
		if int(st) < 3 && int(k) < 3 {
			by[st][k] += n
		}
	}
	return by, d.fail(ctx, rows.Err())
}

// ReadPage implements [storage.Driver]: the page's IDs from the
// customers_tenant_id index, then the customers whole, one statement per
// table, all in one read-only transaction.
func (d *Driver) ReadPage(ctx context.Context, tenant string, after uuid.UUID, limit int) ([]*customer.Customer, error) {
	d.warm(ctx)
	tx, err := d.db.BeginTx(ctx, d.dialect.readTx)
	if err != nil {
		return nil, d.fail(ctx, err)
	}
	defer func() { _ = tx.Rollback() }()
	rows, err := d.query(ctx, tx, d.dialect.rebind("SELECT id FROM customers WHERE tenant = ? AND id > ? ORDER BY id LIMIT ?"), tenant, after.String(), limit)
	if err != nil {
		return nil, d.fail(ctx, err)
	}
	var ids []uuid.UUID
	for rows.Next() {
		var id uuid.UUID
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, d.fail(ctx, err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, d.fail(ctx, err)
	}
	m, err := d.loadMany(ctx, tx, tenant, ids)
	if err != nil {
		return nil, d.fail(ctx, err)
	}
	out := make([]*customer.Customer, 0, len(ids))
	for _, id := range ids {
		if c := m[id]; c != nil {
			out = append(out, c)
		}
	}
	return out, d.fail(ctx, tx.Commit())
}
