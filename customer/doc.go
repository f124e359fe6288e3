// Package customer is the heart of Ficha: the [Customer] aggregate that an
// attendant opens at every attendance, the Brazilian tax identifiers ([CPF],
// [CNPJ], and [TaxID] for either), the record's validation, and the search
// keys that every storage adapter indexes and queries.
//
// A customer is an individual (with a CPF) or a company (with a CNPJ), and a
// prospect or a customer. Its sub-records come from the sibling packages:
// [address.Address], [asset.Asset], [reference.Personal], [reference.Bank],
// [reference.Card] and [contact.Contact].
package customer
