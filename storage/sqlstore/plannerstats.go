package sqlstore

import "context"

// wordPlanStats are the sqlite_stat1 rows Ficha keeps for word_keys, in
// the proportions of a million customers: six words per customer, ten
// customers per word.
//
// Without statistics, SQLite (3.54) plans a change of one customer's
// words (the activity an attendance bumps, the rows an update replaces,
// the cascade of a deletion) on the primary key's tenant prefix, which is
// every word of the tenant, rather than on word_keys_customer: a deletion
// took 350 ms at 100k customers, an attendance's update 9 ms at 1M,
// against well under a millisecond. Statistics of word_keys alone steer
// those statements to word_keys_customer and leave the searches, which
// name a field and a word, on the primary key. No sqlite_stat4 samples are
// written: with them SQLite would compile statements again for their
// bound values, which measured three times slower on look-ups (see
// [Driver.Analyze]).
var wordPlanStats = []struct{ index, stat string }{
	{"word_keys", "1000000 1000000 500000 10 2 1"},
	{"word_keys_customer", "1000000 1000000 6"},
}

// pinWordPlan writes wordPlanStats over whatever statistics word_keys had
// and has this connection load them; others load them with the next
// change of the schema they see (Migrate runs before a store is used; a
// load's EndLoad writes them in the transaction that rebuilds the table).
// SQLite only.
func pinWordPlan(ctx context.Context, ex execer) error {
	// ANALYZE of sqlite_schema creates the statistics tables if they are
	// missing and reads them, and analyses no table.
	if _, err := ex.ExecContext(ctx, "ANALYZE sqlite_schema"); err != nil {
		return err
	}
	if _, err := ex.ExecContext(ctx, "DELETE FROM sqlite_stat1 WHERE tbl = ?", tWords.name); err != nil {
		return err
	}
	// Samples a host's own ANALYZE took of word_keys would be read beside
	// these figures, and make SQLite compile statements for their values.
	var stat4 int
	if err := ex.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat4'").Scan(&stat4); err != nil {
		return err
	}
	if stat4 > 0 {
		if _, err := ex.ExecContext(ctx, "DELETE FROM sqlite_stat4 WHERE tbl = ?", tWords.name); err != nil {
			return err
		}
	}
	for _, s := range wordPlanStats {
		if _, err := ex.ExecContext(ctx, "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", tWords.name, s.index, s.stat); err != nil {
			return err
		}
	}
	_, err := ex.ExecContext(ctx, "ANALYZE sqlite_schema")
	return err
}
