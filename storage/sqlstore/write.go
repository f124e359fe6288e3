package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
)

// table describes one table of the schema: its name and the columns Ficha
// writes and reads, in order, each with its PostgreSQL type where it is
// not text (for the casts of insertUnnest). Every statement's column list
// is derived from it; the migrations of each dialect create the tables, and
// a test checks that they agree.
type table struct {
	name string
	cols []column
	// kept are columns the table also has that writes of the whole row
	// leave alone: another statement maintains them.
	kept []string
	// derived are columns written with the row, computed from the record
	// for lists and indexes, that a read of the record does not need.
	derived []string
}

// derive returns t with cols marked as derived.
func (t table) derive(cols ...string) table {
	t.derived = cols
	return t
}

// readNames are the columns a read of the record takes: all but skip and
// the derived ones.
func (t table) readNames(skip ...string) []string {
	return t.names(append(skip, t.derived...)...)
}

type column struct {
	name string
	pg   string // PostgreSQL type for casts from text; "" for text
}

// newTable describes a table from "name" or "name type" column specs.
func newTable(name string, specs ...string) table {
	t := table{name: name}
	for _, s := range specs {
		n, typ, _ := strings.Cut(s, " ")
		t.cols = append(t.cols, column{name: n, pg: typ})
	}
	return t
}

// keep returns t with cols as columns the row's writes leave alone.
func (t table) keep(cols ...string) table {
	t.kept = cols
	return t
}

// names returns the table's column names, leaving out skip.
func (t table) names(skip ...string) []string {
	var out []string
	for _, c := range t.cols {
		if !slices.Contains(skip, c.name) {
			out = append(out, c.name)
		}
	}
	return out
}

var (
	// The customers row ends with the freshness of each section (see
	// freshColumn): written with a new row, then only by touch, which
	// keeps the later of two times.
	tCustomers = newTable("customers", append([]string{"id uuid", "tenant", "kind", "status", "version bigint", "name", "trade_name", "tax_id",
		"employer", "birth_date date", "notes", "dms_code", "created_at timestamptz", "updated_at timestamptz",
		"sort_name", "main_phone", "main_plate", "city", "main_uf", "birth_md integer", "name_words", "company_words", "activity bigint"},
		freshSpecs()...)...).
		keep("last_attendance_at"). // set by InsertAttendance
		derive(append([]string{"sort_name", "main_phone", "main_plate", "city", "main_uf", "birth_md", "name_words", "company_words", "activity"},
			freshColumns()...)...)
	// Every table keyed by a customer starts with its tenant and ID:
	// customer IDs are unique within a tenant only.
	tPhones    = newTable("customer_phones", "tenant", "customer_id uuid", "position integer", "phone")
	tEmails    = newTable("customer_emails", "tenant", "customer_id uuid", "position integer", "email")
	tOrders    = newTable("service_orders", "tenant", "customer_id uuid", "position integer", "code")
	tAddresses = newTable("addresses", "tenant", "customer_id uuid", "position integer", "cep", "street", "number", "complement",
		"district", "city", "uf", "correspondence boolean", "billing boolean")
	tAssets = newTable("assets", "tenant", "customer_id uuid", "position integer", "description", "kind", "year integer",
		"value numeric", "lien_balance numeric", "lien_creditor", "lien_payoff_date date", "vin", "plate", "renavam")
	tPersonal = newTable("personal_references", "tenant", "customer_id uuid", "position integer", "name", "phone", "note")
	tBanks    = newTable("bank_references", "tenant", "customer_id uuid", "position integer", "bank_code", "branch", "branch_digit",
		"account", "account_digit")
	tCards = newTable("cards", "tenant", "customer_id uuid", "position integer", "brand", "bin", "last4", "holder",
		"expiry_month integer", "expiry_year integer", "token")
	tContacts = newTable("contacts", "tenant", "customer_id uuid", "position integer", "name", "role", "email",
		"birthday_day integer", "birthday_month integer", "birthday_year integer", "fleet_manager boolean",
		"preferred_day integer", "preferred_hour integer", "birth_md integer").derive("birth_md")
	tContactTel = newTable("contact_phones", "tenant", "customer_id uuid", "contact_position integer", "position integer", "phone")
	tInfo       = newTable("customer_info", "tenant", "customer_id uuid", "info_key", "info_value")
	tKeys       = newTable("search_keys", "tenant", "customer_id uuid", "field", "value")
	// tWords holds the name and company words (customer.FieldName,
	// FieldCompany), with the customer's activity and all the customer's
	// words of the field (as customers.name_words or company_words), so
	// that a search walking one word checks the others on the row it
	// reads: see Search.
	tWords = newTable("word_keys", "tenant", "customer_id uuid", "field integer", "word", "activity bigint", "words")

	// childTables are the tables that hang off customers, children of
	// children first, so that deleting in this order respects every
	// foreign key.
	childTables = []table{tContactTel, tContacts, tPhones, tEmails, tOrders, tAddresses, tAssets, tPersonal, tBanks, tCards, tInfo, tKeys, tWords}
)

// maxParams bounds the placeholders of one statement, under the limits of
// SQLite (32766), PostgreSQL and MySQL (65535).
const maxParams = 30000

// batch gathers rows for multi-row INSERTs, one table at a time.
type batch struct {
	tables []table
	rows   map[string][][]any
}

func newBatch() *batch { return &batch{rows: map[string][][]any{}} }

func (b *batch) add(t table, vals ...any) {
	if _, ok := b.rows[t.name]; !ok {
		b.tables = append(b.tables, t)
	}
	b.rows[t.name] = append(b.rows[t.name], vals)
}

