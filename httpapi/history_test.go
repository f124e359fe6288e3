package httpapi_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fichacrm/ficha/agenda"
	"github.com/fichacrm/ficha/attendance"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage"
	"github.com/fichacrm/ficha/storage/storagetest"
)

type attendancePage struct {
	Items []attendance.Attendance `json:"items"`
	Next  string                  `json:"next"`
}

type agendaPage struct {
	Items []agenda.Item `json:"items"`
	Next  string        `json:"next"`
}

func TestAttendances(t *testing.T) {
	t.Parallel()
	a := newAPI(t, nil)
	c := a.create("dealer-a", storagetest.Full(time.Now()))
	other := a.create("dealer-a", storagetest.Individual(5))
	target := "/customers/" + c.ID.String() + "/attendances"
	good := `{"channel":"whatsapp","reason":"sales","attendant":{"id":"att-1","name":"Ana"},"outcome":"test drive","confirmed":"phones+emails"}`

	w := a.do(req{method: "POST", target: target, tenant: "dealer-a", body: good, header: map[string]string{"X-Actor": "att-1"}})
	require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	first := decode[attendance.Attendance](t, w.Body.Bytes())
	assert.Equal(t, c.ID, first.CustomerID)
	assert.Equal(t, attendance.WhatsApp, first.Channel)
	assert.Equal(t, attendance.Phones|attendance.Emails, first.Confirmed)
	w = a.do(req{method: "POST", target: target, tenant: "dealer-a", body: `{"channel":"phone","reason":"service","customer_id":"` + c.ID.String() + `","at":"` + time.Now().Add(-time.Hour).UTC().Format(time.RFC3339) + `"}`})
	require.Equal(t, http.StatusCreated, w.Code, w.Body.String())

	w = a.do(req{method: "GET", target: target, tenant: "dealer-a"})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Len(t, decode[attendancePage](t, w.Body.Bytes()).Items, 2)
	w = a.do(req{method: "GET", target: target + "?limit=1", tenant: "dealer-a"})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	page := decode[attendancePage](t, w.Body.Bytes())
	require.Len(t, page.Items, 1)
	assert.Equal(t, first.ID, page.Items[0].ID, "newest first")
	require.NotEmpty(t, page.Next)
	w = a.do(req{method: "GET", target: target + "?limit=1&cursor=" + url.QueryEscape(page.Next), tenant: "dealer-a"})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Len(t, decode[attendancePage](t, w.Body.Bytes()).Items, 1)

	t.Run("another tenant", func(t *testing.T) {
		w := a.do(req{method: "GET", target: target, tenant: "dealer-b"})
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		assert.JSONEq(t, `{"items":[]}`, w.Body.String())
		problem(t, a.do(req{method: "POST", target: target, tenant: "dealer-b", body: good}), http.StatusNotFound, "not_found")
		problem(t, a.do(req{method: "GET", target: "/customers/" + c.ID.String() + "/freshness", tenant: "dealer-b"}), http.StatusNotFound, "not_found")
	})
	t.Run("errors", func(t *testing.T) {
		problem(t, a.do(req{method: "POST", target: "/customers/" + customer.NewID().String() + "/attendances", tenant: "dealer-a", body: good}), http.StatusNotFound, "not_found")
		problem(t, a.do(req{method: "POST", target: "/customers/x/attendances", tenant: "dealer-a", body: good}), http.StatusNotFound, "not_found")
		problem(t, a.do(req{method: "POST", target: target, tenant: "dealer-a", body: `{`}), http.StatusBadRequest, "json.malformed")
		w := a.do(req{method: "POST", target: target, tenant: "dealer-a", header: map[string]string{"Accept-Language": "en"},
			body: `{"channel":"fax","reason":"sales","at":"ontem","confirmed":"phonez","agenda_item":"x","customer_id":"` + other.ID.String() + `","notas":"1","notes":"4111 1111 1111 1111"}`})
		p := problem(t, w, http.StatusUnprocessableEntity, "validation")
		var got []string
		for _, f := range p.Errors {
			got = append(got, f.Path)
		}
		assert.Subset(t, got, []string{"channel", "at", "confirmed", "agenda_item", "customer_id", "notas", "notes"})
		assert.NotContains(t, w.Body.String(), "4111")
		assert.NotContains(t, w.Body.String(), "ontem")
		assert.NotContains(t, w.Body.String(), other.ID.String())

		p = problem(t, a.do(req{method: "POST", target: target, tenant: "dealer-a", body: `{"channel":"phone","reason":"sales","at":"2999-01-01T00:00:00Z"}`}), http.StatusUnprocessableEntity, "validation")
		require.Len(t, p.Errors, 1)
		assert.Equal(t, "at", p.Errors[0].Path)

		// An agenda item of another customer.
		it, err := a.store.Schedule(t.Context(), "dealer-a", &agenda.Item{CustomerID: other.ID, Due: time.Now().Add(time.Hour), Subject: "x"})
		require.NoError(t, err)
		p = problem(t, a.do(req{method: "POST", target: target, tenant: "dealer-a", body: `{"channel":"phone","reason":"sales","agenda_item":"` + it.ID.String() + `"}`}), http.StatusUnprocessableEntity, "validation")
		require.Len(t, p.Errors, 1)
		assert.Equal(t, "agenda_item", p.Errors[0].Path)

		problem(t, a.do(req{method: "POST", target: target, tenant: "dealer-a", body: `{"id":"` + first.ID.String() + `","channel":"phone","reason":"sales"}`}), http.StatusConflict, "id.exists")
		problem(t, a.do(req{method: "GET", target: target + "?limit=-1", tenant: "dealer-a"}), http.StatusBadRequest, "limit.invalid")
		problem(t, a.do(req{method: "GET", target: target + "?cursor=forged", tenant: "dealer-a"}), http.StatusBadRequest, "cursor.invalid")
		problem(t, a.do(req{method: "GET", target: target + "?page=2", tenant: "dealer-a"}), http.StatusBadRequest, "query.invalid")
	})
	t.Run("freshness", func(t *testing.T) {
		w := a.do(req{method: "GET", target: "/customers/" + c.ID.String() + "/freshness", tenant: "dealer-a"})
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		f := decode[attendance.Freshness](t, w.Body.Bytes())
		assert.Contains(t, f, attendance.Phones)
		assert.Contains(t, w.Body.String(), `"phones":"`)
		problem(t, a.do(req{method: "GET", target: "/customers/" + c.ID.String() + "/freshness?x=1", tenant: "dealer-a"}), http.StatusBadRequest, "query.invalid")
		problem(t, a.do(req{method: "GET", target: "/customers/nope/freshness", tenant: "dealer-a"}), http.StatusNotFound, "not_found")
	})
}

