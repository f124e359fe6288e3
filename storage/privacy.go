package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/validation"
)

// Privacy is the part of a [Driver] that answers the data subject's
// requests (LGPD art. 18): anonymisation and the register of requests.
// Every adapter implements it.
type Privacy interface {
	// Anonymise replaces the stored customer with a.Record (the
	// tombstone, with its keys and its change-log entry, written as Update
	// writes) if the stored version equals a.Expect, and in the same
	// transaction: blanks the contact, outcome and notes of the
	// customer's attendances; blanks the contact and notes of its agenda
	// items, sets their subject to AnonymisedText, cancels the open ones
	// and bumps their versions; rewrites the fields of every change-log
	// entry of the customer and of a.Absorbed with a.Scrub; renames the contacts of its
	// consent entries to AnonymisedContact(1), (2)... in the byte order of
	// their keys; and drops its standing consent states. It returns
	// ErrNotFound or ErrConflict as Update does.
	Anonymise(ctx context.Context, a *Anonymisation) error

	// PutRequest stores a request of the register: a new one when expect
	// is 0 (ErrExists if the tenant has its ID), otherwise a replacement
	// of the one stored at version expect (ErrNotFound, ErrConflict).
	PutRequest(ctx context.Context, tenant string, r *Request, expect int64) error

	// GetRequest returns a request of the register, or ErrNotFound.
	GetRequest(ctx context.Context, tenant string, id uuid.UUID) (*Request, error)

	// Requests returns up to limit requests of the register: when open,
	// the unanswered ones by due time then ID; otherwise all of them,
	// newest received first (by received time, then ID, descending).
	// Paging is strictly after the position when it is set
	// (Position.UpdatedAt is the due or received time).
	Requests(ctx context.Context, tenant string, open bool, after *Position, limit int) ([]Request, error)
}

// Anonymisation is what [Driver.Anonymise] writes.
type Anonymisation struct {
	Record Record
	Expect int64
	// Absorbed are the customers merged into this one: the change-log
	// entries of each, which hold what it held before the merge, are
	// scrubbed too.
	Absorbed []uuid.UUID
	// Scrub returns the fields of a change-log entry with every personal
	// value replaced by a tombstone.
	Scrub func([]customer.FieldChange) []customer.FieldChange
}

// AnonymisedKey is the additional-information key that marks an
// anonymised record; its value is the time of the anonymisation
// (RFC 3339). No caller can write it: information keys begin with a
// letter.
const AnonymisedKey = "_anonymised"

// KeptTaxIDKey is the additional-information key under which an
// anonymised record keeps its CPF or CNPJ when the retention hook keeps
// "tax_id": out of the record's tax ID, so that the person may be
// registered again. KeptTaxID reads it.
const KeptTaxIDKey = "_kept_tax_id"

// KeptTaxID returns the CPF or CNPJ an anonymised record keeps for a legal
// obligation, or the zero TaxID.
func KeptTaxID(c *customer.Customer) customer.TaxID {
	t, err := customer.ParseTaxID(c.Info[KeptTaxIDKey])
	if err != nil {
		return customer.TaxID{}
	}
	return t
}

// AnonymisedName is the name an anonymised record holds, unless the
// retention hook keeps the name.
const AnonymisedName = "Titular anonimizado"

// AnonymisedText stands, after an anonymisation, in a required text
// field whose value is gone: an agenda item's subject.
const AnonymisedText = "[anonimizado]"

// AnonymisedContact is the name the consent ledger gives, after an
// anonymisation, to the n-th contact of the customer (n from 1): the
// statements of different contacts stay apart without naming anyone.
func AnonymisedContact(n int) string { return "anonimizado-" + strconv.Itoa(n) }

// Tombstone is the value the change log holds, after an anonymisation, in
// place of each personal value.
var Tombstone = json.RawMessage(`"[anonimizado]"`)

// IsAnonymised reports whether c is an anonymised record, and since when.
func IsAnonymised(c *customer.Customer) (time.Time, bool) {
	v, ok := c.Info[AnonymisedKey]
	if !ok {
		return time.Time{}, false
	}
	t, _ := time.Parse(time.RFC3339Nano, v)
	return t, true
}

// ErrAnonymised is returned for a write to an anonymised record (an
// update, an attendance, a scheduled contact, a consent): it is kept for
// what it does not say about anyone, and gains nothing new.
var ErrAnonymised = errors.New("storage: the customer was anonymised")

