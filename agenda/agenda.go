// Package agenda holds scheduled contacts: a call, visit or message an
// attendant owes a customer at a time, which ends done (by the attendance
// that resolved it) or cancelled, and keeps the history of its
// rescheduling. The storage contract keeps them (storage.Store.Schedule,
// Reschedule, Complete, Cancel, Agenda, Overdue, OpenItems); NextSlot
// proposes a time from a contact's preferences.
package agenda

import (
	"time"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/validation"
)

// Status is where a scheduled contact stands.
type Status uint8

// The statuses of an agenda item.
const (
	Open Status = iota + 1
	Done
	Cancelled
)

var statusNames = [...]string{"", "open", "done", "cancelled"}

// Rules of an agenda item.
var (
	ErrStatus   = validation.NewRule("agenda.status", "choose open, done or cancelled", "escolha aberto, feito ou cancelado")
	ErrDue      = validation.NewRule("agenda.due", "choose when the contact is due", "escolha quando o contato deve ser feito")
	ErrCustomer = validation.NewRule("agenda.customer", "choose the customer", "escolha o cliente")
	ErrClosed   = validation.NewRule("agenda.closed", "this contact is done or cancelled already", "este contato já foi feito ou cancelado")
)

// String returns "open", "done" or "cancelled".
func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return ""
}

// MarshalText implements [encoding.TextMarshaler].
func (s Status) MarshalText() ([]byte, error) {
	if s == 0 || int(s) >= len(statusNames) {
		return nil, ErrStatus
	}
	return []byte(statusNames[s]), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (s *Status) UnmarshalText(b []byte) error {
	for i, n := range statusNames {
		if i > 0 && n == string(b) {
			*s = Status(i)
			return nil
		}
	}
	return ErrStatus
}

// Reschedule is one move of an item's due time.
type Reschedule struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	At   time.Time `json:"at"`           // when it was moved
	By   string    `json:"by,omitempty"` // who moved it (the write's actor)
}

// Item is a scheduled contact.
type Item struct {
	ID         uuid.UUID            `json:"id"`
	CustomerID uuid.UUID            `json:"customer_id"`
	Contact    string               `json:"contact,omitempty"` // the company's contact to talk to
	Due        time.Time            `json:"due"`
	Attendant  attendance.Attendant `json:"attendant"`
	Subject    string               `json:"subject"`
	Channel    attendance.Channel   `json:"channel,omitempty"`
	Status     Status               `json:"status"`
	Notes      string               `json:"notes,omitempty"`
	// ResolvedBy is the attendance that did the contact, once Done.
	ResolvedBy  uuid.UUID    `json:"resolved_by,omitzero"`
	Reschedules []Reschedule `json:"reschedules,omitempty"`
	Version     int64        `json:"version"`
	CreatedAt   time.Time    `json:"created_at"`
	UpdatedAt   time.Time    `json:"updated_at"`
}

// Validate checks the item: a customer and a due time given, a known
// status and channel (the channel may be left unset), and text that is
// text. It returns nil or a *validation.Error.
func (it *Item) Validate() error {
	var v validation.Error
	if it.CustomerID == uuid.Nil {
		v.Add("customer_id", ErrCustomer)
	}
	if it.Due.IsZero() {
		v.Add("due", ErrDue)
	} else if !attendance.InRange(it.Due) {
		v.Add("due", attendance.ErrTime)
	}
	if it.Status == 0 || int(it.Status) >= len(statusNames) {
		v.Add("status", ErrStatus)
	}
	if it.Channel != 0 {
		if _, err := it.Channel.MarshalText(); err != nil {
			v.Add("channel", attendance.ErrChannel)
		}
	}
	v.Text("contact", it.Contact, validation.Line, false)
	v.Text("attendant.id", it.Attendant.ID, validation.Line, false)
	v.Text("attendant.name", it.Attendant.Name, validation.Line, false)
	v.Text("subject", it.Subject, validation.Line, true)
	v.Text("notes", it.Notes, validation.Note, false)
	return v.Err()
}

// Clone returns a deep copy of it.
func (it *Item) Clone() *Item {
	c := *it
	c.Reschedules = append([]Reschedule(nil), it.Reschedules...)
	return &c
}

// NextSlot proposes when to contact someone who prefers day (0 for any)
// at hour (unset for any, then 9 o'clock, when a dealership opens): the
// first such time at or after from, on the hour, in loc (the
// dealership's zone). A day past hour on the preferred weekday moves to
// the next week. A day or hour that is none (contact.Weekday(99),
// contact.At(25)) counts as no preference, and an hour a clock change
// skips moves to the first hour that day has after it.
func NextSlot(from time.Time, day contact.Weekday, hour contact.Hour, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	h, ok := hour.Get()
	if !ok || !hour.IsValid() {
		h = 9
	}
	if !day.IsValid() {
		day = contact.AnyDay
	}
	local := from.In(loc)
	for i := 0; i < 8; i++ {
		d := local.AddDate(0, 0, i)
		slot := time.Date(d.Year(), d.Month(), d.Day(), h, 0, 0, 0, loc)
		if slot.Day() != d.Day() || slot.Hour() < h {
			// h does not exist that day (the clock jumps over it) and the
			// time fell an hour early, into the day before perhaps.
			slot = slot.Add(time.Hour)
		}
		if slot.Before(from) {
			continue
		}
		if wd, ok := day.Time(); day != 0 && ok && slot.Weekday() != wd {
			continue
		}
		return slot
	}
	return time.Date(local.Year(), local.Month(), local.Day(), h, 0, 0, 0, loc).AddDate(0, 0, 7)
}
