package customer

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/date"
	"github.com/fichacrm/ficha/internal/money"
	"github.com/fichacrm/ficha/validation"
)

// InfoType is the type of an additional-information field.
type InfoType uint8

// The types of additional-information fields.
const (
	InfoText   InfoType = iota + 1 // free text
	InfoNumber                     // a whole or decimal number
	InfoMoney                      // an amount in reais, to the centavo
	InfoDate                       // a calendar date
	InfoYesNo                      // yes or no
	InfoChoice                     // one of the field's options
	InfoCPF                        // a CPF
	InfoPhone                      // a phone number
)

// Section groups additional-information fields on the sheet.
type Section uint8

// The sections of additional information.
const (
	SectionSpouse    Section = iota + 1 // the spouse's data
	SectionFinancial                    // income and residence
	SectionPersonal                     // personal documents and background
	SectionCompany                      // a company's registrations and size
)

// Label is a text shown to people, in English and Brazilian Portuguese.
type Label struct {
	EN string
	PT string
}

// Get returns the label in lang.
func (l Label) Get(lang validation.Lang) string {
	if lang == validation.Portuguese {
		return l.PT
	}
	return l.EN
}

// Label returns the section's title.
func (s Section) Label() Label {
	switch s {
	case SectionSpouse:
		return Label{"Spouse", "Cônjuge"}
	case SectionFinancial:
		return Label{"Financial", "Dados financeiros"}
	case SectionPersonal:
		return Label{"Personal", "Dados pessoais"}
	case SectionCompany:
		return Label{"Company", "Dados da empresa"}
	}
	return Label{}
}

// Option is one choice of an [InfoChoice] field: the value stored and its
// label.
type Option struct {
	Value string
	Label Label
}

// Kinds says which kinds of customer a field applies to.
type Kinds uint8

// The kinds a field may apply to.
const (
	ForIndividuals Kinds = 1 << iota
	ForCompanies
	ForBoth = ForIndividuals | ForCompanies
)

// Has reports whether k includes the customer kind.
func (k Kinds) Has(kind Kind) bool {
	switch kind {
	case Individual:
		return k&ForIndividuals != 0
	case Company:
		return k&ForCompanies != 0
	}
	return false
}

// InfoField is one field of the additional-information table ("Tabela de
// Informações Adicionais").
type InfoField struct {
	Key      string // stored key: lower case letters, digits and _
	Label    Label
	Section  Section
	Type     InfoType
	Options  []Option // for InfoChoice
	Kinds    Kinds    // which kinds of customer it applies to
	Required bool     // must be filled for the kinds it applies to
	OnSheet  bool     // printed on the customer sheet
}

// Rules of additional information against a schema.
var (
	ErrInfoUnknown = validation.NewRule("info.unknown", "this field is not in the additional-information table", "este campo não consta da tabela de informações adicionais")
	ErrInfoKind    = validation.NewRule("info.kind", "this field does not apply to this kind of customer", "este campo não se aplica a este tipo de pessoa")
	ErrInfoNumber  = validation.NewRule("info.number", "type a number", "digite um número")
	ErrInfoMoney   = validation.NewRule("info.money", "type an amount in reais, such as 1234.56", "digite um valor em reais, como 1234,56")
	ErrInfoDate    = validation.NewRule("info.date", "type a valid date", "digite uma data válida")
	ErrInfoYesNo   = validation.NewRule("info.yes_no", "answer yes or no", "responda sim ou não")
	ErrInfoChoice  = validation.NewRule("info.choice", "choose one of the options", "escolha uma das opções")
)

