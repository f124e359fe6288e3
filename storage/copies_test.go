package storage

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/fichacrm/ficha/customer"
)

func TestCopiesKeepAtMostMax(t *testing.T) {
	t.Parallel()
	k := newCopies(3)
	var last customer.Customer
	for i := range 5 {
		c := &customer.Customer{ID: customer.NewID(), Version: int64(i + 1)}
		last = *c
		k.put("t", c)
	}
	assert.Len(t, k.m, 3, "never more than max")
	assert.NotNil(t, k.get("t", last.ID, last.Version), "the last one put is kept")
	assert.Nil(t, k.get("t", last.ID, last.Version+1), "only at its version")
	assert.Nil(t, k.get("u", last.ID, last.Version), "only in its tenant")
	k.drop("t", last.ID)
	assert.Nil(t, k.get("t", last.ID, last.Version))

	none := newCopies(0)
	assert.Nil(t, none, "0 keeps nothing")
	none.put("t", &customer.Customer{ID: last.ID})
	assert.Nil(t, none.get("t", last.ID, 0))
	none.drop("t", last.ID)
}

func TestNoCopiesUnderAHostClock(t *testing.T) {
	t.Parallel()
	var d Driver // New reads nothing of it but its kind
	assert.NotNil(t, New(d, nil).copies, "kept by default")
	assert.Nil(t, New(d, &Options{KeptCopies: -1}).copies)
	frozen := func() time.Time { return time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC) }
	assert.Nil(t, New(d, &Options{Now: frozen}).copies, "a clock that may stand still cannot tell two customers of one ID apart")
	assert.Nil(t, New(d, &Options{Now: frozen, KeptCopies: 10}).copies)
}
