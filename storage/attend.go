package storage

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/customer"
)

// Attend records an attendance of one of the tenant's customers and
// returns it as stored: with a new ID unless a has one, and the store's
// clock as its time when a.At is zero. In the same transaction the
// sections a.Confirmed names become fresh as of a.At (unless they are
// fresher already), and a.At becomes the customer's last attendance if it
// is later than the one recorded. It returns an error wrapping ErrInvalid
// and the *validation.Error when a fails validation, ErrNotFound when the
// tenant has no such customer, ErrExists when the tenant has an
// attendance with a's ID, ErrAnonymised for an anonymised customer,
// ErrActor, ErrTenant, ErrClosed, or the context's
// error. An a.AgendaItem that is not one of the customer's agenda items is
// ErrInvalid; naming the item does not complete it (call Complete). The
// change log records the attendance (OpAttend), with the write's actor.
func (s *Store) Attend(ctx context.Context, tenant string, a *attendance.Attendance) (*attendance.Attendance, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return nil, err
	}
	if a == nil {
		return nil, fmt.Errorf("%w: nil attendance", ErrInvalid)
	}
	actor, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	n := *a
	now := s.now()
	if n.At.IsZero() {
		n.At = now
	}
	n.At = Timestamp(n.At)
	if err := n.Validate(now); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if n.AgendaItem != uuid.Nil {
		it, err := s.d.GetItem(ctx, tenant, n.AgendaItem)
		if errors.Is(err, ErrNotFound) || err == nil && it.CustomerID != n.CustomerID {
			return nil, fmt.Errorf("%w: the agenda item is not one of this customer's", ErrInvalid)
		}
		if err != nil {
			return nil, err
		}
	}
	if n.ID == uuid.Nil {
		n.ID = customer.NewID()
	}
	fields, err := recordChanges("attendance", nil, &n, "id", "customer_id")
	if err != nil {
		return nil, err
	}
	// The driver refuses an anonymised customer in the write's own
	// transaction (see Driver.InsertAttendance).
	change := &Change{Tenant: tenant, CustomerID: n.CustomerID, Item: n.ID, At: Timestamp(now), Actor: actor, Op: OpAttend, Fields: fields}
	if err := s.d.InsertAttendance(ctx, tenant, &n, change); err != nil {
		return nil, err
	}
	return &n, nil
}

// AttendancePage is one page of a customer's attendances.
type AttendancePage struct {
	Items []attendance.Attendance `json:"items"`
	Next  string                  `json:"next,omitempty"` // the next page's cursor; empty on the last
}

// Attendances returns the customer's attendances, newest first, limit at a
// time (DefaultLimit when 0, at most MaxLimit); cursor is the Next of the
// previous page, "" for the first. A customer with none, or another
// tenant's, has an empty list. It returns ErrLimit, ErrCursor, ErrTenant,
// ErrClosed or the context's error.
func (s *Store) Attendances(ctx context.Context, tenant string, customerID uuid.UUID, limit int, cursor string) (*AttendancePage, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return nil, err
	}
	items, next, err := page(s, "attendances", tenant, customerID[:], limit, cursor,
		func(before *Position, n int) ([]attendance.Attendance, error) {
			return s.d.Attendances(ctx, tenant, customerID, before, n)
		},
		func(a attendance.Attendance) Position { return Position{UpdatedAt: a.At, ID: a.ID} })
	if err != nil {
		return nil, err
	}
	return &AttendancePage{Items: items, Next: next}, nil
}

// Freshness returns, for each section of the customer's record, when it
// was last confirmed at an attendance or changed by a write. Creating a
// customer makes every section fresh. It returns ErrNotFound, ErrTenant,
// ErrClosed or the context's error.
func (s *Store) Freshness(ctx context.Context, tenant string, customerID uuid.UUID) (attendance.Freshness, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return nil, err
	}
	return s.d.Freshness(ctx, tenant, customerID)
}

// StaleRow is a customer whose section is stale: its summary, and when the
// section was last confirmed or changed.
type StaleRow struct {
	Summary
	Since time.Time `json:"since"`
}

// StalePage is one page of [Store.Stale].
type StalePage struct {
	Items []StaleRow `json:"items"`
	Next  string     `json:"next,omitempty"`
}

// Stale returns the tenant's customers whose section (exactly one) was
// last confirmed or changed before cutoff, stalest first, limit at a time:
// the marketing list of customers whose phones, say, nobody has confirmed
// in six months. A customer confirmed or changed while the list is paged
// leaves it. It returns ErrInvalid for a section that is not exactly one,
// ErrLimit, ErrCursor, ErrTenant, ErrClosed or the context's error.
func (s *Store) Stale(ctx context.Context, tenant string, section attendance.Section, cutoff time.Time, limit int, cursor string) (*StalePage, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return nil, err
	}
	if _, err := section.Single(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if err := checkFilter(true, true, cutoff); err != nil || cutoff.IsZero() {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, errFilter)
	}
	cutoff = Timestamp(cutoff)
	scope := binary.BigEndian.AppendUint64([]byte{byte(section), byte(section >> 8)}, uint64(micros(cutoff)))
	rows, next, err := page(s, "stale", tenant, scope, limit, cursor,
		func(after *Position, n int) ([]StaleRow, error) {
			return s.d.Stale(ctx, tenant, section, cutoff, after, n)
		},
		func(r StaleRow) Position { return Position{UpdatedAt: r.Since, ID: r.ID} })
	if err != nil {
		return nil, err
	}
	return &StalePage{Items: rows, Next: next}, nil
}

