// Package asset models what a customer owns ("bens"): vehicles, real estate
// and other goods, with the lien still owed on them, and the identifiers of
// a vehicle: [VIN] (chassis), [Plate] and [RENAVAM].
package asset

import (
	"encoding/json"
	"time"

	"github.com/shopspring/decimal"

	"github.com/fichacrm/ficha/date"
	"github.com/fichacrm/ficha/internal/money"
	"github.com/fichacrm/ficha/validation"
)

// Validation rules of an asset.
var (
	ErrKind        = validation.NewRule("asset.kind", "unknown kind of asset", "tipo de bem desconhecido")
	ErrYear        = validation.NewRule("asset.year", "the year goes from 1900 to next year", "o ano vai de 1900 até o próximo ano")
	ErrVehicleOnly = validation.NewRule("asset.vehicle_only", "only a vehicle has a chassis, plate or RENAVAM", "somente veículos têm chassi, placa ou RENAVAM")
	ErrCreditor    = validation.NewRule("lien.creditor", "a lien with a balance names its creditor", "um ônus com saldo devedor informa o credor")
)

// Kind is the kind of an asset.
type Kind uint8

// The kinds of asset.
const (
	Vehicle    Kind = iota + 1 // a car, truck, motorcycle...
	RealEstate                 // a house, flat, land (imóvel)
	Other                      // anything else
)

var kindNames = [...]string{"", "vehicle", "real_estate", "other"}

// String returns "vehicle", "real_estate" or "other".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return ""
}

// IsValid reports whether k is one of the kinds.
func (k Kind) IsValid() bool { return k >= Vehicle && k <= Other }

// MarshalText implements [encoding.TextMarshaler]: the zero Kind (not
// chosen yet) is "", and a value that is no kind is an error.
func (k Kind) MarshalText() ([]byte, error) {
	if int(k) >= len(kindNames) {
		return nil, ErrKind
	}
	return []byte(kindNames[k]), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler]; "" is the zero
// Kind, which validation reports.
func (k *Kind) UnmarshalText(b []byte) error {
	for i, n := range kindNames {
		if n == string(b) {
			*k = Kind(i)
			return nil
		}
	}
	return ErrKind
}

// Lien is the debt still owed on an asset (ônus): the outstanding balance,
// who holds it, and when it was or will be paid off. The zero value is no
// lien.
type Lien struct {
	Balance    decimal.Decimal `json:"balance"`
	Creditor   string          `json:"creditor,omitempty"`
	PayoffDate date.Date       `json:"payoff_date"`
}

// IsZero reports whether l records no lien.
func (l Lien) IsZero() bool {
	return l.Balance.IsZero() && l.Creditor == "" && l.PayoffDate.IsZero()
}

// Asset is something a customer owns.
type Asset struct {
	Description string          `json:"description"`
	Kind        Kind            `json:"kind"`
	Year        int             `json:"year,omitempty"` // model or construction year; 0 when unknown
	Value       decimal.Decimal `json:"value"`          // the value already paid off (valor quitado)
	Lien        Lien            `json:"lien"`

	// A vehicle's identifiers; other kinds leave them zero.
	VIN     VIN     `json:"vin"`
	Plate   Plate   `json:"plate"`
	RENAVAM RENAVAM `json:"renavam"`
}

// Validate reports every failed field of a, with paths relative to the
// asset, given the current time (the year may be at most next year's
// model). It returns nil or an [*validation.Error].
func (a Asset) Validate(now time.Time) error {
	var v validation.Error
	v.Text("description", a.Description, validation.Note, true)
	if !a.Kind.IsValid() {
		v.Add("kind", ErrKind)
	}
	if a.Year != 0 && (a.Year < 1900 || a.Year > now.Year()+1) {
		v.Add("year", ErrYear)
	}
	checkMoney(&v, "value", a.Value)
	checkMoney(&v, "lien.balance", a.Lien.Balance)
	if a.Lien.Balance.IsPositive() && validation.IsBlank(a.Lien.Creditor) {
		v.Add("lien.creditor", ErrCreditor)
	} else {
		v.Text("lien.creditor", a.Lien.Creditor, validation.Line, false)
	}
	if !a.Lien.PayoffDate.IsZero() && !a.Lien.PayoffDate.IsValid() {
		v.Add("lien.payoff_date", date.ErrInvalid)
	}
	if a.Kind != Vehicle {
		for _, f := range [...]struct {
			path string
			zero bool
		}{{"vin", a.VIN.IsZero()}, {"plate", a.Plate.IsZero()}, {"renavam", a.RENAVAM.IsZero()}} {
			if !f.zero {
				v.Add(f.path, ErrVehicleOnly)
			}
		}
	}
	return v.Err()
}

// checkMoney checks an amount: not negative, whole centavos, and below ten
// trillion reais, its size bounded before any arithmetic.
func checkMoney(v *validation.Error, path string, d decimal.Decimal) {
	v.Add(path, money.Check(d))
}

// MarshalJSON encodes a lien with its balance in two decimal places
// ("85350.40"), as [Asset.MarshalJSON] encodes an asset's value.
func (l Lien) MarshalJSON() ([]byte, error) {
	type plain Lien
	return json.Marshal(struct {
		plain
		Balance money.JSON `json:"balance"`
	}{plain(l), money.JSON{Decimal: l.Balance}})
}

// UnmarshalJSON decodes a lien, reading its balance through money.Parse so
// that no amount is slow to handle.
func (l *Lien) UnmarshalJSON(b []byte) error {
	type plain Lien
	j := struct {
		*plain
		Balance money.JSON `json:"balance"`
	}{plain: (*plain)(l)}
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	l.Balance = j.Balance.Decimal
	return nil
}

// MarshalJSON encodes an asset with its value as a string in two decimal
// places ("62000.00"), whatever the scale of the decimal, so that what a
// host shows and compares is reais and centavos. An amount in fractions of
// a centavo (which validation refuses) is written exactly. Decoding
// accepts what it always has: a number or a string, with or without the
// decimals.
func (a Asset) MarshalJSON() ([]byte, error) {
	type plain Asset
	return json.Marshal(struct {
		plain
		Value money.JSON `json:"value"`
	}{plain(a), money.JSON{Decimal: a.Value}})
}

// UnmarshalJSON decodes an asset, reading its value through money.Parse so
// that no amount is slow to handle.
func (a *Asset) UnmarshalJSON(b []byte) error {
	type plain Asset
	j := struct {
		*plain
		Value money.JSON `json:"value"`
	}{plain: (*plain)(a)}
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	a.Value = j.Value.Decimal
	return nil
}
