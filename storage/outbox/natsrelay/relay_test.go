package natsrelay_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/memory"
	"github.com/fichacrm/ficha/storage/outbox/natsrelay"
	"github.com/fichacrm/ficha/storage/storagetest"
)

// connect returns JetStream on the server at url, with reconnection on.
func connect(t *testing.T, url string) jetstream.JetStream {
	t.Helper()
	nc, err := nats.Connect(url, nats.MaxReconnects(-1), nats.ReconnectWait(50*time.Millisecond), nats.Timeout(2*time.Second))
	require.NoError(t, err)
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	return js
}

// streamed reads every message of a subject from the stream, in order.
func streamed(t *testing.T, js jetstream.JetStream, stream, subject string) []storage.Change {
	t.Helper()
	ctx := t.Context()
	cons, err := js.OrderedConsumer(ctx, stream, jetstream.OrderedConsumerConfig{FilterSubjects: []string{subject}})
	require.NoError(t, err)
	s, err := js.Stream(ctx, stream)
	require.NoError(t, err)
	info, err := s.Info(ctx, jetstream.WithSubjectFilter(subject))
	require.NoError(t, err)
	want := int(info.State.Subjects[subject])
	var out []storage.Change
	for len(out) < want {
		batch, err := cons.Fetch(want-len(out), jetstream.FetchMaxWait(2*time.Second))
		require.NoError(t, err)
		for m := range batch.Messages() {
			var ch storage.Change
			require.NoError(t, json.Unmarshal(m.Data(), &ch))
			assert.Equal(t, strconv.FormatInt(ch.Seq, 10), m.Headers().Get(natsrelay.HeaderSeq))
			out = append(out, ch)
		}
		require.NoError(t, batch.Error())
	}
	return out
}

// requireInOrder asserts that changes are the tenant's 1..n, each once.
func requireInOrder(t *testing.T, changes []storage.Change, n int) {
	t.Helper()
	require.Len(t, changes, n)
	for i, ch := range changes {
		require.Equal(t, int64(i+1), ch.Seq, "message %d", i)
	}
}

func uniqueOptions() *natsrelay.Options {
	id := strconv.FormatInt(time.Now().UnixNano(), 36)
	return &natsrelay.Options{Stream: "FICHA_TEST_" + id, SubjectPrefix: "ficha.test" + id, CreateStream: true,
		Poll: 20 * time.Millisecond, Backoff: 200 * time.Millisecond}
}

// TestRelay publishes two tenants' feeds to the shared server: each change
// once, in order, on its tenant's subject; a second relay (a restart)
// publishes only what is new.
func TestRelay(t *testing.T) {
	url := os.Getenv("FICHA_TEST_NATS_URL")
	if url == "" {
		t.Skip("set FICHA_TEST_NATS_URL (e.g. nats://127.0.0.1:4222, JetStream on) to run the NATS relay tests")
	}
	js := connect(t, url)
	store := memory.Open(nil)
	opts := uniqueOptions()
	t.Cleanup(func() { _ = js.DeleteStream(context.Background(), opts.Stream) })
	tenants := []string{"dealer.1", "dealer-2"}
	for i, tn := range tenants {
		for n := range 3 + i {
			c, err := store.Create(t.Context(), tn, storagetest.Individual(n))
			require.NoError(t, err)
			c.Notes = "visto"
			_, err = store.Update(t.Context(), tn, c)
			require.NoError(t, err)
		}
	}
	r, err := natsrelay.New(store, js, tenants, opts)
	require.NoError(t, err)
	require.NoError(t, r.Start(t.Context()))
	assert.Equal(t, opts.SubjectPrefix+".dealer%2E1", r.Subject("dealer.1"), "a dot in a tenant does not split the subject")
	for i, tn := range tenants {
		n, err := r.Sync(t.Context(), tn)
		require.NoError(t, err)
		assert.Equal(t, 2*(3+i), n)
	}
	n, err := r.Sync(t.Context(), tenants[0])
	require.NoError(t, err)
	assert.Zero(t, n, "nothing twice")

	c, err := store.Create(t.Context(), tenants[0], storagetest.Company(9))
	require.NoError(t, err)
	restarted, err := natsrelay.New(store, js, tenants, opts)
	require.NoError(t, err)
	n, err = restarted.Sync(t.Context(), tenants[0])
	require.NoError(t, err)
	assert.Equal(t, 1, n, "a restarted relay resumes after the last message in the stream")

	got := streamed(t, js, opts.Stream, r.Subject(tenants[0]))
	requireInOrder(t, got, 7)
	assert.Equal(t, c.ID, got[6].CustomerID)
	assert.Equal(t, storage.OpCreate, got[6].Op)
	requireInOrder(t, streamed(t, js, opts.Stream, r.Subject(tenants[1])), 8)
}

// freePort returns a TCP port nobody listens on now.
func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// server runs a nats-server of its own, with JetStream in dir.
type server struct {
	t    *testing.T
	bin  string
	port int
	dir  string
	cmd  *exec.Cmd
}

