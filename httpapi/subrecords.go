package httpapi

import (
	"net/http"
	"reflect"
	"slices"
	"strconv"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/asset"
	"github.com/fichacrm/ficha/contact"
	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/reference"
	"github.com/fichacrm/ficha/validation"
)

// A subList is one list of a customer's record that the API changes an
// entry at a time: POST /customers/{id}/{list} appends an entry, PUT and
// DELETE /customers/{id}/{list}/{index} replace and remove one. Each is a
// versioned write of the whole customer.
type subList interface {
	// name is the list's JSON name in the customer, and its path segment.
	name() string
	// len returns how many entries c's list holds.
	len(c *customer.Customer) int
	// parse reads one entry from src, a decoded JSON value, recording
	// every failure in v under path ("addresses[2]").
	parse(src any, path string, v *validation.Error) any
	// put sets c's entry i to e, or appends it when i is the list's length.
	put(c *customer.Customer, i int, e any)
	// remove removes c's entry i.
	remove(c *customer.Customer, i int)
}

// list is a subList whose entries the request carries as In and the
// customer holds as Out.
type list[In, Out any] struct {
	json  string
	field func(c *customer.Customer) *[]Out
	read  func(in In, v *validation.Error, path string) Out
}

func (l list[In, Out]) name() string { return l.json }

func (l list[In, Out]) len(c *customer.Customer) int { return len(*l.field(c)) }

func (l list[In, Out]) parse(src any, path string, v *validation.Error) any {
	var in In
	assign(src, reflect.ValueOf(&in).Elem(), path, v)
	return l.read(in, v, path)
}

func (l list[In, Out]) put(c *customer.Customer, i int, e any) {
	f := l.field(c)
	if i == len(*f) {
		*f = append(*f, e.(Out))
		return
	}
	(*f)[i] = e.(Out)
}

func (l list[In, Out]) remove(c *customer.Customer, i int) {
	f := l.field(c)
	*f = slices.Delete(*f, i, i+1)
	if len(*f) == 0 {
		*f = nil
	}
}

// subLists are the lists of the record the API changes an entry at a time,
// read by the same readers as the whole record's. A test holds it to every
// list of customer.Customer.
var subLists = []subList{
	list[string, contact.Phone]{"phones", func(c *customer.Customer) *[]contact.Phone { return &c.Phones }, phone},
	list[string, contact.Email]{"emails", func(c *customer.Customer) *[]contact.Email { return &c.Emails }, email},
	list[string, string]{"service_orders", func(c *customer.Customer) *[]string { return &c.ServiceOrders }, serviceOrder},
	list[addressIn, address.Address]{"addresses", func(c *customer.Customer) *[]address.Address { return &c.Addresses }, addressIn.address},
	list[assetIn, asset.Asset]{"assets", func(c *customer.Customer) *[]asset.Asset { return &c.Assets }, assetIn.asset},
	list[personalIn, reference.Personal]{"personal_references", func(c *customer.Customer) *[]reference.Personal { return &c.PersonalReferences }, personalIn.personal},
	list[bankIn, reference.Bank]{"bank_references", func(c *customer.Customer) *[]reference.Bank { return &c.BankReferences }, bankIn.bank},
	list[cardIn, reference.Card]{"cards", func(c *customer.Customer) *[]reference.Card { return &c.Cards }, cardIn.card},
	list[contactIn, contact.Contact]{"contacts", func(c *customer.Customer) *[]contact.Contact { return &c.Contacts }, contactIn.contact},
}

// entryIndex returns the path's {index} when it names one of n entries,
// written as a plain decimal number; it answers 404 otherwise.
func entryIndex(w http.ResponseWriter, r *http.Request, n int) (int, bool) {
	s := r.PathValue("index")
	i, err := strconv.Atoi(s)
	if err != nil || i < 0 || i >= n || strconv.Itoa(i) != s {
		writeProblem(w, r, problem{status: http.StatusNotFound, code: codeNoEntry})
		return 0, false
	}
	return i, true
}

