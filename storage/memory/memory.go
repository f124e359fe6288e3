// Package memory is the in-memory storage adapter: a full member of the
// storage contract, used as the fake in hosts' tests and as the reference
// the SQL adapters are measured against. Data lives as long as the Driver.
package memory

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/agenda"
	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
)

// Driver keeps customers in maps guarded by one read-write lock. It is safe
// for concurrent use and copies customers in and out, so no caller can
// alias stored state.
type Driver struct {
	mu      sync.RWMutex
	tenants map[string]*tenant
	closed  bool
}

type tenant struct {
	name    string
	records map[uuid.UUID]*record
	index   map[customer.Field]map[string]holders
	taxIDs  map[string]uuid.UUID
	// log is the tenant's change log; the entry numbered n is log[n-1].
	log []entry
	// newest is the place in log of each customer's newest entry, where
	// the chain of its history starts (see entry.prev).
	newest map[uuid.UUID]int
	// actors are the actors of the log's entries, each once, and
	// actorIndex their places.
	actors     []storage.Actor
	actorIndex map[storage.Actor]int32
	// fresh, attendances (oldest first) and last are each customer's
	// freshness, attendances and last attendance time.
	fresh       map[uuid.UUID]*sectionTimes
	attendances map[uuid.UUID][]attendance.Attendance
	attIDs      map[uuid.UUID]bool
	last        map[uuid.UUID]time.Time
	// items is the tenant's agenda, by ID.
	items map[uuid.UUID]*agenda.Item
	// birthdays indexes the customers' and contacts' birthdays by day of
	// the year: the customers having one that day.
	birthdays map[storage.MonthDay]map[uuid.UUID]struct{}
	// consent is the tenant's consent ledger, suppression list and
	// register of requests, made on first use.
	consent *consentData
	// redirects holds, by the ID of each customer merged into another,
	// where it went; made on first use.
	redirects map[uuid.UUID]storage.Redirect
}

// birthdaysOf returns the days of the year c's own and its contacts'
// birthdays fall on.
func birthdaysOf(c *customer.Customer) []storage.MonthDay {
	var mds []storage.MonthDay
	if !c.BirthDate.IsZero() {
		mds = append(mds, storage.MonthDay(int(c.BirthDate.Month)*100+c.BirthDate.Day))
	}
	for _, ct := range c.Contacts {
		if !ct.Birthday.IsZero() {
			mds = append(mds, storage.MonthDay(int(ct.Birthday.Month)*100+ct.Birthday.Day))
		}
	}
	return mds
}

// summary is the summary of a stored customer.
func (t *tenant) summary(r *record) storage.Summary {
	s := storage.SummaryOf(r.c)
	s.LastAttendance = t.last[r.c.ID]
	return s
}

// touch makes sections of a customer fresh as of at, where that is later.
func (t *tenant) touch(id uuid.UUID, sections attendance.Section, at time.Time) {
	f := t.fresh[id]
	if f == nil {
		f = &sectionTimes{}
		t.fresh[id] = f
	}
	f.touch(sections, at)
}

// record is a stored customer with its search keys, under one map entry so
// that a look-up touches one large map, not two.
type record struct {
	c    *customer.Customer
	keys keyList
	// sortName is c.SortName(), computed once.
	sortName string
}

// Open returns a [storage.Store] over a new, empty Driver. opts may be
// nil. Unlike the other adapters' Open it cannot fail.
func Open(opts *storage.Options) *storage.Store {
	return storage.New(OpenDriver(), opts)
}

// OpenDriver returns a new, empty Driver.
func OpenDriver() *Driver {
	return &Driver{tenants: map[string]*tenant{}}
}

