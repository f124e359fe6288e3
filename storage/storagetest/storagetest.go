// Package storagetest is the storage contract's conformance suite. Every
// adapter's tests call [Run] with a factory of fresh stores; passing it is
// what makes an adapter a member of the contract. It also exports the
// generators of valid synthetic customers that the suite and the
// benchmarks use.
package storagetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/customer/info"
	"github.com/fichacrm/ficha/storage"
)

// Factory returns a new, open and migrated driver for one test. Drivers
// of one Run may share a database: every test uses tenants of its own. The
// suite builds the [storage.Store] each test needs over the driver, with
// the options the test needs, and closes it.
type Factory func(t *testing.T) storage.Driver

// suiteTest is one conformance test and the store options it runs with.
type suiteTest struct {
	name string
	fn   func(t *testing.T, s *storage.Store)
	// opts are the options of the store the test is given (nil: the
	// defaults).
	opts func() *storage.Options
	// ownOptions marks a test that depends on its options (the default
	// edit policy, say) and is therefore not run again under a host's.
	ownOptions bool
	// clock marks a test that reads and moves one of this package's
	// clocks (attendClock, consentClock); such tests hold clockMu, so two
	// suites running in parallel in one test binary (a package's own
	// conformance run beside one on a replica) never move each other's
	// time.
	clock bool
}

// clockMu is held by a test that owns a package clock while it runs.
var clockMu sync.Mutex

// Run runs the whole conformance suite against the drivers that
// newDriver makes. Every test runs on a store with the default options;
// then those that do not depend on a particular option run again on a
// store configured as a host would configure one (an additional-
// information schema, a shared cursor key, a clock of its own), so no
// test of the suite holds only under the defaults. (Under the race
// detector the second pass is skipped.)
func Run(t *testing.T, newDriver Factory) {
	runSuite(t, newDriver, true)
}

// runSuite runs the suite, and again under a host's options when again is set.
func runSuite(t *testing.T, newDriver Factory, again bool) {
	tests := []suiteTest{
		{name: "RoundTripFullCustomer", fn: testRoundTrip},
		{name: "EveryFieldRoundTrips", fn: testEveryFieldRoundTrips},
		{name: "EachFieldUpdatedAlone", fn: testEachFieldUpdatedAlone},
		{name: "CreateSetsIDVersionAndTimes", fn: testCreateSets},
		{name: "MinimalProspect", fn: testMinimalProspect},
		{name: "ReturnedValuesDoNotAlias", fn: testNoAliasing},
		{name: "NotFound", fn: testNotFound},
		{name: "Invalid", fn: testInvalid},
		{name: "DuplicateTaxID", fn: testDuplicateTaxID},
		{name: "ExistingID", fn: testExistingID},
		{name: "UpdateReplacesAggregateAndKeys", fn: testUpdate},
		{name: "StaleUpdateConflicts", fn: testStaleUpdate},
		{name: "UpdateOnePartAtATime", fn: testUpdateOnePartAtATime},
		{name: "UpdateAfterRecreate", fn: testUpdateAfterRecreate, ownOptions: true},
		{name: "DeleteAfterRecreate", fn: testDeleteAfterRecreate, ownOptions: true},
		{name: "KeptCopies", fn: testKeptCopies, ownOptions: true},
		{name: "StaleCopyOfDeletedCustomer", fn: testStaleCopyOfDeletedCustomer, ownOptions: true},
		{name: "LockedFieldsRefused", fn: testLockedFields, ownOptions: true},
		{name: "DeleteRemovesEverything", fn: testDelete},
		{name: "TenantIsolation", fn: testTenantIsolation},
		{name: "BadTenant", fn: testBadTenant},
		{name: "SearchEachKey", fn: testSearchEachKey},
		{name: "SearchCombinedKeys", fn: testSearchCombined},
		{name: "SearchErrors", fn: testSearchErrors},
		{name: "Paging", fn: testPaging},
		{name: "PagingUnderConcurrentInserts", fn: testPagingConcurrentInserts},
		{name: "SearchOrder", fn: testSearchOrder},
		{name: "SearchBudget", fn: testSearchBudget},
		{name: "SearchWidePrefix", fn: testSearchWidePrefix},
		{name: "SearchRenamed", fn: testSearchRenamed},
		{name: "SearchManyHolders", fn: testSearchManyHolders},
		{name: "BulkCreate", fn: testBulkCreate},
		{name: "Load", fn: testLoad},
		{name: "LoadStops", fn: testLoadStops},
		{name: "LoadUnderWrites", fn: testLoadUnderWrites},
		{name: "ConcurrentUpdatesOfOneCustomer", fn: testConcurrentUpdates},
		{name: "ModifyRetriesOnConflict", fn: testModify},
		{name: "ModifyUnderPolicyThatLocksNothing", fn: testModifyUnlocked, ownOptions: true,
			opts: func() *storage.Options { return &storage.Options{Policy: customer.Policies{}} }},
		{name: "ChangeLog", fn: testChangeLog},
		{name: "ChangeLogAroundCustomer", fn: testChangeLogAroundCustomer},
		{name: "List", fn: testList, opts: listOptions, ownOptions: true},
		{name: "ListWhileWriting", fn: testListWhileWriting},
		{name: "HitsCarrySummary", fn: testHitsCarrySummary},
		{name: "AllCustomersOfATenant", fn: testAll},
		{name: "Attendances", fn: testAttendances, opts: attendOptions, ownOptions: true, clock: true},
		{name: "Agenda", fn: testAgenda, opts: attendOptions, ownOptions: true, clock: true},
		{name: "UpdateWithClockBehind", fn: testClockBehind, opts: attendOptions, ownOptions: true, clock: true},
		{name: "Birthdays", fn: testBirthdays},
		{name: "ChangeLogBulk", fn: testChangeLogBulk},
		{name: "ChangeFeedUnderConcurrentWriters", fn: testChangeFeedConcurrent},
		{name: "RequireActor", fn: testRequireActor, opts: actorOptions, ownOptions: true},
		{name: "CancelledContext", fn: testCancelled},
		{name: "Closed", fn: testClosed},
		{name: "HostileTextInEveryField", fn: testHostileText},
		{name: "ImpossibleDates", fn: testImpossibleDates},
		{name: "HugeNumbers", fn: testHugeNumbers},
		{name: "ManyWordQueries", fn: testManyWordQueries},
		{name: "CursorBoundToTenantAndQuery", fn: testCursorBinding},
		{name: "CancelAtEveryStep", fn: testCancelAtEveryStep},
		{name: "PolicyBypass", fn: testPolicyBypass, ownOptions: true},
		{name: "JSONRoundTrip", fn: testJSONRoundTrip},
		{name: "ErrorsHoldNoPersonalData", fn: testErrorsHoldNoPersonalData},
		{name: "CrossTenantIDProbe", fn: testCrossTenantID},
		{name: "OldRulesRecordOpensAndSaves", fn: testOldRulesRecord},
		{name: "InfoSchemaNormalisesValues", fn: testInfoSchema, opts: infoOptions, ownOptions: true},
		{name: "ClockSetsTimes", fn: testClock, opts: clockOptions, ownOptions: true},
		{name: "CursorKeySharedByStores", fn: testSharedCursorKey, opts: keyOptions, ownOptions: true},
		{name: "ConsentLedger", fn: testConsentLedger, opts: consentOptions, ownOptions: true, clock: true},
		{name: "ConsentRefusals", fn: testConsentRefusals, opts: consentOptions, ownOptions: true, clock: true},
		{name: "MayContact", fn: testMayContact},
		{name: "Suppression", fn: testSuppression},
		{name: "CampaignList", fn: testReachable},
		{name: "Anonymise", fn: testAnonymise},
		{name: "RetentionHook", fn: testRetention, opts: retentionOptions, ownOptions: true},
		{name: "RequestRegister", fn: testRequests},
		{name: "DataSubjectExport", fn: testExport},
		{name: "AfterAnonymise", fn: testAfterAnonymise},
		{name: "AttendRacesAnonymise", fn: testAttendRacesAnonymise},
		{name: "ScheduleRacesAnonymise", fn: testScheduleRacesAnonymise},
		{name: "ConsentRacesAnonymise", fn: testConsentRacesAnonymise},
		{name: "ConsentEdges", fn: testConsentEdges},
		{name: "MergeRecords", fn: testMergeRecords},
		{name: "MergeRefusals", fn: testMergeRefusals},
		{name: "MergeChain", fn: testMergeChain},
		{name: "MergeCancelled", fn: testMergeCancelled},
		{name: "MergeConsentOrder", fn: testMergeConsentOrder},
		{name: "MergeThenAnonymise", fn: testMergeThenAnonymise},
		{name: "MergeUnderWrites", fn: testMergeUnderWrites},
		{name: "MergedIDStaysTaken", fn: testMergedIDStaysTaken},
		{name: "MergeRacesCreate", fn: testMergeRacesCreate},
		{name: "DeleteRacesCreate", fn: testDeleteRacesCreate},
		{name: "UpsertDryRunTellsTheTruth", fn: testUpsertDryRunTellsTheTruth},
		{name: "Duplicates", fn: testDuplicates},
		{name: "DuplicateBlocks", fn: testDuplicateBlocks},
		{name: "ScanDuplicates", fn: testScanDuplicates},
		{name: "Upsert", fn: testUpsert},
		{name: "UpsertSameCustomerTwice", fn: testUpsertSameCustomerTwice},
	}
	run := func(t *testing.T, tt suiteTest, opts *storage.Options) {
		s := storage.New(newDriver(t), opts)
		t.Cleanup(func() { _ = s.Close() })
		tt.fn(t, s)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.clock {
				clockMu.Lock()
				defer clockMu.Unlock()
			}
			var opts *storage.Options
			if tt.opts != nil {
				opts = tt.opts()
			}
			run(t, tt, opts)
		})
	}
	if !again {
		return
	}
	t.Run("UnderHostOptions", func(t *testing.T) {
		if raceDetector {
			t.Skip("under the race detector the suite runs once; the plain test run covers the host's options")
		}
		for _, tt := range tests {
			if tt.ownOptions {
				continue
			}
			t.Run(tt.name, func(t *testing.T) { run(t, tt, hostOptions()) })
		}
	})
}

