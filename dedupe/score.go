package dedupe

import (
	"math"
	"slices"
	"strings"

	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/internal/names"
	"github.com/fichacrm/ficha/validation"
)

// Reason is one piece of evidence that two records are, or are not, the
// same customer. Its value is a stable code; [Reason.Message] says it to
// an attendant.
type Reason string

// The reasons for.
const (
	SameTaxID     Reason = "same_tax_id"     // the same CPF or CNPJ
	SameDMSCode   Reason = "same_dms_code"   // the same customer code in the DMS
	SameEmail     Reason = "same_email"      // an e-mail in common
	SamePhone     Reason = "same_phone"      // a phone in common
	SamePhoneTail Reason = "same_phone_tail" // the same last eight digits (ninth digit added, another DDD)
	ContactOf     Reason = "contact_of"      // a person with the name and phone or e-mail of a company's contact
	SameVehicle   Reason = "same_vehicle"    // a vehicle in common (VIN or plate, in either form)
	SameAddress   Reason = "same_address"    // the same CEP, number and complement
	SameName      Reason = "same_name"       // the same name, but for case, accents, particles and order
	SimilarName   Reason = "similar_name"    // a name like it (initials, abbreviations, a typo, a name more or less)
	SameBirthDate Reason = "same_birth_date" // the same date of birth (or foundation)
)

// The reasons against.
const (
	OtherTaxID      Reason = "different_tax_id"     // two different CPFs or CNPJs
	OtherBirthDate  Reason = "different_birth_date" // two different dates of birth
	OtherGeneration Reason = "different_generation" // "Filho", "Júnior" or "Neto" on one name and not the other
	OtherName       Reason = "different_name"       // names that are not alike
)

var reasonText = map[Reason][2]string{
	SameTaxID:       {"same CPF/CNPJ", "mesmo CPF/CNPJ"},
	SameDMSCode:     {"same DMS customer code", "mesmo código de cliente no DMS"},
	SameEmail:       {"same e-mail", "mesmo e-mail"},
	SamePhone:       {"same phone", "mesmo telefone"},
	SamePhoneTail:   {"phone with the same last eight digits", "telefone com os mesmos oito últimos dígitos"},
	ContactOf:       {"same name and phone or e-mail as a company's contact", "mesmo nome e telefone ou e-mail de um contato da empresa"},
	SameVehicle:     {"same vehicle (chassis or plate)", "mesmo veículo (chassi ou placa)"},
	SameAddress:     {"same address", "mesmo endereço"},
	SameName:        {"same name", "mesmo nome"},
	SimilarName:     {"similar name", "nome parecido"},
	SameBirthDate:   {"same date of birth", "mesma data de nascimento"},
	OtherTaxID:      {"different CPF/CNPJ", "CPF/CNPJ diferentes"},
	OtherBirthDate:  {"different dates of birth", "datas de nascimento diferentes"},
	OtherGeneration: {"one is Filho, Júnior or Neto and the other not", "um é Filho, Júnior ou Neto e o outro não"},
	OtherName:       {"different names", "nomes diferentes"},
}

// Message returns what the reason says to an attendant.
func (r Reason) Message(lang validation.Lang) string {
	t, ok := reasonText[r]
	if !ok {
		return string(r)
	}
	if lang == validation.Portuguese {
		return t[1]
	}
	return t[0]
}

// Against reports whether the reason speaks against the pair being one
// customer.
func (r Reason) Against() bool {
	switch r {
	case OtherTaxID, OtherBirthDate, OtherGeneration, OtherName:
		return true
	}
	return false
}

// Match is how alike two records are: a score from 0 to 1 (the
// likelihood, by the weights of the evidence, that they are one
// customer), and the reasons for and against, strongest first.
type Match struct {
	Score   float64  `json:"score"`
	Reasons []Reason `json:"reasons"`
}

// Threshold is the score from which a pair is reported as a likely
// duplicate: measured on the labelled pairs of this package's tests (see
// BENCHMARKS.md).
const Threshold = 0.5

// Likely reports whether the pair is a likely duplicate.
func (m Match) Likely() bool { return m.Score >= Threshold }

