package customer_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/date"
	"github.com/fichacrm/ficha/reference"
	"github.com/fichacrm/ficha/validation"
)

var now = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

// full returns a customer with every sub-record filled in.
func full() *customer.Customer {
	card, err := reference.NewCard("4111 1111 1111 1111", "JOSE DA SILVA", reference.Expiry{Month: 12, Year: 2030}, now)
	if err != nil {
		panic(err)
	}
	return &customer.Customer{
		Kind: customer.Individual, Status: customer.StatusCustomer,
		Name: "José da Silva", TaxID: customer.MustParseTaxID("248.438.034-80"), Employer: "Transportes Conceição Ltda",
		BirthDate: date.MustNew(1980, time.May, 17),
		Phones:    []contact.Phone{contact.MustParsePhone("(11) 98765-4321"), contact.MustParsePhone("(11) 3333-4444")},
		Emails:    []contact.Email{contact.MustParseEmail("jose.silva@example.com.br")},
		DMSCode:   "C-000123", ServiceOrders: []string{"OS-2026-0042"},
		Addresses: []address.Address{{CEP: address.MustParseCEP("01310-100"), Street: "Avenida Paulista", Number: "1000",
			District: "Bela Vista", City: "São Paulo", UF: address.SP, Purposes: address.Correspondence | address.Billing}},
		Assets: []asset.Asset{{Description: "Fiat Strada", Kind: asset.Vehicle, Year: 2024, Value: decimal.RequireFromString("98500.00"),
			Plate: asset.MustParsePlate("ABC-1234"), VIN: asset.MustParseVIN("9BWZZZ377VT004251"),
			Lien: asset.Lien{Balance: decimal.RequireFromString("12000.50"), Creditor: "Banco Volkswagen", PayoffDate: date.MustNew(2028, 3, 10)}}},
		PersonalReferences: []reference.Personal{{Name: "Maria Souza", Phone: contact.MustParsePhone("21 99876-5432")}},
		BankReferences:     []reference.Bank{{Code: "001", Branch: "1584", BranchDigit: "9", Account: "00210169", AccountDigit: "6"}},
		Cards:              []reference.Card{card},
		Contacts: []contact.Contact{{Name: "Ana Lima", Role: "Esposa", Phones: []contact.Phone{contact.MustParsePhone("11 91234-5678")},
			Birthday: contact.Birthday{Day: 3, Month: time.August}, PreferredDay: contact.Saturday, PreferredHour: contact.At(10)}},
		Info: map[string]string{"spouse_name": "Ana Lima", "profession": "Engenheiro"},
	}
}

func TestValidateFullCustomer(t *testing.T) {
	t.Parallel()
	require.NoError(t, full().ValidateAt(now))
}

func TestValidateRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(c *customer.Customer)
		path   string
		code   string
	}{
		{"kind", func(c *customer.Customer) { c.Kind = 0 }, "kind", "customer.kind"},
		{"status", func(c *customer.Customer) { c.Status = 7 }, "status", "customer.status"},
		{"name", func(c *customer.Customer) { c.Name = "  " }, "name", "required"},
		{"customer without tax ID", func(c *customer.Customer) { c.TaxID = customer.TaxID{} }, "tax_id", "taxid.required"},
		{"company with a CPF", func(c *customer.Customer) { c.Kind = customer.Company }, "tax_id", "taxid.kind"},
		{"individual with a CNPJ", func(c *customer.Customer) { c.TaxID = customer.MustParseTaxID("12ABC34501DE35") }, "tax_id", "taxid.kind"},
		{"unreachable prospect", func(c *customer.Customer) { c.Status = customer.StatusProspect; c.Phones = nil; c.Emails = nil }, "phones", "customer.reachable"},
		{"born tomorrow", func(c *customer.Customer) { c.BirthDate = date.Of(now.AddDate(0, 0, 1)) }, "birth_date", "date.future"},
		{"zero phone", func(c *customer.Customer) { c.Phones = append(c.Phones, contact.Phone{}) }, "phones[2]", "required"},
		{"CEP of another state", func(c *customer.Customer) { c.Addresses[0].UF = address.RJ }, "addresses[0].cep", "cep.uf_mismatch"},
		{"negative value", func(c *customer.Customer) { c.Assets[0].Value = decimal.NewFromInt(-1) }, "assets[0].value", "money.negative"},
		{"asset from 1899", func(c *customer.Customer) { c.Assets[0].Year = 1899 }, "assets[0].year", "asset.year"},
		{"bank digit", func(c *customer.Customer) { c.BankReferences[0].AccountDigit = "7" }, "bank_references[0].account_digit", "bank.account_check_digit"},
		{"contact hour", func(c *customer.Customer) { c.Contacts[0].PreferredHour = contact.At(25) }, "contacts[0].preferred_hour", "hour.invalid"},
		{"reference without phone", func(c *customer.Customer) { c.PersonalReferences[0].Phone = contact.Phone{} }, "personal_references[0].phone", "required"},
		{"card in notes", func(c *customer.Customer) { c.Notes = "paga com 5555 5555 5555 4444" }, "notes", "text.card_number"},
		{"card in info", func(c *customer.Customer) { c.Info["profession"] = "4111111111111111" }, "info.profession", "text.card_number"},
		{"bad info key", func(c *customer.Customer) { c.Info["Bad Key"] = "x" }, "info", "info.key"},
		{"bad DMS code", func(c *customer.Customer) { c.DMSCode = "C 1" }, "dms_code", "dms.code"},
		{"empty service order", func(c *customer.Customer) { c.ServiceOrders = []string{""} }, "service_orders[0]", "dms.code"},
		{"card as service order", func(c *customer.Customer) { c.ServiceOrders = []string{"OS-1", "4111111111111111"} }, "service_orders[1]", "text.card_number"},
		{"card as DMS code", func(c *customer.Customer) { c.DMSCode = "5555-5555-5555-4444" }, "dms_code", "text.card_number"},
		{"masked card missing", func(c *customer.Customer) { c.Cards = append(c.Cards, reference.Card{Holder: "X"}) }, "cards[1].number", "card.masked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := full()
			tt.change(c)
			err := c.ValidateAt(now)
			var v *customer.ValidationError
			require.True(t, errors.As(err, &v), "want a validation error")
			assert.True(t, v.Has(tt.path, tt.code), "want %s at %s, got %v", tt.code, tt.path, err)
			for _, f := range v.Fields {
				assert.NotEmpty(t, f.Message(validation.English))
				assert.NotEmpty(t, f.Message(validation.Portuguese))
			}
		})
	}
}

func TestValidateReportsEveryFieldAtOnce(t *testing.T) {
	t.Parallel()
	c := &customer.Customer{Kind: customer.Company, Status: customer.StatusCustomer,
		Addresses: []address.Address{{}, {CEP: address.MustParseCEP("20040-020"), Street: "R", City: "Rio", UF: address.SP}}}
	var v *customer.ValidationError
	require.True(t, errors.As(c.ValidateAt(now), &v))
	assert.True(t, v.Has("name", "required"))
	assert.True(t, v.Has("tax_id", "taxid.required"))
	assert.True(t, v.Has("addresses[0].cep", "required"))
	assert.True(t, v.Has("addresses[1].cep", "cep.uf_mismatch"))
}

func TestValidationMessagesHoldNoPersonalData(t *testing.T) {
	t.Parallel()
	c := full()
	c.Kind = customer.Company
	c.Notes = "cartão 4111 1111 1111 1111"
	err := c.ValidateAt(now)
	require.Error(t, err)
	var v *customer.ValidationError
	require.True(t, errors.As(err, &v))
	pt, jerr := json.Marshal(v)
	require.NoError(t, jerr)
	en, jerr := json.Marshal(v.Localized(validation.English))
	require.NoError(t, jerr)
	assert.Contains(t, string(pt), `"code":"text.card_number"`)
	for _, text := range []string{err.Error(), v.Format(validation.Portuguese), string(pt), string(en)} {
		for _, secret := range []string{"24843803480", "248.438.034-80", "4111", "98765", "jose.silva"} {
			assert.NotContains(t, text, secret)
		}
	}
}

func TestClone(t *testing.T) {
	t.Parallel()
	c := full()
	d := c.Clone()
	assert.Equal(t, c, d)
	d.Phones[0] = contact.MustParsePhone("(21) 3333-4444")
	d.Addresses[0].City = "X"
	d.Contacts[0].Phones[0] = contact.Phone{}
	d.Info["profession"] = "X"
	assert.Equal(t, "+5511987654321", c.Phones[0].String())
	assert.Equal(t, "São Paulo", c.Addresses[0].City)
	assert.False(t, c.Contacts[0].Phones[0].IsZero())
	assert.Equal(t, "Engenheiro", c.Info["profession"])
}

