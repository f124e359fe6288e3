package csvio

import (
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/internal/fields"
)

// TestCatalogHasNoConflicts: no built-in header name is claimed by two
// columns, and none ends in a digit (which would read as a group's
// number).
func TestCatalogHasNoConflicts(t *testing.T) {
	t.Parallel()
	assert.Empty(t, cat.conflicts)
}

// TestColumnsCoverEveryField: every field of the aggregate but those the
// store sets has a column, found by reflection so that a field added
// later without one fails here. A column covers a leaf at its path or
// above it (a birthday covers its day), or under it (a card, a leaf with
// hidden parts, has its brand and number columns).
func TestColumnsCoverEveryField(t *testing.T) {
	t.Parallel()
	var paths []string
	for _, f := range cat.fields {
		paths = append(paths, f.pathAt(0, -1))
	}
	paths = append(paths, "info.*")
	under := func(p, parent string) bool {
		return strings.HasPrefix(p, parent) && len(p) > len(parent) && (p[len(parent)] == '.' || p[len(parent)] == '[')
	}
	for _, l := range fields.Leaves(reflect.TypeFor[customer.Customer]()) {
		switch l.Path() {
		case "version", "created_at", "updated_at":
			continue
		}
		covered := false
		for _, p := range paths {
			if p == l.Path() || under(l.Path(), p) || under(p, l.Path()) {
				covered = true
			}
		}
		assert.True(t, covered, "%s has no column", l.Path())
	}
}

// TestEveryGroupHasRoomInTheShape: each list of sub-records has its own
// count in a Shape.
func TestEveryGroupHasRoomInTheShape(t *testing.T) {
	t.Parallel()
	var s Shape
	seen := map[*int]bool{}
	for _, g := range cat.groups {
		n := g.shape(&s)
		assert.False(t, seen[n], g.key)
		seen[n] = true
	}
	assert.Equal(t, reflect.TypeFor[Shape]().NumField()-3, len(cat.groups), "a Shape count per group, besides phones, e-mails and info")
}
