package main

import (
	"bufio"
	"context"
	"flag"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// small is a run of a few seconds at most: 300 customers, 5 clients, 500
// requests.
func small() config {
	return config{customers: 300, clients: 5, requests: 500, duration: 30 * time.Second, timeout: 10 * time.Second, mix: mustMix(defaultMix)}
}

func mustMix(spec string) mix {
	m, err := parseMix(spec)
	if err != nil {
		panic(err)
	}
	return m
}

// line returns the value after "name: " on the report's line of that name.
func line(t *testing.T, report, name string) string {
	t.Helper()
	for l := range strings.SplitSeq(report, "\n") {
		if v, ok := strings.CutPrefix(l, name+": "); ok {
			return v
		}
	}
	t.Fatalf("the report has no %q line:\n%s", name, report)
	return ""
}

var latencyLine = regexp.MustCompile(`^p50 (\d+\.\d{3}) ms  p90 (\d+\.\d{3}) ms  p99 (\d+\.\d{3}) ms  max (\d+\.\d{3}) ms$`)

// checkLatencies checks that the latency line has four ordered, positive
// numbers.
func checkLatencies(t *testing.T, report string) {
	t.Helper()
	m := latencyLine.FindStringSubmatch(line(t, report, "latency"))
	require.NotNil(t, m, report)
	prev := 0.0
	for _, s := range m[1:] {
		v, err := strconv.ParseFloat(s, 64)
		require.NoError(t, err)
		assert.GreaterOrEqual(t, v, prev, "percentiles in order: %s", m[0])
		prev = v
	}
	assert.Positive(t, prev, "a maximum latency above zero")
}

// TestRun runs the command end to end with tiny numbers: every search
// answered with a hit, and the report with its numbers.
func TestRun(t *testing.T) {
	var out strings.Builder
	require.NoError(t, run(t.Context(), &out, small()))
	report := out.String()
	assert.Regexp(t, `^300 customers in \d+\.\d{3}s \(\d+ customers/s\)$`, line(t, report, "loaded"))
	assert.Regexp(t, `^http://127\.0\.0\.1:\d+, in this process$`, line(t, report, "server"))
	assert.Equal(t, "name+phone 40%, tax_id 30%, plate 20%, prefix 10% (4096 searches drawn from 300 customers)", line(t, report, "mix"))
	assert.Regexp(t, `^500 in \d+\.\d{3}s \(stopped by -requests\)$`, line(t, report, "requests"))
	assert.Equal(t, "0", line(t, report, "errors"))
	assert.Regexp(t, `^\d+\.\d searches/s$`, line(t, report, "throughput"))
	rps, err := strconv.ParseFloat(strings.Fields(line(t, report, "throughput"))[0], 64)
	require.NoError(t, err)
	assert.Positive(t, rps)
	checkLatencies(t, report)

	// Every kind was searched, and the kinds add up to the requests.
	total := 0
	for _, k := range kindNames {
		m := regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(k) + ` +(\d+)  p50 `).FindStringSubmatch(report)
		require.NotNil(t, m, "a line for %s:\n%s", k, report)
		n, _ := strconv.Atoi(m[1])
		assert.Positive(t, n, k)
		total += n
	}
	assert.Equal(t, 500, total)
	assert.NotContains(t, report, "target", "no target was asked for")

	// The temporary directory is gone.
	path := strings.TrimSuffix(line(t, report, "store"), " (removed at exit)")
	path = strings.TrimPrefix(path, "SQLite at ")
	_, err = os.Stat(path)
	assert.True(t, os.IsNotExist(err), "%s removed", path)
}

// TestTargets fails a run whose targets are out of reach, after reporting.
func TestTargets(t *testing.T) {
	cfg := small()
	cfg.customers, cfg.requests = 50, 50
	cfg.minRPS, cfg.maxP99 = 1e9, time.Nanosecond
	var out strings.Builder
	err := run(t.Context(), &out, cfg)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "is below -min-rps 1e+09")
	assert.Contains(t, err.Error(), "is above -max-p99 1ns")
	assert.NotContains(t, err.Error(), "failed")
	assert.Equal(t, "missed", line(t, out.String(), "target -min-rps 1e+09"))
	assert.Equal(t, "missed", line(t, out.String(), "target -max-p99 1ns"))

	cfg.minRPS, cfg.maxP99 = 1, time.Minute
	out.Reset()
	require.NoError(t, run(t.Context(), &out, cfg))
	assert.Equal(t, "met", line(t, out.String(), "target -min-rps 1"))
	assert.Equal(t, "met", line(t, out.String(), "target -max-p99 1m0s"))
}

