package main

import (
	"strconv"
	"strings"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/date"
)

// firm is one real company: how its name is registered (razão social) and
// the name on its front (nome fantasia), its CNPJ root, and how to reach
// its head office.
type firm struct {
	activity string // "Transportadora", "Comércio de Materiais de Construção"
	core     string // the distinctive part: a family name or a fantasy word
	form     string // "Ltda", "EIRELI", "S.A.", "Ltda ME"
	trade    string
	domain   string // of its e-mail
	root     string
	founded  date.Date
	city     *city
	office   address.Address
	landline contact.Phone
	email    contact.Email
	buyer    *person // the one who buys its cars
	fleet    []*vehicle
}

// legal returns the registered name: "Transportadora Oliveira Ltda".
func (f *firm) legal() string {
	return strings.Join(strings.Fields(f.activity+" "+f.core+" "+f.form), " ")
}

// The lines of business of the companies that buy fleets, with the short
// form attendants type and how a trade name is made of them.
var activities = []struct {
	long, short, trade string
	heavy              bool
}{
	{"Transportadora", "Transp.", "Transportes", true},
	{"Transportes e Logística", "Transp. e Log.", "Log", true},
	{"Comércio de Materiais de Construção", "Com. de Mat. de Constr.", "Materiais de Construção", true},
	{"Construtora", "Constr.", "Construções", true},
	{"Distribuidora de Alimentos", "Distrib. de Alim.", "Alimentos", true},
	{"Distribuidora de Bebidas", "Distrib. de Bebidas", "Bebidas", true},
	{"Locadora de Veículos", "Loc. de Veículos", "Rent a Car", false},
	{"Agropecuária", "Agropec.", "Agro", true},
	{"Serviços de Limpeza", "Serv. de Limpeza", "Limpeza", false},
	{"Segurança Patrimonial", "Seg. Patrimonial", "Segurança", false},
	{"Comércio de Auto Peças", "Com. de Auto Peças", "Auto Peças", false},
	{"Engenharia e Montagens", "Eng. e Montagens", "Engenharia", true},
	{"Clínica Médica", "Clín. Médica", "Clínica", false},
	{"Farmácia e Drogaria", "Farm. e Drog.", "Drogaria", false},
}

// Fantasy words companies are named after.
var fantasyWords = []string{
	"União", "Horizonte", "Boa Vista", "Rota Sul", "Nova Era", "Estrela", "Progresso", "Aliança", "Bandeirantes",
	"Vale Verde", "Primavera", "Planalto", "Serra Azul", "Pioneira", "Santa Luzia", "São Jorge", "Atlântico",
}

// The legal forms a name ends with, and how often.
var legalForms = []struct {
	form   string
	weight int
}{
	{"Ltda", 55}, {"Ltda ME", 10}, {"Ltda EPP", 6}, {"EIRELI", 10}, {"S.A.", 9}, {"ME", 5}, {"& Cia Ltda", 5},
}

// newFirm draws a company of city c.
func (g *gen) newFirm(c *city) *firm {
	act := pick(g, activities)
	form := pickWeighted(g, legalForms, func(x struct {
		form   string
		weight int
	}) int {
		return x.weight
	}).form
	var core, trade string
	if g.chance(0.55) {
		fam := g.drawSurname(areaOf(c))
		core = fam[len(fam)-1].text
		if g.chance(0.25) {
			core += " & Filhos"
		}
		trade = core + " " + act.trade
	} else {
		core = pick(g, fantasyWords)
		trade = act.trade + " " + core
	}
	return g.firmNamed(c, act.long, core, form, trade, act.heavy)
}

// firmNamed makes a company of city c with the given name parts: its
// domain, foundation, office, switchboard, e-mail, buyer and fleet.
func (g *gen) firmNamed(c *city, activity, core, form, trade string, heavy bool) *firm {
	f := &firm{activity: activity, core: core, form: form, trade: trade, city: c, root: g.cnpjRoot()}
	f.domain = slug(trade) + ".com.br"
	for !g.reg.claim("domain:" + f.domain) {
		f.domain = slug(trade) + strconv.Itoa(g.between(1, 99)) + ".com.br"
	}
	f.founded = g.dateIn(1970, 2022)
	f.office = g.officeAddress(c)
	f.landline = g.landline(c)
	f.email = g.emailAt(pick(g, []string{"contato", "compras", "financeiro", "frota", "adm"}) + "@" + f.domain)
	f.buyer = g.newPerson(c, nil)
	w := f.buyer.name.surnameWords()
	f.buyer.email = g.emailAt(slug(f.buyer.name.first()) + "." + slug(w[len(w)-1]) + "@" + f.domain)
	for range g.between(1, 3) {
		f.fleet = append(f.fleet, g.someVehicle(c.uf, 2016, now.Year(), heavy && g.chance(0.5)))
	}
	return f
}

