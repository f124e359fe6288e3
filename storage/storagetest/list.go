package storagetest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
)

var listStart = time.Date(2030, time.March, 1, 9, 0, 0, 0, time.UTC)

// listOptions is a store whose clock moves one second every other call,
// so that lists meet both distinct and equal update times.
func listOptions() *storage.Options {
	var mu sync.Mutex
	calls := 0
	return &storage.Options{Now: func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		calls++
		return listStart.Add(time.Duration(calls/2) * time.Second)
	}}
}

// listAll pages through a list and returns its IDs in order.
func listAll(t *testing.T, s *storage.Store, tn string, o storage.ListOptions) []uuid.UUID {
	t.Helper()
	var ids []uuid.UUID
	for range 1000 {
		p, err := s.List(ctx(t), tn, &o)
		require.NoError(t, err)
		for _, it := range p.Items {
			ids = append(ids, it.ID)
		}
		if p.Next == "" {
			return ids
		}
		o.Cursor = p.Next
	}
	t.Fatal("the list does not end")
	return nil
}

// testList checks the list's orders, filters, summaries and cursors.
func testList(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	names := []string{"Zé Carlos", "álvaro b", "Álvaro Antunes", "bruno", "Ana", "Érica", "Bruno Dias", "carla", "Ana"}
	var stored []*customer.Customer
	for i, n := range names {
		c := Individual(i)
		if i%3 == 0 {
			c = Company(i)
		}
		c.Name = n
		if i%2 == 0 {
			c.Status = customer.StatusProspect
		}
		created, err := s.Create(ctx(t), tn, c)
		require.NoError(t, err)
		stored = append(stored, created)
	}
	// The fourth is changed: it moves to the end of the update order.
	stored[3].Notes = "voltou"
	u, err := s.Update(ctx(t), tn, stored[3])
	require.NoError(t, err)
	stored[3] = u

	sorted := func(cmp func(a, b *customer.Customer) int) []uuid.UUID {
		cs := slices.Clone(stored)
		slices.SortFunc(cs, cmp)
		ids := make([]uuid.UUID, len(cs))
		for i, c := range cs {
			ids[i] = c.ID
		}
		return ids
	}
	byID := func(a, b *customer.Customer) int { return slices.Compare(a.ID[:], b.ID[:]) }
	oldest := sorted(func(a, b *customer.Customer) int {
		if c := a.UpdatedAt.Compare(b.UpdatedAt); c != 0 {
			return c
		}
		return byID(a, b)
	})
	newest := slices.Clone(oldest)
	slices.Reverse(newest)
	byName := sorted(func(a, b *customer.Customer) int {
		if c := slices.Compare([]byte(a.SortName()), []byte(b.SortName())); c != 0 {
			return c
		}
		return byID(a, b)
	})
	for _, limit := range []int{1, 2, 4, 100} {
		assert.Equal(t, newest, listAll(t, s, tn, storage.ListOptions{Limit: limit}), "newest first, %d a page", limit)
		assert.Equal(t, oldest, listAll(t, s, tn, storage.ListOptions{Order: storage.OldestFirst, Limit: limit}), "oldest first")
		assert.Equal(t, byName, listAll(t, s, tn, storage.ListOptions{Order: storage.ByName, Limit: limit}), "by name")
	}
	first, err := s.List(ctx(t), tn, &storage.ListOptions{Order: storage.ByName, Limit: 3})
	require.NoError(t, err)
	assert.Equal(t, []string{"Álvaro Antunes", "álvaro b", "Ana"}, []string{first.Items[0].Name, first.Items[1].Name, first.Items[2].Name},
		"accents and case do not decide the order")
	// The cursor, which a next-page URL carries into logs, holds no name.
	require.NotEmpty(t, first.Next)
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(first.Next, "p2."))
	require.NoError(t, err)
	assert.NotContains(t, strings.ToLower(string(raw)), "ana", "the next page's cursor shows the last row's name")

	// Every row is the summary of the stored customer.
	p, err := s.List(ctx(t), tn, &storage.ListOptions{Limit: 100})
	require.NoError(t, err)
	for _, it := range p.Items {
		c, err := s.Get(ctx(t), tn, it.ID)
		require.NoError(t, err)
		assert.Equal(t, storage.SummaryOf(c), normalised(it))
	}

	// Filters.
	filtered := func(o storage.ListOptions, keep func(c *customer.Customer) bool) {
		t.Helper()
		var want []uuid.UUID
		for _, id := range newest {
			for _, c := range stored {
				if c.ID == id && keep(c) {
					want = append(want, id)
				}
			}
		}
		o.Limit = 2
		assert.Equal(t, want, listAll(t, s, tn, o))
	}
	filtered(storage.ListOptions{Status: customer.StatusProspect}, func(c *customer.Customer) bool { return c.Status == customer.StatusProspect })
	filtered(storage.ListOptions{Kind: customer.Company}, func(c *customer.Customer) bool { return c.Kind == customer.Company })
	mid := stored[4].UpdatedAt
	filtered(storage.ListOptions{UpdatedSince: mid}, func(c *customer.Customer) bool { return !c.UpdatedAt.Before(mid) })
	filtered(storage.ListOptions{UpdatedBefore: mid}, func(c *customer.Customer) bool { return c.UpdatedAt.Before(mid) })
	filtered(storage.ListOptions{CreatedSince: mid, Status: customer.StatusCustomer}, func(c *customer.Customer) bool {
		return !c.CreatedAt.Before(mid) && c.Status == customer.StatusCustomer
	})
	filtered(storage.ListOptions{CreatedBefore: mid.In(time.FixedZone("BRT", -3*3600))}, func(c *customer.Customer) bool { return c.CreatedAt.Before(mid) })

	// Counts.
	counts, err := s.Counts(ctx(t), tn)
	require.NoError(t, err)
	var want storage.Counts
	for _, c := range stored {
		want.Total++
		want.ByStatusKind[c.Status][c.Kind]++
		if c.Status == customer.StatusProspect {
			want.Prospects++
		} else {
			want.Customers++
		}
		if c.Kind == customer.Individual {
			want.Individuals++
		} else {
			want.Companies++
		}
	}
	assert.Equal(t, want, counts)

	// Cursors belong to their tenant and filters; limits and orders are checked.
	page, err := s.List(ctx(t), tn, &storage.ListOptions{Limit: 2, Status: customer.StatusProspect})
	require.NoError(t, err)
	require.NotEmpty(t, page.Next)
	_, err = s.List(ctx(t), tn, &storage.ListOptions{Limit: 2, Cursor: page.Next})
	assert.ErrorIs(t, err, storage.ErrCursor, "another filter")
	_, err = s.List(ctx(t), tenant(t), &storage.ListOptions{Limit: 2, Status: customer.StatusProspect, Cursor: page.Next})
	assert.ErrorIs(t, err, storage.ErrCursor, "another tenant")
	_, err = s.List(ctx(t), tn, &storage.ListOptions{Cursor: "p2.AAAA"})
	assert.ErrorIs(t, err, storage.ErrCursor)
	_, err = s.List(ctx(t), tn, &storage.ListOptions{Limit: -1})
	assert.ErrorIs(t, err, storage.ErrLimit)
	_, err = s.List(ctx(t), tn, &storage.ListOptions{Order: storage.ByName + 1})
	assert.ErrorIs(t, err, storage.ErrOrder)
	_, err = s.List(ctx(t), tn, &storage.ListOptions{Status: 9})
	assert.ErrorIs(t, err, storage.ErrInvalid, "a status there is not")
	_, err = s.List(ctx(t), tn, &storage.ListOptions{Kind: 7})
	assert.ErrorIs(t, err, storage.ErrInvalid, "a kind there is not")
	_, err = s.List(ctx(t), tn, &storage.ListOptions{UpdatedSince: time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC)})
	assert.ErrorIs(t, err, storage.ErrInvalid, "a time out of range")
	empty, err := s.List(ctx(t), tenant(t), nil)
	require.NoError(t, err)
	assert.Empty(t, empty.Items)
}

