package storagetest

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
)

// loadInputs are the inputs of a load of n customers from base, with
// planted refusals: an invalid record, a nil one, a CPF repeated within
// its batch and across batches, and an ID repeated across batches (with
// batches of 100). Companies and Full records are mixed in, so that every
// sub-record table is written.
func loadInputs(base, n int) (cs []*customer.Customer, refused map[int]error) {
	for i := range n {
		switch {
		case i%7 == 3:
			cs = append(cs, Company(base+i))
		case i == 42:
			cs = append(cs, Full(time.Now()))
		default:
			cs = append(cs, Individual(base+i))
		}
	}
	refused = map[int]error{}
	cs[5].Name = ""
	refused[5] = storage.ErrInvalid
	cs[30] = nil
	refused[30] = storage.ErrInvalid
	cs[60].TaxID = cs[50].TaxID // within the batch
	refused[60] = storage.ErrDuplicateTaxID
	cs[150].TaxID = cs[10].TaxID // across batches
	refused[150] = storage.ErrDuplicateTaxID
	cs[20].ID = customer.NewID()
	cs[260].ID = cs[20].ID // across batches
	refused[260] = storage.ErrExists
	return cs, refused
}

// load runs Store.Load and returns its stats and each input's result,
// checking that report is called once per input, in order.
func load(t *testing.T, s *storage.Store, tn string, cs []*customer.Customer, opts *storage.LoadOptions) (storage.LoadStats, []storage.Result) {
	t.Helper()
	var results []storage.Result
	stats, err := s.Load(storage.WithActor(ctx(t), storage.Actor{App: "dms-import"}), tn, slices.Values(cs),
		func(i int, r storage.Result) error {
			require.Equal(t, len(results), i, "results come once per input, in order")
			results = append(results, r)
			return nil
		}, opts)
	require.NoError(t, err)
	require.Len(t, results, len(cs))
	return stats, results
}

// checkLoaded checks that each created input is stored whole and found
// by its keys, that each refused one left nothing, and that the change
// log holds one creation per created input, in input order, numbered
// from after on without a gap.
func checkLoaded(t *testing.T, s *storage.Store, tn string, cs []*customer.Customer, results []storage.Result, after int64) []uuid.UUID {
	t.Helper()
	var created []uuid.UUID
	known := map[uuid.UUID]bool{}
	for _, r := range results {
		if r.Err == nil {
			known[r.Customer.ID] = true
		}
	}
	for i, r := range results {
		if r.Err != nil {
			assert.Nil(t, r.Customer, "input %d", i)
			if c := cs[i]; c != nil && len(c.Assets) > 0 && !c.Assets[0].Plate.IsZero() {
				p, err := s.Search(ctx(t), tn, customer.Query{Plate: c.Assets[0].Plate.String()}, nil)
				require.NoError(t, err)
				for _, h := range p.Hits {
					assert.True(t, known[h.ID] || after > 0, "refused input %d left keys", i)
				}
			}
			continue
		}
		created = append(created, r.Customer.ID)
		got, err := s.Get(ctx(t), tn, r.Customer.ID)
		require.NoError(t, err, "input %d", i)
		requireSame(t, r.Customer, got)
		if len(r.Customer.Assets) > 0 && !r.Customer.Assets[0].Plate.IsZero() {
			p, err := s.Search(ctx(t), tn, customer.Query{Plate: r.Customer.Assets[0].Plate.String()}, nil)
			require.NoError(t, err)
			found := slices.ContainsFunc(p.Hits, func(h storage.Hit) bool { return h.ID == r.Customer.ID })
			assert.True(t, found, "input %d is found by its plate", i)
		}
	}
	feed := allChanges(t, s, tn, after)
	require.Equal(t, len(created), len(feed), "one entry per customer created")
	for j, ch := range feed {
		assert.Equal(t, after+int64(j)+1, ch.Seq, "no gap in the change log")
		assert.Equal(t, storage.OpCreate, ch.Op)
		assert.Equal(t, created[j], ch.CustomerID, "entries in input order")
		assert.Equal(t, "dms-import", ch.Actor.App)
		assert.NotEmpty(t, ch.Fields)
	}
	return created
}

