package sheet

import (
	"sync"
	"time"
)

// defaultZone is the time zone of a sheet whose options name none: the
// dealership is in Brazil, and most of Brazil keeps the time of Brasília.
const defaultZone = "America/Sao_Paulo"

// brt stands in for America/Sao_Paulo where the time-zone database is
// missing (a minimal container, a Windows machine without Go installed).
//
// Ficha does not import time/tzdata for its hosts: that would add about
// 450 KB to every program that prints a sheet, for the few machines that
// lack the database, and a program can import it itself. Instead, the
// sheet falls back to a fixed UTC−03:00 named "BRT", Brasília time.
// Brazil abolished daylight saving time in 2019, so São Paulo has kept
// UTC−03:00 since; for an older summer time, BRT reads one hour behind
// the clocks of the day, but the label names the offset actually used,
// so the time printed is never wrong, only given in standard time.
var brt = time.FixedZone("BRT", -3*60*60)

// saoPaulo returns America/Sao_Paulo, or brt where it cannot be loaded.
// It is loaded once, on first use, because loading reads and parses a
// file; the location never changes afterwards.
var saoPaulo = sync.OnceValue(func() *time.Location { return zone(defaultZone, brt) })

// zone loads the named location, or returns fallback if it cannot.
func zone(name string, fallback *time.Location) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return fallback
	}
	return loc
}
