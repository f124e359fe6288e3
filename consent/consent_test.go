package consent

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/validation"
)

func TestStatementValidate(t *testing.T) {
	ok := Statement{Channel: SMS, Purpose: Marketing, State: Granted, Basis: BasisConsent, Source: AtDesk,
		Evidence: Evidence{Notice: "termo v3"}}
	require.NoError(t, ok.Validate())
	withdrawn := ok
	withdrawn.State, withdrawn.Evidence = Withdrawn, Evidence{}
	require.NoError(t, withdrawn.Validate(), "a withdrawal needs no notice")
	recall := Statement{Channel: Call, Purpose: Service, State: Granted, Basis: BasisLegalObligation, Source: Import}
	require.NoError(t, recall.Validate(), "a safety recall rests on a legal obligation, without a notice")

	cases := map[string]struct {
		edit func(*Statement)
		path string
		rule *validation.Rule
	}{
		"channel":            {func(s *Statement) { s.Channel = 0 }, "channel", ErrChannel},
		"channel too high":   {func(s *Statement) { s.Channel = Post + 1 }, "channel", ErrChannel},
		"purpose case":       {func(s *Statement) { s.Purpose = "Marketing" }, "purpose", ErrPurpose},
		"purpose empty":      {func(s *Statement) { s.Purpose = "" }, "purpose", ErrPurpose},
		"purpose long":       {func(s *Statement) { s.Purpose = Purpose(strings.Repeat("a", MaxToken+1)) }, "purpose", ErrPurpose},
		"purpose digit":      {func(s *Statement) { s.Purpose = "1x" }, "purpose", ErrPurpose},
		"state":              {func(s *Statement) { s.State = 9 }, "state", ErrState},
		"basis":              {func(s *Statement) { s.Basis = 0 }, "basis", ErrBasis},
		"source":             {func(s *Statement) { s.Source = "balcão" }, "source", ErrSource},
		"no notice":          {func(s *Statement) { s.Evidence.Notice = " \n" }, "evidence.notice", ErrNotice},
		"marketing contract": {func(s *Statement) { s.Basis = BasisContract }, "basis", ErrMarketing},
		"notice control":     {func(s *Statement) { s.Evidence.Notice = "v\x00" }, "evidence.notice", validation.ErrTextControl},
		"reference lines":    {func(s *Statement) { s.Evidence.Reference = "a\nb" }, "evidence.reference", validation.ErrTextControl},
	}
	for name, c := range cases {
		s := ok
		c.edit(&s)
		err := s.Validate()
		var v *validation.Error
		require.True(t, errors.As(err, &v), name)
		assert.True(t, v.Has(c.path, c.rule.Code()), "%s: %v", name, err)
	}
}

func TestChannelText(t *testing.T) {
	for _, c := range Channels() {
		b, err := c.MarshalText()
		require.NoError(t, err)
		got, err := ParseChannel(string(b))
		require.NoError(t, err)
		assert.Equal(t, c, got)
		assert.NotZero(t, c.Address())
	}
	for _, s := range []string{"", "SMS", "fax", "sms "} {
		_, err := ParseChannel(s)
		assert.ErrorIs(t, err, ErrChannel, "%q", s)
	}
	_, err := Channel(0).MarshalText()
	assert.Error(t, err)
	var st Statement
	require.Error(t, json.Unmarshal([]byte(`{"channel":"telegram"}`), &st))
	require.NoError(t, json.Unmarshal([]byte(`{"channel":"whatsapp","purpose":"marketing","state":"withdrawn","basis":"consent","source":"desk"}`), &st))
	assert.Equal(t, Statement{Channel: WhatsApp, Purpose: Marketing, State: Withdrawn, Basis: BasisConsent, Source: AtDesk}, st)
}

