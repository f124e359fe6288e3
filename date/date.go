// Package date provides [Date], a calendar date without a time of day or a
// time zone: a birth date, a foundation date, a lien's payoff date.
package date

import (
	"database/sql/driver"
	"fmt"
	"strings"
	"time"

	"github.com/fichacrm/ficha/validation"
)

// Date is a calendar date. The zero value means "no date" and is how a
// missing date is stored (NULL in SQL, "" in JSON and text).
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ErrInvalid is the rule broken by text that is not a valid date in ISO
// 8601 form (YYYY-MM-DD), and by a Date that names no real day, such as
// February 30th, or lies outside years 1 to 9999: validation reports it,
// and such a date can be neither encoded nor stored. Every error of
// [Parse], [New], [Date.UnmarshalText], [Date.MarshalText] and
// [Date.Value] is ErrInvalid, and so is every error of [Date.Scan] about
// the date it reads, so that a host reaches it with errors.Is and shows
// its message (code "date.invalid", "data inválida" in Portuguese) like
// any other failed rule.
var ErrInvalid = validation.NewRule("date.invalid", "not a valid date", "data inválida")

// Of returns the date of t in t's location.
func Of(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// New returns the date y-m-d, or an error if there is no such day.
func New(y int, m time.Month, d int) (Date, error) {
	dt := Date{Year: y, Month: m, Day: d}
	if !dt.IsValid() {
		return Date{}, ErrInvalid
	}
	return dt, nil
}

// MustNew is like [New] but panics on an invalid date. It is meant for tests
// and examples.
func MustNew(y int, m time.Month, d int) Date {
	dt, err := New(y, m, d)
	if err != nil {
		panic(err)
	}
	return dt
}

// Parse parses a date written as YYYY-MM-DD.
func Parse(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, ErrInvalid
	}
	y, ok1 := atoi(s[0:4])
	m, ok2 := atoi(s[5:7])
	d, ok3 := atoi(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return Date{}, ErrInvalid
	}
	return New(y, time.Month(m), d)
}

// ParseBrazilian parses a date as people type it in Brazil: day, month
// and four-digit year separated by slashes, with or without leading zeros
// ("28/02/1975", "1/2/1975"), or the ISO form [Parse] reads
// ("1975-02-28"). Surrounding spaces are ignored. Like Parse, it returns
// [ErrInvalid] for text in neither form and for a day that does not exist.
func ParseBrazilian(s string) (Date, error) {
	s = strings.Trim(s, " \t")
	if len(s) == 10 && s[4] == '-' {
		return Parse(s)
	}
	day, rest, ok1 := strings.Cut(s, "/")
	month, year, ok2 := strings.Cut(rest, "/")
	if !ok1 || !ok2 || len(day) < 1 || len(day) > 2 || len(month) < 1 || len(month) > 2 || len(year) != 4 {
		return Date{}, ErrInvalid
	}
	d, ok1 := atoi(day)
	m, ok2 := atoi(month)
	y, ok3 := atoi(year)
	if !ok1 || !ok2 || !ok3 {
		return Date{}, ErrInvalid
	}
	return New(y, time.Month(m), d)
}

func atoi(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// IsZero reports whether d is the zero date, meaning "no date".
func (d Date) IsZero() bool { return d == Date{} }

// IsValid reports whether d names a real day between years 1 and 9999.
func (d Date) IsValid() bool {
	if d.Year < 1 || d.Year > 9999 || d.Month < 1 || d.Month > 12 || d.Day < 1 {
		return false
	}
	return d.Day <= DaysIn(d.Month, d.Year)
}

// DaysIn returns the number of days of month m in year y. A year of 0 stands
// for an unknown year, in which February has 29 days.
func DaysIn(m time.Month, y int) int {
	switch m {
	case time.February:
		if y == 0 || (y%4 == 0 && (y%100 != 0 || y%400 == 0)) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// Time returns midnight of d in loc.
func (d Date) Time(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// Before reports whether d comes before e.
func (d Date) Before(e Date) bool { return d.compare(e) < 0 }

// After reports whether d comes after e.
func (d Date) After(e Date) bool { return d.compare(e) > 0 }

func (d Date) compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return d.Year - e.Year
	case d.Month != e.Month:
		return int(d.Month - e.Month)
	}
	return d.Day - e.Day
}

// String returns d as YYYY-MM-DD, or "" for the zero date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Format returns d as Brazilians write it, DD/MM/YYYY, or "" for the zero
// date.
func (d Date) Format() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d/%02d/%04d", d.Day, d.Month, d.Year)
}

// MarshalText implements [encoding.TextMarshaler]. A non-zero date that
// is not valid returns [ErrInvalid]: what is written can always be read.
func (d Date) MarshalText() ([]byte, error) {
	if !d.IsZero() && !d.IsValid() {
		return nil, ErrInvalid
	}
	return []byte(d.String()), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler]. Empty text is the
// zero date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Value implements [driver.Valuer]: the zero date is NULL, any other date a
// YYYY-MM-DD string.
// A non-zero date that is not valid returns [ErrInvalid], so that no
// database is handed a day that does not exist.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	if !d.IsValid() {
		return nil, ErrInvalid
	}
	return d.String(), nil
}

// Scan implements [sql.Scanner] for NULL, time.Time, string and []byte.
// A value that is no date between years 1 and 9999 returns [ErrInvalid];
// a value of another type, which says the column is not a date, returns
// an error that is not a rule.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case time.Time:
		dt := Of(v)
		if !dt.IsValid() {
			return ErrInvalid
		}
		*d = dt
		return nil
	case string:
		return d.scanText(v)
	case []byte:
		return d.scanText(string(v))
	}
	return fmt.Errorf("date: cannot scan %T", src)
}

func (d *Date) scanText(s string) error {
	if len(s) > 10 { // a driver may hand back a timestamp
		s = s[:10]
	}
	return d.UnmarshalText([]byte(s))
}