// allChanges reads the tenant's change log after a number to its end.
func allChanges(t *testing.T, s *storage.Store, tn string, after int64) []storage.Change {
	t.Helper()
	var out []storage.Change
	for {
		page, err := s.Changes(ctx(t), tn, after, storage.MaxLogLimit)
		require.NoError(t, err)
		if len(page) == 0 {
			return out
		}
		out = append(out, page...)
		after = page[len(page)-1].Seq
	}
}

// testLoad checks Store.Load over several batches: every refusal
// CreateMany makes, for that input only; each customer stored whole, its
// keys searchable, its creation logged in input order without a gap; then
// a second load whose inputs repeat stored customers' CPFs and IDs.
func testLoad(t *testing.T, s *storage.Store) { loadTwice(t, s) }

// RunInitialLoad runs the load test of the suite on a store over d, which
// must hold no customer of any tenant, and checks that the load reported
// itself an initial one, its indexes set aside and built again, exactly
// when rebuilt is true. Adapters whose suite shares one database between
// tests run it on a database of its own.
func RunInitialLoad(t *testing.T, d storage.Driver, rebuilt bool) {
	s := storage.New(d, nil)
	t.Cleanup(func() { _ = s.Close() })
	stats := loadTwice(t, s)
	assert.Equal(t, rebuilt, stats.Rebuilt)
}

// loadTwice is testLoad; it returns the stats of its first load.
func loadTwice(t *testing.T, s *storage.Store) storage.LoadStats {
	tn := tenant(t)
	cs, refused := loadInputs(300000, 330)
	stats, results := load(t, s, tn, cs, &storage.LoadOptions{BatchSize: 100})
	first := stats
	for i, r := range results {
		if want, ok := refused[i]; ok {
			assert.ErrorIs(t, r.Err, want, "input %d", i)
			continue
		}
		assert.NoError(t, r.Err, "input %d", i)
	}
	var de *storage.DuplicateTaxIDError
	require.ErrorAs(t, results[60].Err, &de)
	assert.Equal(t, results[50].Customer.ID, de.HolderID, "within a batch the first holder wins")
	require.ErrorAs(t, results[150].Err, &de)
	assert.Equal(t, results[10].Customer.ID, de.HolderID, "across batches too")
	assert.Equal(t, len(cs)-len(refused), stats.Created)
	assert.Equal(t, len(refused), stats.Failed)
	created := checkLoaded(t, s, tn, cs, results, 0)
	n, err := s.Count(ctx(t), tn)
	require.NoError(t, err)
	assert.Equal(t, int64(len(created)), n)
	hits, err := s.Search(ctx(t), tn, customer.Query{Name: cs[0].Name}, nil)
	require.NoError(t, err)
	assert.NotEmpty(t, hits.Hits, "names are searchable after the load")

	// Into a store that holds them: the stored CPFs and IDs are taken.
	again := []*customer.Customer{Individual(300000), Individual(300001), Individual(310000), nil, Individual(310001)}
	again[1].ID = results[1].Customer.ID
	again[1].TaxID = CPF(310002)
	stats, second := load(t, s, tn, again, nil)
	require.ErrorAs(t, second[0].Err, &de)
	assert.Equal(t, results[0].Customer.ID, de.HolderID)
	assert.ErrorIs(t, second[1].Err, storage.ErrExists)
	assert.NoError(t, second[2].Err)
	assert.ErrorIs(t, second[3].Err, storage.ErrInvalid)
	assert.NoError(t, second[4].Err)
	assert.False(t, stats.Rebuilt, "a store with customers keeps its indexes")
	checkLoaded(t, s, tn, again, second, int64(len(created)))
	return first
}