// hostOptions are the options a host typically sets.
func hostOptions() *storage.Options {
	return &storage.Options{
		Info:      info.Default(),
		CursorKey: []byte("a cursor key shared by replicas"),
	}
}

// tenant returns a tenant ID no other test uses.
func tenant(t *testing.T) string {
	return "t-" + uuid.NewString()
}

// ctx is the context of the suite's calls: t's, made over by the wrap
// of the RunContext that t runs under.
func ctx(t *testing.T) context.Context {
	c := t.Context()
	for name := t.Name(); ; {
		if wrap, ok := wraps.Load(name); ok {
			return wrap.(func(context.Context) context.Context)(c)
		}
		i := strings.LastIndexByte(name, '/')
		if i < 0 {
			return c
		}
		name = name[:i]
	}
}

// wraps holds the wrap of each RunContext under way, by the name of the
// test it was given: the suite's tests find theirs by their names'
// prefixes, without a parameter in each of the suite's calls.
var wraps sync.Map

// RunContext runs the suite with every context the suite passes to the
// store made by wrap from the test's own: the markers a host puts on its
// calls (storage.ReplicaOK and storage.WithSession, say) ride along with
// each of them (those that cancel a call part way included). It
// runs each test once, with the options it needs; [Run] runs them again
// under a host's options, which contexts do not change.
func RunContext(t *testing.T, newDriver Factory, wrap func(context.Context) context.Context) {
	wraps.Store(t.Name(), wrap)
	t.Cleanup(func() { wraps.Delete(t.Name()) })
	runSuite(t, newDriver, false)
}

// requireSame asserts that two customers are the same record: equal in
// every field, comparing money by value and times to the microsecond.
func requireSame(t *testing.T, want, got *customer.Customer) {
	t.Helper()
	require.NotNil(t, got)
	wj, err := json.Marshal(want)
	require.NoError(t, err)
	gj, err := json.Marshal(got)
	require.NoError(t, err)
	require.JSONEq(t, string(wj), string(gj))
	require.Equal(t, len(want.Assets), len(got.Assets))
	for i := range want.Assets {
		require.True(t, want.Assets[i].Value.Equal(got.Assets[i].Value), "assets[%d].value", i)
		require.True(t, want.Assets[i].Lien.Balance.Equal(got.Assets[i].Lien.Balance), "assets[%d].lien.balance", i)
	}
	require.True(t, want.CreatedAt.Equal(got.CreatedAt), "created_at")
	require.True(t, want.UpdatedAt.Equal(got.UpdatedAt), "updated_at")
}

func testRoundTrip(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	in := Full(time.Now())
	created, err := s.Create(ctx(t), tn, in)
	require.NoError(t, err)
	got, err := s.Get(ctx(t), tn, created.ID)
	require.NoError(t, err)
	requireSame(t, created, got)

	// Every field the caller gave is kept exactly (but for a blank
	// information value, which a store with a schema drops).
	in.ID, in.Version, in.CreatedAt, in.UpdatedAt = created.ID, created.Version, created.CreatedAt, created.UpdatedAt
	if _, kept := created.Info["profession"]; !kept {
		delete(in.Info, "profession")
	}
	requireSame(t, in, got)

	// Spot checks of what a SQL round trip tends to lose.
	assert.Equal(t, "151234.56", got.Assets[0].Value.StringFixed(2))
	assert.Equal(t, "0.10", got.Assets[2].Value.StringFixed(2))
	assert.Equal(t, "Maria da Conceição Müller D'Ávila 🚗", got.Name)
	// An empty value the store keeps (without an information schema,
	// which drops empty values) is not a missing one.
	_, kept := created.Info["profession"]
	_, has := got.Info["profession"]
	assert.Equal(t, kept, has, "an empty value is kept")
	h, ok := got.Contacts[0].PreferredHour.Get()
	assert.True(t, ok)
	assert.Equal(t, 0, h, "midnight is kept, not lost as unset")
	_, ok = got.Contacts[1].PreferredHour.Get()
	assert.False(t, ok, "an unset hour stays unset")
	assert.True(t, got.Assets[1].Lien.IsZero(), "no lien stays no lien")
	assert.True(t, got.Assets[1].VIN.IsZero())
	assert.Equal(t, "X", got.BankReferences[0].BranchDigit)
	assert.Equal(t, "4444", got.Cards[0].Last4())
	assert.Equal(t, "tok_123", got.Cards[0].Token)
	assert.Equal(t, contact.NonGeographic, got.Phones[2].Kind())
	assert.Equal(t, contact.Foreign, got.Phones[3].Kind())
	assert.Equal(t, "2027-06-30", got.Assets[0].Lien.PayoffDate.String())
	assert.Equal(t, "1975-02-28", got.BirthDate.String())
}

