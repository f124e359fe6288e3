package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/dedupe"
)

// Dedupe is the part of a [Driver] that merges duplicates and finds the
// candidates. Every adapter implements it.
type Dedupe interface {
	// Merge merges m.From into m.Record's customer in one transaction,
	// with both locked against other writes from the start,
	// if their stored versions are m.FromExpect and m.Expect: it moves
	// From's attendances, agenda items, consent ledger entries and
	// requests of the register to the survivor; makes each section of the
	// survivor as fresh as the fresher of the two, and its last attendance
	// the later; deletes From with its sub-records and search keys;
	// replaces the survivor with m.Record as Update does; makes the
	// survivor's standing consent states those [Standing] derives from its
	// united ledger; records that From redirects to the survivor, and
	// makes every redirect to From point to the survivor; and appends
	// m.Record.Change, then m.FromChange. It returns ErrNotFound when
	// either customer is missing, ErrConflict when either version differs,
	// and a *DuplicateTaxIDError as Update does; on any error nothing
	// changes.
	Merge(ctx context.Context, m *Merging) error

	// Redirect returns where the tenant's merged customer id went, or
	// ErrNotFound when id was never merged.
	Redirect(ctx context.Context, tenant string, id uuid.UUID) (Redirect, error)

	// Redirects returns, for those of ids that were merged, where each
	// went.
	Redirects(ctx context.Context, tenant string, ids []uuid.UUID) (map[uuid.UUID]uuid.UUID, error)

	// Merged returns the IDs of the tenant's customers that were merged
	// into id, directly or through others, in no particular order.
	Merged(ctx context.Context, tenant string, id uuid.UUID) ([]uuid.UUID, error)

	// Customers returns the tenant's customers with the given IDs, whole,
	// read from one snapshot; an ID the tenant does not have is left out.
	Customers(ctx context.Context, tenant string, ids []uuid.UUID) (map[uuid.UUID]*customer.Customer, error)

	// Holders returns, for each of keys, the IDs of up to limit of the
	// tenant's customers that hold the key exactly, in ascending ID order
	// within a key; a key held by more than limit customers yields
	// limit+1 holders, so that the caller knows there are more.
	Holders(ctx context.Context, tenant string, keys []customer.Key, limit int) ([]Holder, error)
}

// Holder is a customer that holds a search key.
type Holder struct {
	Key customer.Key
	ID  uuid.UUID
}

// Merging is what [Driver.Merge] writes.
type Merging struct {
	// Record is the survivor after the merge, with its keys and its
	// change-log entry (OpMerge).
	Record Record
	// Expect is the survivor's stored version.
	Expect int64
	// From is the customer merged into the survivor, and FromExpect its
	// stored version.
	From       uuid.UUID
	FromExpect int64
	// FromChange is the entry that closes From's history (OpMerged).
	FromChange *Change
}

// Redirect records that a customer was merged into another.
type Redirect struct {
	From uuid.UUID `json:"from"` // the customer that was merged, and is no more
	To   uuid.UUID `json:"to"`   // the customer it lives on in
	At   time.Time `json:"at"`   // when it was merged
}

// MergeRequest names the two records of a merge, the versions the caller
// saw of each, and the values it chose.
type MergeRequest struct {
	// Into is the record that survives (A); From is merged into it and
	// goes (B).
	Into, From uuid.UUID
	// IntoVersion and FromVersion are the versions the caller saw: a merge
	// against a stale copy of either fails with ErrConflict.
	IntoVersion, FromVersion int64
	// Choices picks, field by field, the value that survives; the rest
	// follow the default rule of [dedupe.Merge].
	Choices dedupe.Choices
}

// Merged is the outcome of a merge.
type Merged struct {
	Customer *customer.Customer `json:"customer"` // the survivor, as stored
	Change   *Change            `json:"change"`   // the survivor's change-log entry: every field the merge changed
}

// ErrMerge is wrapped by the errors of a merge the rules refuse (records
// of different kinds, a record merged into itself, a choice of an unknown
// field), together with the *validation.Error that says which.
var ErrMerge = errors.New("storage: these records cannot be merged")

// PreviewMerge returns what [Store.Merge] would store, and the fields of
// the survivor it would change, without writing anything: what the desk
// shows before the attendant confirms. It returns the errors of Merge.
func (s *Store) PreviewMerge(ctx context.Context, tenant string, m MergeRequest) (*customer.Customer, []customer.FieldChange, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return nil, nil, err
	}
	p, err := s.planMerge(ctx, tenant, m)
	if err != nil {
		return nil, nil, err
	}
	return p.merged, logFields(p.into, p.merged), nil
}

