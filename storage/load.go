package storage

import (
	"context"
	"iter"

	"github.com/fichacrm/ficha/customer"
)

// BulkLoader is implemented by drivers that can make a large load into an
// empty store faster by setting aside what the load would otherwise
// maintain row by row, and building it once at the end. The SQL adapter
// drops the secondary indexes of the tables a load fills (never a primary
// key nor a unique constraint, so every check of CreateMany holds
// throughout) and builds them again. [Store.Load] calls it; hosts need
// not.
type BulkLoader interface {
	// BeginLoad prepares the store for a load when no tenant has a
	// customer, and reports whether it did; otherwise it changes nothing
	// and returns false.
	BeginLoad(ctx context.Context) (bool, error)
	// EndLoad builds again what BeginLoad set aside, and refreshes the
	// database's planner statistics.
	EndLoad(ctx context.Context) error
}

// LoadOptions tune [Store.Load]. A nil *LoadOptions means the defaults.
type LoadOptions struct {
	// BatchSize is how many customers are validated and written
	// together: DefaultLoadBatch when 0 or less.
	BatchSize int
	// KeepIndexes loads with every index in place even into an empty
	// store: slower, but searches stay fast while the load runs.
	KeepIndexes bool
}

// DefaultLoadBatch is the BatchSize of a load whose options leave it 0.
const DefaultLoadBatch = 2000

// LoadStats is what a [Store.Load] did.
type LoadStats struct {
	Created int // customers stored
	Failed  int // inputs refused, each reported with its error
	// Rebuilt reports whether the load was an initial one, into an empty
	// store, whose indexes were set aside and built again at the end.
	Rebuilt bool
}

// Load stores every customer src yields, as successive [Store.CreateMany]
// calls of opts.BatchSize customers would, and is the way to migrate a
// DMS's customers in: each customer is validated and stored whole or not
// at all, one failure does not stop the others, a CPF/CNPJ or ID that an
// earlier input or a stored customer holds is refused for that input, and
// each customer stored appends its creation to the change log, in input
// order.
//
// report, when not nil, is called once per input, in input order, with
// the input's position in src (from 0) and its Result (as CreateMany's);
// an error it returns stops the load, which stores nothing more and
// returns it (the batch whose results were being reported is stored
// whole, and LoadStats counts it all, reported or not). While one batch
// is written, the next is read from src and validated (on every
// processor); src and report are called from the caller's goroutine only,
// so they may share state.
//
// A load into a store where no tenant has a customer is an initial load:
// unless opts.KeepIndexes, a driver that can (see [BulkLoader]) sets the
// secondary indexes aside before the first batch and builds them after
// the last, even when the load stops early, which is much faster than
// maintaining them a row at a time. Meanwhile searches and lists of any
// tenant may be slow, but they answer correctly; should the process die
// before the end, the adapter's next Migrate builds the indexes.
//
// It returns ErrTenant, ErrClosed, ErrActor, the context's error (the
// customers stored before it remain, as LoadStats counts them), report's
// error, or the error of building the indexes again.
func (s *Store) Load(ctx context.Context, tenant string, src iter.Seq[*customer.Customer], report func(i int, r Result) error, opts *LoadOptions) (stats LoadStats, err error) {
	if err := s.begin(ctx, tenant); err != nil {
		return stats, err
	}
	actor, err := s.actor(ctx)
	if err != nil {
		return stats, err
	}
	size := DefaultLoadBatch
	keep := false
	if opts != nil {
		if opts.BatchSize > 0 {
			size = opts.BatchSize
		}
		keep = opts.KeepIndexes
	}
	if bl, ok := s.d.(BulkLoader); ok && !keep {
		if stats.Rebuilt, err = bl.BeginLoad(ctx); err != nil {
			return stats, err
		}
		if stats.Rebuilt {
			defer func() {
				// Built even when the load stopped: a schema without
				// its indexes is worse than a cancelled call.
				if eerr := bl.EndLoad(context.WithoutCancel(ctx)); err == nil {
					err = eerr
				}
			}()
		}
	}
	stats, err = s.load(ctx, tenant, src, report, size, actor, stats)
	return stats, err
}

// loadBatch is one batch of a load.
type loadBatch struct {
	start   int // the position in src of its first input
	recs    []Record
	index   []int
	results []UpsertResult
	written chan struct{} // closed once the batch is stored
}

// load is Load's pipeline: this goroutine reads src, makes each batch's
// records and reports each batch's results, while another stores the
// batch before it.
func (s *Store) load(ctx context.Context, tenant string, src iter.Seq[*customer.Customer], report func(int, Result) error, size int, actor Actor, stats LoadStats) (LoadStats, error) {
	var writing *loadBatch
	// Whatever happens (a panic in src or report too), no write goes on
	// after Load returns.
	defer func() {
		if writing != nil {
			<-writing.written
		}
	}()
	// finish waits for the batch being written and reports its results.
	finish := func() error {
		b := writing
		if b == nil {
			return nil
		}
		writing = nil
		<-b.written
		// Counted before any is reported: the batch is stored whole even
		// when report stops the load halfway through its results.
		for _, r := range b.results {
			if r.Err != nil {
				stats.Failed++
			} else {
				stats.Created++
			}
		}
		if report == nil {
			return nil
		}
		for j, r := range b.results {
			if err := report(b.start+j, Result{Customer: r.Customer, Err: r.Err}); err != nil {
				return err
			}
		}
		return nil
	}
	// next makes the records of cs, waits for the batch before, and
	// starts writing cs's.
	next := func(start int, cs []*customer.Customer) error {
		all := make([]int, len(cs))
		for i := range all {
			all[i] = i
		}
		b := &loadBatch{start: start, results: make([]UpsertResult, len(cs)), written: make(chan struct{})}
		// A preparation that is not a dry run makes no call that fails.
		b.recs, b.index, _, _ = s.prepareFresh(ctx, tenant, cs, all, b.results, UpsertOptions{}, actor, nil)
		if err := finish(); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		writing = b
		go func() {
			defer close(b.written)
			s.writeFresh(ctx, b.recs, b.index, b.results)
		}()
		return nil
	}
	n := 0
	cs := make([]*customer.Customer, 0, size)
	var err error
	for c := range src {
		cs = append(cs, c)
		if len(cs) == size {
			if err = next(n, cs); err != nil {
				break
			}
			n += len(cs)
			cs = make([]*customer.Customer, 0, size)
		}
	}
	if err == nil && len(cs) > 0 {
		err = next(n, cs)
	}
	if ferr := finish(); err == nil {
		err = ferr
	}
	return stats, err
}
