package sheet_test

import (
	"os"
	"time"
	_ "time/tzdata" // the dealership's time zone, on any machine

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/date"
	"github.com/fichacrm/ficha/sheet"
)

// The text sheet of a small customer, as a host prints it for a log of
// what was handed over at the counter. The ID, version and times are fixed
// here so that the output is the same on every run; a host passes the
// customer as the store returned it.
func ExampleText() {
	sp, err := time.LoadLocation("America/Sao_Paulo")
	if err != nil {
		panic(err)
	}
	registered := time.Date(2025, time.March, 5, 13, 20, 0, 0, time.UTC)
	c := &customer.Customer{
		ID:        uuid.MustParse("0195662c-1f80-7a3e-9d2b-4c6f1e8a0b31"),
		Kind:      customer.Individual,
		Status:    customer.StatusCustomer,
		Version:   2,
		Name:      "Ana Paula Souza",
		TaxID:     customer.MustParseTaxID("248.438.034-80"),
		BirthDate: date.MustNew(1988, time.July, 14),
		Phones: []contact.Phone{
			contact.MustParsePhone("(11) 98765-4321"),
			contact.MustParsePhone("(11) 3333-4444 ramal 12"),
		},
		Emails: []contact.Email{contact.MustParseEmail("ana.souza@example.com.br")},
		Addresses: []address.Address{{
			CEP: address.MustParseCEP("01310-100"), Street: "Avenida Paulista", Number: "1000",
			District: "Bela Vista", City: "São Paulo", UF: address.SP,
			Purposes: address.Correspondence | address.Billing,
		}},
		Assets: []asset.Asset{{
			Description: "Fiat Pulse Drive", Kind: asset.Vehicle, Year: 2023,
			Value: decimal.RequireFromString("98500.00"),
			Plate: asset.MustParsePlate("BRA2E19"),
		}},
		CreatedAt: registered,
		UpdatedAt: registered.Add(26 * time.Hour),
	}
	opts := &sheet.Options{
		Location: sp,
		Printed:  time.Date(2025, time.March, 7, 18, 0, 0, 0, time.UTC),
	}
	// nil: the default additional-information table.
	if err := sheet.Text(os.Stdout, c, nil, opts); err != nil {
		panic(err)
	}
	// Output:
	// ================================================================================
	//                                 FICHA DO CLIENTE
	//                                 Ana Paula Souza
	// ================================================================================
	//
	// PERFIL DO CLIENTE
	// --------------------------------------------------------------------------------
	// Tipo de pessoa:             Pessoa física
	// Situação:                   Cliente
	// Nome:                       Ana Paula Souza
	// CPF:                        248.438.034-80
	// Data de nascimento:         14/07/1988
	// Telefone 1:                 (11) 98765-4321
	// Telefone 2:                 (11) 3333-4444 ramal 12
	// E-mail:                     ana.souza@example.com.br
	//
	// ENDEREÇOS ADICIONAIS
	// --------------------------------------------------------------------------------
	// Endereço 1
	// Logradouro:                 Avenida Paulista, 1000
	// Bairro:                     Bela Vista
	// Cidade/UF:                  São Paulo/SP
	// CEP:                        01310-100
	// Finalidade:                 Correspondência, Cobrança
	//
	// BENS
	// --------------------------------------------------------------------------------
	// Bem 1
	// Descrição:                  Fiat Pulse Drive
	// Tipo:                       Veículo
	// Ano:                        2023
	// Valor (quitado):            R$ 98.500,00
	// Placa:                      BRA2E19
	//
	// REFERÊNCIAS PESSOAIS
	// --------------------------------------------------------------------------------
	// Nenhum registro.
	//
	// REFERÊNCIAS BANCÁRIAS
	// --------------------------------------------------------------------------------
	// Nenhum registro.
	//
	// CARTÕES DE CRÉDITO
	// --------------------------------------------------------------------------------
	// Nenhum registro.
	//
	// CONTATOS
	// --------------------------------------------------------------------------------
	// Nenhum registro.
	//
	// INFORMAÇÕES ADICIONAIS
	// --------------------------------------------------------------------------------
	// Nenhum registro.
	//
	// --------------------------------------------------------------------------------
	// Registro 0195662c-1f80-7a3e-9d2b-4c6f1e8a0b31 · versão 2 · cadastrado em
	// 05/03/2025 10:20 (America/Sao_Paulo) · atualizado em 06/03/2025 12:20
	// (America/Sao_Paulo) · impresso em 07/03/2025 15:00 (America/Sao_Paulo)
}
