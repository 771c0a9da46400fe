package api

import (
	"net/http"

	"tirkeu/internal/residence"
	"tirkeu/internal/web"
)

// citizenOnly guards the personal account's routes (/api/v1/me…): without
// a session 401, with a valid token of staff or an agency 403 (it is
// authenticated, but the account is a citizen's own).
func citizenOnly(f web.HandlerFunc) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		switch web.ActorFrom(r.Context()).Role {
		case residence.RoleCitizen:
			return f(w, r)
		case "":
			return residence.NewError(residence.EUnauthenticated, textSignIn)
		default:
			return residence.NewError(residence.EForbidden, textCitizensOnly)
		}
	}
}

func (a *API) me(w http.ResponseWriter, r *http.Request) error {
	actor := web.ActorFrom(r.Context())
	return a.writeAddresses(w, r, actor, actor.IIN)
}

func (a *API) history(w http.ResponseWriter, r *http.Request) error {
	actor := web.ActorFrom(r.Context())
	apps, evs, err := a.svc.History(r.Context(), actor, 100)
	if err != nil {
		return err
	}
	out := historyJSON{Applications: []applicationJSON{}, Messages: []eventJSON{}}
	for _, app := range apps {
		out.Applications = append(out.Applications, renderApplication(app, nil, lang(r)))
	}
	for _, e := range evs {
		out.Messages = append(out.Messages, renderEvent(e, lang(r)))
	}
	return web.WriteJSON(w, http.StatusOK, out)
}

func (a *API) accessLog(w http.ResponseWriter, r *http.Request) error {
	evs, err := a.svc.AccessLog(r.Context(), web.ActorFrom(r.Context()), 200)
	if err != nil {
		return err
	}
	out := accessLogJSON{Reads: []accessJSON{}}
	for _, e := range evs {
		out.Reads = append(out.Reads, renderAccess(e))
	}
	return web.WriteJSON(w, http.StatusOK, out)
}

func (a *API) myConsents(w http.ResponseWriter, r *http.Request) error {
	actor := web.ActorFrom(r.Context())
	views, err := a.svc.PendingConsents(r.Context(), actor)
	if err != nil {
		return err
	}
	out := consentsJSON{Consents: []pendingConsentJSON{}}
	for _, v := range views {
		for _, t := range v.ShownConsents {
			out.Consents = append(out.Consents, pendingConsentJSON{Consent: renderTask(t), Application: renderApplication(v.Application, nil, lang(r))})
		}
	}
	return web.WriteJSON(w, http.StatusOK, out)
}
