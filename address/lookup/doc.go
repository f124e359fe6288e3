// Package lookup combines CEP services into one [address.Lookup] that
// never keeps the attendant waiting long.
//
// The services themselves (packages viacep and brasilapi, or any type a
// host writes) implement [address.Lookup]; this package composes them:
//
//   - [First] asks them all at once and takes the first complete answer;
//   - [Sequential] asks them in turn, falling back on failure;
//   - [WithOffline] still answers with the CEP's state, from the official
//     ranges, when no service can;
//   - [Cache] remembers answers and shares one request among concurrent
//     callers.
//
// Each of the four checks every answer of the provider it wraps, so a
// bare provider under [Cache] or [WithOffline] is checked as under
// [First] or [Sequential]: an answer that names another CEP, a state
// that the CEP's official range contradicts ([ErrMismatch]), or text
// that [address.Result.Check] refuses is treated as unavailable (and
// neither returned nor cached). A zero CEP, or one outside every
// official range, is [address.ErrLookupInvalid] before anyone is asked.
// Failures fold into the errors of package address, so callers test
// them with errors.Is against [address.ErrLookupNotFound],
// [address.ErrLookupInvalid] and [address.ErrLookupUnavailable].
// [address.Fill] then copies an answer into an [address.Address].
//
// [First] and [Cache] call providers in goroutines of their own, where
// no caller could recover a panic: there a provider's panic comes back
// as a [*PanicError], which matches [address.ErrLookupUnavailable].
// [Sequential] and [WithOffline] call them in the caller's goroutine,
// where a panic propagates as from any call. Every constructor panics
// when given a nil provider.
//
// A typical chain, built once and shared by every request:
//
//	ceps := lookup.NewCache(lookup.WithOffline(lookup.First(viacep.New(nil), brasilapi.New(nil))), nil)
package lookup
