package sqlstore

import (
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/consent"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/storagetest"
)

// TestSQLitePlans holds SQLite to the plans the screens were measured
// with (BENCHMARKS.md): a customer's history and a week of birthdays each
// read one range of one covering index, never the table's rows, which lie
// scattered over the whole file at a million customers; the change feed
// reads the log in sequence order.
func TestSQLitePlans(t *testing.T) {
	d, db := openSQLite(t)
	plan := func(q string, args ...any) string {
		t.Helper()
		return queryPlan(t, d, db, q, args...)
	}
	history := plan(d.q.history, "t", "c", 1<<62, 20)
	assert.Contains(t, history, "USING COVERING INDEX changes_history", history)
	assert.NotContains(t, history, "TEMP B-TREE", "no sort: the index is in seq order")

	birthdays := plan(customerBirthdays(""), "t", 101, 107, 50)
	assert.Contains(t, birthdays, "USING COVERING INDEX customers_birthdays", birthdays)
	assert.NotContains(t, birthdays, "TEMP B-TREE")

	feed := plan(d.q.changes, "t", 0, 10000)
	assert.Contains(t, feed, "changes", feed)
	assert.NotContains(t, feed, "TEMP B-TREE")
	assert.NotContains(t, feed, "changes_history", "the feed reads the log in seq order, not the history index")

	// The standing states of a batch of customers: by customer, never a
	// walk of the channel's campaign index (145 ms a decision at 1M).
	q, args := d.consentStatesQuery("t", []uuid.UUID{uuid.New(), uuid.New()}, consent.SMS, consent.Marketing)
	states := plan(q, args...)
	assert.Contains(t, states, "sqlite_autoindex_consent_state_1", states)
	assert.NotContains(t, states, "consent_state_reach", states)

	// A word search's walk merges its words' keys in order from their
	// ranges of word_keys and stops when the page is full: never a sort,
	// which would read every key up to the budget first (a name search
	// at 1M: about 20 statements merged in the driver, or one with a sort
	// per word, before this plan).
	w := walker{d: d, req: storage.SearchRequest{Tenant: "t", Limit: 20, Budget: 4096},
		ts:    []customer.Term{{Field: customer.FieldName, Value: "mar"}, {Field: customer.FieldName, Value: "oliv"}},
		vocab: [][]string{{"mara", "marcia", "maria"}, {"oliveira", "olivia", "oliver"}}, exclude: true}
	for _, p := range []*storage.SearchPosition{nil, {Tier: 1, Rank: 5, ID: uuid.New()}} {
		q, args, _ := w.walkQuery(w.words(w.vocab[0], p), false, 20, 4096)
		walk := plan(q, args...)
		assert.Contains(t, walk, "MERGE (UNION ALL)", walk)
		assert.NotContains(t, walk, "TEMP B-TREE", walk)
		q, args, _ = w.walkQuery(w.recent(p), false, 20, 4096)
		walk = plan(q, args...)
		assert.Contains(t, walk, "customers_activity", walk)
		assert.NotContains(t, walk, "TEMP B-TREE", walk)
	}

	// A change of one customer's words goes by word_keys_customer, not
	// by the primary key's tenant prefix (every word of the tenant: 350
	// ms a deletion at 100k customers); so does it once a load has
	// rebuilt the table, and the searches keep the primary key.
	ownWords := func(when string) {
		t.Helper()
		for _, q := range []string{d.q.wordActivity, d.q.deleteChildren[tWords.name]} {
			p := plan(q, 1, "t", uuid.NewString(), 1)
			assert.Contains(t, p, "word_keys_customer", "%s: %s", when, q)
		}
		q, args, _ := w.walkQuery(w.words(w.vocab[0], nil), false, 20, 4096)
		walk := plan(q, args...)
		assert.NotContains(t, walk, "word_keys_customer", when)
		assert.NotContains(t, walk, "TEMP B-TREE", when)
	}
	ownWords("after Migrate")

	// The whole agenda, or a week of it, in due order: a range of
	// agenda_due, never every item of the tenant sorted for each page.
	for _, f := range []storage.ItemFilter{{}, {DueFrom: time.Now(), DueBefore: time.Now().Add(7 * 24 * time.Hour)},
		{After: &storage.Position{UpdatedAt: time.Now(), ID: uuid.New()}}} {
		q, args := itemsQuery("t", f, 50, d.dialect.timeArg)
		p := plan(q, args...)
		assert.Contains(t, p, "agenda_due", p)
		assert.NotContains(t, p, "TEMP B-TREE", p)
	}
	loading, err := d.BeginLoad(t.Context())
	require.NoError(t, err)
	require.True(t, loading)
	require.NoError(t, d.EndLoad(t.Context()))
	ownWords("after a load")
}

// openSQLite returns a driver over a new, migrated SQLite file.
func openSQLite(t *testing.T) (*Driver, *sql.DB) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+t.TempDir()+"/plan.db?_pragma=foreign_keys(1)")
	require.NoError(t, err)
	d := New(db, SQLite, func(error) (Class, string) { return Other, "" })
	t.Cleanup(func() { _ = d.Close() })
	require.NoError(t, d.Migrate(t.Context()))
	return d, db
}

// TestSQLiteWordStatsAfterHostAnalyze: a host that runs ANALYZE itself
// gets, at the next Migrate, Ficha's figures for word_keys back and no
// samples of it beside them; the plans stay right.
func TestSQLiteWordStatsAfterHostAnalyze(t *testing.T) {
	d, db := openSQLite(t)
	s := storage.New(d, nil)
	for i := range 40 {
		_, err := s.Create(t.Context(), "t", storagetest.Individual(i))
		require.NoError(t, err)
	}
	_, err := db.ExecContext(t.Context(), "ANALYZE")
	require.NoError(t, err)
	count := func(q string) int {
		var n int
		require.NoError(t, db.QueryRowContext(t.Context(), q).Scan(&n))
		return n
	}
	require.Positive(t, count("SELECT COUNT(*) FROM sqlite_stat4 WHERE tbl = 'word_keys'"), "the host's ANALYZE sampled word_keys")
	require.NoError(t, d.Migrate(t.Context()))
	assert.Zero(t, count("SELECT COUNT(*) FROM sqlite_stat4 WHERE tbl = 'word_keys'"))
	for _, w := range wordPlanStats {
		assert.Equal(t, 1, count("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'word_keys' AND idx = '"+w.index+"' AND stat = '"+w.stat+"'"), w.index)
	}
	assert.Equal(t, len(wordPlanStats), count("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'word_keys'"))
	assert.Contains(t, queryPlan(t, d, db, d.q.deleteChildren[tWords.name], "t", uuid.NewString()), "word_keys_customer")
}

// queryPlan returns SQLite's plan of q, a line per step.
func queryPlan(t *testing.T, d *Driver, db *sql.DB, q string, args ...any) string {
	t.Helper()
	rows, err := db.QueryContext(t.Context(), "EXPLAIN QUERY PLAN "+d.dialect.rebind(q), args...)
	require.NoError(t, err)
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id, parent, unused int
		var detail string
		require.NoError(t, rows.Scan(&id, &parent, &unused, &detail))
		b.WriteString(detail + "\n")
	}
	require.NoError(t, rows.Err())
	return b.String()
}
