//go:build linux

package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/postgres"
	"github.com/fichacrm/ficha/storage/sqlstore"
	"github.com/fichacrm/ficha/storage/storagetest"
)

// pgCluster is a primary and a streaming replica that a test started, in
// a directory of their own, on ports of their own.
type pgCluster struct {
	bin, dir         string
	primary, replica string              // DSNs
	replicaServer    *exec.Cmd           // the replica's postgres
	cred             *syscall.Credential // the postgres user's, when the test runs as root
}

// startCluster starts a small primary (initdb) and a streaming replica of
// it (pg_basebackup -R), with the programs in $FICHA_TEST_PG_BIN, and
// stops both when t ends. PostgreSQL refuses to run as root: as root, its
// programs run as the postgres user, in a directory that user owns. The
// servers are the test's children, which the kernel stops if the test
// dies before its cleanup.
func startCluster(t testing.TB) *pgCluster {
	t.Helper()
	bin := os.Getenv("FICHA_TEST_PG_BIN")
	if bin == "" {
		t.Skip("set FICHA_TEST_PG_BIN (e.g. /usr/lib/postgresql/15/bin) to run the tests of streaming replicas")
	}
	dir, err := os.MkdirTemp("", "ficha-replica-")
	require.NoError(t, err)
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	c := &pgCluster{bin: bin, dir: dir}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		require.NoError(t, err, "running as root, the servers run as the postgres user")
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		c.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		require.NoError(t, os.Chown(dir, uid, gid))
	}
	primaryPort, replicaPort := freePort(t), freePort(t)
	primary, replica := filepath.Join(dir, "primary"), filepath.Join(dir, "replica")

	c.run(t, "initdb", "-D", primary, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions")
	appendFile(t, filepath.Join(primary, "postgresql.conf"), fmt.Sprintf(`
listen_addresses = '127.0.0.1'
port = %d
unix_socket_directories = '%s'
shared_buffers = 16MB
fsync = off
full_page_writes = off
autovacuum = off
wal_level = replica
max_wal_senders = 4
`, primaryPort, dir))
	appendFile(t, filepath.Join(primary, "pg_hba.conf"), "host replication postgres 127.0.0.1/32 trust\n")
	dsn := "postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable&connect_timeout=2"
	c.primary, c.replica = fmt.Sprintf(dsn, primaryPort), fmt.Sprintf(dsn, replicaPort)
	c.start(t, primary, c.primary)

	c.run(t, "pg_basebackup", "-h", "127.0.0.1", "-p", strconv.Itoa(primaryPort), "-U", "postgres",
		"-D", replica, "-R", "-X", "stream", "-c", "fast", "--no-sync")
	appendFile(t, filepath.Join(replica, "postgresql.conf"), fmt.Sprintf("port = %d\n", replicaPort))
	c.replicaServer = c.start(t, replica, c.replica)
	return c
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// command returns the command of one of PostgreSQL's programs, run as
// the postgres user when the test runs as root, and sent SIGQUIT (a
// server's immediate shutdown) if the test dies.
func (c *pgCluster) command(program string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(c.bin, program), args...)
	cmd.Dir = c.dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred, Pdeathsig: syscall.SIGQUIT}
	return cmd
}

// run runs one of PostgreSQL's programs to its end.
func (c *pgCluster) run(t testing.TB, program string, args ...string) {
	t.Helper()
	out, err := c.command(program, args...).CombinedOutput()
	require.NoError(t, err, "%s: %s", program, out)
}

func appendFile(t testing.TB, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString(text)
	require.NoError(t, err)
	require.NoError(t, f.Close())
}

// start starts the server of the data directory data, waits until it
// takes connections at dsn, and stops it when t ends.
func (c *pgCluster) start(t testing.TB, data, dsn string) *exec.Cmd {
	t.Helper()
	log, err := os.Create(data + ".log")
	require.NoError(t, err)
	t.Cleanup(func() { _ = log.Close() })
	cmd := c.command("postgres", "-D", data)
	cmd.Stdout, cmd.Stderr = log, log
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { stopServer(cmd) })
	db, err := postgres.DB(dsn)
	require.NoError(t, err)
	defer db.Close()
	require.Eventually(t, func() bool { return db.PingContext(t.Context()) == nil }, time.Minute, 10*time.Millisecond,
		"the server at %s starts (its log: %s.log)", data, data)
	return cmd
}

// stopServer shuts a server down at once (SIGQUIT) and waits for it.
func stopServer(cmd *exec.Cmd) {
	if cmd.ProcessState == nil {
		_ = cmd.Process.Signal(syscall.SIGQUIT)
		_ = cmd.Wait()
	}
}

// caughtUp waits until the replica has replayed all the WAL the primary
// has written.
func caughtUp(t *testing.T, primary, replica *sql.DB) {
	t.Helper()
	var lsn string
	require.NoError(t, primary.QueryRowContext(t.Context(), "SELECT pg_current_wal_insert_lsn()::text").Scan(&lsn))
	require.Eventually(t, func() bool {
		var ok bool
		err := replica.QueryRowContext(t.Context(), "SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn", lsn).Scan(&ok)
		return err == nil && ok
	}, 30*time.Second, 5*time.Millisecond, "the replica catches up")
}

