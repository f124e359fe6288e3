// Package sheet renders the customer sheet ("Ficha do Cliente"), the
// printable record of a customer: as plain text of 80 columns, for
// terminals and logs of what was printed, and as one self-contained HTML
// page for A4 paper. Labels are in Brazilian Portuguese unless English is
// asked for; values are formatted as Brazilians read them (CPF, CNPJ, CEP
// and phone masks, R$ 1.234,56, dd/mm/aaaa, Sim/Não, times in the
// dealership's time zone), and cards show only their last four digits.
package sheet

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/agenda"
	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/customer/info"
	"github.com/fichacrm/ficha/reference"
	"github.com/fichacrm/ficha/validation"
)

// Options change how a sheet is rendered. A nil *Options renders in
// Brazilian Portuguese.
type Options struct {
	English bool // labels in English instead of Brazilian Portuguese
	// Banks names the banks of bank references; reference.MajorBanks()
	// when nil.
	Banks *reference.Banks
	// Printed, when set, is printed in the footer as the time the sheet
	// was made.
	Printed time.Time
	// Relationship, when set, adds a section with the customer's last
	// attendance, open agenda items and the freshness of each part of the
	// record, as the store gives them (Store.Attendances, OpenItems,
	// Freshness).
	Relationship *Relationship
	// Location is the dealership's time zone. The times of the sheet
	// (the last update, stored in UTC, and Printed) are printed in it and
	// labelled with its name: "27/11/2026 11:30 (America/Sao_Paulo)".
	// When nil, America/Sao_Paulo; on a machine without the time-zone
	// database, in a program that does not import time/tzdata, a fixed
	// UTC−03:00 labelled "BRT" instead.
	Location *time.Location
}

// Relationship is what the sheet shows of a customer's history.
type Relationship struct {
	LastAttendance *attendance.Attendance
	Open           []agenda.Item
	Freshness      attendance.Freshness
}

// Row is one labelled value of the sheet.
type Row struct {
	Label string
	Value string
}

// Block is a group of rows: the profile, or one address, asset, contact...
type Block struct {
	Title string
	Rows  []Row
}

// Section is a titled part of the sheet.
type Section struct {
	Title  string
	Blocks []Block
	Empty  string // shown when the section has no blocks
}

// page is what both renderings show.
type page struct {
	Title    string
	Subtitle string
	Sections []Section
	Footer   string
	Lang     string
}

type labeler struct {
	lang validation.Lang
}

func (l labeler) t(en, pt string) string {
	if l.lang == validation.Portuguese {
		return pt
	}
	return en
}