// Normalize checks value against the field's type and returns its stored
// form: numbers and money with a dot for decimals ("1234.56", accepting
// "1.234,56" as Brazilians type it), dates as YYYY-MM-DD (accepting
// DD/MM/YYYY), yes/no as "true" or "false" (accepting sim/não), CPFs and
// phones canonical, choices by their value. Text is kept as given.
func (f InfoField) Normalize(value string) (string, error) {
	v := strings.TrimSpace(value)
	switch f.Type {
	case InfoText:
		return value, nil
	case InfoNumber, InfoMoney:
		n := brazilianNumber(v)
		var d decimal.Decimal
		var err error
		if len(n) > 30 || !plainNumber(n) {
			err = ErrInfoNumber // no exponents, no more than 30 characters
		} else {
			d, err = decimal.NewFromString(n)
		}
		if err != nil {
			if f.Type == InfoMoney {
				return "", ErrInfoMoney
			}
			return "", ErrInfoNumber
		}
		if f.Type == InfoMoney {
			if err := money.Check(d); err != nil {
				return "", err
			}
			return d.StringFixed(2), nil
		}
		out := d.String()
		if i := strings.IndexByte(out, '.'); i >= 0 && len(out)-i-1 == 3 {
			// "1.234" would read back as a thousand: write "1.2340".
			out += "0"
		}
		return out, nil
	case InfoDate:
		if len(v) == 10 && v[2] == '/' && v[5] == '/' {
			v = v[6:] + "-" + v[3:5] + "-" + v[:2]
		}
		d, err := date.Parse(v)
		if err != nil {
			return "", ErrInfoDate
		}
		return d.String(), nil
	case InfoYesNo:
		switch strings.ToLower(v) {
		case "true", "yes", "sim", "s", "y", "1":
			return "true", nil
		case "false", "no", "não", "nao", "n", "0":
			return "false", nil
		}
		return "", ErrInfoYesNo
	case InfoChoice:
		for _, o := range f.Options {
			if o.Value == v {
				return v, nil
			}
		}
		return "", ErrInfoChoice
	case InfoCPF:
		c, err := ParseCPF(v)
		if err != nil {
			return "", err
		}
		return c.String(), nil
	case InfoPhone:
		p, err := contact.ParsePhone(v)
		if err != nil {
			return "", err
		}
		return p.String(), nil
	}
	return "", validation.ErrInvalid
}

// brazilianNumber reads a number as Brazilians write it: "1.234,56" is
// 1234.56 and "1.500" is 1500 (dots in groups of three digits separate
// thousands); any other dot, as in the stored form "1234.5", is a decimal
// point. A leading "R$" is dropped.
func brazilianNumber(s string) string {
	s = strings.TrimSpace(strings.TrimPrefix(s, "R$"))
	if strings.Contains(s, ",") {
		return strings.ReplaceAll(strings.ReplaceAll(s, ".", ""), ",", ".")
	}
	if thousands(s) {
		return strings.ReplaceAll(s, ".", "")
	}
	return s
}

// plainNumber reports whether s is an optional minus, digits and at most
// one decimal point: what a person types, and nothing a decimal parser
// would read as an exponent of a billion digits.
func plainNumber(s string) bool {
	if s == "" {
		return false
	}
	s = strings.TrimPrefix(s, "-")
	dot := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '.' && !dot:
			dot = true
		case c < '0' || c > '9':
			return false
		}
	}
	return true
}

// thousands reports whether s is digits grouped by dots in threes, as in
// "1.500" or "12.345.678".
func thousands(s string) bool {
	groups := strings.Split(strings.TrimPrefix(s, "-"), ".")
	if len(groups) < 2 || len(groups[0]) == 0 || len(groups[0]) > 3 || groups[0][0] == '0' {
		return false
	}
	for i, g := range groups {
		if i > 0 && len(g) != 3 {
			return false
		}
		for _, c := range g {
			if c < '0' || c > '9' {
				return false
			}
		}
	}
	return true
}

// Format returns a stored value as Brazilians (lang Portuguese) or English
// readers read it: money as "R$ 1.234,56", dates as DD/MM/YYYY, yes/no as
// Sim/Não, CPFs and phones with their masks, choices by their label. A
// value that does not fit the type is shown as stored.
func (f InfoField) Format(value string, lang validation.Lang) string {
	switch f.Type {
	case InfoMoney:
		if d, err := money.Parse(value); err == nil {
			return FormatMoney(d)
		}
	case InfoNumber:
		if d, err := money.Parse(value); err == nil && lang == validation.Portuguese {
			return strings.ReplaceAll(d.String(), ".", ",")
		}
	case InfoDate:
		if d, err := date.Parse(value); err == nil {
			return d.Format()
		}
	case InfoYesNo:
		return YesNo(value == "true", lang)
	case InfoChoice:
		for _, o := range f.Options {
			if o.Value == value {
				return o.Label.Get(lang)
			}
		}
	case InfoCPF:
		if c, err := ParseCPF(value); err == nil {
			return c.Format()
		}
	case InfoPhone:
		if p, err := contact.ParsePhone(value); err == nil {
			return p.Format()
		}
	}
	return value
}

// YesNo returns "Sim" or "Não" in Portuguese, "Yes" or "No" in English.
func YesNo(b bool, lang validation.Lang) string {
	switch {
	case lang == validation.Portuguese && b:
		return "Sim"
	case lang == validation.Portuguese:
		return "Não"
	case b:
		return "Yes"
	}
	return "No"
}

// FormatMoney returns an amount as Brazilians write it: "R$ 1.234,56".
func FormatMoney(d decimal.Decimal) string {
	s := d.Abs().StringFixed(2)
	whole, cents := s[:len(s)-3], s[len(s)-2:]
	var b strings.Builder
	if d.IsNegative() {
		b.WriteString("-")
	}
	b.WriteString("R$ ")
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	b.WriteByte(',')
	b.WriteString(cents)
	return b.String()
}

