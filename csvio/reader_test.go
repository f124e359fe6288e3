package csvio_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/csvio"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/internal/fold"
	"github.com/fichacrm/ficha/reference"
	"github.com/fichacrm/ficha/storage/storagetest"
	"github.com/fichacrm/ficha/validation"
)

// encode1252 returns s in Windows-1252.
func encode1252(t testing.TB, s string) []byte {
	t.Helper()
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
	require.NoError(t, err)
	return b
}

// readOne reads a file that has one row of data.
func readOne(t *testing.T, file string, opts *csvio.Options) *csvio.Row {
	t.Helper()
	rows := readAll(t, []byte(file), opts)
	require.Len(t, rows, 1)
	return rows[0]
}

// mapping returns the key each column of a file's header maps to.
func mapping(t *testing.T, header string, opts *csvio.Options) []string {
	t.Helper()
	r, err := csvio.NewReader(strings.NewReader(header+"\n"), opts)
	require.NoError(t, err, header)
	var keys []string
	for _, m := range r.Mapping() {
		keys = append(keys, m.Key)
	}
	return keys
}

// numbered returns the key a column of element n of a list maps to.
func numbered(key string, n int) string {
	g, f, ok := strings.Cut(key, ".")
	if !ok {
		return key
	}
	return fmt.Sprintf("%s%d.%s", g, n, f)
}

func TestEveryHeaderName(t *testing.T) {
	t.Parallel()
	keys := csvio.Keys()
	require.Contains(t, keys, "tax_id")
	require.Contains(t, keys, "address.cep")
	for _, key := range keys {
		names := csvio.Headers(key)
		require.NotEmpty(t, names, key)
		for _, h := range names {
			for _, variant := range []string{h, strings.ToUpper(h), fold.String(h), " " + strings.ReplaceAll(h, " ", "_") + " :"} {
				assert.Equal(t, []string{numbered(key, 1)}, mapping(t, variant, nil), "%q", variant)
				want := numbered(key, 2)
				if !strings.Contains(key, ".") {
					if key != "phone" && key != "email" {
						continue // one column of the profile: no number
					}
					want = key // each column adds a phone, whatever its number
				}
				assert.Equal(t, []string{want}, mapping(t, variant+" 2", nil), "%q", variant+" 2")
			}
		}
		// The key itself is a header too.
		assert.Equal(t, []string{numbered(key, 1)}, mapping(t, key, nil), key)
	}
	assert.Nil(t, csvio.Headers("shoe_size"))
}

func TestHeaderNamesOfTheBrief(t *testing.T) {
	t.Parallel()
	for header, want := range map[string]string{
		"E-mail;EMAIL;e mail;E-mail 2":                            "email email email email",
		"Telefone;Celular;Fone;Tel;WhatsApp;Telefone 2;Cel 2":     "",
		"Telefone;Celular;Fone;Tel;WhatsApp;Telefone 2;Celular 2": "phone phone phone phone phone phone phone",
		"Nome;Nome completo;Razão social;Cliente":                 "",
		"Nome": "name",
		"Razão Social;Nome Fantasia;CPF_CNPJ;Data nasc.;Cód. cliente DMS;OBS":  "name trade_name tax_id birth_date dms_code notes",
		"CEP;Logradouro;Nº;Complemento;Bairro;Município;Estado;Finalidade":     "address1.cep address1.street address1.number address1.complement address1.district address1.city address1.uf address1.purposes",
		"CEP 2;Endereço 2;Número 2;UF 2":                                       "address2.cep address2.street address2.number address2.uf",
		"Placa;Chassi;RENAVAM;Veículo;Tipo do bem;Ano;Valor quitado;Alienação": "asset1.plate asset1.vin asset1.renavam asset1.description asset1.kind asset1.year asset1.value asset1.lien_creditor",
		"Contato;Cargo;Telefone do contato;E-mail do contato;Contato 2":        "contact1.name contact1.role contact1.phone contact1.email contact2.name",
		"Tipo;Situação;Status de cadastro":                                     "",
		"Tipo;Situação;Ordens de serviço;Documento":                            "kind status service_orders tax_id",
		"info.spouse_name;INFO.renda_2;ID":                                     "info.spouse_name info.renda_2 id",
		"tax_id;address2.cep;asset.plate;phone":                                "tax_id address2.cep asset1.plate phone",
		"Nome;;CPF":                                                            "name  tax_id",
	} {
		r, err := csvio.NewReader(strings.NewReader(header+"\n"), nil)
		if want == "" {
			require.Error(t, err, header)
			continue
		}
		require.NoError(t, err, header)
		var got []string
		for _, m := range r.Mapping() {
			got = append(got, m.Key)
		}
		assert.Equal(t, want, strings.Join(got, " "), header)
	}
}

func TestHeaderErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		file    string
		rule    *validation.Rule
		headers []string
	}{
		{"", csvio.ErrHeaderEmpty, nil},
		{"\r\n\n;;\n  \n", csvio.ErrHeaderEmpty, nil},
		{"\uFEFF", csvio.ErrHeaderEmpty, nil},
		{"Nome;Sapato;CPF;Limite de crédito\n", csvio.ErrHeaderUnknown, []string{"Sapato", "Limite de crédito"}},
		{"Nome;Nome 2\n", csvio.ErrHeaderUnknown, []string{"Nome 2"}},
		{"CEP 51\n", csvio.ErrHeaderUnknown, []string{"CEP 51"}},
		{"CEP 0\n", csvio.ErrHeaderUnknown, []string{"CEP 0"}},
		{"CPF;Documento\n", csvio.ErrHeaderRepeated, []string{"CPF", "Documento"}},
		{"CEP;CEP 1\n", csvio.ErrHeaderRepeated, []string{"CEP", "CEP 1"}},
		{"info.renda;Info.renda\n", csvio.ErrHeaderRepeated, []string{"info.renda", "Info.renda"}},
	} {
		_, err := csvio.NewReader(strings.NewReader(tt.file), nil)
		var he *csvio.HeaderError
		require.ErrorAs(t, err, &he, "%q", tt.file)
		assert.ErrorIs(t, err, tt.rule)
		assert.Equal(t, tt.rule.Code(), he.Code())
		assert.Equal(t, tt.headers, he.Headers)
		assert.Len(t, he.Columns, len(tt.headers), "each by its position")
		for _, h := range tt.headers {
			assert.NotContains(t, he.Message(validation.Portuguese), `"`+h+`"`, "a header may be a customer's data")
			assert.NotContains(t, err.Error(), `"`+h+`"`)
		}
		assert.True(t, strings.HasPrefix(he.Message(validation.Portuguese), tt.rule.Message(validation.Portuguese)))
	}
	// Columns that add to a list may repeat.
	assert.Equal(t, []string{"phone", "phone", "phone", "service_orders", "service_orders", "contact1.phone", "contact1.phone"},
		mapping(t, "Telefone;Telefone;Celular;OS;Ordens de serviço;Telefone do contato;Fone do contato", nil))
}

func TestHostMapping(t *testing.T) {
	t.Parallel()
	opts := &csvio.Options{Columns: map[string]string{
		"Fone Residencial": "phone", "Fone Comercial": "phone", "CEP Cobrança": "address2.cep", "UF Cobrança": "address2.uf",
		"Renda": "info.monthly_income", "Limite de crédito": "-", "Cliente": "dms_code", "nome do titular": "name",
	}}
	file := "Nome do Titular;Cliente;FONE RESIDENCIAL;Fone Comercial;CEP Cobrança;UF Cobrança;Renda;Limite de crédito;CEP;UF\n" +
		"Ana;C-1;(11) 98765-4321;(11) 3333-4444;20040-020;RJ;1.500,00;9999;01310-100;SP\n"
	r, err := csvio.NewReader(strings.NewReader(file), opts)
	require.NoError(t, err)
	assert.Equal(t, []csvio.Mapped{
		{"Nome do Titular", "name"}, {"Cliente", "dms_code"}, {"FONE RESIDENCIAL", "phone"}, {"Fone Comercial", "phone"},
		{"CEP Cobrança", "address2.cep"}, {"UF Cobrança", "address2.uf"}, {"Renda", "info.monthly_income"},
		{"Limite de crédito", ""}, {"CEP", "address1.cep"}, {"UF", "address1.uf"},
	}, r.Mapping())
	row, err := r.Read()
	require.NoError(t, err)
	require.Empty(t, row.Problems)
	c := row.Customer
	assert.Equal(t, "Ana", c.Name, "the host's mapping wins over the built-in names")
	assert.Equal(t, "C-1", c.DMSCode)
	assert.Len(t, c.Phones, 2)
	require.Len(t, c.Addresses, 2)
	assert.Equal(t, address.SP, c.Addresses[0].UF)
	assert.Equal(t, address.RJ, c.Addresses[1].UF)
	assert.Equal(t, map[string]string{"monthly_income": "1.500,00"}, c.Info, "additional information is kept as written, for the schema to normalise")

	_, err = csvio.NewReader(strings.NewReader("Nome\n"), &csvio.Options{Columns: map[string]string{"Nome": "full_name"}})
	require.Error(t, err, "a mapping to no key")
	for _, comma := range []rune{'"', '\n', 'a', '7', 'é', ' '} {
		_, err = csvio.NewReader(strings.NewReader("Nome\n"), &csvio.Options{Comma: comma})
		require.Error(t, err, "%q cannot separate cells", comma)
	}
}

