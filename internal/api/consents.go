package api

import (
	"net/http"
	"strings"

	"tirkeu/internal/residence"
	"tirkeu/internal/web"
)

type consentRequest struct {
	Code string `json:"code"`
}

func (a *API) answer(w http.ResponseWriter, r *http.Request, confirm bool) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	var in consentRequest
	if len(strings.TrimSpace(string(body))) > 0 {
		if err := decodeBytes(body, &in); err != nil {
			return err
		}
	}
	ans := residence.ConsentAnswer{Code: strings.TrimSpace(in.Code)}
	if ans.EDS, err = signature(r, body); err != nil {
		return err
	}
	actor := web.ActorFrom(r.Context())
	id, err := pathKey(r, "id")
	if err != nil {
		return err
	}
	if confirm {
		_, err = a.svc.ConfirmConsent(r.Context(), actor, id, ans)
	} else {
		_, err = a.svc.DeclineConsent(r.Context(), actor, id, ans)
	}
	if err != nil {
		return err
	}
	// The owner reads the application they answered, as its party.
	v, err := a.svc.AnsweredView(r.Context(), actor, id)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, renderView(v, lang(r)))
}

func (a *API) confirmConsent(w http.ResponseWriter, r *http.Request) error {
	return a.answer(w, r, true)
}
func (a *API) declineConsent(w http.ResponseWriter, r *http.Request) error {
	return a.answer(w, r, false)
}
