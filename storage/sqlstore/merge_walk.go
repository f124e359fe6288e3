package sqlstore

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
)

// chunk is how many keys merge reads of one word at a time, and how many
// candidates it checks in one statement.
const chunk = 64

// cursor reads the keys of one word (or the customers, when word is
// nil), newest first, a chunk at a time.
type cursor struct {
	word  *string
	after *storage.SearchPosition
	buf   []candidate
	done  bool
}

// candidate is a key a merge read: its position, and for a word's key the
// customer's words of the field, which the word's row carries.
type candidate struct {
	storage.SearchPosition
	words *string
}

// merge is walk for dialects whose planners cannot merge ordered ranges
// and stop early (MySQL/MariaDB materialises them): it
// merges the words' keys itself, from short index-only reads, and checks
// the candidates a chunk at a time against their customers' rows, until
// the page is full or it has read budget keys.
func (w *walker) merge(ctx context.Context, vs []string, p *storage.SearchPosition, tier uint8, whole bool, limit, budget int) ([]storage.Found, *storage.SearchPosition, error) {
	var cs []*cursor
	if vs == nil {
		cs = []*cursor{{after: p}}
	}
	for i := range vs {
		cs = append(cs, &cursor{word: &vs[i], after: p})
	}
	var found []storage.SearchPosition
	var last *candidate
	read := 0
	for len(found) < limit {
		// The next candidates, in search order.
		var batch []candidate
		for len(batch) < chunk && read < budget {
			next, err := w.next(ctx, cs)
			if err != nil {
				return nil, nil, err
			}
			if next == nil {
				break
			}
			read++
			// A customer with two words of the prefix comes twice, one
			// key after the other.
			repeat := last != nil && last.ID == next.ID
			last = next
			if !repeat {
				batch = append(batch, *next)
			}
		}
		if len(batch) == 0 {
			break
		}
		ok, err := w.check(ctx, w.onRows(batch, whole), whole)
		if err != nil {
			return nil, nil, err
		}
		found = append(found, ok...)
		if read >= budget && len(found) < limit {
			page, err := w.page(ctx, found)
			stopped := last.SearchPosition
			stopped.Tier = tier
			return page, &stopped, err
		}
	}
	page, err := w.page(ctx, found[:min(limit, len(found))])
	return page, nil, err
}

// oneWord is walk for one word's keys where the driver merges: no merge is
// needed, so the database reads the word's range in order and stops when
// the page is full, in two statements. The first finds the key at the
// budget's end, a read of an index range that stops there; the second
// walks the range down to it, each key checked as walk checks it, and
// reads the page's customers.
func (w *walker) oneWord(ctx context.Context, word string, p *storage.SearchPosition, tier uint8, whole bool, limit, budget int) ([]storage.Found, *storage.SearchPosition, error) {
	var b strings.Builder
	args := []any{w.req.Tenant, int(w.ts[w.di].Field), word}
	b.WriteString("w.tenant = ? AND w.field = ? AND w.word = ?")
	args = after(&b, args, "w.activity", "w.customer_id", p)
	keys, keyArgs := b.String(), args
	var end *storage.SearchPosition
	var id uuid.UUID
	var activity int64
	err := w.d.queryRow(ctx, w.tx, w.d.dialect.rebind("SELECT w.activity, w.customer_id FROM word_keys w WHERE "+keys+
		" ORDER BY w.activity DESC, w.customer_id DESC LIMIT 1 OFFSET ?"), append(keyArgs, budget-1)...).Scan(&activity, &id)
	switch {
	case err == nil:
		end = &storage.SearchPosition{Tier: tier, Rank: activity, ID: id}
	case err != sql.ErrNoRows:
		return nil, nil, err
	}
	b.Reset()
	args = append([]any{}, keyArgs...)
	b.WriteString("SELECT " + foundSelect + ", x.activity FROM (SELECT w.activity, w.customer_id FROM word_keys w WHERE " + keys)
	if end != nil {
		// Down to the budget's end, that key included.
		b.WriteString(" AND w.activity >= ? AND (w.activity > ? OR w.customer_id >= ?)")
		args = append(args, end.Rank, end.Rank, end.ID.String())
	}
	b.WriteString(" AND ")
	args = w.conds(&b, args, whole, true, rowWords("w", w.ts[w.di].Field))
	args = w.keyConds(&b, args, "w.customer_id")
	b.WriteString(" ORDER BY w.activity DESC, w.customer_id DESC LIMIT ?) x " +
		"JOIN customers c ON c.tenant = ? AND c.id = x.customer_id ORDER BY x.activity DESC, x.customer_id DESC")
	args = append(args, limit, w.req.Tenant)
	found, err := w.d.readFound(ctx, w.tx, b.String(), args, w.held, new(int))
	if err != nil || len(found) == limit {
		return found, nil, err
	}
	return found, end, nil
}

// ruledOnRows reports whether onRows told all there is to tell of batch:
// every term is of the driving field, the walker has no identifiers to
// check, and every candidate carried its words.
func (w *walker) ruledOnRows(batch []candidate) bool {
	if len(w.exact) > 0 || len(w.ts) == 0 {
		return false
	}
	for _, t := range w.ts {
		if t.Field != w.ts[w.di].Field {
			return false
		}
	}
	for _, c := range batch {
		if c.words == nil {
			return false
		}
	}
	return true
}

