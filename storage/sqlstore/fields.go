package sqlstore

import (
	"encoding/json"

	"github.com/fichacrm/ficha/customer"
)

// decodeFields reads a change-log entry's fields: the JSON list of
// {"path", "old", "new"} objects appendChanges wrote (on PostgreSQL, those
// written before migration 8 come back as jsonb reformatted them: spaces,
// keys in another order). The change feed reads
// thousands of entries at a time, so the common shape takes a scanner
// that slices the values out of one copy of the text; anything it does not
// expect (an escape in a key or path, an unknown key, a malformed value)
// goes to encoding/json, whose result it always equals (FuzzDecodeFields
// checks it).
func decodeFields(b []byte) ([]customer.FieldChange, error) {
	if out, ok := scanFields(b); ok {
		return out, nil
	}
	var out []customer.FieldChange
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// scanFields is decodeFields' fast path; ok is false when it declines.
func scanFields(src []byte) (out []customer.FieldChange, ok bool) {
	b := append([]byte(nil), src...) // the values slice this copy
	i := ws(b, 0)
	if i >= len(b) || b[i] != '[' {
		return nil, false
	}
	i = ws(b, i+1)
	if i < len(b) && b[i] == ']' {
		return []customer.FieldChange{}, ws(b, i+1) == len(b)
	}
	for {
		if i >= len(b) || b[i] != '{' {
			return nil, false
		}
		var f customer.FieldChange
		var seen [3]bool
		i = ws(b, i+1)
		for {
			ks, ke, ok := plainString(b, i)
			if !ok {
				return nil, false
			}
			next := ke + 1
			i = ws(b, next)
			if i >= len(b) || b[i] != ':' {
				return nil, false
			}
			i = ws(b, i+1)
			end, ok := skipValue(b, i, 0)
			if !ok {
				return nil, false
			}
			switch string(b[ks:ke]) {
			case "path":
				ps, pe, ok := plainString(b, i)
				if !ok || end != pe+1 || seen[0] {
					return nil, false
				}
				f.Path, seen[0] = string(b[ps:pe]), true
			case "old":
				if seen[1] {
					return nil, false
				}
				f.Old, seen[1] = nullable(b[i:end]), true
			case "new":
				if seen[2] {
					return nil, false
				}
				f.New, seen[2] = nullable(b[i:end]), true
			default:
				return nil, false
			}
			i = ws(b, end)
			if i < len(b) && b[i] == ',' {
				i = ws(b, i+1)
				continue
			}
			if i < len(b) && b[i] == '}' {
				i = ws(b, i+1)
				break
			}
			return nil, false
		}
		out = append(out, f)
		if i < len(b) && b[i] == ',' {
			i = ws(b, i+1)
			continue
		}
		if i < len(b) && b[i] == ']' {
			return out, ws(b, i+1) == len(b)
		}
		return nil, false
	}
}

// nullable is a raw value as encoding/json gives it to a RawMessage field:
// the text itself, "null" included.
func nullable(v []byte) json.RawMessage { return json.RawMessage(v) }

func ws(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// plainString finds a JSON string without escapes that starts at i, and
// returns the bounds of its text (the closing quote is at end).
func plainString(b []byte, i int) (start, end int, ok bool) {
	if i >= len(b) || b[i] != '"' {
		return 0, 0, false
	}
	for j := i + 1; j < len(b); j++ {
		switch c := b[j]; {
		case c == '"':
			return i + 1, j, true
		case c == '\\' || c < 0x20 || c >= 0x80:
			return 0, 0, false // escapes and non-ASCII: encoding/json's to judge
		}
	}
	return 0, 0, false
}

// skipValue returns the index after the JSON value that starts at i, for
// values whose strings hold no control characters; it declines anything
// unusual.
func skipValue(b []byte, i, depth int) (int, bool) {
	if i >= len(b) || depth > 32 {
		return 0, false
	}
	switch c := b[i]; {
	case c == '"':
		for j := i + 1; j < len(b); j++ {
			switch b[j] {
			case '\\':
				if j+1 >= len(b) {
					return 0, false
				}
				switch b[j+1] {
				case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
					j++
				case 'u':
					if j+5 >= len(b) || !isHex(b[j+2]) || !isHex(b[j+3]) || !isHex(b[j+4]) || !isHex(b[j+5]) {
						return 0, false
					}
					j += 5
				default:
					return 0, false
				}
			case '"':
				return j + 1, true
			default:
				if b[j] < 0x20 {
					return 0, false
				}
			}
		}
		return 0, false
	case c == '{' || c == '[':
		closer := byte('}')
		if c == '[' {
			closer = ']'
		}
		j := ws(b, i+1)
		if j < len(b) && b[j] == closer {
			return j + 1, true
		}
		for {
			if c == '{' {
				end, ok := skipValue(b, j, depth+1)
				if !ok || b[j] != '"' {
					return 0, false
				}
				j = ws(b, end)
				if j >= len(b) || b[j] != ':' {
					return 0, false
				}
				j = ws(b, j+1)
			}
			end, ok := skipValue(b, j, depth+1)
			if !ok {
				return 0, false
			}
			j = ws(b, end)
			if j < len(b) && b[j] == ',' {
				j = ws(b, j+1)
				continue
			}
			if j < len(b) && b[j] == closer {
				return j + 1, true
			}
			return 0, false
		}
	case c == '-' || c >= '0' && c <= '9':
		j := i + 1
		for j < len(b) && (b[j] >= '0' && b[j] <= '9' || b[j] == '.' || b[j] == 'e' || b[j] == 'E' || b[j] == '+' || b[j] == '-') {
			j++
		}
		// Only a well-formed number: checked the slow way, rarely.
		if !json.Valid(b[i:j]) {
			return 0, false
		}
		return j, true
	}
	for _, lit := range []string{"true", "false", "null"} {
		if len(b)-i >= len(lit) && string(b[i:i+len(lit)]) == lit {
			return i + len(lit), true
		}
	}
	return 0, false
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }
