package lookup_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/address/lookup"
)

var paulista = address.MustParseCEP("01310-100")

// fake is a provider that counts its calls, waits delay (or until
// cancelled), and then answers r or err.
type fake struct {
	name      string
	delay     time.Duration
	r         address.Result
	err       error
	calls     atomic.Int32
	cancelled atomic.Int32
}

func (f *fake) Lookup(ctx context.Context, cep address.CEP) (address.Result, error) {
	f.calls.Add(1)
	select {
	case <-time.After(f.delay):
	case <-ctx.Done():
		f.cancelled.Add(1)
		return address.Result{}, ctx.Err()
	}
	if f.err != nil {
		return address.Result{}, f.err
	}
	r := f.r
	r.Source = f.name
	return r, nil
}

func answer(city string, uf address.UF) address.Result {
	return address.Result{Street: "Avenida Paulista", District: "Bela Vista", City: city, UF: uf}
}

func TestFirstReturnsTheFastestCompleteAnswerAndCancelsTheRest(t *testing.T) {
	t.Parallel()
	slow := &fake{name: "slow", delay: 2 * time.Second, r: answer("São Paulo", address.SP)}
	fast := &fake{name: "fast", delay: 10 * time.Millisecond, r: answer("São Paulo", address.SP)}
	start := time.Now()
	r, err := lookup.First(slow, fast).Lookup(t.Context(), paulista)
	require.NoError(t, err)
	assert.Equal(t, "fast", r.Source)
	assert.Equal(t, paulista, r.CEP)
	assert.Less(t, time.Since(start), 1500*time.Millisecond, "long before the slow provider's 2 s")
	assert.Eventually(t, func() bool { return slow.cancelled.Load() == 1 }, time.Second, 5*time.Millisecond, "the slower request is cancelled")
}

func TestFirstPrefersCompleteAndChecksTheState(t *testing.T) {
	t.Parallel()
	partial := &fake{name: "partial", delay: time.Millisecond, r: address.Result{UF: address.SP}}
	wrong := &fake{name: "wrong", delay: 2 * time.Millisecond, r: answer("Rio de Janeiro", address.RJ)}
	good := &fake{name: "good", delay: 30 * time.Millisecond, r: answer("São Paulo", address.SP)}
	r, err := lookup.First(partial, wrong, good).Lookup(t.Context(), paulista)
	require.NoError(t, err)
	assert.Equal(t, "good", r.Source, "an incomplete answer and one from the wrong state lose to a right one")

	r, err = lookup.First(partial, wrong).Lookup(t.Context(), paulista)
	require.NoError(t, err)
	assert.Equal(t, "partial", r.Source, "with nothing better, the incomplete answer")

	_, err = lookup.First(wrong).Lookup(t.Context(), paulista)
	assert.ErrorIs(t, err, lookup.ErrMismatch)
	assert.ErrorIs(t, err, address.ErrLookupUnavailable)
}

func TestSequentialFallsBack(t *testing.T) {
	t.Parallel()
	down := &fake{name: "down", err: fmt.Errorf("%w: HTTP 500", address.ErrLookupUnavailable)}
	up := &fake{name: "up", r: answer("São Paulo", address.SP)}
	r, err := lookup.Sequential(down, up).Lookup(t.Context(), paulista)
	require.NoError(t, err)
	assert.Equal(t, "up", r.Source)
	assert.Equal(t, int32(1), down.calls.Load())

	r, err = lookup.First(down, up).Lookup(t.Context(), paulista)
	require.NoError(t, err)
	assert.Equal(t, "up", r.Source)
}

func TestFailuresFold(t *testing.T) {
	t.Parallel()
	down := &fake{err: address.ErrLookupUnavailable}
	gone := &fake{err: address.ErrLookupNotFound}
	maybe := &fake{err: fmt.Errorf("%w (%w)", address.ErrLookupNotFound, address.ErrLookupUnavailable)}
	for _, combine := range []func(...address.Lookup) address.Lookup{lookup.First, lookup.Sequential} {
		_, err := combine(down, gone).Lookup(t.Context(), paulista)
		assert.ErrorIs(t, err, address.ErrLookupNotFound)
		assert.NotErrorIs(t, err, address.ErrLookupUnavailable, "a definite answer wins")

		_, err = combine(down, maybe).Lookup(t.Context(), paulista)
		assert.ErrorIs(t, err, address.ErrLookupUnavailable, "a 404 from BrasilAPI alone proves nothing")

		_, err = combine(down).Lookup(t.Context(), address.CEP{})
		assert.ErrorIs(t, err, address.ErrLookupInvalid)
	}
}

func TestCancelledContextReturnsPromptly(t *testing.T) {
	t.Parallel()
	slow := &fake{delay: 5 * time.Second, r: answer("São Paulo", address.SP)}
	for _, l := range []address.Lookup{lookup.First(slow), lookup.Sequential(slow), lookup.NewCache(slow, nil),
		lookup.WithOffline(lookup.First(slow))} {
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Millisecond)
		start := time.Now()
		_, err := l.Lookup(ctx, paulista)
		cancel()
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Less(t, time.Since(start), 2*time.Second, "long before the provider's 5 s")
	}
}

func TestOfflineFallbackGivesTheState(t *testing.T) {
	t.Parallel()
	down := &fake{err: address.ErrLookupUnavailable}
	r, err := lookup.WithOffline(lookup.First(down, down)).Lookup(t.Context(), address.MustParseCEP("69005-000"))
	require.NoError(t, err)
	assert.True(t, r.Offline)
	assert.Equal(t, address.AM, r.UF)
	assert.Equal(t, "", r.City)

	gone := &fake{err: address.ErrLookupNotFound}
	_, err = lookup.WithOffline(gone).Lookup(t.Context(), paulista)
	assert.ErrorIs(t, err, address.ErrLookupNotFound, "a CEP that does not exist is not guessed")
}

func TestCacheHitsMakeNoRequest(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	up := &fake{r: answer("São Paulo", address.SP)}
	c := lookup.NewCache(up, &lookup.CacheOptions{TTL: time.Hour, NotFoundTTL: time.Minute, Now: clock})
	for range 5 {
		r, err := c.Lookup(t.Context(), paulista)
		require.NoError(t, err)
		assert.Equal(t, "São Paulo", r.City)
	}
	assert.Equal(t, int32(1), up.calls.Load())
	now = now.Add(2 * time.Hour)
	_, err := c.Lookup(t.Context(), paulista)
	require.NoError(t, err)
	assert.Equal(t, int32(2), up.calls.Load(), "an expired answer is asked again")

	gone := &fake{err: address.ErrLookupNotFound}
	nc := lookup.NewCache(gone, &lookup.CacheOptions{TTL: time.Hour, NotFoundTTL: time.Minute, Now: clock})
	for range 3 {
		_, err := nc.Lookup(t.Context(), paulista)
		assert.ErrorIs(t, err, address.ErrLookupNotFound)
	}
	assert.Equal(t, int32(1), gone.calls.Load(), "not found is kept too")
	now = now.Add(2 * time.Minute)
	_, _ = nc.Lookup(t.Context(), paulista)
	assert.Equal(t, int32(2), gone.calls.Load(), "for a shorter time")

	down := &fake{err: address.ErrLookupUnavailable}
	dc := lookup.NewCache(lookup.WithOffline(down), nil)
	for range 3 {
		r, err := dc.Lookup(t.Context(), paulista)
		require.NoError(t, err)
		assert.True(t, r.Offline)
	}
	assert.Equal(t, int32(3), down.calls.Load(), "offline answers and failures are not kept")
}

func TestCacheIsBounded(t *testing.T) {
	t.Parallel()
	up := &fake{r: answer("São Paulo", address.SP)}
	c := lookup.NewCache(up, &lookup.CacheOptions{Size: 3})
	ceps := []string{"01310100", "01310200", "01310300", "01310400"}
	for _, s := range ceps {
		_, err := c.Lookup(t.Context(), address.MustParseCEP(s))
		require.NoError(t, err)
	}
	assert.Equal(t, 3, c.Len())
	calls := up.calls.Load()
	_, err := c.Lookup(t.Context(), address.MustParseCEP(ceps[3]))
	require.NoError(t, err)
	assert.Equal(t, calls, up.calls.Load(), "the newest is kept")
	_, err = c.Lookup(t.Context(), address.MustParseCEP(ceps[0]))
	require.NoError(t, err)
	assert.Equal(t, calls+1, up.calls.Load(), "the least recently used was forgotten")
}

