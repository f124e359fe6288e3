package customer

import (
	"maps"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/date"
	"github.com/fichacrm/ficha/internal/luhn"
	"github.com/fichacrm/ficha/reference"
	"github.com/fichacrm/ficha/validation"
)

// ValidationError is the error [Customer.Validate] returns: every failed
// field with its path, code and messages. It is [validation.Error], named
// here for callers that only import this package.
type ValidationError = validation.Error

// Kind says whether a customer is a person or a company.
type Kind uint8

// The kinds of customer.
const (
	Individual Kind = iota + 1 // a natural person (pessoa física), identified by a CPF
	Company                    // a legal entity (pessoa jurídica), identified by a CNPJ
)

var kindNames = [...]string{"", "individual", "company"}

// String returns "individual" or "company".
func (k Kind) String() string { return enumName(kindNames[:], int(k)) }

// IsValid reports whether k is Individual or Company.
func (k Kind) IsValid() bool { return k == Individual || k == Company }

// MarshalText implements [encoding.TextMarshaler]: the zero Kind (not
// chosen yet) is "", and a value that is no kind is an error.
func (k Kind) MarshalText() ([]byte, error) { return enumText(kindNames[:], int(k), ErrKind) }

// UnmarshalText implements [encoding.TextUnmarshaler]; "" is the zero Kind,
// which validation reports as not chosen.
func (k *Kind) UnmarshalText(b []byte) error { return enumParse(kindNames[:], b, (*uint8)(k), ErrKind) }

// Status says whether a customer has bought from the dealership yet.
type Status uint8

// The statuses of a customer record. Each constant is named after its
// text form ("prospect", "customer"), which JSON and the databases use.
const (
	StatusProspect Status = iota + 1 // someone the dealership hopes to sell to
	StatusCustomer                   // a customer proper: has bought or been served
)

var statusNames = [...]string{"", "prospect", "customer"}

// String returns "prospect" or "customer".
func (s Status) String() string { return enumName(statusNames[:], int(s)) }

// IsValid reports whether s is StatusProspect or StatusCustomer.
func (s Status) IsValid() bool { return s == StatusProspect || s == StatusCustomer }

// MarshalText implements [encoding.TextMarshaler]: the zero Status is "",
// and a value that is no status is an error.
func (s Status) MarshalText() ([]byte, error) { return enumText(statusNames[:], int(s), ErrStatus) }

// UnmarshalText implements [encoding.TextUnmarshaler]; "" is the zero
// Status, which validation reports as not chosen.
func (s *Status) UnmarshalText(b []byte) error {
	return enumParse(statusNames[:], b, (*uint8)(s), ErrStatus)
}

func enumName(names []string, i int) string {
	if i > 0 && i < len(names) {
		return names[i]
	}
	return ""
}

// enumText encodes an enum whose names are indexed by value: 0 is "",
// and a value past the names is err.
func enumText(names []string, i int, err error) ([]byte, error) {
	if i < 0 || i >= len(names) {
		return nil, err
	}
	return []byte(names[i]), nil
}

// enumParse decodes what enumText wrote.
func enumParse(names []string, b []byte, dst *uint8, err error) error {
	for i, n := range names {
		if n == string(b) {
			*dst = uint8(i)
			return nil
		}
	}
	return err
}

// Validation rules of a customer record.
var (
	ErrKind          = validation.NewRule("customer.kind", "choose individual or company", "escolha pessoa física ou jurídica")
	ErrStatus        = validation.NewRule("customer.status", "choose prospect or customer", "escolha prospect ou cliente")
	ErrReachable     = validation.NewRule("customer.reachable", "give a phone or an e-mail to reach this prospect", "informe um telefone ou e-mail para contato")
	ErrTaxIDRequired = validation.NewRule("taxid.required", "a customer needs its CPF or CNPJ", "o cliente precisa do CPF ou CNPJ")
	ErrTaxIDKind     = validation.NewRule("taxid.kind", "an individual has a CPF and a company a CNPJ", "pessoa física tem CPF e pessoa jurídica tem CNPJ")
	ErrCode          = validation.NewRule("dms.code", "a DMS code has up to 64 letters, digits or . - / _", "um código do DMS tem até 64 letras, dígitos ou . - / _")
	ErrInfoKey       = validation.NewRule("info.key", "an additional-information key is a lower-case letter followed by up to 63 lower-case letters, digits or _", "uma chave de informação adicional é uma letra minúscula seguida de até 63 letras minúsculas, dígitos ou _")
)

