package memory

import (
	"encoding/binary"
	"iter"

	"github.com/fichacrm/ficha/customer"
)

// keyList is a customer's search keys packed into one string: each key its
// field, its value's length as a uvarint, then the value. Kept as a
// []customer.Key, a customer's dozen keys cost a slice of 24 bytes a key
// and a string each beside it; packed, one string. The values it yields
// are substrings of it, and the index's map keys too, so a key's value is
// stored once: a value many customers hold (a word of a name) keeps one
// of their lists alive while it is in the index, perhaps one its customer
// no longer has: at most a list for each word of the vocabulary.
type keyList string

// packKeys packs ks in their order.
func packKeys(ks []customer.Key) keyList {
	n := 0
	for _, k := range ks {
		n += 1 + binary.MaxVarintLen32 + len(k.Value)
	}
	b := make([]byte, 0, n)
	for _, k := range ks {
		b = append(b, byte(k.Field))
		b = binary.AppendUvarint(b, uint64(len(k.Value)))
		b = append(b, k.Value...)
	}
	return keyList(b)
}

// all yields the keys in the order packed, their values substrings of l.
func (l keyList) all() iter.Seq[customer.Key] {
	return func(yield func(customer.Key) bool) {
		s := string(l)
		for len(s) > 0 {
			f := customer.Field(s[0])
			n, w := uvarint(s[1:])
			start := 1 + w
			if !yield(customer.Key{Field: f, Value: s[start : start+n]}) {
				return
			}
			s = s[start+n:]
		}
	}
}

// uvarint reads a uvarint packKeys wrote at the start of s, and how many
// bytes it took.
func uvarint(s string) (int, int) {
	var x uint64
	var shift uint
	for i := 0; i < len(s); i++ {
		c := s[i]
		x |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return int(x), i + 1
		}
		shift += 7
	}
	return int(x), len(s)
}

// slice returns the keys as a slice (sharing l's memory: strings do not
// change).
func (l keyList) slice() []customer.Key {
	var out []customer.Key
	for k := range l.all() {
		out = append(out, k)
	}
	return out
}

// matchesAll reports whether every term matches one of the keys (see
// customer.MatchesAll).
func (l keyList) matchesAll(terms []customer.Term) bool {
	for _, t := range terms {
		if !l.any(t.Matches) {
			return false
		}
	}
	return true
}

// matchesWhole reports whether every term equals one of the keys (see
// customer.MatchesWhole).
func (l keyList) matchesWhole(terms []customer.Term) bool {
	for _, t := range terms {
		if !l.any(func(k customer.Key) bool { return k.Field == t.Field && k.Value == t.Value }) {
			return false
		}
	}
	return true
}

// any reports whether a key satisfies f.
func (l keyList) any(f func(customer.Key) bool) bool {
	for k := range l.all() {
		if f(k) {
			return true
		}
	}
	return false
}
