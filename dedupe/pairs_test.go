package dedupe

import (
	"encoding/json"
	"os"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/customer"
)

// labelledPair is one pair of the labelled set (testdata/README.md): two
// records a person judged to be one customer ("same") or two
// ("different"), built without sight of the scorer.
type labelledPair struct {
	ID       string             `json:"id"`
	Label    string             `json:"label"`
	Category string             `json:"category"`
	Note     string             `json:"note"`
	A        *customer.Customer `json:"a"`
	B        *customer.Customer `json:"b"`
}

// TestLabelledPairs scores every pair of the labelled set at Threshold:
// precision (of the pairs called duplicates, how many are) and recall (of
// the duplicates, how many are called). It holds them to what the scorer
// reaches today, 0.94 and 0.917, so that a change that makes it worse
// fails; the aim is 0.95 at 0.90 (BENCHMARKS.md says how far it is). With
// -v it prints the figures by category, those of the pairs with at most
// one CPF/CNPJ (which the rule "two tax IDs, two customers" does not
// decide), and every pair scored wrong.
func TestLabelledPairs(t *testing.T) {
	b, err := os.ReadFile("testdata/pairs.json")
	require.NoError(t, err)
	var pairs []labelledPair
	require.NoError(t, json.Unmarshal(b, &pairs))
	require.GreaterOrEqual(t, len(pairs), 200)
	type tally struct{ tp, fp, fn, tn int }
	var all, open tally
	by := map[string]*tally{}
	for _, p := range pairs {
		require.Contains(t, []string{"same", "different"}, p.Label, p.ID)
		m := Compare(p.A, p.B)
		c := by[p.Category]
		if c == nil {
			c = &tally{}
			by[p.Category] = c
		}
		same, called := p.Label == "same", m.Likely()
		if p.A.TaxID.IsZero() || p.B.TaxID.IsZero() {
			switch {
			case same && called:
				open.tp++
			case !same && called:
				open.fp++
			case same:
				open.fn++
			default:
				open.tn++
			}
		}
		switch {
		case same && called:
			c.tp++
			all.tp++
		case !same && called:
			c.fp++
			all.fp++
			t.Logf("false duplicate %s (%s, %.3f %v): %s", p.ID, p.Category, m.Score, m.Reasons, p.Note)
		case same && !called:
			c.fn++
			all.fn++
			t.Logf("missed duplicate %s (%s, %.3f %v): %s", p.ID, p.Category, m.Score, m.Reasons, p.Note)
		default:
			c.tn++
			all.tn++
		}
	}
	cats := make([]string, 0, len(by))
	for k := range by {
		cats = append(cats, k)
	}
	sort.Strings(cats)
	for _, k := range cats {
		c := by[k]
		t.Logf("%-32s same %3d/%-3d  different %3d/%-3d", k, c.tp, c.tp+c.fn, c.tn, c.tn+c.fp)
	}
	precision := float64(all.tp) / float64(max(all.tp+all.fp, 1))
	recall := float64(all.tp) / float64(max(all.tp+all.fn, 1))
	t.Logf("pairs %d: precision %.3f, recall %.3f (tp %d, fp %d, fn %d, tn %d) at threshold %.2f",
		len(pairs), precision, recall, all.tp, all.fp, all.fn, all.tn, Threshold)
	t.Logf("pairs with at most one CPF/CNPJ (%d same, %d different): precision %.3f, recall %.3f",
		open.tp+open.fn, open.tn+open.fp, float64(open.tp)/float64(max(open.tp+open.fp, 1)), float64(open.tp)/float64(max(open.tp+open.fn, 1)))
	if precision < 0.94 || recall < 0.915 {
		t.Errorf("precision %.3f (want ≥ 0.94), recall %.3f (want ≥ 0.915)", precision, recall)
	}
}
