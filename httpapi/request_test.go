package httpapi

import (
	"reflect"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/agenda"
	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/reference"
)

// TestRequestTypesHaveEveryField holds each request type to the JSON of the
// domain type it carries: a field added to the record must be added here,
// or the API would refuse it as unknown. (Cards, which encode themselves,
// are held by the round-trip tests.)
func TestRequestTypesHaveEveryField(t *testing.T) {
	t.Parallel()
	for _, pair := range [][2]reflect.Type{
		{reflect.TypeFor[customer.Customer](), reflect.TypeFor[customerIn]()},
		{reflect.TypeFor[address.Address](), reflect.TypeFor[addressIn]()},
		{reflect.TypeFor[asset.Asset](), reflect.TypeFor[assetIn]()},
		{reflect.TypeFor[asset.Lien](), reflect.TypeFor[lienIn]()},
		{reflect.TypeFor[reference.Personal](), reflect.TypeFor[personalIn]()},
		{reflect.TypeFor[reference.Bank](), reflect.TypeFor[bankIn]()},
		{reflect.TypeFor[reference.Expiry](), reflect.TypeFor[expiryIn]()},
		{reflect.TypeFor[contact.Contact](), reflect.TypeFor[contactIn]()},
		{reflect.TypeFor[contact.Birthday](), reflect.TypeFor[birthdayIn]()},
	} {
		domain, in := jsonNames(pair[0]), jsonNames(pair[1])
		for _, name := range domain {
			if name != "" {
				assert.Contains(t, in, name, "%v has no field %q of %v", pair[1], name, pair[0])
			}
		}
		for _, name := range in {
			assert.True(t, name == "" || slices.Contains(domain, name) || pair[1] == reflect.TypeFor[cardIn](), "%v has %q, which %v has not", pair[1], name, pair[0])
		}
	}
}

// TestSearchHasEveryFilter holds the search's parameters to customer.Query:
// each search field sets a filter of its own, and every filter is set.
func TestSearchHasEveryFilter(t *testing.T) {
	t.Parallel()
	var q customer.Query
	seen := map[*string]bool{}
	for _, f := range customer.Fields() {
		p := queryField(&q, f)
		if assert.NotNil(t, p, f.String()) {
			assert.False(t, seen[p], f.String())
			seen[p] = true
		}
	}
	assert.Len(t, seen, reflect.TypeFor[customer.Query]().NumField())
	assert.Len(t, searchParams, len(seen))
}

// TestSubListsHaveEveryList holds subLists to customer.Customer: every list
// of the record can be changed an entry at a time, once, through a field
// of the same JSON name.
func TestSubListsHaveEveryList(t *testing.T) {
	t.Parallel()
	ct := reflect.TypeFor[customer.Customer]()
	names := jsonNames(ct)
	var lists []string
	for i := range ct.NumField() {
		if ct.Field(i).Type.Kind() == reflect.Slice {
			lists = append(lists, names[i])
		}
	}
	var got []string
	for _, l := range subLists {
		got = append(got, l.name())
		// The list's field is the customer's field of that name.
		c := &customer.Customer{}
		i := slices.Index(names, l.name())
		if assert.GreaterOrEqual(t, i, 0, l.name()) {
			assert.Equal(t, 0, l.len(c))
			reflect.ValueOf(c).Elem().Field(i).Set(reflect.MakeSlice(ct.Field(i).Type, 2, 2))
			assert.Equal(t, 2, l.len(c), l.name())
		}
	}
	assert.ElementsMatch(t, lists, got)
}

// TestHistoryRequestsHaveEveryField holds the bodies of an attendance and
// of an agenda item to the JSON of their domain types: every field but the
// store's.
func TestHistoryRequestsHaveEveryField(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		domain, in reflect.Type
		store      []string
	}{
		{reflect.TypeFor[attendance.Attendance](), reflect.TypeFor[attendanceIn](), nil},
		{reflect.TypeFor[attendance.Attendant](), reflect.TypeFor[attendantIn](), nil},
		{reflect.TypeFor[agenda.Item](), reflect.TypeFor[itemIn](), itemStoreFields},
	} {
		var want []string
		for _, name := range jsonNames(tc.domain) {
			if name != "" && !slices.Contains(tc.store, name) {
				want = append(want, name)
			}
		}
		assert.ElementsMatch(t, want, jsonNames(tc.in), "%v", tc.in)
		for _, name := range tc.store {
			assert.Contains(t, jsonNames(tc.domain), name)
		}
	}
}
