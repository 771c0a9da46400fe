package web

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"tirkeu/internal/residence"
)

// declaredCodes returns the error codes declared in internal/residence's
// errors.go (constants E… with a string value), by constant name.
func declaredCodes(t *testing.T) map[string]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "../residence/errors.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]string{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, sp := range g.Specs {
			vs := sp.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if i >= len(vs.Values) || !strings.HasPrefix(n.Name, "E") {
					continue
				}
				if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					codes[n.Name], _ = strconv.Unquote(lit.Value)
				}
			}
		}
	}
	if len(codes) < 20 {
		t.Fatalf("found only %d error codes in residence/errors.go", len(codes))
	}
	return codes
}

// TestErrorCodes walks every declared error code through the one status
// table, the renderer and the OpenAPI document: each has a status, is
// rendered with it (its own code, Retry-After when the client should come
// back later), and is in the ErrorCode schema's enum and description with
// that status. A code that is not declared is a 500.
func TestErrorCodes(t *testing.T) {
	declared := declaredCodes(t)
	var values []string
	for name, c := range declared {
		if _, ok := statusByCode[c]; !ok {
			t.Errorf("residence.%s (%q) has no status in statusByCode", name, c)
		}
		values = append(values, c)
	}
	for c := range statusByCode {
		if !slices.Contains(values, c) {
			t.Errorf("statusByCode has %q, which residence/errors.go does not declare", c)
		}
	}

	raw, err := os.ReadFile("../api/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Components struct {
			Schemas struct {
				ErrorCode struct {
					Description string   `json:"description"`
					Enum        []string `json:"enum"`
				} `json:"ErrorCode"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	schema := doc.Components.Schemas.ErrorCode
	for _, c := range schema.Enum {
		if !slices.Contains(values, c) {
			t.Errorf("openapi.json ErrorCode has %q, which residence/errors.go does not declare", c)
		}
	}

	for _, c := range values {
		t.Run(c, func(t *testing.T) {
			status := statusByCode[c]
			if !slices.Contains(schema.Enum, c) {
				t.Errorf("openapi.json: %q is not in the ErrorCode enum", c)
			}
			if line := "- `" + c + "` (" + strconv.Itoa(status) + "):"; !strings.Contains(schema.Description, line) {
				t.Errorf("openapi.json: the ErrorCode description lacks %q", line)
			}

			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodGet, "/api/v1/x?lang=en", nil)
			text := residence.Text{KK: "kk " + c, RU: "ru " + c, EN: "en " + c}
			WriteError(rec, req, residence.NewError(c, text))
			if rec.Code != status || status < 400 {
				t.Fatalf("status %d, want %d from the table", rec.Code, status)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type %q", ct)
			}
			var p Problem
			if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
				t.Fatal(err)
			}
			if p.Status != status || p.Code != c {
				t.Errorf("problem status %d code %q, want %d %q", p.Status, p.Code, status, c)
			}
			wantDetail := text.EN
			if status == http.StatusInternalServerError {
				wantDetail = residence.ErrorText(nil).EN // generic, never the internal text
			}
			if p.Detail != wantDetail {
				t.Errorf("detail %q, want %q", p.Detail, wantDetail)
			}
			if retry := rec.Header().Get("Retry-After"); (status == http.StatusServiceUnavailable || status == http.StatusTooManyRequests) != (retry != "") {
				t.Errorf("status %d with Retry-After %q", status, retry)
			}
		})
	}
}

// TestRevocationUnavailableIsTheServices: OCSP and the CRL unreachable is
// not the client's fault: 503 with Retry-After, its own code kept.
func TestRevocationUnavailableIsTheServices(t *testing.T) {
	rec := httptest.NewRecorder()
	WriteError(rec, httptest.NewRequest(http.MethodPost, "/api/v1/applications", nil),
		residence.NewError(residence.ERevocationUnavailable, residence.Text{KK: "k", RU: "r", EN: "e"}))
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" ||
		!strings.Contains(rec.Body.String(), `"code":"revocation_unavailable"`) {
		t.Fatalf("%d Retry-After=%q %s", rec.Code, rec.Header().Get("Retry-After"), rec.Body)
	}
}

// TestUndeclaredCodeIs500: a code nobody declared is a bug of the service,
// answered as a 500 internal error, never as a client error.
func TestUndeclaredCodeIs500(t *testing.T) {
	err := residence.NewError("no_such_code", residence.Text{KK: "k", RU: "r", EN: "secret detail"})
	if s := Status(err); s != http.StatusInternalServerError {
		t.Fatalf("Status = %d, want 500", s)
	}
	rec := httptest.NewRecorder()
	WriteError(rec, httptest.NewRequest(http.MethodGet, "/api/v1/x", nil), err)
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), `"code":"internal"`) ||
		strings.Contains(rec.Body.String(), "secret detail") || strings.Contains(rec.Body.String(), "no_such_code") {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
}

// TestErrorCodesAreConstants reads the production code of the module: an
// error code is always one of residence's constants, never a string literal
// at the place that returns it (where a typo would go unnoticed), and no
// package declares codes of its own.
func TestErrorCodesAreConstants(t *testing.T) {
	codeValue := regexp.MustCompile(`^"[a-z][a-z0-9_]*"$`)
	// Calls whose first argument is an error code.
	takesCode := map[string]bool{"NewError": true, "Errorf": true, "IsCode": true, "fail": true}
	fset := token.NewFileSet()
	found := 0
	for _, root := range []string{"../../internal", "../../cmd"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			found++
			errorsFile := filepath.ToSlash(path) == "../../internal/residence/errors.go"
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CompositeLit:
					if !isErrorType(n.Type) {
						return true
					}
					for _, e := range n.Elts {
						kv, ok := e.(*ast.KeyValueExpr)
						if !ok {
							continue
						}
						if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Code" {
							if lit, ok := kv.Value.(*ast.BasicLit); ok {
								t.Errorf("%s: Error{Code: %s}: use a residence.E… constant", fset.Position(lit.Pos()), lit.Value)
							}
						}
					}
				case *ast.CallExpr:
					name := ""
					switch fn := n.Fun.(type) {
					case *ast.Ident:
						name = fn.Name
					case *ast.SelectorExpr:
						if x, ok := fn.X.(*ast.Ident); ok && x.Name == "residence" {
							name = fn.Sel.Name
						}
					}
					if takesCode[name] && len(n.Args) > 0 {
						if lit, ok := n.Args[0].(*ast.BasicLit); ok && codeValue.MatchString(lit.Value) {
							t.Errorf("%s: %s(%s, …): use a residence.E… constant", fset.Position(lit.Pos()), name, lit.Value)
						}
					}
				case *ast.ValueSpec:
					for i, id := range n.Names {
						if errorsFile || i >= len(n.Values) || len(id.Name) < 2 || id.Name[0] != 'E' || id.Name[1] < 'A' || id.Name[1] > 'Z' {
							continue
						}
						if lit, ok := n.Values[i].(*ast.BasicLit); ok && codeValue.MatchString(lit.Value) {
							t.Errorf("%s: %s = %s: declare error codes in internal/residence/errors.go", fset.Position(lit.Pos()), id.Name, lit.Value)
						}
					}
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if found < 50 {
		t.Fatalf("read only %d files", found)
	}
}

// isErrorType reports whether a composite literal's type is residence.Error
// (or Error inside residence).
func isErrorType(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name == "Error"
	case *ast.SelectorExpr:
		x, ok := e.X.(*ast.Ident)
		return ok && x.Name == "residence" && e.Sel.Name == "Error"
	}
	return false
}