// MaxCode is the longest DMS code, in bytes.
const MaxCode = 64

// The most entries each list of a record may hold: far above what a
// customer has (a fleet's vehicles and service orders included), and low
// enough that no record is costly to store, index or print.
const (
	MaxPhones        = contact.MaxPhones // also per contact
	MaxEmails        = 20
	MaxServiceOrders = 5000
	MaxAddresses     = 50
	MaxAssets        = 5000
	MaxReferences    = 20 // personal and bank references, each
	MaxCards         = 20
	MaxContacts      = 500
	MaxInfo          = 500
)

// Customer is the customer record: the profile of a person or company the
// dealership sells to or hopes to, with every sub-record an attendant keeps
// current. It is the aggregate that storage saves and loads as one.
//
// ID, Version, CreatedAt and UpdatedAt are set by storage.
type Customer struct {
	ID      uuid.UUID `json:"id"`
	Kind    Kind      `json:"kind"`
	Status  Status    `json:"status"`
	Version int64     `json:"version"`

	// The profile.
	Name      string          `json:"name"`                 // full name, or a company's legal name (razão social)
	TradeName string          `json:"trade_name,omitempty"` // a company's trade name (nome fantasia)
	TaxID     TaxID           `json:"tax_id"`               // CPF of an individual, CNPJ of a company
	Employer  string          `json:"employer,omitempty"`   // the company an individual works for
	BirthDate date.Date       `json:"birth_date"`           // date of birth, or a company's foundation
	Phones    []contact.Phone `json:"phones,omitempty"`
	Emails    []contact.Email `json:"emails,omitempty"`
	Notes     string          `json:"notes,omitempty"`

	// Keys of the customer in the host's DMS.
	DMSCode       string   `json:"dms_code,omitempty"`       // the customer's code in the DMS
	ServiceOrders []string `json:"service_orders,omitempty"` // codes of the customer's service orders in the DMS

	// Sub-records.
	Addresses          []address.Address    `json:"addresses,omitempty"`
	Assets             []asset.Asset        `json:"assets,omitempty"`
	PersonalReferences []reference.Personal `json:"personal_references,omitempty"`
	BankReferences     []reference.Bank     `json:"bank_references,omitempty"`
	Cards              []reference.Card     `json:"cards,omitempty"`
	Contacts           []contact.Contact    `json:"contacts,omitempty"`
	Info               map[string]string    `json:"info,omitempty"` // additional information by key

	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// NewID returns a new customer ID: a UUID of version 7, ordered by time so
// that new records land at the end of an index.
func NewID() uuid.UUID {
	return uuid.Must(uuid.NewV7())
}

// Validate checks the record as of now. See [Customer.ValidateAt].
func (c *Customer) Validate() error { return c.ValidateAt(time.Now()) }

// ValidateAt checks the whole record as of the time now and reports every
// failed field at once in a [*ValidationError], or returns nil. The rules:
//
//   - kind and status are set; a name is required;
//   - a prospect can be reached: it has a phone or an e-mail;
//   - a customer (StatusCustomer) has the tax ID of its kind, and any tax ID
//     given matches the kind (CPF for individuals, CNPJ for companies);
//   - dates are real days, and the birth or foundation date is not in the
//     future;
//   - no list holds more entries than its bound ([MaxPhones] and the like);
//   - every sub-record passes its own validation (addresses' CEPs agree with
//     their states, assets' years and amounts, bank check digits, ...);
//   - every identifier follows today's rules (its Check), however it was
//     decoded;
//   - every free text follows [validation.Text]: valid UTF-8, no control
//     characters, within its length, and holding no card number.
//
// No message contains the value that failed.
func (c *Customer) ValidateAt(now time.Time) error { return c.validate(now, nil, nil) }

// ValidateChange checks c as an update of old, the stored record, as of
// the time now. It is [Customer.ValidateAt], except that identifiers (CPF
// or CNPJ, phones, e-mails, CEPs, plates, VINs, RENAVAMs) that old holds
// already are not judged again by today's rules: rules apply to what is
// typed, so a record stored under older rules (a DDD since withdrawn, a
// CEP outside today's ranges) can still be saved with other changes.
//
// The same holds for an address's pairing of CEP and state: one old holds
// (the same CEP with the same UF) is not compared again with today's
// ranges.
func (c *Customer) ValidateChange(old *Customer, now time.Time) error {
	return c.validate(now, old, nil)
}

// ValidateMerge checks c, the record a merge of from into into makes, as
// [Customer.ValidateChange] checks an update: what either stored record
// holds (identifiers, and addresses' CEPs with their states) is not
// judged again by today's rules.
func (c *Customer) ValidateMerge(into, from *Customer, now time.Time) error {
	return c.validate(now, into, from)
}

// validate checks c as of now. old, when not nil, is the stored record c
// changes, and also another whose holdings count as old's (a merge's).
func (c *Customer) validate(now time.Time, old, also *Customer) error {
	var v validation.Error
	if !c.Kind.IsValid() {
		v.Add("kind", ErrKind)
	}
	if !c.Status.IsValid() {
		v.Add("status", ErrStatus)
	}
	v.Text("name", c.Name, validation.Line, true)
	v.Text("trade_name", c.TradeName, validation.Line, false)
	v.Text("employer", c.Employer, validation.Line, false)
	v.Text("notes", c.Notes, validation.Note, false)

	switch {
	case c.TaxID.IsZero():
		if c.Status == StatusCustomer {
			v.Add("tax_id", ErrTaxIDRequired)
		}
	case c.Kind == Individual && !c.TaxID.IsCPF(), c.Kind == Company && !c.TaxID.IsCNPJ():
		v.Add("tax_id", ErrTaxIDKind)
	}
	if c.Status == StatusProspect && len(c.Phones) == 0 && len(c.Emails) == 0 {
		v.Add("phones", ErrReachable)
	}
	// A list past its bound is reported as a whole; its entries are not
	// worth checking one by one.
	over := func(path string, n, max int) bool {
		if n > max {
			v.Add(path, validation.ErrTooMany)
			return true
		}
		return false
	}
	overPhones, overEmails := over("phones", len(c.Phones), MaxPhones), over("emails", len(c.Emails), MaxEmails)
	overOrders := over("service_orders", len(c.ServiceOrders), MaxServiceOrders)
	overAddresses, overAssets := over("addresses", len(c.Addresses), MaxAddresses), over("assets", len(c.Assets), MaxAssets)
	overPersonal := over("personal_references", len(c.PersonalReferences), MaxReferences)
	overBanks := over("bank_references", len(c.BankReferences), MaxReferences)
	overCards, overContacts := over("cards", len(c.Cards), MaxCards), over("contacts", len(c.Contacts), MaxContacts)
	overInfo := over("info", len(c.Info), MaxInfo)
	anyOver := overPhones || overEmails || overOrders || overAddresses || overAssets || overPersonal ||
		overBanks || overCards || overContacts || overInfo
	switch {
	case c.BirthDate.IsZero():
	case !c.BirthDate.IsValid():
		v.Add("birth_date", date.ErrInvalid)
	case c.BirthDate.After(date.Of(now)):
		v.Add("birth_date", validation.ErrFuture)
	}
	for i, p := range skipIf(overPhones, c.Phones) {
		if p.IsZero() {
			v.Add(validation.Index("phones", i), validation.ErrRequired)
		}
	}
	for i, e := range skipIf(overEmails, c.Emails) {
		if e.IsZero() {
			v.Add(validation.Index("emails", i), validation.ErrRequired)
		}
	}
	v.Add("dms_code", codeRule(c.DMSCode, false))
	for i, so := range skipIf(overOrders, c.ServiceOrders) {
		v.Add(validation.Index("service_orders", i), codeRule(so, true))
	}
	for i, a := range skipIf(overAddresses, c.Addresses) {
		err := a.Validate()
		if err != nil && (holdsPlace(old, a) || holdsPlace(also, a)) {
			// Paired under the CEP ranges of the day it was typed.
			err = validation.Without(err, address.ErrCEPMismatch)
		}
		v.Add(validation.Index("addresses", i), err)
	}
	for i, a := range skipIf(overAssets, c.Assets) {
		v.Add(validation.Index("assets", i), a.Validate(now))
	}
	for i, r := range skipIf(overPersonal, c.PersonalReferences) {
		v.Add(validation.Index("personal_references", i), r.Validate())
	}
	for i, r := range skipIf(overBanks, c.BankReferences) {
		v.Add(validation.Index("bank_references", i), r.Validate())
	}
	for i, card := range skipIf(overCards, c.Cards) {
		v.Add(validation.Index("cards", i), card.Validate())
	}
	for i, ct := range skipIf(overContacts, c.Contacts) {
		v.Add(validation.Index("contacts", i), ct.Validate(now))
	}
	if !anyOver {
		// A record with a list past its bound is refused already: its
		// identifiers are not worth parsing one by one.
		c.checkIdentifiers(&v, old, also)
	}
	for _, k := range skipIf(overInfo, slices.Sorted(maps.Keys(c.Info))) {
		path := "info." + k
		if !IsInfoKey(k) {
			v.Add("info", ErrInfoKey)
			continue
		}
		v.Text(path, c.Info[k], validation.Note, false)
	}
	return v.Err()
}

// checkIdentifiers judges every identifier of c by today's rules, except
// those old (or also) already holds. An identifier old holds at the same
// place (the common case: an update of other fields) is passed over at the
// cost of a comparison; only the others are looked up among all of old's
// and also's, and only those not found there are checked.
func (c *Customer) checkIdentifiers(v *validation.Error, old, also *Customer) {
	var held map[identifier]bool // old's and also's identifiers, made at first need
	var seen map[string]bool     // the paths v reports already
	c.eachIdentifier(old, func(id identifier, path func() string, check func() error) {
		if id.s == "" {
			return
		}
		if old != nil || also != nil {
			if held == nil {
				held = map[identifier]bool{}
				for _, o := range []*Customer{old, also} {
					if o != nil {
						o.eachIdentifier(nil, func(id identifier, _ func() string, _ func() error) { held[id] = true })
					}
				}
			}
			if held[id] {
				return
			}
		}
		if seen == nil {
			seen = map[string]bool{}
			for _, f := range v.Fields {
				seen[f.Path] = true
			}
		}
		if p := path(); !seen[p] {
			v.Add(p, check())
		}
	})
}

// holdsPlace reports whether old (which may be nil) has an address of a's
// CEP in a's state.
func holdsPlace(old *Customer, a address.Address) bool {
	if old == nil {
		return false
	}
	for _, o := range old.Addresses {
		if o.CEP == a.CEP && o.UF == a.UF {
			return true
		}
	}
	return false
}

// identifier is one identifier of a customer: its kind ("phone", "vin",
// ...) and canonical text.
type identifier struct{ kind, s string }

// eachIdentifier calls fn with every identifier of c, a function that
// makes its path and its check, passing over those that same (when not
// nil) holds at the same place.
func (c *Customer) eachIdentifier(same *Customer, fn func(id identifier, path func() string, check func() error)) {
	if same == nil {
		same = &Customer{}
	}
	at := func(list string, i int, leaf string) func() string {
		return func() string { return validation.Index(list, i) + leaf }
	}
	if c.TaxID != same.TaxID {
		fn(identifier{"tax_id", c.TaxID.String()}, func() string { return "tax_id" }, c.TaxID.Check)
	}
	for i, p := range c.Phones {
		if i >= len(same.Phones) || p != same.Phones[i] {
			fn(identifier{"phone", p.String()}, at("phones", i, ""), p.Check)
		}
	}
	for i, e := range c.Emails {
		if i >= len(same.Emails) || e != same.Emails[i] {
			fn(identifier{"email", e.String()}, at("emails", i, ""), e.Check)
		}
	}
	for i, a := range c.Addresses {
		if i >= len(same.Addresses) || a.CEP != same.Addresses[i].CEP {
			fn(identifier{"cep", a.CEP.String()}, at("addresses", i, ".cep"), a.CEP.Check)
		}
	}
	// Past the end of same's list, o is zero, which only an absent
	// identifier equals (and fn passes over those).
	for i, a := range c.Assets {
		var o asset.Asset
		if i < len(same.Assets) {
			o = same.Assets[i]
		}
		if a.VIN != o.VIN {
			fn(identifier{"vin", a.VIN.String()}, at("assets", i, ".vin"), a.VIN.Check)
		}
		if a.Plate != o.Plate {
			fn(identifier{"plate", a.Plate.String()}, at("assets", i, ".plate"), a.Plate.Check)
		}
		if a.RENAVAM != o.RENAVAM {
			fn(identifier{"renavam", a.RENAVAM.String()}, at("assets", i, ".renavam"), a.RENAVAM.Check)
		}
	}
	for i, r := range c.PersonalReferences {
		if i >= len(same.PersonalReferences) || r.Phone != same.PersonalReferences[i].Phone {
			fn(identifier{"phone", r.Phone.String()}, at("personal_references", i, ".phone"), r.Phone.Check)
		}
	}
	for i, ct := range c.Contacts {
		var o contact.Contact
		if i < len(same.Contacts) {
			o = same.Contacts[i]
		}
		for j, ph := range ct.Phones {
			if j >= len(o.Phones) || ph != o.Phones[j] {
				fn(identifier{"phone", ph.String()}, func() string { return validation.Index(validation.Index("contacts", i)+".phones", j) }, ph.Check)
			}
		}
		if ct.Email != o.Email {
			fn(identifier{"email", ct.Email.String()}, at("contacts", i, ".email"), ct.Email.Check)
		}
	}
}

// skipIf returns list, or nothing when skip is set.
func skipIf[T any](skip bool, list []T) []T {
	if skip {
		return nil
	}
	return list
}

// codeRule is the rule a DMS code breaks, or nil: ErrCode for one that is
// not a code, validation.ErrCardInText for a code made of a card number
// (the card guard of every free-text field holds for codes too).
func codeRule(s string, required bool) error {
	if !validCode(s, required) {
		return ErrCode
	}
	if luhn.ContainsCardNumber(s) {
		return validation.ErrCardInText
	}
	return nil
}

func validCode(s string, required bool) bool {
	if s == "" {
		return !required
	}
	if len(s) > MaxCode {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '.' || c == '-' || c == '/' || c == '_') {
			return false
		}
	}
	return true
}

