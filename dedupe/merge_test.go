package dedupe

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/date"
	"github.com/fichacrm/ficha/reference"
	"github.com/fichacrm/ficha/validation"
)

func person(name string, status customer.Status) *customer.Customer {
	return &customer.Customer{ID: uuid.New(), Kind: customer.Individual, Status: status, Name: name}
}

func fresh(at time.Time) attendance.Freshness {
	return attendance.Freshness{attendance.Profile: at, attendance.Info: at}
}

var (
	older = time.Date(2026, time.January, 5, 10, 0, 0, 0, time.UTC)
	newer = older.Add(24 * time.Hour)
)

// TestMergeDefaultRule checks each step of the default rule on a
// single-valued field.
func TestMergeDefaultRule(t *testing.T) {
	for _, tc := range []struct {
		name         string
		a, b         *customer.Customer
		aAt, bAt     time.Time
		want         string
		wantStatus   customer.Status
		wantFromInfo string
	}{
		{"a value beats an empty one (A empty)", person("", customer.StatusProspect), person("Maria Souza", customer.StatusProspect), newer, older, "Maria Souza", customer.StatusProspect, ""},
		{"a value beats an empty one (B empty)", person("Maria Souza", customer.StatusProspect), person("  ", customer.StatusProspect), older, newer, "Maria Souza", customer.StatusProspect, ""},
		{"a customer's beats a prospect's", person("Maria S.", customer.StatusProspect), person("Maria Souza", customer.StatusCustomer), newer, older, "Maria Souza", customer.StatusCustomer, ""},
		{"a customer's beats a prospect's (A the customer)", person("Maria Souza", customer.StatusCustomer), person("Maria S.", customer.StatusProspect), older, newer, "Maria Souza", customer.StatusCustomer, ""},
		{"the newer confirmed beats the older", person("Maria S.", customer.StatusCustomer), person("Maria Souza", customer.StatusCustomer), older, newer, "Maria Souza", customer.StatusCustomer, ""},
		{"the survivor's when nothing else decides", person("Maria S.", customer.StatusCustomer), person("Maria Souza", customer.StatusCustomer), newer, newer, "Maria S.", customer.StatusCustomer, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Merge(Input{tc.a, fresh(tc.aAt)}, Input{tc.b, fresh(tc.bAt)}, nil)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got.Name)
			assert.Equal(t, tc.wantStatus, got.Status)
			assert.Equal(t, tc.a.ID, got.ID, "the survivor's ID")
		})
	}
}

// TestMergeChoices checks that a choice overrides the rule either way,
// for the record's fields and additional-information keys.
func TestMergeChoices(t *testing.T) {
	a := person("Maria Souza", customer.StatusCustomer)
	a.Notes, a.Info = "vip", map[string]string{"profession": "médica", "spouse_name": "João"}
	a.BirthDate = date.MustNew(1980, time.March, 1)
	b := person("MARIA SOUZA", customer.StatusProspect)
	b.Notes, b.Info = "", map[string]string{"profession": "professora", "monthly_income": "5000.00"}
	b.BirthDate = date.MustNew(1980, time.March, 10)
	got, err := Merge(Input{a, fresh(newer)}, Input{b, fresh(older)}, Choices{
		"name": Absorbed, "notes": Absorbed, "birth_date": Absorbed, "info.profession": Absorbed, "status": Absorbed,
	})
	require.NoError(t, err)
	assert.Equal(t, "MARIA SOUZA", got.Name)
	assert.Empty(t, got.Notes, "choosing B's empty value empties the field")
	assert.Equal(t, b.BirthDate, got.BirthDate)
	assert.Equal(t, customer.StatusProspect, got.Status, "even the status follows a choice")
	assert.Equal(t, map[string]string{"profession": "professora", "spouse_name": "João", "monthly_income": "5000.00"}, got.Info)

	got, err = Merge(Input{a, fresh(older)}, Input{b, fresh(newer)}, Choices{"info.profession": Survivor, "name": Auto})
	require.NoError(t, err)
	assert.Equal(t, "médica", got.Info["profession"])
	assert.Equal(t, "Maria Souza", got.Name, "the customer's name, by the rule")
	assert.Equal(t, "vip", got.Notes)
	assert.Equal(t, "João", a.Info["spouse_name"], "the inputs are not changed")
	assert.Equal(t, "médica", a.Info["profession"])
}

