package main

import (
	"strings"
	"time"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/date"
)

// recordAs makes the record of p for a shape letter: 'c' a DMS customer,
// 'p' a showroom prospect; the name typed by name when it is not nil.
func (g *gen) recordAs(p *person, shape byte, name func(fullName) string) *customer.Customer {
	var r *customer.Customer
	if shape == 'c' {
		r = g.asCustomer(p)
	} else {
		r = g.asProspect(p)
	}
	if name != nil {
		r.Name = name(p.name)
	}
	return r
}

// birthAfter draws a birth date between lo and hi years after d, and not
// after an adult's.
func (g *gen) birthAfter(d date.Date, lo, hi int) date.Date {
	return g.birthIn(d.Year+lo, d.Year+hi)
}

// homonyms: two people with the same very common name.
func homonyms() []variant {
	givens := []string{"Maria", "José", "Ana", "João", "Antônio", "Francisco", "Maria José", "Maria Aparecida",
		"José Carlos", "Ana Paula", "João Batista", "Francisco das Chagas", "Antônio Carlos", "Maria de Fátima"}
	families := []string{"da Silva", "dos Santos", "de Oliveira", "de Souza", "Pereira", "Ferreira", "da Silva Santos",
		"dos Santos Silva", "Rodrigues", "Alves", "Lima", "de Jesus", "Pereira da Silva", "Gomes"}
	type row struct {
		shape      string
		where      string // "city", "district", "area" (another city of the group), "far" (another region)
		sa, sb     func(fullName) string
		note       string
		tweak      func(g *gen, p, q *person, a, b *customer.Customer)
		birthClose bool
	}
	rows := []row{
		{"cc", "city", nil, nil, "Two customers of one city with the same very common name; CPFs, birth dates and phones differ.", nil, false},
		{"pc", "area", nil, nil, "A prospect and a customer with the same common name in two cities of one dealer group.", nil, false},
		{"pc", "city", nameAs(upperPlain), nil, "An upper-case prospect with the exact name of a customer of the same city, and nothing else in common.", nil, false},
		{"pp", "city", nil, nameAs(lowerPlain), "Two prospects of one city with the same name, one in lower case; the phones differ.", nil, false},
		{"cc", "area", nil, nameAs(upperPlain), "Two customers with the same name, one exported in upper case without accents, in two cities.", nil, false},
		{"pc", "district", nil, nil, "The prospect gave an address in the same district as the customer of the same name.",
			func(g *gen, p, q *person, a, b *customer.Customer) { a.Addresses = []address.Address{p.home} }, false},
		{"pc", "city", nil, nil, "The prospect of the same name gave a birth date, and it is not the customer's.",
			func(g *gen, p, q *person, a, b *customer.Customer) {
				a.BirthDate = p.birth
				a.Notes = "Simulação de crédito. " + g.wish()
			}, false},
		{"pc", "city", nil, nil, "A prospect and a customer of one city with the same name, both with free-mail addresses made of the name.",
			func(g *gen, p, q *person, a, b *customer.Customer) {
				a.Emails = []contact.Email{g.emailFor(p.name, p.birth.Year, "gmail.com")}
				b.Emails = []contact.Email{g.emailFor(q.name, q.birth.Year, "gmail.com")}
			}, false},
		{"pc", "city", nameAs(titlePlain), nil, "A prospect without accents and a customer of the same name and city, each with their own mobile.", nil, false},
		{"pp", "area", nil, nil, "Two prospects with the same name from two stores of the group.", nil, false},
		{"cp", "city", nil, nil, "The same name, city and car model, with different VINs and plates.",
			func(g *gen, p, q *person, a, b *customer.Customer) {
				if p.car == nil {
					p.car = g.someVehicle(p.city.uf, 2015, now.Year(), false)
				}
				v := g.newVehicle(p.car.model, p.car.year, q.city.uf)
				a.Assets = []asset.Asset{p.car.asAsset(true, false, false, g)}
				b.Assets = []asset.Asset{prospectVehicle(v, v.plate, false)}
				b.Notes = "Avaliação do usado para troca. " + g.wish()
			}, false},
		{"cc", "city", nil, nil, "Two customers with the same name born the same year, on different days.", nil, true},
		{"pc", "far", nil, nil, "A prospect with the name of a customer who lives in another region.", nil, false},
		{"pc", "city", nameAs(asRegistered, dropParticles), nil, "The prospect's name differs only by a dropped particle from a customer of the same city.", nil, false},
	}
	vs := make([]variant, len(rows))
	for i, r := range rows {
		vs[i] = variant{r.note, func(g *gen) (*customer.Customer, *customer.Customer) {
			gn := givenNamed(givens[i])
			fam := familyTokens(families[(i*5)%len(families)])
			c := g.city()
			p := g.personNamed(c, gn, fam)
			var qc *city
			switch r.where {
			case "area":
				qc = g.otherCity(c)
			case "far":
				for qc == nil || areaOf(qc) == areaOf(c) {
					qc = g.city()
				}
			default:
				qc = c
			}
			q := g.personNamed(qc, gn, fam)
			if r.birthClose {
				q.birth = p.birth
			}
			for q.birth == p.birth {
				if r.birthClose {
					m := time.Month(g.between(1, 12))
					q.birth = date.MustNew(p.birth.Year, m, g.between(1, date.DaysIn(m, p.birth.Year)))
				} else {
					q.birth = g.birthIn(gn.born[0], gn.born[1])
				}
			}
			if r.where == "district" {
				q.home.District = p.home.District
			}
			a := g.recordAs(p, r.shape[0], r.sa)
			b := g.recordAs(q, r.shape[1], r.sb)
			if r.tweak != nil {
				r.tweak(g, p, q, a, b)
			}
			return a, b
		}}
	}
	return vs
}

