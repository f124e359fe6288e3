package contact_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/internal/vectors"
	"github.com/fichacrm/ficha/validation"
)

func TestPhoneVectors(t *testing.T) {
	t.Parallel()
	for _, v := range vectors.Load(t, "vectors/phone.csv") {
		t.Run(v["input"], func(t *testing.T) {
			p, err := contact.ParsePhone(v["input"])
			if v["valid"] != "true" {
				assert.Error(t, err, v["note"])
				return
			}
			require.NoError(t, err)
			assert.Equal(t, v["canonical"], p.String())
			assert.Equal(t, v["formatted"], p.Format())
			assert.Equal(t, v["kind"], p.Kind().String())
		})
	}
}

func TestPhoneRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want string // canonical, or "" with err
		err  error
	}{
		{"00551932221234", "+551932221234", nil},      // country code wins over trunk 0 + carrier 55
		{"0 15 11 98765-4321", "+5511987654321", nil}, // trunk 0 and carrier 15
		{"011 3333-4444", "+551133334444", nil},       // trunk 0
		{"5511987654321", "+5511987654321", nil},
		{"+55 11 3333 4444", "+551133334444", nil},
		{"0300 123 4567", "03001234567", nil},
		{"0800 123 456", "0800123456", nil},
		{"4020-1234", "40201234", nil},
		{"3003-1234", "30031234", nil},
		{"+44 20 7946 0958", "+442079460958", nil},
		{"(11) 9876-54321", "+5511987654321", nil}, // separators stand anywhere
		{"(11) 88765-4321", "", contact.ErrPhoneMobilePrefix},
		{"(11) 8765-4321", "", contact.ErrPhoneMissingNinthDigit},
		{"(11) 1234-5678", "", contact.ErrPhoneLandlinePrefix},
		{"(23) 98765-4321", "", contact.ErrPhoneDDD},
		{"98765-4321", "", contact.ErrPhoneLength},
		{"11 98765 4321 ext", "", contact.ErrPhoneExtension},
		{"11 98765 4321 abc", "", contact.ErrPhoneChar},
		{"+0 1234 5678", "", contact.ErrPhoneForeign},
		{"+1 234", "", contact.ErrPhoneForeign},
		{"++5511987654321", "", contact.ErrPhoneChar},
		{"1198765432112345678", "", contact.ErrPhoneLength},
		{"", "", contact.ErrPhoneLength},
	}
	for _, tt := range tests {
		p, err := contact.ParsePhone(tt.in)
		if tt.err != nil {
			assert.ErrorIs(t, err, tt.err, tt.in)
			continue
		}
		if assert.NoError(t, err, tt.in) {
			assert.Equal(t, tt.want, p.String(), tt.in)
		}
	}
}

func TestPhoneParts(t *testing.T) {
	t.Parallel()
	p := contact.MustParsePhone("(47) 99123-4567")
	assert.Equal(t, "47", p.DDD())
	assert.Equal(t, "991234567", p.Subscriber())
	assert.Equal(t, address.SC, p.UF())
	f := contact.MustParsePhone("+1 212 555 0100")
	assert.Equal(t, "", f.DDD())
	assert.Equal(t, address.UF(0), f.UF())
}

