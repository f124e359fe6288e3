package memory

import (
	"bytes"
	"context"
	"slices"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/agenda"
	"github.com/fichacrm/ficha/consent"
	"github.com/fichacrm/ficha/storage"
)

// consentData is a tenant's consent ledger, the states that stand, the
// suppression list and the register of requests.
type consentData struct {
	// ledger holds each customer's entries in the order recorded; ids
	// the IDs of every entry.
	ledger map[uuid.UUID][]storage.ConsentEntry
	ids    map[uuid.UUID]bool
	states map[stateKey]storage.ConsentState
	// suppressed holds the suppression list by channel and fingerprint.
	suppressed map[supKey]storage.Suppression
	requests   map[uuid.UUID]storage.Request
}

type stateKey struct {
	customer uuid.UUID
	contact  string
	channel  consent.Channel
	purpose  consent.Purpose
}

type supKey struct {
	channel     consent.Channel
	fingerprint string
}

// consentOf returns the tenant's consent data, making it when create is
// set (nil otherwise, when there is none).
func (t *tenant) consentOf(create bool) *consentData {
	if t.consent == nil && create {
		t.consent = &consentData{ledger: map[uuid.UUID][]storage.ConsentEntry{}, ids: map[uuid.UUID]bool{},
			states: map[stateKey]storage.ConsentState{}, suppressed: map[supKey]storage.Suppression{},
			requests: map[uuid.UUID]storage.Request{}}
	}
	return t.consent
}

// dropConsent removes a deleted customer's ledger and states, as the SQL
// adapters' foreign keys do. The suppression list and the register stay.
func (t *tenant) dropConsent(id uuid.UUID) {
	cd := t.consentOf(false)
	if cd == nil {
		return
	}
	for _, e := range cd.ledger[id] {
		delete(cd.ids, e.ID)
	}
	delete(cd.ledger, id)
	for k := range cd.states {
		if k.customer == id {
			delete(cd.states, k)
		}
	}
}

// RecordConsent implements [storage.Driver].
func (d *Driver) RecordConsent(ctx context.Context, tenant string, w *storage.ConsentWrite) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.check(ctx); err != nil {
		return err
	}
	t := d.tenant(tenant, false)
	if t == nil || t.records[w.CustomerID] == nil {
		return storage.ErrNotFound
	}
	cd := t.consentOf(true)
	for _, e := range w.Entries {
		if cd.ids[e.ID] {
			return storage.ErrExists
		}
	}
	if _, done := storage.IsAnonymised(t.records[w.CustomerID].c); done {
		return storage.ErrAnonymised
	}
	for _, e := range w.Entries {
		cd.ids[e.ID] = true
		cd.ledger[w.CustomerID] = append(cd.ledger[w.CustomerID], e)
		k := stateKey{e.CustomerID, e.Contact, e.Channel, e.Purpose}
		cur, ok := cd.states[k]
		if !ok || e.Supersedes(&storage.ConsentEntry{At: cur.Since, ID: cur.Entry}) {
			cd.states[k] = storage.ConsentState{CustomerID: e.CustomerID, Contact: e.Contact, Channel: e.Channel,
				Purpose: e.Purpose, Current: consent.Current{State: e.State, Basis: e.Basis, Since: e.At}, Entry: e.ID}
		}
	}
	cd.suppress(w.Suppress)
	for _, l := range w.Lift {
		k := supKey{l.Channel, l.Fingerprint}
		if old, ok := cd.suppressed[k]; ok && !old.Since.After(l.Since) {
			delete(cd.suppressed, k)
		}
	}
	return nil
}

// suppress adds addresses to the list; one listed already keeps its
// entry.
func (cd *consentData) suppress(list []storage.Suppression) {
	for _, s := range list {
		k := supKey{s.Channel, s.Fingerprint}
		if _, ok := cd.suppressed[k]; !ok {
			cd.suppressed[k] = s
		}
	}
}

// Suppress implements [storage.Driver].
func (d *Driver) Suppress(ctx context.Context, tenant string, list []storage.Suppression) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.check(ctx); err != nil {
		return err
	}
	d.tenant(tenant, true).consentOf(true).suppress(list)
	return nil
}

