package main

import (
	"strconv"
	"strings"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/date"
	"github.com/fichacrm/ficha/reference"
)

// accentsCase: one person typed with and without accents, in upper, lower
// or proper case, sometimes surname first.
func accentsCase() []variant {
	type row struct {
		cust, pros caseStyle
		surFirst   bool
		l          link
		note       string
	}
	rows := []row{
		{upperPlain, asRegistered, false, byMobile, "The DMS exported the customer in upper case without accents; only the mobile links the prospect to it."},
		{asRegistered, lowerPlain, false, byEmail, "The prospect came from a web form in lower case without accents; only the e-mail links it to the customer."},
		{asRegistered, upperAccents, false, byMobileEmail, "The prospect was typed in upper case with its accents kept; mobile and e-mail match the customer."},
		{upperPlain, titlePlain, true, byLandline, "The DMS writes the surname first in upper case without accents and the prospect lost its accents; only the home landline is shared."},
		{asRegistered, upperPlain, false, byEmailNewMobile, "The prospect, in upper case without accents, gave a new mobile; only the e-mail is shared."},
		{upperAccents, lowerPlain, false, byMobile, "One record is in upper case, the other in lower case without accents; the mobile is the only other evidence."},
		{asRegistered, titlePlain, false, byMobile, "Only the accents of the name differ, and the mobile is shared."},
		{upperPlain, asRegistered, true, byEmail, "The DMS record is surname first in upper case without accents; only the e-mail links it to the prospect."},
		{titlePlain, upperPlain, false, byMobileEmail, "Neither record has accents and the prospect is in upper case; mobile and e-mail match."},
		{asRegistered, lowerPlain, false, byLandline, "A prospect in lower case without accents who gave only the home landline."},
		{upperAccents, titlePlain, true, byMobile, "Surname first in upper case against a record without accents; the mobile is shared."},
		{asRegistered, upperPlain, false, byMobile, "The prospect was typed in upper case without accents, with the same mobile as the customer."},
	}
	vs := make([]variant, len(rows))
	for i, r := range rows {
		vs[i] = variant{r.note, func(g *gen) (*customer.Customer, *customer.Customer) {
			p := g.personWhere(g.city(), nil, withAccent)
			cn := nameAs(r.cust)
			if r.surFirst {
				cn = surnameFirstAs(r.cust)
			}
			return g.pc(p, nameAs(r.pros), cn, r.l)
		}}
	}
	return vs
}

// abbreviatedNames: middle names abbreviated, particles dropped or added,
// a middle name missing, a name cut short by an old DMS.
func abbreviatedNames() []variant {
	type row struct {
		pred func(fullName) bool
		pros func(fullName) string
		l    link
		note string
	}
	rows := []row{
		{compoundGiven, nameAs(asRegistered, abbrevMiddleGiven), byMobile,
			"The prospect's second given name is only an initial; the mobile is shared."},
		{twoSurnames, nameAs(asRegistered, abbrevMiddleSurnames), byEmail,
			"The prospect's middle surname is only an initial and its particle is gone; only the e-mail links it."},
		{withParticle, nameAs(upperPlain, dropParticles), byMobile,
			"The prospect dropped the particles of the surnames and is in upper case; the mobile is shared."},
		{particleAddable, nameAs(asRegistered, addParticle), byMobileEmail,
			"The prospect put a particle before a surname that is registered without one; mobile and e-mail match."},
		{twoSurnames, nameAs(asRegistered, dropMiddleSurname), byMobile,
			"The prospect left out the mother's surname; the mobile is shared."},
		{compoundGiven, nameAs(asRegistered, dropSecondGiven), byEmailNewMobile,
			"The prospect gave only the first of two given names and a new mobile; the e-mail is shared."},
		{func(n fullName) bool { return shortenable(n) && hasAccent(firstAndLast(n).String()) }, nameAs(titlePlain, opFirstAndLast), byMobileEmail,
			"The prospect gave only the first given name and the last surname, without accents; mobile and e-mail match."},
		{all(compoundGiven, twoSurnames), nameAs(asRegistered, abbrevMiddleGiven, dropMiddleSurname), byEmail,
			"The prospect abbreviated the second given name and left out a surname; only the e-mail links it."},
		{all(compoundGiven, twoSurnames), nameAs(upperPlain, abbrevMiddleGiven, abbrevMiddleSurnames), byMobile,
			"Every middle name of the prospect is an initial, in upper case without accents; the mobile is shared."},
		{func(n fullName) bool { m, ok := dropMiddleSurname(n); return ok && particleAddable(m) }, nameAs(asRegistered, dropMiddleSurname, addParticle), byMobileEmail,
			"The prospect left out a surname and added a particle; mobile and e-mail match."},
	}
	vs := make([]variant, 0, len(rows)+2)
	for _, r := range rows {
		vs = append(vs, variant{r.note, func(g *gen) (*customer.Customer, *customer.Customer) {
			p := g.personWhere(g.city(), nil, r.pred)
			return g.pc(p, r.pros, registered, r.l)
		}})
	}
	vs = append(vs,
		variant{"The customer is a Júnior and the prospect wrote the suffix short; the mobile is shared.",
			func(g *gen) (*customer.Customer, *customer.Customer) {
				p := g.newPerson(g.city(), male)
				p.name = p.name.withSuffix("Júnior")
				short := pick(g, suffixForms["Júnior"])
				return g.pc(p, func(n fullName) string { return strings.Replace(n.String(), "Júnior", short, 1) }, registered, byMobile)
			}},
		variant{"An old DMS cut the name at thirty characters, in upper case without accents; only the home landline links the records.",
			func(g *gen) (*customer.Customer, *customer.Customer) {
				p := g.personWhere(g.city(), nil, func(n fullName) bool { return len(fold(n.String())) > 34 })
				cut := func(n fullName) string {
					return strings.TrimSpace(typed(n.String(), upperPlain)[:30])
				}
				pr, cu := g.pc(p, registered, cut, byLandline)
				return pr, cu
			}},
	)
	return vs
}

