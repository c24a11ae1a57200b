package residtest

// Payloads counts the payment requests (created or seeded) per payload: a
// ledger for tests that check each CreatePayment took effect exactly once
// (give every call its own payload).
func (s *Server) Payloads() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := make(map[string]int, len(s.payments))
	for _, p := range s.payments {
		m[p.payload]++
	}
	return m
}
