package storagebench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/memory"
	"github.com/fichacrm/ficha/storage/mysql"
	"github.com/fichacrm/ficha/storage/postgres"
	"github.com/fichacrm/ficha/storage/sqlite"
	"github.com/fichacrm/ficha/storage/storagetest"
)

// sizes returns the numbers of customers to load, from FICHA_BENCH_SIZES
// (comma-separated; 10000 by default).
func sizes(b *testing.B) []int {
	spec := os.Getenv("FICHA_BENCH_SIZES")
	if spec == "" {
		spec = "10000"
	}
	var ns []int
	for f := range strings.SplitSeq(spec, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1000 {
			b.Fatalf("FICHA_BENCH_SIZES: %q is not a size of at least 1000", f)
		}
		ns = append(ns, n)
	}
	return ns
}

// mk returns the i-th synthetic customer: four individuals in five.
func mk(i int) *customer.Customer {
	if i%5 == 4 {
		return storagetest.Company(i)
	}
	return storagetest.Individual(i)
}

type opener func(b testing.TB, opts *storage.Options) (*storage.Store, analyzer)

// analyzer refreshes planner statistics after the load, as a migration
// tool does; nil for the memory adapter.
type analyzer interface{ Analyze(context.Context) error }

func adapters() map[string]opener {
	return map[string]opener{
		"memory": func(b testing.TB, opts *storage.Options) (*storage.Store, analyzer) { return memory.Open(opts), nil },
		"sqlite": func(b testing.TB, opts *storage.Options) (*storage.Store, analyzer) {
			// FICHA_BENCH_DIR keeps the database there, named after the
			// benchmark, for a look after the run or for a later run of
			// BenchmarkHistory to reuse.
			dir := os.Getenv("FICHA_BENCH_DIR")
			if dir == "" {
				dir = b.TempDir()
			}
			d, err := sqlite.OpenDriver(filepath.Join(dir, strings.NewReplacer("/", "_").Replace(b.Name())+".db"))
			if err != nil {
				b.Fatal(err)
			}
			if err := d.Migrate(b.Context()); err != nil {
				b.Fatal(err)
			}
			return storage.New(d, opts), d
		},
		"postgres": func(b testing.TB, opts *storage.Options) (*storage.Store, analyzer) {
			dsn := os.Getenv("FICHA_TEST_POSTGRES_DSN")
			if dsn == "" {
				b.Skip("set FICHA_TEST_POSTGRES_DSN to benchmark PostgreSQL")
			}
			db, err := postgres.DB(dsn)
			if err != nil {
				b.Fatal(err)
			}
			// FICHA_BENCH_KEEP keeps the benchmark's schema;
			// FICHA_BENCH_SCHEMA names one, kept, that a later run reuses.
			schema := fmt.Sprintf("ficha_bench_%d", time.Now().UnixNano())
			kept := os.Getenv("FICHA_BENCH_KEEP") != ""
			if named := os.Getenv("FICHA_BENCH_SCHEMA"); named != "" {
				schema, kept = named, true
			}
			if _, err := db.Exec("CREATE SCHEMA IF NOT EXISTS " + schema); err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() {
				if !kept {
					_, _ = db.Exec("DROP SCHEMA " + schema + " CASCADE")
				}
				_ = db.Close()
			})
			sep := "?"
			if strings.Contains(dsn, "?") {
				sep = "&"
			}
			d, err := postgres.OpenDriver(dsn + sep + "search_path=" + schema)
			if err != nil {
				b.Fatal(err)
			}
			if err := d.Migrate(b.Context()); err != nil {
				b.Fatal(err)
			}
			return storage.New(d, opts), d
		},
		"mysql": func(b testing.TB, opts *storage.Options) (*storage.Store, analyzer) {
			dsn := os.Getenv("FICHA_TEST_MYSQL_DSN")
			if dsn == "" {
				b.Skip("set FICHA_TEST_MYSQL_DSN to benchmark MySQL/MariaDB")
			}
			db, err := mysql.DB(dsn)
			if err != nil {
				b.Fatal(err)
			}
			name := fmt.Sprintf("ficha_bench_%d", time.Now().UnixNano())
			if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { _, _ = db.Exec("DROP DATABASE " + name); _ = db.Close() })
			i := strings.LastIndex(dsn, "/")
			rest := dsn[i+1:]
			params := ""
			if j := strings.Index(rest, "?"); j >= 0 {
				params = rest[j:]
			}
			d, err := mysql.OpenDriver(dsn[:i+1] + name + params)
			if err != nil {
				b.Fatal(err)
			}
			if err := d.Migrate(b.Context()); err != nil {
				b.Fatal(err)
			}
			return storage.New(d, opts), d
		},
	}
}

const tenant = "bench"

// load creates customers 0..n-1 in chunks and returns their IDs in order.
func load(ctx context.Context, b *testing.B, s *storage.Store, n int) []uuid.UUID {
	return createEach(ctx, b, s, n, mk)
}