// flush writes every gathered row, parents before children. Where the
// dialect caches prepared statements, rows run the table's prepared
// INSERT of stmtRows rows, and the rest its one-row INSERT (compiling a
// large statement each time costs more in process than running a
// compiled one many times, and each run through database/sql has its
// own cost); elsewhere rows go in multi-row INSERTs, as few as the
// placeholder limit allows, to save round trips.
func (d *Driver) flush(ctx context.Context, tx *sql.Tx, b *batch) error {
	for _, t := range b.tables {
		rows := b.rows[t.name]
		if d.dialect.unnest {
			if err := d.insertUnnest(ctx, tx, t, rows); err != nil {
				return err
			}
			continue
		}
		one, many := d.prepared(ctx, d.insertRow(t), true), d.prepared(ctx, d.insertRows(t), true)
		if one != nil && many != nil {
			// Rows in groups of stmtRows through the many-row statement,
			// the rest one by one: both compiled once.
			if len(rows) >= stmtRows {
				st := tx.StmtContext(ctx, many)
				args := make([]any, 0, stmtRows*len(t.cols))
				for ; len(rows) >= stmtRows; rows = rows[stmtRows:] {
					args = args[:0]
					for _, r := range rows[:stmtRows] {
						args = append(args, r...)
					}
					if _, err := st.ExecContext(ctx, args...); err != nil {
						return err
					}
				}
			}
			if len(rows) > 0 {
				st := tx.StmtContext(ctx, one)
				for _, r := range rows {
					if _, err := st.ExecContext(ctx, r...); err != nil {
						return err
					}
				}
			}
			continue
		}
		per := maxParams / len(t.cols)
		for len(rows) > 0 {
			n := min(per, len(rows))
			args := make([]any, 0, n*len(t.cols))
			for _, r := range rows[:n] {
				args = append(args, r...)
			}
			q := "INSERT INTO " + t.name + " (" + strings.Join(t.names(), ", ") + ") VALUES " + placeholders(len(t.cols), n)
			if _, err := d.exec(ctx, tx, d.dialect.rebind(q), args...); err != nil {
				return err
			}
			rows = rows[n:]
		}
	}
	return nil
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullInt(n int, set bool) any {
	if !set {
		return nil
	}
	return n
}

func money(d decimal.Decimal) string { return d.StringFixed(2) }

// customerRow is the customers row of rec, in the order of tCustomers.
func (d *Driver) customerRow(rec storage.Record) []any {
	c := rec.Customer
	sum := storage.SummaryOf(c)
	row := []any{c.ID.String(), rec.Tenant, c.Kind.String(), c.Status.String(), c.Version, c.Name, c.TradeName,
		nullString(c.TaxID.String()), c.Employer, nullString(c.BirthDate.String()), c.Notes, c.DMSCode,
		d.dialect.timeArg(c.CreatedAt), d.dialect.timeArg(c.UpdatedAt),
		c.SortName(), nullString(sum.Phone.String()), nullString(sum.Plate.String()), sum.City, nullString(sum.UF.String()),
		nullInt(int(c.BirthDate.Month)*100+c.BirthDate.Day, !c.BirthDate.IsZero()),
		wordsOf(rec.Keys, customer.FieldName), wordsOf(rec.Keys, customer.FieldCompany), c.UpdatedAt.UnixMicro()}
	// The freshness columns: the sections the write touched are fresh as
	// of it, the others NULL. An update leaves them to touch (see
	// updateSkips).
	at := d.dialect.timeArg(c.UpdatedAt)
	for _, s := range attendance.AllSections.Each() {
		var v any
		if rec.Touched&s != 0 {
			v = at
		}
		row = append(row, v)
	}
	return row
}

// wordKey reports whether keys of field f are words, which word_keys
// holds rather than search_keys.
func wordKey(f customer.Field) bool { return f == customer.FieldName || f == customer.FieldCompany }

// wordsOf returns the values of keys of field f between spaces, with a
// space before the first and after the last ("" when there is none), so
// that LIKE '% silv%' finds a word that starts with "silv" and
// LIKE '% silva %' the word "silva". Words are letters and digits only:
// neither % nor _ can be in one.
func wordsOf(keys []customer.Key, f customer.Field) string {
	var b strings.Builder
	for _, k := range keys {
		if k.Field == f {
			b.WriteByte(' ')
			b.WriteString(k.Value)
		}
	}
	if b.Len() == 0 {
		return ""
	}
	b.WriteByte(' ')
	return b.String()
}

// updateSkips are the customers columns an update never writes as values:
// the keys, the creation time, and the freshness columns, which it moves
// only forward (see freshSets).
var updateSkips = append([]string{"id", "tenant", "created_at"}, freshColumns()...)

// addRecord adds the rows of one customer to b, its words at activity.
// The customers row is added unless skipParent, as Update writes it with
// an UPDATE.
func (d *Driver) addRecord(b *batch, rec storage.Record, skipParent bool, activity int64) {
	d.addRecordOf(b, rec, skipParent, activity, nil)
}

// addRecordOf is addRecord for the child tables of only.
func (d *Driver) addRecordOf(b *batch, rec storage.Record, skipParent bool, activity int64, only tableSet) {
	c := rec.Customer
	id := c.ID.String()
	tn := rec.Tenant
	if !skipParent {
		b.add(tCustomers, d.customerRow(rec)...)
	}
	if only.has(tPhones) {
		for i, p := range c.Phones {
			b.add(tPhones, tn, id, i, p.String())
		}
	}
	if only.has(tEmails) {
		for i, e := range c.Emails {
			b.add(tEmails, tn, id, i, e.String())
		}
	}
	if only.has(tOrders) {
		for i, so := range c.ServiceOrders {
			b.add(tOrders, tn, id, i, so)
		}
	}
	if only.has(tAddresses) {
		for i, a := range c.Addresses {
			b.add(tAddresses, tn, id, i, nullString(a.CEP.String()), a.Street, a.Number, a.Complement, a.District, a.City,
				nullString(a.UF.String()), a.Purposes.Has(address.Correspondence), a.Purposes.Has(address.Billing))
		}
	}
	if only.has(tAssets) {
		for i, a := range c.Assets {
			b.add(tAssets, tn, id, i, a.Description, a.Kind.String(), nullInt(a.Year, a.Year != 0), money(a.Value),
				money(a.Lien.Balance), a.Lien.Creditor, nullString(a.Lien.PayoffDate.String()),
				nullString(a.VIN.String()), nullString(a.Plate.String()), nullString(a.RENAVAM.String()))
		}
	}
	if only.has(tPersonal) {
		for i, r := range c.PersonalReferences {
			b.add(tPersonal, tn, id, i, r.Name, nullString(r.Phone.String()), r.Note)
		}
	}
	if only.has(tBanks) {
		for i, r := range c.BankReferences {
			b.add(tBanks, tn, id, i, r.Code, r.Branch, r.BranchDigit, r.Account, r.AccountDigit)
		}
	}
	if only.has(tCards) {
		for i, card := range c.Cards {
			exp := card.Expiry
			b.add(tCards, tn, id, i, card.Brand().String(), card.BIN(), card.Last4(), card.Holder,
				nullInt(int(exp.Month), !exp.IsZero()), nullInt(exp.Year, !exp.IsZero()), card.Token)
		}
	}
	if only.has(tContacts) { // and tContactTel: tablesOfField names both
		for i, ct := range c.Contacts {
			bd := ct.Birthday
			hour, hasHour := ct.PreferredHour.Get()
			b.add(tContacts, tn, id, i, ct.Name, ct.Role, nullString(ct.Email.String()),
				nullInt(bd.Day, !bd.IsZero()), nullInt(int(bd.Month), !bd.IsZero()), nullInt(bd.Year, bd.Year != 0),
				ct.FleetManager, nullInt(int(ct.PreferredDay), ct.PreferredDay != 0), nullInt(hour, hasHour),
				nullInt(int(bd.Month)*100+bd.Day, !bd.IsZero()))
			for j, p := range ct.Phones {
				b.add(tContactTel, tn, id, i, j, p.String())
			}
		}
	}
	if only.has(tInfo) {
		for k, v := range c.Info {
			b.add(tInfo, tn, id, k, v)
		}
	}
	words := map[customer.Field]string{}
	for _, k := range rec.Keys {
		if wordKey(k.Field) {
			if !only.has(tWords) {
				continue
			}
			ws, ok := words[k.Field]
			if !ok {
				ws = wordsOf(rec.Keys, k.Field)
				words[k.Field] = ws
			}
			b.add(tWords, tn, id, int(k.Field), k.Value, activity, ws)
		} else if only.has(tKeys) {
			b.add(tKeys, tn, id, k.Field.String(), k.Value)
		}
	}
}

// Insert implements [storage.Driver].
func (d *Driver) Insert(ctx context.Context, rec storage.Record) error {
	for attempt := 1; ; attempt++ {
		err := d.insert(ctx, rec)
		if !errors.Is(err, errVanished) || attempt == 3 {
			return err
		}
	}
}

// insert is one attempt of Insert.
func (d *Driver) insert(ctx context.Context, rec storage.Record) error {
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		b := newBatch()
		d.addRecord(b, rec, false, rec.Customer.UpdatedAt.UnixMicro())
		if d.dialect.writeCTE && rec.Change != nil {
			return d.insertWhole(ctx, tx, rec, b)
		}
		if err := d.flush(ctx, tx, b); err != nil {
			return err
		}
		// Checked once the transaction writes: SQLite's deferred
		// transaction that reads first may not be able to write later.
		if merged, err := d.redirected(ctx, tx, rec.Tenant, rec.Customer.ID); err != nil || merged {
			if merged {
				return storage.ErrExists
			}
			return err
		}
		return d.appendChanges(ctx, tx, rec.Tenant, changesOf(rec))
	})
	return d.explainUnique(ctx, rec, true, err)
}

