package lookup

import (
	"context"
	"sync"
	"time"

	"github.com/fichacrm/ficha/address"
)

// CacheOptions size and age a [Cache]. A nil *CacheOptions, and every
// zero field, take the defaults.
type CacheOptions struct {
	Size        int           // answers kept at most; 10000 by default
	TTL         time.Duration // how long an answer is kept; 30 days by default
	NotFoundTTL time.Duration // how long a definite "not found" is kept; 1 hour by default
	// Now tells the time, time.Now by default; tests set a clock of their own.
	Now func() time.Time
}

// Cache is an [address.Lookup] that remembers answers of another for a
// time, and lets concurrent callers asking for the same CEP share one
// request. It holds at most Size answers, forgetting the least recently
// used. Offline and failed answers are not kept, nor answers that fail
// the checks of the package doc. It is safe for concurrent use.
type Cache struct {
	l    address.Lookup
	opts CacheOptions

	mu       sync.Mutex
	entries  map[address.CEP]*cacheEntry
	head     cacheEntry // sentinel of the recency list: head.next is the newest
	inflight map[address.CEP]*call
}

type cacheEntry struct {
	cep        address.CEP
	r          address.Result
	err        error
	expires    time.Time
	prev, next *cacheEntry
}

type call struct {
	done chan struct{}
	r    address.Result
	err  error
}

// NewCache returns a cache in front of l. It does no I/O. It panics if l
// is nil.
func NewCache(l address.Lookup, opts *CacheOptions) *Cache {
	mustProvider("NewCache", l)
	c := &Cache{l: l, entries: map[address.CEP]*cacheEntry{}, inflight: map[address.CEP]*call{}}
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

// Lookup implements [address.Lookup]. A zero CEP, or one outside every
// official range, is address.ErrLookupInvalid and asks no one.
//
// A context already done gets its own error, even for a CEP whose answer
// is kept: as every [address.Lookup], a cache honours ctx first, so a
// caller sees the same outcome whether or not the answer was cached. A
// caller whose context ends while the request is under way stops waiting
// at once; the shared request goes on for the others, bounded by the
// provider's own timeout.
//
// The request runs in a goroutine of the cache's own: if the provider
// panics there, every caller waiting for it gets a [*PanicError].
func (c *Cache) Lookup(ctx context.Context, cep address.CEP) (address.Result, error) {
	if err := checkCEP(cep); err != nil {
		return address.Result{}, err
	}
	if err := ctx.Err(); err != nil {
		return address.Result{}, err
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
		return address.Result{}, ctx.Err()
	}
}

func (c *Cache) fetch(ctx context.Context, cep address.CEP, cl *call) {
	cl.r, cl.err = askRecovering(ctx, c.l, cep)
	c.mu.Lock()
	defer c.mu.Unlock()
	// The waiting callers are released once the answer is kept (or
	// dropped): what they do next sees the cache as this request left it.
	defer close(cl.done)
	delete(c.inflight, cep)
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
