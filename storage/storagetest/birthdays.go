package storagetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/date"
	"github.com/fichacrm/ficha/storage"
)

// testBirthdays checks the birthdays of a range: customers' and
// contacts', across the new year, 29 February in leap and other years,
// paging, and the range's limits.
func testBirthdays(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	born := func(n int, d date.Date) *customer.Customer {
		c := Individual(n)
		c.BirthDate = d
		created, err := s.Create(ctx(t), tn, c)
		require.NoError(t, err)
		return created
	}
	dec30 := born(1, date.MustNew(1980, time.December, 30))
	jan2 := born(2, date.MustNew(1990, time.January, 2))
	leap := born(3, date.MustNew(1992, time.February, 29))
	feb28 := born(4, date.MustNew(1970, time.February, 28))
	mar1 := born(5, date.MustNew(1985, time.March, 1))
	born(6, date.MustNew(1975, time.July, 15))
	co := Company(7)
	co.Contacts = []contact.Contact{
		{Name: "Sem Ano", Birthday: contact.Birthday{Day: 31, Month: time.December}, Phones: []contact.Phone{contact.MustParsePhone("(11) 3222-1100")}},
		{Name: "Bissexto", Birthday: contact.Birthday{Day: 29, Month: time.February, Year: 1988}},
		{Name: "Sem Aniversário"},
	}
	company, err := s.Create(ctx(t), tn, co)
	require.NoError(t, err)

	names := func(p *storage.BirthdayPage) []string {
		var out []string
		for _, b := range p.Items {
			n := b.Customer
			if b.Contact != "" {
				n = b.Contact
			}
			out = append(out, n+" "+b.On.String())
		}
		return out
	}
	page, err := s.Birthdays(ctx(t), tn, date.MustNew(2030, time.December, 28), date.MustNew(2031, time.January, 5), 0, "")
	require.NoError(t, err)
	assert.Equal(t, []string{dec30.Name + " 2030-12-30", "Sem Ano 2030-12-31", jan2.Name + " 2031-01-02"}, names(page), "across the new year")
	age, ok := page.Items[0].Age()
	assert.True(t, ok)
	assert.Equal(t, 50, age)
	_, ok = page.Items[1].Age()
	assert.False(t, ok, "a contact's birthday without a year")
	assert.Equal(t, company.ID, page.Items[1].CustomerID)
	assert.Equal(t, customer.Company, page.Items[1].Kind)
	assert.Equal(t, customer.Individual, page.Items[0].Kind)
	assert.Equal(t, 0, page.Items[1].ContactIndex)
	assert.Equal(t, "+551132221100", page.Items[1].Phone.String(), "the contact's phone")
	assert.Equal(t, dec30.Phones[0], page.Items[0].Phone, "the customer's phone")

	// Page by page, the same list.
	var paged []string
	cursor := ""
	for range 10 {
		p, err := s.Birthdays(ctx(t), tn, date.MustNew(2030, time.December, 28), date.MustNew(2031, time.January, 5), 1, cursor)
		require.NoError(t, err)
		paged = append(paged, names(p)...)
		if cursor = p.Next; cursor == "" {
			break
		}
	}
	assert.Equal(t, names(page), paged)

	// 29 February: on the 28th in a common year, on the 29th in a leap one.
	common, err := s.Birthdays(ctx(t), tn, date.MustNew(2031, time.February, 27), date.MustNew(2031, time.February, 28), 0, "")
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{feb28.Name + " 2031-02-28", leap.Name + " 2031-02-28", "Bissexto 2031-02-28"}, names(common))
	march, err := s.Birthdays(ctx(t), tn, date.MustNew(2031, time.March, 1), date.MustNew(2031, time.March, 1), 0, "")
	require.NoError(t, err)
	assert.Equal(t, []string{mar1.Name + " 2031-03-01"}, names(march), "not again on 1 March")
	leapYear, err := s.Birthdays(ctx(t), tn, date.MustNew(2032, time.February, 29), date.MustNew(2032, time.February, 29), 0, "")
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{leap.Name + " 2032-02-29", "Bissexto 2032-02-29"}, names(leapYear))

	// Limits and isolation.
	_, err = s.Birthdays(ctx(t), tn, date.MustNew(2031, time.March, 2), date.MustNew(2031, time.March, 1), 0, "")
	assert.ErrorIs(t, err, storage.ErrRange)
	_, err = s.Birthdays(ctx(t), tn, date.MustNew(2031, time.January, 1), date.MustNew(2032, time.January, 2), 0, "")
	assert.ErrorIs(t, err, storage.ErrRange, "367 days")
	twice, err := s.Birthdays(ctx(t), tn, date.MustNew(2031, time.January, 2), date.MustNew(2032, time.January, 2), 0, "")
	require.NoError(t, err, "366 days")
	var jan []string
	for _, b := range twice.Items {
		if b.CustomerID == jan2.ID {
			jan = append(jan, b.On.String())
		}
	}
	assert.Equal(t, []string{"2031-01-02", "2032-01-02"}, jan, "a range of a year and a day meets a birthday twice")
	none, err := s.Birthdays(ctx(t), tenant(t), date.MustNew(2031, time.January, 1), date.MustNew(2031, time.December, 31), 0, "")
	require.NoError(t, err)
	assert.Empty(t, none.Items)
}
