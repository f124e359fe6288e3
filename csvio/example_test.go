package csvio_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/fichacrm/ficha/csvio"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/validation"
)

// A spreadsheet as a dealership keeps it is read a row at a time: each
// row is a customer, or the problems of its cells, each with its column
// and a message in Portuguese for the report. The customers read are
// then written back as the export writes them.
func Example() {
	file := "Nome;CPF;Celular;E-mail;CEP;UF;Placa\n" +
		"Ana Souza;248.438.034-80;(11) 98765-4321;ana@example.com;01310-100;SP;ABC1D23\n" +
		"Bruno Lima;248.438.034-81;11 3333-4444;;;;\n"
	r, err := csvio.NewReader(strings.NewReader(file), nil)
	if err != nil {
		panic(err)
	}
	var good []*customer.Customer
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			panic(err)
		}
		for _, p := range row.Problems {
			fmt.Println(p.Message(validation.Portuguese))
		}
		if len(row.Problems) == 0 {
			c := row.Customer
			fmt.Println(row.Number, c.Name, c.Kind, c.Status, c.Assets[0].Description, c.Assets[0].Plate)
			good = append(good, c)
		}
	}

	var shape csvio.Shape
	for _, c := range good {
		shape.Add(c)
	}
	var out bytes.Buffer
	w, err := csvio.NewWriter(&out, shape)
	if err != nil {
		panic(err)
	}
	for _, c := range good {
		if err := w.Write(c); err != nil {
			panic(err)
		}
	}
	if err := w.Flush(); err != nil {
		panic(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(strings.TrimPrefix(out.String(), "\uFEFF")), "\r\n") {
		fmt.Println(line)
	}
	// Output:
	// 2 Ana Souza individual customer Veículo ABC1D23
	// linha 3, coluna "CPF": os dígitos verificadores do CPF não conferem
	// Nome;Tipo;Situação;CPF/CNPJ;Nome fantasia;Data de nascimento;Empresa;Telefone 1;E-mail 1;Código DMS;Ordens de serviço;Observações;CEP 1;Logradouro 1;Número 1;Complemento 1;Bairro 1;Cidade 1;UF 1;Finalidade 1;Descrição do bem 1;Tipo do bem 1;Ano 1;Valor quitado 1;Saldo devedor 1;Credor 1;Data de quitação 1;Placa 1;Chassi 1;RENAVAM 1;ID
	// Ana Souza;Pessoa física;Cliente;248.438.034-80;;;;(11) 98765-4321;ana@example.com;;;;01310-100;;;;;;SP;;Veículo;Veículo;;;;;;ABC1D23;;;
}

// A host whose files use headers of their own maps them to column keys;
// a column it does not want is ignored with "-".
func ExampleOptions() {
	file := "Cliente;Fone Res.;Fone Com.;Limite;CEP Cobrança\n" +
		"Ana Souza;(11) 3333-4444;(11) 98765-4321;5000;20040-020\n"
	r, err := csvio.NewReader(strings.NewReader(file), &csvio.Options{Columns: map[string]string{
		"Fone Res.": "phone", "Fone Com.": "phone", "Limite": "-", "CEP Cobrança": "address2.cep",
	}})
	if err != nil {
		panic(err)
	}
	for _, m := range r.Mapping() {
		fmt.Printf("%s -> %q\n", m.Header, m.Key)
	}
	row, err := r.Read()
	if err != nil {
		panic(err)
	}
	fmt.Println(row.Customer.Name, len(row.Customer.Phones), row.Customer.Addresses[0].CEP.Format())
	// Output:
	// Cliente -> "name"
	// Fone Res. -> "phone"
	// Fone Com. -> "phone"
	// Limite -> ""
	// CEP Cobrança -> "address2.cep"
	// Ana Souza 2 20040-020
}