// fatherSon: a father and the son named after him (Filho, Júnior), a
// grandfather and his Neto, an uncle and his Sobrinho.
func fatherSon() []variant {
	type row struct {
		suffix   string
		gap      [2]int // years between them
		shape    string // father's and son's records
		fa, so   func(fullName) string
		sameHome bool
		note     string
		tweak    func(g *gen, f, s *person, a, b *customer.Customer)
	}
	jr := func(form string) func(fullName) string {
		return func(n fullName) string { return strings.Replace(n.String(), "Júnior", form, 1) }
	}
	noSuffix := func(style caseStyle) func(fullName) string {
		return func(n fullName) string { return typed(n[:len(n)-1].String(), style) }
	}
	rows := []row{
		{"Filho", [2]int{22, 34}, "cc", nil, nil, true,
			"Father and son, the son a Filho, both customers with their own CPFs, sharing address and landline.", nil},
		{"Júnior", [2]int{22, 34}, "cp", nil, jr("Jr."), true,
			"The son's prospect writes the suffix Júnior short and gives the family landline with his mobile.",
			func(g *gen, f, s *person, a, b *customer.Customer) { b.Phones = append(b.Phones, f.landline) }},
		{"Júnior", [2]int{22, 34}, "cp", nil, noSuffix(upperPlain), true,
			"The son's prospect dropped the suffix, so the names are the same, and it gives the father's address and landline.",
			func(g *gen, f, s *person, a, b *customer.Customer) {
				b.Addresses = []address.Address{s.home}
				b.Phones = []contact.Phone{s.mobile, f.landline}
			}},
		{"Neto", [2]int{45, 60}, "cp", nil, nil, true,
			"A grandfather and his grandson Neto at the same address, which the grandson's prospect gives.",
			func(g *gen, f, s *person, a, b *customer.Customer) { b.Addresses = []address.Address{s.home} }},
		{"Júnior", [2]int{22, 34}, "pc", nameAs(asRegistered, opFirstAndLast), nil, true,
			"The father came along as a prospect under a short name with the home landline; the son is the Júnior customer.",
			func(g *gen, f, s *person, a, b *customer.Customer) { a.Phones = []contact.Phone{f.landline} }},
		{"Júnior", [2]int{22, 34}, "cp", nil, nameAs(upperPlain), true,
			"The son's prospect, in upper case with the suffix Júnior, gives the family landline.",
			func(g *gen, f, s *person, a, b *customer.Customer) { b.Phones = append(b.Phones, f.landline) }},
		{"Filho", [2]int{22, 34}, "cp", nil, nil, true,
			"The son's prospect gives only the family landline, which the father's record has.",
			func(g *gen, f, s *person, a, b *customer.Customer) {
				b.Phones, b.Emails = []contact.Phone{f.landline}, nil
			}},
		{"Filho", [2]int{22, 34}, "cc", nil, nil, true,
			"Father and son Filho, both customers at one address, the son's record without birth date.",
			func(g *gen, f, s *person, a, b *customer.Customer) { b.BirthDate = date.Date{} }},
		{"Filho", [2]int{22, 34}, "cp", nameAs(upperPlain), noSuffix(titlePlain), false,
			"The son moved out, dropped the suffix on the prospect and gave the parents' landline; the names read the same.",
			func(g *gen, f, s *person, a, b *customer.Customer) { b.Phones = []contact.Phone{s.mobile, f.landline} }},
		{"Júnior", [2]int{22, 34}, "cp", nil, jr("Jr"), true,
			"The son's prospect offers his father's car as trade-in and gives the parents' address.",
			func(g *gen, f, s *person, a, b *customer.Customer) {
				if f.car == nil {
					f.car = g.someVehicle(f.city.uf, 2012, 2018, false)
				}
				a.Assets = []asset.Asset{f.car.asAsset(true, true, false, g)}
				b.Assets = []asset.Asset{prospectVehicle(f.car, f.car.plate.Mercosul(), false)}
				b.Addresses = []address.Address{s.home}
				b.Notes = "Avaliação do usado para troca. " + g.wish()
			}},
		{"Sobrinho", [2]int{20, 40}, "cp", nil, nil, false,
			"An uncle and the nephew named after him, a Sobrinho, in the same city; nothing else is shared.", nil},
		{"Neto", [2]int{22, 34}, "cc", nil, nil, true,
			"A Júnior and his son Neto at one address: the same name with two different suffixes.",
			func(g *gen, f, s *person, a, b *customer.Customer) {}},
	}
	vs := make([]variant, len(rows))
	for i, r := range rows {
		vs[i] = variant{r.note, func(g *gen) (*customer.Customer, *customer.Customer) {
			c := g.city()
			hi := now.Year() - 18 - r.gap[0]
			pred := bornBy(hi - 5)
			if i == 4 {
				pred = all(pred, shortenable)
			}
			f := g.personWhere(c, male, pred)
			f.birth = g.birthIn(max(1940, givenOf(f.name).born[0]), hi)
			g.ensureLandline(f)
			if i == len(rows)-1 {
				f.name = f.name.withSuffix("Júnior")
			}
			sonBirth := g.birthAfter(f.birth, r.gap[0], r.gap[1])
			sonName := f.name.withSuffix(r.suffix)
			var s *person
			if r.sameHome {
				s = g.household(f, sonName, false, sonBirth)
			} else {
				s = &person{city: c, name: sonName, birth: sonBirth}
				g.fill(s)
			}
			a := g.recordAs(f, r.shape[0], r.fa)
			b := g.recordAs(s, r.shape[1], r.so)
			if r.tweak != nil {
				r.tweak(g, f, s, a, b)
			}
			return a, b
		}}
	}
	return vs
}

// motherDaughter: a mother and the daughter who has her given name, often
// with the surnames the mother took at marriage.
func motherDaughter() []variant {
	type row struct {
		keepAll bool // the mother kept both her surnames and added her husband's
		shape   string
		mo, da  func(fullName) string
		note    string
		tweak   func(g *gen, m, d *person, a, b *customer.Customer)
	}
	rows := []row{
		{true, "cc", nil, nil, "Mother and daughter with the same given names; the mother has one surname more, and they share address and landline.", nil},
		{false, "cp", nil, nil, "The mother's married name and the daughter's name are the same; the daughter's prospect gives the home address.",
			func(g *gen, m, d *person, a, b *customer.Customer) { b.Addresses = []address.Address{d.home} }},
		{false, "pc", nameAs(upperPlain), nil, "The mother's prospect in upper case has the daughter's exact name and the family landline.",
			func(g *gen, m, d *person, a, b *customer.Customer) { a.Phones = []contact.Phone{m.landline} }},
		{true, "cc", nameAs(upperPlain), nil, "Mother and daughter at one address, the mother's record in upper case and the daughter's without birth date.",
			func(g *gen, m, d *person, a, b *customer.Customer) { a.BirthDate, b.BirthDate = m.birth, date.Date{} }},
		{true, "cp", nil, nameAs(asRegistered, opFirstAndLast), "The daughter's prospect gives her first name and last surname, which fit her mother's name too, and the family landline.",
			func(g *gen, m, d *person, a, b *customer.Customer) { b.Phones = []contact.Phone{d.mobile, m.landline} }},
		{false, "cc", nil, nil, "Identical names, one address, and the daughter's record carries her mother's e-mail.",
			func(g *gen, m, d *person, a, b *customer.Customer) {
				g.ensureEmail(m)
				a.Emails = []contact.Email{m.email}
				b.Emails = []contact.Email{m.email}
			}},
		{false, "pp", nil, nameAs(lowerPlain), "Two prospects with the same name, mother and daughter, sharing the home landline.",
			func(g *gen, m, d *person, a, b *customer.Customer) {
				a.Phones = []contact.Phone{m.mobile, m.landline}
				b.Phones = []contact.Phone{d.mobile, m.landline}
			}},
		{true, "cp", nil, nameAs(titlePlain), "The daughter's prospect lost its accents and gives her mother's address and landline.",
			func(g *gen, m, d *person, a, b *customer.Customer) {
				b.Addresses = []address.Address{d.home}
				b.Phones = []contact.Phone{m.landline}
			}},
	}
	vs := make([]variant, len(rows))
	for i, r := range rows {
		vs[i] = variant{r.note, func(g *gen) (*customer.Customer, *customer.Customer) {
			c := g.city()
			m := g.personWhere(c, female, all(twoSurnames, bornBy(1975)))
			m.birth = g.birthIn(max(1950, givenOf(m.name).born[0]), 1980)
			g.ensureLandline(m)
			maiden := m.name
			husband := g.otherSurname(areaOf(c), maiden)
			short, _ := dropMiddleSurname(maiden)
			daughter := join(short, husband)
			if r.keepAll {
				m.name = join(maiden, husband)
			} else {
				m.name = daughter
			}
			d := g.household(m, daughter.clone(), true, g.birthAfter(m.birth, 20, 35))
			a := g.recordAs(m, r.shape[0], r.mo)
			b := g.recordAs(d, r.shape[1], r.da)
			if r.tweak != nil {
				r.tweak(g, m, d, a, b)
			}
			return a, b
		}}
	}
	return vs
}

