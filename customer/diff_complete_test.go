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
