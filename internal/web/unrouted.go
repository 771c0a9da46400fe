package web

import (
	"net/http"
	"strings"

	"tirkeu/internal/residence"
)

// probeMethods are the methods Unrouted tries when it looks for the routes
// of a path.
var probeMethods = []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// Unrouted is the catch-all handler of a subtree of mux (such as "/api/"):
// a path that mux routes for other methods is 405 method_not_allowed with
// an Allow header naming them (RFC 9110 §15.5.6), any other path 404. The
// catch-all pattern itself would otherwise answer every wrong method with
// 404, as ServeMux gives 405 only when no pattern matches. A nil mux
// answers 404 always.
func Unrouted(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if allow := allowed(mux, r); len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			WriteError(w, r, residence.NewError(residence.EMethodNotAllowed, textMethodNotAllowed))
			return
		}
		NotFound(w, r)
	})
}

// allowed returns the methods mux routes r's path for, other than the
// pattern r matched.
func allowed(mux *http.ServeMux, r *http.Request) []string {
	if mux == nil {
		return nil
	}
	var out []string
	for _, m := range probeMethods {
		if m == r.Method {
			continue
		}
		probe := r.WithContext(r.Context())
		probe.Method = m
		if _, pattern := mux.Handler(probe); pattern != "" && pattern != r.Pattern {
			out = append(out, m)
		}
	}
	return out
}

var textMethodNotAllowed = residence.Text{
	KK: "Бұл мекенжай бұл әдісті қабылдамайды.",
	RU: "Этот адрес не принимает такой метод.",
	EN: "This address does not accept this method.",
}
