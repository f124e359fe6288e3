// Command ficha is the operators' tool for a Ficha store: it applies the
// migrations, imports and exports customers, searches, prints a
// customer's sheet, looks for duplicates and merges them.
//
//	go install github.com/fichacrm/ficha/cmd/ficha@latest
//
//	ficha -tenant loja-centro migrate
//	ficha -tenant loja-centro import -dry-run -report erros.csv clientes.csv
//	ficha -tenant loja-centro import clientes.csv
//	ficha -tenant loja-centro search -name "maria olive"
//	ficha -tenant loja-centro show 529.982.247-25
//	ficha -tenant loja-centro duplicates
//	ficha -tenant loja-centro merge -yes INTO-ID FROM-ID
//	ficha -tenant loja-centro export -o clientes.csv
//
// The store is chosen by -dsn or the FICHA_DSN environment variable: a
// postgres:// or postgresql:// URL, a mysql:// DSN (the driver's form after
// the prefix: "mysql://user:pass@tcp(host:3306)/db"), or the path of an
// SQLite file ("ficha.db" in the working directory by default; "sqlite:"
// may precede it). The tenant comes from -tenant or FICHA_TENANT. Help and
// messages are in Brazilian Portuguese when the locale (LC_ALL,
// LC_MESSAGES, LANG) is Portuguese, or with -lang pt; in English
// otherwise.
//
// Exit codes, for scripts:
//
//	0  done
//	1  failed: the store could not be opened or answered with an error
//	2  usage: an unknown command or flag, a missing argument
//	3  done in part: an import rejected some rows (see its report)
//	4  not found: no customer has that ID, CPF or CNPJ
//	5  refused: a merge the rules or the edit policy refuse, a stale record,
//	   a file import cannot take as customers (no header, unknown columns)
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