// nameTypo: one slip in a name, or another spelling of it.
func nameTypo() []variant {
	type row struct {
		pred     func(fullName) bool
		spelling bool
		style    caseStyle
		more     []nameOp
		onDMS    bool
		l        link
		birth    bool
		note     string
	}
	rows := []row{
		{withSpelling, true, asRegistered, nil, false, byMobile, false,
			"The prospect used another spelling of one name (such as Sousa for Souza); the mobile is shared."},
		{slipable, false, asRegistered, nil, false, byEmail, false,
			"The prospect's surname has a one-letter slip; only the e-mail links it."},
		{slipable, false, upperPlain, nil, false, byMobile, false,
			"A one-letter slip in a surname, in upper case without accents; the mobile is shared."},
		{func(n fullName) bool {
			return withSpelling(n) && n.first() == "Luiz" || withSpelling(n) && compoundGiven(n)
		}, true, asRegistered, nil, false, byMobileEmail, false,
			"A given name spelt another way; mobile and e-mail match."},
		{all(slipable, withAccent), false, titlePlain, nil, false, byLandline, false,
			"A slip in a surname and the accents lost; only the home landline is shared."},
		{slipable, false, asRegistered, nil, false, byMobile, true,
			"A one-letter slip in a surname; the mobile and the birth date given for a credit simulation match."},
		{all(withSpelling, compoundGiven), true, asRegistered, []nameOp{abbrevMiddleGiven}, false, byEmail, false,
			"Another spelling of one name and an abbreviated second given name; only the e-mail links them."},
		{slipable, false, upperPlain, nil, true, byMobile, false,
			"The slip is in the DMS record, typed in upper case at the sale; the prospect has it right and shares the mobile."},
		{all(slipable, withParticle), false, asRegistered, []nameOp{dropParticles}, false, byEmailNewMobile, false,
			"A slip in a surname and the particles dropped, with a new mobile; only the e-mail is shared."},
	}
	vs := make([]variant, 0, len(rows)+1)
	for _, r := range rows {
		vs = append(vs, variant{r.note, func(g *gen) (*customer.Customer, *customer.Customer) {
			p := g.personWhere(g.city(), nil, r.pred)
			bad, _ := typo(p.name, g, r.spelling)
			bad = applyOps(bad, r.more...)
			wrong := func(fullName) string { return typed(bad.String(), r.style) }
			var pr, cu *customer.Customer
			if r.onDMS {
				pr, cu = g.pc(p, registered, wrong, r.l)
			} else {
				pr, cu = g.pc(p, wrong, registered, r.l)
			}
			if r.birth {
				pr.BirthDate = p.birth
				cu.BirthDate = p.birth
				pr.Notes = "Simulação de crédito feita no showroom."
			}
			return pr, cu
		}})
	}
	vs = append(vs, variant{"Two web leads of one person, one with a slip in the surname and in lower case; the e-mail is shared.",
		func(g *gen) (*customer.Customer, *customer.Customer) {
			p := g.personWhere(g.city(), nil, slipable)
			bad, _ := typo(p.name, g, false)
			a := g.asProspect(p)
			a.Name = typed(bad.String(), lowerPlain)
			g.reach(a, p, byEmail)
			b := g.asProspect(p)
			g.reach(b, p, byMobileEmail)
			return a, b
		}})
	return vs
}

// married builds a woman's married name from her maiden name: the
// husband's last surname added, and her mother's dropped when dropFirst is
// set.
func married(maiden, husband fullName, dropFirst bool) fullName {
	n := maiden
	if dropFirst {
		n, _ = dropMiddleSurname(maiden)
	}
	return join(n, husband)
}