func TestJSONRoundTrip(t *testing.T) {
	t.Parallel()
	c := full()
	c.ID = customer.NewID()
	b, err := json.Marshal(c)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "4111111111111111")
	var back customer.Customer
	require.NoError(t, json.Unmarshal(b, &back))
	b2, err := json.Marshal(&back)
	require.NoError(t, err)
	assert.JSONEq(t, string(b), string(b2))
	assert.Error(t, json.Unmarshal([]byte(`{"tax_id":"248.438.034-81"}`), &back), "decoding parses typed identifiers")
	require.NoError(t, json.Unmarshal([]byte(`{"kind":"individual","status":"customer","name":"Ana","tax_id":"24843803481"}`), &back))
	var v *customer.ValidationError
	require.ErrorAs(t, back.ValidateAt(now), &v, "a canonical identifier that breaks today's rules is reported by validation")
	assert.True(t, v.Has("tax_id", "cpf.check_digit"), "%v", v)
	assert.Error(t, json.Unmarshal([]byte(`{"kind":"robot"}`), &back))
}

func TestStatusHasOneName(t *testing.T) {
	t.Parallel()
	for _, s := range []customer.Status{customer.StatusProspect, customer.StatusCustomer} {
		b, err := s.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, s.String(), string(b))
		var back customer.Status
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, s, back)
	}
	assert.Equal(t, "customer", customer.StatusCustomer.String())
	var s customer.Status
	assert.Error(t, s.UnmarshalText([]byte("active")), "only the name the constant carries is read")
}

func TestNewIDIsVersion7(t *testing.T) {
	t.Parallel()
	a, b := customer.NewID(), customer.NewID()
	assert.Equal(t, 7, int(a.Version()))
	assert.NotEqual(t, a, b)
}

func keysOf(c *customer.Customer, f customer.Field) []string {
	var out []string
	for _, k := range c.SearchKeys() {
		if k.Field == f {
			out = append(out, k.Value)
		}
	}
	return out
}

func TestSearchKeys(t *testing.T) {
	t.Parallel()
	c := full()
	assert.Equal(t, []string{"da", "jose", "silva"}, keysOf(c, customer.FieldName))
	assert.Equal(t, []string{"conceicao", "ltda", "transportes"}, keysOf(c, customer.FieldCompany))
	assert.ElementsMatch(t, []string{"+5511987654321", "987654321", "+551133334444", "33334444", "+5511912345678", "912345678"},
		keysOf(c, customer.FieldPhone), "the customer's and its contacts' phones, with and without DDD")
	assert.Equal(t, []string{"24843803480"}, keysOf(c, customer.FieldTaxID))
	assert.Equal(t, []string{"ABC1C34"}, keysOf(c, customer.FieldPlate), "plates are indexed in Mercosul form")
	assert.Equal(t, []string{"9BWZZZ377VT004251"}, keysOf(c, customer.FieldVIN))
	assert.Equal(t, []string{"C-000123"}, keysOf(c, customer.FieldDMSCustomer))
	assert.Equal(t, []string{"OS-2026-0042"}, keysOf(c, customer.FieldServiceOrder))
	assert.Equal(t, []string{"jose.silva@example.com.br"}, keysOf(c, customer.FieldEmail))

	co := &customer.Customer{Kind: customer.Company, Name: "Locadora Águia S.A.", TradeName: "Águia Frotas"}
	assert.Equal(t, []string{"a", "aguia", "frotas", "locadora", "s"}, keysOf(co, customer.FieldCompany))
	assert.Equal(t, keysOf(co, customer.FieldCompany), keysOf(co, customer.FieldName))
	keys := co.SearchKeys()
	for i := 1; i < len(keys); i++ {
		assert.NotEqual(t, keys[i-1], keys[i], "no duplicates")
	}
}

// match reports whether every term of q matches some key of c: the
// semantics every storage adapter implements.
func match(t *testing.T, c *customer.Customer, q customer.Query) bool {
	t.Helper()
	terms, err := q.Terms()
	require.NoError(t, err)
	return customer.MatchesAll(c.SearchKeys(), terms)
}