// build lays out the sheet of c.
func build(c *customer.Customer, schema *info.Schema, opts *Options) page {
	l := labeler{lang: validation.Portuguese}
	banks := reference.MajorBanks()
	var printed time.Time
	var loc *time.Location
	if opts != nil {
		if opts.English {
			l.lang = validation.English
		}
		if opts.Banks != nil {
			banks = opts.Banks
		}
		printed = opts.Printed
		loc = opts.Location
	}
	if loc == nil {
		loc = saoPaulo()
	}
	stamp := func(t time.Time) string {
		return t.In(loc).Format("02/01/2006 15:04") + " (" + loc.String() + ")"
	}
	if schema == nil {
		schema = info.Default()
	}
	p := page{Title: l.t("CUSTOMER SHEET", "FICHA DO CLIENTE"), Subtitle: c.Name, Lang: l.t("en", "pt-BR")}

	// The profile.
	prof := Block{}
	add := func(b *Block, label, value string) {
		if value != "" {
			b.Rows = append(b.Rows, Row{label, value})
		}
	}
	kind := map[customer.Kind]string{customer.Individual: l.t("Individual", "Pessoa física"), customer.Company: l.t("Company", "Pessoa jurídica")}[c.Kind]
	status := map[customer.Status]string{customer.StatusProspect: "Prospect", customer.StatusCustomer: l.t("Customer", "Cliente")}[c.Status]
	add(&prof, l.t("Kind", "Tipo de pessoa"), kind)
	add(&prof, l.t("Status", "Situação"), status)
	if c.Kind == customer.Company {
		add(&prof, l.t("Legal name", "Razão social"), c.Name)
		add(&prof, l.t("Trade name", "Nome fantasia"), c.TradeName)
		add(&prof, "CNPJ", c.TaxID.Format())
		add(&prof, l.t("Founded", "Data de fundação"), c.BirthDate.Format())
	} else {
		add(&prof, l.t("Name", "Nome"), c.Name)
		add(&prof, l.t("Trade name", "Nome fantasia"), c.TradeName)
		add(&prof, "CPF", c.TaxID.Format())
		add(&prof, l.t("Birth date", "Data de nascimento"), c.BirthDate.Format())
		add(&prof, l.t("Employer", "Empresa"), c.Employer)
	}
	for i, ph := range c.Phones {
		add(&prof, numbered(l.t("Phone", "Telefone"), i, len(c.Phones)), l.phone(ph))
	}
	for i, e := range c.Emails {
		add(&prof, numbered("E-mail", i, len(c.Emails)), e.String())
	}
	add(&prof, l.t("DMS customer code", "Código do cliente no DMS"), c.DMSCode)
	add(&prof, l.t("DMS service orders", "Ordens de serviço no DMS"), strings.Join(c.ServiceOrders, ", "))
	add(&prof, l.t("Notes", "Observações"), c.Notes)
	p.Sections = append(p.Sections, Section{Title: l.t("Customer profile", "Perfil do cliente"), Blocks: []Block{prof}})

	none := l.t("None recorded.", "Nenhum registro.")
	var addrs []Block
	for i, a := range c.Addresses {
		b := Block{Title: fmt.Sprintf("%s %d", l.t("Address", "Endereço"), i+1)}
		street := a.Street
		if a.Number != "" {
			street += ", " + a.Number
		}
		add(&b, l.t("Street", "Logradouro"), street)
		add(&b, l.t("Complement", "Complemento"), a.Complement)
		add(&b, l.t("District", "Bairro"), a.District)
		add(&b, l.t("City/State", "Cidade/UF"), strings.Trim(a.City+"/"+a.UF.String(), "/"))
		add(&b, "CEP", a.CEP.Format())
		add(&b, l.t("Used for", "Finalidade"), purposes(l, a.Purposes))
		addrs = append(addrs, b)
	}
	p.Sections = append(p.Sections, Section{Title: l.t("Additional addresses", "Endereços adicionais"), Blocks: addrs, Empty: none})

	var assets []Block
	for i, a := range c.Assets {
		b := Block{Title: fmt.Sprintf("%s %d", l.t("Asset", "Bem"), i+1)}
		add(&b, l.t("Description", "Descrição"), a.Description)
		add(&b, l.t("Kind", "Tipo"), assetKind(l, a.Kind))
		if a.Year != 0 {
			add(&b, l.t("Year", "Ano"), strconv.Itoa(a.Year))
		}
		add(&b, l.t("Value (paid off)", "Valor (quitado)"), info.FormatMoney(a.Value))
		if !a.Lien.IsZero() {
			add(&b, l.t("Lien (balance due)", "Ônus (saldo devedor)"), info.FormatMoney(a.Lien.Balance))
			add(&b, l.t("Creditor", "Nome do credor"), a.Lien.Creditor)
			add(&b, l.t("Payoff date", "Data da liquidação"), a.Lien.PayoffDate.Format())
		}
		add(&b, l.t("Chassis (VIN)", "Chassi"), a.VIN.String())
		add(&b, l.t("Plate", "Placa"), a.Plate.Format())
		add(&b, "RENAVAM", a.RENAVAM.String())
		assets = append(assets, b)
	}
	p.Sections = append(p.Sections, Section{Title: l.t("Assets", "Bens"), Blocks: assets, Empty: none})

	var refs []Block
	for i, r := range c.PersonalReferences {
		b := Block{Title: fmt.Sprintf("%s %d", l.t("Reference", "Referência"), i+1)}
		add(&b, l.t("Name", "Nome"), r.Name)
		add(&b, l.t("Phone", "Telefone"), l.phone(r.Phone))
		add(&b, l.t("Note", "Observação"), r.Note)
		refs = append(refs, b)
	}
	p.Sections = append(p.Sections, Section{Title: l.t("Personal references", "Referências pessoais"), Blocks: refs, Empty: none})

	var bankRefs []Block
	for i, r := range c.BankReferences {
		r = r.Normalize()
		b := Block{Title: fmt.Sprintf("%s %d", l.t("Account", "Conta"), i+1)}
		bank := r.Code
		if inst, ok := banks.Lookup(r.Code); ok {
			bank = r.Code + " - " + inst.Name
		}
		add(&b, l.t("Bank", "Banco"), bank)
		add(&b, l.t("Branch", "Agência"), joinDigit(r.Branch, r.BranchDigit))
		add(&b, l.t("Account", "Conta"), joinDigit(r.Account, r.AccountDigit))
		bankRefs = append(bankRefs, b)
	}
	p.Sections = append(p.Sections, Section{Title: l.t("Bank references", "Referências bancárias"), Blocks: bankRefs, Empty: none})

	var cards []Block
	for i, card := range c.Cards {
		b := Block{Title: fmt.Sprintf("%s %d", l.t("Card", "Cartão"), i+1)}
		add(&b, l.t("Brand", "Bandeira"), brandName(card.Brand()))
		add(&b, l.t("Number", "Número"), card.Masked())
		add(&b, l.t("Holder", "Titular"), card.Holder)
		add(&b, l.t("Expiry", "Validade"), card.Expiry.String())
		cards = append(cards, b)
	}
	p.Sections = append(p.Sections, Section{Title: l.t("Credit cards", "Cartões de crédito"), Blocks: cards, Empty: none})

	var contacts []Block
	for i, ct := range c.Contacts {
		b := Block{Title: fmt.Sprintf("%s %d", l.t("Contact", "Contato"), i+1)}
		add(&b, l.t("Name", "Nome"), ct.Name)
		add(&b, l.t("Role", "Cargo"), ct.Role)
		for j, ph := range ct.Phones {
			add(&b, numbered(l.t("Phone", "Telefone"), j, len(ct.Phones)), l.phone(ph))
		}
		add(&b, "E-mail", ct.Email.String())
		add(&b, l.t("Birthday", "Aniversário"), birthday(ct.Birthday))
		add(&b, l.t("Fleet manager", "Responsável pela frota"), info.FormatYesNo(ct.FleetManager, l.lang))
		add(&b, l.t("Best time to call", "Dia e hora para contato"), when(l, ct.PreferredDay, ct.PreferredHour))
		contacts = append(contacts, b)
	}
	p.Sections = append(p.Sections, Section{Title: l.t("Contacts", "Contatos"), Blocks: contacts, Empty: none})

	// Additional information: only what the schema prints, for the kind.
	var extra []Block
	for _, sec := range []info.Section{info.SectionSpouse, info.SectionPersonal, info.SectionFinancial, info.SectionCompany} {
		b := Block{Title: sec.Label().Get(l.lang)}
		for _, f := range schema.Fields(c.Kind) {
			if f.Section != sec || !f.OnSheet {
				continue
			}
			if v, ok := c.Info[f.Key]; ok && strings.TrimSpace(v) != "" {
				add(&b, f.Label.Get(l.lang), f.Format(v, l.lang))
			}
		}
		if len(b.Rows) > 0 {
			extra = append(extra, b)
		}
	}
	p.Sections = append(p.Sections, Section{Title: l.t("Additional information", "Informações adicionais"), Blocks: extra, Empty: none})

	if opts != nil && opts.Relationship != nil {
		short := func(t time.Time) string { return t.In(loc).Format("02/01/2006 15:04") }
		p.Sections = append(p.Sections, relationship(l, opts.Relationship, stamp, short, none))
	}

	var foot []string
	if c.ID != uuid.Nil {
		foot = append(foot, l.t("Record", "Registro")+" "+c.ID.String())
	}
	if c.Version > 0 {
		foot = append(foot, l.t("version", "versão")+" "+strconv.FormatInt(c.Version, 10))
	}
	if !c.CreatedAt.IsZero() {
		foot = append(foot, l.t("registered", "cadastrado em")+" "+stamp(c.CreatedAt))
	}
	if !c.UpdatedAt.IsZero() {
		foot = append(foot, l.t("updated", "atualizado em")+" "+stamp(c.UpdatedAt))
	}
	if !printed.IsZero() {
		foot = append(foot, l.t("printed", "impresso em")+" "+stamp(printed))
	}
	p.Footer = strings.Join(foot, " · ")
	return p
}

