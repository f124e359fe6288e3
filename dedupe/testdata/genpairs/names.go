package main

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// givenName is a given name, simple or compound ("Maria Eduarda"), with
// the sex of its bearers, its weight in the draw and the years most of its
// bearers were born in (a Maria Eduarda is young, a Maria das Graças is
// not).
type givenName struct {
	text   string
	female bool
	weight int
	born   [2]int
}

// IBGE, Censo 2022, "Nomes no Brasil" (published 4 November 2025): the ten
// most common given names of each sex and their bearers. Names past the ten
// have a flat weight of our own (flatGiven), and compound names another
// (flatCompound); see README.md.
const (
	flatGiven    = 300_000
	flatCompound = 250_000
)

var givenNames = []givenName{
	// Women: IBGE 2022 top ten.
	{"Maria", true, 12_284_478, [2]int{1940, 2006}},
	{"Ana", true, 3_948_650, [2]int{1950, 2006}},
	{"Francisca", true, 661_582, [2]int{1940, 1985}},
	{"Júlia", true, 646_239, [2]int{1992, 2006}},
	{"Antônia", true, 552_951, [2]int{1940, 1980}},
	{"Juliana", true, 536_687, [2]int{1975, 2000}},
	{"Adriana", true, 533_801, [2]int{1965, 1990}},
	{"Fernanda", true, 520_705, [2]int{1975, 2002}},
	{"Márcia", true, 520_013, [2]int{1955, 1985}},
	{"Patrícia", true, 499_140, [2]int{1965, 1995}},
	// Men: IBGE 2022 top ten.
	{"José", false, 5_141_882, [2]int{1938, 2000}},
	{"João", false, 3_410_873, [2]int{1940, 2006}},
	{"Antônio", false, 2_231_019, [2]int{1938, 1995}},
	{"Francisco", false, 1_659_196, [2]int{1938, 1990}},
	{"Pedro", false, 1_613_671, [2]int{1960, 2006}},
	{"Carlos", false, 1_468_116, [2]int{1945, 1995}},
	{"Lucas", false, 1_332_182, [2]int{1990, 2006}},
	{"Luiz", false, 1_328_252, [2]int{1945, 2000}},
	{"Paulo", false, 1_326_222, [2]int{1945, 1995}},
	{"Gabriel", false, 1_201_030, [2]int{1992, 2006}},
	// Women past the ten, flat weight.
	{"Aline", true, flatGiven, [2]int{1978, 1998}},
	{"Amanda", true, flatGiven, [2]int{1985, 2006}},
	{"Camila", true, flatGiven, [2]int{1980, 2002}},
	{"Cláudia", true, flatGiven, [2]int{1955, 1985}},
	{"Luciana", true, flatGiven, [2]int{1965, 1990}},
	{"Sandra", true, flatGiven, [2]int{1955, 1985}},
	{"Vanessa", true, flatGiven, [2]int{1975, 1995}},
	{"Beatriz", true, flatGiven, [2]int{1990, 2006}},
	{"Letícia", true, flatGiven, [2]int{1990, 2006}},
	{"Mariana", true, flatGiven, [2]int{1985, 2006}},
	{"Renata", true, flatGiven, [2]int{1970, 1995}},
	{"Simone", true, flatGiven, [2]int{1960, 1985}},
	{"Sônia", true, flatGiven, [2]int{1945, 1975}},
	{"Regina", true, flatGiven, [2]int{1945, 1975}},
	{"Tereza", true, flatGiven, [2]int{1940, 1970}},
	{"Rosângela", true, flatGiven, [2]int{1955, 1980}},
	{"Cristina", true, flatGiven, [2]int{1955, 1985}},
	{"Eliane", true, flatGiven, [2]int{1960, 1985}},
	{"Raimunda", true, flatGiven, [2]int{1940, 1975}},
	{"Lúcia", true, flatGiven, [2]int{1940, 1975}},
	{"Mônica", true, flatGiven, [2]int{1960, 1985}},
	{"Daniela", true, flatGiven, [2]int{1975, 1995}},
	{"Gabriela", true, flatGiven, [2]int{1985, 2006}},
	{"Bruna", true, flatGiven, [2]int{1985, 2004}},
	{"Carla", true, flatGiven, [2]int{1970, 1995}},
	{"Larissa", true, flatGiven, [2]int{1988, 2006}},
	{"Débora", true, flatGiven, [2]int{1970, 1995}},
	{"Luíza", true, flatGiven, [2]int{1990, 2006}},
	// Men past the ten, flat weight.
	{"Marcos", false, flatGiven, [2]int{1960, 1990}},
	{"Rafael", false, flatGiven, [2]int{1980, 2002}},
	{"Daniel", false, flatGiven, [2]int{1975, 2002}},
	{"Marcelo", false, flatGiven, [2]int{1965, 1990}},
	{"Bruno", false, flatGiven, [2]int{1980, 2002}},
	{"Eduardo", false, flatGiven, [2]int{1965, 2000}},
	{"Felipe", false, flatGiven, [2]int{1982, 2004}},
	{"Rodrigo", false, flatGiven, [2]int{1972, 1995}},
	{"Fernando", false, flatGiven, [2]int{1960, 1995}},
	{"Fábio", false, flatGiven, [2]int{1965, 1990}},
	{"Raimundo", false, flatGiven, [2]int{1938, 1975}},
	{"Sebastião", false, flatGiven, [2]int{1938, 1970}},
	{"Sérgio", false, flatGiven, [2]int{1950, 1985}},
	{"Ricardo", false, flatGiven, [2]int{1960, 1990}},
	{"André", false, flatGiven, [2]int{1965, 1995}},
	{"Gustavo", false, flatGiven, [2]int{1980, 2004}},
	{"Guilherme", false, flatGiven, [2]int{1985, 2006}},
	{"Matheus", false, flatGiven, [2]int{1992, 2006}},
	{"Thiago", false, flatGiven, [2]int{1982, 2000}},
	{"Leonardo", false, flatGiven, [2]int{1980, 2004}},
	{"Vinícius", false, flatGiven, [2]int{1985, 2005}},
	{"Roberto", false, flatGiven, [2]int{1945, 1980}},
	{"Jorge", false, flatGiven, [2]int{1940, 1980}},
	{"Márcio", false, flatGiven, [2]int{1960, 1985}},
	{"Cláudio", false, flatGiven, [2]int{1950, 1980}},
	{"Luciano", false, flatGiven, [2]int{1965, 1990}},
	{"Adriano", false, flatGiven, [2]int{1970, 1990}},
	{"Leandro", false, flatGiven, [2]int{1975, 1995}},
	{"Alexandre", false, flatGiven, [2]int{1965, 1995}},
	{"Edson", false, flatGiven, [2]int{1950, 1980}},
	// Compound given names, flat weight.
	{"Maria Eduarda", true, flatCompound, [2]int{1998, 2006}},
	{"Maria Clara", true, flatCompound, [2]int{1995, 2006}},
	{"Maria Aparecida", true, flatCompound, [2]int{1940, 1980}},
	{"Maria José", true, flatCompound, [2]int{1940, 1975}},
	{"Maria de Fátima", true, flatCompound, [2]int{1945, 1975}},
	{"Maria das Graças", true, flatCompound, [2]int{1945, 1975}},
	{"Maria Luiza", true, flatCompound, [2]int{1990, 2006}},
	{"Maria Helena", true, flatCompound, [2]int{1945, 1980}},
	{"Ana Paula", true, flatCompound, [2]int{1968, 1992}},
	{"Ana Carolina", true, flatCompound, [2]int{1978, 2000}},
	{"Ana Beatriz", true, flatCompound, [2]int{1995, 2006}},
	{"Ana Maria", true, flatCompound, [2]int{1945, 1975}},
	{"Ana Clara", true, flatCompound, [2]int{1998, 2006}},
	{"Ana Luiza", true, flatCompound, [2]int{1992, 2006}},
	{"João Pedro", false, flatCompound, [2]int{1996, 2006}},
	{"João Vitor", false, flatCompound, [2]int{1996, 2006}},
	{"João Paulo", false, flatCompound, [2]int{1965, 1995}},
	{"João Batista", false, flatCompound, [2]int{1940, 1975}},
	{"João Carlos", false, flatCompound, [2]int{1950, 1980}},
	{"José Carlos", false, flatCompound, [2]int{1945, 1975}},
	{"José Roberto", false, flatCompound, [2]int{1945, 1975}},
	{"José Antônio", false, flatCompound, [2]int{1945, 1975}},
	{"José Maria", false, flatCompound, [2]int{1938, 1970}},
	{"Luiz Carlos", false, flatCompound, [2]int{1945, 1975}},
	{"Luiz Fernando", false, flatCompound, [2]int{1965, 1995}},
	{"Luiz Henrique", false, flatCompound, [2]int{1985, 2005}},
	{"Carlos Eduardo", false, flatCompound, [2]int{1968, 1995}},
	{"Carlos Alberto", false, flatCompound, [2]int{1945, 1975}},
	{"Paulo Henrique", false, flatCompound, [2]int{1975, 2000}},
	{"Pedro Henrique", false, flatCompound, [2]int{1995, 2006}},
	{"Antônio Carlos", false, flatCompound, [2]int{1945, 1975}},
	{"Francisco das Chagas", false, flatCompound, [2]int{1940, 1975}},
	{"Marcos Antônio", false, flatCompound, [2]int{1958, 1985}},
}

