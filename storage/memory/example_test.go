package memory_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/memory"
	"github.com/fichacrm/ficha/validation"
)

// tenant is the dealership every example works for. Every call of a store
// names its tenant, and no call reaches another tenant's customers.
const tenant = "concessionaria-centro"

// The main job: open a store, register a prospect from what the attendant
// typed, and read it back. The in-memory store is a full member of the
// storage contract, so a host's tests use it where production uses SQLite
// or PostgreSQL.
func Example() {
	ctx := context.Background()
	store := memory.Open(nil)
	defer store.Close()

	saved, err := store.Create(ctx, tenant, &customer.Customer{
		Kind:   customer.Individual,
		Status: customer.StatusProspect,
		Name:   "Ana Paula Souza",
		Phones: []contact.Phone{contact.MustParsePhone("(11) 98765-4321")},
	})
	if err != nil {
		panic(err)
	}
	// The store set the ID (a new UUIDv7), the version and the times.
	got, err := store.Get(ctx, tenant, saved.ID)
	if err != nil {
		panic(err)
	}
	fmt.Println(got.Name, "-", got.Status, "- version", got.Version)
	fmt.Println(got.Phones[0].Format(), got.Phones[0].Kind())
	fmt.Println(got.ID == saved.ID, got.CreatedAt.Equal(saved.CreatedAt))

	// Another dealership does not see her.
	_, err = store.Get(ctx, "concessionaria-norte", saved.ID)
	fmt.Println(errors.Is(err, storage.ErrNotFound))
	// Output:
	// Ana Paula Souza - prospect - version 1
	// (11) 98765-4321 mobile
	// true true
	// true
}

// A record that fails validation is refused whole, with every failed field
// listed at once: its path, a stable code for programs, and a message in
// Brazilian Portuguese (or English) to show next to the field. No message
// repeats the value that failed.
func Example_validationError() {
	ctx := context.Background()
	store := memory.Open(nil)
	defer store.Close()

	// The body the host's registration form posted: a CPF whose last digit
	// was mistyped (the form's mask sends digits only), and an address in
	// São Paulo's CEP range marked as Rio de Janeiro.
	body := `{
		"kind": "individual", "status": "customer", "name": "Ana Paula Souza",
		"tax_id": "24843803481",
		"phones": ["(11) 98765-4321"],
		"addresses": [{"cep": "01310-100", "street": "Avenida Paulista", "number": "1000",
			"city": "São Paulo", "uf": "RJ", "purposes": "correspondence"}]
	}`
	var c customer.Customer
	if err := json.Unmarshal([]byte(body), &c); err != nil {
		panic(err)
	}

	_, err := store.Create(ctx, tenant, &c)
	fmt.Println(errors.Is(err, storage.ErrInvalid))
	var verr *customer.ValidationError
	if errors.As(err, &verr) {
		for _, f := range verr.Fields {
			fmt.Printf("%s (%s): %s\n", f.Path, f.Code(), f.Message(validation.Portuguese))
		}
	}
	n, _ := store.Count(ctx, tenant)
	fmt.Println("stored:", n)
	// Output:
	// true
	// addresses[0].cep (cep.uf_mismatch): o CEP não pertence ao estado do endereço
	// tax_id (cpf.check_digit): os dígitos verificadores do CPF não conferem
	// stored: 0
}

// An attendant finds a customer by any key she knows, typed as she
// types it: a name and a phone, a CPF with or without its dots, a plate in
// the old or the Mercosul form. Each hit says which of the customer's
// search keys matched.
func Example_search() {
	ctx := context.Background()
	store := memory.Open(nil)
	defer store.Close()

	for _, c := range []*customer.Customer{
		{
			Kind: customer.Individual, Status: customer.StatusCustomer,
			Name: "José Carlos de Oliveira", TaxID: customer.MustParseTaxID("248.438.034-80"),
			Phones: []contact.Phone{contact.MustParsePhone("(48) 99988-7766")},
			Assets: []asset.Asset{{Description: "Fiat Toro", Kind: asset.Vehicle, Year: 2024, Plate: asset.MustParsePlate("QJA-4B21")}},
		},
		{
			Kind: customer.Individual, Status: customer.StatusCustomer,
			Name: "Josefa Oliveira Lima", TaxID: customer.MustParseTaxID("390.533.447-05"),
			Phones: []contact.Phone{contact.MustParsePhone("(11) 98765-4321")},
		},
		{
			Kind: customer.Individual, Status: customer.StatusProspect,
			Name:   "Maria José Santos",
			Phones: []contact.Phone{contact.MustParsePhone("(48) 99988-7766")},
			Assets: []asset.Asset{{Description: "VW Gol", Kind: asset.Vehicle, Year: 2012, Plate: asset.MustParsePlate("MEC-1234")}},
		},
	} {
		if _, err := store.Create(ctx, tenant, c); err != nil {
			panic(err)
		}
	}

	show := func(title string, q customer.Query) {
		page, err := store.Search(ctx, tenant, q, nil)
		if err != nil {
			panic(err)
		}
		fmt.Println(title)
		for _, h := range page.Hits {
			var keys []string
			for _, k := range h.Matched {
				keys = append(keys, k.Field.String()+"="+k.Value)
			}
			fmt.Printf("  %s [%s]\n", h.Name, strings.Join(keys, " "))
		}
	}
	// Words start words of the name, without accents or case; the phone
	// is found with or without its DDD.
	show("name and phone:", customer.Query{Name: "jose oliv", Phone: "99988-7766"})
	show("CPF:", customer.Query{TaxID: "39053344705"})
	// MEC-1234 in the Mercosul form.
	show("plate:", customer.Query{Plate: "mec1c34"})
	// Output:
	// name and phone:
	//   José Carlos de Oliveira [name=jose name=oliveira phone=999887766]
	// CPF:
	//   Josefa Oliveira Lima [tax_id=39053344705]
	// plate:
	//   Maria José Santos [plate=MEC1C34]
}

