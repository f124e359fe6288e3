package main

import (
	"fmt"
	"strconv"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/customer"
)

// mod11 turns a weighted sum into a CPF or CNPJ check digit.
func mod11(sum int) int {
	if r := sum % 11; r >= 2 {
		return 11 - r
	}
	return 0
}

// cpfRegion is the ninth digit of a CPF: the fiscal region that issued it.
func cpfRegion(uf address.UF) int {
	switch uf {
	case address.RS:
		return 0
	case address.DF, address.GO, address.MS, address.MT, address.TO:
		return 1
	case address.AC, address.AM, address.AP, address.PA, address.RO, address.RR:
		return 2
	case address.CE, address.MA, address.PI:
		return 3
	case address.AL, address.PB, address.PE, address.RN:
		return 4
	case address.BA, address.SE:
		return 5
	case address.MG:
		return 6
	case address.ES, address.RJ:
		return 7
	case address.SP:
		return 8
	}
	return 9 // PR, SC
}

// cpf draws a CPF issued in uf that no one else in the set has.
func (g *gen) cpf(uf address.UF) customer.TaxID {
	for {
		d := make([]int, 11)
		for i := range 8 {
			d[i] = g.rng.IntN(10)
		}
		d[8] = cpfRegion(uf)
		s1, s2 := 0, 0
		for i := range 9 {
			s1 += d[i] * (10 - i)
			s2 += d[i] * (11 - i)
		}
		d[9] = mod11(s1)
		d[10] = mod11(s2 + 2*d[9])
		s := ""
		for _, x := range d {
			s += strconv.Itoa(x)
		}
		t, err := customer.ParseTaxID(s)
		if err != nil {
			continue // one digit repeated eleven times
		}
		if g.reg.claim("taxid:" + s) {
			return t
		}
	}
}

// cnpjRoot draws the eight digits of a company's CNPJ root, unused in the
// set.
func (g *gen) cnpjRoot() string {
	for {
		s := fmt.Sprintf("%08d", g.between(1_000_000, 99_999_999))
		if g.reg.claim("cnpjroot:" + s) {
			return s
		}
	}
}

// cnpj returns the CNPJ of establishment order (1 is the head office) of
// the company with root.
func (g *gen) cnpj(root string, order int) customer.TaxID {
	base := fmt.Sprintf("%s%04d", root, order)
	sum := func(s string) int {
		total := 0
		for i := range len(s) {
			total += int(s[i]-'0') * (2 + (len(s)-1-i)%8)
		}
		return total
	}
	d1 := mod11(sum(base))
	d2 := mod11(sum(base + strconv.Itoa(d1)))
	s := fmt.Sprintf("%s%d%d", base, d1, d2)
	if !g.reg.claim("taxid:" + s) {
		panic("a CNPJ handed out twice")
	}
	return customer.MustParseTaxID(s)
}

// renavam draws a vehicle's RENAVAM: ten digits and a check digit, with
// two leading zeros for vehicles registered before 2013, when the number
// had nine digits.
func (g *gen) renavam(year int) asset.RENAVAM {
	for {
		var base string
		if year < 2013 {
			base = fmt.Sprintf("00%08d", g.between(10_000_000, 99_999_999))
		} else {
			base = fmt.Sprintf("01%08d", g.between(10_000_000, 99_999_999))
		}
		weights := []int{3, 2, 9, 8, 7, 6, 5, 4, 3, 2}
		sum := 0
		for i, w := range weights {
			sum += int(base[i]-'0') * w
		}
		d := sum * 10 % 11
		if d == 10 {
			d = 0
		}
		s := base + strconv.Itoa(d)
		if g.reg.claim("renavam:" + s) {
			return asset.MustParseRENAVAM(s)
		}
	}
}
