// Package readme holds no code: its test type-checks every Go block of
// the module's README.md against the module's real API, so that the code
// a newcomer copies from the README compiles.
package readme
