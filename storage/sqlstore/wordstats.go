package sqlstore

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fichacrm/ficha/customer"
)

// Word statistics: how many keys each word has, which decides the term a
// search by words walks (the one with the fewest keys). Counting a common
// word costs a scan of its keys, so counts are kept for a while; they only
// steer the walk (which term drives it), never decide whether a walk
// stopped at its budget, so a stale count costs time, never a result.
const (
	statsTTL = 5 * time.Minute
	statsMax = 1 << 16 // words remembered; the oldest half goes beyond
	// countMax is where counting one word's keys stops.
	countMax = 1 << 18
)

type statKey struct {
	tenant string
	field  customer.Field
	word   string
}

type stat struct {
	n  int
	at time.Time
}

// wordStats is a driver's memory of word counts.
type wordStats struct {
	mu sync.Mutex
	m  map[statKey]stat
}

// get returns the remembered count of k, if fresh.
func (s *wordStats) get(k statKey, now time.Time) (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.m[k]
	if !ok || now.Sub(st.at) > statsTTL {
		return 0, false
	}
	return st.n, true
}

// put remembers the count of k.
func (s *wordStats) put(k statKey, n int, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[statKey]stat{}
	}
	if len(s.m) >= statsMax {
		cut := now.Add(-statsTTL / 2)
		for k, st := range s.m {
			if st.at.Before(cut) || len(s.m) > statsMax/2 {
				delete(s.m, k)
			}
		}
	}
	s.m[k] = stat{n, now}
}

// wordCounts returns how many keys each word of vocab (the words of each
// term) has: remembered counts, and the others counted in one statement.
func (d *Driver) wordCounts(ctx context.Context, tenant string, ts []customer.Term, vocab [][]string) ([][]int, error) {
	now := time.Now()
	out := make([][]int, len(ts))
	var b strings.Builder
	var args []any
	type slot struct{ i, j int }
	var missing []slot
	for i, t := range ts {
		out[i] = make([]int, len(vocab[i]))
		for j, w := range vocab[i] {
			if n, ok := d.stats.get(statKey{tenant, t.Field, w}, now); ok {
				out[i][j] = n
				continue
			}
			if len(missing) > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(SELECT COUNT(*) FROM (SELECT 1 FROM word_keys WHERE tenant = ? AND field = ? AND word = ? LIMIT " +
				strconv.Itoa(countMax) + ") c" + strconv.Itoa(len(missing)) + ")")
			args = append(args, tenant, int(t.Field), w)
			missing = append(missing, slot{i, j})
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	ns := make([]int, len(missing))
	dst := make([]any, len(missing))
	for k := range ns {
		dst[k] = &ns[k]
	}
	if err := d.queryRow(ctx, nil, d.dialect.rebind("SELECT "+b.String()), args...).Scan(dst...); err != nil {
		return nil, err
	}
	for k, s := range missing {
		out[s.i][s.j] = ns[k]
		d.stats.put(statKey{tenant, ts[s.i].Field, vocab[s.i][s.j]}, ns[k], now)
	}
	return out, nil
}
