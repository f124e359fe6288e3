package agenda_test

import (
	"encoding/json"
	"testing"
	"time"
	_ "time/tzdata" // the zones of the clock-change cases, on any machine

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/agenda"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/validation"
)

var saoPaulo = time.FixedZone("BRT", -3*3600)

func TestNextSlot(t *testing.T) {
	t.Parallel()
	// Thursday 27 November 2031, 10:15 in São Paulo.
	from := time.Date(2031, 11, 27, 10, 15, 0, 0, saoPaulo)
	for _, tc := range []struct {
		name string
		day  contact.Weekday
		hour contact.Hour
		want time.Time
	}{
		{"later today", contact.AnyDay, contact.At(14), time.Date(2031, 11, 27, 14, 0, 0, 0, saoPaulo)},
		{"the hour has passed: tomorrow", contact.AnyDay, contact.At(8), time.Date(2031, 11, 28, 8, 0, 0, 0, saoPaulo)},
		{"no hour: nine o'clock", contact.AnyDay, contact.Hour{}, time.Date(2031, 11, 28, 9, 0, 0, 0, saoPaulo)},
		{"the preferred day", contact.Monday, contact.At(9), time.Date(2031, 12, 1, 9, 0, 0, 0, saoPaulo)},
		{"today is the day, hour to come", contact.Thursday, contact.At(16), time.Date(2031, 11, 27, 16, 0, 0, 0, saoPaulo)},
		{"today is the day, hour gone: next week", contact.Thursday, contact.At(9), time.Date(2031, 12, 4, 9, 0, 0, 0, saoPaulo)},
		{"midnight", contact.Saturday, contact.At(0), time.Date(2031, 11, 29, 0, 0, 0, 0, saoPaulo)},
	} {
		got := agenda.NextSlot(from, tc.day, tc.hour, saoPaulo)
		assert.True(t, got.Equal(tc.want), "%s: %v, want %v", tc.name, got, tc.want)
		assert.False(t, got.Before(from), tc.name)
	}
}

func TestValidateItem(t *testing.T) {
	t.Parallel()
	ok := agenda.Item{CustomerID: uuid.New(), Due: time.Now(), Status: agenda.Open, Subject: "ligar"}
	require.NoError(t, ok.Validate())
	var v *validation.Error
	bad := agenda.Item{Subject: "", Notes: "4111 1111 1111 1111", Channel: 99}
	require.ErrorAs(t, bad.Validate(), &v)
	for path, code := range map[string]string{"customer_id": "agenda.customer", "due": "agenda.due", "status": "agenda.status",
		"channel": "attendance.channel", "subject": "required"} {
		assert.True(t, v.Has(path, code), "%s %s: %v", path, code, v)
	}
	assert.NotContains(t, v.Error(), "4111")
}

func TestItemJSON(t *testing.T) {
	t.Parallel()
	it := agenda.Item{ID: uuid.New(), CustomerID: uuid.New(), Due: time.Date(2031, 1, 2, 3, 4, 5, 0, time.UTC), Status: agenda.Done,
		Subject: "x", Reschedules: []agenda.Reschedule{{From: time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2031, 1, 2, 3, 4, 5, 0, time.UTC)}}}
	b, err := json.Marshal(it)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"status":"done"`)
	var back agenda.Item
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, it, back)
	clone := it.Clone()
	clone.Reschedules[0].By = "changed"
	assert.Empty(t, it.Reschedules[0].By, "a clone shares nothing")
}

func TestNextSlotOddPreferences(t *testing.T) {
	t.Parallel()
	from := time.Date(2031, 11, 27, 10, 15, 0, 0, saoPaulo)
	got := agenda.NextSlot(from, contact.Weekday(99), contact.At(25), saoPaulo)
	assert.True(t, got.Equal(time.Date(2031, 11, 28, 9, 0, 0, 0, saoPaulo)), "no day and no hour: 9 o'clock, %v", got)
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	// 8 March 2026: New York's clocks jump from 2:00 to 3:00.
	jump := agenda.NextSlot(time.Date(2026, 3, 8, 0, 30, 0, 0, ny), contact.AnyDay, contact.At(2), ny)
	assert.Equal(t, 3, jump.Hour(), "the first hour that day has after 2:00: %v", jump)
	assert.Equal(t, 8, jump.Day())
}

func TestNextSlotMidnightSkipped(t *testing.T) {
	t.Parallel()
	sp, err := time.LoadLocation("America/Sao_Paulo")
	require.NoError(t, err)
	// 4 November 2018: São Paulo's clocks jumped from 0:00 to 1:00.
	got := agenda.NextSlot(time.Date(2018, 11, 3, 12, 0, 0, 0, sp), contact.Sunday, contact.At(0), sp)
	assert.Equal(t, 4, got.Day(), "%v", got)
	assert.Equal(t, 1, got.Hour(), "%v", got)
}
