// Package consent holds what a dealership needs to show, for every message
// it sends, that it may send it (LGPD, Lei 13.709/2018, art. 7 and 8): a
// statement of consent or of another legal basis, per channel and
// purpose, with when, from where and on what evidence it was given; the
// rule that derives the current state from a ledger of statements; and the
// decision a sending system asks for. The storage contract keeps the
// ledger (storage.Store.RecordConsent, MayContact, Reachable).
//
// The decision errs on the side of "no": no statement for a channel and
// purpose means no, a withdrawal or denial means no, and a granted
// channel still skips every address on the tenant's suppression list.
package consent

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/fichacrm/ficha/internal/fold"
	"github.com/fichacrm/ficha/validation"
)

// Channel is a way of reaching a person.
type Channel uint8

// The channels.
const (
	SMS      Channel = iota + 1 // text messages to a mobile phone
	WhatsApp                    // WhatsApp messages to a phone
	Email                       // e-mail
	Call                        // a phone call
	Post                        // letters to a postal address
)

var channelNames = [...]string{"", "sms", "whatsapp", "email", "call", "post"}

// Channels returns every channel, in order.
func Channels() []Channel { return []Channel{SMS, WhatsApp, Email, Call, Post} }

// String returns the channel's name: "sms", "whatsapp", "email", "call" or
// "post"; "" for a channel that is none of them.
func (c Channel) String() string { return name(channelNames[:], int(c)) }