// officeAddress draws a business address in c.
func (g *gen) officeAddress(c *city) address.Address {
	a := g.homeAddress(c)
	a.Complement = ""
	if g.chance(0.3) {
		a.Complement = "Sala " + strconv.Itoa(g.between(1, 20)*100+g.between(1, 12))
	}
	if g.chance(0.2) {
		a.Complement = "Galpão " + strconv.Itoa(g.between(1, 6))
	}
	a.Purposes = address.Correspondence | address.Billing
	return a
}

// cnpjOf returns the CNPJ of the firm's establishment order.
func (g *gen) cnpjOf(f *firm, order int) customer.TaxID { return g.cnpj(f.root, order) }

// firmCustomer is the company as the DMS holds it: legal name, trade name,
// CNPJ of the establishment that buys, its office, and its buyer as a
// contact.
func (g *gen) firmCustomer(f *firm, order int) *customer.Customer {
	c := &customer.Customer{Kind: customer.Company, Status: customer.StatusCustomer,
		Name: f.legal(), TradeName: f.trade, TaxID: g.cnpjOf(f, order),
		Phones: []contact.Phone{f.landline}, Emails: []contact.Email{f.email},
		DMSCode: g.dmsCode(), ServiceOrders: g.serviceOrders(), Addresses: []address.Address{f.office},
		Contacts: []contact.Contact{g.buyerContact(f)}}
	if g.chance(0.7) {
		c.BirthDate = f.founded
	}
	for _, v := range f.fleet {
		c.Assets = append(c.Assets, v.asAsset(true, true, g.chance(0.3), g))
	}
	return c
}

// buyerContact returns the company's buyer as a contact.
func (g *gen) buyerContact(f *firm) contact.Contact {
	roles := []string{"Gerente de frota", "Comprador", "Sócio-administrador", "Gerente administrativo"}
	role := pick(g, roles)
	return contact.Contact{Name: f.buyer.name.String(), Role: role, Phones: []contact.Phone{f.buyer.mobile},
		Email: f.buyer.email, FleetManager: role == "Gerente de frota",
		PreferredDay: contact.Weekday(g.between(0, 5)), PreferredHour: contact.At(g.between(8, 17))}
}

// firmProspect is the company as a salesperson types a fleet enquiry:
// whatever name the buyer gave, no CNPJ, the buyer's phone or e-mail.
func (g *gen) firmProspect(f *firm, name string) *customer.Customer {
	return &customer.Customer{Kind: customer.Company, Status: customer.StatusProspect, Name: name,
		Phones: []contact.Phone{f.buyer.mobile}, Notes: g.fleetNote()}
}

// fleetNote draws the note of a fleet enquiry.
func (g *gen) fleetNote() string {
	notes := []string{
		"Renovação de frota: cotação de %d unidades.",
		"Pediu proposta para %d veículos com faturamento direto.",
		"Venda direta CNPJ, %d unidades, entrega em 60 dias.",
		"Quer locar ou comprar %d utilitários.",
	}
	n := g.between(2, 30)
	return strings.Replace(pick(g, notes), "%d", strconv.Itoa(n), 1)
}

// abbreviateFirm writes a company name as attendants shorten it.
func abbreviateFirm(name string) string {
	for _, a := range activities {
		if strings.HasPrefix(name, a.long) {
			return a.short + name[len(a.long):]
		}
	}
	return name
}

// Other ways of writing a legal form; the first is what newFirm writes.
var formVariants = map[string][]string{
	"Ltda":       {"LTDA", "Ltda.", "Limitada", ""},
	"Ltda ME":    {"Ltda", "LTDA - ME", "ME", ""},
	"Ltda EPP":   {"Ltda", "LTDA EPP", "EPP", ""},
	"EIRELI":     {"Ltda", "Eireli", "EIRELI ME", ""},
	"S.A.":       {"S/A", "SA", "S. A.", ""},
	"ME":         {"Ltda ME", "- ME", ""},
	"& Cia Ltda": {"e Cia Ltda", "& Cia", "& Companhia Ltda"},
}