// TestMergeRefusals checks the typed errors.
func TestMergeRefusals(t *testing.T) {
	a := person("Maria Souza", customer.StatusCustomer)
	a.TaxID = customer.MustParseTaxID("529.982.247-25")
	taxed := func(cpf string) *customer.Customer {
		c := person("Maria Souza", customer.StatusCustomer)
		c.TaxID = customer.MustParseTaxID(cpf)
		return c
	}
	co := &customer.Customer{ID: uuid.New(), Kind: customer.Company, Status: customer.StatusCustomer, Name: "Souza Ltda"}
	for _, tc := range []struct {
		name   string
		b      *customer.Customer
		choose Choices
		path   string
		rule   *validation.Rule
	}{
		{"itself", a, nil, "id", ErrSelf},
		{"kinds", co, nil, "kind", ErrKinds},
		{"two CPFs", taxed("111.444.777-35"), nil, "tax_id", ErrTaxIDs},
		{"unknown field", person("x", customer.StatusCustomer), Choices{"created_at": Absorbed}, "choices", ErrChoice},
		{"empty info key", person("x", customer.StatusCustomer), Choices{"info.": Absorbed}, "choices", ErrChoice},
		{"unknown side", person("x", customer.StatusCustomer), Choices{"name": Side(7)}, "choices", ErrChoice},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Merge(Input{Customer: a}, Input{Customer: tc.b}, tc.choose)
			var v *validation.Error
			require.ErrorAs(t, err, &v)
			assert.True(t, v.Has(tc.path, tc.rule.Code()), "%v", err)
		})
	}
}

