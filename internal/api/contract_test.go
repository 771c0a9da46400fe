package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"tirkeu/internal/residence"
	"tirkeu/internal/web"
)

// The contract middleware: every request an API test makes through the
// harness, and every answer, is checked against openapi.json with
// kin-openapi's openapi3filter (which validates OpenAPI 3.1 documents with
// its JSON Schema 2020-12 validator). A test whose traffic drifts from the
// published contract fails, naming the operation, the status and the part
// of the schema at fault:
//
//   - every answer is validated against its operation: an undocumented
//     status, a missing required header, a content type or a body the
//     schema does not allow fails;
//   - a request the contract refuses must not be accepted (a 2xx or 3xx
//     answer to it fails): either the spec is too strict or the server too
//     lax; a refused request answered with a 4xx is the test's own doing;
//   - a path the document does not describe must answer 404 problem+json,
//     and a documented path with a wrong method 405 with Allow: a route
//     served but not documented fails.

// contract is openapi.json loaded for validation.
type contract struct {
	doc     *openapi3.T
	router  routers.Router
	problem *openapi3.Schema
}

var (
	contractOnce sync.Once
	contractDoc  *contract
	contractErr  error
)

// loadContract parses and validates openapi.json once per test binary.
func loadContract(tb testing.TB) *contract {
	tb.Helper()
	contractOnce.Do(func() { contractDoc, contractErr = parseContract() })
	if contractErr != nil {
		tb.Fatalf("contract: %v", contractErr)
	}
	return contractDoc
}

func parseContract() (*contract, error) {
	raw, err := os.ReadFile("openapi.json")
	if err != nil {
		return nil, err
	}
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		return nil, fmt.Errorf("load openapi.json: %w", err)
	}
	if !doc.IsOpenAPI31OrLater() {
		return nil, fmt.Errorf("openapi.json is OpenAPI %s; the middleware expects 3.1", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("openapi.json is not a valid OpenAPI document: %w", err)
	}
	// The document's server is the demo's address; the tests' servers
	// listen on ports of their own, so routes are matched on paths alone.
	doc.Servers = nil
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("route openapi.json: %w", err)
	}
	p := doc.Components.Schemas["Problem"]
	if p == nil || p.Value == nil {
		return nil, errors.New("openapi.json has no components.schemas.Problem")
	}
	return &contract{doc: doc, router: router, problem: p.Value}, nil
}

// capture records what a handler writes while passing it on.
type capture struct {
	http.ResponseWriter
	status int
	header http.Header
	body   bytes.Buffer
}

func (c *capture) WriteHeader(code int) {
	if c.status == 0 {
		c.status = code
		c.header = c.ResponseWriter.Header().Clone()
	}
	c.ResponseWriter.WriteHeader(code)
}

func (c *capture) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.WriteHeader(http.StatusOK)
	}
	if c.body.Len() < 4<<20 {
		c.body.Write(b)
	}
	return c.ResponseWriter.Write(b)
}

func (c *capture) Unwrap() http.ResponseWriter { return c.ResponseWriter }

// teeBody keeps a copy of the request body as the handler reads it, so the
// server reads the client's stream itself (the body limit still applies).
type teeBody struct {
	io.ReadCloser
	buf bytes.Buffer
}

func (t *teeBody) Read(p []byte) (int, error) {
	n, err := t.ReadCloser.Read(p)
	if t.buf.Len() < 4<<20 {
		t.buf.Write(p[:n])
	}
	return n, err
}

// middleware wraps the server's handler so that every exchange is checked;
// a violation is reported on tb (which outlives the server: the harness
// closes it in a cleanup).
func (c *contract) middleware(tb testing.TB, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := &teeBody{ReadCloser: r.Body}
		r.Body = body
		// What the client sent, before any middleware changes it.
		sent := r.Clone(r.Context())
		rec := &capture{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
			rec.header = w.Header().Clone()
		}
		if err := c.check(sent, body.buf.Bytes(), rec.status, rec.header, rec.body.Bytes()); err != nil {
			tb.Errorf("contract: %v\n\tbody: %.300s", err, rec.body.Bytes())
		}
	})
}