// InfoSchema is the additional-information table: which fields exist, for
// which kinds of customer, in which section, and which are printed on the
// sheet. It is the host's configuration; storage keeps only the values. It
// is read-only once built and safe for concurrent use.
type InfoSchema struct {
	fields []InfoField
	byKey  map[string]int
}

// NewInfoSchema returns a schema of the given fields, in their order. Keys
// must be unique and well formed, choices must have options, and every
// field must apply to some kind.
func NewInfoSchema(fields ...InfoField) (*InfoSchema, error) {
	s := &InfoSchema{byKey: map[string]int{}}
	for _, f := range fields {
		switch {
		case !validInfoKey(f.Key):
			return nil, fmt.Errorf("customer: additional-information key %q is not lower-case letters, digits and _", f.Key)
		case s.has(f.Key):
			return nil, fmt.Errorf("customer: additional-information key %q appears twice", f.Key)
		case f.Type < InfoText || f.Type > InfoPhone:
			return nil, fmt.Errorf("customer: additional-information field %q has no valid type", f.Key)
		case f.Type == InfoChoice && len(f.Options) == 0:
			return nil, fmt.Errorf("customer: choice field %q has no options", f.Key)
		case f.Kinds&ForBoth == 0:
			return nil, fmt.Errorf("customer: additional-information field %q applies to no kind", f.Key)
		}
		f.Options = slices.Clone(f.Options)
		s.byKey[f.Key] = len(s.fields)
		s.fields = append(s.fields, f)
	}
	return s, nil
}

func (s *InfoSchema) has(key string) bool {
	_, ok := s.byKey[key]
	return ok
}

// Extend returns a new schema with s's fields and then the given ones;
// a given field with a key s has replaces it in place.
func (s *InfoSchema) Extend(fields ...InfoField) (*InfoSchema, error) {
	all := slices.Clone(s.fields)
	for _, f := range fields {
		if i, ok := s.byKey[f.Key]; ok {
			all[i] = f
			continue
		}
		all = append(all, f)
	}
	return NewInfoSchema(all...)
}

// Field returns the field with the given key.
func (s *InfoSchema) Field(key string) (InfoField, bool) {
	i, ok := s.byKey[key]
	if !ok {
		return InfoField{}, false
	}
	return s.fields[i], true
}

// Fields returns the fields that apply to kind, in the schema's order.
func (s *InfoSchema) Fields(kind Kind) []InfoField {
	var out []InfoField
	for _, f := range s.fields {
		if f.Kinds.Has(kind) {
			out = append(out, f)
		}
	}
	return out
}

// Normalize returns a copy of c's additional information with every value
// in its stored form (see [InfoField.Normalize]); values it cannot read
// are left as they are, for [InfoSchema.Validate] to report.
func (s *InfoSchema) Normalize(info map[string]string) map[string]string {
	if info == nil {
		return nil
	}
	out := maps.Clone(info)
	for k, v := range out {
		if f, ok := s.Field(k); ok {
			if n, err := f.Normalize(v); err == nil {
				out[k] = n
			}
		}
	}
	return out
}

// Validate checks c's additional information against the schema and
// reports every failed field under "info.<key>": a key the schema does
// not have, a field that does not apply to c's kind (a company has no
// spouse), a required field left empty, or a value that is not of the
// field's type. It returns nil or a *ValidationError.
func (s *InfoSchema) Validate(c *Customer) error {
	var v validation.Error
	for _, k := range slices.Sorted(maps.Keys(c.Info)) {
		path := "info." + k
		f, ok := s.Field(k)
		switch {
		case !validInfoKey(k):
			// A key that is not a key may be anything, personal data
			// included: it is reported without itself.
			v.Add("info", ErrInfoKey)
		case !ok:
			v.Add(path, ErrInfoUnknown)
		case !f.Kinds.Has(c.Kind):
			v.Add(path, ErrInfoKind)
		case strings.TrimSpace(c.Info[k]) == "":
			if f.Required {
				v.Add(path, validation.ErrRequired)
			}
		default:
			if _, err := f.Normalize(c.Info[k]); err != nil {
				v.Add(path, err)
			}
		}
	}
	for _, f := range s.Fields(c.Kind) {
		if _, ok := c.Info[f.Key]; !ok && f.Required {
			v.Add("info."+f.Key, validation.ErrRequired)
		}
	}
	return v.Err()
}

// errDefaultSchema reports a mistake in DefaultInfoSchema's own table.
var errDefaultSchema = errors.New("customer: the default additional-information schema is invalid")

func options(values ...[3]string) []Option {
	opts := make([]Option, len(values))
	for i, v := range values {
		opts[i] = Option{Value: v[0], Label: Label{v[1], v[2]}}
	}
	return opts
}

