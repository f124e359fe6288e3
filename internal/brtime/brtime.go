// Package brtime gives the dealership's default time zone,
// America/Sao_Paulo, with a fallback where the time-zone database is
// missing: the one place the sheet and the agenda take it from.
package brtime

import (
	"sync"
	"time"
)

// DefaultZone is the zone a dealership is in unless it says otherwise:
// most of Brazil keeps the time of Brasília.
const DefaultZone = "America/Sao_Paulo"

// BRT stands in for America/Sao_Paulo where the time-zone database is
// missing (a minimal container, a Windows machine without Go installed).
//
// Ficha does not import time/tzdata for its hosts: that would add about
// 450 KB to every program, for the few machines that lack the database,
// and a program can import it itself. Instead it falls back to a fixed
// UTC−03:00 named "BRT", Brasília time. Brazil abolished daylight saving
// time in 2019, so São Paulo has kept UTC−03:00 since; for an older summer
// time, BRT reads one hour behind the clocks of the day, but the label
// names the offset actually used, so a time printed is never wrong, only
// given in standard time.
var BRT = time.FixedZone("BRT", -3*60*60)

// SaoPaulo returns America/Sao_Paulo, or BRT where it cannot be loaded.
// It is loaded once, on first use.
var SaoPaulo = sync.OnceValue(func() *time.Location { return Load(DefaultZone, BRT) })

// Load loads the named location, or returns fallback if it cannot.
func Load(name string, fallback *time.Location) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return fallback
	}
	return loc
}