func testCreateSets(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	before := time.Now().Add(-time.Second)
	in := Individual(1)
	c, err := s.Create(ctx(t), tn, in)
	require.NoError(t, err)
	assert.Equal(t, 7, int(c.ID.Version()), "IDs are UUIDv7")
	assert.Equal(t, int64(1), c.Version)
	assert.True(t, c.CreatedAt.After(before))
	assert.Equal(t, c.CreatedAt, c.UpdatedAt)
	assert.Equal(t, time.UTC, c.CreatedAt.Location())
	assert.Equal(t, uuid.Nil, in.ID, "the caller's value is not modified")
	assert.Zero(t, in.Version)

	// A caller may bring its own ID (a migration keeping the DMS's IDs).
	own := Individual(2)
	own.ID = customer.NewID()
	c2, err := s.Create(ctx(t), tn, own)
	require.NoError(t, err)
	assert.Equal(t, own.ID, c2.ID)
}

func testMinimalProspect(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	p := &customer.Customer{Kind: customer.Company, Status: customer.StatusProspect, Name: "Frota Nova",
		Emails: []contact.Email{contact.MustParseEmail("compras@frotanova.com.br")}}
	c, err := s.Create(ctx(t), tn, p)
	require.NoError(t, err)
	got, err := s.Get(ctx(t), tn, c.ID)
	require.NoError(t, err)
	requireSame(t, c, got)
	assert.Nil(t, got.Phones)
	assert.Nil(t, got.Info)
	assert.True(t, got.TaxID.IsZero())
	assert.True(t, got.BirthDate.IsZero())

	// Empty lists are stored as missing ones: both read back as nil.
	q := p.Clone()
	q.Name = "Outra Frota"
	q.Addresses = nil
	q.Info = map[string]string{}
	q.Phones = []contact.Phone{}
	c2, err := s.Create(ctx(t), tn, q)
	require.NoError(t, err)
	assert.Nil(t, c2.Info)
	assert.Nil(t, c2.Phones)
}

func testNoAliasing(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	in := Full(time.Now())
	c, err := s.Create(ctx(t), tn, in)
	require.NoError(t, err)
	want := c.Clone()

	in.Name = "changed input"
	in.Phones[0] = contact.Phone{}
	in.Info["spouse_name"] = "changed"
	c.Name = "changed result"
	c.Addresses[0].City = "changed"
	c.Contacts[0].Phones[0] = contact.Phone{}
	c.Info["spouse_name"] = "changed"

	got, err := s.Get(ctx(t), tn, want.ID)
	require.NoError(t, err)
	requireSame(t, want, got)

	got.Assets[0].Description = "changed get"
	got.ServiceOrders[0] = "changed"
	again, err := s.Get(ctx(t), tn, want.ID)
	require.NoError(t, err)
	requireSame(t, want, again)

	u := want.Clone()
	u.Notes = "updated"
	updated, err := s.Update(ctx(t), tn, u)
	require.NoError(t, err)
	updated.Notes = "changed after update"
	u.Notes = "changed input after update"
	final, err := s.Get(ctx(t), tn, want.ID)
	require.NoError(t, err)
	assert.Equal(t, "updated", final.Notes)
}

func testNotFound(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	id := customer.NewID()
	_, err := s.Get(ctx(t), tn, id)
	assert.ErrorIs(t, err, storage.ErrNotFound)
	c := Individual(3)
	c.ID, c.Version = id, 1
	_, err = s.Update(ctx(t), tn, c)
	assert.ErrorIs(t, err, storage.ErrNotFound)
	assert.ErrorIs(t, s.Delete(ctx(t), tn, id, 1), storage.ErrNotFound)
	_, err = s.Update(ctx(t), tn, Individual(4))
	assert.ErrorIs(t, err, storage.ErrNotFound, "an update without an ID finds nothing")
}

func testInvalid(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	bad := Individual(5)
	bad.Addresses = append(bad.Addresses, Full(time.Now()).Addresses[0])
	bad.Addresses[0].UF = 0
	bad.Kind = customer.Company
	_, err := s.Create(ctx(t), tn, bad)
	require.ErrorIs(t, err, storage.ErrInvalid)
	var v *customer.ValidationError
	require.True(t, errors.As(err, &v))
	assert.True(t, v.Has("tax_id", "taxid.kind"))
	assert.True(t, v.Has("addresses[0].uf", "uf.invalid"))
	n, err := s.Count(ctx(t), tn)
	require.NoError(t, err)
	assert.Zero(t, n, "a rejected create leaves nothing behind")
	assertNotFound(t, s, tn, customer.Query{Plate: bad.Assets[0].Plate.String()})

	_, err = s.Create(ctx(t), tn, nil)
	assert.ErrorIs(t, err, storage.ErrInvalid)

	good, err := s.Create(ctx(t), tn, Individual(6))
	require.NoError(t, err)
	broken := good.Clone()
	broken.Phones = append(broken.Phones, contact.Phone{})
	broken.Assets[0].Plate = Plate(999001)
	_, err = s.Update(ctx(t), tn, broken)
	require.ErrorIs(t, err, storage.ErrInvalid)
	got, err := s.Get(ctx(t), tn, good.ID)
	require.NoError(t, err)
	requireSame(t, good, got)
	assertNotFound(t, s, tn, customer.Query{Plate: Plate(999001).String()})
}

func assertNotFound(t *testing.T, s *storage.Store, tn string, q customer.Query) {
	t.Helper()
	p, err := s.Search(ctx(t), tn, q, nil)
	require.NoError(t, err)
	assert.Empty(t, p.Hits, "%+v", q)
}

func testDuplicateTaxID(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	first, err := s.Create(ctx(t), tn, Individual(10))
	require.NoError(t, err)

	dup := Individual(11)
	dup.TaxID = customer.MustParseTaxID(first.TaxID.Format()) // typed another way
	_, err = s.Create(ctx(t), tn, dup)
	require.ErrorIs(t, err, storage.ErrDuplicateTaxID)
	var de *storage.DuplicateTaxIDError
	require.True(t, errors.As(err, &de))
	assert.Equal(t, first.ID, de.HolderID)
	assert.NotContains(t, err.Error(), first.TaxID.String(), "the message names the holder, not the CPF")
	n, err := s.Count(ctx(t), tn)
	require.NoError(t, err)
	assert.Equal(t, int64(1), n)
	assertNotFound(t, s, tn, customer.Query{Plate: dup.Assets[0].Plate.String()})

	// Taking another customer's tax ID in an update is refused too (under
	// a policy that lets the tax ID change at all).
	second, err := s.Create(ctx(t), tn, Individual(12))
	require.NoError(t, err)
	change := second.Clone()
	change.TaxID = first.TaxID
	_, err = s.UpdateWithPolicy(ctx(t), tn, change, customer.Immutable)
	require.True(t, errors.As(err, &de))
	assert.Equal(t, first.ID, de.HolderID)
	got, err := s.Get(ctx(t), tn, second.ID)
	require.NoError(t, err)
	requireSame(t, second, got)

	// Keeping one's own tax ID is no duplicate; freeing one lets it be reused.
	same := second.Clone()
	same.Notes = "no change of tax ID"
	_, err = s.Update(ctx(t), tn, same)
	require.NoError(t, err)
	require.NoError(t, s.Delete(ctx(t), tn, first.ID, first.Version))
	_, err = s.Create(ctx(t), tn, dup)
	require.NoError(t, err)
}

