package ui

import (
	"net/http"
	"slices"

	"tirkeu/internal/residence"
)

// outboxLine is one message of the demo outbox page.
type outboxLine struct {
	SMS  residence.SMS
	Code string
}

type outboxView struct {
	Page
	Messages []outboxLine
	To       string
}

// RenderOutbox renders the demo SMS outbox (GET /dev/sms from a browser;
// the API serves the same messages as JSON to scripts): a table, newest
// first, with the code each message carries. msgs are oldest first, as the
// API reads them.
func (u *UI) RenderOutbox(w http.ResponseWriter, r *http.Request, msgs []residence.SMS) error {
	v := &outboxView{Page: u.page(w, r, "outbox.title"), To: r.URL.Query().Get("to")}
	for _, m := range slices.Backward(msgs) {
		code, _ := residence.ExtractCode(m.Text)
		v.Messages = append(v.Messages, outboxLine{SMS: m, Code: code})
	}
	return u.render(w, r, http.StatusOK, "outbox", v)
}