// insertWhole is Insert's work in tx in two statements (PostgreSQL, see
// Dialect.writeCTE): the customers row and, in WITH clauses, the rows of
// b's other tables and the change-log entry; then the look-up of a
// redirect from a merge that holds the ID, which makes it ErrExists (the
// transaction then writes nothing). The look-up is a statement of its
// own, after the insert: a merge that retires the ID commits while the
// insert waits for the row it deletes, and only a statement begun after
// that sees its redirect.
func (d *Driver) insertWhole(ctx context.Context, tx *sql.Tx, rec storage.Record, b *batch) error {
	var q strings.Builder
	var args []any
	for i, t := range b.tables {
		ins, a := unnestInsert(t, b.rows[t.name])
		switch {
		case t.name == tCustomers.name:
			q.WriteString("WITH c AS (" + ins + " RETURNING id)")
		case i == 0:
			return errors.New("sqlstore: a new customer's rows start with its customers row")
		default:
			q.WriteString(", t" + strconv.Itoa(i) + " AS (" + ins + ")")
		}
		args = append(args, a...)
	}
	entry, err := d.logArgs(rec.Tenant, rec.Change)
	if err != nil {
		return err
	}
	q.WriteString(logCTEs("c") + " SELECT last FROM s")
	args = append(args, entry...)
	var seq int64
	if err := d.queryRow(ctx, tx, d.dialect.rebind(q.String()), args...).Scan(&seq); err != nil {
		return err
	}
	if merged, err := d.redirected(ctx, tx, rec.Tenant, rec.Customer.ID); err != nil || merged {
		if merged {
			return storage.ErrExists
		}
		return err
	}
	rec.Change.Seq = seq
	return nil
}

