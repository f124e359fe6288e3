// Package storage is Ficha's storage contract. [Store] is the type hosts
// call: it validates customers, assigns IDs, versions and timestamps,
// computes search keys and parses queries, checks tenants, and then hands
// a small [Driver] only what to persist and what to look up. Adapters live
// in sub-packages: memory, sqlite, postgres and mysql (the last three over
// the one SQL adapter, sqlstore). storagetest is the conformance suite
// every adapter passes.
//
// Every operation is scoped to one tenant, a dealership or dealer group:
// no call reads, changes, finds or counts another tenant's customers.
package storage

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/customer/info"
	"github.com/fichacrm/ficha/validation"
)

// Options configure a [Store]. A nil *Options means the defaults.
type Options struct {
	// Now returns the current time; time.Now by default. Tests set it to
	// make timestamps predictable. A customer's creation time, with its
	// version, is what tells it from one deleted before it under the same
	// ID: a clock that stands still while a customer is deleted and
	// another created under its ID lets an update that read the first
	// one, and writes after that, be taken for an update of the second.
	// A Store with its own clock keeps no copies (see KeptCopies).
	Now func() time.Time
	// Policy says which fields an update may change; customer.DefaultPolicy
	// when nil. [Store.UpdateWithPolicy] takes another for one update.
	Policy customer.Policy
	// Info, when set, is the additional-information table customers'
	// Info must follow: values are normalised and validated against it for
	// the customer's kind. Without it Info is free key/value text.
	Info *info.Schema
	// CursorKey signs search cursors, so that a cursor works only for the
	// tenant and query that produced it and cannot be forged. Without it
	// the store draws a random key when it is created: cursors then work
	// only with the Store that issued them. Hosts that serve one search
	// from several processes (replicas behind a load balancer) set the
	// same secret of at least [MinCursorKey] bytes in every process; New
	// panics on a shorter one, which would make cursors guessable.
	CursorKey []byte
	// RequireActor refuses, with ErrActor, every write whose context
	// carries no [Actor] (see [WithActor]), or the zero Actor, which names
	// nobody: customers, attendances and the agenda alike. An Actor with
	// only App set names a system ("dms-sync") and is accepted. Without it such writes are recorded in the change log
	// with the zero Actor, "unknown".
	RequireActor bool
	// Location is the dealership's time zone, in which the agenda's days
	// begin and end (Store.Day); America/Sao_Paulo when nil (a fixed
	// UTC−03:00 where the time-zone database is missing).
	Location *time.Location
	// SuppressionKey keys the fingerprints of the suppression list (see
	// consent.Fingerprint): at least MinCursorKey bytes, the same in every
	// process of a host and for the life of its data, kept outside the
	// database (a secret store, the environment). Without it the store
	// uses a key written in this package's source: the list then hides
	// addresses from a reader of a table, not from someone who tries
	// every phone number. Changing it empties the list in effect, as old
	// fingerprints no longer match.
	SuppressionKey []byte
	// Retention is the host's retention hook, asked before every
	// anonymisation what a legal obligation requires it to keep (see
	// [Store.Anonymise]); without it nothing is kept.
	Retention Retention
	// SearchBudget bounds the work of one [Store.Search]: the index
	// entries of words it may read before it returns what it has found
	// (see Page.Incomplete), and the holders of one identifier the SQL
	// adapters sort (a placeholder e-mail that thousands of records hold
	// is searched by walking the customers, most recent first, within the
	// same budget). DefaultSearchBudget when 0 or less; never below the
	// page's limit plus one.
	SearchBudget int
	// KeptCopies is how many customers the Store keeps, as it last read
	// or wrote them, so that an update of a copy it handed out (the
	// desk's Get, change, Update) need not read the customer again:
	// DefaultKeptCopies when 0, none when negative. A kept copy is only
	// ever the stored customer at its version: the write made against it
	// is conditional on that version and the customer's creation time,
	// and an update refused so starts over from a fresh read, so a copy
	// left behind by another Store or process costs a read, never a
	// wrong write. Drivers that read from memory keep none
	// ([LocalReader]), nor does a Store with its own clock (Now): one
	// that stands still gives a customer deleted and another created
	// under its ID the same version and creation time, and a kept copy
	// of the first would be taken for the second.
	KeptCopies int
}

// DefaultSearchBudget is the SearchBudget of a Store whose Options leave
// it 0: a few milliseconds of index reads on every adapter.
const DefaultSearchBudget = 4096

