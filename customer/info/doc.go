// Package info is the additional-information table of a customer ("Tabela
// de Informações Adicionais"): the host-configured fields a dealership asks
// for beyond the record itself, such as the spouse's data, income and
// residence of an individual or the registrations and fleet size of a
// company.
//
// A [Schema] is a list of fields ([Field]), each with a stored key, a
// bilingual [Label], a [Section] of the customer sheet, a [Type] and the
// [Kinds] of customer it applies to. [Default] is the table Brazilian dealerships use;
// hosts build their own with [NewSchema] or add to it with
// [Schema.Extend], and hand it to the store (storage.Options.Info) and to
// the sheet.
//
// Values are kept in [customer.Customer.Info] as text in a stored form
// that reads back the same in any locale: amounts as "1234.56", dates as
// YYYY-MM-DD, yes/no as "true" or "false". [Field.Normalize] turns what an
// attendant types ("1.234,56", "15/03/2010", "sim") into that form,
// [Field.Format] shows it again as people read it, and [Schema.Validate]
// reports every field that is unknown, does not apply to the customer's
// kind, is required and missing, or is not of its type. [FormatMoney] and
// [FormatYesNo] are the same formatting for amounts and flags elsewhere in
// the record.
//
// The package imports [customer], never the other way round: a customer
// is valid without any schema, and storage keeps only the values.
package info
