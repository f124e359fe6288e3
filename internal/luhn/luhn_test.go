package luhn

import (
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValid(t *testing.T) {
	t.Parallel()
	assert.True(t, Valid([]byte("4111111111111111")))
	assert.True(t, Valid([]byte("378282246310005")))
	assert.False(t, Valid([]byte("4111111111111112")))
}

// inScript writes the ASCII digits of s with the digits whose zero is zero,
// such as '０' (fullwidth) or '٠' (Arabic-Indic).
func inScript(s string, zero rune) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return zero + r - '0'
		}
		return r
	}, s)
}

// cardTests are the verdicts that pin the rule down; every text and its
// verdict is also a fuzz seed.
var cardTests = []struct {
	name string
	text string
	want bool
}{
	// Cards, as people write them.
	{"unbroken", "card 4111111111111111 exp 12/30", true},
	{"unbroken amex", "378282246310005", true},
	{"glued to letters", "ABC4111111111111111", true},
	{"spaces", "4111 1111 1111 1111", true},
	{"dashes", "pagou com 5555-5555-5555-4444.", true},
	{"dots", "4539.1488.0343.6467", true},
	{"slashes", "4539/1488/0343/6467", true},
	{"double spaces", "4539  1488  0343  6467", true},
	{"triple spaces", "4539   1488   0343   6467", true},
	{"tabs", "4539\t1488\t0343\t6467", true},
	{"no-break spaces", "4539\u00A01488\u00A00343\u00A06467", true},
	{"figure spaces", "4539\u20071488\u20070343\u20076467", true},
	{"narrow no-break spaces", "4539\u202F1488\u202F0343\u202F6467", true},
	{"thin spaces", "4539\u20091488\u20090343\u20096467", true},
	{"zero-width spaces", "4539\u200B1488\u200B0343\u200B6467", true},
	{"ideographic spaces", "4539\u30001488\u30000343\u30006467", true},
	{"en dashes", "4539\u20131488\u20130343\u20136467", true},
	{"mixed separators", "4539 1488-0343.6467", true},
	{"spaced dashes", "4539 - 1488 - 0343 - 6467", true},
	{"space and no-break space", "4539 \u00A01488 \u00A00343 \u00A06467", true},
	{"sentence", "Cliente pagou com o cartão 4539 1488 0343 6467, conferir.", true},
	{"after a short number", "ref 12 4539 1488 0343 6467", true},
	{"after a date", "em 12/03/2024 4539 1488 0343 6467", true},
	{"after a year", "2024 4539 1488 0343 6467", true},
	{"before expiry and code", "4539 1488 0343 6467 12/30 123", true},
	{"before a four-digit expiry", "4539 1488 0343 6467 0330", true},
	{"amex grouped", "3782 822463 10005", true},
	{"diners grouped", "3056 930902 5904", true},
	{"13 digits grouped", "4222 2222 2222 2", true},
	{"19 digits grouped", "6062 8288 8866 6688 124", true},
	{"19 digits unbroken", "4514160000000000002", true},
	{"three cards listed", "4539 1488 0343 6467 / 5555 5555 5555 4444 / 4111 1111 1111 1111", true},
	{"fullwidth digits", inScript("4539 1488 0343 6467", '０'), true},
	{"fullwidth digits and spaces", inScript("4539\u30001488\u30000343\u30006467", '０'), true},
	{"Arabic-Indic digits", inScript("4539-1488-0343-6467", '٠'), true},
	{"mathematical bold digits", inScript("4539 1488 0343 6467", '\U0001D7CE'), true},
	{"mixed scripts", "４５３９ 1488 0343 6467", true},
	// A CNPJ typed without punctuation is a run of 14 digits: when it passes
	// the Luhn check, it cannot be told from a card.
	{"unbroken Luhn-valid CNPJ", "CNPJ 26637144000147", true},

	// Numbers that are not cards.
	{"empty", "", false},
	{"no digits", "Cliente quer um Onix prata", false},
	{"phone in prose", "call 11 98765-4321 after 6pm", false},
	{"phones", "+55 11 98765-4321 / (11) 3456-7890", false},
	{"date and time", "12/03/2024 14:30", false},
	{"CEP", "CEP 01310-100", false},
	{"money", "R$ 1.234,56", false},
	{"large Luhn-valid amount", "R$ 1.234.567.890.128", false},
	{"plates", "ABC1D23 e ABC-1234", false},
	{"short numbers side by side", "12 345 6789 10", false},
	{"CPF and phone", "CPF 248.438.034-80 11 98765-4321", false},
	{"Luhn-valid CNPJ", "26.637.144/0001-47", false},
	{"NF-e access key", "3524 0826 6371 4300 0100 5500 1000 0000 0211 2345 6788", false},
	{"bank slip", "23793.38128 60082.677139 66006.727301 1 96010000012348", false},
	{"years", "2019 2020 2021 2022 2023 2024", false},
	{"fails Luhn", "4111111111111112", false},
	{"fails Luhn grouped", "4539 1488 0343 6468", false},
	{"20 digits", "41111111111111110000", false},
	{"12 digits", "411111111111", false},
	{"12 digits grouped", "4539 1488 0343", false},
	{"not a card's layout", "45391488 03436467", false},
	{"part of a longer group", "14539 1488 0343 6467", false},
	{"four spaces", "4539    1488    0343    6467", false},
	{"line breaks", "4539 1488\n0343 6467", true},
	{"one group a line", "cartao\n4532\n0151\n1283\n0366", true},
	{"windows line breaks", "4532\r\n0151\r\n1283\r\n0366", true},
	{"parentheses", "(4532) 0151-1283-0366", true},
	{"underscores", "4532_0151_1283_0366", true},
	{"zero-width joiners", "4532\u200d0151\u200d1283\u200d0366", true},
	{"direction marks", "4532\u200f0151\u200f1283\u200f0366", true},
	{"byte-order marks", "4532\ufeff0151\ufeff1283\ufeff0366", true},
	{"zero-width joiner between digits", "4\u200d5\u200d3\u200d2 0151 1283 0366", true},
	{"combining marks", "4\u03325\u03323\u03322\u0332 0151 1283 0366", true},
	{"paragraphs apart", "4539 1488\n\n\n\n0343 6467", false},
	{"commas", "4539,1488,0343,6467", false},
	{"two landlines", "4004-4249 / 4003-8573", false},
	{"two landlines a line each", "4004-4249\n4003-8573", false},
	{"two landlines after a word", "Tel 4639-9674\n4463-1361", false},
	{"a word between", "4539 1488 e 0343 6467", false},
}