// Validate reports whether the options can make a store: it returns
// ErrOptions when CursorKey is set but shorter than MinCursorKey (which
// New panics on). The adapters' Open functions call it before they open
// anything.
func (o *Options) Validate() error {
	if o != nil && (len(o.CursorKey) > 0 && len(o.CursorKey) < MinCursorKey ||
		len(o.SuppressionKey) > 0 && len(o.SuppressionKey) < MinCursorKey) {
		return ErrOptions
	}
	return nil
}

// ErrOptions is returned by [Options.Validate] for options no store can
// run with.
var ErrOptions = errors.New("storage: Options.CursorKey or SuppressionKey is shorter than storage.MinCursorKey bytes")

// MinCursorKey is the shortest [Options.CursorKey], in bytes.
const MinCursorKey = 16

// Store is a customer store over a [Driver]. It is safe for concurrent use.
type Store struct {
	d         Driver
	now       func() time.Time
	policy    customer.Policy
	info      *info.Schema
	cursorKey []byte
	// budget is Options.SearchBudget, or the default.
	budget int
	// suppressionKey is Options.SuppressionKey, or the default.
	suppressionKey []byte
	// retention is Options.Retention.
	retention Retention
	// requireActor is Options.RequireActor.
	requireActor bool
	// loc is Options.Location.
	loc *time.Location
	// copies are the customers the store last read or wrote (nil: none).
	copies    *copies
	closed    atomic.Bool
	closeOnce sync.Once
	closeErr  error
}

// New returns a Store over d. It does no I/O.
func New(d Driver, opts *Options) *Store {
	s := &Store{d: d, now: time.Now, policy: customer.DefaultPolicy, loc: defaultLocation()}
	if opts != nil {
		if opts.Now != nil {
			s.now = opts.Now
		}
		if opts.Policy != nil {
			s.policy = opts.Policy
		}
		s.info = opts.Info
		s.requireActor = opts.RequireActor
		if opts.Location != nil {
			s.loc = opts.Location
		}
		if err := opts.Validate(); err != nil {
			panic(err.Error())
		}
		s.cursorKey = bytes.Clone(opts.CursorKey)
		s.budget = opts.SearchBudget
		s.suppressionKey = bytes.Clone(opts.SuppressionKey)
		s.retention = opts.Retention
	}
	kept := DefaultKeptCopies
	if opts != nil && opts.KeptCopies != 0 {
		kept = opts.KeptCopies
	}
	if opts != nil && opts.Now != nil {
		// A clock of the host's may stand still, and then a customer
		// deleted and another created under its ID share their version
		// and creation time: nothing would tell a kept copy of the first
		// from the second.
		kept = 0
	}
	if _, local := d.(LocalReader); !local {
		s.copies = newCopies(kept)
	}
	if len(s.suppressionKey) == 0 {
		s.suppressionKey = defaultSuppressionKey
	}
	if s.budget <= 0 {
		s.budget = DefaultSearchBudget
	}
	if len(s.cursorKey) == 0 {
		s.cursorKey = make([]byte, 32)
		_, _ = rand.Read(s.cursorKey) // never fails (crypto/rand)
	}
	return s
}

// Driver returns the driver the store runs on, for what only the driver
// offers (an SQL adapter's Migrate or Analyze, say). Writing through it
// bypasses every check of the store.
func (s *Store) Driver() Driver { return s.d }

// Locked returns those of paths (as [customer.Diff] names them: "tax_id",
// "addresses", "addresses[0].cep") that the store's edit policy would
// refuse to change in c, the record as stored. A form asks it to show
// locked fields read-only; Update enforces the same policy whatever the
// form shows.
func (s *Store) Locked(c *customer.Customer, paths []string) []string {
	if c == nil || len(paths) == 0 {
		return nil
	}
	return s.policy.Locked(c, paths)
}

// Info returns the additional-information table the store validates
// against (Options.Info), or nil when it has none.
func (s *Store) Info() *info.Schema { return s.info }

// Close closes the driver. Calls after the first return the first's
// result; every other method then returns ErrClosed.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.closed.Store(true)
		s.closeErr = s.d.Close()
	})
	return s.closeErr
}

// MaxTenantLen is the longest tenant ID, in bytes.
const MaxTenantLen = 64