func TestPhoneExtension(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, canonical, format, ext string }{
		{"(11) 3333-4444 ramal 123", "+551133334444;ext=123", "(11) 3333-4444 ramal 123", "123"},
		{"(11) 3333-4444 Ramal 123", "+551133334444;ext=123", "(11) 3333-4444 ramal 123", "123"},
		{"(11) 3333-4444 RAMAL: 123", "+551133334444;ext=123", "(11) 3333-4444 ramal 123", "123"},
		{"(11) 3333-4444 ramal:123", "+551133334444;ext=123", "(11) 3333-4444 ramal 123", "123"},
		{"(11) 3333-4444 - ramal 123", "+551133334444;ext=123", "(11) 3333-4444 ramal 123", "123"},
		{"(11) 3333-4444 ram. 123", "+551133334444;ext=123", "(11) 3333-4444 ramal 123", "123"},
		{"(11) 3333-4444 r. 123", "+551133334444;ext=123", "(11) 3333-4444 ramal 123", "123"},
		{"(11) 3333-4444 R.123", "+551133334444;ext=123", "(11) 3333-4444 ramal 123", "123"},
		{"(11) 3333-4444 r 123", "+551133334444;ext=123", "(11) 3333-4444 ramal 123", "123"},
		{"11 3333 4444 ext. 123", "+551133334444;ext=123", "(11) 3333-4444 ramal 123", "123"},
		{"11 3333 4444 ext 123", "+551133334444;ext=123", "(11) 3333-4444 ramal 123", "123"},
		{"11 3333 4444 ext=123", "+551133334444;ext=123", "(11) 3333-4444 ramal 123", "123"},
		{"11 3333 4444 x123", "+551133334444;ext=123", "(11) 3333-4444 ramal 123", "123"},
		{"11 3333 4444 X 123", "+551133334444;ext=123", "(11) 3333-4444 ramal 123", "123"},
		{"+551133334444;ext=123", "+551133334444;ext=123", "(11) 3333-4444 ramal 123", "123"},
		{"+55-11-3333-4444;EXT=123", "+551133334444;ext=123", "(11) 3333-4444 ramal 123", "123"},
		{"0xx11 3333-4444 r 5", "+551133334444;ext=5", "(11) 3333-4444 ramal 5", "5"},
		{"(11) 3333-4444 ramal 012345", "+551133334444;ext=012345", "(11) 3333-4444 ramal 012345", "012345"},
		{"0800 123 4567 ramal 9", "08001234567;ext=9", "0800 123 4567 ramal 9", "9"},
		{"4004-1234 r. 22", "40041234;ext=22", "4004-1234 ramal 22", "22"},
		{"+1 212 555 0100 x 42", "+12125550100;ext=42", "+12125550100 ramal 42", "42"},
		{" (61) 3333-4444 ", "+556133334444", "(61) 3333-4444", ""},
	} {
		t.Run(tt.in, func(t *testing.T) {
			p, err := contact.ParsePhone(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.canonical, p.String())
			assert.Equal(t, tt.format, p.Format())
			assert.Equal(t, tt.ext, p.Extension())
			main := p.Main()
			assert.Empty(t, main.Extension())
			assert.Equal(t, strings.TrimSuffix(tt.canonical, ";ext="+tt.ext), main.String())
			assert.Equal(t, main.Kind(), p.Kind(), "the extension does not change the kind")
			assert.Equal(t, main.Subscriber(), p.Subscriber(), "nor the subscriber")
			back, err := contact.ParsePhone(p.Format())
			require.NoError(t, err)
			assert.Equal(t, p, back, "the shown form reads back")
			assert.NoError(t, p.Check())
		})
	}
}

func TestPhoneExtensionRules(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in  string
		err error
	}{
		{"(11) 98765-4321 ramal 12", contact.ErrPhoneMobileExtension},
		{"+5511987654321;ext=12", contact.ErrPhoneMobileExtension},
		{"(11) 3333-4444 ramal 1234567", contact.ErrPhoneExtension},
		{"(11) 3333-4444 ramal", contact.ErrPhoneExtension},
		{"(11) 3333-4444 ramal ", contact.ErrPhoneExtension},
		{"(11) 3333-4444 x", contact.ErrPhoneExtension},
		{"(11) 3333-4444 ramal 12a", contact.ErrPhoneExtension},
		{"(11) 3333-4444 ramal 12 r 13", contact.ErrPhoneExtension},
		{"(11) 3333-4444 ramal 12-34", contact.ErrPhoneExtension},
		{"(11) 3333-4444 r.. 12", contact.ErrPhoneExtension},
		{"(11) 3333-4444 ramal -12", contact.ErrPhoneExtension},
		{"+551133334444;ext=", contact.ErrPhoneExtension},
		{"(11) 3333-4444 rx 12", contact.ErrPhoneChar},
		{"(11) 3333-4444 ramais 12", contact.ErrPhoneChar},
		{"(11) 3333-4444 tel 12", contact.ErrPhoneChar},
		{"(11) 3333-4444 ramal 12 obs", contact.ErrPhoneExtension},
		{"(11) 3333-4444 #12", contact.ErrPhoneChar},
		{"(11) 3333-4444,12", contact.ErrPhoneChar},
		{"+551133334444;isub=12", contact.ErrPhoneChar},
		{"+551133334444;", contact.ErrPhoneChar},
		{"tel:+551133334444", contact.ErrPhoneChar},
		{"ramal 123", contact.ErrPhoneLength},
		{"(11) 8765-4321 ramal 12", contact.ErrPhoneMissingNinthDigit}, // the number is judged first
		{"(23) 3333-4444 ramal", contact.ErrPhoneDDD},
	} {
		_, err := contact.ParsePhone(tt.in)
		assert.ErrorIs(t, err, tt.err, tt.in)
	}
	assert.Contains(t, contact.ErrPhoneExtension.Error(), strconv.Itoa(contact.MaxExtensionDigits), "the message states the bound")
}

