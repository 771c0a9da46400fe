package api

import "net/http"

// Routes passes every route of the API, with the demo routes, to handle;
// the external tests derive their tables from it (authz_test.go).
func Routes(handle func(pattern string, h http.Handler)) {
	(&API{DevSMS: true}).register(handle)
}
