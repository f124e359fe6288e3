package dedupe

import (
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/consent"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/internal/fold"
	"github.com/fichacrm/ficha/reference"
	"github.com/fichacrm/ficha/validation"
)

// Side names the record a merged field's value comes from.
type Side uint8

// The sides of a merge.
const (
	Auto     Side = iota // the default rule decides
	Survivor             // the record that survives the merge (A)
	Absorbed             // the record merged into it, which goes (B)
)

// Choices says, field by field, which record's value survives a merge.
// Its keys are the paths of the record's single-valued fields: "status",
// "name", "trade_name", "tax_id", "employer", "birth_date", "notes",
// "dms_code", and "info.<key>" for each additional-information key. A field
// not named, or named with Auto, follows the default rule (see [Merge]).
// Lists (phones, e-mails, service orders, addresses, assets, references,
// cards, contacts) are always united.
type Choices map[string]Side

// Input is one record of a merge: the customer as stored, and when each
// section of it was last confirmed or changed (the store's freshness).
type Input struct {
	Customer  *customer.Customer
	Freshness attendance.Freshness
}

// The errors of Merge. Each is a validation rule with a stable code.
var (
	ErrKinds   = validation.NewRule("merge.kinds", "an individual and a company cannot be merged", "pessoa física e pessoa jurídica não podem ser unificadas")
	ErrSelf    = validation.NewRule("merge.self", "a record cannot be merged into itself", "um cadastro não pode ser unificado com ele mesmo")
	ErrChoice  = validation.NewRule("merge.choice", "unknown field or side in the merge's choices", "campo ou lado desconhecido nas escolhas da unificação")
	ErrMissing = validation.NewRule("merge.missing", "both records are needed", "os dois cadastros são necessários")
	ErrTaxIDs  = validation.NewRule("merge.tax_ids", "two records with different CPFs or CNPJs are two customers", "cadastros com CPF ou CNPJ diferentes são clientes diferentes")
)

// scalar is a single-valued field of the record.
type scalar struct {
	path    string
	section attendance.Section // the section whose freshness decides between two values
	get     func(c *customer.Customer) any
	empty   func(c *customer.Customer) bool
	set     func(dst, src *customer.Customer)
}

// scalars are the single-valued fields a caller may choose, with the
// section whose freshness decides between two values.
var scalars = []scalar{
	{"status", attendance.Profile, func(c *customer.Customer) any { return c.Status },
		func(c *customer.Customer) bool { return !c.Status.IsValid() },
		func(d, s *customer.Customer) { d.Status = s.Status }},
	{"name", attendance.Profile, func(c *customer.Customer) any { return c.Name },
		func(c *customer.Customer) bool { return validation.IsBlank(c.Name) },
		func(d, s *customer.Customer) { d.Name = s.Name }},
	{"trade_name", attendance.Profile, func(c *customer.Customer) any { return c.TradeName },
		func(c *customer.Customer) bool { return validation.IsBlank(c.TradeName) },
		func(d, s *customer.Customer) { d.TradeName = s.TradeName }},
	{"tax_id", attendance.Profile, func(c *customer.Customer) any { return c.TaxID },
		func(c *customer.Customer) bool { return c.TaxID.IsZero() },
		func(d, s *customer.Customer) { d.TaxID = s.TaxID }},
	{"employer", attendance.Profile, func(c *customer.Customer) any { return c.Employer },
		func(c *customer.Customer) bool { return validation.IsBlank(c.Employer) },
		func(d, s *customer.Customer) { d.Employer = s.Employer }},
	{"birth_date", attendance.Profile, func(c *customer.Customer) any { return c.BirthDate },
		func(c *customer.Customer) bool { return c.BirthDate.IsZero() },
		func(d, s *customer.Customer) { d.BirthDate = s.BirthDate }},
	{"notes", attendance.Profile, func(c *customer.Customer) any { return c.Notes },
		func(c *customer.Customer) bool { return validation.IsBlank(c.Notes) },
		func(d, s *customer.Customer) { d.Notes = s.Notes }},
	{"dms_code", attendance.Profile, func(c *customer.Customer) any { return c.DMSCode },
		func(c *customer.Customer) bool { return validation.IsBlank(c.DMSCode) },
		func(d, s *customer.Customer) { d.DMSCode = s.DMSCode }},
}

