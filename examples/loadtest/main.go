// Command loadtest measures the search API under load: it loads generated
// customers into an SQLite file, serves them with the [httpapi] handler on
// a localhost listener, and runs concurrent HTTP clients that search them
// as attendants do, until a number of requests or a time runs out,
// whichever comes first. It prints the load time, the number of requests,
// the errors by kind, the throughput and the latency percentiles, and
// exits non-zero when a request failed or a target given by flag was
// missed.
//
// The measurement (at least 2,000 searches/s on SQLite with 50
// concurrent clients and a p99 of at most 50 ms), over the searches of the
// attendance page (name and phone, or an exact key), is, on an otherwise
// idle machine:
//
//	go run ./examples/loadtest -customers 20000 -clients 50 -requests 40000 -duration 60s -mix name+phone=50,tax_id=30,plate=20 -min-rps 2000 -max-p99 50ms
//
// Without -mix the default mix adds a tenth of name-only prefix searches
// ("Jos Silv"), which cost the store (not the handler) about 30 times an
// exact key on SQLite; BENCHMARKS.md has both runs. The server runs in
// the same process as the clients, on the same cores: what is measured is
// the whole round trip over loopback, client included.
//
// # What it does
//
// The SQLite file is made in a temporary directory, removed at exit. The
// customers are the sequence of storage/storagetest (four individuals in
// five, valid CPFs and CNPJs, phones, plates, Brazilian names), loaded
// with Store.CreateMany in batches of 1,000 as the tenant "loadtest",
// which the server gives to every request. Before the clients start, 4,096
// searches are drawn from the loaded customers, in the proportions of
// -mix; each client then picks among them at random, so every search has
// at least one hit. A search is counted as an error when it is not
// answered 200 with at least one hit, when its connection fails, or when
// it takes longer than -timeout. Latencies are measured from before the
// request is sent to after its body is read, and their percentiles are the
// nearest rank over every answered request.
//
// The server is an http.Server with header, read, write and idle timeouts;
// the clients share one http.Transport that keeps an idle connection for
// each client, so that a run measures searches, not connection set-up
// (each client opens its connection on its first request).
//
// # Flags
//
//	-customers N    customers to load (default 20000); with -addr, how many
//	                of the sequence the target holds, to draw searches from
//	-clients N      concurrent clients (default 50)
//	-requests N     stop after N requests in all (default 40000)
//	-duration D     stop issuing requests after D (default 60s); requests
//	                in flight then are still waited for
//	-timeout D      longest wait for one request, answer read (default 10s)
//	-mix SPEC       the proportions of the searches, as weights
//	                (default "name+phone=40,tax_id=30,plate=20,prefix=10"):
//	                name+phone is a full name and a phone; tax_id a CPF or
//	                CNPJ with its punctuation; plate a plate of an individual's
//	                vehicle; prefix the first three and four letters of two
//	                words of a name ("Jos Silv"), a page of up to 20 hits
//	-min-rps R      fail when fewer than R searches/s were answered (0 = off)
//	-max-p99 D      fail when the p99 latency is above D (0 = off)
//	-serve ADDR     load the customers and serve them on ADDR (such as
//	                127.0.0.1:8080) until interrupted; run no clients
//	-addr URL       run the clients against the server at URL (such as
//	                http://127.0.0.1:8080), started with -serve, instead of
//	                starting one; nothing is loaded
//
// To keep the server and the clients in two processes (still on the same
// machine):
//
//	go run ./examples/loadtest -serve 127.0.0.1:8080
//	go run ./examples/loadtest -addr http://127.0.0.1:8080 -customers 20000 -min-rps 2000 -max-p99 50ms
//
// Nothing the command prints holds a customer's data.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/httpapi"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/sqlite"
	"github.com/fichacrm/ficha/storage/storagetest"
)

func main() {
	cfg, err := parse(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(2)
	}
	// Interrupted, the run stops issuing requests, reports what it has,
	// and still removes its temporary files.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		stop()
		os.Exit(1)
	}
}

// tenant is the tenant of the loaded customers and of every request.
const tenant = "loadtest"

