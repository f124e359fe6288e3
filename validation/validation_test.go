package validation_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/validation"
)

var errTest = validation.NewRule("test.bad", "bad value", "valor ruim")

func TestErrorCollectsEveryField(t *testing.T) {
	t.Parallel()
	var v validation.Error
	require.NoError(t, v.Err(), "an empty list is no error")

	v.Add("name", errTest)
	v.Add("phones[0]", fmt.Errorf("wrapped: %w", errTest))
	v.Add("email", errors.New("plain"))
	v.Add("ignored", nil)

	err := v.Err()
	require.Error(t, err)
	var got *validation.Error
	require.True(t, errors.As(err, &got))
	require.Len(t, got.Fields, 3)
	assert.True(t, got.Has("name", "test.bad"))
	assert.True(t, got.Has("phones[0]", "test.bad"))
	assert.True(t, got.Has("email", "invalid"))
	assert.True(t, errors.Is(err, errTest))
	assert.Equal(t, "invalid data: name: bad value; phones[0]: bad value; email: invalid value", err.Error())
	assert.Equal(t, "dados inválidos: name: valor ruim; phones[0]: valor ruim; email: valor inválido", got.Format(validation.Portuguese))
	assert.Equal(t, "valor ruim", got.Fields[0].Message(validation.Portuguese))
	assert.Equal(t, "name: bad value", got.Fields[0].Error())
}

func TestAddMergesNestedErrors(t *testing.T) {
	t.Parallel()
	var inner validation.Error
	inner.Add("cep", errTest)
	var outer validation.Error
	outer.Add(validation.Index("addresses", 1), &inner)
	require.Len(t, outer.Fields, 1)
	assert.Equal(t, "addresses[1].cep", outer.Fields[0].Path)
}

func TestJoin(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "a.b", validation.Join("a", "b"))
	assert.Equal(t, "b", validation.Join("", "b"))
	assert.Equal(t, "a", validation.Join("a", ""))
	assert.Equal(t, "a[2]", validation.Join("a", "[2]"))
}