// marriedSurname: a woman before and after marriage, with her birth date
// and e-mail or mobile on both records.
func marriedSurname() []variant {
	type row struct {
		oldIsCustomer bool
		dropFirst     bool
		style         caseStyle
		abbrev        bool
		moved         bool
		l             link
		note          string
	}
	rows := []row{
		{true, false, asRegistered, false, false, byEmail, "The prospect added her husband's surname; only the birth date and the e-mail match the older customer record."},
		{false, false, asRegistered, false, false, byEmail, "An old prospect under the maiden name and the customer under the married one; birth date and e-mail match."},
		{true, true, asRegistered, false, true, byEmail, "The married name drops the mother's surname and adds the husband's, and she moved; birth date and e-mail match."},
		{false, true, asRegistered, false, false, byMobile, "Maiden name against married name without the mother's surname; birth date and mobile match."},
		{true, false, upperPlain, false, false, byEmail, "The married name is in upper case without accents; birth date and e-mail match."},
		{true, false, asRegistered, false, false, byMobileEmail, "The husband's surname came with a particle; birth date, mobile and e-mail match."},
		{false, false, asRegistered, false, false, byEmail, "The customer under her married name has a new mobile; birth date and e-mail match the old prospect."},
		{true, true, asRegistered, true, false, byEmail, "Married name, mother's surname dropped and the second given name abbreviated; birth date and e-mail match."},
	}
	vs := make([]variant, len(rows))
	for i, r := range rows {
		vs[i] = variant{r.note, func(g *gen) (*customer.Customer, *customer.Customer) {
			pred := anyName
			if r.dropFirst {
				pred = twoSurnames
			}
			if r.abbrev {
				pred = all(twoSurnames, compoundGiven)
			}
			p := g.personWhere(g.city(), female, pred)
			p.birth = g.birthIn(max(p.birth.Year, 1960), 2000)
			g.ensureEmail(p)
			maiden := p.name
			husband := g.otherSurname(areaOf(p.city), maiden)
			if i == 5 {
				for husband[0].kind != kParticle {
					husband = g.otherSurname(areaOf(p.city), maiden)
				}
			}
			wed := married(maiden, husband, r.dropFirst)
			if r.abbrev {
				wed, _ = abbrevMiddleGiven(wed)
			}
			wedName := typed(wed.String(), r.style)
			var old, cur *customer.Customer
			if r.oldIsCustomer {
				cur = g.asProspect(p)
				cur.Name = wedName
				g.reach(cur, p, r.l)
				cur.BirthDate = p.birth
				cur.Notes = "Simulação de financiamento; informou data de nascimento."
				old = g.asCustomer(p)
				old.BirthDate = p.birth
			} else {
				old = g.asProspect(p)
				g.reach(old, p, r.l)
				old.BirthDate = p.birth
				cur = g.asCustomer(p)
				cur.Name = wedName
				cur.BirthDate = p.birth
				if i == 6 {
					cur.Phones = []contact.Phone{g.mobile(p.city)}
				}
			}
			if r.moved {
				cur.Addresses = []address.Address{g.homeAddress(g.otherCity(p.city))}
			}
			return old, cur
		}}
	}
	return vs
}

// prospectToCustomer: a prospect without CPF and the customer it became,
// linked by a phone or an e-mail, or by the mobile of a legacy record
// written before the ninth digit.
func prospectToCustomer() []variant {
	type row struct {
		pred   func(fullName) bool
		pros   func(fullName) string
		l      link
		legacy bool // the customer record predates the ninth digit
		tweak  func(g *gen, p *person, pr, cu *customer.Customer)
		note   string
	}
	landlineFirst := func(g *gen, p *person, pr, cu *customer.Customer) {
		g.ensureLandline(p)
		cu.Phones = []contact.Phone{p.landline, p.mobile}
	}
	rows := []row{
		{anyName, registered, byMobile, false, nil,
			"The same name, and the prospect's mobile is the customer's; nothing else links them."},
		{anyName, registered, byEmail, false, nil,
			"A web prospect with the customer's name and e-mail and no phone."},
		{withAccent, nameAs(titlePlain), byMobile, false, landlineFirst,
			"The prospect lost the accents, and its mobile is the second phone of the customer."},
		{twoSurnames, nameAs(asRegistered, opFirstAndLast), byMobileEmail, false, nil,
			"The prospect gave a short name; mobile and e-mail match the customer."},
		{anyName, registered, byMobile, true, nil,
			"The customer record predates the ninth digit and keeps the old 8-digit mobile in its notes; the prospect has the 9-digit number."},
		{twoSurnames, nameAs(asRegistered, dropMiddleSurname), byMobile, true, nil,
			"A surname left out, and the mobile matches only the legacy record's 8-digit number in its notes."},
		{anyName, nameAs(upperPlain), byLandline, false, nil,
			"An upper-case prospect that gave only the home landline, which the customer has among its phones."},
		{anyName, registered, byEmailNewMobile, false, nil,
			"The prospect has a new mobile the customer lacks; only the e-mail is shared."},
		{compoundGiven, nameAs(asRegistered, dropSecondGiven), byMobile, false, nil,
			"The prospect left out the second given name; the mobile is shared."},
		{anyName, registered, byMobile, false, func(g *gen, p *person, pr, cu *customer.Customer) {
			pr.Addresses = []address.Address{p.home}
			pr.Notes = "Pediu proposta com entrega em casa."
		}, "The prospect also gave the customer's home address for a delivery quote; name and mobile match."},
		{all(withParticle, withAccent), nameAs(titlePlain, dropParticles), byEmail, false, nil,
			"Without accents or particles, the prospect shares only the e-mail."},
		{anyName, registered, byMobile, false, func(g *gen, p *person, pr, cu *customer.Customer) {
			cu.BirthDate = date.Date{}
			pr.BirthDate = p.birth
		}, "The prospect gave a birth date that the customer record lacks; name and mobile match."},
		{shortenable, nameAs(upperPlain, opFirstAndLast), byMobile, false, nil,
			"A short name in upper case without accents, linked by the mobile alone."},
		{anyName, registered, byMobile, false, func(g *gen, p *person, pr, cu *customer.Customer) {
			if p.car != nil {
				pr.Notes = "Quer trocar o " + strings.Fields(p.car.model.name)[0] + " por um modelo novo."
			}
		}, "The prospect mentions trading in the car the customer bought, by model only; the mobile is shared."},
		{anyName, registered, byLandline, true, nil,
			"A legacy customer with an 8-digit mobile in its notes, and a prospect with the home landline; the landline is the link."},
		{anyName, nameAs(lowerPlain), byMobileEmail, false, nil,
			"A web prospect in lower case without accents; mobile and e-mail match."},
	}
	vs := make([]variant, len(rows))
	for i, r := range rows {
		vs[i] = variant{r.note, func(g *gen) (*customer.Customer, *customer.Customer) {
			pred := r.pred
			if r.legacy {
				pred = all(pred, bornBy(1985))
			}
			p := g.personWhere(g.city(), nil, pred)
			if r.legacy {
				// A record from before 2016 is of someone who was an adult then.
				p.birth = g.birthIn(max(1945, givenOf(p.name).born[0]), 1990)
			}
			pr, cu := g.pc(p, r.pros, registered, r.l)
			if r.legacy {
				// The DMS record is from before 2016: the mobile it had then
				// is in its notes, since the library refuses it as a phone.
				g.ensureLandline(p)
				cu.Phones = []contact.Phone{p.landline}
				cu.Notes = "Cadastro antigo. Cel.: " + oldMobile(p.mobile)
				if r.l == byLandline {
					pr.Phones = []contact.Phone{p.landline}
				}
			}
			if r.tweak != nil {
				r.tweak(g, p, pr, cu)
			}
			return pr, cu
		}}
	}
	return vs
}

