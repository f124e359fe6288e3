package lookup

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"

	"github.com/fichacrm/ficha/address"
)

// ErrMismatch is wrapped (with address.ErrLookupUnavailable) when a
// service answers with a state that the CEP's official range contradicts.
var ErrMismatch = errors.New("lookup: the service's state disagrees with the CEP's range")

// errNoProviders is the failure of a [First] or [Sequential] given no
// provider at all.
var errNoProviders = fmt.Errorf("%w: no CEP service to ask", address.ErrLookupUnavailable)

// PanicError is the error of a provider that panicked in a goroutine of
// this package's own ([First], [Cache]), where no caller could recover
// it. It matches address.ErrLookupUnavailable; callers reach it with
// errors.As to log what happened. Its message never shows the panic
// value, which may hold personal data.
type PanicError struct {
	// Value is what the provider passed to panic.
	Value any
	// Stack is the provider's goroutine stack when it panicked.
	Stack []byte
}

// Error says that a provider panicked, without the panic value.
func (e *PanicError) Error() string {
	return address.ErrLookupUnavailable.Error() + ": a CEP provider panicked"
}

// Unwrap returns address.ErrLookupUnavailable, so that errors.Is matches
// it (and never the panic value, were it an error).
func (e *PanicError) Unwrap() error { return address.ErrLookupUnavailable }

// mustProvider panics, naming the constructor, when p is nil: a nil
// provider is a programming error, caught where it is made rather than
// in a goroutine at the first lookup.
func mustProvider(constructor string, p address.Lookup) {
	if f, ok := p.(address.LookupFunc); p == nil || ok && f == nil {
		panic("lookup." + constructor + ": nil provider")
	}
}

// checkCEP returns address.ErrLookupInvalid for a CEP that no service
// can know: the zero value, or one outside every official range (only
// [address.CEP.Scan] lets such a CEP through).
func checkCEP(cep address.CEP) error {
	if cep.UF() == 0 {
		return address.ErrLookupInvalid
	}
	return nil
}

// ask asks one provider and checks its answer: the CEP, if it names one,
// must be the one asked; the state must agree with the CEP's range; the
// text must pass [address.Result.Check]. An answer that does not is the
// service's mistake, not a fact.
func ask(ctx context.Context, p address.Lookup, cep address.CEP) (address.Result, error) {
	r, err := p.Lookup(ctx, cep)
	if err != nil {
		return address.Result{}, err
	}
	if !r.CEP.IsZero() && r.CEP != cep {
		return address.Result{}, fmt.Errorf("%w: malformed answer: it is for another CEP", address.ErrLookupUnavailable)
	}
	if r.UF.IsValid() && r.UF != cep.UF() {
		return address.Result{}, fmt.Errorf("%w: %w", address.ErrLookupUnavailable, ErrMismatch)
	}
	if err := r.Check(); err != nil {
		return address.Result{}, fmt.Errorf("%w: malformed answer: %v", address.ErrLookupUnavailable, err)
	}
	r.CEP = cep
	return r, nil
}

// askRecovering is [ask] for a goroutine of this package: a panic of the
// provider becomes a [*PanicError] instead of ending the process.
func askRecovering(ctx context.Context, p address.Lookup, cep address.CEP) (r address.Result, err error) {
	defer func() {
		if v := recover(); v != nil {
			r, err = address.Result{}, &PanicError{Value: v, Stack: debug.Stack()}
		}
	}()
	return ask(ctx, p, cep)
}

// definitelyNotFound reports whether err says the CEP does not exist, not
// that the service could not tell (BrasilAPI answers 404 for both).
func definitelyNotFound(err error) bool {
	return errors.Is(err, address.ErrLookupNotFound) && !errors.Is(err, address.ErrLookupUnavailable)
}

// outcome folds the failures of several providers into one error: a
// definite "not found" wins, then "invalid", else "unavailable" (joined
// with every provider's own error).
func outcome(errs []error) error {
	for _, err := range errs {
		if definitelyNotFound(err) {
			return err
		}
	}
	for _, err := range errs {
		if errors.Is(err, address.ErrLookupInvalid) {
			return err
		}
	}
	switch {
	case len(errs) == 0:
		return errNoProviders
	case len(errs) == 1 && errors.Is(errs[0], address.ErrLookupUnavailable):
		return errs[0]
	}
	return fmt.Errorf("%w: %w", address.ErrLookupUnavailable, errors.Join(errs...))
}

