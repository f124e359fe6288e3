package storagetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
)

// named returns Individual(n) renamed, with no employer.
func named(n int, name string) *customer.Customer {
	c := Individual(n)
	c.Name, c.Employer = name, ""
	return c
}

// ids returns the IDs of hits.
func ids(hits []storage.Hit) []uuid.UUID {
	out := make([]uuid.UUID, len(hits))
	for i, h := range hits {
		out[i] = h.ID
	}
	return out
}

// testSearchOrder checks the order of results: customers with every typed
// word whole first, then the most recently attended or updated, then the
// newest ID; and that an attendance or an update moves a customer up.
func testSearchOrder(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	create := func(n int, name string) *customer.Customer {
		c, err := s.Create(ctx(t), tn, named(n, name))
		require.NoError(t, err)
		return c
	}
	whole := create(1, "Maria Silva Prado")       // both words whole
	prefix := create(2, "Maria Silvana Prado")    // "silva" starts a word
	both := create(3, "Mariana Silvana Prado")    // neither word whole
	other := create(4, "Mariana Silva Prado")     // "maria" starts a word
	create(5, "Joana Silva Prado")                // no "maria"
	later := create(6, "Maria Silva Albuquerque") // whole, created last
	q := customer.Query{Name: "maria silva"}

	hits := collectHits(t, s, tn, q, 2, nil)
	assert.Equal(t, []uuid.UUID{later.ID, whole.ID, other.ID, both.ID, prefix.ID}, ids(hits),
		"whole words first, then the newest")

	// An attendance makes a customer the most recent of its tier.
	_, err := s.Attend(ctx(t), tn, &attendance.Attendance{CustomerID: prefix.ID, Channel: attendance.Phone, Reason: attendance.Service})
	require.NoError(t, err)
	_, err = s.Attend(ctx(t), tn, &attendance.Attendance{CustomerID: whole.ID, Channel: attendance.Phone, Reason: attendance.Service})
	require.NoError(t, err)
	hits = collectHits(t, s, tn, q, 3, nil)
	assert.Equal(t, []uuid.UUID{whole.ID, later.ID, prefix.ID, other.ID, both.ID}, ids(hits), "attended customers first")
	assert.False(t, hits[0].LastAttendance.IsZero())

	// So does an update; an attendance dated before it does not undo it.
	got, err := s.Get(ctx(t), tn, both.ID)
	require.NoError(t, err)
	got.Notes = "ligou de novo"
	updated, err := s.Update(ctx(t), tn, got)
	require.NoError(t, err)
	_, err = s.Attend(ctx(t), tn, &attendance.Attendance{CustomerID: both.ID, Channel: attendance.Phone, Reason: attendance.Service,
		At: updated.UpdatedAt.Add(-48 * time.Hour)})
	require.NoError(t, err)
	hits = collectHits(t, s, tn, q, 10, nil)
	assert.Equal(t, []uuid.UUID{whole.ID, later.ID, both.ID, prefix.ID, other.ID}, ids(hits), "updated customers first")

	// A search with an identifier orders its few holders the same way.
	shared := Individual(7).Phones[0]
	for _, c := range []*customer.Customer{whole, both} {
		got, err := s.Get(ctx(t), tn, c.ID)
		require.NoError(t, err)
		got.Phones = append(got.Phones, shared)
		_, err = s.Update(ctx(t), tn, got)
		require.NoError(t, err)
	}
	pq := customer.Query{Name: "maria", Phone: shared.String()}
	hits = collectHits(t, s, tn, pq, 1, nil)
	assert.Equal(t, []uuid.UUID{whole.ID, both.ID}, ids(hits), "a whole word first, though updated earlier")
	hits = collectHits(t, s, tn, customer.Query{Phone: shared.String()}, 1, nil)
	assert.Equal(t, []uuid.UUID{both.ID, whole.ID}, ids(hits), "the last updated first")
	// An attendance dated before that update does not lower its rank
	// among a key's holders either.
	bothNow, err := s.Get(ctx(t), tn, both.ID)
	require.NoError(t, err)
	_, err = s.Attend(ctx(t), tn, &attendance.Attendance{CustomerID: both.ID, Channel: attendance.Phone, Reason: attendance.Service,
		At: bothNow.UpdatedAt.Add(-48 * time.Hour)})
	require.NoError(t, err)
	hits = collectHits(t, s, tn, customer.Query{Phone: shared.String()}, 1, nil)
	assert.Equal(t, []uuid.UUID{both.ID, whole.ID}, ids(hits), "a back-dated attendance keeps the rank")

	// Customers with several words that start with the typed one come
	// once each, whatever the page size.
	var many []uuid.UUID
	for i := range 3 {
		many = append(many, create(20+i, fmt.Sprintf("Rosana Rosália Rosa%c", 'a'+i)).ID)
	}
	for _, limit := range []int{1, 2, 5} {
		hits = collectHits(t, s, tn, customer.Query{Name: "ros"}, limit, nil)
		assert.ElementsMatch(t, many, ids(hits), "page size %d", limit)
	}
}