// editCustomer serves a versioned write of one part of a customer: it
// reads the body, when withBody, as one JSON value; reads the customer at
// the version If-Match names; lets edit change the copy it read (edit
// answers the request itself and returns false when it cannot); and saves
// the copy with Store.Update, so that the store's validation and edit
// policy apply and its change log records the write. The answer is the
// customer as saved, with its new ETag.
func (h *handler) editCustomer(w http.ResponseWriter, r *http.Request, c call, withBody bool, edit func(cu *customer.Customer, src any) bool) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	m, ok := precondition(w, r)
	if !ok {
		return
	}
	var src any
	if withBody {
		b, ok := readBody(w, r, h.maxBody, "application/json")
		if !ok {
			return
		}
		var err error
		if src, err = parseValue(b); err != nil {
			writeProblem(w, r, problem{status: http.StatusBadRequest, code: codeMalformed})
			return
		}
	}
	cu, ok := h.current(w, r, c, id, m)
	if !ok {
		return
	}
	if !edit(cu, src) {
		return
	}
	h.save(w, r, c, cu, m.version)
}

// setEntry parses src as entry i of l and puts it in cu. When the entry
// fails to parse it answers 422 with its failures and the rest of the
// record's, at their paths in the whole record, and returns false.
func (h *handler) setEntry(w http.ResponseWriter, r *http.Request, l subList, cu *customer.Customer, i int, src any) bool {
	var v validation.Error
	e := l.parse(src, validation.Index(l.name(), i), &v)
	l.put(cu, i, e)
	if len(v.Fields) > 0 {
		h.validateRest(cu, &v)
		writeProblem(w, r, invalid(&v))
		return false
	}
	return true
}

// appendEntry serves POST /customers/{id}/{list}.
func (h *handler) appendEntry(w http.ResponseWriter, r *http.Request, c call, l subList) {
	h.editCustomer(w, r, c, true, func(cu *customer.Customer, src any) bool {
		return h.setEntry(w, r, l, cu, l.len(cu), src)
	})
}

// replaceEntry serves PUT /customers/{id}/{list}/{index}.
func (h *handler) replaceEntry(w http.ResponseWriter, r *http.Request, c call, l subList) {
	h.editCustomer(w, r, c, true, func(cu *customer.Customer, src any) bool {
		i, ok := entryIndex(w, r, l.len(cu))
		return ok && h.setEntry(w, r, l, cu, i, src)
	})
}

// removeEntry serves DELETE /customers/{id}/{list}/{index}.
func (h *handler) removeEntry(w http.ResponseWriter, r *http.Request, c call, l subList) {
	h.editCustomer(w, r, c, false, func(cu *customer.Customer, _ any) bool {
		i, ok := entryIndex(w, r, l.len(cu))
		if ok {
			l.remove(cu, i)
		}
		return ok
	})
}

// putInfo serves PUT /customers/{id}/info/{key}: the body is the value, a
// JSON string. A key that cannot be one is answered 422 at "info", without
// repeating it, as customer validation reports it.
func (h *handler) putInfo(w http.ResponseWriter, r *http.Request, c call) {
	key := r.PathValue("key")
	h.editCustomer(w, r, c, true, func(cu *customer.Customer, src any) bool {
		var v validation.Error
		if !customer.IsInfoKey(key) {
			v.Add("info", customer.ErrInfoKey)
		}
		var s string
		if src == nil {
			// null is no string: the whole record's {"info":{"k":null}}
			// is refused the same way (DELETE removes a value).
			v.Add(keyPath("info", key), errJSONType)
		} else {
			assign(src, reflect.ValueOf(&s).Elem(), keyPath("info", key), &v)
		}
		if len(v.Fields) > 0 {
			writeProblem(w, r, invalid(&v))
			return false
		}
		if cu.Info == nil {
			cu.Info = map[string]string{}
		}
		cu.Info[key] = s
		return true
	})
}

// deleteInfo serves DELETE /customers/{id}/info/{key}.
func (h *handler) deleteInfo(w http.ResponseWriter, r *http.Request, c call) {
	key := r.PathValue("key")
	h.editCustomer(w, r, c, false, func(cu *customer.Customer, _ any) bool {
		if _, ok := cu.Info[key]; !ok {
			writeProblem(w, r, problem{status: http.StatusNotFound, code: codeNoEntry})
			return false
		}
		delete(cu.Info, key)
		if len(cu.Info) == 0 {
			cu.Info = nil
		}
		return true
	})
}
