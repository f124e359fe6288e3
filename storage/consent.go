package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/consent"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
)

// ConsentEntry is one statement of a tenant's consent ledger: what a
// person said (or what other legal basis applies) about one channel and
// purpose, when, from where, on what evidence, and who recorded it. The
// ledger is append-only: a later statement supersedes an earlier one for
// the same subject, channel and purpose, and the earlier one stays as
// proof. Only anonymisation rewrites it (the contacts' names), and only a
// deletion of the customer erases it: deleting is the erasure of the
// person's data, proof of consent included, while the suppression list
// keeps their opt-outs.
type ConsentEntry struct {
	ID         uuid.UUID `json:"id"`
	CustomerID uuid.UUID `json:"customer_id"`
	// Contact names the company's contact the statement is about, by
	// consent.ContactKey of the contact's name; "" for the customer
	// itself. [Store.RecordConsent] takes the contact's name as the
	// record holds it and stores its key.
	Contact string `json:"contact,omitempty"`
	consent.Statement
	// At is when the statement was made: the store's clock when zero; an
	// earlier time for a signed paper form recorded later.
	At time.Time `json:"at"`
	// RecordedAt is when the store recorded it, and Actor who did.
	RecordedAt time.Time `json:"recorded_at"`
	Actor      Actor     `json:"actor"`
}

// Supersedes reports whether e supersedes o as the statement that stands:
// it was made later, or at the same time and recorded under a greater ID.
// Every adapter derives the current state by this rule.
func (e *ConsentEntry) Supersedes(o *ConsentEntry) bool {
	if c := e.At.Compare(o.At); c != 0 {
		return c > 0
	}
	return bytes.Compare(e.ID[:], o.ID[:]) > 0
}

// ConsentState is the statement that stands for one subject (a customer,
// or one of its contacts), channel and purpose.
type ConsentState struct {
	CustomerID uuid.UUID       `json:"customer_id"`
	Contact    string          `json:"contact,omitempty"` // a contact's key; "" for the customer
	Channel    consent.Channel `json:"channel"`
	Purpose    consent.Purpose `json:"purpose"`
	consent.Current
	Entry uuid.UUID `json:"entry"` // the ledger entry that stands
}

// stateOf returns the state an entry makes.
func stateOf(e *ConsentEntry) ConsentState {
	return ConsentState{CustomerID: e.CustomerID, Contact: e.Contact, Channel: e.Channel, Purpose: e.Purpose,
		Current: consent.Current{State: e.State, Basis: e.Basis, Since: e.At}, Entry: e.ID}
}

// Suppression is one address on a tenant's suppression list for a
// channel, by its keyed fingerprint (consent.Fingerprint).
type Suppression struct {
	Channel     consent.Channel `json:"channel"`
	Fingerprint string          `json:"fingerprint"`
	Since       time.Time       `json:"since"`
	Source      consent.Source  `json:"source"`
}

// ConsentWrite is what [Driver.RecordConsent] writes in one transaction:
// ledger entries about one customer (and its contacts), fingerprints to
// add to the suppression list, and fingerprints to take off it.
type ConsentWrite struct {
	CustomerID uuid.UUID
	Entries    []ConsentEntry
	Suppress   []Suppression
	// Lift are addresses to take off the list: each only where it was
	// listed at or before its Since (the time of the grant that lifts it).
	Lift []Suppression
}

// ContactPoint is one address a customer, or one of its contacts, can be
// reached at: a phone in canonical form (with its extension, if it has
// one), or an e-mail.
type ContactPoint struct {
	CustomerID uuid.UUID
	Contact    string // the contact's key (consent.ContactKey); "" for the customer
	Position   int    // the contact's position in the record; 0 for the customer
	Value      string
}

// ReachPosition is where a page of [Driver.Reachable] ends.
type ReachPosition struct {
	CustomerID uuid.UUID
	Contact    string
}