// redirected reports whether the tenant's id was merged into another
// customer: an ID no new customer may take.
func (d *Driver) redirected(ctx context.Context, tx *sql.Tx, tenant string, id uuid.UUID) (bool, error) {
	var one int
	err := d.queryRow(ctx, tx, d.dialect.rebind("SELECT 1 FROM redirects WHERE tenant = ? AND id = ?"), tenant, id.String()).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// idList returns the IDs of records.
func idList(recs []storage.Record) []uuid.UUID {
	out := make([]uuid.UUID, len(recs))
	for i, r := range recs {
		out[i] = r.Customer.ID
	}
	return out
}

// changesOf returns the change-log entries of records, nil ones left out.
func changesOf(recs ...storage.Record) []*storage.Change {
	var out []*storage.Change
	for _, r := range recs {
		if r.Change != nil {
			out = append(out, r.Change)
		}
	}
	return out
}

// explainUnique turns a unique violation of a write into the contract's
// error: for an insert (created), the tenant has the ID (a customer or a
// merge's redirect holds it), said first as the memory adapter and a bulk
// insert's precheck say it; or else, for any write, the tax ID is held by
// another customer. It looks, after the failed transaction is gone, at
// which is true.
func (d *Driver) explainUnique(ctx context.Context, rec storage.Record, created bool, err error) error {
	var de *dbError
	if err == nil || !errors.As(err, &de) || de.class != Unique {
		return err
	}
	if created {
		if err := d.idTaken(ctx, rec); err != nil {
			return err
		}
	}
	if err := d.taxTaken(ctx, rec); err != nil {
		return err
	}
	// The writer that held the ID or the tax ID has gone since (deleted,
	// or merged and its redirect not yet visible): nothing is taken now.
	return errVanished
}

// idTaken returns ErrExists when a customer or a merge's redirect holds
// rec's ID, nil when none does, or the error of looking.
func (d *Driver) idTaken(ctx context.Context, rec storage.Record) error {
	var one int
	qerr := d.queryRow(ctx, nil, d.q.idExists, rec.Tenant, rec.Customer.ID.String()).Scan(&one)
	if qerr == nil {
		return storage.ErrExists
	}
	if !errors.Is(qerr, sql.ErrNoRows) {
		return d.fail(ctx, qerr)
	}
	merged, qerr := d.redirected(ctx, nil, rec.Tenant, rec.Customer.ID)
	if qerr != nil {
		return d.fail(ctx, qerr)
	}
	if merged {
		return storage.ErrExists
	}
	return nil
}

// taxTaken returns a DuplicateTaxIDError when another customer holds
// rec's tax ID, nil when none does, or the error of looking.
func (d *Driver) taxTaken(ctx context.Context, rec storage.Record) error {
	tax := rec.Customer.TaxID.String()
	if tax == "" {
		return nil
	}
	var holder uuid.UUID
	qerr := d.queryRow(ctx, nil, d.q.taxHolder, rec.Tenant, tax, rec.Customer.ID.String()).Scan(&holder)
	if qerr == nil {
		return &storage.DuplicateTaxIDError{HolderID: holder}
	}
	if !errors.Is(qerr, sql.ErrNoRows) {
		return d.fail(ctx, qerr)
	}
	return nil
}

// errVanished is explainUnique's answer when what collided is gone by the
// time it looks: Insert tries again, and a caller that still meets it
// gets storage.ErrConflict.
var errVanished = fmt.Errorf("%w: what the write collided with is gone", storage.ErrConflict)

// InsertMany implements [storage.Driver]. Each chunk of records is first
// checked for taken IDs and tax IDs, then written in one transaction with
// multi-row INSERTs; if that transaction fails (another writer got in
// between), the chunk's records are written one by one, so that each
// succeeds or fails on its own. Server databases write several chunks at
// once, each in its own transaction (Dialect.writers); a tax ID repeated
// in two chunks is caught by the unique index and retried record by record.
func (d *Driver) InsertMany(ctx context.Context, recs []storage.Record) []error {
	errs := make([]error, len(recs))
	writers := max(d.dialect.writers, 1)
	chunk := max(d.dialect.bulkChunk, 1)
	sem := make(chan struct{}, writers)
	var wg sync.WaitGroup
	for start := 0; start < len(recs); start += chunk {
		end := min(start+chunk, len(recs))
		if err := ctx.Err(); err != nil {
			for i := start; i < end; i++ {
				errs[i] = err
			}
			continue
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			d.insertChunk(ctx, recs[start:end], errs[start:end])
		})
	}
	wg.Wait()
	if d.dialect.autoAnalyze {
		d.maybeAnalyze(ctx, recs, errs)
	}
	return errs
}

