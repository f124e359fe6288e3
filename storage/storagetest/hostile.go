package storagetest

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/date"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/validation"
)

// The tests of this file are what outside testing of the library tried as
// an attacker or a hurried integrator would: every one holds on every
// adapter alike.

// TextField is one free-text field of the aggregate, found by walking the
// customer's type: its path as validation reports it, and a setter.
type TextField struct {
	Path string
	Set  func(c *customer.Customer, s string)
}

// codeFields are string fields that are not free text: codes with rules
// of their own, which refuse what free text refuses and more.
var codeFields = map[string]bool{
	"dms_code": true, "service_orders[0]": true,
	"bank_references[0].code": true, "bank_references[0].branch": true, "bank_references[0].branch_digit": true,
	"bank_references[0].account": true, "bank_references[0].account_digit": true,
}

// TextFields returns every exported string field reachable in a customer
// filled like [Full] (the first element of each list, one additional
// information value), by reflection, so that a field added later is
// covered without a change here. Free-text and code fields both; see
// codeFields for the latter.
func TextFields() []TextField {
	var out []TextField
	var walk func(t reflect.Type, path string, get func(c *customer.Customer) reflect.Value)
	walk = func(t reflect.Type, path string, get func(c *customer.Customer) reflect.Value) {
		switch t.Kind() {
		case reflect.String:
			out = append(out, TextField{Path: path, Set: func(c *customer.Customer, s string) { get(c).SetString(s) }})
		case reflect.Struct:
			for i := 0; i < t.NumField(); i++ {
				f := t.Field(i)
				if !f.IsExported() {
					continue
				}
				name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
				if name == "" || name == "-" {
					continue
				}
				walk(f.Type, validation.Join(path, name), func(c *customer.Customer) reflect.Value { return get(c).Field(i) })
			}
		case reflect.Slice:
			walk(t.Elem(), validation.Index(path, 0), func(c *customer.Customer) reflect.Value { return get(c).Index(0) })
		case reflect.Map:
			if t.Elem().Kind() == reflect.String {
				out = append(out, TextField{Path: path + ".spouse_name", Set: func(c *customer.Customer, s string) {
					get(c).SetMapIndex(reflect.ValueOf("spouse_name"), reflect.ValueOf(s))
				}})
			}
		}
	}
	walk(reflect.TypeFor[customer.Customer](), "", func(c *customer.Customer) reflect.Value { return reflect.ValueOf(c).Elem() })
	return out
}

// hostileText is text no field may store: each is refused with ErrInvalid.
var hostileText = map[string]string{
	"nul":               "nota\x00secreta",
	"invalid utf-8":     "nota \xff\xfe secreta",
	"truncated utf-8":   "São \xc3",
	"c0 control":        "nota\x1bsecreta",
	"c1 control":        "nota\u0085secreta",
	"delete":            "nota\x7fsecreta",
	"bidi override":     "Ana\u202eSouza",
	"bidi isolate":      "Ana\u2066Souza\u2069",
	"byte-order mark":   "\ufeffAna",
	"card spaced":       "cartão 4539 1488 0343 6467",
	"card dotted":       "4539.1488.0343.6467",
	"card slashed":      "4539/1488/0343/6467",
	"card double space": "4539  1488  0343  6467",
	"card nbsp":         "4539\u00a01488\u00a00343\u00a06467",
	"card plain":        "4539148803436467",
	"card a line each":  "cartão\n4532\n0151\n1283\n0366",
	"card parentheses":  "(4532) 0151-1283-0366",
	"card zero-width":   "4532\u200d0151\u200d1283\u200d0366",
	"too long":          strings.Repeat("x", validation.MaxNote+1),
}

// tame is text every field that takes free text stores exactly.
var tame = []string{
	"Robert'); DROP TABLE customers;--",
	`aspas "duplas" e 'simples' \ barra % _ curinga`,
	"São João D'Ávila 🚗 ＡＢＣ \u200f família 👨\u200d👩\u200d👧",
	"a\u0301 composto",
}