// surname is a family name, its weight in the draw, and the particle it
// often takes ("da Silva", "dos Santos") with how often it takes it.
type surname struct {
	text     string
	weight   int
	particle string
	often    float64
}

// flatSurname is the weight of surnames past IBGE's thirty: our own.
const flatSurname = 1_000_000

// IBGE, Censo 2022, "Nomes no Brasil": the thirty most common surnames and
// their bearers. How often each takes a particle is our estimate.
var surnames = []surname{
	{"Silva", 34_030_104, "da", 0.45},
	{"Santos", 21_367_475, "dos", 0.45},
	{"Oliveira", 11_708_947, "de", 0.35},
	{"Souza", 9_197_158, "de", 0.3},
	{"Pereira", 6_888_212, "", 0},
	{"Ferreira", 6_226_228, "", 0},
	{"Lima", 6_094_630, "de", 0.15},
	{"Alves", 5_756_825, "", 0},
	{"Rodrigues", 5_428_540, "", 0},
	{"Costa", 4_861_083, "da", 0.3},
	{"Sousa", 4_797_390, "de", 0.3},
	{"Gomes", 4_046_634, "", 0},
	{"Nascimento", 3_609_232, "do", 0.75},
	{"Araújo", 3_460_940, "de", 0.3},
	{"Ribeiro", 3_127_425, "", 0},
	{"Almeida", 3_069_183, "de", 0.3},
	{"Jesus", 2_859_490, "de", 0.9},
	{"Barbosa", 2_738_119, "", 0},
	{"Soares", 2_615_284, "", 0},
	{"Carvalho", 2_599_978, "de", 0.25},
	{"Martins", 2_576_764, "", 0},
	{"Lopes", 2_337_914, "", 0},
	{"Vieira", 2_102_389, "", 0},
	{"Rocha", 2_044_495, "da", 0.2},
	{"Dias", 2_035_387, "", 0},
	{"Gonçalves", 2_028_298, "", 0},
	{"Fernandes", 1_835_974, "", 0},
	{"Santana", 1_815_982, "de", 0.1},
	{"Andrade", 1_707_452, "de", 0.3},
	{"Batista", 1_703_130, "", 0},
	// Past the thirty, flat weight.
	{"Moreira", flatSurname, "", 0},
	{"Mendes", flatSurname, "", 0},
	{"Nunes", flatSurname, "", 0},
	{"Cardoso", flatSurname, "", 0},
	{"Teixeira", flatSurname, "", 0},
	{"Freitas", flatSurname, "de", 0.4},
	{"Machado", flatSurname, "", 0},
	{"Correia", flatSurname, "", 0},
	{"Castro", flatSurname, "de", 0.3},
	{"Pinto", flatSurname, "", 0},
	{"Moura", flatSurname, "de", 0.3},
	{"Borges", flatSurname, "", 0},
	{"Campos", flatSurname, "", 0},
	{"Ramos", flatSurname, "", 0},
	{"Reis", flatSurname, "dos", 0.4},
	{"Azevedo", flatSurname, "de", 0.2},
	{"Miranda", flatSurname, "", 0},
	{"Marques", flatSurname, "", 0},
	{"Magalhães", flatSurname, "", 0},
	{"Guimarães", flatSurname, "", 0},
	{"Siqueira", flatSurname, "", 0},
	{"Brandão", flatSurname, "", 0},
	{"Conceição", flatSurname, "da", 0.9},
	{"Monteiro", flatSurname, "", 0},
	{"Medeiros", flatSurname, "", 0},
	{"Queiroz", flatSurname, "de", 0.3},
	{"Nogueira", flatSurname, "", 0},
	{"Xavier", flatSurname, "", 0},
}

