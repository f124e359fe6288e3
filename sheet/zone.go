package sheet

import "github.com/fichacrm/ficha/internal/brtime"

// The sheet's zone is the dealership's: see internal/brtime.
var (
	brt      = brtime.BRT
	saoPaulo = brtime.SaoPaulo
	zone     = brtime.Load
)