// ErrRetained is returned when the retention hook refuses an
// anonymisation; the error is a *RetainedError that says why.
var ErrRetained = errors.New("storage: the record must be kept for a legal obligation")

// RetainedError says why the retention hook refused an anonymisation.
type RetainedError struct {
	Reason string // the hook's reason, as the host wrote it
}

// Error implements error.
func (e *RetainedError) Error() string { return ErrRetained.Error() + ": " + e.Reason }

// Unwrap returns ErrRetained.
func (e *RetainedError) Unwrap() error { return ErrRetained }

// Hold is the retention hook's answer: what an anonymisation must leave
// in place because a law requires the dealership to keep it (LGPD art. 16
// I: compliance with a legal or regulatory obligation), such as the name
// and CPF on invoices within the tax retention period.
type Hold struct {
	// Refuse keeps the whole record: the anonymisation is refused with a
	// *RetainedError.
	Refuse bool
	// Keep names fields of the record that stay as they are: any of
	// "name", "trade_name", "tax_id", "birth_date", "employer",
	// "dms_code", "service_orders", "addresses", "assets". Their old
	// values stay in the change log too. Everything else goes. A kept
	// CPF or CNPJ moves out of the record's tax ID (see KeptTaxID), so
	// that it blocks no new registration of the person.
	Keep []string
	// Reason is the legal obligation, in words a data subject can be
	// shown ("NF-e: guarda de 5 anos, CTN art. 173"): text of at most
	// MaxNote bytes (otherwise the anonymisation fails with ErrInvalid).
	// It must not hold personal data: it is returned in errors and kept
	// in the register.
	Reason string
}

// Retention is the host's retention hook: it is given the record about
// to be anonymised and says what must be kept. An error from it stops the
// anonymisation.
type Retention func(ctx context.Context, tenant string, c *customer.Customer) (Hold, error)

// keepable are the fields a Hold may keep.
var keepable = []string{"name", "trade_name", "tax_id", "birth_date", "employer", "dms_code", "service_orders", "addresses", "assets"}

// Anonymised is the outcome of [Store.Anonymise].
type Anonymised struct {
	Customer *customer.Customer `json:"customer"` // the record as it now stands
	Kept     []string           `json:"kept,omitempty"`
	Reason   string             `json:"reason,omitempty"`
	Request  *Request           `json:"request"` // the register's entry
}

// publicPaths are the change-log paths whose values say nothing about a
// person: they survive an anonymisation.
var publicPaths = []string{"kind", "status", "anonymised",
	"attendance.at", "attendance.attendant", "attendance.channel", "attendance.reason", "attendance.confirmed", "attendance.agenda_item",
	"agenda.due", "agenda.attendant", "agenda.channel", "agenda.status", "agenda.resolved_by", "agenda.reschedules",
	"agenda.version", "agenda.created_at", "agenda.updated_at"}

// scrubber returns the function that replaces personal values in a
// change-log entry's fields, keeping those of the public paths and of the
// kept fields.
func scrubber(keep []string) func([]customer.FieldChange) []customer.FieldChange {
	return func(fields []customer.FieldChange) []customer.FieldChange {
		out := make([]customer.FieldChange, len(fields))
		for i, f := range fields {
			out[i] = customer.FieldChange{Path: f.Path, Old: f.Old, New: f.New}
			if slices.Contains(publicPaths, f.Path) || slices.Contains(keep, topField(f.Path)) {
				continue
			}
			if f.Old != nil {
				out[i].Old = Tombstone
			}
			if f.New != nil {
				out[i].New = Tombstone
			}
		}
		return out
	}
}

// topField returns the top-level field of a path: "addresses" of
// "addresses[1].cep", "info" of "info.color".
func topField(path string) string {
	if i := strings.IndexAny(path, ".["); i >= 0 {
		return path[:i]
	}
	return path
}

