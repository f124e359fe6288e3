package storagetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/date"
	"github.com/fichacrm/ficha/dedupe"
	"github.com/fichacrm/ficha/internal/fold"
	"github.com/fichacrm/ficha/storage"
)

// candidateIDs returns the IDs of candidates, in order.
func candidateIDs(cs []storage.Candidate) []uuid.UUID {
	out := make([]uuid.UUID, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

// testDuplicates checks the look for duplicates of one customer, the
// check before a create, and their limits: a namesake is no candidate,
// another tenant's twin neither, an anonymised record neither, a merged
// one no more.
func testDuplicates(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	a, b := mergePair(t, s, tn, 860001)
	namesake := &customer.Customer{Kind: customer.Individual, Status: customer.StatusProspect, Name: "José Carlos de Oliveira",
		BirthDate: date.MustNew(1988, time.August, 8), Phones: []contact.Phone{Phone(860901)}}
	namesake, err := s.Create(ctx(t), tn, namesake)
	require.NoError(t, err)
	createMany(t, s, tn, 860100, 5, Individual)
	twin := b.Clone()
	twin.ID = uuid.Nil
	_, err = s.Create(ctx(t), tn+"-other", twin)
	require.NoError(t, err)

	got, err := s.Duplicates(ctx(t), tn, a.ID, nil)
	require.NoError(t, err)
	require.Equal(t, []uuid.UUID{b.ID}, candidateIDs(got), "B only: not the namesake, not another tenant's twin")
	m := got[0].Match
	assert.True(t, m.Likely())
	for _, r := range []dedupe.Reason{dedupe.SameEmail, dedupe.SamePhone, dedupe.SimilarName, dedupe.SameVehicle, dedupe.SameAddress} {
		assert.Contains(t, m.Reasons, r)
	}
	assert.Equal(t, b.Name, got[0].Name, "a candidate carries its summary")
	back, err := s.Duplicates(ctx(t), tn, b.ID, nil)
	require.NoError(t, err)
	require.Equal(t, []uuid.UUID{a.ID}, candidateIDs(back))
	assert.Equal(t, m.Score, back[0].Match.Score, "the score does not depend on the side")

	// A low bar shows the namesake too, with the reason against it.
	loose, err := s.Duplicates(ctx(t), tn, namesake.ID, &storage.DuplicateOptions{MinScore: 0.001})
	require.NoError(t, err)
	assert.NotContains(t, candidateIDs(loose), namesake.ID, "never the record itself")

	// Before a create: a name and the phone typed under another DDD.
	probe := &customer.Customer{Kind: customer.Individual, Name: "Jose Carlos Oliveira",
		Phones: []contact.Phone{contact.MustParsePhone("+55 21 " + b.Phones[0].Subscriber())}}
	like, err := s.LooksLike(ctx(t), tn, probe, nil)
	require.NoError(t, err)
	assert.Contains(t, candidateIDs(like), b.ID)
	assert.Contains(t, candidateIDs(like), a.ID)
	assert.Equal(t, uuid.Nil, probe.ID, "the probe is not changed")
	byTax, err := s.LooksLike(ctx(t), tn, &customer.Customer{Kind: customer.Individual, TaxID: b.TaxID}, nil)
	require.NoError(t, err)
	require.NotEmpty(t, byTax)
	assert.Equal(t, b.ID, byTax[0].ID)
	assert.Contains(t, byTax[0].Match.Reasons, dedupe.SameTaxID)
	none, err := s.LooksLike(ctx(t), tn, &customer.Customer{Kind: customer.Individual, Name: "Zuleica Quintanilha"}, nil)
	require.NoError(t, err)
	assert.Empty(t, none)
	_, err = s.LooksLike(ctx(t), tn, nil, nil)
	assert.ErrorIs(t, err, storage.ErrInvalid)
	_, err = s.Duplicates(ctx(t), tn, uuid.New(), nil)
	assert.ErrorIs(t, err, storage.ErrNotFound)
	_, err = s.Duplicates(ctx(t), tn+"-other", a.ID, nil)
	assert.ErrorIs(t, err, storage.ErrNotFound)

	// Merged, the pair is no more; an anonymised record is nobody's twin.
	_, err = s.Merge(ctx(t), tn, storage.MergeRequest{Into: a.ID, From: b.ID, IntoVersion: a.Version, FromVersion: b.Version})
	require.NoError(t, err)
	got, err = s.Duplicates(ctx(t), tn, a.ID, nil)
	require.NoError(t, err)
	assert.Empty(t, got)
	c, d := mergePair(t, s, tn, 860501)
	_, err = s.Anonymise(ctx(t), tn, d.ID, d.Version)
	require.NoError(t, err)
	got, err = s.Duplicates(ctx(t), tn, c.ID, nil)
	require.NoError(t, err)
	assert.Empty(t, got)
}

// testDuplicateBlocks checks that a key too many records share (the
// dealership's own phone, typed where the customer's was unknown) is not
// followed: the look stays bounded, and finds nothing through it.
func testDuplicateBlocks(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	shop := Phone(870001)
	var cs []*customer.Customer
	for i := range storage.MaxBlock + 2 {
		cs = append(cs, &customer.Customer{Kind: customer.Individual, Status: customer.StatusProspect,
			Name: fmt.Sprintf("%s %d", Name(870100+i), i), Phones: []contact.Phone{shop}})
	}
	rs, err := s.CreateMany(ctx(t), tn, cs)
	require.NoError(t, err)
	for _, r := range rs {
		require.NoError(t, r.Err)
	}
	got, err := s.Duplicates(ctx(t), tn, rs[0].Customer.ID, &storage.DuplicateOptions{MinScore: 0.001})
	require.NoError(t, err)
	assert.Empty(t, got, "a phone %d records share points at none", len(cs))
}

// testScanDuplicates scans a tenant: every likely pair once, progress up
// to the tenant's size, and an early stop.
func testScanDuplicates(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	a, b := mergePair(t, s, tn, 880001)
	// Another person, typed twice: the second time in capitals, without
	// the CPF, the vehicle or the DMS codes.
	c, err := s.Create(ctx(t), tn, Individual(880101))
	require.NoError(t, err)
	again := c.Clone()
	again.ID, again.TaxID, again.Status = uuid.Nil, customer.TaxID{}, customer.StatusProspect
	again.Name = strings.ToUpper(fold.String(c.Name))
	again.Assets, again.DMSCode, again.ServiceOrders = nil, "", nil
	d, err := s.Create(ctx(t), tn, again)
	require.NoError(t, err)
	createMany(t, s, tn, 880200, 20, Individual)
	var calls []int64
	var total int64
	seen := map[[2]uuid.UUID]bool{}
	for p, err := range s.ScanDuplicates(ctx(t), tn, &storage.ScanOptions{Progress: func(done, all int64) {
		calls = append(calls, done)
		total = all
	}}) {
		require.NoError(t, err)
		assert.Negative(t, compareIDs(p.A.ID, p.B.ID), "A is the lower ID")
		assert.True(t, p.Match.Likely())
		key := [2]uuid.UUID{p.A.ID, p.B.ID}
		assert.False(t, seen[key], "each pair once")
		seen[key] = true
	}
	want := map[[2]uuid.UUID]bool{}
	for _, pair := range [][2]uuid.UUID{{a.ID, b.ID}, {c.ID, d.ID}} {
		if compareIDs(pair[0], pair[1]) > 0 {
			pair[0], pair[1] = pair[1], pair[0]
		}
		want[pair] = true
	}
	assert.Equal(t, want, seen)
	require.NotEmpty(t, calls)
	assert.Equal(t, int64(24), total)
	assert.Equal(t, total, calls[len(calls)-1])

	n := 0
	for _, err := range s.ScanDuplicates(ctx(t), tn, nil) {
		require.NoError(t, err)
		n++
		break
	}
	assert.Equal(t, 1, n, "the caller may stop early")
	for _, err := range s.ScanDuplicates(ctx(t), "", nil) {
		assert.ErrorIs(t, err, storage.ErrTenant)
	}
}

func compareIDs(a, b uuid.UUID) int {
	for i := range a {
		if a[i] != b[i] {
			return int(a[i]) - int(b[i])
		}
	}
	return 0
}
