package demo

import (
	"context"
	"fmt"
	"io"

	"github.com/caravanpay/caravan/inex"
	"github.com/caravanpay/caravan/inex/inextest"
)

func init() { register(Flow{Name: "inex", Run: runInex}) }

// runInex pays a customer's debt, then pays again with the same payment id
// and checks that Inex answered the same transaction id: the retry paid
// nothing twice. Variables: INEX_BASE_URL, INEX_TOKEN, INEX_ROOM_NUMBER
// (IG00001), INEX_PAYMENT_ID (generated).
func runInex(ctx context.Context, w io.Writer, env Env) error {
	baseURL := env("INEX_BASE_URL")
	token := env("INEX_TOKEN")
	if baseURL == "" {
		srv := inextest.NewServer()
		defer srv.Close()
		srv.SeedExamples()
		baseURL, token = srv.URL, inextest.Token
		step(w, "inex: no INEX_BASE_URL set; using the built-in fake server at %s", baseURL)
	} else {
		step(w, "inex: using INEX_BASE_URL %s", baseURL)
	}
	client, err := inex.NewClient(token, inex.WithBaseURL(baseURL), inex.WithLogger(logger(ctx)))
	if err != nil {
		return err
	}
	req := &inex.PayDebtRequest{
		RoomNumber: get(env, "INEX_ROOM_NUMBER", "IG00001"),
		PaymentID:  get(env, "INEX_PAYMENT_ID", newID("caravan-")),
	}
	first, err := client.PayDebt(ctx, req)
	if err != nil {
		return err
	}
	step(w, "inex: paid the debt of room %s with payment id %s: transaction %s", req.RoomNumber, req.PaymentID, first.TransactionID)
	again, err := client.PayDebt(ctx, req)
	if err != nil {
		return err
	}
	step(w, "inex: paid again with the same payment id %s: transaction %s", req.PaymentID, again.TransactionID)
	if again.TransactionID != first.TransactionID {
		return fmt.Errorf("inex: the repeated payment id %s got transaction %s, not %s: the server did not deduplicate it",
			req.PaymentID, again.TransactionID, first.TransactionID)
	}
	step(w, "inex: same transaction id %s: the repeated payment id paid nothing twice", again.TransactionID)
	return nil
}
