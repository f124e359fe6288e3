package lookup

import (
	"context"
	"errors"
	"fmt"

	"github.com/fichacrm/ficha/address"
)

// ErrMismatch is wrapped (with address.ErrLookupUnavailable) when a
// service answers with a state that the CEP's official range contradicts.
var ErrMismatch = errors.New("lookup: the service's state disagrees with the CEP's range")

// ask asks one provider and checks its answer: the state must agree with
// the CEP's range. An answer that does not is the service's mistake, not
// a fact.
func ask(ctx context.Context, p address.Lookup, cep address.CEP) (address.Result, error) {
	r, err := p.Lookup(ctx, cep)
	if err != nil {
		return r, err
	}
	if r.UF.IsValid() && r.UF != cep.UF() {
		return address.Result{}, fmt.Errorf("%w: %w", address.ErrLookupUnavailable, ErrMismatch)
	}
	r.CEP = cep
	return r, nil
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
	if len(errs) == 1 && errors.Is(errs[0], address.ErrLookupUnavailable) {
		return errs[0]
	}
	return fmt.Errorf("%w: %w", address.ErrLookupUnavailable, errors.Join(errs...))
}

// Sequential asks the providers in order and returns the first complete
// answer (one with the city and state) whose state agrees with the CEP's
// range; an incomplete answer is kept in case no provider does better.
// If all fail, it returns their folded error, as [First] does.
func Sequential(providers ...address.Lookup) address.Lookup {
	return address.LookupFunc(func(ctx context.Context, cep address.CEP) (address.Result, error) {
		if cep.IsZero() {
			return address.Result{}, address.ErrLookupInvalid
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

// First asks every provider at once and returns the first complete answer
// whose state agrees with the CEP's range, cancelling the others. If none
// is complete it returns the first incomplete one; if all fail, their
// folded error (a definite "not found" wins over "unavailable"). An
// answer whose state the CEP's range contradicts counts as a failure
// wrapping [ErrMismatch].
func First(providers ...address.Lookup) address.Lookup {
	return address.LookupFunc(func(ctx context.Context, cep address.CEP) (address.Result, error) {
		if cep.IsZero() {
			return address.Result{}, address.ErrLookupInvalid
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
				r, err := ask(ctx, p, cep)
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

// WithOffline returns a Lookup that, when l is unavailable, still answers
// with the CEP's state from the official ranges (Result.Offline set), so
// the attendant can go on typing the rest. Not-found and invalid answers,
// and the caller's cancellation, pass through.
func WithOffline(l address.Lookup) address.Lookup {
	return address.LookupFunc(func(ctx context.Context, cep address.CEP) (address.Result, error) {
		r, err := l.Lookup(ctx, cep)
		if err == nil || ctx.Err() != nil || !errors.Is(err, address.ErrLookupUnavailable) || definitelyNotFound(err) {
			return r, err
		}
		return address.Result{CEP: cep, UF: cep.UF(), Source: "offline", Offline: true}, nil
	})
}
