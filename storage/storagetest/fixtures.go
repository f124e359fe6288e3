package storagetest

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/date"
	"github.com/fichacrm/ficha/reference"
)

// CPF returns the n-th of a sequence of valid, distinct CPFs.
func CPF(n int) customer.TaxID {
	base := fmt.Sprintf("%09d", 100000000+n%800000000)
	d := []byte(base)
	s1, s2 := 0, 0
	for i := 0; i < 9; i++ {
		v := int(d[i] - '0')
		s1 += v * (10 - i)
		s2 += v * (11 - i)
	}
	d1 := mod11(s1)
	d2 := mod11(s2 + 2*d1)
	t, err := customer.ParseTaxID(fmt.Sprintf("%s%d%d", base, d1, d2))
	if err != nil {
		// A base of one repeated digit; the next one is fine.
		return CPF(n + 1)
	}
	return t
}

// CNPJ returns the n-th of a sequence of valid, distinct CNPJs; odd n give
// alphanumeric ones.
func CNPJ(n int) customer.TaxID {
	base := fmt.Sprintf("%08d0001", 10000000+n%80000000)
	if n%2 == 1 {
		base = fmt.Sprintf("%07dA0001", 1000000+n%8000000)
	}
	sum := func(s string) int {
		total := 0
		for i := 0; i < len(s); i++ {
			total += int(s[i]-'0') * (2 + (len(s)-1-i)%8)
		}
		return total
	}
	d1 := mod11(sum(base))
	d2 := mod11(sum(base + fmt.Sprint(d1)))
	t, err := customer.ParseTaxID(fmt.Sprintf("%s%d%d", base, d1, d2))
	if err != nil {
		return CNPJ(n + 2)
	}
	return t
}

func mod11(s int) int {
	if r := s % 11; r >= 2 {
		return 11 - r
	}
	return 0
}

// Plate returns the n-th of a sequence of distinct plates, old-format for
// even n and Mercosul for odd n; the two forms never collide.
func Plate(n int) asset.Plate {
	letters := func(i int) string {
		return string([]byte{byte('A' + i/676%26), byte('A' + i/26%26), byte('A' + i%26)})
	}
	m := n / 2
	if n%2 == 0 {
		return asset.MustParsePlate(fmt.Sprintf("%s%04d", letters(m/10000), m%10000))
	}
	// K-Z in the fifth place: never the Mercosul form of an old plate.
	return asset.MustParsePlate(fmt.Sprintf("%s%d%c%02d", letters(m/16000), m%10, 'K'+byte(m/10%16), m/160%100))
}

// VIN returns the n-th of a sequence of distinct VINs.
func VIN(n int) asset.VIN {
	return asset.MustParseVIN(fmt.Sprintf("9BW%06dVT%06d", n/1000000%1000000, n%1000000))
}

// Phone returns the n-th of a sequence of distinct mobile numbers.
func Phone(n int) contact.Phone {
	ddds := []int{11, 21, 31, 41, 51, 61, 71, 81, 91, 47}
	return contact.MustParsePhone(fmt.Sprintf("%d9%08d", ddds[n%len(ddds)], n/len(ddds)%100000000))
}

var (
	firstNames = []string{"José", "João", "Maria", "Ana", "Antônio", "Francisco", "Luíza", "Márcia", "Conceição", "Sérgio",
		"Fábio", "Lúcia", "Raimundo", "Patrícia", "Cláudio", "Jéssica", "André", "Vinícius", "Letícia", "Otávio"}
	surnames = []string{"Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira", "Lima", "Gomes",
		"Ribeiro", "Araújo", "Carvalho", "Simões", "Magalhães", "Conceição", "Nóbrega", "Brandão", "Guimarães", "Falcão",
		"Assunção", "Peçanha", "Gonçalves", "Müller", "D'Ávila"}
	companies = []string{"Transportes", "Logística", "Comércio", "Agropecuária", "Construtora", "Distribuidora", "Locadora", "Serviços"}
)

// Name returns a realistic Brazilian name with accents for n.
func Name(n int) string {
	return fmt.Sprintf("%s %s %s", firstNames[n%len(firstNames)], surnames[n/len(firstNames)%len(surnames)],
		surnames[n/7%len(surnames)])
}