func testExistingID(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	c, err := s.Create(ctx(t), tn, Individual(20))
	require.NoError(t, err)
	again := Individual(21)
	again.ID = c.ID
	_, err = s.Create(ctx(t), tn, again)
	require.ErrorIs(t, err, storage.ErrExists)
	got, err := s.Get(ctx(t), tn, c.ID)
	require.NoError(t, err)
	requireSame(t, c, got)

	// The ID taken by one customer and the CPF by another: every adapter
	// says the ID first, one at a time and in bulk.
	other, err := s.Create(ctx(t), tn, Individual(22))
	require.NoError(t, err)
	both := Individual(23)
	both.ID, both.TaxID = c.ID, other.TaxID
	_, err = s.Create(ctx(t), tn, both)
	require.ErrorIs(t, err, storage.ErrExists)
	var dup *storage.DuplicateTaxIDError
	assert.False(t, errors.As(err, &dup), "%v", err)
	rs, err := s.CreateMany(ctx(t), tn, []*customer.Customer{both})
	require.NoError(t, err)
	require.ErrorIs(t, rs[0].Err, storage.ErrExists)
	for _, id := range []uuid.UUID{c.ID, other.ID} {
		got, err := s.Get(ctx(t), tn, id)
		require.NoError(t, err)
		assert.Equal(t, int64(1), got.Version, "nothing written")
	}
}

func testUpdate(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	c, err := s.Create(ctx(t), tn, Full(time.Now()))
	require.NoError(t, err)
	u := c.Clone()
	u.Name = "Maria Conceição Souza"
	u.Addresses = u.Addresses[1:]
	u.Assets[0].Plate = asset.MustParsePlate("XYZ9K87")
	u.Assets[0].Value = decimal.RequireFromString("1.05")
	u.Cards = nil
	u.Contacts = append(u.Contacts, Company(1).Contacts[0])
	delete(u.Info, "spouse_name")
	u.CreatedAt = time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err = s.Update(ctx(t), tn, u)
	require.ErrorIs(t, err, storage.ErrLocked, "the creation time cannot change")
	u.CreatedAt = c.CreatedAt
	later := c.UpdatedAt
	updated, err := s.Update(ctx(t), tn, u)
	require.NoError(t, err)
	assert.Equal(t, c.Version+1, updated.Version)
	assert.Equal(t, c.ID, updated.ID)
	assert.True(t, updated.CreatedAt.Equal(c.CreatedAt), "creation time cannot change")
	assert.False(t, updated.UpdatedAt.Before(later))
	got, err := s.Get(ctx(t), tn, c.ID)
	require.NoError(t, err)
	requireSame(t, updated, got)
	assert.Len(t, got.Addresses, 2)
	assert.Empty(t, got.Cards)

	assertNotFound(t, s, tn, customer.Query{Plate: "ABC1234"})
	assertNotFound(t, s, tn, customer.Query{Name: "muller"})
	assertFound(t, s, tn, customer.Query{Plate: "XYZ9K87"}, c.ID)
	assertFound(t, s, tn, customer.Query{Name: "souza"}, c.ID)
}

func assertFound(t *testing.T, s *storage.Store, tn string, q customer.Query, ids ...uuid.UUID) {
	t.Helper()
	p, err := s.Search(ctx(t), tn, q, &storage.SearchOptions{Limit: storage.MaxLimit})
	require.NoError(t, err)
	var got []uuid.UUID
	for _, h := range p.Hits {
		got = append(got, h.ID)
	}
	assert.ElementsMatch(t, ids, got, "%+v", q)
}

func testStaleUpdate(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	c, err := s.Create(ctx(t), tn, Individual(30))
	require.NoError(t, err)
	a, b := c.Clone(), c.Clone()
	a.Notes = "attendant A"
	b.Notes = "attendant B"
	b.Assets[0].Plate = Plate(888001)
	_, err = s.Update(ctx(t), tn, a)
	require.NoError(t, err)
	_, err = s.Update(ctx(t), tn, b)
	require.ErrorIs(t, err, storage.ErrConflict)
	got, err := s.Get(ctx(t), tn, c.ID)
	require.NoError(t, err)
	assert.Equal(t, "attendant A", got.Notes)
	assert.Equal(t, int64(2), got.Version)
	assertNotFound(t, s, tn, customer.Query{Plate: Plate(888001).String()})
	assert.ErrorIs(t, s.Delete(ctx(t), tn, c.ID, 1), storage.ErrConflict)
}

func testLockedFields(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	c, err := s.Create(ctx(t), tn, Individual(35))
	require.NoError(t, err)

	// The default policy: a customer's tax ID and kind are locked.
	u := c.Clone()
	u.TaxID = CPF(999035)
	u.Name = "Nome Corrigido"
	u.Assets[0].Plate = Plate(999035)
	_, err = s.Update(ctx(t), tn, u)
	require.ErrorIs(t, err, storage.ErrLocked)
	var v *customer.ValidationError
	require.True(t, errors.As(err, &v))
	assert.True(t, v.Has("tax_id", "field.locked"))
	assert.False(t, v.Has("name", "field.locked"), "only locked fields are named")
	got, err := s.Get(ctx(t), tn, c.ID)
	require.NoError(t, err)
	requireSame(t, c, got)
	assertNotFound(t, s, tn, customer.Query{TaxID: CPF(999035).String()})
	assertNotFound(t, s, tn, customer.Query{Plate: Plate(999035).String()})

	u.TaxID = c.TaxID
	_, err = s.Update(ctx(t), tn, u)
	require.NoError(t, err, "the other fields may change")

	// A prospect's tax ID may still be corrected.
	p := Individual(36)
	p.Status = customer.StatusProspect
	pc, err := s.Create(ctx(t), tn, p)
	require.NoError(t, err)
	fix := pc.Clone()
	fix.TaxID = CPF(999036)
	_, err = s.Update(ctx(t), tn, fix)
	require.NoError(t, err)

	// A host's own policy: the name of a record from the DMS is locked.
	fromDMS := customer.Policies{customer.DefaultPolicy, customer.Lock{Paths: []string{"name", "addresses"},
		If: func(c *customer.Customer) bool { return c.DMSCode != "" }}}
	cur, err := s.Get(ctx(t), tn, c.ID)
	require.NoError(t, err)
	rename := cur.Clone()
	rename.Name = "Outro Nome"
	_, err = s.UpdateWithPolicy(ctx(t), tn, rename, fromDMS)
	require.ErrorIs(t, err, storage.ErrLocked)
	require.True(t, errors.As(err, &v))
	assert.True(t, v.Has("name", "field.locked"))
	again, err := s.Get(ctx(t), tn, c.ID)
	require.NoError(t, err)
	requireSame(t, cur, again)

	// A stale copy is a conflict before it is a policy question.
	stale := c.Clone()
	stale.TaxID = CPF(999037)
	_, err = s.Update(ctx(t), tn, stale)
	require.ErrorIs(t, err, storage.ErrConflict)
}

func testDelete(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	c, err := s.Create(ctx(t), tn, Full(time.Now()))
	require.NoError(t, err)
	require.NoError(t, s.Delete(ctx(t), tn, c.ID, c.Version))
	_, err = s.Get(ctx(t), tn, c.ID)
	assert.ErrorIs(t, err, storage.ErrNotFound)
	assertNotFound(t, s, tn, customer.Query{TaxID: c.TaxID.String()})
	assertNotFound(t, s, tn, customer.Query{Name: "maria"})
	assert.ErrorIs(t, s.Delete(ctx(t), tn, c.ID, c.Version), storage.ErrNotFound)
	// The same record can be created again: nothing of it was left behind.
	again := Full(time.Now())
	again.ID = customer.NewID()
	_, err = s.Create(ctx(t), tn, again)
	require.NoError(t, err)
}

