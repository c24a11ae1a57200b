package activeplatform_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/caravanpay/caravan/activeplatform"
	"github.com/caravanpay/caravan/activeplatform/activeplatformtest"
)

// Complete the documented example payment on the fake installation.
func ExampleClient_CompletePayment() {
	srv := activeplatformtest.NewServer()
	defer srv.Close()
	srv.SeedExample()

	client, err := activeplatform.NewClient(activeplatformtest.Token, activeplatform.WithBaseURL(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := client.CompletePayment(context.Background(), &activeplatform.CompletePaymentRequest{ResellerID: 1, PaymentID: 6475, PaymentMethodID: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.ID, p.Status, p.Total, p.CurrencyCode, p.PaymentMethodName, p.DocumentID)
	// Output: 6475 completed 99.0 USD Cash 2005258
}

// A payment that is already closed cannot be completed again.
func ExampleErrNotCompletable() {
	srv := activeplatformtest.NewServer()
	defer srv.Close()
	srv.SeedExample()
	srv.Complete(6475, 2) // someone else completed it

	client, _ := activeplatform.NewClient(activeplatformtest.Token, activeplatform.WithBaseURL(srv.URL))
	_, err := client.CompletePayment(context.Background(), &activeplatform.CompletePaymentRequest{ResellerID: 1, PaymentID: 6475, PaymentMethodID: 2})
	fmt.Println(errors.Is(err, activeplatform.ErrNotCompletable), errors.Is(err, activeplatform.ErrValidation))
	var e *activeplatform.Error
	if errors.As(err, &e) {
		fmt.Println(e.StatusCode, e.Message)
	}
	// Output:
	// true true
	// 422 Only payments with "waiting for payment/expired" status can be completed.
}

// A lost reply does not turn into a failure or a second completion: the
// retry meets the 422, the client reads the payment and finds it completed
// with the requested method.
func ExampleClient_CompletePayment_lostReply() {
	srv := activeplatformtest.NewServer()
	defer srv.Close()
	srv.SeedExample()
	srv.CutAfterNext(1) // complete the payment, then drop the connection

	client, _ := activeplatform.NewClient(activeplatformtest.Token, activeplatform.WithBaseURL(srv.URL))
	p, err := client.CompletePayment(context.Background(), &activeplatform.CompletePaymentRequest{ResellerID: 1, PaymentID: 6475, PaymentMethodID: 2})
	fmt.Println(p.Status, err, srv.Completions(6475))
	// Output: completed <nil> 1
}

// Walk every payment of a reseller, page by page.
func ExampleClient_All() {
	srv := activeplatformtest.NewServer()
	defer srv.Close()
	srv.SeedExample()
	for _, total := range []string{"10.00", "20.50"} {
		srv.AddPayment(activeplatformtest.Payment{ResellerID: 1, AccountID: 505, Total: total})
	}

	client, _ := activeplatform.NewClient(activeplatformtest.Token, activeplatform.WithBaseURL(srv.URL))
	opts := &activeplatform.ListOptions{PageSize: 2, Sort: "-total"}
	for p, err := range client.All(context.Background(), 1, opts) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(p.ID, p.Total, p.Status)
	}
	// Output:
	// 6475 99.0 waiting_for_payment
	// 6477 20.50 waiting_for_payment
	// 6476 10.00 waiting_for_payment
}

// Complete a payment by its document number with the amount received.
func ExampleClient_CompletePaymentByDocument() {
	srv := activeplatformtest.NewServer()
	defer srv.Close()
	srv.SeedExample()

	client, _ := activeplatform.NewClient(activeplatformtest.Token, activeplatform.WithBaseURL(srv.URL))
	p, err := client.CompletePaymentByDocument(context.Background(), 1, &activeplatform.CompleteByDocumentRequest{
		DocumentID: "2005258", PaymentMethodID: 2, Amount: "99.0", CurrencyCode: "USD",
		ExternalTransactionID: "bank-7731",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.ID, p.Status)
	// Output: 6475 completed
}

// Cancel an unpaid payment. A payment that is no longer
// waiting_for_payment cannot be cancelled.
func ExampleClient_CancelPayment() {
	srv := activeplatformtest.NewServer()
	defer srv.Close()
	srv.SeedExample()

	client, _ := activeplatform.NewClient(activeplatformtest.Token, activeplatform.WithBaseURL(srv.URL))
	req := &activeplatform.CancelPaymentRequest{ResellerID: 1, PaymentID: 6475}
	p, err := client.CancelPayment(context.Background(), req)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.ID, p.Status, p.ClosedAt != nil)

	_, err = client.CancelPayment(context.Background(), req)
	fmt.Println(errors.Is(err, activeplatform.ErrNotCancellable), activeplatform.SafeToRepeat(err))
	// Output:
	// 6475 cancelled true
	// true true
}

// Read the invoice a payment settles, with the payments it links.
func ExampleClient_GetInvoice() {
	srv := activeplatformtest.NewServer()
	defer srv.Close()
	srv.SeedExample() // invoice 2046, the documents' example

	client, _ := activeplatform.NewClient(activeplatformtest.Token, activeplatform.WithBaseURL(srv.URL))
	inv, err := client.GetInvoice(context.Background(), 1, 2046, activeplatform.IncludePayments)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(inv.DocumentID, inv.Status, inv.Total, inv.PaymentModel, inv.Approved, inv.FromDate, inv.ToDate)
	// Output: NS2000015 closed 987.65 postpay true 2019-04-17 2019-05-01
}

// List an account's invoices page by page.
func ExampleClient_AllInvoices() {
	srv := activeplatformtest.NewServer()
	defer srv.Close()
	srv.SeedExample()
	srv.AddInvoice(activeplatformtest.Invoice{ResellerID: 1, AccountID: 505, DocumentID: "NS2000016", Total: "12.00"})

	client, _ := activeplatform.NewClient(activeplatformtest.Token, activeplatform.WithBaseURL(srv.URL))
	for inv, err := range client.AllInvoices(context.Background(), 1, &activeplatform.InvoiceListOptions{AccountID: 505, PageSize: 1}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(inv.ID, inv.DocumentID, inv.Total)
	}
	// Output:
	// 2046 NS2000015 987.65
	// 2047 NS2000016 12.00
}

// One page of invoices, filtered.
func ExampleClient_ListInvoices() {
	srv := activeplatformtest.NewServer()
	defer srv.Close()
	srv.SeedExample()

	client, _ := activeplatform.NewClient(activeplatformtest.Token, activeplatform.WithBaseURL(srv.URL))
	page, err := client.ListInvoices(context.Background(), 1, &activeplatform.InvoiceListOptions{
		PaymentModel: activeplatform.PaymentModelPostpay, Status: "closed"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(page.Invoices), page.Invoices[0].DocumentID)
	// Output: 1 NS2000015
}

// Record money that came back to an account as a correction; it waits for
// approval.
func ExampleClient_CreateCorrection() {
	srv := activeplatformtest.NewServer()
	defer srv.Close()
	srv.SeedExample()

	client, _ := activeplatform.NewClient(activeplatformtest.Token, activeplatform.WithBaseURL(srv.URL))
	c, err := client.CreateCorrection(context.Background(), 1, &activeplatform.CreateCorrectionRequest{
		AccountID: 505, IncludedInvoice: false, PeriodFrom: "2021-12-01", PeriodTo: "2021-12-31",
		Total: activeplatform.MustDecimal("100.25"), Comment: "refund of an unused period",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.ID, c.Status, c.Total, c.Status.Pending())
	// Output: 1 approval_required 100.25 true
}

// Approve a correction that waits for approval; a correction leaves
// approval_required once.
func ExampleClient_UpdateCorrectionStatus() {
	srv := activeplatformtest.NewServer()
	defer srv.Close()
	srv.SeedExample()
	pending := srv.AddCorrection(activeplatformtest.Correction{ID: 738, ResellerID: 1, AccountID: 710, Total: "100.25"})

	client, _ := activeplatform.NewClient(activeplatformtest.Token, activeplatform.WithBaseURL(srv.URL))
	c, err := client.UpdateCorrectionStatus(context.Background(), &activeplatform.UpdateCorrectionStatusRequest{
		ResellerID: 1, CorrectionID: pending.ID, Status: activeplatform.CorrectionApproved,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.ID, c.Status, c.ApprovedAt != "")

	_, err = client.UpdateCorrectionStatus(context.Background(), &activeplatform.UpdateCorrectionStatusRequest{
		ResellerID: 1, CorrectionID: pending.ID, Status: activeplatform.CorrectionDeclined,
	})
	fmt.Println(errors.Is(err, activeplatform.ErrValidation))
	// Output:
	// 738 approved true
	// true
}

// Show the balance of the account a payment belongs to.
func ExampleClient_GetAccount() {
	srv := activeplatformtest.NewServer()
	defer srv.Close()
	srv.SeedExample()

	client, _ := activeplatform.NewClient(activeplatformtest.Token, activeplatform.WithBaseURL(srv.URL))
	a, err := client.GetAccount(context.Background(), 1, 505)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.ID, a.Name, a.Balance, a.UsableBalance, a.CurrentDebt)
	// Output: 505 Example Customer 150.00 100.00 0.0
}

// The ERP flow for a postpaid invoice: approve it against the ERP's
// invoice, then complete it once the ERP has the money.
func ExampleClient_CompleteInvoice() {
	srv := activeplatformtest.NewServer()
	defer srv.Close()
	srv.SeedExample()
	srv.AddInvoice(activeplatformtest.Invoice{ID: 3000, ResellerID: 1, AccountID: 505, Total: "987.65",
		PaymentModel: "postpay", FromDate: "2020-04-01", ToDate: "2020-04-30"})

	client, _ := activeplatform.NewClient(activeplatformtest.Token, activeplatform.WithBaseURL(srv.URL))
	req := &activeplatform.PostpaidInvoiceRequest{
		ResellerID: 1,
		InvoiceID:  3000,
		ERPInvoice: activeplatform.ERPInvoice{DocumentID: "NS2000015", BillingDate: "2020-04-01"},
	}
	inv, err := client.ApproveInvoice(context.Background(), req)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(inv.ID, inv.Approved, inv.DocumentID)
	inv, err = client.CompleteInvoice(context.Background(), req)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(inv.ID, inv.Status)
	// Output:
	// 3000 true NS2000015
	// 3000 closed
}

// Approve and complete by account: the invoice is matched by the start of
// its billing period.
func ExampleClient_CompleteInvoices() {
	srv := activeplatformtest.NewServer()
	defer srv.Close()
	srv.SeedExample()
	srv.AddInvoice(activeplatformtest.Invoice{ID: 3000, ResellerID: 1, AccountID: 505, Total: "987.65",
		PaymentModel: "postpay", FromDate: "2020-04-01", ToDate: "2020-04-30"})

	client, _ := activeplatform.NewClient(activeplatformtest.Token, activeplatform.WithBaseURL(srv.URL))
	req := &activeplatform.PostpaidAccountRequest{
		ResellerID: 1,
		AccountID:  505,
		ERPInvoice: activeplatform.ERPInvoice{DocumentID: "NS2000015", BillingDate: "2020-04-01"},
	}
	if _, err := client.ApproveInvoices(context.Background(), req); err != nil {
		fmt.Println(err)
		return
	}
	inv, err := client.CompleteInvoices(context.Background(), req)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(inv.ID, inv.Status)
	// Output: 3000 closed
}

// Revoke an approval made by mistake; the invoice can be approved again.
func ExampleClient_RevokeInvoiceApproval() {
	srv := activeplatformtest.NewServer()
	defer srv.Close()
	srv.SeedExample()
	srv.AddInvoice(activeplatformtest.Invoice{ID: 3000, ResellerID: 1, AccountID: 505, Total: "987.65",
		PaymentModel: "postpay", FromDate: "2020-04-01", Approved: true, ERPDocumentID: "NS2000015"})

	client, _ := activeplatform.NewClient(activeplatformtest.Token, activeplatform.WithBaseURL(srv.URL))
	inv, err := client.RevokeInvoiceApproval(context.Background(), &activeplatform.PostpaidInvoiceRequest{
		ResellerID: 1,
		InvoiceID:  3000,
		ERPInvoice: activeplatform.ERPInvoice{DocumentID: "NS2000015", BillingDate: "2020-04-01"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(inv.ID, inv.Approved)
	// Output: 3000 false
}

// Approve a postpaid invoice by its id against the ERP's invoice.
func ExampleClient_ApproveInvoice() {
	srv := activeplatformtest.NewServer()
	defer srv.Close()
	srv.SeedExample()
	srv.AddInvoice(activeplatformtest.Invoice{ID: 3000, ResellerID: 1, AccountID: 505, DocumentID: "AP-3000",
		Total: "987.65", PaymentModel: "postpay", FromDate: "2020-04-01"})

	client, _ := activeplatform.NewClient(activeplatformtest.Token, activeplatform.WithBaseURL(srv.URL))
	inv, err := client.ApproveInvoice(context.Background(), &activeplatform.PostpaidInvoiceRequest{
		ResellerID: 1,
		InvoiceID:  3000,
		ERPInvoice: activeplatform.ERPInvoice{DocumentID: "NS2000015", BillingDate: "2020-04-01"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(inv.ID, inv.Approved, inv.DocumentID)
	// Output: 3000 true NS2000015
}

// Approve an account's postpaid invoice, matched by billing period.
func ExampleClient_ApproveInvoices() {
	srv := activeplatformtest.NewServer()
	defer srv.Close()
	srv.SeedExample()
	srv.AddInvoice(activeplatformtest.Invoice{ID: 3000, ResellerID: 1, AccountID: 505, Total: "987.65",
		PaymentModel: "postpay", FromDate: "2020-04-01"})

	client, _ := activeplatform.NewClient(activeplatformtest.Token, activeplatform.WithBaseURL(srv.URL))
	inv, err := client.ApproveInvoices(context.Background(), &activeplatform.PostpaidAccountRequest{
		ResellerID: 1,
		AccountID:  505,
		ERPInvoice: activeplatform.ERPInvoice{DocumentID: "NS2000015", BillingDate: "2020-04-01"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(inv.ID, inv.Approved)
	// Output: 3000 true
}
