package memory

import (
	"context"
	"encoding"
	"fmt"
	"io"
	"reflect"
	"strings"
	"unsafe"
)

// Dump writes everything the driver holds, every tenant's, as text: each
// value reached from its state through pointers, maps, slices and structs,
// exported fields or not. It is for tests that prove a value is gone from
// every place the adapter keeps (the anonymisation's).
func (d *Driver) Dump(ctx context.Context, w io.Writer) error {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if err := d.check(ctx); err != nil {
		return err
	}
	var b strings.Builder
	dumpValue(&b, reflect.ValueOf(d.tenants))
	_, err := io.WriteString(w, b.String())
	return err
}

// textMarshaler is the type of encoding.TextMarshaler.
var textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()

// dumpValue writes v and everything it reaches, one leaf per line. A
// value with a text form (a CPF held as two numbers, say) is written as
// that text too, so that a test looking for the text finds it; values
// reached through unexported fields are read through their address.
func dumpValue(b *strings.Builder, v reflect.Value) {
	if v.Kind() == reflect.Struct && v.CanAddr() && reflect.PointerTo(v.Type()).Implements(textMarshaler) {
		p := reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr()))
		if text, err := p.Interface().(encoding.TextMarshaler).MarshalText(); err == nil {
			b.Write(text)
			b.WriteByte('\n')
		}
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			dumpValue(b, v.Elem())
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			dumpValue(b, v.Field(i))
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			dumpValue(b, it.Key())
			dumpValue(b, it.Value())
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			if v.Kind() == reflect.Slice {
				b.Write(v.Bytes())
			} else {
				for i := 0; i < v.Len(); i++ {
					b.WriteByte(byte(v.Index(i).Uint()))
				}
			}
			b.WriteByte('\n')
			return
		}
		for i := 0; i < v.Len(); i++ {
			dumpValue(b, v.Index(i))
		}
	case reflect.String:
		b.WriteString(v.String())
		b.WriteByte('\n')
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		fmt.Fprintln(b, v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		fmt.Fprintln(b, v.Uint())
	case reflect.Bool:
		fmt.Fprintln(b, v.Bool())
	}
}