// Consenter is the part of a [Driver] that keeps the consent ledger and
// the suppression list. Every adapter implements it.
type Consenter interface {
	// RecordConsent appends w's entries to the ledger and makes each the
	// standing state of its subject, channel and purpose where it
	// supersedes the one standing (ConsentEntry.Supersedes), adds w.Suppress
	// to the suppression list (an address listed already keeps its entry)
	// and takes w.Lift off it (see ConsentWrite.Lift), in one transaction. It
	// returns ErrNotFound when the tenant has no customer w.CustomerID,
	// ErrExists for an entry ID the tenant's ledger holds, and
	// ErrAnonymised, writing nothing, when the customer is anonymised (as
	// InsertItem: checked in the transaction, the customer's row locked
	// against an anonymisation beside it).
	RecordConsent(ctx context.Context, tenant string, w *ConsentWrite) error

	// Consents returns the customer's ledger, oldest first (by At, then
	// ID).
	Consents(ctx context.Context, tenant string, customerID uuid.UUID) ([]ConsentEntry, error)

	// ConsentStates returns the standing states of channel and purpose of
	// the customers ids and of their contacts, in no particular order.
	ConsentStates(ctx context.Context, tenant string, ids []uuid.UUID, channel consent.Channel, purpose consent.Purpose) ([]ConsentState, error)

	// Reachable returns up to limit standing states of channel and purpose
	// that are granted, by customer ID then contact key (byte order),
	// strictly after the position when it is set.
	Reachable(ctx context.Context, tenant string, channel consent.Channel, purpose consent.Purpose, after *ReachPosition, limit int) ([]ConsentState, error)

	// ContactPoints returns the phones (kind consent.PhoneAddress) or
	// e-mails (consent.EmailAddress) of the customers ids and of their
	// contacts, each customer's own first and in the record's order.
	ContactPoints(ctx context.Context, tenant string, ids []uuid.UUID, kind consent.Address) ([]ContactPoint, error)

	// Suppressed returns those of the fingerprints that are on the
	// tenant's suppression list for channel.
	Suppressed(ctx context.Context, tenant string, channel consent.Channel, fingerprints []string) ([]string, error)

	// Suppress adds addresses to the tenant's suppression list, as
	// RecordConsent does, without a ledger entry: an opt-out that arrives
	// for an address on no record.
	Suppress(ctx context.Context, tenant string, list []Suppression) error
}

// defaultSuppressionKey keys fingerprints when Options.SuppressionKey is
// not set. It is public, so such fingerprints hide addresses from a casual
// reader only; see Options.SuppressionKey.
var defaultSuppressionKey = []byte("ficha: suppression list, no host key")

// MaxBatch is the most customers one [Store.MayContactMany] call answers
// for.
const MaxBatch = 1000

// fingerprint returns the fingerprint of one address of a channel.
func (s *Store) fingerprint(tenant string, ch consent.Channel, value string) string {
	return consent.Fingerprint(s.suppressionKey, tenant, ch.Address(), canonicalAddress(ch.Address(), value))
}

// canonicalAddress is the form of an address that is fingerprinted: a
// phone without its extension (an opt-out covers the line), an e-mail as
// stored.
func canonicalAddress(kind consent.Address, value string) string {
	if kind == consent.PhoneAddress {
		if p, err := contact.ParsePhone(value); err == nil {
			return p.Main().String()
		}
	}
	return value
}

// pointsOf returns a customer's (contact "") or one of its contacts'
// addresses for a kind of address, from the record: canonical phones or
// e-mails, or for post the paths of the postal addresses.
func pointsOf(c *customer.Customer, contactKey string, kind consent.Address) []string {
	var out []string
	if contactKey == "" {
		switch kind {
		case consent.PhoneAddress:
			for _, p := range c.Phones {
				out = append(out, p.String())
			}
		case consent.EmailAddress:
			for _, e := range c.Emails {
				out = append(out, e.String())
			}
		case consent.PostalAddress:
			for i := range c.Addresses {
				out = append(out, "addresses["+strconv.Itoa(i)+"]")
			}
		}
		return out
	}
	for _, ct := range c.Contacts {
		if consent.ContactKey(ct.Name) != contactKey {
			continue
		}
		switch kind {
		case consent.PhoneAddress:
			for _, p := range ct.Phones {
				out = append(out, p.String())
			}
		case consent.EmailAddress:
			if !ct.Email.IsZero() {
				out = append(out, ct.Email.String())
			}
		}
	}
	return out
}

// contactKeyOf returns the key of the record's contact named name, or
// ErrInvalid when the record has no such contact, or two contacts whose
// names fold to the key (a statement about one would speak for both).
func contactKeyOf(c *customer.Customer, name string) (string, error) {
	if name == "" {
		return "", nil
	}
	key := consent.ContactKey(name)
	n := 0
	for _, ct := range c.Contacts {
		if consent.ContactKey(ct.Name) == key {
			n++
		}
	}
	switch n {
	case 0:
		return "", fmt.Errorf("%w: the customer has no such contact", ErrInvalid)
	case 1:
		return key, nil
	}
	return "", fmt.Errorf("%w: two of the customer's contacts have this name; tell them apart first", ErrInvalid)
}