// spouses: a couple sharing a surname, a home, a landline, sometimes an
// e-mail or a car.
func spouses() []variant {
	type row struct {
		shape  string
		hu, wi func(fullName) string
		note   string
		tweak  func(g *gen, h, w *person, a, b *customer.Customer, family contact.Email)
	}
	// Men's names whose feminine form is a letter away.
	pairs := map[string]string{"Adriano": "Adriana", "Luciano": "Luciana", "Fernando": "Fernanda", "Márcio": "Márcia", "Cláudio": "Cláudia"}
	rows := []row{
		{"cc", nil, nil, "A couple, both customers, sharing the surname, the address and the landline.", nil},
		{"cp", nil, nil, "The wife's prospect gives her husband's e-mail, and she has his surname.",
			func(g *gen, h, w *person, a, b *customer.Customer, _ contact.Email) {
				g.ensureEmail(h)
				a.Emails = []contact.Email{h.email}
				b.Emails = []contact.Email{h.email}
			}},
		{"cc", nil, nil, "Both customers list the family e-mail and live at one address.",
			func(g *gen, h, w *person, a, b *customer.Customer, family contact.Email) {
				a.Emails = []contact.Email{family}
				b.Emails = []contact.Email{family}
			}},
		{"pc", nameAs(asRegistered, opFirstAndLast), nil, "The husband came with his wife and left a short name and the home landline.",
			func(g *gen, h, w *person, a, b *customer.Customer, _ contact.Email) {
				a.Phones, a.Emails = []contact.Phone{h.landline}, nil
			}},
		{"cc", nil, nil, "A couple with different surnames sharing the address and one e-mail.",
			func(g *gen, h, w *person, a, b *customer.Customer, family contact.Email) {
				a.Emails = []contact.Email{family}
				b.Emails = []contact.Email{family}
			}},
		{"cp", nil, nameAs(upperPlain), "The wife's prospect, in upper case without accents, gives the home landline; her husband is the customer.",
			func(g *gen, h, w *person, a, b *customer.Customer, _ contact.Email) {
				b.Phones = append(b.Phones, h.landline)
			}},
		{"pc", nameAs(asRegistered, opFirstAndLast), nil, "The husband's prospect under a short name gives the home address where his wife is a customer.",
			func(g *gen, h, w *person, a, b *customer.Customer, _ contact.Email) {
				a.Addresses = []address.Address{h.home}
			}},
		{"cc", nil, nil, "The couple's car is on both records, with the same VIN and plate, and the address is shared.",
			func(g *gen, h, w *person, a, b *customer.Customer, _ contact.Email) {
				if h.car == nil {
					h.car = g.someVehicle(h.city.uf, 2015, now.Year(), false)
				}
				a.Assets = []asset.Asset{h.car.asAsset(true, true, false, g)}
				b.Assets = []asset.Asset{h.car.asAsset(true, false, false, g)}
			}},
		{"pp", nil, nameAs(lowerPlain), "Two prospects of a couple with the family e-mail and the home landline.",
			func(g *gen, h, w *person, a, b *customer.Customer, family contact.Email) {
				a.Phones = []contact.Phone{h.mobile, h.landline}
				b.Phones = []contact.Phone{h.landline}
				a.Emails = []contact.Email{family}
				b.Emails = []contact.Email{family}
			}},
		{"cp", nil, nil, "The wife's prospect gives the home address and landline and her birth date; her husband is the customer.",
			func(g *gen, h, w *person, a, b *customer.Customer, _ contact.Email) {
				b.Addresses = []address.Address{w.home}
				b.Phones = []contact.Phone{w.mobile, h.landline}
				b.BirthDate = w.birth
				b.Notes = "Simulação de crédito. " + g.wish()
			}},
		{"cp", nil, nil, "A couple whose given names differ by one letter; her prospect has his surname and gives the family landline.",
			func(g *gen, h, w *person, a, b *customer.Customer, _ contact.Email) {
				b.Phones = append(b.Phones, h.landline)
			}},
		{"cp", nil, nil, "The wife kept her own surnames; her prospect gives the couple's address and her husband's mobile as a second phone.",
			func(g *gen, h, w *person, a, b *customer.Customer, _ contact.Email) {
				b.Addresses = []address.Address{w.home}
				b.Phones = []contact.Phone{w.mobile, h.mobile}
			}},
	}
	vs := make([]variant, len(rows))
	for i, r := range rows {
		vs[i] = variant{r.note, func(g *gen) (*customer.Customer, *customer.Customer) {
			c := g.city()
			pred := bornBy(1990)
			if i == 3 || i == 6 {
				pred = all(pred, shortenable)
			}
			if i == 10 {
				pred = func(n fullName) bool { return pairs[n.given().String()] != "" }
			}
			h := g.personWhere(c, male, pred)
			h.birth = g.birthIn(max(1950, givenOf(h.name).born[0]), 1998)
			g.ensureLandline(h)
			wgn := g.givenAround(female, h.birth.Year)
			own := g.otherSurname(areaOf(c), h.name)
			wname := join(givenTokens(wgn.text), own, h.name.lastSurname())
			wbirth := g.birthIn(h.birth.Year-6, h.birth.Year+4)
			switch i {
			case 4:
				// A same-sex couple: neither took the other's surname.
				wgn = g.givenAround(male, h.birth.Year)
				wname = join(givenTokens(wgn.text), g.drawFamily(areaOf(c)))
			case 10:
				wgn = givenNamed(pairs[h.name.given().String()])
				wname = join(givenTokens(wgn.text), own, h.name.lastSurname())
			case 11:
				wname = join(givenTokens(wgn.text), g.drawFamily(areaOf(c)))
			}
			w := g.household(h, wname, wgn.female, wbirth)
			family := g.claimEmail("familia"+slug(h.name.lastSurname().String()), g.mailDomain())
			a := g.recordAs(h, r.shape[0], r.hu)
			b := g.recordAs(w, r.shape[1], r.wi)
			if r.tweak != nil {
				r.tweak(g, h, w, a, b, family)
			}
			return a, b
		}}
	}
	return vs
}