func TestEncodings(t *testing.T) {
	t.Parallel()
	text := "Nome;Observações;Cidade;CEP\r\nJOSÉ CONCEIÇÃO;Ação e pão — “ok”;São Paulo;01310-100\r\n"
	check := func(t *testing.T, row *csvio.Row) {
		t.Helper()
		require.Empty(t, row.Problems)
		assert.Equal(t, "JOSÉ CONCEIÇÃO", row.Customer.Name)
		assert.Equal(t, "Ação e pão — “ok”", row.Customer.Notes)
		assert.Equal(t, "São Paulo", row.Customer.Addresses[0].City)
	}
	win := string(encode1252(t, text))
	require.NotEqual(t, text, win)
	for name, tt := range map[string]struct {
		file string
		enc  csvio.Encoding
	}{
		"utf-8 detected":              {text, csvio.EncodingAuto},
		"utf-8 with bom":              {"\uFEFF" + text, csvio.EncodingAuto},
		"utf-8 declared":              {text, csvio.EncodingUTF8},
		"utf-8 declared bom":          {"\uFEFF" + text, csvio.EncodingUTF8},
		"windows-1252 detected":       {win, csvio.EncodingAuto},
		"windows-1252 declared":       {win, csvio.EncodingWindows1252},
		"utf-8 read a byte at a time": {text, csvio.EncodingAuto},
	} {
		t.Run(name, func(t *testing.T) {
			var src io.Reader = strings.NewReader(tt.file)
			if strings.Contains(name, "byte at a time") {
				src = iotest.OneByteReader(src)
			}
			r, err := csvio.NewReader(src, &csvio.Options{Encoding: tt.enc})
			require.NoError(t, err)
			row, err := r.Read()
			require.NoError(t, err)
			check(t, row)
		})
	}

	// A row that is not valid in the file's encoding is a problem of the
	// row, which is not read.
	bad := "Nome;CPF\r\nAna;248.438.034-80\r\n" + string(encode1252(t, "JOSÉ;248.438.034-80\r\n")) + "Bia;248.438.034-80\r\n"
	rows := readAll(t, []byte(bad), &csvio.Options{Encoding: csvio.EncodingUTF8})
	require.Len(t, rows, 3)
	assert.Empty(t, rows[0].Problems)
	assert.Equal(t, []csvio.Problem{{Row: 3, Rule: csvio.ErrEncoding}}, rows[1].Problems)
	assert.Nil(t, rows[1].Customer)
	assert.Empty(t, rows[2].Problems)

	// Detection looks at the start of the file: Windows-1252 further on
	// is a row's problem.
	long := "Nome;Observações\n" + strings.Repeat("Ana;"+strings.Repeat("x", 100)+"\n", 1000) + string(encode1252(t, "JOSÉ;é\n"))
	rows = readAll(t, []byte(long), nil)
	require.Len(t, rows, 1001)
	assert.Equal(t, csvio.ErrEncoding, rows[1000].Problems[0].Rule)
	assert.Equal(t, 1002, rows[1000].Number)

	// Bytes Windows-1252 leaves undefined.
	rows = readAll(t, append(encode1252(t, "Nome;Observações\nJOSÉ;"), 0x81, '\n'), nil)
	assert.Equal(t, csvio.ErrEncoding, rows[0].Problems[0].Rule)

	// A file read as Windows-1252 by detection reads a row that is valid
	// UTF-8 as UTF-8: a file pasted together from two sources (the
	// outside review saw "JoÃ£o ConceiÃ§Ã£o" stored, and nothing said).
	mixed := append(encode1252(t, "Nome;Observações\nJOSÉ;é\n"), "João Conceição;ação\n"...)
	rows = readAll(t, mixed, nil)
	require.Len(t, rows, 2)
	require.NotNil(t, rows[0].Customer)
	assert.Equal(t, "JOSÉ", rows[0].Customer.Name)
	require.NotNil(t, rows[1].Customer)
	assert.Equal(t, "João Conceição", rows[1].Customer.Name)
	assert.Equal(t, "ação", rows[1].Customer.Notes)
	// The same when Windows-1252 is named (following the advice to name
	// it for a UTF-8 file with one Windows-1252 row garbled every other
	// row), and cell by cell within a row.
	for _, o := range []*csvio.Options{nil, {Encoding: csvio.EncodingWindows1252}} {
		rows = readAll(t, append(append(encode1252(t, "Nome;Observações\nJOSÉ;é\n"), "João Conceição;"...), encode1252(t, "ação\n")...), o)
		require.Len(t, rows, 2)
		require.NotNil(t, rows[1].Customer)
		assert.Equal(t, "João Conceição", rows[1].Customer.Name)
		assert.Equal(t, "ação", rows[1].Customer.Notes)
	}
	// Each cell on its own: two cells whose bytes end to end would be
	// UTF-8 are not.
	rows = readAll(t, []byte("Nome;Observações\nJOS\xc9;\x81\n"), &csvio.Options{Encoding: csvio.EncodingUTF8})
	require.Len(t, rows, 1)
	assert.Equal(t, []csvio.Problem{{Row: 2, Rule: csvio.ErrEncoding}}, rows[0].Problems)
}

