package info_test

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/customer/info"
	"github.com/fichacrm/ficha/validation"
)

func TestDefaultPerKind(t *testing.T) {
	t.Parallel()
	s := info.Default()
	keys := func(k customer.Kind) map[string]bool {
		m := map[string]bool{}
		for _, f := range s.Fields(k) {
			m[f.Key] = true
		}
		return m
	}
	ind, co := keys(customer.Individual), keys(customer.Company)
	for _, k := range []string{"spouse_name", "spouse_cpf", "spouse_birth_date", "spouse_profession", "spouse_income",
		"marital_status", "profession", "employer", "monthly_income", "other_income", "residence_type", "residence_since",
		"mother_name", "rg", "nationality", "birthplace", "education"} {
		assert.True(t, ind[k], k)
		assert.False(t, co[k], k)
	}
	for _, k := range []string{"state_registration", "municipal_registration", "main_activity", "foundation_date",
		"annual_revenue", "employees", "fleet_size"} {
		assert.True(t, co[k], k)
		assert.False(t, ind[k], k)
	}
}

func TestSchemaValidate(t *testing.T) {
	t.Parallel()
	s := info.Default()
	person := &customer.Customer{Kind: customer.Individual, Info: map[string]string{
		"spouse_name": "Ana", "spouse_cpf": "248.438.034-80", "spouse_income": "3.500,00",
		"marital_status": "married", "residence_since": "15/03/2010",
	}}
	require.NoError(t, s.Validate(person))

	company := &customer.Customer{Kind: customer.Company, Info: map[string]string{
		"spouse_cpf": "248.438.034-80", "fleet_size": "doze", "annual_revenue": "10,005", "foundation_date": "31/02/2001",
		"shoe_size": "42",
	}}
	var v *customer.ValidationError
	require.True(t, errors.As(s.Validate(company), &v))
	assert.True(t, v.Has("info.spouse_cpf", "info.kind"), "a company cannot carry a spouse's CPF")
	assert.True(t, v.Has("info.fleet_size", "info.number"))
	assert.True(t, v.Has("info.annual_revenue", "money.precision"))
	assert.True(t, v.Has("info.foundation_date", "info.date"))
	assert.True(t, v.Has("info.shoe_size", "info.unknown"))

	bad := &customer.Customer{Kind: customer.Individual, Info: map[string]string{
		"spouse_cpf": "248.438.034-81", "marital_status": "complicated", "monthly_income": "-1",
	}}
	require.True(t, errors.As(s.Validate(bad), &v))
	assert.True(t, v.Has("info.spouse_cpf", "cpf.check_digit"))
	assert.True(t, v.Has("info.marital_status", "info.choice"))
	assert.True(t, v.Has("info.monthly_income", "money.negative"))
}

func TestSchemaRequiredAndExtend(t *testing.T) {
	t.Parallel()
	s, err := info.Default().Extend(
		info.Field{Key: "cnh", Label: info.Label{EN: "Driver's licence", PT: "CNH"}, Section: info.SectionPersonal,
			Type: info.Text, Kinds: info.ForIndividuals, Required: true, OnSheet: true},
		info.Field{Key: "fleet_size", Label: info.Label{EN: "Vehicles", PT: "Veículos"}, Section: info.SectionCompany,
			Type: info.Number, Kinds: info.ForCompanies, Required: true},
	)
	require.NoError(t, err)
	var v *customer.ValidationError
	require.True(t, errors.As(s.Validate(&customer.Customer{Kind: customer.Individual}), &v))
	assert.True(t, v.Has("info.cnh", "required"))
	require.True(t, errors.As(s.Validate(&customer.Customer{Kind: customer.Company, Info: map[string]string{"fleet_size": " "}}), &v))
	assert.True(t, v.Has("info.fleet_size", "required"))
	f, ok := s.Field("fleet_size")
	require.True(t, ok)
	assert.Equal(t, "Veículos", f.Label.PT, "a field of the same key is replaced")

	_, err = info.NewSchema(info.Field{Key: "Bad Key", Type: info.Text, Kinds: info.ForBoth})
	assert.Error(t, err)
	_, err = info.NewSchema(info.Field{Key: "x", Type: info.Choice, Kinds: info.ForBoth})
	assert.Error(t, err, "a choice needs options")
	_, err = info.NewSchema(
		info.Field{Key: "x", Type: info.Text, Kinds: info.ForBoth},
		info.Field{Key: "x", Type: info.Text, Kinds: info.ForBoth})
	assert.Error(t, err, "keys are unique")
}