// pairOfGiven returns the entries of two given names, inventing the ones
// the lists lack (Paula, Márcia is there) with a plausible span of years.
func pairOfGiven(a, b string, born [2]int, female1, female2 bool) (givenName, givenName) {
	get := func(s string, f bool) givenName {
		for _, n := range givenNames {
			if n.text == s {
				return n
			}
		}
		return givenName{s, f, 0, born}
	}
	return get(a, female1), get(b, female2)
}

// siblings: brothers and sisters, some with names one letter apart.
func siblings() []variant {
	type row struct {
		a, b     string
		fa, fb   bool
		shape    string
		sameHome bool
		sb       func(fullName) string
		note     string
	}
	rows := []row{
		{"Márcio", "Márcia", false, true, "cc", true, nil, "A brother and a sister whose given names differ by the last letter, at their parents' address."},
		{"Paulo", "Paula", false, true, "cp", false, nil, "A brother and a sister a letter apart who share only the parents' landline."},
		{"João Pedro", "João Vitor", false, false, "cc", true, nil, "Two brothers whose compound given names share the first word, at one address."},
		{"Maria Eduarda", "Maria Clara", true, true, "pc", true, nil, "Two sisters named Maria and a second name, one a prospect, sharing the home landline."},
		{"", "", false, false, "cp", true, nil, "Two brothers with the same surnames and the parents' address and landline."},
		{"Luciano", "Luciana", false, true, "pc", true, nameAs(upperPlain), "A brother and a sister a letter apart, one in upper case, sharing the home landline."},
		{"Ana Paula", "Ana Carolina", true, true, "cc", false, nil, "Two sisters named Ana and a second name, one moved to another city; surnames and the family landline are shared."},
		{"João Paulo", "João Pedro", false, false, "cp", true, nameAs(asRegistered, abbrevMiddleGiven), "Two brothers, one typed with his second given name as an initial that fits both."},
	}
	vs := make([]variant, len(rows))
	for i, r := range rows {
		vs[i] = variant{r.note, func(g *gen) (*customer.Customer, *customer.Customer) {
			c := g.city()
			ga, gb := pairOfGiven(r.a, r.b, [2]int{1965, 2000}, r.fa, r.fb)
			if r.a == "" {
				ga = g.givenAround(male, 1990)
				gb = ga
				for gb.text == ga.text {
					gb = g.givenAround(male, 1992)
				}
			}
			ba := g.birthIn(max(ga.born[0], gb.born[0]), min(ga.born[1], gb.born[1], 1998))
			bb := g.birthIn(ba.Year+2, ba.Year+8)
			parent := g.personWhere(c, male, all(twoSurnames, bornBy(ba.Year-22)))
			parent.birth = g.birthIn(ba.Year-40, ba.Year-22)
			g.ensureLandline(parent)
			family := join(g.otherSurname(areaOf(c), parent.name.lastSurname()), parent.name.lastSurname())
			x := g.household(parent, join(givenTokens(ga.text), family), ga.female, ba)
			y := g.household(parent, join(givenTokens(gb.text), family), gb.female, bb)
			if !r.sameHome {
				y.home = g.homeAddress(g.otherCity(c))
			}
			a := g.recordAs(x, r.shape[0], nil)
			b := g.recordAs(y, r.shape[1], r.sb)
			for _, rec := range []*customer.Customer{a, b} {
				if rec.Status == customer.StatusProspect {
					rec.Phones = append(rec.Phones, parent.landline)
				}
			}
			return a, b
		}}
	}
	return vs
}

// twins: same birth date, surnames and home; different given names.
func twins() []variant {
	type row struct {
		a, b   string
		fa, fb bool
		shape  string
		note   string
		tweak  func(g *gen, x, y *person, a, b *customer.Customer)
	}
	rows := []row{
		{"Lucas", "Gabriel", false, false, "cc", "Twin brothers: same birth date, surnames and address, different given names.", nil},
		{"Pedro Henrique", "Paulo Henrique", false, false, "cp", "Twins whose compound names differ only in the first word; the prospect gives the home landline.",
			func(g *gen, x, y *person, a, b *customer.Customer) { b.Phones = append(b.Phones, x.landline) }},
		{"Ana Clara", "Ana Luiza", true, true, "pc", "Twin sisters named Ana and a second name; the prospect gives the home landline, the customer has their birth date.",
			func(g *gen, x, y *person, a, b *customer.Customer) { a.Phones = append(a.Phones, x.landline) }},
		{"Fernando", "Fernanda", false, true, "pc", "A twin brother and sister a letter apart; the prospect gives their birth date and address.",
			func(g *gen, x, y *person, a, b *customer.Customer) {
				a.BirthDate = x.birth
				a.Addresses = []address.Address{x.home}
				a.Notes = "Simulação de crédito. " + g.wish()
			}},
		{"Júlia", "Juliana", true, true, "cc", "Twin sisters whose given names share their first letters, with the parents' e-mail on both records.",
			func(g *gen, x, y *person, a, b *customer.Customer) {
				e := g.claimEmail("familia"+slug(x.name.lastSurname().String()), g.mailDomain())
				a.Emails = []contact.Email{e}
				b.Emails = []contact.Email{e}
			}},
		{"Rafael", "Gabriel", false, false, "pp", "Two twin prospects with rhyming names who gave the home landline and the same birth date.",
			func(g *gen, x, y *person, a, b *customer.Customer) {
				a.Phones = []contact.Phone{x.mobile, x.landline}
				b.Phones = []contact.Phone{x.landline}
				a.BirthDate, b.BirthDate = x.birth, y.birth
			}},
	}
	vs := make([]variant, len(rows))
	for i, r := range rows {
		vs[i] = variant{r.note, func(g *gen) (*customer.Customer, *customer.Customer) {
			c := g.city()
			ga, gb := pairOfGiven(r.a, r.b, [2]int{1975, 2004}, r.fa, r.fb)
			lo, hi := max(ga.born[0], gb.born[0]), min(ga.born[1], gb.born[1])
			birth := g.birthIn(lo, hi)
			parent := g.personWhere(c, female, twoSurnames)
			g.ensureLandline(parent)
			family := join(parent.name.lastSurname(), g.otherSurname(areaOf(c), parent.name.lastSurname()))
			x := g.household(parent, join(givenTokens(ga.text), family), ga.female, birth)
			y := g.household(parent, join(givenTokens(gb.text), family), gb.female, birth)
			a := g.recordAs(x, r.shape[0], nil)
			b := g.recordAs(y, r.shape[1], nil)
			if a.Status == customer.StatusCustomer {
				a.BirthDate = birth
			}
			if b.Status == customer.StatusCustomer {
				b.BirthDate = birth
			}
			if r.tweak != nil {
				r.tweak(g, x, y, a, b)
			}
			return a, b
		}}
	}
	return vs
}