// tenant returns the tenant's data, creating it when create is set.
func (d *Driver) tenant(name string, create bool) *tenant {
	t := d.tenants[name]
	if t == nil && create {
		t = &tenant{
			name:        name,
			records:     map[uuid.UUID]*record{},
			index:       map[customer.Field]map[string]holders{},
			taxIDs:      map[string]uuid.UUID{},
			newest:      map[uuid.UUID]int{},
			fresh:       map[uuid.UUID]*sectionTimes{},
			attendances: map[uuid.UUID][]attendance.Attendance{},
			attIDs:      map[uuid.UUID]bool{},
			last:        map[uuid.UUID]time.Time{},
		}
		d.tenants[name] = t
	}
	return t
}

// read takes the read lock and returns the tenant's data (nil when the
// tenant has none) and the function that releases the lock, which the
// caller defers whatever the error (the closed driver's or the context's).
func (d *Driver) read(ctx context.Context, name string) (*tenant, func(), error) {
	d.mu.RLock()
	if err := d.check(ctx); err != nil {
		return nil, d.mu.RUnlock, err
	}
	return d.tenant(name, false), d.mu.RUnlock, nil
}

func (d *Driver) check(ctx context.Context) error {
	if d.closed {
		return storage.ErrClosed
	}
	return ctx.Err()
}

// Insert implements [storage.Driver].
func (d *Driver) Insert(ctx context.Context, rec storage.Record) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.check(ctx); err != nil {
		return err
	}
	return d.insert(rec)
}

func (d *Driver) insert(rec storage.Record) error {
	t := d.tenant(rec.Tenant, true)
	c := rec.Customer
	if _, taken := t.records[c.ID]; taken {
		return storage.ErrExists
	}
	if _, merged := t.redirects[c.ID]; merged {
		return storage.ErrExists
	}
	if tax := c.TaxID.String(); tax != "" {
		if holder, ok := t.taxIDs[tax]; ok {
			return &storage.DuplicateTaxIDError{HolderID: holder}
		}
	}
	t.put(c.Clone(), rec.Keys)
	t.touch(c.ID, rec.Touched, c.UpdatedAt)
	t.append(rec.Change)
	return nil
}

// append numbers a change-log entry and keeps a copy of it.
func (t *tenant) append(ch *storage.Change) {
	if ch == nil {
		return
	}
	pos := len(t.log)
	ch.Seq = int64(pos) + 1
	prev, ok := t.newest[ch.CustomerID]
	if !ok {
		prev = -1
	}
	t.newest[ch.CustomerID] = pos
	t.log = append(t.log, entry{customer: ch.CustomerID, item: ch.Item, at: ch.At, version: ch.Version,
		fields: packFields(ch.Fields), prev: prev, actor: t.actorRef(ch.Actor), op: ch.Op})
}

func (t *tenant) put(c *customer.Customer, ks []customer.Key) {
	keys := packKeys(ks)
	t.records[c.ID] = &record{c: c, keys: keys, sortName: c.SortName()}
	for _, md := range birthdaysOf(c) {
		if t.birthdays == nil {
			t.birthdays = map[storage.MonthDay]map[uuid.UUID]struct{}{}
		}
		if t.birthdays[md] == nil {
			t.birthdays[md] = map[uuid.UUID]struct{}{}
		}
		t.birthdays[md][c.ID] = struct{}{}
	}
	if tax := c.TaxID.String(); tax != "" {
		t.taxIDs[tax] = c.ID
	}
	for k := range keys.all() {
		byValue := t.index[k.Field]
		if byValue == nil {
			byValue = map[string]holders{}
			t.index[k.Field] = byValue
		}
		byValue[k.Value] = byValue[k.Value].add(c.ID)
	}
}

func (t *tenant) remove(id uuid.UUID) {
	rec := t.records[id]
	c := rec.c
	for _, md := range birthdaysOf(c) {
		delete(t.birthdays[md], id)
		if len(t.birthdays[md]) == 0 {
			delete(t.birthdays, md)
		}
	}
	if tax := c.TaxID.String(); tax != "" && t.taxIDs[tax] == id {
		delete(t.taxIDs, tax)
	}
	for k := range rec.keys.all() {
		byValue := t.index[k.Field]
		if ids := byValue[k.Value].remove(id); ids.len() > 0 {
			byValue[k.Value] = ids
		} else {
			delete(byValue, k.Value)
		}
	}
	delete(t.records, id)
}

