package storagetest

import (
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/consent"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
)

// consentClock is the clock of the stores the consent tests run on, in
// microseconds since the epoch; the tests move it.
var consentClock atomic.Int64

func consentOptions() *storage.Options {
	consentClock.Store(time.Date(2031, time.March, 3, 9, 0, 0, 0, time.UTC).UnixMicro())
	return &storage.Options{Now: func() time.Time { return time.UnixMicro(consentClock.Load()).UTC() },
		SuppressionKey: []byte("a suppression key of the host's")}
}

func consentNow() time.Time { return time.UnixMicro(consentClock.Load()).UTC() }

func tick(d time.Duration) { consentClock.Add(d.Microseconds()) }

// grant is a statement of consent to channel for purpose, given at the
// desk on the third version of the notice.
func grant(ch consent.Channel, p consent.Purpose) consent.Statement {
	return consent.Statement{Channel: ch, Purpose: p, State: consent.Granted, Basis: consent.BasisConsent,
		Source: consent.AtDesk, Evidence: consent.Evidence{Notice: "termo-marketing-v3", Reference: "ficha-assinada-77"}}
}

func withdraw(ch consent.Channel, p consent.Purpose) consent.Statement {
	st := grant(ch, p)
	st.State = consent.Withdrawn
	return st
}

func stateOf(t *testing.T, s *storage.Store, tn string, id uuid.UUID, contactKey string, ch consent.Channel, p consent.Purpose) *storage.ConsentState {
	t.Helper()
	states, err := s.ConsentStatus(ctx(t), tn, id)
	require.NoError(t, err)
	for i := range states {
		if states[i].Contact == contactKey && states[i].Channel == ch && states[i].Purpose == p {
			return &states[i]
		}
	}
	return nil
}

// testConsentLedger checks that the ledger keeps every statement with its
// proof, and that the state that stands is the latest statement (by when
// it was made, not when it was recorded) for each subject, channel and
// purpose, across sequences of grants and withdrawals.
func testConsentLedger(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	c, err := s.Create(ctx(t), tn, Company(31))
	require.NoError(t, err)
	contactName := c.Contacts[0].Name
	key := consent.ContactKey(contactName)

	assert.Nil(t, stateOf(t, s, tn, c.ID, "", consent.SMS, consent.Marketing), "no statement: no state")

	actx := storage.WithActor(ctx(t), storage.Actor{ID: "att-3", Name: "Bruna", App: "desk"})
	first, err := s.RecordConsent(actx, tn, storage.ConsentEntry{CustomerID: c.ID, Statement: grant(consent.SMS, consent.Marketing)})
	require.NoError(t, err)
	require.Len(t, first, 1)
	assert.NotEqual(t, uuid.Nil, first[0].ID)
	// Compared as numbers, so that a failure shows both (CI saw this fail
	// once, on the replica's run, without saying by how much).
	assert.Equal(t, consentNow().UnixMicro(), first[0].At.UnixMicro(), "made now when no time is given")
	assert.Equal(t, consentNow().UnixMicro(), first[0].RecordedAt.UnixMicro())
	assert.Equal(t, "Bruna", first[0].Actor.Name)

	tick(time.Hour)
	_, err = s.RecordConsent(ctx(t), tn, storage.ConsentEntry{CustomerID: c.ID, Statement: withdraw(consent.SMS, consent.Marketing)})
	require.NoError(t, err)
	st := stateOf(t, s, tn, c.ID, "", consent.SMS, consent.Marketing)
	require.NotNil(t, st)
	assert.Equal(t, consent.Withdrawn, st.State, "the later statement stands")

	// A paper form signed before the withdrawal, recorded after it, does
	// not bring the grant back.
	tick(time.Hour)
	late := grant(consent.SMS, consent.Marketing)
	late.Source = consent.Import
	_, err = s.RecordConsent(ctx(t), tn, storage.ConsentEntry{CustomerID: c.ID, Statement: late, At: consentNow().Add(-90 * time.Minute)})
	require.NoError(t, err)
	assert.Equal(t, consent.Withdrawn, stateOf(t, s, tn, c.ID, "", consent.SMS, consent.Marketing).State)

	// A new grant made now stands again; other channels and purposes and
	// the contact are separate subjects.
	tick(time.Hour)
	_, err = s.RecordConsent(ctx(t), tn,
		storage.ConsentEntry{CustomerID: c.ID, Statement: grant(consent.SMS, consent.Marketing)},
		storage.ConsentEntry{CustomerID: c.ID, Statement: grant(consent.Email, consent.Surveys)},
		storage.ConsentEntry{CustomerID: c.ID, Contact: "  " + contactName + " ", Statement: withdraw(consent.WhatsApp, consent.Service)},
		storage.ConsentEntry{CustomerID: c.ID, Statement: grant(consent.Call, "revisao_gratuita")})
	require.NoError(t, err)
	assert.Equal(t, consent.Granted, stateOf(t, s, tn, c.ID, "", consent.SMS, consent.Marketing).State)
	assert.Equal(t, consent.Granted, stateOf(t, s, tn, c.ID, "", consent.Email, consent.Surveys).State)
	assert.Equal(t, consent.Withdrawn, stateOf(t, s, tn, c.ID, key, consent.WhatsApp, consent.Service).State, "the contact is named by its key")
	assert.Equal(t, consent.Granted, stateOf(t, s, tn, c.ID, "", consent.Call, "revisao_gratuita").State, "host-defined purposes")
	assert.Nil(t, stateOf(t, s, tn, c.ID, "", consent.WhatsApp, consent.Service), "the contact's statement is not the customer's")

	ledger, err := s.Consents(ctx(t), tn, c.ID)
	require.NoError(t, err)
	require.Len(t, ledger, 7, "nothing is rewritten: every statement stays")
	for i := 1; i < len(ledger); i++ {
		assert.False(t, ledger[i-1].Supersedes(&ledger[i]), "oldest first")
	}
	assert.Equal(t, "termo-marketing-v3", ledger[0].Evidence.Notice)
	assert.Equal(t, "ficha-assinada-77", ledger[0].Evidence.Reference)
	assert.Equal(t, consent.AtDesk, ledger[0].Source)
	assert.Equal(t, consent.BasisConsent, ledger[0].Basis)

	// Two statements made at the same instant: the one recorded with the
	// greater ID stands, on every adapter.
	tick(time.Hour)
	at := consentNow()
	pair, err := s.RecordConsent(ctx(t), tn,
		storage.ConsentEntry{CustomerID: c.ID, Statement: withdraw(consent.Post, consent.Marketing), At: at},
		storage.ConsentEntry{CustomerID: c.ID, Statement: grant(consent.Post, consent.Marketing), At: at})
	require.NoError(t, err)
	winner := pair[0]
	if pair[1].Supersedes(&pair[0]) {
		winner = pair[1]
	}
	assert.Equal(t, winner.ID, stateOf(t, s, tn, c.ID, "", consent.Post, consent.Marketing).Entry)
}

