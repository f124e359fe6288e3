package customer_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/internal/fields"
	"github.com/fichacrm/ficha/storage/storagetest"
)

// TestDiffReportsEveryField changes each field of the aggregate in turn,
// found by reflection, and checks that Diff reports it under its own path
// or the path of the sub-record that holds it. A field Diff misses could
// not be locked by an edit policy nor logged as a change.
func TestDiffReportsEveryField(t *testing.T) {
	t.Parallel()
	now := time.Now()
	full, other := storagetest.Full(now), storagetest.FullOther(now)
	notCompared := map[string]bool{"updated_at": true} // storage sets it on every write
	for _, l := range fields.Leaves(reflect.TypeFor[customer.Customer]()) {
		if notCompared[l.Path()] {
			continue
		}
		changed := fields.Clone(full)
		if l.Path() == "id" || l.Path() == "version" || l.Path() == "created_at" {
			changed.ID, changed.Version, changed.CreatedAt = customer.NewID(), 7, now.Add(time.Hour)
		} else if !l.Set(changed, other) {
			t.Errorf("%s: the fixtures have no such element", l.Path())
			continue
		}
		want := l.PathAt(changed)
		diff := customer.Diff(full, changed)
		covered := false
		for _, p := range diff {
			covered = covered || p == want || strings.HasPrefix(want, p+".") || strings.HasPrefix(want, p+"[")
		}
		assert.True(t, covered, "changing %s gives Diff %v", want, diff)
		assert.Empty(t, customer.Diff(full, fields.Clone(full)), "a copy differs in nothing")
	}
}

// TestChangesCarryValues checks the old and new values Changes reports:
// JSON in the customer's own form, nil where a value is absent, and a card
// only as stored.
func TestChangesCarryValues(t *testing.T) {
	t.Parallel()
	now := time.Now()
	old := storagetest.Full(now)
	changed := fields.Clone(old)
	changed.Name = "Maria C. Müller"
	changed.Phones = changed.Phones[:len(changed.Phones)-1]
	changed.Emails = append(changed.Emails, storagetest.FullOther(now).Emails[0])
	delete(changed.Info, "spouse_name")
	changed.Info["profession"] = "Arquiteta"
	byPath := map[string]customer.FieldChange{}
	for _, c := range customer.Changes(old, changed) {
		byPath[c.Path] = c
	}
	assert.JSONEq(t, `"Maria da Conceição Müller D'Ávila 🚗"`, string(byPath["name"].Old))
	assert.JSONEq(t, `"Maria C. Müller"`, string(byPath["name"].New))
	removed := byPath["phones[3]"]
	assert.NotNil(t, removed.Old)
	assert.Nil(t, removed.New, "a removed element has no new value")
	added := byPath["emails[2]"]
	assert.Nil(t, added.Old, "an added element has no old value")
	assert.JSONEq(t, `"compras@frotassul.com.br"`, string(added.New))
	assert.Nil(t, byPath["info.spouse_name"].New)
	assert.JSONEq(t, `""`, string(byPath["info.profession"].Old), "an empty value is not an absent one")
	assert.Len(t, byPath, 5)

	created := customer.Changes(&customer.Customer{}, old)
	for _, c := range created {
		assert.NotContains(t, string(c.New), "5555555555554444", "a card appears only as stored")
	}
	assert.Contains(t, customer.Diff(&customer.Customer{}, old), "cards[0]")
	assert.Len(t, customer.Diff(&customer.Customer{}, old), len(created))
}

// TestKeyPathCoversEveryKey changes each field in turn, found by
// reflection, and checks that a change of the search keys always comes
// with a path KeyPath owns, and that fields no key is made of are not
// claimed: a path KeyPath missed would leave a customer's keys stale
// after an update.
func TestKeyPathCoversEveryKey(t *testing.T) {
	t.Parallel()
	now := time.Now()
	full, other := storagetest.Full(now), storagetest.FullOther(now)
	keyed := 0
	for _, l := range fields.Leaves(reflect.TypeFor[customer.Customer]()) {
		changed := fields.Clone(full)
		if !l.Set(changed, other) {
			continue
		}
		diff := customer.Diff(full, changed)
		if reflect.DeepEqual(full.SearchKeys(), changed.SearchKeys()) {
			continue
		}
		keyed++
		claimed := false
		for _, p := range diff {
			claimed = claimed || customer.KeyPath(p)
		}
		assert.True(t, claimed, "changing %s changes the keys, but KeyPath owns none of %v", l.PathAt(changed), diff)
		// The store logs Changes' paths, and the SQL adapter reads them.
		claimed = false
		for _, f := range customer.Changes(full, changed) {
			claimed = claimed || customer.KeyPath(f.Path)
		}
		assert.True(t, claimed, "changing %s changes the keys, but KeyPath owns no path of Changes", l.PathAt(changed))
	}
	assert.Greater(t, keyed, 15, "the fixtures change the keys through many fields")
	for _, p := range []string{"notes", "status", "info.spouse_name", "cards[0]", "bank_references[1].account", "updated_at"} {
		assert.False(t, customer.KeyPath(p), p)
	}
	for _, p := range []string{"name", "phones[0]", "contacts[1].email", "assets[0].plate", "addresses[0].cep", "birth_date"} {
		assert.True(t, customer.KeyPath(p), p)
	}
}
