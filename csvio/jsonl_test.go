package csvio_test

import (
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/csvio"
	"github.com/fichacrm/ficha/storage/storagetest"
	"github.com/fichacrm/ficha/validation"
)

func TestJSONLReader(t *testing.T) {
	t.Parallel()
	good, err := json.Marshal(storagetest.Individual(1))
	require.NoError(t, err)
	badCPF := strings.Replace(string(good), storagetest.CPF(1).String(), "24843803481", 1)
	require.NotEqual(t, string(good), badCPF)
	lines := []string{
		"\uFEFF" + string(good), // 1
		"",                      // 2: blank, skipped
		"   \t",                 // 3: blank, skipped
		`{"name": "Ana Souza", "kind": "pessoa"}`, // 4: a field's own rule
		`{"name": "Ana Souza"`,                    // 5
		`["Ana Souza"]`,                           // 6
		`null`,                                    // 7
		`"Ana Souza"`,                             // 8
		`{"name": 42}`,                            // 9
		badCPF,                                    // 10
		"{\"name\": \"Ana \xff Souza\"}",          // 11
		string(good) + "\r",                       // 12: CRLF
		string(good),                              // 13
		`{"name": "Ana Souza", "phones": ["(11) 98888-0000", "(11) 123"]}`,         // 14: a list element's own rule
		`{"nmae": "Ana Souza", "kind": "individual"}`,                              // 15: a member no customer has
		`{"name": "Ana Souza", "addresses": [{"cep": "01001-000"}, {"cpe": "x"}]}`, // 16: the same in an element
		`{"name": "Ana Souza"} {"name": "Bia"}`,                                    // 17: more after the customer
		`{"Ana Teste 529.982.247-25": 1, "tax_id": "248.438.034-81"}`,              // 18: a rule broken beside a member no customer has
		`{"name": "Ana\ud800 Souza"}`,                                              // 19: half of a surrogate pair
		`{"name": "Ana Souza", "info": {"profissao": null}}`,                       // 20: an information value of null
	}
	r := csvio.NewJSONLReader(strings.NewReader(strings.Join(lines, "\n")))
	want := []struct {
		line int
		rule *validation.Rule
	}{
		{1, nil}, {4, nil}, {5, csvio.ErrMalformed}, {6, csvio.ErrMalformed}, {7, csvio.ErrMalformed},
		{8, csvio.ErrMalformed}, {9, csvio.ErrMalformed}, {10, nil}, {11, csvio.ErrLineEncoding}, {12, nil}, {13, nil}, {14, nil}, {15, csvio.ErrUnknownMember}, {16, nil}, {17, csvio.ErrMalformed}, {18, nil}, {19, csvio.ErrLineEncoding}, {20, nil},
	}
	for _, w := range want {
		row, err := r.Read()
		require.NoError(t, err)
		assert.Equal(t, w.line, row.Number)
		switch {
		case w.line == 4:
			require.Len(t, row.Problems, 1)
			assert.Equal(t, "customer.kind", row.Problems[0].Code(), "the rule the field's decoder broke")
			assert.Equal(t, "kind", row.Problems[0].Path, "a line has no columns: the path points at the value")
		case w.line == 14:
			require.Len(t, row.Problems, 1)
			assert.Equal(t, "phones[1]", row.Problems[0].Path)
		case w.line == 18:
			// Whichever rule the line is refused under, the member's
			// name, which is the caller's text, is never the path.
			require.Len(t, row.Problems, 1)
			if row.Problems[0].Rule == csvio.ErrUnknownMember {
				assert.Empty(t, row.Problems[0].Path)
			} else {
				assert.Equal(t, "tax_id", row.Problems[0].Path)
			}
		case w.line == 20:
			assert.Equal(t, []csvio.Problem{{Row: 20, Path: "info", Rule: csvio.ErrMalformed}}, row.Problems)
		case w.line == 16:
			assert.Equal(t, []csvio.Problem{{Row: 16, Path: "addresses[1]", Rule: csvio.ErrUnknownMember}}, row.Problems)
		case w.line == 10:
			// The canonical form reads back whatever rules it was written
			// under; validation judges it by today's.
			require.Empty(t, row.Problems)
			row.Validate(now)
			require.Len(t, row.Problems, 1)
			assert.Equal(t, csvio.Problem{Row: 10, Path: "tax_id", Rule: row.Problems[0].Rule}, row.Problems[0])
			assert.Equal(t, "cpf.check_digit", row.Problems[0].Code())
			continue
		case w.rule == nil:
			require.Empty(t, row.Problems, "line %d", w.line)
			assert.Equal(t, storagetest.Individual(1).Name, row.Customer.Name)
			continue
		case w.line == 9:
			// A value of the wrong type is told at its member.
			assert.Equal(t, []csvio.Problem{{Row: 9, Path: "name", Rule: csvio.ErrMalformed}}, row.Problems)
		default:
			assert.Equal(t, []csvio.Problem{{Row: w.line, Rule: w.rule}}, row.Problems, "line %d", w.line)
		}
		assert.Nil(t, row.Customer)
		for _, p := range row.Problems {
			assert.NotContains(t, p.String(), "Ana")
			assert.NotContains(t, p.Message(validation.Portuguese), "248")
		}
	}
	_, err = r.Read()
	assert.ErrorIs(t, err, io.EOF)
}

func TestJSONLLongLine(t *testing.T) {
	t.Parallel()
	good, err := json.Marshal(storagetest.Individual(1))
	require.NoError(t, err)
	long := `{"notes": "` + strings.Repeat("x", csvio.MaxLine) + `"}`
	r := csvio.NewJSONLReader(strings.NewReader(long + "\n" + string(good) + "\n" + long))
	row, err := r.Read()
	require.NoError(t, err)
	assert.Equal(t, []csvio.Problem{{Row: 1, Rule: csvio.ErrLineTooLong}}, row.Problems)
	row, err = r.Read()
	require.NoError(t, err)
	assert.Equal(t, 2, row.Number)
	assert.Empty(t, row.Problems, "the line after a long one is read")
	row, err = r.Read()
	require.NoError(t, err)
	assert.Equal(t, []csvio.Problem{{Row: 3, Rule: csvio.ErrLineTooLong}}, row.Problems)
	_, err = r.Read()
	assert.ErrorIs(t, err, io.EOF)
}

func TestJSONLReadError(t *testing.T) {
	t.Parallel()
	boom := errors.New("conexão caiu")
	r := csvio.NewJSONLReader(io.MultiReader(strings.NewReader("{}\n{"), iotest.ErrReader(boom)))
	row, err := r.Read()
	require.NoError(t, err)
	assert.Empty(t, row.Problems)
	_, err = r.Read()
	assert.ErrorIs(t, err, boom)
}
