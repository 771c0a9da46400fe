package api

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"tirkeu/internal/residence"
	"tirkeu/internal/web"
)

// The contract tests below keep openapi.json honest: a route, a response
// field, a status word or an error code added to the code without being
// documented fails them.

// openAPIDoc is the parsed spec, as generic JSON.
type openAPIDoc map[string]any

func loadOpenAPI(t *testing.T) openAPIDoc {
	t.Helper()
	var doc openAPIDoc
	if err := json.Unmarshal(openAPISpec, &doc); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	return doc
}

func obj(v any) map[string]any { m, _ := v.(map[string]any); return m }

func list(v any) []any { l, _ := v.([]any); return l }

func (d openAPIDoc) schemas() map[string]any {
	return obj(obj(d["components"])["schemas"])
}

// resolve follows a local $ref ("#/components/…") to its target.
func (d openAPIDoc) resolve(t *testing.T, v map[string]any) map[string]any {
	t.Helper()
	for i := 0; i < 10; i++ {
		r, ok := v["$ref"].(string)
		if !ok {
			return v
		}
		var cur any = map[string]any(d)
		for _, part := range strings.Split(strings.TrimPrefix(r, "#/"), "/") {
			cur = obj(cur)[part]
		}
		if cur == nil {
			t.Fatalf("dangling $ref %q", r)
		}
		v = obj(cur)
	}
	t.Fatal("$ref loop")
	return nil
}

var httpMethods = []string{"get", "put", "post", "delete", "patch", "head", "options", "trace"}

// operations returns "METHOD /path" → operation for every operation in the spec.
func (d openAPIDoc) operations() map[string]map[string]any {
	out := map[string]map[string]any{}
	for path, item := range obj(d["paths"]) {
		for _, m := range httpMethods {
			if op := obj(obj(item)[m]); op != nil {
				out[strings.ToUpper(m)+" "+path] = op
			}
		}
	}
	return out
}

func TestOpenAPIDocument(t *testing.T) {
	doc := loadOpenAPI(t)
	v, _ := doc["openapi"].(string)
	if !regexp.MustCompile(`^3\.1\.\d+$`).MatchString(v) {
		t.Errorf("openapi = %q, want 3.1.x", v)
	}
	if obj(doc["info"])["title"] == nil || obj(doc["info"])["version"] == nil {
		t.Error("info.title and info.version are required")
	}
	schemes := obj(obj(doc["components"])["securitySchemes"])
	if b := obj(schemes["bearerAuth"]); b["type"] != "http" || b["scheme"] != "bearer" {
		t.Errorf("securitySchemes.bearerAuth = %v, want http bearer", b)
	}

	// Every $ref resolves.
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if _, ok := v["$ref"].(string); ok {
				doc.resolve(t, v)
			}
			for _, c := range v {
				walk(c)
			}
		case []any:
			for _, c := range v {
				walk(c)
			}
		}
	}
	walk(map[string]any(doc))

	// GET /openapi.json serves this very document.
	rec := httptest.NewRecorder()
	if err := (&API{}).openAPI(rec, httptest.NewRequest("GET", "/openapi.json", nil)); err != nil {
		t.Fatal(err)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	if rec.Body.String() != string(openAPISpec) {
		t.Error("GET /openapi.json does not serve openapi.json")
	}
}

// registeredRoutes returns "METHOD /path" for every route of Register (with
// the demo routes) and of the operations endpoints wired in cmd/tirkeu.
func registeredRoutes(t *testing.T) []string {
	t.Helper()
	var routes []string
	(&API{DevSMS: true}).register(func(pattern string, _ http.Handler) {
		if pattern == "/api/" {
			return // the problem+json 404 for unknown API paths
		}
		method, path, ok := strings.Cut(pattern, " ")
		if !ok || strings.ToUpper(method) != method || !strings.HasPrefix(path, "/") {
			t.Errorf("route %q has no method: document it or teach this test about it", pattern)
			return
		}
		routes = append(routes, method+" "+path)
	})
	// The operations endpoints are wired next to Register in cmd/tirkeu.
	src, err := os.ReadFile("../../cmd/tirkeu/serve.go")
	if err != nil {
		t.Fatal(err)
	}
	ops := regexp.MustCompile(`(?:mux|root)\.Handle(?:Func)?\("([A-Z]+ /[^"]*)"`).FindAllStringSubmatch(string(src), -1)
	for _, m := range ops {
		routes = append(routes, m[1])
	}
	for _, want := range []string{"GET /healthz", "GET /readyz", "GET /metrics"} {
		if !slices.Contains(routes, want) {
			t.Errorf("operations route %s not found in cmd/tirkeu/serve.go", want)
		}
	}
	return routes
}

