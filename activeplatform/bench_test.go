package activeplatform

import (
	"encoding/json"
	"os"
	"testing"
)

// BenchmarkDecodePayment measures DecodePayment on the seed's reply.
func BenchmarkDecodePayment(b *testing.B) {
	body, err := os.ReadFile("testdata/complete_payment_response.json")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := DecodePayment(body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodePaymentPlainJSON is the baseline: encoding/json into plain
// types that accept only the seed's exact shapes (and parse no timestamps).
func BenchmarkDecodePaymentPlainJSON(b *testing.B) {
	body, err := os.ReadFile("testdata/complete_payment_response.json")
	if err != nil {
		b.Fatal(err)
	}
	var doc struct {
		Data struct {
			ID         string `json:"id"`
			Type       string `json:"type"`
			Attributes struct {
				CreatedAt, UpdatedAt, ClosedAt, ExpirationDate, DueDate *string
				AccountID                                               int64 `json:"account_id"`
				ManagerID                                               int64 `json:"manager_id"`
				PaymentMethodID                                         int64 `json:"payment_method_id"`
				DiscountAmount, Total                                   string
				ExternalTotal                                           *string `json:"external_total"`
				CurrencyCode                                            string  `json:"currency_code"`
				Comment, Status, Purpose                                string
				DocumentID                                              string `json:"document_id"`
				PaymentMethodName                                       string `json:"payment_method_name"`
				RequesterIP                                             string `json:"requester_ip"`
			} `json:"attributes"`
			Relationships map[string]struct {
				Data json.RawMessage `json:"data"`
			} `json:"relationships"`
		} `json:"data"`
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := json.Unmarshal(body, &doc); err != nil {
			b.Fatal(err)
		}
	}
}
