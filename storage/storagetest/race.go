//go:build race

package storagetest

// raceDetector reports whether the race detector is on: the suite then
// runs once, without its second pass under a host's options (which the
// plain run covers), since SQLite translated to Go runs fifteen times
// slower under the detector.
const raceDetector = true
