package customer

import (
	"slices"
	"strings"

	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/internal/fold"
	"github.com/fichacrm/ficha/internal/ident"
	"github.com/fichacrm/ficha/validation"
)

// Field names a kind of search key.
type Field uint8

// The fields a customer can be found by: the filters of the source page.
const (
	FieldName         Field = iota + 1 // a folded token of the name or trade name
	FieldPhone                         // a phone in canonical form without its extension, and a Brazilian number without its DDD
	FieldTaxID                         // the canonical CPF or CNPJ
	FieldCompany                       // a folded token of the company: a company's names, an individual's employer
	FieldVIN                           // a vehicle's chassis number
	FieldPlate                         // a vehicle's plate in Mercosul form
	FieldDMSCustomer                   // the customer's code in the DMS
	FieldServiceOrder                  // a service-order code in the DMS
	FieldEmail                         // an e-mail address
	// FieldReference is the phone of a personal reference, in canonical
	// form without its extension. No [Query] searches it: it finds, for
	// the data subject's export (storage.Store.Export), the records that
	// name the person as a reference.
	FieldReference
	// FieldMatch holds the match keys of duplicate detection
	// ([Customer.MatchKeys]). No [Query] searches it.
	FieldMatch
)

var fieldNames = [...]string{"", "name", "phone", "tax_id", "company", "vin", "plate", "dms_customer", "service_order", "email", "reference", "match"}

// Fields returns every field a [Query] searches, in order: all but
// FieldReference and FieldMatch.
func Fields() []Field {
	all := make([]Field, 0, len(fieldNames)-1)
	for f := FieldName; f <= FieldEmail; f++ {
		all = append(all, f)
	}
	return all
}

// String returns the field's name, such as "plate".
func (f Field) String() string { return enumName(fieldNames[:], int(f)) }

// ParseField parses a name written by [Field.String].
func ParseField(s string) (Field, error) {
	var f uint8
	if err := enumParse(fieldNames[:], []byte(s), &f, ErrQueryField); err != nil || f == 0 {
		return 0, ErrQueryField
	}
	return Field(f), nil
}

// MarshalText implements [encoding.TextMarshaler].
func (f Field) MarshalText() ([]byte, error) { return []byte(f.String()), nil }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (f *Field) UnmarshalText(b []byte) error {
	return enumParse(fieldNames[:], b, (*uint8)(f), ErrQueryField)
}

// Prefix reports whether a search term of this field matches keys that
// start with it (names and companies) rather than equal keys.
func (f Field) Prefix() bool { return f == FieldName || f == FieldCompany }

// Key is one search key of a customer: a field and a normalised value.
// Storage adapters index keys as they are; they never normalise text.
type Key struct {
	Field Field  `json:"field"`
	Value string `json:"value"`
}

// SearchKeys returns the customer's search keys, sorted and without
// duplicates: name tokens (of the name and trade name), company tokens (a
// company's names, an individual's employer), every phone of the customer
// and of its contacts (canonical without its extension, and without the
// DDD for Brazilian numbers: a phone with an extension has the keys of its
// main number and no more), the tax ID, e-mails (the customer's and its contacts'), each
// vehicle's VIN and plate (in Mercosul form, so either form finds it), the
// DMS customer code and service-order codes, and the phones of personal
// references (FieldReference, which no query searches).
func (c *Customer) SearchKeys() []Key {
	var keys []Key
	add := func(f Field, v string) {
		if v != "" {
			keys = append(keys, Key{f, v})
		}
	}
	for _, t := range fold.Tokens(c.Name) {
		add(FieldName, t)
	}
	for _, t := range fold.Tokens(c.TradeName) {
		add(FieldName, t)
	}
	if c.Kind == Company {
		for _, t := range fold.Tokens(c.Name + " " + c.TradeName) {
			add(FieldCompany, t)
		}
	} else {
		for _, t := range fold.Tokens(c.Employer) {
			add(FieldCompany, t)
		}
	}
	addPhone := func(p contact.Phone) {
		add(FieldPhone, p.Main().String())
		add(FieldPhone, p.Subscriber())
	}
	for _, p := range c.Phones {
		addPhone(p)
	}
	for _, e := range c.Emails {
		add(FieldEmail, e.String())
	}
	for _, ct := range c.Contacts {
		for _, p := range ct.Phones {
			addPhone(p)
		}
		add(FieldEmail, ct.Email.String())
	}
	for _, r := range c.PersonalReferences {
		add(FieldReference, r.Phone.Main().String())
	}
	for _, k := range c.MatchKeys() {
		add(FieldMatch, k)
	}
	add(FieldTaxID, c.TaxID.String())
	for _, a := range c.Assets {
		add(FieldVIN, a.VIN.String())
		add(FieldPlate, a.Plate.Mercosul().String())
	}
	add(FieldDMSCustomer, codeKey(c.DMSCode))
	for _, so := range c.ServiceOrders {
		add(FieldServiceOrder, codeKey(so))
	}
	slices.SortFunc(keys, compareKeys)
	return slices.Compact(keys)
}