func TestCutExtension(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, number, ext string }{
		{"(11) 3333-4444 ramal 123", "(11) 3333-4444", "123"},
		{" 98765-4321 r. 7 ", "98765-4321", "7"}, // the number is not checked
		{"3333-4444", "3333-4444", ""},
		{"0XX11 3333-4444", "0XX11 3333-4444", ""},
		{"+551133334444;ext=1", "+551133334444", "1"},
		{"", "", ""},
	} {
		number, ext, err := contact.CutExtension(tt.in)
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.number, number, tt.in)
		assert.Equal(t, tt.ext, ext, tt.in)
	}
	for in, want := range map[string]error{"(11) 3333-4444 ramal": contact.ErrPhoneExtension, "3333-4444 fixo": contact.ErrPhoneChar} {
		number, ext, err := contact.CutExtension(in)
		assert.ErrorIs(t, err, want, in)
		assert.Empty(t, number+ext, in)
	}
}

func TestDDDTable(t *testing.T) {
	t.Parallel()
	rows := vectors.Load(t, "ddd_uf.csv")
	listed := map[int]bool{}
	for _, r := range rows {
		ddd, err := strconv.Atoi(r["ddd"])
		require.NoError(t, err)
		listed[ddd] = true
		uf, also, ok := contact.DDDState(ddd)
		require.True(t, ok, r["ddd"])
		assert.Equal(t, r["uf"], uf.String(), r["ddd"])
		assert.Equal(t, r["also"], also.String(), r["ddd"])
		p, err := contact.ParsePhone(r["ddd"] + "987654321")
		require.NoError(t, err)
		assert.Equal(t, uf, p.UF())
	}
	assert.Len(t, listed, 67)
	for d := 0; d < 100; d++ {
		if !listed[d] {
			_, _, ok := contact.DDDState(d)
			assert.False(t, ok, "DDD %d is not assigned", d)
			_, err := contact.ParsePhone(fmt.Sprintf("%02d987654321", d))
			assert.Error(t, err, d)
		}
	}
}

func TestPhoneJSON(t *testing.T) {
	t.Parallel()
	p := contact.MustParsePhone("(11) 98765-4321")
	b, err := json.Marshal(p)
	require.NoError(t, err)
	assert.Equal(t, `"+5511987654321"`, string(b))
	var back contact.Phone
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, p, back)
	assert.Error(t, json.Unmarshal([]byte(`"(11) 8765-4321"`), &back))
	require.NoError(t, back.Scan("08001234567"))
	assert.Equal(t, contact.NonGeographic, back.Kind())

	x := contact.MustParsePhone("(11) 3333-4444 ramal 123")
	b, err = json.Marshal(x)
	require.NoError(t, err)
	assert.Equal(t, `"+551133334444;ext=123"`, string(b))
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, x, back)
	require.NoError(t, json.Unmarshal([]byte(`"(11) 3333-4444 r. 123"`), &back), "JSON is input: typed text decodes")
	assert.Equal(t, x, back)
	require.NoError(t, json.Unmarshal([]byte(`"+5511987654321;ext=1"`), &back), "what the library wrote reads back")
	assert.ErrorIs(t, back.Check(), contact.ErrPhoneMobileExtension, "and Check says which rule it breaks")
}

// TestPhoneNoAllocs pins what a canonical phone costs: parsing it reuses
// the input, and no accessor allocates.
func TestPhoneNoAllocs(t *testing.T) {
	for _, in := range []string{"+5511987654321", "+551133334444;ext=123", "08001234567;ext=9", "+12125550100"} {
		p := contact.MustParsePhone(in)
		buf := make([]byte, 0, 64)
		for name, f := range map[string]func(){
			"ParsePhone": func() {
				if _, err := contact.ParsePhone(in); err != nil {
					t.Fatal(err)
				}
			},
			"accessors": func() {
				_, _, _, _, _, _ = p.Main(), p.Extension(), p.Kind(), p.DDD(), p.Subscriber(), p.UF()
			},
			"AppendFormat": func() { buf = p.AppendFormat(buf[:0]) },
			"CutExtension": func() {
				if _, _, err := contact.CutExtension("(11) 3333-4444 ramal 123"); err != nil {
					t.Fatal(err)
				}
			},
		} {
			assert.Zero(t, testing.AllocsPerRun(100, f), "%s of %s", name, in)
		}
	}
}

