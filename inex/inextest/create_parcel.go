package inextest

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"unicode/utf8"
)

// ParcelsCreated counts the parcels create-parcel created: a call
// answered with an existing parcel does not count.
func (s *Server) ParcelsCreated() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.created
}

// sub reads a nested object of the input ({} when absent or not an object).
func (in input) sub(k string) input {
	m, _ := in[k].(map[string]any)
	out := input{}
	for k, v := range m {
		if str, ok := v.(string); ok && str == "" {
			v = nil
		}
		out[k] = v
	}
	return out
}

func (v *validation) maxString(in input, key, field string, max int, req bool) {
	if !in.present(key) {
		if req {
			v.add(field, "The "+attribute(field)+" field is required.")
		}
		return
	}
	str, ok := in[key].(string)
	if !ok {
		v.add(field, "The "+attribute(field)+" field must be a string.")
		return
	}
	if utf8.RuneCountInString(str) > max {
		v.add(field, fmt.Sprintf("The %s field must not be greater than %d characters.", attribute(field), max))
	}
}

func (v *validation) oneOf(in input, field string, values ...string) {
	if !v.required(in, field) {
		return
	}
	for _, x := range values {
		if in.str(field) == x {
			return
		}
	}
	v.add(field, "The selected "+attribute(field)+" is invalid.")
}

func (v *validation) optionalInteger(in input, field string) int64 {
	if !in.present(field) {
		return 0
	}
	n, err := strconv.ParseInt(fmt.Sprint(in[field]), 10, 64)
	if err != nil {
		v.add(field, "The "+attribute(field)+" field must be an integer.")
	}
	return n
}

func (s *Server) createParcel(w http.ResponseWriter, r *http.Request, in input, _ string) {
	var v validation
	v.maxString(in, "clientReferenceId", "clientReferenceId", 255, false)
	var waybills []string
	switch ws := in["waybillNumbers"].(type) {
	case nil:
		v.add("waybillNumbers", "The waybill numbers field is required.")
	case []any:
		if len(ws) == 0 {
			v.add("waybillNumbers", "The waybill numbers field is required.")
		}
		for i, x := range ws {
			str, ok := x.(string)
			field := fmt.Sprintf("waybillNumbers.%d", i)
			switch {
			case !ok || str == "":
				v.add(field, "The "+field+" field must be a string.")
			case utf8.RuneCountInString(str) > 255:
				v.add(field, "The "+field+" field must not be greater than 255 characters.")
			default:
				waybills = append(waybills, str)
			}
		}
	default:
		v.add("waybillNumbers", "The waybill numbers field must be an array.")
	}
	v.oneOf(in, "status", "created", "received", "pending")
	if st := in.str("status"); (st == "received" || st == "pending") && !in.present("weight") {
		v.add("weight", "The weight field is required when status is "+st+".")
	}
	weight := v.optionalInteger(in, "weight")
	length, height, width := v.optionalInteger(in, "length"), v.optionalInteger(in, "height"), v.optionalInteger(in, "width")
	v.oneOf(in, "shipmentType", "byAir", "bySea", "byTrain", "byRoad")
	v.oneOf(in, "deliveryType", "pickupInStore", "delivery")
	s.mu.Lock()
	defer s.mu.Unlock()
	if in.str("deliveryType") == "pickupInStore" {
		if !in.present("pickupLocationId") {
			v.add("pickupLocationId", "The pickup location id field is required when delivery type is pickupInStore.")
		} else if _, ok := s.locationByCode(fmt.Sprint(in["pickupLocationId"])); !ok {
			v.add("pickupLocationId", "The selected pickup location id is invalid.")
		}
	}
	recv := in.sub("receiver")
	for _, f := range []string{"personalId", "firstname", "lastname", "phoneNumber"} {
		v.maxString(recv, f, "receiver."+f, 255, true)
	}
	v.maxString(recv, "email", "receiver.email", 255, false)
	if in.str("deliveryType") == "delivery" {
		dd := in.sub("deliveryDetail")
		v.maxString(dd, "city", "deliveryDetail.city", 255, true)
		v.maxString(dd, "address", "deliveryDetail.address", 1000, true)
		v.maxString(dd, "district", "deliveryDetail.district", 255, false)
	}
	decl := in.sub("declaration")
	if !decl.present("sourceUrl") {
		v.add("declaration.sourceUrl", "The declaration.source url field is required.")
	} else if u, err := url.Parse(fmt.Sprint(decl["sourceUrl"])); err != nil || u.Scheme == "" || u.Host == "" {
		v.add("declaration.sourceUrl", "The declaration.source url field must be a valid URL.")
	}
	if v.fail(w, r) {
		return
	}
	for _, wb := range waybills {
		if p := s.parcel(wb); p != nil {
			if p.Vendor != vendor(r) {
				writeGeneral(w, http.StatusForbidden, MessageUnauthorized)
				return
			}
			writeJSON(w, http.StatusOK, map[string]any{"data": s.parcelJSON(p)})
			return
		}
	}
	p := s.putParcel(Parcel{
		WaybillNumbers: waybills, Vendor: vendor(r), Status: in.str("status"),
		Weight: weight, Length: length, Height: height, Width: width,
		PickupLocationCode: fmt.Sprint(in["pickupLocationId"]), ClientReferenceID: in.str("clientReferenceId"),
		ShipmentType: in.str("shipmentType"), DeliveryType: in.str("deliveryType"),
		ReceiverCity: s.receiverCity(in),
	})
	if in.str("deliveryType") != "pickupInStore" {
		p.PickupLocationCode = ""
	}
	s.created++
	writeJSON(w, http.StatusCreated, map[string]any{"data": s.parcelJSON(p)})
}

// receiverCity is the pickup location's city, or the delivery's; s.mu
// must be held.
func (s *Server) receiverCity(in input) string {
	if l, ok := s.locationByCode(fmt.Sprint(in["pickupLocationId"])); ok && in.str("deliveryType") == "pickupInStore" {
		return l.City
	}
	return in.sub("deliveryDetail").str("city")
}
