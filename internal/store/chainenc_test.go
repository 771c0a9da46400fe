package store

import (
	"bytes"
	"testing"
	"time"
)

// encodingCases are events whose canonical encoding the fast path writes
// (plain strings, canonical JSON) or leaves to encode (everything else).
func encodingCases() []chainEvent {
	at := time.Date(2026, 12, 1, 10, 30, 0, 123456789, time.FixedZone("ALA", 5*3600))
	base := chainEvent{id: 42, typ: "personal_data.read", at: at, personIIN: "900101300123", actorIIN: "850505400456",
		actorRole: "agency", rka: "0201000123", applicationID: "app_1", registrationID: "reg_1",
		message: []byte(`{"id":"event.read","p":{"who":"ЦОН"}}`),
		data:    []byte(`{"actor_name":"Салық комитеті","purpose":"public_service","what":"registrations"}`)}
	var cases []chainEvent
	add := func(f func(e *chainEvent)) {
		e := base
		f(&e)
		cases = append(cases, e)
	}
	add(func(*chainEvent) {})
	add(func(e *chainEvent) { *e = chainEvent{} })
	add(func(e *chainEvent) { e.message, e.data = nil, nil })
	add(func(e *chainEvent) { e.message = []byte(`"event.submitted"`) })
	add(func(e *chainEvent) { e.data = []byte(`{"what":"x","actor_name":"y"}`) }) // unsorted
	add(func(e *chainEvent) { e.data = []byte(`{"a": [1, 2.50, -0, 1e3]}`) })     // jsonb's text
	add(func(e *chainEvent) { e.data = []byte("  ") })                            // blank: null
	add(func(e *chainEvent) { e.data = []byte(`{"a":"<b>"}`) })                   // HTML escape
	add(func(e *chainEvent) { e.data = []byte(`{"a":"\u00e9\n"}`) })              // escapes
	add(func(e *chainEvent) { e.data = []byte(`[1,2,{"b":[],"a":{}}]`) })         // nested, unsorted
	add(func(e *chainEvent) { e.actorIIN = `say "hi"` })
	add(func(e *chainEvent) { e.typ = `a"b\c` })                                     // quote, backslash
	add(func(e *chainEvent) { e.actorRole = "<&>" })                                 // HTML escape
	add(func(e *chainEvent) { e.rka = "a\tb\x01" })                                  // control characters
	add(func(e *chainEvent) { e.personIIN = "\xff\xfe" })                            // invalid UTF-8
	add(func(e *chainEvent) { e.applicationID = "line\u2028sep\u2029" })             // escaped separators
	add(func(e *chainEvent) { e.registrationID = "Қазақстан – «үй»" })               // plain Unicode
	add(func(e *chainEvent) { e.at = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }) // five-digit year
	add(func(e *chainEvent) { e.at = time.Time{} })                                  // zero time
	add(func(e *chainEvent) { e.id, e.seq = -1, 1<<62 })
	return cases
}

// TestChainEncodingFastPath: the encoding appended by hand is byte for
// byte what encode (json.Marshal) gives, so that every link hashes as
// before; and the hash of a fixed event is the one the chain has always
// given it (computed before the fast path existed).
func TestChainEncodingFastPath(t *testing.T) {
	for _, e := range encodingCases() {
		for _, keyed := range []bool{false, true} {
			checkEncoding(t, &e, 7, keyed)
		}
	}
	e := encodingCases()[0]
	got, err := newLinker([]byte("test key")).link(genesisHash, &e, 1, true)
	if err != nil {
		t.Fatal(err)
	}
	if want := chainGoldenHash; got != want {
		t.Errorf("link of the golden event = %s, want %s", got, want)
	}
}

// chainGoldenHash is the keyed link, under "test key" after the genesis,
// of encodingCases()[0] at seq 1: HMAC-SHA-256 over 32 zero bytes and the
// encoding, computed independently (Python's hmac and json.dumps).
const chainGoldenHash = "75e2b7f7e605231918094bba44d311c8871df0d58f909db47b451d3ab8ef5c7c"

func checkEncoding(t *testing.T, e *chainEvent, seq int64, keyed bool) {
	t.Helper()
	want, wantErr := e.encode(seq, keyed)
	got, err := e.appendEncoding([]byte("prefix"), seq, keyed)
	if (err == nil) != (wantErr == nil) || wantErr == nil && !bytes.Equal(got, append([]byte("prefix"), want...)) {
		t.Fatalf("appendEncoding(%+v) = %q, %v; encode gives %q, %v", e, got, err, want, wantErr)
	}
}

// FuzzChainEncoding: whatever the fields, the hand-written encoding is
// encode's.
func FuzzChainEncoding(f *testing.F) {
	for _, e := range encodingCases() {
		f.Add(e.typ, e.personIIN, e.rka, e.message, e.data, e.id)
	}
	f.Fuzz(func(t *testing.T, typ, person, rka string, message, data []byte, id int64) {
		e := chainEvent{id: id, typ: typ, personIIN: person, rka: rka, message: message, data: data,
			at: time.Unix(id%(1<<40), id%1e9)}
		checkEncoding(t, &e, id, id%2 == 0)
	})
}