func (s *server) start() {
	s.cmd = exec.Command(s.bin, "-a", "127.0.0.1", "-p", strconv.Itoa(s.port), "-js", "-sd", s.dir)
	require.NoError(s.t, s.cmd.Start())
	for range 100 {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", s.port)); err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatal("nats-server did not start")
}

func (s *server) stop() {
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
}

// TestRelayThroughBrokerRestart keeps writing while the relay runs, stops
// the broker in the middle and starts it again: the stream ends with every
// change, once, in order.
func TestRelayThroughBrokerRestart(t *testing.T) {
	bin := os.Getenv("FICHA_TEST_NATS_SERVER")
	if bin == "" {
		t.Skip("set FICHA_TEST_NATS_SERVER to a nats-server binary (e.g. /usr/sbin/nats-server) to run the broker-restart test")
	}
	srv := &server{t: t, bin: bin, port: freePort(t), dir: filepath.Join(t.TempDir(), "js")}
	srv.start()
	t.Cleanup(srv.stop)
	js := connect(t, fmt.Sprintf("nats://127.0.0.1:%d", srv.port))
	store := memory.Open(nil)
	opts := uniqueOptions()
	const tn = "dealer"
	r, err := natsrelay.New(store, js, []string{tn}, opts)
	require.NoError(t, err)
	require.NoError(t, r.Start(t.Context()))

	ctx, cancel := context.WithCancel(t.Context())
	var failures sync.Map
	done := make(chan error, 1)
	go func() {
		done <- r.Run(ctx, func(_ string, err error) { failures.Store(err.Error(), true) })
	}()
	const writes = 60
	var before int64
	for i := range writes {
		_, err := store.Create(t.Context(), tn, storagetest.Individual(i))
		require.NoError(t, err)
		if i == writes/3 {
			require.Eventually(t, func() bool {
				before, err = r.Last(t.Context(), tn)
				return err == nil && before > 0
			}, 5*time.Second, 10*time.Millisecond)
			srv.stop() // the broker goes away mid-stream
		}
		if i == 2*writes/3 {
			srv.start() // and comes back, with its stored stream
		}
		time.Sleep(5 * time.Millisecond)
	}
	require.Eventually(t, func() bool {
		last, err := r.Last(t.Context(), tn)
		return err == nil && last == writes
	}, 20*time.Second, 50*time.Millisecond, "the relay catches up after the broker returns")
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
	requireInOrder(t, streamed(t, js, opts.Stream, r.Subject(tn)), writes)
	assert.Less(t, before, int64(writes), "the broker stopped in the middle of the feed")
	failures.Range(func(k, _ any) bool { t.Logf("retried after: %v", k); return true })
}

// TestRelaySetUp checks what New and Start refuse, that Start adds its
// subjects to a host's stream without touching the rest of it, and that a
// stream ahead of the store stops the relay with ErrAhead.
func TestRelaySetUp(t *testing.T) {
	url := os.Getenv("FICHA_TEST_NATS_URL")
	if url == "" {
		t.Skip("set FICHA_TEST_NATS_URL (e.g. nats://127.0.0.1:4222, JetStream on) to run the NATS relay tests")
	}
	js := connect(t, url)
	store := memory.Open(nil)
	for _, tenants := range [][]string{nil, {"a b"}, {"t", "t"}, {""}} {
		_, err := natsrelay.New(store, js, tenants, nil)
		assert.ErrorIs(t, err, natsrelay.ErrConfig, "%q", tenants)
	}
	for _, o := range []natsrelay.Options{{Stream: "bad.name"}, {SubjectPrefix: "a.>.b"}, {SubjectPrefix: "a..b"}, {Batch: -1}} {
		_, err := natsrelay.New(store, js, []string{"t"}, &o)
		assert.ErrorIs(t, err, natsrelay.ErrConfig, "%+v", o)
	}

	opts := uniqueOptions()
	opts.CreateStream = false
	r, err := natsrelay.New(store, js, []string{"t"}, opts)
	require.NoError(t, err)
	assert.ErrorIs(t, r.Start(t.Context()), natsrelay.ErrStream, "no stream and no leave to create one")

	// The host's own stream, with subjects and limits of its own.
	_, err = js.CreateStream(t.Context(), jetstream.StreamConfig{Name: opts.Stream, Subjects: []string{opts.SubjectPrefix + "host.>"},
		MaxAge: time.Hour, Description: "the host's own", Duplicates: 10 * time.Minute})
	require.NoError(t, err)
	t.Cleanup(func() { _ = js.DeleteStream(context.Background(), opts.Stream) })
	assert.ErrorIs(t, r.Start(t.Context()), natsrelay.ErrStream, "the stream does not hold the prefix")
	opts.CreateStream = true
	r, err = natsrelay.New(store, js, []string{"t"}, opts)
	require.NoError(t, err)
	require.NoError(t, r.Start(t.Context()))
	s, err := js.Stream(t.Context(), opts.Stream)
	require.NoError(t, err)
	info, err := s.Info(t.Context())
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{opts.SubjectPrefix + "host.>", opts.SubjectPrefix + ".>"}, info.Config.Subjects)
	assert.Equal(t, time.Hour, info.Config.MaxAge, "the rest of the host's configuration stays")
	assert.Equal(t, "the host's own", info.Config.Description)

	// A message the store never wrote, ahead of its log.
	_, err = store.Create(t.Context(), "t", storagetest.Individual(1))
	require.NoError(t, err)
	msg := nats.NewMsg(r.Subject("t"))
	msg.Header.Set(natsrelay.HeaderSeq, "1000")
	_, err = js.PublishMsg(t.Context(), msg)
	require.NoError(t, err)
	_, err = r.Sync(t.Context(), "t")
	assert.ErrorIs(t, err, natsrelay.ErrAhead)
}
