package info

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/date"
	"github.com/fichacrm/ficha/internal/money"
	"github.com/fichacrm/ficha/validation"
)

// Type is the type of a field: what an attendant may type in it and how
// it is stored and shown.
type Type uint8

// The types of fields.
const (
	Text   Type = iota + 1 // free text
	Number                 // a whole or decimal number
	Money                  // an amount in reais, to the centavo
	Date                   // a calendar date
	YesNo                  // yes or no
	Choice                 // one of the field's options
	CPF                    // a CPF
	Phone                  // a phone number
)

// Section groups fields on the customer sheet.
type Section uint8

// The sections of the additional information.
const (
	SectionSpouse    Section = iota + 1 // the spouse's data
	SectionFinancial                    // income and residence
	SectionPersonal                     // personal documents and background
	SectionCompany                      // a company's registrations and size
)

// Label is a text shown to people, in English and Brazilian Portuguese.
type Label struct {
	EN string // English
	PT string // Brazilian Portuguese
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

// Option is one choice of a [Choice] field: the value stored and its
// label.
type Option struct {
	Value string
	Label Label
}

// Kinds says which kinds of customer a field applies to.
type Kinds uint8

// The kinds a field may apply to.
const (
	ForIndividuals Kinds = 1 << iota // individuals (pessoa física)
	ForCompanies                     // companies (pessoa jurídica)
)

// ForBoth applies a field to individuals and companies alike.
const ForBoth Kinds = ForIndividuals | ForCompanies

// Has reports whether k includes the customer kind.
func (k Kinds) Has(kind customer.Kind) bool {
	switch kind {
	case customer.Individual:
		return k&ForIndividuals != 0
	case customer.Company:
		return k&ForCompanies != 0
	}
	return false
}

// Field is one field of the additional-information table ("Tabela de
// Informações Adicionais").
type Field struct {
	Key      string // stored key: lower case letters, digits and _
	Label    Label
	Section  Section
	Type     Type
	Options  []Option // for Choice
	Kinds    Kinds    // which kinds of customer it applies to
	Required bool     // must be filled for the kinds it applies to
	OnSheet  bool     // printed on the customer sheet
}

// Rules of additional information against a schema. A key that is not a
// key at all breaks [customer.ErrInfoKey], the rule
// [customer.Customer.Validate] applies too.
var (
	// ErrUnknown is broken by a key the schema does not have.
	ErrUnknown = validation.NewRule("info.unknown", "this field is not in the additional-information table", "este campo não consta da tabela de informações adicionais")
	// ErrKind is broken by a field that does not apply to the customer's
	// kind, such as a spouse's name for a company.
	ErrKind = validation.NewRule("info.kind", "this field does not apply to this kind of customer", "este campo não se aplica a este tipo de pessoa")
	// ErrNumber is broken by a [Number] field that holds no number.
	ErrNumber = validation.NewRule("info.number", "type a number", "digite um número")
	// ErrMoney is broken by a [Money] field that holds no amount.
	ErrMoney = validation.NewRule("info.money", "type an amount in reais, such as 1234.56", "digite um valor em reais, como 1234,56")
	// ErrDate is broken by a [Date] field that holds no valid date.
	ErrDate = validation.NewRule("info.date", "type a valid date", "digite uma data válida")
	// ErrYesNo is broken by a [YesNo] field that holds neither yes nor no.
	ErrYesNo = validation.NewRule("info.yes_no", "answer yes or no", "responda sim ou não")
	// ErrChoice is broken by a [Choice] field that holds none of its
	// options.
	ErrChoice = validation.NewRule("info.choice", "choose one of the options", "escolha uma das opções")
)

// Normalize checks value against the field's type and returns its stored
// form: numbers and money with a dot for decimals ("1234.56", accepting
// "1.234,56" as Brazilians type it, see money.Brazilian), dates as
// YYYY-MM-DD (accepting DD/MM/YYYY, see [date.ParseBrazilian]), yes/no as
// "true" or "false" (accepting sim/não, see [ParseYesNo]), CPFs and
// phones canonical, choices by their value. Text is kept as given.
func (f Field) Normalize(value string) (string, error) {
	v := strings.TrimSpace(value)
	switch f.Type {
	case Text:
		return value, nil
	case Number, Money:
		n := money.Brazilian(v)
		var d decimal.Decimal
		var err error
		if len(n) > 30 || !plainNumber(n) {
			err = ErrNumber // no exponents, no more than 30 characters
		} else {
			d, err = decimal.NewFromString(n)
		}
		if err != nil {
			if f.Type == Money {
				return "", ErrMoney
			}
			return "", ErrNumber
		}
		if f.Type == Money {
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
	case Date:
		d, err := date.ParseBrazilian(v)
		if err != nil {
			return "", ErrDate
		}
		return d.String(), nil
	case YesNo:
		b, err := ParseYesNo(v)
		if err != nil {
			return "", err
		}
		return strconv.FormatBool(b), nil
	case Choice:
		for _, o := range f.Options {
			if o.Value == v {
				return v, nil
			}
		}
		return "", ErrChoice
	case CPF:
		c, err := customer.ParseCPF(v)
		if err != nil {
			return "", err
		}
		return c.String(), nil
	case Phone:
		p, err := contact.ParsePhone(v)
		if err != nil {
			return "", err
		}
		return p.String(), nil
	}
	return "", validation.ErrInvalid
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

// Format returns a stored value as Brazilians (lang Portuguese) or English
// readers read it: money as "R$ 1.234,56", dates as DD/MM/YYYY, yes/no as
// Sim/Não, CPFs and phones with their masks, choices by their label. A
// value that does not fit the type is shown as stored.
func (f Field) Format(value string, lang validation.Lang) string {
	switch f.Type {
	case Money:
		if d, err := money.Parse(value); err == nil {
			return FormatMoney(d)
		}
	case Number:
		if d, err := money.Parse(value); err == nil && lang == validation.Portuguese {
			return strings.ReplaceAll(d.String(), ".", ",")
		}
	case Date:
		if d, err := date.Parse(value); err == nil {
			return d.Format()
		}
	case YesNo:
		return FormatYesNo(value == "true", lang)
	case Choice:
		for _, o := range f.Options {
			if o.Value == value {
				return o.Label.Get(lang)
			}
		}
	case CPF:
		if c, err := customer.ParseCPF(value); err == nil {
			return c.Format()
		}
	case Phone:
		if p, err := contact.ParsePhone(value); err == nil {
			return p.Format()
		}
	}
	return value
}

// ParseYesNo reads a yes/no answer as people type it, in any case and
// with surrounding spaces: sim/não (nao), s/n, yes/no, y/n, true/false or
// 1/0. Anything else is [ErrYesNo].
func ParseYesNo(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "yes", "sim", "s", "y", "1":
		return true, nil
	case "false", "no", "não", "nao", "n", "0":
		return false, nil
	}
	return false, ErrYesNo
}

// FormatYesNo returns "Sim" or "Não" in Portuguese, "Yes" or "No" in
// English.
func FormatYesNo(b bool, lang validation.Lang) string {
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

// Schema is the additional-information table: which fields exist, for
// which kinds of customer, in which section, and which are printed on the
// sheet. It is the host's configuration; storage keeps only the values. It
// is read-only once built and safe for concurrent use.
type Schema struct {
	fields []Field
	byKey  map[string]int
}

// NewSchema returns a schema of the given fields, in their order. Keys
// must be unique and well formed ([customer.IsInfoKey]), choices must have
// options, and every field must apply to some kind.
func NewSchema(fields ...Field) (*Schema, error) {
	s := &Schema{byKey: map[string]int{}}
	for _, f := range fields {
		switch {
		case !customer.IsInfoKey(f.Key):
			return nil, fmt.Errorf("info: key %q is not a lower-case letter followed by lower-case letters, digits and _", f.Key)
		case s.has(f.Key):
			return nil, fmt.Errorf("info: key %q appears twice", f.Key)
		case f.Type < Text || f.Type > Phone:
			return nil, fmt.Errorf("info: field %q has no valid type", f.Key)
		case f.Type == Choice && len(f.Options) == 0:
			return nil, fmt.Errorf("info: choice field %q has no options", f.Key)
		case f.Kinds&ForBoth == 0:
			return nil, fmt.Errorf("info: field %q applies to no kind", f.Key)
		}
		f.Options = slices.Clone(f.Options)
		s.byKey[f.Key] = len(s.fields)
		s.fields = append(s.fields, f)
	}
	return s, nil
}

func (s *Schema) has(key string) bool {
	_, ok := s.byKey[key]
	return ok
}

// Extend returns a new schema with s's fields and then the given ones;
// a given field with a key s has replaces it in place.
func (s *Schema) Extend(fields ...Field) (*Schema, error) {
	all := slices.Clone(s.fields)
	for _, f := range fields {
		if i, ok := s.byKey[f.Key]; ok {
			all[i] = f
			continue
		}
		all = append(all, f)
	}
	return NewSchema(all...)
}

// Field returns the field with the given key: a copy, which the caller
// may change without changing the schema.
func (s *Schema) Field(key string) (Field, bool) {
	i, ok := s.byKey[key]
	if !ok {
		return Field{}, false
	}
	return s.fields[i].clone(), true
}

// field is Field without the copy, for the schema's own reads.
func (s *Schema) field(key string) (Field, bool) {
	i, ok := s.byKey[key]
	if !ok {
		return Field{}, false
	}
	return s.fields[i], true
}

func (f Field) clone() Field {
	f.Options = slices.Clone(f.Options)
	return f
}

// Fields returns copies of the fields that apply to kind, in the schema's
// order.
func (s *Schema) Fields(kind customer.Kind) []Field {
	var out []Field
	for _, f := range s.fields {
		if f.Kinds.Has(kind) {
			out = append(out, f.clone())
		}
	}
	return out
}

// Normalize returns a copy of a customer's additional information with
// every value in its stored form (see [Field.Normalize]). A blank value
// (empty, or spaces only) of a key the schema has is dropped: a form that
// posts every field, the empty ones too, says nothing about those. Values
// it cannot read, and keys the schema does not have, are left as they
// are, for [Schema.Validate] to report.
func (s *Schema) Normalize(info map[string]string) map[string]string {
	if info == nil {
		return nil
	}
	out := maps.Clone(info)
	for k, v := range out {
		f, ok := s.field(k)
		if !ok {
			continue
		}
		if validation.IsBlank(v) {
			delete(out, k)
			continue
		}
		if n, err := f.Normalize(v); err == nil {
			out[k] = n
		}
	}
	return out
}

// Validate checks c's additional information against the schema and
// reports every failed field under "info.<key>": a key the schema does
// not have, a field that does not apply to c's kind (a company has no
// spouse), a required field left empty, or a value that is not of the
// field's type. It returns nil or a *[customer.ValidationError].
func (s *Schema) Validate(c *customer.Customer) error {
	var v validation.Error
	for _, k := range slices.Sorted(maps.Keys(c.Info)) {
		path := "info." + k
		f, ok := s.field(k)
		switch {
		case !customer.IsInfoKey(k):
			// A key that is not a key may be anything, personal data
			// included: it is reported without itself.
			v.Add("info", customer.ErrInfoKey)
		case !ok:
			v.Add(path, ErrUnknown)
		case !f.Kinds.Has(c.Kind):
			v.Add(path, ErrKind)
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

// errDefaultSchema reports a mistake in Default's own table.
var errDefaultSchema = errors.New("info: the default schema is invalid")

func options(values ...[3]string) []Option {
	opts := make([]Option, len(values))
	for i, v := range values {
		opts[i] = Option{Value: v[0], Label: Label{v[1], v[2]}}
	}
	return opts
}

// Default returns the additional information Brazilian dealerships ask
// for: the spouse's name, CPF, birth date, profession and income; marital status, profession, employer, monthly and other income,
// residence type and time at the address, mother's name, RG, nationality,
// birthplace and education for individuals; state and municipal
// registrations, main activity (CNAE), foundation date, annual revenue,
// employees and fleet size for companies. Hosts replace it with
// [NewSchema] or add to it with [Schema.Extend]. Each call returns a new
// schema.
//
// Two fields repeat something the record itself has: "employer" (an
// individual's employer, which Customer.Employer also holds and which the
// company search reads) and "foundation_date" (which Customer.BirthDate
// holds for a company). Fill the record's own fields; the information
// fields are there for hosts whose forms keep them apart.
func Default() *Schema {
	ind, co := ForIndividuals, ForCompanies
	f := func(key, en, pt string, sec Section, typ Type, kinds Kinds, opts ...Option) Field {
		return Field{Key: key, Label: Label{en, pt}, Section: sec, Type: typ, Kinds: kinds, Options: opts, OnSheet: true}
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
	s, err := NewSchema(
		f("spouse_name", "Spouse's name", "Nome do cônjuge", SectionSpouse, Text, ind),
		f("spouse_cpf", "Spouse's CPF", "CPF do cônjuge", SectionSpouse, CPF, ind),
		f("spouse_birth_date", "Spouse's birth date", "Nascimento do cônjuge", SectionSpouse, Date, ind),
		f("spouse_profession", "Spouse's profession", "Profissão do cônjuge", SectionSpouse, Text, ind),
		f("spouse_income", "Spouse's income", "Renda do cônjuge", SectionSpouse, Money, ind),
		f("marital_status", "Marital status", "Estado civil", SectionPersonal, Choice, ind, marital...),
		f("profession", "Profession", "Profissão", SectionPersonal, Text, ind),
		f("mother_name", "Mother's name", "Nome da mãe", SectionPersonal, Text, ind),
		f("rg", "ID card (RG)", "RG", SectionPersonal, Text, ind),
		f("nationality", "Nationality", "Nacionalidade", SectionPersonal, Text, ind),
		f("birthplace", "Birthplace", "Naturalidade", SectionPersonal, Text, ind),
		f("education", "Education", "Escolaridade", SectionPersonal, Choice, ind, education...),
		f("employer", "Employer", "Empresa onde trabalha", SectionFinancial, Text, ind),
		f("monthly_income", "Monthly income", "Renda mensal", SectionFinancial, Money, ind),
		f("other_income", "Other income", "Outras rendas", SectionFinancial, Money, ind),
		f("residence_type", "Residence", "Tipo de residência", SectionFinancial, Choice, ind, residence...),
		f("residence_since", "At this address since", "Reside no endereço desde", SectionFinancial, Date, ind),
		f("state_registration", "State registration", "Inscrição estadual", SectionCompany, Text, co),
		f("municipal_registration", "Municipal registration", "Inscrição municipal", SectionCompany, Text, co),
		f("main_activity", "Main activity (CNAE)", "Atividade principal (CNAE)", SectionCompany, Text, co),
		f("foundation_date", "Foundation date", "Data de fundação", SectionCompany, Date, co),
		f("annual_revenue", "Annual revenue", "Faturamento anual", SectionCompany, Money, co),
		f("employees", "Employees", "Número de funcionários", SectionCompany, Number, co),
		f("fleet_size", "Fleet size", "Tamanho da frota", SectionCompany, Number, co),
	)
	if err != nil {
		panic(errors.Join(errDefaultSchema, err))
	}
	return s
}