// testConsentRefusals checks that bad statements are refused with
// ErrInvalid and change nothing, and that an unknown customer, contact or
// another tenant's customer are refused.
func testConsentRefusals(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	c, err := s.Create(ctx(t), tn, Company(32))
	require.NoError(t, err)
	noNotice := grant(consent.SMS, consent.Marketing)
	noNotice.Evidence.Notice = "  "
	contractMarketing := grant(consent.Email, consent.Marketing)
	contractMarketing.Basis = consent.BasisContract
	badPurpose := grant(consent.SMS, "Marketing!")
	badChannel := grant(0, consent.Marketing)
	badText := grant(consent.SMS, consent.Marketing)
	badText.Evidence.Reference = "ref\x00"
	for name, st := range map[string]consent.Statement{"no notice": noNotice, "marketing on contract": contractMarketing,
		"purpose": badPurpose, "channel": badChannel, "text": badText} {
		_, err := s.RecordConsent(ctx(t), tn,
			storage.ConsentEntry{CustomerID: c.ID, Statement: grant(consent.Call, consent.Service)},
			storage.ConsentEntry{CustomerID: c.ID, Statement: st})
		require.ErrorIs(t, err, storage.ErrInvalid, name)
	}
	_, err = s.RecordConsent(ctx(t), tn, storage.ConsentEntry{CustomerID: c.ID, Statement: grant(consent.SMS, consent.Marketing),
		At: consentNow().Add(time.Hour)})
	require.ErrorIs(t, err, storage.ErrInvalid, "a statement from the future")
	_, err = s.RecordConsent(ctx(t), tn, storage.ConsentEntry{CustomerID: c.ID, Contact: "Ninguém", Statement: grant(consent.SMS, consent.Marketing)})
	require.ErrorIs(t, err, storage.ErrInvalid, "a contact the record does not have")
	_, err = s.RecordConsent(ctx(t), tn, storage.ConsentEntry{CustomerID: c.ID, Statement: grant(consent.SMS, consent.Marketing)},
		storage.ConsentEntry{CustomerID: uuid.New(), Statement: grant(consent.SMS, consent.Marketing)})
	require.ErrorIs(t, err, storage.ErrInvalid, "entries about two customers")
	_, err = s.RecordConsent(ctx(t), tn, storage.ConsentEntry{CustomerID: uuid.New(), Statement: grant(consent.SMS, consent.Marketing)})
	require.ErrorIs(t, err, storage.ErrNotFound)
	_, err = s.RecordConsent(ctx(t), tenant(t), storage.ConsentEntry{CustomerID: c.ID, Statement: grant(consent.SMS, consent.Marketing)})
	require.ErrorIs(t, err, storage.ErrNotFound, "another tenant's customer")

	ledger, err := s.Consents(ctx(t), tn, c.ID)
	require.NoError(t, err)
	assert.Empty(t, ledger, "no refused call left a statement")
	other, err := s.Consents(ctx(t), tenant(t), c.ID)
	require.NoError(t, err)
	assert.Empty(t, other)
	_, err = s.MayContact(ctx(t), tn, c.ID, "", 9, consent.Marketing)
	require.ErrorIs(t, err, storage.ErrInvalid)
	_, err = s.MayContactMany(ctx(t), tn, make([]uuid.UUID, storage.MaxBatch+1), consent.SMS, consent.Marketing)
	require.ErrorIs(t, err, storage.ErrInvalid)
}