// testSearchBudget checks a search that reads its budget before it fills
// a page: the page says it is incomplete and where to go on, and paging
// on finds every match once. An adapter that never stops early passes too.
func testSearchBudget(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	// Two common words, rarely together: "jose" and "frotas", both
	// created long ago, then many of each alone.
	first, err := s.CreateMany(ctx(t), tn, []*customer.Customer{named(1, "José Frotas Antigo"), named(2, "José Frotas Velho")})
	require.NoError(t, err)
	var want []uuid.UUID
	for _, r := range first {
		require.NoError(t, r.Err)
		want = append(want, r.Customer.ID)
	}
	var cs []*customer.Customer
	for i := range 150 {
		cs = append(cs, named(10+i, fmt.Sprintf("José Almeida %c", 'a'+i%26)))
		cs = append(cs, named(1000+i, fmt.Sprintf("Carla Frotas %c", 'a'+i%26)))
	}
	later, err := s.CreateMany(ctx(t), tn, cs)
	require.NoError(t, err)
	for _, r := range later {
		require.NoError(t, r.Err)
	}
	small := storage.New(s.Driver(), &storage.Options{SearchBudget: 60})
	q := customer.Query{Name: "jose frot"}
	p, err := small.Search(ctx(t), tn, q, &storage.SearchOptions{Limit: 5})
	require.NoError(t, err)
	if p.Incomplete {
		assert.NotEmpty(t, p.Next)
		assert.Less(t, len(p.Hits), 5)
	}
	hits := collectHits(t, small, tn, q, 5, nil)
	assert.ElementsMatch(t, want, ids(hits), "paging on finds every match once")
	// A word that grew past the budget since the adapter last counted it
	// (SQL adapters keep counts a while) still ends short pages honestly.
	tiny := storage.New(s.Driver(), &storage.Options{SearchBudget: 50})
	zeta, err := tiny.Create(ctx(t), tn, named(5000, "Ana Zeta"))
	require.NoError(t, err)
	_, err = tiny.Search(ctx(t), tn, customer.Query{Name: "ana"}, nil)
	require.NoError(t, err)
	var anas []*customer.Customer
	for i := range 60 {
		anas = append(anas, named(5001+i, "Ana Souza"))
	}
	_, err = tiny.CreateMany(ctx(t), tn, anas)
	require.NoError(t, err)
	hits = collectHits(t, tiny, tn, customer.Query{Name: "ana z"}, 5, nil)
	assert.Equal(t, []uuid.UUID{zeta.ID}, ids(hits), "found, or the page says it is incomplete")
	// The default budget reads far enough.
	p, err = s.Search(ctx(t), tn, q, nil)
	require.NoError(t, err)
	assert.False(t, p.Incomplete)
	assert.ElementsMatch(t, want, ids(p.Hits))
}

// testSearchManyHolders checks a key that more customers hold than a
// search may read (a placeholder e-mail typed to get past a form): pages
// still come in search order, say when they are incomplete, and paging on
// finds every holder once, also with a name that only the oldest holders
// have.
func testSearchManyHolders(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	shared := contact.MustParseEmail("naotem@naotem.com.br")
	var all, anas []uuid.UUID
	for i := range 70 {
		name := fmt.Sprintf("Bruno Placeholder %c", 'a'+i%26)
		if i < 3 {
			name = fmt.Sprintf("Ana Antiga %c", 'a'+i)
		}
		c := named(7000+i, name)
		c.Emails = []contact.Email{shared}
		got, err := s.Create(ctx(t), tn, c)
		require.NoError(t, err)
		all = append(all, got.ID)
		if i < 3 {
			anas = append(anas, got.ID)
		}
	}
	// Others, without the e-mail, active since.
	_, err := s.CreateMany(ctx(t), tn, []*customer.Customer{named(7100, "Ana Outra"), named(7101, "Bruno Outro")})
	require.NoError(t, err)
	small := storage.New(s.Driver(), &storage.Options{SearchBudget: 50})
	byEmail := customer.Query{Email: shared.String()}
	withName := customer.Query{Email: shared.String(), Name: "ana"}
	for _, st := range []*storage.Store{s, small} {
		hits := collectHits(t, st, tn, byEmail, 20, nil)
		assert.ElementsMatch(t, all, ids(hits), "every holder once")
		require.NotEmpty(t, hits)
		assert.Equal(t, all[len(all)-1], hits[0].ID, "the most recent first")
		hits = collectHits(t, st, tn, withName, 20, nil)
		assert.ElementsMatch(t, anas, ids(hits), "the oldest holders, by name")
	}
	p, err := small.Search(ctx(t), tn, byEmail, &storage.SearchOptions{Limit: 20})
	require.NoError(t, err)
	assert.True(t, p.Incomplete || len(p.Hits) == 20, "a page is full, or says it is not complete")
	assert.NotEmpty(t, p.Next)
	// A narrower term drives the search: another key few hold, or the
	// words. The first page has the old holders, complete.
	for _, q := range []customer.Query{
		{Email: shared.String(), Phone: Phone(7001).String()},
		withName,
	} {
		p, err := small.Search(ctx(t), tn, q, &storage.SearchOptions{Limit: 20})
		require.NoError(t, err)
		assert.False(t, p.Incomplete, "%+v", q)
		assert.Contains(t, ids(p.Hits), all[1], "%+v", q)
	}
}

