package sqlstore

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
)

// prefixEnd is appended to a prefix to bound its range from above: the
// largest code point, so that every key that starts with the prefix sorts
// below prefix+prefixEnd in byte order (SQLite's BINARY, PostgreSQL's
// COLLATE "C", MySQL's utf8mb4_bin).
const prefixEnd = "\U0010FFFF"

// driving picks the term that drives a search: an exact term if there is
// one (an index point), else the longest prefix (the narrowest range).
func driving(terms []customer.Term) int {
	best := 0
	for i, t := range terms {
		b := terms[best]
		switch {
		case !t.Prefix && b.Prefix:
			best = i
		case t.Prefix == b.Prefix && len(t.Value) > len(b.Value):
			best = i
		}
	}
	return best
}

// cond writes the value condition of term t on alias k.
func cond(b *strings.Builder, args []any, k string, t customer.Term) []any {
	if t.Prefix {
		b.WriteString(k + ".value >= ? AND " + k + ".value < ?")
		return append(args, t.Value, t.Value+prefixEnd)
	}
	b.WriteString(k + ".value = ?")
	return append(args, t.Value)
}

// probe writes an EXISTS condition: the customer whose ID is the column id
// has a key of the tenant that satisfies t, looked up under alias k.
func probe(b *strings.Builder, args []any, k, id, tenant string, t customer.Term) []any {
	b.WriteString(" AND EXISTS (SELECT 1 FROM search_keys " + k + " WHERE " + k + ".customer_id = " + id + " AND " +
		k + ".tenant = ? AND " + k + ".field = ? AND ")
	args = cond(b, append(args, tenant, t.Field.String()), k, t)
	b.WriteString(")")
	return args
}

// Search implements [storage.Driver]. One statement finds the page of
// customer IDs: the driving term walks the search_keys primary key
// (tenant, field, value, customer_id) and every other term is an EXISTS
// probe of the (tenant, customer_id) index, so no search reads the
// customers table in full. The probes name the tenant too, so that a
// planner that turns them into semi-joins still has the primary key to
// range over; the page's keys are read by customer ID alone. A second statement reads the page's summaries
// and matched keys.
func (d *Driver) Search(ctx context.Context, tenant string, terms []customer.Term, after uuid.UUID, limit int) ([]storage.Found, error) {
	if len(terms) == 0 {
		return nil, nil
	}
	di := driving(terms)
	if terms[di].Prefix {
		dense, err := d.dense(ctx, tenant, terms[di])
		if err != nil {
			return nil, err
		}
		if dense {
			return d.scanSearch(ctx, tenant, terms, after, limit)
		}
	}
	var b strings.Builder
	args := []any{tenant, terms[di].Field.String()}
	b.WriteString("SELECT DISTINCT k0.customer_id FROM search_keys k0 WHERE k0.tenant = ? AND k0.field = ? AND ")
	args = cond(&b, args, "k0", terms[di])
	b.WriteString(" AND k0.customer_id > ?")
	args = append(args, after.String())
	n := 0
	for i, t := range terms {
		if i == di {
			continue
		}
		n++
		args = probe(&b, args, "k"+strconv.Itoa(n), "k0.customer_id", tenant, t)
	}
	b.WriteString(" ORDER BY k0.customer_id LIMIT ?")
	args = append(args, limit)
	return d.page(ctx, tenant, b.String(), args, terms)
}

// denseThreshold is the number of keys in a prefix's range from which a
// search walks customers in ID order instead of the range.
const denseThreshold = 1000

// dense reports whether the range of prefix term t holds at least
// denseThreshold keys; counting stops there, so asking is cheap.
func (d *Driver) dense(ctx context.Context, tenant string, t customer.Term) (bool, error) {
	var n int
	q := d.dialect.rebind("SELECT COUNT(*) FROM (SELECT 1 FROM search_keys WHERE tenant = ? AND field = ? AND value >= ? AND value < ? LIMIT ?) x")
	if err := d.queryRow(ctx, nil, q, tenant, t.Field.String(), t.Value, t.Value+prefixEnd, denseThreshold).Scan(&n); err != nil {
		return false, d.fail(ctx, err)
	}
	return n >= denseThreshold, nil
}

