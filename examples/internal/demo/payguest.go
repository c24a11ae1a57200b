package demo

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/caravanpay/caravan/payguest"
	"github.com/caravanpay/caravan/payguest/payguesttest"
)

func init() { register(Flow{Name: "payguest", Run: runPayguest}) }

// runPayguest pays a guest bill for its full sum and prints the discount
// sums of the reply.
func runPayguest(ctx context.Context, w io.Writer, env Env) error {
	baseURL := env("PAYGUEST_BASE_URL")
	billID := env("PAYGUEST_BILL_ID")
	sumText := env("PAYGUEST_PAY_SUM")
	payType := env("PAYGUEST_PAY_TYPE_ID")
	if baseURL == "" {
		srv := payguesttest.NewServer()
		defer srv.Close()
		srv.AddExampleBill()
		baseURL = srv.URL
		// The fake knows only its example bill: the other variables are
		// for a real server.
		billID, sumText, payType = payguesttest.ExampleBillID, payguesttest.ExampleBillTotal, payguesttest.ExamplePayTypeID
		step(w, "payguest: no PAYGUEST_BASE_URL set; using the built-in fake server at %s", baseURL)
	} else {
		if billID == "" {
			return fmt.Errorf("PAYGUEST_BILL_ID is required with PAYGUEST_BASE_URL: the guest bill's GUID")
		}
		if sumText == "" {
			return fmt.Errorf("PAYGUEST_PAY_SUM is required with PAYGUEST_BASE_URL: the bill's full sum, e.g. 1240.50")
		}
		step(w, "payguest: using the server at %s", baseURL)
	}
	paySum, err := payguest.ParseDecimal(sumText)
	if err != nil {
		return fmt.Errorf("PAYGUEST_PAY_SUM: %w", err)
	}

	client, err := payguest.NewClient(payguest.WithBaseURL(baseURL), payguest.WithLogger(logger(ctx)))
	if err != nil {
		return err
	}
	typeNote := "the bill's prepaid pay type"
	if payType != "" {
		typeNote = "pay type " + payType
	}
	step(w, "paying bill %s for %s with %s", billID, paySum, typeNote)
	res, err := client.PayGuest(ctx, &payguest.PayGuestRequest{
		Payment: payguest.Payment{GuestID: billID, PaySum: paySum, PayTypeID: payType},
	})
	if err != nil {
		return err
	}
	step(w, "paid: bill %s, %s", billID, paySum)
	step(w, "declared discount sums: %s", listSums(res.DiscountSums))
	if res.PointsConfigured() {
		step(w, "applied discount sums: %s (points are configured)", listSums(res.AppliedDiscountSums))
	} else {
		step(w, "applied discount sums: absent (points are not configured)")
	}
	return nil
}

func listSums(sums []payguest.DiscountSumResult) string {
	if len(sums) == 0 {
		return "none"
	}
	parts := make([]string, len(sums))
	for i, s := range sums {
		t := s.TypeID
		if t == "" {
			t = "default type"
		}
		parts[i] = fmt.Sprintf("%s of %s", s.Sum, t)
	}
	return strings.Join(parts, ", ")
}