// initialOfLast writes a first name and the initial of the last surname, as
// a WhatsApp contact shows: "Marcos R.".
func initialOfLast(n fullName) string {
	w := n.surnameWords()
	return n.first() + " " + abbreviate(w[len(w)-1])
}

// twoProspects: two leads of one person from different channels, neither
// with a CPF.
func twoProspects() []variant {
	type side struct {
		name   func(fullName) string
		l      link
		source string
	}
	type row struct {
		pred func(fullName) bool
		a, b side
		note string
	}
	site, showroom, phone, fair, whats := "Lead do site.", "Visita ao showroom.", "Ligação para a loja.", "Feirão de fábrica.", "Contato pelo WhatsApp."
	rows := []row{
		{anyName, side{nameAs(lowerPlain), byMobileEmail, site}, side{nameAs(upperPlain), byMobile, showroom},
			"A web lead in lower case and a showroom visit in upper case, both without accents; the mobile is shared."},
		{shortenable, side{nameAs(lowerPlain), byEmail, site}, side{nameAs(asRegistered, opFirstAndLast), byMobileEmail, phone},
			"A web lead with only an e-mail and a phone call with a short name; the e-mail is shared."},
		{anyName, side{registered, byMobile, showroom}, side{nameAs(upperAccents), byMobile, fair},
			"A showroom visit and a factory fair lead in upper case; the mobile is shared."},
		{anyName, side{initialOfLast, byMobile, whats}, side{registered, byMobileEmail, showroom},
			"A WhatsApp contact saved as first name and surname initial, and the full showroom record; the mobile is shared."},
		{anyName, side{nameAs(titlePlain), byEmailNewMobile, site}, side{registered, byMobileEmail, showroom},
			"The web lead typed a different mobile; only the e-mail is shared."},
		{shortenable, side{nameAs(asRegistered, opFirstAndLast), byLandline, phone}, side{registered, byLandline, showroom},
			"A call from the home landline under a short name, and the visitor who gave the same landline."},
		{all(withParticle, shortenable), side{nameAs(lowerPlain, dropParticles), byEmail, site}, side{nameAs(asRegistered, opFirstAndLast), byMobileEmail, whats},
			"A lower-case web lead without particles and a WhatsApp contact with a short name; the e-mail is shared."},
		{compoundGiven, side{nameAs(asRegistered, abbrevMiddleGiven), byMobile, showroom}, side{nameAs(lowerPlain), byMobileEmail, site},
			"The second given name abbreviated at the showroom, the web lead in lower case; the mobile is shared."},
		{twoSurnames, side{nameAs(upperPlain, opFirstAndLast), byMobile, fair}, side{nameAs(asRegistered, dropMiddleSurname), byMobile, showroom},
			"A short upper-case name at a fair and a surname left out at the showroom; the mobile is shared."},
		{anyName, side{registered, byEmailNewMobile, showroom}, side{registered, byEmailNewMobile, showroom},
			"Two showroom visits months apart with the same name and e-mail but different mobiles."},
	}
	vs := make([]variant, len(rows))
	for i, r := range rows {
		vs[i] = variant{r.note, func(g *gen) (*customer.Customer, *customer.Customer) {
			p := g.personWhere(g.city(), nil, r.pred)
			mk := func(s side) *customer.Customer {
				c := g.asProspect(p)
				c.Name = s.name(p.name)
				g.reach(c, p, s.l)
				c.Notes = s.source + " " + g.wish()
				return c
			}
			return mk(r.a), mk(r.b)
		}}
	}
	return vs
}

