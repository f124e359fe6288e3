package customer_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
)

// withExtensions returns full() with an extension on its landline and a
// contact's landline with one.
func withExtensions() *customer.Customer {
	c := full()
	c.Phones[1] = contact.MustParsePhone("(11) 3333-4444 ramal 123")
	c.Contacts[0].Phones = append(c.Contacts[0].Phones, contact.MustParsePhone("(11) 3030-4040 r. 45"))
	return c
}

func TestSearchKeysOfAPhoneWithAnExtension(t *testing.T) {
	t.Parallel()
	c := withExtensions()
	require.NoError(t, c.ValidateAt(now))
	plain := full()
	plain.Contacts[0].Phones = append(plain.Contacts[0].Phones, contact.MustParsePhone("(11) 3030-4040"))
	assert.Equal(t, plain.SearchKeys(), c.SearchKeys(), "an extension adds no key and changes none")
	assert.ElementsMatch(t, []string{"+5511987654321", "987654321", "+551133334444", "33334444", "+5511912345678", "912345678",
		"+551130304040", "30304040"}, keysOf(c, customer.FieldPhone))
}

func TestQueryTypedWithAnExtension(t *testing.T) {
	t.Parallel()
	terms, err := customer.Query{Phone: "(11) 3333-4444 ramal 123"}.Terms()
	require.NoError(t, err)
	assert.Equal(t, []customer.Term{{Field: customer.FieldPhone, Value: "+551133334444"}}, terms, "the main number is searched")
	terms, err = customer.Query{Phone: "3333-4444 r. 123"}.Terms()
	require.NoError(t, err)
	assert.Equal(t, []customer.Term{{Field: customer.FieldPhone, Value: "33334444"}}, terms, "without the DDD too")

	for _, c := range []*customer.Customer{withExtensions(), full()} {
		for _, q := range []customer.Query{
			{Phone: "(11) 3333-4444 ramal 123"},
			{Phone: "(11) 3333-4444 r. 9"}, // another extension of the same number
			{Phone: "+551133334444;ext=123"},
			{Phone: "3333 4444 x123"},
			{Phone: "(11) 3333-4444"},
			{Phone: "(11) 98765-4321 ramal 5"}, // a mobile is never stored with one, but a search finds it
		} {
			assert.True(t, match(t, c, q), "%+v", q)
		}
	}
	assert.True(t, match(t, withExtensions(), customer.Query{Phone: "3030-4040 ramal 45"}), "a contact's phone")
	assert.False(t, match(t, withExtensions(), customer.Query{Phone: "(11) 3333-4445 ramal 123"}))

	for _, typed := range []string{"(11) 3333-4444 ramal", "(11) 3333-4444 ramal 1234567", "3333-4444 fixo", "ramal 123"} {
		_, err := customer.Query{Phone: typed}.Terms()
		var v *customer.ValidationError
		require.ErrorAs(t, err, &v, typed)
		assert.True(t, v.Has("phone", "query.phone"), typed)
	}
}