// earliestStatement is the earliest time a statement may carry.
var earliestStatement = time.Date(2000, time.January, 1, 0, 0, 0, 0, time.UTC)

// subjectPurpose is a channel and purpose of one subject.
type subjectPurpose struct {
	channel consent.Channel
	purpose consent.Purpose
}

// subjectChannel is one subject's channel.
type subjectChannel struct {
	contact string
	channel consent.Channel
}

// suppressions fills w's suppression list changes for the entries out,
// given the states that will stand after them. A subject's addresses go on
// a channel's list when the write leaves no grant standing on that
// channel (the person opted out of the channel altogether: a denial of
// one purpose, with another granted, suppresses nothing); a grant made
// anywhere but in an import takes them off, unless they were listed
// after the grant was made.
func (s *Store) suppressions(tenant string, c *customer.Customer, w *ConsentWrite, standing []ConsentState, out []ConsentEntry) {
	granted := map[subjectChannel]bool{}
	for _, st := range standing {
		if st.State == consent.Granted {
			granted[subjectChannel{st.Contact, st.Channel}] = true
		}
	}
	done := map[subjectChannel]bool{}
	for i := len(out) - 1; i >= 0; i-- {
		e := out[i]
		k := subjectChannel{e.Contact, e.Channel}
		if e.Channel.Address() == consent.PostalAddress || done[k] {
			continue
		}
		var since, liftAt time.Time
		suppress, lift := false, false
		for _, o := range out {
			if o.Contact != e.Contact || o.Channel != e.Channel {
				continue
			}
			switch {
			case o.State != consent.Granted && !granted[k]:
				suppress = true
				if since.IsZero() || o.At.Before(since) {
					since = o.At
				}
			case o.State == consent.Granted && o.Source != consent.Import:
				lift = true
				if o.At.After(liftAt) {
					liftAt = o.At
				}
			}
		}
		done[k] = true
		for _, p := range pointsOf(c, e.Contact, e.Channel.Address()) {
			sup := Suppression{Channel: e.Channel, Fingerprint: s.fingerprint(tenant, e.Channel, p), Since: since, Source: e.Source}
			switch {
			case suppress:
				w.Suppress = append(w.Suppress, sup)
			case lift:
				sup.Since = liftAt
				w.Lift = append(w.Lift, sup)
			}
		}
	}
}

// RecordConsent records statements about one customer, or about its
// contacts: each entry names the customer (CustomerID), the contact by its
// name as the record holds it (Contact; "" for the customer), the
// statement, and when it was made (At; the store's clock when zero, never
// in the future nor before 2000). The store gives each entry an ID, the
// time it was recorded and the write's actor, and returns them as stored.
//
// All entries must be about one customer; they are written in one
// transaction. A write that leaves the subject no grant standing on a
// channel (an opt-out of the channel altogether) puts the subject's
// addresses for that channel on the suppression list; a grant made
// anywhere but in an import takes them off it (the person asked for
// messages again, through this very address), unless they were listed
// after the time the grant was made. A grant from consent.Import never
// lifts an opt-out; a host that brings consents from another system under
// a source of its own should use consent.Import too.
//
// The ledger is its own audit trail: statements appear in Consents, not in
// the change log (History, Changes).
//
// It returns ErrInvalid (with the *validation.Error of the statement
// that failed, under "entries[i]"), ErrNotFound, ErrAnonymised, ErrActor, ErrTenant,
// ErrClosed or the context's error.
func (s *Store) RecordConsent(ctx context.Context, tenant string, entries ...ConsentEntry) ([]ConsentEntry, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return nil, err
	}
	if len(entries) == 0 {
		return nil, nil
	}
	actor, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	id := entries[0].CustomerID
	c, err := s.d.Get(ctx, tenant, id)
	if err != nil {
		return nil, err
	}
	if _, done := IsAnonymised(c); done {
		return nil, ErrAnonymised
	}
	now := Timestamp(s.now())
	w := &ConsentWrite{CustomerID: id}
	out := make([]ConsentEntry, 0, len(entries))
	for i, e := range entries {
		if e.CustomerID != id {
			return nil, fmt.Errorf("%w: every entry must be about the same customer", ErrInvalid)
		}
		if err := e.Statement.Validate(); err != nil {
			return nil, fmt.Errorf("%w: entries[%d]: %w", ErrInvalid, i, err)
		}
		if e.At.IsZero() {
			e.At = now
		}
		e.At = Timestamp(e.At)
		if e.At.After(now) || e.At.Before(earliestStatement) {
			return nil, fmt.Errorf("%w: entries[%d]: the statement's time is in the future or before 2000", ErrInvalid, i)
		}
		if e.Contact, err = contactKeyOf(c, e.Contact); err != nil {
			return nil, err
		}
		e.ID, e.RecordedAt, e.Actor = customer.NewID(), now, actor
		out = append(out, e)
	}
	ledger, err := s.d.Consents(ctx, tenant, id)
	if err != nil {
		return nil, err
	}
	s.suppressions(tenant, c, w, Standing(append(ledger, out...)), out)
	w.Entries = out
	if err := s.d.RecordConsent(ctx, tenant, w); err != nil {
		return nil, err
	}
	return slices.Clone(out), nil
}

