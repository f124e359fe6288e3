package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/consent"
	"github.com/fichacrm/ficha/storage"
)

// css selects the first element that matches a CSS selector.
type css = chromedp.CSS

// tab is one browser tab of the test, with what it needs to report a
// failure: a screenshot of the page at each step.
type tab struct {
	t     *testing.T
	ctx   context.Context
	name  string
	shots string
	n     int
}

// do runs a step's actions, each step within 20 s, and keeps a screenshot
// of the page after it.
func (b *tab) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	err := chromedp.Do(ctx, actions...)
	b.shot(step)
	if err != nil {
		b.t.Fatalf("%s: %s: %v", b.name, step, err)
	}
}

// until waits for a JavaScript predicate to hold.
func (b *tab) until(step, predicate string) {
	b.t.Helper()
	b.do(step, func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Poll[chromedp.Void](predicate, chromedp.WithPollingTimeout(10*time.Second))(ctx, t)
		if err != nil {
			return chromedp.Void{}, fmt.Errorf("waiting for %s: %w (page says: %q)", predicate, err, b.eval(`document.querySelector("#record-message")?.innerText || document.querySelector("#entry-message")?.innerText || ""`))
		}
		return chromedp.Void{}, nil
	})
}

// eval returns the value of a JavaScript expression as a string.
func (b *tab) eval(expr string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`String(`+expr+`)`))
	if err != nil {
		b.t.Fatalf("%s: evaluating %s: %v", b.name, expr, err)
	}
	return v
}

// value is an input's current value.
func (b *tab) value(sel string) string {
	return b.eval(`document.querySelector(` + jsString(sel) + `).value`)
}

// text is an element's rendered text.
func (b *tab) text(sel string) string {
	return b.eval(`document.querySelector(` + jsString(sel) + `)?.innerText ?? ""`)
}

// typeInto clears an input and types text into it as a person would.
func typeInto(sel, text string) chromedp.Action[chromedp.Void] {
	clear := chromedp.Evaluate[chromedp.Void](`document.querySelector(` + jsString(sel) + `).value = ""`)
	return chromedp.Steps(chromedp.WaitVisible(css(sel)), clear, chromedp.SendKeys(css(sel), text))
}