// Surnames more common in one region than in the country, added to the
// draw there with a flat weight.
var (
	southSurnames = []surname{
		{"Rossi", flatSurname, "", 0}, {"Zanella", flatSurname, "", 0}, {"Schneider", flatSurname, "", 0},
		{"Becker", flatSurname, "", 0}, {"Weber", flatSurname, "", 0}, {"Fontana", flatSurname, "", 0},
		{"Rosa", 2 * flatSurname, "da", 0.3}, {"Silveira", 2 * flatSurname, "da", 0.2},
	}
	northeastSurnames = []surname{
		{"Cavalcanti", flatSurname, "", 0}, {"Bezerra", flatSurname, "", 0}, {"Albuquerque", flatSurname, "de", 0.4},
		{"Barros", flatSurname, "de", 0.2}, {"Melo", 2 * flatSurname, "de", 0.3}, {"Holanda", flatSurname, "de", 0.3},
	}
)

// The parts of a full name.
type partKind uint8

const (
	kGiven partKind = iota
	kParticle
	kSurname
	kSuffix
)

// token is one word of a full name.
type token struct {
	text string
	kind partKind
}

// fullName is a name as words that know what they are: given names,
// particles, surnames and a suffix.
type fullName []token

// String joins the words.
func (n fullName) String() string {
	words := make([]string, len(n))
	for i, t := range n {
		words[i] = t.text
	}
	return strings.Join(words, " ")
}