// OptOut is a request to stop messages: every purpose of the channels it
// names (all channels when Channels is empty), for a customer or one of
// its contacts.
type OptOut struct {
	CustomerID uuid.UUID
	Contact    string            // the contact's name as the record holds it; "" for the customer
	Channels   []consent.Channel // the channels; every channel when empty
	Source     consent.Source    // where the request came from; consent.AtDesk when empty
	Evidence   consent.Evidence  // what proves it, if anything
}

// Withdraw records an opt-out, so that no purpose of the channels is left
// standing: a withdrawal of each purpose granted, and a denial of each
// common purpose (consent.Purposes) with no statement yet (the ledger does
// not say the person once consented to what they never did); a channel
// already refused throughout gets a new denial of marketing, the person's
// "no" said again. The subject's phones and e-mails of those channels go
// on the suppression list. It returns the entries recorded, with
// RecordConsent's errors.
func (s *Store) Withdraw(ctx context.Context, tenant string, o OptOut) ([]ConsentEntry, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return nil, err
	}
	channels := o.Channels
	if len(channels) == 0 {
		channels = consent.Channels()
	}
	if o.Source == "" {
		o.Source = consent.AtDesk
	}
	ledger, err := s.d.Consents(ctx, tenant, o.CustomerID)
	if err != nil {
		return nil, err
	}
	key := consent.ContactKey(o.Contact)
	standing := map[subjectPurpose]consent.State{}
	for _, st := range Standing(ledger) {
		if st.Contact == key {
			standing[subjectPurpose{st.Channel, st.Purpose}] = st.State
		}
	}
	var entries []ConsentEntry
	for _, ch := range channels {
		purposes := consent.Purposes()
		for _, e := range ledger {
			if e.Channel == ch && e.Contact == key && !slices.Contains(purposes, e.Purpose) {
				purposes = append(purposes, e.Purpose)
			}
		}
		n := len(entries)
		add := func(p consent.Purpose, st consent.State) {
			entries = append(entries, ConsentEntry{CustomerID: o.CustomerID, Contact: o.Contact,
				Statement: consent.Statement{Channel: ch, Purpose: p, State: st, Basis: consent.BasisConsent,
					Source: o.Source, Evidence: o.Evidence}})
		}
		for _, p := range purposes {
			switch st, ok := standing[subjectPurpose{ch, p}]; {
			case !ok:
				add(p, consent.Denied)
			case st == consent.Granted:
				add(p, consent.Withdrawn)
			}
		}
		if len(entries) == n {
			// Said no again: a new statement, so that addresses the
			// record gained since go on the list too.
			add(consent.Marketing, consent.Denied)
		}
	}
	if len(entries) == 0 {
		// o.CustomerID is unknown, or no channel was named: let
		// RecordConsent report it.
		return s.RecordConsent(ctx, tenant, ConsentEntry{CustomerID: o.CustomerID})
	}
	return s.RecordConsent(ctx, tenant, entries...)
}

// CancelSMS is the desk's "Cancelar SMS": the customer's withdrawal of
// text messages for every purpose, with its phones put on the SMS
// suppression list.
func (s *Store) CancelSMS(ctx context.Context, tenant string, customerID uuid.UUID, source consent.Source, ev consent.Evidence) ([]ConsentEntry, error) {
	return s.Withdraw(ctx, tenant, OptOut{CustomerID: customerID, Channels: []consent.Channel{consent.SMS}, Source: source, Evidence: ev})
}

