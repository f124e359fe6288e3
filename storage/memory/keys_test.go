package memory

import (
	"slices"
	"strings"
	"testing"

	"github.com/fichacrm/ficha/customer"
)

// FuzzKeyList checks that a customer's keys come back from their packed
// list as they went in, in order, and that the list answers a term as
// customer.MatchesAll and MatchesWhole answer it over the keys.
func FuzzKeyList(f *testing.F) {
	f.Add(uint8(customer.FieldName), "maria", uint8(customer.FieldPhone), strings.Repeat("9", 200), "mar", true)
	f.Add(uint8(0), "", uint8(255), "\x00\xff", "", false)
	f.Fuzz(func(t *testing.T, f1 uint8, v1 string, f2 uint8, v2 string, term string, prefix bool) {
		in := []customer.Key{{Field: customer.Field(f1), Value: v1}, {Field: customer.Field(f2), Value: v2}, {Field: customer.FieldName, Value: v1 + v2}}
		l := packKeys(in)
		if got := l.slice(); !slices.Equal(got, in) {
			t.Fatalf("%q came back as %q", in, got)
		}
		for _, field := range []customer.Field{customer.Field(f1), customer.Field(f2), customer.FieldName} {
			terms := []customer.Term{{Field: field, Value: term, Prefix: prefix}}
			if l.matchesAll(terms) != customer.MatchesAll(in, terms) || l.matchesWhole(terms) != customer.MatchesWhole(in, terms) {
				t.Fatalf("%+v against %q: the packed list answers otherwise", terms, in)
			}
		}
	})
}

func TestEmptyKeyList(t *testing.T) {
	l := packKeys(nil)
	if l != "" || l.slice() != nil || !l.matchesAll(nil) || l.matchesAll([]customer.Term{{Field: customer.FieldName, Value: "a"}}) {
		t.Errorf("an empty list: %q", l)
	}
}
