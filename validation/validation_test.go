package validation_test

import (
	"encoding/json"
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

func TestErrorJSON(t *testing.T) {
	t.Parallel()
	errCEP := validation.NewRule("cep.invalid", "invalid CEP", "CEP inválido")
	var v validation.Error
	v.Add("name", validation.ErrRequired)
	v.Add(validation.Index("addresses", 1)+".cep", errCEP)
	v.Add("notes", errors.New("no rule of its own"))

	pt := `{"fields":[` +
		`{"path":"name","code":"required","message":"este campo é obrigatório"},` +
		`{"path":"addresses[1].cep","code":"cep.invalid","message":"CEP inválido"},` +
		`{"path":"notes","code":"invalid","message":"valor inválido"}]}`
	en := `{"fields":[` +
		`{"path":"name","code":"required","message":"this field is required"},` +
		`{"path":"addresses[1].cep","code":"cep.invalid","message":"invalid CEP"},` +
		`{"path":"notes","code":"invalid","message":"invalid value"}]}`

	b, err := json.Marshal(&v)
	require.NoError(t, err)
	assert.Equal(t, pt, string(b), "Portuguese, the attendants' language, by default")
	b, err = json.Marshal(v.Localized(validation.Portuguese))
	require.NoError(t, err)
	assert.Equal(t, pt, string(b))
	b, err = json.Marshal(v.Localized(validation.English))
	require.NoError(t, err)
	assert.Equal(t, en, string(b))

	// The same error always encodes the same, field order kept.
	for range 3 {
		again, err := json.Marshal(v.Localized(validation.English))
		require.NoError(t, err)
		assert.Equal(t, en, string(again))
	}

	// As a host holds it: an error in its own response, or the view.
	var err2 error = v.Err()
	b, err = json.Marshal(map[string]any{"error": err2, "en": v.Localized(validation.English)})
	require.NoError(t, err)
	assert.Equal(t, `{"en":`+en+`,"error":`+pt+`}`, string(b))
}

func TestErrorJSONEmpty(t *testing.T) {
	t.Parallel()
	for _, l := range []validation.Localized{
		{},
		(&validation.Error{}).Localized(validation.English),
		{Err: &validation.Error{Fields: []validation.FieldError{{Path: "x"}}}},
	} {
		b, err := json.Marshal(l)
		require.NoError(t, err)
		var doc struct {
			Fields []map[string]string `json:"fields"`
		}
		require.NoError(t, json.Unmarshal(b, &doc), "%s", b)
		require.NotNil(t, doc.Fields, "%s: the list is never null", b)
		for _, f := range doc.Fields {
			assert.Equal(t, "invalid", f["code"], "a field without a rule is reported as invalid")
		}
	}
}

func ExampleError_Localized() {
	errCEP := validation.NewRule("cep.invalid", "invalid CEP", "CEP inválido")
	var v validation.Error
	v.Add("addresses[0].cep", errCEP)

	pt, _ := json.Marshal(&v) // Portuguese
	en, _ := json.Marshal(v.Localized(validation.English))
	fmt.Println(string(pt))
	fmt.Println(string(en))
	// Output:
	// {"fields":[{"path":"addresses[0].cep","code":"cep.invalid","message":"CEP inválido"}]}
	// {"fields":[{"path":"addresses[0].cep","code":"cep.invalid","message":"invalid CEP"}]}
}

func TestJoin(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "a.b", validation.Join("a", "b"))
	assert.Equal(t, "b", validation.Join("", "b"))
	assert.Equal(t, "a", validation.Join("a", ""))
	assert.Equal(t, "a[2]", validation.Join("a", "[2]"))
}

func TestWithout(t *testing.T) {
	t.Parallel()
	a := validation.NewRule("test.a", "a", "a")
	b := validation.NewRule("test.b", "b", "b")
	var v validation.Error
	v.Add("x", a)
	v.Add("y", b)
	v.Add("z", a)
	rest := validation.Without(&v, a)
	var e *validation.Error
	require.ErrorAs(t, rest, &e)
	assert.Equal(t, []validation.FieldError{{Path: "y", Rule: b}}, e.Fields)
	assert.Len(t, v.Fields, 3, "the error given is left as it was")
	assert.NoError(t, validation.Without(rest, b), "nothing left: nil")
	assert.NoError(t, validation.Without(nil, a))
	plain := errors.New("not a validation error")
	assert.Same(t, plain, validation.Without(plain, a))
}