func TestDecide(t *testing.T) {
	since := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	granted := &Current{State: Granted, Basis: BasisConsent, Since: since}
	addrs := []string{"+5511987654321", "+5511912345678"}
	none := func(string) bool { return false }

	d := Decide(nil, addrs, none)
	assert.Equal(t, Decision{Reason: ReasonNoRecord}, d, "no record means no")
	d = Decide(&Current{State: Withdrawn, Basis: BasisConsent, Since: since}, addrs, none)
	assert.False(t, d.Allowed)
	assert.Equal(t, ReasonWithdrawn, d.Reason)
	assert.Empty(t, d.Addresses)
	assert.Equal(t, ReasonDenied, Decide(&Current{State: Denied}, addrs, none).Reason)
	assert.Equal(t, ReasonNoAddress, Decide(granted, nil, none).Reason)

	d = Decide(granted, addrs, none)
	assert.Equal(t, Decision{Allowed: true, Reason: ReasonGranted, Basis: BasisConsent, Since: since, Addresses: addrs}, d)
	d = Decide(granted, addrs, func(a string) bool { return a == addrs[0] })
	assert.True(t, d.Allowed)
	assert.Equal(t, addrs[1:], d.Addresses, "the suppressed address is skipped")
	d = Decide(granted, addrs, func(string) bool { return true })
	assert.False(t, d.Allowed)
	assert.Equal(t, ReasonSuppressed, d.Reason)
}

func TestFingerprint(t *testing.T) {
	key := []byte("0123456789abcdef")
	a := Fingerprint(key, "t1", PhoneAddress, "+5511987654321")
	assert.Len(t, a, 64)
	assert.NotContains(t, a, "987654321", "the address is not in its fingerprint")
	assert.Equal(t, a, Fingerprint(key, "t1", PhoneAddress, "+5511987654321"))
	assert.NotEqual(t, a, Fingerprint(key, "t2", PhoneAddress, "+5511987654321"), "tenants do not share fingerprints")
	assert.NotEqual(t, a, Fingerprint([]byte("another key 0123"), "t1", PhoneAddress, "+5511987654321"))
	assert.NotEqual(t, a, Fingerprint(key, "t1", EmailAddress, "+5511987654321"))
	assert.NotEqual(t, Fingerprint(key, "t1", PhoneAddress, "1"), Fingerprint(key, "t", PhoneAddress, "11"),
		"tenant and address cannot run into each other")
}

func TestContactKey(t *testing.T) {
	assert.Equal(t, "jose souza", ContactKey("  José   Souza "))
	assert.Equal(t, ContactKey("JOSÉ SOUZA"), ContactKey("jose souza"))
	assert.Equal(t, "", ContactKey(" "))
}

func FuzzParseChannel(f *testing.F) {
	for _, s := range []string{"sms", "whatsapp", "email", "call", "post", "", "SMS", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseChannel(s)
		if err != nil {
			if c != 0 && !errors.Is(err, ErrChannel) {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if c.String() != s || !c.Valid() {
			t.Fatalf("%q parsed as %v", s, c)
		}
	})
}

func FuzzStatementJSON(f *testing.F) {
	f.Add(`{"channel":"sms","purpose":"marketing","state":"granted","basis":"consent","source":"desk","evidence":{"notice":"v1"}}`)
	f.Add(`{"channel":"post","purpose":"x_1","state":"denied","basis":"contract","source":"import"}`)
	f.Add(`{"state":"","basis":7}`)
	f.Fuzz(func(t *testing.T, s string) {
		var st Statement
		if json.Unmarshal([]byte(s), &st) != nil || st.Validate() != nil {
			return
		}
		b, err := json.Marshal(st)
		if err != nil {
			t.Fatalf("a valid statement does not marshal: %v", err)
		}
		var back Statement
		if err := json.Unmarshal(b, &back); err != nil || back != st {
			t.Fatalf("round trip: %v, %+v != %+v", err, back, st)
		}
	})
}

func TestToken(t *testing.T) {
	for _, s := range []string{"a", "marketing", "pos_venda_2", strings.Repeat("z", MaxToken)} {
		assert.True(t, Token(s), s)
	}
	for _, s := range []string{"", "_a", "A", "a-b", "a b", "ã", strings.Repeat("z", MaxToken+1)} {
		assert.False(t, Token(s), s)
	}
}
