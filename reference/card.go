package reference

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/fichacrm/ficha/internal/ident"
	"github.com/fichacrm/ficha/internal/luhn"
	"github.com/fichacrm/ficha/validation"
)

// Errors returned by [ParseCard] and card validation. None of them carries
// any digit of the card.
var (
	ErrCardLength  = validation.NewRule("card.length", "a card number has 13 to 19 digits", "o número do cartão tem de 13 a 19 dígitos")
	ErrCardChar    = validation.NewRule("card.invalid", "a card number holds only digits, spaces and dashes", "o número do cartão contém apenas dígitos, espaços e hífens")
	ErrCardLuhn    = validation.NewRule("card.check_digit", "the card number's check digit does not match", "o dígito verificador do cartão não confere")
	ErrCardMasked  = validation.NewRule("card.masked", "a stored card needs its brand, first six and last four digits", "um cartão guardado precisa da bandeira e dos seis primeiros e quatro últimos dígitos")
	ErrCardExpiry  = validation.NewRule("card.expiry", "not a valid expiry month and year", "mês e ano de validade inválidos")
	ErrCardExpired = validation.NewRule("card.expired", "this card has expired", "este cartão está vencido")
)

// Brand is a card network.
type Brand uint8

// The card brands Ficha recognises.
const (
	OtherBrand Brand = iota + 1 // a Luhn-valid number of no listed brand
	Visa
	Mastercard
	Amex
	Elo
	Hipercard
	Diners
	Discover
	JCB
)

var brandNames = [...]string{"", "other", "visa", "mastercard", "amex", "elo", "hipercard", "diners", "discover", "jcb"}

// String returns the brand's lower-case name, such as "visa" or "other".
func (b Brand) String() string {
	if int(b) < len(brandNames) {
		return brandNames[b]
	}
	return ""
}

// ParseBrand parses a name written by [Brand.String].
func ParseBrand(s string) (Brand, error) {
	for i, n := range brandNames {
		if i > 0 && n == s {
			return Brand(i), nil
		}
	}
	return 0, ErrCardMasked
}

// MarshalText implements [encoding.TextMarshaler]: the zero Brand is "",
// and a value that is no brand is an error.
func (b Brand) MarshalText() ([]byte, error) {
	if int(b) >= len(brandNames) {
		return nil, ErrCardMasked
	}
	return []byte(brandNames[b]), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler]; "" is the zero
// Brand.
func (b *Brand) UnmarshalText(t []byte) error {
	if len(t) == 0 {
		*b = 0
		return nil
	}
	v, err := ParseBrand(string(t))
	if err != nil {
		return err
	}
	*b = v
	return nil
}

type span struct{ lo, hi int }

// Brand ranges by six-digit prefix; prefixes shorter than six are widened
// to the six-digit span they cover. Brazilian brands sit inside others'
// ranges, so the table is searched in order, most specific first.
var brandRanges = []struct {
	brand Brand
	spans []span
}{
	{Elo, []span{{401178, 401179}, {431274, 431274}, {438935, 438935}, {451416, 451416}, {457393, 457393},
		{457631, 457632}, {504175, 504175}, {506699, 506778}, {509000, 509999}, {627780, 627780},
		{636297, 636297}, {636368, 636369}, {650031, 650033}, {650035, 650051}, {650405, 650439},
		{650485, 650538}, {650541, 650598}, {650700, 650718}, {650720, 650727}, {650901, 650920},
		{651652, 651679}, {655000, 655019}, {655021, 655058}}},
	{Hipercard, []span{{606282, 606282}, {384100, 384100}, {384140, 384140}, {384160, 384160}, {637095, 637095},
		{637568, 637568}, {637599, 637599}, {637609, 637609}, {637612, 637612}}},
	{Amex, []span{{340000, 349999}, {370000, 379999}}},
	{Diners, []span{{300000, 305999}, {309500, 309599}, {360000, 369999}, {380000, 399999}}},
	{Discover, []span{{601100, 601199}, {622126, 622925}, {644000, 659999}}},
	{JCB, []span{{352800, 358999}}},
	{Mastercard, []span{{510000, 559999}, {222100, 272099}}},
	{Visa, []span{{400000, 499999}}},
}