// Consents returns the customer's consent ledger, oldest statement first:
// the proof of every statement ever recorded. An unknown customer, or
// another tenant's, has an empty ledger. It returns ErrTenant, ErrClosed or
// the context's error.
func (s *Store) Consents(ctx context.Context, tenant string, customerID uuid.UUID) ([]ConsentEntry, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return nil, err
	}
	return s.d.Consents(ctx, tenant, customerID)
}

// ConsentStatus returns the states that stand for the customer and its
// contacts, one per subject, channel and purpose that has a statement,
// ordered by contact, channel and purpose: what the desk shows.
func (s *Store) ConsentStatus(ctx context.Context, tenant string, customerID uuid.UUID) ([]ConsentState, error) {
	ledger, err := s.Consents(ctx, tenant, customerID)
	if err != nil {
		return nil, err
	}
	return Standing(ledger), nil
}

// Standing derives from a ledger the states that stand: for each subject,
// channel and purpose, the entry that supersedes every other. The result
// is ordered by contact, channel and purpose.
func Standing(ledger []ConsentEntry) []ConsentState {
	type subject struct {
		contact string
		channel consent.Channel
		purpose consent.Purpose
	}
	best := map[subject]*ConsentEntry{}
	for i := range ledger {
		e := &ledger[i]
		k := subject{e.Contact, e.Channel, e.Purpose}
		if b := best[k]; b == nil || e.Supersedes(b) {
			best[k] = e
		}
	}
	out := make([]ConsentState, 0, len(best))
	for _, e := range best {
		out = append(out, stateOf(e))
	}
	slices.SortFunc(out, func(a, b ConsentState) int {
		if a.Contact != b.Contact {
			return cmpString(a.Contact, b.Contact)
		}
		if a.Channel != b.Channel {
			return int(a.Channel) - int(b.Channel)
		}
		return cmpString(string(a.Purpose), string(b.Purpose))
	})
	return out
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// checkAsk validates the channel and purpose of a question.
func checkAsk(ch consent.Channel, p consent.Purpose) error {
	if !ch.Valid() || !consent.Token(string(p)) {
		return fmt.Errorf("%w: unknown channel or malformed purpose", ErrInvalid)
	}
	return nil
}

// MayContact answers the question every sending system asks: may the
// customer (contact "") or its contact named contact be reached through
// channel for purpose, now? The answer is no unless a grant stands for
// that subject, channel and purpose, the subject has an address for the
// channel, and at least one of those addresses is off the suppression
// list; when it is yes, Decision.Addresses lists the addresses the message
// may go to. An unknown customer or contact is a "no" (consent.ReasonNotFound),
// not an error. It returns ErrInvalid for an unknown channel or a
// malformed purpose, ErrTenant, ErrClosed or the context's error.
func (s *Store) MayContact(ctx context.Context, tenant string, customerID uuid.UUID, contactName string, ch consent.Channel, p consent.Purpose) (consent.Decision, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return consent.Decision{}, err
	}
	if err := checkAsk(ch, p); err != nil {
		return consent.Decision{}, err
	}
	if contactName == "" && ch.Address() != consent.PostalAddress {
		return s.mayContactCustomer(ctx, tenant, customerID, ch, p)
	}
	c, err := s.d.Get(ctx, tenant, customerID)
	if errors.Is(err, ErrNotFound) {
		return consent.Decision{Reason: consent.ReasonNotFound}, nil
	}
	if err != nil {
		return consent.Decision{}, err
	}
	key, err := contactKeyOf(c, contactName)
	if err != nil {
		return consent.Decision{Reason: consent.ReasonNotFound}, nil
	}
	states, err := s.d.ConsentStates(ctx, tenant, []uuid.UUID{customerID}, ch, p)
	if err != nil {
		return consent.Decision{}, err
	}
	var cur *consent.Current
	for i := range states {
		if states[i].Contact == key {
			cur = &states[i].Current
		}
	}
	return s.decide(ctx, tenant, ch, cur, pointsOf(c, key, ch.Address()))
}