// createEach creates the customers one(0)..one(n-1) with CreateMany,
// 2,000 at a time, and returns their IDs in order.
func createEach(ctx context.Context, b testing.TB, s *storage.Store, n int, one func(i int) *customer.Customer) []uuid.UUID {
	ids := make([]uuid.UUID, 0, n)
	const chunk = 2000
	for start := 0; start < n; start += chunk {
		cs := make([]*customer.Customer, 0, chunk)
		for i := start; i < min(start+chunk, n); i++ {
			cs = append(cs, one(i))
		}
		res, err := s.CreateMany(ctx, tenant, cs)
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range res {
			if r.Err != nil {
				b.Fatalf("customer %d: %v", len(ids), r.Err)
			}
			ids = append(ids, r.Customer.ID)
		}
	}
	return ids
}

// BenchmarkStore loads each adapter with N customers and times, at that
// size: bulk loading more, get by ID, look-ups by CPF, plate, VIN and DMS
// code, name and phone, and a name prefix (first page).
// FICHA_BENCH_ADAPTERS (comma-separated) picks adapters; all by default.
func BenchmarkStore(b *testing.B) {
	eachLoaded(b, nil, load, run)
}

// eachLoaded runs, for each adapter FICHA_BENCH_ADAPTERS picks and each
// size of FICHA_BENCH_SIZES, a sub-benchmark that opens the adapter (with
// the store options opts makes, when set), loads it, refreshes the
// planner's statistics (unless FICHA_BENCH_NO_ANALYZE is set) and times
// what bench times.
func eachLoaded(b *testing.B, opts func() *storage.Options, fill func(context.Context, *testing.B, *storage.Store, int) []uuid.UUID,
	bench func(*testing.B, *storage.Store, []uuid.UUID, int)) {
	want := os.Getenv("FICHA_BENCH_ADAPTERS")
	for _, name := range []string{"memory", "sqlite", "postgres", "mysql"} {
		if want != "" && !strings.Contains(","+want+",", ","+name+",") {
			continue
		}
		open := adapters()[name]
		for _, n := range sizes(b) {
			b.Run(fmt.Sprintf("%s/N=%d", name, n), func(b *testing.B) {
				var o *storage.Options
				if opts != nil {
					o = opts()
				}
				s, an := open(b, o)
				defer s.Close()
				ctx := context.Background()
				start := time.Now()
				ids := fill(ctx, b, s, n)
				b.Logf("loaded %d customers in %v (%.0f customers/s)", n, time.Since(start).Round(time.Millisecond), float64(n)/time.Since(start).Seconds())
				if an != nil && os.Getenv("FICHA_BENCH_NO_ANALYZE") == "" {
					if err := an.Analyze(ctx); err != nil {
						b.Fatal(err)
					}
				}
				bench(b, s, ids, n)
			})
		}
	}
}

func run(b *testing.B, s *storage.Store, ids []uuid.UUID, n int) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	// pick returns a random individual's index (companies are every fifth).
	pick := func() int {
		for {
			if i := rng.IntN(n); i%5 != 4 {
				return i
			}
		}
	}
	b.Run("bulk-load", func(b *testing.B) {
		const batch = 500
		next := 50_000_000
		b.ReportAllocs()
		for b.Loop() {
			cs := make([]*customer.Customer, batch)
			for i := range cs {
				cs[i] = mk(next)
				next++
			}
			res, err := s.CreateMany(ctx, "bench-load", cs)
			if err != nil || res[0].Err != nil {
				b.Fatal(err, res[0].Err)
			}
		}
		b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "customers/s")
	})
	b.Run("get-by-id", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.Get(ctx, tenant, ids[rng.IntN(len(ids))]); err != nil {
				b.Fatal(err)
			}
		}
	})
	// An attendance of a loaded customer: it bumps the customer's recency
	// in its word rows, the statement SQLite once planned on the whole
	// tenant's words.
	b.Run("attend", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			a := &attendance.Attendance{CustomerID: ids[rng.IntN(len(ids))], Channel: attendance.Phone,
				Reason: attendance.Service, Confirmed: attendance.Phones}
			if _, err := s.Attend(ctx, tenant, a); err != nil {
				b.Fatal(err)
			}
		}
	})
	// A customer created and deleted among the loaded ones: the deletion
	// cascades to its keys and words.
	b.Run("create-delete", func(b *testing.B) {
		next := 60_000_000
		b.ReportAllocs()
		for b.Loop() {
			c, err := s.Create(ctx, tenant, mk(next))
			if err != nil {
				b.Fatal(err)
			}
			next++
			if err := s.Delete(ctx, tenant, c.ID, c.Version); err != nil {
				b.Fatal(err)
			}
		}
	})
	runLarge(b, s)
	lookup := func(name string, q func(i int) customer.Query, limit int) {
		b.Run(name, func(b *testing.B) {
			// The queries are made before timing: what is timed is the
			// search, as typed, not the making of test data.
			queries := make([]customer.Query, 1024)
			for i := range queries {
				queries[i] = q(pick())
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				p, err := s.Search(ctx, tenant, queries[i%len(queries)], &storage.SearchOptions{Limit: limit})
				if err != nil {
					b.Fatal(err)
				}
				if len(p.Hits) == 0 {
					b.Fatal("no hit")
				}
			}
		})
	}
	lookup("cpf", func(i int) customer.Query { return customer.Query{TaxID: storagetest.CPF(i).Format()} }, 20)
	lookup("plate", func(i int) customer.Query { return customer.Query{Plate: storagetest.Plate(i).Format()} }, 20)
	lookup("vin", func(i int) customer.Query { return customer.Query{VIN: storagetest.VIN(i).String()} }, 20)
	lookup("dms-code", func(i int) customer.Query { return customer.Query{DMSCustomer: fmt.Sprintf("C%07d", i)} }, 20)
	lookup("name+phone", func(i int) customer.Query {
		return customer.Query{Name: storagetest.Name(i), Phone: storagetest.Phone(i).Format()}
	}, 20)
	lookup("name-prefix", func(i int) customer.Query {
		// The first letters of two words of the name, as attendants type.
		f := strings.Fields(storagetest.Name(i))
		return customer.Query{Name: prefix(f[0], 3) + " " + prefix(f[1], 4)}
	}, 20)
}