// check validates one exchange and returns a description of the first
// violation, or nil.
func (c *contract) check(req *http.Request, reqBody []byte, status int, header http.Header, body []byte) error {
	target := req.Method + " " + req.URL.Path
	// ServeMux redirects a path with dot segments or doubled slashes to
	// its clean form before any route sees it: not an operation.
	if clean := cleanPath(req.URL.Path); clean != req.URL.Path && isRedirect(status) {
		// (A clean path that names a subtree gets its slash: /api → /api/.)
		if loc, _ := url.Parse(header.Get("Location")); loc == nil || (loc.Path != clean && loc.Path != clean+"/") {
			return fmt.Errorf("%s → %d to %q, want the clean path %q", target, status, header.Get("Location"), clean)
		}
		return nil
	}
	// The router matches the request's URL; the server saw only its path.
	u := *req.URL
	u.Scheme, u.Host = "http", req.Host
	req.URL = &u
	route, params, err := c.router.FindRoute(req)
	switch {
	case errors.Is(err, routers.ErrMethodNotAllowed):
		if status != http.StatusMethodNotAllowed {
			return fmt.Errorf("%s: the path is documented for other methods only, but the server answered %d (want 405 with Allow)", target, status)
		}
		if header.Get("Allow") == "" {
			return fmt.Errorf("%s → 405 without an Allow header", target)
		}
		return c.checkProblem(target, status, header, body)
	case err != nil:
		if status != http.StatusNotFound {
			return fmt.Errorf("%s: route not in openapi.json, yet the server answered %d: document the operation", target, status)
		}
		return c.checkProblem(target, status, header, body)
	}
	op := route.Operation.OperationID
	opts := &openapi3filter.Options{
		IncludeResponseStatus: true,
		MultiError:            false,
		AuthenticationFunc:    authenticate,
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
	if len(reqBody) > 0 {
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	} else {
		req.Body = http.NoBody
	}
	if status < 400 {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			return fmt.Errorf("%s (operation %s) → %d, but the request breaks the contract (the spec is too strict or the server too lax): %s",
				target, op, status, describe(err))
		}
	}
	res := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: status, Header: header, Options: opts}
	res.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), res); err != nil {
		return fmt.Errorf("%s (operation %s) → %d: %s", target, op, status, describe(err))
	}
	return nil
}

func isRedirect(status int) bool {
	return status == http.StatusMovedPermanently || status == http.StatusTemporaryRedirect || status == http.StatusPermanentRedirect
}

// cleanPath is ServeMux's canonical form of a path.
func cleanPath(p string) string {
	c := path.Clean(p)
	if strings.HasSuffix(p, "/") && c != "/" {
		c += "/"
	}
	return c
}

// checkProblem validates the answer to a request outside the documented
// operations: an RFC 9457 problem (schema Problem).
func (c *contract) checkProblem(target string, status int, header http.Header, body []byte) error {
	if ct := header.Get("Content-Type"); ct != "application/problem+json" {
		return fmt.Errorf("%s → %d: Content-Type %q, want application/problem+json", target, status, ct)
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return fmt.Errorf("%s → %d: body is not JSON: %v", target, status, err)
	}
	if err := c.problem.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
		return fmt.Errorf("%s → %d: body against #/components/schemas/Problem: %s", target, status, describe(err))
	}
	return nil
}

// describe names where a validation error is: the value's JSON pointer and
// the schema keyword that refused it.
func describe(err error) string {
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		ptr := "/" + strings.Join(se.JSONPointer(), "/")
		field := se.SchemaField
		if field == "" {
			field = "(schema)"
		}
		return fmt.Sprintf("at %s: keyword %s: %s [%s]", ptr, field, se.Reason, oneLine(err.Error(), 400))
	}
	return oneLine(err.Error(), 600)
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		s = s[:n] + "…"
	}
	return s
}

// authenticate checks that a request names the credential a security
// scheme describes; whether the credential is good is the server's to say.
func authenticate(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	r := in.RequestValidationInput.Request
	switch in.SecurityScheme.Type {
	case "http":
		if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
			return errors.New("no bearer token")
		}
	case "apiKey":
		if _, err := r.Cookie(in.SecurityScheme.Name); err != nil {
			return fmt.Errorf("no %s cookie", in.SecurityScheme.Name)
		}
	default:
		return fmt.Errorf("security scheme type %q unknown to the contract middleware", in.SecurityScheme.Type)
	}
	return nil
}

