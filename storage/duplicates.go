package storage

import (
	"bytes"
	"context"
	"fmt"
	"iter"
	"slices"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/dedupe"
)

// Candidate is a customer that may be the same as the one looked at: its
// summary, and how alike the two are, with the reasons.
type Candidate struct {
	Summary
	Match dedupe.Match `json:"match"`
}

// DuplicateOptions tunes a look for duplicates. The zero value is the
// default.
type DuplicateOptions struct {
	// MinScore is the lowest score reported; 0 is dedupe.Threshold. A
	// score of 0.01 reports nearly every record that shares a key.
	MinScore float64
	// Limit is the most candidates reported; 0 is 20.
	Limit int
}

// MaxBlock is how many customers may share one match key before the key
// is too common to point at a duplicate (the dealership's own phone typed
// into many records, a large building's CEP with a common given name):
// such a key is not followed, so that every look stays a few index reads.
const MaxBlock = 50

// maxCandidates bounds the records compared in one look.
const maxCandidates = 200

// matchFields are the search keys that duplicate detection follows: the
// identifiers, and the match keys.
var matchFields = []customer.Field{customer.FieldTaxID, customer.FieldDMSCustomer, customer.FieldEmail, customer.FieldPhone,
	customer.FieldVIN, customer.FieldPlate, customer.FieldMatch}

// blockKeys are those of a customer's search keys that duplicate
// detection follows.
func blockKeys(searchKeys []customer.Key) []customer.Key {
	var keys []customer.Key
	for _, k := range searchKeys {
		if slices.Contains(matchFields, k.Field) {
			keys = append(keys, k)
		}
	}
	return keys
}

// Duplicates returns the customers of the tenant that may be the same as
// the customer id, most alike first (then by ID): those that share an
// identifier or a match key with it (see customer.MatchKeys) and that
// dedupe.Compare scores at opts.MinScore or more. It reads a few indexed
// keys and the records they point to; it never scans the tenant. It
// returns ErrNotFound, ErrTenant, ErrClosed or the context's error.
func (s *Store) Duplicates(ctx context.Context, tenant string, id uuid.UUID, opts *DuplicateOptions) ([]Candidate, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return nil, err
	}
	c, err := s.d.Get(ctx, tenant, id)
	if err != nil {
		return nil, err
	}
	return s.candidates(ctx, tenant, c, opts)
}

// LooksLike answers the question before a create: does c look like a
// customer the tenant has? It returns what [Store.Duplicates] would for a
// record holding c's values; c need not be complete or valid (a name and a
// phone are enough), and a field it leaves empty is no evidence either
// way. It returns ErrTenant, ErrClosed or the context's error.
func (s *Store) LooksLike(ctx context.Context, tenant string, c *customer.Customer, opts *DuplicateOptions) ([]Candidate, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return nil, err
	}
	if c == nil {
		return nil, fmt.Errorf("%w: nil customer", ErrInvalid)
	}
	probe := c.Clone()
	if probe.ID == uuid.Nil {
		probe.ID = customer.NewID()
	}
	return s.candidates(ctx, tenant, probe, opts)
}

// candidates finds and scores the records that share a key with c.
func (s *Store) candidates(ctx context.Context, tenant string, c *customer.Customer, opts *DuplicateOptions) ([]Candidate, error) {
	minScore, limit := dedupe.Threshold, 20
	if opts != nil {
		if opts.MinScore > 0 {
			minScore = opts.MinScore
		}
		if opts.Limit > 0 {
			limit = opts.Limit
		}
	}
	ids, err := s.sharers(ctx, tenant, c)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	found, err := s.d.Customers(ctx, tenant, ids)
	if err != nil {
		return nil, err
	}
	var out []Candidate
	for _, id := range ids {
		other := found[id]
		if other == nil {
			continue
		}
		if _, gone := IsAnonymised(other); gone {
			continue
		}
		if m := dedupe.Compare(c, other); m.Score >= minScore {
			out = append(out, Candidate{Summary: SummaryOf(other), Match: m})
		}
	}
	slices.SortFunc(out, func(a, b Candidate) int {
		switch {
		case a.Match.Score > b.Match.Score:
			return -1
		case a.Match.Score < b.Match.Score:
			return 1
		}
		return bytes.Compare(a.ID[:], b.ID[:])
	})
	return out[:min(len(out), limit)], nil
}