func TestNormalizeAndFormat(t *testing.T) {
	t.Parallel()
	s := info.Default()
	norm := s.Normalize(map[string]string{
		"spouse_income": "R$ 1.234,5", "spouse_cpf": "248 438 034 80", "residence_since": "01/02/2003",
		"employees": "1.500", "marital_status": "married", "unknown": "kept",
	})
	assert.Equal(t, "248.438.034-80", mustFormat(t, s, "spouse_cpf", norm["spouse_cpf"], validation.Portuguese))
	assert.Equal(t, "2003-02-01", norm["residence_since"])
	assert.Equal(t, "01/02/2003", mustFormat(t, s, "residence_since", norm["residence_since"], validation.Portuguese))
	assert.Equal(t, "1500", norm["employees"], "dots in groups of three separate thousands")
	money, _ := s.Field("monthly_income")
	for in, want := range map[string]string{"R$ 1.234,56": "1234.56", "1234.5": "1234.50", "1.500": "1500.00", "0,1": "0.10"} {
		got, err := money.Normalize(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	assert.Equal(t, "kept", norm["unknown"])
	assert.Equal(t, "1234.50", norm["spouse_income"])
	assert.Equal(t, "x y", s.Normalize(map[string]string{"spouse_income": "x y"})["spouse_income"], "an unreadable value is left for Validate to report")
	assert.Equal(t, "Casado(a)", mustFormat(t, s, "marital_status", "married", validation.Portuguese))
	assert.Equal(t, "Married", mustFormat(t, s, "marital_status", "married", validation.English))

	yes := info.Field{Key: "x", Type: info.YesNo}
	for in, want := range map[string]string{"Sim": "true", "não": "false", "yes": "true", "0": "false"} {
		got, err := yes.Normalize(in)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	for in, want := range map[string]bool{" SIM ": true, "Não": false, "nao": false, "S": true, "n": false, "True": true, "1": true} {
		got, err := info.ParseYesNo(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "talvez", "sim não", "2"} {
		_, err := info.ParseYesNo(in)
		assert.ErrorIs(t, err, info.ErrYesNo, in)
	}
	d, _ := s.Field("residence_since")
	got, err := d.Normalize("1/2/2003")
	require.NoError(t, err)
	assert.Equal(t, "2003-02-01", got, "a date typed without leading zeros")
	assert.Equal(t, "Sim", yes.Format("true", validation.Portuguese))
	assert.Equal(t, "Não", yes.Format("false", validation.Portuguese))

	assert.Equal(t, "R$ 1.234,56", info.FormatMoney(decimal.RequireFromString("1234.56")))
	assert.Equal(t, "R$ 0,10", info.FormatMoney(decimal.RequireFromString("0.1")))
	assert.Equal(t, "R$ 1.234.567,00", info.FormatMoney(decimal.RequireFromString("1234567")))
	assert.Equal(t, "-R$ 5,00", info.FormatMoney(decimal.RequireFromString("-5")))
}

func mustFormat(t *testing.T, s *info.Schema, key, value string, lang validation.Lang) string {
	t.Helper()
	f, ok := s.Field(key)
	require.True(t, ok, key)
	return f.Format(value, lang)
}

func FuzzNormalize(f *testing.F) {
	f.Add("1.234,56", uint8(info.Money))
	f.Add("31/12/2020", uint8(info.Date))
	f.Add("(11) 98765-4321", uint8(info.Phone))
	f.Fuzz(func(t *testing.T, value string, typ uint8) {
		field := info.Field{Key: "k", Type: info.Type(typ%8 + 1),
			Options: []info.Option{{Value: "a"}}, Kinds: info.ForBoth}
		n, err := field.Normalize(value)
		if err != nil {
			return
		}
		again, err := field.Normalize(n)
		if err != nil || again != n {
			t.Fatalf("normalising %q is not stable: %q then %q (%v)", value, n, again, err)
		}
	})
}

func TestKeysAreNeverEchoed(t *testing.T) {
	t.Parallel()
	c := &customer.Customer{Kind: customer.Individual, Status: customer.StatusProspect, Name: "Ana",
		Emails: []contact.Email{contact.MustParseEmail("ana@example.com")},
		Info:   map[string]string{"24843803480": "x", "Zebedeu Quintanilha": "y", "a\x00b": "z", "spouse_name": "Carlos"}}
	for _, err := range []error{c.Validate(), info.Default().Validate(c)} {
		var v *customer.ValidationError
		require.ErrorAs(t, err, &v)
		for _, f := range v.Fields {
			assert.Equal(t, "info", f.Path, "a key that is not a key is reported without itself")
			assert.Equal(t, "info.key", f.Code())
		}
		for _, k := range []string{"24843803480", "Zebedeu", "\x00"} {
			assert.NotContains(t, err.Error(), k)
		}
	}
}
