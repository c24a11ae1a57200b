package resilience

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/caravanpay/caravan/inex"
	"github.com/caravanpay/caravan/inex/inextest"
	"github.com/caravanpay/caravan/internal/fakeserver"
	"github.com/caravanpay/caravan/payguest"
	"github.com/caravanpay/caravan/payguest/payguesttest"
	"github.com/caravanpay/caravan/resid"
	"github.com/caravanpay/caravan/resid/residtest"
)

// The state-changing calls of issue #18 as chaos targets, run after
// chaosTargets' (kept apart so that other branches adding targets there do
// not collide with these).
func targets18() []chaosTarget {
	return []chaosTarget{inexCreateParcelTarget(), payguestPostGuestTarget(), residCreateMerchantTarget()}
}

// inexCreateParcelTarget registers one parcel per call. The fake keeps a
// parcel per tracking code and answers a second create with the same code
// with the parcel it has: applied is 0 or 1 by construction, and the check
// that matters is that no call said "not applied" while its parcel exists.
func inexCreateParcelTarget() chaosTarget {
	var srv *inextest.Server
	waybill := func(i int) string { return fmt.Sprintf("CH%08d", i) }
	return chaosTarget{
		name: "inex CreateParcel", class: "idempotent",
		start: func(t *testing.T, n int) (string, func()) {
			srv = inextest.NewServer()
			srv.SeedExamples() // pickup location 200058
			return srv.URL, srv.Close
		},
		client: func(t *testing.T, base string, hc *http.Client) any {
			c, err := inex.NewClient(inextest.Token, inex.WithBaseURL(base), inex.WithRetry(3, retryMin, retryMax), inex.WithHTTPClient(hc))
			if err != nil {
				t.Fatal(err)
			}
			return c
		},
		call: func(ctx context.Context, c any, i int) error {
			res, err := c.(*inex.Client).CreateParcel(ctx, &inex.CreateParcelRequest{
				ClientReferenceID: fmt.Sprintf("order-%d", i),
				WaybillNumbers:    []string{waybill(i)},
				Status:            inex.ParcelCreated,
				ShipmentType:      inex.ByAir,
				DeliveryType:      inex.PickupInStore,
				PickupLocationID:  "200058",
				Receiver:          inex.Receiver{PersonalID: "01001011111", Firstname: "Nino", Lastname: "Beridze", PhoneNumber: "555123456"},
				Declaration:       inex.Declaration{SourceURL: "https://shop.example/item/1", CurrencyCode: "USD"},
			})
			if err == nil && (len(res.Parcel.WaybillNumbers) == 0 || res.Parcel.WaybillNumbers[0] != waybill(i)) {
				return fmt.Errorf("created parcel reads %q", res.Parcel.WaybillNumbers)
			}
			return err
		},
		typed: func(err error) bool {
			var e *inex.Error
			return errors.As(err, &e)
		},
		applied: func(i int) int {
			if _, ok := srv.Parcel(waybill(i)); ok {
				return 1
			}
			return 0
		},
		write: func(r fakeserver.Request) int {
			if !strings.HasSuffix(r.Path, "/parcels/create") {
				return -1
			}
			var body struct {
				WaybillNumbers []string `json:"waybillNumbers"`
			}
			if json.Unmarshal(r.Body, &body) != nil || len(body.WaybillNumbers) == 0 {
				return -1
			}
			return indexed("CH")(body.WaybillNumbers[0])
		},
	}
}

// payguestPostGuestTarget creates one bill per call, named after the call:
// an unsafe call, never resent once it may have arrived.
func payguestPostGuestTarget() chaosTarget {
	var srv *payguesttest.Server
	name := func(i int) string { return fmt.Sprintf("C%07d", i) }
	var posted func(string) int
	return chaosTarget{
		name: "payguest PostGuest", class: "unsafe",
		start: func(t *testing.T, n int) (string, func()) {
			srv = payguesttest.NewServer()
			srv.AddExampleReferenceData()
			posted = counted(func() map[string]int {
				m := map[string]int{}
				for _, b := range srv.PostedBills() {
					m[b.Name]++
				}
				return m
			})
			return srv.URL, srv.Close
		},
		client: func(t *testing.T, base string, hc *http.Client) any {
			c, err := payguest.NewClient(payguest.WithBaseURL(base), payguest.WithRetry(3, retryMin, retryMax), payguest.WithHTTPClient(hc))
			if err != nil {
				t.Fatal(err)
			}
			return c
		},
		call: func(ctx context.Context, c any, i int) error {
			_, err := c.(*payguest.Client).PostGuest(ctx, &payguest.PostGuestRequest{
				Name: name(i), DivisionID: payguesttest.ExampleDivisionID, ClientPhone: "999999999", ClientName: "Chaos",
				Orders: []payguest.GuestOrder{{Name: name(i), Items: []payguest.GuestOrderItem{
					{MenuItemID: "9C3D6192-9FFA-A848-8C6E-D5629F9128AD", Count: payguest.MustDecimal("2"), Price: payguest.MustDecimal("650.50")},
				}}},
			})
			return err
		},
		typed: func(err error) bool {
			var e *payguest.Error
			return errors.As(err, &e)
		},
		applied: func(i int) int { return posted(name(i)) },
		write: func(r fakeserver.Request) int {
			if !strings.HasSuffix(r.Path, "/post-guest") {
				return -1
			}
			return indexed("C")(jsonField(r.Body, "gest_Name"))
		},
	}
}

// residCreateMerchantTarget registers one merchant per call, told apart by
// its SHEBA: an unsafe call.
func residCreateMerchantTarget() chaosTarget {
	var srv *residtest.Server
	sheba := func(i int) string { return fmt.Sprintf("IR%024d", i) }
	var created func(string) int
	return chaosTarget{
		name: "resid CreateMerchant", class: "unsafe",
		start: func(t *testing.T, n int) (string, func()) {
			srv = residtest.NewServer()
			created = counted(func() map[string]int {
				m := map[string]int{}
				for _, c := range srv.CreatedMerchants() {
					m[c.Sheba]++
				}
				return m
			})
			return srv.URL, srv.Close
		},
		client: residClient,
		call: func(ctx context.Context, c any, i int) error {
			_, err := c.(*resid.Client).CreateMerchant(ctx, &resid.CreateMerchantRequest{
				FirstName: "Asghar", LastName: "Farhadi", PhoneNumber: "09123456789", NationalNo: "1234567890",
				Sheba: sheba(i), JobTitle: "Programmer",
			})
			return err
		},
		typed:   residTyped,
		applied: func(i int) int { return created(sheba(i)) },
		write: func(r fakeserver.Request) int {
			if r.Method != http.MethodPost || !strings.HasSuffix(r.Path, "/merchants") {
				return -1
			}
			q, err := url.ParseQuery(string(r.Body))
			if err != nil {
				return -1
			}
			return indexed("IR")(q.Get("sheba"))
		},
	}
}
