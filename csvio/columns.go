package csvio

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/date"
	"github.com/fichacrm/ficha/internal/fold"
	"github.com/fichacrm/ficha/reference"
	"github.com/fichacrm/ficha/validation"
)

// This file is the one description of the columns: their keys, headers
// and paths, and how each cell is read and written. Keys, Headers, the
// reader's header matching, the writer's header row and the round trip
// all derive from it.

// field is one column of the file: a field of the customer, or of one
// element of a list of sub-records.
type field struct {
	id      int    // position in the catalog
	key     string // "tax_id", "phone"; within a group "cep"
	group   *group // the sub-record list it belongs to, or nil
	path    string // the customer path, within the group's element for a group field: "cep", "lien.balance"
	header  string // the header export writes (numbered for a group or list)
	aliases []string
	// list marks a field of which each column adds an element: the
	// customer's phones and e-mails. A group field with list set (a
	// contact's phones) takes several values in one cell, and each of
	// its columns adds to the element's list.
	list bool
	// many marks a field that several columns may feed, each adding to
	// its list: the customer's phones, e-mails and service orders, a
	// contact's phones.
	many bool
	// text marks free text, kept as written: a cell of spaces is text.
	// Any other cell is trimmed by its parser, and a blank one says
	// nothing.
	text bool
	// count returns how many elements a list field's list holds.
	count func(c *customer.Customer) int
	// read reads the cell s into the customer, at element i of the
	// group or list, and reports what it cannot read through d.
	read func(d *decoder, c *customer.Customer, i int, s string)
	// write appends the cell of element i (0 for a plain field). An
	// element that holds nothing writes an empty cell in every column.
	write func(b []byte, c *customer.Customer, i int) ([]byte, error)
}

// group is a list of sub-records: each element is written as a numbered
// group of columns ("CEP 1", "Logradouro 1", ...).
type group struct {
	key    string // "address"
	path   string // "addresses"
	max    int    // the most elements a record may hold
	fields []*field
	size   func(c *customer.Customer) int
	add    func(c *customer.Customer)
	drop   func(c *customer.Customer)
	// finish, when set, completes element i once its cells are read.
	finish func(d *decoder, c *customer.Customer, i int)
	// shape returns the count a Shape keeps for the group.
	shape func(s *Shape) *int
}

// catalog is every column, with the index of built-in header names.
type catalog struct {
	fields []*field // plain and list fields, then each group's, in export order
	groups []*group
	top    []*field          // the fields of no group, in export order
	byName map[string]*field // normalised built-in header name -> field
	byKey  map[string]*field // key ("tax_id", "address.cep") -> field
	// conflicts lists built-in names that two fields claim or that end
	// in a digit: mistakes in the table, which a test keeps at none.
	conflicts []string
}

// cat is built once and never changed.
var cat = newCatalog()

func newCatalog() *catalog {
	k := &catalog{byName: map[string]*field{}, byKey: map[string]*field{}, top: topFields(), groups: groups()}
	// Export order: the profile, then each group, then the ID (a file
	// whose first cell is "ID" opens in Excel as a SYLK file).
	var id *field
	for _, f := range k.top {
		if f.key == "id" {
			id = f
			continue
		}
		k.fields = append(k.fields, f)
	}
	for _, g := range k.groups {
		for _, f := range g.fields {
			f.group = g
			k.fields = append(k.fields, f)
		}
	}
	k.fields = append(k.fields, id)
	for i, f := range k.fields {
		f.id = i
		k.byKey[keyOf(f)] = f
		for _, a := range append([]string{f.header}, f.aliases...) {
			n := normalize(a)
			if other, ok := k.byName[n]; ok && other != f || n == "" || isDigit(n[len(n)-1]) {
				k.conflicts = append(k.conflicts, a)
				continue
			}
			k.byName[n] = f
		}
	}
	return k
}

// keyOf returns the base key of f: "tax_id", "address.cep".
func keyOf(f *field) string {
	if f.group != nil {
		return f.group.key + "." + f.key
	}
	return f.key
}