// sameBirthGivenName: strangers born the same day with the same given
// name.
func sameBirthGivenName() []variant {
	type row struct {
		given    string
		shape    string
		sameCity bool
		note     string
	}
	rows := []row{
		{"Ana Carolina", "cc", true, "Two customers of one city with the same given names and birth date, and other surnames."},
		{"José Carlos", "pc", false, "A prospect who gave his birth date, the same as a customer with his given names in another city."},
		{"Maria", "pc", true, "A prospect named Maria gave her birth date, the day another Maria of the city was born."},
		{"Lucas", "pc", true, "A prospect and a customer called Lucas, born the same day, with other surnames."},
		{"Fernanda", "cc", false, "Same given name and birth date, different surnames and cities."},
		{"João Pedro", "pp", true, "Two young prospects with the same compound given name and birth date."},
		{"Antônio", "cp", true, "Same given name and birth date, one surname in common among two."},
		{"Patrícia", "cc", true, "Same given name, birth date and district, different surnames."},
	}
	vs := make([]variant, len(rows))
	for i, r := range rows {
		vs[i] = variant{r.note, func(g *gen) (*customer.Customer, *customer.Customer) {
			gn := givenNamed(r.given)
			c := g.city()
			qc := c
			if !r.sameCity {
				qc = g.otherCity(c)
			}
			p := g.personNamed(c, gn, g.drawFamily(areaOf(c)))
			var q *person
			for q == nil || strings.Join(q.name.surnameWords(), " ") == strings.Join(p.name.surnameWords(), " ") {
				fam := g.drawFamily(areaOf(qc))
				if i == 6 {
					fam = join(g.otherSurname(areaOf(qc), p.name), p.name.lastSurname())
				}
				q = g.personNamed(qc, gn, fam)
			}
			q.birth = p.birth
			if i == 7 {
				q.home.District = p.home.District
			}
			a := g.recordAs(p, r.shape[0], nil)
			b := g.recordAs(q, r.shape[1], nil)
			for _, pr := range []struct {
				rec *customer.Customer
				who *person
			}{{a, p}, {b, q}} {
				pr.rec.BirthDate = pr.who.birth
				if pr.rec.Status == customer.StatusProspect {
					pr.rec.Notes = "Simulação de crédito. " + g.wish()
				}
			}
			return a, b
		}}
	}
	return vs
}

// sameBuilding: neighbours with similar names at one CEP and number.
func sameBuilding() []variant {
	type row struct {
		names func(g *gen, c *city) (fullName, fullName)
		shape string
		units [2]string
		note  string
	}
	fam := func(g *gen, c *city) fullName { return g.drawFamily(areaOf(c)) }
	rows := []row{
		{func(g *gen, c *city) (fullName, fullName) {
			gn := g.drawGiven(nil)
			return join(givenTokens(gn.text), fam(g, c)), join(givenTokens(gn.text), fam(g, c))
		}, "pc", [2]string{"Apto 302", "Apto 1104"}, "Neighbours in one building with the same given name and other surnames; the prospect gave the building's address."},
		{func(g *gen, c *city) (fullName, fullName) {
			f := familyTokens("dos Santos")
			return join(givenTokens(g.drawGiven(male).text), f), join(givenTokens(g.drawGiven(female).text), f)
		}, "cp", [2]string{"Ap. 51 Bloco A", "Ap. 82 Bloco C"}, "A man and a woman surnamed dos Santos in two flats of one building, unrelated."},
		{func(g *gen, c *city) (fullName, fullName) {
			f := fam(g, c)
			return join(givenTokens("Carlos Alberto"), f), join(givenTokens("Carlos Roberto"), f)
		}, "cc", [2]string{"Apto 71", "Apto 17"}, "Carlos Alberto and Carlos Roberto with the same surnames in flats 71 and 17 of one building."},
		{func(g *gen, c *city) (fullName, fullName) {
			return join(givenTokens("Maria"), familyTokens("da Silva")), join(givenTokens("Maria José"), familyTokens("da Silva"))
		}, "pc", [2]string{"Apto 203", "Apto 1203"}, "One name contains the other, at one building; the prospect gave her flat."},
		{func(g *gen, c *city) (fullName, fullName) {
			f := fam(g, c)
			return join(givenTokens("Ana Paula"), f), join(givenTokens("Ana Lúcia"), f)
		}, "cp", [2]string{"Apartamento 404", "Apartamento 44"}, "Ana Paula and Ana Lúcia with the same surnames, two unrelated neighbours, one a prospect."},
		{func(g *gen, c *city) (fullName, fullName) {
			f := fam(g, c)
			gn := g.drawGiven(nil)
			return join(givenTokens(gn.text), f), join(givenTokens(g.drawGiven(nil).text), f[len(f)-1:])
		}, "pc", [2]string{"Apto 901 Torre 1", "Apto 901 Torre 2"}, "The same flat number in two towers of one condominium, and a surname in common."},
		{func(g *gen, c *city) (fullName, fullName) {
			gn := g.drawGiven(female)
			f := fam(g, c)
			return join(givenTokens(gn.text), f), join(givenTokens(gn.text), g.otherSurname(areaOf(c), f), f[len(f)-1:])
		}, "cc", [2]string{"Apto 101", "Apto 1001"}, "Same given name and last surname, flats 101 and 1001, other middle surnames."},
		{func(g *gen, c *city) (fullName, fullName) {
			gn := g.drawGiven(male)
			return join(givenTokens(gn.text), fam(g, c)), join(givenTokens(gn.text), fam(g, c))
		}, "cp", [2]string{"Casa 12", "Casa 21"}, "Houses 12 and 21 of one gated street share CEP and number, and the men share a given name."},
	}
	vs := make([]variant, len(rows))
	for i, r := range rows {
		vs[i] = variant{r.note, func(g *gen) (*customer.Customer, *customer.Customer) {
			c := g.city()
			for c.quadras {
				c = g.city()
			}
			na, nb := r.names(g, c)
			for strings.Join(na.surnameWords(), " ") == strings.Join(nb.surnameWords(), " ") && na.given().String() == nb.given().String() {
				na, nb = r.names(g, c)
			}
			mk := func(n fullName) *person {
				gn := givenOf(n)
				p := &person{name: n, female: gn.female, city: c, birth: g.birthIn(gn.born[0], gn.born[1])}
				g.fill(p)
				return p
			}
			x, y := mk(na), mk(nb)
			y.home = x.home
			x.home.Complement, y.home.Complement = r.units[0], r.units[1]
			if x.home.Number == "" {
				x.home.Number = "350"
				y.home.Number = "350"
			}
			a := g.recordAs(x, r.shape[0], nil)
			b := g.recordAs(y, r.shape[1], nil)
			if a.Status == customer.StatusProspect {
				a.Addresses = []address.Address{x.home}
			}
			if b.Status == customer.StatusProspect {
				b.Addresses = []address.Address{y.home}
			}
			return a, b
		}}
	}
	return vs
}

