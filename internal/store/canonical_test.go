package store

import (
	"bytes"
	"testing"
)

// canonicalCases are inputs for the fast path: canonical ones it must take,
// and others it must leave to the slow way.
var canonicalCases = []struct {
	in   string
	fast bool
}{
	{`{"actor_name":"ЦОН Алматы","purpose":"public_service","what":"registrations"}`, true},
	{`{"id":"event.submitted","p":{"rka":"0201000123","until":"2026-12-01"}}`, true},
	{`"application.approved"`, true},
	{`null`, true},
	{`true`, true},
	{`false`, true},
	{`{}`, true},
	{`[]`, true},
	{`[1,-2,3.5,0,-0,1e5,1E+5,2.5e-3,12345678901234567890123]`, true},
	{`{"a":[{"b":null},{"c":[true,false]}],"b":"x \"quoted\" \\ back"}`, true},
	{`{"":1,"a":2,"ab":3,"b":4}`, true},
	{`{"Z":1,"a":2}`, true},
	{`{"é":1,"ж":2}`, true},
	{`{"b":1,"a":2}`, false},  // unsorted
	{`{"a":1,"a":2}`, false},  // duplicate: the last wins when decoded
	{`{"a": 1}`, false},       // white space (PostgreSQL's jsonb text)
	{` {"a":1}`, false},       // leading space
	{`{"a":1} `, false},       // trailing space
	{`{"a":1}{"b":2}`, false}, // a second value: the decoder stops at the first
	{`"<b>&"`, false},         // escaped by encoding/json
	{"\"\u2028\"", false},     // escaped by encoding/json
	{`"\u0041"`, false},       // an escape the encoder would not write
	{`"\n"`, false},           // left to the slow way
	{`"\/"`, false},           // left to the slow way
	{"\"\xff\"", false},       // invalid UTF-8
	{"\"a\tb\"", false},       // a raw control character: invalid
	{`{"a\"":1}`, false},      // a key with an escape
	{`01`, false},             // not a number
	{`1.`, false},             // not a number
	{`.5`, false},             // not a number
	{`1e`, false},             // not a number
	{`-`, false},              // not a number
	{`+1`, false},             // not a number
	{`[1,]`, false},           // trailing comma
	{`{"a":1,}`, false},       // trailing comma
	{`{"a"}`, false},          // no value
	{`[`, false},              // unterminated
	{`"abc`, false},           // unterminated
	{`nul`, false},            // truncated literal
	{``, false},               // empty: null
	{`   `, false},            // blank: null
	{`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]`, false}, // deeper than the check goes
}

// TestCanonicalJSONFastPath: the fast check takes exactly the canonical
// inputs listed, and for each of them the slow way gives the same bytes.
func TestCanonicalJSONFastPath(t *testing.T) {
	for _, c := range canonicalCases {
		if got := isCanonicalJSON([]byte(c.in)); got != c.fast {
			t.Errorf("isCanonicalJSON(%q) = %v, want %v", c.in, got, c.fast)
		}
		checkCanonical(t, []byte(c.in))
	}
}

// checkCanonical fails when the fast check takes b but the slow way would
// have hashed other bytes (or rejected b), and when canonicalJSON differs
// from the slow way.
func checkCanonical(t *testing.T, b []byte) {
	t.Helper()
	slow, slowErr := slowCanonicalJSON(b)
	got, err := canonicalJSON(b)
	if (err == nil) != (slowErr == nil) || !bytes.Equal(got, slow) {
		t.Fatalf("canonicalJSON(%q) = %q, %v; the slow way gives %q, %v", b, got, err, slow, slowErr)
	}
	if isCanonicalJSON(b) && (slowErr != nil || !bytes.Equal(slow, b)) {
		t.Fatalf("isCanonicalJSON(%q) but the slow way gives %q, %v", b, slow, slowErr)
	}
}

// FuzzCanonicalJSON: whatever the input, canonicalJSON gives what the
// slow way gives. Run longer with go test -fuzz FuzzCanonicalJSON.
func FuzzCanonicalJSON(f *testing.F) {
	for _, c := range canonicalCases {
		f.Add([]byte(c.in))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkCanonical(t, b)
		// The slow way's output is canonical: the fast check must take
		// it, unless it holds an escape or nests deeper than it goes.
		if slow, err := slowCanonicalJSON(b); err == nil && !isCanonicalJSON(slow) &&
			!bytes.Contains(slow, []byte(`\`)) && bytes.Count(slow, []byte(`[`))+bytes.Count(slow, []byte(`{`)) <= canonicalMaxDepth {
			t.Fatalf("the canonical %q is not taken by the fast check", slow)
		}
	})
}
