package memory

import (
	"encoding/binary"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
)

// entry is a change-log entry as the tenant keeps it: the entry without
// its fields, and the fields packed into one byte slice. A creation's entry
// has a value per field set; as a slice of FieldChange it cost about three
// times the packed bytes, and the log holds an entry per write forever.
type entry struct {
	ch     storage.Change // Fields is nil
	fields []byte
}

// newEntry packs a copy of ch.
func newEntry(ch storage.Change) entry {
	fs := ch.Fields
	ch.Fields = nil
	return entry{ch: ch, fields: packFields(fs)}
}

// change returns a copy of the entry, its fields unpacked.
func (e entry) change() storage.Change {
	ch := e.ch
	ch.Fields = unpackFields(e.fields)
	return ch
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
