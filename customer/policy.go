package customer

import (
	"strings"

	"github.com/fichacrm/ficha/validation"
)

// ErrFieldLocked is the rule an update breaks when it changes a field the
// edit policy locks (step 5 of the attendance: only the enabled fields can
// be changed).
var ErrFieldLocked = validation.NewRule("field.locked", "this field cannot be changed", "este campo não pode ser alterado")

// Policy decides which fields of a customer an update may change. Storage
// applies one to every update, so the rule holds whatever UI or service
// sent the change.
type Policy interface {
	// Locked returns those of the changed paths (as [Diff] reports them)
	// that may not change in old, the stored record.
	Locked(old *Customer, changed []string) []string
}

// Lock is a [Policy] that locks fields by path. A path locks itself and
// everything below it: "addresses" locks "addresses[0].cep", and
// "addresses[0]" locks only that address.
type Lock struct {
	Paths []string
	// If, when set, limits the lock to the records it reports true for,
	// such as records synced from the DMS, or customers (not prospects).
	// The fields If reads must be among Paths: otherwise one update could
	// lift the condition, a second change the locked field, and a third
	// restore the condition, reaching a state no single update may reach.
	If func(old *Customer) bool
}

// Locked implements [Policy].
func (l Lock) Locked(old *Customer, changed []string) []string {
	if l.If != nil && !l.If(old) {
		return nil
	}
	var out []string
	for _, c := range changed {
		for _, p := range l.Paths {
			if covers(p, c) {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// covers reports whether a lock on path p applies to the changed path c.
func covers(p, c string) bool {
	if !strings.HasPrefix(c, p) {
		return false
	}
	rest := c[len(p):]
	return rest == "" || rest[0] == '.' || rest[0] == '['
}

// Policies combines policies: a field is locked if any of them locks it.
type Policies []Policy

// Locked implements [Policy].
func (ps Policies) Locked(old *Customer, changed []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range ps {
		for _, c := range p.Locked(old, changed) {
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	return out
}

// IsCustomer reports whether the record is a customer proper
// ([StatusCustomer]), not a prospect; for [Lock.If].
func IsCustomer(c *Customer) bool { return c.Status == StatusCustomer }

// Immutable locks what no update may change: the ID, the creation time and
// the version (storage sets the next one).
var Immutable = Lock{Paths: []string{"id", "created_at", "version"}}

// DefaultPolicy is the edit policy a dealership expects: [Immutable], and
// for customers proper (not prospects) the tax ID and the kind, which the
// invoices already issued depend on, and the status itself: a customer
// never goes back to prospect, so the lock cannot be lifted by a detour
// through that status. Everything else may change.
var DefaultPolicy Policy = Policies{Immutable, Lock{Paths: []string{"tax_id", "kind", "status"}, If: IsCustomer}}

// CheckPolicy diffs the stored record old against new and returns a
// *ValidationError naming every changed field that p locks (code
// "field.locked"), or nil.
func CheckPolicy(p Policy, old, new *Customer) error {
	var v validation.Error
	for _, path := range p.Locked(old, Diff(old, new)) {
		v.Add(path, ErrFieldLocked)
	}
	return v.Err()
}