// Individual returns the n-th of a sequence of valid customers who are
// individuals, each with a distinct CPF, phone, plate, VIN, DMS customer
// code and service order.
func Individual(n int) *customer.Customer {
	return &customer.Customer{
		Kind: customer.Individual, Status: customer.StatusCustomer,
		Name: Name(n), TaxID: CPF(n), Employer: companies[n%len(companies)] + " " + surnames[n%len(surnames)] + " Ltda",
		Phones:        []contact.Phone{Phone(n)},
		Emails:        []contact.Email{contact.MustParseEmail(fmt.Sprintf("cliente%d@example.com.br", n))},
		DMSCode:       fmt.Sprintf("C%07d", n),
		ServiceOrders: []string{fmt.Sprintf("OS%08d", n)},
		Assets: []asset.Asset{{Description: "Automóvel", Kind: asset.Vehicle, Year: 2015 + n%10,
			Value: decimal.New(int64(30000+n%70000), 0), VIN: VIN(n), Plate: Plate(n)}},
	}
}

// Company returns the n-th of a sequence of valid company customers.
func Company(n int) *customer.Customer {
	name := companies[n%len(companies)] + " " + surnames[n/len(companies)%len(surnames)] + " S.A."
	return &customer.Customer{
		Kind: customer.Company, Status: customer.StatusCustomer, Name: name, TradeName: surnames[n%len(surnames)] + " Frotas",
		TaxID: CNPJ(n), Phones: []contact.Phone{Phone(n + 5000000)}, DMSCode: fmt.Sprintf("E%07d", n),
		Contacts: []contact.Contact{{Name: Name(n + 1), Role: "Gerente de frota", FleetManager: true,
			Phones: []contact.Phone{Phone(n + 7000000)}, PreferredDay: contact.Monday, PreferredHour: contact.At(9)}},
	}
}

// Full returns a customer with every field and sub-record filled in,
// Unicode text, money with cents, dates and optional values both set and
// unset, and phones with and without an extension (the longest one a
// phone takes among them), for round-trip tests.
func Full(now time.Time) *customer.Customer {
	card, err := reference.NewCard("5555 5555 5555 4444", "MARIA DA CONCEIÇÃO", reference.Expiry{Month: time.December, Year: now.Year() + 3}, now)
	if err != nil {
		panic(err)
	}
	card.Token = "tok_123"
	card2, err := reference.ParseCard("6362970000457013")
	if err != nil {
		panic(err)
	}
	return &customer.Customer{
		Kind: customer.Individual, Status: customer.StatusCustomer,
		Name: "Maria da Conceição Müller D'Ávila 🚗", TradeName: "", TaxID: customer.MustParseTaxID("248.438.034-80"),
		Employer:  "Águas Claras Transportes Ltda",
		BirthDate: date.MustNew(1975, time.February, 28),
		Phones:    []contact.Phone{contact.MustParsePhone("(11) 98765-4321"), contact.MustParsePhone("(61) 3333-4444 ramal 123"), contact.MustParsePhone("0800 123 4567"), contact.MustParsePhone("+1 212 555 0100 x 123456")},
		Emails:    []contact.Email{contact.MustParseEmail("maria@example.com.br"), contact.MustParseEmail("m.conceicao@example.org")},
		Notes:     "Prefere contato à tarde; 'aspas' e \"aspas\" e \\ barra",
		DMSCode:   "CLI-000042", ServiceOrders: []string{"OS-1", "OS-2", "OS-3"},
		Addresses: []address.Address{
			{CEP: address.MustParseCEP("01310-100"), Street: "Avenida Paulista", Number: "1000", Complement: "Conj. 12",
				District: "Bela Vista", City: "São Paulo", UF: address.SP, Purposes: address.Correspondence},
			{CEP: address.MustParseCEP("70040-010"), Street: "SBS Quadra 1", Number: "s/n", District: "Asa Sul",
				City: "Brasília", UF: address.DF, Purposes: address.Billing | address.Correspondence},
			{CEP: address.MustParseCEP("69005-000"), Street: "Rua Sem Finalidade", City: "Manaus", UF: address.AM},
		},
		Assets: []asset.Asset{
			{Description: "Jeep Compass Longitude", Kind: asset.Vehicle, Year: 2023, Value: decimal.RequireFromString("151234.56"),
				Lien: asset.Lien{Balance: decimal.RequireFromString("48000.01"), Creditor: "Banco Toyota", PayoffDate: date.MustNew(2027, time.June, 30)},
				VIN:  asset.MustParseVIN("9BWZZZ377VT004251"), Plate: asset.MustParsePlate("ABC-1234"), RENAVAM: asset.MustParseRENAVAM("639884962")},
			{Description: "Apartamento em Pinheiros", Kind: asset.RealEstate, Year: 1998, Value: decimal.RequireFromString("950000.00")},
			{Description: "Jet ski", Kind: asset.Other, Value: decimal.RequireFromString("0.10")},
		},
		PersonalReferences: []reference.Personal{
			{Name: "João Gonçalves", Phone: contact.MustParsePhone("(21) 99876-5432"), Note: "irmão"},
			{Name: "Zé", Phone: contact.MustParsePhone("(47) 3333-2222 ramal 7")},
		},
		BankReferences: []reference.Bank{
			{Code: "001", Branch: "1852", BranchDigit: "X", Account: "10089939", AccountDigit: "0"},
			{Code: "341", Branch: "2545", Account: "02366", AccountDigit: "1"},
			{Code: "077", Branch: "0001", Account: "1234567", AccountDigit: "8"},
		},
		Cards: []reference.Card{card, card2},
		Contacts: []contact.Contact{
			{Name: "Pedro Álvares", Role: "Motorista", Phones: []contact.Phone{contact.MustParsePhone("11 91234-5678"), contact.MustParsePhone("11 3030-4040 r. 2045")},
				Email: contact.MustParseEmail("pedro@example.com"), Birthday: contact.Birthday{Day: 29, Month: time.February},
				FleetManager: true, PreferredDay: contact.Friday, PreferredHour: contact.At(0)},
			{Name: "Sem Preferências", Birthday: contact.Birthday{Day: 1, Month: time.January, Year: 1990}},
		},
		Info: map[string]string{"spouse_name": "Carlos Müller", "monthly_income": "12500.00", "profession": ""},
	}
}

