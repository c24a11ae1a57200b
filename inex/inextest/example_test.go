package inextest_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/caravanpay/caravan/inex/inextest"
)

// WithStringTransactionIDs answers transaction ids as strings, the shape
// of the documents' table, so that a client that decodes them as numbers
// fails in its tests rather than in production.
func ExampleWithStringTransactionIDs() {
	srv := inextest.NewServer(inextest.WithStringTransactionIDs())
	defer srv.Close()
	srv.SeedExamples()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/integrators/payments/debts/pay",
		strings.NewReader(`{"roomNumber":"IG00001","paymentId":"INV0001"}`))
	req.Header.Set("Authorization", "Bearer "+inextest.Token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, string(body))
	// Output: 200 {"data":{"transactionId":"223IN1233"}}
}

// Route targets one endpoint: the next debt payment is applied and its
// reply lost, while reads go through.
func ExampleServer_Route() {
	srv := inextest.NewServer()
	defer srv.Close()
	srv.Route("debts/pay").CutAfterNext(1)
	fmt.Println(srv.Route("debts/pay").Pending(), srv.Route("debts/detail").Pending())
	// Output: 1 0
}