// poolSize is how many searches are drawn before the clients start.
const poolSize = 4096

// config is what the flags set.
type config struct {
	customers int
	clients   int
	requests  int
	duration  time.Duration
	timeout   time.Duration
	mix       mix
	minRPS    float64
	maxP99    time.Duration
	serve     string
	addr      string
}

// parse reads the flags in args; flag.ErrHelp when help was asked for.
func parse(args []string, errOut io.Writer) (config, error) {
	var c config
	var mixSpec string
	fs := flagSet(&c, &mixSpec)
	fs.SetOutput(errOut)
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	m, err := parseMix(mixSpec)
	if err != nil {
		return config{}, err
	}
	c.mix = m
	return c, c.check()
}

// flagSet defines the command's flags over c and the -mix text.
func flagSet(c *config, mixSpec *string) *flag.FlagSet {
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.IntVar(&c.customers, "customers", 20000, "customers to load; with -addr, how many of the sequence the target holds")
	fs.IntVar(&c.clients, "clients", 50, "concurrent clients")
	fs.IntVar(&c.requests, "requests", 40000, "stop after this many requests in all")
	fs.DurationVar(&c.duration, "duration", 60*time.Second, "stop issuing requests after this time")
	fs.DurationVar(&c.timeout, "timeout", 10*time.Second, "longest wait for one request")
	fs.StringVar(mixSpec, "mix", defaultMix, "proportions of the searches, as weights of name+phone, tax_id, plate and prefix")
	fs.Float64Var(&c.minRPS, "min-rps", 0, "fail below this many searches/s (0 = off)")
	fs.DurationVar(&c.maxP99, "max-p99", 0, "fail when the p99 latency is above this (0 = off)")
	fs.StringVar(&c.serve, "serve", "", "load and serve on this address until interrupted, running no clients")
	fs.StringVar(&c.addr, "addr", "", "run the clients against this server (started with -serve) instead of starting one")
	return fs
}

// check reports a configuration that cannot run, or that would run
// without bounds.
func (c config) check() error {
	switch {
	case c.customers < 1:
		return errors.New("-customers must be at least 1")
	case c.clients < 1:
		return errors.New("-clients must be at least 1")
	case c.requests < 1:
		return errors.New("-requests must be at least 1")
	case c.duration <= 0:
		return errors.New("-duration must be positive")
	case c.timeout <= 0:
		return errors.New("-timeout must be positive")
	case c.minRPS < 0 || c.maxP99 < 0:
		return errors.New("-min-rps and -max-p99 cannot be negative")
	case c.serve != "" && c.addr != "":
		return errors.New("-serve and -addr exclude each other")
	}
	return nil
}

// kind is a kind of search.
type kind uint8

const (
	namePhone kind = iota
	taxID
	plate
	prefix
	kinds
)

var kindNames = [kinds]string{"name+phone", "tax_id", "plate", "prefix"}

const defaultMix = "name+phone=40,tax_id=30,plate=20,prefix=10"

// mix is the weight of each kind of search.
type mix [kinds]int

// parseMix reads weights such as "name+phone=40,tax_id=30"; a kind not
// named weighs nothing.
func parseMix(spec string) (mix, error) {
	var m mix
	var seen [kinds]bool
	total := 0
	for part := range strings.SplitSeq(spec, ",") {
		name, weight, ok := strings.Cut(strings.TrimSpace(part), "=")
		k := slices.Index(kindNames[:], name)
		w, err := strconv.Atoi(weight)
		if !ok || k < 0 || err != nil || w < 0 {
			return mix{}, fmt.Errorf("-mix: %q is not one of %s with a weight, such as %q", part, strings.Join(kindNames[:], ", "), "plate=20")
		}
		if seen[k] {
			return mix{}, fmt.Errorf("-mix: %s is given twice", name)
		}
		seen[k] = true
		m[k] = w
		total += w
	}
	if total == 0 {
		return mix{}, errors.New("-mix: the weights add up to nothing")
	}
	return m, nil
}