func testTenantIsolation(t *testing.T, s *storage.Store) {
	a, b := tenant(t), tenant(t)
	c, err := s.Create(ctx(t), a, Individual(40))
	require.NoError(t, err)

	_, err = s.Get(ctx(t), b, c.ID)
	assert.ErrorIs(t, err, storage.ErrNotFound, "Get")
	u := c.Clone()
	u.Notes = "from another tenant"
	_, err = s.Update(ctx(t), b, u)
	assert.ErrorIs(t, err, storage.ErrNotFound, "Update")
	assert.ErrorIs(t, s.Delete(ctx(t), b, c.ID, c.Version), storage.ErrNotFound, "Delete")
	n, err := s.Count(ctx(t), b)
	require.NoError(t, err)
	assert.Zero(t, n, "Count")
	for _, q := range []customer.Query{{TaxID: c.TaxID.String()}, {Name: c.Name}, {Plate: c.Assets[0].Plate.String()},
		{DMSCustomer: c.DMSCode}, {Phone: c.Phones[0].String()}} {
		assertNotFound(t, s, b, q)
	}

	// The same CPF may be a customer of both dealerships.
	same := Individual(40)
	inB, err := s.Create(ctx(t), b, same)
	require.NoError(t, err)
	assertFound(t, s, a, customer.Query{TaxID: c.TaxID.String()}, c.ID)
	assertFound(t, s, b, customer.Query{TaxID: c.TaxID.String()}, inB.ID)

	got, err := s.Get(ctx(t), a, c.ID)
	require.NoError(t, err)
	requireSame(t, c, got)
	results, err := s.CreateMany(ctx(t), b, []*customer.Customer{Individual(40)})
	require.NoError(t, err)
	require.ErrorIs(t, results[0].Err, storage.ErrDuplicateTaxID, "bulk create checks within its tenant")
	n, err = s.Count(ctx(t), a)
	require.NoError(t, err)
	assert.Equal(t, int64(1), n)
}

func testBadTenant(t *testing.T, s *storage.Store) {
	for _, tn := range []string{"", "has space", "ç", string(make([]byte, 65))} {
		_, err := s.Create(ctx(t), tn, Individual(1))
		assert.ErrorIs(t, err, storage.ErrTenant)
		_, err = s.Get(ctx(t), tn, customer.NewID())
		assert.ErrorIs(t, err, storage.ErrTenant)
		_, err = s.Search(ctx(t), tn, customer.Query{Name: "a"}, nil)
		assert.ErrorIs(t, err, storage.ErrTenant)
		_, err = s.Count(ctx(t), tn)
		assert.ErrorIs(t, err, storage.ErrTenant)
	}
}

func testSearchEachKey(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	full, err := s.Create(ctx(t), tn, Full(time.Now()))
	require.NoError(t, err)
	other, err := s.Create(ctx(t), tn, Individual(50))
	require.NoError(t, err)
	co, err := s.Create(ctx(t), tn, Company(51))
	require.NoError(t, err)

	cases := []struct {
		q    customer.Query
		want []uuid.UUID
		key  customer.Field
	}{
		{customer.Query{Name: "maria conc"}, []uuid.UUID{full.ID}, customer.FieldName},
		{customer.Query{Name: "MARIA DA CONCEIÇÃO"}, []uuid.UUID{full.ID}, customer.FieldName},
		{customer.Query{Name: "d'avila"}, []uuid.UUID{full.ID}, customer.FieldName},
		{customer.Query{Name: "mul"}, []uuid.UUID{full.ID}, customer.FieldName},
		{customer.Query{Phone: "(11) 98765-4321"}, []uuid.UUID{full.ID}, customer.FieldPhone},
		{customer.Query{Phone: "98765 4321"}, []uuid.UUID{full.ID}, customer.FieldPhone},
		{customer.Query{Phone: "+55 61 3333 4444"}, []uuid.UUID{full.ID}, customer.FieldPhone},
		{customer.Query{Phone: "11 91234-5678"}, []uuid.UUID{full.ID}, customer.FieldPhone},
		{customer.Query{Phone: co.Contacts[0].Phones[0].Format()}, []uuid.UUID{co.ID}, customer.FieldPhone},
		{customer.Query{TaxID: "248.438.034-80"}, []uuid.UUID{full.ID}, customer.FieldTaxID},
		{customer.Query{TaxID: "24843803480"}, []uuid.UUID{full.ID}, customer.FieldTaxID},
		{customer.Query{TaxID: co.TaxID.Format()}, []uuid.UUID{co.ID}, customer.FieldTaxID},
		{customer.Query{Company: "aguas clar"}, []uuid.UUID{full.ID}, customer.FieldCompany},
		{customer.Query{Company: "frotas"}, []uuid.UUID{co.ID}, customer.FieldCompany},
		{customer.Query{VIN: "9bwzzz377vt004251"}, []uuid.UUID{full.ID}, customer.FieldVIN},
		{customer.Query{Plate: "abc-1234"}, []uuid.UUID{full.ID}, customer.FieldPlate},
		{customer.Query{Plate: "ABC1C34"}, []uuid.UUID{full.ID}, customer.FieldPlate},
		{customer.Query{Plate: other.Assets[0].Plate.Format()}, []uuid.UUID{other.ID}, customer.FieldPlate},
		{customer.Query{DMSCustomer: "cli-000042"}, []uuid.UUID{full.ID}, customer.FieldDMSCustomer},
		{customer.Query{ServiceOrder: "os-2"}, []uuid.UUID{full.ID}, customer.FieldServiceOrder},
		{customer.Query{ServiceOrder: other.ServiceOrders[0]}, []uuid.UUID{other.ID}, customer.FieldServiceOrder},
		{customer.Query{Email: "M.Conceicao@Example.org"}, []uuid.UUID{full.ID}, customer.FieldEmail},
		{customer.Query{Email: "pedro@example.com"}, []uuid.UUID{full.ID}, customer.FieldEmail},
		{customer.Query{Name: "zzzz"}, nil, 0},
		{customer.Query{Plate: "ABC1D34"}, nil, 0},
		{customer.Query{ServiceOrder: "OS-20"}, nil, 0},
	}
	for _, tc := range cases {
		p, err := s.Search(ctx(t), tn, tc.q, nil)
		require.NoError(t, err, "%+v", tc.q)
		var ids []uuid.UUID
		for _, h := range p.Hits {
			ids = append(ids, h.ID)
			require.NotEmpty(t, h.Matched, "a hit says which key matched")
			for _, k := range h.Matched {
				assert.Equal(t, tc.key, k.Field, "%+v", tc.q)
			}
		}
		assert.Equal(t, tc.want, ids, "%+v", tc.q)
	}
	p, err := s.Search(ctx(t), tn, customer.Query{TaxID: "24843803480"}, nil)
	require.NoError(t, err)
	require.Len(t, p.Hits, 1)
	h := p.Hits[0]
	assert.Equal(t, full.Name, h.Name)
	assert.Equal(t, full.TaxID, h.TaxID)
	assert.Equal(t, customer.Individual, h.Kind)
	assert.Equal(t, customer.StatusCustomer, h.Status)
	assert.Equal(t, []customer.Key{{Field: customer.FieldTaxID, Value: "24843803480"}}, h.Matched)
	assert.Empty(t, p.Next)
}

