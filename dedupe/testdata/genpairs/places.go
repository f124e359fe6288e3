package main

import (
	"fmt"
	"strconv"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/contact"
)

// city is a city a dealership serves: its state, area code, the span of
// its CEPs by five-digit prefix (Correios), and some of its districts and
// streets.
type city struct {
	name      string
	uf        address.UF
	ddd       string
	cep       [2]int
	districts []string
	streets   []string
	quadras   bool // Brasília: addresses are blocks, not numbered streets
}

// area is the region of one dealer group: the cities its stores serve and
// the surnames more common there.
type area struct {
	weight int
	cities []*city
	extra  []surname
}

var (
	saoPaulo = &city{"São Paulo", address.SP, "11", [2]int{1000, 5999},
		[]string{"Moema", "Tatuapé", "Vila Mariana", "Santana", "Pinheiros", "Mooca", "Ipiranga", "Lapa", "Perdizes", "Butantã"},
		[]string{"Rua Vergueiro", "Rua Tuiuti", "Avenida Ibirapuera", "Rua Voluntários da Pátria", "Rua da Mooca",
			"Rua Cardeal Arcoverde", "Avenida Jabaquara", "Rua Domingos de Morais", "Rua Teodoro Sampaio", "Rua Clélia"}, false}
	campinas = &city{"Campinas", address.SP, "19", [2]int{13000, 13139},
		[]string{"Cambuí", "Taquaral", "Barão Geraldo", "Castelo", "Bonfim", "Jardim Proença"},
		[]string{"Avenida Norte-Sul", "Rua Barão de Jaguara", "Avenida Orosimbo Maia", "Rua Coronel Quirino", "Avenida Brasil"}, false}
	ribeiraoPreto = &city{"Ribeirão Preto", address.SP, "16", [2]int{14000, 14114},
		[]string{"Centro", "Jardim Irajá", "Vila Seixas", "Jardim Sumaré", "Ribeirânia"},
		[]string{"Avenida Presidente Vargas", "Rua Garibaldi", "Avenida Nove de Julho", "Rua Álvares Cabral"}, false}
	santos = &city{"Santos", address.SP, "13", [2]int{11000, 11099},
		[]string{"Gonzaga", "Boqueirão", "Ponta da Praia", "Embaré", "Aparecida"},
		[]string{"Avenida Ana Costa", "Rua Euclides da Cunha", "Avenida Conselheiro Nébias", "Rua Tolentino Filgueiras"}, false}
	rio = &city{"Rio de Janeiro", address.RJ, "21", [2]int{20000, 23799},
		[]string{"Tijuca", "Copacabana", "Méier", "Barra da Tijuca", "Botafogo", "Campo Grande", "Madureira"},
		[]string{"Rua Conde de Bonfim", "Rua Barata Ribeiro", "Rua Dias da Cruz", "Avenida das Américas",
			"Rua Voluntários da Pátria", "Rua Haddock Lobo", "Rua Siqueira Campos"}, false}
	niteroi = &city{"Niterói", address.RJ, "21", [2]int{24000, 24399},
		[]string{"Icaraí", "Santa Rosa", "Fonseca"},
		[]string{"Rua Moreira César", "Rua Gavião Peixoto", "Alameda São Boaventura"}, false}
	beloHorizonte = &city{"Belo Horizonte", address.MG, "31", [2]int{30000, 31999},
		[]string{"Savassi", "Funcionários", "Buritis", "Pampulha", "Sion", "Lourdes", "Santa Efigênia"},
		[]string{"Avenida do Contorno", "Rua Pernambuco", "Avenida Afonso Pena", "Rua Rio de Janeiro",
			"Avenida Amazonas", "Rua Espírito Santo"}, false}
	uberlandia = &city{"Uberlândia", address.MG, "34", [2]int{38400, 38415},
		[]string{"Santa Mônica", "Centro", "Tibery", "Martins"},
		[]string{"Avenida João Naves de Ávila", "Avenida Rondon Pacheco", "Rua Duque de Caxias"}, false}
	juizDeFora = &city{"Juiz de Fora", address.MG, "32", [2]int{36000, 36099},
		[]string{"São Mateus", "Centro", "Alto dos Passos"},
		[]string{"Avenida Barão do Rio Branco", "Rua Halfeld", "Avenida Itamar Franco"}, false}
	curitiba = &city{"Curitiba", address.PR, "41", [2]int{80000, 82999},
		[]string{"Batel", "Água Verde", "Portão", "Boa Vista", "Cabral", "Bigorrilho"},
		[]string{"Avenida Sete de Setembro", "Rua XV de Novembro", "Avenida República Argentina", "Rua Padre Anchieta", "Avenida Iguaçu"}, false}
	londrina = &city{"Londrina", address.PR, "43", [2]int{86000, 86099},
		[]string{"Gleba Palhano", "Centro", "Jardim Higienópolis"},
		[]string{"Avenida Higienópolis", "Rua Sergipe", "Avenida Madre Leônia Milito"}, false}
	portoAlegre = &city{"Porto Alegre", address.RS, "51", [2]int{90000, 91999},
		[]string{"Moinhos de Vento", "Menino Deus", "Petrópolis", "Partenon", "Cidade Baixa", "Sarandi"},
		[]string{"Avenida Ipiranga", "Rua Dona Laura", "Avenida Protásio Alves", "Rua José do Patrocínio", "Avenida Assis Brasil"}, false}
	caxiasDoSul = &city{"Caxias do Sul", address.RS, "54", [2]int{95000, 95124},
		[]string{"Centro", "São Pelegrino", "Exposição"},
		[]string{"Rua Sinimbu", "Avenida Júlio de Castilhos", "Rua Pinheiro Machado"}, false}
	florianopolis = &city{"Florianópolis", address.SC, "48", [2]int{88000, 88099},
		[]string{"Trindade", "Centro", "Estreito", "Coqueiros", "Ingleses"},
		[]string{"Rua Lauro Linhares", "Rua Felipe Schmidt", "Rua Bocaiúva", "Avenida Mauro Ramos"}, false}
	joinville = &city{"Joinville", address.SC, "47", [2]int{89200, 89239},
		[]string{"América", "Centro", "Glória", "Bom Retiro"},
		[]string{"Rua Visconde de Taunay", "Rua Blumenau", "Rua Otto Boehm"}, false}
	salvador = &city{"Salvador", address.BA, "71", [2]int{40000, 42599},
		[]string{"Pituba", "Barra", "Itaigara", "Rio Vermelho", "Cabula", "Liberdade"},
		[]string{"Avenida Paulo VI", "Rua Marquês de Leão", "Avenida Sete de Setembro", "Rua das Hortênsias", "Avenida Tancredo Neves"}, false}
	feiraDeSantana = &city{"Feira de Santana", address.BA, "75", [2]int{44000, 44099},
		[]string{"Centro", "Santa Mônica", "Capuchinhos"},
		[]string{"Avenida Getúlio Vargas", "Rua Castro Alves", "Avenida Maria Quitéria"}, false}
	aracaju = &city{"Aracaju", address.SE, "79", [2]int{49000, 49099},
		[]string{"Jardins", "Atalaia", "Grageru", "Centro"},
		[]string{"Avenida Beira Mar", "Rua Laranjeiras", "Avenida Hermes Fontes"}, false}
	maceio = &city{"Maceió", address.AL, "82", [2]int{57000, 57099},
		[]string{"Ponta Verde", "Pajuçara", "Jatiúca", "Farol"},
		[]string{"Avenida Fernandes Lima", "Rua Jangadeiros Alagoanos", "Avenida Álvaro Otacílio"}, false}
	recife = &city{"Recife", address.PE, "81", [2]int{50000, 52999},
		[]string{"Boa Viagem", "Casa Forte", "Espinheiro", "Graças", "Madalena"},
		[]string{"Avenida Conselheiro Aguiar", "Rua do Futuro", "Avenida Rui Barbosa", "Rua Real da Torre"}, false}
	fortaleza = &city{"Fortaleza", address.CE, "85", [2]int{60000, 61599},
		[]string{"Aldeota", "Meireles", "Messejana", "Fátima", "Parangaba"},
		[]string{"Avenida Santos Dumont", "Rua Barão de Studart", "Avenida Treze de Maio", "Rua Tibúrcio Cavalcante"}, false}
	natal = &city{"Natal", address.RN, "84", [2]int{59000, 59139},
		[]string{"Tirol", "Petrópolis", "Ponta Negra", "Lagoa Nova"},
		[]string{"Avenida Hermes da Fonseca", "Rua Mossoró", "Avenida Prudente de Morais"}, false}
	goiania = &city{"Goiânia", address.GO, "62", [2]int{74000, 74899},
		[]string{"Setor Bueno", "Setor Marista", "Setor Oeste", "Jardim América"},
		[]string{"Avenida T-9", "Rua 90", "Avenida República do Líbano", "Avenida T-63"}, false}
	brasilia = &city{"Brasília", address.DF, "61", [2]int{70000, 72799},
		[]string{"Asa Sul", "Asa Norte", "Águas Claras", "Taguatinga", "Guará"},
		[]string{"SQS 308 Bloco C", "SQN 210 Bloco F", "SQS 113 Bloco J", "QI 25 Conjunto 4", "QSD 15 Casa 20", "Rua 36 Norte Lote 5"}, true}
	campoGrande = &city{"Campo Grande", address.MS, "67", [2]int{79000, 79124},
		[]string{"Centro", "Jardim dos Estados", "Tiradentes"},
		[]string{"Avenida Afonso Pena", "Rua 14 de Julho", "Avenida Mato Grosso"}, false}
	manaus = &city{"Manaus", address.AM, "92", [2]int{69000, 69099},
		[]string{"Adrianópolis", "Centro", "Parque Dez de Novembro", "Flores"},
		[]string{"Avenida Djalma Batista", "Rua Pará", "Avenida Constantino Nery"}, false}
	belem = &city{"Belém", address.PA, "91", [2]int{66000, 66999},
		[]string{"Nazaré", "Umarizal", "Marco", "Batista Campos"},
		[]string{"Avenida Nazaré", "Travessa Quintino Bocaiúva", "Avenida Almirante Barroso"}, false}
	vitoria = &city{"Vitória", address.ES, "27", [2]int{29000, 29099},
		[]string{"Praia do Canto", "Jardim Camburi", "Jardim da Penha"},
		[]string{"Avenida Nossa Senhora da Penha", "Rua Chapot Presvot", "Avenida Dante Michelini"}, false}
)

