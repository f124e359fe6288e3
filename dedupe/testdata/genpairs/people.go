package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/date"
	"github.com/fichacrm/ficha/reference"
)

// person is one real person, whom records describe more or less well.
type person struct {
	name     fullName
	female   bool
	birth    date.Date
	cpf      customer.TaxID
	city     *city
	home     address.Address
	mobile   contact.Phone
	landline contact.Phone // zero when the home has none
	email    contact.Email // zero when the person gave none
	employer string
	car      *vehicle // nil when the person has none on record
}

// drawGiven draws a given name of one sex, or of either when female is nil.
func (g *gen) drawGiven(female *bool) givenName {
	for {
		n := pickWeighted(g, givenNames, func(n givenName) int { return n.weight })
		if female == nil || n.female == *female {
			return n
		}
	}
}

// drawSurname draws one surname of area a, with its particle or not.
func (g *gen) drawSurname(a *area) fullName {
	list := surnames
	if len(a.extra) > 0 {
		list = append(append([]surname(nil), surnames...), a.extra...)
	}
	s := pickWeighted(g, list, func(s surname) int { return s.weight })
	if s.particle != "" && g.chance(s.often) {
		return fullName{{s.particle, kParticle}, {s.text, kSurname}}
	}
	return fullName{{s.text, kSurname}}
}

// drawFamily draws one to three surnames, all different: most Brazilians
// carry their mother's and their father's.
func (g *gen) drawFamily(a *area) fullName {
	n := 2
	switch r := g.rng.IntN(10); {
	case r < 3:
		n = 1
	case r == 9:
		n = 3
	}
	var out fullName
	seen := map[string]bool{}
	for len(seen) < n {
		s := g.drawSurname(a)
		w := surnameKey(s[len(s)-1].text)
		if seen[w] {
			continue
		}
		seen[w] = true
		if len(out) > 0 && n == 2 && g.chance(0.03) {
			out = append(out, token{"e", kParticle}) // "Costa e Silva"
		}
		out = append(out, s...)
	}
	return out
}

// surnameKey folds a surname for comparison, Souza and Sousa alike.
func surnameKey(w string) string { return strings.ReplaceAll(strings.ToLower(fold(w)), "z", "s") }

// sharesSurname reports whether two names have a surname in common.
func sharesSurname(a, b fullName) bool {
	for _, x := range a.surnameWords() {
		for _, y := range b.surnameWords() {
			if surnameKey(x) == surnameKey(y) {
				return true
			}
		}
	}
	return false
}

// otherSurname draws a surname of area a that avoid does not have: a
// husband's, say, that his wife does not carry already.
func (g *gen) otherSurname(a *area, avoid fullName) fullName {
	for {
		if s := g.drawSurname(a); !sharesSurname(s, avoid) {
			return s
		}
	}
}

// birthIn draws a birth date in one of the years [lo, hi], no later than
// that of someone who turned 18 last year: dealerships sell to adults.
func (g *gen) birthIn(lo, hi int) date.Date {
	return g.dateIn(lo, min(hi, now.Year()-19))
}

// dateIn draws a day in one of the years [lo, hi], or of hi if lo is later.
func (g *gen) dateIn(lo, hi int) date.Date {
	lo = min(lo, hi)
	y := g.between(lo, hi)
	m := time.Month(g.between(1, 12))
	return date.MustNew(y, m, g.between(1, date.DaysIn(m, y)))
}

// newPerson draws a person of city c: a name of the given sex (either when
// female is nil), a birth date that fits the name, a CPF issued in the
// state, a home, a mobile, and maybe a landline, an e-mail, an employer and
// a car.
func (g *gen) newPerson(c *city, female *bool) *person {
	return g.personWhere(c, female, func(fullName) bool { return true })
}

// personWhere is newPerson for a person whose name satisfies ok.
func (g *gen) personWhere(c *city, female *bool, ok func(fullName) bool) *person {
	for range 10_000 {
		gn := g.drawGiven(female)
		n := join(givenTokens(gn.text), g.drawFamily(areaOf(c)))
		if !ok(n) {
			continue
		}
		p := &person{female: gn.female, city: c, name: n, birth: g.birthIn(gn.born[0], gn.born[1])}
		g.fill(p)
		return p
	}
	panic("no name fits")
}

// fill draws what a person has besides a name and a birth date.
func (g *gen) fill(p *person) {
	p.cpf = g.cpf(p.city.uf)
	p.home = g.homeAddress(p.city)
	p.mobile = g.mobile(p.city)
	if g.chance(0.35) {
		p.landline = g.landline(p.city)
	}
	if g.chance(0.75) {
		p.email = g.emailFor(p.name, p.birth.Year, g.mailDomain())
	}
	if g.chance(0.4) {
		p.employer = pick(g, employers)
	}
	if g.chance(0.8) {
		p.car = g.someVehicle(p.city.uf, 2008, now.Year(), false)
	}
}

// Employers an individual's record names.
var employers = []string{
	"Prefeitura Municipal", "Banco do Brasil S.A.", "Caixa Econômica Federal", "Petrobras", "Hospital São Lucas",
	"Correios", "Secretaria Estadual de Educação", "Ambev S.A.", "Magazine Luiza S.A.", "Autônomo",
	"Aposentado", "Tribunal de Justiça", "Universidade Federal", "Construtora Andrade Ltda", "Supermercados BH",
}

