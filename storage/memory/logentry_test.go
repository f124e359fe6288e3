package memory

import (
	"bytes"
	"testing"

	"github.com/fichacrm/ficha/customer"
)

// FuzzPackFields checks that a change's fields come back from the log as
// they went in: paths and values byte for byte, nil values nil, and no
// value shared with the log.
func FuzzPackFields(f *testing.F) {
	f.Add("name", []byte(`"Ana"`), []byte(`"Ana Maria"`), true, "phones[0].number", []byte{}, true)
	f.Add("", []byte(nil), []byte(nil), false, "notes", []byte(`"x"`), false)
	f.Fuzz(func(t *testing.T, path string, old, new []byte, oldNil bool, path2 string, v2 []byte, v2Nil bool) {
		if oldNil {
			old = nil
		}
		if v2Nil {
			v2 = nil
		}
		in := []customer.FieldChange{{Path: path, Old: old, New: new}, {Path: path2, New: v2}}
		packed := packFields(in)
		out := unpackFields(packed)
		if len(out) != len(in) {
			t.Fatalf("%d fields back, want %d", len(out), len(in))
		}
		for i := range in {
			a, b := in[i], out[i]
			if a.Path != b.Path || !bytes.Equal(a.Old, b.Old) || !bytes.Equal(a.New, b.New) ||
				(a.Old == nil) != (b.Old == nil) || (a.New == nil) != (b.New == nil) {
				t.Fatalf("field %d: got %+v, want %+v", i, b, a)
			}
		}
		// What a reader is handed is its own.
		for i := range out {
			for j := range out[i].Old {
				out[i].Old[j] ^= 0xff
			}
			for j := range out[i].New {
				out[i].New[j] ^= 0xff
			}
		}
		if again := unpackFields(packed); len(again) > 0 && !bytes.Equal(again[0].Old, in[0].Old) {
			t.Fatal("a reader's change reached the log")
		}
	})
}

func TestPackFieldsKeepsEmptyAndNil(t *testing.T) {
	if got := unpackFields(packFields(nil)); got != nil {
		t.Errorf("nil fields came back as %#v", got)
	}
	if got := unpackFields(packFields([]customer.FieldChange{})); got == nil || len(got) != 0 {
		t.Errorf("no fields came back as %#v", got)
	}
}
