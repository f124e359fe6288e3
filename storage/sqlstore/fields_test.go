package sqlstore

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/fichacrm/ficha/customer"
)

// FuzzDecodeFields checks that decodeFields reads whatever encoding/json
// reads, the same, and fails where it fails.
func FuzzDecodeFields(f *testing.F) {
	for _, s := range []string{
		`[]`, `[{"path":"name","old":"Ana","new":"Ana Souza"}]`,
		`[{"new": {"kind": "vehicle", "lien": {"balance": "0.00"}}, "old": null, "path": "assets[0]"}]`,
		`[{"path":"phones[1]","old":"+5511987654321"},{"path":"version","old":0,"new":1.5e3}]`,
		`[{"path":"a\u00e9","new":true}]`, `[{"path":"x","new":"é\"\\"}]`, `[{"path":"x"}] `, `[{"path":"x","path":"y"}]`,
		`[{"path":"x","new":[1,[2,{"a":[]}]]}]`, `[{"path":"x","new":01}]`, `[{"x":1}]`, `{}`, `[`, `[{"path":"x",}]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var want []customer.FieldChange
		werr := json.Unmarshal(b, &want)
		got, gerr := decodeFields(b)
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("%q: encoding/json says %v, decodeFields %v", b, werr, gerr)
		}
		if werr == nil && !reflect.DeepEqual(normal(want), normal(got)) {
			t.Fatalf("%q:\nencoding/json %#v\ndecodeFields  %#v", b, want, got)
		}
	})
}

// normal makes an empty list and a nil one compare equal, and empty raw
// values nil, as both decoders may give either.
func normal(fs []customer.FieldChange) []customer.FieldChange {
	if len(fs) == 0 {
		return nil
	}
	out := make([]customer.FieldChange, len(fs))
	for i, f := range fs {
		if len(f.Old) == 0 {
			f.Old = nil
		}
		if len(f.New) == 0 {
			f.New = nil
		}
		out[i] = f
	}
	return out
}

func BenchmarkDecodeFields(b *testing.B) {
	src := []byte(`[{"path":"kind","old":"","new":"individual"},{"path":"status","old":"","new":"customer"},{"path":"name","old":"","new":"Ana Silva Silva"},{"path":"tax_id","old":"","new":"10000000361"},{"path":"employer","old":"","new":"Agropecuária Souza Ltda"},{"path":"birth_date","old":"","new":"1953-04-01"},{"path":"phones[0]","new":"+5541900000000"},{"path":"emails[0]","new":"cliente3@example.com.br"},{"path":"dms_code","old":"","new":"C0000003"},{"path":"service_orders[0]","new":"OS00000003"},{"path":"assets[0]","new":{"description":"Automóvel","kind":"vehicle","year":2018,"lien":{"payoff_date":"","balance":"0.00"},"vin":"9BW000000VT000003","plate":"AAA1K00","renavam":"","value":"30003.00"}}]`)
	b.Run("scanner", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := decodeFields(src); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var out []customer.FieldChange
			if err := json.Unmarshal(src, &out); err != nil {
				b.Fatal(err)
			}
		}
	})
}
