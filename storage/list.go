package storage

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/customer"
)

// Order is the order of a list.
type Order uint8

// The orders a list can take.
const (
	// NewestFirst lists the most recently updated customers first: the
	// list screen.
	NewestFirst Order = iota
	// OldestFirst lists by update time, oldest first: what a sync job
	// reads "updated since" its last run.
	OldestFirst
	// ByName lists by customer.Customer.SortName, accents and case aside.
	ByName
)

// ListOptions filter and order [Store.List]. A nil *ListOptions lists
// every customer, newest first, DefaultLimit at a time. Time bounds are
// inclusive below and exclusive above; zero means unbounded.
type ListOptions struct {
	Status        customer.Status // 0: any
	Kind          customer.Kind   // 0: any
	UpdatedSince  time.Time
	UpdatedBefore time.Time
	CreatedSince  time.Time
	CreatedBefore time.Time
	Order         Order
	Limit         int    // DefaultLimit when 0, at most MaxLimit
	Cursor        string // Page.Next of the previous page of the same list
}

// ListFilter is what a [Driver] lists: the filters of [ListOptions] and
// the position to continue after.
type ListFilter struct {
	Status                      customer.Status
	Kind                        customer.Kind
	UpdatedSince, UpdatedBefore time.Time
	CreatedSince, CreatedBefore time.Time
	Order                       Order
	// After, when set, is the last row of the previous page: the list
	// continues strictly after it in the list's order (update time or
	// sort name, then ID, ascending or descending alike).
	After *Position
}

// Position is a place in a list: the sort key of its last row.
type Position struct {
	UpdatedAt time.Time
	SortName  string
	ID        uuid.UUID
}

// ListPage is one page of a list.
type ListPage struct {
	Items []Summary `json:"items"`
	// Next is the cursor of the following page; empty on the last.
	Next string `json:"next,omitempty"`
}

// ErrOrder is returned by List for an order it does not know.
var ErrOrder = errors.New("storage: unknown list order")

// List returns a page of the tenant's customers that pass every filter
// of opts, in its order, each as the summary a list row shows. The next
// page is the call with Cursor set to Page.Next; a cursor works only for
// the tenant and filters that produced it.
//
// Paging is by position, not by offset: a customer that stays as it is
// while the list is paged is listed exactly once, whatever is created,
// changed or deleted meanwhile. A customer that changes while the list is
// paged moves: OldestFirst lists it again at its new place (a sync job
// sees the new version; it never misses one), NewestFirst does not list
// it again if its new place is before the page already read, and ByName
// moves it only when its name changes. It returns ErrLimit, ErrCursor,
// ErrOrder, ErrTenant, ErrClosed or the context's error. With a context
// of [ReplicaOK] it may read from a replica.
func (s *Store) List(ctx context.Context, tenant string, opts *ListOptions) (*ListPage, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return nil, err
	}
	var o ListOptions
	if opts != nil {
		o = *opts
	}
	if o.Order > ByName {
		return nil, ErrOrder
	}
	if err := checkFilter(o.Status.IsValid() || o.Status == 0, o.Kind.IsValid() || o.Kind == 0,
		o.UpdatedSince, o.UpdatedBefore, o.CreatedSince, o.CreatedBefore); err != nil {
		return nil, err
	}
	f := ListFilter{Status: o.Status, Kind: o.Kind, Order: o.Order,
		UpdatedSince: bound(o.UpdatedSince), UpdatedBefore: bound(o.UpdatedBefore),
		CreatedSince: bound(o.CreatedSince), CreatedBefore: bound(o.CreatedBefore)}
	scope := []byte{byte(f.Status), byte(f.Kind), byte(f.Order)}
	for _, t := range []time.Time{f.UpdatedSince, f.UpdatedBefore, f.CreatedSince, f.CreatedBefore} {
		scope = binary.BigEndian.AppendUint64(scope, uint64(micros(t)))
	}
	items, next, err := page(s, "list", tenant, scope, o.Limit, o.Cursor,
		func(after *Position, n int) ([]Summary, error) {
			f.After = after
			return s.d.List(replicaRead(ctx), tenant, f, n)
		},
		func(sum Summary) Position {
			p := Position{UpdatedAt: sum.UpdatedAt, ID: sum.ID}
			if f.Order == ByName {
				p.SortName = (&customer.Customer{Name: sum.Name}).SortName()
			}
			return p
		})
	if err != nil {
		return nil, err
	}
	return &ListPage{Items: items, Next: next}, nil
}