func TestStaleBirthdaysCountsChanges(t *testing.T) {
	t.Parallel()
	a := newAPI(t, nil)
	c := a.create("dealer-a", storagetest.Full(time.Now()))
	a.create("dealer-a", storagetest.Company(3))
	future := url.QueryEscape(time.Now().Add(time.Hour).UTC().Format(time.RFC3339))

	t.Run("stale", func(t *testing.T) {
		w := a.do(req{method: "GET", target: "/stale?section=phones&before=" + future, tenant: "dealer-a"})
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		rows := decode[struct {
			Items []storage.StaleRow `json:"items"`
		}](t, w.Body.Bytes()).Items
		assert.Len(t, rows, 2)
		w = a.do(req{method: "GET", target: "/stale?section=phones&before=" + future, tenant: "dealer-b"})
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		assert.JSONEq(t, `{"items":[]}`, w.Body.String())
		w = a.do(req{method: "GET", target: "/stale?section=phones&before=2000-01-01T00:00:00Z", tenant: "dealer-a"})
		assert.JSONEq(t, `{"items":[]}`, w.Body.String())
		for _, q := range []string{"before=" + future, "section=phones", "section=phones%2Bemails&before=" + future, "section=phonez&before=" + future, "section=phones&before=ontem", "section=phones&before=" + future + "&limit=x"} {
			problem(t, a.do(req{method: "GET", target: "/stale?" + q, tenant: "dealer-a"}), http.StatusBadRequest, "query.invalid")
		}
		problem(t, a.do(req{method: "GET", target: "/stale?section=phones&before=" + future + "&cursor=x", tenant: "dealer-a"}), http.StatusBadRequest, "cursor.invalid")
	})
	t.Run("birthdays", func(t *testing.T) {
		w := a.do(req{method: "GET", target: "/birthdays?from=2026-02-01&to=2026-03-10", tenant: "dealer-a"})
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		items := decode[struct {
			Items []storage.Birthday `json:"items"`
		}](t, w.Body.Bytes()).Items
		require.NotEmpty(t, items)
		assert.Equal(t, c.ID, items[0].CustomerID)
		w = a.do(req{method: "GET", target: "/birthdays?from=2026-02-01&to=2026-03-10", tenant: "dealer-b"})
		assert.JSONEq(t, `{"items":[]}`, w.Body.String())
		for _, q := range []string{"from=2026-02-01", "to=2026-02-01", "from=2026-02-30&to=2026-03-01", "from=2026-03-01&to=2026-02-01", "from=2026-01-01&to=2027-06-01"} {
			problem(t, a.do(req{method: "GET", target: "/birthdays?" + q, tenant: "dealer-a"}), http.StatusBadRequest, "query.invalid")
		}
		w = a.do(req{method: "GET", target: "/birthdays?from=2026-02-01&to=2026-03-10&limit=1", tenant: "dealer-a"})
		next := decode[struct{ Next string }](t, w.Body.Bytes()).Next
		require.NotEmpty(t, next)
		w = a.do(req{method: "GET", target: "/birthdays?from=2026-02-01&to=2026-03-10&limit=1&cursor=" + url.QueryEscape(next), tenant: "dealer-a"})
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	})
	t.Run("counts", func(t *testing.T) {
		w := a.do(req{method: "GET", target: "/counts", tenant: "dealer-a"})
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		n := decode[storage.Counts](t, w.Body.Bytes())
		assert.Equal(t, int64(2), n.Total)
		assert.Equal(t, int64(1), n.Companies)
		w = a.do(req{method: "GET", target: "/counts", tenant: "dealer-b"})
		assert.Zero(t, decode[storage.Counts](t, w.Body.Bytes()).Total)
		problem(t, a.do(req{method: "GET", target: "/counts?status=x", tenant: "dealer-a"}), http.StatusBadRequest, "query.invalid")
	})
	t.Run("changes", func(t *testing.T) {
		type feed struct {
			Items     []storage.Change `json:"items"`
			NextAfter int64            `json:"next_after"`
		}
		w := a.do(req{method: "GET", target: "/changes?limit=1", tenant: "dealer-a"})
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		f := decode[feed](t, w.Body.Bytes())
		require.Len(t, f.Items, 1)
		assert.Equal(t, int64(1), f.NextAfter)
		assert.Equal(t, c.ID, f.Items[0].CustomerID)
		w = a.do(req{method: "GET", target: "/changes?after=1", tenant: "dealer-a"})
		f = decode[feed](t, w.Body.Bytes())
		require.Len(t, f.Items, 1)
		assert.Equal(t, int64(2), f.NextAfter)
		w = a.do(req{method: "GET", target: "/changes?after=2", tenant: "dealer-a"})
		assert.JSONEq(t, `{"items":[],"next_after":2}`, w.Body.String())
		w = a.do(req{method: "GET", target: "/changes", tenant: "dealer-b"})
		assert.JSONEq(t, `{"items":[],"next_after":0}`, w.Body.String())
		problem(t, a.do(req{method: "GET", target: "/changes?after=-1", tenant: "dealer-a"}), http.StatusBadRequest, "query.invalid")
		problem(t, a.do(req{method: "GET", target: "/changes?after=x", tenant: "dealer-a"}), http.StatusBadRequest, "query.invalid")
		problem(t, a.do(req{method: "GET", target: "/changes?limit=-1", tenant: "dealer-a"}), http.StatusBadRequest, "limit.invalid")
	})
}