// testSearchWidePrefix checks a short prefix that starts many distinct
// words (SQL adapters then walk the customers instead of the words).
func testSearchWidePrefix(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	var cs []*customer.Customer
	for i := range 40 {
		cs = append(cs, named(i, fmt.Sprintf("Ab%c%c Teixeira", 'a'+i/26, 'a'+i%26)))
	}
	cs = append(cs, named(50, "Ab Teixeira"), named(51, "Bruno Teixeira"), named(52, "Carlos Abreu"))
	results, err := s.CreateMany(ctx(t), tn, cs)
	require.NoError(t, err)
	var want []uuid.UUID
	for i, r := range results {
		require.NoError(t, r.Err)
		if i != 41 {
			want = append(want, r.Customer.ID)
		}
	}
	hits := collectHits(t, s, tn, customer.Query{Name: "ab"}, 7, nil)
	assert.ElementsMatch(t, want, ids(hits))
	require.NotEmpty(t, hits)
	assert.Equal(t, "Ab Teixeira", hits[0].Name, "the whole word first")
	hits = collectHits(t, s, tn, customer.Query{Name: "ab teix"}, 7, nil)
	assert.Len(t, hits, 41)
}

// testSearchRenamed checks that a search finds a renamed customer by its
// new words only, whatever the words of the search drive it by: a rename
// that keeps the number of words, and one that keeps a word.
func testSearchRenamed(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	ana, err := s.Create(ctx(t), tn, named(1, "Ana Souza Prado"))
	require.NoError(t, err)
	bia, err := s.Create(ctx(t), tn, named(2, "Bia Souza Prado"))
	require.NoError(t, err)
	co := Company(3)
	co.Name, co.TradeName = "Auto Pecas Uniao Ltda", ""
	co, err = s.Create(ctx(t), tn, co)
	require.NoError(t, err)

	ana.Name = "Ana Lima Prado"
	_, err = s.Update(ctx(t), tn, ana)
	require.NoError(t, err)
	co.Name = "Auto Pecas Vitoria Ltda"
	_, err = s.Update(ctx(t), tn, co)
	require.NoError(t, err)

	for _, c := range []struct {
		q    customer.Query
		want []uuid.UUID
	}{
		{customer.Query{Name: "ana lim"}, []uuid.UUID{ana.ID}},
		{customer.Query{Name: "ana lima prado"}, []uuid.UUID{ana.ID}},
		{customer.Query{Name: "prado lim"}, []uuid.UUID{ana.ID}},
		{customer.Query{Name: "ana sou"}, nil},
		{customer.Query{Name: "ana souza"}, nil},
		{customer.Query{Name: "souza prado"}, []uuid.UUID{bia.ID}},
		{customer.Query{Name: "pra sou"}, []uuid.UUID{bia.ID}},
		{customer.Query{Company: "auto vit"}, []uuid.UUID{co.ID}},
		{customer.Query{Company: "pecas vitoria ltda"}, []uuid.UUID{co.ID}},
		{customer.Query{Company: "auto uni"}, nil},
		{customer.Query{Company: "ltda uniao"}, nil},
	} {
		assert.Equal(t, c.want, SearchAll(t, s, tn, c.q, 5), "%+v", c.q)
	}
}

// SearchAll pages through a search to its end, limit hits a page,
// following each page's Next, and returns the IDs of the hits in order. It
// fails the test on an error, on pages out of search order or of the wrong
// size, or when the pages do not end.
func SearchAll(t *testing.T, s *storage.Store, tenant string, q customer.Query, limit int) []uuid.UUID {
	t.Helper()
	var ids []uuid.UUID
	for _, h := range collectHits(t, s, tenant, q, limit, nil) {
		ids = append(ids, h.ID)
	}
	return ids
}
