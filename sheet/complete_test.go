package sheet_test

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/internal/fields"
	"github.com/fichacrm/ficha/sheet"
	"github.com/fichacrm/ficha/storage/storagetest"
)

// TestEveryFieldIsShown changes each field of the aggregate in turn, found
// by reflection, and checks that both sheets change, unless the field is
// one [sheet.NotShown] lists: so a field added to the customer must be
// put on the sheet or deliberately left off it.
func TestEveryFieldIsShown(t *testing.T) {
	t.Parallel()
	full, other := sample(), storagetest.FullOther(now)
	delete(full.Info, "fleet_size") // a company's field: changing it changes nothing for an individual
	other.ID, other.CreatedAt, other.UpdatedAt, other.Version = customer.NewID(), now.Add(-72*time.Hour), now.Add(-time.Hour), 9
	render := func(c *customer.Customer) (string, string) {
		var text, html bytes.Buffer
		require.NoError(t, sheet.Text(&text, c, nil, &sheet.Options{Printed: now}))
		require.NoError(t, sheet.HTML(&html, c, nil, &sheet.Options{Printed: now}))
		return text.String(), html.String()
	}
	baseText, baseHTML := render(full)
	hidden := map[string]bool{}
	for _, p := range sheet.NotShown {
		hidden[p] = true
	}
	for _, l := range fields.Leaves(reflect.TypeFor[customer.Customer]()) {
		changed := fields.Clone(full)
		require.True(t, l.Set(changed, other), l.Path())
		text, html := render(changed)
		if hidden[l.Path()] {
			assert.Equal(t, baseText, text, "%s is listed as not shown but changes the text sheet", l.Path())
			continue
		}
		assert.NotEqual(t, baseText, text, "%s is not on the text sheet: show it or list it in sheet.NotShown", l.Path())
		assert.NotEqual(t, baseHTML, html, "%s is not on the HTML sheet: show it or list it in sheet.NotShown", l.Path())
	}
}
