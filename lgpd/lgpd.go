// Package lgpd renders the data subject's export (storage.Store.Export) as
// a readable page: one self-contained HTML document, in Brazilian
// Portuguese by default, that a dealership hands to the person who asked
// what it holds about them (LGPD art. 18 II and art. 19: access "em
// formato simplificado" or "por meio de declaração clara e completa"). The
// machine-readable form of the same export is its JSON (storage.Export),
// for portability (art. 18 V).
package lgpd

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/fichacrm/ficha/agenda"
	"github.com/fichacrm/ficha/consent"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer/info"
	"github.com/fichacrm/ficha/internal/brtime"
	"github.com/fichacrm/ficha/sheet"
	"github.com/fichacrm/ficha/storage"
)

// Options change how the page is rendered. A nil *Options renders in
// Brazilian Portuguese, in America/Sao_Paulo time, with info.Default().
type Options struct {
	English bool // labels in English instead of Brazilian Portuguese
	// Controller names the dealership (the controller, "controlador")
	// in the page's header: "Concessionária Exemplo Ltda".
	Controller string
	// Schema decides which additional information of the records is
	// shown; info.Default() when nil.
	Schema *info.Schema
	// Location is the time zone times are shown in; America/Sao_Paulo
	// when nil.
	Location *time.Location
}

//go:embed export.html.tmpl
var source string

// JSONSchema is the JSON Schema (draft 2020-12) of the export's JSON
// form, storage.ExportSchema: what a host publishes to the people and
// services that receive exports, and what the tests hold every export to.
//
//go:embed export.schema.json
var JSONSchema []byte

var page = template.Must(template.New("export").Parse(source))

// table is a titled grid of values.
type table struct {
	Title string
	Head  []string
	Rows  [][]string
	Empty string
}

// record is one of the person's records.
type record struct {
	Title    string
	Sections []sheet.Section
	Tables   []table
}

type view struct {
	Lang, Title, Intro string
	Subject            []sheet.Row
	SubjectTitle       string
	Records            []record
	NoRecords          string
	Others             table
	Suppressed         table
	Rights             []string
	RightsTitle        string
	Footer             string
}

type labels struct{ en bool }

func (l labels) t(en, pt string) string {
	if l.en {
		return en
	}
	return pt
}

