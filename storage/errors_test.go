package storage_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/memory"
	"github.com/fichacrm/ficha/storage/storagetest"
	"github.com/fichacrm/ficha/validation"
)

func TestDuplicateTaxIDErrorIsARule(t *testing.T) {
	t.Parallel()
	holder := customer.NewID()
	var err error = fmt.Errorf("saving: %w", &storage.DuplicateTaxIDError{HolderID: holder})

	require.ErrorIs(t, err, storage.ErrDuplicateTaxID)
	assert.NotErrorIs(t, err, storage.ErrNotFound)
	var de *storage.DuplicateTaxIDError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, holder, de.HolderID, "the customer already holding the tax ID")
	assert.Equal(t, "saving: storage: another customer already has this CPF/CNPJ (customer "+holder.String()+")", err.Error())

	var rule *validation.Rule
	require.ErrorAs(t, err, &rule)
	assert.Same(t, storage.ErrDuplicateTaxID, rule)
	assert.Equal(t, "taxid.duplicate", de.Code())
	assert.Equal(t, "outro cliente já tem este CPF/CNPJ", de.Message(validation.Portuguese))
	assert.Equal(t, "another customer already has this CPF/CNPJ", de.Message(validation.English))
}

func TestDuplicateTaxIDShowsInPortuguese(t *testing.T) {
	t.Parallel()
	s := memory.Open(nil)
	defer s.Close()
	first, err := s.Create(t.Context(), "t", storagetest.Individual(1))
	require.NoError(t, err)
	second := storagetest.Individual(2)
	second.TaxID = first.TaxID
	_, err = s.Create(t.Context(), "t", second)
	require.ErrorIs(t, err, storage.ErrDuplicateTaxID)

	// A host files it under the tax ID field, as any failed rule.
	var v validation.Error
	v.Add("tax_id", err)
	b, jerr := json.Marshal(&v)
	require.NoError(t, jerr)
	assert.Equal(t, `{"fields":[{"path":"tax_id","code":"taxid.duplicate","message":"outro cliente já tem este CPF/CNPJ"}]}`, string(b))

	digits := first.TaxID.String()
	require.NotEmpty(t, digits)
	for _, text := range []string{err.Error(), string(b), v.Format(validation.English)} {
		assert.NotContains(t, text, digits, "the tax ID is personal data")
		assert.NotContains(t, text, first.TaxID.Format())
	}
	assert.Contains(t, err.Error(), first.ID.String(), "the message names the holder")
}