func testHostileText(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	for _, f := range TextFields() {
		for name, text := range hostileText {
			if codeFields[f.Path] && strings.HasPrefix(name, "card") {
				continue // codes are not free text: digits, dots and slashes are theirs
			}
			c := Full(time.Now())
			c.TaxID = CPF(500000)
			f.Set(c, text)
			_, err := s.Create(ctx(t), tn, c)
			require.ErrorIs(t, err, storage.ErrInvalid, "%s: %s is refused", f.Path, name)
			var v *customer.ValidationError
			require.True(t, errors.As(err, &v), "%s: %s", f.Path, name)
			named := false
			for _, fe := range v.Fields {
				named = named || fe.Path == f.Path
			}
			assert.True(t, named, "%s: %s is reported at the field, got %v", f.Path, name, err)
			assertClean(t, err, text)
		}
	}
	n, err := s.Count(ctx(t), tn)
	require.NoError(t, err)
	require.Zero(t, n, "nothing hostile was stored")

	// What free text may hold, every adapter stores exactly.
	for i, f := range TextFields() {
		if codeFields[f.Path] {
			continue
		}
		for j, text := range tame {
			c := Full(time.Now())
			c.TaxID = CPF(510000 + i*len(tame) + j)
			f.Set(c, strings.ReplaceAll(text, "\n", " "))
			created, err := s.Create(ctx(t), tn, c)
			require.NoError(t, err, "%s: %q", f.Path, text)
			got, err := s.Get(ctx(t), tn, created.ID)
			require.NoError(t, err)
			requireSame(t, created, got)
		}
	}
}

// assertClean asserts that no personal value appears in err's message.
func assertClean(t *testing.T, err error, values ...string) {
	t.Helper()
	if err == nil {
		return
	}
	msg := err.Error()
	for _, v := range values {
		if len(v) >= 4 {
			assert.NotContains(t, msg, v, "an error message repeats a personal value")
		}
	}
}

func testImpossibleDates(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	bad := []date.Date{{Year: 1980, Month: 2, Day: 30}, {Year: 1981, Month: 2, Day: 29}, {Year: 1980, Month: 4, Day: 31},
		{Year: 1980, Month: 13, Day: 1}, {Year: 1980, Month: 0, Day: 10}, {Year: 1980, Month: 5, Day: 0},
		{Year: 0, Month: 1, Day: 1}, {Year: 10000, Month: 1, Day: 1}, {Year: -5, Month: 1, Day: 1}}
	for _, d := range bad {
		c := Full(time.Now())
		c.BirthDate = d
		_, err := s.Create(ctx(t), tn, c)
		require.ErrorIs(t, err, storage.ErrInvalid, "birth date %v", d)
		var v *customer.ValidationError
		require.True(t, errors.As(err, &v))
		assert.True(t, v.Has("birth_date", "date.invalid"), "birth date %v: %v", d, err)

		c = Full(time.Now())
		c.Assets[0].Lien.PayoffDate = d
		_, err = s.Create(ctx(t), tn, c)
		require.ErrorIs(t, err, storage.ErrInvalid, "payoff date %v", d)
		require.True(t, errors.As(err, &v))
		assert.True(t, v.Has("assets[0].lien.payoff_date", "date.invalid"), "payoff date %v: %v", d, err)
	}
	n, err := s.Count(ctx(t), tn)
	require.NoError(t, err)
	require.Zero(t, n, "no impossible date was stored")

	// Real days at the edges are stored and read back as they are.
	for i, d := range []date.Date{{Year: 2000, Month: 2, Day: 29}, {Year: 1900, Month: 1, Day: 1}, {Year: 2024, Month: 12, Day: 31}} {
		c := Full(time.Now())
		c.TaxID = CPF(520000 + i)
		c.BirthDate = d
		c.Assets[0].Lien.PayoffDate = date.Date{Year: 9999, Month: 12, Day: 31}
		created, err := s.Create(ctx(t), tn, c)
		require.NoError(t, err, "%v", d)
		got, err := s.Get(ctx(t), tn, created.ID)
		require.NoError(t, err)
		assert.Equal(t, d, got.BirthDate)
		assert.Equal(t, "9999-12-31", got.Assets[0].Lien.PayoffDate.String())
	}
}