// normalised is a summary with its times in UTC, as SummaryOf gives them
// from a stored customer.
func normalised(s storage.Summary) storage.Summary {
	s.CreatedAt, s.UpdatedAt = s.CreatedAt.UTC(), s.UpdatedAt.UTC()
	return s
}

// testListWhileWriting pages a sync job's list (oldest first) while other
// customers are created, changed and deleted: every customer that stays as
// it was is listed exactly once, and one changed before the job reached it
// is listed at its new place, never lost.
func testListWhileWriting(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	var stored []*customer.Customer
	for i := range 12 {
		c, err := s.Create(ctx(t), tn, Individual(i))
		require.NoError(t, err)
		stored = append(stored, c)
	}
	o := storage.ListOptions{Order: storage.OldestFirst, Limit: 3}
	seen := map[uuid.UUID]int{}
	pages := 0
	for {
		p, err := s.List(ctx(t), tn, &o)
		require.NoError(t, err)
		for _, it := range p.Items {
			seen[it.ID]++
		}
		pages++
		if pages == 1 {
			// Between pages: the last customer changes, one is deleted,
			// and two are created.
			last := stored[11]
			last.Notes = "alterado durante a leitura"
			_, err := s.Update(ctx(t), tn, last)
			require.NoError(t, err)
			require.NoError(t, s.Delete(ctx(t), tn, stored[10].ID, stored[10].Version))
			for i := 100; i < 102; i++ {
				_, err := s.Create(ctx(t), tn, Individual(i))
				require.NoError(t, err)
			}
		}
		if p.Next == "" {
			break
		}
		o.Cursor = p.Next
	}
	for i, c := range stored[:10] {
		assert.Equal(t, 1, seen[c.ID], "customer %d, unchanged, is listed once", i)
	}
	assert.Equal(t, 1, seen[stored[11].ID], "the changed customer is listed, at its new place")
	assert.Zero(t, seen[stored[10].ID], "the deleted one is gone")
	assert.Len(t, seen, 13)
}

