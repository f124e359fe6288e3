package address

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Errors of a [Lookup]. Callers tell them apart with errors.Is.
var (
	// ErrLookupInvalid: the CEP is malformed or belongs to no state.
	ErrLookupInvalid = errors.New("address: invalid CEP")
	// ErrLookupNotFound: the CEP is well formed but no service knows it.
	ErrLookupNotFound = errors.New("address: CEP not found")
	// ErrLookupUnavailable: no service could answer now (down, slow,
	// refusing, answering nonsense); worth retrying later.
	ErrLookupUnavailable = errors.New("address: CEP lookup unavailable")
)

// Result is what a CEP lookup ("consulta do CEP") tells of a CEP.
type Result struct {
	CEP      CEP
	Street   string // logradouro; empty for CEPs that cover a whole town
	District string // bairro
	City     string // localidade
	UF       UF
	// Source names who answered ("viacep", "brasilapi", "offline", ...).
	Source string
	// Offline is set when no service answered and only the state was
	// derived from the official CEP ranges.
	Offline bool
}

// Complete reports whether r names at least the city and the state.
func (r Result) Complete() bool { return r.City != "" && r.UF.IsValid() }

// Lookup finds the address of a CEP. Implementations honour ctx and are
// safe for concurrent use. Errors match ErrLookupInvalid,
// ErrLookupNotFound or ErrLookupUnavailable.
type Lookup interface {
	Lookup(ctx context.Context, cep CEP) (Result, error)
}

// LookupFunc adapts a function to [Lookup].
type LookupFunc func(ctx context.Context, cep CEP) (Result, error)

// Lookup implements [Lookup].
func (f LookupFunc) Lookup(ctx context.Context, cep CEP) (Result, error) { return f(ctx, cep) }

// ErrLookupMismatch is wrapped (with ErrLookupUnavailable) when a service
// answers with a state that the CEP's official range contradicts.
var ErrLookupMismatch = errors.New("address: the service's state disagrees with the CEP's range")

// ask asks one provider and checks its answer: the state must agree with
// the CEP's range. An answer that does not is the service's mistake, not
// a fact.
func ask(ctx context.Context, p Lookup, cep CEP) (Result, error) {
	r, err := p.Lookup(ctx, cep)
	if err != nil {
		return r, err
	}
	if r.UF.IsValid() && r.UF != cep.UF() {
		return Result{}, fmt.Errorf("%w: %w", ErrLookupUnavailable, ErrLookupMismatch)
	}
	r.CEP = cep
	return r, nil
}

// definitelyNotFound reports whether err says the CEP does not exist, not
// that the service could not tell (BrasilAPI answers 404 for both).
func definitelyNotFound(err error) bool {
	return errors.Is(err, ErrLookupNotFound) && !errors.Is(err, ErrLookupUnavailable)
}

// outcome folds the failures of several providers into one error: a
// definite "not found" wins, then "invalid", else "unavailable" (joined
// with every provider's own error).
func outcome(errs []error) error {
	for _, err := range errs {
		if definitelyNotFound(err) {
			return err
		}
	}
	for _, err := range errs {
		if errors.Is(err, ErrLookupInvalid) {
			return err
		}
	}
	if len(errs) == 1 && errors.Is(errs[0], ErrLookupUnavailable) {
		return errs[0]
	}
	return fmt.Errorf("%w: %w", ErrLookupUnavailable, errors.Join(errs...))
}

// Sequential asks the providers in order and returns the first complete
// answer (one with the city and state) whose state agrees with the CEP's
// range; an incomplete answer is kept in case no provider does better.
func Sequential(providers ...Lookup) Lookup {
	return LookupFunc(func(ctx context.Context, cep CEP) (Result, error) {
		if cep.IsZero() {
			return Result{}, ErrLookupInvalid
		}
		var partial *Result
		var errs []error
		for _, p := range providers {
			if err := ctx.Err(); err != nil {
				return Result{}, err
			}
			r, err := ask(ctx, p, cep)
			switch {
			case err != nil:
				errs = append(errs, err)
			case r.Complete():
				return r, nil
			case partial == nil:
				partial = &r
			}
		}
		if partial != nil {
			return *partial, nil
		}
		if err := ctx.Err(); err != nil {
			return Result{}, err
		}
		return Result{}, outcome(errs)
	})
}

// First asks every provider at once and returns the first complete answer
// whose state agrees with the CEP's range, cancelling the others. If none
// is complete it returns the first incomplete one; if all fail, their
// folded error (a definite "not found" wins over "unavailable").
func First(providers ...Lookup) Lookup {
	return LookupFunc(func(ctx context.Context, cep CEP) (Result, error) {
		if cep.IsZero() {
			return Result{}, ErrLookupInvalid
		}
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		type answer struct {
			r   Result
			err error
		}
		answers := make(chan answer, len(providers))
		for _, p := range providers {
			go func() {
				r, err := ask(ctx, p, cep)
				answers <- answer{r, err}
			}()
		}
		var partial *Result
		var errs []error
		for range providers {
			select {
			case a := <-answers:
				switch {
				case a.err != nil:
					errs = append(errs, a.err)
				case a.r.Complete():
					return a.r, nil
				case partial == nil:
					partial = &a.r
				}
			case <-ctx.Done():
				return Result{}, ctx.Err()
			}
		}
		if partial != nil {
			return *partial, nil
		}
		return Result{}, outcome(errs)
	})
}

