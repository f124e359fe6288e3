package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// connectError stands for a driver's error about a connection it could not
// open, which names the user, database and host.
type connectError struct{ err error }

func (e *connectError) Error() string {
	return "failed to connect to `user=postgres database=test`: 127.0.0.1:5432: " + e.err.Error()
}
func (e *connectError) Unwrap() error { return e.err }

// expired is a context whose deadline has passed an instant before it
// reports itself done.
type expired struct{ context.Context }

func (expired) Deadline() (time.Time, bool) { return time.Now().Add(-time.Millisecond), true }

// TestContextErrorsHideTheDriver checks that an interrupted call returns
// the context's error, never the driver's message, and keeps the driver's
// error reachable.
func TestContextErrorsHideTheDriver(t *testing.T) {
	d := New(nil, SQLite, func(error) (Class, string) { return Other, "" })
	dial := &connectError{err: fmt.Errorf("dial tcp: %w", context.DeadlineExceeded)}
	timeout := &connectError{err: errors.New("dial tcp 127.0.0.1:5432: i/o timeout")}
	for name, tc := range map[string]struct {
		ctx  context.Context
		err  error
		want error
	}{
		"driver error carrying the deadline":       {context.Background(), dial, context.DeadlineExceeded},
		"deadline passed, not yet reported":        {expired{context.Background()}, timeout, context.DeadlineExceeded},
		"cancelled while the driver failed":        {cancelled(), timeout, context.Canceled},
		"driver error carrying the deadline, late": {expired{context.Background()}, dial, context.DeadlineExceeded},
	} {
		t.Run(name, func(t *testing.T) {
			got := d.fail(tc.ctx, tc.err)
			assert.ErrorIs(t, got, tc.want)
			var ce *connectError
			assert.ErrorAs(t, got, &ce, "the driver's error stays reachable")
			assert.NotContains(t, got.Error(), "postgres")
			assert.NotContains(t, got.Error(), "127.0.0.1")
		})
	}
	assert.Same(t, context.Canceled, d.wrap(context.Canceled), "the context's own error passes as it is")
}

func cancelled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}
