// Package natsrelay publishes a store's change feed (storage.Store.Changes)
// to NATS JetStream, so that the dealership's other services (DMS sync,
// marketing, BI) follow changes without polling a database they do not
// own. It is a sub-package of its own: the library does not need a broker,
// and a host that does not import this package does not link a NATS
// client.
//
// Each tenant's changes go to one subject, Options.SubjectPrefix followed
// by the tenant ("ficha.changes.dealer-42"; a dot in a tenant is written
// "%2E"), as the JSON of storage.Change, with the tenant's sequence number
// in the Ficha-Seq header and "<tenant>:<seq>" as the Nats-Msg-Id, so that
// JetStream drops a message published twice. The relay keeps no state of
// its own: it resumes after the last message of the tenant's subject in
// the stream, so a restart of the relay or of the broker neither loses nor
// repeats nor reorders a change, provided the stream keeps each subject's
// last message: limits retention (Start refuses a work-queue or interest
// stream), and no MaxAge or MaxMsgsPerSubject that could drop a quiet
// tenant's last message, after which the relay would publish that tenant's
// whole history again.
package natsrelay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/fichacrm/ficha/storage"
)

// Headers of every message the relay publishes.
const (
	HeaderSeq    = "Ficha-Seq"
	HeaderTenant = "Ficha-Tenant"
)

// Options configure a [Relay]. A nil *Options, and every zero field, take
// the defaults.
type Options struct {
	// Stream is the JetStream stream the subjects belong to:
	// "FICHA_CHANGES" by default.
	Stream string
	// SubjectPrefix starts every tenant's subject: "ficha.changes" by
	// default.
	SubjectPrefix string
	// CreateStream makes Start create the stream (or update it) to hold
	// SubjectPrefix.> with a two-minute duplicate window. Without it the
	// stream must exist.
	CreateStream bool
	// Batch is how many changes are read from the store at a time: 500 by
	// default.
	Batch int
	// Poll is how long a tenant's loop waits when it has published
	// everything: half a second by default.
	Poll time.Duration
	// Backoff is the longest wait after a failure (broker or database
	// unavailable); waits grow from a tenth of a second up to it. Five
	// seconds by default.
	Backoff time.Duration
}

// Relay publishes tenants' change feeds. It is safe for concurrent use.
type Relay struct {
	store   *storage.Store
	js      jetstream.JetStream
	tenants []string
	opts    Options
}

// Errors of a relay's set-up and of its reads of the stream.
var (
	// ErrConfig: New was given no store or JetStream, no tenant, a tenant
	// twice or one the store refuses (storage.CheckTenant), a stream name
	// with a dot, or a subject prefix that is no plain subject.
	ErrConfig = errors.New("natsrelay: invalid configuration")
	// ErrStream: the stream is missing (without CreateStream), does not
	// hold the subject prefix, or does not keep each subject's last message
	// (a work-queue or interest retention), which the relay resumes from.
	ErrStream = errors.New("natsrelay: the stream cannot carry the change feed")
	// ErrAhead: the stream's last message of a tenant has a sequence
	// number the store has not reached: the database was restored from a
	// backup, or someone else publishes on the subject. The relay stops
	// for that tenant rather than stay silent or publish again.
	ErrAhead = errors.New("natsrelay: the stream is ahead of the store's change log")
)

// New returns a relay of the tenants' changes in store to js. It does no
// I/O; it returns ErrConfig for what it cannot run with.
func New(store *storage.Store, js jetstream.JetStream, tenants []string, opts *Options) (*Relay, error) {
	if store == nil || js == nil || len(tenants) == 0 {
		return nil, ErrConfig
	}
	seen := map[string]bool{}
	for _, t := range tenants {
		if storage.CheckTenant(t) != nil || seen[t] {
			return nil, ErrConfig
		}
		seen[t] = true
	}
	r := &Relay{store: store, js: js, tenants: append([]string(nil), tenants...)}
	if opts != nil {
		r.opts = *opts
	}
	if strings.ContainsAny(r.opts.Stream, ". *>") || r.opts.Batch < 0 || r.opts.Poll < 0 || r.opts.Backoff < 0 {
		return nil, ErrConfig
	}
	if p := r.opts.SubjectPrefix; p != "" {
		for tok := range strings.SplitSeq(p, ".") {
			if tok == "" || strings.ContainsAny(tok, " \t\r\n*>") {
				return nil, ErrConfig
			}
		}
	}
	if r.opts.Stream == "" {
		r.opts.Stream = "FICHA_CHANGES"
	}
	if r.opts.SubjectPrefix == "" {
		r.opts.SubjectPrefix = "ficha.changes"
	}
	if r.opts.Batch <= 0 {
		r.opts.Batch = 500
	}
	if r.opts.Poll <= 0 {
		r.opts.Poll = 500 * time.Millisecond
	}
	if r.opts.Backoff <= 0 {
		r.opts.Backoff = 5 * time.Second
	}
	return r, nil
}