// The weights of the evidence, in log-odds. A pair starts at prior: two
// records that share nothing are almost never one customer, and a name
// alone, however alike, is not enough. What a household shares (a
// landline, an address) weighs little: a son who dropped his "Filho", a
// daughter with her mother's name, live there too; what a person keeps to
// themselves (a mobile, an e-mail, a car) weighs much.
const (
	prior           = -4.0
	wTaxID          = 12.0
	wDMSCode        = 8.0
	wEmail          = 4.0
	wMobile         = 3.0
	wLandline       = 1.0
	wSwitchboard    = 3.0 // a company's landline is its own
	wPhoneTail      = 2.0
	wContactOf      = 5.0
	wVIN            = 3.5
	wPlate          = 3.0
	wAddress        = 1.0
	wBuilding       = 0.25
	wBirthDate      = 3.5
	wSameName       = 3.0
	wSimilarName    = 2.0
	wLooseName      = 0.5
	wOtherTaxID     = -12.0
	wOtherBirthDate = -6.0
	wOtherGen       = -6.0
	wOtherName      = -5.0
	wUnlikeName     = -2.0
	wHousehold      = 0.6 // taken off when a landline and an address are both shared
)

// evidence gathers the weighted reasons of a pair.
type evidence struct {
	sum     float64
	reasons []weighed
}

type weighed struct {
	r Reason
	w float64
}

func (e *evidence) add(r Reason, w float64) {
	e.sum += w
	if i := slices.IndexFunc(e.reasons, func(x weighed) bool { return x.r == r }); i >= 0 {
		if math.Abs(w) > math.Abs(e.reasons[i].w) {
			e.reasons[i].w = w
		}
		return
	}
	e.reasons = append(e.reasons, weighed{r, w})
}

// Compare scores a pair of records of one tenant.
func Compare(a, b *customer.Customer) Match {
	if a == nil || b == nil {
		return Match{Reasons: []Reason{}}
	}
	e := evidence{sum: prior}
	switch {
	case a.TaxID.IsZero() || b.TaxID.IsZero():
	case a.TaxID == b.TaxID:
		e.add(SameTaxID, wTaxID)
	case a.Kind == b.Kind:
		e.add(OtherTaxID, wOtherTaxID)
	}
	if a.DMSCode != "" && strings.EqualFold(strings.TrimSpace(a.DMSCode), strings.TrimSpace(b.DMSCode)) {
		e.add(SameDMSCode, wDMSCode)
	}
	if a.Kind != b.Kind {
		contactOf(&e, a, b)
		contactOf(&e, b, a)
		return e.match()
	}
	aMail, bMail := a.Emails, b.Emails
	aTel, bTel := a.Phones, b.Phones
	if a.Kind == customer.Company {
		// A company's buyer is reached through its contacts: the prospect
		// a buyer leaves at the showroom carries the buyer's phone.
		aMail, aTel = withContacts(a)
		bMail, bTel = withContacts(b)
	}
	for _, x := range aMail {
		if slices.ContainsFunc(bMail, func(y contact.Email) bool { return mailbox(x) == mailbox(y) }) {
			e.add(SameEmail, wEmail)
		}
	}
	landline := phones(&e, aTel, bTel, a.Kind == customer.Company)
	notedPhones(&e, a, b)
	notedPhones(&e, b, a)
	vehicles(&e, a, b)
	if addresses(&e, a, b) && landline {
		// A shared landline and a shared address are one piece of
		// evidence twice: a household, not a person.
		e.sum -= wHousehold
	}
	if !a.BirthDate.IsZero() && !b.BirthDate.IsZero() {
		if a.BirthDate == b.BirthDate {
			e.add(SameBirthDate, wBirthDate)
		} else {
			e.add(OtherBirthDate, wOtherBirthDate)
		}
	}
	nameEvidence(&e, a, b)
	return e.match()
}