// mayContactCustomer is MayContact for the customer itself through a
// channel with addresses, without reading the whole record: the standing
// state, then (for a grant) the customer's addresses and the suppression
// list; the record is read only to tell an unknown customer from one
// without a statement.
func (s *Store) mayContactCustomer(ctx context.Context, tenant string, id uuid.UUID, ch consent.Channel, p consent.Purpose) (consent.Decision, error) {
	states, err := s.d.ConsentStates(ctx, tenant, []uuid.UUID{id}, ch, p)
	if err != nil {
		return consent.Decision{}, err
	}
	var cur *consent.Current
	for i := range states {
		if states[i].Contact == "" {
			cur = &states[i].Current
		}
	}
	if cur == nil {
		if _, err := s.d.Get(ctx, tenant, id); errors.Is(err, ErrNotFound) {
			return consent.Decision{Reason: consent.ReasonNotFound}, nil
		} else if err != nil {
			return consent.Decision{}, err
		}
		return consent.Decision{Reason: consent.ReasonNoRecord}, nil
	}
	if cur.State != consent.Granted {
		return consent.Decide(cur, nil, nil), nil
	}
	points, listed, err := s.pointsAndList(ctx, tenant, ch, []uuid.UUID{id})
	if err != nil {
		return consent.Decision{}, err
	}
	return consent.Decide(cur, points[ReachPosition{CustomerID: id}], listed), nil
}

// decide applies consent.Decide, reading the suppression list for the
// addresses when a grant stands.
func (s *Store) decide(ctx context.Context, tenant string, ch consent.Channel, cur *consent.Current, points []string) (consent.Decision, error) {
	if cur == nil || cur.State != consent.Granted || ch.Address() == consent.PostalAddress || len(points) == 0 {
		return consent.Decide(cur, points, nil), nil
	}
	fps := make([]string, len(points))
	for i, p := range points {
		fps[i] = s.fingerprint(tenant, ch, p)
	}
	listed, err := s.d.Suppressed(ctx, tenant, ch, fps)
	if err != nil {
		return consent.Decision{}, err
	}
	return consent.Decide(cur, points, func(p string) bool {
		return slices.Contains(listed, s.fingerprint(tenant, ch, p))
	}), nil
}

// Answer is the decision for one customer of a batch.
type Answer struct {
	CustomerID uuid.UUID `json:"customer_id"`
	consent.Decision
}

// MayContactMany answers MayContact for up to MaxBatch customers at once
// (the customers themselves, not their contacts), in the order of ids,
// with three indexed queries whatever the number: the standing states,
// the customers' addresses for the channel, and the suppression list. A
// customer the tenant does not have gets consent.ReasonNoRecord (the batch
// does not read the records of those without a standing statement), where
// MayContact says consent.ReasonNotFound.
// It returns ErrInvalid for more than MaxBatch IDs, an unknown channel or
// a malformed purpose, ErrTenant, ErrClosed or the context's error.
func (s *Store) MayContactMany(ctx context.Context, tenant string, ids []uuid.UUID, ch consent.Channel, p consent.Purpose) ([]Answer, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return nil, err
	}
	if err := checkAsk(ch, p); err != nil {
		return nil, err
	}
	if len(ids) > MaxBatch {
		return nil, fmt.Errorf("%w: more than %d customers in one batch", ErrInvalid, MaxBatch)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	uniq := slices.Clone(ids)
	slices.SortFunc(uniq, func(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) })
	uniq = slices.Compact(uniq)
	states, err := s.d.ConsentStates(ctx, tenant, uniq, ch, p)
	if err != nil {
		return nil, err
	}
	cur := map[uuid.UUID]*consent.Current{}
	var granted []uuid.UUID
	for i := range states {
		if states[i].Contact == "" {
			cur[states[i].CustomerID] = &states[i].Current
			if states[i].State == consent.Granted {
				granted = append(granted, states[i].CustomerID)
			}
		}
	}
	points, listed, err := s.pointsAndList(ctx, tenant, ch, granted)
	if err != nil {
		return nil, err
	}
	out := make([]Answer, len(ids))
	for i, id := range ids {
		out[i] = Answer{CustomerID: id, Decision: consent.Decide(cur[id], points[ReachPosition{CustomerID: id}], listed)}
	}
	return out, nil
}

