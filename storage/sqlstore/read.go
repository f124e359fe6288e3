package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/reference"
	"github.com/fichacrm/ficha/storage"
)

// timeValue scans a timestamp whichever way the driver hands it over: a
// time.Time, or text in the store's SQLite form or RFC 3339.
type timeValue struct{ t time.Time }

func (v *timeValue) Scan(src any) error {
	var s string
	switch x := src.(type) {
	case nil:
		v.t = time.Time{} // a nullable column's NULL: no time
		return nil
	case time.Time:
		v.t = storage.Timestamp(x)
		return nil
	case string:
		s = x
	case []byte:
		s = string(x)
	default:
		return fmt.Errorf("sqlstore: cannot scan %T as a timestamp", src)
	}
	for _, layout := range []string{sqliteTime, time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			v.t = storage.Timestamp(t)
			return nil
		}
	}
	return fmt.Errorf("sqlstore: unreadable timestamp")
}

// textOf scans a text column into an enum through its UnmarshalText.
type textOf struct {
	dst interface{ UnmarshalText([]byte) error }
}

func (v textOf) Scan(src any) error {
	switch x := src.(type) {
	case string:
		return v.dst.UnmarshalText([]byte(x))
	case []byte:
		return v.dst.UnmarshalText(x)
	}
	return fmt.Errorf("sqlstore: cannot scan %T as text", src)
}

// get reads a customer for Get, from one snapshot: by one statement where
// the dialect can write a row as JSON (one round trip to the server), else
// in one read-only transaction.
func (d *Driver) get(ctx context.Context, tenant string, id uuid.UUID) (*customer.Customer, error) {
	d.warm(ctx)
	if d.q.getWhole != "" {
		c, err := d.load(ctx, nil, tenant, id)
		return c, d.fail(ctx, err)
	}
	tx, err := d.pool(ctx).BeginTx(ctx, d.dialect.readTx)
	if err != nil {
		return nil, d.fail(ctx, err)
	}
	defer func() { _ = tx.Rollback() }()
	c, err := d.load(ctx, tx, tenant, id)
	if err != nil {
		return nil, d.fail(ctx, err)
	}
	return c, d.fail(ctx, tx.Commit())
}

func (d *Driver) load(ctx context.Context, tx *sql.Tx, tenant string, id uuid.UUID) (*customer.Customer, error) {
	m, err := d.loadMany(ctx, tx, tenant, []uuid.UUID{id})
	if err != nil {
		return nil, err
	}
	c := m[id]
	if c == nil {
		return nil, storage.ErrNotFound
	}
	return c, nil
}