func testSearchCombined(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	jose1 := Individual(60)
	jose1.Name = "José da Silva"
	jose2 := Individual(61)
	jose2.Name = "José Silveira Santos"
	maria := Individual(62)
	maria.Name = "Maria da Silva"
	var ids []uuid.UUID
	for _, c := range []*customer.Customer{jose1, jose2, maria} {
		created, err := s.Create(ctx(t), tn, c)
		require.NoError(t, err)
		ids = append(ids, created.ID)
	}
	assertFound(t, s, tn, customer.Query{Name: "jose silv"}, ids[0], ids[1])
	assertFound(t, s, tn, customer.Query{Name: "silva"}, ids[0], ids[2])
	assertFound(t, s, tn, customer.Query{Name: "jose", Phone: jose2.Phones[0].Format()}, ids[1])
	assertFound(t, s, tn, customer.Query{Name: "maria", Phone: jose2.Phones[0].Format()})
	assertFound(t, s, tn, customer.Query{Name: "silva", Plate: maria.Assets[0].Plate.String(), DMSCustomer: maria.DMSCode}, ids[2])
	assertFound(t, s, tn, customer.Query{TaxID: jose1.TaxID.String(), VIN: jose2.Assets[0].VIN.String()})

	p, err := s.Search(ctx(t), tn, customer.Query{Name: "jose", Phone: jose2.Phones[0].String()}, nil)
	require.NoError(t, err)
	require.Len(t, p.Hits, 1)
	fields := map[customer.Field]bool{}
	for _, k := range p.Hits[0].Matched {
		fields[k.Field] = true
	}
	assert.Equal(t, map[customer.Field]bool{customer.FieldName: true, customer.FieldPhone: true}, fields)
}

func testSearchErrors(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	_, err := s.Search(ctx(t), tn, customer.Query{}, nil)
	assert.ErrorIs(t, err, customer.ErrEmptyQuery)
	_, err = s.Search(ctx(t), tn, customer.Query{TaxID: "123"}, nil)
	var v *customer.ValidationError
	assert.True(t, errors.As(err, &v))
	_, err = s.Search(ctx(t), tn, customer.Query{Name: "a"}, &storage.SearchOptions{Cursor: "garbage"})
	assert.ErrorIs(t, err, storage.ErrCursor)
	_, err = s.Search(ctx(t), tn, customer.Query{Name: "a"}, &storage.SearchOptions{Limit: -1})
	assert.ErrorIs(t, err, storage.ErrLimit)
}

// createMany creates n customers built by mk and returns their IDs.
func createMany(t *testing.T, s *storage.Store, tn string, from, n int, mk func(int) *customer.Customer) []uuid.UUID {
	t.Helper()
	cs := make([]*customer.Customer, n)
	for i := range cs {
		cs[i] = mk(from + i)
	}
	results, err := s.CreateMany(ctx(t), tn, cs)
	require.NoError(t, err)
	ids := make([]uuid.UUID, n)
	for i, r := range results {
		require.NoError(t, r.Err)
		ids[i] = r.Customer.ID
	}
	return ids
}

func collect(t *testing.T, s *storage.Store, tn string, q customer.Query, limit int, between func()) []uuid.UUID {
	t.Helper()
	var ids []uuid.UUID
	for _, h := range collectHits(t, s, tn, q, limit, between) {
		ids = append(ids, h.ID)
	}
	return ids
}

// collectHits pages through a search to its end and returns every hit,
// checking that each page but an Incomplete one is full and, when nothing
// happens between pages, that the hits come in search order.
func collectHits(t *testing.T, s *storage.Store, tn string, q customer.Query, limit int, between func()) []storage.Hit {
	t.Helper()
	var hits []storage.Hit
	cursor := ""
	for pages := 0; ; pages++ {
		require.Less(t, pages, 1000, "paging does not end")
		p, err := s.Search(ctx(t), tn, q, &storage.SearchOptions{Limit: limit, Cursor: cursor})
		require.NoError(t, err)
		require.LessOrEqual(t, len(p.Hits), limit)
		hits = append(hits, p.Hits...)
		if p.Next == "" {
			require.False(t, p.Incomplete, "an incomplete page says where to go on")
			if between == nil {
				assertSearchOrder(t, q, hits)
			}
			return hits
		}
		if !p.Incomplete {
			require.Equal(t, limit, len(p.Hits), "only the last page, or an incomplete one, is short")
		}
		cursor = p.Next
		if between != nil {
			between()
		}
	}
}

// assertSearchOrder checks that hits come in search order: whole words
// first, then the most recent activity, then the greater ID.
func assertSearchOrder(t *testing.T, q customer.Query, hits []storage.Hit) {
	t.Helper()
	terms, err := q.Terms()
	require.NoError(t, err)
	for i := 1; i < len(hits); i++ {
		a := storage.SearchPositionOf(storage.Found{Summary: hits[i-1].Summary, Keys: hits[i-1].Matched}, terms)
		b := storage.SearchPositionOf(storage.Found{Summary: hits[i].Summary, Keys: hits[i].Matched}, terms)
		require.True(t, a.Before(b), "hit %d is out of search order", i)
	}
}

func testPaging(t *testing.T, s *storage.Store) {
	// Over a thousand matches: adapters that switch strategies for common
	// prefixes (the SQL one does, at a thousand keys) page them too.
	tn := tenant(t)
	ids := createMany(t, s, tn, 1000, 1050, Individual)
	createMany(t, s, tn, 2000, 20, Company) // not matched: companies have no employer
	all := collect(t, s, tn, customer.Query{Company: "ltda"}, 97, nil)
	assert.Equal(t, ids, sortedIDs(ids), "bulk-created IDs are in creation order")
	assert.Equal(t, sortedIDs(ids), sortedIDs(all), "every customer once")
	first := collect(t, s, tn, customer.Query{Company: "ltda"}, 97, nil)
	assert.Equal(t, all, first, "the order is deterministic")
	p, err := s.Search(ctx(t), tn, customer.Query{Company: "ltda"}, &storage.SearchOptions{Limit: 1000})
	require.NoError(t, err)
	assert.Equal(t, storage.MaxLimit, len(p.Hits), "the limit is capped")
	exact := collect(t, s, tn, customer.Query{Company: "ltda"}, 150, nil)
	assert.Equal(t, 1050, len(exact), "pages that divide the results exactly end the paging")
	some := collect(t, s, tn, customer.Query{Company: "ltda", Name: "jose"}, 10, nil)
	var want []uuid.UUID
	for i, id := range ids {
		if strings.HasPrefix(Name(1000+i), "José ") {
			want = append(want, id)
		}
	}
	assert.Equal(t, want, sortedIDs(some), "a common prefix combined with another")
}

func sortedIDs(ids []uuid.UUID) []uuid.UUID {
	s := slices.Clone(ids)
	slices.SortFunc(s, func(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) })
	return s
}

func testPagingConcurrentInserts(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	ids := createMany(t, s, tn, 3000, 120, Individual)
	next := 5000
	got := collect(t, s, tn, customer.Query{Company: "ltda"}, 25, func() {
		createMany(t, s, tn, next, 7, Individual)
		next += 7
	})
	seen := map[uuid.UUID]bool{}
	for _, id := range got {
		require.False(t, seen[id], "a customer repeats across pages")
		seen[id] = true
	}
	for _, id := range ids {
		assert.True(t, seen[id], "a customer that existed before paging was skipped")
	}
}

func testBulkCreate(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	existing, err := s.Create(ctx(t), tn, Individual(70))
	require.NoError(t, err)

	invalid := Individual(72)
	invalid.Name = ""
	dupStore := Individual(73)
	dupStore.TaxID = existing.TaxID
	dupBatch := Individual(75)
	dupBatch.TaxID = Individual(71).TaxID
	batch := []*customer.Customer{Individual(71), invalid, dupStore, Individual(74), dupBatch, Full(time.Now())}
	results, err := s.CreateMany(ctx(t), tn, batch)
	require.NoError(t, err)
	require.Len(t, results, len(batch))
	assert.NoError(t, results[0].Err)
	assert.ErrorIs(t, results[1].Err, storage.ErrInvalid)
	var de *storage.DuplicateTaxIDError
	require.True(t, errors.As(results[2].Err, &de))
	assert.Equal(t, existing.ID, de.HolderID)
	assert.NoError(t, results[3].Err)
	require.True(t, errors.As(results[4].Err, &de))
	assert.Equal(t, results[0].Customer.ID, de.HolderID, "within a batch the first holder wins")
	assert.NoError(t, results[5].Err)
	for i, r := range results {
		if r.Err != nil {
			assert.Nil(t, r.Customer)
			continue
		}
		got, err := s.Get(ctx(t), tn, r.Customer.ID)
		require.NoError(t, err, i)
		requireSame(t, r.Customer, got)
	}
	n, err := s.Count(ctx(t), tn)
	require.NoError(t, err)
	assert.Equal(t, int64(4), n)
	for _, c := range []*customer.Customer{invalid, dupStore, dupBatch} {
		assertNotFound(t, s, tn, customer.Query{Plate: c.Assets[0].Plate.String()})
	}
	empty, err := s.CreateMany(ctx(t), tn, nil)
	require.NoError(t, err)
	assert.Empty(t, empty)
}