// pointsAndList reads the addresses of a channel of the customers ids
// (and their contacts), by subject, and which of them are suppressed.
func (s *Store) pointsAndList(ctx context.Context, tenant string, ch consent.Channel, ids []uuid.UUID) (map[ReachPosition][]string, func(string) bool, error) {
	points := map[ReachPosition][]string{}
	kind := ch.Address()
	if len(ids) == 0 || kind == consent.PostalAddress {
		if kind == consent.PostalAddress && len(ids) > 0 {
			// Post has no suppression list; its addresses are the
			// records'.
			for _, id := range ids {
				c, err := s.d.Get(ctx, tenant, id)
				if errors.Is(err, ErrNotFound) {
					continue
				}
				if err != nil {
					return nil, nil, err
				}
				points[ReachPosition{CustomerID: id}] = pointsOf(c, "", kind)
			}
		}
		return points, func(string) bool { return false }, nil
	}
	rows, err := s.d.ContactPoints(ctx, tenant, ids, kind)
	if err != nil {
		return nil, nil, err
	}
	// A key two contacts of one record share names neither: their
	// addresses are dropped, and the subject cannot be reached.
	positions := map[ReachPosition]int{}
	ambiguous := map[ReachPosition]bool{}
	for _, r := range rows {
		k := ReachPosition{CustomerID: r.CustomerID, Contact: r.Contact}
		if p, ok := positions[k]; ok && p != r.Position {
			ambiguous[k] = true
		}
		positions[k] = r.Position
	}
	fpOf := map[string]string{}
	var fps []string
	for _, r := range rows {
		if ambiguous[ReachPosition{CustomerID: r.CustomerID, Contact: r.Contact}] {
			continue
		}
		k := ReachPosition{CustomerID: r.CustomerID, Contact: r.Contact}
		points[k] = append(points[k], r.Value)
		if _, ok := fpOf[r.Value]; !ok {
			fp := s.fingerprint(tenant, ch, r.Value)
			fpOf[r.Value] = fp
			fps = append(fps, fp)
		}
	}
	var listed []string
	if len(fps) > 0 {
		if listed, err = s.d.Suppressed(ctx, tenant, ch, fps); err != nil {
			return nil, nil, err
		}
	}
	set := make(map[string]bool, len(listed))
	for _, fp := range listed {
		set[fp] = true
	}
	return points, func(v string) bool { return set[fpOf[v]] }, nil
}

// Reach is one subject of a campaign list: a customer, or one of its
// contacts, that may be reached, and where.
type Reach struct {
	CustomerID uuid.UUID `json:"customer_id"`
	Contact    string    `json:"contact,omitempty"` // the contact's key; "" for the customer
	consent.Decision
}

// ReachPage is one page of [Store.Reachable].
type ReachPage struct {
	Items []Reach `json:"items"`
	Next  string  `json:"next,omitempty"`
}

// Reachable lists the customers and contacts that may be reached through
// channel for purpose, by customer ID, limit at a time (DefaultLimit when
// 0, at most MaxLimit), from the index of standing grants: a campaign's
// list. Subjects whose every address is suppressed, or who have none, are
// left out, so a page may hold fewer than limit items; only an empty Next
// ends the list. It returns ErrInvalid, ErrLimit, ErrCursor, ErrTenant,
// ErrClosed or the context's error.
func (s *Store) Reachable(ctx context.Context, tenant string, ch consent.Channel, p consent.Purpose, limit int, cursor string) (*ReachPage, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return nil, err
	}
	if err := checkAsk(ch, p); err != nil {
		return nil, err
	}
	n, err := pageLimit(limit)
	if err != nil {
		return nil, err
	}
	scope := append([]byte{byte(ch)}, p...)
	var after *ReachPosition
	if cursor != "" {
		pos, err := s.openPosition("reach", cursor, tenant, scope)
		if err != nil {
			return nil, err
		}
		after = &ReachPosition{CustomerID: pos.ID, Contact: pos.SortName}
	}
	states, err := s.d.Reachable(ctx, tenant, ch, p, after, n+1)
	if err != nil {
		return nil, err
	}
	next := ""
	if len(states) > n {
		states = states[:n]
		last := states[n-1]
		next = s.sealPosition("reach", Position{ID: last.CustomerID, SortName: last.Contact}, tenant, scope)
	}
	items, err := s.reach(ctx, tenant, ch, states)
	if err != nil {
		return nil, err
	}
	return &ReachPage{Items: items, Next: next}, nil
}

// reach decides each granted state, dropping the subjects that cannot be
// reached.
func (s *Store) reach(ctx context.Context, tenant string, ch consent.Channel, states []ConsentState) ([]Reach, error) {
	ids := make([]uuid.UUID, 0, len(states))
	for _, st := range states {
		if len(ids) == 0 || ids[len(ids)-1] != st.CustomerID {
			ids = append(ids, st.CustomerID)
		}
	}
	points, listed, err := s.pointsAndList(ctx, tenant, ch, ids)
	if err != nil {
		return nil, err
	}
	items := make([]Reach, 0, len(states))
	for i := range states {
		st := &states[i]
		d := consent.Decide(&st.Current, points[ReachPosition{CustomerID: st.CustomerID, Contact: st.Contact}], listed)
		if d.Allowed {
			items = append(items, Reach{CustomerID: st.CustomerID, Contact: st.Contact, Decision: d})
		}
	}
	return items, nil
}