// testMayContact checks the decision: no statement means no, a grant
// means yes through the subject's addresses, a withdrawal or denial means
// no, a subject without an address for the channel is a no, and the
// batch answers as the single call does.
func testMayContact(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	ind, err := s.Create(ctx(t), tn, Individual(33))
	require.NoError(t, err)
	co, err := s.Create(ctx(t), tn, Company(33))
	require.NoError(t, err)
	ask := func(id uuid.UUID, contactName string, ch consent.Channel, p consent.Purpose) consent.Decision {
		t.Helper()
		d, err := s.MayContact(ctx(t), tn, id, contactName, ch, p)
		require.NoError(t, err)
		return d
	}

	for _, p := range append(consent.Purposes(), "pos_venda") {
		for _, ch := range consent.Channels() {
			d := ask(ind.ID, "", ch, p)
			assert.False(t, d.Allowed, "no statement: no (%s, %s)", ch, p)
			assert.Equal(t, consent.ReasonNoRecord, d.Reason)
		}
	}
	assert.Equal(t, consent.ReasonNotFound, ask(uuid.New(), "", consent.SMS, consent.Marketing).Reason)
	assert.Equal(t, consent.ReasonNotFound, ask(co.ID, "Ninguém", consent.SMS, consent.Marketing).Reason)

	_, err = s.RecordConsent(ctx(t), tn, storage.ConsentEntry{CustomerID: ind.ID, Statement: grant(consent.SMS, consent.Marketing)},
		storage.ConsentEntry{CustomerID: ind.ID, Statement: grant(consent.Email, consent.Marketing)},
		storage.ConsentEntry{CustomerID: ind.ID, Statement: grant(consent.Post, consent.Marketing)})
	require.NoError(t, err)
	d := ask(ind.ID, "", consent.SMS, consent.Marketing)
	assert.True(t, d.Allowed)
	assert.Equal(t, consent.ReasonGranted, d.Reason)
	assert.Equal(t, consent.BasisConsent, d.Basis)
	assert.Equal(t, []string{ind.Phones[0].String()}, d.Addresses)
	assert.Equal(t, []string{ind.Emails[0].String()}, ask(ind.ID, "", consent.Email, consent.Marketing).Addresses)
	assert.Equal(t, consent.ReasonNoAddress, ask(ind.ID, "", consent.Post, consent.Marketing).Reason, "no postal address")
	assert.False(t, ask(ind.ID, "", consent.SMS, consent.Service).Allowed, "a grant is for its purpose only")
	assert.False(t, ask(ind.ID, "", consent.WhatsApp, consent.Marketing).Allowed, "and for its channel only")

	// The company's contact has a grant of its own, and the company's
	// grant does not reach the contact.
	name := co.Contacts[0].Name
	_, err = s.RecordConsent(ctx(t), tn, storage.ConsentEntry{CustomerID: co.ID, Contact: name, Statement: grant(consent.WhatsApp, consent.Service)})
	require.NoError(t, err)
	d = ask(co.ID, name, consent.WhatsApp, consent.Service)
	assert.True(t, d.Allowed)
	assert.Equal(t, []string{co.Contacts[0].Phones[0].String()}, d.Addresses)
	assert.False(t, ask(co.ID, "", consent.WhatsApp, consent.Service).Allowed)

	denied := grant(consent.SMS, consent.Surveys)
	denied.State = consent.Denied
	_, err = s.RecordConsent(ctx(t), tn, storage.ConsentEntry{CustomerID: ind.ID, Statement: denied})
	require.NoError(t, err)
	assert.Equal(t, consent.ReasonDenied, ask(ind.ID, "", consent.SMS, consent.Surveys).Reason)
	tick(time.Minute)
	_, err = s.RecordConsent(ctx(t), tn, storage.ConsentEntry{CustomerID: ind.ID, Statement: withdraw(consent.Email, consent.Marketing)})
	require.NoError(t, err)
	assert.Equal(t, consent.ReasonWithdrawn, ask(ind.ID, "", consent.Email, consent.Marketing).Reason)

	// A customer without phones may be granted SMS, and still cannot be
	// reached by it.
	noPhone := Individual(34)
	noPhone.Phones = nil
	np, err := s.Create(ctx(t), tn, noPhone)
	require.NoError(t, err)
	_, err = s.RecordConsent(ctx(t), tn, storage.ConsentEntry{CustomerID: np.ID, Statement: grant(consent.SMS, consent.Marketing)})
	require.NoError(t, err)
	assert.Equal(t, consent.ReasonNoAddress, ask(np.ID, "", consent.SMS, consent.Marketing).Reason)

	ids := []uuid.UUID{np.ID, ind.ID, uuid.New(), co.ID, ind.ID}
	for _, ch := range consent.Channels() {
		for _, p := range consent.Purposes() {
			answers, err := s.MayContactMany(ctx(t), tn, ids, ch, p)
			require.NoError(t, err)
			require.Len(t, answers, len(ids))
			for i, a := range answers {
				assert.Equal(t, ids[i], a.CustomerID, "in the order asked")
				single := ask(ids[i], "", ch, p)
				if single.Reason == consent.ReasonNotFound {
					single.Reason = consent.ReasonNoRecord
				}
				assert.Equal(t, single, a.Decision, "batch and single call agree (%s, %s, #%d)", ch, p, i)
			}
		}
	}
}