var pathParam = regexp.MustCompile(`\{([^}]+)\}`)

func TestOpenAPIRoutes(t *testing.T) {
	doc := loadOpenAPI(t)
	ops := doc.operations()
	routes := registeredRoutes(t)
	for _, r := range routes {
		// ServeMux's {name...} wildcard is {name} in OpenAPI.
		key := strings.ReplaceAll(r, "...}", "}")
		if ops[key] == nil {
			t.Errorf("route %s is not documented in openapi.json", r)
		}
	}
	for key, op := range ops {
		if !slices.ContainsFunc(routes, func(r string) bool { return strings.ReplaceAll(r, "...}", "}") == key }) {
			t.Errorf("openapi.json documents %s, which is not a registered route", key)
		}
		for _, f := range []string{"operationId", "summary", "description", "responses"} {
			if op[f] == nil {
				t.Errorf("%s: no %s", key, f)
			}
		}
		if len(obj(op["responses"])) == 0 {
			t.Errorf("%s: no responses", key)
		}
		_, path, _ := strings.Cut(key, " ")
		// Path parameters declared = path parameters in the template.
		var want, got []string
		for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
			want = append(want, m[1])
		}
		params := map[string]bool{}
		for _, p := range list(op["parameters"]) {
			p := doc.resolve(t, obj(p))
			name, _ := p["name"].(string)
			switch p["in"] {
			case "path":
				got = append(got, name)
				if p["required"] != true {
					t.Errorf("%s: path parameter %s must be required", key, name)
				}
			case "header":
				params[name] = true
			}
		}
		sort.Strings(want)
		sort.Strings(got)
		if !slices.Equal(want, got) {
			t.Errorf("%s: path parameters %v, template has %v", key, got, want)
		}
		if strings.HasPrefix(path, "/api/v1/") && !params["Accept-Language"] {
			t.Errorf("%s: no Accept-Language parameter", key)
		}
	}
	submit := ops["POST /api/v1/applications"]
	for _, h := range []string{"Signature", "Idempotency-Key"} {
		found := false
		for _, p := range list(submit["parameters"]) {
			p := doc.resolve(t, obj(p))
			found = found || (p["in"] == "header" && p["name"] == h)
		}
		if !found {
			t.Errorf("POST /api/v1/applications: no %s header", h)
		}
	}
	if obj(submit["requestBody"]) == nil {
		t.Error("POST /api/v1/applications: no requestBody")
	}
}

