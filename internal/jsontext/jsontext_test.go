package jsontext

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLoneSurrogate(t *testing.T) {
	for in, want := range map[string]bool{
		`{"a":"x"}`:                  false,
		`{"a":"\ud83d\ude00"}`:       false, // a pair: 😀
		`{"a":"\ud800"}`:             true,
		`{"a":"a\ud800b"}`:           true,
		`{"a":"\udc00"}`:             true,
		`{"a":"\ud800\u0041"}`:       true,
		`{"a":"\\ud800"}`:            false, // a backslash, then text
		`{"a":"\\\ud800"}`:           true,
		`{"\ud800":1}`:               true,
		`{"a":"\u00e9\uD83D\uDE00"}`: false,
		`{"a":"\ud800`:               true,
		`{"a":"\u12"}`:               false,
		`{"a":"x\"\ud800"}`:          true,
	} {
		if got := LoneSurrogate([]byte(in)); got != want {
			t.Errorf("%s: %v, want %v", in, got, want)
		}
	}
}

// FuzzLoneSurrogate holds LoneSurrogate to encoding/json: a valid JSON
// string value it passes decodes without a U+FFFD the text did not hold.
func FuzzLoneSurrogate(f *testing.F) {
	for _, s := range []string{`"x"`, `"\ud800"`, `"\ud83d\ude00"`, `"\\ud800"`, `"\ufffd"`, `"\udbff\udfff"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var v string
		if !utf8.ValidString(s) || json.Unmarshal([]byte(s), &v) != nil || LoneSurrogate([]byte(s)) {
			return
		}
		if strings.Contains(v, "\ufffd") && !strings.Contains(s, "\ufffd") && !strings.Contains(strings.ToLower(s), `\ufffd`) {
			t.Fatalf("%s decoded to %q, and was let through", s, v)
		}
	})
}
