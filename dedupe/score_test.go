package dedupe

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/date"
	"github.com/fichacrm/ficha/internal/names"
	"github.com/fichacrm/ficha/validation"
)

func TestSimilarity(t *testing.T) {
	for _, tc := range []struct {
		a, b     string
		min, max float64
	}{
		{"José C. de Oliveira", "Jose Carlos Oliveira", 0.85, 1},
		{"OLIVEIRA, JOSE CARLOS", "José Carlos de Oliveira", 0.99, 1},
		{"Maria Eduarda Santos", "Maria Eduarda dos Santos", 0.99, 1},
		{"Jose Carlos Olivera", "José Carlos Oliveira", 0.85, 0.99},
		{"Márcia Souza", "Márcio Souza", 0, 0.7},
		{"Maria Oliveira", "José Oliveira", 0, 0.5},
		{"Ana Paula Ferreira", "Ana Paula Ferreira Lima", 0.85, 0.99},
		{"", "Ana", 0, 0},
	} {
		got := Similarity(names.Parse(tc.a, false), names.Parse(tc.b, false))
		assert.True(t, got >= tc.min && got <= tc.max, "%q ~ %q = %.3f, want [%.2f, %.2f]", tc.a, tc.b, got, tc.min, tc.max)
		assert.InDelta(t, got, Similarity(names.Parse(tc.b, false), names.Parse(tc.a, false)), 0.1, "nearly symmetric")
	}
	co := Similarity(names.Parse("Transportadora Oliveira Ltda", true), names.Parse("Transp. Oliveira", true))
	assert.GreaterOrEqual(t, co, 0.85)
	assert.Less(t, Similarity(names.Parse("Auto Peças União", true), names.Parse("Auto Peças Unidas ME", true)), 0.85)
}

func TestCompareExamples(t *testing.T) {
	mobile := contact.MustParsePhone("(31) 98765-4321")
	old := contact.MustParsePhone("(11) 98765-4321") // typed under the DDD of the showroom's city
	showroom := &customer.Customer{Kind: customer.Individual, Status: customer.StatusProspect, Name: "José C. de Oliveira", Phones: []contact.Phone{old}}
	dms := &customer.Customer{Kind: customer.Individual, Status: customer.StatusCustomer, Name: "JOSE CARLOS OLIVEIRA",
		TaxID: customer.MustParseTaxID("529.982.247-25"), Phones: []contact.Phone{mobile}, BirthDate: date.MustNew(1971, time.May, 4)}
	m := Compare(showroom, dms)
	assert.True(t, m.Likely(), "%+v", m)
	assert.Contains(t, m.Reasons, SamePhoneTail)
	assert.Contains(t, m.Reasons, SimilarName)

	son := dms.Clone()
	son.Name, son.TaxID, son.BirthDate = "José Carlos Oliveira Filho", customer.TaxID{}, date.Date{}
	m = Compare(dms, son)
	assert.False(t, m.Likely(), "father and son: %+v", m)
	assert.Contains(t, m.Reasons, OtherGeneration)

	home := address.Address{CEP: address.MustParseCEP("30130-010"), Street: "Avenida Afonso Pena", Number: "1500", City: "Belo Horizonte", UF: address.MG}
	wife := &customer.Customer{Kind: customer.Individual, Name: "Maria Aparecida Oliveira", Phones: []contact.Phone{mobile},
		Addresses: []address.Address{home}, Emails: []contact.Email{contact.MustParseEmail("familia.oliveira@example.com")}}
	husband := &customer.Customer{Kind: customer.Individual, Name: "José Carlos Oliveira", Phones: []contact.Phone{mobile},
		Addresses: []address.Address{home}, Emails: []contact.Email{contact.MustParseEmail("familia.oliveira@example.com")}}
	m = Compare(wife, husband)
	assert.False(t, m.Likely(), "spouses: %+v", m)
	assert.Contains(t, m.Reasons, SameEmail)
	assert.Contains(t, m.Reasons, OtherName)

	buyer := &customer.Customer{Kind: customer.Individual, Name: "Paulo Henrique Costa", Assets: []asset.Asset{{Kind: asset.Vehicle, Description: "Onix", Plate: asset.MustParsePlate("ABC1234")}}}
	seller := &customer.Customer{Kind: customer.Individual, Name: "Rogério Lima", Assets: []asset.Asset{{Kind: asset.Vehicle, Description: "Onix", Plate: asset.MustParsePlate("ABC1C34")}}}
	m = Compare(buyer, seller)
	assert.False(t, m.Likely())
	assert.Contains(t, m.Reasons, SameVehicle)

	taxA, taxB := dms.Clone(), dms.Clone()
	taxB.TaxID = customer.MustParseTaxID("111.444.777-35")
	m = Compare(taxA, taxB)
	assert.False(t, m.Likely(), "two CPFs are two people")
	assert.Equal(t, OtherTaxID, m.Reasons[0])

	fleet := &customer.Customer{Kind: customer.Company, Name: "Transportes Minas Ltda", Contacts: []contact.Contact{{Name: "José Carlos Oliveira", Phones: []contact.Phone{mobile}}}}
	m = Compare(dms, fleet)
	assert.True(t, m.Likely(), "the fleet manager registered as an individual: %+v", m)
	assert.Equal(t, []Reason{ContactOf}, m.Reasons)
	assert.Equal(t, Compare(fleet, dms), m)
}

