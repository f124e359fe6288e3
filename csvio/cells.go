package csvio

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/customer/info"
	"github.com/fichacrm/ficha/date"
	"github.com/fichacrm/ficha/internal/money"
	"github.com/fichacrm/ficha/reference"
	"github.com/fichacrm/ficha/validation"
)

// This file reads and writes the cells whose form is the file's own: the
// words for kinds, statuses, purposes and days, amounts in the Brazilian
// form, and the masked card. Identifiers are read by their packages'
// parsers; what a value must be to be valid is validation's to say.

// Words export writes.
const (
	vehicleDescription = "Veículo" // the description of a vehicle that has none
	yes                = "Sim"
)

// words maps the words a cell may hold to a value: by their normalised
// forms, and by the words export writes as written, which most cells
// hold and which are found without folding.
type words[T any] map[string]T

// newWords returns the words of m, keyed by normalised forms, with the
// words export writes for its values.
func newWords[T any](m map[string]T, exported func(T) string) words[T] {
	w := words[T]{}
	for k, v := range m {
		w[k] = v
		if e := exported(v); e != "" {
			w[e] = v
		}
	}
	return w
}

func (w words[T]) parse(s string, err error) (T, error) {
	if v, ok := w[s]; ok {
		return v, nil
	}
	if v, ok := w[normalize(s)]; ok {
		return v, nil
	}
	var zero T
	return zero, err
}

var kindWords = newWords(map[string]customer.Kind{
	"pessoafisica": customer.Individual, "fisica": customer.Individual, "pf": customer.Individual,
	"f": customer.Individual, "individual": customer.Individual,
	"pessoajuridica": customer.Company, "juridica": customer.Company, "pj": customer.Company,
	"j": customer.Company, "company": customer.Company, "empresa": customer.Company,
}, kindWord)

func parseKind(s string) (customer.Kind, error) { return kindWords.parse(s, customer.ErrKind) }

func kindWord(k customer.Kind) string {
	switch k {
	case customer.Individual:
		return "Pessoa física"
	case customer.Company:
		return "Pessoa jurídica"
	}
	return ""
}

var statusWords = newWords(map[string]customer.Status{
	"cliente": customer.StatusCustomer, "customer": customer.StatusCustomer,
	"prospect": customer.StatusProspect, "prospecto": customer.StatusProspect, "lead": customer.StatusProspect,
}, statusWord)

func parseStatus(s string) (customer.Status, error) { return statusWords.parse(s, customer.ErrStatus) }

func statusWord(s customer.Status) string {
	switch s {
	case customer.StatusCustomer:
		return "Cliente"
	case customer.StatusProspect:
		return "Prospect"
	}
	return ""
}

var assetKindWords = newWords(map[string]asset.Kind{
	"veiculo": asset.Vehicle, "vehicle": asset.Vehicle, "automovel": asset.Vehicle, "carro": asset.Vehicle,
	"moto": asset.Vehicle, "motocicleta": asset.Vehicle, "caminhao": asset.Vehicle,
	"imovel": asset.RealEstate, "realestate": asset.RealEstate, "casa": asset.RealEstate,
	"apartamento": asset.RealEstate, "terreno": asset.RealEstate,
	"outro": asset.Other, "outros": asset.Other, "other": asset.Other,
}, assetKindWord)

func parseAssetKind(s string) (asset.Kind, error) { return assetKindWords.parse(s, asset.ErrKind) }

func assetKindWord(k asset.Kind) string {
	switch k {
	case asset.Vehicle:
		return "Veículo"
	case asset.RealEstate:
		return "Imóvel"
	case asset.Other:
		return "Outro"
	}
	return ""
}

var weekdayWords = newWords(map[string]contact.Weekday{
	"segunda": contact.Monday, "segundafeira": contact.Monday, "seg": contact.Monday, "monday": contact.Monday,
	"terca": contact.Tuesday, "tercafeira": contact.Tuesday, "ter": contact.Tuesday, "tuesday": contact.Tuesday,
	"quarta": contact.Wednesday, "quartafeira": contact.Wednesday, "qua": contact.Wednesday, "wednesday": contact.Wednesday,
	"quinta": contact.Thursday, "quintafeira": contact.Thursday, "qui": contact.Thursday, "thursday": contact.Thursday,
	"sexta": contact.Friday, "sextafeira": contact.Friday, "sex": contact.Friday, "friday": contact.Friday,
	"sabado": contact.Saturday, "sab": contact.Saturday, "saturday": contact.Saturday,
	"domingo": contact.Sunday, "dom": contact.Sunday, "sunday": contact.Sunday,
}, weekdayWord)

func parseWeekday(s string) (contact.Weekday, error) {
	return weekdayWords.parse(s, contact.ErrWeekday)
}

var weekdayNames = [...]string{"", "Segunda-feira", "Terça-feira", "Quarta-feira", "Quinta-feira", "Sexta-feira", "Sábado", "Domingo"}

func weekdayWord(w contact.Weekday) string {
	if int(w) < len(weekdayNames) {
		return weekdayNames[w]
	}
	return ""
}