// Consents implements [storage.Driver].
func (d *Driver) Consents(ctx context.Context, tenant string, customerID uuid.UUID) ([]storage.ConsentEntry, error) {
	t, unlock, err := d.read(ctx, tenant)
	defer unlock()
	if err != nil || t == nil || t.consent == nil {
		return nil, err
	}
	out := slices.Clone(t.consent.ledger[customerID])
	slices.SortStableFunc(out, func(a, b storage.ConsentEntry) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return bytes.Compare(a.ID[:], b.ID[:])
	})
	return out, nil
}

// ConsentStates implements [storage.Driver].
func (d *Driver) ConsentStates(ctx context.Context, tenant string, ids []uuid.UUID, channel consent.Channel, purpose consent.Purpose) ([]storage.ConsentState, error) {
	t, unlock, err := d.read(ctx, tenant)
	defer unlock()
	if err != nil || t == nil || t.consent == nil {
		return nil, err
	}
	var out []storage.ConsentState
	for _, id := range ids {
		for _, e := range t.consent.ledger[id] {
			k := stateKey{id, e.Contact, channel, purpose}
			if st, ok := t.consent.states[k]; ok && st.Entry == e.ID {
				out = append(out, st)
			}
		}
	}
	return out, nil
}

// Reachable implements [storage.Driver], with one pass over the tenant's
// states.
func (d *Driver) Reachable(ctx context.Context, tenant string, channel consent.Channel, purpose consent.Purpose, after *storage.ReachPosition, limit int) ([]storage.ConsentState, error) {
	t, unlock, err := d.read(ctx, tenant)
	defer unlock()
	if err != nil || t == nil || t.consent == nil {
		return nil, err
	}
	var out []storage.ConsentState
	for k, st := range t.consent.states {
		if k.channel != channel || k.purpose != purpose || st.State != consent.Granted {
			continue
		}
		if after != nil && compareReach(storage.ReachPosition{CustomerID: k.customer, Contact: k.contact}, *after) <= 0 {
			continue
		}
		out = append(out, st)
	}
	slices.SortFunc(out, func(a, b storage.ConsentState) int {
		return compareReach(storage.ReachPosition{CustomerID: a.CustomerID, Contact: a.Contact},
			storage.ReachPosition{CustomerID: b.CustomerID, Contact: b.Contact})
	})
	return out[:min(limit, len(out))], nil
}

func compareReach(a, b storage.ReachPosition) int {
	if c := bytes.Compare(a.CustomerID[:], b.CustomerID[:]); c != 0 {
		return c
	}
	return bytes.Compare([]byte(a.Contact), []byte(b.Contact))
}

// ContactPoints implements [storage.Driver].
func (d *Driver) ContactPoints(ctx context.Context, tenant string, ids []uuid.UUID, kind consent.Address) ([]storage.ContactPoint, error) {
	t, unlock, err := d.read(ctx, tenant)
	defer unlock()
	if err != nil || t == nil {
		return nil, err
	}
	var out []storage.ContactPoint
	for _, id := range ids {
		r := t.records[id]
		if r == nil {
			continue
		}
		add := func(contact string, pos int, v string) {
			out = append(out, storage.ContactPoint{CustomerID: id, Contact: contact, Position: pos, Value: v})
		}
		switch kind {
		case consent.PhoneAddress:
			for _, p := range r.c.Phones {
				add("", 0, p.String())
			}
			for i, ct := range r.c.Contacts {
				for _, p := range ct.Phones {
					add(consent.ContactKey(ct.Name), i, p.String())
				}
			}
		case consent.EmailAddress:
			for _, e := range r.c.Emails {
				add("", 0, e.String())
			}
			for i, ct := range r.c.Contacts {
				if !ct.Email.IsZero() {
					add(consent.ContactKey(ct.Name), i, ct.Email.String())
				}
			}
		}
	}
	return out, nil
}

// Suppressed implements [storage.Driver].
func (d *Driver) Suppressed(ctx context.Context, tenant string, channel consent.Channel, fingerprints []string) ([]string, error) {
	t, unlock, err := d.read(ctx, tenant)
	defer unlock()
	if err != nil || t == nil || t.consent == nil {
		return nil, err
	}
	var out []string
	for _, fp := range fingerprints {
		if _, ok := t.consent.suppressed[supKey{channel, fp}]; ok && !slices.Contains(out, fp) {
			out = append(out, fp)
		}
	}
	return out, nil
}