// InsertMany implements [storage.Driver].
func (d *Driver) InsertMany(ctx context.Context, recs []storage.Record) []error {
	errs := make([]error, len(recs))
	d.mu.Lock()
	defer d.mu.Unlock()
	for i, rec := range recs {
		if err := d.check(ctx); err != nil {
			errs[i] = err
			continue
		}
		errs[i] = d.insert(rec)
	}
	return errs
}

// Get implements [storage.Driver].
func (d *Driver) Get(ctx context.Context, tenant string, id uuid.UUID) (*customer.Customer, error) {
	t, unlock, err := d.read(ctx, tenant)
	defer unlock()
	if err != nil {
		return nil, err
	}
	if t == nil || t.records[id] == nil {
		return nil, storage.ErrNotFound
	}
	return t.records[id].c.Clone(), nil
}

// LocalReads implements [storage.LocalReader]: a Get here costs about a
// copy, so a Store keeps none.
func (d *Driver) LocalReads() {}

// Update implements [storage.Driver].
func (d *Driver) Update(ctx context.Context, rec storage.Record, expect int64) (time.Time, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.check(ctx); err != nil {
		return time.Time{}, err
	}
	t := d.tenant(rec.Tenant, false)
	c := rec.Customer
	if t == nil || t.records[c.ID] == nil {
		return time.Time{}, storage.ErrNotFound
	}
	old := t.records[c.ID].c
	if old.Version != expect || rec.Stored != nil && !old.CreatedAt.Equal(rec.Stored.CreatedAt) {
		return time.Time{}, storage.ErrConflict
	}
	if tax := c.TaxID.String(); tax != "" {
		if holder, ok := t.taxIDs[tax]; ok && holder != c.ID {
			return time.Time{}, &storage.DuplicateTaxIDError{HolderID: holder}
		}
	}
	stored := c.Clone()
	stored.CreatedAt = old.CreatedAt
	t.remove(c.ID)
	t.put(stored, rec.Keys)
	t.touch(c.ID, rec.Touched, c.UpdatedAt)
	t.append(rec.Change)
	return old.CreatedAt, nil
}

// Delete implements [storage.Driver].
func (d *Driver) Delete(ctx context.Context, tenant string, id uuid.UUID, expect int64, created time.Time, change *storage.Change) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.check(ctx); err != nil {
		return err
	}
	t := d.tenant(tenant, false)
	if t == nil || t.records[id] == nil {
		return storage.ErrNotFound
	}
	if c := t.records[id].c; c.Version != expect || !created.IsZero() && !c.CreatedAt.Equal(created) {
		return storage.ErrConflict
	}
	t.remove(id)
	for _, a := range t.attendances[id] {
		delete(t.attIDs, a.ID)
	}
	delete(t.attendances, id)
	delete(t.fresh, id)
	delete(t.last, id)
	for iid, it := range t.items {
		if it.CustomerID == id {
			delete(t.items, iid)
		}
	}
	t.dropConsent(id)
	t.append(change)
	return nil
}

// History implements [storage.Driver].
func (d *Driver) History(ctx context.Context, tenant string, id uuid.UUID, before int64, limit int) ([]storage.Change, error) {
	t, unlock, err := d.read(ctx, tenant)
	defer unlock()
	if err != nil || t == nil {
		return nil, err
	}
	var out []storage.Change
	for pos := range t.history(id) {
		if len(out) == limit {
			break
		}
		if int64(pos)+1 < before {
			out = append(out, t.change(pos))
		}
	}
	return out, nil
}

