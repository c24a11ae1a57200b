package uapay

import (
	"testing"
	"time"
)

// benchClaims is the size of a typical update's claims.
var benchClaims = []byte(`{"params":{"sessionId":"00684a7f-3d5c-43f4-b4d1-ea994226be9c","id":"065f927e-f78f-4d9a-ad07-cef58c16ca96"},` +
	`"data":{"tag":"Клиент 1","redirectUrl":"https://uapay.ua","extraInfo":"{\"base\":true,\"origin\":\"invoicer\",\"email\":\"test@ukr.net\"}"},"iat":1700000000}`)

// BenchmarkSign measures the HS256 signature UAPAY requires on every request.
func BenchmarkSign(b *testing.B) {
	s := &signer{key: []byte("bench-sign-key")}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = s.sign(benchClaims)
	}
}

// BenchmarkVerify measures the check of a signed reply or callback.
func BenchmarkVerify(b *testing.B) {
	s := &signer{key: []byte("bench-sign-key")}
	token := s.sign(benchClaims)
	now := time.Unix(1700000000, 0)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := s.verify(token, now); err != nil {
			b.Fatal(err)
		}
	}
}