// areas are the regions of the dealer groups, weighted roughly by their
// share of car sales.
var areas = []*area{
	{30, []*city{saoPaulo, campinas, ribeiraoPreto, santos}, nil},
	{12, []*city{rio, niteroi, vitoria}, nil},
	{12, []*city{beloHorizonte, uberlandia, juizDeFora}, nil},
	{16, []*city{curitiba, londrina, portoAlegre, caxiasDoSul, florianopolis, joinville}, southSurnames},
	{16, []*city{salvador, feiraDeSantana, aracaju, maceio, recife, fortaleza, natal}, northeastSurnames},
	{9, []*city{goiania, brasilia, campoGrande}, nil},
	{5, []*city{manaus, belem}, nil},
}

// areaOf returns the area that serves c.
func areaOf(c *city) *area {
	for _, a := range areas {
		for _, x := range a.cities {
			if x == c {
				return a
			}
		}
	}
	panic("a city outside every area")
}

// pickArea draws a dealer group's region.
func (g *gen) pickArea() *area { return pickWeighted(g, areas, func(a *area) int { return a.weight }) }

// pickCity draws a city: the area's first (its capital) half the time.
func (g *gen) pickCity(a *area) *city {
	if g.chance(0.5) {
		return a.cities[0]
	}
	return pick(g, a.cities)
}