// findGiven returns the entry of a given name, or of its first word for a
// compound name the lists lack ("Carlos Roberto" is a Carlos).
func findGiven(s string) (givenName, bool) {
	for _, n := range givenNames {
		if n.text == s {
			return n, true
		}
	}
	if first, _, ok := strings.Cut(s, " "); ok {
		return findGiven(first)
	}
	return givenName{}, false
}

// givenOf returns the entry of a name's given names.
func givenOf(n fullName) givenName {
	gn, ok := findGiven(n.given().String())
	if !ok {
		panic("a given name outside the lists")
	}
	return gn
}

// bornBy reports whether a name's given names were given by the year y.
func bornBy(y int) func(fullName) bool {
	return func(n fullName) bool {
		gn, ok := findGiven(n.given().String())
		return ok && gn.born[0] <= y
	}
}

// givenAround draws a given name of one sex borne by people born around
// the year y.
func (g *gen) givenAround(female *bool, y int) givenName {
	for {
		gn := g.drawGiven(female)
		if gn.born[0]-3 <= y && y <= gn.born[1]+3 {
			return gn
		}
	}
}

// usedCar: the previous owner of a used car and its buyer.
func usedCar() []variant {
	type row struct {
		oldPlate  bool
		shape     string
		plate     func(v *vehicle) asset.Plate
		withVIN   bool
		withRen   bool
		sameSur   bool
		sameFirst bool
		sb        func(fullName) string
		note      string
	}
	mercosul := func(v *vehicle) asset.Plate { return v.plate.Mercosul() }
	same := func(v *vehicle) asset.Plate { return v.plate }
	none := func(*vehicle) asset.Plate { return asset.Plate{} }
	rows := []row{
		{true, "cc", mercosul, true, false, false, false, nil, "The car's previous owner and its buyer: the same VIN, the plate old on one record and Mercosul on the other."},
		{true, "cp", same, false, false, false, false, nil, "The buyer of a used car brought it for appraisal with the plate still in old form; the seller's record has it too."},
		{false, "cp", none, true, false, false, false, nil, "Only the VIN is shared: the seller's record still lists the car the buyer's prospect brings for appraisal."},
		{false, "cc", same, true, false, false, false, nil, "A recent car with a Mercosul plate, sold from one customer to another."},
		{true, "cc", mercosul, false, true, false, false, nil, "Plate in old and Mercosul form and the same RENAVAM, on two different owners."},
		{false, "cp", none, true, true, true, false, nil, "The buyer shares the seller's VIN, RENAVAM and by chance a common surname."},
		{true, "cp", same, false, false, false, true, nil, "Seller and buyer in one city with the same first given name; the buyer's prospect brings the car's plate for appraisal."},
		{false, "cp", same, true, false, false, false, nameAs(upperPlain), "An upper-case prospect appraising a car whose VIN and plate are on another customer's record."},
		{true, "cp", mercosul, false, false, false, false, nameAs(asRegistered, opFirstAndLast), "A short-named prospect with the Mercosul form of a plate an older customer has in old form."},
		{true, "cc", mercosul, true, true, false, false, nil, "The buyer financed the used car; VIN, RENAVAM and plate match the previous owner's record."},
		{true, "cc", none, false, true, false, false, nil, "The buyer's record has only the RENAVAM of the car, which the seller's record has with its VIN and old plate."},
		{false, "cp", same, false, false, false, false, nil, "Seller and buyer live in one district, and the buyer's trade-in is the seller's old car."},
	}
	vs := make([]variant, len(rows))
	for i, r := range rows {
		vs[i] = variant{r.note, func(g *gen) (*customer.Customer, *customer.Customer) {
			c := g.city()
			seller := g.newPerson(c, nil)
			lo, hi := 2019, now.Year()-1
			if r.oldPlate {
				lo, hi = 2010, 2018
			}
			car := g.someVehicle(c.uf, lo, hi, false)
			seller.car = car
			var buyer *person
			switch {
			case r.sameSur:
				for buyer == nil || buyer.name.first() == seller.name.first() {
					gn := g.drawGiven(nil)
					buyer = g.personNamed(c, gn, join(g.otherSurname(areaOf(c), seller.name.lastSurname()), seller.name.lastSurname()))
				}
			case r.sameFirst:
				buyer = g.personNamed(c, givenOf(seller.name), g.drawFamily(areaOf(c)))
			case i == 11:
				buyer = g.newPerson(c, nil)
				buyer.home.District = seller.home.District
			case i == 8:
				buyer = g.personWhere(g.pickCity(areaOf(c)), nil, shortenable)
			default:
				buyer = g.newPerson(g.pickCity(areaOf(c)), nil)
			}
			a := g.recordAs(seller, 'c', nil)
			a.Assets = []asset.Asset{car.asAsset(true, r.withRen, false, g)}
			b := g.recordAs(buyer, r.shape[1], r.sb)
			if b.Status == customer.StatusCustomer {
				owned := car.asAsset(false, r.withRen, i == 9, g)
				owned.Plate = r.plate(car)
				if !r.withVIN {
					owned.VIN = asset.VIN{}
				}
				if owned.VIN.IsZero() && owned.Plate.IsZero() && owned.RENAVAM.IsZero() {
					owned.Plate = car.plate.Mercosul()
				}
				b.Assets = []asset.Asset{owned}
			} else {
				pv := prospectVehicle(car, r.plate(car), r.withVIN)
				if r.withRen {
					pv.RENAVAM = car.renavam
				}
				b.Assets = []asset.Asset{pv}
				b.Notes = "Avaliação do usado para troca. " + g.wish()
			}
			return a, b
		}}
	}
	return vs
}

