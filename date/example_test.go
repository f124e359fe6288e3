package date_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/fichacrm/ficha/date"
	"github.com/fichacrm/ficha/validation"
)

// A date arrives as a form or a JSON body sends it, YYYY-MM-DD, and is
// shown to people as Brazilians write it. A day that does not exist is
// refused with the rule date.invalid, whose message a host shows next to
// the field.
func ExampleParse() {
	d, err := date.Parse("2019-03-05")
	if err != nil {
		panic(err)
	}
	fmt.Println(d.String(), "is shown as", d.Format())

	_, err = date.Parse("2019-02-29") // 2019 is no leap year
	var rule *validation.Rule
	if errors.As(err, &rule) {
		fmt.Println(rule.Code(), "-", rule.Message(validation.Portuguese))
	}
	fmt.Println(errors.Is(err, date.ErrInvalid))

	// Parse reads the ISO form only; a date typed as Brazilians write it
	// is read by ParseBrazilian.
	_, err = date.Parse("05/03/2019")
	fmt.Println(err)
	d, _ = date.ParseBrazilian("5/3/2019")
	fmt.Println(d)
	// Output:
	// 2019-03-05 is shown as 05/03/2019
	// date.invalid - data inválida
	// true
	// not a valid date
	// 2019-03-05
}

// New builds a date from its parts, and refuses a day the month does not
// have.
func ExampleNew() {
	d, err := date.New(1985, time.March, 7)
	fmt.Println(d.Format(), err)

	_, err = date.New(2024, time.April, 31)
	fmt.Println(err)

	fmt.Println(date.DaysIn(time.February, 2024), date.DaysIn(time.February, 2023))
	// Output:
	// 07/03/1985 <nil>
	// not a valid date
	// 29 28
}

// The zero Date is "no date": a birth date nobody typed. It formats as
// empty text and is stored as NULL.
func ExampleDate_IsZero() {
	var birth date.Date
	v, err := birth.Value()
	fmt.Printf("%t %q %v %v\n", birth.IsZero(), birth.Format(), v, err)
	// Output:
	// true "" <nil> <nil>
}

// Dates compare by day; Of takes the day of a time in its own location.
func ExampleDate_Before() {
	sp := time.FixedZone("BRT", -3*60*60)
	// 01:30 UTC on March 6th is still March 5th in São Paulo.
	t := time.Date(2019, time.March, 6, 1, 30, 0, 0, time.UTC)
	today := date.Of(t.In(sp))
	payoff := date.MustNew(2019, time.March, 6)
	fmt.Println(today.Format(), today.Before(payoff), payoff.After(today))
	// Output:
	// 05/03/2019 true true
}
