package memory

import (
	"encoding/binary"
	"iter"
	"time"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
)

// entry is a change-log entry as the tenant keeps it. The log holds an
// entry per write forever, so an entry keeps what the Change holds that the
// tenant does not know already: its number is its place in the log, its
// tenant is the log's, its actor a place in the tenant's actors (a load
// writes a million entries under one actor), and its fields are packed
// into one byte slice. A creation's entry has a value per field set; as a
// slice of FieldChange it cost about three times the packed bytes.
type entry struct {
	customer uuid.UUID
	item     uuid.UUID
	at       time.Time
	version  int64
	fields   []byte
	// prev is the place in the log of the customer's entry before this
	// one, or -1: each customer's history is a chain through the log.
	prev  int
	actor int32
	op    storage.Op
}

// actorRef returns a's place in the tenant's actors, adding it when new.
func (t *tenant) actorRef(a storage.Actor) int32 {
	if i, ok := t.actorIndex[a]; ok {
		return i
	}
	i := int32(len(t.actors))
	t.actors = append(t.actors, a)
	if t.actorIndex == nil {
		t.actorIndex = map[storage.Actor]int32{}
	}
	t.actorIndex[a] = i
	return i
}

// change returns the entry at place pos of the log as a Change, its fields
// unpacked.
func (t *tenant) change(pos int) storage.Change {
	e := &t.log[pos]
	return storage.Change{Seq: int64(pos) + 1, Tenant: t.name, CustomerID: e.customer, At: e.at,
		Actor: t.actors[e.actor], Op: e.op, Version: e.version, Item: e.item, Fields: unpackFields(e.fields)}
}

// history yields the places in the log of the customer's entries, newest
// first.
func (t *tenant) history(id uuid.UUID) iter.Seq[int] {
	return func(yield func(int) bool) {
		pos, ok := t.newest[id]
		if !ok {
			return
		}
		for ; pos >= 0; pos = t.log[pos].prev {
			if !yield(pos) {
				return
			}
		}
	}
}

// packFields writes each field as its path, then its old and new values,
// each preceded by its length as a uvarint; a value's length is written
// one more than it is, so that 0 stands for a value that is nil.
func packFields(fs []customer.FieldChange) []byte {
	if fs == nil {
		return nil
	}
	n := 0
	for _, f := range fs {
		n += 3*binary.MaxVarintLen32 + len(f.Path) + len(f.Old) + len(f.New)
	}
	b := make([]byte, 0, n)
	for _, f := range fs {
		b = binary.AppendUvarint(b, uint64(len(f.Path)))
		b = append(b, f.Path...)
		for _, v := range [2][]byte{f.Old, f.New} {
			if v == nil {
				b = binary.AppendUvarint(b, 0)
				continue
			}
			b = binary.AppendUvarint(b, uint64(len(v))+1)
			b = append(b, v...)
		}
	}
	// The slack of the estimate would stay allocated as long as the log.
	return append(make([]byte, 0, len(b)), b...)
}

// unpackFields reverses packFields, with values of their own: a caller may
// change what it is handed. It reads only what packFields wrote.
func unpackFields(b []byte) []customer.FieldChange {
	if b == nil {
		return nil
	}
	out := []customer.FieldChange{}
	next := func() (uint64, []byte) {
		n, k := binary.Uvarint(b)
		b = b[k:]
		return n, b
	}
	for len(b) > 0 {
		var f customer.FieldChange
		n, rest := next()
		f.Path, b = string(rest[:n]), rest[n:]
		for _, v := range [2]*[]byte{(*[]byte)(&f.Old), (*[]byte)(&f.New)} {
			n, rest := next()
			if n == 0 {
				continue
			}
			*v, b = append([]byte{}, rest[:n-1]...), rest[n-1:]
		}
		out = append(out, f)
	}
	return out
}