// TestContractMiddlewareFails: the middleware reports what drifts from the
// contract, naming the operation, the status and the schema path.
func TestContractMiddlewareFails(t *testing.T) {
	c := loadContract(t)
	problem := func(code string, status int) []byte {
		return fmt.Appendf(nil, `{"type":"https://tirkeu.kz/problems/%s","title":"x","status":%d,"code":%q,"detail":"x","messages":{"kk":"x","ru":"x","en":"x"},"request_id":"r"}`, code, status, code)
	}
	pj := http.Header{"Content-Type": {"application/problem+json"}}
	js := http.Header{"Content-Type": {"application/json"}}
	tests := []struct {
		name           string
		method, target string
		reqBody        string
		status         int
		header         http.Header
		body           []byte
		want           []string // substrings of the error; nil: valid
	}{
		{name: "valid", method: "GET", target: "/healthz", status: 200, header: js, body: []byte(`{"status":"ok"}`)},
		{name: "undocumented status", method: "GET", target: "/healthz", status: 418, header: pj, body: problem("invalid", 418),
			want: []string{"GET /healthz", "operation healthz", "418"}},
		{name: "body against schema", method: "GET", target: "/healthz", status: 200, header: js, body: []byte(`{"status":7}`),
			want: []string{"operation healthz", "200", "at /status"}},
		{name: "unknown route served", method: "GET", target: "/api/v1/nowhere", status: 200, header: js, body: []byte(`{}`),
			want: []string{"GET /api/v1/nowhere", "route not in openapi.json"}},
		{name: "unknown route 404", method: "GET", target: "/api/v1/nowhere", status: 404, header: pj, body: problem("not_found", 404)},
		{name: "wrong method 404", method: "PUT", target: "/api/v1/me", status: 404, header: pj, body: problem("not_found", 404),
			want: []string{"PUT /api/v1/me", "want 405"}},
		{name: "405 without Allow", method: "PUT", target: "/api/v1/me", status: 405, header: pj, body: problem("method_not_allowed", 405),
			want: []string{"without an Allow"}},
		{name: "request refused yet accepted", method: "POST", target: "/api/v1/otp", reqBody: `{"iin":"x","purpose":"nope"}`,
			status: 201, header: js, body: []byte(`{}`), want: []string{"operation requestOTP", "request breaks the contract"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, "http://127.0.0.1:1"+tt.target, strings.NewReader(tt.reqBody))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			req.URL = &url.URL{Path: req.URL.Path}
			err = c.check(req, []byte(tt.reqBody), tt.status, tt.header, tt.body)
			if tt.want == nil {
				if err != nil {
					t.Errorf("valid exchange refused: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("not reported, want %q", tt.want)
			}
			for _, s := range tt.want {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not name %q", err, s)
				}
			}
		})
	}
}

// TestContractOperations: every operation has the operationId the
// middleware names it by.
func TestContractOperations(t *testing.T) {
	c := loadContract(t)
	var ops []string
	for path, item := range c.doc.Paths.Map() {
		for m, op := range item.Operations() {
			if op.OperationID == "" {
				t.Errorf("%s %s: no operationId (the middleware names operations by it)", m, path)
			}
			ops = append(ops, m+" "+path)
		}
	}
	sort.Strings(ops)
	if !slices.Contains(ops, "GET /api/v1/me") {
		t.Errorf("operations %v lack GET /api/v1/me", ops)
	}
}

