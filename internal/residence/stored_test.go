package residence

import (
	"bufio"
	"encoding/json"
	"flag"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

var updateTextIDs = flag.Bool("update-text-ids", false, "add the catalogue's new ids to testdata/text_ids.txt")

// packageTexts parses the package's non-test files and returns the names of
// its package-level variables of type Text, and of type []Text with each
// element's expression. A variable is a Text when declared so, initialised
// with a Text literal, a legalBasis call or another Text variable.
func packageTexts(t *testing.T) (texts map[string]bool, lists map[string][]ast.Expr, catalogued map[string]bool) {
	t.Helper()
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	isIdent := func(e ast.Expr, name string) bool {
		id, ok := e.(*ast.Ident)
		return ok && id.Name == name
	}
	texts, lists, catalogued = map[string]bool{}, map[string][]ast.Expr{}, map[string]bool{}
	type spec struct {
		name  string
		typ   ast.Expr
		value ast.Expr
	}
	var specs []spec
	for _, f := range files {
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.VAR {
				continue
			}
			for _, s := range g.Specs {
				vs := s.(*ast.ValueSpec)
				for i, n := range vs.Names {
					var v ast.Expr
					if i < len(vs.Values) {
						v = vs.Values[i]
					}
					specs = append(specs, spec{n.Name, vs.Type, v})
					if n.Name == "textIDs" {
						for _, e := range v.(*ast.CompositeLit).Elts {
							if id, ok := e.(*ast.CompositeLit).Elts[1].(*ast.Ident); ok {
								catalogued[id.Name] = true
							}
						}
					}
				}
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for _, s := range specs {
			if texts[s.name] || lists[s.name] != nil {
				continue
			}
			isText := isIdent(s.typ, "Text")
			switch v := s.value.(type) {
			case *ast.CompositeLit:
				if isIdent(v.Type, "Text") {
					isText = true
				}
				if at, ok := v.Type.(*ast.ArrayType); ok && isIdent(at.Elt, "Text") {
					lists[s.name] = append([]ast.Expr{}, v.Elts...)
					changed = true
				}
			case *ast.CallExpr:
				isText = isText || isIdent(v.Fun, "legalBasis")
			case *ast.Ident:
				isText = isText || texts[v.Name]
			}
			if isText {
				texts[s.name], changed = true, true
			}
		}
	}
	return texts, lists, catalogued
}

// TestEveryTextHasAnID checks that every package-level Text has an id in
// the catalogue, and that the lists of texts (documents) hold only named,
// catalogued texts, so that a stored decision never writes one in full.
func TestEveryTextHasAnID(t *testing.T) {
	t.Parallel()
	texts, lists, catalogued := packageTexts(t)
	if len(texts) < 200 || len(lists) < 3 {
		t.Fatalf("found %d texts and %d lists: the parser misses declarations", len(texts), len(lists))
	}
	for name := range texts {
		if !catalogued[name] {
			t.Errorf("%s has no id in textIDs (textids.go)", name)
		}
	}
	for name, elts := range lists {
		for i, e := range elts {
			id, ok := e.(*ast.Ident)
			if !ok || !catalogued[id.Name] {
				t.Errorf("%s[%d] is not a catalogued text: name it and give it an id", name, i)
			}
		}
	}
	for name := range catalogued {
		if !texts[name] {
			t.Errorf("textIDs lists %s, which is not a package-level Text", name)
		}
	}
}

var textIDPattern = regexp.MustCompile(`^[a-z]+\.[a-z0-9_]+$`)

// TestTextIDs checks that the ids are unique and well formed, and that no id
// ever given (testdata/text_ids.txt) has gone: rows in the database name
// them. Run with -update-text-ids to add new ones to the file.
func TestTextIDs(t *testing.T) {
	t.Parallel()
	current := map[string]bool{}
	for _, e := range textIDs {
		if current[e.id] || !textIDPattern.MatchString(e.id) {
			t.Errorf("text id %q is given twice or is not of the form kind.name", e.id)
		}
		if e.text.IsZero() {
			t.Errorf("text id %q names an empty text", e.id)
		}
		current[e.id] = true
	}
	for id, tpl := range textTemplates {
		if current[id] || !textIDPattern.MatchString(id) || tpl.n < 1 {
			t.Errorf("template id %q is given twice, is not of the form kind.name or has no parameters", id)
		}
		current[id] = true
	}
	const file = "testdata/text_ids.txt"
	f, err := os.Open(file)
	if err != nil && !*updateTextIDs {
		t.Fatal(err)
	}
	var given []string
	if f != nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
				given = append(given, line)
			}
		}
		f.Close()
	}
	for _, id := range given {
		if !current[id] {
			t.Errorf("text id %q was given and is gone: stored rows name it, so it must stay in the catalogue", id)
		}
	}
	var added []string
	for id := range current {
		if !slices.Contains(given, id) {
			added = append(added, id)
		}
	}
	slices.Sort(added)
	if len(added) == 0 {
		return
	}
	if !*updateTextIDs {
		t.Fatalf("new text ids not in %s (run go test -run TestTextIDs -update-text-ids): %v", file, added)
	}
	all := append(given, added...)
	slices.Sort(all)
	out := "# Every text id ever given (textids.go). Stored rows name them: never remove a line.\n" + strings.Join(all, "\n") + "\n"
	if err := os.WriteFile(file, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCatalogueRoundTrip stores every catalogued text and reads it back:
// each is stored as its id (a text equal to an earlier one as that one's).
func TestCatalogueRoundTrip(t *testing.T) {
	t.Parallel()
	for _, e := range textIDs {
		b, err := EncodeText(e.text)
		if err != nil {
			t.Fatalf("%s: %v", e.id, err)
		}
		if want := `"` + catalogue.byText[e.text] + `"`; string(b) != want {
			t.Errorf("%s is stored as %s, want %s", e.id, b, want)
		}
		back, err := DecodeText(b)
		if err != nil || back != e.text {
			t.Errorf("%s reads back as %+v, %v", e.id, back, err)
		}
		if back, err := DecodeText([]byte(`"` + e.id + `"`)); err != nil || back != e.text {
			t.Errorf("id %s reads as %+v, %v", e.id, back, err)
		}
	}
}

// TestTemplateRoundTrip stores texts made from templates as the template's
// id and parameters and reads them back equal; a text changed after it was
// made, a free text and the zero text are stored in full (null).
func TestTemplateRoundTrip(t *testing.T) {
	t.Parallel()
	warning, fine := &Violation{DaysUnregistered: 12, Level: ViolationWarning}, &Violation{DaysUnregistered: 45, Level: ViolationFine}
	fine.Resident.FineMCI = 13
	changed := consentRequestMessage("Петрова Анна Сергеевна", Permanent)
	changed.EN += " (changed)"
	tests := []struct {
		name   string
		text   Text
		stored string
	}{
		{"consent request", consentRequestMessage("Петрова Анна Сергеевна", Permanent),
			`{"id":"event.consent_requested","p":["Петрова Анна Сергеевна"]}`},
		{"subject consent request", subjectRequestMessage(`ТОО "Есіл", Мұқанова Әсел`, "Астана, Қабанбай батыр, 11"),
			`{"id":"event.subject_consent_requested","p":["ТОО \"Есіл\", Мұқанова Әсел","Астана, Қабанбай батыр, 11"]}`},
		{"violation warning", violationMessage(warning), `{"id":"violation.warning","p":["12"]}`},
		{"violation fine", violationMessage(fine), `{"id":"violation.fine","p":["45","13"]}`},
		{"a parameter holding the separator", consentRequestMessage("a\x00b", Permanent), ""},
		{"changed after it was made", changed, ""},
		{"free text", Text{KK: "к", RU: "р", EN: "e"}, `{"kk":"к","ru":"р","en":"e"}`},
		{"zero", Text{}, `null`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := EncodeText(tt.text)
			if err != nil {
				t.Fatal(err)
			}
			want := tt.stored
			if want == "" { // in full
				full, _ := json.Marshal(tt.text)
				want = string(full)
			}
			if string(b) != want {
				t.Errorf("stored as %s, want %s", b, want)
			}
			back, err := DecodeText(b)
			if err != nil {
				t.Fatal(err)
			}
			if back.KK != tt.text.KK || back.RU != tt.text.RU || back.EN != tt.text.EN {
				t.Errorf("reads back as %+v, want %+v", back, tt.text)
			}
			if tt.stored != "" && back != tt.text {
				t.Errorf("reads back as a different value: %#v, want %#v", back, tt.text)
			}
		})
	}
	for _, bad := range []string{`"msg.no_such_text"`, `{"id":"event.consent_requested","p":[]}`, `{"id":"no.template","p":["x"]}`, `[1]`} {
		if _, err := DecodeText([]byte(bad)); err == nil {
			t.Errorf("DecodeText(%s) = nil error", bad)
		}
	}
}