// testSuppression checks "Cancelar SMS", opting out of everything, and
// the suppression list: an address that opted out stays suppressed for
// its channel on another record and after a re-import with an imported
// grant, until a grant made through it at the desk lifts it; and the list
// holds no address in clear.
func testSuppression(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	a, err := s.Create(ctx(t), tn, Individual(35))
	require.NoError(t, err)
	phone := a.Phones[0]
	_, err = s.RecordConsent(ctx(t), tn,
		storage.ConsentEntry{CustomerID: a.ID, Statement: grant(consent.SMS, consent.Marketing)},
		storage.ConsentEntry{CustomerID: a.ID, Statement: grant(consent.SMS, "aniversario")},
		storage.ConsentEntry{CustomerID: a.ID, Statement: grant(consent.WhatsApp, consent.Marketing)})
	require.NoError(t, err)

	tick(time.Minute)
	out, err := s.CancelSMS(ctx(t), tn, a.ID, consent.SMSReply, consent.Evidence{Reference: "sms-msg-991"})
	require.NoError(t, err)
	states := map[consent.Purpose]consent.State{}
	for _, e := range out {
		assert.Equal(t, consent.SMS, e.Channel)
		states[e.Purpose] = e.State
	}
	assert.Equal(t, map[consent.Purpose]consent.State{consent.Marketing: consent.Withdrawn, "aniversario": consent.Withdrawn,
		consent.Service: consent.Denied, consent.Surveys: consent.Denied}, states,
		"what was granted is withdrawn; the common purposes never granted are denied, not withdrawn")
	again, err := s.CancelSMS(ctx(t), tn, a.ID, consent.SMSReply, consent.Evidence{})
	require.NoError(t, err)
	require.Len(t, again, 1, "said no again")
	assert.Equal(t, consent.Denied, again[0].State)
	may := func(id uuid.UUID, ch consent.Channel, p consent.Purpose) consent.Decision {
		t.Helper()
		d, err := s.MayContact(ctx(t), tn, id, "", ch, p)
		require.NoError(t, err)
		return d
	}
	assert.False(t, may(a.ID, consent.SMS, "aniversario").Allowed)
	assert.True(t, may(a.ID, consent.WhatsApp, consent.Marketing).Allowed, "Cancelar SMS leaves WhatsApp")
	listed, err := s.IsSuppressed(ctx(t), tn, consent.SMS, phone.Format())
	require.NoError(t, err)
	assert.True(t, listed, "the phone is on the SMS list, whatever the format asked")
	listed, err = s.IsSuppressed(ctx(t), tn, consent.WhatsApp, phone.String())
	require.NoError(t, err)
	assert.False(t, listed, "and on no other channel's")
	listed, err = s.IsSuppressed(ctx(t), tenant(t), consent.SMS, phone.String())
	require.NoError(t, err)
	assert.False(t, listed, "the list is the tenant's")

	// The same number on another record, imported with a grant: still
	// suppressed.
	tick(time.Minute)
	dup := Individual(36)
	dup.Phones = []contact.Phone{phone}
	b, err := s.Create(ctx(t), tn, dup)
	require.NoError(t, err)
	imported := grant(consent.SMS, consent.Marketing)
	imported.Source = consent.Import
	_, err = s.RecordConsent(ctx(t), tn, storage.ConsentEntry{CustomerID: b.ID, Statement: imported})
	require.NoError(t, err)
	d := may(b.ID, consent.SMS, consent.Marketing)
	assert.False(t, d.Allowed)
	assert.Equal(t, consent.ReasonSuppressed, d.Reason)
	page, err := s.Reachable(ctx(t), tn, consent.SMS, consent.Marketing, 0, "")
	require.NoError(t, err)
	assert.Empty(t, page.Items, "a suppressed address is on no campaign list")

	// A second phone on the record is not suppressed and is reachable.
	two, err := s.Modify(ctx(t), tn, b.ID, func(c *customer.Customer) error {
		c.Phones = append(c.Phones, Phone(9036))
		return nil
	})
	require.NoError(t, err)
	d = may(b.ID, consent.SMS, consent.Marketing)
	assert.True(t, d.Allowed)
	assert.Equal(t, []string{two.Phones[1].String()}, d.Addresses, "only the address that did not opt out")

	// A grant made at the desk through the number lifts it.
	tick(time.Minute)
	_, err = s.RecordConsent(ctx(t), tn, storage.ConsentEntry{CustomerID: a.ID, Statement: grant(consent.SMS, consent.Marketing)})
	require.NoError(t, err)
	listed, err = s.IsSuppressed(ctx(t), tn, consent.SMS, phone.String())
	require.NoError(t, err)
	assert.False(t, listed)
	assert.True(t, may(a.ID, consent.SMS, consent.Marketing).Allowed)
	assert.False(t, may(a.ID, consent.SMS, "aniversario").Allowed, "the other purposes stay withdrawn")

	// An opt-out for a number on no record, then a record that brings it.
	stranger := Phone(9037)
	require.NoError(t, s.SuppressAddress(ctx(t), tn, consent.WhatsApp, stranger.Format(), consent.SMSReply))
	later := Individual(37)
	later.Phones = []contact.Phone{stranger}
	c, err := s.Create(ctx(t), tn, later)
	require.NoError(t, err)
	_, err = s.RecordConsent(ctx(t), tn, storage.ConsentEntry{CustomerID: c.ID, Statement: imported})
	require.NoError(t, err)
	imported.Channel = consent.WhatsApp
	_, err = s.RecordConsent(ctx(t), tn, storage.ConsentEntry{CustomerID: c.ID, Statement: imported})
	require.NoError(t, err)
	assert.True(t, may(c.ID, consent.SMS, consent.Marketing).Allowed)
	assert.Equal(t, consent.ReasonSuppressed, may(c.ID, consent.WhatsApp, consent.Marketing).Reason)
	require.ErrorIs(t, s.SuppressAddress(ctx(t), tn, consent.Post, "Rua A", consent.AtDesk), storage.ErrInvalid)
	require.ErrorIs(t, s.SuppressAddress(ctx(t), tn, consent.SMS, "não é telefone", consent.AtDesk), storage.ErrInvalid)

	// Opting out of everything withdraws every channel and purpose.
	tick(time.Minute)
	_, err = s.Withdraw(ctx(t), tn, storage.OptOut{CustomerID: a.ID})
	require.NoError(t, err)
	for _, ch := range consent.Channels() {
		for _, p := range append(consent.Purposes(), "aniversario") {
			assert.False(t, may(a.ID, ch, p).Allowed, "%s %s", ch, p)
		}
	}
	for _, e := range a.Emails {
		listed, err = s.IsSuppressed(ctx(t), tn, consent.Email, e.String())
		require.NoError(t, err)
		assert.True(t, listed)
	}
}