// FullOther returns a valid customer that differs from [Full] in every
// field, at the first element of every list: a company prospect where Full
// is an individual customer. Tests that prove every field is compared,
// stored or shown change one field of Full to FullOther's value.
func FullOther(now time.Time) *customer.Customer {
	card, err := reference.NewCard("4111 1111 1111 1111", "FROTAS SUL LTDA", reference.Expiry{Month: time.March, Year: now.Year() + 2}, now)
	if err != nil {
		panic(err)
	}
	card.Token = "tok_999"
	return &customer.Customer{
		Kind: customer.Company, Status: customer.StatusProspect,
		Name: "Transportes Frotas do Sul Ltda", TradeName: "Frotas Sul", TaxID: CNPJ(7),
		BirthDate: date.MustNew(1988, time.October, 5),
		Phones:    []contact.Phone{contact.MustParsePhone("(51) 3222-1100")},
		Emails:    []contact.Email{contact.MustParseEmail("compras@frotassul.com.br")},
		Notes:     "Frota de 40 caminhões",
		DMSCode:   "EMP-7", ServiceOrders: []string{"OS-900"},
		Addresses: []address.Address{
			{CEP: address.MustParseCEP("20040-020"), Street: "Avenida Rio Branco", Number: "45", Complement: "Sala 3",
				District: "Centro", City: "Rio de Janeiro", UF: address.RJ, Purposes: address.Billing},
		},
		Assets: []asset.Asset{
			{Description: "Galpão em Canoas", Kind: asset.RealEstate, Year: 2010, Value: decimal.RequireFromString("2300000.00"),
				Lien: asset.Lien{Balance: decimal.RequireFromString("1000.00"), Creditor: "Banco do Brasil", PayoffDate: date.MustNew(2028, time.January, 15)}},
		},
		PersonalReferences: []reference.Personal{{Name: "Ana Beatriz", Phone: contact.MustParsePhone("(51) 99123-4567"), Note: "sócia"}},
		BankReferences:     []reference.Bank{{Code: "341", Branch: "2545", Account: "02366", AccountDigit: "1"}},
		Cards:              []reference.Card{card},
		Contacts: []contact.Contact{
			{Name: "Rita Lopes", Role: "Compradora", Phones: []contact.Phone{contact.MustParsePhone("51 98888-7777")},
				Email: contact.MustParseEmail("rita@frotassul.com.br"), Birthday: contact.Birthday{Day: 15, Month: time.August, Year: 1980},
				PreferredDay: contact.Tuesday, PreferredHour: contact.At(14)},
		},
		Info: map[string]string{"annual_revenue": "5000000.00", "fleet_size": "40"},
	}
}
