package csvio_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/csvio"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/date"
	"github.com/fichacrm/ficha/storage/storagetest"
)

// benchFile returns a file of n customers as a dealership migrates them:
// individuals and companies with phones, e-mails, an address, a vehicle
// and, for a company, a contact.
func benchFile(b *testing.B, n int) []byte {
	b.Helper()
	ceps := []string{"01310-100", "20040-020", "30130-010", "40020-000", "70040-010", "80010-000", "90010-000"}
	ufs := []address.UF{address.SP, address.RJ, address.MG, address.BA, address.DF, address.PR, address.RS}
	cs := make([]*customer.Customer, n)
	for i := range cs {
		var c *customer.Customer
		if i%5 == 4 {
			c = storagetest.Company(i)
		} else {
			c = storagetest.Individual(i)
			c.BirthDate = date.MustNew(1950+i%50, time.Month(1+i%12), 1+i%28)
			c.Phones = append(c.Phones, storagetest.Phone(i+3000000))
		}
		c.Notes = fmt.Sprintf("Cliente desde %d; prefere contato por WhatsApp", 2000+i%25)
		c.Addresses = []address.Address{{CEP: address.MustParseCEP(ceps[i%len(ceps)]), Street: "Rua das Flores", Number: fmt.Sprint(i % 2000),
			District: "Centro", City: "Cidade", UF: ufs[i%len(ufs)], Purposes: address.Correspondence}}
		c.Emails = []contact.Email{contact.MustParseEmail(fmt.Sprintf("cliente%d@example.com.br", i))}
		cs[i] = c
	}
	var shape csvio.Shape
	for _, c := range cs {
		shape.Add(c)
	}
	var buf bytes.Buffer
	w, err := csvio.NewWriter(&buf, shape)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range cs {
		if err := w.Write(c); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkReadCSV reads a file of 10,000 customers; rows/s is the
// reader's pace, which the import's 10,000 rows/s with the database
// leaves far behind.
func BenchmarkReadCSV(b *testing.B) {
	const rows = 10000
	file := benchFile(b, rows)
	b.SetBytes(int64(len(file)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := csvio.NewReader(bytes.NewReader(file), nil)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			row, err := r.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil || len(row.Problems) > 0 {
				b.Fatal(err, row.Problems)
			}
			n++
		}
		if n != rows {
			b.Fatalf("%d rows", n)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkWriteCSV writes the same file.
func BenchmarkWriteCSV(b *testing.B) {
	const rows = 10000
	file := benchFile(b, rows)
	r, err := csvio.NewReader(bytes.NewReader(file), nil)
	if err != nil {
		b.Fatal(err)
	}
	var cs []*customer.Customer
	var shape csvio.Shape
	for {
		row, err := r.Read()
		if err != nil {
			break
		}
		cs = append(cs, row.Customer)
		shape.Add(row.Customer)
	}
	b.SetBytes(int64(len(file)))
	b.ReportAllocs()
	for b.Loop() {
		w, err := csvio.NewWriter(io.Discard, shape)
		if err != nil {
			b.Fatal(err)
		}
		for _, c := range cs {
			if err := w.Write(c); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