func TestReasonMessages(t *testing.T) {
	for r := range reasonText {
		assert.NotEqual(t, string(r), r.Message(validation.English))
		assert.NotEqual(t, r.Message(validation.English), r.Message(validation.Portuguese))
	}
	assert.True(t, OtherName.Against())
	assert.False(t, SamePhone.Against())
}

// FuzzCompare builds two records from any names, phones and birth days
// and checks that the score is a probability, does not depend on which
// record comes first, and that every reason has its messages.
func FuzzCompare(f *testing.F) {
	f.Add("José C. de Oliveira", "JOSE CARLOS OLIVEIRA", "11987654321", "21987654321", 4, 4, false)
	f.Add("Maria da Silva", "Maria Silva Filho", "1133334444", "1133334444", 1, 2, false)
	f.Add("Auto Peças União", "Auto Peças Unidas ME", "", "", 0, 0, true)
	f.Add("", ",,,", "x", "y", -1, 40, false)
	f.Fuzz(func(t *testing.T, an, bn, ap, bp string, ad, bd int, company bool) {
		mk := func(name, phone string, day int) *customer.Customer {
			c := &customer.Customer{Kind: customer.Individual, Name: name}
			if company {
				c.Kind = customer.Company
			}
			if p, err := contact.ParsePhone(phone); err == nil {
				c.Phones = []contact.Phone{p}
			}
			if d, err := date.New(1980, time.March, day); err == nil {
				c.BirthDate = d
			}
			return c
		}
		a, b := mk(an, ap, ad), mk(bn, bp, bd)
		m := Compare(a, b)
		if m.Score < 0 || m.Score > 1 {
			t.Fatalf("score %v", m.Score)
		}
		if back := Compare(b, a); back.Score != m.Score {
			t.Fatalf("score %v one way, %v the other", m.Score, back.Score)
		}
		for _, r := range m.Reasons {
			if r.Message(validation.English) == string(r) {
				t.Fatalf("reason %q has no message", r)
			}
		}
		s := Similarity(names.Parse(an, company), names.Parse(bn, company))
		if s < 0 || s > 1 {
			t.Fatalf("similarity %v", s)
		}
	})
}

// TestCompareRelatives checks the cases an outside review found: the
// same person with an initial or a "Filho" typed on one record only, and
// relatives of one household who are not one person.
func TestCompareRelatives(t *testing.T) {
	mobile := contact.MustParsePhone("(31) 98765-4321")
	landline := contact.MustParsePhone("(31) 3333-4444")
	home := address.Address{CEP: address.MustParseCEP("30130-010"), Street: "Avenida Afonso Pena", Number: "1500", City: "Belo Horizonte", UF: address.MG}
	born := date.MustNew(1971, time.May, 4)
	person := func(name string, p contact.Phone, birth date.Date, addrs ...address.Address) *customer.Customer {
		return &customer.Customer{Kind: customer.Individual, Name: name, Phones: []contact.Phone{p}, BirthDate: birth, Addresses: addrs}
	}
	for _, tc := range []struct {
		a, b   *customer.Customer
		likely bool
	}{
		{person("J. Carlos Oliveira", mobile, date.Date{}), person("José Carlos Oliveira", mobile, date.Date{}), true},
		{person("M. Aparecida Santos", mobile, date.Date{}), person("Maria Aparecida Santos", mobile, date.Date{}), true},
		{person("Antônio Carlos Souza Filho", mobile, born), person("Antonio Carlos Souza", mobile, born), true},
		{person("Luis Fernando Prado", mobile, date.Date{}), person("Luiz Fernando Prado", mobile, date.Date{}), true},
		{person("Gabriela Fontes", landline, date.Date{}, home), person("Gabriel Fontes", landline, date.Date{}, home), false},
		{person("Daniela Rocha", mobile, date.Date{}), person("Daniel Rocha", mobile, date.Date{}), false},
		{person("Cristiane Moura", landline, date.Date{}, home), person("Cristina Moura", landline, date.Date{}, home), false},
		{person("João da Silva", landline, date.Date{}, home), person("João Pedro da Silva", landline, date.Date{}, home), false},
		{person("Maria da Silva", landline, date.Date{}, home), person("Maria Eduarda da Silva", landline, date.Date{}, home), false},
		{person("José Carlos Oliveira", landline, date.Date{}, home), person("José Carlos Oliveira Filho", landline, date.Date{}, home), false},
	} {
		m := Compare(tc.a, tc.b)
		assert.Equal(t, tc.likely, m.Likely(), "%s ~ %s: %+v", tc.a.Name, tc.b.Name, m)
	}
	assert.Equal(t, Match{Reasons: []Reason{}}, Compare(nil, person("x", mobile, born)), "nil is no one")
}

// BenchmarkCompare times the score of a realistic pair, and of a pair of
// names of thousands of words, whose cost maxWords bounds.
func BenchmarkCompare(b *testing.B) {
	mobile := contact.MustParsePhone("(31) 98765-4321")
	for _, tc := range []struct{ name, a, b string }{
		{"realistic", "José C. de Oliveira", "JOSE CARLOS OLIVEIRA"},
		{"long", "Ana " + strings.Repeat("Silva Souza ", 2000), "Ana " + strings.Repeat("Silva Souza ", 2000) + "Lima"},
	} {
		x := &customer.Customer{Kind: customer.Individual, Name: tc.a, Phones: []contact.Phone{mobile}}
		y := &customer.Customer{Kind: customer.Individual, Name: tc.b, Phones: []contact.Phone{mobile}}
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Compare(x, y)
			}
		})
	}
}
