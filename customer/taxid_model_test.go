package customer_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/internal/vectors"
)

// model parses s as a CPF, a CNPJ or either (kind "cpf", "cnpj" or
// "taxid") the plain way, one rule after another as the input policy and
// RULES.md state them, in the order that picks the error. It is the model
// the parsers, however fast they are written, agree with on every input:
// same canonical text, same error.
func model(kind, s string) (string, error) {
	s = strings.Trim(s, " \t\n\r\v\f")
	var kept []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9', c >= 'A' && c <= 'Z':
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		case strings.IndexByte(" .-/()", c) >= 0:
			continue
		case kind == "cpf":
			return "", customer.ErrCPFChar
		default:
			return "", customer.ErrCNPJChar
		}
		kept = append(kept, c)
	}
	switch {
	case kind == "cpf", kind == "taxid" && len(kept) == 11:
		return modelCPF(string(kept))
	case kind == "cnpj", kind == "taxid" && len(kept) == 14:
		return modelCNPJ(string(kept))
	}
	return "", customer.ErrTaxIDLength
}

func modelCPF(s string) (string, error) {
	switch {
	case strings.ContainsFunc(s[:min(len(s), 11)], func(r rune) bool { return r >= 'A' && r <= 'Z' }):
		return "", customer.ErrCPFChar
	case len(s) != 11:
		return "", customer.ErrCPFLength
	case strings.Count(s, s[:1]) == 11:
		return "", customer.ErrCPFRepeated
	}
	// Check digit k weighs the k digits before it by k+1 down to 2.
	for k := 9; k <= 10; k++ {
		sum := 0
		for i := 0; i < k; i++ {
			sum += int(s[i]-'0') * (k + 1 - i)
		}
		if s[k] != checkDigit(sum) {
			return "", customer.ErrCPFCheckDigit
		}
	}
	return s, nil
}

func modelCNPJ(s string) (string, error) {
	switch {
	case len(s) != 14:
		return "", customer.ErrCNPJLength
	case strings.Trim(s[12:], "0123456789") != "":
		return "", customer.ErrCNPJChar
	case strings.Count(s[:12], s[:1]) == 12:
		return "", customer.ErrCNPJRepeated
	}
	// Check digit k weighs the characters before it, each worth its code
	// minus 48, by 2 to 9 from the right, cycling.
	for k := 12; k <= 13; k++ {
		sum, w := 0, 2
		for i := k - 1; i >= 0; i-- {
			sum += (int(s[i]) - 48) * w
			if w++; w > 9 {
				w = 2
			}
		}
		if s[k] != checkDigit(sum) {
			return "", customer.ErrCNPJCheckDigit
		}
	}
	return s, nil
}

func checkDigit(sum int) byte {
	if r := sum % 11; r >= 2 {
		return byte('0' + 11 - r)
	}
	return '0'
}

// agreeWithModel fails t unless the three parsers read s as the model does.
func agreeWithModel(t *testing.T, s string) {
	t.Helper()
	check := func(kind string, got string, err error) {
		t.Helper()
		want, werr := model(kind, s)
		if (err == nil) != (werr == nil) || werr != nil && !errors.Is(err, werr) || got != want {
			t.Fatalf("%s %q: got %q, %v; the model %q, %v", kind, s, got, err, want, werr)
		}
	}
	c, err := customer.ParseCPF(s)
	check("cpf", c.String(), err)
	j, err := customer.ParseCNPJ(s)
	check("cnpj", j.String(), err)
	x, err := customer.ParseTaxID(s)
	check("taxid", x.String(), err)
}

// modelSeeds are inputs on either side of each rule and of each shape
// the parsers read without a loop.
var modelSeeds = []string{
	"", " ", "1", "248.438.034-80", "24843803480", " 248 438 034 80 ", "\t24843803480\n", "248.438.034-81",
	"111.111.111-11", "00000000000", "2484380348", "248438034801", "2484380348A", "A2484380348",
	"248438034801A", "2484380348a", "248.438.034/80", "(248)438-034.80", "248.438.034-8\t0", "248.438.034-8\x00",
	"12.ABC.345/01DE-35", "12ABC34501DE35", "12abc34501de35", "12.abc.345/01de-35", "26.637.142/0001-58",
	"26637142000158", "00000000000000", "AAAAAAAAAAAA45", "AAAAAAAAAAAA00", "11111111111180", "12ABC34501DE3A",
	"12ABC34501DE34", "12AB@34501DE35", "266371420001588", "2663714200015", "12.ABC.345-01DE/35",
	"12ABC34501DEA5", "ZZZZZZZZZZZZ99", "12ABC34501DE35\xff", "248.438.034-80\u00a0", "2484380348\x80",
	"12345678901234567890", "1.2.3.4.5.6.7.8.9.0.1",
}

func TestTaxIDModel(t *testing.T) {
	t.Parallel()
	inputs := append([]string(nil), modelSeeds...)
	for _, file := range []string{"vectors/cpf.csv", "vectors/cnpj.csv"} {
		for _, v := range vectors.Load(t, file) {
			inputs = append(inputs, v["input"])
		}
	}
	for _, s := range inputs {
		agreeWithModel(t, s)
	}
}

func FuzzTaxIDModel(f *testing.F) {
	for _, s := range modelSeeds {
		f.Add(s)
	}
	f.Fuzz(agreeWithModel)
}