// schemaTypes maps components/schemas to the Go structs they describe:
// response structs (render.go, api.go, web.Problem, and residence types
// rendered as they are) and request structs.
var schemaTypes = map[string]reflect.Type{
	"Application":         reflect.TypeFor[applicationJSON](),
	"Tracking":            reflect.TypeFor[trackingJSON](),
	"TrackingDecision":    reflect.TypeFor[trackingDecision](),
	"Decision":            reflect.TypeFor[decisionJSON](),
	"ConsentTask":         reflect.TypeFor[consentTaskJSON](),
	"Registration":        reflect.TypeFor[registrationJSON](),
	"DerivedFrom":         reflect.TypeFor[derivedFromJSON](),
	"Premises":            reflect.TypeFor[premisesJSON](),
	"Person":              reflect.TypeFor[personJSON](),
	"PersonRegistrations": reflect.TypeFor[personRegistrationsJSON](),
	"Resident":            reflect.TypeFor[residentJSON](),
	"Residents":           reflect.TypeFor[residentsJSON](),
	"Event":               reflect.TypeFor[eventJSON](),
	"Feed":                reflect.TypeFor[feedJSON](),
	"History":             reflect.TypeFor[historyJSON](),
	"Access":              reflect.TypeFor[accessJSON](),
	"AccessLog":           reflect.TypeFor[accessLogJSON](),
	"PendingConsent":      reflect.TypeFor[pendingConsentJSON](),
	"PendingConsents":     reflect.TypeFor[consentsJSON](),
	"SMS":                 reflect.TypeFor[smsJSON](),
	"OTPResponse":         reflect.TypeFor[otpResponse](),
	"Session":             reflect.TypeFor[sessionResponse](),
	"Challenge":           reflect.TypeFor[challengeResponse](),
	"Problem":             reflect.TypeFor[web.Problem](),
	"Text":                reflect.TypeFor[residence.Text](),
	"ConsentRequirement":  reflect.TypeFor[consentRequirementJSON](),
	"Effect":              reflect.TypeFor[residence.Effect](),

	"OTPRequest":              reflect.TypeFor[otpRequest](),
	"SessionRequest":          reflect.TypeFor[sessionRequest](),
	"SubmitRequest":           reflect.TypeFor[submitRequest](),
	"ConsentAnswer":           reflect.TypeFor[consentRequest](),
	"DeregisterRequest":       reflect.TypeFor[deregisterRequest](),
	"EndRegistrationsRequest": reflect.TypeFor[endRegistrationsRequest](),
	"SMSReplyRequest":         reflect.TypeFor[smsReplyRequest](),

	"Violation":                reflect.TypeFor[violationJSON](),
	"ViolationParty":           reflect.TypeFor[violationPartyJSON](),
	"ViolationEntry":           reflect.TypeFor[violationEntryJSON](),
	"ViolationsReport":         reflect.TypeFor[violationsReportJSON](),
	"InPerson":                 reflect.TypeFor[inPersonJSON](),
	"PSCApplicationRequest":    reflect.TypeFor[pscApplicationRequest](),
	"PSCDeregistrationRequest": reflect.TypeFor[pscDeregistrationRequest](),
}

// signedOnly lists request properties that the handler does not decode but
// the domain reads from the EDS-signed bytes (residence.signedFor).
var signedOnly = map[string][]string{
	"ConsentAnswer": {"consent_id", "answer"},
}

type jsonField struct {
	name     string
	optional bool // omitempty or omitzero: not always present
	typ      reflect.Type
}