// Subject returns the subject of a tenant's changes.
func (r *Relay) Subject(tenant string) string {
	return r.opts.SubjectPrefix + "." + strings.ReplaceAll(tenant, ".", "%2E")
}

// Start checks that the stream can carry the feed. With
// Options.CreateStream it creates a missing stream (file storage, limits
// retention, a two-minute duplicate window, holding SubjectPrefix.>) and
// adds SubjectPrefix.> to an existing stream that lacks it, leaving the
// rest of that stream's configuration as it is. It returns ErrStream, or
// the broker's error.
func (r *Relay) Start(ctx context.Context) error {
	subject := r.opts.SubjectPrefix + ".>"
	stream, err := r.js.Stream(ctx, r.opts.Stream)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		if !r.opts.CreateStream {
			return fmt.Errorf("%w: %s does not exist", ErrStream, r.opts.Stream)
		}
		_, err = r.js.CreateStream(ctx, jetstream.StreamConfig{
			Name:       r.opts.Stream,
			Subjects:   []string{subject},
			Storage:    jetstream.FileStorage,
			Duplicates: 2 * time.Minute,
		})
		return err
	}
	if err != nil {
		return err
	}
	info, err := stream.Info(ctx)
	if err != nil {
		return err
	}
	cfg := info.Config
	if cfg.Retention != jetstream.LimitsPolicy {
		return fmt.Errorf("%w: %s does not keep each subject's last message", ErrStream, r.opts.Stream)
	}
	if slices.Contains(cfg.Subjects, subject) {
		return nil
	}
	if !r.opts.CreateStream {
		return fmt.Errorf("%w: %s does not hold %s", ErrStream, r.opts.Stream, subject)
	}
	cfg.Subjects = append(cfg.Subjects, subject)
	_, err = r.js.UpdateStream(ctx, cfg)
	return err
}

// Last returns the sequence number of the tenant's last change in the
// stream: 0 when there is none.
func (r *Relay) Last(ctx context.Context, tenant string) (int64, error) {
	stream, err := r.js.Stream(ctx, r.opts.Stream)
	if err != nil {
		return 0, err
	}
	msg, err := stream.GetLastMsgForSubject(ctx, r.Subject(tenant))
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	seq, err := strconv.ParseInt(msg.Header.Get(HeaderSeq), 10, 64)
	if err != nil || seq < 1 {
		return 0, fmt.Errorf("natsrelay: the last message of %s carries no valid %s header", msg.Subject, HeaderSeq)
	}
	return seq, nil
}

// Sync publishes, in order, every change of the tenant the stream does not
// have yet, and returns how many it published. Each message is published
// once its predecessor is acknowledged.
func (r *Relay) Sync(ctx context.Context, tenant string) (int, error) {
	last, err := r.Last(ctx, tenant)
	if err != nil {
		return 0, err
	}
	if last > 0 {
		// The store must have the entry the stream ends with.
		have, err := r.store.Changes(ctx, tenant, last-1, 1)
		if err != nil {
			return 0, err
		}
		if len(have) == 0 || have[0].Seq != last {
			return 0, fmt.Errorf("%w (%s)", ErrAhead, tenant)
		}
	}
	published := 0
	for {
		changes, err := r.store.Changes(ctx, tenant, last, r.opts.Batch)
		if err != nil || len(changes) == 0 {
			return published, err
		}
		for _, ch := range changes {
			body, err := json.Marshal(ch)
			if err != nil {
				return published, err
			}
			msg := nats.NewMsg(r.Subject(tenant))
			msg.Data = body
			seq := strconv.FormatInt(ch.Seq, 10)
			msg.Header.Set(HeaderSeq, seq)
			msg.Header.Set(HeaderTenant, tenant)
			if _, err := r.js.PublishMsg(ctx, msg, jetstream.WithMsgID(tenant+":"+seq)); err != nil {
				return published, err
			}
			published++
			last = ch.Seq
		}
	}
}

// Run relays every tenant's changes until ctx is done, one goroutine per
// tenant, and then returns ctx's error. A failure (the broker or the
// database away) is retried after a growing wait; report, when not nil,
// hears of each one (it must not block).
func (r *Relay) Run(ctx context.Context, report func(tenant string, err error)) error {
	var wg sync.WaitGroup
	for _, t := range r.tenants {
		wg.Go(func() { r.loop(ctx, t, report) })
	}
	wg.Wait()
	return ctx.Err()
}

func (r *Relay) loop(ctx context.Context, tenant string, report func(string, error)) {
	wait := time.Duration(0)
	for ctx.Err() == nil {
		n, err := r.Sync(ctx, tenant)
		switch {
		case err != nil && ctx.Err() == nil:
			if report != nil {
				report(tenant, err)
			}
			wait = min(max(2*wait, 100*time.Millisecond), r.opts.Backoff)
		case n == 0:
			wait = r.opts.Poll
		default:
			wait = 0
		}
		if wait > 0 {
			select {
			case <-ctx.Done():
			case <-time.After(wait):
			}
		}
	}
}