// distinctCPFs: two customers, each with a CPF, whose names look alike.
func distinctCPFs() []variant {
	type row struct {
		pred    func(fullName) bool
		other   func(g *gen, n fullName) fullName
		styleB  caseStyle
		another bool // in another city of the group
		note    string
	}
	swapWord := func(from, to string) func(*gen, fullName) fullName {
		return func(_ *gen, n fullName) fullName {
			out := n.clone()
			for i := range out {
				if out[i].text == from {
					out[i].text = to
				}
			}
			return out
		}
	}
	hasWord := func(w string) func(fullName) bool {
		return func(n fullName) bool {
			for _, t := range n {
				if t.text == w {
					return true
				}
			}
			return false
		}
	}
	rows := []row{
		{hasWord("Pereira"), swapWord("Pereira", "Ferreira"), asRegistered, false, "Pereira and Ferreira, one letter apart, on two customers with their own CPFs."},
		{hasWord("Souza"), swapWord("Souza", "Sousa"), asRegistered, true, "Souza and Sousa on two customers with different CPFs and birth dates."},
		{twoSurnames, func(_ *gen, n fullName) fullName { m, _ := dropMiddleSurname(n); return m }, asRegistered, false,
			"One name has a middle surname the other lacks, and each has its own CPF."},
		{func(n fullName) bool { return compoundGiven(n) && n.first() == "José" }, func(g *gen, n fullName) fullName {
			out := n.clone()
			out[1].text = pick(g, []string{"Roberto", "Antônio", "Maria"})
			if out[1].text == n[1].text {
				out[1].text = "Ricardo"
			}
			return out
		}, asRegistered, false, "Same first given name and surnames, another second given name, two CPFs."},
		{func(n fullName) bool { return n.first() == "Luiz" }, swapWord("Luiz", "Luís"), upperPlain, false,
			"Luiz and Luis with the same surnames, one in upper case, two CPFs."},
		{anyName, func(_ *gen, n fullName) fullName { return n.clone() }, upperPlain, true,
			"Identical names, one in upper case without accents, on two customers with different CPFs."},
		{hasWord("Santos"), swapWord("Santos", "Santana"), asRegistered, false, "Santos and Santana on two customers of one city, each with a CPF."},
		{func(n fullName) bool { return n.given().String() == "Maria Aparecida" }, func(_ *gen, n fullName) fullName {
			out := n.clone()
			out[1].text = "Auxiliadora"
			return out
		}, asRegistered, false, "Maria Aparecida and Maria Auxiliadora: both abbreviate to Maria A., with their own CPFs."},
		{func(n fullName) bool { return n.given().String() == "Marcos Antônio" }, swapWord("Marcos", "Marco"), asRegistered, false,
			"Marcos Antônio and Marco Antônio, different given names one letter apart, two CPFs."},
		{func(n fullName) bool { return n.first() == "Márcia" }, swapWord("Márcia", "Márcio"), asRegistered, true,
			"Márcia and Márcio with the same surnames: different people, not a slip."},
		{hasWord("Barbosa"), swapWord("Barbosa", "Barboza"), asRegistered, false,
			"Barbosa and Barboza, a spelling that could pass for a slip, on two customers with different CPFs."},
		{hasWord("Lima"), swapWord("Lima", "Lira"), titlePlain, true,
			"Lima and Lira, one letter apart, on two customers of two cities."},
	}
	vs := make([]variant, len(rows))
	for i, r := range rows {
		vs[i] = variant{r.note, func(g *gen) (*customer.Customer, *customer.Customer) {
			c := g.city()
			p := g.personWhere(c, nil, r.pred)
			qc := c
			if r.another {
				qc = g.otherCity(c)
			}
			qn := r.other(g, p.name)
			fem := p.female
			if qn.first() == "Márcio" || qn.first() == "Marco" {
				fem = false
			}
			q := &person{name: qn, female: fem, city: qc, birth: g.differentBirth(p.birth, p.birth.Year-15, p.birth.Year+15)}
			g.fill(q)
			a := g.asCustomer(p)
			b := g.asCustomer(q)
			b.Name = typed(qn.String(), r.styleB)
			return a, b
		}}
	}
	return vs
}

