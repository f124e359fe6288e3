package storage

import (
	"context"
	"errors"
	"strconv"
	"sync/atomic"
	"time"
)

// Reads from replicas.
//
// An adapter over a database with read replicas (storage/postgres with
// streaming replicas) can serve some reads from a replica. Which reads, is
// the caller's decision, made per call through the context:
//
//   - [ReplicaOK] allows [Store.Get], [Store.Search] and [Store.List] made
//     with the context to be served by a replica at most a given time
//     behind the primary. Nothing else is ever read from a replica: not
//     the reads of a write (Update's read of the stored version, Modify,
//     merges, consent decisions, the change feed), which must see the
//     latest committed state. Without ReplicaOK every read goes to the
//     primary, as it does on an adapter without replicas.
//   - A [Session] gives a caller its own writes back ("read your writes"):
//     each write made with a context that carries the session records
//     where in the primary's log the write is, and a read with the session
//     goes to a replica only if the replica has replayed that far, and to
//     the primary otherwise. A session is a small value: a host keeps one
//     per attendant's session and carries it between requests as text
//     (MarshalText), in a cookie or a header.
//
// Cursors of searches and lists hold positions in the results, never the
// state of a server: a page read from the primary goes on from a replica
// and the other way round.

type replicaOKKey struct{}

// replicaReadKey marks the context of a driver call the Store allows on a
// replica: only Store.Get, Store.Search and Store.List set it, around
// their own driver call.
type replicaReadKey struct{}

type sessionKey struct{}

// ReplicaOK returns a context with which [Store.Get], [Store.Search] and
// [Store.List] may be served by a replica whose data is at most maxLag
// behind the primary's. A maxLag of zero or less withdraws what a parent
// context allowed: the reads go to the primary. On an adapter without
// replicas it changes nothing.
//
// A replica that is further behind, that cannot be reached, or that fails
// the read is skipped: the read goes to the primary, and the caller gets
// no error for it. With a [Session] in the context (see [WithSession]) a
// replica must also have the session's writes.
func ReplicaOK(ctx context.Context, maxLag time.Duration) context.Context {
	return context.WithValue(ctx, replicaOKKey{}, maxLag)
}

// ReplicaRead reports whether the driver call made with ctx may be
// served by a replica, and how far behind the primary that replica may
// be. Drivers with replicas call it in Get, Search and List; the [Store]
// allows it only in the reads a caller allowed with [ReplicaOK], never in
// the reads of a write.
func ReplicaRead(ctx context.Context) (maxLag time.Duration, ok bool) {
	maxLag, ok = ctx.Value(replicaReadKey{}).(time.Duration)
	return maxLag, ok && maxLag > 0
}

// replicaRead returns ctx marked for a replica when the caller allowed
// it: the context of a driver call of Get, Search or List.
func replicaRead(ctx context.Context) context.Context {
	if lag, ok := ctx.Value(replicaOKKey{}).(time.Duration); ok && lag > 0 {
		return context.WithValue(ctx, replicaReadKey{}, lag)
	}
	return ctx
}

// Session is a caller's memory of its own writes, with which reads from
// replicas see them: see [WithSession]. Its zero value is a session that
// wrote nothing. A Session is safe for concurrent use.
//
// It holds one number, the furthest position in the primary's log of a
// write made with it (for PostgreSQL, a WAL location). The number is not
// secret and grants nothing: a forged or foreign one can only send the
// session's reads to the primary, or let them see less than the session
// wrote.
type Session struct {
	pos atomic.Uint64
}

// WithSession returns a context that carries s: the writes made with it
// record their position in s, and the reads made with it that
// [ReplicaOK] allows on a replica go to one only if it has replayed
// every write s recorded.
func WithSession(ctx context.Context, s *Session) context.Context {
	return context.WithValue(ctx, sessionKey{}, s)
}

// SessionFrom returns the session ctx carries, or nil.
func SessionFrom(ctx context.Context) *Session {
	s, _ := ctx.Value(sessionKey{}).(*Session)
	return s
}

// Observe records that the session wrote at pos: its position becomes
// pos if that is further. Drivers call it once a write has committed.
func (s *Session) Observe(pos uint64) {
	for {
		cur := s.pos.Load()
		if pos <= cur || s.pos.CompareAndSwap(cur, pos) {
			return
		}
	}
}

// Position returns the furthest position the session wrote at, or 0. A
// nil Session is at 0.
func (s *Session) Position() uint64 {
	if s == nil {
		return 0
	}
	return s.pos.Load()
}

// ErrSession is returned by [Session.UnmarshalText] for text that is not
// a session.
var ErrSession = errors.New("storage: malformed session")

// sessionPrefix begins a session's text, which goes on with its position
// in hexadecimal.
const sessionPrefix = "s1."

// MarshalText returns the session as text ("s1." and its position in
// hexadecimal), for a host to carry it between requests.
func (s *Session) MarshalText() ([]byte, error) {
	return strconv.AppendUint([]byte(sessionPrefix), s.Position(), 16), nil
}

// UnmarshalText sets the session to the position of text that MarshalText
// returned; it returns ErrSession, and changes nothing, for any other
// text.
func (s *Session) UnmarshalText(text []byte) error {
	t := string(text)
	if len(t) <= len(sessionPrefix) || len(t) > len(sessionPrefix)+16 || t[:len(sessionPrefix)] != sessionPrefix {
		return ErrSession
	}
	for _, c := range t[len(sessionPrefix):] {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return ErrSession
		}
	}
	pos, err := strconv.ParseUint(t[len(sessionPrefix):], 16, 64)
	if err != nil {
		return ErrSession
	}
	s.pos.Store(pos)
	return nil
}

// String returns the session's text.
func (s *Session) String() string {
	b, _ := s.MarshalText()
	return string(b)
}