// storedBefore reads testdata/stored_before.txt: decisions and event
// messages as json.Marshal stored them before texts had ids (produced by
// that code from goldenDecisions and goldenMessages).
func storedBefore(t *testing.T) (decisions map[string]string, messages []string) {
	t.Helper()
	b, err := os.ReadFile("testdata/stored_before.txt")
	if err != nil {
		t.Fatal(err)
	}
	decisions = map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		name, js, _ := strings.Cut(line, "\t")
		if name == "event" {
			messages = append(messages, js)
		} else {
			decisions[name] = js
		}
	}
	return decisions, messages
}

func goldenDecisions() map[string]Decision {
	v := AssessViolation(ViolationFacts{Kind: Temporary, ArrivedOn: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		RegisteredOn: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), StayUntil: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC),
		ResidentIIN: "900101300011", Owners: []Ownership{{OwnerIIN: "800101300022"}}})
	return map[string]Decision{
		"registered": {Status: StatusRegistered, Message: msgRegisteredTemporary, Next: nxtRegistered,
			Effects: []Effect{{RegistrationID: "reg-1", RKA: "0201000000000001", Kind: Temporary, EndReason: EndReplaced}}, Violation: v},
		"rejected": {Status: StatusRejected, Rule: RuleApplicantAuthority, LegalBasis: BasisAuthorityMinor, Message: msgMinorNotParent, Next: nxtMinorNotParent},
		"in_person": {Status: StatusInPersonRequired, Rule: RuleOwnerUnknown, LegalBasis: BasisOwnerUnknown, Message: msgOwnerUnknown,
			Next: nxtOwnerUnknown, Documents: docsOwnerUnknown},
		"awaiting": {Status: StatusAwaitingConsent, Rule: RuleOwnerConsent, LegalBasis: BasisOwnerConsent, Message: msgAwaitingConsent,
			Next: nxtConsentNeeded, Consents: []ConsentRequirement{{Kind: ConsentKindOwner, OwnerIIN: "800101300022", Channel: ConsentSMS}},
			InPerson: &InPersonRecord{Operator: "op-1", Documents: []DocumentKind{"identity"}}},
	}
}