// HTML writes e as one HTML page: styles inline, no script, every value
// escaped. It shows the person's records as the customer sheet does, then
// their consents (the states that stand and the whole ledger with its
// evidence), attendances, agenda and the change log, then the places
// where they appear in other records, their addresses on the suppression
// list, and the rights they may exercise.
func HTML(w io.Writer, e *storage.Export, opts *Options) error {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Location == nil {
		o.Location = brtime.SaoPaulo()
	}
	l := labels{en: o.English}
	stamp := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(o.Location).Format("02/01/2006 15:04")
	}
	v := view{Lang: l.t("en", "pt-BR"), Title: l.t("Personal data report", "Relatório de dados pessoais"),
		SubjectTitle: l.t("Data subject", "Titular"),
		NoRecords:    l.t("No record holds this CPF or CNPJ.", "Nenhum cadastro tem este CPF ou CNPJ."),
		RightsTitle:  l.t("Your rights (LGPD, art. 18)", "Seus direitos (LGPD, art. 18)")}
	who := o.Controller
	if who == "" {
		who = l.t("the dealership", "a concessionária")
	}
	v.Intro = fmt.Sprintf(l.t("Everything %s holds about you on %s, as the General Data Protection Law (Lei 13.709/2018) entitles you to know.",
		"Tudo o que %s guarda sobre você em %s, como a Lei Geral de Proteção de Dados (Lei 13.709/2018) lhe garante saber."), who, stamp(e.GeneratedAt))

	if !e.Subject.TaxID.IsZero() {
		v.Subject = append(v.Subject, sheet.Row{Label: "CPF/CNPJ", Value: e.Subject.TaxID.Format()})
	}
	for _, p := range e.Subject.Phones {
		v.Subject = append(v.Subject, sheet.Row{Label: l.t("Phone", "Telefone"), Value: p.Format()})
	}
	for _, m := range e.Subject.Emails {
		v.Subject = append(v.Subject, sheet.Row{Label: "E-mail", Value: m.String()})
	}

	none := l.t("None.", "Nenhum.")
	for i, r := range e.Records {
		rec := record{Title: fmt.Sprintf("%s %d · %s", l.t("Record", "Cadastro"), i+1, r.Customer.ID),
			Sections: sheet.Sections(r.Customer, o.Schema, &sheet.Options{English: o.English, Location: o.Location})}
		standing := table{Title: l.t("Consents in force", "Consentimentos em vigor"), Empty: none,
			Head: []string{l.t("Channel", "Canal"), l.t("Purpose", "Finalidade"), l.t("State", "Situação"), l.t("Legal basis", "Base legal"), l.t("Since", "Desde")}}
		for _, s := range r.Standing {
			who := l.t("you", "você")
			if s.Contact != "" {
				who = s.Contact
			}
			standing.Rows = append(standing.Rows, []string{label(l, channelLabels, s.Channel, s.Channel.String()) + " (" + who + ")", label(l, purposeLabels, s.Purpose, string(s.Purpose)),
				label(l, stateLabels, s.State, ""), label(l, basisLabels, s.Basis, ""), stamp(s.Since)})
		}
		ledger := table{Title: l.t("Consent record, with its evidence", "Registro de consentimentos, com as evidências"), Empty: none,
			Head: []string{l.t("Stated", "Declarado em"), l.t("Channel", "Canal"), l.t("Purpose", "Finalidade"), l.t("State", "Situação"),
				l.t("Source", "Origem"), l.t("Notice shown", "Termo apresentado"), l.t("Reference", "Referência"), l.t("Recorded by", "Registrado por")}}
		for _, c := range r.Consents {
			ledger.Rows = append(ledger.Rows, []string{stamp(c.At), label(l, channelLabels, c.Channel, c.Channel.String()), label(l, purposeLabels, c.Purpose, string(c.Purpose)),
				label(l, stateLabels, c.State, ""), label(l, sourceLabels, c.Source, string(c.Source)), c.Evidence.Notice, c.Evidence.Reference, c.Actor.String() + " · " + stamp(c.RecordedAt)})
		}
		atts := table{Title: l.t("Attendances", "Atendimentos"), Empty: none,
			Head: []string{l.t("When", "Quando"), l.t("How", "Como"), l.t("Attendant", "Atendente"), l.t("Outcome", "Resultado"), l.t("Notes", "Observações")}}
		for _, a := range r.Attendances {
			atts.Rows = append(atts.Rows, []string{stamp(a.At), sheet.ChannelLabel(a.Channel, o.English) + " · " + sheet.ReasonLabel(a.Reason, o.English),
				a.Attendant.Name, a.Outcome, a.Notes})
		}
		ag := table{Title: l.t("Agenda", "Agenda"), Empty: none,
			Head: []string{l.t("Due", "Data"), l.t("Subject", "Assunto"), l.t("Status", "Situação"), l.t("Notes", "Observações")}}
		for _, it := range r.Agenda {
			ag.Rows = append(ag.Rows, []string{stamp(it.Due), it.Subject, label(l, statusLabels, it.Status, ""), it.Notes})
		}
		hist := table{Title: l.t("Change log", "Histórico de alterações"), Empty: none,
			Head: []string{l.t("When", "Quando"), l.t("What", "O quê"), l.t("By", "Por"), l.t("Fields", "Campos")}}
		for _, ch := range r.History {
			paths := make([]string, len(ch.Fields))
			for i, f := range ch.Fields {
				paths[i] = f.Path
			}
			hist.Rows = append(hist.Rows, []string{stamp(ch.At), label(l, opLabels, ch.Op, ch.Op.String()), ch.Actor.String(), strings.Join(paths, ", ")})
		}
		rec.Tables = []table{standing, ledger, atts, ag, hist}
		v.Records = append(v.Records, rec)
	}

	v.Others = table{Title: l.t("Where you appear in other records", "Onde você aparece em outros cadastros"),
		Empty: l.t("Nowhere.", "Em nenhum."),
		Head:  []string{l.t("Record", "Cadastro"), l.t("As", "Como"), l.t("What it says of you", "O que diz de você"), l.t("Found by", "Encontrado por")}}
	for _, a := range e.Appearances {
		var what []string
		role := l.t("your phone or e-mail", "seu telefone ou e-mail")
		switch a.Role {
		case storage.AsContact:
			role = l.t("contact", "contato")
			if c := a.Contact; c != nil {
				what = append(what, c.Name, c.Role)
				for _, p := range c.Phones {
					what = append(what, p.Format())
				}
				if !c.Email.IsZero() {
					what = append(what, c.Email.String())
				}
			}
		case storage.AsReference:
			role = l.t("personal reference", "referência pessoal")
			if r := a.Reference; r != nil {
				what = append(what, r.Name, r.Phone.Format(), r.Note)
			}
		}
		if len(what) == 0 && a.Role != storage.AsAddress {
			what = append(what, l.t("under another name: only your address matches", "em outro nome: só o seu endereço coincide"))
		}
		v.Others.Rows = append(v.Others.Rows, []string{a.CustomerID.String() + " · " + a.Path, role, joinNonEmpty(what), showAddresses(a.Matched)})
	}
	v.Suppressed = table{Title: l.t("Addresses that receive no messages", "Endereços que não recebem mensagens"), Empty: none,
		Head: []string{l.t("Channel", "Canal"), l.t("Address", "Endereço")}}
	for _, s := range e.Suppressed {
		v.Suppressed.Rows = append(v.Suppressed.Rows, []string{label(l, channelLabels, s.Channel, s.Channel.String()), showAddresses([]string{s.Address})})
	}
	v.Rights = []string{
		l.t("Correct incomplete, inexact or outdated data.", "Corrigir dados incompletos, inexatos ou desatualizados."),
		l.t("Have unnecessary or excessive data anonymised, blocked or deleted.", "Pedir a anonimização, o bloqueio ou a eliminação de dados desnecessários ou excessivos."),
		l.t("Receive your data in a machine-readable form (portability).", "Receber seus dados em formato legível por máquina (portabilidade)."),
		l.t("Know with whom your data was shared.", "Saber com quem seus dados foram compartilhados."),
		l.t("Withdraw any consent, at any time, at no cost.", "Revogar qualquer consentimento, a qualquer momento, sem custo."),
	}
	v.Footer = fmt.Sprintf("%s · %s", e.Schema, stamp(e.GeneratedAt)+" ("+o.Location.String()+")")
	return page.Execute(w, v)
}