// sharers returns the other records that share a followed key with c,
// those that share more keys first, at most maxCandidates.
func (s *Store) sharers(ctx context.Context, tenant string, c *customer.Customer) ([]uuid.UUID, error) {
	keys := blockKeys(c.SearchKeys())
	if len(keys) == 0 {
		return nil, nil
	}
	holders, err := s.d.Holders(ctx, tenant, keys, MaxBlock)
	if err != nil {
		return nil, err
	}
	perKey := map[customer.Key]int{}
	for _, h := range holders {
		perKey[h.Key]++
	}
	shared := map[uuid.UUID]int{}
	for _, h := range holders {
		if perKey[h.Key] <= MaxBlock && h.ID != c.ID {
			shared[h.ID]++
		}
	}
	ids := make([]uuid.UUID, 0, len(shared))
	for id := range shared {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b uuid.UUID) int {
		if shared[a] != shared[b] {
			return shared[b] - shared[a]
		}
		return bytes.Compare(a[:], b[:])
	})
	return ids[:min(len(ids), maxCandidates)], nil
}

// Pair is a likely duplicate a scan found: two customers and how alike
// they are. A is the one with the lower ID.
type Pair struct {
	A     Summary      `json:"a"`
	B     Summary      `json:"b"`
	Match dedupe.Match `json:"match"`
}

// ScanOptions tunes [Store.ScanDuplicates].
type ScanOptions struct {
	DuplicateOptions
	// Progress, when set, is called after each page of customers with how
	// many were looked at and how many the tenant had when the scan began.
	Progress func(done, total int64)
}

// scanPage is how many customers a scan reads at once: its memory bound.
const scanPage = 500

// ScanDuplicates looks for likely duplicates in the whole tenant: each
// customer as [Store.Duplicates] would, one page of customers at a time,
// so that memory stays bounded whatever the tenant's size. Each pair is
// yielded once, when its A (the lower ID) is looked at. An error ends the
// sequence: ErrTenant, ErrClosed, the context's, or the driver's.
func (s *Store) ScanDuplicates(ctx context.Context, tenant string, opts *ScanOptions) iter.Seq2[Pair, error] {
	return func(yield func(Pair, error) bool) {
		if err := s.begin(ctx, tenant); err != nil {
			yield(Pair{}, err)
			return
		}
		var o ScanOptions
		if opts != nil {
			o = *opts
		}
		total, err := s.d.Count(ctx, tenant)
		if err != nil {
			yield(Pair{}, err)
			return
		}
		var done int64
		after := uuid.Nil
		for {
			page, err := s.d.ReadPage(ctx, tenant, after, scanPage)
			if err != nil {
				yield(Pair{}, err)
				return
			}
			for _, c := range page {
				if _, gone := IsAnonymised(c); gone {
					continue
				}
				cands, err := s.candidates(ctx, tenant, c, &o.DuplicateOptions)
				if err != nil {
					yield(Pair{}, err)
					return
				}
				for _, cand := range cands {
					if bytes.Compare(cand.ID[:], c.ID[:]) <= 0 {
						continue
					}
					if !yield(Pair{A: SummaryOf(c), B: cand.Summary, Match: cand.Match}, nil) {
						return
					}
				}
			}
			done += int64(len(page))
			if o.Progress != nil && len(page) > 0 {
				o.Progress(done, total)
			}
			if len(page) < scanPage {
				return
			}
			after = page[len(page)-1].ID
		}
	}
}
