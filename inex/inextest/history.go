package inextest

import (
	"fmt"
	"net/http"
	"time"
)

// eventTexts are the names and descriptions of the event ids the fake
// knows, per language; an unknown id is named by its id.
var eventTexts = map[string]map[string][2]string{
	"received": {
		"en": {"Received", "Parcel received at the overseas warehouse"},
		"ka": {"მიღებულია", "ამანათი მიღებულია საზღვარგარეთის საწყობში"},
		"ru": {"Получено", "Посылка получена на зарубежном складе"},
	},
	"pending": {
		"en": {"Dispatched", "Parcel dispatched to Georgia"},
		"ka": {"გამოგზავნილია", "ამანათი გამოგზავნილია საქართველოში"},
		"ru": {"Отправлено", "Посылка отправлена в Грузию"},
	},
	"arrived": {
		"en": {"Arrived", "Parcel arrived in Georgia"},
		"ka": {"ჩამოსულია", "ამანათი ჩამოვიდა საქართველოში"},
		"ru": {"Прибыло", "Посылка прибыла в Грузию"},
	},
	"takeout": {
		"en": {"Picked up", "Parcel picked up by the customer"},
		"ka": {"გატანილია", "ამანათი გაიტანა მომხმარებელმა"},
		"ru": {"Получено клиентом", "Посылку забрал клиент"},
	},
}

func eventText(id, lang string) (name, description string) {
	texts, ok := eventTexts[id]
	if !ok {
		return id, ""
	}
	t, ok := texts[lang]
	if !ok {
		t = texts["en"]
	}
	return t[0], t[1]
}

func (s *Server) logisticHistory(w http.ResponseWriter, r *http.Request, _ input, waybill string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.ownParcel(w, r, waybill)
	if p == nil {
		return
	}
	lang := r.Header.Get("Accept-Language")
	out := make([]map[string]any, 0, len(p.History))
	for i, e := range p.History {
		name, desc := eventText(e.EventID, lang)
		var reason, msg any
		if e.ReasonID != "" {
			reason = map[string]any{"reasonId": e.ReasonID}
		}
		if e.Message != "" {
			msg = e.Message
		}
		out = append(out, map[string]any{
			"uid":                 fmt.Sprintf("391b6da0-17b1-11f1-9b88-%012x", s.eventUID(p, i)),
			"event":               map[string]any{"eventId": e.EventID, "name": name, "description": desc},
			"reason":              reason,
			"message":             msg,
			"location":            map[string]any{"country": map[string]any{"name": e.Country}, "city": map[string]any{"name": e.City}},
			"happenedAt":          e.HappenedAt.In(tbilisi).Format(time.RFC3339),
			"happenedAtTimeStamp": e.HappenedAt.UnixMilli(),
		})
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": out})
}

// eventUID numbers events stably: by the parcel's first waybill number's
// bytes and the event's index.
func (s *Server) eventUID(p *Parcel, i int) uint64 {
	var h uint64 = 1469598103934665603
	if len(p.WaybillNumbers) > 0 {
		for _, b := range []byte(p.WaybillNumbers[0]) {
			h = (h ^ uint64(b)) * 1099511628211
		}
	}
	return (h<<8 | uint64(i&0xff)) & 0xffffffffffff
}
