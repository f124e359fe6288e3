// Command skipcheck reads the output of `go test -json` on its standard
// input, prints it about as `go test` prints without -json (the output of
// failing tests, the package lines and build errors), and fails when a test
// failed or skipped: in CI every test must run.
//
//	go test -json ./... | go run ./.ci/skipcheck
//
// It ends with a list of the skipped tests, each with its package and the
// reason it gave, and a count of passed, failed and skipped tests.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	os.Exit(run(os.Stdin, os.Stdout))
}

// event is one line of `go test -json` (see `go doc test2json`).
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

// key names one test of one package.
type key struct{ pkg, test string }

// skip is a test that skipped, and why.
type skip struct {
	key
	reason string
}

// checker follows the events of one run.
type checker struct {
	out     io.Writer
	output  map[key][]string // the output of the tests still running
	order   []key            // those tests, in the order they started
	skipped []skip
	passed  int // tests
	failed  int // tests
	broken  int // packages that failed: in a test, outside any, or to build
}

// run checks the events read from in, writes the report to out and returns
// the exit code: 0 if at least one test ran and none failed or skipped.
func run(in io.Reader, out io.Writer) int {
	c := &checker{out: out, output: make(map[key][]string)}
	r := bufio.NewReader(in)
	for {
		line, err := r.ReadString('\n')
		if line != "" {
			c.line(line)
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fmt.Fprintf(out, "skipcheck: reading the events: %v\n", err)
			return 1
		}
	}
	return c.finish()
}

// line takes in one line of input.
func (c *checker) line(line string) {
	var e event
	if !strings.HasPrefix(line, "{") || json.Unmarshal([]byte(line), &e) != nil {
		fmt.Fprint(c.out, line) // not an event: pass it on
		return
	}
	k := key{e.Package, e.Test}
	switch e.Action {
	case "build-output":
		fmt.Fprint(c.out, e.Output)
	case "run":
		if _, ok := c.output[k]; !ok {
			c.output[k] = nil
			c.order = append(c.order, k)
		}
	case "output":
		switch {
		case e.Test != "":
			c.output[k] = append(c.output[k], e.Output)
		case e.Output != "PASS\n": // go test without -v leaves it out
			fmt.Fprint(c.out, e.Output)
		}
	case "pass":
		if e.Test != "" {
			c.passed++
			c.done(k)
		}
	case "fail":
		if e.Test == "" {
			c.broken++ // perhaps outside its tests: in TestMain, or a panic
			return
		}
		c.failed++
		c.print(k)
		c.done(k)
	case "skip":
		if e.Test == "" {
			return // a package without tests
		}
		c.skipped = append(c.skipped, skip{k, reason(c.output[k])})
		c.print(k)
		c.done(k)
	}
}

// print writes the output of a finished test, without the lines that only
// frame it in verbose mode.
func (c *checker) print(k key) {
	for _, l := range c.output[k] {
		if !framing(l) {
			fmt.Fprint(c.out, l)
		}
	}
}

// done forgets a finished test.
func (c *checker) done(k key) {
	delete(c.output, k)
}

// framing reports whether l is one of the lines verbose mode adds around a
// test's own output.
func framing(l string) bool {
	for _, p := range []string{"=== RUN ", "=== PAUSE ", "=== CONT ", "=== NAME "} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}

// reason returns what a skipped test wrote, on one line.
func reason(output []string) string {
	var parts []string
	for _, l := range output {
		l = strings.TrimSpace(l)
		if l == "" || framing(l) || strings.HasPrefix(l, "--- SKIP: ") {
			continue
		}
		parts = append(parts, l)
	}
	if len(parts) == 0 {
		return "(no reason given)"
	}
	return strings.Join(parts, " / ")
}

// finish writes what is left and the summary, and returns the exit code.
func (c *checker) finish() int {
	for _, k := range c.order {
		if out, ok := c.output[k]; ok {
			// The test binary stopped in the middle of the test (a panic,
			// a timeout, a kill): show what the test wrote.
			fmt.Fprintf(c.out, "--- unfinished: %s %s\n", k.pkg, k.test)
			for _, l := range out {
				if !framing(l) {
					fmt.Fprint(c.out, l)
				}
			}
			c.failed++
		}
	}
	if len(c.skipped) > 0 {
		fmt.Fprintf(c.out, "\n%d skipped tests; in CI every test must run:\n", len(c.skipped))
		for _, s := range c.skipped {
			fmt.Fprintf(c.out, "SKIP %s %s: %s\n", s.pkg, s.test, s.reason)
		}
	}
	fmt.Fprintf(c.out, "tests: %d passed, %d failed, %d skipped\n", c.passed, c.failed, len(c.skipped))
	switch {
	case c.broken > 0:
		fmt.Fprintf(c.out, "skipcheck: %d packages failed\n", c.broken)
		return 1
	case c.failed > 0 || len(c.skipped) > 0:
		return 1
	case c.passed == 0:
		fmt.Fprintln(c.out, "skipcheck: no test ran")
		return 1
	}
	return 0
}