// TestContractEdges makes the requests the scenario tests do not, through
// the contract middleware: wrong methods, bad and wrong-role tokens,
// non-JSON bodies, a rate limit and an IIN in a failing path. Each answer
// must be what openapi.json documents (405 with Allow, 401 with
// WWW-Authenticate, 403, 415, 429 with Retry-After, an instance without the
// IIN); the assertions below say the same in the test's own words.
func TestContractEdges(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		staff := h.staffToken(residence.RoleOperator)
		citizen := h.login("owner")

		t.Run("wrong method", func(t *testing.T) {
			for _, tt := range []struct{ method, path, allow string }{
				{"PUT", "/api/v1/me", "GET, HEAD"},
				{"POST", "/api/v1/me/history", "GET, HEAD"},
				{"GET", "/api/v1/otp", "POST"},
				{"PATCH", "/api/v1/sessions", "POST, DELETE"},
				{"DELETE", "/api/v1/applications/x", "GET, HEAD"},
				{"GET", "/api/v1/consents/x/confirm", "POST"},
			} {
				res := h.do(tt.method, tt.path, citizen, nil)
				if res.status != http.StatusMethodNotAllowed || res.header.Get("Allow") != tt.allow || res.str("code") != "method_not_allowed" {
					t.Errorf("%s %s: %d Allow %q %s, want 405 Allow %q", tt.method, tt.path, res.status, res.header.Get("Allow"), res.raw, tt.allow)
				}
			}
			if res := h.do("GET", "/api/v1/nowhere", "", nil); res.status != http.StatusNotFound || res.header.Get("Allow") != "" {
				t.Errorf("unknown path: %d Allow %q", res.status, res.header.Get("Allow"))
			}
		})

		t.Run("401 names its scheme", func(t *testing.T) {
			for _, tok := range []string{"", "not-a-token", "tk_0000"} {
				res := h.do("GET", "/api/v1/me", tok, nil)
				if res.status != http.StatusUnauthorized || !strings.HasPrefix(res.header.Get("WWW-Authenticate"), "Bearer ") {
					t.Errorf("token %q: %d WWW-Authenticate %q", tok, res.status, res.header.Get("WWW-Authenticate"))
				}
			}
		})

		t.Run("staff on /me is 403", func(t *testing.T) {
			res := h.do("GET", "/api/v1/me", staff, nil)
			if res.status != http.StatusForbidden || res.str("code") != "forbidden" {
				t.Errorf("operator on /me: %d %s", res.status, res.raw)
			}
			for _, p := range []string{"/api/v1/me/history", "/api/v1/me/access-log", "/api/v1/me/consents"} {
				if res := h.do("GET", p, staff, nil); res.status != http.StatusForbidden {
					t.Errorf("operator on %s: %d %s", p, res.status, res.raw)
				}
			}
		})

		t.Run("non-JSON bodies are 415", func(t *testing.T) {
			paths := []string{"/api/v1/otp", "/api/v1/sessions", "/api/v1/applications", "/api/v1/deregistrations",
				"/api/v1/consents/x/confirm", "/api/v1/consents/x/decline", "/api/v1/persons/" + h.iin("owner") + "/deregistration", "/dev/sms/reply"}
			for _, p := range paths {
				for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "application/xml"} {
					tok := ""
					if strings.Contains(p, "/persons/") {
						tok = staff
					}
					res := h.do("POST", p, tok, `{"iin":"1"}`, "Content-Type", ct)
					if res.status != http.StatusUnsupportedMediaType || res.str("code") != "unsupported_media_type" {
						t.Errorf("POST %s as %s: %d %s", p, ct, res.status, res.raw)
					}
				}
			}
			// JSON with parameters, and +json types, are JSON.
			res := h.do("POST", "/api/v1/otp", "", map[string]string{"iin": h.iin("owner"), "purpose": "login"}, "Content-Type", "application/json; charset=utf-8")
			if res.status != http.StatusCreated {
				t.Errorf("application/json; charset=utf-8: %d %s", res.status, res.raw)
			}
		})

		t.Run("no IIN in instance", func(t *testing.T) {
			for _, path := range []string{"/api/v1/persons/" + h.iin("stranger") + "/registrations",
				"/api/v1/persons/" + h.iin("stranger") + "/registrations?lang=en"} {
				res := h.do("GET", path, citizen, nil) // a citizen may not look up people
				if res.status != http.StatusForbidden {
					t.Fatalf("citizen on %s: %d %s", path, res.status, res.raw)
				}
				if strings.Contains(string(res.raw), h.iin("stranger")) {
					t.Errorf("the problem echoes the IIN: %s", res.raw)
				}
				if want := "/api/v1/persons/********" + h.iin("stranger")[8:] + "/registrations"; res.str("instance") != want {
					t.Errorf("instance %q, want %q", res.str("instance"), want)
				}
			}
		})

		t.Run("429 is documented", func(t *testing.T) {
			h.limited(web.NewIPLimiter(web.IPLimit{Burst: 1, Per: time.Hour}))
			var last response
			for range 3 {
				last = h.do("POST", "/api/v1/otp", "", map[string]string{"iin": h.iin("tenant"), "purpose": "login"})
			}
			if last.status != http.StatusTooManyRequests || last.header.Get("Retry-After") == "" {
				t.Errorf("third request: %d Retry-After %q", last.status, last.header.Get("Retry-After"))
			}
		})
	})
}
