// Package attendance holds what happens at the desk: an attendance (who
// served which customer, when, through what channel, for what reason, with
// what outcome, and which parts of the record were confirmed as current)
// and the record's freshness, the time each part was last confirmed or
// changed. The storage contract keeps both (storage.Store.Attend,
// Attendances, Freshness, Stale).
package attendance

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/validation"
)

// Channel is how an attendance took place.
type Channel uint8

// The channels of an attendance.
const (
	InPerson Channel = iota + 1
	Phone
	WhatsApp
	Email
	SMS
	OtherChannel
)

var channelNames = [...]string{"", "in_person", "phone", "whatsapp", "email", "sms", "other"}

// Reason is the department or reason an attendance was for.
type Reason uint8

// The reasons of an attendance.
const (
	Sales Reason = iota + 1
	Service
	Parts
	Financing
	AfterSales
	OtherReason
)

var reasonNames = [...]string{"", "sales", "service", "parts", "financing", "after_sales", "other"}

// Rules of an attendance.
var (
	ErrChannel  = validation.NewRule("attendance.channel", "choose how the customer was served", "escolha como o cliente foi atendido")
	ErrReason   = validation.NewRule("attendance.reason", "choose the department or reason", "escolha o departamento ou motivo")
	ErrCustomer = validation.NewRule("attendance.customer", "choose the customer", "escolha o cliente")
	ErrSection  = validation.NewRule("attendance.section", "this is not a part of the record", "esta não é uma parte da ficha")
	ErrFuture   = validation.NewRule("attendance.future", "an attendance cannot be in the future", "o atendimento não pode estar no futuro")
	ErrTime     = validation.NewRule("attendance.time", "this time is out of range", "esta data está fora do intervalo aceito")
)

// String returns the channel's name ("in_person", "whatsapp", ...).
func (c Channel) String() string { return name(channelNames[:], int(c)) }

// MarshalText implements [encoding.TextMarshaler].
func (c Channel) MarshalText() ([]byte, error) { return text(channelNames[:], int(c), ErrChannel) }

// UnmarshalText implements [encoding.TextUnmarshaler]; "" is the zero
// Channel, which validation reports as not chosen.
func (c *Channel) UnmarshalText(b []byte) error {
	return parse(channelNames[:], b, (*uint8)(c), ErrChannel)
}

// String returns the reason's name ("sales", "after_sales", ...).
func (r Reason) String() string { return name(reasonNames[:], int(r)) }

// MarshalText implements [encoding.TextMarshaler].
func (r Reason) MarshalText() ([]byte, error) { return text(reasonNames[:], int(r), ErrReason) }

// UnmarshalText implements [encoding.TextUnmarshaler]; "" is the zero
// Reason, which validation reports as not chosen.
func (r *Reason) UnmarshalText(b []byte) error {
	return parse(reasonNames[:], b, (*uint8)(r), ErrReason)
}

func name(names []string, i int) string {
	if i >= 0 && i < len(names) {
		return names[i]
	}
	return ""
}

func text(names []string, i int, err error) ([]byte, error) {
	if i < 0 || i >= len(names) {
		return nil, err
	}
	return []byte(names[i]), nil
}

func parse(names []string, b []byte, dst *uint8, err error) error {
	for i, n := range names {
		if n == string(b) {
			*dst = uint8(i)
			return nil
		}
	}
	return err
}

// Section is a part of the customer record, or a set of parts: what an
// attendant confirms as current, and what freshness is kept for.
type Section uint16

// The sections of the record.
const (
	Profile    Section = 1 << iota // name, tax ID, birth date, employer, notes, DMS codes, status
	Phones                         // the customer's phones
	Emails                         // the customer's e-mails
	Addresses                      // the additional addresses
	Assets                         // assets and their liens
	References                     // personal and bank references, cards
	Contacts                       // a company's contacts
	Info                           // additional information

	// AllSections is every section.
	AllSections = Profile | Phones | Emails | Addresses | Assets | References | Contacts | Info
	// ContactData is what a marketing list needs current: how to reach the
	// customer.
	ContactData = Phones | Emails | Addresses
)

var sectionNames = [...]string{"profile", "phones", "emails", "addresses", "assets", "references", "contacts", "info"}

// Each returns the single sections of s, in order.
func (s Section) Each() []Section {
	var out []Section
	for i := range sectionNames {
		if bit := Section(1) << i; s&bit != 0 {
			out = append(out, bit)
		}
	}
	return out
}

// String returns the names of the sections of s, joined by "+"
// ("phones+emails").
func (s Section) String() string {
	var parts []string
	for i, n := range sectionNames {
		if s&(1<<i) != 0 {
			parts = append(parts, n)
		}
	}
	return strings.Join(parts, "+")
}

