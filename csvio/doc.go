// Package csvio is the file format of customer import and export: CSV as
// Brazilian spreadsheets and dealer management systems write it, and
// JSON Lines. It turns bytes into [customer.Customer] values with the
// problems of each row, and customers into bytes; it stores nothing (the
// import into a store, its report and its progress are the caller's).
//
// # Reading CSV
//
// [NewReader] reads the header and maps each column to a column key
// ([Keys]) by its name, whatever its case, accents, spaces and
// punctuation ("E-mail", "EMAIL" and "e mail" are one column), or by the
// host's own mapping ([Options.Columns]). The separator (';', ',' or tab)
// and the encoding (UTF-8, or Windows-1252 as Excel saves "CSV") are
// detected. [Reader.Read] returns one [Row] a record: its number as a
// spreadsheet shows it, the customer it says, and its [Problem]s, each
// with the column's header, the customer path and a rule with a stable
// code and messages in English and Portuguese, and never the cell's
// value. Identifiers are read by their own packages' parsers (a bad CPF is
// the CPF rule's problem); whether the record as a whole is valid is the
// store's to say, and [Row.Validate] says it early.
//
// A row is one customer. The customer's phones and e-mails each take a
// column ("Telefone", "Celular", "Telefone 2"...), in column order. Each
// list of sub-records (addresses, assets, contacts, personal and bank
// references, cards) takes a group of columns numbered after the
// element: "CEP", "Logradouro" and "UF" are the first address, "CEP 2"
// the second's. Additional information takes a column per key,
// "info.<key>". A blank row is skipped, and so is an element whose cells
// are blank.
//
// # Writing CSV
//
// [NewWriter] writes what Excel and LibreOffice open in Brazil: UTF-8
// with a byte-order mark, ';', CRLF, the Portuguese headers, and values
// formatted as people read them (CPF 123.456.789-09, CEP 01310-100,
// phones "(11) 98765-4321", dates 28/02/1975, amounts 1234,56). A cell
// that a spreadsheet would run as a formula is written after an
// apostrophe, which the reader takes away. The columns are a [Shape]
// built from the customers to be written. What is written reads back as
// the same customer, its ID included.
//
// # JSON Lines
//
// [NewJSONLReader] and [NewJSONLWriter] read and write one customer a
// line in its JSON form, the same value both ways.
package csvio
