package inextest

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestStringTransactionIDs(t *testing.T) {
	srv := Start(t, WithStringTransactionIDs())
	srv.SeedExamples()
	r := send(t, srv, http.MethodPost, "/integrators/payments/debts/pay", "application/json", `{"roomNumber":"IG00001","paymentId":"P1"}`)
	assert.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, `{"data":{"transactionId":"223IN1233"}}`, r.body, "a string, as the documents' table shows")
	r = send(t, srv, http.MethodPost, "/integrators/payments/debts/pay", "application/json", `{"roomNumber":"IG00001","paymentId":"P1"}`)
	assert.Equal(t, `{"data":{"transactionId":"223IN1233"}}`, r.body, "the same payment id answers the same id")
	r = send(t, srv, http.MethodPost, "/integrators/payments/balance/top-up", "application/json", `{"roomNumber":"IG00001","amount":5,"paymentId":"P1"}`)
	assert.Equal(t, `{"data":{"transactionId":"223IN1234"}}`, r.body)
	assert.Equal(t, "223IN1234", srv.Transactions()[1].ID)
	c, ok := srv.Customer("IG00001")
	assert.True(t, ok)
	assert.Equal(t, int64(162), c.Balance)
	assert.Equal(t, int64(79), c.Bonus)
	assert.Zero(t, srv.Debt("IG00001"))
	assert.Equal(t, 1, srv.TopUps("IG00001"))

	srv.AddParcel("WB1", "IG00001")
	srv.AddCustomer(Customer{RoomNumber: "IG00002", Wallet: []WalletBalance{{Amount: 150, Currency: "USD"}}})
	r = send(t, srv, http.MethodGet, "/integrators/payments/wallet/IG00002", "", "")
	assert.Equal(t, `{"data":[{"amount":"150","currency":"USD"}]}`, r.body)
	for _, path := range []string{"/integrators/payments/wallet/nobody", "/integrators/users/detail/nobody", "/integrators/payments/debts/detail?roomNumber=IG00002&waybillNumber=WB1"} {
		r = send(t, srv, http.MethodGet, path, "", "")
		assert.Equal(t, http.StatusNotFound, r.status, path)
	}
	r = send(t, srv, http.MethodPost, "/integrators/payments/balance/top-up", "application/json", `{"roomNumber":"nobody","amount":5,"paymentId":"P9"}`)
	assert.Equal(t, http.StatusNotFound, r.status)
	r = send(t, srv, http.MethodPost, "/integrators/payments/balance/top-up", "application/json", `{"roomNumber":"IG00001","amount":"x","paymentId":"P9"}`)
	assert.Equal(t, `{"message":"The amount field must be an integer.","errors":{"amount":["The amount field must be an integer."]}}`, r.body)
	r = send(t, srv, http.MethodPost, "/integrators/payments/debts/pay", "application/json", `{"waybillNumber":"TY7200934421231","paymentId":"P7"}`)
	assert.Equal(t, http.StatusOK, r.status, "by waybill alone")
	assert.Equal(t, 1, srv.InvoicePaidCount("INV-52446"))

	nums := Start(t, WithNumericWalletAmounts())
	nums.AddCustomer(Customer{RoomNumber: "IG00002", Wallet: []WalletBalance{{Amount: 150, Currency: "USD"}}})
	r = send(t, nums, http.MethodGet, "/integrators/payments/wallet/IG00002", "", "")
	assert.Equal(t, `{"data":[{"amount":150,"currency":"USD"}]}`, r.body, "the example's shape")
}
