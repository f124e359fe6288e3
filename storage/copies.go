package storage

import (
	"sync"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/customer"
)

// DefaultKeptCopies is the KeptCopies of a Store whose Options leave it 0.
const DefaultKeptCopies = 1024

// LocalReader is implemented by drivers whose reads cost about what a
// copy of the customer does, as they read the process's own memory (the
// memory adapter): a Store keeps no copies of what they return (see
// Options.KeptCopies).
type LocalReader interface {
	// LocalReads marks the driver; it does nothing.
	LocalReads()
}

// copies holds the customers a Store last read or wrote, each as stored
// at its version, so that saving a copy of one (the desk's read, change,
// save) need not read it again. An entry is never changed once kept: the
// Store reads it and lets nobody else hold it. It can be out of date: a
// write of another Store, or another process, leaves it behind, and the
// driver's conditional write, on the version and the creation time, then
// refuses the write made against it; Save then reads the customer again
// and starts over (see Store.Save). So what it holds is never trusted
// beyond saving a few milliseconds.
type copies struct {
	mu  sync.Mutex
	max int
	m   map[copyKey]*customer.Customer
}

type copyKey struct {
	tenant string
	id     uuid.UUID
}

// newCopies returns a holder of up to max customers, or nil (which keeps
// nothing) when max is 0 or less.
func newCopies(max int) *copies {
	if max <= 0 {
		return nil
	}
	return &copies{max: max, m: make(map[copyKey]*customer.Customer)}
}

// put keeps c, which the caller gives up: nobody may change it after.
func (k *copies) put(tenant string, c *customer.Customer) {
	if k == nil || c == nil {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	key := copyKey{tenant, c.ID}
	if _, ok := k.m[key]; !ok && len(k.m) >= k.max {
		// Any one goes: an entry is a saving, never a need.
		for old := range k.m {
			delete(k.m, old)
			break
		}
	}
	k.m[key] = c
}

// get returns the customer kept for id at version, or nil. The caller
// must not change it.
func (k *copies) get(tenant string, id uuid.UUID, version int64) *customer.Customer {
	if k == nil {
		return nil
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if c := k.m[copyKey{tenant, id}]; c != nil && c.Version == version {
		return c
	}
	return nil
}

// drop forgets what is kept of id.
func (k *copies) drop(tenant string, id uuid.UUID) {
	if k == nil {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.m, copyKey{tenant, id})
}