// sameVehicle: a prospect whose trade-in the appraiser recorded, and the
// customer who bought that car at the dealership.
func sameVehicle() []variant {
	type row struct {
		oldPlate  bool // the car has a grey plate the prospect's record converts
		prosPlate func(v *vehicle) asset.Plate
		prosVIN   bool
		custPlate bool
		pros      func(fullName) string
		cust      func(fullName) string
		l         link
		pred      func(fullName) bool
		note      string
	}
	mercosul := func(v *vehicle) asset.Plate { return v.plate.Mercosul() }
	same := func(v *vehicle) asset.Plate { return v.plate }
	none := func(*vehicle) asset.Plate { return asset.Plate{} }
	rows := []row{
		{true, mercosul, true, true, nameAs(upperPlain), registered, byNewMobile, anyName,
			"The trade-in has the customer's VIN, its plate now in Mercosul form; the prospect gave a new mobile."},
		{true, mercosul, false, true, nameAs(asRegistered, opFirstAndLast), registered, byNewMobile, shortenable,
			"Only the plate links them, old form on the customer and Mercosul form on the prospect's trade-in."},
		{false, none, true, true, nameAs(asRegistered, dropMiddleSurname), registered, byNewMobile, twoSurnames,
			"The VIN of the trade-in is the customer's car, and the prospect left out a surname."},
		{true, same, false, true, nameAs(asRegistered, abbrevMiddleGiven), registered, byNewMobile, compoundGiven,
			"The same plate, and a name with the second given name abbreviated; the phones differ."},
		{false, same, true, false, nameAs(titlePlain), registered, byEmail, withAccent,
			"The customer record of a new car has the VIN but no plate yet; the prospect's trade-in has both, and the e-mail matches."},
		{true, mercosul, false, true, nil, registered, byEmail, slipable,
			"Plate in old and Mercosul form, a slip in a surname, and the e-mail shared."},
		{false, none, true, true, registered, surnameFirstAs(upperPlain), byNewMobile, anyName,
			"The DMS writes the name surname first in upper case; only the VIN of the trade-in links the records."},
		{false, same, false, true, nameAs(asRegistered, opFirstAndLast), registered, byNewMobile, shortenable,
			"A Mercosul plate on both and a short name; the prospect's mobile is new."},
		{false, none, true, true, nameAs(asRegistered, addParticle), registered, byMobile, particleAddable,
			"The VIN and the mobile match, and the prospect added a particle to a surname."},
		{true, mercosul, false, true, nameAs(lowerPlain), registered, byLandline, anyName,
			"The plate converted to Mercosul form and a lower-case name without accents; the home landline matches."},
	}
	vs := make([]variant, len(rows))
	for i, r := range rows {
		vs[i] = variant{r.note, func(g *gen) (*customer.Customer, *customer.Customer) {
			p := g.personWhere(g.city(), nil, r.pred)
			lo, hi := 2019, now.Year()-2
			switch {
			case r.oldPlate:
				lo, hi = 2010, 2018
			case !r.custPlate:
				lo, hi = now.Year()-1, now.Year() // sold new lately, no plate on the sale record
			}
			p.car = g.someVehicle(p.city.uf, lo, hi, false)
			pn := r.pros
			if pn == nil {
				bad, _ := typo(p.name, g, false)
				pn = func(fullName) string { return bad.String() }
			}
			pr, cu := g.pc(p, pn, r.cust, r.l)
			cu.Assets = []asset.Asset{p.car.asAsset(r.custPlate, true, false, g)}
			pr.Assets = []asset.Asset{prospectVehicle(p.car, r.prosPlate(p.car), r.prosVIN)}
			pr.Notes = "Avaliação do usado para troca. " + g.wish()
			return pr, cu
		}}
	}
	return vs
}

// missingBirthDate: one record has the birth date and the other not, and
// little else links them but the home address.
func missingBirthDate() []variant {
	type row struct {
		pred  func(fullName) bool
		pros  func(fullName) string
		l     link
		addr  func(a address.Address) address.Address
		swap  bool // the prospect has the birth date, the customer not
		note  string
		other func(g *gen, p *person, pr, cu *customer.Customer)
	}
	same := func(a address.Address) address.Address { return a }
	rows := []row{
		{anyName, registered, byNewMobile, same, false,
			"The prospect has no birth date and a new mobile; only the home address links it to the customer.", nil},
		{anyName, registered, byMobile, same, true,
			"The DMS record lost the birth date that the prospect gave; name, address and mobile match.", nil},
		{withParticle, nameAs(asRegistered, dropParticles), byLandline, same, false,
			"No birth date on the prospect, particles dropped; the address and the home landline match.", nil},
		{anyName, registered, byEmail, nil, true,
			"Two prospects, one with the birth date from a credit simulation; only the e-mail is shared.",
			func(g *gen, p *person, pr, cu *customer.Customer) {
				*cu = *g.asProspect(p)
				g.reach(cu, p, byMobileEmail)
			}},
		{anyName, nameAs(upperPlain), byEmail, nil, true,
			"The customer record has no birth date, the upper-case prospect has one; the e-mail matches.", nil},
		{anyName, registered, byNewMobile, retypeAddress, false,
			"The prospect typed the address with abbreviations and no district, and has no birth date; only the CEP, number and apartment match.", nil},
		{compoundGiven, nameAs(asRegistered, abbrevMiddleGiven), byLandline, same, false,
			"An abbreviated given name and no birth date on the prospect; the home landline and address match.", nil},
		{withAccent, nameAs(titlePlain), byEmailNewMobile, same, false,
			"The customer record has no e-mail, the prospect has no birth date; only the address links them.",
			func(g *gen, p *person, pr, cu *customer.Customer) { cu.Emails = nil }},
	}
	vs := make([]variant, len(rows))
	for i, r := range rows {
		vs[i] = variant{r.note, func(g *gen) (*customer.Customer, *customer.Customer) {
			p := g.personWhere(g.city(), nil, r.pred)
			if r.addr != nil && p.home.Complement == "" {
				p.home.Complement = g.apartment()
			}
			pr, cu := g.pc(p, r.pros, registered, r.l)
			cu.BirthDate = p.birth
			if r.addr != nil {
				pr.Addresses = []address.Address{r.addr(p.home)}
			}
			if r.swap {
				cu.BirthDate = date.Date{}
				pr.BirthDate = p.birth
				pr.Notes = "Simulação de crédito. " + g.wish()
			}
			if r.other != nil {
				r.other(g, p, pr, cu)
			}
			if r.swap && cu.Status == customer.StatusProspect {
				// Two prospects: the second one has no birth date.
				cu.BirthDate = date.Date{}
			}
			return pr, cu
		}}
	}
	return vs
}

