package storage

import (
	"errors"

	"github.com/google/uuid"

	"github.com/fichacrm/ficha/validation"
)

// Errors returned by [Store] methods. Callers test for them with
// [errors.Is]; each method's documentation says which it returns. Errors of
// a database driver are wrapped, so the driver's own error stays reachable
// with [errors.As].
var (
	// ErrNotFound: the tenant has no customer (or attendance, or agenda
	// item, as the method says) with the ID.
	ErrNotFound = errors.New("storage: not found")
	// ErrConflict: the customer changed since the version the caller read;
	// reload it and apply the change again.
	ErrConflict = errors.New("storage: customer was changed by someone else; reload it")
	// ErrExists: the tenant already has a customer (or attendance, or
	// agenda item) with the ID.
	ErrExists = errors.New("storage: the ID is taken")
	// ErrDuplicateTaxID: another customer of the tenant holds the CPF or
	// CNPJ. The error is a [*DuplicateTaxIDError] naming that customer.
	// ErrDuplicateTaxID is a validation rule (code "taxid.duplicate",
	// messages in English and Portuguese), so that a host UI can show it
	// next to the tax ID field like any other failed rule.
	ErrDuplicateTaxID = validation.NewRule("taxid.duplicate",
		"another customer already has this CPF/CNPJ", "outro cliente já tem este CPF/CNPJ")
	// ErrInvalid: what the caller gave failed validation (a customer, an
	// attendance, an agenda item, a filter). The error also unwraps to the
	// domain's [*validation.Error] where there is one, which lists every
	// field.
	ErrInvalid = errors.New("storage: invalid input")
	// ErrTenant: the tenant ID is empty or malformed.
	ErrTenant = errors.New("storage: invalid tenant ID")
	// ErrCursor: a cursor was not one this store returned for the same
	// tenant and the same search, list or filters.
	ErrCursor = errors.New("storage: invalid cursor")
	// ErrLimit: a page size is negative.
	ErrLimit = errors.New("storage: the page size cannot be negative")
	// ErrLocked: an update changes fields the edit policy locks; the error
	// also unwraps to a *customer.ValidationError naming them.
	ErrLocked = errors.New("storage: the update changes locked fields")
	// ErrClosed: the store was closed.
	ErrClosed = errors.New("storage: store is closed")
)

// DuplicateTaxIDError reports that the CPF or CNPJ of a customer being
// saved already belongs to another customer of the same tenant. It matches
// [ErrDuplicateTaxID] with errors.Is, and unwraps to that rule, so that
// [validation.Error.Add] files it under a path:
//
//	var v validation.Error
//	v.Add("tax_id", err) // {"path":"tax_id","code":"taxid.duplicate","message":"outro cliente já tem este CPF/CNPJ"}
//
// The message names the holder's ID, never the tax ID itself.
type DuplicateTaxIDError struct {
	HolderID uuid.UUID // the customer that already holds the tax ID
}

// Error implements error.
func (e *DuplicateTaxIDError) Error() string {
	return "storage: " + ErrDuplicateTaxID.Error() + " (customer " + e.HolderID.String() + ")"
}

// Code returns the code of [ErrDuplicateTaxID], "taxid.duplicate".
func (e *DuplicateTaxIDError) Code() string { return ErrDuplicateTaxID.Code() }

// Message returns the message of [ErrDuplicateTaxID] in lang, for an
// attendant: it names neither the tax ID nor the customer holding it.
func (e *DuplicateTaxIDError) Message(lang validation.Lang) string {
	return ErrDuplicateTaxID.Message(lang)
}

// Is reports whether target is [ErrDuplicateTaxID].
func (e *DuplicateTaxIDError) Is(target error) bool { return target == ErrDuplicateTaxID }

// Unwrap returns [ErrDuplicateTaxID], so errors.As finds the rule.
func (e *DuplicateTaxIDError) Unwrap() error { return ErrDuplicateTaxID }
