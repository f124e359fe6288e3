package customer

import (
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
	var d differ
	d.cmp(old.ID != new.ID, "id")
	d.cmp(old.Kind != new.Kind, "kind")
	d.cmp(old.Status != new.Status, "status")
	d.cmp(old.Version != new.Version, "version")
	d.cmp(old.Name != new.Name, "name")
	d.cmp(old.TradeName != new.TradeName, "trade_name")
	d.cmp(old.TaxID != new.TaxID, "tax_id")
	d.cmp(old.Employer != new.Employer, "employer")
	d.cmp(old.BirthDate != new.BirthDate, "birth_date")
	list(&d, "phones", old.Phones, new.Phones, func(d *differ, p string, a, b contact.Phone) { d.cmp(a != b, p) })
	list(&d, "emails", old.Emails, new.Emails, func(d *differ, p string, a, b contact.Email) { d.cmp(a != b, p) })
	d.cmp(old.Notes != new.Notes, "notes")
	d.cmp(old.DMSCode != new.DMSCode, "dms_code")
	list(&d, "service_orders", old.ServiceOrders, new.ServiceOrders, func(d *differ, p string, a, b string) { d.cmp(a != b, p) })
	list(&d, "addresses", old.Addresses, new.Addresses, diffAddress)
	list(&d, "assets", old.Assets, new.Assets, diffAsset)
	list(&d, "personal_references", old.PersonalReferences, new.PersonalReferences, diffPersonal)
	list(&d, "bank_references", old.BankReferences, new.BankReferences, diffBank)
	list(&d, "cards", old.Cards, new.Cards, func(d *differ, p string, a, b reference.Card) { d.cmp(a != b, p) })
	list(&d, "contacts", old.Contacts, new.Contacts, diffContact)
	for _, k := range slices.Sorted(maps.Keys(unionKeys(old.Info, new.Info))) {
		ov, oin := old.Info[k]
		nv, nin := new.Info[k]
		d.cmp(ov != nv || oin != nin, "info."+k)
	}
	d.cmp(!old.CreatedAt.Equal(new.CreatedAt), "created_at")
	return d.paths
}

type differ struct{ paths []string }

func (d *differ) cmp(changed bool, path string) {
	if changed {
		d.paths = append(d.paths, path)
	}
}

// list compares two lists element by element; what one has past the
// other's end is added or removed.
func list[T any](d *differ, path string, a, b []T, each func(d *differ, path string, x, y T)) {
	for i := 0; i < max(len(a), len(b)); i++ {
		p := validation.Index(path, i)
		if i >= len(a) || i >= len(b) {
			d.cmp(true, p)
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
	d.cmp(a.CEP != b.CEP, p+".cep")
	d.cmp(a.Street != b.Street, p+".street")
	d.cmp(a.Number != b.Number, p+".number")
	d.cmp(a.Complement != b.Complement, p+".complement")
	d.cmp(a.District != b.District, p+".district")
	d.cmp(a.City != b.City, p+".city")
	d.cmp(a.UF != b.UF, p+".uf")
	d.cmp(a.Purposes != b.Purposes, p+".purposes")
}

func diffAsset(d *differ, p string, a, b asset.Asset) {
	d.cmp(a.Description != b.Description, p+".description")
	d.cmp(a.Kind != b.Kind, p+".kind")
	d.cmp(a.Year != b.Year, p+".year")
	d.cmp(!a.Value.Equal(b.Value), p+".value")
	d.cmp(!a.Lien.Balance.Equal(b.Lien.Balance), p+".lien.balance")
	d.cmp(a.Lien.Creditor != b.Lien.Creditor, p+".lien.creditor")
	d.cmp(a.Lien.PayoffDate != b.Lien.PayoffDate, p+".lien.payoff_date")
	d.cmp(a.VIN != b.VIN, p+".vin")
	d.cmp(a.Plate != b.Plate, p+".plate")
	d.cmp(a.RENAVAM != b.RENAVAM, p+".renavam")
}

func diffPersonal(d *differ, p string, a, b reference.Personal) {
	d.cmp(a.Name != b.Name, p+".name")
	d.cmp(a.Phone != b.Phone, p+".phone")
	d.cmp(a.Note != b.Note, p+".note")
}

func diffBank(d *differ, p string, a, b reference.Bank) {
	a, b = a.Normalize(), b.Normalize()
	d.cmp(a.Code != b.Code, p+".code")
	d.cmp(a.Branch != b.Branch, p+".branch")
	d.cmp(a.BranchDigit != b.BranchDigit, p+".branch_digit")
	d.cmp(a.Account != b.Account, p+".account")
	d.cmp(a.AccountDigit != b.AccountDigit, p+".account_digit")
}

func diffContact(d *differ, p string, a, b contact.Contact) {
	d.cmp(a.Name != b.Name, p+".name")
	d.cmp(a.Role != b.Role, p+".role")
	list(d, p+".phones", a.Phones, b.Phones, func(d *differ, q string, x, y contact.Phone) { d.cmp(x != y, q) })
	d.cmp(a.Email != b.Email, p+".email")
	d.cmp(a.Birthday != b.Birthday, p+".birthday")
	d.cmp(a.FleetManager != b.FleetManager, p+".fleet_manager")
	d.cmp(a.PreferredDay != b.PreferredDay, p+".preferred_day")
	d.cmp(a.PreferredHour != b.PreferredHour, p+".preferred_hour")
}
