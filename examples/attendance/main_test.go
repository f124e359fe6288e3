package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/contact"
)

// TestAttendance runs the 15 steps offline, with the sheet written into
// a directory of the test's own.
func TestAttendance(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out, dir, false))
	text := out.String()
	first, _, _ := strings.Cut(text, "\n")
	assert.Equal(t, "Ficha attendance: the 15 steps of the attendance page, then the attendance, its follow-up and the customer's history, "+
		"on a temporary SQLite store (removed at exit), "+
		"offline, CEPs from an in-process table; the sheet is kept in "+dir, first)
	last := -1
	for step := 1; step <= 15; step++ {
		at := strings.Index(text, fmt.Sprintf("step %2d:", step))
		require.GreaterOrEqual(t, at, 0, "step %d ran", step)
		assert.Greater(t, at, last, "step %d ran in order", step)
		last = at
	}
	assert.Contains(t, text, "refused: tax_id — este campo não pode ser alterado")
	assert.Contains(t, text, "CEP 88015-200 looked up (in-process table): filled [street district city uf]")
	assert.Contains(t, text, "saved: version 1 -> 2 by Marina Costa, 15 fields changed")
	assert.Contains(t, text, "mastercard •••• 4444")

	// Around the steps: the attendance, confirming what the customer said
	// is current; the follow-up at the fleet manager's preferred day and
	// hour (the date varies, the weekday and hour do not).
	assert.Contains(t, text, "\nattendance recorded: in_person, for sales, by Marina Costa, "+
		"outcome \"proposta de duas Fiat Strada para a frota\"; confirmed as current: profile+phones+emails\n")
	assert.Regexp(t, `\nfollow-up scheduled: Thursday \d\d/\d\d/\d{4} 15:00 \(America/Sao_Paulo\), `+
		`Marina Costa to call Lucas Oliveira about "retorno sobre a proposta da frota"\n`, text)

	// The history, newest first: the follow-up and the attendance, then
	// the attendant's update, each field with its old and new value, then
	// the DMS's creation.
	history := between(t, text, "History of José Carlos de Oliveira, newest first:\n", "\n\n")
	assert.Regexp(t, `^  #4 \d\d/\d\d/\d{4} \d\d:\d\d  Marina Costa \(desk\)  schedule, 6 fields\n`, history)
	assert.Regexp(t, `\n  #3 \d\d/\d\d/\d{4} \d\d:\d\d  Marina Costa \(desk\)  attend, 6 fields\n`, history)
	assert.Contains(t, history, `      attendance.confirmed: — → "profile+phones+emails"`+"\n")
	assert.Contains(t, history, `      agenda.subject: — → "retorno sobre a proposta da frota"`+"\n")
	update := strings.Index(history, "  #2 ")
	create := strings.Index(history, "  #1 ")
	require.GreaterOrEqual(t, update, 0, "the update is in the history:\n%s", history)
	require.Greater(t, create, update, "the creation comes after the update:\n%s", history)
	assert.Regexp(t, `^  #2 \d\d/\d\d/\d{4} \d\d:\d\d  Marina Costa \(desk\)  update, version 2, 15 fields\n`, history[update:])
	assert.Regexp(t, `^  #1 \d\d/\d\d/\d{4} \d\d:\d\d  DMS import \(dms-sync\)  create, version 1, 8 fields\n`, history[create:])
	for _, line := range []string{
		`      emails[0]: — → "jose.oliveira@example.com.br"`,
		`      phones[1]: — → "+554832221100"`,
		`      info.spouse_name: — → "Márcia Regina de Oliveira"`,
	} {
		assert.Contains(t, history[update:create], line+"\n")
	}
	assert.Contains(t, history[create:], `      name: "" → "José Carlos de Oliveira"`+"\n")
	assert.NotContains(t, text, "5555555555554444", "the history shows a card masked")

	// The text sheet, with the relationship section.
	rel := between(t, text, "RELACIONAMENTO\n", "\n\n---")
	assert.Regexp(t, `Como: +presencial · vendas`, rel)
	assert.Regexp(t, `Atendente: +Marina Costa`, rel)
	assert.Regexp(t, `Resultado: +proposta de duas Fiat Strada para a frota`, rel)
	assert.Regexp(t, `\d\d/\d\d/\d{4} 15:00: +retorno sobre a proposta da frota \(Marina Costa\)`, rel)
	assert.Regexp(t, `Telefones: +\d\d/\d\d/\d{4} \d\d:\d\d \(America/Sao_Paulo\)`, rel)

	path := filepath.Join(dir, sheetName)
	assert.True(t, strings.HasSuffix(text, "customer sheet written to "+path+"\n"), "the last line names the sheet: %q", text)
	html, err := os.ReadFile(path)
	require.NoError(t, err, "the sheet is where the output says, after the run")
	page := string(html)
	for _, want := range []string{"FICHA DO CLIENTE", "José Carlos de Oliveira", "871.957.260-37", "Rua Felipe Schmidt, 450",
		"88015-200", "R$ 85.350,40", "Banco Stellantis", "10/04/2029", "•••• 4444", "Lucas Oliveira", "Márcia Regina de Oliveira",
		"716.566.867-59", "R$ 18.500,00", "Casado(a)", "10/02/2012", "Quinta-feira, às 15h", "Correspondência, Cobrança",
		"(America/Sao_Paulo)", "Relacionamento", "Último atendimento", "proposta de duas Fiat Strada para a frota",
		"retorno sobre a proposta da frota (Marina Costa)", "Última confirmação ou alteração"} {
		assert.Contains(t, page, want)
	}
	assert.NotContains(t, page, "5555555555554444")

	// A second run starts from the same customer again and replaces the
	// sheet.
	out.Reset()
	require.NoError(t, run(t.Context(), &out, dir, false))
	assert.Contains(t, out.String(), "saved: version 1 -> 2")
	assert.Contains(t, out.String(), "  #4 ")
	assert.NotContains(t, out.String(), "  #5 ", "the history is the new customer's alone")
}

