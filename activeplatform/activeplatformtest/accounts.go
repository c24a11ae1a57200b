package activeplatformtest

import (
	"net/http"
	"strconv"
	"time"
)

// Account is an account (customer) of the fake installation. Amounts are
// decimal text; CurrentDebt and SubscriptionCreditLimit are written as JSON
// numbers with that text, as the model types them floats.
type Account struct {
	ID                      int64     // the account's id
	ResellerID              int64     // the reseller that owns it
	Name                    string    // the customer's name
	Email                   string    // the customer's e-mail
	Country                 string    // ISO 3166-1 alpha-2
	Status                  string    // e.g. "active"
	Balance                 string    // "150.00"
	UsableBalance           string    // decimal text: the balance the customer may spend
	CurrentDebt             string    // "0.0"
	SubscriptionCreditLimit string    // decimal text, e.g. "0.0"
	CreatedAt               time.Time // when the account was created
	UpdatedAt               time.Time // when it last changed
}

// AddAccount adds or replaces an account, filling defaults for zero fields
// (Status "active", amounts "0.00" / "0.0", CreatedAt now), and returns it
// as stored.
func (s *Server) AddAccount(a Account) Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	def := func(v *string, d string) {
		if *v == "" {
			*v = d
		}
	}
	def(&a.Status, "active")
	def(&a.Balance, "0.00")
	def(&a.UsableBalance, a.Balance)
	def(&a.CurrentDebt, "0.0")
	def(&a.SubscriptionCreditLimit, "0.0")
	if a.CreatedAt.IsZero() {
		a.CreatedAt = s.now()
	}
	if a.UpdatedAt.IsZero() {
		a.UpdatedAt = a.CreatedAt
	}
	s.accounts[a.ID] = &a
	return a
}

func (s *Server) getAccount(w http.ResponseWriter, rid int64, id string) {
	n, err := strconv.ParseInt(id, 10, 64)
	a, ok := s.accounts[n]
	if err != nil || !ok || a.ResellerID != rid {
		notFound(w)
		return
	}
	num := func(v string) rawNumber { return rawNumber(v) }
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{
		"id": strconv.FormatInt(a.ID, 10), "type": "accounts",
		"attributes": map[string]any{
			"created_at": a.CreatedAt.In(s.zone).Format(timeLayout), "updated_at": a.UpdatedAt.In(s.zone).Format(timeLayout),
			"reseller_id": a.ResellerID, "name": a.Name, "email": a.Email, "country": a.Country, "status": a.Status,
			"balance": a.Balance, "usable_balance": a.UsableBalance,
			"current_debt": num(a.CurrentDebt), "subscription_credit_limit": num(a.SubscriptionCreditLimit),
		},
	}})
}

// rawNumber is decimal text written as a JSON number.
type rawNumber string

func (n rawNumber) MarshalJSON() ([]byte, error) { return []byte(n), nil }
