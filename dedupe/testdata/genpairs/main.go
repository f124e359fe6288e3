// Command genpairs writes dedupe/testdata/pairs.json: a labelled set of
// pairs of customer records, each pair either two records of one real
// person or company ("same") or of two that only look alike
// ("different"), for measuring the precision and recall of duplicate
// detection. It is deterministic: every category draws from its own
// generator, seeded from a fixed seed and the category's name, so that
// running it again writes the same file, byte for byte.
//
// Run it from the repository root:
//
//	go run ./dedupe/testdata/genpairs
//
// Every record it writes passes the library's own validation as of a
// fixed day; a record that fails is a bug of the generator, which then
// stops without writing. See dedupe/testdata/README.md.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/fichacrm/ficha/customer"
)

// seed is the fixed seed of every category's generator.
const seed = 20260302

// now is the day the set describes: records are validated as of it, and
// ages and vehicle years are reckoned from it.
var now = time.Date(2026, time.March, 2, 12, 0, 0, 0, time.UTC)

// The labels of a pair.
const (
	same      = "same"
	different = "different"
)

// draft is a pair as a category builds it.
type draft struct {
	note string
	a, b *customer.Customer
}

// category is one kind of pair: its label, how many pairs of it the set
// holds, and how to build the i-th of them.
type category struct {
	name  string
	label string
	count int
	build func(g *gen, i int) draft
}

// pair is one entry of pairs.json.
type pair struct {
	ID       string          `json:"id"`
	Label    string          `json:"label"`
	Category string          `json:"category"`
	Note     string          `json:"note"`
	A        json.RawMessage `json:"a"`
	B        json.RawMessage `json:"b"`
}

func main() {
	out := flag.String("o", "dedupe/testdata/pairs.json", "file to write")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "genpairs:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	pairs, err := generate()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteString("[\n")
	for i, p := range pairs {
		b, err := json.MarshalIndent(p, "  ", "  ")
		if err != nil {
			return fmt.Errorf("%s: %w", p.ID, err)
		}
		buf.WriteString("  ")
		buf.Write(b)
		if i < len(pairs)-1 {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
	}
	buf.WriteString("]\n")
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	printCounts(pairs)
	return nil
}

// generate builds every category's pairs, checks them and returns them in
// the order of [categories].
func generate() ([]pair, error) {
	reg := registry{}
	var pairs []pair
	for _, c := range categories() {
		g := newGen(c.name, reg)
		for i := range c.count {
			d := c.build(g, i)
			id := fmt.Sprintf("p%03d", len(pairs)+1)
			if g.rng.IntN(2) == 0 {
				// Which record comes first says nothing.
				d.a, d.b = d.b, d.a
			}
			if err := checkPair(c, d); err != nil {
				return nil, fmt.Errorf("%s (%s #%d): %w", id, c.name, i, err)
			}
			a, err := encode(d.a)
			if err != nil {
				return nil, fmt.Errorf("%s (%s #%d) record a: %w", id, c.name, i, err)
			}
			b, err := encode(d.b)
			if err != nil {
				return nil, fmt.Errorf("%s (%s #%d) record b: %w", id, c.name, i, err)
			}
			pairs = append(pairs, pair{ID: id, Label: c.label, Category: c.name, Note: d.note, A: a, B: b})
		}
	}
	return pairs, checkSet(pairs)
}

// checkPair holds a pair to the rules of the set: both records valid, the
// note one sentence, and tax IDs as a store allows them.
func checkPair(c category, d draft) error {
	for _, r := range []*customer.Customer{d.a, d.b} {
		if err := r.ValidateAt(now); err != nil {
			// The validation error names fields and rules, never values.
			return fmt.Errorf("invalid record: %w", err)
		}
	}
	if d.note == "" || !strings.HasSuffix(d.note, ".") || strings.Count(d.note, ". ") > 0 || len(d.note) > 200 {
		return errors.New("the note is not one short sentence")
	}
	ta, tb := d.a.TaxID, d.b.TaxID
	switch {
	case c.name == "same_tax_id":
		if ta.IsZero() || ta != tb {
			return errors.New("a same_tax_id pair needs the same tax ID on both records")
		}
	case c.label == same:
		if !ta.IsZero() && !tb.IsZero() {
			return errors.New("two records of one store cannot share a tax ID, and one person has one")
		}
	default:
		if !ta.IsZero() && ta == tb {
			return errors.New("two different people or companies share a tax ID")
		}
	}
	if d.a.Kind != d.b.Kind {
		return errors.New("the set pairs records of one kind")
	}
	return nil
}

// checkSet checks the set as a whole: enough pairs, labels about even, no
// pair twice.
func checkSet(pairs []pair) error {
	if len(pairs) < 240 {
		return fmt.Errorf("only %d pairs", len(pairs))
	}
	n := 0
	seen := map[string]string{}
	for _, p := range pairs {
		if p.Label == same {
			n++
		}
		key := string(p.A) + "\x00" + string(p.B)
		if other, ok := seen[key]; ok {
			return fmt.Errorf("%s repeats %s", p.ID, other)
		}
		seen[key] = p.ID
	}
	if n*10 < len(pairs)*4 || n*10 > len(pairs)*6 {
		return fmt.Errorf("%d of %d pairs are duplicates: not about half", n, len(pairs))
	}
	return nil
}

// zeroKeys are the fields storage sets, left out of the written records.
var zeroKeys = map[string]string{
	"id":         `"00000000-0000-0000-0000-000000000000"`,
	"version":    `0`,
	"created_at": `"0001-01-01T00:00:00Z"`,
	"updated_at": `"0001-01-01T00:00:00Z"`,
}

// encode returns the customer's JSON without the fields storage sets,
// after checking that the library reads it back as the same record.
func encode(c *customer.Customer) (json.RawMessage, error) {
	full, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(full))
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	out.WriteByte('{')
	first := true
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		if zero, ok := zeroKeys[key]; ok {
			if string(v) != zero {
				return nil, fmt.Errorf("%s is set", key)
			}
			continue
		}
		if !first {
			out.WriteByte(',')
		}
		first = false
		k, _ := json.Marshal(key)
		out.Write(k)
		out.WriteByte(':')
		out.Write(v)
	}
	out.WriteByte('}')
	var back customer.Customer
	if err := json.Unmarshal(out.Bytes(), &back); err != nil {
		return nil, fmt.Errorf("the library cannot read the record back: %w", err)
	}
	if d := customer.Diff(c, &back); len(d) > 0 {
		return nil, fmt.Errorf("the record reads back different at %v", d)
	}
	if err := back.ValidateAt(now); err != nil {
		return nil, fmt.Errorf("the record read back is invalid: %w", err)
	}
	return out.Bytes(), nil
}