// CheckTenant returns ErrTenant unless t is a tenant ID the store accepts:
// 1 to MaxTenantLen ASCII letters, digits and . _ - :.
func CheckTenant(t string) error { return checkTenant(t) }

// checkTenant accepts 1 to 64 ASCII letters, digits and . _ - :.
func checkTenant(t string) error {
	if t == "" || len(t) > MaxTenantLen {
		return ErrTenant
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '.' || c == '_' || c == '-' || c == ':') {
			return ErrTenant
		}
	}
	return nil
}

// begin is the common preamble: the store is open, the context live and
// the tenant well formed.
func (s *Store) begin(ctx context.Context, tenant string) error {
	if s.closed.Load() {
		return ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return checkTenant(tenant)
}

// prepare validates a copy of c and normalises it into what is stored:
// money rescaled to cents, times in UTC to the microsecond, empty lists and
// maps as nil. The caller's value is never touched.
//
// With old, the stored record of an update, identifiers old holds already
// are not judged again (see customer.Customer.ValidateChange); nor, with
// also (a merge's other record, at most one), those that also holds.
func (s *Store) prepare(c *customer.Customer, now time.Time, old *customer.Customer, also ...*customer.Customer) (*customer.Customer, error) {
	if c == nil {
		return nil, fmt.Errorf("%w: nil customer", ErrInvalid)
	}
	c = c.Clone()
	if s.info != nil {
		c.Info = s.info.Normalize(c.Info)
	}
	var err error
	if len(also) > 0 {
		err = c.ValidateMerge(old, also[0], now)
	} else {
		err = c.ValidateChange(old, now)
	}
	if s.info != nil {
		var v customer.ValidationError
		v.Add("", err)
		v.Add("", s.info.Validate(c))
		// Both report a malformed information key: once is enough.
		seen := map[validation.FieldError]bool{}
		v.Fields = slices.DeleteFunc(v.Fields, func(f validation.FieldError) bool {
			dup := seen[f]
			seen[f] = true
			return dup
		})
		err = v.Err()
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	for i := range c.Assets {
		a := &c.Assets[i]
		a.Value = cents(a.Value)
		a.Lien.Balance = cents(a.Lien.Balance)
	}
	c.Phones = nilIfEmpty(c.Phones)
	c.Emails = nilIfEmpty(c.Emails)
	c.ServiceOrders = nilIfEmpty(c.ServiceOrders)
	c.Addresses = nilIfEmpty(c.Addresses)
	c.Assets = nilIfEmpty(c.Assets)
	c.PersonalReferences = nilIfEmpty(c.PersonalReferences)
	c.BankReferences = nilIfEmpty(c.BankReferences)
	for i := range c.BankReferences {
		c.BankReferences[i] = c.BankReferences[i].Normalize()
	}
	c.Cards = nilIfEmpty(c.Cards)
	c.Contacts = nilIfEmpty(c.Contacts)
	for i := range c.Contacts {
		c.Contacts[i].Phones = nilIfEmpty(c.Contacts[i].Phones)
	}
	if len(c.Info) == 0 {
		c.Info = nil
	}
	return c, nil
}

func cents(d decimal.Decimal) decimal.Decimal { return d.Round(2) }

func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}

// Timestamp returns t as the store keeps it: UTC, to the microsecond.
func Timestamp(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// updatedAt is the UpdatedAt of a write at now of a record last written at
// prev: now, or a microsecond after prev when now is not later (a host
// whose clock runs behind another's). A record's UpdatedAt never goes
// back, so neither does its place in a search's recency order, which the
// adapters' indexes of words only ever raise.
func updatedAt(now, prev time.Time) time.Time {
	if t := Timestamp(now); t.After(prev) {
		return t
	}
	return prev.Add(time.Microsecond)
}

// Create stores a new customer and returns it as stored, with its ID (a new
// UUIDv7 unless c has one), version 1 and both timestamps set. c itself is
// not modified. It returns an error wrapping ErrInvalid and the
// *customer.ValidationError if c fails validation, a *DuplicateTaxIDError
// if another customer of the tenant holds its CPF/CNPJ, ErrExists if a
// customer of the tenant has its ID (or had it and was merged into
// another), ErrConflict when the create met, three times running, a
// customer holding its ID or CPF/CNPJ that was deleted before it could
// say which (a create beside a deletion; try again), ErrTenant,
// ErrClosed, or the context's error. IDs are unique within a tenant: an
// ID another tenant holds is
// answered as one nobody holds, so no tenant learns of another's
// customers.
func (s *Store) Create(ctx context.Context, tenant string, c *customer.Customer) (*customer.Customer, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return nil, err
	}
	actor, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	rec, err := s.newRecord(tenant, c, actor)
	if err != nil {
		return nil, err
	}
	if err := s.d.Insert(ctx, rec); err != nil {
		return nil, err
	}
	s.copies.put(tenant, rec.Customer)
	return rec.Customer.Clone(), nil
}

func (s *Store) newRecord(tenant string, c *customer.Customer, actor Actor) (Record, error) {
	return s.newRecordAt(tenant, c, actor, s.now(), uuid.Nil)
}

// newRecordAt is newRecord at the time now; a customer without an ID gets
// id, or a new one when id is uuid.Nil. It reads no state of the store
// that changes, so that a batch's records can be made at once.
func (s *Store) newRecordAt(tenant string, c *customer.Customer, actor Actor, now time.Time, id uuid.UUID) (Record, error) {
	n, err := s.prepare(c, now, nil)
	if err != nil {
		return Record{}, err
	}
	if n.ID == uuid.Nil {
		n.ID = id
		if id == uuid.Nil {
			n.ID = customer.NewID()
		}
	}
	n.Version = 1
	n.CreatedAt = Timestamp(now)
	n.UpdatedAt = n.CreatedAt
	change := &Change{Tenant: tenant, CustomerID: n.ID, At: n.CreatedAt, Actor: actor, Op: OpCreate, Version: 1,
		Fields: logFields(&customer.Customer{}, n)}
	return Record{Tenant: tenant, Customer: n, Keys: n.SearchKeys(), Change: change, Touched: attendance.AllSections}, nil
}

// logFields are the changes between two versions of a customer that the
// change log records: all but the ID, version and times, which the entry
// carries or the store sets.
func logFields(old, new *customer.Customer) []customer.FieldChange {
	all := customer.Changes(old, new)
	out := all[:0] // all is this call's own: filtered in place
	for _, f := range all {
		switch f.Path {
		case "id", "version", "created_at":
			continue
		}
		out = append(out, f)
	}
	return out
}

// Result is the outcome of one customer of a [Store.CreateMany] call.
type Result struct {
	Customer *customer.Customer // the customer as stored, or nil if it failed
	Err      error              // why it failed, with the same errors as Create
}

// CreateMany stores many new customers at once, as a migration from a DMS
// does, and returns one Result per customer, in order. Each customer is
// stored whole or not at all, and one failure does not stop the others;
// two customers of the batch with the same CPF/CNPJ are a duplicate too
// (the first wins). The returned error is non-nil only when nothing could
// be attempted: ErrTenant, ErrClosed or the context's error.
func (s *Store) CreateMany(ctx context.Context, tenant string, cs []*customer.Customer) ([]Result, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return nil, err
	}
	actor, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	all := make([]int, len(cs))
	for i := range all {
		all[i] = i
	}
	created := make([]UpsertResult, len(cs))
	if err := s.createFresh(ctx, tenant, cs, all, created, UpsertOptions{}, actor, nil); err != nil {
		return nil, err
	}
	results := make([]Result, len(cs))
	for i, r := range created {
		results[i] = Result{Customer: r.Customer, Err: r.Err}
	}
	return results, nil
}