func jsonFields(t *testing.T, typ reflect.Type) []jsonField {
	t.Helper()
	var out []jsonField
	for f := range typ.Fields() {
		if !f.IsExported() {
			continue
		}
		if f.Anonymous {
			t.Errorf("%s: embedded field %s: teach the OpenAPI test about it", typ, f.Name)
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		optional := slices.Contains(strings.Split(opts, ","), "omitempty") || slices.Contains(strings.Split(opts, ","), "omitzero")
		out = append(out, jsonField{name: name, optional: optional, typ: f.Type})
	}
	return out
}

var (
	timeType = reflect.TypeFor[time.Time]()
	rawType  = reflect.TypeFor[json.RawMessage]()
)

// checkType reports whether schema s can describe values of Go type typ.
func checkType(t *testing.T, doc openAPIDoc, where string, typ reflect.Type, s map[string]any) {
	t.Helper()
	if typ == rawType {
		return // any JSON
	}
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	if typ.Kind() == reflect.Struct && typ != timeType {
		name := ""
		for n, st := range schemaTypes {
			if st == typ {
				name = n
			}
		}
		if name == "" {
			t.Errorf("%s: Go type %s has no schema in schemaTypes", where, typ)
			return
		}
		if r, _ := s["$ref"].(string); r != "#/components/schemas/"+name {
			t.Errorf("%s: want $ref to #/components/schemas/%s (Go %s), got %v", where, name, typ, s)
		}
		return
	}
	s = doc.resolve(t, s)
	want := ""
	switch typ.Kind() {
	case reflect.String:
		want = "string"
	case reflect.Bool:
		want = "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		want = "integer"
	case reflect.Float32, reflect.Float64:
		want = "number"
	case reflect.Slice, reflect.Array:
		want = "array"
	case reflect.Struct: // time.Time
		want = "string"
		if s["format"] != "date-time" {
			t.Errorf("%s: a time.Time wants format date-time, got %v", where, s["format"])
		}
	default:
		t.Errorf("%s: Go type %s: teach the OpenAPI test about it", where, typ)
		return
	}
	if s["type"] != want {
		t.Errorf("%s: Go %s wants type %q, schema has %v", where, typ, want, s["type"])
		return
	}
	if want == "array" {
		checkType(t, doc, where+"[]", typ.Elem(), obj(s["items"]))
	}
}

func TestOpenAPISchemas(t *testing.T) {
	doc := loadOpenAPI(t)
	schemas := doc.schemas()
	for name, typ := range schemaTypes {
		s := obj(schemas[name])
		if s == nil {
			t.Errorf("components/schemas/%s (Go %s) is missing", name, typ)
			continue
		}
		if s["type"] != "object" {
			t.Errorf("%s: type %v, want object", name, s["type"])
		}
		props := obj(s["properties"])
		var fields, required []string
		for _, f := range jsonFields(t, typ) {
			fields = append(fields, f.name)
			if !f.optional {
				required = append(required, f.name)
			}
			if p := obj(props[f.name]); p != nil {
				checkType(t, doc, name+"."+f.name, f.typ, p)
			}
		}
		fields = append(fields, signedOnly[name]...)
		sort.Strings(fields)
		if got := slices.Sorted(maps.Keys(props)); !slices.Equal(got, fields) {
			t.Errorf("%s: schema properties %v, Go %s has JSON fields %v", name, got, typ, fields)
		}
		var req []string
		for _, r := range list(s["required"]) {
			req = append(req, r.(string))
		}
		sort.Strings(req)
		if strings.HasSuffix(typ.Name(), "Request") || typ == reflect.TypeFor[consentRequest]() {
			// A request's required fields are the handler's business; they
			// must at least exist.
			for _, r := range req {
				if !slices.Contains(fields, r) {
					t.Errorf("%s: required %q is not a field", name, r)
				}
			}
			continue
		}
		// A response field is always present unless omitempty/omitzero.
		sort.Strings(required)
		if !slices.Equal(req, required) {
			t.Errorf("%s: required %v, want the fields without omitempty %v", name, req, required)
		}
	}

	// A new response or request struct must be added to schemaTypes (and so
	// to the spec).
	mapped := map[string]bool{}
	for _, typ := range schemaTypes {
		mapped[typ.Name()] = true
	}
	fset := token.NewFileSet()
	for _, file := range []string{"api.go", "render.go"} {
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.TYPE {
				continue
			}
			for _, sp := range g.Specs {
				ts := sp.(*ast.TypeSpec)
				if _, ok := ts.Type.(*ast.StructType); !ok || ts.Name.Name == "API" {
					continue
				}
				if !mapped[ts.Name.Name] {
					t.Errorf("%s: struct %s is not in schemaTypes: document it in openapi.json", file, ts.Name.Name)
				}
			}
		}
	}
}

// residenceConstants returns the string constants of internal/residence's
// types.go and decision.go by declared type; untyped Event* constants are
// under "EventType".
func residenceConstants(t *testing.T) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	fset := token.NewFileSet()
	for _, file := range []string{"types.go", "decision.go"} {
		f, err := parser.ParseFile(fset, "../residence/"+file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, sp := range g.Specs {
				vs := sp.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if i >= len(vs.Values) {
						continue
					}
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						continue
					}
					v, _ := strconv.Unquote(lit.Value)
					switch id, _ := vs.Type.(*ast.Ident); {
					case id != nil:
						out[id.Name] = append(out[id.Name], v)
					case strings.HasPrefix(n.Name, "Event"):
						out["EventType"] = append(out["EventType"], v)
					}
				}
			}
		}
	}
	return out
}

func TestOpenAPIEnums(t *testing.T) {
	doc := loadOpenAPI(t)
	consts := residenceConstants(t)
	for _, name := range []string{"ApplicationStatus", "RuleID", "Kind", "Action", "Channel", "SignatureMethod",
		"ConsentChannel", "ConsentKind", "ConsentStatus", "RegistrationStatus", "EndReason", "PremisesKind", "OTPPurpose",
		"SMSStatus", "Role", "EventType"} {
		want := slices.Sorted(slices.Values(consts[name]))
		if len(want) == 0 {
			t.Errorf("no constants of residence.%s found", name)
			continue
		}
		var got []string
		for _, v := range list(obj(doc.schemas()[name])["enum"]) {
			got = append(got, v.(string))
		}
		sort.Strings(got)
		if !slices.Equal(got, want) {
			t.Errorf("schema %s enum %v, residence has %v", name, got, want)
		}
	}
}

