package storage

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/agenda"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/date"
	"github.com/fichacrm/ficha/internal/brtime"
	"github.com/fichacrm/ficha/validation"
)

// ItemFilter is what a [Driver] lists of the agenda: items of one
// attendant ("" for any), of one customer (uuid.Nil for any), in one
// status (0 for any), due in [DueFrom, DueBefore) (zero for unbounded),
// after a position (Position.UpdatedAt is the due time), in due order.
type ItemFilter struct {
	Attendant          string
	CustomerID         uuid.UUID
	Status             agenda.Status
	DueFrom, DueBefore time.Time
	After              *Position
}

// AgendaOptions filter [Store.Agenda]. Times are bounds of the due time,
// inclusive below and exclusive above; zero means unbounded.
type AgendaOptions struct {
	Attendant  string        // the attendant's ID; "" for every attendant
	CustomerID uuid.UUID     // uuid.Nil for every customer
	Status     agenda.Status // 0 for any
	From, To   time.Time
	Limit      int    // DefaultLimit when 0, at most MaxLimit
	Cursor     string // AgendaPage.Next of the previous page
}

// AgendaPage is one page of agenda items, in due order.
type AgendaPage struct {
	Items []agenda.Item `json:"items"`
	Next  string        `json:"next,omitempty"`
}

// Schedule adds an open item to the agenda and returns it as stored, with
// a new ID unless it has one, version 1 and its times set. It returns an
// error wrapping ErrInvalid and the *validation.Error, ErrNotFound when
// the tenant has no such customer, ErrExists for an ID the tenant's
// agenda has, ErrAnonymised for an anonymised customer, ErrActor,
// ErrTenant, ErrClosed or the context's error. The item is stored open whatever status it carries. Scheduling, and each
// later change of the item, is recorded in the change log with the
// write's actor (OpSchedule, OpReschedule, OpComplete, OpCancel).
func (s *Store) Schedule(ctx context.Context, tenant string, it *agenda.Item) (*agenda.Item, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return nil, err
	}
	if it == nil {
		return nil, fmt.Errorf("%w: nil agenda item", ErrInvalid)
	}
	actor, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	n := it.Clone()
	n.Status = agenda.Open
	n.Due = Timestamp(n.Due)
	n.ResolvedBy, n.Reschedules = uuid.Nil, nil
	if err := n.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if n.ID == uuid.Nil {
		n.ID = customer.NewID()
	}
	n.Version = 1
	n.CreatedAt = Timestamp(s.now())
	n.UpdatedAt = n.CreatedAt
	fields, err := recordChanges("agenda", nil, n, itemLogSkips...)
	if err != nil {
		return nil, err
	}
	// The driver refuses an anonymised customer in the write's own
	// transaction (see Driver.InsertItem).
	change := &Change{Tenant: tenant, CustomerID: n.CustomerID, Item: n.ID, At: n.CreatedAt, Actor: actor, Op: OpSchedule, Fields: fields}
	if err := s.d.InsertItem(ctx, tenant, n, change); err != nil {
		return nil, err
	}
	return n.Clone(), nil
}

// AgendaItem returns one item of the tenant's agenda, or ErrNotFound.
func (s *Store) AgendaItem(ctx context.Context, tenant string, id uuid.UUID) (*agenda.Item, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return nil, err
	}
	return s.d.GetItem(ctx, tenant, id)
}

// Reschedule moves an open item to a new due time and records the move
// (from, to, when, and the write's actor) in its history. version is the
// one the item was read at: ErrConflict if it moved on. It returns
// ErrNotFound, an error wrapping ErrInvalid for a done or cancelled item
// or a time out of range, ErrActor, ErrTenant, ErrClosed or the context's
// error. A move to the time the item is due already writes nothing.
func (s *Store) Reschedule(ctx context.Context, tenant string, id uuid.UUID, due time.Time, version int64) (*agenda.Item, error) {
	return s.changeItem(ctx, tenant, id, version, OpReschedule, func(it *agenda.Item, now time.Time, actor Actor) error {
		if due.IsZero() {
			return agenda.ErrDue
		}
		if Timestamp(due).Equal(it.Due) {
			return errUnchanged
		}
		it.Reschedules = append(it.Reschedules, agenda.Reschedule{From: it.Due, To: Timestamp(due), At: now, By: actor.String()})
		it.Due = Timestamp(due)
		return nil
	})
}

// errUnchanged tells changeItem that the change changes nothing: nothing
// is written, the version stays.
var errUnchanged = errors.New("storage: nothing to change")

// Complete marks an open item done, resolved by one of the customer's
// attendances (uuid.Nil when none was recorded). Errors as Reschedule's;
// an attendance the tenant has not recorded for the item's customer is
// ErrInvalid.
func (s *Store) Complete(ctx context.Context, tenant string, id uuid.UUID, attendanceID uuid.UUID, version int64) (*agenda.Item, error) {
	return s.changeItem(ctx, tenant, id, version, OpComplete, func(it *agenda.Item, _ time.Time, _ Actor) error {
		if attendanceID != uuid.Nil {
			ok, err := s.d.HasAttendance(ctx, tenant, it.CustomerID, attendanceID)
			if err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("%w: the attendance is not one of this customer's", ErrInvalid)
			}
		}
		it.Status, it.ResolvedBy = agenda.Done, attendanceID
		return nil
	})
}

// Cancel marks an open item cancelled. Errors as Reschedule's.
func (s *Store) Cancel(ctx context.Context, tenant string, id uuid.UUID, version int64) (*agenda.Item, error) {
	return s.changeItem(ctx, tenant, id, version, OpCancel, func(it *agenda.Item, _ time.Time, _ Actor) error {
		it.Status = agenda.Cancelled
		return nil
	})
}

