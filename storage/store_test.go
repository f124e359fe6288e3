package storage_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/customer/info"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/memory"
	"github.com/fichacrm/ficha/storage/storagetest"
)

func TestStoreOptionsInfoSchema(t *testing.T) {
	t.Parallel()
	s := memory.Open(&storage.Options{Info: info.Default()})
	defer s.Close()
	person := storagetest.Individual(1)
	person.Info = map[string]string{"spouse_cpf": "248 438 034 80", "monthly_income": "R$ 4.500,00", "marital_status": "married"}
	c, err := s.Create(t.Context(), "t", person)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"spouse_cpf": "24843803480", "monthly_income": "4500.00", "marital_status": "married"}, c.Info,
		"values are stored in their normalised form")

	company := storagetest.Company(2)
	company.Info = map[string]string{"spouse_name": "Ana", "fleet_size": "muitos"}
	_, err = s.Create(t.Context(), "t", company)
	require.ErrorIs(t, err, storage.ErrInvalid)
	var v *customer.ValidationError
	require.True(t, errors.As(err, &v))
	assert.True(t, v.Has("info.spouse_name", "info.kind"))
	assert.True(t, v.Has("info.fleet_size", "info.number"))
}

func TestStoreOptionsPolicyAndClock(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 27, 10, 0, 0, 123456789, time.FixedZone("BRT", -3*3600))
	s := memory.Open(&storage.Options{
		Now:    func() time.Time { return at },
		Policy: customer.Policies{customer.DefaultPolicy, customer.Lock{Paths: []string{"notes"}}},
	})
	defer s.Close()
	c, err := s.Create(t.Context(), "t", storagetest.Individual(3))
	require.NoError(t, err)
	assert.Equal(t, time.Date(2026, 11, 27, 13, 0, 0, 123456000, time.UTC), c.CreatedAt, "UTC, to the microsecond")
	u := c.Clone()
	u.Notes = "x"
	_, err = s.Update(t.Context(), "t", u)
	require.ErrorIs(t, err, storage.ErrLocked, "the store's own policy applies")
	_, err = s.UpdateWithPolicy(t.Context(), "t", u, customer.DefaultPolicy)
	require.NoError(t, err, "a policy given for one update replaces it")
}

func TestUpdateWithoutPolicyStillChecksVersions(t *testing.T) {
	t.Parallel()
	s := memory.Open(nil)
	defer s.Close()
	c, err := s.Create(t.Context(), "t", storagetest.Individual(4))
	require.NoError(t, err)
	u := c.Clone()
	u.TaxID = storagetest.CPF(9004)
	_, err = s.UpdateWithPolicy(t.Context(), "t", u, nil)
	require.ErrorIs(t, err, storage.ErrLocked, "a nil policy is the store's own, not none")
	none := customer.Policies{}
	saved, err := s.UpdateWithPolicy(t.Context(), "t", u, none)
	require.NoError(t, err, "no policy: the tax ID may change")
	_, err = s.UpdateWithPolicy(t.Context(), "t", u, none)
	require.ErrorIs(t, err, storage.ErrConflict, "a stale copy is still a conflict")
	gone := saved.Clone()
	gone.ID = customer.NewID()
	_, err = s.UpdateWithPolicy(t.Context(), "t", gone, none)
	require.ErrorIs(t, err, storage.ErrNotFound)
}

func TestShortCursorKeyPanics(t *testing.T) {
	t.Parallel()
	assert.Panics(t, func() { memory.Open(&storage.Options{CursorKey: []byte("short")}) })
	assert.NotPanics(t, func() { memory.Open(&storage.Options{CursorKey: make([]byte, storage.MinCursorKey)}) })
}

// gappy is a driver whose log shows a later entry before an earlier one,
// as a database that makes commits visible out of order does for a moment.
type gappy struct {
	*memory.Driver
	hide int64
}

func (g gappy) Changes(ctx context.Context, tenant string, after int64, limit int) ([]storage.Change, error) {
	all, err := g.Driver.Changes(ctx, tenant, after, limit)
	var out []storage.Change
	for _, ch := range all {
		if ch.Seq != g.hide {
			out = append(out, ch)
		}
	}
	return out, err
}

func TestChangesStopAtAGap(t *testing.T) {
	t.Parallel()
	d := memory.OpenDriver()
	s := storage.New(d, nil)
	for i := range 5 {
		_, err := s.Create(t.Context(), "t", storagetest.Individual(i))
		require.NoError(t, err)
	}
	hidden := storage.New(gappy{Driver: d, hide: 3}, nil)
	got, err := hidden.Changes(t.Context(), "t", 0, 0)
	require.NoError(t, err)
	require.Len(t, got, 2, "the feed stops before the entry not yet visible")
	got, err = hidden.Changes(t.Context(), "t", 2, 0)
	require.NoError(t, err)
	assert.Empty(t, got, "and does not skip past it")
	got, err = s.Changes(t.Context(), "t", 2, 0)
	require.NoError(t, err)
	assert.Len(t, got, 3, "once it is visible, the feed goes on")
}

func TestNilArguments(t *testing.T) {
	t.Parallel()
	s := memory.Open(nil)
	_, err := s.Update(t.Context(), "t", nil)
	assert.ErrorIs(t, err, storage.ErrInvalid, "as Create says of a nil customer")
	_, err = s.Modify(t.Context(), "t", customer.NewID(), nil)
	assert.Error(t, err)
}

func TestInfoWithSchema(t *testing.T) {
	t.Parallel()
	s := memory.Open(&storage.Options{Info: info.Default()})
	c := storagetest.Individual(3)
	c.Info = map[string]string{"employees": "", "profession": "  ", "monthly_income": "1.000,00"}
	created, err := s.Create(t.Context(), "t", c)
	require.NoError(t, err, "blank values of a posted form say nothing, even for fields of another kind")
	assert.Equal(t, map[string]string{"monthly_income": "1000.00"}, created.Info)

	c.Info = map[string]string{"Bad-Key": "x"}
	_, err = s.Create(t.Context(), "t", c)
	var v *customer.ValidationError
	require.ErrorAs(t, err, &v)
	assert.Len(t, v.Fields, 1, "a malformed key is reported once")
}

func TestSchemaFieldsAreCopies(t *testing.T) {
	t.Parallel()
	sch := info.Default()
	f, ok := sch.Field("marital_status")
	require.True(t, ok)
	f.Options[0].Value = "changed"
	for _, g := range sch.Fields(customer.Individual) {
		if g.Key == "marital_status" {
			g.Options[0].Value = "changed too"
		}
	}
	c := &customer.Customer{Kind: customer.Individual, Info: map[string]string{"marital_status": "single"}}
	assert.NoError(t, sch.Validate(c), "what a caller does with a field it was given does not change the schema")
}
