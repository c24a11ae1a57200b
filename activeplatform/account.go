package activeplatform

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/caravanpay/caravan/internal/tolerant"
	"github.com/caravanpay/caravan/internal/transport"
)

// Account is ActivePlatform's account (customer) resource ("type":
// "accounts"): the payer a payment's AccountID names, with its balance.
// The page's model is cut after subscription_credit_limit; Attributes keeps
// every member as sent.
type Account struct {
	// ID is the account id, 505. The model types it an integer, JSON:API
	// ids are text elsewhere: both are read.
	ID int64
	// ResellerID is the reseller the account belongs to, 0 if not sent.
	ResellerID int64
	// AccountClassID is the account's class, 0 if not sent.
	AccountClassID int64
	Name           string // the account's name
	PrimaryName    string // primary_name
	FirstName      string // first_name of the contact
	MiddleName     string // middle_name
	LastName       string // last_name
	Country        string // ISO 3166-1 alpha-2, "RU"
	Region         string // region
	City           string // city
	Street         string // street
	Building       string // building
	Office         string // office
	Zip            string // zip (postal) code
	Phone          string // phone
	Email          string // email
	Status         string // the account's status, as sent

	// Balance is the account's balance: exact decimal text as sent
	// ("150.00"; the model types it a string).
	Balance Decimal
	// UsableBalance is the part of the balance that can be spent.
	UsableBalance Decimal
	// CurrentDebt is the account's current debt. The model types it a
	// float; the number's literal text is kept, never a float64.
	CurrentDebt Decimal
	// SubscriptionCreditLimit is the credit limit for subscriptions, kept
	// like CurrentDebt.
	SubscriptionCreditLimit Decimal

	CreatedAt time.Time // created_at, with the installation's offset
	UpdatedAt time.Time // updated_at

	// Attributes is the whole attributes object as sent, for the members
	// this type does not name.
	Attributes json.RawMessage
}

type wireAccount struct {
	ID         text            `json:"id"`
	Type       string          `json:"type"`
	Attributes json.RawMessage `json:"attributes"`
}

type wireAccountAttrs struct {
	CreatedAt               stamp          `json:"created_at"`
	UpdatedAt               stamp          `json:"updated_at"`
	ResellerID              tolerant.Int64 `json:"reseller_id"`
	AccountClassID          tolerant.Int64 `json:"account_class_id"`
	Name                    text           `json:"name"`
	PrimaryName             text           `json:"primary_name"`
	FirstName               text           `json:"first_name"`
	MiddleName              text           `json:"middle_name"`
	LastName                text           `json:"last_name"`
	Country                 text           `json:"country"`
	Region                  text           `json:"region"`
	City                    text           `json:"city"`
	Street                  text           `json:"street"`
	Building                text           `json:"building"`
	Office                  text           `json:"office"`
	Zip                     text           `json:"zip"`
	Phone                   text           `json:"phone"`
	Email                   text           `json:"email"`
	Status                  text           `json:"status"`
	Balance                 Decimal        `json:"balance"`
	UsableBalance           Decimal        `json:"usable_balance"`
	CurrentDebt             Decimal        `json:"current_debt"`
	SubscriptionCreditLimit Decimal        `json:"subscription_credit_limit"`
}

// DecodeAccount decodes a JSON:API document whose primary data is one
// account, such as the reply to [Client.GetAccount]. Its errors match
// [ErrUnexpectedResponse].
func DecodeAccount(body []byte) (*Account, error) {
	a, err := decodeAccount(body)
	if err != nil {
		return nil, &decodeError{what: "account document", err: err}
	}
	return a, nil
}

func decodeAccount(body []byte) (*Account, error) {
	w, err := decodeOne[wireAccount](body, "account", "an account")
	if err != nil {
		return nil, err
	}
	if w.Type != "" && w.Type != "accounts" {
		return nil, fmt.Errorf("want an accounts resource, got type %q", w.Type)
	}
	id, err := parseID("account", w.ID)
	if err != nil {
		return nil, err
	}
	var a wireAccountAttrs
	if present(w.Attributes) {
		if err := json.Unmarshal(w.Attributes, &a); err != nil {
			return nil, fmt.Errorf("account attributes: %w", err)
		}
	}
	acc := &Account{
		ID: id, ResellerID: int64(a.ResellerID), AccountClassID: int64(a.AccountClassID),
		Name: string(a.Name), PrimaryName: string(a.PrimaryName), FirstName: string(a.FirstName),
		MiddleName: string(a.MiddleName), LastName: string(a.LastName), Country: string(a.Country),
		Region: string(a.Region), City: string(a.City), Street: string(a.Street), Building: string(a.Building),
		Office: string(a.Office), Zip: string(a.Zip), Phone: string(a.Phone), Email: string(a.Email),
		Status: string(a.Status), Balance: a.Balance, UsableBalance: a.UsableBalance, CurrentDebt: a.CurrentDebt,
		SubscriptionCreditLimit: a.SubscriptionCreditLimit, CreatedAt: a.CreatedAt.Time, UpdatedAt: a.UpdatedAt.Time,
	}
	if present(w.Attributes) {
		acc.Attributes = w.Attributes
	}
	return acc, nil
}

// GetAccount reads an account of the reseller (or of one of its downstream
// resellers): its contact details and its balance, usable balance and
// debt as exact decimals — the account a payment's top-up hit.
//
// Endpoint: GET /api/v3/resellers/{reseller_id}/accounts/{account_id}.
//
// Retry class: read — retried on connection errors, 408, 429 and 5xx.
//
// What to do with the outcome: nil is the account; an error never matches
// ErrOutcomeUnknown and the call may be repeated.
func (c *Client) GetAccount(ctx context.Context, resellerID, accountID int64) (*Account, error) {
	if err := checkID("reseller_id", resellerID); err != nil {
		return nil, err
	}
	if err := checkID("account_id", accountID); err != nil {
		return nil, err
	}
	resp, err := c.send(ctx, &transport.Request{
		Method: http.MethodGet, Class: transport.Read,
		Path: transport.Path("/api/v3/resellers/%s/accounts/%s", strconv.FormatInt(resellerID, 10), strconv.FormatInt(accountID, 10)),
	})
	if err != nil {
		return nil, err
	}
	return decodeReply(resp, DecodeAccount)
}