// maybeAnalyze refreshes the planner's statistics once bulk inserts have
// grown the tables by a fifth (and at least analyzeMin customers) since the
// last refresh, so that plans keep up with a migration into empty tables.
// A failure here is not the caller's: the rows are written.
func (d *Driver) maybeAnalyze(ctx context.Context, recs []storage.Record, errs []error) {
	n := int64(0)
	for i := range recs {
		if errs[i] == nil {
			n++
		}
	}
	total := d.bulkRows.Add(n)
	last := d.analyzedAt.Load()
	if total-last < max(analyzeMin, last/5) || !d.analyzedAt.CompareAndSwap(last, total) {
		return
	}
	// Statistics only, of the tables a bulk create fills: a vacuum of the
	// whole database does not belong in a caller's CreateMany.
	_ = d.analyze(ctx, []string{tCustomers.name}, false)
}

// analyzeMin is the fewest customers bulk-inserted between two automatic
// refreshes of statistics.
const analyzeMin = 5000

func (d *Driver) insertChunk(ctx context.Context, recs []storage.Record, errs []error) {
	// One batch: the first row added to it is a customers row, so every
	// parent is inserted before any child.
	write := func(conn *sql.Conn, tx *sql.Tx) error {
		b := newBatch()
		var written []storage.Record
		for i, rec := range recs {
			if errs[i] == nil {
				d.addRecord(b, rec, false, rec.Customer.UpdatedAt.UnixMicro())
				written = append(written, rec)
			}
		}
		if len(written) == 0 {
			return nil
		}
		put := func(b *batch) error { return d.flush(ctx, tx, b) }
		if d.copier != nil {
			put = func(b *batch) error { return d.copyRows(ctx, conn, b) }
		}
		if err := put(b); err != nil {
			return err
		}
		return d.appendChangesWith(ctx, tx, written[0].Tenant, changesOf(written...), put)
	}
	if err := d.precheck(ctx, recs, errs); err != nil {
		for i := range errs {
			if errs[i] == nil {
				errs[i] = err
			}
		}
		return
	}
	err := d.inConnTx(ctx, write)
	if err == nil {
		return
	}
	if ctx.Err() != nil {
		for i := range errs {
			if errs[i] == nil {
				errs[i] = d.fail(ctx, err)
			}
		}
		return
	}
	for i, rec := range recs {
		if errs[i] == nil {
			errs[i] = d.Insert(ctx, rec)
		}
	}
}

// precheck marks the records whose ID or tax ID is already taken.
func (d *Driver) precheck(ctx context.Context, recs []storage.Record, errs []error) error {
	if len(recs) == 0 {
		return nil
	}
	ids := make([]any, len(recs))
	for i, rec := range recs {
		ids[i] = rec.Customer.ID.String()
	}
	tenant := recs[0].Tenant
	taken := map[uuid.UUID]bool{}
	q, args := d.inList("SELECT id FROM customers WHERE tenant = ? AND id", ids, "uuid")
	rows, err := d.query(ctx, nil, q, append([]any{tenant}, args...)...)
	if err != nil {
		return d.fail(ctx, err)
	}
	for rows.Next() {
		var id uuid.UUID
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return d.fail(ctx, err)
		}
		taken[id] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return d.fail(ctx, err)
	}
	var taxes []any
	for _, rec := range recs {
		if t := rec.Customer.TaxID.String(); t != "" {
			taxes = append(taxes, t)
		}
	}
	holders := map[string]uuid.UUID{}
	if len(taxes) > 0 {
		q, args := d.inList("SELECT tax_id, id FROM customers WHERE tenant = ? AND tax_id", taxes, "text")
		rows, err := d.query(ctx, nil, q, append([]any{tenant}, args...)...)
		if err != nil {
			return d.fail(ctx, err)
		}
		for rows.Next() {
			var tax string
			var id uuid.UUID
			if err := rows.Scan(&tax, &id); err != nil {
				rows.Close()
				return d.fail(ctx, err)
			}
			holders[tax] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return d.fail(ctx, err)
		}
	}
	redirected, err := d.Redirects(ctx, tenant, idList(recs))
	if err != nil {
		return err
	}
	for id := range redirected {
		taken[id] = true
	}
	for i, rec := range recs {
		if taken[rec.Customer.ID] {
			errs[i] = storage.ErrExists
		} else if h, ok := holders[rec.Customer.TaxID.String()]; ok && rec.Customer.TaxID.String() != "" {
			errs[i] = &storage.DuplicateTaxIDError{HolderID: h}
		}
	}
	return nil
}

// Update implements [storage.Driver]. The conditional UPDATE of the
// customers row comes first, so that the transaction takes its write lock
// at once and a stale version is caught before anything is written.
func (d *Driver) Update(ctx context.Context, rec storage.Record, expect int64) (time.Time, error) {
	d.ahead(ctx, d.updateStatement(rec.Touched))
	var created time.Time
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		created, err = d.replace(ctx, tx, rec, expect, nil)
		return err
	})
	if err != nil {
		return time.Time{}, d.explainUnique(ctx, rec, false, err)
	}
	return created, nil
}

