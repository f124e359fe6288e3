package storage

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/fichacrm/ficha/customer"
)

func TestCopiesKeepAtMostMax(t *testing.T) {
	t.Parallel()
	k := newCopies(3)
	var ids []customer.Customer
	for i := range 5 {
		c := &customer.Customer{ID: customer.NewID(), Version: int64(i + 1)}
		ids = append(ids, *c)
		k.put("t", c)
	}
	assert.Len(t, k.m, 3, "never more than max")
	last := ids[4]
	assert.NotNil(t, k.get("t", last.ID, last.Version), "the last one put is kept")
	assert.Nil(t, k.get("t", last.ID, last.Version+1), "only at its version")
	assert.Nil(t, k.get("u", last.ID, last.Version), "only in its tenant")
	k.drop("t", last.ID)
	assert.Nil(t, k.get("t", last.ID, last.Version))

	var none *copies = newCopies(0)
	assert.Nil(t, none, "0 keeps nothing")
	none.put("t", &customer.Customer{ID: last.ID})
	assert.Nil(t, none.get("t", last.ID, 0))
	none.drop("t", last.ID)
}
