package customer

import (
	"encoding"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"unicode/utf8"

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
	field(&d, old.ID != new.ID, top, "id", old.ID, new.ID)
	field(&d, old.Kind != new.Kind, top, "kind", old.Kind, new.Kind)
	field(&d, old.Status != new.Status, top, "status", old.Status, new.Status)
	field(&d, old.Version != new.Version, top, "version", old.Version, new.Version)
	field(&d, old.Name != new.Name, top, "name", old.Name, new.Name)
	field(&d, old.TradeName != new.TradeName, top, "trade_name", old.TradeName, new.TradeName)
	field(&d, old.TaxID != new.TaxID, top, "tax_id", old.TaxID, new.TaxID)
	field(&d, old.Employer != new.Employer, top, "employer", old.Employer, new.Employer)
	field(&d, old.BirthDate != new.BirthDate, top, "birth_date", old.BirthDate, new.BirthDate)
	list(&d, top, "phones", old.Phones, new.Phones, func(d *differ, p at, a, b contact.Phone) { field(d, a != b, p, "", a, b) })
	list(&d, top, "emails", old.Emails, new.Emails, func(d *differ, p at, a, b contact.Email) { field(d, a != b, p, "", a, b) })
	field(&d, old.Notes != new.Notes, top, "notes", old.Notes, new.Notes)
	field(&d, old.DMSCode != new.DMSCode, top, "dms_code", old.DMSCode, new.DMSCode)
	list(&d, top, "service_orders", old.ServiceOrders, new.ServiceOrders, func(d *differ, p at, a, b string) { field(d, a != b, p, "", a, b) })
	list(&d, top, "addresses", old.Addresses, new.Addresses, diffAddress)
	list(&d, top, "assets", old.Assets, new.Assets, diffAsset)
	list(&d, top, "personal_references", old.PersonalReferences, new.PersonalReferences, diffPersonal)
	list(&d, top, "bank_references", old.BankReferences, new.BankReferences, diffBank)
	list(&d, top, "cards", old.Cards, new.Cards, func(d *differ, p at, a, b reference.Card) { field(d, a != b, p, "", a, b) })
	list(&d, top, "contacts", old.Contacts, new.Contacts, diffContact)
	for _, k := range slices.Sorted(maps.Keys(unionKeys(old.Info, new.Info))) {
		ov, oin := old.Info[k]
		nv, nin := new.Info[k]
		field(&d, ov != nv || oin != nin, top, "info."+k, present(ov, oin), present(nv, nin))
	}
	field(&d, !old.CreatedAt.Equal(new.CreatedAt), top, "created_at", old.CreatedAt, new.CreatedAt)
	return d.changes
}

type differ struct{ changes []FieldChange }

// absent marks a value that is not there: an element past a list's end,
// a missing information key.
type absent struct{}

// at is where a field is: in element i of the list at path list, or, when
// i < 0, at the top of the customer. The field's path is made only when
// it changed: comparing a large customer builds no string.
type at struct {
	list string
	i    int
}

// top is the customer itself.
var top = at{i: -1}

// path is the path of the field name (".cep", or "" for the element
// itself) at a.
func (a at) path(name string) string {
	if a.i < 0 {
		return a.list + name
	}
	return validation.Index(a.list, a.i) + name
}

// field records the field name at a when it changed, with its old value
// x and its new value y.
func field[T any](d *differ, changed bool, a at, name string, x, y T) {
	if changed {
		d.changes = append(d.changes, FieldChange{Path: a.path(name), Old: value(x), New: value(y)})
	}
}

// value is v as JSON: nil when it is absent, and for a value that cannot
// be encoded (no valid customer holds one). The values most fields hold
// (text, identifiers, numbers) are written here, byte for byte as
// json.Marshal writes them, without its reflection: a creation logs every
// field, and a bulk load logs a million creations.
func value(v any) json.RawMessage {
	switch x := v.(type) {
	case absent:
		return nil
	case string:
		if b, ok := appendPlainString(nil, x); ok {
			return b
		}
	case int:
		return strconv.AppendInt(nil, int64(x), 10)
	case int64:
		return strconv.AppendInt(nil, x, 10)
	case bool:
		return strconv.AppendBool(nil, x)
	case json.Marshaler:
		// Its own encoding, which json.Marshal checks and compacts.
	case encoding.TextMarshaler:
		t, err := x.MarshalText()
		if err != nil {
			return nil
		}
		if b, ok := appendPlainString(nil, string(t)); ok {
			return b
		}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return b
}

// appendPlainString appends s as a JSON string when no character of it
// needs an escape in json.Marshal's output (which escapes control
// characters, quotes, backslashes, <, > and &, U+2028, U+2029 and invalid
// UTF-8), and reports whether it did; otherwise it appends nothing.
func appendPlainString(dst []byte, s string) ([]byte, bool) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				return dst, false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || r == '\u2028' || r == '\u2029' {
			return dst, false
		}
		i += n
	}
	dst = append(dst, '"')
	dst = append(dst, s...)
	return append(dst, '"'), true
}