// testReachable checks the campaign list: every subject that may be
// reached, once, in pages, without those that may not, and the snapshot
// and the batch agree with it.
func testReachable(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	want := map[storage.ReachPosition]bool{}
	var all []uuid.UUID
	for i := range 23 {
		var c *customer.Customer
		var err error
		if i%4 == 3 {
			c, err = s.Create(ctx(t), tn, Company(40+i))
		} else {
			c, err = s.Create(ctx(t), tn, Individual(40+i))
		}
		require.NoError(t, err)
		all = append(all, c.ID)
		switch i % 3 {
		case 0:
			_, err = s.RecordConsent(ctx(t), tn, storage.ConsentEntry{CustomerID: c.ID, Statement: grant(consent.SMS, consent.Marketing)})
			want[storage.ReachPosition{CustomerID: c.ID}] = true
		case 1:
			_, err = s.RecordConsent(ctx(t), tn, storage.ConsentEntry{CustomerID: c.ID, Statement: grant(consent.SMS, consent.Service)})
		}
		require.NoError(t, err)
		if i%4 == 3 {
			_, err = s.RecordConsent(ctx(t), tn, storage.ConsentEntry{CustomerID: c.ID, Contact: c.Contacts[0].Name,
				Statement: grant(consent.SMS, consent.Marketing)})
			require.NoError(t, err)
			want[storage.ReachPosition{CustomerID: c.ID, Contact: consent.ContactKey(c.Contacts[0].Name)}] = true
		}
		if i == 6 {
			_, err = s.CancelSMS(ctx(t), tn, c.ID, consent.AtDesk, consent.Evidence{})
			require.NoError(t, err)
			delete(want, storage.ReachPosition{CustomerID: c.ID})
		}
	}
	// Another tenant's grants are not on the list.
	other := tenant(t)
	oc, err := s.Create(ctx(t), other, Individual(40))
	require.NoError(t, err)
	_, err = s.RecordConsent(ctx(t), other, storage.ConsentEntry{CustomerID: oc.ID, Statement: grant(consent.SMS, consent.Marketing)})
	require.NoError(t, err)

	got := map[storage.ReachPosition]bool{}
	var order []storage.ReachPosition
	cursor := ""
	for pages := 0; ; pages++ {
		require.Less(t, pages, 20)
		page, err := s.Reachable(ctx(t), tn, consent.SMS, consent.Marketing, 4, cursor)
		require.NoError(t, err)
		assert.LessOrEqual(t, len(page.Items), 4)
		for _, r := range page.Items {
			k := storage.ReachPosition{CustomerID: r.CustomerID, Contact: r.Contact}
			assert.False(t, got[k], "listed once")
			got[k] = true
			order = append(order, k)
			assert.True(t, r.Allowed)
			assert.NotEmpty(t, r.Addresses)
		}
		if page.Next == "" {
			break
		}
		cursor = page.Next
	}
	assert.Equal(t, want, got)
	assert.True(t, slices.IsSortedFunc(order, func(a, b storage.ReachPosition) int {
		if c := slices.Compare(a.CustomerID[:], b.CustomerID[:]); c != 0 {
			return c
		}
		return slices.Compare([]byte(a.Contact), []byte(b.Contact))
	}), "by customer ID")
	_, err = s.Reachable(ctx(t), tn, consent.SMS, consent.Service, 4, cursor)
	require.ErrorIs(t, err, storage.ErrCursor, "a cursor is bound to its channel and purpose")

	snap, err := s.LoadSnapshot(ctx(t), tn, consent.SMS, consent.Marketing)
	require.NoError(t, err)
	assert.Equal(t, len(want), snap.Len())
	answers, err := s.MayContactMany(ctx(t), tn, all, consent.SMS, consent.Marketing)
	require.NoError(t, err)
	for _, a := range answers {
		k := storage.ReachPosition{CustomerID: a.CustomerID}
		assert.Equal(t, want[k], snap.May(a.CustomerID, "").Allowed)
		assert.Equal(t, want[k], a.Allowed)
	}
}