// printCounts prints how many pairs each label and category has.
func printCounts(pairs []pair) {
	byLabel := map[string]int{}
	byCat := map[string]int{}
	labelOf := map[string]string{}
	for _, p := range pairs {
		byLabel[p.Label]++
		byCat[p.Category]++
		labelOf[p.Category] = p.Label
	}
	fmt.Printf("%d pairs: %d same, %d different\n", len(pairs), byLabel[same], byLabel[different])
	cats := make([]string, 0, len(byCat))
	for c := range byCat {
		cats = append(cats, c)
	}
	slices.SortFunc(cats, func(x, y string) int {
		if labelOf[x] != labelOf[y] {
			return strings.Compare(labelOf[y], labelOf[x])
		}
		return strings.Compare(x, y)
	})
	for _, c := range cats {
		fmt.Printf("  %-10s %-24s %3d\n", labelOf[c], c, byCat[c])
	}
}

// gen is the generator of one category: its own random source, and the
// registry of identifiers shared by all categories, so that no CPF, phone,
// e-mail or vehicle turns up in two pairs by chance.
type gen struct {
	rng *rand.Rand
	reg registry
}

func newGen(name string, reg registry) *gen {
	h := fnv.New64a()
	h.Write([]byte(name))
	return &gen{rng: rand.New(rand.NewPCG(seed, h.Sum64())), reg: reg}
}

// registry holds the identifiers handed out so far, by kind and value.
type registry map[string]bool

// claim records key and reports whether it was free.
func (r registry) claim(key string) bool {
	if r[key] {
		return false
	}
	r[key] = true
	return true
}

// chance reports true with probability p.
func (g *gen) chance(p float64) bool { return g.rng.Float64() < p }

// between returns an int in [lo, hi].
func (g *gen) between(lo, hi int) int { return lo + g.rng.IntN(hi-lo+1) }

// pick returns a random element of list.
func pick[T any](g *gen, list []T) T { return list[g.rng.IntN(len(list))] }

// pickWeighted returns an element of list drawn by weight.
func pickWeighted[T any](g *gen, list []T, weight func(T) int) T {
	total := 0
	for _, x := range list {
		total += weight(x)
	}
	n := g.rng.IntN(total)
	for _, x := range list {
		n -= weight(x)
		if n < 0 {
			return x
		}
	}
	return list[len(list)-1]
}