func TestSeparatorsLineEndsAndQuotes(t *testing.T) {
	t.Parallel()
	for _, comma := range []string{";", ",", "\t"} {
		for _, eol := range []string{"\n", "\r\n", "\r"} {
			for _, bom := range []string{"", "\uFEFF"} {
				name := fmt.Sprintf("%q %q bom=%v", comma, eol, bom != "")
				file := bom + strings.Join([]string{"Nome", "Observações", "Ordens de serviço", "CPF"}, comma) + eol +
					strings.Join([]string{`"Silva; Souza, Ltda"`, "\"linha 1\r\nlinha 2\n\"\"fim\"\"\"", `OS-1`, `248.438.034-80`}, comma) + eol +
					eol + // a blank line
					strings.Join([]string{`Ana`, ``, `"OS-2, OS-3"`, ``}, comma) // no line break at the end
				rows := readAll(t, []byte(file), nil)
				require.Len(t, rows, 2, name)
				a, b := rows[0], rows[1]
				require.Empty(t, a.Problems, name)
				assert.Equal(t, 2, a.Number, name)
				assert.Equal(t, "Silva; Souza, Ltda", a.Customer.Name, name)
				assert.Equal(t, "linha 1\r\nlinha 2\n\"fim\"", a.Customer.Notes, "%s: quoted text is kept byte for byte", name)
				assert.Equal(t, []string{"OS-1"}, a.Customer.ServiceOrders, name)
				assert.Equal(t, 4, b.Number, "%s: a blank line keeps its number", name)
				assert.Equal(t, []string{"OS-2", "OS-3"}, b.Customer.ServiceOrders, name)

				// The separator given, not detected.
				opts := &csvio.Options{Comma: rune(comma[0])}
				assert.Len(t, readAll(t, []byte(file), opts), 2, name)
			}
		}
	}

	// Excel's "sep=" line chooses the separator and is row 1.
	rows := readAll(t, []byte("sep=,\r\nNome,Observações\r\nAna,\"a;b\"\r\n"), nil)
	require.Len(t, rows, 1)
	assert.Equal(t, 3, rows[0].Number)
	assert.Equal(t, "a;b", rows[0].Customer.Notes)

	// A quote inside a cell without quotes is text, and so is what
	// follows a closing quote.
	row := readOne(t, "Nome;Logradouro;CEP\nAna;Rua 7\" de Setembro;01310-100\n", nil)
	assert.Equal(t, `Rua 7" de Setembro`, row.Customer.Addresses[0].Street)
	row = readOne(t, "Nome;Logradouro;CEP\n\"Ana\" Maria;\"Rua\" 7;01310-100\n", nil)
	assert.Equal(t, "Ana Maria", row.Customer.Name)
	assert.Equal(t, "Rua 7", row.Customer.Addresses[0].Street)

	// Blank lines before the header move it down.
	row = readOne(t, "\n\nNome\nAna\n", nil)
	assert.Equal(t, 4, row.Number)
}