// TestMergeUnitesLists checks that what both records hold is kept once,
// completed from the absorbed record, and what only B holds is added.
func TestMergeUnitesLists(t *testing.T) {
	now := time.Date(2026, time.June, 1, 0, 0, 0, 0, time.UTC)
	card, err := reference.NewCard("5555 5555 5555 4444", "MARIA SOUZA", reference.Expiry{Month: time.May, Year: 2030}, now)
	require.NoError(t, err)
	home := address.Address{CEP: address.MustParseCEP("01310-100"), Street: "Avenida Paulista", Number: "1000",
		Complement: "Apto 5", District: "", City: "São Paulo", UF: address.SP, Purposes: address.Correspondence}
	homeB := home
	homeB.Number, homeB.Complement, homeB.District, homeB.Purposes = " 1000", "APTO 5", "Bela Vista", address.Billing
	a := person("Maria Souza", customer.StatusCustomer)
	a.Phones = []contact.Phone{contact.MustParsePhone("(11) 98765-4321"), contact.MustParsePhone("(11) 3030-4040")}
	a.Emails = []contact.Email{contact.MustParseEmail("maria@example.com")}
	a.ServiceOrders = []string{"OS-1"}
	a.Addresses = []address.Address{home}
	a.Assets = []asset.Asset{{Description: "Onix", Kind: asset.Vehicle, Plate: asset.MustParsePlate("ABC-1234")}}
	a.PersonalReferences = []reference.Personal{{Name: "João Souza", Phone: contact.MustParsePhone("(11) 3333-4444")}}
	a.BankReferences = []reference.Bank{{Code: "341", Branch: "2545", Account: "02366", AccountDigit: "1"}}
	a.Cards = []reference.Card{card}
	a.Contacts = []contact.Contact{{Name: "Ana Souza", Phones: []contact.Phone{contact.MustParsePhone("(11) 91111-2222")}}}

	b := person("Maria Souza", customer.StatusCustomer)
	b.Phones = []contact.Phone{contact.MustParsePhone("+55 11 98765 4321"), contact.MustParsePhone("(11) 3030-4040 ramal 9")}
	b.Emails = []contact.Email{contact.MustParseEmail("MARIA@example.com"), contact.MustParseEmail("m@example.org")}
	b.ServiceOrders = []string{"os-1", "OS-2"}
	b.Addresses = []address.Address{homeB, {CEP: address.MustParseCEP("04538-132"), Street: "Avenida Faria Lima", Number: "3000",
		District: "Itaim Bibi", City: "São Paulo", UF: address.SP}}
	b.Assets = []asset.Asset{
		{Description: "Chevrolet Onix", Kind: asset.Vehicle, Year: 2021, Value: decimal.RequireFromString("50000.00"),
			Plate: asset.MustParsePlate("ABC1C34"), VIN: asset.MustParseVIN("9BWZZZ377VT004251")},
		{Description: "Casa", Kind: asset.RealEstate},
	}
	b.PersonalReferences = []reference.Personal{{Name: "JOAO SOUZA", Phone: contact.MustParsePhone("(11) 3333-4444"), Note: "irmão"}}
	b.BankReferences = []reference.Bank{{Code: "341", Branch: "2545", Account: "02366", AccountDigit: "1"}, {Code: "001", Branch: "1852", Account: "10089939"}}
	b.Cards = []reference.Card{card}
	b.Contacts = []contact.Contact{{Name: "ANA SOUZA", Role: "Filha", Phones: []contact.Phone{contact.MustParsePhone("(11) 93333-4444")},
		FleetManager: true}, {Name: "Pedro Souza"}}

	got, err := Merge(Input{Customer: a}, Input{Customer: b}, nil)
	require.NoError(t, err)
	assert.Equal(t, []contact.Phone{a.Phones[0], a.Phones[1], b.Phones[1]}, got.Phones, "the same number once; an extension makes another")
	assert.Equal(t, []contact.Email{a.Emails[0], b.Emails[1]}, got.Emails)
	assert.Equal(t, []string{"OS-1", "OS-2"}, got.ServiceOrders)
	require.Len(t, got.Addresses, 2)
	assert.Equal(t, "Bela Vista", got.Addresses[0].District, "the shared address gains what it lacked")
	assert.Equal(t, address.Correspondence|address.Billing, got.Addresses[0].Purposes)
	assert.Equal(t, "1000", got.Addresses[0].Number, "and keeps the survivor's values")
	require.Len(t, got.Assets, 2)
	assert.Equal(t, "Onix", got.Assets[0].Description)
	assert.Equal(t, b.Assets[0].VIN, got.Assets[0].VIN, "the shared vehicle gains its VIN")
	assert.Equal(t, 2021, got.Assets[0].Year)
	assert.Equal(t, a.Assets[0].Plate, got.Assets[0].Plate)
	require.Len(t, got.PersonalReferences, 1)
	assert.Equal(t, "irmão", got.PersonalReferences[0].Note)
	assert.Len(t, got.BankReferences, 2)
	assert.Len(t, got.Cards, 1)
	require.Len(t, got.Contacts, 2)
	assert.Equal(t, "Ana Souza", got.Contacts[0].Name)
	assert.Equal(t, "Filha", got.Contacts[0].Role)
	assert.Len(t, got.Contacts[0].Phones, 2)
	assert.True(t, got.Contacts[0].FleetManager)
	assert.Len(t, a.Contacts[0].Phones, 1, "the inputs are not changed")
	assert.Len(t, a.Phones, 2)
}

