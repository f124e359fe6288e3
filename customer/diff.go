package customer

import (
	"encoding/json"
	"maps"
	"slices"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/reference"
	"github.com/fichacrm/ficha/validation"
)

// Diff returns the paths of the fields that differ between two versions of
// a customer, in the form validation errors use ("name",
// "addresses[0].cep", "cards[1]", "info.spouse_name"). An element added to
// or removed from a list is reported as the element's path
// ("addresses[2]"); a card, which cannot be edited field by field, as
// "cards[i]". UpdatedAt, which storage sets, is not compared.
func Diff(old, new *Customer) []string {
	changes := Changes(old, new)
	if len(changes) == 0 {
		return nil
	}
	paths := make([]string, len(changes))
	for i, c := range changes {
		paths[i] = c.Path
	}
	return paths
}

// FieldChange is one field that differs between two versions of a
// customer: its path, as [Diff] gives it, and its old and new values as
// JSON, the form the customer's own JSON gives them (identifiers in their
// canonical form, a card as brand, BIN and last four digits, an unset
// value as its zero: "" or null). A value that is absent (the old value of
// an element added to a list, the new one of an element removed, an
// information key that was not there) is nil.
type FieldChange struct {
	Path string          `json:"path"`
	Old  json.RawMessage `json:"old,omitempty"`
	New  json.RawMessage `json:"new,omitempty"`
}

// Changes returns what differs between two versions of a customer, field by
// field, in the order and with the paths of [Diff]. Either may be an empty
// &Customer{}: the changes of a creation or a deletion.
func Changes(old, new *Customer) []FieldChange {
	var d differ
	d.cmp(old.ID != new.ID, "id", old.ID, new.ID)
	d.cmp(old.Kind != new.Kind, "kind", old.Kind, new.Kind)
	d.cmp(old.Status != new.Status, "status", old.Status, new.Status)
	d.cmp(old.Version != new.Version, "version", old.Version, new.Version)
	d.cmp(old.Name != new.Name, "name", old.Name, new.Name)
	d.cmp(old.TradeName != new.TradeName, "trade_name", old.TradeName, new.TradeName)
	d.cmp(old.TaxID != new.TaxID, "tax_id", old.TaxID, new.TaxID)
	d.cmp(old.Employer != new.Employer, "employer", old.Employer, new.Employer)
	d.cmp(old.BirthDate != new.BirthDate, "birth_date", old.BirthDate, new.BirthDate)
	list(&d, "phones", old.Phones, new.Phones, func(d *differ, p string, a, b contact.Phone) { d.cmp(a != b, p, a, b) })
	list(&d, "emails", old.Emails, new.Emails, func(d *differ, p string, a, b contact.Email) { d.cmp(a != b, p, a, b) })
	d.cmp(old.Notes != new.Notes, "notes", old.Notes, new.Notes)
	d.cmp(old.DMSCode != new.DMSCode, "dms_code", old.DMSCode, new.DMSCode)
	list(&d, "service_orders", old.ServiceOrders, new.ServiceOrders, func(d *differ, p string, a, b string) { d.cmp(a != b, p, a, b) })
	list(&d, "addresses", old.Addresses, new.Addresses, diffAddress)
	list(&d, "assets", old.Assets, new.Assets, diffAsset)
	list(&d, "personal_references", old.PersonalReferences, new.PersonalReferences, diffPersonal)
	list(&d, "bank_references", old.BankReferences, new.BankReferences, diffBank)
	list(&d, "cards", old.Cards, new.Cards, func(d *differ, p string, a, b reference.Card) { d.cmp(a != b, p, a, b) })
	list(&d, "contacts", old.Contacts, new.Contacts, diffContact)
	for _, k := range slices.Sorted(maps.Keys(unionKeys(old.Info, new.Info))) {
		ov, oin := old.Info[k]
		nv, nin := new.Info[k]
		d.cmp(ov != nv || oin != nin, "info."+k, present(ov, oin), present(nv, nin))
	}
	d.cmp(!old.CreatedAt.Equal(new.CreatedAt), "created_at", old.CreatedAt, new.CreatedAt)
	return d.changes
}

type differ struct{ changes []FieldChange }

// absent marks a value that is not there: an element past a list's end,
// a missing information key.
type absent struct{}

func (d *differ) cmp(changed bool, path string, a, b any) {
	if changed {
		d.changes = append(d.changes, FieldChange{Path: path, Old: value(a), New: value(b)})
	}
}

