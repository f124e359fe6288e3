package fold

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTokens(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"José da Silva", []string{"da", "jose", "silva"}},
		{"  JOSÉ   DA SILVA ", []string{"da", "jose", "silva"}},
		{"José José", []string{"jose"}},
		{"Conceição Aço S.A.", []string{"a", "aco", "conceicao", "s"}},
		{"Müller #123", []string{"123", "muller"}},

		// Apostrophes: each part, and the parts written together.
		{"João D'Ávila", []string{"avila", "d", "davila", "joao"}},
		{"João D’Ávila", []string{"avila", "d", "davila", "joao"}},
		{"João D`Ávila", []string{"avila", "d", "davila", "joao"}},
		{"João D´Ávila", []string{"avila", "d", "davila", "joao"}},
		{"João Dʼávila", []string{"avila", "d", "davila", "joao"}},
		{"Sant'Anna", []string{"anna", "sant", "santanna"}},
		{"Joao Davila", []string{"davila", "joao"}},

		// Hyphens, the same way.
		{"Ana-Maria", []string{"ana", "anamaria", "maria"}},
		{"Mercedes-Benz", []string{"benz", "mercedes", "mercedesbenz"}},
		{"Ana‐Maria", []string{"ana", "anamaria", "maria"}},         // U+2010
		{"Ana\u2011Maria", []string{"ana", "anamaria", "maria"}},    // non-breaking
		{"Chevrolet S-10", []string{"10", "chevrolet", "s", "s10"}}, // digits are parts too

		// Three parts: from every part, the rest written together.
		{"Sant'Anna-Maria", []string{"anna", "annamaria", "maria", "sant", "santannamaria"}},
		{"João D'Ávila-Filho", []string{"avila", "avilafilho", "d", "davilafilho", "filho", "joao"}},

		// A run of joiners is one joint; a joiner that does not stand
		// between two letters or digits joins nothing.
		{"D''Ávila", []string{"avila", "d", "davila"}},
		{"D'-Ávila", []string{"avila", "d", "davila"}},
		{"'Ávila' - D'", []string{"avila", "d"}},
		{"Ana - Maria", []string{"ana", "maria"}},
		{"Ana -Maria", []string{"ana", "maria"}},
		{"Ana.-Maria", []string{"ana", "maria"}},
		{"ana-ana", []string{"ana", "anaana"}},

		// Hangul jamo compose across the joint: the joined form is
		// normalised again.
		{"\u1100-\u1161", []string{"\u1100", "\u1161", "\uac00"}},

		{" - . ' ", nil},
		{"", nil},
	} {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, Tokens(tc.in))
		})
	}
}

func TestTokensCutEveryTokenToMaxToken(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("ã", 70) // 140 bytes, 70 once folded
	assert.Equal(t, []string{strings.Repeat("a", MaxToken)}, Tokens(long))

	part := strings.Repeat("b", 50)
	got := Tokens(part + "-" + part)
	assert.Equal(t, []string{part, strings.Repeat("b", MaxToken)}, got, "each part cut on its own, the joined form as a whole")

	ss := strings.Repeat("ß", 40) // stays 2 bytes a rune when folded
	got = Tokens("x-" + ss)
	assert.Equal(t, []string{"x", "x" + strings.Repeat("ß", 31), strings.Repeat("ß", 32)}, got, "cut at a rune boundary")
}

// matches reports whether the query finds a customer named name, as
// search does: every token of the query is the prefix of a token of the
// name.
func matches(name, query string) bool {
	keys := Tokens(name)
	q := Tokens(query)
	if len(q) == 0 {
		return false
	}
	for _, t := range q {
		if !slices.ContainsFunc(keys, func(k string) bool { return strings.HasPrefix(k, t) }) {
			return false
		}
	}
	return true
}

func TestTokensFindNamesAsPeopleTypeThem(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		found []string
		not   []string
	}{
		{
			name:  "João D'Ávila",
			found: []string{"avila", "joao avila", "d avila", "davila", "d'avila", "D’Ávila", "joao d'av", "dav", "JOÃO D´ÁVILA"},
			not:   []string{"joao davilla", "avilad", "d-avilaz"},
		},
		{
			name:  "Joao Davila",
			found: []string{"davila", "joao dav", "joao"},
			not:   []string{"avila", "d avila", "d'avila"}, // a joiner asks for the parts too
		},
		{
			name:  "Ana-Maria Sant'Anna",
			found: []string{"ana maria", "anamaria", "ana-maria", "maria", "santanna", "sant anna", "anna", "sant'ann"},
			not:   []string{"mariaana", "ana maria silva"},
		},
		{
			name:  "Mercedes-Benz do Brasil",
			found: []string{"mercedes", "benz", "mercedesbenz", "mercedes-benz", "mercedes benz", "merc be"},
			not:   []string{"benzmercedes", "merc-be"}, // the joined form of a query is written whole
		},
		{
			name:  "Sant'Anna-Maria",
			found: []string{"sant'anna", "anna-maria", "annamaria", "santannamaria", "santannam"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, q := range tc.found {
				assert.True(t, matches(tc.name, q), "%q finds %q", q, tc.name)
			}
			for _, q := range tc.not {
				assert.False(t, matches(tc.name, q), "%q does not find %q", q, tc.name)
			}
		})
	}
}