// Keys returns every column key, in the order export writes the
// columns: the customer's own fields ("name", "tax_id", "phone"), then
// the fields of each list of sub-records ("address.cep",
// "asset.plate", "contact.name", "card.number"), then "id".
//
// A key of a sub-record stands for the first one; the group's number
// after the group's name picks another: "address2.cep" is the CEP of the
// second address. The additional information has a column per key,
// "info." followed by the key ("info.spouse_name"), which Keys does not
// list. In [Options.Columns], the key "-" ignores a column.
func Keys() []string {
	out := make([]string, len(cat.fields))
	for i, f := range cat.fields {
		out[i] = keyOf(f)
	}
	return out
}

// Headers returns the header names the reader recognises for a key of
// [Keys], the one export writes first (for a numbered column, export
// adds the number: "Telefone 1", "CEP 2"); nil for any other key. The
// reader matches them whatever the case, accents, spaces and
// punctuation, and with a number after them for a list's columns.
func Headers(key string) []string {
	f, ok := cat.byKey[key]
	if !ok {
		return nil
	}
	return append([]string{f.header}, f.aliases...)
}

// normalize folds a header for matching: accents and case removed, and
// nothing but letters and digits kept ("E-mail 2" is "email2").
func normalize(h string) string {
	ascii := true
	for i := 0; i < len(h); i++ {
		if h[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		b := make([]byte, 0, len(h))
		for i := 0; i < len(h); i++ {
			switch c := h[i]; {
			case c >= 'A' && c <= 'Z':
				b = append(b, c+'a'-'A')
			case c >= 'a' && c <= 'z' || isDigit(c):
				b = append(b, c)
			}
		}
		return string(b)
	}
	f := fold.String(h)
	b := make([]byte, 0, len(f))
	for _, r := range f {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b = utf8.AppendRune(b, r)
		}
	}
	return string(b)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// lookupHeader finds the column a header names by its built-in names:
// the field and, for a group's column, the group's number (1 when the
// header has none). A list's column ("Telefone 2") may carry a number,
// which says nothing: each column adds an element in column order.
func lookupHeader(h string) (*field, int, bool) {
	n := normalize(h)
	if f, ok := cat.byName[n]; ok {
		return f, 1, true
	}
	end := len(n)
	for end > 0 && isDigit(n[end-1]) {
		end--
	}
	if end == len(n) || end == 0 || len(n)-end > 6 {
		return nil, 0, false
	}
	num, _ := strconv.Atoi(n[end:])
	f, ok := cat.byName[n[:end]]
	if !ok || f.group == nil && !f.list || num < 1 {
		return nil, 0, false
	}
	if f.group != nil && num > f.group.max {
		return nil, 0, false
	}
	return f, max(num, 1), true
}

// lookupKey finds the column a key names: the field and the group's
// number, as in "address2.cep".
func lookupKey(key string) (*field, int, bool) {
	if f, ok := cat.byKey[key]; ok {
		return f, 1, true
	}
	g, name, ok := strings.Cut(key, ".")
	if !ok {
		return nil, 0, false
	}
	end := len(g)
	for end > 0 && isDigit(g[end-1]) {
		end--
	}
	if end == len(g) || len(g)-end > 6 || g[end] == '0' {
		return nil, 0, false
	}
	num, _ := strconv.Atoi(g[end:])
	f, ok := cat.byKey[g[:end]+"."+name]
	if !ok || num > f.group.max {
		return nil, 0, false
	}
	return f, num, true
}

// grow returns s with at least i+1 elements.
func grow[T any](s []T, i int) []T {
	for len(s) <= i {
		var zero T
		s = append(s, zero)
	}
	return s
}

// text returns a column of free text.
func text(key, path, header string, aliases []string, at func(c *customer.Customer, i int) *string) *field {
	return &field{key: key, path: path, header: header, aliases: aliases, text: true,
		read: func(_ *decoder, c *customer.Customer, i int, s string) { *at(c, i) = s },
		write: func(b []byte, c *customer.Customer, i int) ([]byte, error) {
			return append(b, *at(c, i)...), nil
		}}
}

// code returns a column of a code without spaces (a DMS code): trimmed,
// and judged by validation, not here.
func code(key, path, header string, aliases []string, at func(c *customer.Customer, i int) *string) *field {
	return &field{key: key, path: path, header: header, aliases: aliases,
		read: func(_ *decoder, c *customer.Customer, i int, s string) { *at(c, i) = strings.TrimSpace(s) },
		write: func(b []byte, c *customer.Customer, i int) ([]byte, error) {
			return append(b, *at(c, i)...), nil
		}}
}

// value returns a column read by a parser of the domain: the value it
// returns is kept, and the rule it reports is the row's problem.
func value[T interface{ IsZero() bool }](key, path, header string, aliases []string,
	parse func(string) (T, error), format func(b []byte, v T) []byte, at func(c *customer.Customer, i int) *T) *field {
	return &field{key: key, path: path, header: header, aliases: aliases,
		read: func(d *decoder, c *customer.Customer, i int, s string) {
			v, err := parse(s)
			if err != nil {
				d.fail(err)
				return
			}
			*at(c, i) = v
		},
		write: func(b []byte, c *customer.Customer, i int) ([]byte, error) {
			v := *at(c, i)
			if v.IsZero() {
				return b, nil
			}
			return format(b, v), nil
		}}
}

// amount returns a column of money.
func amount(key, path, header string, aliases []string, at func(c *customer.Customer, i int) *decimal.Decimal) *field {
	return &field{key: key, path: path, header: header, aliases: aliases,
		read: func(d *decoder, c *customer.Customer, i int, s string) {
			v, err := parseMoney(s)
			if err != nil {
				d.fail(err)
				return
			}
			*at(c, i) = v
		},
		write: func(b []byte, c *customer.Customer, i int) ([]byte, error) { return appendMoney(b, *at(c, i)) }}
}

// day returns a column of a date.
func day(key, path, header string, aliases []string, at func(c *customer.Customer, i int) *date.Date) *field {
	return value(key, path, header, aliases, date.ParseBrazilian,
		func(b []byte, d date.Date) []byte { return append(b, d.Format()...) }, at)
}

// phone returns a column of a phone number.
func phone(key, path, header string, aliases []string, at func(c *customer.Customer, i int) *contact.Phone) *field {
	return value(key, path, header, aliases, contact.ParsePhone,
		func(b []byte, p contact.Phone) []byte { return p.AppendFormat(b) }, at)
}

// email returns a column of an e-mail address.
func email(key, path, header string, aliases []string, at func(c *customer.Customer, i int) *contact.Email) *field {
	return value(key, path, header, aliases, contact.ParseEmail,
		func(b []byte, e contact.Email) []byte { return append(b, e.String()...) }, at)
}

// names is shorthand for a list of header names.
func names(s ...string) []string { return s }

// topFields returns the customer's own columns, in export order.
func topFields() []*field {
	phones := phone("phone", "phones", "Telefone",
		names("Celular", "Fone", "Tel", "WhatsApp", "Telefone fixo", "Telefone residencial", "Telefone comercial",
			"Fone residencial", "Fone comercial", "Telefone celular", "Fone celular"),
		func(c *customer.Customer, i int) *contact.Phone { c.Phones = grow(c.Phones, i); return &c.Phones[i] })
	phones.list, phones.many, phones.count = true, true, func(c *customer.Customer) int { return len(c.Phones) }
	emails := email("email", "emails", "E-mail", names("Email", "Correio eletrônico", "E-mail do cliente"),
		func(c *customer.Customer, i int) *contact.Email { c.Emails = grow(c.Emails, i); return &c.Emails[i] })
	emails.list, emails.many, emails.count = true, true, func(c *customer.Customer) int { return len(c.Emails) }
	return []*field{
		text("name", "name", "Nome", names("Nome completo", "Razão social", "Cliente", "Nome do cliente", "Nome/Razão social"),
			func(c *customer.Customer, _ int) *string { return &c.Name }),
		{key: "kind", path: "kind", header: "Tipo", aliases: names("Tipo de pessoa", "Pessoa", "PF/PJ", "Natureza"),
			read: func(d *decoder, c *customer.Customer, _ int, s string) {
				k, err := parseKind(s)
				if err != nil {
					d.fail(err)
					return
				}
				c.Kind = k
			},
			write: func(b []byte, c *customer.Customer, _ int) ([]byte, error) {
				return append(b, kindWord(c.Kind)...), nil
			}},
		{key: "status", path: "status", header: "Situação", aliases: names("Status"),
			read: func(d *decoder, c *customer.Customer, _ int, s string) {
				st, err := parseStatus(s)
				if err != nil {
					d.fail(err)
					return
				}
				c.Status = st
			},
			write: func(b []byte, c *customer.Customer, _ int) ([]byte, error) {
				return append(b, statusWord(c.Status)...), nil
			}},
		taxID(),
		text("trade_name", "trade_name", "Nome fantasia", names("Fantasia"),
			func(c *customer.Customer, _ int) *string { return &c.TradeName }),
		day("birth_date", "birth_date", "Data de nascimento",
			names("Nascimento", "Data nasc.", "Dt. nasc.", "Data de nasc.", "Fundação", "Data de fundação",
				"Nascimento/Fundação", "Data de nascimento/fundação"),
			func(c *customer.Customer, _ int) *date.Date { return &c.BirthDate }),
		text("employer", "employer", "Empresa", names("Empregador", "Empresa onde trabalha", "Local de trabalho"),
			func(c *customer.Customer, _ int) *string { return &c.Employer }),
		phones,
		emails,
		code("dms_code", "dms_code", "Código DMS",
			names("Cód. cliente DMS", "Código", "Código do cliente", "Cód. cliente", "Código no DMS", "Código do cliente no DMS"),
			func(c *customer.Customer, _ int) *string { return &c.DMSCode }),
		{key: "service_orders", path: "service_orders", header: "Ordens de serviço", many: true,
			aliases: names("Ordem de serviço", "OS", "O.S."),
			read: func(_ *decoder, c *customer.Customer, _ int, s string) {
				c.ServiceOrders = append(c.ServiceOrders, splitCodes(s)...)
			},
			write: func(b []byte, c *customer.Customer, _ int) ([]byte, error) {
				for i, so := range c.ServiceOrders {
					if i > 0 {
						b = append(b, ", "...)
					}
					b = append(b, so...)
				}
				return b, nil
			}},
		text("notes", "notes", "Observações", names("Obs", "Observação", "Anotações"),
			func(c *customer.Customer, _ int) *string { return &c.Notes }),
		{key: "id", path: "id", header: "ID", aliases: names("UUID", "ID do cliente"),
			read: func(d *decoder, c *customer.Customer, _ int, s string) {
				id, err := parseID(s)
				if err != nil {
					d.fail(err)
					return
				}
				c.ID = id
			},
			write: func(b []byte, c *customer.Customer, _ int) ([]byte, error) { return appendID(b, c.ID), nil }},
	}
}

// taxID is the CPF/CNPJ column: read with customer.ParseTaxID, and
// remembered as given, whatever its value, for the kind and status a
// row without them takes.
func taxID() *field {
	f := value("tax_id", "tax_id", "CPF/CNPJ", names("CPF", "CNPJ", "Documento", "CNPJ/CPF", "CPF ou CNPJ", "CPF/CNPJ do cliente"),
		customer.ParseTaxID, func(b []byte, t customer.TaxID) []byte { return append(b, t.Format()...) },
		func(c *customer.Customer, _ int) *customer.TaxID { return &c.TaxID })
	read := f.read
	f.read = func(d *decoder, c *customer.Customer, i int, s string) {
		d.taxGiven = true
		read(d, c, i, s)
	}
	return f
}

// groups returns the lists of sub-records, in export order.
func groups() []*group {
	return []*group{addresses(), assets(), contacts(), personalReferences(), bankReferences(), cards()}
}

func addresses() *group {
	at := func(c *customer.Customer, i int) *address.Address { return &c.Addresses[i] }
	str := func(get func(a *address.Address) *string) func(c *customer.Customer, i int) *string {
		return func(c *customer.Customer, i int) *string { return get(at(c, i)) }
	}
	return &group{key: "address", path: "addresses", max: customer.MaxAddresses,
		size:  func(c *customer.Customer) int { return len(c.Addresses) },
		add:   func(c *customer.Customer) { c.Addresses = append(c.Addresses, address.Address{}) },
		drop:  func(c *customer.Customer) { c.Addresses = c.Addresses[:len(c.Addresses)-1] },
		shape: func(s *Shape) *int { return &s.Addresses },
		fields: []*field{
			value("cep", "cep", "CEP", nil, address.ParseCEP, func(b []byte, v address.CEP) []byte { return v.AppendFormat(b) },
				func(c *customer.Customer, i int) *address.CEP { return &at(c, i).CEP }),
			text("street", "street", "Logradouro", names("Endereço", "Rua", "Avenida"), str(func(a *address.Address) *string { return &a.Street })),
			text("number", "number", "Número", names("Nº", "N°", "Num", "Nro", "No"), str(func(a *address.Address) *string { return &a.Number })),
			text("complement", "complement", "Complemento", names("Compl"), str(func(a *address.Address) *string { return &a.Complement })),
			text("district", "district", "Bairro", nil, str(func(a *address.Address) *string { return &a.District })),
			text("city", "city", "Cidade", names("Município"), str(func(a *address.Address) *string { return &a.City })),
			{key: "uf", path: "uf", header: "UF", aliases: names("Estado"),
				read: func(d *decoder, c *customer.Customer, i int, s string) {
					u, err := parseUF(s)
					if err != nil {
						d.fail(err)
						return
					}
					at(c, i).UF = u
				},
				write: func(b []byte, c *customer.Customer, i int) ([]byte, error) {
					return append(b, at(c, i).UF.String()...), nil
				}},
			{key: "purposes", path: "purposes", header: "Finalidade", aliases: names("Finalidades", "Tipo de endereço", "Uso do endereço"),
				read: func(d *decoder, c *customer.Customer, i int, s string) {
					p, err := parsePurposes(s)
					if err != nil {
						d.fail(err)
						return
					}
					at(c, i).Purposes = p
				},
				write: func(b []byte, c *customer.Customer, i int) ([]byte, error) {
					return appendPurposes(b, at(c, i).Purposes), nil
				}},
		}}
}

func assets() *group {
	at := func(c *customer.Customer, i int) *asset.Asset { return &c.Assets[i] }
	return &group{key: "asset", path: "assets", max: customer.MaxAssets,
		size:  func(c *customer.Customer) int { return len(c.Assets) },
		add:   func(c *customer.Customer) { c.Assets = append(c.Assets, asset.Asset{}) },
		drop:  func(c *customer.Customer) { c.Assets = c.Assets[:len(c.Assets)-1] },
		shape: func(s *Shape) *int { return &s.Assets },
		// An asset with a plate, chassis or RENAVAM and no kind is a
		// vehicle, and a vehicle without a description is described as
		// one.
		finish: func(_ *decoder, c *customer.Customer, i int) {
			a := at(c, i)
			if a.Kind == 0 && (!a.VIN.IsZero() || !a.Plate.IsZero() || !a.RENAVAM.IsZero()) {
				a.Kind = asset.Vehicle
			}
			if a.Kind == asset.Vehicle && validation.IsBlank(a.Description) {
				a.Description = vehicleDescription
			}
		},
		fields: []*field{
			text("description", "description", "Descrição do bem", names("Veículo", "Modelo", "Bem", "Descrição", "Descrição do veículo"),
				func(c *customer.Customer, i int) *string { return &at(c, i).Description }),
			{key: "kind", path: "kind", header: "Tipo do bem", aliases: names("Tipo de bem"),
				read: func(d *decoder, c *customer.Customer, i int, s string) {
					k, err := parseAssetKind(s)
					if err != nil {
						d.fail(err)
						return
					}
					at(c, i).Kind = k
				},
				write: func(b []byte, c *customer.Customer, i int) ([]byte, error) {
					return append(b, assetKindWord(at(c, i).Kind)...), nil
				}},
			{key: "year", path: "year", header: "Ano", aliases: names("Ano do modelo", "Ano modelo", "Ano/modelo"),
				read: func(d *decoder, c *customer.Customer, i int, s string) {
					y, err := parseYear(s)
					if err != nil {
						d.fail(err)
						return
					}
					at(c, i).Year = y
				},
				write: func(b []byte, c *customer.Customer, i int) ([]byte, error) {
					if y := at(c, i).Year; y != 0 {
						b = strconv.AppendInt(b, int64(y), 10)
					}
					return b, nil
				}},
			amount("value", "value", "Valor quitado", names("Valor", "Valor do bem"),
				func(c *customer.Customer, i int) *decimal.Decimal { return &at(c, i).Value }),
			amount("lien_balance", "lien.balance", "Saldo devedor", names("Saldo da alienação", "Valor alienado", "Saldo do ônus"),
				func(c *customer.Customer, i int) *decimal.Decimal { return &at(c, i).Lien.Balance }),
			text("lien_creditor", "lien.creditor", "Credor", names("Alienação", "Alienado a", "Financeira", "Credor da alienação", "Ônus"),
				func(c *customer.Customer, i int) *string { return &at(c, i).Lien.Creditor }),
			day("lien_payoff_date", "lien.payoff_date", "Data de quitação", names("Quitação", "Vencimento da alienação"),
				func(c *customer.Customer, i int) *date.Date { return &at(c, i).Lien.PayoffDate }),
			value("plate", "plate", "Placa", nil, asset.ParsePlate,
				func(b []byte, p asset.Plate) []byte { return append(b, p.String()...) },
				func(c *customer.Customer, i int) *asset.Plate { return &at(c, i).Plate }),
			value("vin", "vin", "Chassi", names("VIN", "Número do chassi"), asset.ParseVIN,
				func(b []byte, v asset.VIN) []byte { return append(b, v.String()...) },
				func(c *customer.Customer, i int) *asset.VIN { return &at(c, i).VIN }),
			value("renavam", "renavam", "RENAVAM", nil, asset.ParseRENAVAM,
				func(b []byte, r asset.RENAVAM) []byte { return append(b, r.String()...) },
				func(c *customer.Customer, i int) *asset.RENAVAM { return &at(c, i).RENAVAM }),
		}}
}

func contacts() *group {
	at := func(c *customer.Customer, i int) *contact.Contact { return &c.Contacts[i] }
	return &group{key: "contact", path: "contacts", max: customer.MaxContacts,
		size:  func(c *customer.Customer) int { return len(c.Contacts) },
		add:   func(c *customer.Customer) { c.Contacts = append(c.Contacts, contact.Contact{}) },
		drop:  func(c *customer.Customer) { c.Contacts = c.Contacts[:len(c.Contacts)-1] },
		shape: func(s *Shape) *int { return &s.Contacts },
		fields: []*field{
			text("name", "name", "Contato", names("Nome do contato"), func(c *customer.Customer, i int) *string { return &at(c, i).Name }),
			text("role", "role", "Cargo", names("Cargo do contato", "Função"), func(c *customer.Customer, i int) *string { return &at(c, i).Role }),
			{key: "phone", path: "phones", header: "Telefones do contato", list: true, many: true,
				aliases: names("Telefone do contato", "Fone do contato", "Celular do contato"),
				read: func(d *decoder, c *customer.Customer, i int, s string) {
					ct := at(c, i)
					for _, p := range splitPhones(s) {
						v, err := contact.ParsePhone(p)
						if err != nil {
							d.failSub(len(ct.Phones), err)
						}
						ct.Phones = append(ct.Phones, v)
					}
				},
				write: func(b []byte, c *customer.Customer, i int) ([]byte, error) {
					for j, p := range at(c, i).Phones {
						if j > 0 {
							b = append(b, " / "...)
						}
						b = p.AppendFormat(b)
					}
					return b, nil
				}},
			email("email", "email", "E-mail do contato", names("Email do contato"),
				func(c *customer.Customer, i int) *contact.Email { return &at(c, i).Email }),
			{key: "birthday", path: "birthday", header: "Aniversário do contato", aliases: names("Nascimento do contato"),
				read: func(d *decoder, c *customer.Customer, i int, s string) {
					bd, err := parseBirthday(s)
					if err != nil {
						d.fail(err)
						return
					}
					at(c, i).Birthday = bd
				},
				write: func(b []byte, c *customer.Customer, i int) ([]byte, error) {
					return appendBirthday(b, at(c, i).Birthday), nil
				}},
			{key: "fleet_manager", path: "fleet_manager", header: "Gestor de frota", aliases: names("Gestor da frota"),
				read: func(d *decoder, c *customer.Customer, i int, s string) {
					v, err := parseYesNo(s)
					if err != nil {
						d.fail(err)
						return
					}
					at(c, i).FleetManager = v
				},
				write: func(b []byte, c *customer.Customer, i int) ([]byte, error) {
					if at(c, i).FleetManager {
						b = append(b, yes...)
					}
					return b, nil
				}},
			{key: "preferred_day", path: "preferred_day", header: "Melhor dia para contato", aliases: names("Dia preferido", "Melhor dia"),
				read: func(d *decoder, c *customer.Customer, i int, s string) {
					w, err := parseWeekday(s)
					if err != nil {
						d.fail(err)
						return
					}
					at(c, i).PreferredDay = w
				},
				write: func(b []byte, c *customer.Customer, i int) ([]byte, error) {
					return append(b, weekdayWord(at(c, i).PreferredDay)...), nil
				}},
			{key: "preferred_hour", path: "preferred_hour", header: "Melhor horário para contato",
				aliases: names("Horário preferido", "Melhor horário", "Melhor hora"),
				read: func(d *decoder, c *customer.Customer, i int, s string) {
					h, err := parseHour(s)
					if err != nil {
						d.fail(err)
						return
					}
					at(c, i).PreferredHour = h
				},
				write: func(b []byte, c *customer.Customer, i int) ([]byte, error) {
					if h, ok := at(c, i).PreferredHour.Get(); ok {
						b = strconv.AppendInt(b, int64(h), 10)
					}
					return b, nil
				}},
		}}
}

func personalReferences() *group {
	at := func(c *customer.Customer, i int) *reference.Personal { return &c.PersonalReferences[i] }
	return &group{key: "personal_reference", path: "personal_references", max: customer.MaxReferences,
		size:  func(c *customer.Customer) int { return len(c.PersonalReferences) },
		add:   func(c *customer.Customer) { c.PersonalReferences = append(c.PersonalReferences, reference.Personal{}) },
		drop:  func(c *customer.Customer) { c.PersonalReferences = c.PersonalReferences[:len(c.PersonalReferences)-1] },
		shape: func(s *Shape) *int { return &s.PersonalReferences },
		fields: []*field{
			text("name", "name", "Referência pessoal", names("Referência", "Nome da referência"),
				func(c *customer.Customer, i int) *string { return &at(c, i).Name }),
			phone("phone", "phone", "Telefone da referência", names("Fone da referência"),
				func(c *customer.Customer, i int) *contact.Phone { return &at(c, i).Phone }),
			text("note", "note", "Observação da referência", names("Obs. da referência", "Parentesco", "Relação"),
				func(c *customer.Customer, i int) *string { return &at(c, i).Note }),
		}}
}

func bankReferences() *group {
	at := func(c *customer.Customer, i int) *reference.Bank { return &c.BankReferences[i] }
	return &group{key: "bank_reference", path: "bank_references", max: customer.MaxReferences,
		size:  func(c *customer.Customer) int { return len(c.BankReferences) },
		add:   func(c *customer.Customer) { c.BankReferences = append(c.BankReferences, reference.Bank{}) },
		drop:  func(c *customer.Customer) { c.BankReferences = c.BankReferences[:len(c.BankReferences)-1] },
		shape: func(s *Shape) *int { return &s.BankReferences },
		fields: []*field{
			text("code", "code", "Banco", names("Código do banco", "Cód. banco"),
				func(c *customer.Customer, i int) *string { return &at(c, i).Code }),
			text("branch", "branch", "Agência", nil, func(c *customer.Customer, i int) *string { return &at(c, i).Branch }),
			text("branch_digit", "branch_digit", "Dígito da agência", names("DV da agência", "DV agência"),
				func(c *customer.Customer, i int) *string { return &at(c, i).BranchDigit }),
			text("account", "account", "Conta", names("Conta corrente", "Número da conta"),
				func(c *customer.Customer, i int) *string { return &at(c, i).Account }),
			text("account_digit", "account_digit", "Dígito da conta", names("DV da conta", "DV conta"),
				func(c *customer.Customer, i int) *string { return &at(c, i).AccountDigit }),
		}}
}

func cards() *group {
	at := func(c *customer.Customer, i int) *reference.Card { return &c.Cards[i] }
	return &group{key: "card", path: "cards", max: customer.MaxCards,
		size:  func(c *customer.Customer) int { return len(c.Cards) },
		add:   func(c *customer.Customer) { c.Cards = append(c.Cards, reference.Card{}) },
		drop:  func(c *customer.Customer) { c.Cards = c.Cards[:len(c.Cards)-1] },
		shape: func(s *Shape) *int { return &s.Cards },
		// The brand and number cells were set aside as read: the card is
		// made of them now, by the reference package's own parsers.
		finish: func(d *decoder, c *customer.Customer, i int) { d.card.build(d, at(c, i)) },
		fields: []*field{
			{key: "brand", path: "number", header: "Bandeira do cartão", aliases: names("Bandeira"),
				read: func(d *decoder, _ *customer.Customer, _ int, s string) { d.card.brand, d.card.brandCol = s, d.col },
				write: func(b []byte, c *customer.Customer, i int) ([]byte, error) {
					if card := at(c, i); card.Last4() != "" || card.Brand() != 0 {
						b = append(b, card.Brand().String()...)
					}
					return b, nil
				}},
			{key: "number", path: "number", header: "Cartão", aliases: names("Número do cartão", "Cartão de crédito"),
				read: func(d *decoder, _ *customer.Customer, _ int, s string) { d.card.number, d.card.numberCol = s, d.col },
				write: func(b []byte, c *customer.Customer, i int) ([]byte, error) {
					return appendMaskedCard(b, *at(c, i)), nil
				}},
			text("holder", "holder", "Titular do cartão", names("Nome no cartão", "Titular"),
				func(c *customer.Customer, i int) *string { return &at(c, i).Holder }),
			{key: "expiry", path: "expiry", header: "Validade do cartão", aliases: names("Validade", "Vencimento do cartão"),
				read: func(d *decoder, c *customer.Customer, i int, s string) {
					e, err := parseExpiry(s)
					if err != nil {
						d.fail(err)
						return
					}
					at(c, i).Expiry = e
				},
				write: func(b []byte, c *customer.Customer, i int) ([]byte, error) {
					return append(b, at(c, i).Expiry.String()...), nil
				}},
			text("token", "token", "Token do cartão", names("Token"), func(c *customer.Customer, i int) *string { return &at(c, i).Token }),
		}}
}
