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
// Every answer is checked against the CEP's official range: a service
// that names another state is treated as unavailable ([ErrMismatch]).
// Failures fold into the errors of package address, so callers test
// them with errors.Is against [address.ErrLookupNotFound],
// [address.ErrLookupInvalid] and [address.ErrLookupUnavailable].
// [address.Fill] then copies an answer into an [address.Address].
//
// A typical chain, built once and shared by every request:
//
//	ceps := lookup.NewCache(lookup.WithOffline(lookup.First(viacep.New(nil), brasilapi.New(nil))), nil)
package lookup