func TestFileErrors(t *testing.T) {
	t.Parallel()
	r, err := csvio.NewReader(strings.NewReader("Nome;Observações\nAna;ok\nBia;\"nunca fecha\nCarla;x\n"), nil)
	require.NoError(t, err)
	row, err := r.Read()
	require.NoError(t, err)
	assert.Equal(t, "Ana", row.Customer.Name)
	_, err = r.Read()
	var fe *csvio.FileError
	require.ErrorAs(t, err, &fe)
	assert.ErrorIs(t, err, csvio.ErrQuote)
	assert.Equal(t, 3, fe.Row)
	assert.Contains(t, fe.Message(validation.Portuguese), "linha 3")

	huge := "Nome;Observações\nAna;\"" + strings.Repeat("x", csvio.MaxRecord) + "\"\n"
	r, err = csvio.NewReader(strings.NewReader(huge), nil)
	require.NoError(t, err)
	_, err = r.Read()
	assert.ErrorIs(t, err, csvio.ErrTooLong)

	// A read error is the reader's error.
	boom := errors.New("disco com defeito")
	r, err = csvio.NewReader(io.MultiReader(strings.NewReader("Nome\nAna\n"), iotest.ErrReader(boom)), nil)
	require.NoError(t, err)
	for err == nil {
		_, err = r.Read()
	}
	assert.ErrorIs(t, err, boom)
	_, err = csvio.NewReader(iotest.ErrReader(boom), nil)
	assert.ErrorIs(t, err, boom)
}

func TestShortLongAndBlankRows(t *testing.T) {
	t.Parallel()
	rows := readAll(t, []byte("Nome;CPF;Observações\nAna;248.438.034-80\nBia;248.438.034-80;ok;demais\n;;\n  ; \t;\nCarla;;\n"), nil)
	require.Len(t, rows, 3)
	assert.Equal(t, []csvio.Problem{{Row: 2, Rule: csvio.ErrShortRow}}, rows[0].Problems)
	assert.Nil(t, rows[0].Customer)
	assert.Equal(t, []csvio.Problem{{Row: 3, Rule: csvio.ErrLongRow}}, rows[1].Problems)
	assert.Nil(t, rows[1].Customer)
	assert.Equal(t, 6, rows[2].Number)
	assert.Equal(t, "Carla", rows[2].Customer.Name)
}

