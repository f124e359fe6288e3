package storage

import (
	"bytes"
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/agenda"
	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
)

// Record is what a [Driver] persists: one tenant's customer, already
// validated and normalised by the [Store], with the search keys the domain
// computed for it. Drivers store keys as they are and never normalise text.
type Record struct {
	Tenant   string
	Customer *customer.Customer
	Keys     []customer.Key
	// Stored, in an update, is the customer as stored at the version the
	// update expects, as the Store read it (nil when unknown). A driver
	// may write only what differs from it: versions are never reused, so
	// when the expected version matches, and the stored creation time is
	// Stored's, Stored is what the store holds. (A customer deleted and
	// another created under its ID starts again at version 1: with Stored
	// set, the driver refuses the update with ErrConflict when the
	// creation times differ.)
	// With Stored set, Change.Fields lists every field of Customer that
	// differs from it (customer.Changes, without the ID, version and
	// creation time).
	Stored *customer.Customer
	// Touched are the sections of the record the write changed, which
	// become fresh as of Customer.UpdatedAt, in the write's transaction.
	Touched attendance.Section
	// Change is the change-log entry the write appends, in its own
	// transaction. The driver numbers it: it sets Seq to the tenant's
	// next sequence number, taken as late as it can before the commit,
	// so that the tenant's entries commit in sequence order.
	Change *Change
}