// clone returns a copy that shares nothing with n.
func (n fullName) clone() fullName { return append(fullName(nil), n...) }

// givenTokens splits a given name ("Maria de Fátima") into words.
func givenTokens(s string) fullName {
	var n fullName
	for _, w := range strings.Fields(s) {
		k := kGiven
		if isParticle(w) {
			k = kParticle
		}
		n = append(n, token{w, k})
	}
	return n
}

func isParticle(w string) bool {
	switch w {
	case "de", "da", "do", "dos", "das", "e":
		return true
	}
	return false
}

// first returns the first given name.
func (n fullName) first() string { return n[0].text }

// given returns the given names with their inner particles.
func (n fullName) given() fullName {
	var out fullName
	for i, t := range n {
		if t.kind == kGiven || t.kind == kParticle && i+1 < len(n) && n[i+1].kind == kGiven {
			out = append(out, t)
			continue
		}
		break
	}
	return out
}

// family returns the surnames with their particles, without the suffix.
func (n fullName) family() fullName {
	g := len(n.given())
	var out fullName
	for _, t := range n[g:] {
		if t.kind != kSuffix {
			out = append(out, t)
		}
	}
	return out
}

// suffix returns the suffix, or "".
func (n fullName) suffix() string {
	if len(n) > 0 && n[len(n)-1].kind == kSuffix {
		return n[len(n)-1].text
	}
	return ""
}

// lastSurname returns the last surname with its particle: the father's.
func (n fullName) lastSurname() fullName {
	f := n.family()
	if len(f) == 0 {
		return nil
	}
	i := len(f) - 1
	if i > 0 && f[i-1].kind == kParticle {
		i--
	}
	return f[i:].clone()
}

// surnameWords returns the surnames without particles.
func (n fullName) surnameWords() []string {
	var out []string
	for _, t := range n {
		if t.kind == kSurname {
			out = append(out, t.text)
		}
	}
	return out
}