// phone shows a phone as Brazilians write it, its extension named in the
// sheet's language: "(11) 3333-4444 ramal 123", "(11) 3333-4444 ext. 123".
func (l labeler) phone(p contact.Phone) string {
	ext := p.Extension()
	if ext == "" {
		return p.Format()
	}
	return p.Main().Format() + l.t(" ext. ", " ramal ") + ext
}

func numbered(label string, i, n int) string {
	if n == 1 {
		return label
	}
	return label + " " + strconv.Itoa(i+1)
}

func joinDigit(number, digit string) string {
	if digit == "" {
		return number
	}
	return number + "-" + digit
}

func purposes(l labeler, p address.Purpose) string {
	var parts []string
	if p.Has(address.Correspondence) {
		parts = append(parts, l.t("Correspondence", "Correspondência"))
	}
	if p.Has(address.Billing) {
		parts = append(parts, l.t("Billing", "Cobrança"))
	}
	return strings.Join(parts, ", ")
}

func assetKind(l labeler, k asset.Kind) string {
	switch k {
	case asset.Vehicle:
		return l.t("Vehicle", "Veículo")
	case asset.RealEstate:
		return l.t("Real estate", "Imóvel")
	case asset.Other:
		return l.t("Other", "Outros")
	}
	return ""
}

