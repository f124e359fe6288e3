package storage

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/dedupe"
	"github.com/fichacrm/ficha/validation"
)

// Key names the natural key by which an upsert knows a customer it holds
// already.
type Key uint8

// The natural keys.
const (
	KeyTaxID   Key = iota // the CPF or CNPJ (the default)
	KeyDMSCode            // the customer's code in the DMS
	KeyID                 // the record's ID, as an export wrote it
	KeyEmail              // the first e-mail
)

var keyNames = [...]string{"tax_id", "dms_code", "id", "email"}

// String returns the key's name: "tax_id", "dms_code", "id" or "email".
func (k Key) String() string {
	if int(k) < len(keyNames) {
		return keyNames[k]
	}
	return ""
}

// ParseKey returns the key a name names.
func ParseKey(s string) (Key, error) {
	for i, n := range keyNames {
		if n == s {
			return Key(i), nil
		}
	}
	return 0, fmt.Errorf("%w: unknown natural key", ErrInvalid)
}

// UpsertOptions tunes [Store.Upsert]. The zero value upserts by CPF/CNPJ
// under the store's edit policy.
type UpsertOptions struct {
	Key Key
	// Policy is the edit policy updates are held to; nil is the store's.
	Policy customer.Policy
	// DryRun checks everything, the store's state included (who holds a
	// CPF, what the policy locks), and writes nothing.
	DryRun bool
}

// Upserted is what an upsert did with one customer.
type Upserted uint8

// The outcomes of an upsert.
const (
	Failed    Upserted = iota // nothing was written: see the result's error
	Created                   // a new customer
	Updated                   // a known customer, changed
	Unchanged                 // a known customer, which the input did not change
)

var outcomeNames = [...]string{"failed", "created", "updated", "unchanged"}

// String returns the outcome's name.
func (o Upserted) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return ""
}

// UpsertResult is the outcome of one customer of an upsert.
type UpsertResult struct {
	Outcome Upserted
	// Customer is the customer as stored; in a dry run, as it would be
	// stored.
	Customer *customer.Customer
	Err      error
}

// ErrAmbiguous is returned for an input whose natural key more than one
// customer holds (two records with one DMS code, say): which one to
// update is the attendant's call. Merge them first.
var ErrAmbiguous = errors.New("storage: more than one customer holds this key")

// RepeatedError is returned for an input whose natural key an earlier
// input of the same call holds: the earlier one wins.
type RepeatedError struct {
	First int // the index of the earlier input
}

// Error names the earlier input; it holds no value of either.
func (e *RepeatedError) Error() string {
	return fmt.Sprintf("storage: the same key as input %d", e.First)
}

// Is makes a RepeatedError match ErrExists.
func (e *RepeatedError) Is(target error) bool { return target == ErrExists }

// SameCustomerError is returned for an input that stands for the same
// customer as an earlier input of the same call: a stored one, found by
// another key or as its likely duplicate (two rows of a file of leads that
// name one person), or, for an input without the natural key, a new one
// the earlier input creates. The earlier one is applied and this one is
// not, so that a call writes a customer once, whether it is a dry run or
// not.
type SameCustomerError struct {
	First int // the index of the earlier input
}

// Error names the earlier input; it holds no value of either.
func (e *SameCustomerError) Error() string {
	return fmt.Sprintf("storage: the same customer as input %d", e.First)
}

