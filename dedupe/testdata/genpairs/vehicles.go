package main

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/date"
)

// model is a vehicle sold in Brazil: its brand, name, the world
// manufacturer identifier that starts its VIN (the plant that builds it for
// the Brazilian market), a descriptor section of our own, its price new in
// reais, the bank of its maker's finance arm, and the years it was sold.
type model struct {
	brand, name string
	wmi         string
	vds         string
	price       int
	bank        string
	years       [2]int
	heavy       bool // a truck: fleets only
}

var models = []model{
	{"Volkswagen", "Gol 1.0", "9BW", "AA45U0", 80_000, "Banco Volkswagen", [2]int{2008, 2023}, false},
	{"Volkswagen", "Polo Highline 1.0 TSI", "9BW", "BH6AW1", 115_000, "Banco Volkswagen", [2]int{2018, 2026}, false},
	{"Volkswagen", "Virtus Comfortline", "9BW", "DH6BZ5", 125_000, "Banco Volkswagen", [2]int{2018, 2026}, false},
	{"Volkswagen", "T-Cross Highline", "9BW", "BC6BS1", 160_000, "Banco Volkswagen", [2]int{2020, 2026}, false},
	{"Volkswagen", "Saveiro Robust", "9BW", "KB05U3", 100_000, "Banco Volkswagen", [2]int{2010, 2026}, false},
	{"Chevrolet", "Onix LT 1.0", "9BG", "KS48U0", 98_000, "Banco GM", [2]int{2013, 2026}, false},
	{"Chevrolet", "Onix Plus Premier", "9BG", "EY69H0", 120_000, "Banco GM", [2]int{2020, 2026}, false},
	{"Chevrolet", "Tracker LTZ", "9BG", "EP76B0", 150_000, "Banco GM", [2]int{2020, 2026}, false},
	{"Chevrolet", "S10 High Country", "9BG", "148FK0", 270_000, "Banco GM", [2]int{2012, 2026}, false},
	{"Chevrolet", "Spin LTZ", "9BG", "JC75Z0", 125_000, "Banco GM", [2]int{2013, 2026}, false},
	{"Fiat", "Argo Drive 1.0", "9BD", "358AC1", 90_000, "Banco Stellantis", [2]int{2018, 2026}, false},
	{"Fiat", "Mobi Like", "9BD", "341A91", 75_000, "Banco Stellantis", [2]int{2017, 2026}, false},
	{"Fiat", "Strada Volcano", "9BD", "281A2N", 120_000, "Banco Stellantis", [2]int{2014, 2026}, false},
	{"Jeep", "Renegade Longitude", "988", "611162", 145_000, "Banco Stellantis", [2]int{2016, 2026}, false},
	{"Jeep", "Compass Limited", "988", "675F1B", 210_000, "Banco Stellantis", [2]int{2017, 2026}, false},
	{"Hyundai", "HB20 Comfort", "9BH", "BG51CA", 95_000, "Banco Hyundai Capital", [2]int{2013, 2026}, false},
	{"Hyundai", "Creta Limited", "9BH", "GC81CB", 155_000, "Banco Hyundai Capital", [2]int{2017, 2026}, false},
	{"Toyota", "Corolla XEi", "9BR", "BLEE4M", 170_000, "Banco Toyota", [2]int{2010, 2026}, false},
	{"Toyota", "Corolla Cross XRE", "9BR", "KZAG1N", 190_000, "Banco Toyota", [2]int{2021, 2026}, false},
	{"Toyota", "Yaris XL", "9BR", "K29B3T", 110_000, "Banco Toyota", [2]int{2018, 2025}, false},
	{"Toyota", "Hilux SRV", "8AJ", "HA8FS5", 290_000, "Banco Toyota", [2]int{2010, 2026}, false},
	{"Honda", "City EXL", "93H", "GM6640", 125_000, "Banco Honda", [2]int{2010, 2026}, false},
	{"Honda", "HR-V EXL", "93H", "RU1850", 165_000, "Banco Honda", [2]int{2015, 2026}, false},
	{"Honda", "Civic Touring", "93H", "FC5880", 160_000, "Banco Honda", [2]int{2008, 2021}, false},
	{"Renault", "Kwid Zen", "93Y", "RXB2B1", 72_000, "Banco RCI Brasil", [2]int{2017, 2026}, false},
	{"Renault", "Sandero Stepway", "93Y", "5SRF4H", 85_000, "Banco RCI Brasil", [2]int{2010, 2022}, false},
	{"Renault", "Duster Iconic", "93Y", "HSRE6L", 130_000, "Banco RCI Brasil", [2]int{2012, 2026}, false},
	{"Nissan", "Kicks Advance", "94D", "FCAP15", 140_000, "Banco RCI Brasil", [2]int{2017, 2026}, false},
	{"Ford", "Ka SE 1.0", "9BF", "ZH55L9", 60_000, "Banco Ford", [2]int{2008, 2021}, false},
	{"Ford", "EcoSport Titanium", "9BF", "ZZFH5G", 90_000, "Banco Ford", [2]int{2008, 2021}, false},
	{"Mercedes-Benz", "Accelo 1016", "9BM", "979036", 360_000, "Banco Mercedes-Benz", [2]int{2012, 2026}, true},
	{"Mercedes-Benz", "Atego 2426", "9BM", "958164", 560_000, "Banco Mercedes-Benz", [2]int{2012, 2026}, true},
	{"Volvo", "FH 540", "9BV", "RG20A6", 900_000, "Banco Volvo", [2]int{2012, 2026}, true},
	{"Scania", "R 450", "9BS", "R4X200", 850_000, "Banco Scania", [2]int{2012, 2026}, true},
}