func TestContainsCardNumber(t *testing.T) {
	t.Parallel()
	for _, tt := range cardTests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, ContainsCardNumber(tt.text), "%q", tt.text)
		})
	}
}

func TestContainsCardNumberNoAllocs(t *testing.T) {
	for _, tt := range cardTests {
		assert.Zero(t, testing.AllocsPerRun(100, func() { ContainsCardNumber(tt.text) }), tt.name)
	}
	text := worstCase(2000)
	assert.Zero(t, testing.AllocsPerRun(100, func() { ContainsCardNumber(text) }), "worst case")
}

// TestDigitRuns checks what digitValue relies on: Unicode encodes decimal
// digits only in whole runs from 0 to 9.
func TestDigitRuns(t *testing.T) {
	t.Parallel()
	for _, r := range unicode.Nd.R16 {
		require.EqualValues(t, 1, r.Stride, "%U", r.Lo)
		require.Zero(t, (r.Hi-r.Lo+1)%10, "%U", r.Lo)
	}
	for _, r := range unicode.Nd.R32 {
		require.EqualValues(t, 1, r.Stride, "%U", r.Lo)
		require.Zero(t, (r.Hi-r.Lo+1)%10, "%U", r.Lo)
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		_, ok := digitValue(r)
		if ok != unicode.IsDigit(r) {
			t.Fatalf("digitValue(%U) reports %v", r, ok)
		}
	}
	for _, zero := range []rune{'0', '٠', '۰', '०', '০', '๐', '０', '\U0001D7CE', '\U0001D7F6'} {
		for v := range rune(10) {
			d, ok := digitValue(zero + v)
			assert.True(t, ok, "%U", zero+v)
			assert.EqualValues(t, v, d, "%U", zero+v)
		}
	}
}