// otherCity returns a city of the same area as c, but not c, if the area
// has another.
func (g *gen) otherCity(c *city) *city {
	a := areaOf(c)
	for range 20 {
		if x := pick(g, a.cities); x != c {
			return x
		}
	}
	return c
}

// cep draws a CEP of c that no other address of the set has.
func (g *gen) cep(c *city) address.CEP {
	for {
		prefix := g.between(c.cep[0], c.cep[1])
		s := fmt.Sprintf("%05d%03d", prefix, 10*g.rng.IntN(90))
		if g.reg.claim("cep:" + s) {
			return address.MustParseCEP(s)
		}
	}
}

// homeAddress draws a residential address in c.
func (g *gen) homeAddress(c *city) address.Address {
	a := address.Address{CEP: g.cep(c), Street: pick(g, c.streets), District: pick(g, c.districts),
		City: c.name, UF: c.uf, Purposes: address.Correspondence}
	switch {
	case c.quadras:
		if g.chance(0.6) {
			a.Complement = "Apto " + strconv.Itoa(g.between(1, 6)*100+g.between(1, 8))
		}
	case g.chance(0.45):
		a.Number = strconv.Itoa(g.between(10, 3200))
		a.Complement = g.apartment()
	default:
		a.Number = strconv.Itoa(g.between(10, 3200))
	}
	if g.chance(0.3) {
		a.Purposes |= address.Billing
	}
	return a
}