func TestEmail(t *testing.T) {
	t.Parallel()
	good := map[string]string{
		"Joao.Silva@Example.com.br":     "joao.silva@example.com.br",
		" maria+carros@gmail.com ":      "maria+carros@gmail.com",
		"a@b.co":                        "a@b.co",
		"o'neil_x-y@sub-domain.io":      "o'neil_x-y@sub-domain.io",
		"user@xn--concessionria-ieb.br": "user@xn--concessionria-ieb.br",
	}
	for in, want := range good {
		e, err := contact.ParseEmail(in)
		if assert.NoError(t, err, in) {
			assert.Equal(t, want, e.String())
		}
	}
	e := contact.MustParseEmail("x@frota.com.br")
	assert.Equal(t, "frota.com.br", e.Domain())
	for _, in := range []string{"", "plain", "@example.com", "a@", "a@b", "a@@b.com", "a@b..com", ".a@b.com",
		"a.@b.com", "a..b@c.com", "a@-b.com", "a@b-.com", "a@b.123", "a b@c.com", "josé@c.com", "a@c.com.", "\"q\"@c.com"} {
		_, err := contact.ParseEmail(in)
		assert.ErrorIs(t, err, contact.ErrEmail, in)
	}
}

func TestContactValidate(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	c := contact.Contact{
		Name: "Ana Souza", Role: "Gerente de frota", Phones: []contact.Phone{contact.MustParsePhone("11987654321")},
		Birthday: contact.Birthday{Day: 29, Month: time.February}, FleetManager: true,
		PreferredDay: contact.Tuesday, PreferredHour: contact.At(14),
	}
	require.NoError(t, c.Validate(now))

	bad := contact.Contact{
		Phones:        []contact.Phone{{}},
		Birthday:      contact.Birthday{Day: 29, Month: time.February, Year: 2023},
		PreferredDay:  9,
		PreferredHour: contact.At(24),
	}
	var v *validation.Error
	require.True(t, errors.As(bad.Validate(now), &v))
	assert.True(t, v.Has("name", "required"))
	assert.True(t, v.Has("phones[0]", "required"))
	assert.True(t, v.Has("birthday", "birthday.invalid"))
	assert.True(t, v.Has("preferred_day", "weekday.invalid"))
	assert.True(t, v.Has("preferred_hour", "hour.invalid"))

	future := contact.Contact{Name: "X", Birthday: contact.Birthday{Day: 1, Month: 1, Year: 2030}}
	require.True(t, errors.As(future.Validate(now), &v))
	assert.True(t, v.Has("birthday", "date.future"))
}

