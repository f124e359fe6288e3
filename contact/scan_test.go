package contact_test

import (
	"database/sql"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/internal/ident/identtest"
)

func TestPhoneScanShapeOnly(t *testing.T) {
	t.Parallel()
	identtest.CheckScan(t, contact.ParsePhone,
		[]string{
			"+5520987654321",             // area code 20 is not assigned
			"+5500987654321",             // nor is 00
			"+551187654321",              // a mobile without its ninth digit
			"+5511387654321",             // nine digits that do not start with 9
			"+551113334444",              // a landline starting with 1
			"+55119876543",               // '+55' and nine national digits
			"+551198765432100",           // '+55' and thirteen
			"+0123456789",                // no country code starts with 0
			"12345678",                   // eight digits outside 300X, 400X and 4020
			"08881234567",                // not 0800, 0300, 0500 or 0900
			"123456789012345",            // fifteen digits of no known layout
			"+5511987654321;ext=12",      // a mobile with an extension
			"+5520333344444;ext=1",       // an unassigned area code with an extension
			"123456789012345;ext=123456", // the longest canonical shape
		},
		[]string{
			"+55 11 98765-4321", "(11) 98765-4321", "+1234567", "1234567", "+1234567890123456",
			"1234567890123456", "++5511987654321", "+55119876543a1", "0800-123-4567", "5511987654321+",
			"+551133334444;ext=", "+551133334444;ext=1234567", "+551133334444;EXT=1", "+551133334444;ext=12a",
			"+551133334444 ramal 12", "+551133334444;ext=1;ext=2", ";ext=123", "+551133334444;isub=1",
			"+551133334444;", "+551133334444;ext=-1", "+1234567;ext=1",
		})
}

// TestScannedPhoneMethods checks every method on numbers that only Scan
// produces.
func TestScannedPhoneMethods(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, format, ddd, sub string
		kind                 contact.Kind
		uf                   address.UF
	}{
		{"+5520987654321", "(20) 98765-4321", "20", "987654321", contact.Mobile, 0},
		{"+5500987654321", "(00) 98765-4321", "00", "987654321", contact.Mobile, 0},
		{"+5511387654321", "(11) 38765-4321", "11", "387654321", contact.Mobile, address.SP},
		{"+551187654321", "(11) 8765-4321", "11", "87654321", contact.Landline, address.SP},
		{"+5520333344444", "(20) 33334-4444", "20", "333344444", contact.Mobile, 0},
		{"+55119876543", "+55119876543", "", "", contact.Foreign, 0},
		{"+551198765432100", "+551198765432100", "", "", contact.Foreign, 0},
		{"+0123456789", "+0123456789", "", "", contact.Foreign, 0},
		{"12345678", "1234-5678", "", "", contact.NonGeographic, 0},
		{"08881234567", "0888 123 4567", "", "", contact.NonGeographic, 0},
		{"0888123456", "0888 123 456", "", "", contact.NonGeographic, 0},
		{"123456789", "123456789", "", "", contact.NonGeographic, 0},
		{"5511987654321", "5511987654321", "", "", contact.NonGeographic, 0},
		{"123456789012345", "123456789012345", "", "", contact.NonGeographic, 0},
	} {
		t.Run(tc.in, func(t *testing.T) {
			var p contact.Phone
			require.NoError(t, p.Scan(tc.in))
			assert.Equal(t, tc.kind, p.Kind())
			assert.Equal(t, tc.format, p.Format())
			assert.Equal(t, "x"+tc.format, string(p.AppendFormat([]byte("x"))))
			assert.Equal(t, tc.ddd, p.DDD())
			assert.Equal(t, tc.sub, p.Subscriber())
			assert.Equal(t, tc.uf, p.UF())
		})
	}
}

// TestScannedPhoneExtension checks that a number stored with its
// extension reads back whole, and that one stored before extensions
// existed reads back unchanged.
func TestScannedPhoneExtension(t *testing.T) {
	t.Parallel()
	var p contact.Phone
	require.NoError(t, p.Scan("+5520987654321;ext=7"))
	assert.Equal(t, contact.Mobile, p.Kind())
	assert.Equal(t, "(20) 98765-4321 ramal 7", p.Format())
	assert.Equal(t, "7", p.Extension())
	assert.Equal(t, "+5520987654321", p.Main().String())
	assert.Equal(t, "20", p.DDD())
	assert.Equal(t, "987654321", p.Subscriber())

	require.NoError(t, p.Scan([]byte("08881234567;ext=0")))
	assert.Equal(t, "0888 123 4567 ramal 0", p.Format())

	for _, stored := range []string{"+551133334444", "+5511987654321", "08001234567", "+12125550100"} {
		require.NoError(t, p.Scan(stored))
		assert.Equal(t, contact.MustParsePhone(stored), p, stored)
		assert.Empty(t, p.Extension(), stored)
		assert.Equal(t, p, p.Main(), stored)
	}
}

