package storagebench

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
)

// BenchmarkLoad times an initial load: N customers (FICHA_BENCH_SIZES)
// through Store.Load into an empty store of each adapter
// (FICHA_BENCH_ADAPTERS), a store of its own per run, with the indexes set
// aside and rebuilt where the adapter can, or kept (keep-indexes). The
// customers are made as the load reads them; opening and migrating the
// store are not timed. Run it with -benchtime 1x.
func BenchmarkLoad(b *testing.B) {
	want := os.Getenv("FICHA_BENCH_ADAPTERS")
	for _, name := range []string{"memory", "sqlite", "postgres", "mysql"} {
		if want != "" && !strings.Contains(","+want+",", ","+name+",") {
			continue
		}
		open := adapters()[name]
		for _, n := range sizes(b) {
			for _, keep := range []bool{false, true} {
				mode := "initial"
				if keep {
					mode = "keep-indexes"
				}
				b.Run(fmt.Sprintf("%s/N=%d/%s", name, n, mode), func(b *testing.B) {
					b.ReportAllocs()
					rebuilt := false
					for b.Loop() {
						b.StopTimer()
						s, _ := open(b, nil)
						b.StartTimer()
						src := func(yield func(*customer.Customer) bool) {
							for i := range n {
								if !yield(mk(i)) {
									return
								}
							}
						}
						stats, err := s.Load(context.Background(), tenant, src, nil, &storage.LoadOptions{KeepIndexes: keep})
						if err != nil || stats.Created != n {
							b.Fatal(err, stats)
						}
						rebuilt = stats.Rebuilt
						b.StopTimer()
						_ = s.Close()
						b.StartTimer()
					}
					b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "customers/s")
					b.Logf("indexes set aside and rebuilt: %v", rebuilt)
				})
			}
		}
	}
}
