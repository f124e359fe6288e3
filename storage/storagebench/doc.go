// Package storagebench holds the storage benchmarks: each adapter loaded
// with N synthetic customers (valid CPFs and CNPJs, phones, plates, VINs,
// Brazilian names with accents), then timed at bulk loading, getting by ID
// and every kind of look-up. See BENCHMARKS.md for the command and the
// measured table.
package storagebench
