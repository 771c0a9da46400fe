package store

import (
	"testing"
	"time"
)

// ChainHashForTest returns the hash a sealer gives an event at seq after
// prev, for tests that forge a plausible event in SQL.
func ChainHashForTest(prev string, id, seq int64, typ string, at time.Time, data string) (string, error) {
	e := chainEvent{id: id, typ: typ, at: at}
	if data != "" {
		e.data = []byte(data)
	}
	return chainHash(prev, &e, seq)
}

// GenesisHashForTest is the prev_hash of seq 1.
const GenesisHashForTest = genesisHash

func TestCanonicalJSON(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"empty", "", "null"},
		{"null", "null", "null"},
		{"keys sorted, space dropped", `{ "b": 1, "a": {"d": [1, 2], "c": "x"} }`, `{"a":{"c":"x","d":[1,2]},"b":1}`},
		{"numbers as written", `{"n": 1.50, "big": 12345678901234567890}`, `{"big":12345678901234567890,"n":1.50}`},
		{"unicode kept", `{"kk":"Тіркеу"}`, `{"kk":"Тіркеу"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := canonicalJSON([]byte(tt.in))
			if err != nil || string(got) != tt.want {
				t.Errorf("canonicalJSON(%s) = %s, %v; want %s", tt.in, got, err, tt.want)
			}
		})
	}
	if _, err := canonicalJSON([]byte(`{"a":`)); err == nil {
		t.Error("canonicalJSON accepted broken JSON")
	}
}

func TestChainHashCoversEveryField(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 1, 9, 30, 15, 123456000, time.UTC)
	base := chainEvent{id: 7, typ: "registration.created", at: at, personIIN: "800101300001", actorIIN: "900202400002",
		actorRole: "citizen", rka: "RKA-1", applicationID: "app_1", registrationID: "reg_1",
		message: []byte(`{"en":"Registered"}`), data: []byte(`{"kind":"permanent"}`)}
	h0, err := chainHash(genesisHash, &base, 3)
	if err != nil {
		t.Fatal(err)
	}
	changes := []struct {
		name string
		seq  int64
		prev string
		f    func(e *chainEvent)
	}{
		{"seq", 4, genesisHash, func(*chainEvent) {}},
		{"prev", 3, "01" + genesisHash[2:], func(*chainEvent) {}},
		{"id", 3, genesisHash, func(e *chainEvent) { e.id = 8 }},
		{"type", 3, genesisHash, func(e *chainEvent) { e.typ = "registration.ended" }},
		{"at", 3, genesisHash, func(e *chainEvent) { e.at = at.Add(time.Microsecond) }},
		{"person", 3, genesisHash, func(e *chainEvent) { e.personIIN = "800101300002" }},
		{"actor", 3, genesisHash, func(e *chainEvent) { e.actorIIN = "" }},
		{"role", 3, genesisHash, func(e *chainEvent) { e.actorRole = "operator" }},
		{"rka", 3, genesisHash, func(e *chainEvent) { e.rka = "RKA-2" }},
		{"application", 3, genesisHash, func(e *chainEvent) { e.applicationID = "app_2" }},
		{"registration", 3, genesisHash, func(e *chainEvent) { e.registrationID = "" }},
		{"message", 3, genesisHash, func(e *chainEvent) { e.message = []byte(`{"en":"Ended"}`) }},
		{"data", 3, genesisHash, func(e *chainEvent) { e.data = nil }},
	}
	for _, c := range changes {
		t.Run(c.name, func(t *testing.T) {
			e := base
			c.f(&e)
			h, err := chainHash(c.prev, &e, c.seq)
			if err != nil || h == h0 {
				t.Errorf("hash unchanged (%v)", err)
			}
		})
	}
	// The storage form of JSON does not matter: jsonb reorders keys.
	e := base
	e.data = []byte(`{ "kind" : "permanent" }`)
	if h, _ := chainHash(genesisHash, &e, 3); h != h0 {
		t.Error("white space in data changed the hash")
	}
	if _, err := chainHash("zz", &base, 3); err == nil {
		t.Error("a malformed prev hash was accepted")
	}
}
