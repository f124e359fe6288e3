package customer

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/reference"
)

// marshalled is what value gave before its fast paths: json.Marshal.
func marshalled(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return b
}

// TestValueMatchesJSON holds value's own encoding of text, identifiers and
// numbers to json.Marshal's bytes: the change log stores them, and an
// entry written by a bulk load must read as one written by Create.
func TestValueMatchesJSON(t *testing.T) {
	t.Parallel()
	texts := []string{"", "José da Conceição", "a\"b", `back\slash`, "<b>&amp;</b>", "tab\there", "nl\n", "\x00\x1f",
		"del\x7f", "\u2028\u2029", "bad \xff utf-8", "\xe2\x82", "emoji 😀", "ç", "O'Brien", "R. Augusta, 1500 - 5º andar"}
	values := []any{absent{}, 0, 7, -3, 2024, int64(1) << 40, true, false,
		Individual, Company, Kind(99), StatusProspect, StatusCustomer,
		MustParseTaxID("248.438.034-80"), MustParseTaxID("12.ABC.345/01DE-35"), TaxID{},
		contact.MustParsePhone("(11) 98765-4321"), contact.Phone{}, contact.MustParseEmail("Ana@Example.com"),
		address.MustParseCEP("01310-100"), address.MustParseUF("SP"), address.Correspondence | address.Billing,
		asset.MustParsePlate("ABC1D23"), asset.Vehicle, decimal.RequireFromString("1234.5"),
		time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.UTC), contact.Hour{}, reference.Card{},
		asset.Asset{Description: "<Gol>", Value: decimal.RequireFromString("10.00")}, address.Address{City: "São Paulo"},
		map[string]string{"a": "<"}}
	for _, s := range texts {
		values = append(values, s)
	}
	for _, v := range values {
		if got, want := value(v), marshalled(v); !bytes.Equal(got, want) {
			if _, ok := v.(absent); ok && got == nil {
				continue
			}
			t.Errorf("value(%T) = %q, json.Marshal gives %q", v, got, want)
		}
	}
}

// FuzzValueString holds value's encoding of any text to json.Marshal's.
func FuzzValueString(f *testing.F) {
	for _, s := range []string{"", "José", "a<b", "\u2028", "\xff", "\x7f", "\"\\", "\t"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := value(s), marshalled(s); !bytes.Equal(got, want) {
			t.Fatalf("value(%q) = %q, json.Marshal gives %q", s, got, want)
		}
	})
}

// BenchmarkChangesOfCreation is the change log's work for a creation:
// every field of the record against the empty one.
func BenchmarkChangesOfCreation(b *testing.B) {
	c := &Customer{Kind: Individual, Status: StatusCustomer, Name: "José da Conceição",
		TaxID: MustParseTaxID("248.438.034-80"), Phones: []contact.Phone{contact.MustParsePhone("(11) 98765-4321")},
		Emails: []contact.Email{contact.MustParseEmail("jose@example.com")}, DMSCode: "C-123", Notes: "Prefere WhatsApp",
		Assets: []asset.Asset{{Description: "Gol", Kind: asset.Vehicle, Year: 2020, Plate: asset.MustParsePlate("ABC1D23")}}}
	b.ReportAllocs()
	for b.Loop() {
		Changes(&Customer{}, c)
	}
}