// companyNames: a company under its legal name, its trade name and
// abbreviations, the prospect without CNPJ.
func companyNames() []variant {
	type row struct {
		form  string // the legal form the company has, or "" for any
		name  func(g *gen, f *firm) string
		l     func(g *gen, f *firm, pr *customer.Customer)
		tweak func(g *gen, f *firm, cu *customer.Customer)
		note  string
	}
	buyerMobile := func(_ *gen, f *firm, pr *customer.Customer) { pr.Phones = []contact.Phone{f.buyer.mobile} }
	landline := func(_ *gen, f *firm, pr *customer.Customer) { pr.Phones = []contact.Phone{f.landline} }
	mail := func(_ *gen, f *firm, pr *customer.Customer) {
		pr.Phones = nil
		pr.Emails = []contact.Email{f.email}
	}
	buyerMail := func(_ *gen, f *firm, pr *customer.Customer) {
		pr.Phones = nil
		pr.Emails = []contact.Email{f.buyer.email}
	}
	otherForm := func(g *gen, f *firm) string {
		return strings.TrimSpace(f.activity + " " + f.core + " " + pick(g, formVariants[f.form]))
	}
	rows := []row{
		{"", func(_ *gen, f *firm) string { return f.trade }, buyerMobile, nil,
			"The prospect is the trade name; the buyer's mobile is the customer's contact."},
		{"Ltda", func(_ *gen, f *firm) string { return abbreviateFirm(f.legal()) }, landline, nil,
			"The prospect abbreviates the line of business of the legal name; the switchboard number is shared."},
		{"EIRELI", func(_ *gen, f *firm) string { return f.activity + " " + f.core + " Ltda" }, mail, nil,
			"The company was an EIRELI and is now a Ltda; the legal forms differ and only the e-mail is shared."},
		{"", func(_ *gen, f *firm) string { return typed(f.activity+" "+f.core, upperPlain) }, buyerMobile, nil,
			"The prospect is the legal name in upper case without accents or legal form; the buyer's mobile matches."},
		{"", func(_ *gen, f *firm) string { return typed(f.trade, upperAccents) }, buyerMail, nil,
			"The trade name in upper case, reached through the buyer's e-mail on the customer's contact."},
		{"Ltda ME", otherForm, landline, nil,
			"The legal form is written another way; the switchboard number is shared."},
		{"", func(g *gen, f *firm) string {
			return strings.TrimSuffix(f.core, " & Filhos") + " " + strings.Fields(abbreviateFirm(f.activity))[0]
		}, func(g *gen, f *firm, pr *customer.Customer) {
			buyerMobile(g, f, pr)
			pr.Emails = []contact.Email{f.buyer.email}
		}, nil, "The prospect is the distinctive word and an abbreviated line of business; the buyer's mobile and e-mail match."},
		{"S.A.", otherForm, mail, nil,
			"The joint-stock form is written another way (S/A, SA), and the company e-mail is shared."},
		{"", func(_ *gen, f *firm) string { return f.trade }, buyerMobile, func(_ *gen, _ *firm, cu *customer.Customer) {
			cu.TradeName = ""
		}, "The DMS record has no trade name and the prospect is only the trade name; the buyer's mobile links them."},
		{"", func(_ *gen, f *firm) string { return abbreviateFirm(f.legal()) }, func(_ *gen, f *firm, pr *customer.Customer) {
			pr.Phones = []contact.Phone{contact.MustParsePhone(f.landline.String() + ";ext=2" + f.landline.Subscriber()[5:7])}
		}, nil, "The prospect gave the switchboard with an extension; the legal name is abbreviated."},
		{"", func(_ *gen, f *firm) string { return typed(f.activity+" "+f.core, upperAccents) }, func(g *gen, f *firm, pr *customer.Customer) {
			pr.Phones = nil
			pr.Emails = []contact.Email{g.emailAt(slug(f.buyer.name.first()) + "@" + f.domain)}
		}, nil, "The prospect's e-mail is another mailbox of the company's domain; only the domain and the name link them."},
		{"", func(_ *gen, f *firm) string { return strings.TrimSuffix(f.core, " & Filhos") }, buyerMobile, nil,
			"The prospect is only the family or fantasy word of the name; the buyer's mobile matches."},
		{"Ltda ME", func(_ *gen, f *firm) string { return f.activity + " " + f.core + " Ltda" }, func(g *gen, f *firm, pr *customer.Customer) {
			landline(g, f, pr)
			pr.Emails = []contact.Email{f.email}
		}, nil, "ME dropped from the legal name; switchboard and e-mail match."},
		{"", func(_ *gen, f *firm) string { return typed(f.trade, titlePlain) }, buyerMobile, nil,
			"The trade name without accents; the buyer's mobile is the only link."},
	}
	vs := make([]variant, len(rows))
	for i, r := range rows {
		vs[i] = variant{r.note, func(g *gen) (*customer.Customer, *customer.Customer) {
			f := g.newFirm(g.city())
			if r.form != "" {
				f.form = r.form
			}
			pr := g.firmProspect(f, r.name(g, f))
			r.l(g, f, pr)
			cu := g.firmCustomer(f, 1)
			if r.tweak != nil {
				r.tweak(g, f, cu)
			}
			return pr, cu
		}}
	}
	return vs
}

// Nicknames Brazilians go by, for given names of the lists.
var nicknames = map[string]string{
	"José Carlos": "Zé Carlos", "José Roberto": "Zé Roberto", "Maria Aparecida": "Cida",
	"Maria das Graças": "Graça", "Francisco": "Chico", "Antônio": "Toninho", "Sebastião": "Tião",
}

