// Command perf measures the library's search against the yardstick in
// ../shared/perf: it loads the generator's customers into each adapter,
// gives them a history of attendances, times the generator's queries (and
// a worst-case set of its own) through storage.Store.Search, and prints,
// per query kind, the median and p95 latency and recall@20 beside the
// peer's figures from the same run.
//
//	go run ./gen -n 1000000 -seed 1 -out c.csv -queries 300 -qout q.csv   # in ../shared/perf
//	go run ./storage/storagebench/perf -customers c.csv -queries q.csv \
//	    -adapters memory,sqlite,postgres -postgres "$DSN" -peer-dir ../shared/perf -peer-dsn "$PEER"
//
// The history: every customer is created on a clock three years back, in
// file order; one in ten has an attendance at a uniform time since; and
// the customer each query expects was, with probability one half, attended
// in the last seven days. That is the desk's reality the ranking relies
// on: the person at the counter today has often been in touch lately
// (the visit before the purchase, the callback, the car in for service),
// while most of a million records have not. The seed makes it the same in
// every run and for every adapter.
package main

import (
	"bufio"
	"cmp"
	"context"
	"encoding/binary"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/internal/fold"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/memory"
	"github.com/fichacrm/ficha/storage/mysql"
	"github.com/fichacrm/ficha/storage/postgres"
	"github.com/fichacrm/ficha/storage/sqlite"
	"github.com/fichacrm/ficha/storage/sqlstore"
)

const tenant = "perf"

// keepIndexes and withHistory are the -keep-indexes and -history flags.
var keepIndexes, withHistory *bool

var (
	showIncomplete = flag.Bool("show-incomplete", false, "log each query whose first page is incomplete")
	showSlow       = flag.Duration("slow", 0, "log each query that takes longer than this (0: none)")
)