// Merge merges the customer m.From (B) into m.Into (A), in one
// transaction: A takes the values m.Choices picks, and the default rule's
// for the rest (see [dedupe.Merge]); A gains B's sub-records that it does
// not hold already, B's attendances, agenda items, consent statements and
// requests of the data subject's register; B and its search keys go. B's
// ID then redirects to A: [Store.Get] of B returns A (whose ID says it
// was merged), and [Store.Redirect] tells when. A's change-log entry
// (OpMerge, with B's ID as its Item) holds every field of A that changed;
// B's history ends with an entry (OpMerged, with A's ID as its Item) that
// holds every field B held, as a deletion's does.
//
// A merge cannot be undone. Both versions are checked: a merge against a
// stale copy of either returns ErrConflict and changes nothing. It returns
// ErrNotFound when either is missing (a B merged before included),
// ErrAnonymised when either was anonymised, an error wrapping ErrMerge for
// a merge the rules refuse, the errors of Update for a merged record that
// is not valid (united lists too long, say) or whose CPF/CNPJ another
// customer holds, ErrActor, ErrTenant, ErrClosed or the context's error.
func (s *Store) Merge(ctx context.Context, tenant string, m MergeRequest) (*Merged, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return nil, err
	}
	actor, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.planMerge(ctx, tenant, m)
	if err != nil {
		return nil, err
	}
	n := p.merged
	n.Version = p.into.Version + 1
	n.UpdatedAt = updatedAt(s.now(), p.into.UpdatedAt)
	now := n.UpdatedAt
	fields := logFields(p.into, n)
	change := &Change{Tenant: tenant, CustomerID: n.ID, At: now, Actor: actor, Op: OpMerge, Version: n.Version,
		Item: p.from.ID, Fields: fields}
	gone := &Change{Tenant: tenant, CustomerID: p.from.ID, At: now, Actor: actor, Op: OpMerged, Version: p.from.Version,
		Item: n.ID, Fields: logFields(p.from, &customer.Customer{})}
	var touched attendance.Section
	for _, f := range fields {
		touched |= attendance.SectionOf(f.Path)
	}
	err = s.d.Merge(ctx, &Merging{
		Record: Record{Tenant: tenant, Customer: n, Keys: n.SearchKeys(), Change: change, Touched: touched},
		Expect: p.into.Version, From: p.from.ID, FromExpect: p.from.Version, FromChange: gone,
	})
	s.copies.drop(tenant, p.into.ID)
	s.copies.drop(tenant, p.from.ID)
	if err != nil {
		return nil, err
	}
	n.CreatedAt = p.into.CreatedAt
	return &Merged{Customer: n.Clone(), Change: change}, nil
}

// mergePlan is a merge worked out from the stored records.
type mergePlan struct {
	into, from, merged *customer.Customer
}

// planMerge reads both records and their freshness, checks them against
// the request, and merges them as the rules say.
func (s *Store) planMerge(ctx context.Context, tenant string, m MergeRequest) (*mergePlan, error) {
	if m.Into == uuid.Nil || m.From == uuid.Nil {
		return nil, ErrNotFound
	}
	recs, err := s.d.Customers(ctx, tenant, []uuid.UUID{m.Into, m.From})
	if err != nil {
		return nil, err
	}
	into, from := recs[m.Into], recs[m.From]
	if into == nil || from == nil {
		return nil, ErrNotFound
	}
	for _, c := range [...]*customer.Customer{into, from} {
		if _, done := IsAnonymised(c); done {
			return nil, ErrAnonymised
		}
	}
	if into.Version != m.IntoVersion || from.Version != m.FromVersion {
		return nil, ErrConflict
	}
	fi, err := s.d.Freshness(ctx, tenant, m.Into)
	if err != nil {
		return nil, err
	}
	ff, err := s.d.Freshness(ctx, tenant, m.From)
	if err != nil {
		return nil, err
	}
	merged, err := dedupe.Merge(dedupe.Input{Customer: into, Freshness: fi}, dedupe.Input{Customer: from, Freshness: ff}, m.Choices)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMerge, err)
	}
	// What either record holds was judged when it was typed.
	n, err := s.prepare(merged, s.now(), into, from)
	if err != nil {
		return nil, err
	}
	n.ID, n.Version, n.CreatedAt, n.UpdatedAt = into.ID, into.Version, into.CreatedAt, into.UpdatedAt
	return &mergePlan{into: into, from: from, merged: n}, nil
}

// Redirect returns where the tenant's customer id went when it was
// merged, or ErrNotFound when it was not (a customer that exists, or an
// unknown ID). It returns ErrTenant, ErrClosed or the context's error.
func (s *Store) Redirect(ctx context.Context, tenant string, id uuid.UUID) (Redirect, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return Redirect{}, err
	}
	return s.d.Redirect(ctx, tenant, id)
}

// follow returns the customer a merged id lives on in, for Get.
func (s *Store) follow(ctx context.Context, tenant string, id uuid.UUID) (*customer.Customer, error) {
	r, err := s.d.Redirect(ctx, tenant, id)
	if err != nil {
		return nil, err
	}
	return s.d.Get(ctx, tenant, r.To)
}