// Get returns the tenant's customer with the given ID. The ID of a
// customer merged into another finds the one it was merged into (see
// [Store.Merge]): the customer returned then has another ID, and
// [Store.Redirect] tells when. It returns ErrNotFound (also for a customer
// of another tenant), ErrTenant, ErrClosed, or the context's error. With a
// context of [ReplicaOK] it may read from a replica.
func (s *Store) Get(ctx context.Context, tenant string, id uuid.UUID) (*customer.Customer, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return nil, err
	}
	c, err := s.d.Get(replicaRead(ctx), tenant, id)
	if errors.Is(err, ErrNotFound) {
		return s.follow(ctx, tenant, id)
	}
	if err == nil && s.copies != nil {
		s.copies.put(tenant, c.Clone())
	}
	return c, err
}

// Update saves a changed customer under the store's edit policy (see
// [Store.UpdateWithPolicy]).
func (s *Store) Update(ctx context.Context, tenant string, c *customer.Customer) (*customer.Customer, error) {
	return s.UpdateWithPolicy(ctx, tenant, c, s.policy)
}

// UpdateWithPolicy saves a changed customer if policy allows every change
// it makes to the stored record (see [Store.Save]) and returns the
// customer as stored.
func (s *Store) UpdateWithPolicy(ctx context.Context, tenant string, c *customer.Customer, policy customer.Policy) (*customer.Customer, error) {
	saved, err := s.Save(ctx, tenant, c, policy)
	return saved.Customer, err
}