func goldenMessages() []Text {
	return []Text{consentRequestMessage("Петрова Анна Сергеевна", Permanent),
		subjectRequestMessage("Есіл Қонақ Үйі, Мұқанова Әсел", "Астана, Қабанбай батыр 1"), registrationEndedMessage(EndMoved)}
}

// plain is t as a row stored in full reads: without a template.
func plain(t Text) Text { return Text{KK: t.KK, RU: t.RU, EN: t.EN} }

// TestStoredBeforeIDsReads reads decisions and messages stored in full
// before ids, and finds the values that were written; and stores the same
// values in the new form, which reads back equal and holds no text in full.
func TestStoredBeforeIDsReads(t *testing.T) {
	t.Parallel()
	decisions, messages := storedBefore(t)
	golden := goldenDecisions()
	if len(decisions) != len(golden) {
		t.Fatalf("%d stored decisions, want %d", len(decisions), len(golden))
	}
	for name, d := range golden {
		got, err := DecodeDecision([]byte(decisions[name]))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want := d
		if d.Violation != nil {
			v := *d.Violation
			v.Message = plain(v.Message)
			want.Violation = &v
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s stored before ids reads as\n%+v\nwant\n%+v", name, got, want)
		}
		b, err := EncodeDecision(d)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), `"kk":"`) || !strings.HasPrefix(string(b), `{"status":"`+string(d.Status)+`"`) {
			t.Errorf("%s is stored as %s", name, b)
		}
		if d.Rule != "" && !strings.Contains(string(b), `,"rule":"`+string(d.Rule)+`"`) {
			t.Errorf("%s stored without its rule: %s", name, b)
		}
		back, err := DecodeDecision(b)
		if err != nil || !reflect.DeepEqual(back, d) {
			t.Errorf("%s stored as %s reads back as\n%+v, %v\nwant\n%+v", name, b, back, err, d)
		}
		if len(b) >= len(decisions[name])/4 {
			t.Errorf("%s: %d bytes stored, %d before ids", name, len(b), len(decisions[name]))
		}
		// The API's form (json.Marshal) reads as the decision too.
		api, _ := json.Marshal(d)
		var fromAPI Decision
		if err := json.Unmarshal(api, &fromAPI); err != nil || !reflect.DeepEqual(fromAPI, want) {
			t.Errorf("%s in the API's form reads as %+v, %v", name, fromAPI, err)
		}
	}
	want := goldenMessages()
	if len(messages) != len(want) {
		t.Fatalf("%d stored messages, want %d", len(messages), len(want))
	}
	for i, m := range messages {
		got, err := DecodeText([]byte(m))
		if err != nil || got != plain(want[i]) {
			t.Errorf("message %d stored before ids reads as %+v, %v, want %+v", i, got, err, want[i])
		}
	}
}

// benchDecisions are goldenDecisions and the commonest decision, a
// permanent registration that ends the previous one ("registered" is a
// temporary one with a possible violation).
func benchDecisions() (map[string]Decision, []string) {
	d := goldenDecisions()
	d["permanent"] = Decision{Status: StatusRegistered, Message: msgRegisteredPermanent, Next: nxtRegistered,
		Effects: []Effect{{RegistrationID: "reg-1", RKA: "0201000000000001", Kind: Permanent, EndReason: EndMoved}}}
	return d, []string{"permanent", "registered", "rejected", "in_person", "awaiting"}
}

// BenchmarkEncodeDecision encodes one decision as it was stored before ids
// (json.Marshal, the API's form) and as it is stored now (EncodeDecision).
func BenchmarkEncodeDecision(b *testing.B) {
	golden, names := benchDecisions()
	for _, name := range names {
		d := golden[name]
		b.Run("full/"+name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := json.Marshal(d); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("ids/"+name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := EncodeDecision(d); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDecodeDecision reads one stored decision: in full, as before ids,
// and by ids.
func BenchmarkDecodeDecision(b *testing.B) {
	golden, names := benchDecisions()
	for _, name := range names {
		full, _ := json.Marshal(golden[name])
		ids, _ := EncodeDecision(golden[name])
		for _, form := range []struct {
			name string
			b    []byte
		}{{"full", full}, {"ids", ids}} {
			b.Run(form.name+"/"+name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := DecodeDecision(form.b); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