// weakEvidence: true duplicates with little shared evidence.
func weakEvidence() []variant {
	return []variant{
		{"A slip in the surname, and the mobile typed with the area code of a neighbouring city; only the subscriber number is shared.",
			func(g *gen) (*customer.Customer, *customer.Customer) {
				var c *city
				for c == nil || c.ddd == g.otherCity(c).ddd {
					c = g.pickCity(pick(g, []*area{areas[0], areas[2], areas[3]}))
				}
				p := g.personWhere(c, nil, slipable)
				bad, _ := typo(p.name, g, false)
				other := c
				for other.ddd == c.ddd {
					other = g.otherCity(c)
				}
				pr, cu := g.pc(p, func(fullName) string { return bad.String() }, registered, byMobile)
				pr.Phones = []contact.Phone{g.phoneAt("+55" + other.ddd + p.mobile.Subscriber())}
				return pr, cu
			}},
		{"The prospect gave a nickname and the home landline; no other field matches.",
			func(g *gen) (*customer.Customer, *customer.Customer) {
				p := g.personWhere(g.city(), nil, func(n fullName) bool {
					_, ok := nicknames[n.given().String()]
					return ok
				})
				nick := nicknames[p.name.given().String()]
				return g.pc(p, func(n fullName) string { return nick + " " + n.lastSurname().String() }, registered, byLandline)
			}},
		{"The prospect dropped the suffix Filho and wrote the Gmail address without its dot; nothing else matches.",
			func(g *gen) (*customer.Customer, *customer.Customer) {
				p := g.newPerson(g.city(), male)
				p.name = p.name.withSuffix("Filho")
				first, last := slug(p.name.first()), slug(p.name.surnameWords()[len(p.name.surnameWords())-1])
				p.email = g.claimEmail(first+"."+last, "gmail.com")
				local := strings.Replace(strings.Split(p.email.String(), "@")[0], ".", "", 1)
				pr, cu := g.pc(p, func(n fullName) string { return strings.TrimSuffix(n.String(), " Filho") }, registered, byNewMobile)
				pr.Emails = []contact.Email{g.emailAt(local + "@gmail.com")}
				return pr, cu
			}},
		{"The prospect's e-mail was typed at gmail.com.br for gmail.com, and the name abbreviated; no phone matches.",
			func(g *gen) (*customer.Customer, *customer.Customer) {
				p := g.personWhere(g.city(), nil, compoundGiven)
				p.email = g.emailFor(p.name, p.birth.Year, "gmail.com")
				pr, cu := g.pc(p, nameAs(asRegistered, abbrevMiddleGiven), registered, byNewMobile)
				pr.Emails = []contact.Email{g.emailAt(p.email.String() + ".br")}
				return pr, cu
			}},
		{"A short name, the employer, and the employer's switchboard that the customer lists with an extension.",
			func(g *gen) (*customer.Customer, *customer.Customer) {
				p := g.personWhere(g.city(), nil, twoSurnames)
				p.employer = pick(g, employers[:9])
				work := g.landline(p.city)
				pr, cu := g.pc(p, nameAs(asRegistered, opFirstAndLast), registered, byNewMobile)
				pr.Phones = []contact.Phone{work}
				pr.Employer = p.employer
				cu.Phones = append(cu.Phones, contact.MustParsePhone(work.String()+";ext="+strconv.Itoa(g.between(200, 899))))
				return pr, cu
			}},
		{"Married name, new phone, new city; only the birth date and the personal reference are shared.",
			func(g *gen) (*customer.Customer, *customer.Customer) {
				p := g.personWhere(g.city(), female, anyName)
				p.birth = g.birthIn(max(p.birth.Year, 1965), 2000)
				ref := g.reference(p.city, "mãe")
				cu := g.asCustomer(p)
				cu.BirthDate = p.birth
				cu.PersonalReferences = []reference.Personal{ref}
				pr := g.asProspect(p)
				pr.Name = married(p.name, g.otherSurname(areaOf(p.city), p.name), false).String()
				moved := g.otherCity(p.city)
				pr.Phones = []contact.Phone{g.mobile(moved)}
				pr.Emails = nil
				pr.BirthDate = p.birth
				pr.Addresses = []address.Address{g.homeAddress(moved)}
				pr.PersonalReferences = []reference.Personal{ref}
				pr.Notes = "Ficha de crédito preenchida. " + g.wish()
				return pr, cu
			}},
		{"Two digits of the mobile swapped and the name surname first in upper case; the birth date matches.",
			func(g *gen) (*customer.Customer, *customer.Customer) {
				p := g.newPerson(g.city(), nil)
				pr, cu := g.pc(p, surnameFirstAs(upperPlain), registered, byMobile)
				s := []byte(p.mobile.String())
				for k := len(s) - 1; k > 6; k-- {
					if s[k] != s[k-1] {
						s[k], s[k-1] = s[k-1], s[k]
						break
					}
				}
				pr.Phones = []contact.Phone{g.phoneAt(string(s))}
				pr.BirthDate = p.birth
				cu.BirthDate = p.birth
				return pr, cu
			}},
		{"Only the old 8-digit mobile in the legacy record's notes links it to a prospect whose middle surname is an initial and particles dropped.",
			func(g *gen) (*customer.Customer, *customer.Customer) {
				p := g.personWhere(g.city(), nil, all(twoSurnames, withParticle, bornBy(1985)))
				p.birth = g.birthIn(max(1945, givenOf(p.name).born[0]), 1990)
				pr, cu := g.pc(p, nameAs(asRegistered, dropParticles, abbrevMiddleSurnames), registered, byMobile)
				g.ensureLandline(p)
				cu.Phones = []contact.Phone{p.landline}
				cu.Emails = nil
				cu.Notes = "Cadastro migrado do sistema antigo; celular " + oldMobile(p.mobile)
				return pr, cu
			}},
		{"The trade-in plate in Mercosul form against the old plate, a given name spelt another way, and different phones.",
			func(g *gen) (*customer.Customer, *customer.Customer) {
				p := g.personWhere(g.city(), nil, func(n fullName) bool {
					for _, w := range []string{"Rafael", "Thiago", "Matheus", "Luiz", "Tereza", "Luíza"} {
						if n.first() == w {
							return true
						}
					}
					return false
				})
				p.car = g.someVehicle(p.city.uf, 2010, 2018, false)
				alt, _ := spellingOf(p.name.first(), g)
				spelt := p.name.clone()
				spelt[0].text = alt
				pr, cu := g.pc(p, func(fullName) string { return spelt.String() }, registered, byNewMobile)
				cu.Assets = []asset.Asset{p.car.asAsset(true, false, false, g)}
				pr.Assets = []asset.Asset{prospectVehicle(p.car, p.car.plate.Mercosul(), false)}
				return pr, cu
			}},
		{"A company prospect under its trade name with a slip, reached only by the buyer's mobile listed on the customer's contact.",
			func(g *gen) (*customer.Customer, *customer.Customer) {
				var f *firm
				for f == nil || !slipable(fullName{{strings.Fields(f.trade)[len(strings.Fields(f.trade))-1], kSurname}}) {
					f = g.newFirm(g.city())
				}
				words := strings.Fields(f.trade)
				words[len(words)-1] = misspell(words[len(words)-1], g)
				pr := g.firmProspect(f, strings.Join(words, " "))
				cu := g.firmCustomer(f, 1)
				return pr, cu
			}},
	}
}

