package storage

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/agenda"
	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/consent"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/reference"
)

// ExportSchema names the format of [Export], written in its "schema"
// member. A later format that changes the meaning of a member gets a new
// name; members may be added under the same one. The format is documented
// member by member in the types below, and as a JSON Schema in package
// lgpd (lgpd.JSONSchema).
const ExportSchema = "ficha.export/v1"

// Subject is the person a data subject's request is about: their CPF (or
// a company's CNPJ), and, for a person the tenant may know only as
// someone else's contact or reference, phones and e-mails to look for.
type Subject struct {
	TaxID  customer.TaxID  `json:"tax_id"`
	Phones []contact.Phone `json:"phones,omitempty"`
	Emails []contact.Email `json:"emails,omitempty"`
}

// Export is everything a tenant holds about one person (LGPD art. 18 II
// and V: access and portability): each record that holds their CPF,
// whole, with its consent ledger, attendances, agenda and change log; and
// the places where their phones or e-mails appear in other records, with
// only what those places say of them.
type Export struct {
	Schema      string    `json:"schema"` // ExportSchema
	Tenant      string    `json:"tenant"`
	GeneratedAt time.Time `json:"generated_at"`
	// Subject is what was looked for: the CPF asked for, and the phones
	// and e-mails given or found in the person's own records.
	Subject     Subject        `json:"subject"`
	Records     []ExportRecord `json:"records"`
	Appearances []Appearance   `json:"appearances"`
	// Suppressed lists the person's addresses that are on the tenant's
	// suppression list, by channel.
	Suppressed []SuppressedAddress `json:"suppressed"`
}

// ExportRecord is one of the person's own records, whole.
type ExportRecord struct {
	Customer    *customer.Customer      `json:"customer"`
	Consents    []ConsentEntry          `json:"consents"`
	Standing    []ConsentState          `json:"standing"` // the states the ledger derives
	Attendances []attendance.Attendance `json:"attendances"`
	Agenda      []agenda.Item           `json:"agenda"`
	History     []Change                `json:"history"` // newest first
}

// The roles an [Appearance] names.
const (
	AsContact   = "contact"            // the person is a contact of the record
	AsReference = "personal_reference" // the person is a personal reference of the record
	AsAddress   = "address"            // the record lists one of the person's phones or e-mails as its own
)

// Appearance is a place in another record where the person's phone (the
// same number and extension) or e-mail appears. It carries the record's ID
// and what that place holds, never the rest of the other record: for a
// contact or a reference under the person's first name (the name on their
// own record), the entry itself, which is about them; for an entry under
// another name, or a record that lists the address as its own (a
// relative, a colleague on the same switchboard, or a duplicate record
// without the CPF), only the matching address, for the dealership to
// review.
type Appearance struct {
	CustomerID uuid.UUID           `json:"customer_id"`
	Role       string              `json:"role"`
	Path       string              `json:"path"`    // "contacts[1]", "personal_references[0]", "phones[0]"
	Matched    []string            `json:"matched"` // the person's addresses that matched
	Contact    *contact.Contact    `json:"contact,omitempty"`
	Reference  *reference.Personal `json:"reference,omitempty"`
}

// SuppressedAddress is one of the person's addresses on the suppression
// list of a channel.
type SuppressedAddress struct {
	Channel consent.Channel `json:"channel"`
	Address string          `json:"address"`
}

// exportLimit is the most records one look-up of the export reads.
const exportLimit = MaxLimit