// Snapshot holds every subject that may be reached through one channel
// for one purpose, as it was when it was loaded: a campaign that asks a
// million times asks it, not the database. It is safe for concurrent use.
type Snapshot struct {
	Channel consent.Channel
	Purpose consent.Purpose
	Taken   time.Time // the store's clock when loading began
	allowed map[ReachPosition][]string
}

// May answers for the customer (contactKey "") or one of its contacts (by
// consent.ContactKey) as the store answered when the snapshot was taken:
// allowed, with the addresses, or not (consent.ReasonNoRecord covers every
// "no": the snapshot keeps only the subjects that may be reached).
func (sn *Snapshot) May(customerID uuid.UUID, contactKey string) consent.Decision {
	a, ok := sn.allowed[ReachPosition{CustomerID: customerID, Contact: contactKey}]
	if !ok {
		return consent.Decision{Reason: consent.ReasonNoRecord}
	}
	return consent.Decision{Allowed: true, Reason: consent.ReasonGranted, Addresses: slices.Clone(a)}
}

// Len returns how many subjects may be reached.
func (sn *Snapshot) Len() int { return len(sn.allowed) }

// LoadSnapshot reads the whole campaign list of channel and purpose (see
// [Store.Reachable]) into a [Snapshot], MaxLimit subjects per round trip.
// A statement recorded after it was loaded is not in it: load it again
// before each campaign. It returns Reachable's errors.
func (s *Store) LoadSnapshot(ctx context.Context, tenant string, ch consent.Channel, p consent.Purpose) (*Snapshot, error) {
	sn := &Snapshot{Channel: ch, Purpose: p, Taken: Timestamp(s.now()), allowed: map[ReachPosition][]string{}}
	cursor := ""
	for {
		page, err := s.Reachable(ctx, tenant, ch, p, MaxLimit, cursor)
		if err != nil {
			return nil, err
		}
		for _, r := range page.Items {
			sn.allowed[ReachPosition{CustomerID: r.CustomerID, Contact: r.Contact}] = r.Addresses
		}
		if page.Next == "" {
			return sn, nil
		}
		cursor = page.Next
	}
}

// SuppressAddress puts a phone or an e-mail on the tenant's suppression
// list for channel: an opt-out that arrives for an address, such as a
// "SAIR" reply from a number no record holds. The address stays
// suppressed for that channel on every record that holds it, now or after
// a re-import, until a grant made through it lifts it. It returns
// ErrInvalid for a channel without such addresses or an address that does
// not parse, ErrTenant, ErrClosed or the context's error.
func (s *Store) SuppressAddress(ctx context.Context, tenant string, ch consent.Channel, address string, source consent.Source) error {
	if err := s.begin(ctx, tenant); err != nil {
		return err
	}
	value, err := parseAddress(ch, address)
	if err != nil {
		return err
	}
	if source == "" {
		source = consent.AtDesk
	}
	if !consent.Token(string(source)) {
		return fmt.Errorf("%w: malformed source", ErrInvalid)
	}
	return s.d.Suppress(ctx, tenant, []Suppression{{Channel: ch, Fingerprint: s.fingerprint(tenant, ch, value),
		Since: Timestamp(s.now()), Source: source}})
}

// IsSuppressed reports whether a phone or an e-mail is on the tenant's
// suppression list for channel. It returns SuppressAddress's errors.
func (s *Store) IsSuppressed(ctx context.Context, tenant string, ch consent.Channel, address string) (bool, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return false, err
	}
	value, err := parseAddress(ch, address)
	if err != nil {
		return false, err
	}
	listed, err := s.d.Suppressed(ctx, tenant, ch, []string{s.fingerprint(tenant, ch, value)})
	return len(listed) > 0, err
}

// parseAddress reads a typed phone or e-mail in the canonical form of the
// channel's kind of address.
func parseAddress(ch consent.Channel, address string) (string, error) {
	switch ch.Address() {
	case consent.PhoneAddress:
		p, err := contact.ParsePhone(address)
		if err != nil {
			return "", fmt.Errorf("%w: not a phone number", ErrInvalid)
		}
		return p.String(), nil
	case consent.EmailAddress:
		e, err := contact.ParseEmail(address)
		if err != nil {
			return "", fmt.Errorf("%w: not an e-mail address", ErrInvalid)
		}
		return e.String(), nil
	}
	return "", fmt.Errorf("%w: the channel has no suppression list", ErrInvalid)
}