// keyTops are the top-level fields whose values SearchKeys reads.
var keyTops = map[string]bool{
	"kind": true, "name": true, "trade_name": true, "employer": true, "birth_date": true, "tax_id": true,
	"phones": true, "emails": true, "addresses": true, "assets": true, "contacts": true,
	"personal_references": true, "dms_code": true, "service_orders": true,
}

// KeyPath reports whether a change at path (a path of [Diff] or
// [Changes], such as "notes" or "phones[2]") can change the customer's
// [Customer.SearchKeys]. It may say so of a path that cannot (any path
// under "addresses" does, where only a CEP can); it never says the
// opposite.
func KeyPath(path string) bool {
	if i := strings.IndexAny(path, "[."); i >= 0 {
		path = path[:i]
	}
	return keyTops[path]
}

func compareKeys(a, b Key) int {
	if a.Field != b.Field {
		return int(a.Field) - int(b.Field)
	}
	return strings.Compare(a.Value, b.Value)
}

// MaxSortName is the longest [Customer.SortName], in bytes.
const MaxSortName = fold.MaxToken

// SortName is the customer's name as lists sort it: accents removed, lower
// case, runs of spaces as one, cut at [MaxSortName] bytes on a rune
// boundary. Every adapter sorts by it, so that "Álvaro" comes before
// "Bruno" whatever the database's collation.
func (c *Customer) SortName() string {
	return fold.Cut(strings.Join(strings.Fields(fold.String(c.Name)), " "))
}