func TestEmailScanShapeOnly(t *testing.T) {
	t.Parallel()
	identtest.CheckScan(t, contact.ParseEmail,
		[]string{
			"a..b@example.com", ".a@example.com", "a@b", "a@b.123", "a@-b.com", "a@b_c.com", "a@b..com",
			`"quoted"@example.com`, "user@[192.168.0.1]", "a(b)@c.com", strings.Repeat("x", 65) + "@example.com",
		},
		[]string{
			"a b@c.com", "a@b@c.com", "@example.com", "nobody@", "no-at-sign", "josé@example.com",
			"a@example.com\n", "a\t@example.com", "a@exam\x7fple.com", strings.Repeat("x", 243) + "@example.com",
		})
}

func TestScannedEmailMethods(t *testing.T) {
	t.Parallel()
	var e contact.Email
	require.NoError(t, e.Scan("Joao.Silva@Example.com.BR"))
	assert.Equal(t, "Joao.Silva@Example.com.BR", e.String(), "reading never re-cases")
	assert.Equal(t, "Example.com.BR", e.Domain())
	require.NoError(t, e.Scan(`"quoted"@b`))
	assert.Equal(t, "b", e.Domain())
	long := strings.Repeat("x", 242) + "@example.com"
	require.Len(t, long, 254)
	require.NoError(t, e.Scan(long))
	assert.Equal(t, "example.com", e.Domain())
}

func TestContactScanNoAllocs(t *testing.T) {
	var p contact.Phone
	var e contact.Email
	for _, tc := range []struct {
		name string
		dst  sql.Scanner
		src  any
	}{
		{"Phone", &p, "+5520987654321"},
		{"non-geographic Phone", &p, "08001234567"},
		{"Phone with an extension", &p, "+551133334444;ext=123"},
		{"Email", &e, "a..b@example.com"},
	} {
		assert.Zero(t, testing.AllocsPerRun(100, func() {
			if err := tc.dst.Scan(tc.src); err != nil {
				t.Fatal(err)
			}
		}), tc.name)
	}
}

func FuzzScanPhone(f *testing.F) {
	for _, s := range []string{"+5511987654321", "+551133334444", "+5520987654321", "+55119876543", "+12125550100",
		"08001234567", "40041234", "12345678", "", "+", "(11) 98765-4321", "00551932221234", "011 3333-4444",
		"+551133334444;ext=123", "+5511987654321;ext=1", "12345678;ext=123456", "+551133334444;ext=", ";ext=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		identtest.FuzzScan(t, s, contact.ParsePhone, func(p contact.Phone) {
			k, format := p.Kind(), p.Format()
			if format != string(p.AppendFormat(nil)) {
				t.Fatalf("Format and AppendFormat of %q disagree", s)
			}
			if s != "" && (k == 0 || format == "") {
				t.Fatalf("%q reads without a kind or a shown form", s)
			}
			ddd, sub, uf := p.DDD(), p.Subscriber(), p.UF()
			main, ext := p.Main(), p.Extension()
			if ext == "" && main != p || ext != "" && main.String()+";ext="+ext != s || main.Extension() != "" || main.Kind() != k {
				t.Fatalf("%q splits into %q and %q", s, main, ext)
			}
			if k == contact.Mobile || k == contact.Landline {
				if "+55"+ddd+sub != main.String() || len(ddd) != 2 {
					t.Fatalf("DDD and subscriber of %q are %q and %q", s, ddd, sub)
				}
			} else if ddd != "" || sub != "" || uf != 0 {
				t.Fatalf("%q of kind %v has a DDD, a subscriber or a state", s, k)
			}
			if uf != 0 && !uf.IsValid() {
				t.Fatalf("%q has the state %d", s, uf)
			}
		})
	})
}

func FuzzScanEmail(f *testing.F) {
	for _, s := range []string{"a@b.co", "Joao.Silva@Example.com.br", "a..b@c.d", "x@y", "@", "a@", "@b", "a@b@c", "a b@c.d", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		identtest.FuzzScan(t, s, contact.ParseEmail, func(e contact.Email) {
			d := e.Domain()
			if s != "" && (d == "" || !strings.HasSuffix(s, "@"+d) || strings.Contains(d, "@")) {
				t.Fatalf("the domain of %q is %q", s, d)
			}
		})
	})
}