// Changes implements [storage.Driver].
func (d *Driver) Changes(ctx context.Context, tenant string, after int64, limit int) ([]storage.Change, error) {
	t, unlock, err := d.read(ctx, tenant)
	defer unlock()
	if err != nil {
		return nil, err
	}
	if t == nil || after >= int64(len(t.log)) {
		return nil, nil
	}
	end := min(int(after)+limit, len(t.log))
	out := make([]storage.Change, 0, end-int(after))
	for pos := int(after); pos < end; pos++ {
		out = append(out, t.change(pos))
	}
	return out, nil
}

// Count implements [storage.Driver].
func (d *Driver) Count(ctx context.Context, tenant string) (int64, error) {
	t, unlock, err := d.read(ctx, tenant)
	defer unlock()
	if err != nil {
		return 0, err
	}
	if t == nil {
		return 0, nil
	}
	return int64(len(t.records)), nil
}

// Search implements [storage.Driver]. Exact terms are map look-ups; a
// prefix term walks the distinct values of its field (a vocabulary of
// name words, far smaller than the number of customers). It reads every
// match of the narrowest term, so it never stops early.
func (d *Driver) Search(ctx context.Context, req storage.SearchRequest) (storage.SearchResult, error) {
	t, unlock, err := d.read(ctx, req.Tenant)
	defer unlock()
	if err != nil || t == nil || len(req.Terms) == 0 {
		return storage.SearchResult{}, err
	}
	terms := req.Terms
	// Drive by the narrowest term: the smallest exact set, or else the
	// longest prefix; check every other term against each candidate's own
	// few keys rather than building its set.
	drive := 0
	for i, term := range terms {
		d := terms[drive]
		switch {
		case !term.Prefix && d.Prefix,
			!term.Prefix && !d.Prefix && t.index[term.Field][term.Value].len() < t.index[d.Field][d.Value].len(),
			term.Prefix && d.Prefix && len(term.Value) > len(d.Value):
			drive = i
		}
	}
	// Keep the first matches in search order after the cursor in a
	// bounded heap, so a common prefix costs a pass over its matches,
	// not a sort.
	top := firstN[storage.SearchPosition]{limit: req.Limit, before: storage.SearchPosition.Before}
	kept := map[uuid.UUID]bool{}
	for _, set := range t.sets(terms[drive]) {
		for id := range set.all() {
			if kept[id] {
				continue
			}
			rec := t.records[id]
			if !rec.keys.matchesAll(terms) {
				continue
			}
			p := storage.SearchPosition{Tier: 1, Rank: storage.Rank(rec.c.UpdatedAt, t.last[id]), ID: id}
			if rec.keys.matchesWhole(terms) {
				p.Tier = 0
			}
			if req.After != nil && !req.After.Before(p) || !top.wants(p) {
				continue
			}
			if dropped, ok := top.add(p); ok {
				delete(kept, dropped.ID)
			}
			kept[id] = true
		}
	}
	found := make([]storage.Found, 0, len(top.heap))
	for _, p := range top.sorted() {
		rec := t.records[p.ID]
		found = append(found, storage.Found{Summary: t.summary(rec), Keys: rec.keys.slice()})
	}
	return storage.SearchResult{Found: found}, nil
}

// sets returns the ID sets of the keys that term matches: one for an
// exact term, one per distinct value with the prefix for a prefix term (a
// vocabulary of words, far smaller than the number of customers).
func (t *tenant) sets(term customer.Term) []holders {
	byValue := t.index[term.Field]
	if !term.Prefix {
		return []holders{byValue[term.Value]}
	}
	var out []holders
	for v, ids := range byValue {
		if strings.HasPrefix(v, term.Value) {
			out = append(out, ids)
		}
	}
	return out
}

func less(a, b uuid.UUID) bool { return bytes.Compare(a[:], b[:]) < 0 }

// firstN keeps the limit elements added to it that come first by
// before, in a heap whose root is the last of them: a pass over many
// candidates costs no sort of them all.
type firstN[T any] struct {
	limit  int
	before func(a, b T) bool
	heap   []T
}

func (h *firstN[T]) full() bool { return len(h.heap) >= h.limit }

// wants reports whether x would be kept.
func (h *firstN[T]) wants(x T) bool { return !h.full() || h.before(x, h.heap[0]) }

