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