// testLoadStops checks that an error of report stops a load, which
// returns it, and that every input reported created is stored and no
// other; and that a cancelled context does the same.
func testLoadStops(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	cs, _ := loadInputs(320000, 300)
	stop := errors.New("enough")
	var results []storage.Result
	stats, err := s.Load(ctx(t), tn, slices.Values(cs), func(i int, r storage.Result) error {
		results = append(results, r)
		if i == 120 {
			return stop
		}
		return nil
	}, &storage.LoadOptions{BatchSize: 50})
	require.ErrorIs(t, err, stop)
	require.Len(t, results, 121, "no result after the one that stopped the load")
	stored, err := s.Count(ctx(t), tn)
	require.NoError(t, err)
	created := 0
	for _, r := range results {
		if r.Err == nil {
			created++
		}
	}
	// The batch whose report stopped the load is stored whole: its
	// results past 120 were not reported.
	assert.GreaterOrEqual(t, stored, int64(created))
	assert.LessOrEqual(t, stored, int64(150))
	assert.Equal(t, stored, int64(stats.Created), "LoadStats counts every customer stored, reported or not")

	tn = tenant(t)
	c, cancel := context.WithCancel(ctx(t))
	defer cancel()
	var done []storage.Result
	stats, err = s.Load(c, tn, slices.Values(cs), func(i int, r storage.Result) error {
		done = append(done, r)
		if i == 70 {
			cancel()
		}
		return nil
	}, &storage.LoadOptions{BatchSize: 50})
	require.Error(t, err)
	for i, r := range done {
		if r.Err != nil {
			continue
		}
		got, err := s.Get(ctx(t), tn, r.Customer.ID)
		require.NoError(t, err, "input %d reported created", i)
		requireSame(t, r.Customer, got)
	}
	stored, err = s.Count(ctx(t), tn)
	require.NoError(t, err)
	assert.LessOrEqual(t, stored, int64(len(done)), "nothing stored past what was reported")
	assert.Equal(t, stored, int64(stats.Created), "LoadStats counts every customer stored")
}

// testLoadUnderWrites runs a load while other writers create customers
// with CPFs the load's inputs hold: whichever wins, each CPF has one
// holder, each input reported created is stored whole and each refused
// one left nothing, and the change log has no gap.
func testLoadUnderWrites(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	cs, _ := loadInputs(340000, 400)
	var wg sync.WaitGroup
	raced := map[int]error{}
	var mu sync.Mutex
	for w := range 4 {
		wg.Go(func() {
			for i := w; i < len(cs); i += 37 {
				if cs[i] == nil || cs[i].Name == "" {
					continue
				}
				rival := Individual(350000 + i)
				rival.TaxID = cs[i].TaxID
				_, err := s.Create(ctx(t), tn, rival)
				mu.Lock()
				raced[i] = err
				mu.Unlock()
			}
		})
	}
	_, results := load(t, s, tn, cs, &storage.LoadOptions{BatchSize: 64})
	wg.Wait()
	holders := map[string]int{}
	for i, r := range results {
		if r.Err == nil {
			holders[r.Customer.TaxID.String()]++
		}
		if err, ok := raced[i]; ok && err == nil {
			holders[cs[i].TaxID.String()]++
		}
	}
	for tax, n := range holders {
		assert.Equal(t, 1, n, "CPF %s has one holder", tax)
	}
	for j, ch := range allChanges(t, s, tn, 0) {
		require.Equal(t, int64(j+1), ch.Seq, "no gap in the change log")
	}
	var mine []storage.Result
	for _, r := range results {
		if r.Err == nil {
			mine = append(mine, r)
			got, err := s.Get(ctx(t), tn, r.Customer.ID)
			require.NoError(t, err)
			requireSame(t, r.Customer, got)
		}
	}
	n, err := s.Count(ctx(t), tn)
	require.NoError(t, err)
	rivals := 0
	for _, err := range raced {
		if err == nil {
			rivals++
		}
	}
	assert.Equal(t, int64(len(mine)+rivals), n, "nothing stored but what was reported")
}
