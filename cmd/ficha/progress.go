package main

import (
	"fmt"
	"strings"
	"time"
)

// bar is a progress bar on stderr, redrawn in place at most ten times a
// second; a run without a terminal (or with -progress off) draws none.
type bar struct {
	e     *env
	label string
	drawn bool
	last  time.Time
}

// newBar returns the bar of a long command, labelled by a catalog key.
func (e *env) newBar(key string) *bar {
	return &bar{e: e, label: e.text(key)}
}

// set shows how far the work is: done of total (total 0: unknown).
func (b *bar) set(done, total int64) {
	if !b.e.progress || time.Since(b.last) < 100*time.Millisecond && done != total {
		return
	}
	b.last = time.Now()
	const width = 30
	line := fmt.Sprintf("%s %d", b.label, done)
	if total > 0 {
		filled := int(min(done, total) * width / total)
		line = fmt.Sprintf("%s [%s%s] %d/%d %3d%%", b.label, strings.Repeat("#", filled), strings.Repeat(".", width-filled),
			done, total, min(done, total)*100/total)
	}
	fmt.Fprint(b.e.stderr, "\r"+line+"\x1b[K")
	b.drawn = true
}

// clear takes the bar off its line, so that output can be written.
func (b *bar) clear() {
	if b.drawn {
		fmt.Fprint(b.e.stderr, "\r\x1b[K")
		b.drawn = false
	}
}

// done ends the bar's line.
func (b *bar) done() {
	if b.drawn {
		fmt.Fprintln(b.e.stderr)
		b.drawn = false
	}
}
