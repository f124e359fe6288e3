// Package jsontext checks what encoding/json lets through silently.
package jsontext

// LoneSurrogate reports whether a string of the JSON text b holds an
// escaped UTF-16 surrogate that is not half of a pair ("\ud800" alone):
// encoding/json decodes it as U+FFFD, so a value would be stored other
// than it was sent. Bytes outside strings are not looked at; b need not be
// valid JSON.
func LoneSurrogate(b []byte) bool {
	in := false
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c == '"':
			in = !in
		case c == '\\' && in && i+1 < len(b):
			if b[i+1] != 'u' {
				i++ // the escaped character, whatever it is
				continue
			}
			r, ok := hex4(b, i+2)
			if !ok {
				i++
				continue
			}
			i += 5
			switch {
			case r >= 0xdc00 && r <= 0xdfff:
				return true // a second half first
			case r >= 0xd800 && r <= 0xdbff:
				if i+2 >= len(b) || b[i+1] != '\\' || b[i+2] != 'u' {
					return true
				}
				low, ok := hex4(b, i+3)
				if !ok || low < 0xdc00 || low > 0xdfff {
					return true
				}
				i += 6
			}
		}
	}
	return false
}

// hex4 reads four hexadecimal digits at b[i:].
func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