func TestHourAndWeekdayJSON(t *testing.T) {
	t.Parallel()
	c := contact.Contact{Name: "A", PreferredDay: contact.Friday, PreferredHour: contact.At(0)}
	b, err := json.Marshal(c)
	require.NoError(t, err)
	var back contact.Contact
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, c, back)
	h, ok := back.PreferredHour.Get()
	assert.True(t, ok)
	assert.Equal(t, 0, h, "midnight is an hour, not the absence of one")

	none := contact.Contact{Name: "B"}
	b, err = json.Marshal(none)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"preferred_hour":null`)
	require.NoError(t, json.Unmarshal(b, &back))
	_, ok = back.PreferredHour.Get()
	assert.False(t, ok)
	assert.Error(t, json.Unmarshal([]byte(`{"preferred_hour":24}`), &back))
	assert.Error(t, json.Unmarshal([]byte(`{"preferred_day":"someday"}`), &back))
	wd, ok := contact.Sunday.Time()
	assert.True(t, ok)
	assert.Equal(t, time.Sunday, wd)
}

func FuzzParsePhone(f *testing.F) {
	for _, s := range []string{"+55 (11) 98765-4321", "0800 123 4567", "4004-1234", "+1 212 555 0100", "00551932221234", "011 3333-4444",
		"(11) 3333-4444 ramal 123", "11 3333 4444 r. 1", "+551133334444;ext=123456", "0xx11 3333-4444 x12", "4004-1234 ext: 7",
		"(11) 98765-4321 ramal 1", "+1 212 555 0100;EXT=9", "(11) 3333-4444 ramal 1234567"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		number, ext, cutErr := contact.CutExtension(s)
		p, err := contact.ParsePhone(s)
		if err != nil {
			return
		}
		if cutErr != nil || ext != p.Extension() {
			t.Fatalf("CutExtension(%q) disagrees with ParsePhone: %q, %v", s, ext, cutErr)
		}
		if main, err := contact.ParsePhone(number); err != nil || main != p.Main() {
			t.Fatalf("the number of %q, %q, is not its main number: %v", s, number, err)
		}
		if e := p.Extension(); len(e) > contact.MaxExtensionDigits || e != "" && p.Kind() == contact.Mobile {
			t.Fatalf("%q parsed with the extension %q", s, e)
		}
		var scanned contact.Phone
		if err := scanned.Scan(p.String()); err != nil || scanned != p {
			t.Fatalf("Scan of what ParsePhone(%q) writes failed: %v", s, err)
		}
		back, err := contact.ParsePhone(p.String())
		if err != nil || back != p {
			t.Fatalf("canonical round trip of %q failed: %v", s, err)
		}
		back, err = contact.ParsePhone(p.Format())
		if err != nil || back != p {
			t.Fatalf("formatted round trip of %q failed: %v", s, err)
		}
		if p.Kind() == 0 {
			t.Fatalf("%q parsed without a kind", s)
		}
	})
}

func FuzzParseEmail(f *testing.F) {
	for _, s := range []string{"a@b.co", "Joao.Silva@Example.com.br", "x@y", "@", "a..b@c.d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := contact.ParseEmail(s)
		if err != nil {
			return
		}
		back, err := contact.ParseEmail(e.String())
		if err != nil || back != e {
			t.Fatalf("round trip of %q failed", s)
		}
	})
}

func BenchmarkParsePhone(b *testing.B) {
	for _, in := range []string{"+5511987654321", "(11) 98765-4321", "+551133334444;ext=123", "(11) 3333-4444 ramal 123"} {
		b.Run(strconv.Quote(in), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, _ = contact.ParsePhone(in)
			}
		})
	}
}

func BenchmarkParseEmail(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, _ = contact.ParseEmail("joao.silva@example.com.br")
	}
}

func ExampleParsePhone() {
	for _, in := range []string{"+55 (11) 98765-4321", "(61) 3333-4444", "(61) 3333-4444 r. 123", "0800 123 4567", "+1 212 555 0100"} {
		p, err := contact.ParsePhone(in)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s | %s | %s\n", p, p.Format(), p.Kind())
	}
	_, err := contact.ParsePhone("(11) 8765-4321")
	fmt.Println(err)
	// Output:
	// +5511987654321 | (11) 98765-4321 | mobile
	// +556133334444 | (61) 3333-4444 | landline
	// +556133334444;ext=123 | (61) 3333-4444 ramal 123 | landline
	// 08001234567 | 0800 123 4567 | nongeographic
	// +12125550100 | +12125550100 | foreign
	// mobile numbers have 9 digits: add the leading 9
}

func ExampleParseEmail() {
	e, _ := contact.ParseEmail(" Joao.Silva@Example.COM.br ")
	fmt.Println(e)
	// Output: joao.silva@example.com.br
}

func TestParsePhoneCarrierPlaceholder(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"0xx11 3333-4444", "0XX11 3333-4444", "0xx (11) 3333-4444"} {
		p, err := contact.ParsePhone(in)
		require.NoError(t, err, in)
		assert.Equal(t, "+551133334444", p.String())
	}
	_, err := contact.ParsePhone("0xx")
	assert.Error(t, err)
}

func TestEmailCheckWantsTheCanonicalForm(t *testing.T) {
	t.Parallel()
	var e contact.Email
	require.NoError(t, e.Scan("Foo@Example.COM"), "reading never re-judges")
	assert.ErrorIs(t, e.Check(), contact.ErrEmail, "but a value not in canonical form breaks the rule")
	require.NoError(t, e.Scan("foo@example.com"))
	assert.NoError(t, e.Check())
}

func ExamplePhone_Extension() {
	p := contact.MustParsePhone("(11) 3333-4444 r. 123")
	fmt.Println(p, "|", p.Format())
	fmt.Println(p.Main(), "|", p.Extension())
	// Output:
	// +551133334444;ext=123 | (11) 3333-4444 ramal 123
	// +551133334444 | 123
}