func TestSeparator(t *testing.T) {
	t.Parallel()
	for _, r := range " \t\u00A0\u2007\u2009\u202F\u3000\u200B\u2060\uFEFF" {
		assert.Equal(t, sepSpace, separator(r, false), "%U", r)
	}
	for _, r := range ".\u00B7\u2024\uFF0E" {
		assert.Equal(t, sepDot, separator(r, false), "%U", r)
	}
	for _, r := range "-\u2010\u2011\u2012\u2013\u2014\u2212\u00AD\uFF0D" {
		assert.Equal(t, sepDash, separator(r, false), "%U", r)
	}
	for _, r := range "/\u2044\u2215\uFF0F" {
		assert.Equal(t, sepSlash, separator(r, false), "%U", r)
	}
	assert.Equal(t, sepUnder, separator('_', false))
	for _, r := range "()" {
		assert.Equal(t, sepParen, separator(r, false), "%U", r)
	}
	// Line breaks end a chain on the first reading and separate groups on
	// the second; everything else ends a chain.
	for _, r := range "\n\r\u2028\u2029" {
		assert.Zero(t, separator(r, false), "%U", r)
		assert.Equal(t, sepSpace, separator(r, true), "%U", r)
	}
	for _, r := range "\v\f\u0085,;:+*xX\u00E7\uFFFD" {
		assert.Zero(t, separator(r, false), "%U", r)
		assert.Zero(t, separator(r, true), "%U", r)
	}
}

// worstCase returns n bytes of text that keeps ContainsCardNumber at its
// busiest: groups of four digits, so that every group ends a layout to
// check, behind alternating separators, so that the chain never becomes a
// long code, and digits chosen so that no layout passes the Luhn check.
func worstCase(n int) string {
	var b []byte
	x := uint32(1)
	for i := 0; len(b) < n; i++ {
		if i > 0 {
			b = append(b, " -"[i%2])
		}
		for range 4 {
			x = x*1664525 + 1013904223
			b = append(b, byte('0'+x>>24%10))
		}
		if i >= 3 {
			tail := make([]byte, 0, 16)
			for k := len(b) - 19; k < len(b); k++ {
				if b[k] >= '0' && b[k] <= '9' {
					tail = append(tail, b[k])
				}
			}
			if Valid(tail) {
				b[len(b)-1] = '0' + (b[len(b)-1]-'0'+1)%10
			}
		}
	}
	return string(b[:n])
}

func BenchmarkContainsCardNumber(b *testing.B) {
	note := "Cliente José da Conceição visitou a loja em 12/03/2024 às 14:30. " +
		"Interessado no Onix 1.0 2024 prata, placa ABC1D23, proposta de R$ 89.990,00 " +
		"com entrada de R$ 20.000,00 e 48 parcelas. Ligar no (11) 98765-4321 ou " +
		"11 3456-7890. CEP 01310-100, CPF 248.438.034-80. Retorno na sexta."
	worst := worstCase(2000)
	unicodeWorst := inScript(strings.ReplaceAll(worst, " ", "\u00A0"), '０')
	for _, bb := range []struct{ name, text string }{
		{"note", note},
		{"worst_2000", worst},
		{"worst_20000", worstCase(20000)},
		{"worst_unicode", unicodeWorst},
	} {
		require.False(b, ContainsCardNumber(bb.text), bb.name)
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bb.text)))
			for b.Loop() {
				ContainsCardNumber(bb.text)
			}
		})
	}
}
