package attendance_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/validation"
)

var now = time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC)

func TestValidate(t *testing.T) {
	t.Parallel()
	ok := attendance.Attendance{CustomerID: uuid.New(), At: now, Channel: attendance.WhatsApp, Reason: attendance.Service,
		Notes: "ligar de volta\namanhã", Confirmed: attendance.Phones}
	require.NoError(t, ok.Validate(now))

	var v *validation.Error
	bad := attendance.Attendance{At: now.Add(time.Hour), Notes: "cartão 4111 1111 1111 1111", Outcome: "a\nb",
		Confirmed: 1 << 12, Attendant: attendance.Attendant{Name: "x\x00"}}
	require.ErrorAs(t, bad.Validate(now), &v)
	for path, code := range map[string]string{
		"customer_id": "attendance.customer", "channel": "attendance.channel", "reason": "attendance.reason",
		"at": "attendance.future", "confirmed": "attendance.section",
	} {
		assert.True(t, v.Has(path, code), "%s %s: %v", path, code, v)
	}
	for _, path := range []string{"notes", "outcome", "attendant.name"} {
		found := false
		for _, f := range v.Fields {
			found = found || f.Path == path
		}
		assert.True(t, found, "%s is refused", path)
	}
	assert.NotContains(t, v.Error(), "4111")
}

func TestSections(t *testing.T) {
	t.Parallel()
	s := attendance.Phones | attendance.Emails | attendance.Info
	assert.Equal(t, "phones+emails+info", s.String())
	back, err := attendance.ParseSection(s.String())
	require.NoError(t, err)
	assert.Equal(t, s, back)
	assert.Equal(t, []attendance.Section{attendance.Phones, attendance.Emails, attendance.Info}, s.Each())
	_, err = attendance.ParseSection("phones+nope")
	assert.ErrorIs(t, err, attendance.ErrSection)
	_, err = s.Single()
	assert.Error(t, err)
	one, err := attendance.Assets.Single()
	require.NoError(t, err)
	assert.Equal(t, attendance.Assets, one)
	for path, want := range map[string]attendance.Section{
		"name": attendance.Profile, "tax_id": attendance.Profile, "phones[2]": attendance.Phones,
		"addresses[0].cep": attendance.Addresses, "bank_references[1].branch": attendance.References,
		"cards[0]": attendance.References, "contacts[3].phones[0]": attendance.Contacts, "info.spouse_name": attendance.Info,
		"assets[0].lien.balance": attendance.Assets, "emails[0]": attendance.Emails,
	} {
		assert.Equal(t, want, attendance.SectionOf(path), path)
	}
}

func TestFreshnessStale(t *testing.T) {
	t.Parallel()
	f := attendance.Freshness{attendance.Phones: now, attendance.Emails: now.AddDate(0, -7, 0)}
	assert.False(t, f.Stale(attendance.Phones, now.AddDate(0, -6, 0)))
	assert.True(t, f.Stale(attendance.ContactData, now.AddDate(0, -6, 0)), "e-mails old, addresses never")
}

func TestJSON(t *testing.T) {
	t.Parallel()
	a := attendance.Attendance{ID: uuid.New(), CustomerID: uuid.New(), At: now, Channel: attendance.InPerson,
		Reason: attendance.AfterSales, Confirmed: attendance.ContactData}
	b, err := json.Marshal(a)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"channel":"in_person"`)
	assert.Contains(t, string(b), `"reason":"after_sales"`)
	assert.Contains(t, string(b), `"confirmed":"phones+emails+addresses"`)
	var back attendance.Attendance
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, a, back)
	assert.Error(t, json.Unmarshal([]byte(`{"channel":"pigeon"}`), &back))
}

// FuzzParseSection checks that reading a section never panics and that
// what it reads writes back to text that reads the same.
func FuzzParseSection(f *testing.F) {
	for _, s := range []string{"phones", "phones+emails", "", "+", "info+info", "profile+nope", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var sec attendance.Section
		if err := sec.UnmarshalText([]byte(s)); err != nil {
			return
		}
		b, err := sec.MarshalText()
		if err != nil {
			t.Fatalf("%q read as %d, which does not write: %v", s, sec, err)
		}
		var again attendance.Section
		if err := again.UnmarshalText(b); err != nil || again != sec {
			t.Fatalf("%q → %q → %d (%v)", s, b, again, err)
		}
	})
}