// ParseSection reads one section's name ("phones") or several joined by
// "+".
func ParseSection(s string) (Section, error) {
	var out Section
	for part := range strings.SplitSeq(s, "+") {
		found := false
		for i, n := range sectionNames {
			if n == part {
				out |= 1 << i
				found = true
			}
		}
		if !found {
			return 0, ErrSection
		}
	}
	return out, nil
}

// MarshalText implements [encoding.TextMarshaler]: the names joined by "+";
// the zero Section is "".
func (s Section) MarshalText() ([]byte, error) {
	if s&^AllSections != 0 {
		return nil, ErrSection
	}
	return []byte(s.String()), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (s *Section) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*s = 0
		return nil
	}
	v, err := ParseSection(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// SectionOf returns the section a field of the record belongs to, by the
// path customer.Diff gives it ("phones[0]", "addresses[1].cep",
// "info.spouse_name"): the section a change to it refreshes.
func SectionOf(path string) Section {
	head := path
	if i := strings.IndexAny(path, ".["); i >= 0 {
		head = path[:i]
	}
	switch head {
	case "phones":
		return Phones
	case "emails":
		return Emails
	case "addresses":
		return Addresses
	case "assets":
		return Assets
	case "personal_references", "bank_references", "cards":
		return References
	case "contacts":
		return Contacts
	case "info":
		return Info
	}
	return Profile
}

// Attendant is who served the customer.
type Attendant struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
}

// Attendance is one time the dealership served a customer.
type Attendance struct {
	ID         uuid.UUID `json:"id"`
	CustomerID uuid.UUID `json:"customer_id"`
	// Contact is the name of the company's contact who was served.
	Contact   string    `json:"contact,omitempty"`
	At        time.Time `json:"at"` // when; the store's clock when zero
	Attendant Attendant `json:"attendant"`
	Channel   Channel   `json:"channel"`
	Reason    Reason    `json:"reason"`
	Outcome   string    `json:"outcome,omitempty"` // one line: "test drive booked"
	Notes     string    `json:"notes,omitempty"`
	// Confirmed are the sections the attendant checked with the customer
	// and found current.
	Confirmed Section `json:"confirmed,omitempty"`
	// AgendaItem is the scheduled contact this attendance resolved, if
	// any: one of the customer's agenda items. Recording the attendance
	// does not close the item; the store's Complete does, given this
	// attendance's ID.
	AgendaItem uuid.UUID `json:"agenda_item,omitzero"`
}

// Validate checks the attendance at time now: a customer, a channel and a
// reason chosen, a time not after now (a minute of clock skew allowed),
// text that is text (no control characters, no card number, within its
// length), and known sections. It returns nil or a *validation.Error.
func (a *Attendance) Validate(now time.Time) error {
	var v validation.Error
	if a.CustomerID == uuid.Nil {
		v.Add("customer_id", ErrCustomer)
	}
	if a.Channel == 0 || int(a.Channel) >= len(channelNames) {
		v.Add("channel", ErrChannel)
	}
	if a.Reason == 0 || int(a.Reason) >= len(reasonNames) {
		v.Add("reason", ErrReason)
	}
	if a.At.After(now.Add(time.Minute)) {
		v.Add("at", ErrFuture)
	} else if !InRange(a.At) {
		v.Add("at", ErrTime)
	}
	if a.Confirmed&^AllSections != 0 {
		v.Add("confirmed", ErrSection)
	}
	v.Text("contact", a.Contact, validation.Line, false)
	v.Text("attendant.id", a.Attendant.ID, validation.Line, false)
	v.Text("attendant.name", a.Attendant.Name, validation.Line, false)
	v.Text("outcome", a.Outcome, validation.Line, false)
	v.Text("notes", a.Notes, validation.Note, false)
	return v.Err()
}

// InRange reports whether t is a time the record keeps: from the year 1900
// to the year 9999, in UTC. Every adapter can store and compare those,
// and JSON can carry them.
func InRange(t time.Time) bool {
	y := t.UTC().Year()
	return y >= 1900 && y <= 9999
}

// Freshness is, for each section of a customer's record, when it was last
// confirmed at an attendance or changed by a write; a section missing has
// never been either.
type Freshness map[Section]time.Time

// Stale reports whether any of sections was last confirmed or changed
// before cutoff, or never.
func (f Freshness) Stale(sections Section, cutoff time.Time) bool {
	for _, s := range sections.Each() {
		t, ok := f[s]
		if !ok || t.Before(cutoff) {
			return true
		}
	}
	return false
}

// errNoSection is what a freshness query for no single section returns.
var errNoSection = errors.New("attendance: name exactly one section")

// Single returns s when it is exactly one section, and an error otherwise.
func (s Section) Single() (Section, error) {
	if s == 0 || s&(s-1) != 0 || s&^AllSections != 0 {
		return 0, fmt.Errorf("%w: %s", errNoSection, s)
	}
	return s, nil
}