// apartment draws the complement of a flat: "Apto 1203", "Ap. 52 Bloco B".
func (g *gen) apartment() string {
	n := strconv.Itoa(g.between(1, 22)*100 + g.between(1, 8))
	switch g.rng.IntN(4) {
	case 0:
		return "Apto " + n
	case 1:
		return "Ap. " + n + " Bloco " + string(rune('A'+g.rng.IntN(4)))
	case 2:
		return "Apartamento " + n
	}
	return "Apto " + n + " Torre " + strconv.Itoa(g.between(1, 3))
}

// mobile draws a mobile number of c's area code that no one else in the set
// has.
func (g *gen) mobile(c *city) contact.Phone {
	for {
		s := fmt.Sprintf("+55%s9%d%07d", c.ddd, g.between(6, 9), g.rng.IntN(10_000_000))
		if g.reg.claim("phone:" + s) {
			return contact.MustParsePhone(s)
		}
	}
}

// landline draws a landline of c's area code.
func (g *gen) landline(c *city) contact.Phone {
	for {
		first := 3
		if r := g.rng.IntN(10); r < 2 {
			first = 2
		} else if r == 2 {
			first = 4
		}
		s := fmt.Sprintf("+55%s%d%07d", c.ddd, first, g.rng.IntN(10_000_000))
		if g.reg.claim("phone:" + s) {
			return contact.MustParsePhone(s)
		}
	}
}

// phoneAt returns the number with the given digits, claiming it: for
// numbers made from another one (a slip, a wrong area code).
func (g *gen) phoneAt(s string) contact.Phone {
	if !g.reg.claim("phone:" + s) {
		panic("a derived phone is someone else's")
	}
	return contact.MustParsePhone(s)
}

// oldMobile writes a mobile as it was before its ninth digit: "(11)
// 8765-4321". The library refuses that form, so it survives only in free
// text, as legacy records carry it.
func oldMobile(p contact.Phone) string {
	s := p.Subscriber()[1:]
	return "(" + p.DDD() + ") " + s[:4] + "-" + s[4:]
}

// Free-mail providers of Brazilian customers, weighted by our estimate of
// their share.
var mailProviders = []struct {
	domain string
	weight int
}{
	{"gmail.com", 50}, {"hotmail.com", 18}, {"yahoo.com.br", 7}, {"outlook.com", 8}, {"uol.com.br", 4},
	{"bol.com.br", 4}, {"terra.com.br", 3}, {"icloud.com", 4}, {"live.com", 2},
}

// mailDomain draws a free-mail provider.
func (g *gen) mailDomain() string {
	return pickWeighted(g, mailProviders, func(p struct {
		domain string
		weight int
	}) int {
		return p.weight
	}).domain
}

// emailFor makes an address from a person's name as people choose them
// ("jose.oliveira", "joseoliveira78", "jcoliveira"), adding digits until no
// one else in the set has it.
func (g *gen) emailFor(n fullName, birthYear int, domain string) contact.Email {
	first := slug(n.first())
	last := slug(n.surnameWords()[len(n.surnameWords())-1])
	initials := ""
	for _, t := range n.given() {
		if t.kind == kGiven {
			initials += slug(t.text)[:1]
		}
	}
	var local string
	switch g.rng.IntN(6) {
	case 0:
		local = first + "." + last
	case 1:
		local = first + last + fmt.Sprintf("%02d", birthYear%100)
	case 2:
		local = initials + last
	case 3:
		local = first + "_" + last
	case 4:
		if w := n.surnameWords(); len(w) > 1 {
			local = first + "." + slug(w[0]) + "." + last
		} else {
			local = first + "." + last + strconv.Itoa(g.between(1, 99))
		}
	default:
		local = first + last
	}
	return g.claimEmail(local, domain)
}

// claimEmail returns local@domain, with digits added to local until the
// address is free.
func (g *gen) claimEmail(local, domain string) contact.Email {
	try := local
	for range 100 {
		s := try + "@" + domain
		if g.reg.claim("email:" + s) {
			return contact.MustParseEmail(s)
		}
		try = local + strconv.Itoa(g.between(1, 999))
	}
	panic("no free e-mail address")
}

// emailAt claims an address made from another one (a slip, a provider's
// variant) and returns it.
func (g *gen) emailAt(s string) contact.Email {
	if !g.reg.claim("email:" + s) {
		panic("a derived e-mail is someone else's")
	}
	return contact.MustParseEmail(s)
}