// notedPhones weighs a phone one record keeps in its notes (an old record
// that wrote the mobile there before the ninth digit) against the other's
// phones, by their last eight digits.
func notedPhones(e *evidence, a, b *customer.Customer) {
	if a.Notes == "" || len(b.Phones) == 0 {
		return
	}
	for _, run := range strings.FieldsFunc(a.Notes, func(r rune) bool { return (r < '0' || r > '9') && r != '-' && r != ' ' && r != '.' }) {
		d := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, run)
		if len(d) < 8 || len(d) > 13 {
			continue
		}
		tail := d[len(d)-8:]
		for _, p := range b.Phones {
			if customer.PhoneTail(p) == tail {
				e.add(SamePhoneTail, wPhoneTail)
			}
		}
	}
}

// withContacts returns a company's e-mails and phones with its contacts'.
func withContacts(c *customer.Customer) ([]contact.Email, []contact.Phone) {
	mails, tels := slices.Clone(c.Emails), slices.Clone(c.Phones)
	for _, ct := range c.Contacts {
		if !ct.Email.IsZero() {
			mails = append(mails, ct.Email)
		}
		tels = append(tels, ct.Phones...)
	}
	return mails, tels
}

// mailbox returns the mailbox an e-mail reaches: for Gmail, whose
// addresses ignore dots and a "+tag" in the local part, without them.
func mailbox(e contact.Email) string {
	s := e.String()
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return s
	}
	local, domain := s[:at], s[at+1:]
	if domain != "gmail.com" && domain != "googlemail.com" {
		return s
	}
	if plus := strings.IndexByte(local, '+'); plus >= 0 {
		local = local[:plus]
	}
	return strings.ReplaceAll(local, ".", "") + "@gmail.com"
}

// match turns the evidence into a score and its reasons, strongest first.
func (e *evidence) match() Match {
	slices.SortStableFunc(e.reasons, func(x, y weighed) int {
		switch ax, ay := math.Abs(x.w), math.Abs(y.w); {
		case ax > ay:
			return -1
		case ax < ay:
			return 1
		}
		return 0
	})
	m := Match{Score: 1 / (1 + math.Exp(-e.sum)), Reasons: make([]Reason, len(e.reasons))}
	m.Score = math.Round(m.Score*1000) / 1000
	for i, r := range e.reasons {
		m.Reasons[i] = r.r
	}
	return m
}

// phones weighs the phones two records share: the same number (a mobile
// more than a landline, which a household shares), else the same last
// eight digits.
func phones(e *evidence, a, b []contact.Phone, company bool) (landline bool) {
	for _, x := range a {
		for _, y := range b {
			switch {
			case x.Main() == y.Main():
				switch {
				case x.Kind() == contact.Mobile:
					e.add(SamePhone, wMobile)
				case company:
					e.add(SamePhone, wSwitchboard)
				default:
					e.add(SamePhone, wLandline)
					landline = true
				}
			case customer.PhoneTail(x) != "" && customer.PhoneTail(x) == customer.PhoneTail(y):
				e.add(SamePhoneTail, wPhoneTail)
			}
		}
	}
	return landline
}

// vehicles weighs a vehicle both records hold: by VIN, else by plate.
func vehicles(e *evidence, a, b *customer.Customer) {
	for _, x := range a.Assets {
		for _, y := range b.Assets {
			switch {
			case !x.VIN.IsZero() && x.VIN == y.VIN:
				e.add(SameVehicle, wVIN)
			case !x.Plate.IsZero() && !y.Plate.IsZero() && x.Plate.Mercosul() == y.Plate.Mercosul():
				e.add(SameVehicle, wPlate)
			}
		}
	}
}

// addresses weighs an address both records hold: the same home, or only
// the same building (another complement).
func addresses(e *evidence, a, b *customer.Customer) (home bool) {
	for _, x := range a.Addresses {
		for _, y := range b.Addresses {
			if x.CEP != y.CEP || squeeze(x.Number) != squeeze(y.Number) {
				continue
			}
			if sameComplement(x.Complement, y.Complement) {
				e.add(SameAddress, wAddress)
				home = true
			} else {
				e.add(SameAddress, wBuilding)
			}
		}
	}
	return home
}

// sameComplement reports whether two complements name one home: the same
// text, or the same numbers ("Apto 301" and "ap. 301").
func sameComplement(x, y string) bool {
	if squeeze(x) == squeeze(y) {
		return true
	}
	dx, dy := digits(x), digits(y)
	return dx != "" && dx == dy
}

