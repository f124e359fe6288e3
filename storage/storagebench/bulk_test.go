package storagebench

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/agenda"
	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/sqlstore"
)

// bulkWriter writes the planned history straight into an SQL adapter's
// tables, many rows a statement, as the store's own writes would leave
// them: a million customers' ten million writes would take hours one
// transaction each. TestBulkHistoryMatchesTheStore compares what the store
// reads back after it with what it reads back after replay.
type bulkWriter struct {
	db      *sql.DB
	dialect string
}

// bulkWriterOf returns the store's bulk writer, or nil when its adapter is
// not an SQL one.
func bulkWriterOf(s *storage.Store) *bulkWriter {
	d, ok := s.Driver().(*sqlstore.Driver)
	if !ok {
		return nil
	}
	return &bulkWriter{db: d.DB(), dialect: d.Dialect().Name()}
}

// ts is a time as the dialect stores it.
func (w *bulkWriter) ts(t time.Time) any {
	if w.dialect == "sqlite" {
		return t.UTC().Format("2006-01-02T15:04:05.000000Z")
	}
	return t.UTC()
}

// sql rewrites ? placeholders as PostgreSQL's $n.
func (w *bulkWriter) sql(q string) string {
	if w.dialect != "postgres" {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// insert writes rows into table, as many a statement as its placeholders
// allow.
func (w *bulkWriter) insert(ctx context.Context, tx *sql.Tx, table string, cols []string, rows [][]any) error {
	per := min(1000, 30000/len(cols))
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	for len(rows) > 0 {
		part := rows[:min(per, len(rows))]
		rows = rows[len(part):]
		q := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES " +
			strings.TrimSuffix(strings.Repeat(one+", ", len(part)), ", ")
		args := make([]any, 0, len(part)*len(cols))
		for _, r := range part {
			args = append(args, r...)
		}
		if _, err := tx.ExecContext(ctx, w.sql(q), args...); err != nil {
			return fmt.Errorf("%s: %w", table, err)
		}
	}
	return nil
}

// inTx runs fn in a transaction and commits it.
func (w *bulkWriter) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// nullID is an ID as a nullable column holds it.
func nullID(id uuid.UUID) any {
	if id == uuid.Nil {
		return nil
	}
	return id.String()
}

// finalItem is the item as its last write left it.
func finalItem(ip itemPlan) agenda.Item {
	it := ip.item
	it.Due, it.Status, it.Version = ip.due, ip.final, 1
	it.CreatedAt, it.UpdatedAt = ip.attendantAt, ip.attendantAt
	if !ip.movedAt.IsZero() {
		it.Reschedules = []agenda.Reschedule{{From: ip.item.Due, To: ip.due, At: ip.movedAt, By: actorOf(it.Attendant).String()}}
		it.Version++
		it.UpdatedAt = ip.movedAt
	}
	if !ip.closedAt.IsZero() {
		it.Version++
		it.UpdatedAt = ip.closedAt
	}
	return it
}

// field is one changed member of an entry.
func field(path string, old, new any) customer.FieldChange {
	fc := customer.FieldChange{Path: path}
	if old != nil {
		fc.Old, _ = json.Marshal(old)
	}
	if new != nil {
		fc.New, _ = json.Marshal(new)
	}
	return fc
}

// entry is the change-log entry of event e of customer i, with plan p.
func entry(e event, i int, p plan) (storage.Change, error) {
	at := time.UnixMicro(e.at).UTC()
	switch e.kind {
	case evAttend:
		a := p.atts[e.k]
		fs := []customer.FieldChange{field("attendance.at", nil, a.At), field("attendance.attendant", nil, a.Attendant),
			field("attendance.channel", nil, a.Channel), field("attendance.reason", nil, a.Reason)}
		if a.Outcome != "" {
			fs = append(fs, field("attendance.outcome", nil, a.Outcome))
		}
		if a.Confirmed != 0 {
			fs = append(fs, field("attendance.confirmed", nil, a.Confirmed))
		}
		return storage.Change{At: at, Actor: actorOf(a.Attendant), Op: storage.OpAttend, Item: a.ID, Fields: fs}, nil
	case evSchedule:
		it := p.items[e.k].item
		fs := []customer.FieldChange{field("agenda.due", nil, it.Due), field("agenda.attendant", nil, it.Attendant),
			field("agenda.subject", nil, it.Subject), field("agenda.channel", nil, it.Channel), field("agenda.status", nil, agenda.Open)}
		return storage.Change{At: at, Actor: actorOf(it.Attendant), Op: storage.OpSchedule, Item: it.ID, Fields: fs}, nil
	case evMove:
		ip := p.items[e.k]
		return storage.Change{At: at, Actor: actorOf(ip.item.Attendant), Op: storage.OpReschedule, Item: ip.item.ID,
			Fields: []customer.FieldChange{field("agenda.due", ip.item.Due, ip.due)}}, nil
	case evClose:
		ip := p.items[e.k]
		op := storage.OpComplete
		if ip.final == agenda.Cancelled {
			op = storage.OpCancel
		}
		return storage.Change{At: at, Actor: actorOf(ip.item.Attendant), Op: op, Item: ip.item.ID,
			Fields: []customer.FieldChange{field("agenda.status", agenda.Open, ip.final)}}, nil
	case evUpdate:
		old := born(i)
		n := old.Clone()
		n.Notes = p.notes
		return storage.Change{At: at, Actor: storage.Actor{ID: "att-000", App: "desk"}, Op: storage.OpUpdate, Version: 2,
			Fields: customer.Changes(old, n)}, nil
	}
	return storage.Change{}, fmt.Errorf("event kind %d", e.kind)
}

// history writes the history of the customers ids (just created, in
// order) as replay would.
func (w *bulkWriter) history(ctx context.Context, ids []uuid.UUID) error {
	n := len(ids)
	const chunk = 5000
	attCols := []string{"tenant", "id", "customer_id", "at", "contact", "attendant_id", "attendant_name", "channel", "reason",
		"outcome", "notes", "confirmed", "agenda_item"}
	itemCols := []string{"tenant", "id", "customer_id", "contact", "due", "attendant_id", "attendant_name", "subject", "channel",
		"status", "notes", "resolved_by", "reschedules", "version", "created_at", "updated_at"}
	for start := 0; start < n; start += chunk {
		var atts, items [][]any
		for i := start; i < min(start+chunk, n); i++ {
			p := planFor(i, n, ids[i])
			for _, a := range p.atts {
				atts = append(atts, []any{tenant, a.ID.String(), a.CustomerID.String(), w.ts(a.At), a.Contact, a.Attendant.ID,
					a.Attendant.Name, a.Channel.String(), a.Reason.String(), a.Outcome, a.Notes, int(a.Confirmed), nullID(a.AgendaItem)})
			}
			for _, ip := range p.items {
				it := finalItem(ip)
				moves := it.Reschedules
				if moves == nil {
					moves = []agenda.Reschedule{}
				}
				js, err := json.Marshal(moves)
				if err != nil {
					return err
				}
				items = append(items, []any{tenant, it.ID.String(), it.CustomerID.String(), it.Contact, w.ts(it.Due), it.Attendant.ID,
					it.Attendant.Name, it.Subject, it.Channel.String(), it.Status.String(), it.Notes, nullID(it.ResolvedBy),
					string(js), it.Version, w.ts(it.CreatedAt), w.ts(it.UpdatedAt)})
			}
		}
		if err := w.inTx(ctx, func(tx *sql.Tx) error {
			if err := w.insert(ctx, tx, "attendances", attCols, atts); err != nil {
				return err
			}
			return w.insert(ctx, tx, "agenda_items", itemCols, items)
		}); err != nil {
			return err
		}
	}

	var first int64
	if err := w.db.QueryRowContext(ctx, w.sql("SELECT last FROM change_seq WHERE tenant = ?"), tenant).Scan(&first); err != nil {
		return err
	}
	evs := events(ids)
	changeCols := []string{"tenant", "seq", "customer_id", "changed_at", "op", "version", "item_id", "actor_id", "actor_name",
		"actor_app", "request_id", "fields"}
	const logChunk = 20000
	for start := 0; start < len(evs); start += logChunk {
		var rows [][]any
		for j := start; j < min(start+logChunk, len(evs)); j++ {
			e := evs[j]
			i := int(e.cust)
			ch, err := entry(e, i, planFor(i, n, ids[i]))
			if err != nil {
				return err
			}
			js, err := json.Marshal(ch.Fields)
			if err != nil {
				return err
			}
			rows = append(rows, []any{tenant, first + 1 + int64(j), ids[i].String(), w.ts(ch.At), ch.Op.String(), ch.Version,
				nullID(ch.Item), ch.Actor.ID, ch.Actor.Name, ch.Actor.App, ch.Actor.RequestID, string(js)})
		}
		if err := w.inTx(ctx, func(tx *sql.Tx) error { return w.insert(ctx, tx, "changes", changeCols, rows) }); err != nil {
			return err
		}
	}

	// The counter, and what the writes left on each customer's row and
	// freshness: the edited notes, version 2, the last attendance, and
	// the sections the attendances confirmed and the edit changed.
	return w.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, w.sql("UPDATE change_seq SET last = ? WHERE tenant = ?"), first+int64(len(evs)), tenant); err != nil {
			return err
		}
		cust, err := tx.PrepareContext(ctx, w.sql("UPDATE customers SET version = 2, notes = ?, updated_at = ?, last_attendance_at = ? WHERE tenant = ? AND id = ?"))
		if err != nil {
			return err
		}
		defer cust.Close()
		// Each section's freshness is a column of the customer's row.
		fresh := map[attendance.Section]*sql.Stmt{}
		for _, sec := range attendance.AllSections.Each() {
			col := "fresh_" + sec.String()
			st, err := tx.PrepareContext(ctx, w.sql("UPDATE customers SET "+col+" = ? WHERE tenant = ? AND id = ? AND "+col+" < ?"))
			if err != nil {
				return err
			}
			defer st.Close()
			fresh[sec] = st
		}
		for i, id := range ids {
			p := planFor(i, n, id)
			var last time.Time
			sections := map[attendance.Section]time.Time{attendance.SectionOf("notes"): p.updateAt}
			for _, a := range p.atts {
				last = later(last, a.At)
				for _, sec := range a.Confirmed.Each() {
					sections[sec] = later(sections[sec], a.At)
				}
			}
			if _, err := cust.ExecContext(ctx, p.notes, w.ts(p.updateAt), w.ts(last), tenant, id.String()); err != nil {
				return err
			}
			for sec, at := range sections {
				if _, err := fresh[sec].ExecContext(ctx, w.ts(at), tenant, id.String(), w.ts(at)); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