// Saved is the outcome of [Store.Save]: the customer as stored, and the
// change-log entry the write appended, or nil when nothing changed.
type Saved struct {
	Customer *customer.Customer
	Change   *Change
}

// Save saves a changed customer if policy allows every change it makes to
// the stored record; a nil policy is the store's own (see [Options]), and
// customer.Policies{} locks nothing. c.Version must be the version it was
// read at: if the stored customer has moved on since, it returns
// ErrConflict and changes nothing. So it does when c.CreatedAt, if set, is
// not the stored customer's (c was read before the customer was deleted
// and another created under its ID), unless policy locks the creation
// time: that is ErrLocked. A change to a field the policy locks
// returns an error wrapping ErrLocked and a *customer.ValidationError that
// names every such field (code "field.locked"), and changes nothing.
//
// On success the customer is stored with the next version and UpdatedAt
// set (to the store's clock, or a microsecond after the stored UpdatedAt
// when that clock is behind: it never goes back), and the change log gains
// an entry with the fields that changed,
// which Saved.Change holds. A customer that differs from the stored one in
// nothing (once normalised) is not written: Saved holds the stored
// customer, its version unchanged, and no entry.
//
// It also returns ErrAnonymised for an anonymised record, ErrNotFound, the
// errors of Create for invalid data or a duplicate CPF/CNPJ, ErrActor, ErrTenant, ErrClosed, or the context's
// error.
func (s *Store) Save(ctx context.Context, tenant string, c *customer.Customer, policy customer.Policy) (Saved, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return Saved{}, err
	}
	if c == nil {
		return Saved{}, fmt.Errorf("%w: nil customer", ErrInvalid)
	}
	if c.ID == uuid.Nil {
		return Saved{}, ErrNotFound
	}
	actor, err := s.actor(ctx)
	if err != nil {
		return Saved{}, err
	}
	if policy == nil {
		policy = s.policy
	}
	now := s.now()
	if kept := s.copies.get(tenant, c.ID, c.Version); kept != nil {
		// The copy handed out at c's version: no read. Should the
		// customer have moved on since, or anything else refuse the
		// change, nothing was written, and the change starts over from a
		// fresh read, which says why as the Store always does.
		saved, err := s.save(ctx, tenant, c, policy, actor, now, kept, true)
		if err == nil || !againFresh(err) {
			return saved, err
		}
		s.copies.drop(tenant, c.ID)
	}
	// The stored record is what the change is judged and logged against.
	// The driver's conditional write still catches a change made between
	// this read and the write: versions are never reused, so the record
	// stored at c.Version is the one read here.
	old, err := s.d.Get(ctx, tenant, c.ID)
	if err != nil {
		return Saved{}, err
	}
	return s.save(ctx, tenant, c, policy, actor, now, old, false)
}