// Notes of a showroom prospect.
var prospectNotes = []string{
	"Interesse em %s; pediu proposta à vista.",
	"Veio ao showroom, fez test drive do %s.",
	"Lead do site: simulação de financiamento do %s.",
	"Feirão de fábrica; quer o %s com entrada e 48 parcelas.",
	"Contato pelo WhatsApp; quer avaliar o carro atual na troca pelo %s.",
	"Indicação de cliente; interesse no %s.",
	"Ligou pedindo preço do %s; retornar à tarde.",
}

// interest draws a prospect's note about the car it wants.
func (g *gen) interest() string {
	m := pick(g, models)
	for m.heavy || m.years[1] < now.Year() {
		m = pick(g, models)
	}
	return fmt.Sprintf(pick(g, prospectNotes), m.brand+" "+strings.Fields(m.name)[0])
}

// Notes of what a prospect wants, that name no channel.
var wishNotes = []string{
	"Interesse em %s; pediu proposta à vista.",
	"Quer o %s com entrada e 48 parcelas.",
	"Pediu preço do %s; retornar à tarde.",
	"Interesse no %s, cor branca ou prata.",
	"Quer test drive do %s no sábado.",
}

// wish draws a prospect's note about the car it wants, naming no channel,
// for records whose channel a category names.
func (g *gen) wish() string {
	m := pick(g, models)
	for m.heavy || m.years[1] < now.Year() {
		m = pick(g, models)
	}
	return fmt.Sprintf(pick(g, wishNotes), m.brand+" "+strings.Fields(m.name)[0])
}

// dmsCode draws a customer code of the dealership's DMS.
func (g *gen) dmsCode() string {
	for {
		s := fmt.Sprintf("%06d", g.between(10_000, 899_999))
		if g.reg.claim("dms:" + s) {
			return s
		}
	}
}

// serviceOrders draws the codes of a customer's workshop visits, if any.
func (g *gen) serviceOrders() []string {
	n := g.rng.IntN(4)
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		for {
			s := fmt.Sprintf("OS-%d-%05d", g.between(now.Year()-5, now.Year()), g.between(1, 40_000))
			if g.reg.claim("os:" + s) {
				out[i] = s
				break
			}
		}
	}
	return out
}

// asCustomer is the person's record as the DMS exports it: CPF, full name,
// birth date, phones, e-mail, address and the car bought.
func (g *gen) asCustomer(p *person) *customer.Customer {
	c := &customer.Customer{Kind: customer.Individual, Status: customer.StatusCustomer,
		Name: p.name.String(), TaxID: p.cpf, BirthDate: p.birth, Employer: p.employer,
		DMSCode: g.dmsCode(), ServiceOrders: g.serviceOrders(), Addresses: []address.Address{p.home}}
	if g.chance(0.08) {
		c.BirthDate = date.Date{}
	}
	c.Phones = []contact.Phone{p.mobile}
	if !p.landline.IsZero() {
		c.Phones = append(c.Phones, p.landline)
	}
	if !p.email.IsZero() {
		c.Emails = []contact.Email{p.email}
	}
	if p.car != nil {
		c.Assets = []asset.Asset{p.car.asAsset(true, g.chance(0.6), g.chance(0.35), g)}
	}
	if g.chance(0.15) {
		c.Notes = pick(g, customerNotes)
	}
	return c
}

// Notes a DMS record may carry.
var customerNotes = []string{
	"Prefere contato pelo WhatsApp.", "Cliente desde a inauguração da loja.", "Revisões sempre na concessionária.",
	"Não ligar no horário comercial.", "Comprou seguro com a corretora da loja.",
}

// asProspect is the person as an attendant types a showroom visitor: the
// name as said, a mobile and maybe an e-mail, what the visitor wants, and
// neither CPF nor address.
func (g *gen) asProspect(p *person) *customer.Customer {
	c := &customer.Customer{Kind: customer.Individual, Status: customer.StatusProspect,
		Name: p.name.String(), Phones: []contact.Phone{p.mobile}, Notes: g.interest()}
	if !p.email.IsZero() && g.chance(0.5) {
		c.Emails = []contact.Email{p.email}
	}
	return c
}

// reference returns a personal reference: someone who knows the person.
func (g *gen) reference(c *city, note string) reference.Personal {
	r := g.newPerson(c, nil)
	return reference.Personal{Name: firstAndLast(r.name).String(), Phone: r.mobile, Note: note}
}

// household returns a person who lives with p: same city, home and
// landline, drawn otherwise anew.
func (g *gen) household(p *person, name fullName, female bool, birth date.Date) *person {
	r := &person{female: female, city: p.city, name: name, birth: birth}
	g.fill(r)
	r.home = p.home
	r.landline = p.landline
	return r
}

// personNamed draws a person of city c with the given name and family.
func (g *gen) personNamed(c *city, gn givenName, family fullName) *person {
	p := &person{female: gn.female, city: c, name: join(givenTokens(gn.text), family), birth: g.birthIn(gn.born[0], gn.born[1])}
	g.fill(p)
	return p
}

// familyTokens splits a family name ("da Silva Santos") into words.
func familyTokens(s string) fullName {
	var n fullName
	for _, w := range strings.Fields(s) {
		k := kSurname
		if isParticle(w) {
			k = kParticle
		}
		n = append(n, token{w, k})
	}
	return n
}

// givenNamed returns the entry of a given name.
func givenNamed(s string) givenName {
	for _, n := range givenNames {
		if n.text == s {
			return n
		}
	}
	panic("no given name " + s)
}

// female and male are the sexes to draw a given name of.
var (
	female = func() *bool { b := true; return &b }()
	male   = func() *bool { b := false; return &b }()
)
