package httpapi_test

import (
	"context"
	"testing"
	"time"

	"github.com/fichacrm/ficha/customer"
	"github.com/fichacrm/ficha/storage/storagetest"
)

func storagetestIndividual(n int) *customer.Customer { return storagetest.Individual(n) }

func contextWithDeadline(t *testing.T, d time.Time) (context.Context, context.CancelFunc) {
	return context.WithDeadline(t.Context(), d)
}
