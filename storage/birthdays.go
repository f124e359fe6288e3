package storage

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/date"
)

// Birthday is a birthday that falls in a range: a customer's own (from its
// birth date) or one of its contacts' (from the contact's birthday).
type Birthday struct {
	CustomerID uuid.UUID `json:"customer_id"`
	// Kind is the customer's: a company's own "birthday" is the date of
	// its foundation (its BirthDate), an anniversary to congratulate too.
	Kind     customer.Kind `json:"kind"`
	Customer string        `json:"customer"`          // the customer's name
	Contact  string        `json:"contact,omitempty"` // the contact's name; "" for the customer's own
	// ContactIndex is the contact's position among the customer's
	// contacts; -1 for the customer's own birthday.
	ContactIndex int           `json:"contact_index"`
	Month        time.Month    `json:"month"`
	Day          int           `json:"day"`
	Year         int           `json:"year,omitempty"` // the year of birth, when known
	On           date.Date     `json:"on"`             // the day in the range it is celebrated
	Phone        contact.Phone `json:"phone"`          // the customer's first phone, or the contact's
}

// Age returns how old the person turns on b.On, and whether the year of
// birth is known.
func (b Birthday) Age() (int, bool) {
	if b.Year == 0 {
		return 0, false
	}
	return b.On.Year - b.Year, true
}

// MonthDay is a day of the year as month*100+day (1225 for Christmas): the
// key birthdays are indexed by.
type MonthDay int

// MDRange is a range of days of one year, both ends included.
type MDRange struct {
	From, To MonthDay
	Year     int // the calendar year the range lies in
}

// BirthdayPosition is a place in a range's birthdays: its day, customer
// and contact (-1 for the customer).
type BirthdayPosition struct {
	MD         MonthDay
	CustomerID uuid.UUID
	Index      int
}

// BirthdayPage is one page of [Store.Birthdays].
type BirthdayPage struct {
	Items []Birthday `json:"items"`
	Next  string     `json:"next,omitempty"`
}

// MaxBirthdayRange is the longest range Birthdays takes, in days.
const MaxBirthdayRange = 366

// ErrRange is returned by Birthdays for a range that ends before it starts
// or is longer than MaxBirthdayRange days.
var ErrRange = errors.New("storage: the range ends before it starts or is too long")

// Birthdays returns the birthdays that fall from one day to another
// (both included; a range may cross the new year), of the tenant's
// customers (their birth date) and of their contacts (their birthday), in
// the order they fall, then by customer ID and contact, limit at a time
// (DefaultLimit when 0, at most MaxLimit). Someone born on 29 February is
// celebrated on 28 February in a year that has no 29th: a dealership
// would rather congratulate a day early than a day late. It returns
// ErrRange, ErrLimit, ErrCursor, ErrTenant, ErrClosed or the context's
// error.
func (s *Store) Birthdays(ctx context.Context, tenant string, from, to date.Date, limit int, cursor string) (*BirthdayPage, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return nil, err
	}
	segs, err := birthdaySegments(from, to)
	if err != nil {
		return nil, err
	}
	n, err := pageLimit(limit)
	if err != nil {
		return nil, err
	}
	scope := []byte(from.String() + to.String())
	seg, after := 0, (*BirthdayPosition)(nil)
	if cursor != "" {
		seg, after, err = s.openBirthdayCursor(cursor, tenant, scope)
		if err != nil || seg >= len(segs) {
			return nil, ErrCursor
		}
	}
	page := &BirthdayPage{}
	var segOf []int // the segment of each item
	for ; seg < len(segs) && len(page.Items) <= n; seg, after = seg+1, nil {
		rows, err := s.d.Birthdays(ctx, tenant, segs[seg], after, n+1-len(page.Items))
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			r.On = celebrated(r.Month, r.Day, segs[seg].Year)
			page.Items = append(page.Items, r)
			segOf = append(segOf, seg)
		}
	}
	if len(page.Items) > n {
		page.Items = page.Items[:n]
		last := page.Items[n-1]
		page.Next = s.sealBirthdayCursor(segOf[n-1], BirthdayPosition{MD: MonthDay(int(last.Month)*100 + last.Day), CustomerID: last.CustomerID, Index: last.ContactIndex}, tenant, scope)
	}
	return page, nil
}

