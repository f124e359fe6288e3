package sheet

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/fichacrm/ficha/customer"
)

func TestZoneFallsBackToBRT(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "America/Sao_Paulo", saoPaulo().String())
	assert.Same(t, brt, zone("Nowhere/Atlantis", brt), "a zone the database lacks")

	c := &customer.Customer{Name: "José", UpdatedAt: time.Date(2026, 11, 28, 2, 0, 0, 0, time.UTC)}
	p := build(c, nil, &Options{Location: zone("Nowhere/Atlantis", brt)})
	assert.Equal(t, "atualizado em 27/11/2026 23:00 (BRT)", p.Footer)

	// Before 2019, São Paulo kept summer time (UTC−02:00); BRT prints the
	// same instant in standard time, and says so.
	c.UpdatedAt = time.Date(2018, 1, 15, 2, 0, 0, 0, time.UTC)
	assert.Equal(t, "atualizado em 15/01/2018 00:00 (America/Sao_Paulo)", build(c, nil, nil).Footer)
	assert.Equal(t, "atualizado em 14/01/2018 23:00 (BRT)", build(c, nil, &Options{Location: brt}).Footer)
}