// errFilter explains an ErrInvalid of a filter.
var errFilter = errors.New("a filter names no status, kind or section there is, or a time outside the years 1900 to 9999")

// errBounds is a range of times whose start is after its end.
var errBounds = errors.New("the range starts after it ends")

// checkFilter returns ErrInvalid when an enum of a filter is unknown (ok
// false) or a time bound is set outside attendance.InRange.
func checkFilter(ok, ok2 bool, times ...time.Time) error {
	if !ok || !ok2 {
		return fmt.Errorf("%w: %w", ErrInvalid, errFilter)
	}
	for _, t := range times {
		if !t.IsZero() && !attendance.InRange(t) {
			return fmt.Errorf("%w: %w", ErrInvalid, errFilter)
		}
	}
	return nil
}

// bound is a time bound as the store compares it: UTC, to the microsecond.
func bound(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return Timestamp(t)
}

// micros is t in microseconds since the Unix epoch; 0 for the zero time.
func micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

// Counts are a tenant's customers by status and kind.
type Counts struct {
	Total       int64 `json:"total"`
	Prospects   int64 `json:"prospects"`
	Customers   int64 `json:"customers"`
	Individuals int64 `json:"individuals"`
	Companies   int64 `json:"companies"`
	// ByStatusKind holds each combination: [status][kind], indexed by the
	// customer.Status and customer.Kind values.
	ByStatusKind [3][3]int64 `json:"-"`
}

// Counts returns how many customers the tenant has, by status and kind.
// It returns ErrTenant, ErrClosed or the context's error.
func (s *Store) Counts(ctx context.Context, tenant string) (Counts, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return Counts{}, err
	}
	by, err := s.d.CountBy(ctx, tenant)
	if err != nil {
		return Counts{}, err
	}
	c := Counts{ByStatusKind: by}
	for st := range by {
		for k, n := range by[st] {
			c.Total += n
			switch customer.Status(st) {
			case customer.StatusProspect:
				c.Prospects += n
			case customer.StatusCustomer:
				c.Customers += n
			}
			switch customer.Kind(k) {
			case customer.Individual:
				c.Individuals += n
			case customer.Company:
				c.Companies += n
			}
		}
	}
	return c, nil
}

// AllPage is how many customers [Store.All] reads at a time.
const AllPage = 500

// All returns every customer of the tenant, whole, in ID order (creation
// order, for the store's own IDs), for an export or a migration. It reads
// AllPage customers at a time, so memory stays bounded whatever the
// tenant's size. A customer that exists for the whole iteration is
// yielded exactly once; one created meanwhile is yielded if its ID comes
// after the current page, one deleted meanwhile if it was read before.
// An error (ErrTenant, ErrClosed, the context's, the database's) is
// yielded once, with a nil customer, and ends the iteration.
func (s *Store) All(ctx context.Context, tenant string) iter.Seq2[*customer.Customer, error] {
	return func(yield func(*customer.Customer, error) bool) {
		after := uuid.Nil
		for {
			if err := s.begin(ctx, tenant); err != nil {
				yield(nil, err)
				return
			}
			page, err := s.d.ReadPage(ctx, tenant, after, AllPage)
			if err != nil {
				yield(nil, err)
				return
			}
			for _, c := range page {
				if err := ctx.Err(); err != nil {
					yield(nil, err)
					return
				}
				if !yield(c, nil) {
					return
				}
			}
			if len(page) < AllPage {
				return
			}
			after = page[len(page)-1].ID
		}
	}
}