func testHugeNumbers(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	huge := []decimal.Decimal{decimal.New(1, 2147483647), decimal.New(1, -2147483647), decimal.New(0, -2147483647),
		decimal.RequireFromString(strings.Repeat("9", 5000)), decimal.New(1, 13), decimal.RequireFromString("0.001")}
	for _, d := range huge {
		c := Full(time.Now())
		c.Assets[0].Value = d
		_, err := s.Create(ctx(t), tn, c)
		require.ErrorIs(t, err, storage.ErrInvalid)
		c = Full(time.Now())
		c.Assets[0].Lien.Balance = d
		_, err = s.Create(ctx(t), tn, c)
		require.ErrorIs(t, err, storage.ErrInvalid)
	}
	// From JSON, an amount is bounded before it is parsed.
	for _, text := range []string{`"1e2147483647"`, `1e2147483647`, `"` + strings.Repeat("1", 100000) + `"`} {
		var c customer.Customer
		err := json.Unmarshal([]byte(`{"assets":[{"description":"x","kind":"other","value":`+text+`}]}`), &c)
		assert.ErrorIs(t, err, validation.ErrMoneyRange)
		err = json.Unmarshal([]byte(`{"assets":[{"description":"x","kind":"other","lien":{"balance":`+text+`}}]}`), &c)
		assert.ErrorIs(t, err, validation.ErrMoneyRange)
	}
	n, err := s.Count(ctx(t), tn)
	require.NoError(t, err)
	require.Zero(t, n)
	// The largest amount is stored exactly.
	c := Full(time.Now())
	c.Assets[0].Value = decimal.RequireFromString("9999999999999.99")
	created, err := s.Create(ctx(t), tn, c)
	require.NoError(t, err)
	got, err := s.Get(ctx(t), tn, created.ID)
	require.NoError(t, err)
	assert.Equal(t, "9999999999999.99", got.Assets[0].Value.StringFixed(2))
}

func testManyWordQueries(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	created, err := s.Create(ctx(t), tn, Full(time.Now()))
	require.NoError(t, err)
	words := func(n int) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + " ")
		}
		return b.String()
	}
	for _, q := range []customer.Query{
		{Name: words(customer.MaxQueryWords + 1)}, {Company: words(99)},
		{Name: words(8), Company: words(8)},
		{Name: words(999)}, {Name: strings.Repeat("maria ", 5000)},
		{DMSCustomer: strings.Repeat("A", 10000)}, {Phone: strings.Repeat("9", 100000)},
	} {
		_, err := s.Search(ctx(t), tn, q, nil)
		require.Error(t, err)
		var v *customer.ValidationError
		assert.True(t, errors.As(err, &v) || errors.Is(err, customer.ErrQueryTerms), "a typed error: %v", err)
	}
	// Codes with characters no code has are refused, not sent to the database.
	for _, code := range []string{"A\x00B", "A\xffB", "A B;"} {
		_, err := s.Search(ctx(t), tn, customer.Query{DMSCustomer: code}, nil)
		var v *customer.ValidationError
		require.True(t, errors.As(err, &v), "%q: %v", code, err)
		assert.True(t, v.Has("dms_customer", "dms.code"))
		_, err = s.Search(ctx(t), tn, customer.Query{ServiceOrder: code}, nil)
		require.True(t, errors.As(err, &v), "%q: %v", code, err)
	}
	// At the bounds, a search works; words implied by longer ones do not count.
	p, err := s.Search(ctx(t), tn, customer.Query{Name: "m ma mar mari maria d da co con conc conce concei conceicao muller avila"}, nil)
	require.NoError(t, err)
	require.Len(t, p.Hits, 1)
	assert.Equal(t, created.ID, p.Hits[0].ID)
}

func testCursorBinding(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	createMany(t, s, tn, 3000, 5, Individual)
	q := customer.Query{Company: "ltda"}
	p, err := s.Search(ctx(t), tn, q, &storage.SearchOptions{Limit: 2})
	require.NoError(t, err)
	require.NotEmpty(t, p.Next)
	_, err = s.Search(ctx(t), tn, q, &storage.SearchOptions{Limit: 2, Cursor: p.Next})
	require.NoError(t, err, "the cursor works for its tenant and query")

	other := tenant(t)
	createMany(t, s, other, 3000, 5, Individual)
	_, err = s.Search(ctx(t), other, q, &storage.SearchOptions{Limit: 2, Cursor: p.Next})
	assert.ErrorIs(t, err, storage.ErrCursor, "another tenant's cursor")
	_, err = s.Search(ctx(t), tn, customer.Query{Company: "ltd"}, &storage.SearchOptions{Limit: 2, Cursor: p.Next})
	assert.ErrorIs(t, err, storage.ErrCursor, "another query's cursor")

	// A forged cursor: well formed, one bit changed anywhere.
	for i := 3; i < len(p.Next); i++ {
		b := []byte(p.Next)
		b[i] ^= 1
		_, err = s.Search(ctx(t), tn, q, &storage.SearchOptions{Limit: 2, Cursor: string(b)})
		assert.ErrorIs(t, err, storage.ErrCursor, "cursor changed at %d", i)
	}
	_, err = s.Search(ctx(t), tn, q, &storage.SearchOptions{Limit: -1})
	assert.ErrorIs(t, err, storage.ErrLimit)
}