// parseYesNo reads a yes/no cell as the additional information reads
// one.
func parseYesNo(s string) (bool, error) { return info.ParseYesNo(s) }

// ErrID is the problem of an ID cell that holds no UUID.
var ErrID = validation.NewRule("csv.id", "not a customer ID (a UUID)", "não é um ID de cliente (um UUID)")

func parseID(s string) (uuid.UUID, error) {
	s = strings.TrimSpace(s)
	if len(s) != 36 {
		return uuid.Nil, ErrID
	}
	id, err := uuid.Parse(s)
	if err != nil {
		return uuid.Nil, ErrID
	}
	return id, nil
}

func appendID(b []byte, id uuid.UUID) []byte {
	if id == uuid.Nil {
		return b
	}
	return append(b, id.String()...)
}

// ErrMoney is the problem of an amount cell that holds no amount.
var ErrMoney = validation.NewRule("csv.money", "not an amount in reais, such as 1.234,56", "não é um valor em reais, como 1.234,56")

// parseMoney reads an amount as Brazilians write it, or as a program
// does ("1234.56").
func parseMoney(s string) (decimal.Decimal, error) {
	d, err := money.ParseBrazilian(s)
	switch {
	case errors.Is(err, validation.ErrMoneyRange):
		return decimal.Decimal{}, validation.ErrMoneyRange
	case err != nil:
		return decimal.Decimal{}, ErrMoney
	}
	return d, nil
}

// appendMoney writes an amount as Brazilian spreadsheets read it,
// "1234,56", and nothing for zero.
func appendMoney(b []byte, d decimal.Decimal) ([]byte, error) {
	if d.IsZero() {
		return b, nil
	}
	start := len(b)
	b, err := money.AppendText(b, d)
	if err != nil {
		return b, err
	}
	for i := start; i < len(b); i++ {
		if b[i] == '.' {
			b[i] = ','
		}
	}
	return b, nil
}

// parseUF reads a state by its code ("SP") or its name ("São Paulo").
func parseUF(s string) (address.UF, error) {
	if u, err := address.ParseUF(s); err == nil {
		return u, nil
	}
	n := normalize(s)
	for _, u := range address.UFs() {
		if normalize(u.Name()) == n {
			return u, nil
		}
	}
	return 0, address.ErrUF
}

var purposeWords = newWords(map[string]address.Purpose{
	"correspondencia": address.Correspondence, "correspondence": address.Correspondence, "correio": address.Correspondence,
	"cobranca": address.Billing, "billing": address.Billing,
}, func(p address.Purpose) string { return string(appendPurposes(nil, p)) })

// parsePurposes reads the purposes of an address: words such as
// "Correspondência, Cobrança" or "correspondência e cobrança".
func parsePurposes(s string) (address.Purpose, error) {
	var p address.Purpose
	for w := range strings.FieldsFuncSeq(s, func(r rune) bool { return r == ',' || r == ';' || r == '/' || r == '+' || r == ' ' }) {
		switch w {
		case "e", "E", "and":
		default:
			v, err := purposeWords.parse(w, address.ErrPurpose)
			if err != nil {
				return 0, err
			}
			p |= v
		}
	}
	return p, nil
}

func appendPurposes(b []byte, p address.Purpose) []byte {
	if p.Has(address.Correspondence) {
		b = append(b, "Correspondência"...)
	}
	if p.Has(address.Billing) {
		if p.Has(address.Correspondence) {
			b = append(b, ", "...)
		}
		b = append(b, "Cobrança"...)
	}
	return b
}

// parseYear reads a year: digits only.
func parseYear(s string) (int, error) {
	s = strings.TrimSpace(s)
	if len(s) == 0 || len(s) > 9 {
		return 0, asset.ErrYear
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, asset.ErrYear
		}
	}
	y, _ := strconv.Atoi(s)
	return y, nil
}

// splitCodes splits a cell of service-order codes, separated by spaces,
// commas or semicolons.
func splitCodes(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	})
}

// splitPhones splits a cell of a contact's phones, separated by slashes,
// commas or semicolons: "(11) 91234-5678 / (11) 3030-4040".
func splitPhones(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == ',' || r == ';' })
	out := parts[:0]
	for _, p := range parts {
		if !validation.IsBlank(p) {
			out = append(out, p)
		}
	}
	return out
}

// parseBirthday reads a birthday: day and month ("29/02"), or day,
// month and year as a date.
func parseBirthday(s string) (contact.Birthday, error) {
	if d, err := date.ParseBrazilian(s); err == nil {
		return contact.Birthday{Day: d.Day, Month: d.Month, Year: d.Year}, nil
	}
	day, month, ok := strings.Cut(strings.TrimSpace(s), "/")
	d, okD := smallNumber(day)
	m, okM := smallNumber(month)
	b := contact.Birthday{Day: d, Month: time.Month(m)}
	if !ok || !okD || !okM || !b.IsValid() {
		return contact.Birthday{}, contact.ErrBirthday
	}
	return b, nil
}