func (m mix) String() string {
	total := 0
	for _, w := range m {
		total += w
	}
	var parts []string
	for k, w := range m {
		if w > 0 {
			parts = append(parts, fmt.Sprintf("%s %.0f%%", kindNames[k], 100*float64(w)/float64(total)))
		}
	}
	return strings.Join(parts, ", ")
}

// pick returns the kind a number in [0, total weight) falls on.
func (m mix) pick(n int) kind {
	for k, w := range m {
		if n < w {
			return kind(k)
		}
		n -= w
	}
	return kinds - 1
}

// generated returns the i-th customer of the sequence the command loads:
// four individuals in five.
func generated(i int) *customer.Customer {
	if i%5 == 4 {
		return storagetest.Company(i)
	}
	return storagetest.Individual(i)
}

// search is one search of the pool: its kind and its request target.
type search struct {
	kind   kind
	target string
}

// searches draws poolSize searches of the first n customers, in the
// proportions of m, with targets under base.
func searches(m mix, n int, base string) []search {
	rng := rand.New(rand.NewPCG(20, 26))
	total := 0
	for _, w := range m {
		total += w
	}
	pool := make([]search, poolSize)
	for j := range pool {
		k := m.pick(rng.IntN(total))
		i := rng.IntN(n)
		if k == plate && i%5 == 4 {
			i-- // a company has no vehicle: take the individual before it
		}
		c := generated(i)
		v := url.Values{}
		switch k {
		case namePhone:
			v.Set("name", c.Name)
			v.Set("phone", c.Phones[0].Format())
		case taxID:
			v.Set("tax_id", c.TaxID.Format())
		case plate:
			v.Set("plate", c.Assets[0].Plate.Format())
		case prefix:
			w := strings.Fields(c.Name)
			v.Set("name", firstRunes(w[0], 3)+" "+firstRunes(w[1], 4))
		}
		pool[j] = search{kind: k, target: base + "/customers/search?" + v.Encode()}
	}
	return pool
}

func firstRunes(s string, n int) string {
	r := []rune(s)
	return string(r[:min(n, len(r))])
}

