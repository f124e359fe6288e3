package sqlstore

import (
	"context"
	"database/sql"
	"slices"
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

// maxVocab is the most distinct words a walk merges; a prefix that starts
// more ("ma") is walked through the customers' activity instead.
const maxVocab = 24

// search runs a search for Search.
//
// A search with an identifier (CPF, phone, plate...) reads the few
// customers that hold it and orders them, in one statement. A search by
// words only walks word_keys, whose key orders each word's customers by
// activity: the words of the driving term (the one with the fewest keys,
// from counts the driver keeps for a while: see wordStats) are merged,
// newest first, and each key the merge yields is checked against the
// other terms on the words its row carries (word_keys.words: the
// customer's words of the field), until the page is full or the walk has
// read req.Budget keys. Customers that have every
// typed word whole come first, from a walk of the driving word alone.
func (d *Driver) search(ctx context.Context, req storage.SearchRequest) (storage.SearchResult, error) {
	var exact, words []customer.Term
	for _, t := range req.Terms {
		if wordKey(t.Field) {
			words = append(words, t)
		} else {
			exact = append(exact, t)
		}
	}
	var res storage.SearchResult
	var err error
	if len(exact) > 0 {
		res.Found, res.Stopped, err = d.exactSearch(ctx, req, exact, words, driveKey(exact))
	} else {
		res.Found, res.Stopped, err = d.wordSearch(ctx, req, words, nil)
	}
	if err != nil {
		return storage.SearchResult{}, d.fail(ctx, err)
	}
	return res, nil
}

// wordColumn is the customers column that holds the words of field f.
func wordColumn(f customer.Field) string {
	if f == customer.FieldCompany {
		return "c.company_words"
	}
	return "c.name_words"
}

// wordConds writes the conditions that every term of ts matches a word of
// the customer (whole words when whole), joined by AND, on the column
// col(field) that holds the customer's words of the field: " word word
// ... ", so a word that starts with a term's value follows a space, and a
// whole one is followed by a space too. col is wordColumn for the
// customers row c.
func (d *Driver) wordConds(b *strings.Builder, args []any, ts []customer.Term, whole bool, col func(customer.Field) string) []any {
	for i, t := range ts {
		if i > 0 {
			b.WriteString(" AND ")
		}
		v := needle(t.Value, whole)
		if d.dialect.likeWords {
			b.WriteString(col(t.Field) + " LIKE ?")
			args = append(args, "%"+v+"%")
			continue
		}
		b.WriteString("instr(" + col(t.Field) + ", ?) > 0")
		args = append(args, v)
	}
	return args
}

// rowWords is the SQL expression of the words of field f that the
// word_keys row alias carries: its words column, or, where that is empty,
// the customers row's. A release before the column's migration, still
// writing beside this one while a schema change rolls out, leaves it
// empty; a word row this release writes never has it empty, as it holds
// at least the row's own word. The customers row is read only then.
func rowWords(alias string, f customer.Field) string {
	return "CASE WHEN " + alias + ".words <> '' THEN " + alias + ".words ELSE (SELECT " + strings.TrimPrefix(wordColumn(f), "c.") +
		" FROM customers c WHERE c.tenant = " + alias + ".tenant AND c.id = " + alias + ".customer_id) END"
}

// needle is what a words column holds where a word starts with v (is v,
// when whole): see wordsOf.
func needle(v string, whole bool) string {
	if whole {
		return " " + v + " "
	}
	return " " + v
}

// exactSearch returns, in search order, the page of customers that hold
// the exact terms and match the word terms, and where it stopped if it
// read its budget first. An identifier has few holders: one statement
// reads them (up to req.Budget of them) and orders them in the database.
// A key that more than req.Budget customers hold (a placeholder e-mail
// typed to get past a form, a switchboard's number) is not sorted whole:
// the tenant's customers are walked, most recently active first, each
// checked for the keys in search_keys' primary key, up to the budget, as
// a word search walks (see walker).
func (d *Driver) exactSearch(ctx context.Context, req storage.SearchRequest, exact, words []customer.Term, di int) ([]storage.Found, *storage.SearchPosition, error) {
	key := []any{req.Tenant, exact[di].Field.String(), exact[di].Value, req.Budget + 1}
	// The tier: 0 when every word is whole.
	tier, tierArgs := "0", []any(nil)
	if len(words) > 0 {
		var t strings.Builder
		t.WriteString("(CASE WHEN ")
		tierArgs = d.wordConds(&t, nil, words, true, wordColumn)
		t.WriteString(" THEN 0 ELSE 1 END)")
		tier = t.String()
	}
	var b strings.Builder
	args := append([]any{}, tierArgs...)
	// k0 reads the key's holders, up to one more than the budget, and
	// counts what it read.
	b.WriteString("SELECT " + foundSelect + ", " + tier + " AS tier, k0.holders " +
		"FROM (SELECT customer_id, COUNT(*) OVER () AS holders FROM (" + holdersOf + " ORDER BY customer_id DESC LIMIT ?) h) k0 " +
		"JOIN customers c ON c.tenant = ? AND c.id = k0.customer_id WHERE k0.holders <= ?")
	// More holders than the budget: no row is joined to its customer,
	// checked or sorted, as none of that would be used (see below).
	args = append(append(args, key...), req.Tenant, req.Budget)
	for i, t := range exact {
		if i == di {
			continue
		}
		b.WriteString(" AND EXISTS (SELECT 1 FROM search_keys k WHERE k.tenant = c.tenant AND k.customer_id = c.id AND k.field = ? AND k.value = ?)")
		args = append(args, t.Field.String(), t.Value)
	}
	if len(words) > 0 {
		b.WriteString(" AND ")
		args = d.wordConds(&b, args, words, false, wordColumn)
	}
	if a := req.After; a != nil {
		b.WriteString(" AND (" + tier + " > ? OR " + tier + " = ? AND (c.activity < ? OR c.activity = ? AND c.id < ?))")
		args = append(append(args, tierArgs...), int(a.Tier))
		args = append(append(args, tierArgs...), int(a.Tier), a.Rank, a.Rank, a.ID.String())
	}
	b.WriteString(" ORDER BY tier, c.activity DESC, c.id DESC LIMIT ?")
	args = append(args, req.Limit)
	// The customers hold the exact terms' keys: that is how they were
	// found.
	var held []customer.Key
	for _, t := range exact {
		held = append(held, customer.Key{Field: t.Field, Value: t.Value})
	}
	var holders int64
	found, err := d.readFound(ctx, nil, b.String(), args, held, new(int), &holders)
	if err != nil {
		return nil, nil, err
	}
	if len(found) == 0 {
		// No row, so no count: nobody holds the key, or more customers
		// than the budget do, or the other terms or the position left
		// out every holder.
		holders, err = d.keyHolders(ctx, req, exact[di])
		if err != nil {
			return nil, nil, err
		}
	}
	if holders <= int64(req.Budget) {
		return found, nil, nil
	}
	// More holders than the budget: drive by another key that fewer
	// customers hold, or by the words, or walk the customers.
	for i := range exact {
		if i == di {
			continue
		}
		n, err := d.keyHolders(ctx, req, exact[i])
		if err != nil {
			return nil, nil, err
		}
		if n <= int64(req.Budget) {
			return d.exactSearch(ctx, req, exact, words, i)
		}
	}
	if len(words) > 0 {
		return d.wordSearch(ctx, req, words, exact)
	}
	return d.walkHolders(ctx, req, exact, held)
}

// driveKey returns the exact term a search is driven by: an identifier
// rather than a phone, which households share.
func driveKey(exact []customer.Term) int {
	for i, t := range exact {
		if t.Field != customer.FieldPhone {
			return i
		}
	}
	return 0
}

// keyHolders counts the customers that hold t's key, up to one more than the
// budget.
func (d *Driver) keyHolders(ctx context.Context, req storage.SearchRequest, t customer.Term) (int64, error) {
	var n int64
	err := d.queryRow(ctx, nil, d.dialect.rebind("SELECT COUNT(*) FROM ("+holdersOf+" LIMIT ?) h1"),
		req.Tenant, t.Field.String(), t.Value, req.Budget+1).Scan(&n)
	return n, err
}

// holdersOf selects the customers that hold a key (tenant, field, value).
const holdersOf = "SELECT customer_id FROM search_keys WHERE tenant = ? AND field = ? AND value = ?"

// walkHolders is exactSearch for keys that each more customers hold than
// the budget, without words: it walks the tenant's customers, most
// recently active first, each checked for the exact keys.
func (d *Driver) walkHolders(ctx context.Context, req storage.SearchRequest, exact []customer.Term, held []customer.Key) ([]storage.Found, *storage.SearchPosition, error) {
	w := walker{d: d, req: req, exact: exact, held: held}
	done, err := w.snapshot(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer done()
	return w.run(ctx, nil, req.After, 0, true, req.Limit, req.Budget)
}

// wordSearch returns the page of customers that match the word terms ts,
// in search order, and where it stopped if it read its budget first.
func (d *Driver) wordSearch(ctx context.Context, req storage.SearchRequest, ts, exact []customer.Term) ([]storage.Found, *storage.SearchPosition, error) {
	vocab, err := d.vocabularies(ctx, req.Tenant, ts)
	if err != nil {
		return nil, nil, err
	}
	// The keys of each term: the sum of its words' counts, or more than
	// any budget when it starts more words than a walk merges.
	wide := req.Budget + 1
	counts := make([]int, len(ts))
	narrow := make([]customer.Term, 0, len(ts))
	var nv [][]string
	whole := true
	for i, t := range ts {
		if len(vocab[i]) == 0 {
			return nil, nil, nil // a term no word starts: nobody matches
		}
		whole = whole && slices.Contains(vocab[i], t.Value)
		if len(vocab[i]) > maxVocab {
			counts[i] = wide
			continue
		}
		narrow = append(narrow, t)
		nv = append(nv, vocab[i])
	}
	wc, err := d.wordCounts(ctx, req.Tenant, narrow, nv)
	if err != nil {
		return nil, nil, err
	}
	k := 0
	for i := range ts {
		if counts[i] == wide {
			continue
		}
		for _, n := range wc[k] {
			counts[i] += n
		}
		k++
	}
	// Drive by the term with the fewest keys; among equals, the longest.
	di := 0
	for i, t := range ts {
		c, dc := counts[i], counts[di]
		if c < dc || c == dc && len(t.Value) > len(ts[di].Value) {
			di = i
		}
	}
	// The counts may be stale (another process's writes, a load since
	// they were taken): they choose the walk, never whether it stopped.
	w := walker{d: d, req: req, ts: ts, di: di, vocab: vocab, exact: exact}
	for _, t := range exact {
		w.held = append(w.held, customer.Key{Field: t.Field, Value: t.Value})
	}
	done, err := w.snapshot(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer done()
	var found []storage.Found
	budget := req.Budget
	// Tier 0: every word whole. Only the driving word's own keys can hold
	// such customers.
	if whole && (req.After == nil || req.After.Tier == 0) {
		var stopped *storage.SearchPosition
		found, stopped, err = w.run(ctx, []string{ts[di].Value}, req.After, 0, true, req.Limit, budget)
		if err != nil || stopped != nil || len(found) == req.Limit {
			return found, stopped, err
		}
	}
	after := req.After
	if after != nil && after.Tier == 0 {
		after = nil
	}
	vs := vocab[di]
	if counts[di] == wide {
		vs = nil // the customers, most recently active first
	}
	w.exclude = whole
	more, stopped, err := w.run(ctx, vs, after, 1, false, req.Limit-len(found), budget)
	return append(found, more...), stopped, err
}

// vocabularies returns, for each term, the distinct words of the tenant
// that start with its value, in order, up to maxVocab+1 of them: one
// index probe per word, skipping the keys between.
func (d *Driver) vocabularies(ctx context.Context, tenant string, ts []customer.Term) ([][]string, error) {
	out := make([][]string, len(ts))
	if len(ts) == 0 {
		return out, nil
	}
	if !d.dialect.recursiveSkip {
		first := d.dialect.rebind("SELECT MIN(word) FROM word_keys WHERE tenant = ? AND field = ? AND word >= ? AND word < ?")
		next := d.dialect.rebind("SELECT MIN(word) FROM word_keys WHERE tenant = ? AND field = ? AND word > ? AND word < ?")
		for i, t := range ts {
			q, from := first, t.Value
			for len(out[i]) <= maxVocab {
				var w sql.NullString
				if err := d.queryRow(ctx, nil, q, tenant, int(t.Field), from, t.Value+prefixEnd).Scan(&w); err != nil {
					return nil, err
				}
				if !w.Valid {
					break
				}
				out[i] = append(out[i], w.String)
				q, from = next, w.String
			}
		}
		return out, nil
	}
	var b strings.Builder
	var args []any
	b.WriteString("WITH RECURSIVE ")
	for i, t := range ts {
		n := strconv.Itoa(i)
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("v" + n + "(word, n) AS (" +
			"SELECT MIN(word), 1 FROM word_keys WHERE tenant = ? AND field = ? AND word >= ? AND word < ? " +
			"UNION ALL SELECT (SELECT MIN(k.word) FROM word_keys k WHERE k.tenant = ? AND k.field = ? AND k.word > v" + n + ".word AND k.word < ?), v" + n + ".n + 1 " +
			"FROM v" + n + " WHERE v" + n + ".word IS NOT NULL AND v" + n + ".n <= ?)")
		end := t.Value + prefixEnd
		args = append(args, tenant, int(t.Field), t.Value, end, tenant, int(t.Field), end, maxVocab)
	}
	for i := range ts {
		n := strconv.Itoa(i)
		if i > 0 {
			b.WriteString(" UNION ALL")
		}
		b.WriteString(" SELECT " + n + ", n, word FROM v" + n + " WHERE word IS NOT NULL")
	}
	b.WriteString(" ORDER BY 1, 2")
	rows, err := d.query(ctx, nil, d.dialect.rebind(b.String()), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var i, n int
		var w string
		if err := rows.Scan(&i, &n, &w); err != nil {
			return nil, err
		}
		out[i] = append(out[i], w)
	}
	return out, rows.Err()
}

// source is a statement that yields (activity, customer_id) in search
// order within a tier, and its arguments; its LIMIT comes last.
type source struct {
	query string
	args  []any
	words bool // the driving term's keys, not the tenant's customers
}

// budgetArg stands, in a source's arguments, for the walk's budget.
type budgetArg struct{}

// walker runs the walks of one word search.
type walker struct {
	d   *Driver
	req storage.SearchRequest
	ts  []customer.Term
	di  int // the driving term
	// exclude leaves out, in a tier-1 walk, customers with every word
	// whole: tier 0 has them.
	exclude bool
	// vocab are the words of each term (more than maxVocab: too many to
	// look up one by one).
	vocab [][]string
	// tx, when not nil, is the read-only transaction every statement of
	// the walks runs in.
	tx *sql.Tx
	// exact are the identifier terms every customer walked must hold
	// (see walkHolders), and held their keys, which each customer found
	// carries.
	exact []customer.Term
	held  []customer.Key
}

// snapshot starts the read-only transaction the statements of a word
// search share, and returns what ends it. A merge in the driver runs many
// statements: without one snapshot for all of them, a customer renamed
// meanwhile could be checked under one name, shown under another and come
// back on the next page. A walk merged in SQL runs two when its page is
// not full, the walk and the read of the key where it stopped: should a
// key the walk read leave the word's range in between, the second would
// name a key one further, and the next page would skip the one between,
// never checked (TestSearchStopsWhereItRead).
func (w *walker) snapshot(ctx context.Context) (func(), error) {
	tx, err := w.d.pool(ctx).BeginTx(ctx, w.d.dialect.readTx)
	if err != nil {
		return nil, err
	}
	w.tx = tx
	return func() { _ = tx.Rollback() }, nil
}

// keyConds writes that the customer whose ID is col holds the key of
// each of the walker's exact terms: a probe of search_keys' primary key.
func (w *walker) keyConds(b *strings.Builder, args []any, col string) []any {
	for _, t := range w.exact {
		b.WriteString(" AND EXISTS (SELECT 1 FROM search_keys k WHERE k.tenant = ? AND k.field = ? AND k.value = ? AND k.customer_id = " + col + ")")
		args = append(args, w.req.Tenant, t.Field.String(), t.Value)
	}
	return args
}

// probeWords is the most words of a term that a walk of the customers
// looks up in word_keys, each a descent of its index; a term of more is
// checked on the customer's row, one descent and a read.
const probeWords = 2

// conds writes the conditions that the key w.activity, w.customer_id of a
// walk's source must meet: every term matches a word of the customer (as
// a whole word when whole), but the driving one when driven (the source
// is its words), and not every term whole when the walker excludes those.
// A walk of the driving field's words checks the terms of that field on
// the row it reads, whose words (the customer's words of the field) the
// SQL expression rowExpr is. Other terms of one or two words are looked
// up in word_keys' primary key, at the key's activity and customer: index
// only, a few microseconds. A term of more words is checked on the
// customer's row.
func (w *walker) conds(b *strings.Builder, args []any, whole, driven bool, rowExpr string) []any {
	n := 0
	and := func() {
		if n > 0 {
			b.WriteString(" AND ")
		}
		n++
	}
	probe := func(t customer.Term, words []string) {
		b.WriteString("(SELECT 1 FROM word_keys k WHERE k.tenant = ? AND k.field = ? AND k.word IN (" + list(len(words)) + ") " +
			"AND k.activity = w.activity AND k.customer_id = w.customer_id LIMIT 1) IS NOT NULL")
		args = append(args, w.req.Tenant, int(t.Field))
		for _, v := range words {
			args = append(args, v)
		}
	}
	// onRow reports whether term t is checked on the source's row, whose
	// words rowExpr is.
	onRow := func(t customer.Term) bool { return driven && t.Field == w.ts[w.di].Field }
	rowCol := func(customer.Field) string { return rowExpr }
	var wide, inline []customer.Term
	for i, t := range w.ts {
		words := w.vocab[i]
		switch {
		case driven && i == w.di:
			continue
		case onRow(t):
			inline = append(inline, t)
			continue
		case whole:
			words = []string{t.Value}
		case len(words) > probeWords:
			wide = append(wide, t)
			continue
		}
		and()
		probe(t, words)
	}
	if len(inline) > 0 {
		and()
		args = w.d.wordConds(b, args, inline, whole, rowCol)
	}
	if w.exclude && !whole {
		and()
		b.WriteString("NOT (")
		for i, t := range w.ts {
			if i > 0 {
				b.WriteString(" AND ")
			}
			if onRow(t) {
				args = w.d.wordConds(b, args, []customer.Term{t}, true, rowCol)
			} else {
				probe(t, []string{t.Value})
			}
		}
		b.WriteString(")")
	}
	if len(wide) > 0 {
		and()
		b.WriteString("(SELECT 1 FROM customers c WHERE c.tenant = ? AND c.id = w.customer_id AND ")
		args = w.d.wordConds(b, append(args, w.req.Tenant), wide, whole, wordColumn)
		b.WriteString(") IS NOT NULL")
	}
	if n == 0 {
		b.WriteString("1 = 1")
	}
	return args
}

// after writes the condition that (activity, id) comes after p.
func after(b *strings.Builder, args []any, activity, id string, p *storage.SearchPosition) []any {
	if p == nil {
		return args
	}
	b.WriteString(" AND " + activity + " <= ? AND (" + activity + " < ? OR " + id + " < ?)")
	return append(args, p.Rank, p.Rank, p.ID.String())
}

// words is the source that merges the keys of the driving field's words
// vs, newest first, after p.
func (w *walker) words(vs []string, p *storage.SearchPosition) source {
	var b strings.Builder
	var args []any
	arms := w.d.dialect.armLimits
	for i, v := range vs {
		if i > 0 {
			b.WriteString(" UNION ALL ")
		}
		if arms {
			b.WriteString("SELECT * FROM (")
		}
		b.WriteString("SELECT activity, customer_id, " + rowWords("word_keys", w.ts[w.di].Field) +
			" AS words FROM word_keys WHERE tenant = ? AND field = ? AND word = ?")
		args = append(args, w.req.Tenant, int(w.ts[w.di].Field), v)
		args = after(&b, args, "activity", "customer_id", p)
		if arms {
			b.WriteString(" ORDER BY activity DESC, customer_id DESC LIMIT ?) b" + strconv.Itoa(i))
			args = append(args, budgetArg{}) // set by walk
		}
	}
	b.WriteString(" ORDER BY activity DESC, customer_id DESC LIMIT ?")
	return source{b.String(), args, true}
}

// recent is the source that walks the tenant's customers, most recently
// active first, after p.
func (w *walker) recent(p *storage.SearchPosition) source {
	var b strings.Builder
	args := []any{w.req.Tenant}
	b.WriteString("SELECT activity, id AS customer_id FROM customers WHERE tenant = ?")
	args = after(&b, args, "activity", "id", p)
	b.WriteString(" ORDER BY activity DESC, id DESC LIMIT ?")
	return source{b.String(), args, false}
}

// run walks the keys of the driving field's words vs (the tenant's
// customers when vs is nil) after p, in the dialect's way.
func (w *walker) run(ctx context.Context, vs []string, p *storage.SearchPosition, tier uint8, whole bool, limit, budget int) ([]storage.Found, *storage.SearchPosition, error) {
	if !w.d.dialect.mergeInSQL {
		if len(vs) == 1 {
			return w.oneWord(ctx, vs[0], p, tier, whole, limit, budget)
		}
		return w.merge(ctx, vs, p, tier, whole, limit, budget)
	}
	var found []storage.Found
	for {
		src := w.recent(p)
		if vs != nil {
			src = w.words(vs, p)
		}
		want := limit - len(found)
		page, stopped, n, err := w.walk(ctx, src, tier, whole, want, budget)
		if err != nil {
			return nil, nil, err
		}
		if len(found) > 0 && len(page) > 0 && page[0].ID == found[len(found)-1].ID {
			page = page[1:]
		}
		found = append(found, page...)
		if stopped != nil || n < want || len(found) >= limit {
			return found, stopped, nil
		}
		// The statement filled its rows but a customer came twice (two
		// words of the prefix): go on after its last row.
		last := found[len(found)-1]
		p = &storage.SearchPosition{Tier: tier, Rank: storage.Rank(last.UpdatedAt, last.LastAttendance), ID: last.ID}
	}
}

// walk reads src, up to budget keys, and returns the distinct customers
// of the first limit rows that match every term (as whole words when
// whole), where it stopped if it read budget keys first, and how many rows
// it read.
func (w *walker) walk(ctx context.Context, src source, tier uint8, whole bool, limit, budget int) ([]storage.Found, *storage.SearchPosition, int, error) {
	query, args, srcArgs := w.walkQuery(src, whole, limit, budget)
	var n int
	rows, err := w.d.readFound(ctx, w.tx, query, args, w.held, &n)
	if err != nil {
		return nil, nil, 0, err
	}
	// A customer with two words of the prefix comes twice, one row after
	// the other.
	found := slices.CompactFunc(rows, func(a, b storage.Found) bool { return a.ID == b.ID })
	if n == limit {
		return found, nil, n, nil
	}
	// Fewer rows than asked: the walk ran out of keys, or of budget. The
	// key at the budget's end, if there is one, is where it stopped.
	var id uuid.UUID
	var activity int64
	err = w.d.queryRow(ctx, w.tx, w.d.dialect.rebind("SELECT w.activity, w.customer_id FROM ("+src.query+") w "+
		"ORDER BY w.activity DESC, w.customer_id DESC LIMIT 1 OFFSET ?"), append(srcArgs, budget-1)...).Scan(&activity, &id)
	if err == sql.ErrNoRows {
		return found, nil, n, nil
	}
	if err != nil {
		return nil, nil, 0, err
	}
	return found, &storage.SearchPosition{Tier: tier, Rank: activity, ID: id}, n, nil
}

// walkQuery returns the statement of walk and its arguments, and the
// arguments of src with its budget.
func (w *walker) walkQuery(src source, whole bool, limit, budget int) (string, []any, []any) {
	srcArgs := make([]any, len(src.args), len(src.args)+1)
	for i, a := range src.args {
		if _, ok := a.(budgetArg); ok {
			a = budget
		}
		srcArgs[i] = a
	}
	srcArgs = append(srcArgs, budget)
	var b strings.Builder
	args := append([]any{}, srcArgs...)
	// Each key is checked by subqueries (see conds), run for one key
	// after another: a join would let a planner read every key of the
	// other words (a hash join on PostgreSQL) instead of stopping when
	// the page is full. IS NOT NULL, not = 1: PostgreSQL guesses that most
	// rows pass the one and few the other, and when it expects few to
	// pass it reads and sorts the whole walk first. The page's rows, at
	// most limit, are then joined to their customers.
	b.WriteString("SELECT " + foundSelect + ", x.activity FROM (SELECT w.activity, w.customer_id FROM (" + src.query + ") w WHERE ")
	args = w.conds(&b, args, whole, src.words, "w.words")
	args = w.keyConds(&b, args, "w.customer_id")
	b.WriteString(" ORDER BY w.activity DESC, w.customer_id DESC LIMIT ?) x " +
		"JOIN customers c ON c.tenant = ? AND c.id = x.customer_id ORDER BY x.activity DESC, x.customer_id DESC")
	return b.String(), append(args, limit, w.req.Tenant), srcArgs
}

// foundSelect are the columns of customers c that make a storage.Found:
// its summary, and its words.
const foundSelect = summarySelect + ", c.name_words, c.company_words"

// readFound runs a query of foundSelect and one more column, then the
// columns it scans into extra (the same for every row), and returns the customers it read, in order, each with
// its words and the keys held, and in n how many rows there were. It
// reads in tx, or on the pool when tx is nil.
func (d *Driver) readFound(ctx context.Context, tx *sql.Tx, query string, args []any, held []customer.Key, n *int, extra ...any) ([]storage.Found, error) {
	rows, err := d.query(ctx, tx, d.dialect.rebind(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []storage.Found
	for rows.Next() {
		var f storage.Found
		var names, companies string
		var last int64
		if err := scanSummary(rows, &f.Summary, append([]any{&names, &companies, &last}, extra...)...); err != nil {
			return nil, err
		}
		*n++
		f.Keys = slices.Clone(held)
		for _, w := range strings.Fields(names) {
			f.Keys = append(f.Keys, customer.Key{Field: customer.FieldName, Value: w})
		}
		for _, w := range strings.Fields(companies) {
			f.Keys = append(f.Keys, customer.Key{Field: customer.FieldCompany, Value: w})
		}
		out = append(out, f)
	}
	return out, rows.Err()
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