// A search returns a page at a time, the most recently active customers
// first. Page.Next is the cursor of the following page, empty on the last
// one; paging neither skips nor repeats a customer while others are
// registered meanwhile.
func Example_paging() {
	ctx := context.Background()
	store := memory.Open(nil)
	defer store.Close()

	for _, name := range []string{
		"Transportes Alfa Ltda", "Transportes Beta Ltda", "Transportes Gama Ltda",
		"Transportes Delta Ltda", "Transportes Épsilon Ltda",
	} {
		_, err := store.Create(ctx, tenant, &customer.Customer{
			Kind: customer.Company, Status: customer.StatusProspect, Name: name,
			Emails: []contact.Email{contact.MustParseEmail("frota@example.com.br")},
		})
		if err != nil {
			panic(err)
		}
	}

	opts := &storage.SearchOptions{Limit: 2}
	for n := 1; ; n++ {
		page, err := store.Search(ctx, tenant, customer.Query{Company: "transportes"}, opts)
		if err != nil {
			panic(err)
		}
		var names []string
		for _, h := range page.Hits {
			names = append(names, h.Name)
		}
		fmt.Printf("page %d: %s\n", n, strings.Join(names, ", "))
		if page.Next == "" {
			break
		}
		opts.Cursor = page.Next
	}
	// Output:
	// page 1: Transportes Épsilon Ltda, Transportes Delta Ltda
	// page 2: Transportes Gama Ltda, Transportes Beta Ltda
	// page 3: Transportes Alfa Ltda
}

// Two attendants open the same customer. The first to save wins; the
// second's save, made from a copy that is no longer current, fails with
// storage.ErrConflict and changes nothing, so neither silently overwrites
// the other. Store.Modify is the read-modify-write that retries on a
// fresh copy.
func Example_conflict() {
	ctx := context.Background()
	store := memory.Open(nil)
	defer store.Close()

	c, err := store.Create(ctx, tenant, &customer.Customer{
		Kind: customer.Individual, Status: customer.StatusProspect, Name: "Ana Paula Souza",
		Phones: []contact.Phone{contact.MustParsePhone("(11) 98765-4321")},
	})
	if err != nil {
		panic(err)
	}

	first, _ := store.Get(ctx, tenant, c.ID)
	second, _ := store.Get(ctx, tenant, c.ID)

	first.Notes = "Prefere contato à tarde"
	if _, err := store.Update(ctx, tenant, first); err != nil {
		panic(err)
	}
	second.Employer = "Águas Claras Transportes"
	_, err = store.Update(ctx, tenant, second)
	fmt.Println(errors.Is(err, storage.ErrConflict))

	// Modify reads the current copy, applies the change and saves it,
	// reading again when someone saved in between. The change decides
	// from the copy it is given.
	saved, err := store.Modify(ctx, tenant, c.ID, func(c *customer.Customer) error {
		c.Employer = "Águas Claras Transportes"
		return nil
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(saved.Version, saved.Notes, "/", saved.Employer)
	// Output:
	// true
	// 3 Prefere contato à tarde / Águas Claras Transportes
}

// The store's edit policy (customer.DefaultPolicy unless the host sets
// another) locks a customer's tax ID, kind and status once it is a
// customer proper: invoices depend on them. An update that changes a
// locked field fails with storage.ErrLocked and a validation error naming
// each such field. UpdateWithPolicy applies another policy to one update,
// here a supervisor's, which locks only what no update may change.
func Example_editPolicy() {
	ctx := context.Background()
	store := memory.Open(nil)
	defer store.Close()

	c, err := store.Create(ctx, tenant, &customer.Customer{
		Kind: customer.Individual, Status: customer.StatusCustomer, Name: "José Carlos de Oliveira",
		TaxID: customer.MustParseTaxID("248.438.034-80"),
	})
	if err != nil {
		panic(err)
	}

	// The CPF was registered wrong; the attendant tries to correct it.
	fix := c.Clone()
	fix.TaxID = customer.MustParseTaxID("390.533.447-05")
	_, err = store.Update(ctx, tenant, fix)
	fmt.Println(errors.Is(err, storage.ErrLocked))
	var verr *customer.ValidationError
	if errors.As(err, &verr) {
		for _, f := range verr.Fields {
			fmt.Printf("%s (%s): %s\n", f.Path, f.Code(), f.Message(validation.Portuguese))
		}
	}

	// A supervisor's screen saves with a policy of its own.
	supervisor := customer.Policies{customer.Immutable}
	saved, err := store.UpdateWithPolicy(ctx, tenant, fix, supervisor)
	if err != nil {
		panic(err)
	}
	fmt.Println(saved.TaxID.Format(), "- version", saved.Version)
	// Output:
	// true
	// tax_id (field.locked): este campo não pode ser alterado
	// 390.533.447-05 - version 2
}