// tombstone returns the anonymised form of c: its ID, kind, status and
// creation time, the fields keep names, and nothing else.
func tombstone(c *customer.Customer, keep []string, at time.Time) *customer.Customer {
	t := &customer.Customer{ID: c.ID, Kind: c.Kind, Status: c.Status, Version: c.Version, Name: AnonymisedName,
		CreatedAt: c.CreatedAt, Info: map[string]string{AnonymisedKey: at.Format(time.RFC3339Nano)}}
	for _, k := range keep {
		switch k {
		case "name":
			t.Name = c.Name
		case "trade_name":
			t.TradeName = c.TradeName
		case "tax_id":
			// Kept aside, not in the unique column: the person may come
			// back and be registered again under the same CPF.
			if !c.TaxID.IsZero() {
				t.Info[KeptTaxIDKey] = c.TaxID.String()
			}
		case "birth_date":
			t.BirthDate = c.BirthDate
		case "employer":
			t.Employer = c.Employer
		case "dms_code":
			t.DMSCode = c.DMSCode
		case "service_orders":
			t.ServiceOrders = slices.Clone(c.ServiceOrders)
		case "addresses":
			t.Addresses = slices.Clone(c.Addresses)
		case "assets":
			t.Assets = slices.Clone(c.Assets)
		}
	}
	return t
}

// Anonymise is the data subject's right to anonymisation (LGPD art. 18
// IV, "esquecimento"): it replaces the customer's personal data, in one
// transaction, with non-identifying tombstones everywhere the tenant keeps
// it: the record and its sub-records (phones, e-mails, addresses, assets,
// references, cards, contacts, additional information and notes go; the
// name becomes AnonymisedName), the contact, outcome and notes of its
// attendances, the contact, subject and notes of its agenda items, the
// old and new values of every change-log entry about it, and the contact
// names of its consent ledger. It removes every search key, so that no
// search finds the person again by name, CPF, phone, e-mail, plate, VIN or
// DMS code. What says nothing about anyone stays: the record's ID, kind,
// status and creation time, that an attendance happened on a date through
// a channel, the agenda's dates, the log's paths and actors, the consent
// ledger's statements, and the suppression list (so that an opt-out
// outlives the record).
//
// version is the version of the customer the caller showed the data
// subject: ErrConflict if it moved on. The store's retention hook
// (Options.Retention), when set, is asked first: it may refuse (ErrRetained,
// a *RetainedError with the reason) or keep some fields (Anonymised.Kept),
// which then also keep no search key: an Export by the kept CPF no longer
// finds the record, and the register's entry, which names the customer's
// ID, is the way back to it. Whether refused, partial or done, the request
// is entered in the register (kind RequestAnonymisation), answered with
// the outcome, and returned in Anonymised.Request; a hook that fails, or
// names a field it cannot keep, stops the call before anything is written
// or registered. A request the host opened itself is left for it to
// answer (AnswerRequest).
//
// What the databases keep outside their tables is the host's to clear:
// PostgreSQL and MySQL keep old row versions until a vacuum or purge, and
// SQLite keeps freed pages until a VACUUM unless secure_delete is on; and
// copies already sent down the change feed are the consumers'. Un-doing an
// anonymisation is impossible by design.
//
// It returns ErrAnonymised for a record anonymised already, ErrNotFound,
// ErrConflict, ErrRetained, ErrActor, ErrTenant, ErrClosed or the context's
// error.
func (s *Store) Anonymise(ctx context.Context, tenant string, id uuid.UUID, version int64) (*Anonymised, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return nil, err
	}
	return s.anonymise(ctx, tenant, id, version, nil)
}

// AnonymiseRequest is Anonymise for a request the host entered in the
// register when it arrived (OpenRequest, kind RequestAnonymisation, naming
// the customer): it anonymises that customer at version and answers that
// request, with its receipt date, instead of entering a new one. It
// returns Anonymise's errors, ErrNotFound for an unknown request, and
// ErrInvalid for a request of another kind, one without a customer, or
// one answered already.
func (s *Store) AnonymiseRequest(ctx context.Context, tenant string, requestID uuid.UUID, version int64) (*Anonymised, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return nil, err
	}
	req, err := s.d.GetRequest(ctx, tenant, requestID)
	if err != nil {
		return nil, err
	}
	if req.Kind != RequestAnonymisation || req.CustomerID == uuid.Nil || !req.Answered.IsZero() {
		return nil, fmt.Errorf("%w: not an open anonymisation request naming a customer", ErrInvalid)
	}
	return s.anonymise(ctx, tenant, req.CustomerID, version, req)
}

