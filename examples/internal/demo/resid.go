package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/caravanpay/caravan/resid"
	"github.com/caravanpay/caravan/resid/residtest"
)

func init() { register(Flow{Name: "resid", Run: runResid}) }

// runResid creates a taxi-fare payment request, reads it, collects it
// within its 20-minute window and lists recent payments. Variables:
// RESID_BASE_URL, RESID_AUTHORIZATION (required with a base URL),
// RESID_MERCHANT (faSDF42w3Fs), RESID_AMOUNT (10000 rials).
//
// Against the built-in fake the simulated passenger pays before the
// collect. Against a real server nobody pays in between: the flow prints
// the state it reads and collects anyway, printing Resid's answer — a
// refusal in Resid's envelope (e.g. for an unpaid payment) is printed as
// the step's result; any other failure ends the flow with an error.
func runResid(ctx context.Context, w io.Writer, env Env) error {
	baseURL := env("RESID_BASE_URL")
	code := env("RESID_AUTHORIZATION")
	var fake *residtest.Server
	if baseURL == "" {
		fake = residtest.NewServer()
		defer fake.Close()
		baseURL, code = fake.URL, residtest.AuthorizationCode
		step(w, "resid: no RESID_BASE_URL set; using the built-in fake server at %s", baseURL)
	} else {
		if code == "" {
			return errors.New("resid: RESID_AUTHORIZATION is not set: it must hold the authorization code Resid issued when RESID_BASE_URL is set")
		}
		step(w, "resid: using RESID_BASE_URL %s", baseURL)
	}
	amount, err := getInt64(env, "RESID_AMOUNT", 10000)
	if err != nil {
		return err
	}
	client, err := resid.NewClient(code, resid.WithBaseURL(baseURL), resid.WithLogger(logger(ctx)))
	if err != nil {
		return err
	}

	req := &resid.CreatePaymentRequest{
		Amount:      amount,
		Merchant:    get(env, "RESID_MERCHANT", residtest.Merchant),
		Description: "taxi fare",
		Payload:     newID("ride-"),
	}
	created, err := client.CreatePayment(ctx, req)
	if err != nil {
		return err
	}
	token := created.Token
	step(w, "resid: created a payment request of %d rials for merchant %s: token %s", req.Amount, req.Merchant, token)

	if fake != nil {
		if err := fake.Pay(token); err != nil {
			return err
		}
		step(w, "resid: the fake passenger paid %s at the bank gateway", token)
	}

	p, err := client.GetPayment(ctx, token)
	if err != nil {
		return err
	}
	paid := "not paid yet"
	if p.Paid != nil {
		paid = "paid at " + p.Paid.Format(time.RFC3339)
	}
	step(w, "resid: read %s: state %q, %s, amount %d rials, collect before %s", p.Token, p.Outcome.State, paid,
		p.Amount, p.CollectDeadline().Format(time.RFC3339))

	if fake != nil {
		// Check the 20-minute window first: once it has certainly closed,
		// Resid refunds the passenger and the service must not be delivered.
		if err := p.CheckCollectWindow(time.Now()); err != nil {
			return err
		}
		if err := client.CollectPayment(ctx, p.Token); err != nil {
			return fmt.Errorf("collecting %s: %w", token, err)
		}
		step(w, "resid: collected %s: Resid answered OK", token)
	} else {
		// This run created the payment moments ago, so its window is open
		// whatever "created" the server reports: collect by token and let
		// Resid decide. Nobody paid in between, so Resid may refuse: its
		// answer is the result of this step, printed, not a failure.
		err := client.CollectPayment(ctx, token)
		var re *resid.Error
		switch {
		case err == nil:
			step(w, "resid: collected %s: Resid answered OK", token)
		case errors.As(err, &re) && (errors.Is(err, resid.ErrValidation) || errors.Is(err, resid.ErrConflict)):
			step(w, "resid: collect %s: Resid refused: %v", token, err)
		default:
			return fmt.Errorf("collecting %s: %w", token, err)
		}
	}

	recent, err := client.ListPayments(ctx, &resid.ListOptions{Size: 10})
	if err != nil {
		return err
	}
	step(w, "resid: listed %d recent payment(s)", len(recent))
	return nil
}