// Export gathers everything the tenant holds about the person s
// describes: the records holding s.TaxID (usually one), each whole with
// its consent ledger, attendances, agenda items and change log; and, by
// the phones and e-mails of s and of those records, every place in other
// records that names the person as a contact, a personal reference, or
// lists one of their addresses, without the rest of those records. The
// look-ups are by index. Render it with package lgpd, or as JSON.
//
// It returns ErrInvalid when s names neither a tax ID nor an address,
// ErrTenant, ErrClosed or the context's error. A person the tenant does not
// know gets an export with no records and no appearances.
func (s *Store) Export(ctx context.Context, tenant string, subj Subject) (*Export, error) {
	if err := s.begin(ctx, tenant); err != nil {
		return nil, err
	}
	if subj.TaxID.IsZero() && len(subj.Phones) == 0 && len(subj.Emails) == 0 {
		return nil, fmt.Errorf("%w: the subject needs a CPF, a CNPJ, a phone or an e-mail", ErrInvalid)
	}
	e := &Export{Schema: ExportSchema, Tenant: tenant, GeneratedAt: Timestamp(s.now()),
		Records: []ExportRecord{}, Appearances: []Appearance{}, Suppressed: []SuppressedAddress{}}
	phones := map[string]bool{}
	emails := map[string]bool{}
	for _, p := range subj.Phones {
		phones[p.String()] = true
	}
	for _, m := range subj.Emails {
		emails[m.String()] = true
	}
	own := map[uuid.UUID]bool{}
	var names []string
	if !subj.TaxID.IsZero() {
		found, err := s.findAll(ctx, tenant, customer.Term{Field: customer.FieldTaxID, Value: subj.TaxID.String()})
		if err != nil {
			return nil, err
		}
		for _, id := range found {
			rec, err := s.exportRecord(ctx, tenant, id)
			if err != nil {
				return nil, err
			}
			if rec == nil {
				continue
			}
			own[id] = true
			e.Records = append(e.Records, *rec)
			if n := firstName(rec.Customer.Name); n != "" && !slices.Contains(names, n) {
				names = append(names, n)
			}
			for _, p := range rec.Customer.Phones {
				phones[p.String()] = true
			}
			for _, m := range rec.Customer.Emails {
				emails[m.String()] = true
			}
		}
	}
	e.Subject = Subject{TaxID: subj.TaxID}
	for _, p := range sortedKeys(phones) {
		if ph, err := contact.ParsePhone(p); err == nil {
			e.Subject.Phones = append(e.Subject.Phones, ph)
		}
	}
	for _, m := range sortedKeys(emails) {
		if em, err := contact.ParseEmail(m); err == nil {
			e.Subject.Emails = append(e.Subject.Emails, em)
		}
	}

	var terms []customer.Term
	mains := map[string]bool{}
	for _, p := range e.Subject.Phones {
		mains[p.Main().String()] = true
	}
	for _, p := range sortedKeys(mains) {
		terms = append(terms, customer.Term{Field: customer.FieldPhone, Value: p}, customer.Term{Field: customer.FieldReference, Value: p})
	}
	for _, m := range sortedKeys(emails) {
		terms = append(terms, customer.Term{Field: customer.FieldEmail, Value: m})
	}
	others := map[uuid.UUID]bool{}
	var order []uuid.UUID
	for _, t := range terms {
		found, err := s.findAll(ctx, tenant, t)
		if err != nil {
			return nil, err
		}
		for _, id := range found {
			if !own[id] && !others[id] {
				others[id] = true
				order = append(order, id)
			}
		}
	}
	slices.SortFunc(order, func(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) })
	for _, id := range order {
		c, err := s.d.Get(ctx, tenant, id)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		e.Appearances = append(e.Appearances, appearancesIn(c, phones, emails, names)...)
	}

	for _, ch := range consent.Channels() {
		var values []string
		switch ch.Address() {
		case consent.PhoneAddress:
			values = sortedKeys(mains)
		case consent.EmailAddress:
			values = sortedKeys(emails)
		}
		if len(values) == 0 {
			continue
		}
		fps := make([]string, len(values))
		for i, v := range values {
			fps[i] = s.fingerprint(tenant, ch, v)
		}
		listed, err := s.d.Suppressed(ctx, tenant, ch, fps)
		if err != nil {
			return nil, err
		}
		for i, v := range values {
			if slices.Contains(listed, fps[i]) {
				e.Suppressed = append(e.Suppressed, SuppressedAddress{Channel: ch, Address: v})
			}
		}
	}
	return e, nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// findAll returns the IDs of every customer of the tenant with a key that
// satisfies t, reading the index page by page.
func (s *Store) findAll(ctx context.Context, tenant string, t customer.Term) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	terms := []customer.Term{t}
	var after *SearchPosition
	for {
		res, err := s.d.Search(ctx, SearchRequest{Tenant: tenant, Terms: terms, After: after, Limit: exportLimit, Budget: max(s.budget, exportLimit)})
		if err != nil {
			return nil, err
		}
		for _, f := range res.Found {
			ids = append(ids, f.ID)
		}
		switch {
		case len(res.Found) == exportLimit:
			p := SearchPositionOf(res.Found[len(res.Found)-1], terms)
			after = &p
		case res.Stopped != nil:
			after = res.Stopped
		default:
			return ids, nil
		}
	}
}

