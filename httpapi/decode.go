package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/internal/jsontext"
	"github.com/fichacrm/ficha/validation"
)

// num is a value JSON may carry as a number or as a string (an amount, an
// hour), kept as its text until it is parsed.
type num string

var (
	numType    = reflect.TypeFor[num]()
	rawMsgType = reflect.TypeFor[json.RawMessage]()
)

// errMalformed is a body that is not one JSON object.
var errMalformed = errors.New("httpapi: malformed JSON")

// readBody reads the request's body, at most max bytes, after checking its
// media type is one of types. It answers 415, 413 or 400 and returns false
// when it cannot.
func readBody(w http.ResponseWriter, r *http.Request, max int64, types ...string) ([]byte, bool) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || !slices.Contains(types, mt) {
		writeProblem(w, r, problem{status: http.StatusUnsupportedMediaType, code: codeMediaType})
		return nil, false
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			writeProblem(w, r, problem{status: http.StatusRequestEntityTooLarge, code: codeTooLarge})
		} else {
			writeProblem(w, r, problem{status: http.StatusBadRequest, code: codeMalformed})
		}
		return nil, false
	}
	return b, true
}

// parseValue reads b as exactly one JSON value, numbers kept as text. A
// body that is not UTF-8 is no JSON text (RFC 8259, 8.1): refused, not
// stored with its bad bytes turned into U+FFFD as the decoder would; nor
// is an escaped half of a surrogate pair ("\ud800"), for the same reason.
func parseValue(b []byte) (any, error) {
	if !utf8.Valid(b) || jsontext.LoneSurrogate(b) {
		return nil, errMalformed
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return nil, errMalformed
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errMalformed // something after the value
	}
	return tree, nil
}

// parseTree reads b as exactly one JSON object, numbers kept as text.
func parseTree(b []byte) (map[string]any, error) {
	tree, err := parseValue(b)
	if err != nil {
		return nil, err
	}
	obj, ok := tree.(map[string]any)
	if !ok {
		return nil, errMalformed
	}
	return obj, nil
}

// decodeRequest decodes the JSON object b into dst, a pointer to a request
// type. Every field the type does not have and every value of the wrong
// JSON type is recorded in v with its path, and decoding goes on with the
// rest; the error is errMalformed for what is not one JSON object.
func decodeRequest(b []byte, dst any, v *validation.Error) error {
	tree, err := parseTree(b)
	if err != nil {
		return err
	}
	assign(tree, reflect.ValueOf(dst).Elem(), "", v)
	return nil
}

// assign stores the decoded JSON value src into dst, recording what does
// not fit at path.
func assign(src any, dst reflect.Value, path string, v *validation.Error) {
	if src == nil {
		return // null: the zero value
	}
	t := dst.Type()
	switch {
	case t == rawMsgType:
		b, err := json.Marshal(src)
		if err == nil {
			dst.SetBytes(b)
		}
		return
	case t == numType:
		switch s := src.(type) {
		case string:
			dst.SetString(s)
		case json.Number:
			dst.SetString(string(s))
		default:
			v.Add(path, errJSONType)
		}
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		p := reflect.New(t.Elem())
		assign(src, p.Elem(), path, v)
		dst.Set(p)
	case reflect.String:
		s, ok := src.(string)
		if !ok {
			v.Add(path, errJSONType)
			return
		}
		dst.SetString(s)
	case reflect.Bool:
		b, ok := src.(bool)
		if !ok {
			v.Add(path, errJSONType)
			return
		}
		dst.SetBool(b)
	case reflect.Int:
		n, ok := src.(json.Number)
		if !ok {
			v.Add(path, errJSONType)
			return
		}
		i, err := strconv.ParseInt(string(n), 10, 32)
		if err != nil || i < math.MinInt32 || i > math.MaxInt32 {
			v.Add(path, errJSONType)
			return
		}
		dst.SetInt(i)
	case reflect.Slice:
		list, ok := src.([]any)
		if !ok {
			v.Add(path, errJSONType)
			return
		}
		s := reflect.MakeSlice(t, len(list), len(list))
		for i, e := range list {
			assign(e, s.Index(i), validation.Index(path, i), v)
		}
		dst.Set(s)
	case reflect.Map: // map[string]string
		obj, ok := src.(map[string]any)
		if !ok {
			v.Add(path, errJSONType)
			return
		}
		m := reflect.MakeMapWithSize(t, len(obj))
		for k, e := range obj {
			s, ok := e.(string)
			if !ok {
				v.Add(keyPath(path, k), errJSONType)
				continue
			}
			m.SetMapIndex(reflect.ValueOf(k), reflect.ValueOf(s))
		}
		dst.Set(m)
	case reflect.Struct:
		obj, ok := src.(map[string]any)
		if !ok {
			v.Add(path, errJSONType)
			return
		}
		names := jsonNames(t)
		for i, k := range names {
			if e, ok := obj[k]; ok && k != "" {
				assign(e, dst.Field(i), validation.Join(path, k), v)
			}
		}
		var unknown []string
		for k := range obj {
			if !slices.Contains(names, k) || k == "" {
				unknown = append(unknown, k)
			}
		}
		slices.Sort(unknown)
		for _, k := range unknown {
			v.Add(keyPath(path, k), errUnknownField)
		}
	default:
		v.Add(path, errJSONType)
	}
}

// keyPath is the path of a key of the object at path: the key is named
// only when it has the shape of a field name, so that a client's value sent
// as a key (a CPF, an e-mail) is never repeated.
func keyPath(path, k string) string {
	if customer.IsInfoKey(k) {
		return validation.Join(path, k)
	}
	return path
}

// jsonNames returns the JSON name of each field of a struct, "" for a
// field JSON leaves out.
func jsonNames(t reflect.Type) []string {
	names := make([]string, t.NumField())
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "-" {
			names[i] = name
		}
	}
	return names
}
