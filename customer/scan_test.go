package customer_test

import (
	"testing"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/internal/ident/identtest"
)

var taxIDSeeds = []string{"24843803480", "12345678900", "26637142000158", "12ABC34501DE35", "AAAAAAAAAAAA45", "", "1", "248.438.034-80", "12abc34501de35"}

func FuzzScanCPF(f *testing.F) {
	for _, s := range taxIDSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		identtest.FuzzScan(t, s, customer.ParseCPF, func(c customer.CPF) {
			if c.Format() != string(c.AppendFormat(nil)) || s != "" && len(c.Format()) != 14 {
				t.Fatalf("Format of %q is %q", s, c.Format())
			}
			if c.TaxID().String() != s {
				t.Fatalf("TaxID of %q is %q", s, c.TaxID())
			}
		})
	})
}

func FuzzScanCNPJ(f *testing.F) {
	for _, s := range taxIDSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		identtest.FuzzScan(t, s, customer.ParseCNPJ, func(c customer.CNPJ) {
			if c.Format() != string(c.AppendFormat(nil)) || s != "" && len(c.Format()) != 18 {
				t.Fatalf("Format of %q is %q", s, c.Format())
			}
			_ = c.IsAlphanumeric()
			if s != "" && c.Root() != s[:8] || c.TaxID().String() != s {
				t.Fatalf("Root or TaxID of %q is wrong", s)
			}
		})
	})
}

func FuzzScanTaxID(f *testing.F) {
	for _, s := range taxIDSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		identtest.FuzzScan(t, s, customer.ParseTaxID, func(tid customer.TaxID) {
			cpf, isCPF := tid.CPF()
			cnpj, isCNPJ := tid.CNPJ()
			if isCPF == isCNPJ && s != "" || isCPF != tid.IsCPF() || isCNPJ != tid.IsCNPJ() {
				t.Fatalf("%q is neither or both a CPF and a CNPJ", s)
			}
			if isCPF && (cpf.String() != s || tid.Format() != cpf.Format()) ||
				isCNPJ && (cnpj.String() != s || tid.Format() != cnpj.Format()) {
				t.Fatalf("TaxID %q disagrees with its CPF or CNPJ", s)
			}
			var c customer.CPF
			if (c.Scan(s) == nil) != (isCPF || s == "") {
				t.Fatalf("TaxID and CPF read %q differently", s)
			}
		})
	})
}