// digits returns the runs of digits of s, space-separated.
func digits(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r < '0' || r > '9' }), " ")
}

// nameEvidence weighs how alike the names are, a company's trade name
// included, and the generation suffix of a person's.
func nameEvidence(e *evidence, a, b *customer.Customer) {
	company := a.Kind == customer.Company
	an, bn := names.Parse(a.Name, company), names.Parse(b.Name, company)
	sim := Similarity(an, bn)
	if company {
		for _, x := range []string{a.Name, a.TradeName} {
			for _, y := range []string{b.Name, b.TradeName} {
				if x != "" && y != "" {
					sim = max(sim, Similarity(names.Parse(x, true), names.Parse(y, true)))
				}
			}
		}
	}
	switch {
	case sim >= 0.99:
		e.add(SameName, wSameName)
	case sim >= 0.8:
		e.add(SimilarName, wSimilarName)
	case sim >= 0.7:
		e.add(SimilarName, wLooseName)
	case sim < 0.5:
		e.add(OtherName, wOtherName)
	default:
		e.add(OtherName, wUnlikeName)
	}
	// A father and his son are never born on the same day: with the same
	// birth date, a "Filho" on one record only is a slip of the typist.
	sameDay := !a.BirthDate.IsZero() && a.BirthDate == b.BirthDate
	if !company && an.Suffix != bn.Suffix && !sameDay {
		e.add(OtherGeneration, wOtherGen)
	}
}

// contactOf weighs a person (p) who has the name and a phone or e-mail of
// a company's (co) contact: the fleet manager registered as an individual.
func contactOf(e *evidence, p, co *customer.Customer) {
	if p.Kind != customer.Individual || co.Kind != customer.Company {
		return
	}
	pn := names.Parse(p.Name, false)
	for _, ct := range co.Contacts {
		shared := !ct.Email.IsZero() && slices.Contains(p.Emails, ct.Email)
		for _, x := range ct.Phones {
			shared = shared || slices.ContainsFunc(p.Phones, func(y contact.Phone) bool { return x.Main() == y.Main() })
		}
		if shared && Similarity(pn, names.Parse(ct.Name, false)) >= 0.85 {
			e.add(ContactOf, wContactOf)
		}
	}
}

// Similarity returns how alike two names are, from 0 to 1: the words of
// the shorter name each matched to a word of the other (the same word; an
// initial and a word it begins; an abbreviation and the word it cuts; a
// typo), with a little less for words only one name has, and much less
// when the given names differ, unless one name was written surname first.
func Similarity(a, b names.Name) float64 {
	x, y := a.Words[:min(len(a.Words), maxWords)], b.Words[:min(len(b.Words), maxWords)]
	if len(x) == 0 || len(y) == 0 {
		return 0
	}
	sim := align(x, y)
	if len(x) == len(y) {
		// Matching greedily from either side can differ: the better of
		// the two keeps the score the same whichever record comes first.
		sim = max(sim, align(y, x))
	}
	// The given names must agree (or one name be written surname first):
	// Maria and Ana Oliveira are two people, and so are Gabriel and
	// Gabriela. A company's first words compare as any others.
	given := givenSim
	if a.Company || b.Company {
		given = wordSim
	}
	if given(x[0], y[0]) < 0.8 && given(x[0], y[len(y)-1]) < 0.8 && given(x[len(x)-1], y[0]) < 0.8 {
		sim *= 0.6
	}
	if a.Company || b.Company {
		return sim
	}
	return sim
}

// maxWords is how many words of a name are compared: enough for any real
// name, and a bound on the cost of a pathological one.
const maxWords = 12