// value is v as JSON: nil when it is absent, and for a value that cannot
// be encoded (no valid customer holds one).
func value(v any) json.RawMessage {
	if _, ok := v.(absent); ok {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return b
}

// present is an information value, or absent when the key is not there.
func present(v string, in bool) any {
	if !in {
		return absent{}
	}
	return v
}

// list compares two lists element by element; what one has past the
// other's end is added or removed.
func list[T any](d *differ, path string, a, b []T, each func(d *differ, path string, x, y T)) {
	for i := 0; i < max(len(a), len(b)); i++ {
		p := validation.Index(path, i)
		if i >= len(a) || i >= len(b) {
			var x, y any = absent{}, absent{}
			if i < len(a) {
				x = a[i]
			}
			if i < len(b) {
				y = b[i]
			}
			d.cmp(true, p, x, y)
			continue
		}
		each(d, p, a[i], b[i])
	}
}

func unionKeys(a, b map[string]string) map[string]bool {
	u := make(map[string]bool, len(a)+len(b))
	for k := range a {
		u[k] = true
	}
	for k := range b {
		u[k] = true
	}
	return u
}

func diffAddress(d *differ, p string, a, b address.Address) {
	d.cmp(a.CEP != b.CEP, p+".cep", a.CEP, b.CEP)
	d.cmp(a.Street != b.Street, p+".street", a.Street, b.Street)
	d.cmp(a.Number != b.Number, p+".number", a.Number, b.Number)
	d.cmp(a.Complement != b.Complement, p+".complement", a.Complement, b.Complement)
	d.cmp(a.District != b.District, p+".district", a.District, b.District)
	d.cmp(a.City != b.City, p+".city", a.City, b.City)
	d.cmp(a.UF != b.UF, p+".uf", a.UF, b.UF)
	d.cmp(a.Purposes != b.Purposes, p+".purposes", a.Purposes, b.Purposes)
}

func diffAsset(d *differ, p string, a, b asset.Asset) {
	d.cmp(a.Description != b.Description, p+".description", a.Description, b.Description)
	d.cmp(a.Kind != b.Kind, p+".kind", a.Kind, b.Kind)
	d.cmp(a.Year != b.Year, p+".year", a.Year, b.Year)
	d.cmp(!a.Value.Equal(b.Value), p+".value", a.Value, b.Value)
	d.cmp(!a.Lien.Balance.Equal(b.Lien.Balance), p+".lien.balance", a.Lien.Balance, b.Lien.Balance)
	d.cmp(a.Lien.Creditor != b.Lien.Creditor, p+".lien.creditor", a.Lien.Creditor, b.Lien.Creditor)
	d.cmp(a.Lien.PayoffDate != b.Lien.PayoffDate, p+".lien.payoff_date", a.Lien.PayoffDate, b.Lien.PayoffDate)
	d.cmp(a.VIN != b.VIN, p+".vin", a.VIN, b.VIN)
	d.cmp(a.Plate != b.Plate, p+".plate", a.Plate, b.Plate)
	d.cmp(a.RENAVAM != b.RENAVAM, p+".renavam", a.RENAVAM, b.RENAVAM)
}

func diffPersonal(d *differ, p string, a, b reference.Personal) {
	d.cmp(a.Name != b.Name, p+".name", a.Name, b.Name)
	d.cmp(a.Phone != b.Phone, p+".phone", a.Phone, b.Phone)
	d.cmp(a.Note != b.Note, p+".note", a.Note, b.Note)
}

func diffBank(d *differ, p string, a, b reference.Bank) {
	a, b = a.Normalize(), b.Normalize()
	d.cmp(a.Code != b.Code, p+".code", a.Code, b.Code)
	d.cmp(a.Branch != b.Branch, p+".branch", a.Branch, b.Branch)
	d.cmp(a.BranchDigit != b.BranchDigit, p+".branch_digit", a.BranchDigit, b.BranchDigit)
	d.cmp(a.Account != b.Account, p+".account", a.Account, b.Account)
	d.cmp(a.AccountDigit != b.AccountDigit, p+".account_digit", a.AccountDigit, b.AccountDigit)
}

func diffContact(d *differ, p string, a, b contact.Contact) {
	d.cmp(a.Name != b.Name, p+".name", a.Name, b.Name)
	d.cmp(a.Role != b.Role, p+".role", a.Role, b.Role)
	list(d, p+".phones", a.Phones, b.Phones, func(d *differ, q string, x, y contact.Phone) { d.cmp(x != y, q, x, y) })
	d.cmp(a.Email != b.Email, p+".email", a.Email, b.Email)
	d.cmp(a.Birthday != b.Birthday, p+".birthday", a.Birthday, b.Birthday)
	d.cmp(a.FleetManager != b.FleetManager, p+".fleet_manager", a.FleetManager, b.FleetManager)
	d.cmp(a.PreferredDay != b.PreferredDay, p+".preferred_day", a.PreferredDay, b.PreferredDay)
	d.cmp(a.PreferredHour != b.PreferredHour, p+".preferred_hour", a.PreferredHour, b.PreferredHour)
}
