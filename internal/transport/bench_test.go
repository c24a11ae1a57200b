package transport

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

const benchReply = `{"data":{"transactionId":123456}}`

type benchResult struct {
	Data struct {
		TransactionID json.Number `json:"transactionId"`
	} `json:"data"`
}

// BenchmarkDo compares one JSON POST through the transport with the same
// work done by hand with net/http over the same pooled transport.
func BenchmarkDo(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, benchReply)
	}))
	defer srv.Close()
	payload := map[string]string{"roomNumber": "IG00001", "paymentId": "INV0001"}

	b.Run("sdk", func(b *testing.B) {
		c, err := New(Config{BaseURL: srv.URL + "/api/v1", Provider: "bench", Auth: Bearer("tok")})
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			body, err := JSON(payload)
			if err != nil {
				b.Fatal(err)
			}
			resp, err := c.Do(ctx, &Request{Method: "POST", Path: "/integrators/payments/debts/pay", Body: &body})
			if err != nil {
				b.Fatal(err)
			}
			var out benchResult
			if err := json.Unmarshal(resp.Body, &out); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("nethttp", func(b *testing.B) {
		hc := &http.Client{Transport: pooledTransport()}
		ctx := context.Background()
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			body, err := json.Marshal(payload)
			if err != nil {
				b.Fatal(err)
			}
			req, err := http.NewRequestWithContext(ctx, "POST", srv.URL+"/api/v1/integrators/payments/debts/pay", bytes.NewReader(body))
			if err != nil {
				b.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer tok")
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/json")
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			data, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil || resp.StatusCode != 200 {
				b.Fatal(err, resp.StatusCode)
			}
			var out benchResult
			if err := json.Unmarshal(data, &out); err != nil {
				b.Fatal(err)
			}
		}
	})
}