// anonymise does Anonymise's work, answering open (when set) or a new
// entry of the register.
func (s *Store) anonymise(ctx context.Context, tenant string, id uuid.UUID, version int64, open *Request) (*Anonymised, error) {
	actor, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	old, err := s.d.Get(ctx, tenant, id)
	if err != nil {
		return nil, err
	}
	if _, done := IsAnonymised(old); done {
		return nil, ErrAnonymised
	}
	if old.Version != version {
		return nil, ErrConflict
	}
	now := Timestamp(s.now())
	var hold Hold
	if s.retention != nil {
		if hold, err = s.retention(ctx, tenant, old.Clone()); err != nil {
			return nil, err
		}
	}
	if err := (validation.Text{Max: MaxNote, Multiline: true}).Check(hold.Reason); err != nil {
		return nil, fmt.Errorf("%w: the retention hook's reason: %w", ErrInvalid, err)
	}
	req := &Request{Kind: RequestAnonymisation, CustomerID: id, Received: now}
	if hold.Refuse {
		req.Outcome, req.Note = OutcomeRefused, hold.Reason
		if _, err := s.answer(ctx, tenant, req, open, actor); err != nil {
			return nil, err
		}
		return nil, &RetainedError{Reason: hold.Reason}
	}
	var kept []string
	for _, k := range hold.Keep {
		if !slices.Contains(keepable, k) {
			return nil, fmt.Errorf("%w: the retention hook names a field it cannot keep", ErrInvalid)
		}
		if !slices.Contains(kept, k) {
			kept = append(kept, k)
		}
	}
	scrub := scrubber(kept)
	n := tombstone(old, kept, now)
	n.Version, n.UpdatedAt = old.Version+1, updatedAt(now, old.UpdatedAt)
	fields := scrub(logFields(old, n))
	fields = append(fields, customer.FieldChange{Path: "anonymised", New: json.RawMessage("true")})
	change := &Change{Tenant: tenant, CustomerID: id, At: n.UpdatedAt, Actor: actor, Op: OpUpdate, Version: n.Version, Fields: fields}
	// Stored: the drivers write over the customer read here, not one
	// created under the ID since (see Driver.Update).
	rec := Record{Tenant: tenant, Customer: n, Change: change, Touched: attendance.AllSections, Stored: old}
	absorbed, err := s.d.Merged(ctx, tenant, id)
	if err != nil {
		return nil, err
	}
	s.copies.drop(tenant, id)
	if err := s.d.Anonymise(ctx, &Anonymisation{Record: rec, Expect: old.Version, Absorbed: absorbed, Scrub: scrub}); err != nil {
		return nil, err
	}
	req.Outcome, req.Note = OutcomeDone, hold.Reason
	if len(kept) > 0 {
		req.Outcome = OutcomePartial
	}
	stored, err := s.answer(ctx, tenant, req, open, actor)
	if err != nil {
		return nil, err
	}
	return &Anonymised{Customer: n.Clone(), Kept: kept, Reason: hold.Reason, Request: stored}, nil
}

// RequestKind is the kind of a data subject's request (LGPD art. 18).
type RequestKind uint8

// The kinds of request.
const (
	RequestConfirmation  RequestKind = iota + 1 // I: confirmation that data is processed
	RequestAccess                               // II: access to the data
	RequestCorrection                           // III: correction of incomplete, inexact or outdated data
	RequestAnonymisation                        // IV: anonymisation, blocking or deletion of unnecessary data
	RequestPortability                          // V: portability to another provider
	RequestDeletion                             // VI: deletion of data processed with consent
	RequestSharing                              // VII: information about whom the data was shared with
	RequestRevocation                           // IX: revocation of consent
)

var requestNames = [...]string{"", "confirmation", "access", "correction", "anonymisation", "portability", "deletion", "sharing", "revocation"}

// String returns the kind's name: "access", "anonymisation", ...
func (k RequestKind) String() string {
	if int(k) < len(requestNames) {
		return requestNames[k]
	}
	return ""
}