func main() {
	customersPath := flag.String("customers", "", "customers CSV written by the generator")
	queriesPath := flag.String("queries", "", "queries CSV written by the generator")
	adapters := flag.String("adapters", "memory,sqlite,postgres", "adapters to measure, comma-separated: memory, sqlite, postgres, mysql")
	sqlitePath := flag.String("sqlite", "/tmp/ficha-perf.db", "SQLite file (created when -load)")
	pgDSN := flag.String("postgres", "postgres://postgres@127.0.0.1:55432/perf?sslmode=disable&search_path=ficha", "PostgreSQL URL")
	myDSN := flag.String("mysql", "root@tcp(127.0.0.1:3306)/ficha_perf", "MySQL/MariaDB DSN")
	load := flag.Bool("load", true, "load the customers (into empty stores); false measures stores loaded before")
	k := flag.Int("k", 300, "queries per kind to time")
	rounds := flag.Int("rounds", 3, "rounds, interleaved between adapters; the table shows the median round")
	peerDir := flag.String("peer-dir", "", "../shared/perf, to run its peer in the same rounds (empty: no peer)")
	peerDSN := flag.String("peer-dsn", "postgres://postgres@127.0.0.1:55432/perf?sslmode=disable", "the peer's PostgreSQL URL")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the timed rounds to this file")
	withHistory = flag.Bool("history", true, "after the load, write the history's attendances (the query rounds rank by them; -history=false for a load rate alone)")
	keepIndexes = flag.Bool("keep-indexes", false, "load with the indexes in place (Store.Load's LoadOptions.KeepIndexes)")
	loadProfile := flag.String("loadprofile", "", "write a CPU profile of the load (its CreateMany calls; with one adapter) to this file")
	heapProfile := flag.String("heapprofile", "", "write a heap profile after the memory adapter's load to this file")
	flag.Parse()
	if *customersPath == "" || *queriesPath == "" {
		flag.Usage()
		os.Exit(2)
	}
	ctx := context.Background()
	data := readCustomers(*customersPath)
	qs := readQueries(*queriesPath, *k)
	worst := worstQueries(data)
	worstPath := filepath.Join(os.TempDir(), "ficha-perf-worst.csv")
	writeWorst(worstPath, worst)
	history := newHistory(data, qs)

	var prof *os.File
	if *loadProfile != "" {
		var err error
		if prof, err = os.Create(*loadProfile); err != nil {
			log.Fatal(err)
		}
		defer prof.Close()
	}
	var targets []*target
	for _, name := range strings.Split(*adapters, ",") {
		t := &target{name: name}
		var err error
		clk := &clock{start: history.start}
		opts := &storage.Options{Now: clk.now}
		switch name {
		case "memory":
			t.store = memory.Open(opts)
		case "sqlite":
			if *load {
				_ = os.Remove(*sqlitePath)
				_ = os.Remove(*sqlitePath + "-wal")
				_ = os.Remove(*sqlitePath + "-shm")
			}
			t.store, err = sqlite.Open(ctx, *sqlitePath, opts)
			t.size = func() string { return fileSize(*sqlitePath) }
		case "postgres":
			t.store, err = postgres.Open(ctx, *pgDSN, opts)
			t.size = func() string { return pgSize(ctx, t.store) }
		case "mysql":
			t.store, err = mysql.Open(ctx, *myDSN, opts)
		default:
			log.Fatalf("unknown adapter %q", name)
		}
		if err != nil {
			log.Fatalf("%s: %v", name, err)
		}
		clk.live.Store(!*load)
		if *load {
			if n, err := t.store.Count(ctx, tenant); err != nil || n > 0 {
				log.Fatalf("%s: the store is not empty (%d customers, %v): empty it, or run with -load=false", name, n, err)
			}
			// The heap before the load holds the program's own copy of
			// the file (about 350 B a customer): the store's share is
			// what the load added.
			var before runtime.MemStats
			if name == "memory" {
				runtime.GC()
				runtime.ReadMemStats(&before)
			}
			t.loadRate = loadInto(ctx, t.store, data, history, clk, prof)
			// As the peer does after its load: statistics, and on
			// PostgreSQL the visibility map that index-only scans need.
			if d, ok := t.store.Driver().(*sqlstore.Driver); ok {
				if err := d.Analyze(ctx); err != nil {
					log.Fatal(err)
				}
			}
			if name == "memory" {
				runtime.GC()
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				added := float64(m.HeapAlloc) - float64(before.HeapAlloc)
				t.sizeNow = fmt.Sprintf("%.0f MB heap, %.0f B/customer in the store", float64(m.HeapAlloc)/1e6, added/float64(len(data)))
				if *heapProfile != "" {
					writeHeap(*heapProfile)
				}
			}
		}
		targets = append(targets, t)
	}

	kinds := kindOrder(qs)
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	for r := range *rounds {
		log.Printf("round %d", r+1)
		if *peerDir != "" {
			peerRound(*peerDir, *peerDSN, *queriesPath, *k, peerResults, "")
			peerRound(*peerDir, *peerDSN, worstPath, 0, peerResults, "worst")
		}
		for _, t := range targets {
			for _, kind := range kinds {
				t.run(ctx, kind, qs[kind])
			}
			for _, kind := range []string{"worst_common", "worst_short", "worst_rare"} {
				t.run(ctx, kind, worst[kind])
			}
		}
	}
	print(targets, append(kinds, "worst_common", "worst_short", "worst_rare"), *rounds)
}

// row is one customer of the generator's file.
type row struct {
	id                                                        int
	kind, name, taxID, phone, email, company, plate, vin, dms string
	so                                                        string
}

func readCustomers(path string) []row {
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReaderSize(f, 1<<20))
	r.ReuseRecord = true
	if _, err := r.Read(); err != nil {
		log.Fatal(err)
	}
	var out []row
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out
		}
		if err != nil {
			log.Fatal(err)
		}
		id, _ := strconv.Atoi(rec[0])
		out = append(out, row{id, rec[1], rec[2], rec[3], rec[4], rec[5], rec[6], rec[7], rec[8], rec[9], rec[10]})
	}
}

// query is one query of the generator's file.
type query struct {
	kind, q, phone string
	expected       int // 0: none (worst-case queries)
}

