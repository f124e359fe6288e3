package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Events as `go test -json` writes them (Go 1.26), without their times.
const (
	passing = `{"Action":"start","Package":"example.com/m/a"}
{"Action":"run","Package":"example.com/m/a","Test":"TestPass"}
{"Action":"output","Package":"example.com/m/a","Test":"TestPass","Output":"=== RUN   TestPass\n"}
{"Action":"output","Package":"example.com/m/a","Test":"TestPass","Output":"    a_test.go:5: fine\n"}
{"Action":"output","Package":"example.com/m/a","Test":"TestPass","Output":"--- PASS: TestPass (0.00s)\n"}
{"Action":"pass","Package":"example.com/m/a","Test":"TestPass","Elapsed":0}
{"Action":"output","Package":"example.com/m/a","Output":"PASS\n"}
{"Action":"output","Package":"example.com/m/a","Output":"ok  \texample.com/m/a\t0.032s\n"}
{"Action":"pass","Package":"example.com/m/a","Elapsed":0.033}
{"Action":"output","Package":"example.com/m/b","Output":"?   \texample.com/m/b\t[no test files]\n"}
{"Action":"skip","Package":"example.com/m/b","Elapsed":0}
`
	skipping = `{"Action":"run","Package":"example.com/m/c","Test":"TestNATS"}
{"Action":"output","Package":"example.com/m/c","Test":"TestNATS","Output":"=== RUN   TestNATS\n"}
{"Action":"output","Package":"example.com/m/c","Test":"TestNATS","Output":"    c_test.go:6: set FICHA_TEST_NATS_URL to run\n"}
{"Action":"output","Package":"example.com/m/c","Test":"TestNATS","Output":"--- SKIP: TestNATS (0.00s)\n"}
{"Action":"skip","Package":"example.com/m/c","Test":"TestNATS","Elapsed":0}
{"Action":"run","Package":"example.com/m/c","Test":"TestSub"}
{"Action":"output","Package":"example.com/m/c","Test":"TestSub","Output":"=== RUN   TestSub\n"}
{"Action":"run","Package":"example.com/m/c","Test":"TestSub/db"}
{"Action":"output","Package":"example.com/m/c","Test":"TestSub/db","Output":"=== RUN   TestSub/db\n"}
{"Action":"output","Package":"example.com/m/c","Test":"TestSub/db","Output":"=== PAUSE TestSub/db\n"}
{"Action":"output","Package":"example.com/m/c","Test":"TestSub/db","Output":"=== CONT  TestSub/db\n"}
{"Action":"output","Package":"example.com/m/c","Test":"TestSub/db","Output":"--- SKIP: TestSub/db (0.00s)\n"}
{"Action":"skip","Package":"example.com/m/c","Test":"TestSub/db","Elapsed":0}
{"Action":"output","Package":"example.com/m/c","Test":"TestSub","Output":"--- PASS: TestSub (0.00s)\n"}
{"Action":"pass","Package":"example.com/m/c","Test":"TestSub","Elapsed":0}
{"Action":"output","Package":"example.com/m/c","Output":"PASS\n"}
{"Action":"output","Package":"example.com/m/c","Output":"ok  \texample.com/m/c\t0.012s\n"}
{"Action":"pass","Package":"example.com/m/c","Elapsed":0.012}
`
	failing = `{"Action":"run","Package":"example.com/m/d","Test":"TestFail"}
{"Action":"output","Package":"example.com/m/d","Test":"TestFail","Output":"=== RUN   TestFail\n"}
{"Action":"output","Package":"example.com/m/d","Test":"TestFail","Output":"    d_test.go:7: want 1, got 2\n"}
{"Action":"output","Package":"example.com/m/d","Test":"TestFail","Output":"--- FAIL: TestFail (0.00s)\n"}
{"Action":"fail","Package":"example.com/m/d","Test":"TestFail","Elapsed":0}
{"Action":"output","Package":"example.com/m/d","Output":"FAIL\n"}
{"Action":"output","Package":"example.com/m/d","Output":"FAIL\texample.com/m/d\t0.032s\n"}
{"Action":"fail","Package":"example.com/m/d","Elapsed":0.033}
`
	buildFailure = `{"ImportPath":"example.com/m/e [example.com/m/e.test]","Action":"build-output","Output":"# example.com/m/e [example.com/m/e.test]\n"}
{"ImportPath":"example.com/m/e [example.com/m/e.test]","Action":"build-output","Output":"e/e_test.go:5:40: cannot use \"s\" (untyped string constant) as int value in variable declaration\n"}
{"ImportPath":"example.com/m/e [example.com/m/e.test]","Action":"build-fail"}
{"Action":"output","Package":"example.com/m/e","Output":"FAIL\texample.com/m/e [build failed]\n"}
{"Action":"fail","Package":"example.com/m/e","Elapsed":0,"FailedBuild":"example.com/m/e [example.com/m/e.test]"}
`
	unfinished = `{"Action":"run","Package":"example.com/m/f","Test":"TestHang"}
{"Action":"output","Package":"example.com/m/f","Test":"TestHang","Output":"=== RUN   TestHang\n"}
{"Action":"output","Package":"example.com/m/f","Test":"TestHang","Output":"    f_test.go:9: waiting\n"}
`
)

func check(input string) (string, int) {
	var out strings.Builder
	code := run(strings.NewReader(input), &out)
	return out.String(), code
}

func TestPassing(t *testing.T) {
	t.Parallel()
	out, code := check(passing)
	assert.Equal(t, 0, code)
	assert.Equal(t, "ok  \texample.com/m/a\t0.032s\n"+
		"?   \texample.com/m/b\t[no test files]\n"+
		"tests: 1 passed, 0 failed, 0 skipped\n", out,
		"like go test without -v, and a package without tests is no skip")
}

func TestSkipping(t *testing.T) {
	t.Parallel()
	out, code := check(passing + skipping)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "--- SKIP: TestNATS (0.00s)\n")
	assert.Contains(t, out, "\n2 skipped tests; in CI every test must run:\n"+
		"SKIP example.com/m/c TestNATS: c_test.go:6: set FICHA_TEST_NATS_URL to run\n"+
		"SKIP example.com/m/c TestSub/db: (no reason given)\n"+
		"tests: 2 passed, 0 failed, 2 skipped\n")
	assert.NotContains(t, out, "=== ")
}

func TestFailing(t *testing.T) {
	t.Parallel()
	out, code := check(failing + passing)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "    d_test.go:7: want 1, got 2\n--- FAIL: TestFail (0.00s)\nFAIL\nFAIL\texample.com/m/d\t0.032s\n")
	assert.Contains(t, out, "tests: 1 passed, 1 failed, 0 skipped\n")

	out, code = check(buildFailure + passing)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "e/e_test.go:5:40: cannot use")
	assert.Contains(t, out, "FAIL\texample.com/m/e [build failed]\n")
	assert.Contains(t, out, "skipcheck: 1 packages failed\n")

	out, code = check(passing + unfinished)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "--- unfinished: example.com/m/f TestHang\n    f_test.go:9: waiting\n")
}

func TestNothingRan(t *testing.T) {
	t.Parallel()
	out, code := check("")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "no test ran")

	out, code = check("go: downloading example.com/x v1.0.0\n" + passing)
	assert.Equal(t, 0, code)
	assert.True(t, strings.HasPrefix(out, "go: downloading example.com/x v1.0.0\n"), "lines that are not events pass through")
}