// MarshalText implements [encoding.TextMarshaler].
func (k RequestKind) MarshalText() ([]byte, error) {
	if k == 0 || int(k) >= len(requestNames) {
		return nil, errRequestKind
	}
	return []byte(requestNames[k]), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (k *RequestKind) UnmarshalText(b []byte) error {
	for i, n := range requestNames {
		if i > 0 && n == string(b) {
			*k = RequestKind(i)
			return nil
		}
	}
	return errRequestKind
}

var errRequestKind = validation.NewRule("request.kind", "choose the kind of request", "escolha o tipo de requisição")

// Outcome is how a request was answered.
type Outcome string

// The outcomes; an open request has none.
const (
	OutcomeDone    Outcome = "done"    // fully answered
	OutcomePartial Outcome = "partial" // answered in part (some data kept for a legal obligation)
	OutcomeRefused Outcome = "refused" // refused, with the reason in the note
)

// Request is one entry of the register of data subjects' requests: what
// was asked, when, by when it must be answered, and how and when it was,
// so that a dealership can show it answered within the deadline. It holds
// no personal data besides the customer's ID: the register outlives an
// anonymisation.
type Request struct {
	ID         uuid.UUID   `json:"id"`
	Kind       RequestKind `json:"kind"`
	CustomerID uuid.UUID   `json:"customer_id,omitzero"` // uuid.Nil when the person is no customer
	Received   time.Time   `json:"received"`
	// Due is when the answer is due: ResponseTime after Received unless
	// the host sets another.
	Due        time.Time `json:"due"`
	Answered   time.Time `json:"answered,omitzero"` // zero while open
	Outcome    Outcome   `json:"outcome,omitempty"`
	Note       string    `json:"note,omitempty"`
	ReceivedBy Actor     `json:"received_by"` // the ID and name of who entered it
	AnsweredBy Actor     `json:"answered_by"` // the ID and name of who answered it
	Version    int64     `json:"version"`
}

// ResponseTime is the deadline of a full answer to an access request
// (LGPD art. 19 II: fifteen days from the request).
const ResponseTime = 15 * 24 * time.Hour

// MaxNote is the longest note of a request, in bytes.
const MaxNote = 2000

// answer records the outcome of an anonymisation: in the open request
// the host entered, when there is one, else in a new entry.
func (s *Store) answer(ctx context.Context, tenant string, r, open *Request, actor Actor) (*Request, error) {
	if open == nil {
		return s.register(ctx, tenant, r, actor, true)
	}
	n := *open
	n.Outcome, n.Note, n.Answered, n.Version = r.Outcome, r.Note, Timestamp(s.now()), open.Version+1
	n.AnsweredBy = Actor{ID: actor.ID, Name: actor.Name}
	if err := s.d.PutRequest(ctx, tenant, &n, open.Version); err != nil {
		return nil, err
	}
	return &n, nil
}

// register enters a request, answered at once when answer is set.
func (s *Store) register(ctx context.Context, tenant string, r *Request, actor Actor, answer bool) (*Request, error) {
	n := *r
	now := Timestamp(s.now())
	if n.ID == uuid.Nil {
		n.ID = customer.NewID()
	}
	if n.Received.IsZero() {
		n.Received = now
	}
	n.Received = Timestamp(n.Received)
	if n.Due.IsZero() {
		n.Due = n.Received.Add(ResponseTime)
	}
	n.Due = Timestamp(n.Due)
	who := Actor{ID: actor.ID, Name: actor.Name}
	n.ReceivedBy, n.AnsweredBy, n.Answered, n.Version = who, Actor{}, time.Time{}, 1
	if answer {
		n.AnsweredBy, n.Answered = who, now
	} else {
		n.Outcome = ""
	}
	if err := s.d.PutRequest(ctx, tenant, &n, 0); err != nil {
		return nil, err
	}
	return &n, nil
}

// checkRequest validates what a caller gives of a request.
func checkRequest(r *Request, now time.Time) error {
	var v validation.Error
	if r.Kind == 0 || int(r.Kind) >= len(requestNames) {
		v.Add("kind", errRequestKind)
	}
	v.Text("note", r.Note, validation.Text{Max: MaxNote, Multiline: true}, false)
	if err := v.Err(); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if Timestamp(r.Received).After(now) || r.Received.Before(earliestStatement) {
		v.Add("received", errReceived)
	} else if !r.Due.IsZero() && r.Due.Before(r.Received) {
		v.Add("due", errDueBeforeReceived)
	}
	if err := v.Err(); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return nil
}

var (
	errReceived          = validation.NewRule("request.received", "the time the request was received is in the future, or too long ago", "a data de recebimento está no futuro, ou longe demais no passado")
	errDueBeforeReceived = validation.NewRule("request.due", "the request falls due before it was received", "o prazo termina antes do recebimento")
)

// ErrAnswered is returned (with ErrInvalid) by AnswerRequest for a request
// answered already.
var ErrAnswered = errors.New("storage: the request was answered already")

// OpenRequest enters a data subject's request in the register: its kind,
// the customer it is about (uuid.Nil when the person is no customer), when
// it was received (the store's clock when zero) and an optional note. The
// store gives it a new ID unless r has one, its due time (ResponseTime
// after it was received, unless r.Due is set) and who received it (the
// write's actor). It returns the request as stored, or ErrInvalid (a due
// time before the received one, a time in the future), ErrNotFound for a
// customer the tenant does not have, ErrExists for an ID the register
// holds, ErrActor, ErrTenant, ErrClosed or the context's error.
func (s *Store) OpenRequest(ctx context.Context, tenant string, r *Request) (*Request, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return nil, err
	}
	if r == nil {
		return nil, fmt.Errorf("%w: nil request", ErrInvalid)
	}
	actor, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	n := *r
	now := Timestamp(s.now())
	if n.Received.IsZero() {
		n.Received = now
	}
	if err := checkRequest(&n, now); err != nil {
		return nil, err
	}
	if n.CustomerID != uuid.Nil {
		if _, err := s.d.Get(ctx, tenant, n.CustomerID); err != nil {
			return nil, err
		}
	}
	return s.register(ctx, tenant, &n, actor, false)
}