// run does what cfg asks and writes its report to out.
func run(ctx context.Context, out io.Writer, cfg config) error {
	if err := cfg.check(); err != nil {
		return err
	}
	fmt.Fprintf(out, "Ficha load test: %s, GOMAXPROCS %d, %d CPUs\n", runtime.Version(), runtime.GOMAXPROCS(0), runtime.NumCPU())
	if cfg.addr != "" {
		base := strings.TrimSuffix(cfg.addr, "/")
		if !strings.Contains(base, "://") {
			base = "http://" + base
		}
		fmt.Fprintf(out, "target: %s (started elsewhere, holding the first %d customers)\n", base, cfg.customers)
		return drive(ctx, out, cfg, base)
	}

	dir, err := os.MkdirTemp("", "ficha-loadtest-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "ficha.db")
	store, err := sqlite.Open(ctx, path, nil)
	if err != nil {
		return err
	}
	defer store.Close()
	fmt.Fprintf(out, "store: SQLite at %s (removed at exit)\n", path)
	start := time.Now()
	if err := load(ctx, store, cfg.customers); err != nil {
		return err
	}
	took := time.Since(start)
	fmt.Fprintf(out, "loaded: %d customers in %.3fs (%.0f customers/s)\n", cfg.customers, took.Seconds(), float64(cfg.customers)/took.Seconds())

	listen := "127.0.0.1:0"
	if cfg.serve != "" {
		listen = cfg.serve
	}
	base, shutdown, err := startServer(store, listen)
	if err != nil {
		return err
	}
	if cfg.serve != "" {
		fmt.Fprintf(out, "serving on %s as tenant %q until interrupted; drive it with\n", base, tenant)
		fmt.Fprintf(out, "\tgo run ./examples/loadtest -addr %s -customers %d\n", base, cfg.customers)
		<-ctx.Done()
		return shutdown()
	}
	fmt.Fprintf(out, "server: %s, in this process\n", base)
	err = drive(ctx, out, cfg, base)
	return errors.Join(err, shutdown())
}

// load creates the first n customers of the sequence, in batches.
func load(ctx context.Context, store *storage.Store, n int) error {
	const batch = 1000
	for first := 0; first < n; first += batch {
		cs := make([]*customer.Customer, 0, batch)
		for i := first; i < min(first+batch, n); i++ {
			cs = append(cs, generated(i))
		}
		res, err := store.CreateMany(ctx, tenant, cs)
		if err != nil {
			return fmt.Errorf("load: %w", err)
		}
		for j, r := range res {
			if r.Err != nil {
				return fmt.Errorf("load: customer %d refused: %w", first+j, r.Err)
			}
		}
	}
	return nil
}

// startServer serves the API over store on listen and returns its base
// URL and the function that shuts it down.
func startServer(store *storage.Store, listen string) (string, func() error, error) {
	h, err := httpapi.New(store, func(*http.Request) (string, error) { return tenant, nil }, nil)
	if err != nil {
		return "", nil, err
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10,
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	shutdown := func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err := srv.Shutdown(ctx)
		if serr := <-served; !errors.Is(serr, http.ErrServerClosed) {
			err = errors.Join(err, serr)
		}
		return err
	}
	return "http://" + ln.Addr().String(), shutdown, nil
}

// sample is one answered request: how long it took and its kind.
type sample struct {
	took time.Duration
	kind kind
}

// tally is what one client saw.
type tally struct {
	samples  []sample
	failures map[string]int
}

// drive runs the clients against the server at base and reports.
func drive(ctx context.Context, out io.Writer, cfg config, base string) error {
	pool := searches(cfg.mix, cfg.customers, base)
	var drawn [kinds]int
	for _, s := range pool {
		drawn[s.kind]++
	}
	fmt.Fprintf(out, "mix: %s (%d searches drawn from %d customers)\n", cfg.mix, len(pool), cfg.customers)
	fmt.Fprintf(out, "clients: %d over one transport, at most %d requests or %v, whichever ends first; timeout %v each\n",
		cfg.clients, cfg.requests, cfg.duration, cfg.timeout)

	tr := &http.Transport{
		Proxy:               nil, // never a proxy: the server is local
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        cfg.clients,
		MaxIdleConnsPerHost: cfg.clients,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}

	var issued atomic.Int64
	tallies := make([]tally, cfg.clients)
	start := time.Now()
	deadline := start.Add(cfg.duration)
	var wg sync.WaitGroup
	for c := range tallies {
		wg.Go(func() {
			tallies[c] = clientLoop(ctx, client, cfg, pool, uint64(c), &issued, deadline)
		})
	}
	wg.Wait()
	elapsed := time.Since(start)

	var all []sample
	failures := map[string]int{}
	for _, t := range tallies {
		all = append(all, t.samples...)
		for k, n := range t.failures {
			failures[k] += n
		}
	}
	failed := 0
	for _, n := range failures {
		failed += n
	}
	stopped := "-duration"
	switch {
	case ctx.Err() != nil:
		stopped = "an interrupt"
	case issued.Load() >= int64(cfg.requests):
		stopped = "-requests"
	}
	rps := float64(len(all)-failed) / elapsed.Seconds()
	fmt.Fprintf(out, "requests: %d in %.3fs (stopped by %s)\n", len(all), elapsed.Seconds(), stopped)
	fmt.Fprintf(out, "errors: %d%s\n", failed, describe(failures))
	fmt.Fprintf(out, "throughput: %.1f searches/s\n", rps)
	p := percentiles(all, func(sample) bool { return true })
	fmt.Fprintf(out, "latency: p50 %s  p90 %s  p99 %s  max %s\n", ms(p[0]), ms(p[1]), ms(p[2]), ms(p[3]))
	fmt.Fprintf(out, "by kind:\n")
	for k := range kinds {
		n := 0
		for _, s := range all {
			if s.kind == k {
				n++
			}
		}
		if n == 0 {
			continue
		}
		p := percentiles(all, func(s sample) bool { return s.kind == k })
		fmt.Fprintf(out, "  %-10s %7d  p50 %s  p90 %s  p99 %s  max %s\n", kindNames[k], n, ms(p[0]), ms(p[1]), ms(p[2]), ms(p[3]))
	}

	var errs []error
	if ctx.Err() != nil {
		errs = append(errs, errors.New("interrupted"))
	}
	if failed > 0 {
		errs = append(errs, fmt.Errorf("%d of %d requests failed", failed, len(all)))
	}
	if len(all) == 0 {
		errs = append(errs, errors.New("no request was answered"))
	}
	if cfg.minRPS > 0 {
		met := rps >= cfg.minRPS
		fmt.Fprintf(out, "target -min-rps %g: %s\n", cfg.minRPS, verdict(met))
		if !met {
			errs = append(errs, fmt.Errorf("throughput %.1f searches/s is below -min-rps %g", rps, cfg.minRPS))
		}
	}
	if cfg.maxP99 > 0 {
		met := len(all) > 0 && p[2] <= cfg.maxP99
		fmt.Fprintf(out, "target -max-p99 %v: %s\n", cfg.maxP99, verdict(met))
		if !met {
			errs = append(errs, fmt.Errorf("p99 %s is above -max-p99 %v", ms(p[2]), cfg.maxP99))
		}
	}
	return errors.Join(errs...)
}

// clientLoop is one client: it issues searches drawn from pool until
// -requests have been issued by all clients, the deadline has passed, or
// ctx is done.
func clientLoop(ctx context.Context, client *http.Client, cfg config, pool []search, id uint64, issued *atomic.Int64, deadline time.Time) tally {
	rng := rand.New(rand.NewPCG(id, 1))
	t := tally{samples: make([]sample, 0, cfg.requests/cfg.clients+1), failures: map[string]int{}}
	var body bytes.Buffer
	for ctx.Err() == nil && time.Now().Before(deadline) && issued.Add(1) <= int64(cfg.requests) {
		s := pool[rng.IntN(len(pool))]
		start := time.Now()
		failure := do(ctx, client, cfg.timeout, s.target, &body)
		took := time.Since(start)
		if failure != "" && ctx.Err() != nil {
			break // cut short by the interrupt: not the server's failure
		}
		t.samples = append(t.samples, sample{took: took, kind: s.kind})
		if failure != "" {
			t.failures[failure]++
		}
	}
	return t
}

// do issues one search and returns "" when it was answered 200 with at
// least one hit, or else what went wrong.
func do(ctx context.Context, client *http.Client, timeout time.Duration, target string, body *bytes.Buffer) string {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return "request"
	}
	resp, err := client.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return "timeout"
		}
		return "connection"
	}
	defer resp.Body.Close()
	body.Reset()
	_, err = body.ReadFrom(resp.Body)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case err != nil:
		return "connection"
	case resp.StatusCode != http.StatusOK:
		return "status " + strconv.Itoa(resp.StatusCode)
	case !bytes.HasPrefix(body.Bytes(), []byte(`{"items":[{`)):
		return "no hit"
	}
	return ""
}

// describe lists the failures by kind, as " (status 503: 2, timeout: 1)".
func describe(failures map[string]int) string {
	if len(failures) == 0 {
		return ""
	}
	var parts []string
	for k, n := range failures {
		parts = append(parts, fmt.Sprintf("%s: %d", k, n))
	}
	slices.Sort(parts)
	return " (" + strings.Join(parts, ", ") + ")"
}

// percentiles returns the p50, p90, p99 and maximum of the samples keep
// keeps, by nearest rank; zeros when it keeps none.
func percentiles(all []sample, keep func(sample) bool) [4]time.Duration {
	var d []time.Duration
	for _, s := range all {
		if keep(s) {
			d = append(d, s.took)
		}
	}
	var p [4]time.Duration
	if len(d) == 0 {
		return p
	}
	slices.Sort(d)
	for i, q := range []float64{0.50, 0.90, 0.99, 1} {
		rank := int(math.Ceil(q * float64(len(d))))
		p[i] = d[min(max(rank, 1), len(d))-1]
	}
	return p
}

// ms writes a latency in milliseconds, to the microsecond.
func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 3, 64) + " ms"
}

func verdict(met bool) string {
	if met {
		return "met"
	}
	return "missed"
}
