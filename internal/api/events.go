package api

import (
	"net/http"
	"strconv"

	"tirkeu/internal/residence"
	"tirkeu/internal/web"
)

func (a *API) events(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	after, err := queryInt(q.Get("after"), 0)
	if err != nil {
		return residence.NewError(residence.EInvalid, residence.Text{KK: "after: сан болуы керек.", RU: "after: должно быть числом.", EN: "after must be a number."})
	}
	limit, err := queryInt(q.Get("limit"), 100)
	if err != nil {
		return residence.NewError(residence.EInvalid, residence.Text{KK: "limit: сан болуы керек.", RU: "limit: должно быть числом.", EN: "limit must be a number."})
	}
	evs, err := a.svc.Feed(r.Context(), web.ActorFrom(r.Context()), after, int(limit))
	if err != nil {
		return err
	}
	out := feedJSON{Events: make([]eventJSON, 0, len(evs)), Next: after}
	for _, e := range evs {
		out.Events = append(out.Events, renderEvent(e, lang(r)))
		out.Next = e.Seq
	}
	return web.WriteJSON(w, http.StatusOK, out)
}

func queryInt(s string, def int64) (int64, error) {
	if s == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, residence.ErrNotFound
	}
	return n, nil
}
