package main

import (
	"strings"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/date"
)

// variant is one way a pair of a category comes about: how to make its two
// records, and the note that says what makes the pair hard.
type variant struct {
	note string
	make func(g *gen) (a, b *customer.Customer)
}

// fromVariants builds the i-th pair of a category from its i-th variant, so
// that no two pairs of a category share a template.
func fromVariants(vs []variant) func(g *gen, i int) draft {
	return func(g *gen, i int) draft {
		a, b := vs[i].make(g)
		return draft{note: vs[i].note, a: a, b: b}
	}
}

// categories lists every category of the set, "same" first.
func categories() []category {
	var out []category
	add := func(name, label string, vs []variant) {
		out = append(out, category{name: name, label: label, count: len(vs), build: fromVariants(vs)})
	}
	add("accents_case", same, accentsCase())
	add("abbreviated_names", same, abbreviatedNames())
	add("name_typo", same, nameTypo())
	add("married_surname", same, marriedSurname())
	add("prospect_to_customer", same, prospectToCustomer())
	add("two_prospects", same, twoProspects())
	add("same_vehicle", same, sameVehicle())
	add("missing_birth_date", same, missingBirthDate())
	add("company_names", same, companyNames())
	add("weak_evidence", same, weakEvidence())
	add("same_tax_id", same, sameTaxID())
	add("homonyms", different, homonyms())
	add("father_son", different, fatherSon())
	add("mother_daughter", different, motherDaughter())
	add("spouses", different, spouses())
	add("siblings", different, siblings())
	add("twins", different, twins())
	add("same_birth_given_name", different, sameBirthGivenName())
	add("same_building", different, sameBuilding())
	add("used_car", different, usedCar())
	add("distinct_cpfs", different, distinctCPFs())
	add("company_branch", different, companyBranch())
	add("similar_companies", different, similarCompanies())
	return out
}

// city draws a city of a dealer group's region.
func (g *gen) city() *city { return g.pickCity(g.pickArea()) }

// nameOp changes a name, reporting false when it does not apply.
type nameOp func(fullName) (fullName, bool)

// nameAs returns a typing of a name: ops in order, then a case style. An op
// that does not apply is a bug of the variant that asked for it.
func nameAs(style caseStyle, ops ...nameOp) func(fullName) string {
	return func(n fullName) string {
		return typed(applyOps(n, ops...).String(), style)
	}
}

// applyOps applies ops in order.
func applyOps(n fullName, ops ...nameOp) fullName {
	for _, op := range ops {
		var ok bool
		if n, ok = op(n); !ok {
			panic("a name op does not apply to the name drawn for it")
		}
	}
	return n
}

// surnameFirstAs types a name surname first.
func surnameFirstAs(style caseStyle, ops ...nameOp) func(fullName) string {
	return func(n fullName) string { return typed(surnameFirst(applyOps(n, ops...)), style) }
}

// registered types a name as it is registered.
var registered = nameAs(asRegistered)

// Ops that always apply.
var (
	opFirstAndLast nameOp = func(n fullName) (fullName, bool) { return firstAndLast(n), true }
)

// Predicates on names, for drawing a person an op applies to.
func anyName(fullName) bool         { return true }
func withAccent(n fullName) bool    { return hasAccent(n.String()) }
func compoundGiven(n fullName) bool { return countKind(n.given(), kGiven) >= 2 }
func twoSurnames(n fullName) bool   { return len(n.surnameWords()) >= 2 }
func withParticle(n fullName) bool  { return countKind(n.family(), kParticle) > 0 }
func shortenable(n fullName) bool   { return firstAndLast(n).String() != n.String() }
func particleAddable(n fullName) bool {
	_, ok := addParticle(n)
	return ok
}
func withSpelling(n fullName) bool {
	for _, t := range n {
		if t.kind == kGiven || t.kind == kSurname {
			for _, set := range spellings {
				for _, s := range set {
					if s == t.text {
						return true
					}
				}
			}
		}
	}
	return false
}