func brandOf(bin int) Brand {
	for _, r := range brandRanges {
		for _, s := range r.spans {
			if bin >= s.lo && bin <= s.hi {
				return r.brand
			}
		}
	}
	return OtherBrand
}

// Expiry is a card's expiry month and year. The zero value is no expiry.
type Expiry struct {
	Month time.Month `json:"month"`
	Year  int        `json:"year"`
}

// IsZero reports whether e is unset.
func (e Expiry) IsZero() bool { return e == Expiry{} }

// IsValid reports whether e is a month of a year from 2000 to 2099, the
// years a card in use can expire in.
func (e Expiry) IsValid() bool {
	return e.Month >= time.January && e.Month <= time.December && e.Year >= 2000 && e.Year <= 2099
}

// Expired reports whether the card is past its expiry at t: a card is
// good through the last day of its expiry month.
func (e Expiry) Expired(t time.Time) bool {
	y, m, _ := t.Date()
	return y > e.Year || y == e.Year && m > e.Month
}

// String returns the expiry as MM/YYYY, or "".
func (e Expiry) String() string {
	if e.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d/%04d", e.Month, e.Year)
}

// Card is a payment card a customer holds, kept as PCI DSS allows: the
// brand, the first six digits (BIN), the last four, the holder's name, the
// expiry and an optional gateway token. The full number is read once by
// [ParseCard] and forgotten; there is no field for the security code. Every
// printed or encoded form shows at most the last four digits, except
// [Card.BIN] and the JSON and database forms, which carry the BIN as PCI DSS
// permits. The zero value is no card.
type Card struct {
	brand Brand
	bin   string
	last4 string

	Holder string `json:"holder"`
	Expiry Expiry `json:"expiry"`
	Token  string `json:"token,omitempty"` // a payment gateway's token, if the host has one
}

// ParseCard reads a card number (digits, optionally split by spaces or
// dashes), checks its length and Luhn digit, finds its brand, and returns a
// Card that keeps only the brand, the first six and the last four digits.
func ParseCard(number string) (Card, error) {
	number = ident.TrimSpace(number)
	var buf [19]byte
	n := 0
	for i := 0; i < len(number); i++ {
		c := number[i]
		switch {
		case c >= '0' && c <= '9':
			if n == len(buf) {
				return Card{}, ErrCardLength
			}
			buf[n] = c
			n++
		case c == ' ' || c == '-':
		default:
			return Card{}, ErrCardChar
		}
	}
	d := buf[:n]
	if n < 13 {
		return Card{}, ErrCardLength
	}
	if !luhn.Valid(d) {
		return Card{}, ErrCardLuhn
	}
	bin, _ := strconv.Atoi(string(d[:6]))
	return Card{brand: brandOf(bin), bin: string(d[:6]), last4: string(d[n-4:])}, nil
}

// NewCard parses number as [ParseCard] does and completes the card with
// its holder and expiry, refusing a card already expired at now: that is
// how a card is taken at the counter.
func NewCard(number, holder string, exp Expiry, now time.Time) (Card, error) {
	c, err := ParseCard(number)
	if err != nil {
		return Card{}, err
	}
	if !exp.IsValid() {
		return Card{}, ErrCardExpiry
	}
	if exp.Expired(now) {
		return Card{}, ErrCardExpired
	}
	c.Holder, c.Expiry = holder, exp
	return c, nil
}