func testConcurrentUpdates(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	c, err := s.Create(ctx(t), tn, Individual(80))
	require.NoError(t, err)
	const workers, each = 8, 5
	var mu sync.Mutex
	won := map[int64]int{}
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			for i := 0; i < each; i++ {
				marker := fmt.Sprintf("W%dU%d", w, i)
				for attempt := 0; ; attempt++ {
					if attempt > 500 {
						errs <- fmt.Errorf("worker %d gave up", w)
						return
					}
					cur, err := s.Get(ctx(t), tn, c.ID)
					if err != nil {
						errs <- err
						return
					}
					cur.ServiceOrders = append(cur.ServiceOrders, marker)
					u, err := s.Update(ctx(t), tn, cur)
					if errors.Is(err, storage.ErrConflict) {
						continue
					}
					if err != nil {
						errs <- err
						return
					}
					mu.Lock()
					won[u.Version]++
					mu.Unlock()
					break
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	for v, n := range won {
		assert.Equal(t, 1, n, "version %d was won by %d writers", v, n)
	}
	assert.Len(t, won, workers*each)
	got, err := s.Get(ctx(t), tn, c.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(1+workers*each), got.Version)
	assert.Len(t, got.ServiceOrders, 1+workers*each, "no update was lost")
	for w := range workers {
		for i := 0; i < each; i++ {
			assert.Contains(t, got.ServiceOrders, fmt.Sprintf("W%dU%d", w, i))
		}
	}
}

func testCancelled(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	c, err := s.Create(ctx(t), tn, Individual(90))
	require.NoError(t, err)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = s.Create(cancelled, tn, Individual(91))
	assert.ErrorIs(t, err, context.Canceled)
	_, err = s.Get(cancelled, tn, c.ID)
	assert.ErrorIs(t, err, context.Canceled)
	_, err = s.Update(cancelled, tn, c)
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, s.Delete(cancelled, tn, c.ID, c.Version), context.Canceled)
	_, err = s.Search(cancelled, tn, customer.Query{Name: "a"}, nil)
	assert.ErrorIs(t, err, context.Canceled)
	_, err = s.Count(cancelled, tn)
	assert.ErrorIs(t, err, context.Canceled)
	_, err = s.CreateMany(cancelled, tn, []*customer.Customer{Individual(92)})
	assert.ErrorIs(t, err, context.Canceled)
	n, err := s.Count(ctx(t), tn)
	require.NoError(t, err)
	assert.Equal(t, int64(1), n, "nothing was written under a cancelled context")
	got, err := s.Get(ctx(t), tn, c.ID)
	require.NoError(t, err)
	requireSame(t, c, got)

	expired, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel2()
	_, err = s.Get(expired, tn, c.ID)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

func testClosed(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	c, err := s.Create(ctx(t), tn, Individual(95))
	require.NoError(t, err)
	require.NoError(t, s.Close())
	require.NoError(t, s.Close(), "closing twice is fine")
	_, err = s.Create(ctx(t), tn, Individual(96))
	assert.ErrorIs(t, err, storage.ErrClosed)
	_, err = s.Get(ctx(t), tn, c.ID)
	assert.ErrorIs(t, err, storage.ErrClosed)
	_, err = s.Update(ctx(t), tn, c)
	assert.ErrorIs(t, err, storage.ErrClosed)
	assert.ErrorIs(t, s.Delete(ctx(t), tn, c.ID, 1), storage.ErrClosed)
	_, err = s.Search(ctx(t), tn, customer.Query{Name: "a"}, nil)
	assert.ErrorIs(t, err, storage.ErrClosed)
	_, err = s.Count(ctx(t), tn)
	assert.ErrorIs(t, err, storage.ErrClosed)
	_, err = s.CreateMany(ctx(t), tn, nil)
	assert.ErrorIs(t, err, storage.ErrClosed)
}

// testUpdateOnePartAtATime edits one part of a full customer per update,
// as an attendant does (an adapter may write only what changed), and
// after each checks that the stored customer is the edited one, whole,
// and that searches follow: a key removed finds nobody, a key added finds
// the customer, and every key untouched still finds it.
func testUpdateOnePartAtATime(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	c, err := s.Create(ctx(t), tn, Full(time.Now()))
	require.NoError(t, err)
	other, err := s.Create(ctx(t), tn, Company(3))
	require.NoError(t, err)
	steps := []struct {
		name string
		edit func(u *customer.Customer)
		gone []customer.Query
		now  []customer.Query
	}{
		{name: "notes only", edit: func(u *customer.Customer) { u.Notes = "prefers mornings" }},
		{name: "one phone", edit: func(u *customer.Customer) { u.Phones[0] = contact.MustParsePhone("(11) 97777-1234") },
			gone: []customer.Query{{Phone: "(11) 98765-4321"}}, now: []customer.Query{{Phone: "(11) 97777-1234"}}},
		{name: "phones swapped", edit: func(u *customer.Customer) { u.Phones[0], u.Phones[1] = u.Phones[1], u.Phones[0] }},
		{name: "first asset removed", edit: func(u *customer.Customer) { u.Assets = u.Assets[1:] },
			gone: []customer.Query{{Plate: "ABC1234"}, {VIN: "9BWZZZ377VT004251"}}},
		{name: "a contact's phone", edit: func(u *customer.Customer) { u.Contacts[0].Phones[1] = contact.MustParsePhone("11 3131-4141") }},
		{name: "a contact's name", edit: func(u *customer.Customer) { u.Contacts[1].Name = "Com Preferências" }},
		{name: "contacts reordered", edit: func(u *customer.Customer) { u.Contacts[0], u.Contacts[1] = u.Contacts[1], u.Contacts[0] }},
		{name: "an info value", edit: func(u *customer.Customer) { u.Info["profession"] = "engenheira" }},
		{name: "renamed", edit: func(u *customer.Customer) { u.Name = "Maria Quitéria Fonseca" },
			gone: []customer.Query{{Name: "muller"}}, now: []customer.Query{{Name: "quiteria fons"}}},
		{name: "an e-mail added", edit: func(u *customer.Customer) {
			u.Emails = append(u.Emails, contact.MustParseEmail("maria.fonseca@example.net"))
		}, now: []customer.Query{{Email: "maria.fonseca@example.net"}}},
		{name: "a bank reference changed", edit: func(u *customer.Customer) { u.BankReferences[2].Account = "7654321" }},
	}
	for _, st := range steps {
		u := c.Clone()
		st.edit(u)
		c, err = s.Update(ctx(t), tn, u)
		require.NoError(t, err, st.name)
		got, err := s.Get(ctx(t), tn, c.ID)
		require.NoError(t, err, st.name)
		requireSame(t, c, got)
		for _, q := range st.gone {
			assertNotFound(t, s, tn, q)
		}
		for _, q := range st.now {
			assertFound(t, s, tn, q, c.ID)
		}
		// Every key the customer holds still finds it, and only it.
		held := []customer.Query{{TaxID: c.TaxID.String()}, {Email: c.Emails[0].String()}, {Phone: c.Phones[0].String()}, {Name: c.Name}}
		for _, a := range c.Assets {
			if !a.Plate.IsZero() {
				held = append(held, customer.Query{Plate: a.Plate.String()})
			}
		}
		for _, q := range held {
			assertFound(t, s, tn, q, c.ID)
		}
	}
	// The other customer was never touched.
	got, err := s.Get(ctx(t), tn, other.ID)
	require.NoError(t, err)
	requireSame(t, other, got)
}

// recreatePolicy is an edit policy that locks nothing and, the first time
// the Store consults it (between its read of the stored record and its
// write), runs hook.
type recreatePolicy struct{ hook func() }

func (p *recreatePolicy) Locked(*customer.Customer, []string) []string {
	if h := p.hook; h != nil {
		p.hook = nil
		h()
	}
	return nil
}

// testStaleCopyOfDeletedCustomer saves a copy of a customer read before
// it was deleted and another created under its ID: the versions match,
// the creation times do not, and the save is a conflict that leaves the
// new customer as it is, whatever the policy does not lock.
func testStaleCopyOfDeletedCustomer(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	a, err := s.Create(ctx(t), tn, Individual(43))
	require.NoError(t, err)
	b := recreate(t, s, tn, a, 44)

	stale := a.Clone()
	stale.Notes = "written on the old copy"
	_, err = s.UpdateWithPolicy(ctx(t), tn, stale, customer.Policies{})
	require.ErrorIs(t, err, storage.ErrConflict)
	got, err := s.Get(ctx(t), tn, a.ID)
	require.NoError(t, err)
	requireSame(t, b, got)
}

// testKeptCopies: a Store saves a copy it handed out without reading the
// customer again (Options.KeptCopies); what another Store (another
// process) did meanwhile must still refuse the save, with the error a
// fresh read would give, and leave the other's write as it was.
func testKeptCopies(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	other := storage.New(s.Driver(), nil)
	defer other.Close()
	for _, pol := range []customer.Policy{nil, customer.Policies{}} {
		// Updated elsewhere: a conflict, whether the copy changes
		// something or nothing.
		a, err := s.Create(ctx(t), tn, Individual(45))
		require.NoError(t, err)
		moved, err := other.Get(ctx(t), tn, a.ID)
		require.NoError(t, err)
		moved.Notes = "written by the other store"
		moved, err = other.Update(ctx(t), tn, moved)
		require.NoError(t, err)
		for _, change := range []bool{true, false} {
			stale := a.Clone()
			if change {
				stale.Notes = "written on the old copy"
			}
			_, err = s.UpdateWithPolicy(ctx(t), tn, stale, pol)
			require.ErrorIs(t, err, storage.ErrConflict, "a copy of version %d (changed: %v)", a.Version, change)
		}
		got, err := s.Get(ctx(t), tn, a.ID)
		require.NoError(t, err)
		requireSame(t, moved, got)
		got.Notes = "after a fresh read"
		_, err = s.UpdateWithPolicy(ctx(t), tn, got, pol)
		require.NoError(t, err)
		require.NoError(t, s.Delete(ctx(t), tn, a.ID, a.Version+2))

		// Deleted elsewhere and another created under its ID, at the same
		// version: the copy is not the new customer's.
		a, err = s.Create(ctx(t), tn, Individual(46))
		require.NoError(t, err)
		b := recreate(t, other, tn, a, 47)
		stale := a.Clone()
		stale.Notes = "written on the deleted customer's copy"
		_, err = s.UpdateWithPolicy(ctx(t), tn, stale, pol)
		if pol == nil {
			// The default policy locks the creation time: it says so
			// first, as for a copy read by this store (see
			// StaleCopyOfDeletedCustomer).
			require.ErrorIs(t, err, storage.ErrLocked)
		} else {
			require.ErrorIs(t, err, storage.ErrConflict)
		}
		got, err = other.Get(ctx(t), tn, a.ID)
		require.NoError(t, err)
		requireSame(t, b, got)
		require.NoError(t, other.Delete(ctx(t), tn, b.ID, b.Version))

		// Anonymised elsewhere: ErrAnonymised, as a fresh read says.
		a, err = s.Create(ctx(t), tn, Individual(48))
		require.NoError(t, err)
		_, err = other.Anonymise(ctx(t), tn, a.ID, a.Version)
		require.NoError(t, err)
		stale = a.Clone()
		stale.Notes = "written on the copy of an anonymised customer"
		_, err = s.UpdateWithPolicy(ctx(t), tn, stale, pol)
		require.ErrorIs(t, err, storage.ErrAnonymised)
	}
}

// testUpdateAfterRecreate deletes a customer and creates another under
// its ID (at version 1 again) between an update's read and its write: the
// versions match, the creation times do not, and the update is a conflict
// that leaves the new customer whole, never the edit's row over the
// other's sub-records.
func testUpdateAfterRecreate(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	a, err := s.Create(ctx(t), tn, Individual(41))
	require.NoError(t, err)
	edit := a.Clone()
	edit.Notes = "edited"
	var b *customer.Customer
	pol := &recreatePolicy{hook: func() { b = recreate(t, s, tn, a, 42) }}
	_, err = s.UpdateWithPolicy(ctx(t), tn, edit, pol)
	require.ErrorIs(t, err, storage.ErrConflict)
	stored, err := s.Get(ctx(t), tn, a.ID)
	require.NoError(t, err)
	requireSame(t, b, stored)
	assertFound(t, s, tn, customer.Query{Phone: b.Phones[0].String()}, a.ID)
}

// testDeleteAfterRecreate deletes a customer and creates another under its
// ID: a deletion that names the first's version and creation time is a
// conflict that leaves the second whole (an HTTP client's stale tag
// deleted the second one); with the second's, it goes.
func testDeleteAfterRecreate(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	a, err := s.Create(ctx(t), tn, Individual(43))
	require.NoError(t, err)
	b := recreate(t, s, tn, a, 44)
	require.ErrorIs(t, s.DeleteCreated(ctx(t), tn, a.ID, a.Version, a.CreatedAt), storage.ErrConflict)
	// The driver checks it too, in the delete's transaction: the Store's
	// read and the delete are two steps, between which the ID can change
	// hands.
	require.ErrorIs(t, s.Driver().Delete(ctx(t), tn, a.ID, b.Version, a.CreatedAt, nil), storage.ErrConflict)
	stored, err := s.Get(ctx(t), tn, a.ID)
	require.NoError(t, err)
	requireSame(t, b, stored)
	require.NoError(t, s.DeleteCreated(ctx(t), tn, b.ID, b.Version, b.CreatedAt))
	_, err = s.Get(ctx(t), tn, a.ID)
	require.ErrorIs(t, err, storage.ErrNotFound)
	require.ErrorIs(t, s.DeleteCreated(ctx(t), tn, b.ID, b.Version, b.CreatedAt), storage.ErrNotFound)
}

// recreate deletes a through s and creates, through s, Individual(seed)
// under a's ID: at the same version, created later.
func recreate(t *testing.T, s *storage.Store, tn string, a *customer.Customer, seed int) *customer.Customer {
	t.Helper()
	require.NoError(t, s.Delete(ctx(t), tn, a.ID, a.Version))
	b := Individual(seed)
	b.ID = a.ID
	b, err := s.Create(ctx(t), tn, b)
	require.NoError(t, err)
	require.Equal(t, a.Version, b.Version)
	require.False(t, a.CreatedAt.Equal(b.CreatedAt), "the clock moved between the two creations")
	return b
}