// choose picks an option of a select and tells the page, as a person's
// choice would.
func choose(sel, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector(` + jsString(sel) + `); s.value = ` + jsString(value) +
		`; s.dispatchEvent(new Event("input", {bubbles: true})); s.dispatchEvent(new Event("change", {bubbles: true})); })()`)
}

func jsString(s string) string { return fmt.Sprintf("%q", s) }

func (b *tab) shot(step string) {
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return
	}
	b.n++
	name := fmt.Sprintf("%s-%02d-%s.png", b.name, b.n, strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return '-'
	}, strings.ToLower(step)))
	_ = os.WriteFile(filepath.Join(b.shots, name), buf, 0o644)
}

// browser starts headless Chromium, or skips the test when
// FICHA_TEST_CHROMIUM does not name one. On failure the screenshots of
// every step are kept: in FICHA_TEST_ARTIFACTS when set, else in the
// test's artifact directory (go test -artifacts).
func browser(t *testing.T) (context.Context, string) {
	path := os.Getenv("FICHA_TEST_CHROMIUM")
	if path == "" {
		t.Skip("FICHA_TEST_CHROMIUM is not set: give it the path of a Chromium binary (Debian's chromium package: /usr/bin/chromium) to run the desk in a real browser")
	}
	shots := t.TempDir()
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		dir := os.Getenv("FICHA_TEST_ARTIFACTS")
		if dir == "" {
			dir = t.ArtifactDir()
		}
		dir = filepath.Join(dir, t.Name())
		if err := os.MkdirAll(dir, 0o755); err == nil {
			entries, _ := os.ReadDir(shots)
			for _, e := range entries {
				if b, err := os.ReadFile(filepath.Join(shots, e.Name())); err == nil {
					_ = os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644)
				}
			}
			t.Logf("screenshots of each step are in %s", dir)
		}
	})
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("no-first-run", true),
		chromedp.Flag("lang", "pt-BR"), chromedp.WindowSize(1280, 1000),
		chromedp.UserDataDir(t.TempDir()))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	acceptDialogs(t, ctx)
	return ctx, shots
}

// acceptDialogs answers the tab's confirm() questions with OK, as an
// attendant would, and logs them.
func acceptDialogs(t *testing.T, ctx context.Context) {
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			t.Logf("the page asked: %s", ev.Message)
			_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
}

// serveDesk serves a desk over a new SQLite file with the demo's customers.
func serveDesk(t *testing.T) (*storage.Store, *httptest.Server) {
	t.Helper()
	store, err := openStore(t.Context(), filepath.Join(t.TempDir(), "desk.db"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = store.Close() })
	require.NoError(t, seed(t.Context(), store, time.Now()))
	h, err := newHandler(store, offlineLookup)
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return store, srv
}

// newTab opens another tab of the same browser.
func newTab(t *testing.T, parent context.Context, name, shots string) *tab {
	ctx, cancel := chromedp.NewContext(parent)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	acceptDialogs(t, ctx)
	return &tab{t: t, ctx: ctx, name: name, shots: shots}
}

// TestDeskInBrowser walks the seed's fifteen steps on the desk page in
// headless Chromium: reach the customer from the agenda and by search,
// open the record, edit only what is enabled, add an address with the CEP
// lookup and each other sub-record, fill in the additional information,
// save, lose a race against a second tab, and print the sheet. What the
// page shows is checked against the store.
func TestDeskInBrowser(t *testing.T) {
	ctx, shots := browser(t)
	store, srv := serveDesk(t)

	one := &tab{t: t, ctx: ctx, name: "tab1", shots: shots}
	// Step 1: the screen, and the agenda's scheduled contact.
	one.do("open the desk", chromedp.Navigate(srv.URL), chromedp.WaitVisible(css("#agenda-list .agenda-open")))
	assert.Contains(t, one.text("#agenda-list"), "Maria da Conceição Oliveira")
	assert.Contains(t, one.text("#agenda-list"), "Retorno sobre a revisão")

	// Step 2: name and phone, with the phone masked as it is typed.
	one.do("type name and phone",
		typeInto("#q-name", "Maria da Conceição Oliveira"), typeInto("#q-phone", "11987654321"))
	assert.Equal(t, "(11) 98765-4321", one.value("#q-phone"))
	one.do("search", chromedp.Click(css("#search-btn")), chromedp.WaitVisible(css("#results tbody tr")))
	assert.Contains(t, one.text("#results tbody"), "123.456.789-09")
	assert.Equal(t, "1", one.eval(`document.querySelectorAll("#results tbody tr").length`))
	// The other filters of the note under step 2, each masked as typed.
	for _, f := range []struct{ input, typed, shown, want string }{
		{"#q-tax_id", "12345678909", "123.456.789-09", "Maria da Conceição Oliveira"},
		{"#q-plate", "bra2e19", "BRA2E19", "Maria da Conceição Oliveira"},
		{"#q-vin", "9bd358a1nyk123456", "9BD358A1NYK123456", "Maria da Conceição Oliveira"},
		{"#q-dms_customer", "CLI-1001", "CLI-1001", "Maria da Conceição Oliveira"},
		{"#q-service_order", "OS-5501", "OS-5501", "Maria da Conceição Oliveira"},
		{"#q-email", "maria.oliveira@example.com.br", "maria.oliveira@example.com.br", "Maria da Conceição Oliveira"},
		{"#q-company", "Transportadora Oliv", "Transportadora Oliv", "Transportadora Oliveira Ltda"},
		{"#q-tax_id", "11222333000181", "11.222.333/0001-81", "Transportadora Oliveira Ltda"},
	} {
		one.do("search by "+f.input, chromedp.Click(css("#clear-btn")), typeInto(f.input, f.typed))
		assert.Equal(t, f.shown, one.value(f.input), f.input)
		one.do("results by "+f.input, chromedp.Click(css("#search-btn")), chromedp.WaitVisible(css("#results tbody tr")))
		assert.Contains(t, one.text("#results tbody"), f.want, f.input)
	}
	one.do("a search without keys", chromedp.Click(css("#clear-btn")), chromedp.Click(css("#search-btn")))
	assert.Contains(t, one.text("#search-status"), "Digite ao menos um campo")

	// Step 3: a double click on the customer opens the record.
	one.do("find Maria again", typeInto("#q-phone", "11987654321"), chromedp.Click(css("#search-btn")),
		chromedp.WaitVisible(css("#results tbody tr")))
	one.do("double click", chromedp.DoubleClick(css("#results tbody tr")), chromedp.WaitVisible(css("#record")))
	assert.Contains(t, one.text("#record-title"), "Maria da Conceição Oliveira")
	assert.Equal(t, "123.456.789-09", one.value("#f-tax_id"))
	id := one.eval(`document.querySelector("#results tbody tr").dataset.id`)
	cid, err := uuid.Parse(id)
	require.NoError(t, err)

	// Steps 4 and 5: Alterar enables only the fields the policy allows.
	assert.Equal(t, "true", one.eval(`document.querySelector("#f-name").readOnly`), "nothing is editable before Alterar")
	one.do("Alterar", chromedp.Click(css("#edit-btn")))
	assert.Equal(t, "false", one.eval(`document.querySelector("#f-name").readOnly`))
	assert.Equal(t, "true", one.eval(`document.querySelector("#f-tax_id").readOnly`), "a customer's CPF is locked")
	assert.Equal(t, "true", one.eval(`document.querySelector("#f-kind").disabled`))
	assert.Contains(t, one.text("#tab-profile"), "bloqueado")
	// A page that lifted the lock itself is still refused, next to the field.
	one.do("force the locked CPF",
		chromedp.Evaluate[chromedp.Void](`(() => { const i = document.querySelector("#f-tax_id"); i.readOnly = false; i.value = "987.654.321-00"; })()`),
		chromedp.Click(css("#save-btn")))
	one.until("the lock's error", `document.querySelector("#f-tax_id-error")`)
	assert.Contains(t, one.text("#f-tax_id-error"), "este campo não pode ser alterado")
	assert.Contains(t, one.text("#record-message"), "corrija os campos")
	one.do("reload", chromedp.Click(css("#reload-btn")))
	one.until("reloaded", `document.querySelector("#f-tax_id").value === "123.456.789-09" && !document.querySelector("#f-tax_id-error")`)
	one.do("Alterar again", chromedp.Click(css("#edit-btn")))

	// Steps 6 to 8: an address, with the CEP lookup filling the street.
	one.do("addresses tab", chromedp.Click(css("#tab-addresses-btn")), chromedp.Click(css("#tab-addresses .add-btn")),
		chromedp.WaitVisible(css("#entry-dialog")))
	one.do("type the CEP", typeInto("#e-cep", "20040020"))
	assert.Equal(t, "20040-020", one.value("#e-cep"))
	one.do("Consultar CEP", chromedp.Click(css("#cep-lookup")))
	one.until("the street from the CEP", `document.querySelector("#e-street").value === "Avenida Rio Branco"`)
	assert.Equal(t, "Rio de Janeiro", one.value("#e-city"))
	assert.Equal(t, "RJ", one.value("#e-uf"))
	one.do("number and billing", typeInto("#e-number", "156"), chromedp.Click(css("#e-purposes-billing")),
		chromedp.Click(css("#entry-save")), chromedp.WaitNotVisible(css("#entry-dialog")))
	one.until("the address listed", `document.querySelectorAll("#tab-addresses tbody tr").length === 2`)
	assert.Contains(t, one.text("#tab-addresses"), "Rio de Janeiro/RJ")
	assert.Contains(t, one.text("#tab-addresses"), "Cobrança")
	// An unknown CEP says so, and a malformed one is refused at its field.
	one.do("an unknown CEP", chromedp.Click(css("#tab-addresses .add-btn")), chromedp.WaitVisible(css("#entry-dialog")),
		typeInto("#e-cep", "99999999"), chromedp.Click(css("#cep-lookup")))
	one.until("not found", `document.querySelector("#entry-message").innerText.includes("CEP não encontrado")`)
	one.do("a malformed CEP saved", typeInto("#e-cep", "0000"), typeInto("#e-city", "Niterói"), choose("#e-uf", "RJ"),
		chromedp.Click(css("#entry-save")))
	one.until("the CEP's error", `document.querySelector("#e-cep-error")`)
	one.do("close the dialog", chromedp.Click(css("#entry-close")), chromedp.WaitNotVisible(css("#entry-dialog")))

	// Step 9: an asset; a bad plate first, refused next to the plate.
	one.do("assets tab", chromedp.Click(css("#tab-assets-btn")), chromedp.Click(css("#tab-assets .add-btn")),
		chromedp.WaitVisible(css("#entry-dialog")),
		typeInto("#e-description", "Honda CG 160"), choose("#e-kind", "vehicle"), typeInto("#e-year", "2021"),
		typeInto("#e-value", "12000.00"), typeInto("#e-plate", "XY12"), chromedp.Click(css("#entry-save")))
	one.until("the plate's error", `document.querySelector("#e-plate-error")`)
	one.do("a good plate", typeInto("#e-plate", "abc1234"))
	assert.Equal(t, "ABC-1234", one.value("#e-plate"))
	one.do("save the asset", chromedp.Click(css("#entry-save")), chromedp.WaitNotVisible(css("#entry-dialog")))
	one.until("the asset listed", `document.querySelector("#tab-assets").innerText.includes("Honda CG 160")`)

	// Step 10: a personal reference.
	one.do("personal reference", chromedp.Click(css("#tab-personal_references-btn")), chromedp.Click(css("#tab-personal_references .add-btn")),
		chromedp.WaitVisible(css("#entry-dialog")), typeInto("#e-name", "Pedro Oliveira"), typeInto("#e-phone", "21991234567"),
		typeInto("#e-note", "irmão"), chromedp.Click(css("#entry-save")), chromedp.WaitNotVisible(css("#entry-dialog")))
	one.until("the reference listed", `document.querySelector("#tab-personal_references").innerText.includes("(21) 99123-4567")`)

	// Step 11: a bank reference.
	one.do("bank reference", chromedp.Click(css("#tab-bank_references-btn")), chromedp.Click(css("#tab-bank_references .add-btn")),
		chromedp.WaitVisible(css("#entry-dialog")), typeInto("#e-code", "341"), typeInto("#e-branch", "2545"),
		typeInto("#e-account", "02366"), typeInto("#e-account_digit", "1"),
		chromedp.Click(css("#entry-save")), chromedp.WaitNotVisible(css("#entry-dialog")))
	one.until("the account listed", `document.querySelector("#tab-bank_references").innerText.includes("02366-1")`)

	// Step 12: a card, shown masked; its number is nowhere on the page.
	one.do("card", chromedp.Click(css("#tab-cards-btn")), chromedp.Click(css("#tab-cards .add-btn")),
		chromedp.WaitVisible(css("#entry-dialog")), typeInto("#e-number", "4111 1111 1111 1111"),
		typeInto("#e-holder", "MARIA C OLIVEIRA"), typeInto("#e-expiry-month", "12"), typeInto("#e-expiry-year", "2031"),
		chromedp.Click(css("#entry-save")), chromedp.WaitNotVisible(css("#entry-dialog")))
	one.until("the card listed", `document.querySelector("#tab-cards").innerText.includes("•••• 1111")`)
	assert.Contains(t, one.text("#tab-cards"), "visa")
	assert.Equal(t, "false", one.eval(`document.documentElement.outerHTML.replace(/\D/g, "").includes("4111111111111111") || [...document.querySelectorAll("input")].some(i => i.value.replace(/\D/g, "").includes("4111111111111111"))`))

	// Step 13: a contact, fleet manager, with a day and hour to call.
	one.do("contact", chromedp.Click(css("#tab-contacts-btn")), chromedp.Click(css("#tab-contacts .add-btn")),
		chromedp.WaitVisible(css("#entry-dialog")), typeInto("#e-name", "Lúcia Prado"), typeInto("#e-role", "Secretária"),
		typeInto("#e-phones", "11955554444"), typeInto("#e-email", "lucia@example.com"), typeInto("#e-birthday-day", "9"),
		typeInto("#e-birthday-month", "4"), chromedp.Click(css("#e-fleet_manager")), choose("#e-preferred_day", "tuesday"),
		typeInto("#e-preferred_hour", "10"), chromedp.Click(css("#entry-save")), chromedp.WaitNotVisible(css("#entry-dialog")))
	one.until("the contact listed", `document.querySelector("#tab-contacts").innerText.includes("Lúcia Prado")`)

	// Step 14: additional information, in the individual's table.
	one.do("additional information", chromedp.Click(css("#tab-info-btn")), chromedp.WaitVisible(css("#i-marital_status")),
		choose("#i-marital_status", "married"), typeInto("#i-profession", "Engenheira"), typeInto("#i-monthly_income", "8500,00"))
	assert.Contains(t, one.text("#tab-info"), "Cônjuge")
	assert.NotContains(t, one.text("#tab-info"), "Inscrição estadual", "a company's fields are not an individual's")

	// Step 15: Gravar, after an edit of the profile.
	one.do("edit the profile", chromedp.Click(css("#tab-profile-btn")), typeInto("#f-employer", "Oliveira Engenharia"),
		chromedp.Click(css("#save-btn")))
	one.until("saved", `document.querySelector("#record-message").innerText.includes("Cadastro gravado")`)

	got, err := store.Get(t.Context(), tenant, cid)
	require.NoError(t, err)
	assert.Equal(t, "Oliveira Engenharia", got.Employer)
	require.Len(t, got.Addresses, 2)
	assert.Equal(t, "20040020", got.Addresses[1].CEP.String())
	assert.Equal(t, "Avenida Rio Branco", got.Addresses[1].Street)
	assert.Len(t, got.Assets, 2)
	assert.Equal(t, "ABC1234", got.Assets[1].Plate.String())
	assert.Len(t, got.PersonalReferences, 1)
	assert.Len(t, got.BankReferences, 1)
	require.Len(t, got.Cards, 1)
	assert.Equal(t, "1111", got.Cards[0].Last4())
	require.Len(t, got.Contacts, 1)
	assert.True(t, got.Contacts[0].FleetManager)
	assert.Equal(t, "married", got.Info["marital_status"])
	assert.Equal(t, "Engenheira", got.Info["profession"])
	assert.Equal(t, "8500.00", got.Info["monthly_income"])
	h1, err := store.History(t.Context(), tenant, cid, 0, 50)
	require.NoError(t, err)
	require.NotEmpty(t, h1)
	assert.Equal(t, "att-desk", h1[0].Actor.ID)

	// A second tab saves first; the first tab's save is refused, and
	// Recarregar shows the other's change.
	two := newTab(t, ctx, "tab2", shots)
	two.do("open in a second tab", chromedp.Navigate(srv.URL), typeInto("#q-tax_id", "12345678909"),
		chromedp.Click(css("#search-btn")), chromedp.WaitVisible(css("#results tbody tr")),
		chromedp.DoubleClick(css("#results tbody tr")), chromedp.WaitVisible(css("#record")),
		chromedp.Click(css("#edit-btn")), typeInto("#f-notes", "Prefere WhatsApp"), chromedp.Click(css("#save-btn")))
	two.until("saved in the second tab", `document.querySelector("#record-message").innerText.includes("Cadastro gravado")`)
	one.do("edit in the first tab", chromedp.Click(css("#edit-btn")), typeInto("#f-notes", "Ligar à tarde"), chromedp.Click(css("#save-btn")))
	one.until("the conflict", `document.querySelector("#record-message.msg-bad p")?.innerText.includes("alterado por outra pessoa")`)
	after, err := store.Get(t.Context(), tenant, cid)
	require.NoError(t, err)
	assert.Equal(t, "Prefere WhatsApp", after.Notes, "the refused save changed nothing")
	one.do("Recarregar", chromedp.Click(css("#reload-btn")))
	one.until("the other tab's notes", `document.querySelector("#f-notes").value === "Prefere WhatsApp"`)

	// Printing: the sheet in the page, and as a PDF.
	one.do("Imprimir ficha", chromedp.Click(css("#print-btn")), chromedp.WaitVisible(css("#sheet-dialog")))
	one.until("the sheet", `document.querySelector("#sheet-frame").contentDocument?.body?.innerText.includes("Maria da Conceição Oliveira")`)
	sheet := one.eval(`document.querySelector("#sheet-frame").contentDocument.body.innerText`)
	assert.Contains(t, sheet, "Avenida Rio Branco")
	assert.Contains(t, sheet, "Engenheira")
	assert.NotContains(t, sheet, "4111111111111111")
	pdfTab := newTab(t, ctx, "pdf", shots)
	pdfTab.do("the sheet alone", chromedp.Navigate(srv.URL+"/api/customers/"+id+"/sheet"))
	pdfCtx, cancel := context.WithTimeout(pdfTab.ctx, 20*time.Second)
	defer cancel()
	pdf, err := chromedp.Run(pdfCtx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4)))
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(pdf, []byte("%PDF-")), "a PDF")
	_ = os.WriteFile(filepath.Join(shots, "sheet.pdf"), pdf, 0o644)

	// English, for an attendant who asks for it.
	one.do("English", chromedp.Click(css("#sheet-close")), choose("#lang", "en"))
	assert.Equal(t, "Search", one.text("#search-btn"))
	assert.Equal(t, "Customer profile", one.text("#tab-profile-btn"))
}

// TestDeskConsentInBrowser records consent at the desk and presses
// "Cancelar SMS", in headless Chromium: a grant without its notice is
// refused next to the field, a grant with it is listed, and Cancelar SMS
// withdraws every SMS purpose; the store agrees with the page.
func TestDeskConsentInBrowser(t *testing.T) {
	ctx, shots := browser(t)
	store, srv := serveDesk(t)
	b := &tab{t: t, ctx: ctx, name: "consent", shots: shots}
	b.do("open the desk", chromedp.Navigate(srv.URL), chromedp.WaitVisible(css("#search-form")))
	b.do("find Maria", typeInto("#q-phone", "11987654321"), chromedp.Click(css("#search-btn")),
		chromedp.WaitVisible(css("#results tbody tr")))
	b.do("open her record", chromedp.DoubleClick(css("#results tbody tr")), chromedp.WaitVisible(css("#record")))
	id, err := uuid.Parse(b.eval(`document.querySelector("#results tbody tr").dataset.id`))
	require.NoError(t, err)

	b.do("the consent tab", chromedp.Click(css("#tab-consent-btn")), chromedp.WaitVisible(css("#consent-form")))
	b.until("no consent yet", `!document.querySelector("#consent-empty").hidden`)
	assert.Contains(t, b.text("#consent-empty"), "sem registro, nenhuma mensagem")

	b.do("a grant without its notice", choose("#c-channel", "sms"), choose("#c-purpose", "marketing"), choose("#c-state", "granted"),
		chromedp.Click(css("#consent-save")))
	b.until("the notice's error", `document.querySelector("#c-notice-error")`)
	assert.Contains(t, b.text("#c-notice-error"), "termo")
	ledger, err := store.Consents(t.Context(), tenant, id)
	require.NoError(t, err)
	assert.Empty(t, ledger, "nothing was recorded")

	b.do("the notice", typeInto("#c-notice", "termo-marketing-v3"), typeInto("#c-reference", "ficha 1042"), chromedp.Click(css("#consent-save")))
	b.until("listed", `document.querySelector('#consent-table tr[data-channel="sms"][data-purpose="marketing"][data-state="granted"]')`)
	b.do("WhatsApp too", choose("#c-channel", "whatsapp"), chromedp.Click(css("#consent-save")))
	b.until("both listed", `document.querySelectorAll("#consent-table tbody tr").length === 2`)
	d, err := store.MayContact(t.Context(), tenant, id, "", consent.SMS, consent.Marketing)
	require.NoError(t, err)
	assert.True(t, d.Allowed)

	b.do("Cancelar SMS", chromedp.Click(css("#cancel-sms-btn")))
	b.until("SMS withdrawn", `document.querySelector('#consent-table tr[data-channel="sms"][data-purpose="marketing"][data-state="withdrawn"]')`)
	assert.Contains(t, b.text("#consent-message"), "SMS cancelado")
	assert.Contains(t, b.text("#consent-table"), "revogado")
	assert.Contains(t, b.text("#consent-table"), "concedido", "WhatsApp stays")
	d, err = store.MayContact(t.Context(), tenant, id, "", consent.SMS, consent.Marketing)
	require.NoError(t, err)
	assert.False(t, d.Allowed)
	d, err = store.MayContact(t.Context(), tenant, id, "", consent.WhatsApp, consent.Marketing)
	require.NoError(t, err)
	assert.True(t, d.Allowed)
	ledger, err = store.Consents(t.Context(), tenant, id)
	require.NoError(t, err)
	assert.Equal(t, "ficha 1042", ledger[0].Evidence.Reference)
	assert.Equal(t, consent.AtDesk, ledger[0].Source)
}