func readQueries(path string, k int) map[string][]query {
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		log.Fatal(err)
	}
	out := map[string][]query{}
	for _, r := range recs[1:] {
		id, _ := strconv.Atoi(r[3])
		if len(out[r[0]]) < k {
			out[r[0]] = append(out[r[0]], query{r[0], r[1], r[2], id})
		}
	}
	return out
}

// kindOrder returns the generator's kinds in its order.
func kindOrder(qs map[string][]query) []string {
	var out []string
	for _, k := range []string{"name", "name_phone", "phone", "cpf_cnpj", "company", "plate", "vin", "dms_code", "service_order", "email"} {
		if len(qs[k]) > 0 {
			out = append(out, k)
		}
	}
	return out
}

// idOf is the customer ID the benchmark gives the generator's customer n:
// a version-7 UUID whose time is n milliseconds after a fixed instant, so
// that IDs follow the file and can be told apart without a map.
func idOf(n int) uuid.UUID {
	var u uuid.UUID
	ms := uint64(1_700_000_000_000 + n)
	binary.BigEndian.PutUint64(u[:8], ms<<16)
	binary.BigEndian.PutUint64(u[8:], uint64(n))
	u[6] = 0x70 | u[6]&0x0f
	u[8] = 0x80 | u[8]&0x3f
	return u
}

// numberOf inverts idOf.
func numberOf(id uuid.UUID) int { return int(binary.BigEndian.Uint64(id[:8])>>16 - 1_700_000_000_000) }

func (r row) customer() (*customer.Customer, error) {
	c := &customer.Customer{ID: idOf(r.id), Status: customer.StatusCustomer, Name: r.name, DMSCode: r.dms}
	var err error
	if c.TaxID, err = customer.ParseTaxID(r.taxID); err != nil {
		return nil, err
	}
	if r.kind == "company" {
		c.Kind, c.TradeName = customer.Company, r.company
	} else {
		c.Kind, c.Employer = customer.Individual, r.company
	}
	p, err := contact.ParsePhone(r.phone)
	if err != nil {
		return nil, err
	}
	e, err := contact.ParseEmail(r.email)
	if err != nil {
		return nil, err
	}
	c.Phones, c.Emails = []contact.Phone{p}, []contact.Email{e}
	vin, err := asset.ParseVIN(r.vin)
	if err != nil {
		return nil, err
	}
	plate, err := asset.ParsePlate(r.plate)
	if err != nil {
		return nil, err
	}
	c.Assets = []asset.Asset{{Description: "Veículo", Kind: asset.Vehicle, VIN: vin, Plate: plate}}
	c.ServiceOrders = []string{r.so}
	return c, nil
}

// history is the clock and attendances the benchmark gives its customers.
type history struct {
	start, now time.Time
	attend     map[int]time.Time // customer number: time of its attendance
}

func newHistory(data []row, qs map[string][]query) *history {
	h := &history{now: time.Now().UTC().Truncate(time.Hour), attend: map[int]time.Time{}}
	h.start = h.now.AddDate(-3, 0, 0)
	r := rand.New(rand.NewPCG(7, 7))
	span := h.now.Sub(h.start) - 24*time.Hour
	for _, d := range data {
		if r.IntN(10) == 0 {
			h.attend[d.id] = h.start.Add(24*time.Hour + time.Duration(r.Int64N(int64(span))))
		}
	}
	for _, kind := range mapKeys(qs) {
		for _, q := range qs[kind] {
			if r.IntN(2) == 0 {
				h.attend[q.expected] = h.now.Add(-time.Duration(r.Int64N(int64(7 * 24 * time.Hour))))
			}
		}
	}
	return h
}