// Summary is what a row of a list or of search results shows of a
// customer, so that neither needs a read per row: who it is, how to reach
// it, where it is, and how fresh the record is. [SummaryOf] computes it.
type Summary struct {
	ID        uuid.UUID       `json:"id"`
	Kind      customer.Kind   `json:"kind"`
	Status    customer.Status `json:"status"`
	Name      string          `json:"name"`
	TradeName string          `json:"trade_name,omitempty"`
	TaxID     customer.TaxID  `json:"tax_id"`         // TaxID.Format() is the form shown
	Phone     contact.Phone   `json:"phone"`          // the first of the customer's phones
	Plate     asset.Plate     `json:"plate"`          // the plate of the first asset that has one
	City      string          `json:"city,omitempty"` // of the first address
	UF        address.UF      `json:"uf"`             // of the first address
	Version   int64           `json:"version"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
	// LastAttendance is the time of the customer's latest attendance;
	// zero when it has none. SummaryOf leaves it zero: the store fills it.
	LastAttendance time.Time `json:"last_attendance,omitzero"`
}

// SummaryOf returns the summary of c: the one definition every adapter
// stores or computes.
func SummaryOf(c *customer.Customer) Summary {
	s := Summary{ID: c.ID, Kind: c.Kind, Status: c.Status, Name: c.Name, TradeName: c.TradeName, TaxID: c.TaxID,
		Version: c.Version, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
	if len(c.Phones) > 0 {
		s.Phone = c.Phones[0]
	}
	for _, a := range c.Assets {
		if !a.Plate.IsZero() {
			s.Plate = a.Plate
			break
		}
	}
	if len(c.Addresses) > 0 {
		s.City, s.UF = c.Addresses[0].City, c.Addresses[0].UF
	}
	return s
}

// Hit is one search result: the customer's summary and the keys of the
// customer that satisfied the query's terms.
type Hit struct {
	Summary
	Matched []customer.Key `json:"matched"`
}

// SearchRequest is a search a [Driver] runs: see Driver.Search.
type SearchRequest struct {
	Tenant string
	Terms  []customer.Term // sorted, as customer.Query.Terms returns them
	After  *SearchPosition // nil for the first page
	Limit  int
	Budget int // index entries a walk may read; at least Limit
}

// SearchResult is what Driver.Search found.
type SearchResult struct {
	Found []Found
	// Stopped is where the driver stopped reading, having read its
	// budget before it found Limit customers; nil when it did not stop
	// early. Every customer before Stopped that matches is in Found.
	Stopped *SearchPosition
}

// SearchPosition is a place in the order of search results, which is the order
// an attendant most likely wants: customers that have every typed word as
// a whole word (Tier 0) before those that match some word only by its
// beginning (Tier 1); within a tier, the most recent activity first (Rank:
// see [Rank]); then the greater ID first.
type SearchPosition struct {
	Tier uint8
	Rank int64
	ID   uuid.UUID
}

// Before reports whether p comes before q in search order.
func (p SearchPosition) Before(q SearchPosition) bool {
	switch {
	case p.Tier != q.Tier:
		return p.Tier < q.Tier
	case p.Rank != q.Rank:
		return p.Rank > q.Rank
	}
	return bytes.Compare(p.ID[:], q.ID[:]) > 0
}

// Rank is a customer's activity as searches order it: the later of its
// last update and its latest attendance, in microseconds since 1970 UTC.
func Rank(updated, lastAttendance time.Time) int64 {
	if lastAttendance.After(updated) {
		updated = lastAttendance
	}
	return updated.UnixMicro()
}

// PositionOf returns where a customer found by terms stands in search
// order: its Summary's times and its keys of the searched fields decide.
func SearchPositionOf(f Found, terms []customer.Term) SearchPosition {
	p := SearchPosition{Tier: 1, Rank: Rank(f.UpdatedAt, f.LastAttendance), ID: f.ID}
	if customer.MatchesWhole(f.Keys, terms) {
		p.Tier = 0
	}
	return p
}

// Found is a customer a [Driver]'s search found: its summary and its
// search keys, at least those of the fields the terms search. The [Store]
// works out from them which keys matched; drivers do not.
type Found struct {
	Summary
	Keys []customer.Key
}

// Driver is what an adapter implements: it only persists and looks up.
// Validation, IDs, versions, timestamps, search keys, query parsing and
// tenant checks happen once in [Store], above every driver.
//
// Every method must honour ctx, be safe for concurrent use, and confine
// itself to the tenant it is given. Errors are the package's sentinels (or
// [*DuplicateTaxIDError]) where the documentation names one, and wrap the
// database's error otherwise.
type Driver interface {
	// Insert stores a new customer, its keys and its change-log entry
	// atomically. It returns a
	// *DuplicateTaxIDError if another customer of the tenant holds the tax
	// ID, and ErrExists if a customer of the tenant has the ID or had it
	// before it was merged into another (see Dedupe.Redirect). IDs are
	// unique within a tenant only: another tenant's customer with the same
	// ID is no conflict.
	Insert(ctx context.Context, rec Record) error

	// InsertMany stores each record atomically and independently of the
	// others, as Insert would, and returns one error (or nil) per record.
	// Records may be written in batches; a record that fails leaves nothing
	// behind, and does not stop the others.
	InsertMany(ctx context.Context, recs []Record) []error

	// Get returns a copy of the customer, or ErrNotFound.
	Get(ctx context.Context, tenant string, id uuid.UUID) (*customer.Customer, error)

	// Update replaces the whole stored aggregate and its keys with rec, and
	// appends its change-log entry, if the stored version equals expect,
	// and returns the stored creation time. It returns ErrNotFound if
	// there is no such customer, ErrConflict if the version differs (or,
	// with rec.Stored set, the creation time), and a *DuplicateTaxIDError
	// as Insert does.
	Update(ctx context.Context, rec Record, expect int64) (createdAt time.Time, err error)

	// Delete removes the customer and everything it holds and appends
	// change, numbered as Insert numbers it, if the stored version equals
	// expect and, when created is not zero, the stored creation time
	// equals created (a customer deleted and another created under its ID
	// starts again at version 1). It returns ErrNotFound or ErrConflict.
	// The customer's change-log entries remain.
	Delete(ctx context.Context, tenant string, id uuid.UUID, expect int64, created time.Time, change *Change) error

	// History returns up to limit change-log entries of the customer with
	// sequence numbers below before, newest first.
	History(ctx context.Context, tenant string, id uuid.UUID, before int64, limit int) ([]Change, error)

	// Changes returns up to limit change-log entries of the tenant with
	// sequence numbers above after, in sequence order. Once it has
	// returned an entry, no entry with a lower number can appear.
	Changes(ctx context.Context, tenant string, after int64, limit int) ([]Change, error)

	// Search returns up to req.Limit customers of req.Tenant whose keys
	// satisfy every term (see customer.MatchesAll), in search order (see
	// SearchPosition) and after req.After when it is set, each with its keys of
	// the searched fields. A driver that walks an index of words may read
	// at most req.Budget of its entries, and one that orders the holders of
	// an identifier at most req.Budget of them (more, and it walks the
	// customers by recency instead); when it stops there before it has
	// found req.Limit customers, it returns the SearchPosition it reached in
	// SearchResult.Stopped, from which a later search goes on.
	Search(ctx context.Context, req SearchRequest) (SearchResult, error)

	// List returns up to limit summaries of the tenant's customers that
	// pass every filter of f, in f's order, after f.After when it is set.
	// Times compare as stored: UTC, to the microsecond.
	List(ctx context.Context, tenant string, f ListFilter, limit int) ([]Summary, error)

	// ReadPage returns up to limit whole customers of the tenant with IDs
	// greater than after (uuid.Nil: from the first), in ascending ID order.
	ReadPage(ctx context.Context, tenant string, after uuid.UUID, limit int) ([]*customer.Customer, error)

	// InsertAttendance stores an attendance and, in the same transaction,
	// makes a.Confirmed fresh as of a.At where that is later, and a.At the
	// customer's last attendance where it is later, and appends change to
	// the log, numbered as a Record's. It returns ErrNotFound when
	// the tenant has no customer a.CustomerID, ErrExists when the tenant
	// has an attendance with a.ID, and ErrAnonymised, writing nothing,
	// when the customer is anonymised: a check made in the transaction
	// once the customer's row is locked, so that an anonymisation beside
	// the attendance either comes after it (and clears it) or is seen.
	InsertAttendance(ctx context.Context, tenant string, a *attendance.Attendance, change *Change) error

	// Attendances returns up to limit attendances of the customer, newest
	// first (by time, then ID), strictly before the position when it is
	// set (Position.UpdatedAt is the attendance's time).
	Attendances(ctx context.Context, tenant string, customerID uuid.UUID, before *Position, limit int) ([]attendance.Attendance, error)

	// Freshness returns the customer's freshness, or ErrNotFound.
	Freshness(ctx context.Context, tenant string, customerID uuid.UUID) (attendance.Freshness, error)

	// Stale returns up to limit customers whose section was last fresh
	// before cutoff, stalest first (by that time, then ID), strictly after
	// the position when it is set (Position.UpdatedAt is the section's
	// time).
	Stale(ctx context.Context, tenant string, section attendance.Section, cutoff time.Time, after *Position, limit int) ([]StaleRow, error)

	// InsertItem stores a new agenda item and appends change to the log.
	// It returns ErrNotFound when the tenant has no customer
	// it.CustomerID, ErrExists for an ID the tenant's agenda has, and
	// ErrAnonymised, writing nothing, when the customer is anonymised (as
	// InsertAttendance: checked in the transaction, the customer's row
	// locked against an anonymisation beside it).
	InsertItem(ctx context.Context, tenant string, it *agenda.Item, change *Change) error

	// GetItem returns a copy of an agenda item, or ErrNotFound.
	GetItem(ctx context.Context, tenant string, id uuid.UUID) (*agenda.Item, error)

	// UpdateItem replaces an agenda item if its stored version equals
	// expect, and appends change to the log: ErrNotFound, ErrConflict.
	UpdateItem(ctx context.Context, tenant string, it *agenda.Item, expect int64, change *Change) error

	// Items returns up to limit agenda items that pass f, by due time then
	// ID, after f.After when it is set.
	Items(ctx context.Context, tenant string, f ItemFilter, limit int) ([]agenda.Item, error)

	// HasAttendance reports whether the tenant recorded the attendance for
	// the customer.
	HasAttendance(ctx context.Context, tenant string, customerID, id uuid.UUID) (bool, error)

	// Birthdays returns up to limit birthdays whose month-day lies in r
	// (r.Year unused), ordered by CompareBirthdays, strictly after the
	// position when it is set; Birthday.On is left for the Store.
	Birthdays(ctx context.Context, tenant string, r MDRange, after *BirthdayPosition, limit int) ([]Birthday, error)

	// CountBy returns the number of the tenant's customers by status and
	// kind: [status][kind].
	CountBy(ctx context.Context, tenant string) ([3][3]int64, error)

	// Count returns the number of the tenant's customers.
	Count(ctx context.Context, tenant string) (int64, error)

	Consenter
	Privacy
	Dedupe

	// Close releases the driver's resources.
	Close() error
}
