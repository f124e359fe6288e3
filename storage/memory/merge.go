package memory

import (
	"bytes"
	"context"
	"slices"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
)

// Merge implements [storage.Driver]. Every check comes before the first
// change, so that a refused merge leaves the tenant as it was.
func (d *Driver) Merge(ctx context.Context, m *storage.Merging) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.check(ctx); err != nil {
		return err
	}
	rec := m.Record
	into, from := rec.Customer.ID, m.From
	t := d.tenant(rec.Tenant, false)
	if t == nil || t.records[into] == nil || t.records[from] == nil {
		return storage.ErrNotFound
	}
	if t.records[into].c.Version != m.Expect || t.records[from].c.Version != m.FromExpect {
		return storage.ErrConflict
	}
	if tax := rec.Customer.TaxID.String(); tax != "" {
		if holder, ok := t.taxIDs[tax]; ok && holder != into && holder != from {
			return &storage.DuplicateTaxIDError{HolderID: holder}
		}
	}

	// What From has that is not its record moves to the survivor.
	moved := t.attendances[from]
	for i := range moved {
		moved[i].CustomerID = into
	}
	t.attendances[into] = append(t.attendances[into], moved...)
	slices.SortFunc(t.attendances[into], compareAttendances)
	delete(t.attendances, from)
	for _, it := range t.items {
		if it.CustomerID == from {
			it.CustomerID = into
		}
	}
	if last := t.last[from]; last.After(t.last[into]) {
		t.last[into] = last
	}
	delete(t.last, from)
	for s, at := range t.fresh[from].freshness() {
		t.touch(into, s, at)
	}
	delete(t.fresh, from)
	if cd := t.consentOf(false); cd != nil {
		ledger := append(cd.ledger[into], cd.ledger[from]...)
		for i := range ledger {
			ledger[i].CustomerID = into
		}
		delete(cd.ledger, from)
		cd.ledger[into] = ledger
		for k := range cd.states {
			if k.customer == into || k.customer == from {
				delete(cd.states, k)
			}
		}
		for _, st := range storage.Standing(ledger) {
			cd.states[stateKey{into, st.Contact, st.Channel, st.Purpose}] = st
		}
		for id, r := range cd.requests {
			if r.CustomerID == from {
				r.CustomerID = into
				cd.requests[id] = r
			}
		}
	}

	// From goes; the survivor takes the merged record.
	created := t.records[into].c.CreatedAt
	t.remove(from)
	t.remove(into)
	stored := rec.Customer.Clone()
	stored.CreatedAt = created
	t.put(stored, rec.Keys)
	t.touch(into, rec.Touched, rec.Customer.UpdatedAt)
	if t.redirects == nil {
		t.redirects = map[uuid.UUID]storage.Redirect{}
	}
	for id, r := range t.redirects {
		if r.To == from {
			r.To = into
			t.redirects[id] = r
		}
	}
	t.redirects[from] = storage.Redirect{From: from, To: into, At: rec.Customer.UpdatedAt}
	t.append(rec.Change)
	t.append(m.FromChange)
	return nil
}

// Redirect implements [storage.Driver].
func (d *Driver) Redirect(ctx context.Context, tenant string, id uuid.UUID) (storage.Redirect, error) {
	t, unlock, err := d.read(ctx, tenant)
	defer unlock()
	if err != nil {
		return storage.Redirect{}, err
	}
	if t == nil {
		return storage.Redirect{}, storage.ErrNotFound
	}
	r, ok := t.redirects[id]
	if !ok {
		return storage.Redirect{}, storage.ErrNotFound
	}
	return r, nil
}

// Redirects implements [storage.Driver].
func (d *Driver) Redirects(ctx context.Context, tenant string, ids []uuid.UUID) (map[uuid.UUID]uuid.UUID, error) {
	t, unlock, err := d.read(ctx, tenant)
	defer unlock()
	out := map[uuid.UUID]uuid.UUID{}
	if err != nil || t == nil {
		return out, err
	}
	for _, id := range ids {
		if r, ok := t.redirects[id]; ok {
			out[id] = r.To
		}
	}
	return out, nil
}

// Merged implements [storage.Driver].
func (d *Driver) Merged(ctx context.Context, tenant string, id uuid.UUID) ([]uuid.UUID, error) {
	t, unlock, err := d.read(ctx, tenant)
	defer unlock()
	if err != nil || t == nil {
		return nil, err
	}
	var out []uuid.UUID
	for from, r := range t.redirects {
		if r.To == id {
			out = append(out, from)
		}
	}
	return out, nil
}

// Customers implements [storage.Driver].
func (d *Driver) Customers(ctx context.Context, tenant string, ids []uuid.UUID) (map[uuid.UUID]*customer.Customer, error) {
	t, unlock, err := d.read(ctx, tenant)
	defer unlock()
	if err != nil {
		return nil, err
	}
	out := make(map[uuid.UUID]*customer.Customer, len(ids))
	if t == nil {
		return out, nil
	}
	for _, id := range ids {
		if r := t.records[id]; r != nil {
			out[id] = r.c.Clone()
		}
	}
	return out, nil
}

// Holders implements [storage.Driver].
func (d *Driver) Holders(ctx context.Context, tenant string, keys []customer.Key, limit int) ([]storage.Holder, error) {
	t, unlock, err := d.read(ctx, tenant)
	defer unlock()
	if err != nil || t == nil {
		return nil, err
	}
	var out []storage.Holder
	for _, k := range keys {
		set := t.index[k.Field][k.Value]
		ids := slices.AppendSeq(make([]uuid.UUID, 0, set.len()), set.all())
		slices.SortFunc(ids, func(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) })
		for _, id := range ids[:min(len(ids), limit+1)] {
			out = append(out, storage.Holder{Key: k, ID: id})
		}
	}
	return out, nil
}
