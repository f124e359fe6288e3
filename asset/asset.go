// Package asset models what a customer owns ("bens"): vehicles, real estate
// and other goods, with the lien still owed on them, and the identifiers of
// a vehicle: [VIN] (chassis), [Plate] and [RENAVAM].
package asset

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/fichacrm/ficha/date"
	"github.com/fichacrm/ficha/internal/luhn"
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

// MarshalText implements [encoding.TextMarshaler].
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (k *Kind) UnmarshalText(b []byte) error {
	for i, n := range kindNames {
		if i > 0 && n == string(b) {
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
	switch {
	case a.Description == "":
		v.Add("description", validation.ErrRequired)
	case len(a.Description) > validation.MaxNote:
		v.Add("description", validation.ErrTooLong)
	case luhn.ContainsCardNumber(a.Description):
		v.Add("description", validation.ErrCardInText)
	}
	if !a.Kind.IsValid() {
		v.Add("kind", ErrKind)
	}
	if a.Year != 0 && (a.Year < 1900 || a.Year > now.Year()+1) {
		v.Add("year", ErrYear)
	}
	checkMoney(&v, "value", a.Value)
	checkMoney(&v, "lien.balance", a.Lien.Balance)
	if a.Lien.Balance.IsPositive() && a.Lien.Creditor == "" {
		v.Add("lien.creditor", ErrCreditor)
	}
	if len(a.Lien.Creditor) > validation.MaxText {
		v.Add("lien.creditor", validation.ErrTooLong)
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

// maxMoney bounds amounts: NUMERIC(15,2) holds less than a trillion reais.
var maxMoney = decimal.New(1, 13)

// checkMoney checks an amount: not negative, whole centavos, and below a
// trillion reais.
func checkMoney(v *validation.Error, path string, d decimal.Decimal) {
	switch {
	case d.IsNegative():
		v.Add(path, validation.ErrNegative)
	case !d.Equal(d.Truncate(2)):
		v.Add(path, validation.ErrMoneyPrecision)
	case d.GreaterThanOrEqual(maxMoney):
		v.Add(path, validation.ErrMoneyRange)
	}
}
