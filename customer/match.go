package customer

import (
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/internal/names"
)

// MatchKeys returns the keys under which duplicate detection looks for
// other records of the same person or company, besides the identifiers the
// search keys hold already (CPF/CNPJ, phones, e-mails, VIN, plate, DMS
// code). Each pairs the given name (the first word of two letters or more,
// folded, as the names of two records of one person most often agree on)
// with something a namesake seldom shares, or is the tail of a phone:
//
//	"b:1971-05-04:jose"  the birth date and the given name
//	"a:30130010:jose"    an address's CEP and the given name
//	"t:87654321"         the last eight digits of a Brazilian phone: the
//	                     same number with or without the ninth digit, or
//	                     typed under another DDD
//
// A record without a given name has no "b" or "a" keys.
func (c *Customer) MatchKeys() []string {
	var keys []string
	first := names.Parse(c.Name, c.Kind == Company).First()
	if first != "" {
		if !c.BirthDate.IsZero() {
			keys = append(keys, "b:"+c.BirthDate.String()+":"+first)
		}
		for _, a := range c.Addresses {
			if !a.CEP.IsZero() {
				keys = append(keys, "a:"+a.CEP.String()+":"+first)
			}
		}
	}
	for _, p := range c.Phones {
		if t := PhoneTail(p); t != "" {
			keys = append(keys, "t:"+t)
		}
	}
	return keys
}

// PhoneTail returns the last eight digits of a Brazilian phone's number,
// which the same line keeps with or without the ninth digit of a mobile;
// "" for another country's phone or a short number.
func PhoneTail(p contact.Phone) string {
	s := p.Subscriber()
	if len(s) < 8 {
		return ""
	}
	return s[len(s)-8:]
}
