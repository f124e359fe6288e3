// Package httpapi serves a [storage.Store] over HTTP as one [http.Handler]
// that a host mounts where it likes (under a prefix with
// [http.StripPrefix]). It is a JSON API in snake_case, the customer's own
// JSON: money as strings with two decimals ("62000.00"), dates as
// YYYY-MM-DD, times as RFC 3339 in UTC, identifiers in their canonical form.
//
// # Routes
//
//	GET    /customers                 list (order, status, kind, updated_since, ..., cursor, limit)
//	GET    /customers/search          search by any key of customer.Query (name, phone, tax_id, ...)
//	POST   /customers                 create
//	GET    /customers/{id}            read, with an ETag
//	PUT    /customers/{id}            replace, If-Match required
//	PATCH  /customers/{id}            JSON Merge Patch (RFC 7396), If-Match required
//	DELETE /customers/{id}            delete, If-Match required
//	GET    /customers/{id}/history    the change log, newest first, paged by before
//	GET    /customers/{id}/sheet      the printable sheet: HTML, or text with Accept: text/plain or ?format=text; ?lang=en|pt-BR
//	GET    /customers/{id}/locked     the parts of the record the edit policy locks, for a form
//	GET    /info/fields               the additional-information fields of a kind (kind=individual|company)
//	GET    /cep/{cep}                 CEP lookup through Options.Lookup
//
// Each list of the record (phones, emails, service_orders, addresses,
// assets, personal_references, bank_references, cards, contacts) and the
// additional information change an entry at a time, without sending the
// whole customer:
//
//	POST   /customers/{id}/{list}          append one entry (the body is the entry's JSON)
//	PUT    /customers/{id}/{list}/{index}  replace the entry at index (from 0)
//	DELETE /customers/{id}/{list}/{index}  remove it; the entries after it move up
//	PUT    /customers/{id}/info/{key}      set one value of the additional information (a JSON string)
//	DELETE /customers/{id}/info/{key}      remove it
//
// Each is a versioned write of the whole customer, through Store.Update,
// so that validation, the edit policy and the change log apply as to a PUT:
// If-Match with the customer's ETag is required, and the answer is the
// customer as saved, with its new ETag. An index or key the customer does
// not have is 404 ("entry.not_found"); a failed entry is a 422 at its path
// in the whole record ("addresses[2].cep").
//
// The record's history, the agenda and the tenant's lists:
//
//	POST   /customers/{id}/attendances   record an attendance (Store.Attend)
//	GET    /customers/{id}/attendances   its attendances, newest first, paged by cursor
//	GET    /customers/{id}/freshness     when each section was last confirmed or changed
//	GET    /stale                        customers whose section was last fresh before a time (section, before)
//	POST   /agenda                       schedule a contact; its ETag is the item's version
//	GET    /agenda                       items by attendant, customer_id, status, from, to; paged
//	GET    /agenda/day                   an attendant's day (attendant, date=YYYY-MM-DD), every status
//	GET    /agenda/overdue               open items due before now, oldest first; paged
//	GET    /agenda/{id}                  one item, with its ETag
//	POST   /agenda/{id}/reschedule       move it ({"due": ...}), If-Match required
//	POST   /agenda/{id}/complete         mark it done ({"attendance_id": ...}, optional), If-Match required
//	POST   /agenda/{id}/cancel           cancel it, If-Match required
//	GET    /birthdays                    birthdays from one day to another (from, to), paged
//	GET    /counts                       the tenant's customers by status and kind
//	GET    /changes                      the tenant's change feed after a sequence number (after, limit)
//	GET    /openapi.json                 the OpenAPI 3.1 document of every route; it needs no tenant
//
// Another tenant's customer, attendance or agenda item is not found (404);
// its lists are empty. A done or cancelled item cannot change (409).
//
// # Tenant and actor
//
// The tenant of every request comes only from the [TenantFunc] given to
// [New], and the actor of every write only from [Options.Actor]; nothing
// in a body or a query names either. The actor is put in the request's context with
// [storage.WithActor], where the store finds it. A request whose tenant
// cannot be found is answered 401; so is one whose actor function fails.
// A write the store refuses for its actor ([storage.ErrActor]: none when
// the store requires one, or one with invalid fields) is answered 403.
//
// # Versions
//
// A customer's ETag is its version and a token of its creation time, as in
// "v3.mfx1b0qk2w". PUT, PATCH, DELETE and the edits of one entry require
// If-Match with the tag read: 428 without it, 412 when the customer has
// moved on, or is another customer created under a deleted one's ID,
// whose versions start again at 1 (or when the header holds anything but
// one tag of this form: "*", weak tags and lists are not accepted). A bare
// version, "v3", is still accepted, and names the version of whichever
// customer holds the ID.
//
// The ID of a customer merged into another still reads: GET answers the
// survivor. A write that names it in the path (PUT, PATCH, DELETE, an
// entry's edit, the anonymisation, an attendance, a consent, an opt-out),
// or in the body (an agenda item, a data subject's request), is answered
// 409 customer.merged, with the survivor's URL in Location: a write names
// the record it changes. The version and the
// times a body carries are ignored (they are the store's); a body's id must
// be the path's. A created_at sent back through a JavaScript Date, to the
// millisecond, is no change; any other change of it is a locked field.
//
// # Errors
//
// Every error is an RFC 9457 problem (application/problem+json) with a
// stable code, and a title in the language Accept-Language asks for:
// Brazilian Portuguese unless English is preferred. A body that fails is
// answered 422 with every failed field at once, each with its JSON path
// ("phones[1]", "addresses[0].cep"), code and message:
//
//	{"type":"urn:ficha:problem:validation","title":"Dados inválidos","status":422,
//	 "code":"validation","errors":[{"path":"tax_id","code":"cpf.check_digit","message":"..."}]}
//
// Identifiers, dates and amounts are read as text and parsed field by
// field, so one bad CPF does not hide a bad CEP. A field the API does not
// know is refused, with code "field.unknown" at its path, and so is a value
// of the wrong JSON type ("json.type"): a misspelt field would otherwise be
// dropped without a word. Malformed JSON is 400, a body over
// [Options.MaxBody] 413, a body that is not JSON 415.
//
// The other answers: not found 404 (another tenant's customer too), a
// duplicate CPF/CNPJ 409 (naming neither the tax ID nor its holder), an ID
// taken 409, an update of a locked field 422 with the fields' paths (code
// "field.locked"), a bad cursor, limit or query parameter 400, a deadline
// that passed 504, a closed store or a CEP service that is down 503, and
// anything else 500 with a generic problem. No answer repeats a value the
// client sent or a database's message, and the package logs nothing.
package httpapi