// IsInfoKey reports whether k may key a customer's [Customer.Info]: a
// lower-case letter, then lower-case letters, digits or underscores, 64
// bytes at most. Starting with a letter, a key can never be a CPF or a card
// number. [Customer.Validate] reports any other key as [ErrInfoKey]; the
// additional-information schema (package customer/info) holds its own
// fields' keys to the same rule.
func IsInfoKey(k string) bool {
	if k == "" || len(k) > 64 || k[0] < 'a' || k[0] > 'z' {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c == '_') {
			return false
		}
	}
	return true
}

// Clone returns a deep copy of c: no slice or map of the copy is shared
// with c.
func (c *Customer) Clone() *Customer {
	if c == nil {
		return nil
	}
	d := *c
	d.Phones = cloneSlice(c.Phones)
	d.Emails = cloneSlice(c.Emails)
	d.ServiceOrders = cloneSlice(c.ServiceOrders)
	d.Addresses = cloneSlice(c.Addresses)
	d.Assets = cloneSlice(c.Assets)
	d.PersonalReferences = cloneSlice(c.PersonalReferences)
	d.BankReferences = cloneSlice(c.BankReferences)
	d.Cards = cloneSlice(c.Cards)
	d.Contacts = cloneSlice(c.Contacts)
	for i := range d.Contacts {
		d.Contacts[i].Phones = cloneSlice(d.Contacts[i].Phones)
	}
	if c.Info != nil {
		d.Info = maps.Clone(c.Info)
	}
	return &d
}

func cloneSlice[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append(make([]T, 0, len(s)), s...)
}