// Paths returns the paths a [Choices] may name, besides "info.<key>".
func Paths() []string {
	out := make([]string, len(scalars))
	for i, f := range scalars {
		out[i] = f.path
	}
	return out
}

// Merge returns the record that merging b into a leaves: a's ID, version
// and creation time, and field by field the value choose names, else the
// default rule's:
//
//   - a value beats an empty one;
//   - between two different values, a customer's beats a prospect's (the
//     status itself: a customer and a prospect merge into a customer);
//   - then the value of the record whose section (the profile; for an
//     additional-information key, the information) was confirmed or
//     changed later;
//   - then a's.
//
// Lists are united, a's entries first, without repeating what a holds
// already: the same phone or e-mail, service order, address (same CEP,
// number and complement), asset (same VIN, or same plate in either form
// when a VIN is missing), personal reference (same name and phone), bank
// account, card, or contact (same name as the consent ledger keys it). An
// entry a holds already keeps a's values and gains b's where a's are
// empty (a contact also gains b's phones, an address b's purposes); where
// both hold a value, b's stays only in the change log's record of b (a
// contact's second e-mail, say). The additional information is merged key by
// key. The result may break a limit (too many phones, say); the store's
// validation reports it. Merge returns a *validation.Error (ErrKinds,
// ErrTaxIDs, ErrSelf, ErrChoice) and changes neither input: two records
// with different CPFs or CNPJs are two customers, however alike.
func Merge(a, b Input, choose Choices) (*customer.Customer, error) {
	return merge(a, b, choose, true)
}