// givenSim returns how alike two given names are, more strictly than
// other words: the same name, an initial, a short form (three letters at
// most), a spelling of the same name, or a typo that keeps the ending,
// which carries the name (Cristiane and Cristina, Márcia and Márcio,
// Gabriel and Gabriela differ there).
func givenSim(x, y string) float64 {
	switch {
	case x == "" || y == "":
		return 0
	case x == y, spelling[x] != "" && spelling[x] == spelling[y], spelling[x] == y, spelling[y] == x:
		return 1
	case len(x) == 1 || len(y) == 1:
		if x[0] == y[0] {
			return 0.8
		}
		return 0
	case len(x) <= 3 && strings.HasPrefix(y, x), len(y) <= 3 && strings.HasPrefix(x, y):
		return 0.85
	case len(x) < 3 || len(y) < 3 || x[len(x)-2:] != y[len(y)-2:]:
		return 0
	}
	if jw := jaroWinkler(x, y); jw >= 0.9 {
		return jw * 0.95
	}
	return 0
}

// spelling maps the spellings of a given name to one: Luis and Luiz,
// Tiago and Thiago are one name.
var spelling = map[string]string{"luis": "luiz", "thiago": "tiago", "filipe": "felipe", "matheus": "mateus",
	"raphael": "rafael", "walter": "valter", "vitor": "victor", "luisa": "luiza", "thais": "tais",
	"isabella": "isabela", "kleber": "cleber", "wagner": "vagner"}

// align matches each word of the shorter list to the most alike unused
// word of the other, in order, and returns the mean, lowered a little for
// the words only the longer list has.
func align(x, y []string) float64 {
	if len(x) > len(y) {
		x, y = y, x
	}
	used := make([]bool, len(y))
	var sum float64
	for _, w := range x {
		best, at := 0.0, -1
		for j, v := range y {
			if s := wordSim(w, v); !used[j] && s > best {
				best, at = s, j
			}
		}
		if at >= 0 {
			used[at] = true
			sum += best
		}
	}
	return sum / float64(len(x)) * (0.8 + 0.2*float64(len(x))/float64(len(y)))
}

// wordSim returns how alike two words of names are.
func wordSim(x, y string) float64 {
	switch {
	case x == "" || y == "":
		return 0
	case x == y:
		return 1
	case len(x) == 1 || len(y) == 1:
		if x[0] == y[0] {
			return 0.8
		}
		return 0
	case len(x) >= 3 && strings.HasPrefix(y, x), len(y) >= 3 && strings.HasPrefix(x, y):
		return 0.85
	case genderPair(x, y):
		return 0
	}
	if jw := jaroWinkler(x, y); jw >= 0.88 {
		return jw * 0.95
	}
	return 0
}

// genderPair reports whether two given names differ only in a final "a"
// or "o", or a final "a" added: Márcia and Márcio, Paula and Paulo,
// Gabriel and Gabriela are two people.
func genderPair(x, y string) bool {
	if len(x) > len(y) {
		x, y = y, x
	}
	if len(y) == len(x)+1 && y[len(y)-1] == 'a' && strings.HasPrefix(y, x) {
		return true // Gabriel and Gabriela, Daniel and Daniela
	}
	if len(x) != len(y) || x[:len(x)-1] != y[:len(y)-1] {
		return false
	}
	a, b := x[len(x)-1], y[len(y)-1]
	return a == 'a' && b == 'o' || a == 'o' && b == 'a'
}

// jaroWinkler returns the Jaro-Winkler similarity of two words.
func jaroWinkler(s, t string) float64 {
	a, b := []rune(s), []rune(t)
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	window := max(len(a), len(b))/2 - 1
	window = max(window, 0)
	am, bm := make([]bool, len(a)), make([]bool, len(b))
	matches := 0
	for i := range a {
		for j := max(0, i-window); j < min(len(b), i+window+1); j++ {
			if !bm[j] && a[i] == b[j] {
				am[i], bm[j] = true, true
				matches++
				break
			}
		}
	}
	if matches == 0 {
		return 0
	}
	transpositions, k := 0, 0
	for i := range a {
		if !am[i] {
			continue
		}
		for !bm[k] {
			k++
		}
		if a[i] != b[k] {
			transpositions++
		}
		k++
	}
	m := float64(matches)
	jaro := (m/float64(len(a)) + m/float64(len(b)) + (m-float64(transpositions)/2)/m) / 3
	prefix := 0
	for prefix < min(4, len(a), len(b)) && a[prefix] == b[prefix] {
		prefix++
	}
	return jaro + float64(prefix)*0.1*(1-jaro)
}
