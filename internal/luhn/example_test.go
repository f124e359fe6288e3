package luhn_test

import (
	"fmt"

	"github.com/fichacrm/ficha/internal/luhn"
)

func ExampleContainsCardNumber() {
	for _, note := range []string{
		"Pagou com o cartão 4539.1488.0343.6467, venc. 12/30",
		"ref 12 4539 1488 0343 6467",
		"Ligar no (11) 98765-4321 após 12/03/2024; CEP 01310-100; R$ 1.234,56",
		"NF-e 3524 0826 6371 4300 0100 5500 1000 0000 0211 2345 6788",
	} {
		fmt.Println(luhn.ContainsCardNumber(note))
	}
	// Output:
	// true
	// true
	// false
	// false
}