// add keeps x, dropping the last kept when full, and returns what it
// dropped, if anything.
func (h *firstN[T]) add(x T) (dropped T, ok bool) {
	if h.full() {
		dropped, ok = h.heap[0], true
		h.heap[0] = x
		h.down(0)
		return dropped, ok
	}
	h.heap = append(h.heap, x)
	for i := len(h.heap) - 1; i > 0; {
		parent := (i - 1) / 2
		if !h.before(h.heap[parent], h.heap[i]) {
			break
		}
		h.heap[parent], h.heap[i] = h.heap[i], h.heap[parent]
		i = parent
	}
	return dropped, false
}

func (h *firstN[T]) down(i int) {
	for {
		last, l, r := i, 2*i+1, 2*i+2
		if l < len(h.heap) && h.before(h.heap[last], h.heap[l]) {
			last = l
		}
		if r < len(h.heap) && h.before(h.heap[last], h.heap[r]) {
			last = r
		}
		if last == i {
			return
		}
		h.heap[i], h.heap[last] = h.heap[last], h.heap[i]
		i = last
	}
}

// sorted returns what is kept, first first.
func (h *firstN[T]) sorted() []T {
	slices.SortFunc(h.heap, func(a, b T) int {
		if h.before(a, b) {
			return -1
		}
		return 1
	})
	return h.heap
}

// Close implements [storage.Driver]. Afterwards every method returns
// storage.ErrClosed.
func (d *Driver) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.closed = true
	d.tenants = nil
	return nil
}

// listKey compares two records in the order of a list: negative when a
// comes first.
func listKey(o storage.Order, a, b storage.Position) int {
	switch o {
	case storage.ByName:
		if c := strings.Compare(a.SortName, b.SortName); c != 0 {
			return c
		}
		return bytes.Compare(a.ID[:], b.ID[:])
	case storage.OldestFirst:
		if c := a.UpdatedAt.Compare(b.UpdatedAt); c != 0 {
			return c
		}
		return bytes.Compare(a.ID[:], b.ID[:])
	}
	if c := b.UpdatedAt.Compare(a.UpdatedAt); c != 0 {
		return c
	}
	return bytes.Compare(b.ID[:], a.ID[:])
}

// passes reports whether c passes the filters of f.
func passes(c *customer.Customer, f storage.ListFilter) bool {
	in := func(t, since, before time.Time) bool {
		return (since.IsZero() || !t.Before(since)) && (before.IsZero() || t.Before(before))
	}
	return (f.Status == 0 || c.Status == f.Status) && (f.Kind == 0 || c.Kind == f.Kind) &&
		in(c.UpdatedAt, f.UpdatedSince, f.UpdatedBefore) && in(c.CreatedAt, f.CreatedSince, f.CreatedBefore)
}

// List implements [storage.Driver]: one pass over the tenant, keeping the
// first limit rows in a bounded heap.
func (d *Driver) List(ctx context.Context, tenant string, f storage.ListFilter, limit int) ([]storage.Summary, error) {
	t, unlock, err := d.read(ctx, tenant)
	defer unlock()
	if err != nil {
		return nil, err
	}
	if t == nil || limit <= 0 {
		return nil, nil
	}
	pos := func(r *record) storage.Position {
		return storage.Position{UpdatedAt: r.c.UpdatedAt, SortName: r.sortName, ID: r.c.ID}
	}
	// top is a max-heap in list order: top[0] is the last row kept.
	var top []*record
	less := func(i, j int) bool { return listKey(f.Order, pos(top[i]), pos(top[j])) > 0 }
	down := func(i int) {
		for {
			l, r, m := 2*i+1, 2*i+2, i
			if l < len(top) && less(l, m) {
				m = l
			}
			if r < len(top) && less(r, m) {
				m = r
			}
			if m == i {
				return
			}
			top[i], top[m] = top[m], top[i]
			i = m
		}
	}
	for _, r := range t.records {
		if !passes(r.c, f) || f.After != nil && listKey(f.Order, pos(r), *f.After) <= 0 {
			continue
		}
		if len(top) < limit {
			top = append(top, r)
			for i := len(top) - 1; i > 0 && less(i, (i-1)/2); i = (i - 1) / 2 {
				top[i], top[(i-1)/2] = top[(i-1)/2], top[i]
			}
			continue
		}
		if listKey(f.Order, pos(r), pos(top[0])) < 0 {
			top[0] = r
			down(0)
		}
	}
	slices.SortFunc(top, func(a, b *record) int { return listKey(f.Order, pos(a), pos(b)) })
	out := make([]storage.Summary, len(top))
	for i, r := range top {
		out[i] = t.summary(r)
	}
	return out, nil
}