func TestConcurrentLookupsShareOneRequest(t *testing.T) {
	t.Parallel()
	up := &fake{delay: 50 * time.Millisecond, r: answer("São Paulo", address.SP)}
	c := lookup.NewCache(up, nil)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			r, err := c.Lookup(t.Context(), paulista)
			assert.NoError(t, err)
			assert.Equal(t, "São Paulo", r.City)
		})
	}
	wg.Wait()
	assert.Equal(t, int32(1), up.calls.Load())
}

func BenchmarkCachedLookup(b *testing.B) {
	up := &fake{r: answer("São Paulo", address.SP)}
	c := lookup.NewCache(lookup.First(up), nil)
	ctx := context.Background()
	if _, err := c.Lookup(ctx, paulista); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Lookup(ctx, paulista); err != nil {
			b.Fatal(err)
		}
	}
	if up.calls.Load() != 1 {
		b.Fatal("the cache asked again")
	}
}

// panicky is a provider with a bug: it panics with value.
type panicky struct {
	value any
	calls atomic.Int32
}

func (p *panicky) Lookup(context.Context, address.CEP) (address.Result, error) {
	p.calls.Add(1)
	panic(p.value)
}

func TestProviderPanicInOurGoroutinesIsAnError(t *testing.T) {
	t.Parallel()
	const secret = "CPF 123.456.789-09"
	for name, value := range map[string]any{"text": secret, "an error": fmt.Errorf("%w: %s", address.ErrLookupNotFound, secret), "nil": nil} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			bug := &panicky{value: value}
			for _, l := range []address.Lookup{lookup.First(bug), lookup.NewCache(bug, nil), lookup.NewCache(lookup.Sequential(bug), nil),
				lookup.First(bug, &fake{err: address.ErrLookupUnavailable})} {
				_, err := l.Lookup(t.Context(), paulista)
				require.ErrorIs(t, err, address.ErrLookupUnavailable)
				assert.NotErrorIs(t, err, address.ErrLookupNotFound, "the panic value does not decide what the error is")
				assert.NotContains(t, err.Error(), "123.456", "the panic value is not in the message")
				assert.Contains(t, err.Error(), "panicked")
				var pe *lookup.PanicError
				require.ErrorAs(t, err, &pe)
				if value != nil {
					assert.Equal(t, value, pe.Value, "the host can log it")
				}
				assert.Contains(t, string(pe.Stack), "panicky", "with where it happened")
			}

			// Another provider still answers, the offline fallback
			// still gives the state, and a panic is not cached.
			r, err := lookup.First(bug, &fake{name: "up", r: answer("São Paulo", address.SP)}).Lookup(t.Context(), paulista)
			require.NoError(t, err)
			assert.Equal(t, "up", r.Source)
			r, err = lookup.WithOffline(lookup.First(bug)).Lookup(t.Context(), paulista)
			require.NoError(t, err)
			assert.True(t, r.Offline)
			assert.Equal(t, address.SP, r.UF)
			cached := &panicky{value: value}
			c := lookup.NewCache(cached, nil)
			for range 2 {
				_, err = c.Lookup(t.Context(), paulista)
				assert.ErrorIs(t, err, address.ErrLookupUnavailable)
			}
			assert.Equal(t, int32(2), cached.calls.Load(), "asked again: the failed request is no longer under way")
			assert.Equal(t, 0, c.Len())
		})
	}
}

func TestProviderPanicInTheCallersGoroutinePropagates(t *testing.T) {
	t.Parallel()
	bug := &panicky{value: "bug"}
	assert.PanicsWithValue(t, "bug", func() { _, _ = lookup.Sequential(bug).Lookup(t.Context(), paulista) })
	assert.PanicsWithValue(t, "bug", func() { _, _ = lookup.WithOffline(bug).Lookup(t.Context(), paulista) })
}