// TestProblems: every value a cell cannot hold is the problem of its
// cell, with its column, the customer path and the rule of the parser
// that refused it; the rest of the row is read; and no message holds
// the value.
func TestProblems(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		header, cell string
		code, path   string
	}{
		{"CPF", "248.438.034-81", "cpf.check_digit", "tax_id"},
		{"CPF/CNPJ", "248.438.034", "taxid.length", "tax_id"},
		{"CNPJ", "11.111.111/1111-11", "cnpj.repeated", "tax_id"},
		{"Data de nascimento", "31/02/1990", "date.invalid", "birth_date"},
		{"Fundação", "1990/02/01", "date.invalid", "birth_date"},
		{"Tipo", "Autarquia", "customer.kind", "kind"},
		{"Situação", "Ex-cliente", "customer.status", "status"},
		{"ID", "cliente-0042", "csv.id", "id"},
		{"Celular", "(11) 91234", "phone.length", "phones[0]"},
		{"Telefone;Celular", "(11) 98765-4321;(00) 91234-5678", "phone.ddd", "phones[1]"},
		{"E-mail", "fulano.arroba.example", "email.invalid", "emails[0]"},
		{"CEP", "00000-000", "cep.range", "addresses[0].cep"},
		{"CEP 2", "01310-1000", "cep.length", "addresses[0].cep"},
		{"UF", "Pasárgada", "uf.invalid", "addresses[0].uf"},
		{"Finalidade", "Entrega", "address.purpose", "addresses[0].purposes"},
		{"Placa", "ABCD-1234", "plate.invalid", "assets[0].plate"},
		{"Chassi", "9BWZZZ377VT0042", "vin.length", "assets[0].vin"},
		{"RENAVAM", "63988496201", "renavam.check_digit", "assets[0].renavam"},
		{"Tipo do bem", "Barco a vela", "asset.kind", "assets[0].kind"},
		{"Ano", "dois mil", "asset.year", "assets[0].year"},
		{"Valor quitado", "R$ 12 mil", "csv.money", "assets[0].value"},
		{"Saldo devedor", strings.Repeat("9", 40) + ",00", "money.range", "assets[0].lien.balance"},
		{"Data de quitação", "30/06/27", "date.invalid", "assets[0].lien.payoff_date"},
		{"Telefones do contato", "(11) 91234-5678 / (11) 1234-56789", "phone.mobile_prefix", "contacts[0].phones[1]"},
		{"E-mail do contato", "pedro.example.com", "email.invalid", "contacts[0].email"},
		{"Aniversário do contato", "30/02", "birthday.invalid", "contacts[0].birthday"},
		{"Gestor de frota", "talvez", "info.yes_no", "contacts[0].fleet_manager"},
		{"Melhor dia para contato", "feriado", "weekday.invalid", "contacts[0].preferred_day"},
		{"Melhor horário para contato", "25h", "hour.invalid", "contacts[0].preferred_hour"},
		{"Telefone da referência", "ligar à noite", "phone.invalid", "personal_references[0].phone"},
		{"Cartão", "4111 1111 1111 1112", "card.check_digit", "cards[0].number"},
		{"Cartão", "4111 1111", "card.length", "cards[0].number"},
		{"Bandeira do cartão;Cartão", "visa;411111******111", "card.masked", "cards[0].number"},
		{"Cartão", "411111******1111", "card.masked", "cards[0].number"},
		{"Bandeira do cartão", "visa", "card.masked", "cards[0].number"},
		{"Validade do cartão", "13/2030", "card.expiry", "cards[0].expiry"},
		{"info.Renda Mensal", "12500", "info.key", "info"},
	} {
		headers, cells := strings.Split(tt.header, ";"), strings.Split(tt.cell, ";")
		file := "Nome;" + tt.header + "\nAna Souza;" + tt.cell + "\n"
		row := readOne(t, file, nil)
		require.Len(t, row.Problems, 1, tt.header)
		p := row.Problems[0]
		assert.Equal(t, tt.code, p.Code(), tt.header)
		assert.Equal(t, tt.path, p.Path, tt.header)
		assert.Equal(t, headers[len(headers)-1], p.Column, tt.header)
		assert.Equal(t, 2, p.Row)
		require.NotNil(t, row.Customer, "a row with a bad cell is still read")
		assert.Equal(t, "Ana Souza", row.Customer.Name)
		for _, text := range []string{p.Error(), p.String(), p.Message(validation.English), p.Message(validation.Portuguese), fmt.Sprint(p), fmt.Sprintf("%+v", row.Problems)} {
			assert.NotContains(t, text, cells[len(cells)-1], "a problem never holds the value")
		}
		assert.Contains(t, p.String(), tt.code)
		assert.Contains(t, p.Message(validation.Portuguese), `coluna "`+p.Column+`"`)
		assert.ErrorIs(t, p, p.Rule)
	}
}

func TestKindAndStatus(t *testing.T) {
	t.Parallel()
	cnpj := storagetest.CNPJ(4).String()
	for _, tt := range []struct {
		header, cells string
		kind          customer.Kind
		status        customer.Status
	}{
		{"Nome;CPF", "Ana;248.438.034-80", customer.Individual, customer.StatusCustomer},
		{"Nome;CPF/CNPJ", "Frotas;" + cnpj, customer.Company, customer.StatusCustomer},
		{"Nome;Telefone", "Ana;(11) 98765-4321", customer.Individual, customer.StatusProspect},
		{"Nome;CPF;Tipo;Situação", "Ana;;;", customer.Individual, customer.StatusProspect},
		{"Nome;CPF;Tipo;Situação", "Ana;123;;", customer.Individual, customer.StatusCustomer},
		{"Nome;Tipo;Situação", "Frotas;PJ;Prospecto", customer.Company, customer.StatusProspect},
		{"Nome;CNPJ;Situação", "Frotas;" + cnpj + ";Prospect", customer.Company, customer.StatusProspect},
	} {
		row := readOne(t, tt.header+"\n"+tt.cells+"\n", nil)
		assert.Equal(t, tt.kind, row.Customer.Kind, tt.cells)
		assert.Equal(t, tt.status, row.Customer.Status, tt.cells)
	}
	for word, kind := range map[string]customer.Kind{
		"Pessoa física": customer.Individual, "PESSOA FISICA": customer.Individual, "PF": customer.Individual,
		"F": customer.Individual, "individual": customer.Individual, "Física": customer.Individual,
		"Pessoa jurídica": customer.Company, "PJ": customer.Company, "j": customer.Company, "company": customer.Company,
	} {
		row := readOne(t, "Nome;Tipo\nA;"+word+"\n", nil)
		assert.Equal(t, kind, row.Customer.Kind, word)
	}
	for word, status := range map[string]customer.Status{
		"Cliente": customer.StatusCustomer, "customer": customer.StatusCustomer,
		"Prospect": customer.StatusProspect, "prospecto": customer.StatusProspect,
	} {
		row := readOne(t, "Nome;Situação\nA;"+word+"\n", nil)
		assert.Equal(t, status, row.Customer.Status, word)
	}
}