// replace is Update's work in tx: it replaces the stored aggregate with
// rec's if the stored version is expect, runs then (when set) before the
// change-log entry is appended, and returns the stored creation time.
func (d *Driver) replace(ctx context.Context, tx *sql.Tx, rec storage.Record, expect int64, then func() error) (time.Time, error) {
	c := rec.Customer
	var only tableSet             // the child tables to compare and write: all
	var storedKeys []customer.Key // rec.Stored's search keys, once made
	if rec.Stored != nil {
		only, storedKeys = touchedTables(rec.Stored, rec)
		if len(only) == 0 && d.dialect.writeCTE && then == nil && len(changesOf(rec)) == 1 {
			// Only the customers row changed: one statement.
			ts, ok, err := d.updateRow(ctx, tx, rec, expect)
			if err != nil || ok {
				return ts, err
			}
		}
	}
	var ts, last timeValue
	if d.dialect.returning {
		// The update returns the creation and attendance times itself.
		err := d.queryRow(ctx, tx, d.updateStatement(rec.Touched), d.updateArgs(rec, expect)...).Scan(&ts, &last)
		if errors.Is(err, sql.ErrNoRows) {
			return time.Time{}, d.missingOrStale(ctx, tx, rec.Tenant, c.ID)
		}
		if err != nil {
			return time.Time{}, err
		}
	} else {
		res, err := d.exec(ctx, tx, d.updateStatement(rec.Touched), d.updateArgs(rec, expect)...)
		if err != nil {
			return time.Time{}, err
		}
		if n, err := res.RowsAffected(); err != nil {
			return time.Time{}, err
		} else if n == 0 {
			return time.Time{}, d.missingOrStale(ctx, tx, rec.Tenant, c.ID)
		}
		if err := d.queryRow(ctx, tx, d.q.createdAt, rec.Tenant, c.ID.String()).Scan(&ts, &last); err != nil {
			return time.Time{}, err
		}
	}
	if rec.Stored != nil && !ts.t.Equal(rec.Stored.CreatedAt) {
		// Not the record the Store read: deleted and another created
		// under its ID, at the same version, since. The change was made
		// against the first: it does not apply to the second.
		return time.Time{}, storage.ErrConflict
	}
	// The update wrote its own time as the activity; an attendance the
	// clock puts later keeps it.
	activity := storage.Rank(c.UpdatedAt, last.t)
	if activity != c.UpdatedAt.UnixMicro() {
		if _, err := d.exec(ctx, tx, d.q.activity, activity, rec.Tenant, c.ID.String(), activity); err != nil {
			return time.Time{}, err
		}
	}
	if err := d.replaceChildren(ctx, tx, rec, storedKeys, activity, only); err != nil {
		return time.Time{}, err
	}
	if then != nil {
		if err := then(); err != nil {
			return time.Time{}, err
		}
	}
	return ts.t, d.appendChanges(ctx, tx, rec.Tenant, changesOf(rec))
}

// replaceChildren writes the sub-record, key and word rows of rec, its
// words at activity. Without rec.Stored it deletes every row and inserts
// them all again; with it, it compares the rows of the tables of only
// (see touchedTables: the others hold the stored rows), rewrites those
// tables whose rows differ from the stored customer's, deletes and
// inserts only the search keys that changed, and moves unchanged words to
// the new activity in place. (The stored rows are what this code derives
// from the stored customer: a release that changes a derivation
// back-fills it in a migration.) storedKeys are rec.Stored's search keys
// when the caller made them already; nil, they are made here if needed.
func (d *Driver) replaceChildren(ctx context.Context, tx *sql.Tx, rec storage.Record, storedKeys []customer.Key, activity int64, only tableSet) error {
	tn, id := rec.Tenant, rec.Customer.ID.String()
	nb := newBatch()
	d.addRecordOf(nb, rec, true, activity, only)
	changed := func(t table) bool { return true }
	if prev := rec.Stored; prev != nil {
		ob := newBatch()
		keys := storedKeys
		if keys == nil && (only.has(tKeys) || only.has(tWords)) {
			keys = prev.SearchKeys()
		}
		d.addRecordOf(ob, storage.Record{Tenant: tn, Customer: prev, Keys: keys}, true, activity, only)
		diff := map[string]bool{}
		for _, t := range childTables {
			switch {
			case !only.has(t):
			case t.name == tInfo.name:
				diff[t.name] = !maps.Equal(prev.Info, rec.Customer.Info)
			default:
				diff[t.name] = !sameRows(ob.rows[t.name], nb.rows[t.name])
			}
		}
		// A contact's phones hang off it: the two go together.
		if diff[tContacts.name] || diff[tContactTel.name] {
			diff[tContacts.name], diff[tContactTel.name] = true, true
		}
		// Of the search keys, only those that changed.
		if diff[tKeys.name] {
			if err := d.swapKeys(ctx, tx, tn, id, ob.rows[tKeys.name], nb.rows[tKeys.name]); err != nil {
				return err
			}
			diff[tKeys.name] = false
		}
		// Unchanged words keep their rows, at the new activity.
		if !diff[tWords.name] {
			if _, err := d.exec(ctx, tx, d.q.wordActivity, activity, tn, id, activity); err != nil {
				return err
			}
		}
		changed = func(t table) bool { return diff[t.name] }
	}
	for _, t := range childTables {
		if !changed(t) {
			continue
		}
		if _, err := d.exec(ctx, tx, d.q.deleteChildren[t.name], tn, id); err != nil {
			return err
		}
	}
	b := newBatch()
	for _, t := range nb.tables {
		if changed(t) {
			for _, r := range nb.rows[t.name] {
				b.add(t, r...)
			}
		}
	}
	return d.flush(ctx, tx, b)
}

// sameRows reports whether two tables' rows hold the same values in the
// same order. Row values are strings, numbers, booleans and nils, which
// compare with ==.
func sameRows(a, b [][]any) bool {
	return slices.EqualFunc(a, b, func(x, y []any) bool {
		return slices.EqualFunc(x, y, func(u, v any) bool { return u == v })
	})
}