// itemLogSkips are the members of an agenda item the change log leaves
// out: the entry's own columns, the bookkeeping, and the reschedule
// history, which repeats the due times the log records.
var itemLogSkips = []string{"id", "customer_id", "version", "created_at", "updated_at", "reschedules"}

// changeItem reads an open item at version, changes it and writes it,
// with a change-log entry of operation op.
func (s *Store) changeItem(ctx context.Context, tenant string, id uuid.UUID, version int64, op Op, change func(it *agenda.Item, now time.Time, actor Actor) error) (*agenda.Item, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return nil, err
	}
	actor, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	it, err := s.d.GetItem(ctx, tenant, id)
	if err != nil {
		return nil, err
	}
	if it.Version != version {
		return nil, ErrConflict
	}
	if it.Status != agenda.Open {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, agenda.ErrClosed)
	}
	old := it.Clone()
	now := Timestamp(s.now())
	if err := change(it, now, actor); errors.Is(err, errUnchanged) {
		return it.Clone(), nil
	} else if err != nil {
		var r interface{ Code() string }
		if errors.As(err, &r) {
			return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
		}
		return nil, err
	}
	if err := it.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	it.Version++
	it.UpdatedAt = now
	fields, err := recordChanges("agenda", old, it, itemLogSkips...)
	if err != nil {
		return nil, err
	}
	entry := &Change{Tenant: tenant, CustomerID: it.CustomerID, Item: it.ID, At: now, Actor: actor, Op: op, Fields: fields}
	if err := s.d.UpdateItem(ctx, tenant, it, version, entry); err != nil {
		return nil, err
	}
	return it.Clone(), nil
}

// Agenda returns a page of the tenant's agenda items that pass the
// filters, in due order (then ID). It returns ErrInvalid for an unknown
// status, a bound outside the years 1900 to 9999, From after To or an
// attendant ID that is not one line of text, and ErrLimit, ErrCursor,
// ErrTenant, ErrClosed or the context's error.
func (s *Store) Agenda(ctx context.Context, tenant string, opts *AgendaOptions) (*AgendaPage, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return nil, err
	}
	var o AgendaOptions
	if opts != nil {
		o = *opts
	}
	validStatus := o.Status == 0 || o.Status >= agenda.Open && o.Status <= agenda.Cancelled
	if err := checkFilter(validStatus, true, o.From, o.To); err != nil {
		return nil, err
	}
	if !o.From.IsZero() && !o.To.IsZero() && o.From.After(o.To) {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, errBounds)
	}
	// An attendant ID no item can hold (not one line of valid text) is
	// refused, as a database would refuse some such bytes in a query.
	if err := validation.Line.Check(o.Attendant); err != nil {
		return nil, fmt.Errorf("%w: the attendant: %w", ErrInvalid, err)
	}
	f := ItemFilter{Attendant: o.Attendant, CustomerID: o.CustomerID, Status: o.Status, DueFrom: bound(o.From), DueBefore: bound(o.To)}
	scope := append([]byte(f.Attendant), 0)
	scope = append(scope, f.CustomerID[:]...)
	scope = append(scope, byte(f.Status))
	scope = binary.BigEndian.AppendUint64(scope, uint64(micros(f.DueFrom)))
	scope = binary.BigEndian.AppendUint64(scope, uint64(micros(f.DueBefore)))
	items, next, err := page(s, "agenda", tenant, scope, o.Limit, o.Cursor,
		func(after *Position, n int) ([]agenda.Item, error) {
			f.After = after
			return s.d.Items(ctx, tenant, f, n)
		},
		func(it agenda.Item) Position { return Position{UpdatedAt: it.Due, ID: it.ID} })
	if err != nil {
		return nil, err
	}
	return &AgendaPage{Items: items, Next: next}, nil
}

// Day returns an attendant's agenda for one day of the dealership's
// calendar (Options.Location), every status, in due order: the agenda
// screen ("" for every attendant's). At most MaxLimit items; use Agenda to
// page a longer day.
//
// It returns ErrInvalid for a date that is no day, and Agenda's errors.
func (s *Store) Day(ctx context.Context, tenant, attendant string, day date.Date) ([]agenda.Item, error) {
	if !day.IsValid() {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, date.ErrInvalid)
	}
	start := day.Time(s.loc)
	p, err := s.Agenda(ctx, tenant, &AgendaOptions{Attendant: attendant, From: start, To: start.AddDate(0, 0, 1), Limit: MaxLimit})
	if err != nil {
		return nil, err
	}
	return p.Items, nil
}

// Overdue returns a page of an attendant's ("" for everyone's) open items
// due before now, the oldest first.
func (s *Store) Overdue(ctx context.Context, tenant, attendant string, limit int, cursor string) (*AgendaPage, error) {
	return s.Agenda(ctx, tenant, &AgendaOptions{Attendant: attendant, Status: agenda.Open, To: s.now(), Limit: limit, Cursor: cursor})
}

// OpenItems returns the customer's open items, in due order (at most
// MaxLimit).
func (s *Store) OpenItems(ctx context.Context, tenant string, customerID uuid.UUID) ([]agenda.Item, error) {
	p, err := s.Agenda(ctx, tenant, &AgendaOptions{CustomerID: customerID, Status: agenda.Open, Limit: MaxLimit})
	if err != nil {
		return nil, err
	}
	return p.Items, nil
}

// defaultLocation is the dealership's zone unless Options.Location says.
func defaultLocation() *time.Location { return brtime.SaoPaulo() }