// exportRecord reads one of the person's records whole, or nil when it
// went meanwhile.
func (s *Store) exportRecord(ctx context.Context, tenant string, id uuid.UUID) (*ExportRecord, error) {
	c, err := s.d.Get(ctx, tenant, id)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	rec := &ExportRecord{Customer: c, Attendances: []attendance.Attendance{}, Agenda: []agenda.Item{}, History: []Change{}}
	if rec.Consents, err = s.d.Consents(ctx, tenant, id); err != nil {
		return nil, err
	}
	if rec.Consents == nil {
		rec.Consents = []ConsentEntry{}
	}
	rec.Standing = Standing(rec.Consents)
	cursor := ""
	for {
		page, err := s.Attendances(ctx, tenant, id, MaxLimit, cursor)
		if err != nil {
			return nil, err
		}
		rec.Attendances = append(rec.Attendances, page.Items...)
		if cursor = page.Next; cursor == "" {
			break
		}
	}
	for {
		page, err := s.Agenda(ctx, tenant, &AgendaOptions{CustomerID: id, Limit: MaxLimit, Cursor: cursor})
		if err != nil {
			return nil, err
		}
		rec.Agenda = append(rec.Agenda, page.Items...)
		if cursor = page.Next; cursor == "" {
			break
		}
	}
	// The history of the records merged into this one is the person's
	// too.
	absorbed, err := s.d.Merged(ctx, tenant, id)
	if err != nil {
		return nil, err
	}
	for _, hid := range append([]uuid.UUID{id}, absorbed...) {
		before := int64(0)
		for {
			page, err := s.History(ctx, tenant, hid, before, MaxLogLimit)
			if err != nil {
				return nil, err
			}
			rec.History = append(rec.History, page...)
			if len(page) < MaxLogLimit {
				break
			}
			before = page[len(page)-1].Seq
		}
	}
	slices.SortFunc(rec.History, func(a, b Change) int { return cmp.Compare(b.Seq, a.Seq) })
	return rec, nil
}

// appearancesIn returns the places in c that hold one of the person's
// phones (the same number and extension) or e-mails. A contact's or a
// reference's entry is included only when its name begins with the first
// word of one of names (the person's names on their own records): an
// entry under another name, which shares a line or an inbox with the
// person, is reported by the matched address alone.
func appearancesIn(c *customer.Customer, phones, emails map[string]bool, names []string) []Appearance {
	var out []Appearance
	for i, ct := range c.Contacts {
		var matched []string
		for _, p := range ct.Phones {
			if phones[p.String()] {
				matched = append(matched, p.String())
			}
		}
		if !ct.Email.IsZero() && emails[ct.Email.String()] {
			matched = append(matched, ct.Email.String())
		}
		if len(matched) > 0 {
			a := Appearance{CustomerID: c.ID, Role: AsContact, Path: fmt.Sprintf("contacts[%d]", i), Matched: matched}
			if sameFirstName(ct.Name, names) {
				ct := ct
				ct.Phones = slices.Clone(ct.Phones)
				a.Contact = &ct
			}
			out = append(out, a)
		}
	}
	for i, r := range c.PersonalReferences {
		if !r.Phone.IsZero() && phones[r.Phone.String()] {
			a := Appearance{CustomerID: c.ID, Role: AsReference, Path: fmt.Sprintf("personal_references[%d]", i),
				Matched: []string{r.Phone.String()}}
			if sameFirstName(r.Name, names) {
				r := r
				a.Reference = &r
			}
			out = append(out, a)
		}
	}
	for i, p := range c.Phones {
		if phones[p.String()] {
			out = append(out, Appearance{CustomerID: c.ID, Role: AsAddress, Path: fmt.Sprintf("phones[%d]", i), Matched: []string{p.String()}})
		}
	}
	for i, m := range c.Emails {
		if emails[m.String()] {
			out = append(out, Appearance{CustomerID: c.ID, Role: AsAddress, Path: fmt.Sprintf("emails[%d]", i), Matched: []string{m.String()}})
		}
	}
	return out
}

// firstName returns the first word of a name, folded.
func firstName(name string) string {
	f := strings.Fields(consent.ContactKey(name))
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// sameFirstName reports whether name begins with the first word of one
// of names.
func sameFirstName(name string, names []string) bool {
	first := firstName(name)
	return first != "" && slices.Contains(names, first)
}