func TestCellForms(t *testing.T) {
	t.Parallel()
	row := readOne(t, "Nome;Data de nascimento;Valor quitado 1;Saldo devedor 1;Credor 1;Valor quitado 2;Descrição do bem 2;"+
		"Valor quitado 3;Descrição do bem 3;UF;CEP;Finalidade;Melhor horário para contato;Contato;Validade do cartão;Cartão;Aniversário do contato\n"+
		"A;1/2/1975;1.234,56;R$ 1.500;Banco;1234.5;Moto;99;Casa;São Paulo;01310100;correspondência e COBRANÇA;09:00;Pedro;3/31;4111-1111-1111-1111;1/1\n", nil)
	require.Empty(t, row.Problems)
	c := row.Customer
	assert.Equal(t, "1975-02-01", c.BirthDate.String())
	require.Len(t, c.Assets, 3)
	assert.Equal(t, "1234.56", c.Assets[0].Value.String())
	assert.Equal(t, "1500", c.Assets[0].Lien.Balance.String())
	assert.Equal(t, "1234.5", c.Assets[1].Value.String())
	assert.Equal(t, "99", c.Assets[2].Value.String())
	assert.Equal(t, address.SP, c.Addresses[0].UF)
	assert.Equal(t, address.Correspondence|address.Billing, c.Addresses[0].Purposes)
	h, ok := c.Contacts[0].PreferredHour.Get()
	assert.True(t, ok)
	assert.Equal(t, 9, h)
	assert.Equal(t, 1, c.Contacts[0].Birthday.Day)
	require.Len(t, c.Cards, 1)
	assert.Equal(t, reference.Expiry{Month: 3, Year: 2031}, c.Cards[0].Expiry)
}

// TestAssetDefaults: a plate, chassis or RENAVAM alone makes a vehicle
// described as one.
func TestAssetDefaults(t *testing.T) {
	t.Parallel()
	row := readOne(t, "Nome;CPF;Placa;Chassi 2;Descrição do bem 3;Tipo do bem 3;Placa 4;Descrição do bem 4\n"+
		"A;248.438.034-80;abc1d23;9BWZZZ377VT004251;Casa na praia;Imóvel;ABC-1234;Gol 1.0\n", nil)
	require.Empty(t, row.Problems)
	a := row.Customer.Assets
	require.Len(t, a, 4)
	assert.Equal(t, asset.Vehicle, a[0].Kind)
	assert.Equal(t, "Veículo", a[0].Description)
	assert.Equal(t, "ABC1D23", a[0].Plate.String())
	assert.Equal(t, asset.Vehicle, a[1].Kind)
	assert.Equal(t, asset.RealEstate, a[2].Kind)
	assert.Equal(t, "Casa na praia", a[2].Description)
	assert.Equal(t, "Gol 1.0", a[3].Description)
	assert.NoError(t, row.Customer.ValidateAt(now))
}