func brandName(b reference.Brand) string {
	switch b {
	case reference.Visa:
		return "Visa"
	case reference.Mastercard:
		return "Mastercard"
	case reference.Amex:
		return "American Express"
	case reference.Elo:
		return "Elo"
	case reference.Hipercard:
		return "Hipercard"
	case reference.Diners:
		return "Diners Club"
	case reference.Discover:
		return "Discover"
	case reference.JCB:
		return "JCB"
	}
	return b.String()
}

func birthday(b contact.Birthday) string {
	if b.IsZero() {
		return ""
	}
	if b.Year == 0 {
		return fmt.Sprintf("%02d/%02d", b.Day, int(b.Month))
	}
	return fmt.Sprintf("%02d/%02d/%04d", b.Day, int(b.Month), b.Year)
}

var weekdays = [...]struct{ en, pt string }{
	{}, {"Monday", "Segunda-feira"}, {"Tuesday", "Terça-feira"}, {"Wednesday", "Quarta-feira"},
	{"Thursday", "Quinta-feira"}, {"Friday", "Sexta-feira"}, {"Saturday", "Sábado"}, {"Sunday", "Domingo"},
}

func when(l labeler, d contact.Weekday, h contact.Hour) string {
	var parts []string
	if d != contact.AnyDay && int(d) < len(weekdays) {
		parts = append(parts, l.t(weekdays[d].en, weekdays[d].pt))
	}
	if hour, ok := h.Get(); ok {
		parts = append(parts, fmt.Sprintf("%02dh", hour))
	}
	return strings.Join(parts, l.t(", at ", ", às "))
}

// NotShown lists the fields of the customer, by path, that the sheet
// deliberately leaves off; every other field is printed. Additional
// information is printed as the schema given to Text or HTML says: the
// fields it has for the customer's kind and marks OnSheet, in their
// sections; a key the schema does not have, or a field of a section the
// sheet does not know, is not printed. A test changes each field in turn
// and fails when one is neither printed nor listed.
var NotShown = []string{
	"cards[0].token", // a payment gateway's reference: of no use on paper
}