// smallNumber reads one or two digits.
func smallNumber(s string) (int, bool) {
	if len(s) < 1 || len(s) > 2 || !isDigit(s[0]) || !isDigit(s[len(s)-1]) {
		return 0, false
	}
	n, _ := strconv.Atoi(s)
	return n, true
}

func appendBirthday(b []byte, bd contact.Birthday) []byte {
	if bd.IsZero() {
		return b
	}
	b = append2(b, bd.Day)
	b = append(b, '/')
	b = append2(b, int(bd.Month))
	if bd.Year != 0 {
		b = append(b, '/')
		for y := 1000; y > 1 && bd.Year < y; y /= 10 {
			b = append(b, '0')
		}
		b = strconv.AppendInt(b, int64(bd.Year), 10)
	}
	return b
}

// append2 appends n with at least two digits.
func append2(b []byte, n int) []byte {
	if n >= 0 && n < 10 {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, int64(n), 10)
}

// parseHour reads a whole hour: "9", "09", "9h", "09:00", "9h00".
func parseHour(s string) (contact.Hour, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	n := 0
	for n < len(s) && n < 3 && isDigit(s[n]) {
		n++
	}
	h, ok := smallNumber(s[:n])
	switch rest := s[n:]; {
	case !ok:
	case rest == "", rest == "h", rest == "h00", rest == ":00", rest == ":00:00":
		if h <= 23 {
			return contact.At(h), nil
		}
	}
	return contact.Hour{}, contact.ErrHour
}

// parseExpiry reads a card's expiry: "12/2029", "12/29", "1/2030".
func parseExpiry(s string) (reference.Expiry, error) {
	month, year, ok := strings.Cut(strings.TrimSpace(s), "/")
	m, okM := smallNumber(month)
	y, err := strconv.Atoi(year)
	switch {
	case !ok || !okM || err != nil || year[0] < '0' || year[0] > '9':
		return reference.Expiry{}, reference.ErrCardExpiry
	case len(year) == 2:
		y += 2000
	case len(year) != 4:
		return reference.Expiry{}, reference.ErrCardExpiry
	}
	e := reference.Expiry{Month: time.Month(m), Year: y}
	if !e.IsValid() {
		return reference.Expiry{}, reference.ErrCardExpiry
	}
	return e, nil
}

// maskRunes are the characters that hide a card's middle digits.
const maskRunes = "*•xX#"

// appendMaskedCard writes the kept digits of a card around a mask:
// "555555******4444".
func appendMaskedCard(b []byte, c reference.Card) []byte {
	if c.Last4() == "" {
		return b
	}
	b = append(b, c.BIN()...)
	b = append(b, "******"...)
	return append(b, c.Last4()...)
}

// cardParts holds a card's brand and number cells while its other cells
// are read.
type cardParts struct {
	brand, number       string
	brandCol, numberCol int
}

// build makes the card of the parts into *card, keeping the holder,
// expiry and token read into it: a full number through
// reference.ParseCard, which keeps only its brand, first six and last four
// digits; a masked number ("555555******4444") and a brand through
// reference.RestoreCard.
func (p *cardParts) build(d *decoder, card *reference.Card) {
	defer func() { *p = cardParts{} }()
	if validation.IsBlank(p.number) && validation.IsBlank(p.brand) {
		return
	}
	var kept reference.Card
	var err error
	col := p.numberCol
	switch {
	case validation.IsBlank(p.number):
		col = p.brandCol
		err = reference.ErrCardMasked
	case strings.ContainsAny(p.number, maskRunes):
		kept, err = restoreMasked(p.brand, p.number)
	default:
		kept, err = reference.ParseCard(p.number)
	}
	if err != nil {
		d.failCell(col, -1, err)
		return
	}
	kept.Holder, kept.Expiry, kept.Token = card.Holder, card.Expiry, card.Token
	*card = kept
}

// restoreMasked reads a masked number, six digits, mask characters and
// four digits (spaces, dots and dashes ignored), with its brand.
func restoreMasked(brand, number string) (reference.Card, error) {
	b, err := reference.ParseBrand(normalize(brand))
	if err != nil {
		return reference.Card{}, reference.ErrCardMasked
	}
	var digits [2][]byte
	part := 0
	for _, r := range number {
		switch {
		case r >= '0' && r <= '9':
			if part == 1 {
				part = 2
			}
			if part == 3 {
				return reference.Card{}, reference.ErrCardMasked
			}
			digits[part/2] = utf8.AppendRune(digits[part/2], r)
		case strings.ContainsRune(maskRunes, r):
			switch part {
			case 0:
				part = 1
			case 2:
				part = 3 // mask after the last digits
			}
		case r == ' ' || r == '.' || r == '-':
		default:
			return reference.Card{}, reference.ErrCardMasked
		}
	}
	if part != 2 {
		return reference.Card{}, reference.ErrCardMasked
	}
	return reference.RestoreCard(b, string(digits[0]), string(digits[1]))
}