// setPaused pauses or resumes the replica's replay of the WAL, and waits
// until it has.
func setPaused(t *testing.T, replica *sql.DB, paused bool) {
	t.Helper()
	fn, want := "pg_wal_replay_resume()", "not paused"
	if paused {
		fn, want = "pg_wal_replay_pause()", "paused"
	}
	_, err := replica.ExecContext(t.Context(), "SELECT "+fn)
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		var state string
		err := replica.QueryRowContext(t.Context(), "SELECT pg_get_wal_replay_pause_state()").Scan(&state)
		return err == nil && state == want
	}, 10*time.Second, 5*time.Millisecond)
}

// TestReplicas runs the store over a real primary and a real streaming
// replica.
func TestReplicas(t *testing.T) {
	t.Parallel() // beside TestConformance, on servers of its own
	pg := startCluster(t)
	primary, err := postgres.DB(pg.primary)
	require.NoError(t, err)
	t.Cleanup(func() { _ = primary.Close() })
	replica, err := postgres.DB(pg.replica)
	require.NoError(t, err)
	t.Cleanup(func() { _ = replica.Close() })
	cluster := postgres.Cluster{Primary: pg.primary, Replicas: []string{pg.replica}, CheckEvery: 10 * time.Millisecond}

	// The conformance suite with every read it makes through Get,
	// Search and List allowed on the replica, up to a minute behind,
	// under one session that all its writes record themselves in: it
	// must see what it wrote, however far the replica is behind.
	t.Run("Conformance", func(t *testing.T) {
		var served, fellBack atomic.Int64
		session := new(storage.Session)
		storagetest.RunContext(t, func(t *testing.T) storage.Driver {
			cl := cluster
			cl.CheckEvery = time.Millisecond
			d, err := postgres.OpenClusterDriver(cl)
			require.NoError(t, err)
			require.NoError(t, d.Migrate(t.Context()))
			t.Cleanup(func() {
				st := d.ReadStats()
				served.Add(st.Replica)
				fellBack.Add(st.Fallback)
			})
			return d
		}, func(ctx context.Context) context.Context {
			return storage.WithSession(storage.ReplicaOK(ctx, time.Minute), session)
		})
		t.Logf("reads served by the replica: %d; failed there and served by the primary: %d", served.Load(), fellBack.Load())
		assert.Positive(t, served.Load(), "the replica served reads")
		assert.Zero(t, fellBack.Load(), "no read failed on the replica")
		assert.NotZero(t, session.Position(), "the writes recorded their WAL positions")
	})

	s, err := postgres.OpenCluster(t.Context(), cluster, nil)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	stats := s.Driver().(*sqlstore.Driver).ReadStats
	ctx := t.Context()
	tn := "replica-" + customer.NewID().String()
	anywhere := storage.ReplicaOK(ctx, time.Hour)

	// The replica has all the primary has, and the store sees it so. A
	// check compares the replica with the primary's WAL position as the
	// check found it; the primary's own background writes (autovacuum
	// after the suite above) can put that a little ahead of the replica,
	// and the reads go to the primary until a later check finds the
	// replica there too. So read until one is served by the replica.
	caughtUp(t, primary, replica)
	deadline := time.Now().Add(10 * time.Second)
	for stats().Replica == 0 && time.Now().Before(deadline) {
		time.Sleep(2 * cluster.CheckEvery)
		_, err = s.Get(anywhere, tn, customer.NewID())
		require.ErrorIs(t, err, storage.ErrNotFound)
	}
	require.Equal(t, int64(1), stats().Replica, "a replica that has caught up serves a read")

	// With the replica's replay paused, a customer written on the primary
	// is there, and not on the replica.
	setPaused(t, replica, true)
	writer := new(storage.Session)
	wctx := storage.WithSession(ctx, writer)
	cust, err := s.Create(wctx, tn, storagetest.Individual(1))
	require.NoError(t, err)
	require.NotZero(t, writer.Position(), "the write recorded its WAL position in the session")
	byTaxID := customer.Query{TaxID: cust.TaxID.String()}

	t.Run("ServedByReplica", func(t *testing.T) {
		before := stats()
		_, err := s.Get(anywhere, tn, cust.ID)
		require.ErrorIs(t, err, storage.ErrNotFound, "the paused replica does not have the customer")
		page, err := s.Search(anywhere, tn, byTaxID, nil)
		require.NoError(t, err)
		assert.Empty(t, page.Hits)
		list, err := s.List(anywhere, tn, nil)
		require.NoError(t, err)
		assert.Empty(t, list.Items)
		assert.Equal(t, before.Replica+3, stats().Replica)

		// Reads the caller did not allow on a replica go to the primary.
		got, err := s.Get(ctx, tn, cust.ID)
		require.NoError(t, err)
		assert.Equal(t, cust.ID, got.ID)
		page, err = s.Search(ctx, tn, byTaxID, nil)
		require.NoError(t, err)
		assert.Len(t, page.Hits, 1)
		// So does the read of a write, whatever the caller allowed.
		u := got.Clone()
		u.Notes = "updated while the replica is paused"
		_, err = s.Update(anywhere, tn, u)
		require.NoError(t, err, "the update read the stored version from the primary")
		_, err = s.Modify(anywhere, tn, cust.ID, func(c *customer.Customer) error {
			c.Notes = "modified while the replica is paused"
			return nil
		})
		require.NoError(t, err, "Modify reads from the primary")
		assert.Equal(t, before.Replica+3, stats().Replica)
	})

	t.Run("ReadYourWrites", func(t *testing.T) {
		before := stats()
		mine := storage.ReplicaOK(wctx, time.Hour)
		got, err := s.Get(mine, tn, cust.ID)
		require.NoError(t, err, "the writer sees its customer: from the primary")
		assert.Equal(t, cust.ID, got.ID)
		page, err := s.Search(mine, tn, byTaxID, nil)
		require.NoError(t, err)
		assert.Len(t, page.Hits, 1)
		list, err := s.List(mine, tn, nil)
		require.NoError(t, err)
		assert.Len(t, list.Items, 1)

		// The session carried as text, as between two requests.
		text, err := writer.MarshalText()
		require.NoError(t, err)
		var next storage.Session
		require.NoError(t, next.UnmarshalText(text))
		_, err = s.Get(storage.ReplicaOK(storage.WithSession(ctx, &next), time.Hour), tn, cust.ID)
		require.NoError(t, err)
		assert.Equal(t, before.Primary+4, stats().Primary)
		assert.Equal(t, before.Replica, stats().Replica)
	})

	t.Run("LagBound", func(t *testing.T) {
		// The replica is now further behind than 200ms allow: it has not
		// replayed what the primary wrote before then.
		time.Sleep(250 * time.Millisecond)
		before := stats()
		got, err := s.Get(storage.ReplicaOK(ctx, 200*time.Millisecond), tn, cust.ID)
		require.NoError(t, err, "a replica too far behind is skipped")
		assert.Equal(t, cust.ID, got.ID)
		assert.Equal(t, before.Primary+1, stats().Primary)
		_, err = s.Get(anywhere, tn, cust.ID)
		require.ErrorIs(t, err, storage.ErrNotFound, "an hour allows it")
		assert.Equal(t, before.Replica+1, stats().Replica)

		// Once it has caught up, the replica serves the session's reads.
		setPaused(t, replica, false)
		caughtUp(t, primary, replica)
		require.Eventually(t, func() bool {
			before := stats()
			got, err := s.Get(storage.ReplicaOK(wctx, 200*time.Millisecond), tn, cust.ID)
			return err == nil && got.ID == cust.ID && stats().Replica > before.Replica
		}, 10*time.Second, 5*time.Millisecond)
	})

	t.Run("StoppedReplica", func(t *testing.T) {
		// A store that checks its replicas once an hour still thinks the
		// replica is up when it stops: the read fails there and runs on
		// the primary.
		slow := cluster
		slow.CheckEvery = time.Hour
		// Its one check must find the replica current: opening the
		// store writes a little on the primary, and the check can find
		// the primary's WAL ahead of the replica's replay by that (see
		// above), so a store whose first read went to the primary is
		// opened again.
		var s2 *storage.Store
		var stats2 func() sqlstore.ReadStats
		deadline := time.Now().Add(10 * time.Second)
		for {
			var err error
			s2, err = postgres.OpenCluster(ctx, slow, nil)
			require.NoError(t, err)
			stats2 = s2.Driver().(*sqlstore.Driver).ReadStats
			caughtUp(t, primary, replica)
			_, err = s2.Get(anywhere, tn, cust.ID)
			require.NoError(t, err)
			if stats2().Replica == 1 || time.Now().After(deadline) {
				break
			}
			require.NoError(t, s2.Close())
		}
		defer s2.Close()
		require.Equal(t, int64(1), stats2().Replica)

		stopServer(pg.replicaServer)
		for range 3 {
			got, err := s2.Get(anywhere, tn, cust.ID)
			require.NoError(t, err, "a stopped replica does not fail reads")
			assert.Equal(t, cust.ID, got.ID)
			page, err := s2.Search(anywhere, tn, byTaxID, nil)
			require.NoError(t, err)
			assert.Len(t, page.Hits, 1)
		}
		assert.Equal(t, sqlstore.ReadStats{Replica: 1, Fallback: 1, Primary: 5}, stats2(),
			"the first read failed on the replica, which the others skipped")

		// A store that checks often finds the replica down, and reads
		// from the primary without trying it.
		time.Sleep(2 * cluster.CheckEvery)
		before := stats()
		got, err := s.Get(anywhere, tn, cust.ID)
		require.NoError(t, err)
		assert.Equal(t, cust.ID, got.ID)
		assert.Equal(t, before.Primary+1, stats().Primary)
		assert.Equal(t, before.Fallback, stats().Fallback)
	})
}