// CountBy implements [storage.Driver].
func (d *Driver) CountBy(ctx context.Context, tenant string) ([3][3]int64, error) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	var by [3][3]int64
	if err := d.check(ctx); err != nil {
		return by, err
	}
	if t := d.tenant(tenant, false); t != nil {
		for _, r := range t.records {
			if int(r.c.Status) < 3 && int(r.c.Kind) < 3 {
				by[r.c.Status][r.c.Kind]++
			}
		}
	}
	return by, nil
}

// ReadPage implements [storage.Driver].
func (d *Driver) ReadPage(ctx context.Context, tenant string, after uuid.UUID, limit int) ([]*customer.Customer, error) {
	t, unlock, err := d.read(ctx, tenant)
	defer unlock()
	if err != nil {
		return nil, err
	}
	if t == nil || limit <= 0 {
		return nil, nil
	}
	// A bounded max-heap of the limit smallest IDs after the cursor: one
	// pass over the tenant.
	top := firstN[uuid.UUID]{limit: limit, before: less}
	for id := range t.records {
		if bytes.Compare(id[:], after[:]) > 0 && top.wants(id) {
			top.add(id)
		}
	}
	ids := top.sorted()
	out := make([]*customer.Customer, len(ids))
	for i, id := range ids {
		out[i] = t.records[id].c.Clone()
	}
	return out, nil
}

// InsertAttendance implements [storage.Driver].
func (d *Driver) InsertAttendance(ctx context.Context, tenant string, a *attendance.Attendance, change *storage.Change) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.check(ctx); err != nil {
		return err
	}
	t := d.tenant(tenant, false)
	if t == nil || t.records[a.CustomerID] == nil {
		return storage.ErrNotFound
	}
	if t.attIDs[a.ID] {
		return storage.ErrExists
	}
	if _, done := storage.IsAnonymised(t.records[a.CustomerID].c); done {
		return storage.ErrAnonymised
	}
	t.attIDs[a.ID] = true
	list := append(t.attendances[a.CustomerID], *a)
	slices.SortFunc(list, compareAttendances)
	t.attendances[a.CustomerID] = list
	t.touch(a.CustomerID, a.Confirmed, a.At)
	if a.At.After(t.last[a.CustomerID]) {
		t.last[a.CustomerID] = a.At
	}
	t.append(change)
	return nil
}

// compareAttendances orders attendances by time, then ID.
func compareAttendances(a, b attendance.Attendance) int {
	if c := a.At.Compare(b.At); c != 0 {
		return c
	}
	return bytes.Compare(a.ID[:], b.ID[:])
}

// Attendances implements [storage.Driver].
func (d *Driver) Attendances(ctx context.Context, tenant string, customerID uuid.UUID, before *storage.Position, limit int) ([]attendance.Attendance, error) {
	t, unlock, err := d.read(ctx, tenant)
	defer unlock()
	if err != nil || t == nil {
		return nil, err
	}
	list := t.attendances[customerID]
	var out []attendance.Attendance
	for i := len(list) - 1; i >= 0 && len(out) < limit; i-- {
		a := list[i]
		if before != nil && compareAttendances(a, attendance.Attendance{At: before.UpdatedAt, ID: before.ID}) >= 0 {
			continue
		}
		out = append(out, a)
	}
	return out, nil
}

