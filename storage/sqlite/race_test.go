//go:build race

package sqlite_test

// raceDetector reports whether the race detector is on: SQLite translated
// to Go runs about fifteen times slower under it.
const raceDetector = true
