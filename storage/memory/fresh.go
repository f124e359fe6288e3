package memory

import (
	"math/bits"
	"time"

	"github.com/fichacrm/ficha/attendance"
)

// The sections fit in a byte: a section added to the record must widen
// sectionTimes too (this stops compiling when it is not).
const _ = uint8(attendance.AllSections)

// sectionTimes is when each section of one customer was last confirmed: a
// fixed array of microseconds rather than a map per customer. The store
// hands drivers UTC times to the microsecond (storage.Timestamp), so
// nothing is lost.
type sectionTimes struct {
	set attendance.Section // the sections that have a time
	at  [8]int64           // Unix microseconds, by the section's bit
}

// touch makes the sections fresh as of at, where that is later.
func (f *sectionTimes) touch(sections attendance.Section, at time.Time) {
	us := at.UnixMicro()
	for _, s := range sections.Each() {
		i := bits.TrailingZeros16(uint16(s))
		if f.set&s == 0 || us > f.at[i] {
			f.at[i] = us
			f.set |= s
		}
	}
}

// get returns the time of one section, and whether it has one.
func (f *sectionTimes) get(s attendance.Section) (time.Time, bool) {
	if f == nil || f.set&s == 0 {
		return time.Time{}, false
	}
	return time.UnixMicro(f.at[bits.TrailingZeros16(uint16(s))]).UTC(), true
}

// freshness returns the times as the storage contract hands them out.
func (f *sectionTimes) freshness() attendance.Freshness {
	out := attendance.Freshness{}
	if f == nil {
		return out
	}
	for _, s := range f.set.Each() {
		out[s], _ = f.get(s)
	}
	return out
}
