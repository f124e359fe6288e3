// Package address models a customer's addresses: the [CEP] postal code, the
// 27 federative units ([UF]), the official CEP ranges of each unit, and the
// [Address] record with its purposes (correspondence, billing).
//
// It also holds the contract of a CEP lookup ("consulta do CEP"): the
// [Lookup] interface, its [Result] and its errors ([ErrLookupInvalid],
// [ErrLookupNotFound], [ErrLookupUnavailable]), which every service
// client implements, as io.Reader is implemented by every stream;
// [CheckAnswer], which every client runs on what its service answered, so
// that an answer for another CEP, or with text an Address would refuse,
// never reaches the attendant's form; and [Fill], which copies a Result
// into an Address. The clients live in
// packages viacep and brasilapi; combining them, caching them and falling
// back to the official ranges is package lookup's job. This package
// makes no network request and imports no net/http.
package address