// onRows returns the candidates of batch that the words their rows carry
// do not rule out: every term of the driving field matches one of them (a
// whole word when whole), and not every term is whole when the walker
// excludes those. What it cannot tell (terms of another field, a
// customer's identifiers, a candidate without words) check tells, in the
// database.
func (w *walker) onRows(batch []candidate, whole bool) []candidate {
	if len(w.ts) == 0 {
		return batch // a walk of the customers for identifiers alone
	}
	field := w.ts[w.di].Field
	out := batch[:0:0]
	for _, c := range batch {
		if c.words != nil && !w.wordsMatch(*c.words, field, whole) {
			continue
		}
		out = append(out, c)
	}
	return out
}

// wordsMatch reports whether words, a customer's words of field as a word
// row holds them, leave it a match: see onRows.
func (w *walker) wordsMatch(words string, field customer.Field, whole bool) bool {
	has := func(t customer.Term, whole bool) bool { return strings.Contains(words, needle(t.Value, whole)) }
	all := true
	for _, t := range w.ts {
		if t.Field != field {
			all = false
			continue
		}
		if !has(t, whole) {
			return false
		}
		all = all && has(t, true)
	}
	return !(w.exclude && !whole && all)
}

// next returns the next key of the merged cursors, or nil when all are
// done.
func (w *walker) next(ctx context.Context, cs []*cursor) (*candidate, error) {
	var best *cursor
	for _, c := range cs {
		if len(c.buf) == 0 && !c.done {
			if err := w.fill(ctx, c); err != nil {
				return nil, err
			}
		}
		if len(c.buf) > 0 && (best == nil || c.buf[0].Before(best.buf[0].SearchPosition)) {
			best = c
		}
	}
	if best == nil {
		return nil, nil
	}
	p := best.buf[0]
	best.buf = best.buf[1:]
	return &p, nil
}

// fill reads the cursor's next chunk.
func (w *walker) fill(ctx context.Context, c *cursor) error {
	var b strings.Builder
	var args []any
	if c.word == nil {
		b.WriteString("SELECT activity, id, NULL FROM customers WHERE tenant = ?")
		args = after(&b, append(args, w.req.Tenant), "activity", "id", c.after)
		b.WriteString(" ORDER BY activity DESC, id DESC LIMIT ?")
	} else {
		b.WriteString("SELECT activity, customer_id, " + rowWords("word_keys", w.ts[w.di].Field) +
			" FROM word_keys WHERE tenant = ? AND field = ? AND word = ?")
		args = after(&b, append(args, w.req.Tenant, int(w.ts[w.di].Field), *c.word), "activity", "customer_id", c.after)
		b.WriteString(" ORDER BY activity DESC, customer_id DESC LIMIT ?")
	}
	rows, err := w.d.query(ctx, w.tx, w.d.dialect.rebind(b.String()), append(args, chunk)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k candidate
		var words sql.NullString
		if err := rows.Scan(&k.Rank, &k.ID, &words); err != nil {
			return err
		}
		if words.Valid {
			k.words = &words.String
		}
		c.buf = append(c.buf, k)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	c.done = len(c.buf) < chunk
	if n := len(c.buf); n > 0 {
		c.after = &c.buf[n-1].SearchPosition
	}
	return nil
}

// check returns the positions of batch, in order, whose customers match
// every term (as whole words when whole; not all whole when the walker
// excludes those), tested on their rows by the database, which returns
// only their IDs.
func (w *walker) check(ctx context.Context, batch []candidate, whole bool) ([]storage.SearchPosition, error) {
	if len(batch) == 0 {
		return nil, nil
	}
	if w.ruledOnRows(batch) {
		out := make([]storage.SearchPosition, len(batch))
		for i, c := range batch {
			out[i] = c.SearchPosition
		}
		return out, nil
	}
	var b strings.Builder
	args := []any{w.req.Tenant}
	for _, p := range batch {
		args = append(args, p.ID.String())
	}
	b.WriteString("SELECT c.id FROM customers c WHERE c.tenant = ? AND c.id IN (" + list(len(batch)) + ")")
	if len(w.ts) > 0 {
		b.WriteString(" AND ")
		args = w.d.wordConds(&b, args, w.ts, whole, wordColumn)
	}
	if w.exclude && !whole {
		b.WriteString(" AND NOT (")
		args = w.d.wordConds(&b, args, w.ts, true, wordColumn)
		b.WriteString(")")
	}
	args = w.keyConds(&b, args, "c.id")
	rows, err := w.d.query(ctx, w.tx, w.d.dialect.rebind(b.String()), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ok := make(map[uuid.UUID]bool)
	for rows.Next() {
		var id uuid.UUID
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ok[id] = true
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []storage.SearchPosition
	for _, p := range batch {
		if ok[p.ID] {
			out = append(out, p.SearchPosition)
		}
	}
	return out, nil
}

// page reads the customers at positions ps, in order.
func (w *walker) page(ctx context.Context, ps []storage.SearchPosition) ([]storage.Found, error) {
	if len(ps) == 0 {
		return nil, nil
	}
	args := []any{w.req.Tenant}
	for _, p := range ps {
		args = append(args, p.ID.String())
	}
	var n int
	rows, err := w.d.readFound(ctx, w.tx, "SELECT "+foundSelect+", 0 FROM customers c WHERE c.tenant = ? AND c.id IN ("+list(len(ps))+")", args, w.held, &n)
	if err != nil {
		return nil, err
	}
	at := make(map[uuid.UUID]int, len(ps))
	for i, p := range ps {
		at[p.ID] = i
	}
	slices.SortFunc(rows, func(a, b storage.Found) int { return at[a.ID] - at[b.ID] })
	return rows, nil
}
