package httpapi

import (
	"encoding/json"
	"regexp"
	"testing"
	"time"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage/storagetest"
	"github.com/fichacrm/ficha/validation"
)

// safePath is the shape of every path an answer may name: field names and
// indexes, never a value the client sent.
var safePath = regexp.MustCompile(`^([a-z][a-z0-9_]*(\[[0-9]+\])*(\.[a-z][a-z0-9_]*(\[[0-9]+\])*)*)?$`)

// FuzzDecodeCustomer feeds the request decoder any body: it never panics,
// every path it reports is a field path, and a customer it reads without
// a failure, once valid, is written as JSON and read back the same.
func FuzzDecodeCustomer(f *testing.F) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	for _, c := range []*customer.Customer{storagetest.Full(now), storagetest.FullOther(now), storagetest.Individual(1), storagetest.Company(2)} {
		b, err := json.Marshal(c)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		`{}`, `[]`, `null`, `{"phones":[1,"x",null]}`, `{"nome":1,"24843803480":2,"info":{"x":1,"Bad Key":2}}`,
		`{"assets":[{"value":"1e99999","year":1.5,"lien":{"balance":-1}}]}`, `{"cards":[{"number":"4111111111111111"},{"brand":"visa","bin":"1","last4":"2"}]}`,
		`{"contacts":[{"preferred_hour":"7","birthday":{"day":31,"month":2}}]}`, `{"created_at":"2026-01-01T00:00:00.123Z"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var in customerIn
		var v validation.Error
		if err := decodeRequest(b, &in, &v); err != nil {
			return
		}
		c := in.customer(&v)
		for _, fe := range v.Fields {
			if !safePath.MatchString(fe.Path) {
				t.Fatalf("path %q is not a field path", fe.Path)
			}
		}
		if len(v.Fields) > 0 || c.ValidateAt(now) != nil {
			return
		}
		out, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("a valid customer does not encode: %v", err)
		}
		var in2 customerIn
		var v2 validation.Error
		if err := decodeRequest(out, &in2, &v2); err != nil {
			t.Fatalf("what we write we cannot read: %v", err)
		}
		c2 := in2.customer(&v2)
		if len(v2.Fields) > 0 {
			t.Fatalf("what we write fails to read back: %v", v2.Error())
		}
		if d := customer.Diff(c, c2); len(d) > 0 {
			t.Fatalf("read back differs at %v", d)
		}
	})
}

// FuzzMergePatch applies any patch to a stored customer's JSON: it never
// panics, and the result is one JSON object.
func FuzzMergePatch(f *testing.F) {
	f.Add([]byte(`{"notes":"x","emails":null,"info":{"a":{"b":null}}}`))
	f.Add([]byte(`{"phones":[1,2],"addresses":{"0":{}}}`))
	doc, err := json.Marshal(storagetest.Full(time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		patch, err := parseTree(b)
		if err != nil {
			return
		}
		target, err := parseTree(doc)
		if err != nil {
			t.Fatal(err)
		}
		merged, err := json.Marshal(mergePatch(target, patch))
		if err != nil {
			t.Fatalf("the merged document does not encode: %v", err)
		}
		if _, err := parseTree(merged); err != nil {
			t.Fatalf("the merged document is not one object: %v", err)
		}
	})
}

// FuzzDecodeEntry feeds the reader of one entry of every sub-record list
// any body: it never panics, every path it reports lies at or under the
// entry's, and an entry it reads without a failure that makes a valid
// customer is written as JSON and read back the same.
func FuzzDecodeEntry(f *testing.F) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	for i := range subLists {
		for _, s := range []string{
			`"(11) 91111-2222"`, `"a@b.com"`, `"OS-1"`, `null`, `3`, `[]`, `{}`,
			`{"cep":"20040-020","street":"R","city":"Rio","uf":"RJ","purposes":"billing"}`,
			`{"description":"Moto","kind":"vehicle","year":2020,"value":"15000.00","plate":"BRA2E19","lien":{"balance":1}}`,
			`{"name":"Ana","phone":"(11) 95555-4444"}`, `{"code":"341","branch":"2545","account":"02366","account_digit":"1"}`,
			`{"number":"4111 1111 1111 1111","holder":"X","expiry":{"month":12,"year":2099}}`, `{"brand":"visa","bin":"411111","last4":"1111"}`,
			`{"name":"Bia","phones":["(11) 97777-6666"],"preferred_hour":"7","nome":1}`,
		} {
			f.Add(uint8(i), []byte(s))
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, b []byte) {
		l := subLists[int(which)%len(subLists)]
		src, err := parseValue(b)
		if err != nil {
			return
		}
		c := storagetest.Full(now)
		i := l.len(c)
		at := validation.Index(l.name(), i)
		var v validation.Error
		e := l.parse(src, at, &v)
		for _, fe := range v.Fields {
			if !safePath.MatchString(fe.Path) || !under(fe.Path, at) {
				t.Fatalf("path %q is not a field path under %q", fe.Path, at)
			}
		}
		if len(v.Fields) > 0 {
			return
		}
		l.put(c, i, e)
		if c.ValidateAt(now) != nil {
			return
		}
		out, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("a valid customer does not encode: %v", err)
		}
		var in customerIn
		var v2 validation.Error
		if err := decodeRequest(out, &in, &v2); err != nil {
			t.Fatalf("what we write we cannot read: %v", err)
		}
		c2 := in.customer(&v2)
		if len(v2.Fields) > 0 {
			t.Fatalf("what we write fails to read back: %v", v2.Error())
		}
		if d := customer.Diff(c, c2); len(d) > 0 {
			t.Fatalf("read back differs at %v", d)
		}
	})
}

// FuzzDecodeHistory feeds the bodies of an attendance, an agenda item, a
// reschedule and a completion any text: decoding never panics, and every
// path it reports is a field path.
func FuzzDecodeHistory(f *testing.F) {
	for _, s := range []string{
		`{"channel":"whatsapp","reason":"sales","attendant":{"id":"a","name":"Ana"},"confirmed":"phones+emails","at":"2026-01-01T10:00:00Z"}`,
		`{"customer_id":"01a21f5f-cf43-7dd0-aa0f-6ad73f3d1555","due":"2026-01-01T10:00:00Z","subject":"x","channel":"phone"}`,
		`{"due":"x"}`, `{"attendance_id":"x"}`, `{"agenda_item":1,"attendant":[],"x":{}}`, `{}`,
	} {
		for i := range 4 {
			f.Add(uint8(i), []byte(s))
		}
	}
	id := customer.NewID()
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, which uint8, b []byte) {
		var v validation.Error
		var err error
		switch which % 4 {
		case 0:
			var in attendanceIn
			if err = decodeRequest(b, &in, &v); err == nil {
				a := in.attendance(&v, id)
				addRest(&v, a.Validate(now))
			}
		case 1:
			var in itemIn
			if err = decodeRequest(b, &in, &v); err == nil {
				it := in.item(&v)
				addRest(&v, it.Validate())
			}
		case 2:
			var in rescheduleIn
			if err = decodeRequest(b, &in, &v); err == nil {
				optionalTime(&v, "due", in.Due)
			}
		case 3:
			var in completeIn
			if err = decodeRequest(b, &in, &v); err == nil {
				optionalID(&v, "attendance_id", in.AttendanceID)
			}
		}
		if err != nil {
			return
		}
		for _, fe := range v.Fields {
			if !safePath.MatchString(fe.Path) {
				t.Fatalf("path %q is not a field path", fe.Path)
			}
		}
	})
}

// FuzzDecodePrivacy decodes the bodies of the consent and privacy routes:
// whatever arrives, decoding never panics, every failed field is named by
// a path of the body, and a body that passes gives statements that pass
// the store's validation.
func FuzzDecodePrivacy(f *testing.F) {
	for _, s := range []string{
		`{"statements":[{"channel":"sms","purpose":"marketing","state":"granted","basis":"consent","source":"desk","evidence":{"notice":"v3"}}]}`,
		`{"statements":[{"channel":"fax","purpose":"X","at":"ontem","contact":"Ana"}]}`, `{"statements":null}`, `{"statements":[{}]}`,
		`{"channels":["sms","telegram"],"source":"sms_reply","evidence":{"reference":"m1"}}`,
		`{"tax_id":"529.982.247-25","phones":["(11) 98765-4321"],"emails":["a@b.com"]}`, `{"tax_id":1,"phones":"x"}`,
		`{"kind":"access","customer_id":"x","received":"2026-01-01T00:00:00Z"}`, `{"outcome":"done","note":"ok"}`, `{}`, `[]`,
	} {
		for i := range 4 {
			f.Add(uint8(i), []byte(s))
		}
	}
	id := customer.NewID()
	f.Fuzz(func(t *testing.T, which uint8, b []byte) {
		var v validation.Error
		var err error
		switch which % 4 {
		case 0:
			var in consentsIn
			if err = decodeRequest(b, &in, &v); err == nil {
				entries := in.entries(&v, id)
				if len(v.Fields) == 0 {
					for _, e := range entries {
						if verr := e.Statement.Validate(); verr != nil {
							t.Fatalf("a statement that passed decoding fails validation: %v", verr)
						}
					}
				}
			}
		case 1:
			var in optOutIn
			err = decodeRequest(b, &in, &v)
		case 2:
			var in subjectIn
			err = decodeRequest(b, &in, &v)
		case 3:
			var in requestIn
			if err = decodeRequest(b, &in, &v); err == nil {
				optionalID(&v, "customer_id", in.CustomerID)
				optionalTime(&v, "received", in.Received)
			}
		}
		if err != nil {
			return
		}
		for _, fe := range v.Fields {
			if !safePath.MatchString(fe.Path) {
				t.Fatalf("path %q is not a field path", fe.Path)
			}
		}
	})
}