// countdown is a context that cancels itself at the n-th time the code
// under test consults it (Done or Err). Sweeping n from 1 up cancels a
// call at every point where it looks at its context, the commit included.
type countdown struct {
	context.Context
	mu   sync.Mutex
	left int
	done chan struct{}
}

// newCountdown returns a countdown of n consults, with the values of
// parent (and none of its cancellation).
func newCountdown(parent context.Context, n int) *countdown {
	return &countdown{Context: context.WithoutCancel(parent), left: n, done: make(chan struct{})}
}

func (c *countdown) tick() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.left > 0 {
		c.left--
		if c.left == 0 {
			close(c.done)
		}
	}
}

// remaining returns how many more consults the countdown allows.
func (c *countdown) remaining() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.left
}

func (c *countdown) Done() <-chan struct{} { c.tick(); return c.done }

func (c *countdown) Err() error {
	c.tick()
	select {
	case <-c.done:
		return context.Canceled
	default:
		return nil
	}
}

// sweep cancels call at the points where it consults its context, and
// hands check each outcome. A first run that is never cancelled counts
// the points; then the call is cancelled at each of the first and the
// last ones, where the transaction begins and commits, and at every
// eighth one between.
func sweep(t *testing.T, call func(ctx context.Context, i int) error, check func(i int, err error)) {
	t.Helper()
	const never = 1 << 30
	cd := newCountdown(ctx(t), never)
	err := call(cd, 0)
	require.NoError(t, err)
	check(0, err)
	total := never - cd.remaining()
	for n := 1; n <= total+4; n++ {
		if n > 16 && n < total-24 && n%8 != 0 {
			continue
		}
		cd := newCountdown(ctx(t), n)
		err := call(cd, n)
		if err != nil {
			require.ErrorIs(t, err, context.Canceled, "a cancelled call reports the cancellation")
		}
		check(n, err)
	}
}

func testCancelAtEveryStep(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	exists := func(id uuid.UUID) *customer.Customer {
		got, err := s.Get(ctx(t), tn, id)
		if errors.Is(err, storage.ErrNotFound) {
			return nil
		}
		require.NoError(t, err)
		return got
	}

	// Create: stored exactly when it reports success.
	ids := map[int]uuid.UUID{}
	sweep(t, func(c context.Context, i int) error {
		in := Individual(600001 + i)
		in.ID = customer.NewID()
		ids[i] = in.ID
		_, err := s.Create(c, tn, in)
		return err
	}, func(i int, err error) {
		assert.Equal(t, err == nil, exists(ids[i]) != nil, "create %d: reported %v", i, err)
	})

	// CreateMany: each record stored exactly when its result says so.
	batches := map[int][]uuid.UUID{}
	results := map[int][]storage.Result{}
	sweep(t, func(c context.Context, i int) error {
		var cs []*customer.Customer
		for j := range 3 {
			in := Individual(700000 + i*3 + j)
			in.ID = customer.NewID()
			batches[i] = append(batches[i], in.ID)
			cs = append(cs, in)
		}
		rs, err := s.CreateMany(c, tn, cs)
		results[i] = rs
		if err != nil {
			return err
		}
		for _, r := range rs {
			if r.Err != nil {
				return r.Err
			}
		}
		return nil
	}, func(i int, err error) {
		for j, id := range batches[i] {
			stored := exists(id) != nil
			if results[i] == nil {
				assert.False(t, stored, "batch %d: nothing attempted, nothing stored", i)
				continue
			}
			assert.Equal(t, results[i][j].Err == nil, stored, "batch %d record %d: reported %v", i, j, results[i][j].Err)
		}
	})

	// Update: the new version is stored exactly when it reports success.
	cur, err := s.Create(ctx(t), tn, Full(time.Now()))
	require.NoError(t, err)
	sweep(t, func(c context.Context, i int) error {
		u := cur.Clone()
		u.Notes = "update " + time.Now().String()
		got, err := s.Update(c, tn, u)
		if err == nil {
			cur = got
		}
		return err
	}, func(i int, err error) {
		stored := exists(cur.ID)
		require.NotNil(t, stored)
		requireSame(t, cur, stored)
	})

	// Delete: gone exactly when it reports success.
	var victims []*customer.Customer
	sweep(t, func(c context.Context, i int) error {
		v, err := s.Create(ctx(t), tn, Individual(800001+i))
		require.NoError(t, err)
		victims = append(victims, v)
		return s.Delete(c, tn, v.ID, v.Version)
	}, func(i int, err error) {
		v := victims[len(victims)-1]
		assert.Equal(t, err == nil, exists(v.ID) == nil, "delete %d: reported %v", i, err)
	})
}

