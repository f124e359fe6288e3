package storagebench

import (
	"context"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/storagetest"
)

// placeholder is the e-mail a DMS export gives records that had none.
const placeholder = "naotem@naotem.com.br"

// BenchmarkManyHolders times searches by a key that many customers hold:
// a store of N customers, every fourth of which carries the same
// placeholder e-mail besides its own (N/4 holders, past the search budget
// from N=20000 on), searched for the placeholder alone, with a name
// prefix, with a phone only one customer has, and, for comparison, by a
// CPF that one customer holds. Sizes and adapters as BenchmarkStore's.
func BenchmarkManyHolders(b *testing.B) {
	eachLoaded(b, nil, loadHolders, func(b *testing.B, s *storage.Store, ids []uuid.UUID, n int) {
		ctx := context.Background()
		search := func(name string, q func(i int) customer.Query, hit bool) {
			b.Run(name, func(b *testing.B) {
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					// The next holder that is a person (every fifth
					// customer is a company).
					if i = (i + 4) % (n &^ 3); i%5 == 4 {
						i = (i + 4) % (n &^ 3)
					}
					p, err := s.Search(ctx, tenant, q(i), nil)
					if err != nil {
						b.Fatal(err)
					}
					if hit && len(p.Hits) == 0 {
						b.Fatal("no hit")
					}
				}
			})
		}
		search("placeholder", func(int) customer.Query { return customer.Query{Email: placeholder} }, true)
		search("placeholder+name-prefix", func(i int) customer.Query {
			f := strings.Fields(storagetest.Name(i))
			return customer.Query{Email: placeholder, Name: prefix(f[0], 3) + " " + prefix(f[1], 4)}
		}, false)
		search("placeholder+phone", func(i int) customer.Query {
			return customer.Query{Email: placeholder, Phone: storagetest.Phone(i).Format()}
		}, true)
		search("placeholder+unknown-name", func(int) customer.Query {
			return customer.Query{Email: placeholder, Name: "xyzw"}
		}, false)
		search("cpf", func(i int) customer.Query { return customer.Query{TaxID: storagetest.CPF(i).Format()} }, true)
	})
}

// loadHolders creates customers 0..n-1 as load does, every fourth with
// the placeholder e-mail added.
func loadHolders(ctx context.Context, b *testing.B, s *storage.Store, n int) []uuid.UUID {
	mail := contact.MustParseEmail(placeholder)
	return createEach(ctx, b, s, n, func(i int) *customer.Customer {
		c := mk(i)
		if i%4 == 0 {
			c.Emails = append(c.Emails, mail)
		}
		return c
	})
}