// loadMany reads the tenant's customers with the given IDs whole, in tx
// (on the pool when tx is nil), whatever their number: in one statement
// where the dialect writes rows as JSON (see wholeSelect), else one
// statement per table. An ID the tenant does not have is left out of the
// map. One ID runs statements prepared once; more list the IDs.
func (d *Driver) loadMany(ctx context.Context, tx *sql.Tx, tenant string, ids []uuid.UUID) (map[uuid.UUID]*customer.Customer, error) {
	out := make(map[uuid.UUID]*customer.Customer, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	idArgs := make([]any, len(ids))
	for i, id := range ids {
		idArgs[i] = id.String()
	}
	run := func(single, many, order string) (*sql.Rows, error) {
		if len(ids) == 1 {
			return d.query(ctx, tx, single, tenant, idArgs[0])
		}
		q, args := d.inList(many, idArgs, "uuid")
		return d.query(ctx, tx, q+order, append([]any{tenant}, args...)...)
	}
	each := func(single, many, order string, scan func(r rowScanner) error) error {
		rows, err := run(single, many, order)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	// Where the dialect can, in one statement: every row of the
	// customers, each as a JSON array tagged by its table.
	var whole [][]jsonRow
	if d.q.getWhole != "" && (d.dialect.unnest || (len(ids)+1)*(len(readTables)+1) <= maxParams) {
		var err error
		if whole, err = d.readWhole(ctx, tx, tenant, idArgs); err != nil {
			return nil, err
		}
	}
	scanCustomer := func(r rowScanner) error {
		c := &customer.Customer{}
		var created, updated timeValue
		if err := r.Scan(&c.ID, textOf{&c.Kind}, textOf{&c.Status}, &c.Version, &c.Name, &c.TradeName, &c.TaxID, &c.Employer,
			&c.BirthDate, &c.Notes, &c.DMSCode, &created, &updated); err != nil {
			return err
		}
		c.CreatedAt, c.UpdatedAt = created.t, updated.t
		out[c.ID] = c
		return nil
	}
	var err error
	if whole != nil {
		for _, r := range whole[0] {
			if err = scanCustomer(r); err != nil {
				break
			}
		}
	} else {
		err = each(d.q.getCustomer, d.q.getCustomers, "", scanCustomer)
	}
	if err != nil || len(out) == 0 {
		return out, err
	}
	// of returns the customer a child row belongs to.
	of := func(id uuid.UUID) (*customer.Customer, error) {
		if c := out[id]; c != nil {
			return c, nil
		}
		return nil, fmt.Errorf("sqlstore: a sub-record of a customer not read")
	}
	var id uuid.UUID
	var pos int
	steps := []struct {
		t    table
		scan func(r rowScanner) error
	}{
		{tPhones, func(r rowScanner) error {
			var p contact.Phone
			if err := r.Scan(&id, &pos, &p); err != nil {
				return err
			}
			c, err := of(id)
			if err == nil {
				c.Phones = append(c.Phones, p)
			}
			return err
		}},
		{tEmails, func(r rowScanner) error {
			var e contact.Email
			if err := r.Scan(&id, &pos, &e); err != nil {
				return err
			}
			c, err := of(id)
			if err == nil {
				c.Emails = append(c.Emails, e)
			}
			return err
		}},
		{tOrders, func(r rowScanner) error {
			var so string
			if err := r.Scan(&id, &pos, &so); err != nil {
				return err
			}
			c, err := of(id)
			if err == nil {
				c.ServiceOrders = append(c.ServiceOrders, so)
			}
			return err
		}},
		{tAddresses, func(r rowScanner) error {
			var a address.Address
			var corr, bill bool
			if err := r.Scan(&id, &pos, &a.CEP, &a.Street, &a.Number, &a.Complement, &a.District, &a.City, &a.UF, &corr, &bill); err != nil {
				return err
			}
			if corr {
				a.Purposes |= address.Correspondence
			}
			if bill {
				a.Purposes |= address.Billing
			}
			c, err := of(id)
			if err == nil {
				c.Addresses = append(c.Addresses, a)
			}
			return err
		}},
		{tAssets, func(r rowScanner) error {
			var a asset.Asset
			var year sql.NullInt64
			if err := r.Scan(&id, &pos, &a.Description, textOf{&a.Kind}, &year, &a.Value, &a.Lien.Balance, &a.Lien.Creditor,
				&a.Lien.PayoffDate, &a.VIN, &a.Plate, &a.RENAVAM); err != nil {
				return err
			}
			a.Year = int(year.Int64)
			c, err := of(id)
			if err == nil {
				c.Assets = append(c.Assets, a)
			}
			return err
		}},
		{tPersonal, func(r rowScanner) error {
			var p reference.Personal
			if err := r.Scan(&id, &pos, &p.Name, &p.Phone, &p.Note); err != nil {
				return err
			}
			c, err := of(id)
			if err == nil {
				c.PersonalReferences = append(c.PersonalReferences, p)
			}
			return err
		}},
		{tBanks, func(r rowScanner) error {
			var b reference.Bank
			if err := r.Scan(&id, &pos, &b.Code, &b.Branch, &b.BranchDigit, &b.Account, &b.AccountDigit); err != nil {
				return err
			}
			c, err := of(id)
			if err == nil {
				c.BankReferences = append(c.BankReferences, b)
			}
			return err
		}},
		{tCards, func(r rowScanner) error {
			var brand reference.Brand
			var bin, last4, holder, token string
			var month, year sql.NullInt64
			if err := r.Scan(&id, &pos, textOf{&brand}, &bin, &last4, &holder, &month, &year, &token); err != nil {
				return err
			}
			card, err := reference.RestoreCard(brand, bin, last4)
			if err != nil {
				return err
			}
			card.Holder, card.Token = holder, token
			card.Expiry = reference.Expiry{Month: time.Month(month.Int64), Year: int(year.Int64)}
			c, err := of(id)
			if err == nil {
				c.Cards = append(c.Cards, card)
			}
			return err
		}},
		{tContacts, func(r rowScanner) error {
			var ct contact.Contact
			var day, month, year, wd, hour sql.NullInt64
			if err := r.Scan(&id, &pos, &ct.Name, &ct.Role, &ct.Email, &day, &month, &year, &ct.FleetManager, &wd, &hour); err != nil {
				return err
			}
			ct.Birthday = contact.Birthday{Day: int(day.Int64), Month: time.Month(month.Int64), Year: int(year.Int64)}
			ct.PreferredDay = contact.Weekday(wd.Int64)
			if hour.Valid {
				ct.PreferredHour = contact.At(int(hour.Int64))
			}
			c, err := of(id)
			if err == nil {
				c.Contacts = append(c.Contacts, ct)
			}
			return err
		}},
		{tContactTel, func(r rowScanner) error {
			var cp, p int
			var ph contact.Phone
			if err := r.Scan(&id, &cp, &p, &ph); err != nil {
				return err
			}
			c, err := of(id)
			if err != nil {
				return err
			}
			if cp < 0 || cp >= len(c.Contacts) {
				return fmt.Errorf("sqlstore: contact phone of a missing contact")
			}
			c.Contacts[cp].Phones = append(c.Contacts[cp].Phones, ph)
			return nil
		}},
		{tInfo, func(r rowScanner) error {
			var k, v string
			if err := r.Scan(&id, &k, &v); err != nil {
				return err
			}
			c, err := of(id)
			if err != nil {
				return err
			}
			if c.Info == nil {
				c.Info = map[string]string{}
			}
			c.Info[k] = v
			return nil
		}},
	}
	if whole != nil {
		for _, st := range steps {
			tag := 1 + slices.IndexFunc(readTables, func(t table) bool { return t.name == st.t.name })
			if tag == 0 {
				return nil, fmt.Errorf("sqlstore: %s is not read whole", st.t.name)
			}
			if err := scanInOrder(st.t, whole[tag], st.scan); err != nil {
				return nil, fmt.Errorf("sqlstore: %s of a customer: %w", st.t.name, err)
			}
		}
		return out, nil
	}
	for _, st := range steps {
		if err := each(d.q.children[st.t.name], d.q.childrenMany[st.t.name], d.q.childOrder[st.t.name], st.scan); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// readTables are the tables of a customer's sub-records that a read of the
// record takes (wholeSelect tags their rows by their place here).
var readTables = []table{tPhones, tEmails, tOrders, tAddresses, tAssets, tPersonal, tBanks, tCards, tContacts, tContactTel, tInfo}

// rowScanner is what the scans of loadMany read: *sql.Rows, or a row
// read as JSON.
type rowScanner interface{ Scan(dest ...any) error }

// wholeSelect returns the statement that reads customers whole, for a
// dialect with rowJSON: the customers' rows, then the rows of each table
// of readTables, each row as (tag, JSON array of its read columns), the
// tag 0 for customers and i+1 for readTables[i]. Each part's condition
// on the customer's ID is cond's for the column it names; the tenant
// comes before it.
func wholeSelect(d Dialect, cond func(col string) string) string {
	var b strings.Builder
	b.WriteString("SELECT 0, " + d.rowJSON(tCustomers.readNames("tenant")) + " FROM customers WHERE tenant = ? AND " + cond("id"))
	for i, t := range readTables {
		b.WriteString(" UNION ALL SELECT " + strconv.Itoa(i+1) + ", " + d.rowJSON(t.readNames("tenant")) + " FROM " + t.name +
			" WHERE tenant = ? AND " + cond("customer_id"))
	}
	return b.String()
}

// readWhole reads the tenant's customers ids whole, by the statement of
// wholeSelect, and returns their rows by tag.
func (d *Driver) readWhole(ctx context.Context, tx *sql.Tx, tenant string, ids []any) ([][]jsonRow, error) {
	query := d.q.getWhole
	var args []any
	if len(ids) == 1 {
		for range len(readTables) + 1 {
			args = append(args, tenant, ids[0])
		}
	} else {
		var idArgs []any
		query = d.dialect.rebind(wholeSelect(d.dialect, func(col string) string {
			cond, a := d.in(col, ids, "uuid")
			idArgs = a
			return cond
		}))
		for range len(readTables) + 1 {
			args = append(append(args, tenant), idArgs...)
		}
	}
	rows, err := d.query(ctx, tx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([][]jsonRow, len(readTables)+1)
	var data []byte
	for rows.Next() {
		var tag int
		if err := rows.Scan(&tag, &data); err != nil {
			return nil, err
		}
		if tag < 0 || tag >= len(out) {
			return nil, errors.New("sqlstore: a row of no table")
		}
		r, err := parseRow(data)
		if err != nil {
			return nil, err
		}
		out[tag] = append(out[tag], jsonRow(r))
	}
	return out, rows.Err()
}

// scanInOrder scans rows of t with scan, in the table's order (position;
// for a contact's phones, the contact's and then the phone's), which a
// union of statements does not promise.
func scanInOrder(t table, rows []jsonRow, scan func(rowScanner) error) error {
	names := t.readNames("tenant")
	var order []int // contact_position comes before position in the columns
	for i, n := range names {
		if n == "position" || n == "contact_position" {
			order = append(order, i)
		}
	}
	// Each row's place, read once; rows usually come in order already.
	type placed struct {
		at  [2]int64
		row jsonRow
	}
	ps := make([]placed, len(rows))
	for j, r := range rows {
		if len(r) != len(names) {
			return errJSONRow
		}
		ps[j].row = r
		for k, i := range order {
			n, ok := r[i].(number)
			v, err := strconv.ParseInt(string(n), 10, 64)
			if !ok || err != nil {
				return errJSONRow
			}
			ps[j].at[k] = v
		}
	}
	byPlace := func(a, b placed) int {
		if c := cmp.Compare(a.at[0], b.at[0]); c != 0 {
			return c
		}
		return cmp.Compare(a.at[1], b.at[1])
	}
	if !slices.IsSortedFunc(ps, byPlace) {
		slices.SortStableFunc(ps, byPlace)
		for j := range ps {
			rows[j] = ps[j].row
		}
	}
	for _, r := range rows {
		if err := scan(r); err != nil {
			return err
		}
	}
	return nil
}

// jsonRow is a row read as a JSON array, which scans as database/sql
// scans a row: into a sql.Scanner, or into a string, an integer or a
// boolean.
type jsonRow []any

func (r jsonRow) Scan(dest ...any) error {
	if len(dest) != len(r) {
		return fmt.Errorf("sqlstore: %d columns scanned into %d values", len(r), len(dest))
	}
	for i, v := range r {
		// As a driver hands values over: numbers as integers when they
		// are, else as their text (NUMERIC keeps every digit).
		if n, ok := v.(number); ok {
			if x, err := strconv.ParseInt(string(n), 10, 64); err == nil {
				v = x
			} else {
				v = string(n)
			}
		}
		if err := assign(dest[i], v); err != nil {
			return fmt.Errorf("sqlstore: column %d: %w", i, err)
		}
	}
	return nil
}

// assign stores v (nil, string, int64 or bool) in dst.
func assign(dst, v any) error {
	if sc, ok := dst.(sql.Scanner); ok {
		return sc.Scan(v)
	}
	switch d := dst.(type) {
	case *string:
		if s, ok := v.(string); ok {
			*d = s
			return nil
		}
		if v == nil {
			*d = ""
			return nil
		}
	case *int:
		if x, ok := v.(int64); ok {
			*d = int(x)
			return nil
		}
	case *int64:
		if x, ok := v.(int64); ok {
			*d = x
			return nil
		}
	case *bool:
		switch x := v.(type) {
		case bool:
			*d = x
			return nil
		case int64: // MySQL's booleans are numbers
			*d = x != 0
			return nil
		}
	}
	return fmt.Errorf("cannot store %T in %T", v, dst)
}