func TestNilProviderPanicsAtConstruction(t *testing.T) {
	t.Parallel()
	up := &fake{r: answer("São Paulo", address.SP)}
	var nilFunc address.LookupFunc
	assert.PanicsWithValue(t, "lookup.First: nil provider", func() { lookup.First(up, nil) })
	assert.PanicsWithValue(t, "lookup.First: nil provider", func() { lookup.First(nilFunc) })
	assert.PanicsWithValue(t, "lookup.Sequential: nil provider", func() { lookup.Sequential(nil) })
	assert.PanicsWithValue(t, "lookup.NewCache: nil provider", func() { lookup.NewCache(nil, nil) })
	assert.PanicsWithValue(t, "lookup.WithOffline: nil provider", func() { lookup.WithOffline(nil) })
	assert.PanicsWithValue(t, "lookup.WithOffline: nil provider", func() { lookup.WithOffline(nilFunc) })
	assert.NotPanics(t, func() { lookup.First(); lookup.Sequential() })
}

func TestNoProvidersIsUnavailable(t *testing.T) {
	t.Parallel()
	for _, l := range []address.Lookup{lookup.First(), lookup.Sequential()} {
		_, err := l.Lookup(t.Context(), paulista)
		require.ErrorIs(t, err, address.ErrLookupUnavailable)
		assert.Equal(t, "address: CEP lookup unavailable: no CEP service to ask", err.Error())
	}
}

func TestCEPOfNoStateIsInvalidAndAsksNoOne(t *testing.T) {
	t.Parallel()
	var zeros, gap address.CEP
	require.NoError(t, zeros.Scan("00000000"))
	require.NoError(t, gap.Scan("78900000"))
	for _, cep := range []address.CEP{{}, zeros, gap} {
		down := &fake{err: address.ErrLookupUnavailable}
		for name, l := range map[string]address.Lookup{"First": lookup.First(down), "Sequential": lookup.Sequential(down),
			"Cache": lookup.NewCache(down, nil), "WithOffline": lookup.WithOffline(down)} {
			r, err := l.Lookup(t.Context(), cep)
			assert.ErrorIs(t, err, address.ErrLookupInvalid, "%s, %q", name, cep)
			assert.Equal(t, address.Result{}, r, "%s, %q: no offline answer without a state", name, cep)
		}
		assert.Zero(t, down.calls.Load(), "%q: no one is asked", cep)
	}
}

func TestEveryCombinatorChecksTheAnswer(t *testing.T) {
	t.Parallel()
	other := address.MustParseCEP("70040-010")
	tests := []struct {
		name string
		r    address.Result
		want error
	}{
		{"a state the range contradicts", answer("Rio de Janeiro", address.RJ), lookup.ErrMismatch},
		{"another CEP", address.Result{CEP: other, City: "São Paulo", UF: address.SP}, address.ErrLookupUnavailable},
		{"text an address would refuse", address.Result{City: "São\u202ePaulo", UF: address.SP}, address.ErrLookupUnavailable},
		{"a card number", address.Result{Street: "4111 1111 1111 1111", City: "São Paulo", UF: address.SP}, address.ErrLookupUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			bad := &fake{r: tt.r}
			for name, l := range map[string]address.Lookup{"First": lookup.First(bad), "Sequential": lookup.Sequential(bad), "Cache": lookup.NewCache(bad, nil)} {
				_, err := l.Lookup(t.Context(), paulista)
				require.ErrorIs(t, err, tt.want, name)
				assert.ErrorIs(t, err, address.ErrLookupUnavailable, name)
				assert.NotContains(t, err.Error(), "4111", name)
			}
			c := lookup.NewCache(bad, nil)
			_, _ = c.Lookup(t.Context(), paulista)
			assert.Equal(t, 0, c.Len(), "not cached")

			r, err := lookup.WithOffline(bad).Lookup(t.Context(), paulista)
			require.NoError(t, err)
			assert.Equal(t, address.Result{CEP: paulista, UF: address.SP, Source: "offline", Offline: true}, r,
				"offline, only the state from the range")
		})
	}
}

func TestCacheHonoursADoneContextEvenForAKeptAnswer(t *testing.T) {
	t.Parallel()
	up := &fake{r: answer("São Paulo", address.SP)}
	c := lookup.NewCache(up, nil)
	_, err := c.Lookup(t.Context(), paulista)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = c.Lookup(ctx, paulista)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, int32(1), up.calls.Load())
}