// page runs one page of a list paged by position: it reads the cursor (a
// position sealed for the same kind of list, tenant and scope), fetches one
// row more than the page holds, and seals the position of the page's last
// row as the next cursor when there is more.
func page[T any](s *Store, domain, tenant string, scope []byte, limit int, cursor string,
	fetch func(after *Position, n int) ([]T, error), at func(T) Position) ([]T, string, error) {
	n, err := pageLimit(limit)
	if err != nil {
		return nil, "", err
	}
	var after *Position
	if cursor != "" {
		p, err := s.openPosition(domain, cursor, tenant, scope)
		if err != nil {
			return nil, "", err
		}
		after = &p
	}
	rows, err := fetch(after, n+1)
	if err != nil || len(rows) <= n {
		return rows, "", err
	}
	return rows[:n], s.sealPosition(domain, at(rows[n-1]), tenant, scope), nil
}

// pageLimit turns a requested page size into the one used.
func pageLimit(limit int) (int, error) {
	switch {
	case limit < 0:
		return 0, ErrLimit
	case limit == 0:
		return DefaultLimit, nil
	}
	return min(limit, MaxLimit), nil
}

// sealPosition makes a cursor of a position in one kind of page (domain),
// bound to the tenant and to what the page is of (scope): the time, the ID
// and, for lists by name, the sort name, hidden (see hideName).
func (s *Store) sealPosition(domain string, p Position, tenant string, scope []byte) string {
	payload := binary.BigEndian.AppendUint64(nil, uint64(micros(p.UpdatedAt)))
	payload = append(payload, p.ID[:]...)
	payload = append(payload, p.SortName...)
	s.hideName(domain, payload[:24], payload[24:])
	b := append(payload, s.positionMAC(domain, payload, tenant, scope)...)
	return "p2." + base64.RawURLEncoding.EncodeToString(b)
}

// hideName XORs a cursor's sort name with a keystream made from the
// store's cursor key and the position's time and ID (head), which no two
// positions of different names share: a list by name's next-page URL,
// which reaches access logs and browser history, would otherwise carry
// the customer's name (found by the outside review). Applied twice, it
// gives the name back.
func (s *Store) hideName(domain string, head, name []byte) {
	var block []byte
	for i := range name {
		if i%sha256.Size == 0 {
			m := hmac.New(sha256.New, s.cursorKey)
			m.Write([]byte("sort name\x00" + domain + "\x00"))
			m.Write(head)
			m.Write(binary.BigEndian.AppendUint32(nil, uint32(i/sha256.Size)))
			block = m.Sum(nil)
		}
		name[i] ^= block[i%sha256.Size]
	}
}

func (s *Store) positionMAC(domain string, payload []byte, tenant string, scope []byte) []byte {
	m := hmac.New(sha256.New, s.cursorKey)
	m.Write([]byte(domain))
	m.Write([]byte{0})
	m.Write([]byte(tenant))
	m.Write([]byte{0})
	m.Write(binary.BigEndian.AppendUint32(nil, uint32(len(scope))))
	m.Write(scope)
	m.Write(payload)
	return m.Sum(nil)[:cursorTag]
}

// openPosition reads a cursor sealPosition made for the same domain,
// tenant and scope, or returns ErrCursor.
func (s *Store) openPosition(domain, c, tenant string, scope []byte) (Position, error) {
	const least, most = 8 + 16 + cursorTag, 8 + 16 + customer.MaxSortName + cursorTag
	if len(c) < 3+base64.RawURLEncoding.EncodedLen(least) || len(c) > 3+base64.RawURLEncoding.EncodedLen(most) || c[:3] != "p2." {
		return Position{}, ErrCursor
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(c[3:])
	if err != nil || len(b) < least || len(b) > most {
		return Position{}, ErrCursor
	}
	payload, tag := b[:len(b)-cursorTag], b[len(b)-cursorTag:]
	if !hmac.Equal(tag, s.positionMAC(domain, payload, tenant, scope)) {
		return Position{}, ErrCursor
	}
	name := bytes.Clone(payload[24:])
	s.hideName(domain, payload[:24], name)
	p := Position{ID: uuid.UUID(b[8:24]), SortName: string(name)}
	if us := int64(binary.BigEndian.Uint64(b[:8])); us != 0 {
		p.UpdatedAt = time.UnixMicro(us).UTC()
	}
	return p, nil
}