// testHitsCarrySummary checks that search hits carry the same summary as
// list rows.
func testHitsCarrySummary(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	c := Full(time.Now())
	c.Assets[0].Plate = asset.Plate{}
	c.Assets = append(c.Assets, c.Assets[0])
	c.Assets[len(c.Assets)-1].Plate = asset.MustParsePlate("XYZ9A87")
	created, err := s.Create(ctx(t), tn, c)
	require.NoError(t, err)
	page, err := s.Search(ctx(t), tn, customer.Query{TaxID: created.TaxID.String()}, nil)
	require.NoError(t, err)
	require.Len(t, page.Hits, 1)
	got := normalised(page.Hits[0].Summary)
	assert.Equal(t, storage.SummaryOf(created), got)
	assert.Equal(t, contact.MustParsePhone("(11) 98765-4321"), got.Phone)
	assert.Equal(t, "XYZ9A87", got.Plate.String(), "the first plate an asset has")
	assert.Equal(t, "São Paulo", got.City)
	assert.Equal(t, address.SP, got.UF)

	// A page marshals with the names every other page uses.
	js, err := json.Marshal(page)
	require.NoError(t, err)
	var shape map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(js, &shape))
	assert.Contains(t, shape, "hits")
	assert.NotContains(t, shape, "Hits")
}

// testAll checks that All yields every customer of the tenant once, whole
// and in ID order, across pages, stops when asked, and reports a
// cancelled context.
func testAll(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	n := storage.AllPage*2 + 17
	batch := make([]*customer.Customer, n)
	for i := range batch {
		batch[i] = Individual(i)
	}
	batch[7] = Full(time.Now())
	res, err := s.CreateMany(ctx(t), tn, batch)
	require.NoError(t, err)
	for _, r := range res {
		require.NoError(t, r.Err)
	}
	_, err = s.Create(ctx(t), tenant(t), Individual(1))
	require.NoError(t, err)

	var ids []uuid.UUID
	for c, err := range s.All(ctx(t), tn) {
		require.NoError(t, err)
		ids = append(ids, c.ID)
		if c.ID == res[7].Customer.ID {
			requireSame(t, res[7].Customer, c)
		}
	}
	require.Len(t, ids, n)
	assert.True(t, slices.IsSortedFunc(ids, func(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) }), "in ID order")
	seen := map[uuid.UUID]bool{}
	for _, id := range ids {
		assert.False(t, seen[id])
		seen[id] = true
	}

	count := 0
	for range s.All(ctx(t), tn) {
		count++
		if count == 3 {
			break
		}
	}
	assert.Equal(t, 3, count, "the iteration stops when the loop does")

	cctx, cancel := context.WithCancel(ctx(t))
	cancel()
	var got error
	for c, err := range s.All(cctx, tn) {
		assert.Nil(t, c)
		got = err
	}
	assert.ErrorIs(t, got, context.Canceled)
}