// slipable reports whether a name has a surname of five letters or more.
func slipable(n fullName) bool {
	for _, w := range n.surnameWords() {
		if len([]rune(w)) >= 5 {
			return true
		}
	}
	return false
}

// all combines predicates.
func all(preds ...func(fullName) bool) func(fullName) bool {
	return func(n fullName) bool {
		for _, p := range preds {
			if !p(n) {
				return false
			}
		}
		return true
	}
}

func countKind(n fullName, k partKind) int {
	c := 0
	for _, t := range n {
		if t.kind == k {
			c++
		}
	}
	return c
}

// link is what a prospect gave that the other record of the person has too.
type link uint8

const (
	byMobile         link = iota // the mobile
	byEmail                      // the e-mail, and no phone
	byMobileEmail                // both
	byLandline                   // the home landline, and nothing else
	byEmailNewMobile             // the e-mail, and a mobile the other record lacks
	byNewMobile                  // a mobile the other record lacks, and nothing else
)

// ensureEmail gives p an e-mail if it has none.
func (g *gen) ensureEmail(p *person) {
	if p.email.IsZero() {
		p.email = g.emailFor(p.name, p.birth.Year, g.mailDomain())
	}
}

// ensureLandline gives p's home a landline if it has none.
func (g *gen) ensureLandline(p *person) {
	if p.landline.IsZero() {
		p.landline = g.landline(p.city)
	}
}

// reach sets the phones and e-mails of record r to what p gave by l. Call
// it before making p's other record, which then holds what it needs.
func (g *gen) reach(r *customer.Customer, p *person, l link) {
	r.Phones, r.Emails = nil, nil
	switch l {
	case byMobile:
		r.Phones = []contact.Phone{p.mobile}
	case byEmail:
		g.ensureEmail(p)
		r.Emails = []contact.Email{p.email}
	case byMobileEmail:
		g.ensureEmail(p)
		r.Phones = []contact.Phone{p.mobile}
		r.Emails = []contact.Email{p.email}
	case byLandline:
		g.ensureLandline(p)
		r.Phones = []contact.Phone{p.landline}
	case byEmailNewMobile:
		g.ensureEmail(p)
		r.Phones = []contact.Phone{g.mobile(p.city)}
		r.Emails = []contact.Email{p.email}
	case byNewMobile:
		r.Phones = []contact.Phone{g.mobile(p.city)}
	}
}

// pc makes a prospect and a customer record of one person: the prospect's
// name typed by pn and reaching by l, the customer's name typed by cn.
func (g *gen) pc(p *person, pn, cn func(fullName) string, l link) (pr, cu *customer.Customer) {
	pr = g.asProspect(p)
	pr.Name = pn(p.name)
	g.reach(pr, p, l)
	cu = g.asCustomer(p)
	cu.Name = cn(p.name)
	return pr, cu
}

// prospectVehicle is a car as an appraiser types it for a trade-in: what it
// is, its year and the appraised value, and the plate or VIN given.
func prospectVehicle(v *vehicle, plate asset.Plate, withVIN bool) asset.Asset {
	a := v.asAsset(false, false, false, nil)
	a.Description = v.model.brand + " " + strings.Fields(v.model.name)[0] + " (avaliação para troca)"
	a.Plate = plate
	if !withVIN {
		a.VIN = asset.VIN{}
	}
	return a
}

// retypeAddress writes an address as another attendant would: street
// types abbreviated, apartment written short, district left out.
func retypeAddress(a address.Address) address.Address {
	r := strings.NewReplacer("Avenida ", "Av. ", "Rua ", "R. ", "Travessa ", "Tv. ", "Alameda ", "Al. ")
	a.Street = r.Replace(a.Street)
	a.Complement = strings.NewReplacer("Apartamento ", "Ap ", "Apto ", "Ap ", "Ap. ", "Ap ").Replace(a.Complement)
	a.District = ""
	return a
}

// differentBirth returns a birth date other than d in the years [lo, hi].
func (g *gen) differentBirth(d date.Date, lo, hi int) date.Date {
	for {
		if b := g.birthIn(lo, hi); b != d {
			return b
		}
	}
}