// Anonymise implements [storage.Driver].
func (d *Driver) Anonymise(ctx context.Context, a *storage.Anonymisation) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.check(ctx); err != nil {
		return err
	}
	rec := a.Record
	c := rec.Customer
	t := d.tenant(rec.Tenant, false)
	if t == nil || t.records[c.ID] == nil {
		return storage.ErrNotFound
	}
	old := t.records[c.ID].c
	if old.Version != a.Expect || rec.Stored != nil && !old.CreatedAt.Equal(rec.Stored.CreatedAt) {
		return storage.ErrConflict
	}
	stored := c.Clone()
	stored.CreatedAt = old.CreatedAt
	t.remove(c.ID)
	t.put(stored, rec.Keys)
	t.touch(c.ID, rec.Touched, c.UpdatedAt)
	for i := range t.attendances[c.ID] {
		at := &t.attendances[c.ID][i]
		at.Contact, at.Outcome, at.Notes = "", "", ""
	}
	for _, it := range t.items {
		if it.CustomerID == c.ID {
			it.Contact, it.Subject, it.Notes = "", storage.AnonymisedText, ""
			if it.Status == agenda.Open {
				it.Status = agenda.Cancelled
			}
			it.Version++
		}
	}
	t.append(rec.Change)
	for _, id := range append([]uuid.UUID{c.ID}, a.Absorbed...) {
		for pos := range t.history(id) {
			e := &t.log[pos]
			e.fields = packFields(a.Scrub(unpackFields(e.fields)))
		}
	}
	if cd := t.consentOf(false); cd != nil {
		var keys []string
		for _, e := range cd.ledger[c.ID] {
			if e.Contact != "" && !slices.Contains(keys, e.Contact) {
				keys = append(keys, e.Contact)
			}
		}
		slices.Sort(keys)
		for i := range cd.ledger[c.ID] {
			if e := &cd.ledger[c.ID][i]; e.Contact != "" {
				e.Contact = storage.AnonymisedContact(slices.Index(keys, e.Contact) + 1)
			}
		}
		for k := range cd.states {
			if k.customer == c.ID {
				delete(cd.states, k)
			}
		}
	}
	return nil
}

// PutRequest implements [storage.Driver].
func (d *Driver) PutRequest(ctx context.Context, tenant string, r *storage.Request, expect int64) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.check(ctx); err != nil {
		return err
	}
	cd := d.tenant(tenant, true).consentOf(true)
	old, ok := cd.requests[r.ID]
	switch {
	case expect == 0 && ok:
		return storage.ErrExists
	case expect != 0 && !ok:
		return storage.ErrNotFound
	case expect != 0 && old.Version != expect:
		return storage.ErrConflict
	}
	cd.requests[r.ID] = *r
	return nil
}

// GetRequest implements [storage.Driver].
func (d *Driver) GetRequest(ctx context.Context, tenant string, id uuid.UUID) (*storage.Request, error) {
	t, unlock, err := d.read(ctx, tenant)
	defer unlock()
	if err != nil {
		return nil, err
	}
	if t == nil || t.consent == nil {
		return nil, storage.ErrNotFound
	}
	r, ok := t.consent.requests[id]
	if !ok {
		return nil, storage.ErrNotFound
	}
	return &r, nil
}

// Requests implements [storage.Driver], with one pass over the register.
func (d *Driver) Requests(ctx context.Context, tenant string, open bool, after *storage.Position, limit int) ([]storage.Request, error) {
	t, unlock, err := d.read(ctx, tenant)
	defer unlock()
	if err != nil || t == nil || t.consent == nil {
		return nil, err
	}
	// key orders the register: by due time ascending for the open ones,
	// by received time descending for all.
	key := func(r storage.Request) storage.Position {
		if open {
			return storage.Position{UpdatedAt: r.Due, ID: r.ID}
		}
		return storage.Position{UpdatedAt: r.Received, ID: r.ID}
	}
	cmp := func(a, b storage.Position) int {
		c := a.UpdatedAt.Compare(b.UpdatedAt)
		if c == 0 {
			c = bytes.Compare(a.ID[:], b.ID[:])
		}
		if !open {
			c = -c
		}
		return c
	}
	var out []storage.Request
	for _, r := range t.consent.requests {
		if open && !r.Answered.IsZero() {
			continue
		}
		if after != nil && cmp(key(r), *after) <= 0 {
			continue
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b storage.Request) int { return cmp(key(a), key(b)) })
	return out[:min(limit, len(out))], nil
}
