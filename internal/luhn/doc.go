// Package luhn implements the Luhn (mod 10) check of card numbers, and the
// search for a card number typed into free text, which every free-text field
// of a record goes through: card numbers have no business there (PCI DSS).
package luhn
