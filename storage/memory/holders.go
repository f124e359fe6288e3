package memory

import (
	"iter"
	"maps"

	"github.com/google/uuid"
)

// holders is the set of customers that hold one key. Most keys (a CPF, a
// phone, a plate) have one holder: it is kept in the value itself, and a
// map is made only when a second customer comes, so an index of millions
// of keys costs a map slot per key rather than a map per key.
type holders struct {
	one  uuid.UUID // the holder, when many is nil and the set is not empty
	many map[uuid.UUID]struct{}
}

// len returns how many customers hold the key.
func (h holders) len() int {
	switch {
	case h.many != nil:
		return len(h.many)
	case h.one != uuid.Nil:
		return 1
	}
	return 0
}

// add returns the set with id in it.
func (h holders) add(id uuid.UUID) holders {
	switch {
	case h.many != nil:
		h.many[id] = struct{}{}
	case h.one == uuid.Nil || h.one == id:
		h.one = id
	default:
		h.many = map[uuid.UUID]struct{}{h.one: {}, id: {}}
		h.one = uuid.Nil
	}
	return h
}

// remove returns the set without id.
func (h holders) remove(id uuid.UUID) holders {
	switch {
	case h.many != nil:
		delete(h.many, id)
		if len(h.many) == 1 {
			for last := range h.many {
				return holders{one: last}
			}
		}
	case h.one == id:
		h.one = uuid.Nil
	}
	return h
}

// all yields the holders, in no order.
func (h holders) all() iter.Seq[uuid.UUID] {
	if h.many != nil {
		return maps.Keys(h.many)
	}
	return func(yield func(uuid.UUID) bool) {
		if h.one != uuid.Nil {
			yield(h.one)
		}
	}
}