// Freshness implements [storage.Driver].
func (d *Driver) Freshness(ctx context.Context, tenant string, customerID uuid.UUID) (attendance.Freshness, error) {
	t, unlock, err := d.read(ctx, tenant)
	defer unlock()
	if err != nil {
		return nil, err
	}
	if t == nil || t.records[customerID] == nil {
		return nil, storage.ErrNotFound
	}
	return t.fresh[customerID].freshness(), nil
}

// Stale implements [storage.Driver], with one pass over the tenant.
func (d *Driver) Stale(ctx context.Context, tenant string, section attendance.Section, cutoff time.Time, after *storage.Position, limit int) ([]storage.StaleRow, error) {
	t, unlock, err := d.read(ctx, tenant)
	defer unlock()
	if err != nil || t == nil {
		return nil, err
	}
	var rows []storage.StaleRow
	for id, r := range t.records {
		at, ok := t.fresh[id].get(section)
		if !ok || !at.Before(cutoff) {
			continue
		}
		if after != nil && compareAttendances(attendance.Attendance{At: at, ID: id}, attendance.Attendance{At: after.UpdatedAt, ID: after.ID}) <= 0 {
			continue
		}
		rows = append(rows, storage.StaleRow{Summary: t.summary(r), Since: at})
	}
	slices.SortFunc(rows, func(a, b storage.StaleRow) int {
		return compareAttendances(attendance.Attendance{At: a.Since, ID: a.ID}, attendance.Attendance{At: b.Since, ID: b.ID})
	})
	return rows[:min(limit, len(rows))], nil
}

// items are the tenant's agenda, by ID; kept in the tenant struct below.
func (t *tenant) itemMap() map[uuid.UUID]*agenda.Item {
	if t.items == nil {
		t.items = map[uuid.UUID]*agenda.Item{}
	}
	return t.items
}

// InsertItem implements [storage.Driver].
func (d *Driver) InsertItem(ctx context.Context, tenant string, it *agenda.Item, change *storage.Change) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.check(ctx); err != nil {
		return err
	}
	t := d.tenant(tenant, false)
	if t == nil || t.records[it.CustomerID] == nil {
		return storage.ErrNotFound
	}
	if t.itemMap()[it.ID] != nil {
		return storage.ErrExists
	}
	if _, done := storage.IsAnonymised(t.records[it.CustomerID].c); done {
		return storage.ErrAnonymised
	}
	t.itemMap()[it.ID] = it.Clone()
	t.append(change)
	return nil
}

// GetItem implements [storage.Driver].
func (d *Driver) GetItem(ctx context.Context, tenant string, id uuid.UUID) (*agenda.Item, error) {
	t, unlock, err := d.read(ctx, tenant)
	defer unlock()
	if err != nil {
		return nil, err
	}
	if t == nil || t.items[id] == nil {
		return nil, storage.ErrNotFound
	}
	return t.items[id].Clone(), nil
}

// UpdateItem implements [storage.Driver].
func (d *Driver) UpdateItem(ctx context.Context, tenant string, it *agenda.Item, expect int64, change *storage.Change) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.check(ctx); err != nil {
		return err
	}
	t := d.tenant(tenant, false)
	if t == nil || t.items[it.ID] == nil {
		return storage.ErrNotFound
	}
	if t.items[it.ID].Version != expect {
		return storage.ErrConflict
	}
	t.items[it.ID] = it.Clone()
	t.append(change)
	return nil
}