// TestDuration stops a run at -duration when -requests is far away.
func TestDuration(t *testing.T) {
	cfg := small()
	cfg.customers, cfg.clients, cfg.requests, cfg.duration = 50, 2, 1_000_000, 300*time.Millisecond
	var out strings.Builder
	start := time.Now()
	require.NoError(t, run(t.Context(), &out, cfg))
	assert.Less(t, time.Since(start), 20*time.Second)
	assert.Regexp(t, `^\d+ in 0\.\d{3}s \(stopped by -duration\)$`, line(t, out.String(), "requests"))
}

// serving starts a run with -serve on a free port and returns its base
// URL; the run is stopped, and its temporary files removed, when the test
// ends.
func serving(t *testing.T, customers int) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cfg := small()
	cfg.customers, cfg.serve = customers, "127.0.0.1:0"
	r, w := io.Pipe()
	served := make(chan error, 1)
	go func() {
		err := run(ctx, w, cfg)
		w.CloseWithError(err)
		served <- err
	}()
	t.Cleanup(func() {
		cancel()
		assert.NoError(t, <-served)
	})
	var base string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "serving on "); ok {
			base, _, _ = strings.Cut(rest, " ")
			break
		}
	}
	require.NotEmpty(t, base, "the serving line")
	require.True(t, sc.Scan())
	assert.Equal(t, "\tgo run ./examples/loadtest -addr "+base+" -customers "+strconv.Itoa(customers), sc.Text())
	go func() { _, _ = io.Copy(io.Discard, r) }()
	return base
}

// TestServeAndAddr serves from one run and drives it from another, as two
// processes would.
func TestServeAndAddr(t *testing.T) {
	base := serving(t, 300)
	client := small()
	client.addr = strings.TrimPrefix(base, "http://")
	client.requests = 200
	var out strings.Builder
	require.NoError(t, run(t.Context(), &out, client))
	assert.Equal(t, base+" (started elsewhere, holding the first 300 customers)", line(t, out.String(), "target"))
	assert.Equal(t, "0", line(t, out.String(), "errors"))
	assert.NotContains(t, out.String(), "loaded:")
	checkLatencies(t, out.String())
}

// TestNoHit counts a search that finds nothing as an error: a server
// holding fewer customers than the clients believe.
func TestNoHit(t *testing.T) {
	base := serving(t, 20)
	client := small()
	client.addr, client.customers, client.mix = base, 5000, mustMix("tax_id=1")
	var out strings.Builder
	err := run(t.Context(), &out, client)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "requests failed")
	assert.Regexp(t, `^\d+ \(no hit: \d+\)$`, line(t, out.String(), "errors"))
}

func TestParse(t *testing.T) {
	c, err := parse(nil, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, config{customers: 20000, clients: 50, requests: 40000, duration: time.Minute, timeout: 10 * time.Second,
		mix: mix{40, 30, 20, 10}}, c)

	c, err = parse([]string{"-customers", "20000", "-clients", "50", "-requests", "40000", "-duration", "60s", "-min-rps", "2000", "-max-p99", "50ms"}, io.Discard)
	require.NoError(t, err, "the documented command")
	assert.Equal(t, 2000.0, c.minRPS)
	assert.Equal(t, 50*time.Millisecond, c.maxP99)

	c, err = parse([]string{"-mix", "plate=1, prefix=3"}, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, mix{0, 0, 1, 3}, c.mix)
	assert.Equal(t, "plate 25%, prefix 75%", c.mix.String())

	for _, args := range [][]string{
		{"-clients", "0"}, {"-requests", "0"}, {"-duration", "0s"}, {"-customers", "0"}, {"-timeout", "0s"},
		{"-min-rps", "-1"}, {"-mix", "vin=3"}, {"-mix", "plate=0"}, {"-mix", "plate"}, {"-mix", "plate=-1"}, {"-mix", "plate=1,plate=0"},
		{"-serve", ":8080", "-addr", "localhost:8080"}, {"extra"}, {"-nope"},
	} {
		_, err := parse(args, io.Discard)
		assert.Error(t, err, "%q", args)
	}
}

// TestDocumentsEveryFlag holds the package comment to the flags.
func TestDocumentsEveryFlag(t *testing.T) {
	src, err := os.ReadFile("main.go")
	require.NoError(t, err)
	doc, _, ok := strings.Cut(string(src), "\npackage main")
	require.True(t, ok)
	var c config
	var m string
	n := 0
	flagSet(&c, &m).VisitAll(func(f *flag.Flag) {
		n++
		assert.Contains(t, doc, "//\t-"+f.Name+" ", "the package comment documents -%s", f.Name)
	})
	assert.Equal(t, 10, n)
}
