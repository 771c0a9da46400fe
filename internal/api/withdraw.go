package api

import (
	"net/http"

	"tirkeu/internal/web"
)

// withdraw is POST /api/v1/applications/{id}/withdraw: the signed-in
// applicant withdraws an application that awaits consent
// (residence.Service.Withdraw). The answer is the application as the
// applicant sees it, status withdrawn, its consent tasks cancelled. It takes
// no body.
func (a *API) withdraw(w http.ResponseWriter, r *http.Request) error {
	id, err := pathKey(r, "id")
	if err != nil {
		return err
	}
	actor := web.ActorFrom(r.Context())
	if _, err := a.svc.Withdraw(r.Context(), actor, id); err != nil {
		return err
	}
	v, err := a.svc.Application(r.Context(), actor, id)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, renderView(v, lang(r)))
}