// Sequential asks the providers in order and returns the first complete
// answer (one with the city and state) that passes the checks of the
// package doc; an incomplete answer is kept in case no provider does
// better. If all fail, it returns their folded error, as [First] does;
// with no providers at all, an error matching
// address.ErrLookupUnavailable. A zero CEP, or one outside every
// official range, is address.ErrLookupInvalid and asks no one.
//
// The providers run in the caller's goroutine, so a provider's panic
// reaches the caller as it is. Sequential panics if a provider is nil.
func Sequential(providers ...address.Lookup) address.Lookup {
	for _, p := range providers {
		mustProvider("Sequential", p)
	}
	return address.LookupFunc(func(ctx context.Context, cep address.CEP) (address.Result, error) {
		if err := checkCEP(cep); err != nil {
			return address.Result{}, err
		}
		var partial *address.Result
		var errs []error
		for _, p := range providers {
			if err := ctx.Err(); err != nil {
				return address.Result{}, err
			}
			r, err := ask(ctx, p, cep)
			switch {
			case err != nil:
				errs = append(errs, err)
			case r.Complete():
				return r, nil
			case partial == nil:
				partial = &r
			}
		}
		if partial != nil {
			return *partial, nil
		}
		if err := ctx.Err(); err != nil {
			return address.Result{}, err
		}
		return address.Result{}, outcome(errs)
	})
}

// First asks every provider at once, each in a goroutine of its own, and
// returns the first complete answer that passes the checks of the
// package doc, cancelling the others. If none is complete it returns the
// first incomplete one; if all fail, their folded error (a definite "not
// found" wins over "unavailable"); with no providers at all, an error
// matching address.ErrLookupUnavailable. An answer whose state the CEP's
// range contradicts counts as a failure wrapping [ErrMismatch]; a
// provider that panics, as a [*PanicError]. A zero CEP, or one outside
// every official range, is address.ErrLookupInvalid and asks no one.
//
// First panics if a provider is nil.
func First(providers ...address.Lookup) address.Lookup {
	for _, p := range providers {
		mustProvider("First", p)
	}
	return address.LookupFunc(func(ctx context.Context, cep address.CEP) (address.Result, error) {
		if err := checkCEP(cep); err != nil {
			return address.Result{}, err
		}
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		type answer struct {
			r   address.Result
			err error
		}
		answers := make(chan answer, len(providers))
		for _, p := range providers {
			go func() {
				r, err := askRecovering(ctx, p, cep)
				answers <- answer{r, err}
			}()
		}
		var partial *address.Result
		var errs []error
		for range providers {
			select {
			case a := <-answers:
				switch {
				case a.err != nil:
					errs = append(errs, a.err)
				case a.r.Complete():
					return a.r, nil
				case partial == nil:
					partial = &a.r
				}
			case <-ctx.Done():
				return address.Result{}, ctx.Err()
			}
		}
		if partial != nil {
			return *partial, nil
		}
		return address.Result{}, outcome(errs)
	})
}

// WithOffline returns a Lookup that, when l is unavailable (an answer
// that fails the checks of the package doc included), still answers with
// the CEP's state from the official ranges (Result.Offline set), so the
// attendant can go on typing the rest. Not-found and invalid answers,
// and the caller's cancellation, pass through. A zero CEP, or one outside
// every official range, has no state to give: it is
// address.ErrLookupInvalid and asks no one.
//
// l runs in the caller's goroutine, so its panic reaches the caller as it
// is. WithOffline panics if l is nil.
func WithOffline(l address.Lookup) address.Lookup {
	mustProvider("WithOffline", l)
	return address.LookupFunc(func(ctx context.Context, cep address.CEP) (address.Result, error) {
		if err := checkCEP(cep); err != nil {
			return address.Result{}, err
		}
		r, err := ask(ctx, l, cep)
		if err == nil || ctx.Err() != nil || !errors.Is(err, address.ErrLookupUnavailable) || definitelyNotFound(err) {
			return r, err
		}
		return address.Result{CEP: cep, UF: cep.UF(), Source: "offline", Offline: true}, nil
	})
}