// showAddresses writes canonical phones as people read them; e-mails as
// they are.
func showAddresses(list []string) string {
	out := make([]string, len(list))
	for i, a := range list {
		out[i] = a
		if p, err := contact.ParsePhone(a); err == nil && !strings.Contains(a, "@") {
			out[i] = p.Format()
		}
	}
	return strings.Join(out, ", ")
}

func joinNonEmpty(parts []string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " · ")
}

// The labels of the page's values, in English and Portuguese.
var (
	channelLabels = map[consent.Channel][2]string{consent.SMS: {"SMS", "SMS"}, consent.WhatsApp: {"WhatsApp", "WhatsApp"},
		consent.Email: {"E-mail", "E-mail"}, consent.Call: {"Phone call", "Ligação"}, consent.Post: {"Post", "Correspondência"}}
	purposeLabels = map[consent.Purpose][2]string{consent.Marketing: {"Offers and news", "Ofertas e novidades"},
		consent.Service: {"Service notices and recalls", "Avisos de serviço e recalls"}, consent.Surveys: {"Satisfaction surveys", "Pesquisas de satisfação"}}
	stateLabels = map[consent.State][2]string{consent.Granted: {"granted", "concedido"}, consent.Denied: {"denied", "negado"},
		consent.Withdrawn: {"withdrawn", "revogado"}}
	basisLabels = map[consent.Basis][2]string{consent.BasisConsent: {"consent (art. 7 I)", "consentimento (art. 7º, I)"},
		consent.BasisContract:           {"contract (art. 7 V)", "execução de contrato (art. 7º, V)"},
		consent.BasisLegalObligation:    {"legal obligation (art. 7 II)", "obrigação legal (art. 7º, II)"},
		consent.BasisLegitimateInterest: {"legitimate interest (art. 7 IX)", "legítimo interesse (art. 7º, IX)"}}
	sourceLabels = map[consent.Source][2]string{consent.AtDesk: {"at the desk", "na loja"}, consent.WebForm: {"web form", "formulário do site"},
		consent.SMSReply: {"SMS reply", "resposta por SMS"}, consent.ByPhone: {"phone call", "ligação"}, consent.ByEmail: {"e-mail", "e-mail"},
		consent.Import: {"import", "importação"}}
	statusLabels = map[agenda.Status][2]string{agenda.Open: {"open", "aberto"}, agenda.Done: {"done", "realizado"}, agenda.Cancelled: {"cancelled", "cancelado"}}
	opLabels     = map[storage.Op][2]string{storage.OpCreate: {"record created", "cadastro criado"}, storage.OpUpdate: {"record changed", "cadastro alterado"},
		storage.OpDelete: {"record deleted", "cadastro excluído"}, storage.OpAttend: {"attendance", "atendimento"},
		storage.OpSchedule: {"contact scheduled", "contato agendado"}, storage.OpReschedule: {"contact rescheduled", "contato reagendado"},
		storage.OpComplete: {"contact done", "contato realizado"}, storage.OpCancel: {"contact cancelled", "contato cancelado"}}
)

// label returns v's label in the page's language, or fallback (a host's
// own purpose or source, say) when v has none.
func label[K comparable](l labels, m map[K][2]string, v K, fallback string) string {
	pair, ok := m[v]
	if !ok {
		return fallback
	}
	return l.t(pair[0], pair[1])
}