// RestoreCard rebuilds a card from its kept parts, as a storage adapter
// reads them back. It checks their shape only.
func RestoreCard(brand Brand, bin, last4 string) (Card, error) {
	if brand < OtherBrand || brand > JCB || len(bin) != 6 || len(last4) != 4 ||
		!allDigits(bin) || !allDigits(last4) {
		return Card{}, ErrCardMasked
	}
	return Card{brand: brand, bin: bin, last4: last4}, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// IsZero reports whether c is the zero value.
func (c Card) IsZero() bool {
	return c.brand == 0 && c.bin == "" && c.last4 == "" && c.Holder == "" && c.Expiry.IsZero() && c.Token == ""
}

// Brand returns the card's brand.
func (c Card) Brand() Brand { return c.brand }

// BIN returns the first six digits, which identify the issuer.
func (c Card) BIN() string { return c.bin }

// Last4 returns the last four digits.
func (c Card) Last4() string { return c.last4 }

// Masked returns the number as it may be shown: "•••• 1111".
func (c Card) Masked() string {
	if c.last4 == "" {
		return ""
	}
	return "•••• " + c.last4
}

// String returns the brand and the masked number, "visa •••• 1111".
func (c Card) String() string {
	if c.last4 == "" {
		return ""
	}
	return c.brand.String() + " " + c.Masked()
}

// GoString keeps %#v from printing the card's digits field by field.
func (c Card) GoString() string { return "reference.Card{" + strconv.Quote(c.String()) + "}" }

// Format implements [fmt.Formatter] so that every verb (%v, %+v, %#v, %s,
// %q) prints at most the masked number.
func (c Card) Format(f fmt.State, verb rune) {
	switch {
	case verb == 'v' && f.Flag('#'):
		_, _ = f.Write([]byte(c.GoString()))
	case verb == 'q':
		_, _ = f.Write([]byte(strconv.Quote(c.String())))
	default:
		_, _ = f.Write([]byte(c.String()))
	}
}

// Validate reports every failed field of c with paths relative to the card.
// It checks shape, not expiry against today: a card stored last year may
// have expired since, and that is no reason to refuse the rest of the
// record. It returns nil or an [*validation.Error].
func (c Card) Validate() error {
	var v validation.Error
	if _, err := RestoreCard(c.brand, c.bin, c.last4); err != nil {
		v.Add("number", err)
	}
	v.Text("holder", c.Holder, validation.Line, false)
	if !c.Expiry.IsZero() && !c.Expiry.IsValid() {
		v.Add("expiry", ErrCardExpiry)
	}
	v.Text("token", c.Token, validation.Line, false)
	return v.Err()
}

type cardJSON struct {
	Brand  Brand  `json:"brand,omitzero"`
	BIN    string `json:"bin,omitempty"`
	Last4  string `json:"last4,omitempty"`
	Number string `json:"number,omitempty"` // accepted on decode only
	Holder string `json:"holder,omitempty"`
	Expiry Expiry `json:"expiry,omitzero"`
	Token  string `json:"token,omitempty"`
}

// MarshalJSON encodes the kept parts: brand, bin, last4, holder, expiry and
// token. The full number is not there to encode.
func (c Card) MarshalJSON() ([]byte, error) {
	return json.Marshal(cardJSON{Brand: c.brand, BIN: c.bin, Last4: c.last4, Holder: c.Holder, Expiry: c.Expiry, Token: c.Token})
}

// UnmarshalJSON decodes the form written by MarshalJSON, or a "number" as a
// host UI sends it, which is parsed with [ParseCard] and forgotten.
func (c *Card) UnmarshalJSON(b []byte) error {
	var j cardJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	var card Card
	var err error
	if j.Number != "" {
		card, err = ParseCard(j.Number)
	} else if j.Brand != 0 || j.BIN != "" || j.Last4 != "" {
		card, err = RestoreCard(j.Brand, j.BIN, j.Last4)
	}
	if err != nil {
		return err
	}
	card.Holder, card.Expiry, card.Token = j.Holder, j.Expiry, j.Token
	*c = card
	return nil
}