// Upsert stores customers the way an import or a DMS sync does: each input
// whose natural key (opts.Key) no customer holds is created as
// [Store.CreateMany] creates it; each input whose key a customer holds
// updates that customer with [dedupe.Overlay] (what the input holds
// replaces, what it leaves empty stays, lists are united) under the edit
// policy, and is written only when something changed. An input without the
// key (a prospect without a CPF) updates the customer its ID names, else
// the one it is the likely duplicate of (dedupe.Compare), else it is
// created; two likely duplicates make it ErrAmbiguous. It returns one
// result per input, in order; one failure does not stop the others. The returned
// error is non-nil only when nothing could be attempted: ErrActor,
// ErrTenant, ErrClosed or the context's error.
//
// The keys are looked up in one indexed read per call, and the creations
// written in batches; each update is its own transaction. A result's error
// is Create's or Update's, ErrAmbiguous, a *RepeatedError or a
// *SameCustomerError.
func (s *Store) Upsert(ctx context.Context, tenant string, cs []*customer.Customer, opts *UpsertOptions) ([]UpsertResult, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return nil, err
	}
	actor, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	var o UpsertOptions
	if opts != nil {
		o = *opts
	}
	if o.Policy == nil {
		o.Policy = s.policy
	}
	results := make([]UpsertResult, len(cs))
	keys := make([]string, len(cs))
	first := map[string]int{}
	for i, c := range cs {
		if c == nil {
			results[i].Err = fmt.Errorf("%w: nil customer", ErrInvalid)
			continue
		}
		keys[i] = NaturalKey(o.Key, c)
		if keys[i] == "" {
			continue
		}
		if j, seen := first[keys[i]]; seen {
			results[i].Err = &RepeatedError{First: j}
			keys[i] = ""
			continue
		}
		first[keys[i]] = i
	}
	holders, err := s.holders(ctx, tenant, o.Key, first)
	if err != nil {
		return nil, err
	}
	var known []uuid.UUID
	for _, ids := range holders {
		if len(ids) == 1 {
			known = append(known, ids[0])
		}
	}
	stored, err := s.d.Customers(ctx, tenant, known)
	if err != nil {
		return nil, err
	}
	var fresh []int
	// target is, by each stored customer an input was applied to, that
	// input.
	target := map[uuid.UUID]int{}
	for i, c := range cs {
		if c == nil || results[i].Err != nil {
			continue
		}
		ids := holders[keys[i]]
		if keys[i] == "" {
			if ids, err = s.keyless(ctx, tenant, c); err != nil {
				return nil, err
			}
			if len(ids) == 1 && stored[ids[0]] == nil {
				found, err := s.d.Customers(ctx, tenant, ids)
				if err != nil {
					return nil, err
				}
				stored[ids[0]] = found[ids[0]]
			}
		}
		switch {
		case len(ids) == 0:
			fresh = append(fresh, i)
		case len(ids) > 1:
			results[i].Err = ErrAmbiguous
		default:
			if j, ok := target[ids[0]]; ok {
				results[i].Err = &SameCustomerError{First: j}
				continue
			}
			results[i] = s.upsertOne(ctx, tenant, c, stored[ids[0]], o, actor)
			if results[i].Err == nil {
				target[ids[0]] = i
			}
		}
	}
	keyless := make([]bool, len(cs))
	for i := range cs {
		keyless[i] = keys[i] == ""
	}
	return results, s.createFresh(ctx, tenant, cs, fresh, results, o, actor, keyless)
}

// sameAsFresh reports whether input i, to be created, is the likely
// duplicate (dedupe.Compare) of an earlier input of the call that is to be
// created too, and which, by the search keys its record was made with: one new lead in three rows of a file is one
// customer, not three. Only an input without the natural key is judged
// so; the match keys of every input that is to be created (valid, and not
// the same as an earlier one) go in block, where the earlier ones are
// found.
func sameAsFresh(cs []*customer.Customer, i int, searchKeys []customer.Key, keyless bool, block map[customer.Key][]int) (int, bool) {
	keys := blockKeys(searchKeys)
	if keyless {
		first := -1
		for _, k := range keys {
			for _, j := range block[k] {
				if (first < 0 || j < first) && dedupe.Compare(cs[i], cs[j]).Score >= dedupe.Threshold {
					first = j
				}
			}
		}
		if first >= 0 {
			return first, true
		}
	}
	for _, k := range keys {
		if len(block[k]) < MaxBlock {
			block[k] = append(block[k], i)
		}
	}
	return 0, false
}

// keyless finds the customer an input without its natural key stands for:
// the one its ID names (an export's row), else the one it is the likely
// duplicate of (dedupe.Compare, through a shared identifier or match
// key), so that importing a file of leads twice does not create them
// twice. It returns no ID (a new customer), one, or several (ambiguous).
func (s *Store) keyless(ctx context.Context, tenant string, c *customer.Customer) ([]uuid.UUID, error) {
	if c.ID != uuid.Nil {
		found, err := s.d.Customers(ctx, tenant, []uuid.UUID{c.ID})
		if err != nil {
			return nil, err
		}
		if found[c.ID] != nil {
			return []uuid.UUID{c.ID}, nil
		}
		moved, err := s.d.Redirects(ctx, tenant, []uuid.UUID{c.ID})
		if err != nil {
			return nil, err
		}
		if to, ok := moved[c.ID]; ok {
			return []uuid.UUID{to}, nil
		}
	}
	cands, err := s.candidates(ctx, tenant, c, nil)
	if err != nil {
		return nil, err
	}
	ids := make([]uuid.UUID, len(cands))
	for i, cand := range cands {
		ids[i] = cand.ID
	}
	return ids, nil
}

