package httpapi

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/internal/money"
	"github.com/fichacrm/ficha/reference"
	"github.com/fichacrm/ficha/validation"
)

// The request types mirror the customer's JSON with every identifier, date
// and amount as raw text, so that decoding never stops at one bad value:
// each is parsed on its own, and every failure is listed. A test holds
// them to the customer's JSON, field for field.

// customerIn is the body of POST and PUT /customers.
type customerIn struct {
	ID                 string            `json:"id"`
	Kind               string            `json:"kind"`
	Status             string            `json:"status"`
	Version            json.RawMessage   `json:"version"` // the store's: ignored
	Name               string            `json:"name"`
	TradeName          string            `json:"trade_name"`
	TaxID              string            `json:"tax_id"`
	Employer           string            `json:"employer"`
	BirthDate          string            `json:"birth_date"`
	Phones             []string          `json:"phones"`
	Emails             []string          `json:"emails"`
	Notes              string            `json:"notes"`
	DMSCode            string            `json:"dms_code"`
	ServiceOrders      []string          `json:"service_orders"`
	Addresses          []addressIn       `json:"addresses"`
	Assets             []assetIn         `json:"assets"`
	PersonalReferences []personalIn      `json:"personal_references"`
	BankReferences     []bankIn          `json:"bank_references"`
	Cards              []cardIn          `json:"cards"`
	Contacts           []contactIn       `json:"contacts"`
	Info               map[string]string `json:"info"`
	CreatedAt          string            `json:"created_at"`
	UpdatedAt          json.RawMessage   `json:"updated_at"` // the store's: ignored
}

type addressIn struct {
	CEP        string `json:"cep"`
	Street     string `json:"street"`
	Number     string `json:"number"`
	Complement string `json:"complement"`
	District   string `json:"district"`
	City       string `json:"city"`
	UF         string `json:"uf"`
	Purposes   string `json:"purposes"`
}

type assetIn struct {
	Description string `json:"description"`
	Kind        string `json:"kind"`
	Year        int    `json:"year"`
	Value       num    `json:"value"`
	Lien        lienIn `json:"lien"`
	VIN         string `json:"vin"`
	Plate       string `json:"plate"`
	RENAVAM     string `json:"renavam"`
}

type lienIn struct {
	Balance    num    `json:"balance"`
	Creditor   string `json:"creditor"`
	PayoffDate string `json:"payoff_date"`
}

type personalIn struct {
	Name  string `json:"name"`
	Phone string `json:"phone"`
	Note  string `json:"note"`
}

type bankIn struct {
	Code         string `json:"code"`
	Branch       string `json:"branch"`
	BranchDigit  string `json:"branch_digit"`
	Account      string `json:"account"`
	AccountDigit string `json:"account_digit"`
}

// cardIn is a card as the customer's JSON writes it (brand, bin, last4),
// or with the full number a host UI sends once, which is parsed and
// forgotten.
type cardIn struct {
	Number string   `json:"number"`
	Brand  string   `json:"brand"`
	BIN    string   `json:"bin"`
	Last4  string   `json:"last4"`
	Holder string   `json:"holder"`
	Expiry expiryIn `json:"expiry"`
	Token  string   `json:"token"`
}

type expiryIn struct {
	Month int `json:"month"`
	Year  int `json:"year"`
}

type contactIn struct {
	Name          string     `json:"name"`
	Role          string     `json:"role"`
	Phones        []string   `json:"phones"`
	Email         string     `json:"email"`
	Birthday      birthdayIn `json:"birthday"`
	FleetManager  bool       `json:"fleet_manager"`
	PreferredDay  string     `json:"preferred_day"`
	PreferredHour *num       `json:"preferred_hour"` // null: no preference
}

type birthdayIn struct {
	Day   int `json:"day"`
	Month int `json:"month"`
	Year  int `json:"year"`
}

// text parses s into the value behind u, recording the failure at path.
// Identifiers go through UnmarshalText, which reads what people type under
// today's rules and the canonical form whatever rules it was written under,
// so that a record read from the API can be sent back as it is.
func text(v *validation.Error, path, s string, u interface{ UnmarshalText([]byte) error }) {
	if err := u.UnmarshalText([]byte(s)); err != nil {
		v.Add(path, err)
	}
}

// customer parses the request into a customer, recording every field that
// fails in v. The result is complete where v is empty.
func (in *customerIn) customer(v *validation.Error) *customer.Customer {
	c := &customer.Customer{
		Name: in.Name, TradeName: in.TradeName, Employer: in.Employer, Notes: in.Notes,
		DMSCode: in.DMSCode, Info: in.Info,
	}
	if in.ID != "" {
		id, err := uuid.Parse(in.ID)
		if err != nil || len(in.ID) != 36 {
			v.Add("id", validation.ErrInvalid)
		}
		c.ID = id
	}
	text(v, "kind", in.Kind, &c.Kind)
	text(v, "status", in.Status, &c.Status)
	text(v, "tax_id", in.TaxID, &c.TaxID)
	text(v, "birth_date", in.BirthDate, &c.BirthDate)
	c.ServiceOrders = each(v, "service_orders", in.ServiceOrders, serviceOrder)
	c.Phones = each(v, "phones", in.Phones, phone)
	c.Emails = each(v, "emails", in.Emails, email)
	if in.CreatedAt != "" {
		t, err := time.Parse(time.RFC3339Nano, in.CreatedAt)
		if err != nil {
			v.Add("created_at", validation.ErrInvalid)
		}
		c.CreatedAt = t
	}
	c.Addresses = each(v, "addresses", in.Addresses, addressIn.address)
	c.Assets = each(v, "assets", in.Assets, assetIn.asset)
	c.PersonalReferences = each(v, "personal_references", in.PersonalReferences, personalIn.personal)
	c.BankReferences = each(v, "bank_references", in.BankReferences, bankIn.bank)
	c.Cards = each(v, "cards", in.Cards, cardIn.card)
	c.Contacts = each(v, "contacts", in.Contacts, contactIn.contact)
	return c
}

