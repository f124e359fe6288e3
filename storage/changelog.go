package storage

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/validation"
)

// Actor is who made a change, and through what: what the change log
// records with every write. Host middleware puts it in the request's
// context with [WithActor]; the store reads it from there. Every field is
// optional; a write without an actor is recorded with the zero Actor, which
// [Actor.String] shows as "unknown", unless [Options.RequireActor] is set.
type Actor struct {
	ID        string `json:"id,omitempty"`         // the attendant's (or system's) ID in the host
	Name      string `json:"name,omitempty"`       // the name shown to people
	App       string `json:"app,omitempty"`        // the application or channel: "desk", "dms-sync", "web"
	RequestID string `json:"request_id,omitempty"` // a correlation ID, to find the request in the host's logs
}

// MaxActorField is the longest field of an [Actor], in bytes.
const MaxActorField = 200

// IsZero reports whether a names nobody.
func (a Actor) IsZero() bool { return a == Actor{} }

// String returns the actor's name, else its ID, else "unknown".
func (a Actor) String() string {
	switch {
	case a.Name != "":
		return a.Name
	case a.ID != "":
		return a.ID
	}
	return "unknown"
}

// Validate checks each field as one line of at most [MaxActorField] bytes.
func (a Actor) Validate() error {
	var v validation.Error
	t := validation.Text{Max: MaxActorField}
	v.Text("id", a.ID, t, false)
	v.Text("name", a.Name, t, false)
	v.Text("app", a.App, t, false)
	v.Text("request_id", a.RequestID, t, false)
	return v.Err()
}

type actorKey struct{}

// WithActor returns a copy of ctx that carries a: the actor of every write
// made with it.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor ctx carries, if any.
func ActorFrom(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(Actor)
	return a, ok
}

// ErrActor is returned for a write whose context carries no actor when
// [Options.RequireActor] is set, or an actor whose fields are not valid
// text (the error then also holds the *validation.Error).
var ErrActor = errors.New("storage: the write's actor is missing or not valid")

// actor returns the actor of a write, as the store records it.
func (s *Store) actor(ctx context.Context) (Actor, error) {
	a, ok := ActorFrom(ctx)
	if !ok || a.IsZero() {
		if s.requireActor {
			return Actor{}, ErrActor
		}
		return Actor{}, nil
	}
	if err := a.Validate(); err != nil {
		return Actor{}, fmt.Errorf("%w: %w", ErrActor, err)
	}
	return a, nil
}

// Op is what a write did to a customer, or around one.
type Op uint8

// The operations the change log records.
const (
	OpCreate     Op = iota + 1 // the customer was created
	OpUpdate                   // the customer was changed
	OpDelete                   // the customer was deleted, and its attendances and agenda items with it
	OpAttend                   // an attendance of the customer was recorded
	OpSchedule                 // a contact with the customer was put on the agenda
	OpReschedule               // an agenda item was moved to another time
	OpComplete                 // an agenda item was marked done
	OpCancel                   // an agenda item was cancelled
	OpMerge                    // another customer (the entry's Item) was merged into this one
	OpMerged                   // the customer was merged into another (the entry's Item), and is no more
)

var opNames = [...]string{"", "create", "update", "delete", "attend", "schedule", "reschedule", "complete", "cancel", "merge", "merged"}

// String returns the operation's name as the log stores it: "create",
// "update", "delete", "attend", "schedule", "reschedule", "complete",
// "cancel", "merge" or "merged".
func (o Op) String() string {
	if int(o) < len(opNames) {
		return opNames[o]
	}
	return ""
}

// MarshalText implements [encoding.TextMarshaler].
func (o Op) MarshalText() ([]byte, error) {
	if o == 0 || int(o) >= len(opNames) {
		return nil, fmt.Errorf("storage: unknown operation %d", o)
	}
	return []byte(opNames[o]), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (o *Op) UnmarshalText(b []byte) error {
	for i, n := range opNames {
		if i > 0 && n == string(b) {
			*o = Op(i)
			return nil
		}
	}
	return errors.New("storage: unknown operation")
}

// Change is one entry of a tenant's change log: one write to one customer,
// to one of its attendances or to one of its agenda items, appended in the
// write's own transaction. The log is both the audit trail ("who changed
// this phone, and when": [Store.History]) and the feed other services
// follow ([Store.Changes]).
type Change struct {
	// Seq numbers the tenant's changes from 1, without gaps, in the order
	// their writes committed.
	Seq        int64     `json:"seq"`
	Tenant     string    `json:"tenant"`
	CustomerID uuid.UUID `json:"customer_id"`
	At         time.Time `json:"at"` // the store's clock, UTC, to the microsecond
	Actor      Actor     `json:"actor"`
	Op         Op        `json:"op"`
	// Version is the customer's version the write produced; for a
	// deletion, the version that was deleted. It is 0 for the writes
	// that leave the customer's record as it is: attendances and the
	// agenda.
	Version int64 `json:"version"`
	// Item is the attendance (OpAttend) or agenda item (OpSchedule,
	// OpReschedule, OpComplete, OpCancel) the write recorded or changed,
	// the customer merged into this one (OpMerge) or the one this customer
	// was merged into (OpMerged); uuid.Nil for other writes to the
	// customer's record.
	Item uuid.UUID `json:"item,omitzero"`
	// Fields are the fields the write changed, with their old and new
	// values (customer.Changes): every field set, for a creation; every
	// field the customer held, for a deletion (its attendances and agenda
	// items go with it, without entries of their own: a consumer that
	// mirrors them drops them on the deletion). An attendance's or agenda
	// item's fields have paths under "attendance." and "agenda.": every
	// field set when it is recorded or scheduled, then what each later
	// write changed ("agenda.due", "agenda.status", "agenda.resolved_by").
	Fields []customer.FieldChange `json:"fields"`
}

// objectFields returns the members of v's JSON object, in order.
func objectFields(v any) ([]string, map[string]json.RawMessage, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil { // {
		return nil, nil, err
	}
	var names []string
	values := map[string]json.RawMessage{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, err
		}
		name, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, nil, err
		}
		names = append(names, name)
		values[name] = raw
	}
	return names, values, nil
}