func testPolicyBypass(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	c, err := s.Create(ctx(t), tn, Individual(40))
	require.NoError(t, err)

	// A customer never goes back to prospect under the default policy, so
	// the tax ID cannot be changed by a detour through that status.
	demote := c.Clone()
	demote.Status = customer.StatusProspect
	_, err = s.Update(ctx(t), tn, demote)
	require.ErrorIs(t, err, storage.ErrLocked)
	var v *customer.ValidationError
	require.True(t, errors.As(err, &v))
	assert.True(t, v.Has("status", "field.locked"))
	got, err := s.Get(ctx(t), tn, c.ID)
	require.NoError(t, err)
	requireSame(t, c, got)

	// A prospect may still become a customer, with its tax ID corrected on
	// the way; once a customer, it stays one.
	p := Individual(41)
	p.Status = customer.StatusProspect
	pc, err := s.Create(ctx(t), tn, p)
	require.NoError(t, err)
	promote := pc.Clone()
	promote.TaxID = CPF(999041)
	promote.Status = customer.StatusCustomer
	promoted, err := s.Update(ctx(t), tn, promote)
	require.NoError(t, err)
	back := promoted.Clone()
	back.Status = customer.StatusProspect
	_, err = s.Update(ctx(t), tn, back)
	require.ErrorIs(t, err, storage.ErrLocked)
}

func testJSONRoundTrip(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	c, err := s.Create(ctx(t), tn, Full(time.Now()))
	require.NoError(t, err)

	// What the library writes, it reads back, and it saves unchanged.
	b, err := json.Marshal(c)
	require.NoError(t, err)
	var back customer.Customer
	require.NoError(t, json.Unmarshal(b, &back))
	_, err = s.Update(ctx(t), tn, &back)
	require.NoError(t, err, "a record decoded from the library's own JSON saves")

	// A browser's Date keeps milliseconds: the creation time it sends back
	// lost precision, which is not a change.
	cur, err := s.Get(ctx(t), tn, c.ID)
	require.NoError(t, err)
	var doc map[string]any
	b, err = json.Marshal(cur)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &doc))
	doc["created_at"] = cur.CreatedAt.Truncate(time.Millisecond).Format("2006-01-02T15:04:05.000Z07:00")
	doc["name"] = "Maria Conceição (pelo navegador)"
	b, err = json.Marshal(doc)
	require.NoError(t, err)
	var fromBrowser customer.Customer
	require.NoError(t, json.Unmarshal(b, &fromBrowser))
	saved, err := s.Update(ctx(t), tn, &fromBrowser)
	require.NoError(t, err)
	assert.True(t, saved.CreatedAt.Equal(cur.CreatedAt), "the stored creation time keeps its precision")
	got, err := s.Get(ctx(t), tn, c.ID)
	require.NoError(t, err)
	assert.True(t, got.CreatedAt.Equal(cur.CreatedAt))

	// A real change of the creation time is still refused.
	moved := got.Clone()
	moved.CreatedAt = got.CreatedAt.Add(-time.Hour)
	_, err = s.Update(ctx(t), tn, moved)
	require.ErrorIs(t, err, storage.ErrLocked)
}

