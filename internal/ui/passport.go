package ui

import "net/http"

// passport is the service passport: who may apply, what it costs, how long
// it takes, what is needed and when to go in person, with the legal basis.
func (u *UI) passport(w http.ResponseWriter, r *http.Request) error {
	return u.render(w, r, http.StatusOK, "passport", u.page(w, r, "passport.title"))
}
