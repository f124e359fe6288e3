// Command desk is the attendance desk of the seed page as a web page over
// Ficha's HTTP API: search a customer by name and phone or by any other
// key, open the record, change the fields the edit policy allows, add
// addresses (with the CEP lookup), assets, references, cards, contacts and
// additional information, save, and print the customer sheet.
//
//	go run ./examples/desk                  # http://127.0.0.1:8080, a temporary database
//	go run ./examples/desk -dir data        # keep ./data/desk.db
//	go run ./examples/desk -addr 127.0.0.1:9090 -online
//
// It opens the embedded SQLite default, creates four demo customers and
// today's follow-up call when the database is empty, and serves the page
// at / and the API (package httpapi) under /api/. Everything the page
// needs is embedded: no build step, no CDN, and it works offline; CEP
// lookups answer from a small table of demo CEPs unless -online asks
// ViaCEP and BrasilAPI.
//
// The demo has one tenant and one attendant and no login: it listens on
// the loopback interface only. A host mounts httpapi behind its own
// authentication, which gives the tenant and the actor.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/fichacrm/ficha/address"
	"github.com/fichacrm/ficha/address/brasilapi"
	"github.com/fichacrm/ficha/address/lookup"
	"github.com/fichacrm/ficha/address/viacep"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on (keep it on loopback: the demo has no login)")
	dir := flag.String("dir", "", "directory to keep desk.db in (default: a temporary directory, removed at exit)")
	online := flag.Bool("online", false, "look CEPs up in ViaCEP and BrasilAPI instead of the demo's table")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *addr, *dir, *online); err != nil {
		fmt.Fprintln(os.Stderr, "desk:", err)
		stop()
		os.Exit(1)
	}
}

func run(ctx context.Context, addr, dir string, online bool) error {
	if dir == "" {
		tmp, err := os.MkdirTemp("", "ficha-desk-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	} else if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	store, err := openStore(ctx, filepath.Join(dir, "desk.db"))
	if err != nil {
		return err
	}
	defer store.Close()
	if err := seed(ctx, store, time.Now()); err != nil {
		return err
	}
	var l address.Lookup = offlineLookup
	if online {
		l = lookup.NewCache(lookup.First(viacep.New(nil), brasilapi.New(nil)), nil)
	}
	// A host named in -addr (not a wildcard) is served as well as loopback.
	var hosts []string
	if host, _, err := net.SplitHostPort(addr); err == nil && host != "" && !net.ParseIP(strings.Trim(host, "[]")).IsUnspecified() {
		hosts = append(hosts, strings.ToLower(strings.Trim(host, "[]")))
	}
	h, err := newHandler(store, l, hosts...)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
	fmt.Printf("desk: the attendance desk is at http://%s/ (Ctrl+C stops it)\n", ln.Addr())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		return err
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