// TestElementsInRowOrder: a blank group of columns is no element, so a
// row's first address may come from "CEP 2"; paths are the customer's
// and columns the file's.
func TestElementsInRowOrder(t *testing.T) {
	t.Parallel()
	r, err := csvio.NewReader(strings.NewReader(
		"Nome;CPF;CEP;Logradouro;Cidade;UF;CEP 2;Logradouro 2;Cidade 2;UF 2;Telefone;Celular;Complemento 3\n"+
			"Ana;248.438.034-80;;;;;01310-100;Av. Paulista;São Paulo;RJ;;(11) 98765-4321;  \n"), nil)
	require.NoError(t, err)
	row, err := r.Read()
	require.NoError(t, err)
	require.Empty(t, row.Problems)
	c := row.Customer
	require.Len(t, c.Addresses, 1, "blank groups are no element, spaces in a text cell included")
	require.Len(t, c.Phones, 1)
	assert.Equal(t, "CEP 2", row.Column("addresses[0].cep"))
	assert.Equal(t, "CEP 2", row.Column("addresses[0]"))
	assert.Equal(t, "Celular", row.Column("phones[0]"))
	assert.Equal(t, "Celular", row.Column("phones"))
	assert.Equal(t, "CEP 2", row.Column("addresses[1].cep"), "an element the row lacks: its list's first column")
	assert.Equal(t, "", row.Column("cards[0].number"))
	assert.Equal(t, "CEP", r.Column("addresses[0].cep"), "the header's own layout")
	assert.Equal(t, "UF 2", r.Column("addresses[1].uf"))
	assert.Equal(t, "Celular", r.Column("phones[1]"))

	row.Validate(now)
	require.Len(t, row.Problems, 1)
	assert.Equal(t, csvio.Problem{Row: 2, Column: "CEP 2", Path: "addresses[0].cep", Rule: address.ErrCEPMismatch}, row.Problems[0])
}

func TestValidate(t *testing.T) {
	t.Parallel()
	row := readOne(t, "Nome;CPF;E-mail;CEP;Logradouro;Cidade;UF;Observações\n"+
		";248.438.034-80;ana@example.com;00000-000;Rua A;Santos;SP;cartão 4111 1111 1111 1111\n", nil)
	require.Len(t, row.Problems, 1)
	assert.Equal(t, "cep.range", row.Problems[0].Code())
	row.Validate(now)
	codes := map[string]string{}
	for _, p := range row.Problems {
		assert.NotContains(t, codes, p.Path, "one problem a path")
		codes[p.Path] = p.Code() + " @ " + p.Column
	}
	assert.Equal(t, map[string]string{
		"addresses[0].cep": "cep.range @ CEP",
		"name":             "required @ Nome",
		"notes":            "text.card_number @ Observações",
	}, codes)

	prospect := readOne(t, "Nome;E-mail\nAna;\n", nil)
	prospect.Validate(now)
	require.Len(t, prospect.Problems, 1)
	assert.Equal(t, customer.ErrReachable, prospect.Problems[0].Rule)

	(&csvio.Row{}).Validate(now) // no customer: nothing to do
}

// TestCards: a full card number becomes the masked card, and its digits
// are nowhere in what the row holds; a masked number reads back with
// its brand.
func TestCards(t *testing.T) {
	t.Parallel()
	const number = "5555 5555 5555 4444"
	row := readOne(t, "Nome;Cartão;Titular do cartão;Validade do cartão\nAna;"+number+";ANA;12/2030\n", nil)
	require.Empty(t, row.Problems)
	require.Len(t, row.Customer.Cards, 1)
	card := row.Customer.Cards[0]
	assert.Equal(t, reference.Mastercard, card.Brand())
	assert.Equal(t, "555555", card.BIN())
	assert.Equal(t, "4444", card.Last4())
	assert.Equal(t, "ANA", card.Holder)
	j, err := json.Marshal(row.Customer)
	require.NoError(t, err)
	for _, s := range []string{fmt.Sprintf("%+v", row), fmt.Sprintf("%#v", row.Customer), string(j), string(writeCSV(t, row.Customer))} {
		assert.NotContains(t, strings.ReplaceAll(s, " ", ""), "5555555555554444")
	}
	for _, masked := range []string{"555555******4444", "5555 55•• •••• 4444", "555555xxxxxx4444", "5555-55##-####-4444"} {
		row = readOne(t, "Nome;Bandeira do cartão;Cartão\nAna;MasterCard;"+masked+"\n", nil)
		require.Empty(t, row.Problems, masked)
		assert.Equal(t, "4444", row.Customer.Cards[0].Last4(), masked)
		assert.Equal(t, reference.Mastercard, row.Customer.Cards[0].Brand(), masked)
	}
}