var (
	channelLabels = map[attendance.Channel][2]string{
		attendance.InPerson: {"in person", "presencial"}, attendance.Phone: {"phone", "telefone"},
		attendance.WhatsApp: {"WhatsApp", "WhatsApp"}, attendance.Email: {"e-mail", "e-mail"},
		attendance.SMS: {"SMS", "SMS"}, attendance.OtherChannel: {"other", "outro"},
	}
	reasonLabels = map[attendance.Reason][2]string{
		attendance.Sales: {"sales", "vendas"}, attendance.Service: {"service", "oficina"},
		attendance.Parts: {"parts", "peças"}, attendance.Financing: {"financing", "financiamento"},
		attendance.AfterSales: {"after-sales", "pós-venda"}, attendance.OtherReason: {"other", "outro"},
	}
	sectionLabels = map[attendance.Section][2]string{
		attendance.Profile: {"Profile", "Perfil"}, attendance.Phones: {"Phones", "Telefones"},
		attendance.Emails: {"E-mails", "E-mails"}, attendance.Addresses: {"Addresses", "Endereços"},
		attendance.Assets: {"Assets", "Bens"}, attendance.References: {"References", "Referências"},
		attendance.Contacts: {"Contacts", "Contatos"}, attendance.Info: {"Additional information", "Informações adicionais"},
	}
)

// relationship lays out the last attendance, the open agenda and the
// freshness of the record.
func relationship(l labeler, r *Relationship, stamp, short func(time.Time) string, none string) Section {
	var blocks []Block
	if a := r.LastAttendance; a != nil {
		b := Block{Title: l.t("Last attendance", "Último atendimento")}
		b.Rows = append(b.Rows, Row{l.t("When", "Quando"), stamp(a.At)})
		how := l.t(channelLabels[a.Channel][0], channelLabels[a.Channel][1]) + " · " + l.t(reasonLabels[a.Reason][0], reasonLabels[a.Reason][1])
		b.Rows = append(b.Rows, Row{l.t("How", "Como"), how})
		if who := a.Attendant.Name; who != "" {
			b.Rows = append(b.Rows, Row{l.t("Attendant", "Atendente"), who})
		}
		if a.Outcome != "" {
			b.Rows = append(b.Rows, Row{l.t("Outcome", "Resultado"), a.Outcome})
		}
		blocks = append(blocks, b)
	}
	if len(r.Open) > 0 {
		b := Block{Title: l.t("Scheduled contacts", "Contatos agendados")}
		for _, it := range r.Open {
			v := it.Subject
			if it.Attendant.Name != "" {
				v += " (" + it.Attendant.Name + ")"
			}
			b.Rows = append(b.Rows, Row{short(it.Due), v})
		}
		blocks = append(blocks, b)
	}
	if len(r.Freshness) > 0 {
		b := Block{Title: l.t("Last confirmed or changed", "Última confirmação ou alteração")}
		for _, s := range attendance.AllSections.Each() {
			if t, ok := r.Freshness[s]; ok {
				b.Rows = append(b.Rows, Row{l.t(sectionLabels[s][0], sectionLabels[s][1]), stamp(t)})
			}
		}
		blocks = append(blocks, b)
	}
	return Section{Title: l.t("Relationship", "Relacionamento"), Blocks: blocks, Empty: none}
}

// ChannelLabel names how an attendance took place, as the sheet does:
// "presencial", "WhatsApp"; in English when english is set.
func ChannelLabel(c attendance.Channel, english bool) string { return pick(channelLabels[c], english) }

// ReasonLabel names the department or reason of an attendance, as the
// sheet does: "vendas", "oficina"; in English when english is set.
func ReasonLabel(r attendance.Reason, english bool) string { return pick(reasonLabels[r], english) }

func pick(l [2]string, english bool) string {
	if english {
		return l[0]
	}
	return l[1]
}
