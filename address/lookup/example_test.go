package lookup_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/address/lookup"
)

// table is a CEP service that knows a few CEPs by heart; it stands in
// for viacep.New(nil) in this example, which makes no request.
type table map[address.CEP]address.Result

func (t table) Lookup(ctx context.Context, cep address.CEP) (address.Result, error) {
	r, ok := t[cep]
	if !ok {
		return address.Result{}, address.ErrLookupNotFound
	}
	r.CEP, r.Source = cep, "table"
	return r, nil
}

// down is a CEP service that cannot answer now; it stands in for
// brasilapi.New(nil) on a bad day.
type down struct{}

func (down) Lookup(context.Context, address.CEP) (address.Result, error) {
	return address.Result{}, fmt.Errorf("%w: HTTP status 503", address.ErrLookupUnavailable)
}

func Example() {
	known := table{
		address.MustParseCEP("01310-100"): {Street: "Avenida Paulista", District: "Bela Vista", City: "São Paulo", UF: address.SP},
	}
	// Built once, shared by every request of the host.
	ceps := lookup.NewCache(lookup.WithOffline(lookup.First(down{}, known)), nil)
	ctx := context.Background()

	// One service is down; the other answers.
	a := address.Address{CEP: address.MustParseCEP("01310-100"), Number: "1000"}
	r, err := ceps.Lookup(ctx, a.CEP)
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Source, address.Fill(&a, r, nil))
	fmt.Println(a.Street, a.Number, "-", a.District, "-", a.City, a.UF)

	// A CEP one service says does not exist: the attendant types it all.
	_, err = ceps.Lookup(ctx, address.MustParseCEP("88015-200"))
	fmt.Println("not found:", errors.Is(err, address.ErrLookupNotFound))

	// Every service down: the state still comes from the CEP's range.
	r, err = lookup.WithOffline(down{}).Lookup(ctx, address.MustParseCEP("69005-000"))
	fmt.Println(r.Source, r.Offline, r.UF, err)

	fmt.Println("answers cached:", ceps.Len())
	// Output:
	// table [street district city uf]
	// Avenida Paulista 1000 - Bela Vista - São Paulo SP
	// not found: true
	// offline true AM <nil>
	// answers cached: 2
}