// save is Save's work against old, the customer as stored at c's version:
// read now, or kept (by s.copies, when kept is set; see Save).
func (s *Store) save(ctx context.Context, tenant string, c *customer.Customer, policy customer.Policy, actor Actor, now time.Time, old *customer.Customer, kept bool) (Saved, error) {
	if _, done := IsAnonymised(old); done {
		return Saved{}, ErrAnonymised
	}
	if old.Version != c.Version {
		return Saved{}, ErrConflict
	}
	n, err := s.prepare(c, now, old)
	if err != nil {
		return Saved{}, err
	}
	if n.CreatedAt.IsZero() || lostPrecision(n.CreatedAt, old.CreatedAt) {
		// Not sent, or sent back through a client that keeps less
		// precision (a browser's Date keeps milliseconds): not a change.
		n.CreatedAt = old.CreatedAt
	}
	if !isEmpty(policy) {
		if err := customer.CheckPolicy(policy, old, n); err != nil {
			return Saved{}, fmt.Errorf("%w: %w", ErrLocked, err)
		}
	}
	if !n.CreatedAt.Equal(old.CreatedAt) {
		// Nobody changes a creation time: c is a copy of a customer
		// deleted since it was read, whose ID another now holds at the
		// same version.
		return Saved{}, ErrConflict
	}
	fields := logFields(old, n)
	if len(fields) == 0 {
		if kept {
			// Nothing to write, so nothing that would check the kept
			// copy is still the stored one: the fresh read says.
			return Saved{}, errKeptUnchanged
		}
		return Saved{Customer: old}, nil
	}
	n.Version = old.Version + 1
	n.UpdatedAt = updatedAt(now, old.UpdatedAt)
	change := &Change{Tenant: tenant, CustomerID: n.ID, At: n.UpdatedAt, Actor: actor, Op: OpUpdate,
		Version: n.Version, Fields: fields}
	var touched attendance.Section
	for _, f := range fields {
		touched |= attendance.SectionOf(f.Path)
	}
	created, err := s.d.Update(ctx, Record{Tenant: tenant, Customer: n, Keys: n.SearchKeys(), Stored: old, Change: change, Touched: touched}, old.Version)
	if err != nil {
		return Saved{}, err
	}
	n.CreatedAt = created
	s.copies.put(tenant, n)
	return Saved{Customer: n.Clone(), Change: change}, nil
}

// errKeptUnchanged is save's answer, against a kept copy, to a change
// that changes nothing.
var errKeptUnchanged = errors.New("storage: no change to a kept copy")

// againFresh reports whether a save against a kept copy that failed with
// err wrote nothing and might end otherwise against a fresh read: the
// copy may be out of date.
func againFresh(err error) bool {
	var dup *DuplicateTaxIDError
	return errors.Is(err, errKeptUnchanged) || errors.Is(err, ErrConflict) || errors.Is(err, ErrInvalid) ||
		errors.Is(err, ErrLocked) || errors.Is(err, ErrAnonymised) || errors.Is(err, ErrNotFound) || errors.As(err, &dup)
}

var errNilModify = errors.New("storage: Modify needs a function")

// MaxModifyAttempts is how many times [Store.Modify] reads, changes and
// writes a customer before it gives up with [ErrConflict].
const MaxModifyAttempts = 16

// Modify is the read-modify-write every host needs: it reads the
// customer, calls fn on the copy it read, and updates the customer with
// the result under the store's edit policy. When another writer saved the
// customer in between, it reads the customer again and calls fn again on
// the fresh copy, up to [MaxModifyAttempts] times, waiting a little longer
// each time, and then returns ErrConflict. fn must therefore decide from
// the copy it is given, not from what an earlier call saw ("add this
// phone if it is not there", not "set the list to what I read plus one").
//
// fn cannot change the customer's ID or version; Modify restores them (a
// change of CreatedAt is a locked field's, ErrLocked). An error from fn
// stops Modify, which returns it unchanged and writes nothing; so does a
// panic in fn, which reaches the caller. When fn changes nothing, nothing
// is written and the customer is returned as read. Other errors are
// Update's: ErrInvalid, ErrLocked, a *DuplicateTaxIDError, ErrNotFound,
// ErrTenant, ErrClosed, the context's.
func (s *Store) Modify(ctx context.Context, tenant string, id uuid.UUID, fn func(c *customer.Customer) error) (*customer.Customer, error) {
	if fn == nil {
		return nil, errNilModify
	}
	for attempt := 0; ; attempt++ {
		// The read of a write: from the primary, whatever ctx allows.
		cur, err := s.Get(ReplicaOK(ctx, 0), tenant, id)
		if err != nil {
			return nil, err
		}
		next := cur.Clone()
		if err := fn(next); err != nil {
			return nil, err
		}
		next.ID, next.Version = cur.ID, cur.Version
		if next.CreatedAt.IsZero() {
			next.CreatedAt = cur.CreatedAt // unset, as Save takes it
		}
		if err := customer.CheckPolicy(customer.Immutable, cur, next); err != nil {
			// Whatever the policy: fn moved the creation time, which no
			// read again would undo (Save takes it for a stale copy).
			return nil, fmt.Errorf("%w: %w", ErrLocked, err)
		}
		if len(customer.Diff(cur, next)) == 0 {
			return cur, nil
		}
		saved, err := s.Update(ctx, tenant, next)
		if !errors.Is(err, ErrConflict) || attempt+1 >= MaxModifyAttempts {
			return saved, err
		}
		// Back off with jitter, so that writers that collided do not
		// collide again in step.
		wait := time.Duration(1+attempt) * time.Duration(1+mrand.IntN(4)) * time.Millisecond
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
	}
}