// join builds a name from parts.
func join(parts ...fullName) fullName {
	var n fullName
	for _, p := range parts {
		n = append(n, p...)
	}
	return n
}

// withSuffix returns n with suffix s.
func (n fullName) withSuffix(s string) fullName {
	out := n.clone()
	if out.suffix() != "" {
		out = out[:len(out)-1]
	}
	return append(out, token{s, kSuffix})
}

// surnameByText finds a surname's entry, for its particle.
func surnameByText(s string) (surname, bool) {
	for _, list := range [][]surname{surnames, southSurnames, northeastSurnames} {
		for _, x := range list {
			if x.text == s {
				return x, true
			}
		}
	}
	return surname{}, false
}

// fold removes the accents of Portuguese letters.
func fold(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

func foldRune(r rune) rune {
	switch r {
	case 'á', 'à', 'â', 'ã', 'ä':
		return 'a'
	case 'Á', 'À', 'Â', 'Ã', 'Ä':
		return 'A'
	case 'é', 'ê', 'è', 'ë':
		return 'e'
	case 'É', 'Ê', 'È', 'Ë':
		return 'E'
	case 'í', 'ì', 'î', 'ï':
		return 'i'
	case 'Í', 'Ì', 'Î', 'Ï':
		return 'I'
	case 'ó', 'ô', 'õ', 'ò', 'ö':
		return 'o'
	case 'Ó', 'Ô', 'Õ', 'Ò', 'Ö':
		return 'O'
	case 'ú', 'ù', 'û', 'ü':
		return 'u'
	case 'Ú', 'Ù', 'Û', 'Ü':
		return 'U'
	case 'ç':
		return 'c'
	case 'Ç':
		return 'C'
	case 'ñ':
		return 'n'
	case 'Ñ':
		return 'N'
	}
	return r
}

// hasAccent reports whether s holds a letter that fold changes.
func hasAccent(s string) bool { return fold(s) != s }

// slug returns s folded, in lower case, with only letters and digits.
func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(fold(s)) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// caseStyle is how an attendant or a system typed a name's letters.
type caseStyle uint8

const (
	asRegistered caseStyle = iota // "José Carlos de Oliveira"
	upperAccents                  // "JOSÉ CARLOS DE OLIVEIRA"
	upperPlain                    // "JOSE CARLOS DE OLIVEIRA"
	lowerPlain                    // "jose carlos de oliveira", as web forms get it
	titlePlain                    // "Jose Carlos de Oliveira"
)

// typed returns s as style types it.
func typed(s string, style caseStyle) string {
	switch style {
	case upperAccents:
		return strings.ToUpper(s)
	case upperPlain:
		return strings.ToUpper(fold(s))
	case lowerPlain:
		return strings.ToLower(fold(s))
	case titlePlain:
		return fold(s)
	}
	return s
}

// abbreviate returns the initial of w with a dot: "Carlos" gives "C.".
func abbreviate(w string) string {
	r, _ := utf8.DecodeRuneInString(w)
	return string(unicode.ToUpper(r)) + "."
}

// abbrevMiddleGiven abbreviates the given names after the first: "José
// C. de Oliveira". It reports false if there are none.
func abbrevMiddleGiven(n fullName) (fullName, bool) {
	out := n.clone()
	done := false
	g := len(n.given())
	for i := 1; i < g; i++ {
		if out[i].kind == kGiven {
			out[i].text = abbreviate(out[i].text)
			done = true
		}
	}
	if !done {
		return n, false
	}
	// An inner particle of a given name goes with the name it leads:
	// "Maria de Fátima" is "Maria F.".
	var trimmed fullName
	for i, t := range out {
		if i < g && t.kind == kParticle {
			continue
		}
		trimmed = append(trimmed, t)
	}
	return trimmed, true
}

// abbrevMiddleSurnames abbreviates every surname but the last, dropping
// their particles: "Ana Paula S. Ferreira". It reports false if there is
// no middle surname.
func abbrevMiddleSurnames(n fullName) (fullName, bool) {
	last := lastSurnameIndex(n)
	var out fullName
	done := false
	for i, t := range n {
		switch {
		case i < last && t.kind == kSurname:
			out = append(out, token{abbreviate(t.text), kSurname})
			done = true
		case i < last && t.kind == kParticle && i+1 < len(n) && n[i+1].kind == kSurname && i+1 < last:
			// the particle of an abbreviated surname goes
		default:
			out = append(out, t)
		}
	}
	return out, done
}

// lastSurnameIndex returns the index of the last surname, or len(n).
func lastSurnameIndex(n fullName) int {
	for i := len(n) - 1; i >= 0; i-- {
		if n[i].kind == kSurname {
			return i
		}
	}
	return len(n)
}

// dropParticles removes every particle: "Jose Carlos Oliveira". It
// reports false if there is none.
func dropParticles(n fullName) (fullName, bool) {
	var out fullName
	for _, t := range n {
		if t.kind != kParticle {
			out = append(out, t)
		}
	}
	return out, len(out) != len(n)
}

// addParticle puts the usual particle before a surname that often takes
// one but does not here ("Oliveira" becomes "de Oliveira"). It reports
// false if no surname takes one.
func addParticle(n fullName) (fullName, bool) {
	for i, t := range n {
		if t.kind != kSurname || i > 0 && n[i-1].kind == kParticle {
			continue
		}
		s, ok := surnameByText(t.text)
		if !ok || s.particle == "" || s.often < 0.2 {
			continue
		}
		out := append(n[:i].clone(), token{s.particle, kParticle})
		return append(out, n[i:]...), true
	}
	return n, false
}

// dropMiddleSurname removes the first of two or more surnames with its
// particle (the mother's, as Brazilians often do): "José Carlos Pereira de
// Oliveira" becomes "José Carlos de Oliveira". It reports false if there is
// one surname.
func dropMiddleSurname(n fullName) (fullName, bool) {
	if len(n.surnameWords()) < 2 {
		return n, false
	}
	for i, t := range n {
		if t.kind != kSurname {
			continue
		}
		start := i
		if i > 0 && n[i-1].kind == kParticle && n[i-1].text != "e" {
			start = i - 1
		}
		out := n[:start].clone()
		rest := n[i+1:]
		if len(rest) > 0 && rest[0].text == "e" {
			rest = rest[1:]
		}
		return append(out, rest...), true
	}
	return n, false
}

// dropSecondGiven removes the second given name: "Carlos Eduardo Lima"
// becomes "Carlos Lima". It reports false if there is one given name.
func dropSecondGiven(n fullName) (fullName, bool) {
	g := n.given()
	if len(g) < 2 {
		return n, false
	}
	return join(g[:1], n[len(g):]), true
}

// firstAndLast keeps the first given name and the last surname, as people
// give their name at a counter: "Marcos Ribeiro".
func firstAndLast(n fullName) fullName {
	return join(n[:1], n.lastSurname())
}

// surnameFirst writes the last surname first, with a comma, as some DMS
// exports do: "Oliveira, José Carlos".
func surnameFirst(n fullName) string {
	last := n.lastSurname()
	var words []string
	for _, t := range last {
		if t.kind == kSurname {
			words = append(words, t.text)
		}
	}
	if s := n.suffix(); s != "" {
		words = append(words, s)
	}
	rest := join(n.given(), dropTail(n.family(), len(last)))
	return strings.Join(words, " ") + ", " + rest.String()
}

// dropTail returns n without its last k words.
func dropTail(n fullName, k int) fullName {
	if k >= len(n) {
		return nil
	}
	return n[:len(n)-k].clone()
}

// Spellings of one name that people and attendants use for each other:
// typing one for the other is a slip, not another person.
var spellings = [][]string{
	{"Souza", "Sousa"}, {"Luiz", "Luís", "Luis"}, {"Thiago", "Tiago"}, {"Matheus", "Mateus"},
	{"Vitor", "Victor"}, {"Tereza", "Teresa"}, {"Rafael", "Raphael"}, {"Luíza", "Luísa", "Luiza"},
	{"Correia", "Corrêa"}, {"Queiroz", "Queirós"}, {"Melo", "Mello"}, {"Débora", "Deborah"},
	{"Cristina", "Christina"},
}

// spellingOf returns another spelling of w, if it has one.
func spellingOf(w string, g *gen) (string, bool) {
	for _, set := range spellings {
		for i, s := range set {
			if s == w {
				j := g.rng.IntN(len(set) - 1)
				if j >= i {
					j++
				}
				return set[j], true
			}
		}
	}
	return "", false
}

// Keys next to each other on a Brazilian ABNT2 keyboard's letter rows.
var neighbours = map[rune]string{
	'q': "wa", 'w': "qes", 'e': "wrd", 'r': "etf", 't': "ryg", 'y': "tuh", 'u': "yij", 'i': "uok", 'o': "ipl",
	'p': "o", 'a': "qsz", 's': "awdx", 'd': "sefc", 'f': "drgv", 'g': "fthb", 'h': "gyjn", 'j': "hukm",
	'k': "jil", 'l': "ko", 'z': "asx", 'x': "zsdc", 'c': "xdfv", 'v': "cfgb", 'b': "vghn", 'n': "bhjm", 'm': "njk",
}

// misspell returns w with one slip of the finger inside it (never on its
// first or last letter, which would turn Márcia into Márcio): a letter
// left out, doubled, swapped with the next or hit on a neighbouring key.
func misspell(w string, g *gen) string {
	r := []rune(w)
	for range 50 {
		p := g.between(1, len(r)-2)
		lower := unicode.ToLower(r[p])
		if lower > unicode.MaxASCII || neighbours[lower] == "" {
			continue
		}
		out := append([]rune(nil), r...)
		switch g.rng.IntN(4) {
		case 0:
			if r[p] == r[p-1] || r[p] == r[p+1] {
				continue // dropping one of a double letter is a spelling, not a slip
			}
			out = append(out[:p], out[p+1:]...)
		case 1:
			out = append(out[:p+1], out[p:]...)
		case 2:
			if p+1 >= len(r)-1 || r[p] == r[p+1] {
				continue
			}
			out[p], out[p+1] = out[p+1], out[p]
		case 3:
			near := []rune(neighbours[lower])
			out[p] = near[g.rng.IntN(len(near))]
		}
		s := string(out)
		if s != w && !isKnownName(s) {
			return s
		}
	}
	panic("no slip found for a name")
}

// isKnownName reports whether w is one of the names of the lists, so that
// a slip never lands on a real name.
func isKnownName(w string) bool {
	f := strings.ToLower(fold(w))
	for _, gn := range givenNames {
		for _, x := range strings.Fields(gn.text) {
			if strings.ToLower(fold(x)) == f {
				return true
			}
		}
	}
	_, ok := surnameByText(w)
	return ok
}

// typo makes one slip in a name: another spelling of a word when it has
// one and prefer is set, else a keyboard slip in a surname of five letters
// or more. It returns the name and the word it changed.
func typo(n fullName, g *gen, preferSpelling bool) (fullName, string) {
	out := n.clone()
	if preferSpelling {
		for _, i := range g.rng.Perm(len(out)) {
			if out[i].kind == kParticle || out[i].kind == kSuffix {
				continue
			}
			if s, ok := spellingOf(out[i].text, g); ok {
				before := out[i].text
				out[i].text = s
				return out, before
			}
		}
	}
	var cands []int
	for i, t := range out {
		if t.kind == kSurname && utf8.RuneCountInString(t.text) >= 5 {
			cands = append(cands, i)
		}
	}
	if len(cands) == 0 {
		for i, t := range out {
			if t.kind == kGiven && i > 0 && utf8.RuneCountInString(t.text) >= 5 {
				cands = append(cands, i)
			}
		}
	}
	if len(cands) == 0 {
		panic("no word of the name takes a slip")
	}
	i := pick(g, cands)
	before := out[i].text
	out[i].text = misspell(before, g)
	return out, before
}

// suffixForms are the ways a suffix is written short.
var suffixForms = map[string][]string{
	"Júnior":   {"Jr.", "Junior", "Jr"},
	"Filho":    {"F."},
	"Neto":     {"Nt."},
	"Sobrinho": {"Sobr."},
}
