package csvio_test

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/fichacrm/ficha/csvio"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage/storagetest"
)

// csvSeeds are files of the shapes the reader meets.
func csvSeeds(f *testing.F) {
	c := storagetest.Individual(3)
	c.ID = customer.NewID()
	cs := []*customer.Customer{c}
	var shape csvio.Shape
	for _, c := range cs {
		shape.Add(c)
	}
	var buf bytes.Buffer
	w, err := csvio.NewWriter(&buf, shape)
	if err != nil {
		f.Fatal(err)
	}
	for _, c := range cs {
		if err := w.Write(c); err != nil {
			f.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	for _, s := range []string{
		"Nome;CPF;Telefone;E-mail;CEP;UF;Placa\nAna;248.438.034-80;(11) 98765-4321;ana@example.com;01310-100;SP;ABC1D23\n",
		"Nome;Telefones do contato 2;E-mail do contato 2;Melhor dia para contato 2;Gestor de frota 2\nAna;(11) 98765-4321 / 11 3333-4444 r. 12;a@b.co;sexta;sim\n",
		"Nome;Banco;Agência;Conta;Dígito da conta;Referência pessoal;Telefone da referência;Finalidade\nAna;1;1852;10089939;0;Zé;(47) 3333-2222;cobrança\n",
		"Nome;Chassi;RENAVAM;Ano;Valor quitado;Saldo devedor;Credor;Data de quitação;Tipo do bem\nAna;9BWZZZ377VT004251;639884962;2023;1.234,56;0,01;Banco;30/06/2027;Veículo\n",
		"Nome;Cartão;Titular do cartão;Validade do cartão;Token do cartão;ID\nAna;4111 1111 1111 1111;ANA;12/30;tok;01a2213e-fbb3-7ad1-9d71-ade1b7083e0a\n",
		"Nome,Observações,Ordens de serviço\r\n\"a,b\",\"l1\r\nl2 \"\"q\"\"\",\"OS-1, OS-2\"\r\n",
		"sep=\t\nNome\tValor quitado\tCartão\tBandeira\nAna\t1.234,56\t555555******4444\tmastercard\n",
		"Nome;Aniversário do contato;Melhor horário para contato;Contato\n'=x;29/02;9h;'-y\n",
		"Nome;info.spouse_name;CEP 2;Complemento 2\nAna;  ;;  \n;;;\n",
		"Nome;Tipo;Situação\nAna;PJ;Prospect\nBia;\"fecha\nnunca",
		"\xef\xbb\xbfNome\n\xc9\n",
		"Nome;Observações\nJOS\xc9;\x81\n",
	} {
		f.Add([]byte(s))
	}
}

// FuzzReadCSV: the reader never panics, and every customer it reads
// without a problem is written and read back unchanged.
func FuzzReadCSV(f *testing.F) {
	csvSeeds(f)
	f.Fuzz(func(t *testing.T, file []byte) {
		r, err := csvio.NewReader(bytes.NewReader(file), nil)
		if err != nil {
			return
		}
		_ = r.Mapping()
		for range 20 {
			row, err := r.Read()
			if err != nil {
				if !errors.Is(err, io.EOF) {
					var fe *csvio.FileError
					if !errors.As(err, &fe) {
						t.Fatalf("an error that is neither the end nor the file's: %v", err)
					}
				}
				return
			}
			for _, p := range row.Problems {
				_ = row.Column(p.Path)
			}
			if len(row.Problems) > 0 || row.Customer == nil {
				continue
			}
			c := row.Customer
			var shape csvio.Shape
			shape.Add(c)
			var buf bytes.Buffer
			w, err := csvio.NewWriter(&buf, shape)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Write(c); err != nil {
				t.Fatalf("a customer read cannot be written: %v", err)
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			back, err := csvio.NewReader(&buf, nil)
			if err != nil {
				t.Fatalf("a file written cannot be read: %v", err)
			}
			again, err := back.Read()
			if err != nil {
				t.Fatalf("a row written cannot be read: %v", err)
			}
			if len(again.Problems) > 0 {
				t.Fatalf("a row written reads with problems: %v", again.Problems)
			}
			if d := differences(c, again.Customer, notInCSV); len(d) > 0 {
				t.Fatalf("fields changed by writing and reading: %v", d)
			}
			row.Validate(now)
		}
	})
}

// FuzzReadJSONL: the reader never panics, and every customer it reads
// without a problem is written and read back unchanged.
func FuzzReadJSONL(f *testing.F) {
	for _, c := range []*customer.Customer{storagetest.Individual(1), storagetest.Company(2)} {
		var buf bytes.Buffer
		w := csvio.NewJSONLWriter(&buf)
		if err := w.Write(c); err != nil {
			f.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	for _, s := range []string{"{}\n\n{\"name\":1}\n[]\n", "{\"cards\":[{\"number\":\"4111111111111111\"}]}\r\n", "{\"kind\":\"company\"", "\xff\n{}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, file []byte) {
		r := csvio.NewJSONLReader(bytes.NewReader(file))
		for range 1000 {
			row, err := r.Read()
			if err != nil {
				if !errors.Is(err, io.EOF) {
					t.Fatalf("an error from a reader in memory: %v", err)
				}
				return
			}
			if len(row.Problems) > 0 {
				if row.Customer != nil {
					t.Fatal("a malformed line has a customer")
				}
				continue
			}
			var out bytes.Buffer
			w := csvio.NewJSONLWriter(&out)
			if err := w.Write(row.Customer); err != nil {
				t.Fatalf("a customer read cannot be written: %v", err)
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			again, err := csvio.NewJSONLReader(&out).Read()
			if err != nil || len(again.Problems) > 0 {
				t.Fatalf("a line written cannot be read: %v %v", err, again)
			}
			if d := differences(row.Customer, again.Customer, nil); len(d) > 0 {
				t.Fatalf("fields changed by writing and reading: %v", d)
			}
			row.Validate(now)
		}
	})
}