// AnswerRequest records the answer to an open request: its outcome, a
// note (what was done, or why it was refused; no personal data), the
// store's clock as the time and the write's actor. version is the
// request's version as read. It returns ErrInvalid for an unknown outcome,
// a note that is not text or a request answered already (then also
// ErrAnswered), ErrNotFound,
// ErrConflict, ErrActor, ErrTenant, ErrClosed or the context's error.
func (s *Store) AnswerRequest(ctx context.Context, tenant string, id uuid.UUID, version int64, outcome Outcome, note string) (*Request, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return nil, err
	}
	actor, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	switch outcome {
	case OutcomeDone, OutcomePartial, OutcomeRefused:
	default:
		return nil, fmt.Errorf("%w: unknown outcome", ErrInvalid)
	}
	if err := (validation.Text{Max: MaxNote, Multiline: true}).Check(note); err != nil {
		var v validation.Error
		v.Add("note", err)
		return nil, fmt.Errorf("%w: %w", ErrInvalid, v.Err())
	}
	r, err := s.d.GetRequest(ctx, tenant, id)
	if err != nil {
		return nil, err
	}
	if r.Version != version {
		return nil, ErrConflict
	}
	if !r.Answered.IsZero() {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, ErrAnswered)
	}
	r.Outcome, r.Note, r.Answered, r.Version = outcome, note, Timestamp(s.now()), r.Version+1
	r.AnsweredBy = Actor{ID: actor.ID, Name: actor.Name}
	if err := s.d.PutRequest(ctx, tenant, r, version); err != nil {
		return nil, err
	}
	return r, nil
}

// Request returns one request of the register, or ErrNotFound, ErrTenant,
// ErrClosed or the context's error.
func (s *Store) Request(ctx context.Context, tenant string, id uuid.UUID) (*Request, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return nil, err
	}
	return s.d.GetRequest(ctx, tenant, id)
}

// RequestPage is one page of the register.
type RequestPage struct {
	Items []Request `json:"items"`
	Next  string    `json:"next,omitempty"`
}

// Requests pages the register, limit at a time (DefaultLimit when 0, at
// most MaxLimit): with open set, the unanswered requests, soonest due
// first (those past Due are overdue); otherwise every request, newest
// first. It returns ErrLimit, ErrCursor, ErrTenant, ErrClosed or the
// context's error.
func (s *Store) Requests(ctx context.Context, tenant string, open bool, limit int, cursor string) (*RequestPage, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return nil, err
	}
	scope := []byte{0}
	if open {
		scope[0] = 1
	}
	items, next, err := page(s, "requests", tenant, scope, limit, cursor,
		func(after *Position, n int) ([]Request, error) { return s.d.Requests(ctx, tenant, open, after, n) },
		func(r Request) Position {
			if open {
				return Position{UpdatedAt: r.Due, ID: r.ID}
			}
			return Position{UpdatedAt: r.Received, ID: r.ID}
		})
	if err != nil {
		return nil, err
	}
	return &RequestPage{Items: items, Next: next}, nil
}