func mapKeys[M ~map[K]V, K cmp.Ordered, V any](m M) []K {
	var out []K
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// clock is a store's clock: while the customers load, three years back
// and a microsecond further at each reading, so that creations follow the
// file; then the real time, for the attendances.
type clock struct {
	start time.Time
	n     atomic.Int64
	live  atomic.Bool
}

func (c *clock) now() time.Time {
	if c.live.Load() {
		return time.Now()
	}
	return c.start.Add(time.Duration(c.n.Add(1)) * time.Microsecond)
}

// loadInto creates the customers in batches and registers the history's
// attendances; it returns the customers created per second.
func loadInto(ctx context.Context, s *storage.Store, data []row, h *history, clk *clock, prof *os.File) float64 {
	if prof != nil {
		if err := pprof.StartCPUProfile(prof); err != nil {
			log.Fatal(err)
		}
	}
	start := time.Now()
	src := func(yield func(*customer.Customer) bool) {
		for _, d := range data {
			c, err := d.customer()
			if err != nil {
				log.Fatalf("customer %d: %v", d.id, err)
			}
			if !yield(c) {
				return
			}
		}
	}
	stats, err := s.Load(ctx, tenant, src, func(i int, r storage.Result) error {
		if r.Err != nil {
			return fmt.Errorf("create %d: %w", i, r.Err)
		}
		if i%100000 == 0 && i > 0 {
			log.Printf("loaded %d", i)
		}
		return nil
	}, &storage.LoadOptions{KeepIndexes: *keepIndexes})
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("%d created, indexes set aside and rebuilt: %v", stats.Created, stats.Rebuilt)
	rate := float64(len(data)) / time.Since(start).Seconds()
	if prof != nil {
		pprof.StopCPUProfile()
	}
	log.Printf("loaded %d customers in %s (%.0f/s); attending %d", len(data), time.Since(start).Round(time.Second), rate, len(h.attend))
	clk.live.Store(true)
	if !*withHistory {
		return rate
	}
	for _, n := range mapKeys(h.attend) {
		if n > len(data) {
			continue
		}
		_, err := s.Attend(ctx, tenant, &attendance.Attendance{CustomerID: idOf(n), At: h.attend[n],
			Channel: attendance.Phone, Reason: attendance.Service})
		if err != nil {
			log.Fatalf("attend: %v", err)
		}
	}
	log.Printf("history written")
	return rate
}

// worstQueries builds the worst cases of a name search from the data's
// own frequencies: the commonest first name with the commonest surname's
// first three letters, single two-letter tokens, and a rare word with a
// common one.
func worstQueries(data []row) map[string][]query {
	particles := map[string]bool{"da": true, "de": true, "do": true, "das": true, "dos": true, "e": true}
	first, later := map[string]int{}, map[string]int{}
	for _, d := range data {
		if d.kind != "individual" {
			continue
		}
		for i, w := range fold.Tokens(d.name) {
			switch {
			case particles[w] || len(w) < 3:
			case i == 0:
				first[w]++
			default:
				later[w]++
			}
		}
	}
	byCount := func(m map[string]int) []string {
		ks := mapKeys(m)
		slices.SortFunc(ks, func(a, b string) int {
			if m[a] != m[b] {
				return m[b] - m[a]
			}
			return strings.Compare(a, b)
		})
		return ks
	}
	firsts, surnames := byCount(first), byCount(later)
	out := map[string][]query{}
	for i := range 20 {
		for j := range 3 {
			out["worst_common"] = append(out["worst_common"], query{kind: "name", q: firsts[i] + " " + surnames[j][:3]})
		}
	}
	seen := map[string]bool{}
	for _, w := range append(firsts, surnames...) {
		if p := w[:2]; !seen[p] && len(out["worst_short"]) < 40 {
			seen[p] = true
			out["worst_short"] = append(out["worst_short"], query{kind: "name", q: p})
		}
	}
	// The rarest words, each with one of the commonest first names.
	all := byCount(later)
	rare := all[max(0, len(all)-20):]
	for i, w := range rare {
		for j := range 3 {
			out["worst_rare"] = append(out["worst_rare"], query{kind: "name", q: firsts[(i+j)%3] + " " + w})
		}
	}
	return out
}

// writeWorst writes the worst cases in the generator's format, as name
// queries, for the peer.
func writeWorst(path string, worst map[string][]query) {
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	w := csv.NewWriter(f)
	_ = w.Write([]string{"kind", "query", "phone", "expected_id"})
	for _, kind := range []string{"worst_common", "worst_short", "worst_rare"} {
		for _, q := range worst[kind] {
			_ = w.Write([]string{"name", q.q, "", "0"})
		}
	}
	w.Flush()
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

// target is one adapter under measure.
type target struct {
	name     string
	store    *storage.Store
	loadRate float64
	size     func() string
	sizeNow  string
	results  map[string][]result // per kind, one per round
}

// result is one round of one kind.
type result struct {
	median, p95 time.Duration
	recall      float64
	incomplete  int
}

func (q query) customerQuery() customer.Query {
	switch q.kind {
	case "name":
		return customer.Query{Name: q.q}
	case "name_phone":
		return customer.Query{Name: q.q, Phone: q.phone}
	case "phone":
		return customer.Query{Phone: q.q}
	case "cpf_cnpj":
		return customer.Query{TaxID: q.q}
	case "company":
		return customer.Query{Company: q.q}
	case "plate":
		return customer.Query{Plate: q.q}
	case "vin":
		return customer.Query{VIN: q.q}
	case "dms_code":
		return customer.Query{DMSCustomer: q.q}
	case "service_order":
		return customer.Query{ServiceOrder: q.q}
	case "email":
		return customer.Query{Email: q.q}
	}
	log.Fatalf("unknown query kind %q", q.kind)
	return customer.Query{}
}

// run times the queries of one kind, after three untimed ones.
func (t *target) run(ctx context.Context, kind string, qs []query) {
	if len(qs) == 0 {
		return
	}
	for i := range min(3, len(qs)) {
		_, _ = t.store.Search(ctx, tenant, qs[len(qs)-1-i].customerQuery(), nil)
	}
	var lat []time.Duration
	hits, incomplete := 0, 0
	for _, q := range qs {
		cq := q.customerQuery()
		start := time.Now()
		p, err := t.store.Search(ctx, tenant, cq, nil)
		d := time.Since(start)
		if err != nil {
			log.Fatalf("%s %s: %v", t.name, kind, err)
		}
		lat = append(lat, d)
		if *showSlow > 0 && d > *showSlow {
			log.Printf("%s %s %q: %s, %d hits, incomplete %v", t.name, kind, q.q, d.Round(time.Microsecond), len(p.Hits), p.Incomplete)
		}
		if p.Incomplete {
			incomplete++
			if *showIncomplete {
				log.Printf("%s: incomplete: %q (%d hits)", t.name, q.q, len(p.Hits))
			}
		}
		for _, h := range p.Hits {
			if q.expected != 0 && numberOf(h.ID) == q.expected {
				hits++
				break
			}
		}
	}
	slices.Sort(lat)
	if t.results == nil {
		t.results = map[string][]result{}
	}
	t.results[kind] = append(t.results[kind], result{median: lat[len(lat)/2], p95: lat[(len(lat)*95+99)/100-1],
		recall: float64(hits) / float64(len(qs)), incomplete: incomplete})
}

// peerResults are the peer's rounds, per kind.
var peerResults = map[string][]result{}

// peerRound runs the peer over a queries file and records its rows, under
// kind "worst" when label says so.
func peerRound(dir, dsn, queries string, k int, into map[string][]result, label string) {
	abs, err := filepath.Abs(queries)
	if err != nil {
		log.Fatal(err)
	}
	cmd := exec.Command("go", "run", "./peer", "-dsn", dsn, "-bench", abs, "-k", strconv.Itoa(k))
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		log.Fatalf("peer: %v", err)
	}
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Split(line, "|")
		if len(f) < 7 || strings.TrimSpace(f[1]) == "kind" || strings.HasPrefix(strings.TrimSpace(f[1]), "---") {
			continue
		}
		kind := strings.TrimSpace(f[1])
		med, err1 := strconv.ParseFloat(strings.TrimSpace(f[3]), 64)
		p95, err2 := strconv.ParseFloat(strings.TrimSpace(f[4]), 64)
		rec, err3 := strconv.ParseFloat(strings.TrimSpace(f[5]), 64)
		if err1 != nil || err2 != nil || err3 != nil {
			continue
		}
		if label != "" {
			kind = label
		}
		ms := func(v float64) time.Duration { return time.Duration(v * float64(time.Millisecond)) }
		into[kind] = append(into[kind], result{median: ms(med), p95: ms(p95), recall: rec})
	}
}