func TestQueryFindsWhatAttendantsType(t *testing.T) {
	t.Parallel()
	c := full()
	hits := []customer.Query{
		{Name: "jose silv"},
		{Name: "JOSÉ DA SILVA", Phone: "(11) 98765-4321"},
		{Name: "silva", Phone: "98765-4321"},
		{Phone: "+55 11 3333-4444"},
		{Phone: "3333 4444"},
		{TaxID: "248 438 034 80"},
		{Company: "transp conc"},
		{VIN: "9bwzzz377vt004251"},
		{Plate: "abc1234"},
		{Plate: "ABC1C34"},
		{DMSCustomer: " c-000123 "},
		{ServiceOrder: "os-2026-0042"},
		{Email: "JOSE.SILVA@EXAMPLE.COM.BR"},
		{Phone: "11 91234-5678"}, // a contact's phone
	}
	for _, q := range hits {
		assert.True(t, match(t, c, q), "%+v", q)
	}
	misses := []customer.Query{
		{Name: "joao silva"},
		{Name: "jose", Phone: "(11) 98765-4320"},
		{Plate: "ABC1D34"},
		{Company: "silva"},
		{TaxID: "390.533.447-05"},
	}
	for _, q := range misses {
		assert.False(t, match(t, c, q), "%+v", q)
	}
}

func TestQueryErrors(t *testing.T) {
	t.Parallel()
	_, err := customer.Query{}.Terms()
	assert.ErrorIs(t, err, customer.ErrEmptyQuery)
	_, err = customer.Query{Name: " - "}.Terms()
	assert.ErrorIs(t, err, customer.ErrEmptyQuery, "punctuation alone is no query")

	_, err = customer.Query{TaxID: "123", Plate: "X", Phone: "12", VIN: "abc", Email: "no"}.Terms()
	var v *customer.ValidationError
	require.True(t, errors.As(err, &v))
	for _, p := range []string{"tax_id", "plate", "phone", "vin", "email"} {
		assert.True(t, len(v.Fields) == 5 && strings.Contains(err.Error(), p+":"), p)
	}
	terms, err := customer.Query{Name: "silva silva", DMSCustomer: "c1"}.Terms()
	require.NoError(t, err)
	assert.Equal(t, []customer.Term{{Field: customer.FieldName, Value: "silva", Prefix: true}, {Field: customer.FieldDMSCustomer, Value: "C1"}}, terms)
}

func TestFieldNames(t *testing.T) {
	t.Parallel()
	for _, f := range customer.Fields() {
		back, err := customer.ParseField(f.String())
		require.NoError(t, err)
		assert.Equal(t, f, back)
	}
	_, err := customer.ParseField("shoe_size")
	assert.ErrorIs(t, err, customer.ErrQueryField)
}

func BenchmarkValidate(b *testing.B) {
	c := full()
	b.ReportAllocs()
	for b.Loop() {
		_ = c.ValidateAt(now)
	}
}

func BenchmarkSearchKeys(b *testing.B) {
	c := full()
	b.ReportAllocs()
	for b.Loop() {
		_ = c.SearchKeys()
	}
}

func Example() {
	c := &customer.Customer{
		Kind:   customer.Individual,
		Status: customer.StatusProspect,
		Name:   "José da Silva",
		Phones: []contact.Phone{contact.MustParsePhone("(11) 98765-4321")},
	}
	fmt.Println(c.Validate())

	// Becoming a customer needs a CPF; a wrong one is reported by field.
	c.Status = customer.StatusCustomer
	err := c.Validate()
	var v *customer.ValidationError
	if errors.As(err, &v) {
		for _, f := range v.Fields {
			fmt.Printf("%s %s: %s\n", f.Path, f.Code(), f.Message(validation.Portuguese))
		}
	}
	c.TaxID = customer.MustParseTaxID("248.438.034-80")
	fmt.Println(c.Validate())
	// Output:
	// <nil>
	// tax_id taxid.required: o cliente precisa do CPF ou CNPJ
	// <nil>
}

func ExampleQuery_Terms() {
	terms, _ := customer.Query{Name: "José Silv", Plate: "abc-1234"}.Terms()
	for _, t := range terms {
		fmt.Println(t.Field, t.Value, t.Prefix)
	}
	// Output:
	// name jose true
	// name silv true
	// plate ABC1C34 false
}