// swapKeys deletes the customer's search keys in old and not in now, and
// inserts those in now and not in old (rows of tKeys).
func (d *Driver) swapKeys(ctx context.Context, tx *sql.Tx, tn, id string, old, now [][]any) error {
	key := func(r []any) [2]any { return [2]any{r[2], r[3]} }
	had := make(map[[2]any]bool, len(old))
	for _, r := range old {
		had[key(r)] = true
	}
	has := make(map[[2]any]bool, len(now))
	b := newBatch()
	for _, r := range now {
		has[key(r)] = true
		if !had[key(r)] {
			b.add(tKeys, r...)
		}
	}
	for _, r := range old {
		if !has[key(r)] {
			if _, err := d.exec(ctx, tx, d.q.deleteKey, tn, id, r[2], r[3]); err != nil {
				return err
			}
		}
	}
	return d.flush(ctx, tx, b)
}

// raiseActivity makes at the activity of the tenant's customer id, and
// of its words, where that is later than theirs: an attendance's time.
func (d *Driver) raiseActivity(ctx context.Context, tx *sql.Tx, tenant, id string, at time.Time) error {
	us := at.UnixMicro()
	if _, err := d.exec(ctx, tx, d.q.activity, us, tenant, id, us); err != nil {
		return err
	}
	_, err := d.exec(ctx, tx, d.q.wordActivity, us, tenant, id, us)
	return err
}

// missingOrStale tells why a conditional write touched no row.
func (d *Driver) missingOrStale(ctx context.Context, tx *sql.Tx, tenant string, id uuid.UUID) error {
	var v int64
	err := d.queryRow(ctx, tx, d.q.version, tenant, id.String()).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return storage.ErrNotFound
	}
	if err != nil {
		return err
	}
	return storage.ErrConflict
}

// Delete implements [storage.Driver]. Foreign keys cascade the delete to
// every sub-record and search key.
func (d *Driver) Delete(ctx context.Context, tenant string, id uuid.UUID, expect int64, created time.Time, change *storage.Change) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		if !created.IsZero() {
			// The row is locked until the delete: no other customer can
			// take the ID between the look and the delete.
			var ts timeValue
			err := d.queryRow(ctx, tx, d.q.lockCreated, tenant, id.String()).Scan(&ts)
			if errors.Is(err, sql.ErrNoRows) {
				return storage.ErrNotFound
			}
			if err != nil {
				return err
			}
			if !ts.t.Equal(created) {
				return storage.ErrConflict
			}
		}
		res, err := d.exec(ctx, tx, d.q.deleteCustomer, tenant, id.String(), expect)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return d.missingOrStale(ctx, tx, tenant, id)
		}
		return d.appendChanges(ctx, tx, tenant, changeList(change))
	})
}

// Count implements [storage.Driver].
func (d *Driver) Count(ctx context.Context, tenant string) (int64, error) {
	var n int64
	if err := d.queryRow(ctx, nil, d.q.count, tenant).Scan(&n); err != nil {
		return 0, d.fail(ctx, err)
	}
	return n, nil
}

// queries are the fixed statements, rebound for the dialect once.
type queries struct {
	taxHolder, idExists, createdAt, version, deleteCustomer, count string
	getCustomer                                                    string
	bumpSeq, lastSeq, history, changes                             string
	lastAttendance, updateItem                                     string
	touchFresh, attend                                             [attendance.AllSections + 1]string
	activity, wordActivity                                         string
	getCustomers                                                   string
	freshness                                                      string
	getWhole                                                       string
	deleteKey                                                      string
	// anonymised reads a customer's anonymisation mark and shareCustomer
	// share-locks its row, in a write's transaction (see refuseAnonymised
	// and shareCustomer): on MySQL both lock, as its plain reads would
	// read the transaction's first snapshot.
	anonymised, shareCustomer string
	// lockCreated reads a customer's creation time and locks its row for
	// the delete that follows, in a write's transaction.
	lockCreated              string
	deleteChildren           map[string]string
	children                 map[string]string
	childrenMany, childOrder map[string]string
}