// Delete removes the tenant's customer with the given ID, if its stored
// version is still version, and appends to the change log an entry with
// every field it held (the entries before it remain: a deleted customer's
// history can still be read). Its attendances, agenda items and consent
// ledger go with it; the suppression list keeps its opt-outs. To keep the
// history and the proof of consent without the person, anonymise instead
// (Store.Anonymise). It returns ErrNotFound, ErrConflict,
// ErrActor, ErrTenant, ErrClosed, or the context's error.
func (s *Store) Delete(ctx context.Context, tenant string, id uuid.UUID, version int64) error {
	return s.DeleteCreated(ctx, tenant, id, version, time.Time{})
}

// DeleteCreated is Delete for the customer created at created (when not
// zero): a customer deleted and another created under its ID starts again
// at version 1, and a version alone, read from the first, names the
// second. The deletion is then refused with ErrConflict. A host whose
// copies carry their creation time (an HTTP API's entity tags) deletes
// with it. Under a clock that stands still (Options.Now), two customers
// may share a creation time.
func (s *Store) DeleteCreated(ctx context.Context, tenant string, id uuid.UUID, version int64, created time.Time) error {
	if err := s.begin(ctx, tenant); err != nil {
		return err
	}
	actor, err := s.actor(ctx)
	if err != nil {
		return err
	}
	old, err := s.d.Get(ctx, tenant, id)
	if err != nil {
		return err
	}
	if old.Version != version || !created.IsZero() && !old.CreatedAt.Equal(created) {
		return ErrConflict
	}
	change := &Change{Tenant: tenant, CustomerID: id, At: Timestamp(s.now()), Actor: actor, Op: OpDelete,
		Version: version, Fields: logFields(old, &customer.Customer{})}
	s.copies.drop(tenant, id)
	// The driver deletes the customer read here, not one created under
	// the ID since, whose entry this would not be.
	return s.d.Delete(ctx, tenant, id, version, old.CreatedAt, change)
}

// Count returns how many customers the tenant has. It returns ErrTenant,
// ErrClosed, or the context's error.
func (s *Store) Count(ctx context.Context, tenant string) (int64, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return 0, err
	}
	return s.d.Count(ctx, tenant)
}

// Page limits of [Store.Search].
const (
	DefaultLimit = 20
	MaxLimit     = 200
)

// SearchOptions page a search. A nil *SearchOptions asks for the first
// page of DefaultLimit results.
type SearchOptions struct {
	Limit  int    // results per page: DefaultLimit when 0, at most MaxLimit
	Cursor string // Page.Next of the previous page; empty for the first
}

// Page is one page of search results.
type Page struct {
	Hits []Hit `json:"hits"`
	// Next is the cursor of the following page, or empty on the last page.
	Next string `json:"next,omitempty"`
	// Incomplete is set when the search stopped at its budget (see
	// Options.SearchBudget) before it filled the page: more customers
	// may match after these, and Next goes on from where it stopped. The
	// words typed are common and rarely together; typing more of them
	// narrows the search.
	Incomplete bool `json:"incomplete,omitempty"`
}