func FuzzQueryTerms(f *testing.F) {
	f.Add("José da Silva", "(11) 98765-4321", "248.438.034-80", "abc-1234", "C-1")
	f.Add("", "98765-4321", "", "", "")
	f.Add("", "(11) 3333-4444 ramal 12", "", "", "")
	f.Add("Ana", "3333-4444 r. 1", "", "", "")
	f.Fuzz(func(t *testing.T, name, phone, taxID, plate, code string) {
		q := customer.Query{Name: name, Phone: phone, TaxID: taxID, Plate: plate, DMSCustomer: code, Company: name}
		terms, err := q.Terms()
		if err != nil {
			return
		}
		if len(terms) > customer.MaxQueryTerms {
			t.Fatalf("%d terms, past the bound", len(terms))
		}
		for _, term := range terms {
			if term.Value == "" || !term.Field.Prefix() && term.Prefix {
				t.Fatalf("bad term %+v", term)
			}
			if !utf8.ValidString(term.Value) || strings.ContainsRune(term.Value, 0) {
				t.Fatalf("a term a database may refuse: %q", term.Value)
			}
		}
		// A customer holding exactly what was searched for is found by it.
		c := &customer.Customer{Kind: customer.Individual, Name: name, Employer: name, DMSCode: strings.TrimSpace(code)}
		if p, err := contact.ParsePhone(phone); err == nil {
			c.Phones = []contact.Phone{p}
		}
		if tid, err := customer.ParseTaxID(taxID); err == nil {
			c.TaxID = tid
		}
		if p, err := asset.ParsePlate(plate); err == nil {
			c.Assets = []asset.Asset{{Kind: asset.Vehicle, Plate: p}}
		}
		if strings.TrimSpace(phone) != "" && len(c.Phones) == 0 {
			return // a number typed without DDD is not a phone of its own
		}
		if !match(t, c, q) {
			t.Fatalf("customer not found by its own values: %+v", q)
		}
	})
}

func TestListsAreBounded(t *testing.T) {
	t.Parallel()
	c := full()
	c.Phones = make([]contact.Phone, customer.MaxPhones+1)
	c.ServiceOrders = make([]string, customer.MaxServiceOrders+1)
	c.Contacts[0].Phones = make([]contact.Phone, contact.MaxPhones+1)
	var v *customer.ValidationError
	require.ErrorAs(t, c.ValidateAt(time.Now()), &v)
	assert.True(t, v.Has("phones", "list.too_many"))
	assert.True(t, v.Has("service_orders", "list.too_many"))
	assert.True(t, v.Has("contacts[0].phones", "list.too_many"))
	assert.Len(t, v.Fields, 3, "entries of a list past its bound are not checked one by one: %v", v)
}

func TestIsInfoKey(t *testing.T) {
	t.Parallel()
	for k, want := range map[string]bool{
		"spouse_name": true, "a": true, "rg2": true, strings.Repeat("a", 64): true,
		"": false, strings.Repeat("a", 65): false, "Spouse": false, "_a": false, "2a": false,
		"24843803480": false, "spouse name": false, "cônjuge": false, "a-b": false,
	} {
		assert.Equal(t, want, customer.IsInfoKey(k), "%q", k)
	}
}

func TestMatchedKeys(t *testing.T) {
	t.Parallel()
	terms, err := customer.Query{Name: "jose silv", Phone: "98765-4321"}.Terms()
	require.NoError(t, err)
	keys := []customer.Key{
		{Field: customer.FieldPhone, Value: "987654321"},
		{Field: customer.FieldName, Value: "silva"},
		{Field: customer.FieldName, Value: "jose"},
		{Field: customer.FieldName, Value: "santos"},
		{Field: customer.FieldName, Value: "jose"},
	}
	in := slices.Clone(keys)
	got := customer.Matched(keys, terms)
	assert.Equal(t, in, keys, "the caller's keys are not reordered")
	assert.Equal(t, []customer.Key{{Field: customer.FieldName, Value: "jose"}, {Field: customer.FieldName, Value: "silva"}, {Field: customer.FieldPhone, Value: "987654321"}}, got)
	assert.True(t, customer.MatchesAll(keys, terms))
	assert.False(t, customer.MatchesAll(keys[1:], terms), "without the phone one term is unmatched")
	assert.Empty(t, customer.Matched(keys, nil))
}