// companyBranch: a company's head office and one of its branches: one root,
// two establishments.
func companyBranch() []variant {
	type row struct {
		order int
		where string // "area", "city", "far"
		shape string // the head office's record and the branch's
		note  string
		tweak func(g *gen, f *firm, a, b *customer.Customer, bc *city)
	}
	rows := []row{
		{2, "area", "cc", "Head office and a branch in another city: the same legal and trade names and CNPJ root, other establishment numbers.", nil},
		{2, "city", "cc", "Head office and a branch in the same city, one root, other addresses and phones.", nil},
		{3, "area", "cc", "The branch's trade name adds the word Filial and its city; the CNPJ root is the head office's.",
			func(g *gen, f *firm, a, b *customer.Customer, bc *city) {
				b.TradeName = f.trade + " - Filial " + bc.name
			}},
		{2, "area", "cp", "A fleet enquiry from the branch, a prospect with the branch's CNPJ, against the head office.", nil},
		{2, "area", "cc", "The same fleet manager buys for the head office and the branch; only the CNPJ order differs.",
			func(g *gen, f *firm, a, b *customer.Customer, bc *city) { b.Contacts = a.Contacts }},
		{4, "city", "cc", "The branch's record has the legal name in upper case without accents, and e-mails of one domain.",
			func(g *gen, f *firm, a, b *customer.Customer, bc *city) { b.Name = typed(b.Name, upperPlain) }},
		{13, "far", "cc", "A branch in another state of the group's region, with the head office's names.", nil},
		{2, "area", "cc", "The branch's record has no trade name; the legal name and root match the head office.",
			func(g *gen, f *firm, a, b *customer.Customer, bc *city) { b.TradeName = "" }},
		{5, "area", "cc", "Head office and branch share the group's purchasing e-mail.",
			func(g *gen, f *firm, a, b *customer.Customer, bc *city) { b.Emails = a.Emails }},
		{2, "area", "pc", "The head office as a prospect with its CNPJ, and the branch as a customer.", nil},
	}
	vs := make([]variant, len(rows))
	for i, r := range rows {
		vs[i] = variant{r.note, func(g *gen) (*customer.Customer, *customer.Customer) {
			ar := g.pickArea()
			for len(ar.cities) < 3 {
				ar = g.pickArea()
			}
			if r.where == "far" {
				ar = areas[3] // the South: three states
			}
			c := ar.cities[0]
			f := g.newFirm(c)
			bc := c
			switch r.where {
			case "area":
				bc = g.otherCity(c)
			case "far":
				for bc.uf == c.uf {
					bc = pick(g, ar.cities)
				}
			}
			head := g.firmCustomer(f, 1)
			branchFirm := *f
			branchFirm.city = bc
			branchFirm.founded = g.dateIn(f.founded.Year+1, now.Year()-1) // the branch opened later
			branchFirm.office = g.officeAddress(bc)
			branchFirm.landline = g.landline(bc)
			branchFirm.email = g.emailAt("filial" + slug(bc.name) + "@" + f.domain)
			branchFirm.buyer = g.newPerson(bc, nil)
			w := branchFirm.buyer.name.surnameWords()
			branchFirm.buyer.email = g.emailAt(slug(branchFirm.buyer.name.first()) + "." + slug(w[len(w)-1]) + "@" + f.domain)
			branchFirm.fleet = []*vehicle{g.someVehicle(bc.uf, 2018, now.Year(), false)}
			branch := g.firmCustomer(&branchFirm, r.order)
			for k, rec := range []*customer.Customer{head, branch} {
				if r.shape[k] == 'p' {
					// A fleet enquiry typed with the establishment's CNPJ.
					rec.Status = customer.StatusProspect
					rec.DMSCode, rec.ServiceOrders, rec.Assets = "", nil, nil
					rec.Notes = g.fleetNote()
				}
			}
			if r.tweak != nil {
				r.tweak(g, f, head, branch, bc)
			}
			return head, branch
		}}
	}
	return vs
}

// similarCompanies: different companies with names alike.
func similarCompanies() []variant {
	type side struct{ activity, core, form, trade string }
	type row struct {
		a, b     side
		shape    string
		sameCity bool
		note     string
	}
	rows := []row{
		{side{"Comércio de Auto Peças", "União", "Ltda", "Auto Peças União"}, side{"Comércio de Auto Peças", "Unidas", "Ltda", "Auto Peças Unidas"},
			"cc", true, "Auto Peças União and Auto Peças Unidas: two shops of one city, two CNPJ roots."},
		{side{"Construtora", "Horizonte", "Ltda", "Horizonte Construções"}, side{"Construtora", "Novo Horizonte", "Ltda", "Novo Horizonte Construções"},
			"cp", true, "One name contains the other; the second enquires as a prospect under its trade name."},
		{side{"Locadora de Veículos", "Rota Sul", "Ltda ME", "Rota Sul Rent a Car"}, side{"Locadora de Veículos", "Rota do Sol", "Ltda", "Rota do Sol Locadora"},
			"cp", false, "Rota Sul and Rota do Sol, two car rentals; the second is a prospect without CNPJ."},
		{side{"Agropecuária", "Boa Vista", "S.A.", "Fazenda Boa Vista"}, side{"Agropecuária", "Bela Vista", "Ltda", "Agro Bela Vista"},
			"cc", false, "Boa Vista and Bela Vista, two farms in two cities."},
		{side{"Transportadora", "Oliveira", "Ltda", "Oliveira Transportes"}, side{"Transportes", "Oliveira", "ME", "Transportes Oliveira"},
			"cp", false, "Two carriers of two Oliveira families, one a prospect typed as its trade name."},
		{side{"Distribuidora de Bebidas", "Estrela", "Ltda", "Bebidas Estrela"}, side{"Distribuidora de Bebidas", "Estrela do Sul", "Ltda", "Estrela do Sul Bebidas"},
			"cp", true, "A distributor's name is the start of another's, which enquires as a prospect without CNPJ."},
		{side{"Transportadora", "Santos & Filhos", "Ltda", "Santos & Filhos Transportes"}, side{"Transportadora", "Santos Irmãos", "Ltda", "Santos Irmãos Transportes"},
			"cc", true, "Santos & Filhos and Santos Irmãos: two family carriers of one city."},
		{side{"Farmácia e Drogaria", "São Jorge", "Ltda", "Drogaria São Jorge"}, side{"Farmácia e Drogaria", "São José", "Ltda", "Drogaria São José"},
			"cc", false, "São Jorge and São José: two pharmacies whose names differ in one word."},
		{side{"Segurança Patrimonial", "Aliança", "Ltda", "Aliança Segurança"}, side{"Segurança Eletrônica", "Aliança", "EIRELI", "Aliança Alarmes"},
			"pc", false, "A prospect typed as Aliança Segurança could be either company; it is not the customer."},
		{side{"Clínica Médica", "Santa Luzia", "Ltda", "Clínica Santa Luzia"}, side{"Clínica Odontológica", "Santa Luzia", "Ltda", "Santa Luzia Odonto"},
			"cp", true, "A medical and a dental clinic named Santa Luzia in one city, the dental one a prospect."},
		{side{"Transportadora", "Lima", "Ltda", "Lima Transportes"}, side{"Transportadora", "Limeira", "Ltda", "Transportadora Limeira"},
			"cc", false, "Lima and Limeira: a family name and a place name that start alike, two carriers."},
		{side{"Comércio de Materiais de Construção", "Progresso", "Ltda ME", "Materiais de Construção Progresso"},
			side{"Comércio de Materiais de Construção", "Novo Progresso", "EIRELI", "Depósito Novo Progresso"},
			"pp", true, "Two building-supply stores of one city enquiring without CNPJ, one name inside the other."},
	}
	vs := make([]variant, len(rows))
	for i, r := range rows {
		vs[i] = variant{r.note, func(g *gen) (*customer.Customer, *customer.Customer) {
			c := g.city()
			qc := c
			if !r.sameCity {
				qc = g.otherCity(c)
			}
			fa := g.firmNamed(c, r.a.activity, r.a.core, r.a.form, r.a.trade, false)
			fb := g.firmNamed(qc, r.b.activity, r.b.core, r.b.form, r.b.trade, false)
			mk := func(f *firm, shape byte) *customer.Customer {
				if shape == 'c' {
					return g.firmCustomer(f, 1)
				}
				name := f.trade
				if i == 8 {
					name = "Aliança Segurança"
				}
				return g.firmProspect(f, name)
			}
			return mk(fa, r.shape[0]), mk(fb, r.shape[1])
		}}
	}
	return vs
}