// each reads every entry of a list at path with read, which records what
// fails in v under the entry's own path ("addresses[2]"). A nil list stays
// nil.
func each[In, Out any](v *validation.Error, path string, in []In, read func(In, *validation.Error, string) Out) []Out {
	if in == nil {
		return nil
	}
	out := make([]Out, len(in))
	for i, e := range in {
		out[i] = read(e, v, validation.Index(path, i))
	}
	return out
}

// The readers of one entry of a list: each takes the entry's text as the
// request carries it and its path, and records what fails in v.

func phone(s string, v *validation.Error, path string) contact.Phone {
	var p contact.Phone
	text(v, path, s, &p)
	return p
}

func email(s string, v *validation.Error, path string) contact.Email {
	var e contact.Email
	text(v, path, s, &e)
	return e
}

// serviceOrder is a DMS service-order code, free text that customer
// validation checks.
func serviceOrder(s string, _ *validation.Error, _ string) string { return s }

func (in personalIn) personal(v *validation.Error, path string) reference.Personal {
	r := reference.Personal{Name: in.Name, Note: in.Note}
	text(v, validation.Join(path, "phone"), in.Phone, &r.Phone)
	return r
}

func (in bankIn) bank(_ *validation.Error, _ string) reference.Bank { return reference.Bank(in) }

func (in addressIn) address(v *validation.Error, path string) address.Address {
	a := address.Address{Street: in.Street, Number: in.Number, Complement: in.Complement, District: in.District, City: in.City}
	text(v, validation.Join(path, "cep"), in.CEP, &a.CEP)
	text(v, validation.Join(path, "uf"), in.UF, &a.UF)
	text(v, validation.Join(path, "purposes"), in.Purposes, &a.Purposes)
	return a
}

func (in assetIn) asset(v *validation.Error, path string) asset.Asset {
	a := asset.Asset{Description: in.Description, Year: in.Year, Lien: asset.Lien{Creditor: in.Lien.Creditor}}
	text(v, validation.Join(path, "kind"), in.Kind, &a.Kind)
	a.Value = amount(v, validation.Join(path, "value"), in.Value)
	a.Lien.Balance = amount(v, validation.Join(path, "lien.balance"), in.Lien.Balance)
	text(v, validation.Join(path, "lien.payoff_date"), in.Lien.PayoffDate, &a.Lien.PayoffDate)
	text(v, validation.Join(path, "vin"), in.VIN, &a.VIN)
	text(v, validation.Join(path, "plate"), in.Plate, &a.Plate)
	text(v, validation.Join(path, "renavam"), in.RENAVAM, &a.RENAVAM)
	return a
}

// amount parses an amount through money.Parse, which bounds it before any
// arithmetic; empty text is zero.
func amount(v *validation.Error, path string, s num) decimal.Decimal {
	t := strings.TrimSpace(string(s))
	if t == "" {
		return decimal.Decimal{}
	}
	d, err := money.Parse(t)
	if err != nil {
		v.Add(path, err)
	}
	return d
}

func (in cardIn) card(v *validation.Error, path string) reference.Card {
	var c reference.Card
	var err error
	switch {
	case in.Number != "":
		if c, err = reference.ParseCard(in.Number); err != nil {
			v.Add(validation.Join(path, "number"), err)
		}
	case in.Brand != "" || in.BIN != "" || in.Last4 != "":
		var b reference.Brand
		if err := b.UnmarshalText([]byte(in.Brand)); err != nil {
			v.Add(validation.Join(path, "brand"), err)
			break
		}
		if c, err = reference.RestoreCard(b, in.BIN, in.Last4); err != nil {
			v.Add(path, err)
		}
	}
	c.Holder, c.Token = in.Holder, in.Token
	c.Expiry = reference.Expiry{Month: time.Month(in.Expiry.Month), Year: in.Expiry.Year}
	return c
}

func (in contactIn) contact(v *validation.Error, path string) contact.Contact {
	c := contact.Contact{Name: in.Name, Role: in.Role, FleetManager: in.FleetManager,
		Birthday: contact.Birthday{Day: in.Birthday.Day, Month: time.Month(in.Birthday.Month), Year: in.Birthday.Year}}
	c.Phones = each(v, validation.Join(path, "phones"), in.Phones, phone)
	text(v, validation.Join(path, "email"), in.Email, &c.Email)
	text(v, validation.Join(path, "preferred_day"), in.PreferredDay, &c.PreferredDay)
	if in.PreferredHour != nil {
		h, err := strconv.Atoi(strings.TrimSpace(string(*in.PreferredHour)))
		if err != nil || h < 0 || h > 23 {
			v.Add(validation.Join(path, "preferred_hour"), contact.ErrHour)
		} else {
			c.PreferredHour = contact.At(h)
		}
	}
	return c
}