// scanSearch serves a search made only of common prefixes ("jo silv"):
// sorting every key in their ranges would cost in proportion to the
// matches, so it walks the tenant's customers in ID order instead and
// probes each one's keys, stopping at the page's end. The denser the
// matches, the sooner the page fills.
func (d *Driver) scanSearch(ctx context.Context, tenant string, terms []customer.Term, after uuid.UUID, limit int) ([]storage.Found, error) {
	var b strings.Builder
	args := []any{tenant, after.String()}
	b.WriteString("SELECT c.id FROM customers c WHERE c.tenant = ? AND c.id > ?")
	for i, t := range terms {
		args = probe(&b, args, "k"+strconv.Itoa(i), "c.id", tenant, t)
	}
	b.WriteString(" ORDER BY c.id LIMIT ?")
	args = append(args, limit)
	return d.page(ctx, tenant, b.String(), args, terms)
}

// page runs a query of customer IDs and returns their hits.
func (d *Driver) page(ctx context.Context, tenant, query string, args []any, terms []customer.Term) ([]storage.Found, error) {
	rows, err := d.query(ctx, nil, d.dialect.rebind(query), args...)
	if err != nil {
		return nil, d.fail(ctx, err)
	}
	var ids []any
	for rows.Next() {
		var id uuid.UUID
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, d.fail(ctx, err)
		}
		ids = append(ids, id.String())
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, d.fail(ctx, err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	return d.found(ctx, tenant, ids, terms)
}

// found reads the summaries of the customers with the given IDs, and their
// keys of the searched fields, in the IDs' order.
func (d *Driver) found(ctx context.Context, tenant string, ids []any, terms []customer.Term) ([]storage.Found, error) {
	var fields []any
	for _, t := range terms {
		f := t.Field.String()
		dup := false
		for _, g := range fields {
			dup = dup || g == f
		}
		if !dup {
			fields = append(fields, f)
		}
	}
	q := "SELECT " + summarySelect + ", k.field, k.value FROM customers c " +
		"JOIN search_keys k ON k.tenant = c.tenant AND k.customer_id = c.id " +
		"WHERE c.tenant = ? AND c.id IN (" + list(len(ids)) + ") AND k.field IN (" + list(len(fields)) + ")"
	args := append(append([]any{tenant}, ids...), fields...)
	rows, err := d.query(ctx, nil, d.dialect.rebind(q), args...)
	if err != nil {
		return nil, d.fail(ctx, err)
	}
	defer rows.Close()
	byID := map[uuid.UUID]*storage.Found{}
	keys := map[uuid.UUID][]customer.Key{}
	for rows.Next() {
		var h storage.Found
		var k customer.Key
		if err := scanSummary(rows, &h.Summary, textOf{&k.Field}, &k.Value); err != nil {
			return nil, d.fail(ctx, err)
		}
		if byID[h.ID] == nil {
			byID[h.ID] = &h
		}
		keys[h.ID] = append(keys[h.ID], k)
	}
	if err := rows.Err(); err != nil {
		return nil, d.fail(ctx, err)
	}
	found := make([]storage.Found, 0, len(ids))
	for _, raw := range ids {
		id := uuid.MustParse(raw.(string))
		h := byID[id]
		if h == nil {
			continue // deleted between the two statements
		}
		h.Keys = keys[id]
		found = append(found, *h)
	}
	return found, nil
}

// summarySelect are the columns of customers c that make a
// storage.Summary, in the order scanSummary reads them.
const summarySelect = "c.id, c.kind, c.status, c.name, c.trade_name, c.tax_id, c.main_phone, c.main_plate, c.city, c.main_uf, " +
	"c.version, c.created_at, c.updated_at, c.last_attendance_at"

// scanSummary reads the columns of summarySelect into s, then extra.
func scanSummary(rows *sql.Rows, s *storage.Summary, extra ...any) error {
	var created, updated, last timeValue
	dst := append([]any{&s.ID, textOf{&s.Kind}, textOf{&s.Status}, &s.Name, &s.TradeName, &s.TaxID, &s.Phone, &s.Plate,
		&s.City, &s.UF, &s.Version, &created, &updated, &last}, extra...)
	if err := rows.Scan(dst...); err != nil {
		return err
	}
	s.CreatedAt, s.UpdatedAt, s.LastAttendance = created.t, updated.t, last.t
	return nil
}