// codeKey normalises a DMS code for search: trimmed and upper-cased.
func codeKey(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// Query is what an attendant types to find a customer: any combination of
// the filters, each as typed. Every filter given must match (they combine
// with AND).
type Query struct {
	Name         string // every word must start a word of the name ("jose silv")
	Phone        string // any format, with or without the DDD; an extension typed after it is ignored
	TaxID        string // CPF or CNPJ, any format
	Company      string // every word must start a word of the company
	VIN          string // chassis
	Plate        string // old or Mercosul form
	DMSCustomer  string // the customer's code in the DMS
	ServiceOrder string // a service-order code in the DMS
	Email        string
}

// Term is one condition of a parsed query: keys of Field whose value equals
// Value, or starts with it when Prefix is set.
type Term struct {
	Field  Field
	Value  string
	Prefix bool
}

// Errors of query parsing.
var (
	ErrEmptyQuery = validation.NewRule("query.empty", "type at least one search filter", "preencha ao menos um filtro de pesquisa")
	ErrQueryField = validation.NewRule("query.field", "unknown search field", "campo de pesquisa desconhecido")
	ErrQueryPhone = validation.NewRule("query.phone", "type a phone with or without its DDD", "digite um telefone com ou sem DDD")
	ErrQueryLong  = validation.NewRule("query.too_long", "this filter is too long", "este filtro é longo demais")
	ErrQueryWords = validation.NewRule("query.too_many_words", "type at most 8 words in this filter", "digite no máximo 8 palavras neste filtro")
	ErrQueryTerms = validation.NewRule("query.too_many_terms", "the search has too many words; type at most 12 in all", "a pesquisa tem palavras demais; digite no máximo 12 ao todo")
)

// Bounds of a query. Each word is one probe of the search index, and a
// database plans and runs the probes together: bounded, no query can cost
// more than a few ordinary ones. A full legal name rarely has more than
// six words; an attendant types two or three. Words implied by a longer
// word of the same filter ("jo" by "jose") are dropped before counting.
const (
	MaxQueryText  = validation.MaxText // bytes of one filter, as long as the longest name
	MaxQueryWords = 8                  // words of one name or company filter
	MaxQueryTerms = 12                 // terms of the whole query
)

// Terms parses the query into the same normalised values that
// [Customer.SearchKeys] produces, so that every adapter matches them the
// same way. An empty query is [ErrEmptyQuery]; a filter that cannot be a key
// (a malformed CPF, plate, VIN, e-mail...) is reported in a
// [*ValidationError] under the filter's field name. Terms are sorted and
// without duplicates.
func (q Query) Terms() ([]Term, error) {
	var terms []Term
	var v validation.Error
	for _, f := range [...]struct{ path, text string }{{"name", q.Name}, {"phone", q.Phone}, {"tax_id", q.TaxID},
		{"company", q.Company}, {"vin", q.VIN}, {"plate", q.Plate}, {"dms_customer", q.DMSCustomer},
		{"service_order", q.ServiceOrder}, {"email", q.Email}} {
		if len(f.text) > MaxQueryText {
			v.Add(f.path, ErrQueryLong)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	words := func(path string, f Field, s string) {
		ws := impliedDropped(fold.Tokens(s))
		if len(ws) > MaxQueryWords {
			v.Add(path, ErrQueryWords)
			return
		}
		for _, t := range ws {
			terms = append(terms, Term{Field: f, Value: t, Prefix: true})
		}
	}
	exact := func(f Field, s string) {
		terms = append(terms, Term{Field: f, Value: s})
	}
	words("name", FieldName, q.Name)
	words("company", FieldCompany, q.Company)
	if s := strings.TrimSpace(q.Phone); s != "" {
		// A phone is found by its main number: an extension typed with it
		// is cut off, whatever kind of number it follows.
		number, _, err := contact.CutExtension(s)
		if err != nil {
			v.Add("phone", ErrQueryPhone)
		} else if p, err := contact.ParsePhone(number); err == nil {
			exact(FieldPhone, p.String())
		} else if local, ok := localNumber(number); ok {
			exact(FieldPhone, local)
		} else {
			v.Add("phone", ErrQueryPhone)
		}
	}
	if s := strings.TrimSpace(q.TaxID); s != "" {
		if t, err := ParseTaxID(s); err == nil {
			exact(FieldTaxID, t.String())
		} else {
			v.Add("tax_id", err)
		}
	}
	if s := strings.TrimSpace(q.VIN); s != "" {
		if vin, err := asset.ParseVIN(s); err == nil {
			exact(FieldVIN, vin.String())
		} else {
			v.Add("vin", err)
		}
	}
	if s := strings.TrimSpace(q.Plate); s != "" {
		if p, err := asset.ParsePlate(s); err == nil {
			exact(FieldPlate, p.Mercosul().String())
		} else {
			v.Add("plate", err)
		}
	}
	for _, f := range [...]struct {
		path  string
		field Field
		text  string
	}{{"dms_customer", FieldDMSCustomer, q.DMSCustomer}, {"service_order", FieldServiceOrder, q.ServiceOrder}} {
		switch s := codeKey(f.text); {
		case s == "":
		case !validCode(s, true):
			v.Add(f.path, ErrCode)
		default:
			exact(f.field, s)
		}
	}
	if s := strings.TrimSpace(q.Email); s != "" {
		if e, err := contact.ParseEmail(s); err == nil {
			exact(FieldEmail, e.String())
		} else {
			v.Add("email", err)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if len(terms) == 0 {
		return nil, ErrEmptyQuery
	}
	slices.SortFunc(terms, func(a, b Term) int {
		if c := compareKeys(Key{a.Field, a.Value}, Key{b.Field, b.Value}); c != 0 {
			return c
		}
		return boolInt(a.Prefix) - boolInt(b.Prefix)
	})
	terms = slices.Compact(terms)
	if len(terms) > MaxQueryTerms {
		return nil, ErrQueryTerms
	}
	return terms, nil
}

// impliedDropped removes the words that are a prefix of another word of
// the list: every customer that matches "jose" matches "jo" too, so the
// shorter word adds a probe and no filtering. The order of what is left
// is kept.
func impliedDropped(words []string) []string {
	out := words[:0:0]
	for i, w := range words {
		implied := false
		for j, o := range words {
			if i != j && strings.HasPrefix(o, w) && (len(o) > len(w) || j < i) {
				implied = true
				break
			}
		}
		if !implied {
			out = append(out, w)
		}
	}
	return out
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// localNumber reads a Brazilian number typed without its DDD: 9 digits
// starting with 9 (mobile) or 8 digits starting 2-5 (landline).
func localNumber(s string) (string, bool) {
	var buf [9]byte
	n, _, st := ident.Compact(buf[:], s)
	d := buf[:n]
	if st != ident.OK || !ident.AllDigits(d) {
		return "", false
	}
	switch {
	case n == 9 && d[0] == '9', n == 8 && d[0] >= '2' && d[0] <= '5':
		return string(d), true
	}
	return "", false
}

// MatchesAll reports whether every term is satisfied by at least one of
// keys: whether a customer with these search keys is a result of the
// query the terms came from. It is the one definition of a match that
// every storage adapter implements.
func MatchesAll(keys []Key, terms []Term) bool {
	for _, term := range terms {
		if !slices.ContainsFunc(keys, term.Matches) {
			return false
		}
	}
	return true
}

// MatchesWhole reports whether keys satisfy every term as whole words: each
// prefix term equals a key of its field ("silva" is a word of the name, not
// only the start of "silvana"), each exact term equals a key. Searches rank
// such customers before those that match by prefix only.
func MatchesWhole(keys []Key, terms []Term) bool {
	for _, term := range terms {
		if !slices.Contains(keys, Key{term.Field, term.Value}) {
			return false
		}
	}
	return true
}

// Matched returns the keys that satisfy at least one of the terms, in the
// order of [Customer.SearchKeys] and without repeats: what a search result
// reports as matched. keys is not modified.
func Matched(keys []Key, terms []Term) []Key {
	var out []Key
	for _, k := range keys {
		if slices.ContainsFunc(terms, func(t Term) bool { return t.Matches(k) }) {
			out = append(out, k)
		}
	}
	slices.SortFunc(out, compareKeys)
	return slices.Compact(out)
}

// Matches reports whether key satisfies t.
func (t Term) Matches(k Key) bool {
	if k.Field != t.Field {
		return false
	}
	if t.Prefix {
		return strings.HasPrefix(k.Value, t.Value)
	}
	return k.Value == t.Value
}