// NaturalKey returns c's value of the key k as an upsert compares it
// (canonical CPF/CNPJ, DMS code in capitals, ID, e-mail), or "" when c has
// none.
func NaturalKey(k Key, c *customer.Customer) string {
	switch k {
	case KeyTaxID:
		return c.TaxID.String()
	case KeyDMSCode:
		return strings.ToUpper(strings.TrimSpace(c.DMSCode))
	case KeyID:
		if c.ID != uuid.Nil {
			return c.ID.String()
		}
	case KeyEmail:
		if len(c.Emails) > 0 {
			return c.Emails[0].String()
		}
	}
	return ""
}

// holders returns, by natural key, the customers that hold it: up to two,
// enough to tell one from many.
func (s *Store) holders(ctx context.Context, tenant string, k Key, values map[string]int) (map[string][]uuid.UUID, error) {
	out := make(map[string][]uuid.UUID, len(values))
	if len(values) == 0 {
		return out, nil
	}
	if k == KeyID {
		ids := make([]uuid.UUID, 0, len(values))
		for v := range values {
			ids = append(ids, uuid.MustParse(v))
		}
		found, err := s.d.Customers(ctx, tenant, ids)
		if err != nil {
			return nil, err
		}
		var missing []uuid.UUID
		for _, id := range ids {
			if found[id] != nil {
				out[id.String()] = []uuid.UUID{id}
			} else {
				missing = append(missing, id)
			}
		}
		// The ID of a record merged into another (an export taken before
		// the merge) names the survivor.
		moved, err := s.d.Redirects(ctx, tenant, missing)
		if err != nil {
			return nil, err
		}
		for from, to := range moved {
			out[from.String()] = []uuid.UUID{to}
		}
		return out, nil
	}
	field := map[Key]customer.Field{KeyTaxID: customer.FieldTaxID, KeyDMSCode: customer.FieldDMSCustomer, KeyEmail: customer.FieldEmail}[k]
	if field == 0 {
		return nil, fmt.Errorf("%w: unknown natural key", ErrInvalid)
	}
	keys := make([]customer.Key, 0, len(values))
	for v := range values {
		keys = append(keys, customer.Key{Field: field, Value: v})
	}
	hs, err := s.d.Holders(ctx, tenant, keys, 1)
	if err != nil {
		return nil, err
	}
	for _, h := range hs {
		out[h.Key.Value] = append(out[h.Key.Value], h.ID)
	}
	return out, nil
}

// upsertOne updates the stored customer with c.
func (s *Store) upsertOne(ctx context.Context, tenant string, c, old *customer.Customer, o UpsertOptions, actor Actor) UpsertResult {
	if old == nil {
		// Deleted or merged between the look-up and now.
		return UpsertResult{Err: ErrNotFound}
	}
	if _, done := IsAnonymised(old); done {
		return UpsertResult{Err: ErrAnonymised}
	}
	merged, err := dedupe.Overlay(old, c)
	if err != nil {
		return UpsertResult{Err: fmt.Errorf("%w: %w", ErrInvalid, err)}
	}
	now := s.now()
	n, err := s.prepare(merged, now, old)
	if err != nil {
		return UpsertResult{Err: inRowTerms(err, merged, c)}
	}
	n.ID, n.Version, n.CreatedAt, n.UpdatedAt = old.ID, old.Version, old.CreatedAt, old.UpdatedAt
	if !isEmpty(o.Policy) {
		if err := customer.CheckPolicy(o.Policy, old, n); err != nil {
			return UpsertResult{Err: fmt.Errorf("%w: %w", ErrLocked, err)}
		}
	}
	fields := logFields(old, n)
	if len(fields) == 0 {
		return UpsertResult{Outcome: Unchanged, Customer: old}
	}
	if tax := n.TaxID.String(); tax != "" && n.TaxID != old.TaxID {
		// Checked here too, so that a dry run says what the write would.
		held, err := s.holders(ctx, tenant, KeyTaxID, map[string]int{tax: 0})
		if err != nil {
			return UpsertResult{Err: err}
		}
		if ids := held[tax]; len(ids) > 0 && ids[0] != old.ID {
			return UpsertResult{Err: &DuplicateTaxIDError{HolderID: ids[0]}}
		}
	}
	n.Version = old.Version + 1
	n.UpdatedAt = updatedAt(now, old.UpdatedAt)
	if o.DryRun {
		return UpsertResult{Outcome: Updated, Customer: n}
	}
	change := &Change{Tenant: tenant, CustomerID: n.ID, At: n.UpdatedAt, Actor: actor, Op: OpUpdate, Version: n.Version, Fields: fields}
	var touched attendance.Section
	for _, f := range fields {
		touched |= attendance.SectionOf(f.Path)
	}
	if _, err := s.d.Update(ctx, Record{Tenant: tenant, Customer: n, Keys: n.SearchKeys(), Stored: old, Change: change, Touched: touched}, old.Version); err != nil {
		return UpsertResult{Err: err}
	}
	return UpsertResult{Outcome: Updated, Customer: n.Clone()}
}