// Search finds the tenant's customers that match every filter of q (see
// [customer.Query]), one page at a time, in the order an attendant most
// likely wants (see [SearchPosition]): customers that have every typed word
// whole before those that only have words that start with it, then the
// most recently attended or updated first. Paging with Next neither skips
// nor repeats a customer when others are created meanwhile; a customer
// attended or updated between two pages moves to the front, and may be
// missed by the pages after, and one renamed so that a typed word it had
// whole now only starts one of its words may come again on a later page
// (a client that shows pages one under another drops an ID it has shown).
// A search reads a bounded part of the index
// (Options.SearchBudget): when that is not enough to fill a page, the page
// is Incomplete. An empty query is an error (customer.ErrEmptyQuery), not
// a full scan, and so is one of more than customer.MaxQueryTerms terms in
// all (customer.ErrQueryTerms; test both with errors.Is); a malformed
// filter returns the query's *customer.ValidationError. Also ErrCursor, ErrTenant, ErrClosed, or the
// context's error. With a context of [ReplicaOK] it may read from a
// replica.
func (s *Store) Search(ctx context.Context, tenant string, q customer.Query, opts *SearchOptions) (*Page, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return nil, err
	}
	terms, err := q.Terms()
	if err != nil {
		return nil, err
	}
	limit := DefaultLimit
	var after *SearchPosition
	if opts != nil {
		if opts.Limit < 0 {
			return nil, ErrLimit
		}
		if opts.Limit > 0 {
			limit = min(opts.Limit, MaxLimit)
		}
		if opts.Cursor != "" {
			p, err := s.decodeCursor(opts.Cursor, tenant, terms)
			if err != nil {
				return nil, err
			}
			after = &p
		}
	}
	res, err := s.d.Search(replicaRead(ctx), SearchRequest{Tenant: tenant, Terms: terms, After: after, Limit: limit + 1, Budget: max(s.budget, limit+1)})
	if err != nil {
		return nil, err
	}
	hits := make([]Hit, len(res.Found))
	for i, f := range res.Found {
		hits[i] = Hit{Summary: f.Summary, Matched: customer.Matched(f.Keys, terms)}
	}
	p := &Page{Hits: hits}
	switch {
	case len(hits) > limit:
		p.Hits = hits[:limit]
		p.Next = s.encodeCursor(SearchPositionOf(res.Found[limit-1], terms), tenant, terms)
	case res.Stopped != nil:
		p.Incomplete = true
		p.Next = s.encodeCursor(*res.Stopped, tenant, terms)
	}
	return p, nil
}

// A cursor is "c3." and the base64 (URL alphabet, unpadded) of a
// SearchPosition (its tier, its rank as 8 big-endian bytes, its ID) and a
// 16-byte HMAC-SHA256 tag of that position, the tenant and the query's
// terms under the store's cursor key.
const (
	cursorPrefix = "c3."
	cursorTag    = 16
	cursorPos    = 1 + 8 + 16
)

func (s *Store) cursorMAC(pos []byte, tenant string, terms []customer.Term) []byte {
	m := hmac.New(sha256.New, s.cursorKey)
	m.Write(pos)
	m.Write([]byte(tenant))
	for _, t := range terms {
		// Fields and prefixes are one byte each; values hold no NUL
		// (query text is folded into letters and digits or parsed into
		// identifiers), so NUL ends each value unambiguously.
		m.Write([]byte{0, byte(t.Field), boolByte(t.Prefix)})
		m.Write([]byte(t.Value))
	}
	return m.Sum(nil)[:cursorTag]
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}

func (s *Store) encodeCursor(p SearchPosition, tenant string, terms []customer.Term) string {
	b := make([]byte, 0, cursorPos+cursorTag)
	b = append(b, p.Tier)
	b = binary.BigEndian.AppendUint64(b, uint64(p.Rank))
	b = append(b, p.ID[:]...)
	b = append(b, s.cursorMAC(b, tenant, terms)...)
	return cursorPrefix + base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor returns the position a cursor resumes after, or ErrCursor
// if it is malformed, forged, or was issued for another tenant or query.
func (s *Store) decodeCursor(c, tenant string, terms []customer.Term) (SearchPosition, error) {
	if len(c) != len(cursorPrefix)+base64.RawURLEncoding.EncodedLen(cursorPos+cursorTag) || c[:len(cursorPrefix)] != cursorPrefix {
		return SearchPosition{}, ErrCursor
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(c[len(cursorPrefix):])
	if err != nil || len(b) != cursorPos+cursorTag {
		return SearchPosition{}, ErrCursor
	}
	if !hmac.Equal(b[cursorPos:], s.cursorMAC(b[:cursorPos], tenant, terms)) {
		return SearchPosition{}, ErrCursor
	}
	return SearchPosition{Tier: b[0], Rank: int64(binary.BigEndian.Uint64(b[1:9])), ID: uuid.UUID(b[9:cursorPos])}, nil
}

// isEmpty reports whether p is a combination of no policies, which locks
// nothing.
func isEmpty(p customer.Policy) bool {
	ps, ok := p.(customer.Policies)
	return ok && len(ps) == 0
}

// lostPrecision reports whether sent is stored truncated to the
// millisecond or the second, as a client that keeps less precision sends
// it back.
func lostPrecision(sent, stored time.Time) bool {
	for _, p := range [...]time.Duration{time.Millisecond, time.Second} {
		if sent.Equal(stored.Truncate(p)) {
			return true
		}
	}
	return false
}
