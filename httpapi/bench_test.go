package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/httpapi"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/memory"
	"github.com/fichacrm/ficha/storage/sqlite"
	"github.com/fichacrm/ficha/storage/storagetest"
)

// benchCustomers is how many customers each adapter holds: enough for
// searches to probe real indexes, few enough to load in about a second.
const benchCustomers = 3000

// benchTenant is the tenant of every customer and request of the benchmark.
const benchTenant = "bench"

// benchCustomer returns the i-th customer loaded: four individuals in five,
// as the storage benchmarks load them.
func benchCustomer(i int) *customer.Customer {
	if i%5 == 4 {
		return storagetest.Company(i)
	}
	return storagetest.Individual(i)
}

// searchKind is one search an attendant makes: its name and the query it
// builds from a loaded customer (an individual, as every kind has one).
type searchKind struct {
	name  string
	query func(c *customer.Customer) customer.Query
}

var searchKinds = []searchKind{
	{"name+phone", func(c *customer.Customer) customer.Query {
		return customer.Query{Name: c.Name, Phone: c.Phones[0].Format()}
	}},
	{"cpf", func(c *customer.Customer) customer.Query { return customer.Query{TaxID: c.TaxID.Format()} }},
	{"plate", func(c *customer.Customer) customer.Query { return customer.Query{Plate: c.Assets[0].Plate.Format()} }},
	{"name-prefix", func(c *customer.Customer) customer.Query {
		// The first letters of two words of the name, as attendants type
		// them ("Jos Silv"): a full first page of 20 hits.
		f := strings.Fields(c.Name)
		return customer.Query{Name: firstRunes(f[0], 3) + " " + firstRunes(f[1], 4)}
	}},
}

func firstRunes(s string, n int) string {
	r := []rune(s)
	return string(r[:min(n, len(r))])
}

// searchTarget is the request target of GET /customers/search for q, with
// the parameters named as the handler reads them.
func searchTarget(q customer.Query) string {
	v := url.Values{}
	for name, s := range map[string]string{"name": q.Name, "phone": q.Phone, "tax_id": q.TaxID, "plate": q.Plate} {
		if s != "" {
			v.Set(name, s)
		}
	}
	return "/customers/search?" + v.Encode()
}

// BenchmarkSearchOverhead times the same searches as a direct Store.Search
// (".../store") and as a whole ServeHTTP of GET /customers/search through
// the handler (".../http"): parsing the query, the tenant function, the
// search, and the JSON answer written to a recorder. The difference of the
// two arms is what the handler adds to a search.
//
//	go test -run '^$' -bench SearchOverhead -benchtime 2000x ./httpapi
func BenchmarkSearchOverhead(b *testing.B) {
	ctx := context.Background()
	opens := []struct {
		name string
		open func(b *testing.B) *storage.Store
	}{
		{"memory", func(*testing.B) *storage.Store { return memory.Open(nil) }},
		{"sqlite", func(b *testing.B) *storage.Store {
			s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "ficha.db"), nil)
			if err != nil {
				b.Fatal(err)
			}
			return s
		}},
	}
	for _, o := range opens {
		b.Run(o.name, func(b *testing.B) {
			store := o.open(b)
			defer store.Close()
			loadBench(ctx, b, store, benchCustomers)
			h, err := httpapi.New(store, func(*http.Request) (string, error) { return benchTenant, nil }, nil)
			if err != nil {
				b.Fatal(err)
			}
			for _, k := range searchKinds {
				queries, targets := benchQueries(k)
				checkArms(ctx, b, store, h, queries, targets)
				b.Run(k.name+"/store", func(b *testing.B) {
					b.ReportAllocs()
					i := 0
					for b.Loop() {
						p, err := store.Search(ctx, benchTenant, queries[i%len(queries)], &storage.SearchOptions{})
						if err != nil || len(p.Hits) == 0 {
							b.Fatal("search failed or found nothing:", err)
						}
						i++
					}
				})
				b.Run(k.name+"/http", func(b *testing.B) {
					b.ReportAllocs()
					i := 0
					for b.Loop() {
						r := httptest.NewRequest(http.MethodGet, targets[i%len(targets)], nil)
						w := httptest.NewRecorder()
						h.ServeHTTP(w, r)
						if w.Code != http.StatusOK || w.Body.Len() == 0 {
							b.Fatal("search answered", w.Code)
						}
						i++
					}
				})
			}
		})
	}
}

// loadBench creates customers 0..n-1 in batches.
func loadBench(ctx context.Context, b *testing.B, s *storage.Store, n int) {
	const batch = 1000
	for start := 0; start < n; start += batch {
		cs := make([]*customer.Customer, 0, batch)
		for i := start; i < min(start+batch, n); i++ {
			cs = append(cs, benchCustomer(i))
		}
		res, err := s.CreateMany(ctx, benchTenant, cs)
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range res {
			if r.Err != nil {
				b.Fatal(r.Err)
			}
		}
	}
}

// benchQueries returns the queries of a kind, made from loaded
// individuals spread over the whole load, and their request targets.
func benchQueries(k searchKind) ([]customer.Query, []string) {
	const count = 256
	queries := make([]customer.Query, 0, count)
	targets := make([]string, 0, count)
	for j := range count {
		i := j * 7919 % benchCustomers
		if i%5 == 4 {
			i-- // a company: take the individual before it
		}
		q := k.query(benchCustomer(i))
		queries = append(queries, q)
		targets = append(targets, searchTarget(q))
	}
	return queries, targets
}

// checkArms makes sure, before any timing, that both arms find the same
// customers for every query, so that they do the same work.
func checkArms(ctx context.Context, b *testing.B, s *storage.Store, h http.Handler, queries []customer.Query, targets []string) {
	b.Helper()
	for i, q := range queries {
		p, err := s.Search(ctx, benchTenant, q, &storage.SearchOptions{})
		if err != nil || len(p.Hits) == 0 {
			b.Fatalf("query %d: search failed or found nothing: %v", i, err)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, targets[i], nil))
		if w.Code != http.StatusOK {
			b.Fatalf("query %d: answered %d: %s", i, w.Code, w.Body)
		}
		for _, hit := range p.Hits {
			if !strings.Contains(w.Body.String(), `"id":"`+hit.ID.String()+`"`) {
				b.Fatalf("query %d: the handler's answer lacks a hit of the store's", i)
			}
		}
	}
}

// BenchmarkBadConsentBody times the 422 of a body of n statements that
// each fail: the answer's work grows with n, not with its square.
func BenchmarkBadConsentBody(b *testing.B) {
	store := memory.Open(nil)
	defer store.Close()
	c, err := store.Create(context.Background(), benchTenant, benchCustomer(1))
	if err != nil {
		b.Fatal(err)
	}
	h, err := httpapi.New(store, func(*http.Request) (string, error) { return benchTenant, nil }, nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{2000, 8000} {
		body := `{"statements":[` + strings.Repeat(`{"channel":"pombo","purpose":"x"},`, n-1) + `{"channel":"pombo","purpose":"x"}]}`
		b.Run(fmt.Sprintf("statements=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r := httptest.NewRequest("POST", "/customers/"+c.ID.String()+"/consents", strings.NewReader(body))
				r.Header.Set("Content-Type", "application/json")
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				if w.Code != http.StatusUnprocessableEntity {
					b.Fatal(w.Code, w.Body.String())
				}
			}
		})
	}
}