// recordChanges returns what differs between the JSON forms of two
// versions of an attendance or agenda item (old nil for a new one), member
// by member in the order new lists them (then those only old has), each
// path under prefix; the members skip names are left out.
func recordChanges(prefix string, old, new any, skip ...string) ([]customer.FieldChange, error) {
	names, nv, err := objectFields(new)
	if err != nil {
		return nil, err
	}
	var oldNames []string
	ov := map[string]json.RawMessage{}
	if old != nil {
		if oldNames, ov, err = objectFields(old); err != nil {
			return nil, err
		}
	}
	for _, name := range oldNames {
		if _, ok := nv[name]; !ok {
			names = append(names, name)
		}
	}
	var out []customer.FieldChange
	for _, name := range names {
		o, n := unset(ov[name]), unset(nv[name])
		if slices.Contains(skip, name) || bytes.Equal(o, n) {
			continue
		}
		out = append(out, customer.FieldChange{Path: prefix + "." + name, Old: o, New: n})
	}
	return out, nil
}

// unset is a member's value, nil when it holds nothing: an empty object
// (an attendant not named) or null.
func unset(v json.RawMessage) json.RawMessage {
	if s := string(v); s == "{}" || s == "null" {
		return nil
	}
	return v
}

// MaxLogLimit is the most entries one History or Changes call returns.
const MaxLogLimit = 10000

// logLimit turns a requested page size into the one used.
func logLimit(limit int) (int, error) {
	switch {
	case limit < 0:
		return 0, ErrLimit
	case limit == 0:
		return DefaultLimit, nil
	}
	return min(limit, MaxLogLimit), nil
}

// History returns the customer's change-log entries newest first: up to
// limit (DefaultLimit when 0, at most MaxLogLimit) entries with a sequence
// number below before (0 or less: from the newest). The next page is the call
// with before set to the last entry's Seq. A deleted customer's history
// remains, its deletion first; a customer later created again with the
// same ID (a host that supplies IDs) shares it, so such a host should not
// reuse the ID of a deleted customer. It returns ErrLimit for a negative limit,
// ErrTenant, ErrClosed or the context's error; an unknown customer has an
// empty history.
func (s *Store) History(ctx context.Context, tenant string, id uuid.UUID, before int64, limit int) ([]Change, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return nil, err
	}
	n, err := logLimit(limit)
	if err != nil {
		return nil, err
	}
	if before <= 0 {
		before = 1<<63 - 1
	}
	return s.d.History(ctx, tenant, id, before, n)
}

// Changes returns the tenant's change-log entries with a sequence number
// above after, in sequence order: up to limit (DefaultLimit when 0, at
// most MaxLogLimit). It is the change feed: a consumer that stores the
// last Seq it handled and asks again from there never misses an entry nor
// sees one twice, across restarts and whatever the number of writers.
//
// Two things make it so. A tenant's numbers have no gaps: a write takes
// its number in its own transaction, as the last step before its commit,
// and the tenant's next write waits for it (a write that fails gives its
// number back). And Changes returns entries only up to the first number
// not yet visible: a database may let a later commit be seen a moment
// before an earlier one (MariaDB does), and the feed then stops short of
// the gap, which the next call fills, instead of skipping past it.
//
// It returns ErrLimit, ErrTenant, ErrClosed or the context's error.
func (s *Store) Changes(ctx context.Context, tenant string, after int64, limit int) ([]Change, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return nil, err
	}
	n, err := logLimit(limit)
	if err != nil {
		return nil, err
	}
	after = max(after, 0)
	entries, err := s.d.Changes(ctx, tenant, after, n)
	if err != nil {
		return nil, err
	}
	for i, ch := range entries {
		if ch.Seq != after+1+int64(i) {
			return entries[:i], nil
		}
	}
	return entries, nil
}
