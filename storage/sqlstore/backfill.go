package sqlstore

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
)

// backfillPage is how many customers a back-fill step reads at once.
const backfillPage = 500

// fillMatchKeys adds the match keys (customer.MatchKeys) to the search
// keys of every customer, a page at a time: those stored before the
// migration that introduced them. It reads only what the keys are made of.
func fillMatchKeys(ctx context.Context, d *Driver, ex execer) error {
	type stub struct {
		tenant string
		c      *customer.Customer
	}
	page := d.dialect.rebind("SELECT tenant, id, kind, name, birth_date FROM customers " +
		"WHERE tenant > ? OR (tenant = ? AND id > ?) ORDER BY tenant, id LIMIT " + strconv.Itoa(backfillPage))
	lastTenant, lastID := "", uuid.Nil.String()
	for {
		rows, err := ex.QueryContext(ctx, page, lastTenant, lastTenant, lastID)
		if err != nil {
			return err
		}
		var stubs []stub
		for rows.Next() {
			st := stub{c: &customer.Customer{}}
			if err := rows.Scan(&st.tenant, &st.c.ID, textOf{&st.c.Kind}, &st.c.Name, &st.c.BirthDate); err != nil {
				rows.Close()
				return err
			}
			stubs = append(stubs, st)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(stubs) == 0 {
			return nil
		}
		// IDs are unique within a tenant only: a page that spans two
		// tenants may hold one twice.
		type key struct {
			tenant string
			id     uuid.UUID
		}
		byID := make(map[key]*customer.Customer, len(stubs))
		ids := make([]any, len(stubs))
		for i, st := range stubs {
			byID[key{st.tenant, st.c.ID}] = st.c
			ids[i] = st.c.ID.String()
		}
		each := func(q string, add func(c *customer.Customer, v string)) error {
			in, args := d.inList(q, ids, "uuid")
			rows, err := ex.QueryContext(ctx, in, args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var k key
				var v string
				if err := rows.Scan(&k.tenant, &k.id, &v); err != nil {
					return err
				}
				if c := byID[k]; c != nil {
					add(c, v)
				}
			}
			return rows.Err()
		}
		// A value stored under older rules that no longer parses makes no
		// key: the record gains it when it is next saved.
		err = each("SELECT tenant, customer_id, phone FROM customer_phones WHERE customer_id", func(c *customer.Customer, v string) {
			if p, err := contact.ParsePhone(v); err == nil {
				c.Phones = append(c.Phones, p)
			}
		})
		if err != nil {
			return err
		}
		err = each("SELECT tenant, customer_id, cep FROM addresses WHERE customer_id", func(c *customer.Customer, v string) {
			if cep, err := address.ParseCEP(v); err == nil {
				c.Addresses = append(c.Addresses, address.Address{CEP: cep})
			}
		})
		if err != nil {
			return err
		}
		var vals []string
		var args []any
		for _, st := range stubs {
			keys := st.c.MatchKeys()
			slices.Sort(keys)
			for _, k := range slices.Compact(keys) {
				vals = append(vals, "(?, ?, ?, ?)")
				args = append(args, st.tenant, st.c.ID.String(), customer.FieldMatch.String(), k)
			}
		}
		for len(vals) > 0 {
			n := min(len(vals), 200)
			q := d.dialect.rebind("INSERT INTO search_keys (tenant, customer_id, field, value) VALUES " + strings.Join(vals[:n], ", "))
			if _, err := ex.ExecContext(ctx, q, args[:4*n]...); err != nil {
				return err
			}
			vals, args = vals[n:], args[4*n:]
		}
		last := stubs[len(stubs)-1]
		lastTenant, lastID = last.tenant, last.c.ID.String()
	}
}

// fillWords moves the name and company words of every customer stored
// before the migration that introduced word_keys out of search_keys: into
// word_keys at the customer's activity, and into the customers row, a
// page at a time; then it empties search_keys of them.
func fillWords(ctx context.Context, d *Driver, ex execer) error {
	page := d.dialect.rebind("SELECT tenant, id, updated_at, last_attendance_at FROM customers " +
		"WHERE tenant > ? OR (tenant = ? AND id > ?) ORDER BY tenant, id LIMIT " + strconv.Itoa(backfillPage))
	set := d.dialect.rebind("UPDATE customers SET name_words = ?, company_words = ?, activity = ? WHERE tenant = ? AND id = ?")
	type stub struct {
		tenant   string
		id       uuid.UUID
		activity int64
		keys     []customer.Key
	}
	lastTenant, lastID := "", uuid.Nil.String()
	for {
		rows, err := ex.QueryContext(ctx, page, lastTenant, lastTenant, lastID)
		if err != nil {
			return err
		}
		var stubs []*stub
		for rows.Next() {
			var st stub
			var updated, last timeValue
			if err := rows.Scan(&st.tenant, &st.id, &updated, &last); err != nil {
				rows.Close()
				return err
			}
			st.activity = storage.Rank(updated.t, last.t)
			stubs = append(stubs, &st)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(stubs) == 0 {
			_, err := ex.ExecContext(ctx, d.dialect.rebind("DELETE FROM search_keys WHERE field IN (?, ?)"),
				customer.FieldName.String(), customer.FieldCompany.String())
			return err
		}
		type key struct {
			tenant string
			id     uuid.UUID
		}
		byID := make(map[key]*stub, len(stubs))
		ids := make([]any, len(stubs))
		for i, st := range stubs {
			byID[key{st.tenant, st.id}] = st
			ids[i] = st.id.String()
		}
		in, args := d.inList("SELECT tenant, customer_id, field, value FROM search_keys WHERE customer_id", ids, "uuid")
		rows, err = ex.QueryContext(ctx, in, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var k key
			var ck customer.Key
			if err := rows.Scan(&k.tenant, &k.id, textOf{&ck.Field}, &ck.Value); err != nil {
				rows.Close()
				return err
			}
			if st := byID[k]; st != nil && wordKey(ck.Field) {
				st.keys = append(st.keys, ck)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		var vals []string
		args = args[:0]
		for _, st := range stubs {
			slices.SortFunc(st.keys, func(a, b customer.Key) int {
				if a.Field != b.Field {
					return int(a.Field) - int(b.Field)
				}
				return strings.Compare(a.Value, b.Value)
			})
			_, err := ex.ExecContext(ctx, set, wordsOf(st.keys, customer.FieldName), wordsOf(st.keys, customer.FieldCompany),
				st.activity, st.tenant, st.id.String())
			if err != nil {
				return err
			}
			for _, k := range st.keys {
				vals = append(vals, "(?, ?, ?, ?, ?)")
				args = append(args, st.tenant, st.id.String(), int(k.Field), k.Value, st.activity)
			}
		}
		for len(vals) > 0 {
			n := min(len(vals), 200)
			q := d.dialect.rebind("INSERT INTO word_keys (tenant, customer_id, field, word, activity) VALUES " + strings.Join(vals[:n], ", "))
			if _, err := ex.ExecContext(ctx, q, args[:5*n]...); err != nil {
				return err
			}
			vals, args = vals[n:], args[5*n:]
		}
		last := stubs[len(stubs)-1]
		lastTenant, lastID = last.tenant, last.id.String()
	}
}
