// Package identtest holds the checks every identifier type's database
// scanning must pass: text in canonical shape that today's rules refuse is
// read back as stored (reading never re-judges), while corrupt text fails
// with an error that does not repeat it. Only tests import it.
package identtest

import (
	"database/sql"
	"database/sql/driver"
	"encoding"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Stored is what an identifier type offers to a database.
type Stored interface {
	comparable
	String() string
	Value() (driver.Value, error)
}

// Checked is a stored identifier type that can judge itself by today's
// rules.
type Checked interface {
	Stored
	Check() error
}

// Scanner is the pointer to a stored identifier type.
type Scanner[T Stored] interface {
	*T
	sql.Scanner
	encoding.TextUnmarshaler
}

// CheckScan checks that each of readable, text in canonical shape that
// today's rules refuse, scans from a string and a []byte into the value
// that writes it back, while parse and text decoding, which are input,
// still refuse it; and that each of corrupt fails to scan with an error
// that does not repeat it.
func CheckScan[T Checked, P Scanner[T]](t *testing.T, parse func(string) (T, error), readable, corrupt []string) {
	t.Helper()
	for _, s := range readable {
		t.Run(s, func(t *testing.T) {
			var v T
			require.NoError(t, P(&v).Scan(s))
			assert.Equal(t, s, v.String())
			val, err := v.Value()
			require.NoError(t, err)
			assert.Equal(t, s, val)

			buf := []byte(s)
			var b T
			require.NoError(t, P(&b).Scan(buf))
			buf[0] ^= 1
			assert.Equal(t, v, b, "a []byte source scans alike and is copied")

			_, err = parse(s)
			assert.Error(t, err, "the rules still apply on input")
			assert.Error(t, v.Check(), "and Check applies them to what was read")
			var in T
			require.NoError(t, P(&in).UnmarshalText([]byte(s)), "the library's own text decodes back")
			assert.Equal(t, v, in)
		})
	}
	for _, s := range corrupt {
		t.Run("corrupt/"+s, func(t *testing.T) {
			var v T
			err := P(&v).Scan(s)
			require.Error(t, err)
			assert.NotContains(t, err.Error(), s, "stored text is personal data")
			assert.Zero(t, v)
		})
	}
	t.Run("NULL", func(t *testing.T) {
		var v T
		require.NoError(t, P(&v).Scan(readable[0]))
		require.NoError(t, P(&v).Scan(nil))
		assert.Zero(t, v)
		require.NoError(t, P(&v).Scan(readable[0]))
		require.NoError(t, P(&v).Scan(""))
		assert.Zero(t, v, "empty text is the zero value too")
	})
}

// FuzzScan checks Scan of s into T: text that scans writes itself back
// and survives use (every method is defined on it); text that does not
// fails with the same error as any other corrupt text, so the error cannot
// carry it; and whatever parse accepts, Scan reads back as the same value.
func FuzzScan[T Stored, P Scanner[T]](t *testing.T, s string, parse func(string) (T, error), use func(T)) {
	var corrupt T
	want := P(&corrupt).Scan("\x00").Error()
	var v T
	if err := P(&v).Scan(s); err != nil {
		if err.Error() != want {
			t.Fatalf("the error depends on the stored text: %v", err)
		}
	} else {
		if v.String() != s {
			t.Fatalf("Scan(%q) writes back %q", s, v.String())
		}
		val, err := v.Value()
		if err != nil || s == "" && val != nil || s != "" && val != s {
			t.Fatalf("Scan(%q) has the database value %v, %v", s, val, err)
		}
		var b T
		if err := P(&b).Scan([]byte(s)); err != nil || b != v {
			t.Fatalf("Scan(%q) as []byte disagrees: %v", s, err)
		}
		use(v)
	}
	p, err := parse(s)
	if err != nil {
		return
	}
	var back T
	if err := P(&back).Scan(p.String()); err != nil || back != p {
		t.Fatalf("what ParseX(%q) writes, %q, does not read back: %v", s, p.String(), err)
	}
}