// middle returns the round with the median p50 of rs.
func middle(rs []result) result {
	s := slices.Clone(rs)
	slices.SortFunc(s, func(a, b result) int { return int(a.median - b.median) })
	return s[len(s)/2]
}

func print(targets []*target, kinds []string, rounds int) {
	ms := func(d time.Duration) string { return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 3, 64) }
	fmt.Printf("\nmedian / p95 ms, recall@20 (median of %d rounds; worst_* have no expected customer)\n\n", rounds)
	fmt.Print("| kind |")
	if len(peerResults) > 0 {
		fmt.Print(" peer |")
	}
	for _, t := range targets {
		fmt.Printf(" %s |", t.name)
	}
	fmt.Print("\n|---|")
	if len(peerResults) > 0 {
		fmt.Print("---|")
	}
	for range targets {
		fmt.Print("---|")
	}
	fmt.Println()
	cell := func(r result) string {
		s := ms(r.median) + " / " + ms(r.p95) + " / " + strconv.FormatFloat(r.recall, 'f', 2, 64)
		if r.incomplete > 0 {
			s += fmt.Sprintf(" (%d incomplete)", r.incomplete)
		}
		return s
	}
	for _, kind := range kinds {
		fmt.Printf("| %s |", kind)
		if len(peerResults) > 0 {
			pk := kind
			if strings.HasPrefix(kind, "worst_") {
				pk = "worst"
			}
			if rs := peerResults[pk]; len(rs) > 0 {
				fmt.Printf(" %s |", cell(middle(rs)))
			} else {
				fmt.Print(" |")
			}
		}
		for _, t := range targets {
			if rs := t.results[kind]; len(rs) > 0 {
				fmt.Printf(" %s |", cell(middle(rs)))
			} else {
				fmt.Print(" |")
			}
		}
		fmt.Println()
	}
	fmt.Println()
	for _, t := range targets {
		size := t.sizeNow
		if t.size != nil {
			size = t.size()
		}
		fmt.Printf("%s: load %.0f customers/s; %s\n", t.name, t.loadRate, size)
	}
}