// vehicle is one car, pick-up or truck as it is registered.
type vehicle struct {
	model   model
	year    int
	vin     asset.VIN
	plate   asset.Plate
	renavam asset.RENAVAM
}

// yearCode is the tenth character of a VIN: the model year.
func yearCode(y int) byte {
	const codes = "ABCDEFGHJKLMNPRSTVWXY123456789"
	return codes[(y-2010+30)%30]
}

// The letters a VIN's serial part and descriptor may hold: no I, O or Q.
const vinLetters = "ABCDEFGHJKLMNPRSTUVWXYZ"

// oldPlateSeries are the first three letters of the grey plates each state
// issued (the Denatran series), by state; Mercosul plates issued since carry
// on from them here.
var oldPlateSeries = map[address.UF][2]string{
	address.PR: {"AAA", "BEZ"}, address.SP: {"BFA", "GKI"}, address.MG: {"GKJ", "HOK"},
	address.MS: {"HQF", "HTW"}, address.CE: {"HTX", "HZA"}, address.SE: {"HZB", "IAP"},
	address.RS: {"IAQ", "JDO"}, address.DF: {"JDP", "JKR"}, address.BA: {"JKS", "JSZ"},
	address.PA: {"JTA", "JWE"}, address.AM: {"JWF", "JXY"}, address.GO: {"KAV", "KFC"},
	address.PE: {"KFD", "KME"}, address.RJ: {"KMF", "LVE"}, address.SC: {"LWR", "MMM"},
	address.ES: {"MOX", "MTZ"}, address.AL: {"MUA", "MVK"}, address.RN: {"MXH", "MZM"},
}

// letters3 draws three letters within a state's series.
func (g *gen) letters3(uf address.UF) string {
	span := oldPlateSeries[uf]
	n := func(s string) int { return int(s[0]-'A')*676 + int(s[1]-'A')*26 + int(s[2]-'A') }
	v := g.between(n(span[0]), n(span[1]))
	return string([]byte{byte('A' + v/676), byte('A' + v/26%26), byte('A' + v%26)})
}

// newVehicle draws a vehicle of m, model year y, first registered in uf: an
// old grey plate for years before 2019, a Mercosul plate after.
func (g *gen) newVehicle(m model, y int, uf address.UF) *vehicle {
	v := &vehicle{model: m, year: y}
	for {
		serial := g.between(100_000, 999_999)
		plant := vinLetters[g.rng.IntN(len(vinLetters))]
		s := fmt.Sprintf("%s%s%c%c%06d", m.wmi, m.vds, yearCode(y), plant, serial)
		if g.reg.claim("vin:" + s) {
			v.vin = asset.MustParseVIN(s)
			break
		}
	}
	for {
		var p asset.Plate
		if y < 2019 {
			p = asset.MustParsePlate(fmt.Sprintf("%s%04d", g.letters3(uf), g.between(1000, 9999)))
		} else {
			p = asset.MustParsePlate(fmt.Sprintf("%s%d%c%02d", g.letters3(uf), g.rng.IntN(10), 'K'+rune(g.rng.IntN(16)), g.rng.IntN(100)))
		}
		if g.reg.claim("plate:" + p.Mercosul().String()) {
			v.plate = p
			break
		}
	}
	v.renavam = g.renavam(y)
	return v
}

// someVehicle draws a car (or a truck, if heavy) of a year in [lo, hi].
func (g *gen) someVehicle(uf address.UF, lo, hi int, heavy bool) *vehicle {
	for {
		m := pick(g, models)
		if m.heavy != heavy {
			continue
		}
		a, b := max(lo, m.years[0]), min(hi, m.years[1])
		if a > b {
			continue
		}
		return g.newVehicle(m, g.between(a, b), uf)
	}
}

// description is how a DMS names the vehicle in the customer's assets.
func (v *vehicle) description() string { return v.model.brand + " " + v.model.name }

// asAsset returns the vehicle as a customer's asset: its value depreciated
// from the price new, part of it financed when financed is set.
func (v *vehicle) asAsset(withPlate, withRENAVAM, financed bool, g *gen) asset.Asset {
	// A tenth of the value lost each year, in integers so that every
	// platform writes the same file.
	value := v.model.price
	for range max(0, now.Year()-v.year) {
		value = value * 9 / 10
	}
	value = value / 100 * 100
	a := asset.Asset{Description: v.description(), Kind: asset.Vehicle, Year: v.year, VIN: v.vin}
	if withPlate {
		a.Plate = v.plate
	}
	if withRENAVAM {
		a.RENAVAM = v.renavam
	}
	if financed && v.year >= now.Year()-3 {
		owed := value * g.between(30, 60) / 100 / 100 * 100
		a.Lien = asset.Lien{Balance: decimal.New(int64(owed), 0), Creditor: v.model.bank,
			PayoffDate: date.MustNew(now.Year()+g.between(1, 4), now.Month()+1, 10)}
		value -= owed
	}
	a.Value = decimal.New(int64(value), 0)
	return a
}