// celebrated returns the day of year y a birthday on month/day falls on.
func celebrated(m time.Month, d, y int) date.Date {
	if m == time.February && d == 29 && date.DaysIn(time.February, y) == 28 {
		d = 28
	}
	return date.Date{Year: y, Month: m, Day: d}
}

// birthdaySegments splits a range of days into ranges of month-days within
// one year each, in order. In a year without 29 February, a range that
// ends on the 28th takes in the 29th.
func birthdaySegments(from, to date.Date) ([]MDRange, error) {
	if !from.IsValid() || !to.IsValid() || to.Before(from) {
		return nil, ErrRange
	}
	if days := int(to.Time(time.UTC).Sub(from.Time(time.UTC)).Hours() / 24); days >= MaxBirthdayRange {
		return nil, ErrRange
	}
	md := func(d date.Date) MonthDay { return MonthDay(int(d.Month)*100 + d.Day) }
	var segs []MDRange
	for y := from.Year; y <= to.Year; y++ {
		lo, hi := MonthDay(101), MonthDay(1231)
		if y == from.Year {
			lo = md(from)
		}
		if y == to.Year {
			hi = md(to)
		}
		if hi == 228 && date.DaysIn(time.February, y) == 28 {
			hi = 229
		}
		segs = append(segs, MDRange{From: lo, To: hi, Year: y})
	}
	return segs, nil
}

func (s *Store) sealBirthdayCursor(seg int, p BirthdayPosition, tenant string, scope []byte) string {
	payload := []byte{byte(seg)}
	payload = binary.BigEndian.AppendUint16(payload, uint16(p.MD))
	payload = append(payload, p.CustomerID[:]...)
	payload = binary.BigEndian.AppendUint32(payload, uint32(int32(p.Index)))
	// The day and month are a birth date's: hidden as a list's sort name
	// is (see hideName), under the rest of the position.
	s.hideName("birthdays", birthdayHead(payload), payload[1:3])
	return "b2." + base64.RawURLEncoding.EncodeToString(append(payload, s.birthdayMAC(payload, tenant, scope)...))
}

// birthdayHead is what of a birthday cursor's payload makes the keystream
// that hides its day and month: all but them.
func birthdayHead(payload []byte) []byte {
	return append([]byte{payload[0]}, payload[3:]...)
}

func (s *Store) birthdayMAC(payload []byte, tenant string, scope []byte) []byte {
	m := hmac.New(sha256.New, s.cursorKey)
	m.Write([]byte("birthdays\x00" + tenant + "\x00"))
	m.Write(scope)
	m.Write([]byte{0})
	m.Write(payload)
	return m.Sum(nil)[:cursorTag]
}

func (s *Store) openBirthdayCursor(c, tenant string, scope []byte) (int, *BirthdayPosition, error) {
	const size = 1 + 2 + 16 + 4 + cursorTag
	if len(c) != 3+base64.RawURLEncoding.EncodedLen(size) || c[:3] != "b2." {
		return 0, nil, ErrCursor
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(c[3:])
	if err != nil || len(b) != size || !hmac.Equal(b[size-cursorTag:], s.birthdayMAC(b[:size-cursorTag], tenant, scope)) {
		return 0, nil, ErrCursor
	}
	md := []byte{b[1], b[2]}
	s.hideName("birthdays", birthdayHead(b[:size-cursorTag]), md)
	p := &BirthdayPosition{MD: MonthDay(binary.BigEndian.Uint16(md)), CustomerID: uuid.UUID(b[3:19]),
		Index: int(int32(binary.BigEndian.Uint32(b[19:23])))}
	return int(b[0]), p, nil
}

// CompareBirthdays orders birthdays within one range: by day, customer,
// then contact (the customer's own first).
func CompareBirthdays(a, b BirthdayPosition) int {
	if a.MD != b.MD {
		return int(a.MD) - int(b.MD)
	}
	if c := compareIDs(a.CustomerID, b.CustomerID); c != 0 {
		return c
	}
	return a.Index - b.Index
}

func compareIDs(a, b uuid.UUID) int {
	for i := range a {
		if a[i] != b[i] {
			return int(a[i]) - int(b[i])
		}
	}
	return 0
}
