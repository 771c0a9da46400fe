package api

import (
	"io"
	"net/http"
	"slices"
	"strings"

	"tirkeu/internal/residence"
	"tirkeu/internal/web"
)

func (a *API) devSMS(w http.ResponseWriter, r *http.Request) error {
	msgs, err := a.svc.Outbox(r.Context(), 1000)
	if err != nil {
		return err
	}
	to := residence.NormalizePhone(r.URL.Query().Get("to"))
	if to != "" {
		msgs = slices.DeleteFunc(msgs, func(m residence.SMS) bool { return m.To != to })
	}
	w.Header().Add("Vary", "Accept")
	if a.DevSMSPage != nil && wantsHTML(r) {
		return a.DevSMSPage(w, r, msgs)
	}
	out := make([]smsJSON, 0, len(msgs))
	for _, m := range msgs {
		if to != "" && m.To != to {
			continue
		}
		code, _ := residence.ExtractCode(m.Text)
		out = append(out, smsJSON{ID: m.ID, To: m.To, From: m.From, Text: m.Text, Code: code, CreatedAt: m.CreatedAt, Status: string(m.Status)})
	}
	return web.WriteJSON(w, http.StatusOK, out)
}

// wantsHTML reports whether a request to /dev/sms is a browser's: its
// Accept names text/html, and it did not ask for ?format=json. Scripts
// (curl's */*, Accept: application/json, no Accept) get JSON.
func wantsHTML(r *http.Request) bool {
	if r.URL.Query().Get("format") == "json" {
		return false
	}
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(mt), "text/html") {
			return true
		}
	}
	return false
}

// devLastCode answers the code of the newest SMS to a phone as plain text,
// so a demo walk-through with curl needs no JSON tool.
func (a *API) devLastCode(w http.ResponseWriter, r *http.Request) error {
	to := residence.NormalizePhone(r.URL.Query().Get("to"))
	if to == "" {
		return residence.NewError(residence.EInvalid, residence.Text{KK: "to: телефон нөмірі қажет.", RU: "to: нужен номер телефона.", EN: "to: a phone number is required."})
	}
	msgs, err := a.svc.Outbox(r.Context(), 1000)
	if err != nil {
		return err
	}
	for i := len(msgs) - 1; i >= 0; i-- {
		if code, ok := residence.ExtractCode(msgs[i].Text); ok && msgs[i].To == to {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			_, err := io.WriteString(w, code+"\n")
			return err
		}
	}
	return residence.ErrNotFound
}

type smsReplyRequest struct {
	From string `json:"from"`
	Text string `json:"text"`
}

func (a *API) devSMSReply(w http.ResponseWriter, r *http.Request) error {
	var in smsReplyRequest
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if in.From == "" || in.Text == "" {
		return residence.NewError(residence.EInvalid, residence.Text{KK: "from және text қажет.", RU: "Нужны from и text.", EN: "from and text are required."})
	}
	app, err := a.svc.ReceiveSMS(r.Context(), in.From, in.Text)
	if err != nil {
		return err
	}
	// The reply came from a phone, not a signed-in person: the tracking view.
	v, err := a.svc.Application(r.Context(), residence.Actor{}, app.ID)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, renderView(v, lang(r)))
}