// statusByCodeKeys reads the codes of web.statusByCode from its source
// (the map is unexported), resolving residence.E* constants.
func statusByCodeKeys(t *testing.T) []string {
	t.Helper()
	fset := token.NewFileSet()
	consts := map[string]string{}
	ef, err := parser.ParseFile(fset, "../residence/errors.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	ast.Inspect(ef, func(n ast.Node) bool {
		if vs, ok := n.(*ast.ValueSpec); ok {
			for i, name := range vs.Names {
				if i < len(vs.Values) {
					if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						consts[name.Name], _ = strconv.Unquote(lit.Value)
					}
				}
			}
		}
		return true
	})
	wf, err := parser.ParseFile(fset, "../web/web.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	ast.Inspect(wf, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Names) != 1 || vs.Names[0].Name != "statusByCode" {
			return true
		}
		for _, e := range vs.Values[0].(*ast.CompositeLit).Elts {
			switch k := e.(*ast.KeyValueExpr).Key.(type) {
			case *ast.BasicLit:
				v, _ := strconv.Unquote(k.Value)
				codes = append(codes, v)
			case *ast.SelectorExpr:
				v, ok := consts[k.Sel.Name]
				if !ok {
					t.Errorf("statusByCode key residence.%s: constant not found", k.Sel.Name)
				}
				codes = append(codes, v)
			default:
				t.Errorf("statusByCode key %T: teach the OpenAPI test about it", k)
			}
		}
		return false
	})
	if len(codes) < 10 {
		t.Fatalf("found only %d codes in web.statusByCode", len(codes))
	}
	return codes
}

func TestOpenAPIErrorCodes(t *testing.T) {
	doc := loadOpenAPI(t)
	var enum []string
	for _, v := range list(obj(doc.schemas()["ErrorCode"])["enum"]) {
		enum = append(enum, v.(string))
	}
	want := statusByCodeKeys(t)
	for _, c := range want {
		if !slices.Contains(enum, c) {
			t.Errorf("error code %q is not in the ErrorCode schema", c)
		}
	}
	for _, c := range enum {
		if !slices.Contains(want, c) {
			t.Errorf("ErrorCode %q is not in web.statusByCode", c)
		}
	}
	if r, _ := obj(obj(obj(doc.schemas()["Problem"])["properties"])["code"])["$ref"].(string); r != "#/components/schemas/ErrorCode" {
		t.Errorf("Problem.code should refer to ErrorCode, got %q", r)
	}

	for key, op := range doc.operations() {
		codes, ok := op["x-error-codes"].([]any)
		if !ok {
			t.Errorf("%s: no x-error-codes", key)
			continue
		}
		desc, _ := op["description"].(string)
		responses := obj(op["responses"])
		covered := map[string]bool{}
		for _, c := range codes {
			c := c.(string)
			if !slices.Contains(enum, c) {
				t.Errorf("%s: x-error-codes has unknown code %q", key, c)
			}
			if !strings.Contains(desc, "`"+c+"`") {
				t.Errorf("%s: description does not list code %q", key, c)
			}
			st := strconv.Itoa(web.Status(&residence.Error{Code: c}))
			covered[st] = true
			resp := obj(responses[st])
			if resp == nil {
				t.Errorf("%s: code %s is status %s, which is not among the responses", key, c, st)
				continue
			}
			ct := obj(obj(doc.resolve(t, resp)["content"])["application/problem+json"])
			if r, _ := obj(ct["schema"])["$ref"].(string); r != "#/components/schemas/Problem" {
				t.Errorf("%s: response %s is not application/problem+json with the Problem schema", key, st)
			}
		}
		for st := range responses {
			if n, _ := strconv.Atoi(st); n >= 400 && !covered[st] {
				t.Errorf("%s: error response %s lists no code in x-error-codes", key, st)
			}
		}
	}
}