// MarshalText implements [encoding.TextMarshaler].
func (c Channel) MarshalText() ([]byte, error) { return text(channelNames[:], int(c), ErrChannel) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (c *Channel) UnmarshalText(b []byte) error {
	return parse(channelNames[:], b, (*uint8)(c), ErrChannel)
}

// ParseChannel parses a channel's name.
func ParseChannel(s string) (Channel, error) {
	var c Channel
	err := c.UnmarshalText([]byte(s))
	if err == nil && c == 0 {
		err = ErrChannel
	}
	return c, err
}

// Valid reports whether c is one of the channels.
func (c Channel) Valid() bool { return c >= SMS && c <= Post }

// Address is what kind of address a channel sends to.
type Address uint8

// The kinds of address.
const (
	PhoneAddress  Address = iota + 1 // a phone number (SMS, WhatsApp, calls)
	EmailAddress                     // an e-mail address
	PostalAddress                    // a postal address
)

// Address returns the kind of address the channel sends to.
func (c Channel) Address() Address {
	switch c {
	case SMS, WhatsApp, Call:
		return PhoneAddress
	case Email:
		return EmailAddress
	case Post:
		return PostalAddress
	}
	return 0
}

// State is what a statement says about a channel and purpose.
type State uint8

// The states.
const (
	Granted   State = iota + 1 // the person agreed, or another legal basis applies
	Denied                     // the person was asked and said no
	Withdrawn                  // the person withdrew an earlier grant (opt-out)
)

var stateNames = [...]string{"", "granted", "denied", "withdrawn"}

// String returns the state's name: "granted", "denied" or "withdrawn".
func (s State) String() string { return name(stateNames[:], int(s)) }

// MarshalText implements [encoding.TextMarshaler].
func (s State) MarshalText() ([]byte, error) { return text(stateNames[:], int(s), ErrState) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (s *State) UnmarshalText(b []byte) error {
	return parse(stateNames[:], b, (*uint8)(s), ErrState)
}

// Basis is the legal basis of a processing (LGPD art. 7).
type Basis uint8

// The legal bases a dealership contacts people on.
const (
	BasisConsent            Basis = iota + 1 // art. 7 I: the person's consent
	BasisContract                            // art. 7 V: carrying out a contract (service notices, recalls of a car bought)
	BasisLegalObligation                     // art. 7 II: a legal or regulatory obligation (a safety recall)
	BasisLegitimateInterest                  // art. 7 IX: the controller's legitimate interest
)

var basisNames = [...]string{"", "consent", "contract", "legal_obligation", "legitimate_interest"}

// String returns the basis's name: "consent", "contract",
// "legal_obligation" or "legitimate_interest".
func (b Basis) String() string { return name(basisNames[:], int(b)) }

// MarshalText implements [encoding.TextMarshaler].
func (b Basis) MarshalText() ([]byte, error) { return text(basisNames[:], int(b), ErrBasis) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (b *Basis) UnmarshalText(t []byte) error {
	return parse(basisNames[:], t, (*uint8)(b), ErrBasis)
}

// Purpose is what a contact is for. The three common ones are constants;
// a host may use its own, written as a [Token].
type Purpose string

// The common purposes.
const (
	Marketing Purpose = "marketing" // offers, launches, campaigns, birthday messages
	Service   Purpose = "service"   // service notices, reminders of revisions, recalls
	Surveys   Purpose = "surveys"   // satisfaction surveys
)

// Purposes returns the common purposes.
func Purposes() []Purpose { return []Purpose{Marketing, Service, Surveys} }

// Source is where a statement was given. The common ones are constants; a
// host may use its own, written as a [Token].
type Source string

// The common sources.
const (
	AtDesk   Source = "desk"      // in person, at the dealership
	WebForm  Source = "web"       // a form on the dealership's site
	SMSReply Source = "sms_reply" // a reply to a text message ("SAIR")
	ByPhone  Source = "phone"     // on a phone call
	ByEmail  Source = "email"     // a reply or a link in an e-mail
	Import   Source = "import"    // brought from another system
)

// MaxToken is the longest purpose or source, in bytes.
const MaxToken = 40

// Token reports whether s is a well-formed purpose or source: a lower-case
// ASCII letter followed by up to MaxToken-1 lower-case letters, digits or _.
func Token(s string) bool {
	if s == "" || len(s) > MaxToken || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// Evidence is what proves a statement (LGPD art. 8 §2: the controller
// bears the burden of proving consent).
type Evidence struct {
	// Notice is the wording, or the version of the notice, the person was
	// shown: "termo-marketing-v3", or the text itself.
	Notice string `json:"notice,omitempty"`
	// Reference points to where the proof is kept: a signed form's
	// number, a web form's submission ID, an SMS's message ID.
	Reference string `json:"reference,omitempty"`
}

// MaxNotice and MaxReference bound an Evidence, in bytes.
const (
	MaxNotice    = 4000
	MaxReference = 200
)

// Statement is one statement about a person's consent for one channel and
// purpose: the unit of the ledger. The storage contract adds who it is
// about, when and by whom it was recorded.
type Statement struct {
	Channel  Channel  `json:"channel"`
	Purpose  Purpose  `json:"purpose"`
	State    State    `json:"state"`
	Basis    Basis    `json:"basis"`
	Source   Source   `json:"source"`
	Evidence Evidence `json:"evidence"`
}

// Rules of a statement.
var (
	ErrChannel   = validation.NewRule("consent.channel", "choose sms, whatsapp, email, call or post", "escolha sms, whatsapp, email, call ou post")
	ErrPurpose   = validation.NewRule("consent.purpose", "a purpose is a lower-case word of up to 40 letters, digits or _", "a finalidade é uma palavra minúscula de até 40 letras, dígitos ou _")
	ErrState     = validation.NewRule("consent.state", "choose granted, denied or withdrawn", "escolha concedido, negado ou revogado")
	ErrBasis     = validation.NewRule("consent.basis", "choose the legal basis", "escolha a base legal")
	ErrSource    = validation.NewRule("consent.source", "a source is a lower-case word of up to 40 letters, digits or _", "a origem é uma palavra minúscula de até 40 letras, dígitos ou _")
	ErrNotice    = validation.NewRule("consent.notice", "say which notice the person was shown", "informe qual termo foi apresentado ao titular")
	ErrMarketing = validation.NewRule("consent.marketing_basis", "marketing needs the person's consent", "marketing precisa do consentimento do titular")
)

// Validate checks the statement: a known channel, state and basis, a
// purpose and source written as tokens, evidence that is text, and a
// notice for every grant on the basis of consent (consent the controller
// cannot show the wording of cannot be proved). A grant for marketing must
// rest on consent: the other bases do not cover offers. It returns nil or
// a *validation.Error.
func (s Statement) Validate() error {
	var v validation.Error
	if !s.Channel.Valid() {
		v.Add("channel", ErrChannel)
	}
	if !Token(string(s.Purpose)) {
		v.Add("purpose", ErrPurpose)
	}
	if s.State < Granted || s.State > Withdrawn {
		v.Add("state", ErrState)
	}
	if s.Basis < BasisConsent || s.Basis > BasisLegitimateInterest {
		v.Add("basis", ErrBasis)
	}
	if !Token(string(s.Source)) {
		v.Add("source", ErrSource)
	}
	v.Text("evidence.notice", s.Evidence.Notice, validation.Text{Max: MaxNotice, Multiline: true}, false)
	v.Text("evidence.reference", s.Evidence.Reference, validation.Text{Max: MaxReference}, false)
	if s.State == Granted && s.Basis == BasisConsent && validation.IsBlank(s.Evidence.Notice) {
		v.Add("evidence.notice", ErrNotice)
	}
	if s.State == Granted && s.Purpose == Marketing && s.Basis != BasisConsent && s.Basis != 0 {
		v.Add("basis", ErrMarketing)
	}
	return v.Err()
}

// Current is the state a ledger derives for one person, channel and
// purpose: the latest statement (storage.ConsentEntry.Supersedes is the
// rule).
type Current struct {
	State State     `json:"state"`
	Basis Basis     `json:"basis"`
	Since time.Time `json:"since"` // when the statement was made
}

// Reason says why a decision is what it is.
type Reason uint8

// The reasons of a decision.
const (
	ReasonGranted    Reason = iota + 1 // a grant stands, and an address is not suppressed
	ReasonNoRecord                     // no statement exists for the channel and purpose
	ReasonDenied                       // the person said no
	ReasonWithdrawn                    // the person withdrew
	ReasonSuppressed                   // every address of the channel is on the suppression list
	ReasonNoAddress                    // the person has no address for the channel
	ReasonNotFound                     // no such customer or contact
)

var reasonNames = [...]string{"", "granted", "no_record", "denied", "withdrawn", "suppressed", "no_address", "not_found"}

// String returns the reason's name.
func (r Reason) String() string { return name(reasonNames[:], int(r)) }

var errReason = validation.NewRule("consent.reason", "unknown reason", "motivo desconhecido")

// MarshalText implements [encoding.TextMarshaler].
func (r Reason) MarshalText() ([]byte, error) { return text(reasonNames[:], int(r), errReason) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (r *Reason) UnmarshalText(b []byte) error {
	return parse(reasonNames[:], b, (*uint8)(r), errReason)
}

// Decision answers "may I contact this person through this channel for
// this purpose, now?".
type Decision struct {
	Allowed bool   `json:"allowed"`
	Reason  Reason `json:"reason"`
	// Basis and Since are the standing statement's, when there is one.
	Basis Basis     `json:"basis,omitzero"`
	Since time.Time `json:"since,omitzero"`
	// Addresses are the canonical phones or e-mails (or, for post, the
	// positions of the postal addresses, as "addresses[0]") the message
	// may go to: the person's addresses for the channel that are not
	// suppressed. Empty unless Allowed.
	Addresses []string `json:"addresses,omitempty"`
}

// Decide is the rule every answer follows. cur is the current state of
// the channel and purpose (nil: no statement), addresses the person's
// addresses for the channel, and suppressed reports whether one of them is
// on the suppression list. A grant on the basis of a legal obligation (a
// safety recall the law requires the dealership to announce) reaches
// every address: the suppression list records opt-outs of what the
// person may refuse.
func Decide(cur *Current, addresses []string, suppressed func(string) bool) Decision {
	if cur == nil {
		return Decision{Reason: ReasonNoRecord}
	}
	d := Decision{Basis: cur.Basis, Since: cur.Since}
	switch cur.State {
	case Granted:
	case Denied:
		d.Reason = ReasonDenied
		return d
	default:
		d.Reason = ReasonWithdrawn
		return d
	}
	if len(addresses) == 0 {
		d.Reason = ReasonNoAddress
		return d
	}
	for _, a := range addresses {
		if suppressed == nil || cur.Basis == BasisLegalObligation || !suppressed(a) {
			d.Addresses = append(d.Addresses, a)
		}
	}
	if len(d.Addresses) == 0 {
		d.Reason = ReasonSuppressed
		return d
	}
	d.Allowed, d.Reason = true, ReasonGranted
	return d
}

func name(names []string, i int) string {
	if i > 0 && i < len(names) {
		return names[i]
	}
	return ""
}

func text(names []string, i int, err error) ([]byte, error) {
	if i <= 0 || i >= len(names) {
		return nil, err
	}
	return []byte(names[i]), nil
}

func parse(names []string, b []byte, dst *uint8, err error) error {
	if len(b) == 0 {
		*dst = 0
		return nil
	}
	for i, n := range names {
		if i > 0 && n == string(b) {
			*dst = uint8(i)
			return nil
		}
	}
	return err
}

// ContactKey is how the ledger names a company's contact: the contact's
// name folded (lower case, without accents, spaces collapsed), so that
// "José  Souza" and "jose souza" are one contact. Renaming a contact in
// the record leaves its statements under the old name.
func ContactKey(contactName string) string {
	return strings.Join(strings.Fields(fold.String(contactName)), " ")
}

// Fingerprint is the key under which an address is kept on a tenant's
// suppression list: HMAC-SHA-256, under key, of the tenant, the kind of
// address and the canonical address (contact.Phone.Main().String(),
// contact.Email.String()), in hexadecimal. The list holds only
// fingerprints, so that reading it does not reveal the addresses, and the
// same address has unrelated fingerprints in two tenants. Whoever holds
// the key can test a guessed address, and phone numbers are few enough to
// guess them all: keep the key out of the database (see
// storage.Options.SuppressionKey).
func Fingerprint(key []byte, tenant string, kind Address, canonical string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(tenant))
	m.Write([]byte{0, byte(kind), 0})
	m.Write([]byte(canonical))
	return hex.EncodeToString(m.Sum(nil))
}