// DefaultInfoSchema returns the additional information Brazilian
// dealerships ask for: the spouse's name, CPF, birth date, profession and
// income; marital status, profession, employer, monthly and other income,
// residence type and time at the address, mother's name, RG, nationality,
// birthplace and education for individuals; state and municipal
// registrations, main activity (CNAE), foundation date, annual revenue,
// employees and fleet size for companies. Hosts replace it with
// [NewInfoSchema] or add to it with [InfoSchema.Extend].
func DefaultInfoSchema() *InfoSchema {
	ind, co := ForIndividuals, ForCompanies
	f := func(key, en, pt string, sec Section, typ InfoType, kinds Kinds, opts ...Option) InfoField {
		return InfoField{Key: key, Label: Label{en, pt}, Section: sec, Type: typ, Kinds: kinds, Options: opts, OnSheet: true}
	}
	marital := options(
		[3]string{"single", "Single", "Solteiro(a)"}, [3]string{"married", "Married", "Casado(a)"},
		[3]string{"stable_union", "Stable union", "União estável"}, [3]string{"separated", "Separated", "Separado(a)"},
		[3]string{"divorced", "Divorced", "Divorciado(a)"}, [3]string{"widowed", "Widowed", "Viúvo(a)"})
	residence := options(
		[3]string{"owned", "Owned", "Própria"}, [3]string{"financed", "Financed", "Financiada"},
		[3]string{"rented", "Rented", "Alugada"}, [3]string{"family", "With family", "Com a família"},
		[3]string{"employer", "Provided by employer", "Funcional"}, [3]string{"other", "Other", "Outra"})
	education := options(
		[3]string{"elementary", "Elementary school", "Ensino fundamental"}, [3]string{"high_school", "High school", "Ensino médio"},
		[3]string{"technical", "Technical", "Técnico"}, [3]string{"higher", "Higher education", "Ensino superior"},
		[3]string{"postgraduate", "Postgraduate", "Pós-graduação"})
	s, err := NewInfoSchema(
		f("spouse_name", "Spouse's name", "Nome do cônjuge", SectionSpouse, InfoText, ind),
		f("spouse_cpf", "Spouse's CPF", "CPF do cônjuge", SectionSpouse, InfoCPF, ind),
		f("spouse_birth_date", "Spouse's birth date", "Nascimento do cônjuge", SectionSpouse, InfoDate, ind),
		f("spouse_profession", "Spouse's profession", "Profissão do cônjuge", SectionSpouse, InfoText, ind),
		f("spouse_income", "Spouse's income", "Renda do cônjuge", SectionSpouse, InfoMoney, ind),
		f("marital_status", "Marital status", "Estado civil", SectionPersonal, InfoChoice, ind, marital...),
		f("profession", "Profession", "Profissão", SectionPersonal, InfoText, ind),
		f("mother_name", "Mother's name", "Nome da mãe", SectionPersonal, InfoText, ind),
		f("rg", "ID card (RG)", "RG", SectionPersonal, InfoText, ind),
		f("nationality", "Nationality", "Nacionalidade", SectionPersonal, InfoText, ind),
		f("birthplace", "Birthplace", "Naturalidade", SectionPersonal, InfoText, ind),
		f("education", "Education", "Escolaridade", SectionPersonal, InfoChoice, ind, education...),
		f("employer", "Employer", "Empresa onde trabalha", SectionFinancial, InfoText, ind),
		f("monthly_income", "Monthly income", "Renda mensal", SectionFinancial, InfoMoney, ind),
		f("other_income", "Other income", "Outras rendas", SectionFinancial, InfoMoney, ind),
		f("residence_type", "Residence", "Tipo de residência", SectionFinancial, InfoChoice, ind, residence...),
		f("residence_since", "At this address since", "Reside no endereço desde", SectionFinancial, InfoDate, ind),
		f("state_registration", "State registration", "Inscrição estadual", SectionCompany, InfoText, co),
		f("municipal_registration", "Municipal registration", "Inscrição municipal", SectionCompany, InfoText, co),
		f("main_activity", "Main activity (CNAE)", "Atividade principal (CNAE)", SectionCompany, InfoText, co),
		f("foundation_date", "Foundation date", "Data de fundação", SectionCompany, InfoDate, co),
		f("annual_revenue", "Annual revenue", "Faturamento anual", SectionCompany, InfoMoney, co),
		f("employees", "Employees", "Número de funcionários", SectionCompany, InfoNumber, co),
		f("fleet_size", "Fleet size", "Tamanho da frota", SectionCompany, InfoNumber, co),
	)
	if err != nil {
		panic(errors.Join(errDefaultSchema, err))
	}
	return s
}