// TestValidateChange: an update does not judge again the identifiers the
// stored record holds, wherever they stand in it, and judges every other
// one at its own path.
func TestValidateChange(t *testing.T) {
	t.Parallel()
	scanned := func(p interface{ Scan(any) error }, s string) {
		require.NoError(t, p.Scan(s))
	}
	// Stored under older rules: a DDD since withdrawn in three places, a
	// CEP outside today's ranges, a CPF whose check digits no longer match.
	old := full()
	scanned(&old.Phones[1], "+5520987654321")
	scanned(&old.Contacts[0].Phones[0], "+5520912345678")
	scanned(&old.PersonalReferences[0].Phone, "+5520955554444")
	scanned(&old.Addresses[0].CEP, "00000000")
	var tax customer.TaxID
	scanned(&tax, "24843803481")
	old.TaxID = tax

	var v *customer.ValidationError
	require.ErrorAs(t, old.ValidateAt(now), &v, "today's rules refuse them all")
	for _, p := range []string{"tax_id", "phones[1]", "contacts[0].phones[0]", "personal_references[0].phone", "addresses[0].cep"} {
		assert.True(t, slices.ContainsFunc(v.Fields, func(f validation.FieldError) bool { return f.Path == p }), "%s: %v", p, v)
	}

	c := old.Clone()
	c.Notes = "another field"
	assert.NoError(t, c.ValidateChange(old, now), "held where they were")

	c = old.Clone()
	c.Phones[0], c.Phones[1] = c.Phones[1], c.Phones[0]
	c.Contacts[0].Phones = append(c.Contacts[0].Phones, c.PersonalReferences[0].Phone)
	c.PersonalReferences[0].Phone = old.Contacts[0].Phones[0]
	assert.NoError(t, c.ValidateChange(old, now), "held elsewhere in the record")

	c = old.Clone()
	var fresh contact.Phone
	scanned(&fresh, "+5520911112222")
	c.Contacts[0].Phones = append(c.Contacts[0].Phones, fresh)
	c.Assets = append(c.Assets, c.Assets[0])
	v = nil
	require.ErrorAs(t, c.ValidateChange(old, now), &v, "typed anew")
	assert.True(t, v.Has("contacts[0].phones[1]", "phone.ddd"), "%v", v)
	assert.Len(t, v.Fields, 1, "the copied asset's identifiers are held, the others too: %v", v)

	// Past the end of old's lists: a new asset and a new contact, each
	// with an identifier typed anew.
	c = old.Clone()
	c.Assets = append(c.Assets, asset.Asset{Description: "Moto", Kind: asset.Vehicle, Value: c.Assets[0].Value})
	scanned(&c.Assets[1].VIN, "9BWZZZ377VT00425Q")
	c.Contacts = append(c.Contacts, contact.Contact{Name: "Rui", Phones: []contact.Phone{fresh}})
	v = nil
	require.ErrorAs(t, c.ValidateChange(old, now), &v)
	var got []string
	for _, f := range v.Fields {
		got = append(got, f.Path)
	}
	assert.ElementsMatch(t, []string{"assets[1].vin", "contacts[1].phones[0]"}, got)

	// A CEP paired with another state under older ranges: the pairing
	// old holds stays, wherever the address moves; a new one is judged.
	paired := full()
	paired.Addresses[0].UF = address.RJ // 01310-100 is in SP today
	var cep *customer.ValidationError
	require.ErrorAs(t, paired.ValidateAt(now), &cep)
	assert.True(t, slices.ContainsFunc(cep.Fields, func(f validation.FieldError) bool {
		return f.Path == "addresses[0].cep" && f.Rule == address.ErrCEPMismatch
	}), "%v", cep)
	c = paired.Clone()
	c.Addresses = append([]address.Address{full().Addresses[0]}, c.Addresses...)
	assert.NoError(t, c.ValidateChange(paired, now), "the pairing is held, now at addresses[1]")
	c.Addresses[1].UF = address.MG
	cep = nil
	require.ErrorAs(t, c.ValidateChange(paired, now), &cep, "a pairing typed anew")
	assert.Len(t, cep.Fields, 1, "%v", cep)
	assert.Equal(t, "addresses[1].cep", cep.Fields[0].Path)

	// A merge holds what either record holds.
	other := full()
	scanned(&other.Emails[0], "ana@example")
	merged := old.Clone()
	merged.Emails = append(merged.Emails, other.Emails[0])
	require.Error(t, merged.ValidateChange(old, now), "the other record's e-mail is new to old")
	assert.NoError(t, merged.ValidateMerge(old, other, now))
	assert.NoError(t, merged.ValidateMerge(other, old, now), "whichever survives")
	merged = old.Clone()
	merged.Addresses = append(merged.Addresses, paired.Addresses[0])
	assert.NoError(t, merged.ValidateMerge(old, paired, now))
	assert.Error(t, merged.ValidateMerge(old, other, now), "neither holds that pairing")
}

func BenchmarkValidateChange(b *testing.B) {
	old := full()
	c := old.Clone()
	c.Notes = "another field"
	b.ReportAllocs()
	for b.Loop() {
		_ = c.ValidateChange(old, now)
	}
}