// takenIDs returns those of ids that a customer of the tenant has, or had
// before it was merged into another.
func (s *Store) takenIDs(ctx context.Context, tenant string, ids []uuid.UUID) (map[uuid.UUID]bool, error) {
	out := map[uuid.UUID]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	found, err := s.d.Customers(ctx, tenant, ids)
	if err != nil {
		return nil, err
	}
	moved, err := s.d.Redirects(ctx, tenant, ids)
	if err != nil {
		return nil, err
	}
	for id := range found {
		out[id] = true
	}
	for id := range moved {
		out[id] = true
	}
	return out, nil
}

// made is a record newRecords made, or why it could not.
type made struct {
	rec Record
	err error
}

// parallelRecords is the fewest inputs whose records newRecords makes on
// more than one goroutine.
const parallelRecords = 256

// newRecords makes the records of the inputs at the indexes fresh, as
// newRecord does, one per index. Each record's time and new ID are taken
// in input order, as one newRecord after another would take them; the
// work of validating, normalising and deriving keys and log fields, which
// is each record's own, is spread over the processors, and every
// goroutine has ended when it returns.
func (s *Store) newRecords(tenant string, cs []*customer.Customer, fresh []int, actor Actor) []made {
	out := make([]made, len(fresh))
	times := make([]time.Time, len(fresh))
	ids := make([]uuid.UUID, len(fresh))
	for j, i := range fresh {
		times[j] = s.now()
		if c := cs[i]; c != nil && c.ID == uuid.Nil {
			ids[j] = customer.NewID()
		}
	}
	work := func(from, to int) {
		for j := from; j < to; j++ {
			out[j].rec, out[j].err = s.newRecordAt(tenant, cs[fresh[j]], actor, times[j], ids[j])
		}
	}
	procs := runtime.GOMAXPROCS(0)
	if procs < 2 || len(fresh) < parallelRecords {
		work(0, len(fresh))
		return out
	}
	var wg sync.WaitGroup
	per := (len(fresh) + procs - 1) / procs
	for from := 0; from < len(fresh); from += per {
		wg.Go(func() { work(from, min(from+per, len(fresh))) })
	}
	wg.Wait()
	return out
}

// createFresh creates the inputs at the indexes fresh, in one batch, as
// CreateMany does; a dry run checks them as the batch would, an ID or a
// CPF/CNPJ some customer holds included.
func (s *Store) createFresh(ctx context.Context, tenant string, cs []*customer.Customer, fresh []int, results []UpsertResult, o UpsertOptions, actor Actor, keyless []bool) error {
	recs, index, taxes, err := s.prepareFresh(ctx, tenant, cs, fresh, results, o, actor, keyless)
	if err != nil {
		return err
	}
	if !o.DryRun {
		s.writeFresh(ctx, recs, index, results)
		return nil
	}
	held, err := s.holders(ctx, tenant, KeyTaxID, taxes)
	if err != nil {
		return err
	}
	for j, rec := range recs {
		i := index[j]
		if ids := held[rec.Customer.TaxID.String()]; len(ids) > 0 {
			results[i].Err = &DuplicateTaxIDError{HolderID: ids[0]}
			continue
		}
		results[i] = UpsertResult{Outcome: Created, Customer: rec.Customer}
	}
	return nil
}