// sameTaxID: two records with one CPF or CNPJ, as an import finds them
// before it merges.
func sameTaxID() []variant {
	type row struct {
		name  func(fullName) string
		tweak func(g *gen, p *person, a, b *customer.Customer)
		pred  func(fullName) bool
		note  string
	}
	rows := []row{
		{nameAs(upperPlain), nil, anyName,
			"The imported row has the same CPF and the name in upper case without accents."},
		{nameAs(asRegistered, abbrevMiddleGiven), func(g *gen, p *person, a, b *customer.Customer) {
			b.Addresses = []address.Address{g.homeAddress(p.city)}
		}, compoundGiven, "Same CPF, an abbreviated given name and a newer address."},
		{nameAs(asRegistered, dropParticles), func(g *gen, p *person, a, b *customer.Customer) {
			b.Phones = []contact.Phone{g.mobile(p.city)}
			b.BirthDate = date.Date{}
		}, withParticle, "Same CPF, particles dropped, a new mobile and no birth date on the imported row."},
		{surnameFirstAs(upperPlain), nil, anyName,
			"Same CPF, the name surname first in upper case, the rest unchanged."},
		{nil, func(g *gen, p *person, a, b *customer.Customer) {
			b.Emails = []contact.Email{g.emailFor(p.name, p.birth.Year, g.mailDomain())}
		}, anyName, "Same CPF, the married name and a new e-mail."},
		{nil, nil, slipable, "Same CPF with a slip in a surname; everything else equal."},
		{nil, nil, nil, "Same CNPJ; the import has the legal name in upper case without accents and a new switchboard."},
		{nil, nil, nil, "Same CNPJ; the import put the trade name in the name field."},
		{nameAs(titlePlain), func(g *gen, p *person, a, b *customer.Customer) {
			*b = customer.Customer{Kind: customer.Individual, Status: customer.StatusCustomer, Name: b.Name,
				TaxID: p.cpf, Phones: []contact.Phone{p.mobile}}
		}, withAccent, "Same CPF; the imported row has only the name without accents and the mobile."},
		{nameAs(lowerPlain), func(g *gen, p *person, a, b *customer.Customer) {
			*b = *g.asProspect(p)
			b.Name = typed(p.name.String(), lowerPlain)
			b.TaxID = p.cpf
		}, anyName, "A lead list with CPFs imported as prospects, in lower case without accents, against the customer."},
	}
	vs := make([]variant, len(rows))
	for i, r := range rows {
		vs[i] = variant{r.note, func(g *gen) (*customer.Customer, *customer.Customer) {
			if i == 6 || i == 7 {
				f := g.newFirm(g.city())
				a := g.firmCustomer(f, 1)
				b := g.firmCustomer(f, 2)
				b.TaxID = a.TaxID
				b.Addresses, b.Contacts, b.Assets = a.Addresses, a.Contacts, a.Assets
				if i == 6 {
					b.Name = typed(f.activity+" "+f.core, upperPlain)
					b.Phones = []contact.Phone{g.landline(f.city)}
				} else {
					b.Name, b.TradeName = f.trade, ""
				}
				return a, b
			}
			p := g.personWhere(g.city(), nil, r.pred)
			if i == 4 {
				p = g.personWhere(g.city(), female, anyName)
			}
			a := g.asCustomer(p)
			b := g.asCustomer(p)
			switch {
			case i == 4:
				b.Name = married(p.name, g.otherSurname(areaOf(p.city), p.name), false).String()
			case i == 5:
				bad, _ := typo(p.name, g, false)
				b.Name = bad.String()
			default:
				b.Name = r.name(p.name)
			}
			b.Assets, b.ServiceOrders, b.DMSCode = a.Assets, a.ServiceOrders, a.DMSCode
			b.BirthDate = a.BirthDate
			if r.tweak != nil {
				r.tweak(g, p, a, b)
			}
			return a, b
		}}
	}
	return vs
}