func TestAgenda(t *testing.T) {
	t.Parallel()
	a := newAPI(t, nil)
	c := a.create("dealer-a", storagetest.Full(time.Now()))
	due := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)
	body := `{"customer_id":"` + c.ID.String() + `","due":"` + due.Format(time.RFC3339) + `","attendant":{"id":"att-1","name":"Ana"},"subject":"revisão","channel":"phone"}`

	w := a.do(req{method: "POST", target: "/agenda", tenant: "dealer-a", body: body})
	require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	assert.Equal(t, `"v1"`, versionOf(w.Header().Get("ETag")))
	it := decode[agenda.Item](t, w.Body.Bytes())
	assert.Equal(t, "/agenda/"+it.ID.String(), w.Header().Get("Location"))
	assert.Equal(t, agenda.Open, it.Status)
	item := "/agenda/" + it.ID.String()

	w = a.do(req{method: "GET", target: item, tenant: "dealer-a"})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, `"v1"`, versionOf(w.Header().Get("ETag")))

	past := `{"customer_id":"` + c.ID.String() + `","due":"` + time.Now().Add(-time.Hour).UTC().Format(time.RFC3339) + `","attendant":{"id":"att-2"},"subject":"ligar"}`
	w = a.do(req{method: "POST", target: "/agenda", tenant: "dealer-a", body: past})
	require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	overdue := decode[agenda.Item](t, w.Body.Bytes())

	list := func(target, tenant string) []agenda.Item {
		t.Helper()
		w := a.do(req{method: "GET", target: target, tenant: tenant})
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		return decode[agendaPage](t, w.Body.Bytes()).Items
	}
	assert.Len(t, list("/agenda", "dealer-a"), 2)
	assert.Len(t, list("/agenda?attendant=att-1", "dealer-a"), 1)
	assert.Len(t, list("/agenda?customer_id="+c.ID.String()+"&status=open&from="+url.QueryEscape(time.Now().UTC().Format(time.RFC3339)), "dealer-a"), 1)
	assert.Len(t, list("/agenda/overdue", "dealer-a"), 1)
	assert.Equal(t, overdue.ID, list("/agenda/overdue?attendant=att-2", "dealer-a")[0].ID)
	sp, err := time.LoadLocation("America/Sao_Paulo")
	require.NoError(t, err)
	assert.Len(t, list("/agenda/day?attendant=att-1&date="+due.In(sp).Format("2006-01-02"), "dealer-a"), 1)
	assert.Empty(t, list("/agenda/day?attendant=att-1&date=2000-01-01", "dealer-a"))

	t.Run("another tenant", func(t *testing.T) {
		assert.Empty(t, list("/agenda", "dealer-b"))
		assert.Empty(t, list("/agenda/overdue", "dealer-b"))
		assert.Empty(t, list("/agenda/day?date="+due.In(sp).Format("2006-01-02"), "dealer-b"))
		problem(t, a.do(req{method: "GET", target: item, tenant: "dealer-b"}), http.StatusNotFound, "agenda.not_found")
		problem(t, a.do(req{method: "POST", target: item + "/reschedule", tenant: "dealer-b", body: `{"due":"2030-01-01T10:00:00Z"}`, header: ifMatch(`"v1"`)}), http.StatusNotFound, "agenda.not_found")
		problem(t, a.do(req{method: "POST", target: item + "/complete", tenant: "dealer-b", body: `{}`, header: ifMatch(`"v1"`)}), http.StatusNotFound, "agenda.not_found")
		problem(t, a.do(req{method: "POST", target: item + "/cancel", tenant: "dealer-b", header: ifMatch(`"v1"`)}), http.StatusNotFound, "agenda.not_found")
		p := problem(t, a.do(req{method: "POST", target: "/agenda", tenant: "dealer-b", body: body}), http.StatusUnprocessableEntity, "validation")
		assert.Equal(t, "customer_id", p.Errors[0].Path)
	})
	t.Run("errors", func(t *testing.T) {
		problem(t, a.do(req{method: "GET", target: "/agenda/x", tenant: "dealer-a"}), http.StatusNotFound, "agenda.not_found")
		problem(t, a.do(req{method: "GET", target: "/agenda/" + c.ID.String(), tenant: "dealer-a"}), http.StatusNotFound, "agenda.not_found")
		w := a.do(req{method: "POST", target: "/agenda", tenant: "dealer-a", body: `{"customer_id":"x","due":"amanhã","channel":"fax","status":"done","subject":"4111 1111 1111 1111"}`})
		p := problem(t, w, http.StatusUnprocessableEntity, "validation")
		var got []string
		for _, f := range p.Errors {
			got = append(got, f.Path)
		}
		assert.Subset(t, got, []string{"customer_id", "due", "channel", "status", "subject"})
		assert.NotContains(t, w.Body.String(), "4111")
		assert.NotContains(t, w.Body.String(), "amanhã")
		problem(t, a.do(req{method: "POST", target: "/agenda", tenant: "dealer-a", body: `[`}), http.StatusBadRequest, "json.malformed")
		for _, q := range []string{"status=late", "customer_id=x", "from=ontem", "limit=x", "nome=1"} {
			problem(t, a.do(req{method: "GET", target: "/agenda?" + q, tenant: "dealer-a"}), http.StatusBadRequest, "query.invalid")
		}
		problem(t, a.do(req{method: "GET", target: "/agenda?cursor=x", tenant: "dealer-a"}), http.StatusBadRequest, "cursor.invalid")
		problem(t, a.do(req{method: "GET", target: "/agenda/overdue?limit=-1", tenant: "dealer-a"}), http.StatusBadRequest, "limit.invalid")
		problem(t, a.do(req{method: "GET", target: "/agenda/day?attendant=att-1", tenant: "dealer-a"}), http.StatusBadRequest, "query.invalid")
		problem(t, a.do(req{method: "GET", target: "/agenda/day?date=2026-02-30", tenant: "dealer-a"}), http.StatusBadRequest, "query.invalid")
	})
	t.Run("reschedule, complete, cancel", func(t *testing.T) {
		newDue := due.Add(24 * time.Hour).Format(time.RFC3339)
		problem(t, a.do(req{method: "POST", target: item + "/reschedule", tenant: "dealer-a", body: `{"due":"` + newDue + `"}`}), http.StatusPreconditionRequired, "version.required")
		problem(t, a.do(req{method: "POST", target: item + "/reschedule", tenant: "dealer-a", body: `{"due":"` + newDue + `"}`, header: ifMatch(`"v9"`)}), http.StatusPreconditionFailed, "agenda.stale")
		problem(t, a.do(req{method: "POST", target: item + "/reschedule", tenant: "dealer-a", body: `{"due":"` + newDue + `"}`, header: ifMatch(`W/"v1"`)}), http.StatusPreconditionFailed, "agenda.stale")
		p := problem(t, a.do(req{method: "POST", target: item + "/reschedule", tenant: "dealer-a", body: `{}`, header: ifMatch(`"v1"`)}), http.StatusUnprocessableEntity, "validation")
		assert.Equal(t, "due", p.Errors[0].Path)
		p = problem(t, a.do(req{method: "POST", target: item + "/reschedule", tenant: "dealer-a", body: `{"due":"0001-01-01T10:00:00Z"}`, header: ifMatch(`"v1"`)}), http.StatusUnprocessableEntity, "validation")
		assert.Equal(t, "due", p.Errors[0].Path)
		problem(t, a.do(req{method: "POST", target: item + "/reschedule", tenant: "dealer-a", header: ifMatch(`"v1"`)}), http.StatusUnsupportedMediaType, "media_type")
		w := a.do(req{method: "POST", target: item + "/reschedule", tenant: "dealer-a", body: `{"due":"` + newDue + `"}`, header: map[string]string{"If-Match": `"v1"`, "X-Actor": "att-1"}})
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		assert.Equal(t, `"v2"`, versionOf(w.Header().Get("ETag")))
		assert.Len(t, decode[agenda.Item](t, w.Body.Bytes()).Reschedules, 1)

		// Complete with an attendance of another customer, then with one of its own.
		stranger := a.create("dealer-a", storagetest.Individual(8))
		foreign, err := a.store.Attend(t.Context(), "dealer-a", &attendance.Attendance{CustomerID: stranger.ID, Channel: attendance.Phone, Reason: attendance.Sales})
		require.NoError(t, err)
		p = problem(t, a.do(req{method: "POST", target: item + "/complete", tenant: "dealer-a", body: `{"attendance_id":"` + foreign.ID.String() + `"}`, header: ifMatch(`"v2"`)}), http.StatusUnprocessableEntity, "validation")
		assert.Equal(t, "attendance_id", p.Errors[0].Path)
		p = problem(t, a.do(req{method: "POST", target: item + "/complete", tenant: "dealer-a", body: `{"attendance_id":"x","x":1}`, header: ifMatch(`"v2"`)}), http.StatusUnprocessableEntity, "validation")
		assert.Len(t, p.Errors, 2)
		own, err := a.store.Attend(t.Context(), "dealer-a", &attendance.Attendance{CustomerID: c.ID, Channel: attendance.Phone, Reason: attendance.Sales, AgendaItem: it.ID})
		require.NoError(t, err)
		w = a.do(req{method: "POST", target: item + "/complete", tenant: "dealer-a", body: `{"attendance_id":"` + own.ID.String() + `"}`, header: ifMatch(`"v2"`)})
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		done := decode[agenda.Item](t, w.Body.Bytes())
		assert.Equal(t, agenda.Done, done.Status)
		assert.Equal(t, own.ID, done.ResolvedBy)
		problem(t, a.do(req{method: "POST", target: item + "/cancel", tenant: "dealer-a", header: ifMatch(`"v3"`)}), http.StatusConflict, "agenda.closed")
		problem(t, a.do(req{method: "POST", target: item + "/reschedule", tenant: "dealer-a", body: `{"due":"` + newDue + `"}`, header: ifMatch(`"v3"`)}), http.StatusConflict, "agenda.closed")

		// Cancel and complete need no body.
		w = a.do(req{method: "POST", target: "/agenda/" + overdue.ID.String() + "/cancel", tenant: "dealer-a", header: ifMatch(`"v1"`)})
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		assert.Equal(t, agenda.Cancelled, decode[agenda.Item](t, w.Body.Bytes()).Status)
		problem(t, a.do(req{method: "POST", target: "/agenda/" + overdue.ID.String() + "/complete", tenant: "dealer-a", header: ifMatch(`"v2"`)}), http.StatusConflict, "agenda.closed")
		problem(t, a.do(req{method: "POST", target: "/agenda/" + overdue.ID.String() + "/cancel", tenant: "dealer-a", body: `{"x":1}`, header: ifMatch(`"v2"`)}), http.StatusUnprocessableEntity, "validation")
		assert.Empty(t, list("/agenda/overdue", "dealer-a"))
		assert.True(t, strings.HasPrefix(item, "/agenda/"))
	})
}