// prepareFresh makes the records of the inputs at the indexes fresh and
// sets the result of each that cannot be created (invalid, an ID or a
// CPF/CNPJ an earlier input of the batch holds; in a dry run, an ID some
// customer holds). It returns the records to write, recs[j] made from the
// input at index[j], and by CPF/CNPJ the position in recs of its record.
func (s *Store) prepareFresh(ctx context.Context, tenant string, cs []*customer.Customer, fresh []int, results []UpsertResult, o UpsertOptions, actor Actor, keyless []bool) (recs []Record, index []int, taxes map[string]int, err error) {
	recs = make([]Record, 0, len(fresh))
	index = make([]int, 0, len(fresh))
	taxes = map[string]int{}
	seen := map[uuid.UUID]bool{}
	taken := map[uuid.UUID]bool{}
	// block finds, for an Upsert (keyless set), the earlier inputs to be
	// created that an input without its natural key may be the same as.
	block := map[customer.Key][]int{}
	if o.DryRun {
		// The write finds a taken ID itself; a dry run must look.
		var given []uuid.UUID
		for _, i := range fresh {
			if c := cs[i]; c != nil && c.ID != uuid.Nil {
				given = append(given, c.ID)
			}
		}
		if taken, err = s.takenIDs(ctx, tenant, given); err != nil {
			return nil, nil, nil, err
		}
	}
	made := s.newRecords(tenant, cs, fresh, actor)
	for j, i := range fresh {
		rec, err := made[j].rec, made[j].err
		if err != nil {
			results[i].Err = err
			continue
		}
		if id := rec.Customer.ID; taken[id] || seen[id] {
			results[i].Err = ErrExists
			continue
		}
		tax := rec.Customer.TaxID.String()
		if j, dup := taxes[tax]; tax != "" && dup {
			results[i].Err = &DuplicateTaxIDError{HolderID: recs[j].Customer.ID}
			continue
		}
		if keyless != nil {
			if first, same := sameAsFresh(cs, i, rec.Keys, keyless[i], block); same {
				results[i].Err = &SameCustomerError{First: first}
				continue
			}
		}
		seen[rec.Customer.ID] = true
		if tax != "" {
			taxes[tax] = len(recs)
		}
		recs = append(recs, rec)
		index = append(index, i)
	}
	return recs, index, taxes, nil
}

// writeFresh stores the records of a batch, recs[j] made from the input
// at index[j], and sets each input's result.
func (s *Store) writeFresh(ctx context.Context, recs []Record, index []int, results []UpsertResult) {
	errs := s.d.InsertMany(ctx, recs)
	for j, rec := range recs {
		i := index[j]
		if errs[j] != nil {
			results[i].Err = errs[j]
			continue
		}
		results[i] = UpsertResult{Outcome: Created, Customer: rec.Customer.Clone()}
	}
}

// inRowTerms returns err, an error of validating merged (the stored
// customer with row laid over it), with each path that names an element
// of a list of merged (phones[4], assets[3].vin) naming that element where
// row has it (phones[1], assets[0].vin): the row is what the caller sent,
// and an import reports the row's own column. A path whose element row
// does not hold is kept.
func inRowTerms(err error, merged, row *customer.Customer) error {
	var v *validation.Error
	if !errors.As(err, &v) {
		return err
	}
	out := &validation.Error{Fields: make([]validation.FieldError, len(v.Fields))}
	for i, f := range v.Fields {
		out.Fields[i] = validation.FieldError{Path: rowPath(f.Path, merged, row), Rule: f.Rule}
	}
	return fmt.Errorf("%w: %w", ErrInvalid, out)
}

// rowPath is inRowTerms' work for one path.
func rowPath(path string, merged, row *customer.Customer) string {
	top, rest, ok := strings.Cut(path, "[")
	if !ok {
		return path
	}
	num, tail, ok := strings.Cut(rest, "]")
	i, err := strconv.Atoi(num)
	if !ok || err != nil {
		return path
	}
	m, r := listOf(merged, top), listOf(row, top)
	if !m.IsValid() || !r.IsValid() || i < 0 || i >= m.Len() {
		return path
	}
	for j := range r.Len() {
		if reflect.DeepEqual(m.Index(i).Interface(), r.Index(j).Interface()) {
			return top + "[" + strconv.Itoa(j) + "]" + tail
		}
	}
	return path
}

// listOf returns the list field of c that path top names (by its JSON
// name), or the zero Value.
func listOf(c *customer.Customer, top string) reflect.Value {
	v := reflect.ValueOf(c).Elem()
	for i := range v.NumField() {
		name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
		if name == top && v.Field(i).Kind() == reflect.Slice {
			return v.Field(i)
		}
	}
	return reflect.Value{}
}
