//go:build !race

package storagetest

// raceDetector reports whether the race detector is on (see race.go).
const raceDetector = false
