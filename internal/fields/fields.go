// Package fields walks the fields of a record type by their JSON names, so
// that tests can prove, for every field the customer aggregate has today or
// gains tomorrow, that a fixture sets it, that Diff reports it, that every
// adapter stores it and that the sheet shows it. It is test support: the
// library itself never walks records by reflection.
package fields

import (
	"reflect"
	"slices"
	"strings"
)

// step is one move from a value to a part of it.
type step struct {
	field int    // a struct field's index, when kind is reflect.Struct
	name  string // the JSON name the path shows
	kind  reflect.Kind
}

// Leaf is one field that holds a value of its own: a scalar, an
// identifier, a time, an amount, a whole value type with hidden parts (a
// card's number), or one additional-information entry.
type Leaf struct {
	steps []step
}

// Path is the leaf's path in the form validation errors and Diff use, with
// index 0 for list elements and "*" for a map's key:
// "addresses[0].cep", "info.*".
func (l Leaf) Path() string {
	var b strings.Builder
	for _, s := range l.steps {
		switch s.kind {
		case reflect.Slice:
			b.WriteString("[0]")
		case reflect.Map:
			b.WriteString(".*")
		default:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s.name)
		}
	}
	return b.String()
}

// PathAt is Path with the first key (in sorted order) of v's map in place
// of "*": the path [Set] changes when v is its dst.
func (l Leaf) PathAt(v any) string {
	p := l.Path()
	if key, ok := firstKey(l, reflect.ValueOf(v)); ok {
		p = strings.Replace(p, "*", key, 1)
	}
	return p
}

// Leaves returns the leaves of type t (a struct or a pointer to one), in
// field order. Unexported fields and fields tagged json:"-" are not
// walked; a struct that has unexported fields is also a leaf of its own,
// so that what those fields hold is compared as a whole.
func Leaves(t reflect.Type) []Leaf {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var out []Leaf
	walk(t, nil, &out)
	return out
}

func walk(t reflect.Type, path []step, out *[]Leaf) {
	switch t.Kind() {
	case reflect.Slice:
		if t.Elem().Kind() != reflect.Uint8 {
			walk(t.Elem(), append(slices.Clip(path), step{kind: reflect.Slice}), out)
			return
		}
	case reflect.Map:
		walk(t.Elem(), append(slices.Clip(path), step{kind: reflect.Map}), out)
		return
	case reflect.Struct:
		var exported []int
		hidden := false
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				hidden = true
				continue
			}
			if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != "-" {
				exported = append(exported, i)
			}
		}
		if len(exported) > 0 {
			if hidden {
				*out = append(*out, Leaf{steps: slices.Clone(path)})
			}
			for _, i := range exported {
				f := t.Field(i)
				name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
				if name == "" {
					name = f.Name
				}
				walk(f.Type, append(slices.Clip(path), step{field: i, name: name, kind: reflect.Struct}), out)
			}
			return
		}
	}
	*out = append(*out, Leaf{steps: slices.Clone(path)})
}

// Values returns every value the leaf reaches in v: one per element of
// each list on the way, one per entry of a map.
func (l Leaf) Values(v any) []reflect.Value {
	vals := []reflect.Value{deref(reflect.ValueOf(v))}
	for _, s := range l.steps {
		var next []reflect.Value
		for _, x := range vals {
			switch s.kind {
			case reflect.Struct:
				next = append(next, x.Field(s.field))
			case reflect.Slice:
				for i := range x.Len() {
					next = append(next, x.Index(i))
				}
			case reflect.Map:
				for _, k := range sortedKeys(x) {
					next = append(next, x.MapIndex(k))
				}
			}
		}
		vals = next
	}
	return vals
}

// Set copies the leaf's value from src into dst (pointers to the same
// struct type), at index 0 of every list; a map entry gets the value of
// src's first entry (keys in sorted order) under dst's first key, or
// under src's key when dst's map is empty. It reports false when src or
// dst lacks a list element, or src an entry.
func (l Leaf) Set(dst, src any) bool {
	d, s := deref(reflect.ValueOf(dst)), deref(reflect.ValueOf(src))
	for i, st := range l.steps {
		last := i == len(l.steps)-1
		switch st.kind {
		case reflect.Struct:
			d, s = d.Field(st.field), s.Field(st.field)
		case reflect.Slice:
			if d.Len() == 0 || s.Len() == 0 {
				return false
			}
			d, s = d.Index(0), s.Index(0)
		case reflect.Map:
			keys := sortedKeys(s)
			if len(keys) == 0 || d.IsNil() {
				return false
			}
			if last {
				key := keys[0]
				if dk := sortedKeys(d); len(dk) > 0 {
					key = dk[0]
				}
				d.SetMapIndex(key, s.MapIndex(keys[0]))
				return true
			}
			return false // maps of records: none in the aggregate
		}
	}
	d.Set(s)
	return true
}

// Equal compares two leaf values: with their Equal method where they
// have one (times, amounts), else deeply.
func Equal(a, b reflect.Value) bool {
	if m := a.MethodByName("Equal"); m.IsValid() && m.Type().NumIn() == 1 && m.Type().In(0) == b.Type() && m.Type().NumOut() == 1 {
		return m.Call([]reflect.Value{b})[0].Bool()
	}
	return reflect.DeepEqual(a.Interface(), b.Interface())
}

// Clone returns a deep copy of *v, a pointer to a struct: lists and maps
// are copied, so that changing the copy never changes v.
func Clone[T any](v *T) *T {
	c := deepCopy(reflect.ValueOf(*v))
	out := c.Interface().(T)
	return &out
}

func deepCopy(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			c.Index(i).Set(deepCopy(v.Index(i)))
		}
		return c
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		c := reflect.MakeMapWithSize(v.Type(), v.Len())
		for _, k := range v.MapKeys() {
			c.SetMapIndex(k, deepCopy(v.MapIndex(k)))
		}
		return c
	case reflect.Struct:
		c := reflect.New(v.Type()).Elem()
		c.Set(v)
		for i := range v.NumField() {
			if c.Field(i).CanSet() {
				c.Field(i).Set(deepCopy(v.Field(i)))
			}
		}
		return c
	}
	return v
}

func deref(v reflect.Value) reflect.Value {
	for v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	return v
}

func sortedKeys(m reflect.Value) []reflect.Value {
	keys := m.MapKeys()
	slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
	return keys
}

func firstKey(l Leaf, v reflect.Value) (string, bool) {
	vals := []reflect.Value{deref(v)}
	for _, s := range l.steps {
		if len(vals) == 0 {
			return "", false
		}
		x := vals[0]
		switch s.kind {
		case reflect.Struct:
			vals = []reflect.Value{x.Field(s.field)}
		case reflect.Slice:
			if x.Len() == 0 {
				return "", false
			}
			vals = []reflect.Value{x.Index(0)}
		case reflect.Map:
			keys := sortedKeys(x)
			if len(keys) == 0 {
				return "", false
			}
			return keys[0].String(), true
		}
	}
	return "", false
}

// IsZero reports whether a leaf value is its type's zero value (an empty
// string, an unset identifier, a zero time or amount).
func IsZero(v reflect.Value) bool {
	if m := v.MethodByName("IsZero"); m.IsValid() && m.Type().NumIn() == 0 && m.Type().NumOut() == 1 {
		return m.Call(nil)[0].Bool()
	}
	return v.IsZero()
}