// present is an information value, or absent when the key is not there.
func present(v string, in bool) any {
	if !in {
		return absent{}
	}
	return v
}

// list compares the lists a and b, the field name at parent, element by
// element; what one has past the other's end is added or removed.
func list[T any](d *differ, parent at, name string, a, b []T, each func(d *differ, p at, x, y T)) {
	lp := parent.path(name)
	for i := 0; i < max(len(a), len(b)); i++ {
		p := at{list: lp, i: i}
		if i >= len(a) || i >= len(b) {
			var x, y any = absent{}, absent{}
			if i < len(a) {
				x = a[i]
			}
			if i < len(b) {
				y = b[i]
			}
			field(d, true, p, "", x, y)
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

func diffAddress(d *differ, p at, a, b address.Address) {
	field(d, a.CEP != b.CEP, p, ".cep", a.CEP, b.CEP)
	field(d, a.Street != b.Street, p, ".street", a.Street, b.Street)
	field(d, a.Number != b.Number, p, ".number", a.Number, b.Number)
	field(d, a.Complement != b.Complement, p, ".complement", a.Complement, b.Complement)
	field(d, a.District != b.District, p, ".district", a.District, b.District)
	field(d, a.City != b.City, p, ".city", a.City, b.City)
	field(d, a.UF != b.UF, p, ".uf", a.UF, b.UF)
	field(d, a.Purposes != b.Purposes, p, ".purposes", a.Purposes, b.Purposes)
}

func diffAsset(d *differ, p at, a, b asset.Asset) {
	field(d, a.Description != b.Description, p, ".description", a.Description, b.Description)
	field(d, a.Kind != b.Kind, p, ".kind", a.Kind, b.Kind)
	field(d, a.Year != b.Year, p, ".year", a.Year, b.Year)
	field(d, !a.Value.Equal(b.Value), p, ".value", a.Value, b.Value)
	field(d, !a.Lien.Balance.Equal(b.Lien.Balance), p, ".lien.balance", a.Lien.Balance, b.Lien.Balance)
	field(d, a.Lien.Creditor != b.Lien.Creditor, p, ".lien.creditor", a.Lien.Creditor, b.Lien.Creditor)
	field(d, a.Lien.PayoffDate != b.Lien.PayoffDate, p, ".lien.payoff_date", a.Lien.PayoffDate, b.Lien.PayoffDate)
	field(d, a.VIN != b.VIN, p, ".vin", a.VIN, b.VIN)
	field(d, a.Plate != b.Plate, p, ".plate", a.Plate, b.Plate)
	field(d, a.RENAVAM != b.RENAVAM, p, ".renavam", a.RENAVAM, b.RENAVAM)
}

func diffPersonal(d *differ, p at, a, b reference.Personal) {
	field(d, a.Name != b.Name, p, ".name", a.Name, b.Name)
	field(d, a.Phone != b.Phone, p, ".phone", a.Phone, b.Phone)
	field(d, a.Note != b.Note, p, ".note", a.Note, b.Note)
}

func diffBank(d *differ, p at, a, b reference.Bank) {
	a, b = a.Normalize(), b.Normalize()
	field(d, a.Code != b.Code, p, ".code", a.Code, b.Code)
	field(d, a.Branch != b.Branch, p, ".branch", a.Branch, b.Branch)
	field(d, a.BranchDigit != b.BranchDigit, p, ".branch_digit", a.BranchDigit, b.BranchDigit)
	field(d, a.Account != b.Account, p, ".account", a.Account, b.Account)
	field(d, a.AccountDigit != b.AccountDigit, p, ".account_digit", a.AccountDigit, b.AccountDigit)
}

func diffContact(d *differ, p at, a, b contact.Contact) {
	field(d, a.Name != b.Name, p, ".name", a.Name, b.Name)
	field(d, a.Role != b.Role, p, ".role", a.Role, b.Role)
	list(d, p, ".phones", a.Phones, b.Phones, func(d *differ, q at, x, y contact.Phone) { field(d, x != y, q, "", x, y) })
	field(d, a.Email != b.Email, p, ".email", a.Email, b.Email)
	field(d, a.Birthday != b.Birthday, p, ".birthday", a.Birthday, b.Birthday)
	field(d, a.FleetManager != b.FleetManager, p, ".fleet_manager", a.FleetManager, b.FleetManager)
	field(d, a.PreferredDay != b.PreferredDay, p, ".preferred_day", a.PreferredDay, b.PreferredDay)
	field(d, a.PreferredHour != b.PreferredHour, p, ".preferred_hour", a.PreferredHour, b.PreferredHour)
}