// merge is Merge; sameTaxID false lets b's CPF/CNPJ replace a's, as an
// import's correction does under the edit policy.
func merge(a, b Input, choose Choices, sameTaxID bool) (*customer.Customer, error) {
	var v validation.Error
	if a.Customer == nil || b.Customer == nil {
		v.Add("", ErrMissing)
		return nil, v.Err()
	}
	if a.Customer.ID != uuid.Nil && a.Customer.ID == b.Customer.ID {
		v.Add("id", ErrSelf)
	}
	if a.Customer.Kind != b.Customer.Kind {
		v.Add("kind", ErrKinds)
	}
	if sameTaxID && !a.Customer.TaxID.IsZero() && !b.Customer.TaxID.IsZero() && a.Customer.TaxID != b.Customer.TaxID {
		v.Add("tax_id", ErrTaxIDs)
	}
	for path, side := range choose {
		if side > Absorbed || !known(path) {
			v.Add("choices", ErrChoice)
			break
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	ac, bc := a.Customer, b.Customer
	out := ac.Clone()
	for _, f := range scalars {
		if pick(choose[f.path], f.empty(ac), f.empty(bc), f.get(ac) == f.get(bc), ac, bc, a.Freshness[f.section], b.Freshness[f.section]) == Absorbed {
			f.set(out, bc)
		}
	}
	if choose["status"] == Auto && (ac.Status == customer.StatusCustomer || bc.Status == customer.StatusCustomer) {
		out.Status = customer.StatusCustomer
	}
	out.Phones = unite(ac.Phones, bc.Phones, func(p contact.Phone) string { return p.String() })
	out.Emails = unite(ac.Emails, bc.Emails, func(e contact.Email) string { return e.String() })
	out.ServiceOrders = unite(ac.ServiceOrders, bc.ServiceOrders, func(s string) string { return strings.ToUpper(strings.TrimSpace(s)) })
	out.Addresses = uniteBy(ac.Addresses, bc.Addresses, sameAddress, fillAddress)
	out.Assets = uniteBy(ac.Assets, bc.Assets, sameAsset, fillAsset)
	out.PersonalReferences = uniteBy(ac.PersonalReferences, bc.PersonalReferences, samePersonal, fillPersonal)
	out.BankReferences = unite(ac.BankReferences, bc.BankReferences, func(r reference.Bank) string {
		return r.Code + "/" + r.Branch + "/" + r.Account
	})
	out.Cards = unite(ac.Cards, bc.Cards, func(c reference.Card) string { return c.String() + "/" + c.Expiry.String() })
	out.Contacts = mergeContacts(out.Contacts, bc.Contacts)
	if len(bc.Info) > 0 {
		if out.Info == nil {
			out.Info = map[string]string{}
		}
		for k, bv := range bc.Info {
			av, ok := ac.Info[k]
			if pick(choose["info."+k], !ok || av == "", bv == "", av == bv, ac, bc, a.Freshness[attendance.Info], b.Freshness[attendance.Info]) == Absorbed {
				out.Info[k] = bv
			}
		}
	}
	return out, nil
}

// known reports whether path is a field a Choices may name.
func known(path string) bool {
	if k, ok := strings.CutPrefix(path, "info."); ok {
		return k != ""
	}
	return slices.ContainsFunc(scalars, func(f scalar) bool { return f.path == path })
}

// pick applies the default rule, or the caller's choice, to one field.
func pick(choice Side, aEmpty, bEmpty, equal bool, a, b *customer.Customer, aFresh, bFresh time.Time) Side {
	switch {
	case choice != Auto:
		return choice
	case equal || bEmpty:
		return Survivor
	case aEmpty:
		return Absorbed
	case a.Status != b.Status:
		if b.Status == customer.StatusCustomer {
			return Absorbed
		}
		return Survivor
	case bFresh.After(aFresh):
		return Absorbed
	}
	return Survivor
}

// unite returns a's entries, then b's whose key a's do not hold.
func unite[T any](a, b []T, key func(T) string) []T {
	seen := make(map[string]bool, len(a)+len(b))
	out := slices.Clone(a)
	for _, x := range a {
		seen[key(x)] = true
	}
	for _, x := range b {
		if k := key(x); !seen[k] {
			seen[k] = true
			out = append(out, x)
		}
	}
	return out
}

// uniteBy returns a's entries, then b's that are the same as none before;
// an entry of b that is the same as one before fills, with fill, what that
// one leaves empty.
func uniteBy[T any](a, b []T, same func(x, y T) bool, fill func(dst *T, src T)) []T {
	out := slices.Clone(a)
	for _, y := range b {
		if i := slices.IndexFunc(out, func(x T) bool { return same(x, y) }); i >= 0 {
			fill(&out[i], y)
			continue
		}
		out = append(out, y)
	}
	return out
}

// sameAddress reports whether two addresses are the same place: the same
// CEP, number and complement.
func sameAddress(x, y address.Address) bool {
	return x.CEP == y.CEP && squeeze(x.Number) == squeeze(y.Number) && squeeze(x.Complement) == squeeze(y.Complement)
}

// fillAddress completes an address with another's parts it lacks, and its
// purposes.
func fillAddress(x *address.Address, y address.Address) {
	fillText(&x.Street, y.Street)
	fillText(&x.District, y.District)
	fillText(&x.City, y.City)
	if !x.UF.IsValid() {
		x.UF = y.UF
	}
	x.Purposes |= y.Purposes
}

// fillAsset completes an asset with another's record of the same good.
func fillAsset(x *asset.Asset, y asset.Asset) {
	fillText(&x.Description, y.Description)
	if x.Year == 0 {
		x.Year = y.Year
	}
	if x.Value.IsZero() {
		x.Value = y.Value
	}
	if x.Lien.IsZero() {
		x.Lien = y.Lien
	}
	if x.VIN.IsZero() {
		x.VIN = y.VIN
	}
	if x.Plate.IsZero() {
		x.Plate = y.Plate
	}
	if x.RENAVAM.IsZero() {
		x.RENAVAM = y.RENAVAM
	}
}

// fillPersonal completes a personal reference with another's of the same
// person.
func fillPersonal(x *reference.Personal, y reference.Personal) {
	if x.Phone.IsZero() {
		x.Phone = y.Phone
	}
	fillText(&x.Note, y.Note)
}

// squeeze folds s (case, accents) and its runs of spaces, for comparing
// what people typed.
func squeeze(s string) string { return strings.Join(strings.Fields(fold.String(s)), " ") }

// fillText sets a blank text to another.
func fillText(x *string, y string) {
	if validation.IsBlank(*x) {
		*x = y
	}
}

// sameAsset reports whether two assets are the same vehicle (by VIN or
// plate, unless their VINs differ), or the same other good (by kind and
// description).
func sameAsset(x, y asset.Asset) bool {
	switch {
	case !x.VIN.IsZero() && !y.VIN.IsZero():
		return x.VIN == y.VIN
	case !x.Plate.IsZero() && !y.Plate.IsZero():
		return x.Plate.Mercosul() == y.Plate.Mercosul()
	case x.VIN.IsZero() && y.VIN.IsZero() && x.Plate.IsZero() && y.Plate.IsZero():
		return x.Kind == y.Kind && squeeze(x.Description) == squeeze(y.Description)
	}
	return false
}

// samePersonal reports whether two personal references are one entry: the
// same name with the same phone (or one without a phone). Relatives share a
// landline, and one person has several phones: either alone would lose a
// reference.
func samePersonal(x, y reference.Personal) bool {
	if consent.ContactKey(x.Name) != consent.ContactKey(y.Name) {
		return false
	}
	return x.Phone.IsZero() || y.Phone.IsZero() || x.Phone.Main() == y.Phone.Main()
}

// mergeContacts adds b's contacts to a's: a contact a holds already (by
// the consent ledger's key of its name) gains b's phones and whatever it
// leaves empty; the others are appended.
func mergeContacts(a, b []contact.Contact) []contact.Contact {
	out := slices.Clone(a)
	for _, y := range b {
		i := slices.IndexFunc(out, func(x contact.Contact) bool { return consent.ContactKey(x.Name) == consent.ContactKey(y.Name) })
		if i < 0 {
			out = append(out, y)
			continue
		}
		x := out[i]
		x.Phones = unite(x.Phones, y.Phones, func(p contact.Phone) string { return p.String() })
		if validation.IsBlank(x.Role) {
			x.Role = y.Role
		}
		if x.Email.IsZero() {
			x.Email = y.Email
		}
		if x.Birthday.IsZero() {
			x.Birthday = y.Birthday
		}
		x.FleetManager = x.FleetManager || y.FleetManager
		if x.PreferredDay == 0 {
			x.PreferredDay = y.PreferredDay
		}
		if x.PreferredHour == (contact.Hour{}) {
			x.PreferredHour = y.PreferredHour
		}
		out[i] = x
	}
	return out
}

// Overlay returns stored updated with what row says, the way an import
// updates a known customer: each single-valued field and additional-
// information key that row holds replaces stored's, one row leaves empty
// keeps stored's (a blank cell erases nothing), lists are united as Merge
// unites them, and the status follows the default rule (a customer stays
// one); a CPF/CNPJ row holds replaces stored's, as a correction (the edit
// policy judges it). The result has stored's ID, version and times. It
// returns Merge's errors (ErrKinds when row is of the other kind).
func Overlay(stored, row *customer.Customer) (*customer.Customer, error) {
	if stored == nil || row == nil {
		var v validation.Error
		v.Add("", ErrMissing)
		return nil, v.Err()
	}
	r := row.Clone()
	if !r.Kind.IsValid() {
		// A row that does not say is of the stored record's kind.
		r.Kind = stored.Kind
	}
	r.ID = uuid.Nil
	if r.ID == stored.ID {
		r.ID = uuid.Max
	}
	choose := Choices{}
	for _, f := range scalars {
		if f.path != "status" && !f.empty(r) {
			choose[f.path] = Absorbed
		}
	}
	for k, v := range r.Info {
		if v != "" {
			choose["info."+k] = Absorbed
		}
	}
	return merge(Input{Customer: stored}, Input{Customer: r}, choose, false)
}