func testErrorsHoldNoPersonalData(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	full := Full(time.Now())
	personal := []string{full.Name, full.TaxID.String(), full.TaxID.Format(), full.Phones[0].String(), full.Phones[0].Format(),
		full.Emails[0].String(), full.BirthDate.String(), full.BirthDate.Format(), full.Addresses[0].Street,
		full.Assets[0].Plate.String(), full.Assets[0].VIN.String(), full.Cards[0].BIN()}
	first, err := s.Create(ctx(t), tn, full)
	require.NoError(t, err)

	var errs []error
	dup := Full(time.Now())
	_, err = s.Create(ctx(t), tn, dup)
	errs = append(errs, err)
	dup.ID = first.ID
	_, err = s.Create(ctx(t), tn, dup)
	errs = append(errs, err)
	bad := Full(time.Now())
	bad.BirthDate = date.Date{Year: 1975, Month: 2, Day: 30}
	bad.Name = full.Name + "\x00"
	_, err = s.Create(ctx(t), tn, bad)
	errs = append(errs, err)
	rs, err := s.CreateMany(ctx(t), tn, []*customer.Customer{Full(time.Now()), bad})
	require.NoError(t, err)
	errs = append(errs, rs[0].Err, rs[1].Err)
	stale := first.Clone()
	stale.Version = 99
	_, err = s.Update(ctx(t), tn, stale)
	errs = append(errs, err)
	locked := first.Clone()
	locked.TaxID = CPF(530000)
	_, err = s.Update(ctx(t), tn, locked)
	errs = append(errs, err)
	_, err = s.Search(ctx(t), tn, customer.Query{TaxID: full.TaxID.String() + "9", Email: "maria@@example"}, nil)
	errs = append(errs, err)
	for i, err := range errs {
		require.Error(t, err, "case %d", i)
		assertClean(t, err, personal...)
	}
}
func testCrossTenantID(t *testing.T, s *storage.Store) {
	a, b := tenant(t), tenant(t)
	c, err := s.Create(ctx(t), a, Individual(50))
	require.NoError(t, err)

	// Tenant b brings an ID it does not know is tenant a's: the answer is
	// the same as for an ID nobody holds.
	probe := Individual(51)
	probe.ID = c.ID
	fresh := Individual(52)
	fresh.ID = customer.NewID()
	_, errTaken := s.Create(ctx(t), b, probe)
	_, errFree := s.Create(ctx(t), b, fresh)
	assert.Equal(t, errFree == nil, errTaken == nil, "taken elsewhere: %v; free: %v", errTaken, errFree)
	rs, err := s.CreateMany(ctx(t), b, []*customer.Customer{func() *customer.Customer { x := Individual(53); x.ID = c.ID; return x }()})
	require.NoError(t, err)
	if errTaken == nil {
		assert.ErrorIs(t, rs[0].Err, storage.ErrExists, "within tenant b the ID is now taken")
	}

	// Tenant a's customer is untouched, and b's copy is b's alone.
	got, err := s.Get(ctx(t), a, c.ID)
	require.NoError(t, err)
	requireSame(t, c, got)
	if errTaken == nil {
		gb, err := s.Get(ctx(t), b, c.ID)
		require.NoError(t, err)
		assert.Equal(t, probe.Name, gb.Name)
		require.NoError(t, s.Delete(ctx(t), b, c.ID, gb.Version))
		got, err = s.Get(ctx(t), a, c.ID)
		require.NoError(t, err, "deleting b's customer leaves a's")
		requireSame(t, c, got)
	}
	_, err = s.Get(ctx(t), b, c.ID)
	assert.ErrorIs(t, err, storage.ErrNotFound)
}

// restored reads text into an identifier as storage does: by shape, not
// by today's rules.
func restored[T any, P interface {
	*T
	Scan(any) error
}](t *testing.T, s string) T {
	t.Helper()
	var v T
	require.NoError(t, P(&v).Scan(s))
	return v
}