// TestFollowUp checks when the follow-up is proposed: at the preferred
// day and hour of the first contact that has one, else at nine on the
// next business day, for the customer himself.
func TestFollowUp(t *testing.T) {
	t.Parallel()
	loc := time.FixedZone("BRT", -3*60*60)
	friday := time.Date(2026, time.November, 27, 18, 5, 0, 0, loc)
	c := registered()
	due, who := followUp(c, friday, loc)
	assert.Equal(t, time.Date(2026, time.November, 30, 9, 0, 0, 0, loc), due, "Monday at nine")
	assert.Equal(t, "José Carlos de Oliveira", who)

	c.Contacts = []contact.Contact{
		{Name: "Sem preferência"},
		{Name: "Lucas Oliveira", PreferredDay: contact.Thursday, PreferredHour: contact.At(15)},
	}
	due, who = followUp(c, friday, loc)
	assert.Equal(t, time.Date(2026, time.December, 3, 15, 0, 0, 0, loc), due, "the next Thursday at three")
	assert.Equal(t, "Lucas Oliveira", who)
}

// TestAttendanceKeepsOnlyTheSheet runs with the default directory, the
// system's temporary one, made the test's own: afterwards it holds the
// sheet and nothing else, the temporary store being gone.
func TestAttendanceKeepsOnlyTheSheet(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	if os.TempDir() != tmp {
		t.Skip("os.TempDir does not follow TMPDIR on this system")
	}
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out, os.TempDir(), false))
	assert.Contains(t, out.String(), "customer sheet written to "+filepath.Join(tmp, sheetName)+"\n")
	entries, err := os.ReadDir(tmp)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.Equal(t, []string{sheetName}, names)
}

// between returns the part of text after the first start and before the
// first end that follows it.
func between(t *testing.T, text, start, end string) string {
	t.Helper()
	_, rest, ok := strings.Cut(text, start)
	require.True(t, ok, "the output has %q", start)
	part, _, ok := strings.Cut(rest, end)
	require.True(t, ok, "the output has %q after %q", end, start)
	return part
}