func prefix(s string, n int) string {
	r := []rune(s)
	return string(r[:min(n, len(r))])
}

// large returns a customer with ten of each sub-record (and ten phones per
// contact, ten additional-information keys), the "large customer" of the
// update-cost target.
func large() *customer.Customer {
	c := storagetest.Full(time.Now())
	c.TaxID = customer.MustParseTaxID("529.982.247-25")
	ten := func(n int, f func(i int)) {
		for i := range n {
			f(i)
		}
	}
	first := c.Addresses[0]
	asset0, ref0, bank0, card0, contact0 := c.Assets[0], c.PersonalReferences[0], c.BankReferences[0], c.Cards[0], c.Contacts[0]
	c.Phones, c.Emails, c.ServiceOrders, c.Addresses, c.Assets = nil, nil, nil, nil, nil
	c.PersonalReferences, c.BankReferences, c.Cards, c.Contacts, c.Info = nil, nil, nil, nil, map[string]string{}
	ten(10, func(i int) {
		c.Phones = append(c.Phones, contact.MustParsePhone(fmt.Sprintf("(11) 98765-43%02d", i)))
		c.Emails = append(c.Emails, contact.MustParseEmail(fmt.Sprintf("maria%d@example.com.br", i)))
		c.ServiceOrders = append(c.ServiceOrders, fmt.Sprintf("OS-%d", i))
		a := first
		a.Number = strconv.Itoa(100 + i)
		c.Addresses = append(c.Addresses, a)
		as := asset0
		as.Description = fmt.Sprintf("%s %d", as.Description, i)
		if i > 0 {
			as.VIN, as.Plate, as.RENAVAM = asset.VIN{}, asset.MustParsePlate(fmt.Sprintf("ABC%d%d23", i%10, i%10)), asset.RENAVAM{}
		}
		c.Assets = append(c.Assets, as)
		r := ref0
		r.Note = fmt.Sprintf("ref %d", i)
		c.PersonalReferences = append(c.PersonalReferences, r)
		c.BankReferences = append(c.BankReferences, bank0) // check digits: the same account
		cd := card0
		cd.Token = fmt.Sprintf("tok_%d", i)
		c.Cards = append(c.Cards, cd)
		ct := contact0
		ct.Name = fmt.Sprintf("%s %d", ct.Name, i)
		ct.Phones = nil
		ten(10, func(j int) {
			ct.Phones = append(ct.Phones, contact.MustParsePhone(fmt.Sprintf("(11) 3030-4%d%02d", i, j)))
		})
		c.Contacts = append(c.Contacts, ct)
		c.Info[fmt.Sprintf("key_%d", i)] = fmt.Sprintf("value %d", i)
	})
	return c
}

// runLarge times, on a store already holding N customers, a Get of a
// customer with ten of each sub-record and an update of one of its
// fields (its notes): of the copy the store handed out (the desk's Get,
// change, Update: a write alone, Options.KeptCopies), and through a
// store that keeps no copies (-cold: a read and a write).
func runLarge(b *testing.B, s *storage.Store) {
	ctx := context.Background()
	c, err := s.Create(ctx, "bench-large", large())
	if err != nil {
		b.Fatal(err)
	}
	b.Run("get-large", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.Get(ctx, "bench-large", c.ID); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("update-large-one-field", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			c.Notes = "note " + strconv.Itoa(i)
			if c, err = s.Update(ctx, "bench-large", c); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("update-large-one-field-cold", func(b *testing.B) {
		// Through a store that keeps no copies: each update reads the
		// customer first.
		cold := storage.New(s.Driver(), &storage.Options{KeptCopies: -1})
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			c.Notes = "cold note " + strconv.Itoa(i)
			if c, err = cold.Update(ctx, "bench-large", c); err != nil {
				b.Fatal(err)
			}
		}
	})
}