func testOldRulesRecord(t *testing.T, s *storage.Store) {
	tn := tenant(t)
	// A record written when today's rules did not hold yet: a CPF whose
	// check digits no longer match, a DDD since withdrawn, a CEP outside
	// today's ranges, planted through the driver as an older version of
	// the library would have stored it.
	old := Individual(60)
	old.ID = customer.NewID()
	old.Version, old.CreatedAt, old.UpdatedAt = 1, storage.Timestamp(time.Now()), storage.Timestamp(time.Now())
	old.TaxID = restored[customer.TaxID](t, "24843803481")
	old.Phones = []contact.Phone{restored[contact.Phone](t, "+5520987654321")}
	old.Addresses = []address.Address{{CEP: restored[address.CEP](t, "00000000"), Street: "Rua Antiga", City: "Lugar", UF: address.SP},
		// A CEP whose range was another state's when it was typed.
		{CEP: address.MustParseCEP("01310-100"), Street: "Avenida Paulista", City: "Rio de Janeiro", UF: address.RJ}}
	require.NoError(t, s.Driver().Insert(ctx(t), storage.Record{Tenant: tn, Customer: old, Keys: old.SearchKeys()}))

	got, err := s.Get(ctx(t), tn, old.ID)
	require.NoError(t, err, "what was stored opens")
	assert.Equal(t, "24843803481", got.TaxID.String())

	// Through the library's own JSON, as a web page sends it back, with
	// another field changed: it saves, and the old identifiers are kept.
	b, err := json.Marshal(got)
	require.NoError(t, err)
	var back customer.Customer
	require.NoError(t, json.Unmarshal(b, &back), "the library reads back what it wrote")
	back.Notes = "atualizado no atendimento"
	saved, err := s.Update(ctx(t), tn, &back)
	require.NoError(t, err, "identifiers the record already holds are not judged again")
	assert.Equal(t, "+5520987654321", saved.Phones[0].String())

	// What is typed anew is judged: another withdrawn DDD is refused.
	changed := saved.Clone()
	changed.Phones = append(changed.Phones, restored[contact.Phone](t, "+5520912345678"))
	_, err = s.Update(ctx(t), tn, changed)
	require.ErrorIs(t, err, storage.ErrInvalid)
	var v *customer.ValidationError
	require.True(t, errors.As(err, &v))
	assert.True(t, v.Has("phones[1]", "phone.ddd"), "%v", err)

	// So is a CEP paired anew with a state not its own.
	changed = saved.Clone()
	changed.Addresses = append(changed.Addresses, changed.Addresses[1])
	changed.Addresses[2].UF = address.MG
	_, err = s.Update(ctx(t), tn, changed)
	require.True(t, errors.As(err, &v), "%v", err)
	assert.True(t, v.Has("addresses[2].cep", "cep.uf_mismatch"), "%v", err)

	// And a new record may not bring an old-rule identifier in.
	fresh := Individual(61)
	fresh.TaxID = restored[customer.TaxID](t, "24843803481")
	_, err = s.Create(ctx(t), tenant(t), fresh)
	require.True(t, errors.As(err, &v), "%v", err)
	assert.True(t, v.Has("tax_id", "cpf.check_digit"), "%v", err)

	// A merge keeps what either record held when it was typed: a record
	// of older rules merged into a new one, and the other way round.
	for _, oldSurvives := range []bool{false, true} {
		elder := old.Clone()
		elder.ID, elder.TaxID, elder.Status = customer.NewID(), customer.TaxID{}, customer.StatusProspect
		require.NoError(t, s.Driver().Insert(ctx(t), storage.Record{Tenant: tn, Customer: elder, Keys: elder.SearchKeys()}))
		younger := Individual(62 + btoi(oldSurvives))
		younger.TaxID, younger.Status = customer.TaxID{}, customer.StatusProspect
		younger, err := s.Create(ctx(t), tn, younger)
		require.NoError(t, err)
		into, from := younger, elder
		if oldSurvives {
			into, from = elder, younger
		}
		_, err = s.Merge(ctx(t), tn, storage.MergeRequest{Into: into.ID, From: from.ID, IntoVersion: into.Version, FromVersion: from.Version})
		require.NoError(t, err, "old-rule identifiers merged (old record survives: %v)", oldSurvives)
		got, err := s.Get(ctx(t), tn, into.ID)
		require.NoError(t, err)
		assert.True(t, slices.ContainsFunc(got.Phones, func(p contact.Phone) bool { return p.String() == "+5520987654321" }), "%v", got.Phones)
		assert.True(t, slices.ContainsFunc(got.Addresses, func(a address.Address) bool { return a.UF == address.RJ }), "the pairing is kept")
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
