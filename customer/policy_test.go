package customer_test

import (
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/reference"
)

func TestDiff(t *testing.T) {
	t.Parallel()
	old := full()
	old.ID = customer.NewID()
	assert.Empty(t, customer.Diff(old, old.Clone()), "a copy differs in nothing")

	n := old.Clone()
	n.Name = "José da Silva Filho"
	n.Addresses[0].CEP = address.MustParseCEP("01310-200")
	n.Addresses = append(n.Addresses, n.Addresses[0])
	n.Assets[0].Value = decimal.RequireFromString("98500.01")
	n.Assets[0].Lien.Creditor = "Outro"
	n.Cards = nil
	n.Contacts[0].Phones = append(n.Contacts[0].Phones, contact.MustParsePhone("11 3333-4444"))
	n.Contacts[0].FleetManager = true
	n.Info["profession"] = "Médico"
	delete(n.Info, "spouse_name")
	n.Info["rg"] = "123"
	n.BankReferences[0].Account = "210169" // the same account without its leading zeros
	n.UpdatedAt = time.Now()
	assert.Equal(t, []string{
		"name", "addresses[0].cep", "addresses[1]", "assets[0].value", "assets[0].lien.creditor", "cards[0]",
		"contacts[0].phones[1]", "contacts[0].fleet_manager", "info.profession", "info.rg", "info.spouse_name",
	}, customer.Diff(old, n))

	same := old.Clone()
	same.Assets[0].Value = decimal.RequireFromString("98500.0")
	assert.Empty(t, customer.Diff(old, same), "money compares by value")
}

func TestDefaultPolicy(t *testing.T) {
	t.Parallel()
	old := full()
	old.ID, old.Version = customer.NewID(), 3

	n := old.Clone()
	n.TaxID = customer.MustParseTaxID("390.533.447-05")
	n.Kind = customer.Company
	n.Name = "Outro Nome"
	n.ID = customer.NewID()
	n.Version = 4
	err := customer.CheckPolicy(customer.DefaultPolicy, old, n)
	var v *customer.ValidationError
	require.True(t, errors.As(err, &v))
	assert.True(t, errors.Is(err, customer.ErrFieldLocked))
	var paths []string
	for _, f := range v.Fields {
		paths = append(paths, f.Path)
		assert.Equal(t, "field.locked", f.Code())
	}
	assert.ElementsMatch(t, []string{"tax_id", "kind", "id", "version"}, paths, "every locked field is named; the name is not")

	prospect := old.Clone()
	prospect.Status = customer.StatusProspect
	fix := prospect.Clone()
	fix.TaxID = customer.MustParseTaxID("390.533.447-05")
	assert.NoError(t, customer.CheckPolicy(customer.DefaultPolicy, prospect, fix), "a prospect's tax ID can be corrected")

	ok := old.Clone()
	ok.Notes = "atualizado"
	ok.Addresses = nil
	assert.NoError(t, customer.CheckPolicy(customer.DefaultPolicy, old, ok))
}

func TestHostPolicies(t *testing.T) {
	t.Parallel()
	old := full()
	old.DMSCode = "C-1"
	fromDMS := customer.Lock{Paths: []string{"name", "tax_id", "addresses"}, If: func(c *customer.Customer) bool { return c.DMSCode != "" }}
	p := customer.Policies{customer.DefaultPolicy, fromDMS}

	n := old.Clone()
	n.Name = "Outro"
	n.Addresses[0].Number = "2000"
	n.Phones = n.Phones[:1]
	err := customer.CheckPolicy(p, old, n)
	var v *customer.ValidationError
	require.True(t, errors.As(err, &v))
	assert.True(t, v.Has("name", "field.locked"))
	assert.True(t, v.Has("addresses[0].number", "field.locked"))
	assert.False(t, v.Has("phones[1]", "field.locked"))

	local := old.Clone()
	local.DMSCode = ""
	n2 := local.Clone()
	n2.Name = "Outro"
	assert.NoError(t, customer.CheckPolicy(p, local, n2), "the lock applies only to records from the DMS")

	// A lock on one element leaves its siblings free; a path is not a
	// prefix of a longer field name.
	one := customer.Lock{Paths: []string{"cards[0]", "info.rg"}}
	assert.Equal(t, []string{"cards[0]"}, one.Locked(old, []string{"cards[0]", "cards[1]", "info.rg_issuer"}))
	card, err := reference.ParseCard("4111111111111111")
	require.NoError(t, err)
	n3 := old.Clone()
	n3.Cards = append(n3.Cards, card)
	assert.NoError(t, customer.CheckPolicy(one, old, n3))
}

// TestDefaultPolicyIsTransitive checks, over every combination of the
// fields the default policy locks and of the status that conditions it,
// that no two allowed updates reach a state that one update could not:
// the lock cannot be lifted by a detour.
func TestDefaultPolicyIsTransitive(t *testing.T) {
	t.Parallel()
	cpfs := []customer.TaxID{{}, customer.MustParseTaxID("248.438.034-80"), customer.MustParseTaxID("111.444.777-35")}
	var states []*customer.Customer
	for _, k := range []customer.Kind{customer.Individual, customer.Company} {
		for _, s := range []customer.Status{customer.StatusProspect, customer.StatusCustomer} {
			for _, tax := range cpfs {
				for _, name := range []string{"Ana", "Bia"} {
					states = append(states, &customer.Customer{Kind: k, Status: s, TaxID: tax, Name: name})
				}
			}
		}
	}
	allowed := func(a, b *customer.Customer) bool {
		return customer.CheckPolicy(customer.DefaultPolicy, a, b) == nil
	}
	for _, a := range states {
		for _, b := range states {
			if !allowed(a, b) {
				continue
			}
			for _, c := range states {
				if allowed(b, c) && !allowed(a, c) {
					t.Fatalf("%v/%v/%s → %v/%v/%s → %v/%v/%s reaches what one update may not",
						a.Kind, a.Status, a.TaxID, b.Kind, b.Status, b.TaxID, c.Kind, c.Status, c.TaxID)
				}
			}
		}
	}
	// And the lock itself: a customer proper keeps its tax ID, kind and status.
	c := states[len(states)-1]
	require.Equal(t, customer.StatusCustomer, c.Status)
	for _, change := range []func(x *customer.Customer){
		func(x *customer.Customer) { x.Status = customer.StatusProspect },
		func(x *customer.Customer) { x.Kind = customer.Individual },
		func(x *customer.Customer) { x.TaxID = cpfs[1] },
	} {
		n := c.Clone()
		change(n)
		assert.False(t, allowed(c, n))
	}
}
