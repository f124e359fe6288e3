// Package contact models how to reach a customer: [Phone] numbers under
// Anatel's numbering plan, [Email] addresses, and the [Contact] people of a
// customer (name, role, phones, birthday, fleet manager, the preferred day
// and hour to call).
package contact

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/fichacrm/ficha/date"
	"github.com/fichacrm/ficha/validation"
)

// Validation rules of a contact.
var (
	ErrBirthday = validation.NewRule("birthday.invalid", "not a valid birthday", "data de aniversário inválida")
	ErrWeekday  = validation.NewRule("weekday.invalid", "not a day of the week", "dia da semana inválido")
	ErrHour     = validation.NewRule("hour.invalid", "the hour goes from 0 to 23", "a hora vai de 0 a 23")
)

// Weekday is a preferred day of the week for a call. The zero value,
// AnyDay, means no preference.
type Weekday uint8

// The days of the week, Monday first as Brazilian calendars print them.
const (
	AnyDay Weekday = iota
	Monday
	Tuesday
	Wednesday
	Thursday
	Friday
	Saturday
	Sunday
)

var weekdayNames = [...]string{"", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}

// String returns the lower-case English name, or "" for AnyDay.
func (w Weekday) String() string {
	if int(w) < len(weekdayNames) {
		return weekdayNames[w]
	}
	return "weekday(" + strconv.Itoa(int(w)) + ")"
}

// IsValid reports whether w is AnyDay or a day of the week.
func (w Weekday) IsValid() bool { return w <= Sunday }

// Time returns the [time.Weekday] of w; AnyDay has none and returns false.
func (w Weekday) Time() (time.Weekday, bool) {
	if w == AnyDay || !w.IsValid() {
		return 0, false
	}
	return time.Weekday(w % 7), true
}

// MarshalText implements [encoding.TextMarshaler]; a value that is no day
// is an error.
func (w Weekday) MarshalText() ([]byte, error) {
	if !w.IsValid() {
		return nil, ErrWeekday
	}
	return []byte(w.String()), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (w *Weekday) UnmarshalText(b []byte) error {
	for i, n := range weekdayNames {
		if n == string(b) {
			*w = Weekday(i)
			return nil
		}
	}
	return ErrWeekday
}

// Hour is an optional hour of the day, 0 to 23. The zero value is no hour;
// [At] sets one.
type Hour struct {
	h   int8
	set bool
}

// At returns the hour h. An h outside 0-23 gives an Hour that fails
// validation.
func At(h int) Hour {
	if h < -1 || h > 100 {
		h = 100
	}
	return Hour{h: int8(h), set: true}
}

// Get returns the hour and whether one is set.
func (h Hour) Get() (int, bool) { return int(h.h), h.set }

// IsValid reports whether h is unset or between 0 and 23.
func (h Hour) IsValid() bool { return !h.set || h.h >= 0 && h.h <= 23 }

// MarshalJSON encodes the hour as a number, or null when unset; an hour
// outside 0-23 is an error.
func (h Hour) MarshalJSON() ([]byte, error) {
	if !h.set {
		return []byte("null"), nil
	}
	if !h.IsValid() {
		return nil, ErrHour
	}
	return strconv.AppendInt(nil, int64(h.h), 10), nil
}

// UnmarshalJSON decodes a number from 0 to 23, or null.
func (h *Hour) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*h = Hour{}
		return nil
	}
	var n int
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	v := At(n)
	if !v.IsValid() {
		return ErrHour
	}
	*h = v
	return nil
}

// Birthday is a day and month with an optional year (0 when unknown):
// people often tell the day they celebrate and not their age.
type Birthday struct {
	Day   int        `json:"day"`
	Month time.Month `json:"month"`
	Year  int        `json:"year,omitempty"`
}

// IsZero reports whether b is unset.
func (b Birthday) IsZero() bool { return b == Birthday{} }

// IsValid reports whether b is a real day (29 February only in a leap or
// unknown year).
func (b Birthday) IsValid() bool {
	if b.Month < time.January || b.Month > time.December || b.Day < 1 || b.Year < 0 || b.Year > 9999 {
		return false
	}
	return b.Day <= date.DaysIn(b.Month, b.Year)
}

// MaxPhones is the most phones a contact (and a customer) may have.
const MaxPhones = 20

// Contact is a person to talk to at the customer, typically at a company.
type Contact struct {
	Name          string   `json:"name"`
	Role          string   `json:"role,omitempty"`
	Phones        []Phone  `json:"phones,omitempty"`
	Email         Email    `json:"email"`
	Birthday      Birthday `json:"birthday"`
	FleetManager  bool     `json:"fleet_manager,omitempty"`
	PreferredDay  Weekday  `json:"preferred_day"`
	PreferredHour Hour     `json:"preferred_hour"`
}

// Validate reports every failed field of c, with paths relative to the
// contact, given the current time (a known birth year cannot be in the
// future). It returns nil or an [*validation.Error].
func (c Contact) Validate(now time.Time) error {
	var v validation.Error
	v.Text("name", c.Name, validation.Line, true)
	v.Text("role", c.Role, validation.Line, false)
	if len(c.Phones) > MaxPhones {
		v.Add("phones", validation.ErrTooMany)
		return v.Err()
	}
	for i, p := range c.Phones {
		if p.IsZero() {
			v.Add(validation.Index("phones", i), validation.ErrRequired)
		}
	}
	if !c.Birthday.IsZero() {
		switch {
		case !c.Birthday.IsValid():
			v.Add("birthday", ErrBirthday)
		case c.Birthday.Year > 0 && date.MustNew(c.Birthday.Year, c.Birthday.Month, c.Birthday.Day).After(date.Of(now)):
			v.Add("birthday", validation.ErrFuture)
		}
	}
	if !c.PreferredDay.IsValid() {
		v.Add("preferred_day", ErrWeekday)
	}
	if !c.PreferredHour.IsValid() {
		v.Add("preferred_hour", ErrHour)
	}
	return v.Err()
}
