package sqlstore

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// flatJSON decodes data as encoding/json does when it is a JSON array of
// scalars; ok is false for anything else (invalid JSON, another value,
// nested arrays or objects).
func flatJSON(data []byte) (out []any, ok bool) {
	if !json.Valid(data) {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&out); err != nil || out == nil {
		return nil, false
	}
	for i, v := range out {
		switch x := v.(type) {
		case map[string]any, []any:
			return nil, false
		case json.Number:
			out[i] = number(x)
		}
	}
	return out, true
}

func TestParseRow(t *testing.T) {
	for _, in := range []string{
		`[]`, ` [ ] `, `["a", 1, -2.50, 1e3, true, false, null]`, `["Conceição 🚗", "\u00e7\ud83d\ude97"]`,
		`["tab\there", "quote\"", "slash\/", "\\"]`, `["\ud800"]`, `["\udc00x"]`, `["\ud800\u0041"]`, "[\"\xff\"]",
		`[0.1e-7, -0, 12345678901234567890]`,
	} {
		want, ok := flatJSON([]byte(in))
		require.True(t, ok, in)
		got, err := parseRow([]byte(in))
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{
		``, `[`, `]`, `[1,]`, `[,1]`, `[01]`, `[1.]`, `[.5]`, `[1e]`, `[+1]`, `["a]`, `["\x"]`, `["\u12"]`, "[\"a\nb\"]",
		`[nul]`, `[true false]`, `[1] 2`, `[[1]]`, `[{}]`, `{}`, `"a"`, `["\u+123"]`,
	} {
		_, err := parseRow([]byte(in))
		assert.Error(t, err, in)
	}
}

// FuzzParseRow holds parseRow to encoding/json: the same values for every
// flat array, an error for everything else.
func FuzzParseRow(f *testing.F) {
	for _, s := range []string{`[]`, `["a", 1, -2.5e3, true, null]`, `["\ud83d\ude97\n"]`, "[\"\xc3\"]", `[[1]]`, `[1,]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		want, ok := flatJSON(data)
		got, err := parseRow(data)
		if !ok {
			if err == nil {
				t.Fatalf("parseRow(%q) = %v, want an error", data, got)
			}
			return
		}
		if err != nil {
			t.Fatalf("parseRow(%q): %v, want %v", data, err, want)
		}
		if !assert.ObjectsAreEqual(want, got) {
			t.Fatalf("parseRow(%q) = %#v, want %#v", data, got, want)
		}
	})
}

// TestScanInOrder checks that rows of a union, in whatever order they
// come, are scanned in the table's order (a contact's phones by contact,
// then by position), and that a row without a numeric place is refused.
func TestScanInOrder(t *testing.T) {
	row := func(s string) jsonRow {
		r, err := parseRow([]byte(s))
		require.NoError(t, err)
		return r
	}
	// contact_phones rows: customer_id, contact_position, position, phone.
	rows := []jsonRow{
		row(`["c", 1, 0, "b0"]`), row(`["c", 0, 1, "a1"]`), row(`["c", 1, 1, "b1"]`), row(`["c", 0, 0, "a0"]`),
	}
	var got []string
	scan := func(r rowScanner) error {
		var id, phone string
		var cp, p int
		if err := r.Scan(&id, &cp, &p, &phone); err != nil {
			return err
		}
		got = append(got, phone)
		return nil
	}
	require.NoError(t, scanInOrder(tContactTel, rows, scan))
	assert.Equal(t, []string{"a0", "a1", "b0", "b1"}, got)

	got = nil
	inOrder := []jsonRow{row(`["c", 0, 0, "a0"]`), row(`["c", 0, 1, "a1"]`)}
	require.NoError(t, scanInOrder(tContactTel, inOrder, scan))
	assert.Equal(t, []string{"a0", "a1"}, got)

	assert.ErrorIs(t, scanInOrder(tContactTel, []jsonRow{row(`["c", "x", 0, "a0"]`)}, scan), errJSONRow)
	assert.ErrorIs(t, scanInOrder(tContactTel, []jsonRow{row(`["c", 0, "a0"]`)}, scan), errJSONRow)
}
