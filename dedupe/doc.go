// Package dedupe finds customers recorded twice and merges them: the
// scoring of a candidate pair with its reasons, and the rules by which two
// records become one. It is pure: values in, values out. The store calls
// it to look for candidates (storage.Store.Duplicates, LooksLike,
// ScanDuplicates) and to merge (storage.Store.Merge).
//
// A merge cannot be undone: the absorbed record's ID redirects to the
// survivor for good, and the change log keeps what each held.
package dedupe