func fileSize(path string) string {
	var n int64
	for _, p := range []string{path, path + "-wal"} {
		if st, err := os.Stat(p); err == nil {
			n += st.Size()
		}
	}
	return fmt.Sprintf("%.0f MB on disk", float64(n)/1e6)
}

// pgSize reports the size of the store's tables and their indexes, the
// largest first.
func pgSize(ctx context.Context, s *storage.Store) string {
	db := s.Driver().(*sqlstore.Driver).DB()
	rows, err := db.QueryContext(ctx, "SELECT c.relname, pg_table_size(c.oid), pg_indexes_size(c.oid) FROM pg_class c "+
		"JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r' "+
		"ORDER BY pg_total_relation_size(c.oid) DESC")
	if err != nil {
		return "size: " + err.Error()
	}
	defer rows.Close()
	var total int64
	var parts []string
	for rows.Next() {
		var name string
		var table, index int64
		if err := rows.Scan(&name, &table, &index); err != nil {
			return "size: " + err.Error()
		}
		total += table + index
		if table+index > 1<<20 {
			parts = append(parts, fmt.Sprintf("%s %.0f+%.0f MB", name, float64(table)/1e6, float64(index)/1e6))
		}
	}
	return fmt.Sprintf("%.0f MB with indexes (table+indexes: %s)", float64(total)/1e6, strings.Join(parts, ", "))
}

// writeHeap writes a heap profile to path.
func writeHeap(path string) {
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		log.Fatal(err)
	}
}
