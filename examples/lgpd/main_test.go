package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLGPD runs the six steps with the page written into a directory of
// the test's own, and checks what each step promises.
func TestLGPD(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out, dir))
	text := out.String()
	first, _, _ := strings.Cut(text, "\n")
	assert.Equal(t, "Ficha LGPD: consent, opt-out, a campaign list, an access request and an anonymisation, "+
		"on a temporary SQLite store (removed at exit); the data subject's page is kept in "+dir, first)
	last := -1
	for n := 1; n <= 6; n++ {
		at := strings.Index(text, fmt.Sprintf("\nstep %d: ", n))
		require.GreaterOrEqual(t, at, 0, "step %d ran", n)
		assert.Greater(t, at, last, "step %d ran in order", n)
		last = at
	}

	// 1: the customer, with the attendant as the actor.
	assert.Contains(t, step(t, text, 1), "registered Mariana Alves Ribeiro, CPF 529.982.247-25, phone (11) 99612-3480, by Carla Mendes (desk)\n")

	// 2: two grants with their evidence, and the decisions: no statement
	// for a channel and purpose means no.
	s := step(t, text, 2)
	assert.Contains(t, s, `recorded: whatsapp/marketing granted on consent, from the desk, notice "termo-consentimento-v3", `+
		"formulário assinado nº 2026-0153, by Carla Mendes\n")
	assert.Contains(t, s, `recorded: sms/service granted on consent, from the desk, notice "termo-consentimento-v3", `)
	assert.Contains(t, s, "may contact by whatsapp for marketing -> yes (granted) -> +5511996123480\n")
	assert.Contains(t, s, "may contact by sms      for service   -> yes (granted) -> +5511996123480\n")
	assert.Contains(t, s, "may contact by sms      for marketing -> no (no_record)\n")
	assert.Contains(t, s, "may contact by email    for marketing -> no (no_record)\n")

	// 3: "Cancelar SMS" withdraws SMS alone; the phone is suppressed, on
	// the re-imported record too, whatever the import's grant says.
	s = step(t, text, 3)
	assert.Contains(t, s, "withdrawn: sms for marketing, service, surveys\n")
	assert.Contains(t, s, "may contact by sms      for service   -> no (withdrawn)\n")
	assert.Contains(t, s, "may contact by whatsapp for marketing -> yes (granted) -> +5511996123480\n", "WhatsApp is left as it was")
	assert.Contains(t, s, "phone (11) 99612-3480 on the SMS suppression list: true\n")
	reimport, afterImport, ok := strings.Cut(s, "re-imported by DMS import (dms-sync)")
	require.True(t, ok, "the re-import ran:\n%s", s)
	assert.NotContains(t, reimport, "suppressed)")
	assert.Contains(t, afterImport, "may contact by sms      for marketing -> no (suppressed)\n")

	// 4: the campaign reaches those who agreed, and no one else.
	s = step(t, text, 4)
	assert.Contains(t, s, "campaign list whatsapp/marketing: 2 of 4 records may be reached\n")
	assert.Regexp(t, `\n    Mariana Alves Ribeiro +on the list -> \+5511996123480\n`, s)
	assert.Regexp(t, `\n    Mariana A\. Ribeiro +not on the list \(no_record\)\n`, s)
	assert.Regexp(t, `\n    Rafael Souza Lima +on the list -> \+5521997451122\n`, s)
	assert.Regexp(t, `\n    Paula Cristina Nogueira +not on the list \(denied\)\n`, s)

	// 5: the access request, its export and page, and its answer.
	s = step(t, text, 5)
	assert.Regexp(t, `request access entered by Renata Figueiredo, due \d\d/\d\d/\d{4}\n`, s)
	assert.Regexp(t, `export by CPF: 1 record\(s\), 1 appearance\(s\) elsewhere, 1 suppressed address\(es\); `+
		`JSON \(ficha\.export/v1\) [1-9]\d+ bytes\n`, s)
	assert.Regexp(t, `own record [0-9a-f-]{36}: 5 consent statements, 4 in force, 1 change-log entries\n`, s)
	assert.Regexp(t, `appears in record [0-9a-f-]{36} as address at phones\[0\] \(matched \+5511996123480\)\n`, s)
	assert.Contains(t, s, "suppressed for sms: +5511996123480\n")
	path := filepath.Join(dir, pageName)
	assert.Contains(t, s, "page for the data subject written to "+path+"\n")
	assert.Contains(t, s, "request access answered done by Renata Figueiredo\n")
	html, err := os.ReadFile(path)
	require.NoError(t, err, "the page is where the output says, after the run")
	page := string(html)
	for _, want := range []string{"Relatório de dados pessoais", "Concessionária Centro Ltda", "Mariana Alves Ribeiro", "529.982.247-25",
		"termo-consentimento-v3", "formulário assinado nº 2026-0153"} {
		assert.Contains(t, page, want)
	}

	// 6: the hook keeps name and CPF where invoices were issued, nothing
	// elsewhere; no search finds her; the opt-out stays; the register
	// holds the three requests, all answered.
	s = step(t, text, 6)
	assert.Regexp(t, `anonymised record [0-9a-f-]{36}: partial, kept name and tax_id, because NF-e emitidas: guarda por 5 anos, CTN art\. 173\n`+
		`    it now reads: name "Mariana Alves Ribeiro", CPF 529\.982\.247-25 \(kept aside for the tax office\), 0 phones, 0 e-mails\n`, s)
	assert.Regexp(t, `anonymised record [0-9a-f-]{36}: done, kept nothing\n`+
		`    it now reads: name "Titular anonimizado", CPF none, 0 phones, 0 e-mails\n`, s)
	assert.Contains(t, s, "search by CPF:   finds 0\n")
	assert.Contains(t, s, "search by phone: finds 0\n")
	assert.Contains(t, s, "search by name:  finds 0\n")
	assert.Contains(t, s, "a new export by the CPF finds 0 record(s)\n")
	assert.Contains(t, s, "phone on the SMS suppression list: true\n")
	assert.Contains(t, s, "may contact by whatsapp for marketing -> no (no_record)\n")
	_, register, ok := strings.Cut(s, "register of requests, newest first (0 open):\n")
	require.True(t, ok, "the register is printed:\n%s", s)
	lines := strings.Split(strings.TrimSuffix(register, "\n"), "\n")
	require.Len(t, lines, 3, "two anonymisations and the access request:\n%s", register)
	assert.Regexp(t, `^    anonymisation done    customer [0-9a-f-]{36}, received .* by Renata Figueiredo$`, lines[0])
	assert.Regexp(t, `^    anonymisation partial customer [0-9a-f-]{36}, received .* by Renata Figueiredo: NF-e emitidas`, lines[1])
	assert.Regexp(t, `^    access        done    customer [0-9a-f-]{36}, received .* by Renata Figueiredo: relatório entregue`, lines[2])
}

// TestLGPDKeepsOnlyThePage runs with the default directory, the system's
// temporary one, made the test's own: afterwards it holds the page and
// nothing else, the temporary store being gone.
func TestLGPDKeepsOnlyThePage(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	if os.TempDir() != tmp {
		t.Skip("os.TempDir does not follow TMPDIR on this system")
	}
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out, os.TempDir()))
	assert.Contains(t, out.String(), "page for the data subject written to "+filepath.Join(tmp, pageName)+"\n")
	entries, err := os.ReadDir(tmp)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.Equal(t, []string{pageName}, names)
}

// step returns the output of step n: from its heading to the next one,
// or to the end.
func step(t *testing.T, text string, n int) string {
	t.Helper()
	_, rest, ok := strings.Cut(text, fmt.Sprintf("\nstep %d: ", n))
	require.True(t, ok, "the output has step %d", n)
	part, _, _ := strings.Cut(rest, "\nstep ")
	return part
}
