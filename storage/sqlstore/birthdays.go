package sqlstore

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"github.com/fichacrm/ficha/date"
	"github.com/fichacrm/ficha/storage"
)

// Birthdays implements [storage.Driver]: customers from
// customers_birth_md, contacts from contacts_birth_md, each side cut to
// the limit and merged in order.
func (d *Driver) Birthdays(ctx context.Context, tenant string, r storage.MDRange, after *storage.BirthdayPosition, limit int) ([]storage.Birthday, error) {
	// The position a row must come after: md, then customer, then contact
	// (-1 for the customer).
	afterCond := func(md, id, idx string) (string, []any) {
		if after == nil {
			return "", nil
		}
		p := after
		return " AND " + md + " >= ? AND (" + md + " > ? OR " + id + " > ? OR (" + id + " = ? AND " + idx + " > ?))",
			[]any{int(p.MD), int(p.MD), p.CustomerID.String(), p.CustomerID.String(), p.Index}
	}
	// Customers: their own birthday is index -1.
	cond, cargs := afterCond("c.birth_md", "c.id", "-1")
	qc := customerBirthdays(cond)
	argsC := append(append([]any{tenant, int(r.From), int(r.To)}, cargs...), limit)
	var out []storage.Birthday
	rows, err := d.query(ctx, nil, d.dialect.rebind(qc), argsC...)
	if err != nil {
		return nil, d.fail(ctx, err)
	}
	for rows.Next() {
		b := storage.Birthday{ContactIndex: -1}
		var born date.Date
		if err := rows.Scan(&b.CustomerID, textOf{&b.Kind}, &b.Customer, &born, &b.Phone); err != nil {
			rows.Close()
			return nil, d.fail(ctx, err)
		}
		b.Month, b.Day, b.Year = born.Month, born.Day, born.Year
		out = append(out, b)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, d.fail(ctx, err)
	}
	cond, targs := afterCond("ct.birth_md", "ct.customer_id", "ct.position")
	qt := "SELECT ct.customer_id, c.kind, c.name, ct.name, ct.position, ct.birthday_month, ct.birthday_day, ct.birthday_year, " +
		"(SELECT p.phone FROM contact_phones p WHERE p.tenant = ct.tenant AND p.customer_id = ct.customer_id " +
		"AND p.contact_position = ct.position AND p.position = 0) " +
		"FROM contacts ct JOIN customers c ON c.tenant = ct.tenant AND c.id = ct.customer_id " +
		"WHERE ct.tenant = ? AND ct.birth_md BETWEEN ? AND ?" + cond + " ORDER BY ct.birth_md, ct.customer_id, ct.position LIMIT ?"
	argsT := append(append([]any{tenant, int(r.From), int(r.To)}, targs...), limit)
	rows, err = d.query(ctx, nil, d.dialect.rebind(qt), argsT...)
	if err != nil {
		return nil, d.fail(ctx, err)
	}
	defer rows.Close()
	for rows.Next() {
		var b storage.Birthday
		var month, day int
		var year sql.NullInt64
		if err := rows.Scan(&b.CustomerID, textOf{&b.Kind}, &b.Customer, &b.Contact, &b.ContactIndex, &month, &day, &year, &b.Phone); err != nil {
			return nil, d.fail(ctx, err)
		}
		b.Month, b.Day, b.Year = time.Month(month), day, int(year.Int64)
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, d.fail(ctx, err)
	}
	pos := func(b storage.Birthday) storage.BirthdayPosition {
		return storage.BirthdayPosition{MD: storage.MonthDay(int(b.Month)*100 + b.Day), CustomerID: b.CustomerID, Index: b.ContactIndex}
	}
	sortBirthdays(out, pos)
	return out[:min(limit, len(out))], nil
}

// customerBirthdays is the query of customers' own birthdays, after the
// position cond (empty for the first page). Its columns are those of the
// customers_birthdays index, so SQLite reads the page from it alone.
func customerBirthdays(cond string) string {
	return "SELECT c.id, c.kind, c.name, c.birth_date, c.main_phone FROM customers c WHERE c.tenant = ? AND c.birth_md BETWEEN ? AND ?" +
		cond + " ORDER BY c.birth_md, c.id LIMIT ?"
}

func sortBirthdays(bs []storage.Birthday, pos func(storage.Birthday) storage.BirthdayPosition) {
	slices.SortFunc(bs, func(a, b storage.Birthday) int { return storage.CompareBirthdays(pos(a), pos(b)) })
}
