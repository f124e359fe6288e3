package customer_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/date"
	"github.com/fichacrm/ficha/reference"
)

func TestZeroValuesRoundTripThroughJSON(t *testing.T) {
	// What the library marshals, it unmarshals: an empty record, as a
	// form starts, included.
	b, err := json.Marshal(&customer.Customer{})
	require.NoError(t, err)
	var c customer.Customer
	require.NoError(t, json.Unmarshal(b, &c))
	assert.Equal(t, customer.Kind(0), c.Kind)
	var v *customer.ValidationError
	require.ErrorAs(t, c.Validate(), &v)
	assert.True(t, v.Has("kind", "customer.kind"), "an empty kind decodes, and validation reports it")

	b, err = json.Marshal(&customer.Customer{Assets: []asset.Asset{{}}, Contacts: []contact.Contact{{}}, Cards: []reference.Card{{}}})
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &c), "%s", b)
	require.NoError(t, json.Unmarshal([]byte(`{"kind":"","status":"","assets":[{"kind":"","value":"0"}],"cards":[{"brand":""}]}`), &c))

	// Values that are no kind at all cannot be written.
	_, err = json.Marshal(&customer.Customer{Kind: 9})
	assert.Error(t, err)
	_, err = json.Marshal(&customer.Customer{Status: 9})
	assert.Error(t, err)
}

func TestImpossibleDateIsReportedNotStored(t *testing.T) {
	c := customer.Customer{Kind: customer.Individual, Status: customer.StatusProspect, Name: "Ana",
		Phones: []contact.Phone{contact.MustParsePhone("(11) 98765-4321")}, BirthDate: date.Date{Year: 1980, Month: 2, Day: 30}}
	err := c.ValidateAt(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	var v *customer.ValidationError
	require.ErrorAs(t, err, &v)
	assert.True(t, v.Has("birth_date", "date.invalid"))
	_, err = json.Marshal(&c)
	assert.Error(t, err, "an impossible date cannot be encoded")
}

// FuzzCustomerJSON decodes arbitrary JSON into a customer. Whatever
// decodes must validate without panicking, encode again, and decode to the
// same record: what the library reads, it can write and read back.
func FuzzCustomerJSON(f *testing.F) {
	full, err := json.Marshal(full())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(full)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"kind":"","status":"prospect","name":"Ana\u0000","assets":[{"kind":"vehicle","value":"1e99"}]}`))
	f.Add([]byte(`{"kind":"company","birth_date":"1980-02-30","info":{"x":"4539 1488 0343 6467"}}`))
	f.Add([]byte(`{"assets":[{"value":12.5,"lien":{"balance":"-0.001","payoff_date":""}}],"contacts":[{"preferred_hour":23,"preferred_day":"friday","birthday":{"day":29,"month":2}}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var c customer.Customer
		if err := json.Unmarshal(b, &c); err != nil {
			return
		}
		verr := c.ValidateAt(time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC))
		out, err := json.Marshal(&c)
		if err != nil {
			t.Fatalf("a decoded record does not encode: %v", err)
		}
		var back customer.Customer
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("what the library wrote it cannot read: %v\n%s", err, out)
		}
		again, err := json.Marshal(&back)
		if err != nil {
			t.Fatal(err)
		}
		if string(again) != string(out) {
			t.Fatalf("the round trip changed the record:\n%s\n%s", out, again)
		}
		verr2 := back.ValidateAt(time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC))
		if (verr == nil) != (verr2 == nil) {
			t.Fatalf("validation changed over a round trip: %v / %v", verr, verr2)
		}
		if verr == nil && !reflect.DeepEqual(customer.Diff(&c, &back), []string(nil)) {
			t.Fatalf("a valid record differs after a round trip: %v", customer.Diff(&c, &back))
		}
	})
}
