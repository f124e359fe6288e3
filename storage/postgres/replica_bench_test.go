//go:build linux

package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/postgres"
	"github.com/fichacrm/ficha/storage/sqlstore"
	"github.com/fichacrm/ficha/storage/storagetest"
)

// BenchmarkCluster compares, on one primary and one streaming replica of
// this machine, a read and a write on the primary alone with the same
// through the replicas' routing: Get and Search served by the replica,
// Get with a session that has written (served by whichever has the
// write), and Create with and without a session (which costs the read of
// the WAL position after the commit).
func BenchmarkCluster(b *testing.B) {
	pg := startCluster(b)
	ctx := context.Background()
	s, err := postgres.OpenCluster(ctx, postgres.Cluster{Primary: pg.primary, Replicas: []string{pg.replica}}, nil)
	require.NoError(b, err)
	defer s.Close()
	const tn = "bench"
	var ids []customer.Customer
	for i := range 200 {
		c, err := s.Create(ctx, tn, storagetest.Individual(i))
		require.NoError(b, err)
		ids = append(ids, *c)
	}
	replica := storage.ReplicaOK(ctx, time.Minute)
	require.Eventually(b, func() bool {
		before := s.Driver().(*sqlstore.Driver).ReadStats().Replica
		_, err := s.Get(replica, tn, ids[0].ID)
		return err == nil && s.Driver().(*sqlstore.Driver).ReadStats().Replica > before
	}, 30*time.Second, 10*time.Millisecond, "the replica catches up")
	session := new(storage.Session)
	_, err = s.Create(storage.WithSession(ctx, session), tn, storagetest.Individual(1000))
	require.NoError(b, err)

	get := func(ctx context.Context) func(b *testing.B) {
		return func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := s.Get(ctx, tn, ids[i%len(ids)].ID); err != nil {
					b.Fatal(err)
				}
				i++
			}
		}
	}
	search := func(ctx context.Context) func(b *testing.B) {
		return func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := s.Search(ctx, tn, customer.Query{TaxID: ids[i%len(ids)].TaxID.String()}, nil); err != nil {
					b.Fatal(err)
				}
				i++
			}
		}
	}
	next := 100000 // customers created, each with a CPF of its own
	create := func(ctx context.Context) func(b *testing.B) {
		return func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Create(ctx, tn, storagetest.Individual(next)); err != nil {
					b.Fatal(err)
				}
				next++
			}
		}
	}
	b.Run("get/primary", get(ctx))
	b.Run("get/replica", get(replica))
	b.Run("get/replica-with-session", get(storage.WithSession(replica, session)))
	b.Run("search-tax-id/primary", search(ctx))
	b.Run("search-tax-id/replica", search(replica))
	b.Run("create/no-session", create(ctx))
	b.Run("create/session", create(storage.WithSession(ctx, new(storage.Session))))
	st := s.Driver().(*sqlstore.Driver).ReadStats()
	b.Logf("reads on the replica %d, on the primary %d, after a replica failed %d", st.Replica, st.Primary, st.Fallback)
}