// Items implements [storage.Driver], with one pass over the tenant's
// agenda.
func (d *Driver) Items(ctx context.Context, tenant string, f storage.ItemFilter, limit int) ([]agenda.Item, error) {
	t, unlock, err := d.read(ctx, tenant)
	defer unlock()
	if err != nil || t == nil {
		return nil, err
	}
	key := func(it *agenda.Item) attendance.Attendance { return attendance.Attendance{At: it.Due, ID: it.ID} }
	var out []agenda.Item
	for _, it := range t.items {
		switch {
		case f.Attendant != "" && it.Attendant.ID != f.Attendant,
			f.CustomerID != uuid.Nil && it.CustomerID != f.CustomerID,
			f.Status != 0 && it.Status != f.Status,
			!f.DueFrom.IsZero() && it.Due.Before(f.DueFrom),
			!f.DueBefore.IsZero() && !it.Due.Before(f.DueBefore),
			f.After != nil && compareAttendances(key(it), attendance.Attendance{At: f.After.UpdatedAt, ID: f.After.ID}) <= 0:
			continue
		}
		out = append(out, *it.Clone())
	}
	slices.SortFunc(out, func(a, b agenda.Item) int { return compareAttendances(key(&a), key(&b)) })
	return out[:min(limit, len(out))], nil
}

// HasAttendance implements [storage.Driver].
func (d *Driver) HasAttendance(ctx context.Context, tenant string, customerID, id uuid.UUID) (bool, error) {
	t, unlock, err := d.read(ctx, tenant)
	defer unlock()
	if err != nil {
		return false, err
	}
	if t == nil {
		return false, nil
	}
	for _, a := range t.attendances[customerID] {
		if a.ID == id {
			return true, nil
		}
	}
	return false, nil
}

// Birthdays implements [storage.Driver], from the tenant's index of
// birthdays by day of the year: it visits only the customers with a
// birthday in the range.
func (d *Driver) Birthdays(ctx context.Context, tenant string, r storage.MDRange, after *storage.BirthdayPosition, limit int) ([]storage.Birthday, error) {
	t, unlock, err := d.read(ctx, tenant)
	defer unlock()
	if err != nil || t == nil {
		return nil, err
	}
	var out []storage.Birthday
	seen := map[uuid.UUID]bool{}
	add := func(b storage.Birthday) {
		p := storage.BirthdayPosition{MD: storage.MonthDay(int(b.Month)*100 + b.Day), CustomerID: b.CustomerID, Index: b.ContactIndex}
		if p.MD < r.From || p.MD > r.To || after != nil && storage.CompareBirthdays(p, *after) <= 0 {
			return
		}
		out = append(out, b)
	}
	for md := r.From; md <= r.To; md++ {
		for id := range t.birthdays[md] {
			if !seen[id] {
				seen[id] = true
				add1(t.records[id], add)
			}
		}
	}
	pos := func(b storage.Birthday) storage.BirthdayPosition {
		return storage.BirthdayPosition{MD: storage.MonthDay(int(b.Month)*100 + b.Day), CustomerID: b.CustomerID, Index: b.ContactIndex}
	}
	slices.SortFunc(out, func(a, b storage.Birthday) int { return storage.CompareBirthdays(pos(a), pos(b)) })
	return out[:min(limit, len(out))], nil
}

// add1 passes to add the birthdays of one stored customer: its own and its
// contacts'; add keeps those in range.
func add1(rec *record, add func(storage.Birthday)) {
	c, id := rec.c, rec.c.ID
	if !c.BirthDate.IsZero() {
		b := storage.Birthday{CustomerID: id, Kind: c.Kind, Customer: c.Name, ContactIndex: -1, Month: c.BirthDate.Month, Day: c.BirthDate.Day, Year: c.BirthDate.Year}
		if len(c.Phones) > 0 {
			b.Phone = c.Phones[0]
		}
		add(b)
	}
	for i, ct := range c.Contacts {
		if ct.Birthday.IsZero() {
			continue
		}
		b := storage.Birthday{CustomerID: id, Kind: c.Kind, Customer: c.Name, Contact: ct.Name, ContactIndex: i,
			Month: ct.Birthday.Month, Day: ct.Birthday.Day, Year: ct.Birthday.Year}
		if len(ct.Phones) > 0 {
			b.Phone = ct.Phones[0]
		}
		add(b)
	}
}