func buildQueries(d Dialect) queries {
	q := queries{
		taxHolder:      "SELECT id FROM customers WHERE tenant = ? AND tax_id = ? AND id <> ?",
		idExists:       "SELECT 1 FROM customers WHERE tenant = ? AND id = ?",
		createdAt:      "SELECT created_at, last_attendance_at FROM customers WHERE tenant = ? AND id = ?",
		activity:       "UPDATE customers SET activity = ? WHERE tenant = ? AND id = ? AND activity < ?",
		wordActivity:   "UPDATE word_keys SET activity = ? WHERE tenant = ? AND customer_id = ? AND activity < ?",
		version:        "SELECT version FROM customers WHERE tenant = ? AND id = ?",
		deleteKey:      "DELETE FROM search_keys WHERE tenant = ? AND customer_id = ? AND field = ? AND value = ?",
		deleteCustomer: "DELETE FROM customers WHERE tenant = ? AND id = ? AND version = ?",
		count:          "SELECT COUNT(*) FROM customers WHERE tenant = ?",
		getCustomer:    "SELECT " + strings.Join(tCustomers.readNames("tenant"), ", ") + " FROM customers WHERE tenant = ? AND id = ?",
		getCustomers:   "SELECT " + strings.Join(tCustomers.readNames("tenant"), ", ") + " FROM customers WHERE tenant = ? AND id",
		freshness:      "SELECT " + strings.Join(freshColumns(), ", ") + " FROM customers WHERE tenant = ? AND id = ?",
		lastSeq:        "SELECT last FROM change_seq WHERE tenant = ?",
		history: "SELECT " + strings.Join(tChanges.names("tenant"), ", ") + " FROM changes " +
			"WHERE tenant = ? AND customer_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?",
		changes: "SELECT " + strings.Join(tChanges.names("tenant"), ", ") + " FROM changes " +
			"WHERE tenant = ? AND seq > ? ORDER BY seq LIMIT ?",
		bumpSeq: d.bumpSeq,
		updateItem: "UPDATE agenda_items SET " + strings.Join(tItems.names("tenant", "id", "created_at"), " = ?, ") + " = ? " +
			"WHERE tenant = ? AND id = ? AND version = ?",
		lastAttendance: "UPDATE customers SET last_attendance_at = ? WHERE tenant = ? AND id = ? " +
			"AND (last_attendance_at IS NULL OR last_attendance_at < ?)",
		deleteChildren: map[string]string{},
		children:       map[string]string{},
		childrenMany:   map[string]string{},
		childOrder:     map[string]string{},
	}
	for _, t := range childTables {
		q.deleteChildren[t.name] = d.rebind("DELETE FROM " + t.name + " WHERE tenant = ? AND customer_id = ?")
		order := " ORDER BY position"
		switch t.name {
		case tContactTel.name:
			order = " ORDER BY contact_position, position"
		case tInfo.name, tKeys.name, tWords.name:
			order = ""
		}
		sel := "SELECT " + strings.Join(t.readNames("tenant"), ", ") + " FROM " + t.name + " WHERE tenant = ? AND customer_id"
		q.children[t.name] = d.rebind(sel + " = ?" + order)
		// childrenMany is completed by inList with the IDs; rows of one
		// customer stay in position order.
		q.childrenMany[t.name] = sel
		q.childOrder[t.name] = order
	}
	q.anonymised = "SELECT 1 FROM customer_info WHERE tenant = ? AND customer_id = ? AND info_key = ?"
	q.shareCustomer = "SELECT 1 FROM customers WHERE tenant = ? AND id = ?"
	q.lockCreated = "SELECT created_at FROM customers WHERE tenant = ? AND id = ?"
	switch d.name {
	case postgresDialect.name:
		q.shareCustomer += " FOR SHARE"
		q.lockCreated += " FOR UPDATE"
	case mysqlDialect.name:
		q.anonymised += " LOCK IN SHARE MODE"
		q.shareCustomer += " LOCK IN SHARE MODE"
		q.lockCreated += " FOR UPDATE"
	}
	if d.rowJSON != nil {
		q.getWhole = d.rebind(wholeSelect(d, func(col string) string { return col + " = ?" }))
	}
	if d.returning {
		q.bumpSeq += " RETURNING last"
	}
	// touchFresh[m] makes the sections of mask m fresh in one statement.
	for m := range q.touchFresh {
		if m > 0 {
			q.touchFresh[m] = d.rebind(touchStatement(attendance.Section(m)))
		}
		q.attend[m] = d.rebind(attendStatement(attendance.Section(m)))
	}
	for _, s := range []*string{&q.taxHolder, &q.idExists, &q.createdAt, &q.version, &q.deleteCustomer, &q.count, &q.getCustomer,
		&q.bumpSeq, &q.lastSeq, &q.history, &q.changes, &q.lastAttendance, &q.updateItem, &q.activity, &q.wordActivity, &q.deleteKey, &q.freshness, &q.anonymised, &q.shareCustomer, &q.lockCreated} {
		*s = d.rebind(*s)
	}
	return q
}

// insertUnnest inserts rows into t with one text array per column, each
// element cast to the column's type.
func (d *Driver) insertUnnest(ctx context.Context, tx *sql.Tx, t table, rows [][]any) error {
	q, args := unnestInsert(t, rows)
	_, err := tx.ExecContext(ctx, d.dialect.rebind(q), args...)
	return err
}

// unnestInsert is the INSERT of rows into t from one text array per
// column, each element cast to the column's type, with ? placeholders,
// and its arguments.
func unnestInsert(t table, rows [][]any) (string, []any) {
	cols := make([][]*string, len(t.cols))
	for i := range cols {
		cols[i] = make([]*string, len(rows))
	}
	for r, row := range rows {
		for c, v := range row {
			cols[c][r] = textArg(v)
		}
	}
	var sel, un []string
	for _, c := range t.cols {
		expr := "u." + c.name
		if c.pg != "" {
			expr += "::" + c.pg
		}
		sel = append(sel, expr)
		un = append(un, "?::text[]")
	}
	names := strings.Join(t.names(), ", ")
	q := "INSERT INTO " + t.name + " (" + names + ") SELECT " + strings.Join(sel, ", ") +
		" FROM unnest(" + strings.Join(un, ", ") + ") AS u(" + names + ")"
	args := make([]any, len(cols))
	for i, c := range cols {
		args[i] = c
	}
	return q, args
}

// textArg renders a column value as PostgreSQL reads it from text.
func textArg(v any) *string {
	var s string
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		s = x
	case int:
		s = strconv.Itoa(x)
	case int64:
		s = strconv.FormatInt(x, 10)
	case bool:
		s = strconv.FormatBool(x)
	case time.Time:
		s = x.UTC().Format(time.RFC3339Nano)
	default:
		s = fmt.Sprint(x)
	}
	return &s
}

// inList completes prefix (a query ending in a column) with a membership
// test of values, and returns the rebound query and the values' arguments.
// PostgreSQL gets "= ANY(?::typ[])" with one array argument, so that the
// statement is the same whatever the number of values and its cached plan
// stays an index probe; the others get "IN (?, ?, ...)". Arguments that
// precede the list are the caller's to prepend.
func (d *Driver) inList(prefix string, values []any, typ string) (string, []any) {
	cond, args := d.in(prefix, values, typ)
	return d.dialect.rebind(cond), args
}
