package api

import (
	_ "embed"
	"net/http"
)

// openAPISpec is the OpenAPI 3.1 description of every route of Register and
// of the operations endpoints. It is written by hand; openapi_test.go checks
// it against the routes, the response and request structs, the status words
// of internal/residence and the error codes of internal/web, so a route, a
// field or a code added without documenting it fails the tests.
//
//go:embed openapi.json
var openAPISpec []byte

// openAPI serves GET /openapi.json.
func (a *API) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	_, err := w.Write(openAPISpec)
	return err
}