// WithOffline returns a Lookup that, when l is unavailable, still answers
// with the CEP's state from the official ranges (Result.Offline set), so
// the attendant can go on typing the rest. Not-found and invalid answers,
// and the caller's cancellation, pass through.
func WithOffline(l Lookup) Lookup {
	return LookupFunc(func(ctx context.Context, cep CEP) (Result, error) {
		r, err := l.Lookup(ctx, cep)
		if err == nil || ctx.Err() != nil || !errors.Is(err, ErrLookupUnavailable) || definitelyNotFound(err) {
			return r, err
		}
		return Result{CEP: cep, UF: cep.UF(), Source: "offline", Offline: true}, nil
	})
}

// CacheOptions size and age a [Cache]. Zero fields take the defaults.
type CacheOptions struct {
	Size        int           // answers kept at most; 10000 by default
	TTL         time.Duration // how long an answer is kept; 30 days by default
	NotFoundTTL time.Duration // how long a definite "not found" is kept; 1 hour by default
	Now         func() time.Time
}

// Cache is a [Lookup] that remembers answers of another for a time, and
// lets concurrent callers asking for the same CEP share one request. It
// holds at most Size answers, forgetting the least recently used. Offline
// and failed answers are not kept. It is safe for concurrent use.
type Cache struct {
	l    Lookup
	opts CacheOptions

	mu       sync.Mutex
	entries  map[CEP]*cacheEntry
	head     cacheEntry // sentinel of the recency list: head.next is the newest
	inflight map[CEP]*call
}

type cacheEntry struct {
	cep        CEP
	r          Result
	err        error
	expires    time.Time
	prev, next *cacheEntry
}

type call struct {
	done chan struct{}
	r    Result
	err  error
}

// NewCache returns a cache in front of l. It does no I/O.
func NewCache(l Lookup, opts *CacheOptions) *Cache {
	c := &Cache{l: l, entries: map[CEP]*cacheEntry{}, inflight: map[CEP]*call{}}
	if opts != nil {
		c.opts = *opts
	}
	if c.opts.Size <= 0 {
		c.opts.Size = 10000
	}
	if c.opts.TTL <= 0 {
		c.opts.TTL = 30 * 24 * time.Hour
	}
	if c.opts.NotFoundTTL <= 0 {
		c.opts.NotFoundTTL = time.Hour
	}
	if c.opts.Now == nil {
		c.opts.Now = time.Now
	}
	c.head.next, c.head.prev = &c.head, &c.head
	return c
}

// Len returns the number of answers kept.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

// Lookup implements [Lookup]. A caller whose context ends stops waiting at
// once; the shared request goes on for the others, bounded by the
// provider's own timeout.
func (c *Cache) Lookup(ctx context.Context, cep CEP) (Result, error) {
	if cep.IsZero() {
		return Result{}, ErrLookupInvalid
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	c.mu.Lock()
	if e, ok := c.entries[cep]; ok {
		if c.opts.Now().Before(e.expires) {
			c.unlink(e)
			c.pushFront(e)
			c.mu.Unlock()
			return e.r, e.err
		}
		c.remove(e)
	}
	cl, ok := c.inflight[cep]
	if !ok {
		cl = &call{done: make(chan struct{})}
		c.inflight[cep] = cl
		go c.fetch(context.WithoutCancel(ctx), cep, cl)
	}
	c.mu.Unlock()
	select {
	case <-cl.done:
		return cl.r, cl.err
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
}

func (c *Cache) fetch(ctx context.Context, cep CEP, cl *call) {
	cl.r, cl.err = c.l.Lookup(ctx, cep)
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.inflight, cep)
	close(cl.done)
	var ttl time.Duration
	switch {
	case cl.err == nil && !cl.r.Offline:
		ttl = c.opts.TTL
	case definitelyNotFound(cl.err):
		ttl = c.opts.NotFoundTTL
	default:
		return
	}
	if e, ok := c.entries[cep]; ok {
		c.remove(e)
	}
	e := &cacheEntry{cep: cep, r: cl.r, err: cl.err, expires: c.opts.Now().Add(ttl)}
	c.entries[cep] = e
	c.pushFront(e)
	for len(c.entries) > c.opts.Size {
		c.remove(c.head.prev)
	}
}

func (c *Cache) pushFront(e *cacheEntry) {
	e.prev, e.next = &c.head, c.head.next
	c.head.next.prev = e
	c.head.next = e
}

func (c *Cache) unlink(e *cacheEntry) {
	e.prev.next, e.next.prev = e.next, e.prev
}

func (c *Cache) remove(e *cacheEntry) {
	c.unlink(e)
	delete(c.entries, e.cep)
}

// FillOptions change what [Fill] may do.
type FillOptions struct {
	// Overwrite lets the lookup replace street, district, city and state
	// that are already filled. Number and complement are never touched.
	Overwrite bool
}

// Fill completes a with what a lookup found for its CEP: street, district,
// city and state, each only if empty (or if opts.Overwrite). The number
// and complement, which only the attendant knows, are never changed. It
// returns the names of the fields it filled ("street", "district", "city",
// "uf"); an offline result fills only the state.
func Fill(a *Address, r Result, opts *FillOptions) []string {
	over := opts != nil && opts.Overwrite
	var filled []string
	set := func(name string, dst *string, v string) {
		if v != "" && v != *dst && (*dst == "" || over) {
			*dst = v
			filled = append(filled, name)
		}
	}
	if a.CEP.IsZero() && !r.CEP.IsZero() {
		a.CEP = r.CEP
		filled = append(filled, "cep")
	}
	set("street", &a.Street, r.Street)
	set("district", &a.District, r.District)
	set("city", &a.City, r.City)
	if r.UF.IsValid() && r.UF != a.UF && (!a.UF.IsValid() || over) {
		a.UF = r.UF
		filled = append(filled, "uf")
	}
	return filled
}