func TestTokensAllocs(t *testing.T) {
	// Parts are substrings of the folded text: folded ASCII allocates the
	// slice returned, and one string for each word of joined parts.
	for in, want := range map[string]float64{"jose da silva": 1, "joao d'avila": 2, "sant'anna-maria": 2} {
		assert.Equal(t, want, testing.AllocsPerRun(100, func() { _ = Tokens(in) }), in)
	}
}

func TestCut(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("ã", 40) // 80 bytes
	c := Cut(long)
	assert.LessOrEqual(t, len(c), MaxToken)
	assert.Equal(t, strings.Repeat("ã", 32), c)
	assert.Equal(t, "abc", Cut("abc"))
}

func TestStringASCIIAndNot(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "abc d", String("ABC d"))
	assert.Equal(t, "sao joao", String("SÃO JOÃO"))
	assert.Equal(t, "d'avila", String("D'Ávila"), "String keeps joiners; Tokens reads them")
}

func BenchmarkTokens(b *testing.B) {
	for _, in := range []string{"Jose da Silva", "José da Conceição", "Joao D'Avila", "João D'Ávila-Filho"} {
		b.Run(in, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = Tokens(in)
			}
		})
	}
}

// model is Tokens written the slow, plain way, to check the fast one
// against: the folded text split into words at separators, each word
// split into parts at its joiners; every part, and every run of parts to
// the end of the word folded again as one string, cut to MaxToken.
func model(s string) []string {
	var words []string
	for _, w := range strings.FieldsFunc(String(s), func(r rune) bool {
		return !isJoiner(r) && !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		parts := strings.FieldsFunc(w, isJoiner)
		for i, p := range parts {
			words = append(words, Cut(p))
			if i < len(parts)-1 {
				words = append(words, Cut(String(strings.Join(parts[i:], ""))))
			}
		}
	}
	slices.Sort(words)
	return slices.Compact(words)
}

// replaceJoiners replaces every joiner in s with repl.
func replaceJoiners(s, repl string) string {
	var b strings.Builder
	for _, r := range s {
		if isJoiner(r) {
			b.WriteString(repl)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isSubset reports whether every element of sub is in set, which is
// sorted.
func isSubset(sub, set []string) bool {
	for _, s := range sub {
		if _, ok := slices.BinarySearch(set, s); !ok {
			return false
		}
	}
	return true
}

func FuzzTokens(f *testing.F) {
	for _, s := range []string{
		"José da Silva", "D'Ávila-Filho", "ÆØÅ ß", "", "a\u0301b", "Sant’Anna-Maria", "a''b -c d-", "\u1100-\u1161-\u11a8",
		strings.Repeat("ab-", 40), "x-" + strings.Repeat("ß", 40),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		words := Tokens(s)
		for _, w := range words {
			require.NotEmpty(t, w, "a token of %q", s)
			require.LessOrEqual(t, len(w), MaxToken, "token %q of %q", w, s)
			require.True(t, utf8.ValidString(w), "token %q of %q", w, s)
			require.Equal(t, w, String(w), "token %q of %q is folded", w, s)
			require.Equal(t, []string{w}, Tokens(w), "token %q of %q is one word", w, s)
		}
		require.True(t, slices.IsSorted(words), "tokens of %q are sorted: %q", s, words)
		require.Len(t, slices.Compact(slices.Clone(words)), len(words), "tokens of %q are distinct: %q", s, words)
		require.Equal(t, words, Tokens(strings.Join(words, " ")), "tokens of %q read again", s)
		if len(s) <= 4<<10 { // the model takes time quadratic in the parts of a word
			require.Equal(t, model(s), words, "tokens of %q against the model", s)
		}

		// Written with spaces for its joiners, s gives its parts, all
		// among its tokens: a query typed that way finds s.
		f := String(s)
		require.True(t, isSubset(Tokens(replaceJoiners(f, " ")), words), "the parts of %q", s)
		// Written without its joiners, s gives its joined forms, all
		// among its tokens. (Outside ASCII, removing a joiner may compose
		// a letter with the mark after it, making another word.)
		if isASCII(f) {
			require.True(t, isSubset(Tokens(replaceJoiners(f, "")), words), "the joined forms of %q", s)
		}
	})
}

// FuzzStringLatin holds String's path for Latin text to the decomposition
// it stands for: the same folded text for any input.
func FuzzStringLatin(f *testing.F) {
	for _, s := range []string{"José da Conceição", "ÀÉÎÕÜ çÇ ñ", "Œuvre Æther ß ſ", "Ĳssel ŉ", "a\u0301", "é\u0301", "\xff", "Ǆ", "MÜLLER"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := String(s), decompose(s); got != want {
			t.Fatalf("String(%q) = %q, decomposition gives %q", s, got, want)
		}
	})
}

// TestLatinCoversTheTable checks every rune of the table through String.
func TestLatinCoversTheTable(t *testing.T) {
	for r := rune(latinFirst); r < latinFirst+rune(len(latinFold)); r++ {
		for _, s := range []string{string(r), "x" + string(r) + "Y", string(r) + string(r)} {
			if got, want := String(s), decompose(s); got != want {
				t.Errorf("String(%q) = %q, decomposition gives %q", s, got, want)
			}
		}
	}
}