// TestMergeDifferentVehicles keeps two vehicles whose VINs differ even
// when one plate was moved from one to the other.
func TestMergeDifferentVehicles(t *testing.T) {
	a := person("Maria Souza", customer.StatusCustomer)
	a.Assets = []asset.Asset{{Description: "Onix", Kind: asset.Vehicle, Plate: asset.MustParsePlate("ABC1C34"), VIN: asset.MustParseVIN("9BWZZZ377VT004251")}}
	b := person("Maria Souza", customer.StatusCustomer)
	b.Assets = []asset.Asset{{Description: "HB20", Kind: asset.Vehicle, Plate: asset.MustParsePlate("ABC1C34"), VIN: asset.MustParseVIN("9BGKS48B0JG123456")}}
	got, err := Merge(Input{Customer: a}, Input{Customer: b}, nil)
	require.NoError(t, err)
	assert.Len(t, got.Assets, 2)
}

// TestOverlay checks the update of an import: what the row holds
// replaces, a blank keeps, a CPF is a correction, lists are united.
func TestOverlay(t *testing.T) {
	stored := person("Maria Souza", customer.StatusCustomer)
	stored.TaxID = customer.MustParseTaxID("529.982.247-25")
	stored.Notes, stored.Info = "vip", map[string]string{"profession": "médica"}
	stored.Phones = []contact.Phone{contact.MustParsePhone("(11) 98765-4321")}
	row := &customer.Customer{ID: stored.ID, Kind: customer.Individual, Status: customer.StatusProspect,
		TaxID: customer.MustParseTaxID("111.444.777-35"), Info: map[string]string{"profession": "", "spouse_name": "João"},
		Phones: []contact.Phone{contact.MustParsePhone("(11) 3030-4040")}}
	got, err := Overlay(stored, row)
	require.NoError(t, err)
	assert.Equal(t, stored.ID, got.ID)
	assert.Equal(t, "Maria Souza", got.Name, "a blank erases nothing")
	assert.Equal(t, "vip", got.Notes)
	assert.Equal(t, row.TaxID, got.TaxID, "the row's CPF is a correction")
	assert.Equal(t, customer.StatusCustomer, got.Status, "a customer stays one")
	assert.Equal(t, map[string]string{"profession": "médica", "spouse_name": "João"}, got.Info)
	assert.Len(t, got.Phones, 2)
	co := &customer.Customer{Kind: customer.Company, Name: "Souza Ltda"}
	_, err = Overlay(stored, co)
	assert.Error(t, err, "another kind")
}

// TestMergeKeepsRelativesReferences keeps a father and a mother who share
// a landline, and a mother's second phone, as references of their own.
func TestMergeKeepsRelativesReferences(t *testing.T) {
	home := contact.MustParsePhone("(11) 3333-4444")
	a := person("Ana Mendes", customer.StatusCustomer)
	a.PersonalReferences = []reference.Personal{{Name: "Maria Mendes", Phone: home, Note: "mãe"}}
	b := person("Ana Mendes", customer.StatusCustomer)
	b.PersonalReferences = []reference.Personal{{Name: "João Mendes", Phone: home, Note: "aposentado"},
		{Name: "Maria Mendes", Phone: contact.MustParsePhone("(11) 98888-7777")}}
	got, err := Merge(Input{Customer: a}, Input{Customer: b}, nil)
	require.NoError(t, err)
	require.Len(t, got.PersonalReferences, 3)
	assert.Equal(t, "mãe", got.PersonalReferences[0].Note)
	assert.Equal(t, "aposentado", got.PersonalReferences[1].Note)
	_, err = Merge(Input{Customer: a}, Input{}, nil)
	assert.Error(t, err)
	_, err = Overlay(nil, a)
	assert.Error(t, err)
	noIDs, err := Merge(Input{Customer: &customer.Customer{Kind: customer.Individual, Name: "x"}}, Input{Customer: &customer.Customer{Kind: customer.Individual}}, nil)
	require.NoError(t, err, "records without IDs are two records")
	assert.Equal(t, "x", noIDs.Name)
}
