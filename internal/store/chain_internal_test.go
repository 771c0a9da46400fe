package store

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"
)

// ChainHashForTest returns the keyed link a sealer with key gives an event
// at seq after prev, for tests that forge a plausible event in SQL.
func ChainHashForTest(key []byte, prev string, id, seq int64, typ string, at time.Time, data string) (string, error) {
	e := chainEvent{id: id, typ: typ, at: at}
	if data != "" {
		e.data = []byte(data)
	}
	return newLinker(key).link(prev, &e, seq, true)
}

// chainHash is a keyed link under the demo key.
func chainHash(prev string, e *chainEvent, seq int64) (string, error) {
	return newLinker(DemoAuditKey).link(prev, e, seq, true)
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

func TestLinkKeyed(t *testing.T) {
	t.Parallel()
	e := chainEvent{id: 7, typ: "registration.created", at: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	keyed, err := newLinker([]byte("key one")).link(genesisHash, &e, 1, true)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := newLinker([]byte("key two")).link(genesisHash, &e, 1, true)
	plain, _ := newLinker(nil).link(genesisHash, &e, 1, false)
	if keyed == other || keyed == plain || other == plain {
		t.Errorf("links alike: keyed %s, other key %s, plain %s", keyed, other, plain)
	}
	// A plain link is SHA-256 of the previous hash and the v1 encoding,
	// as sealed before the chain was keyed.
	enc, _ := e.encode(1, false)
	h := sha256.Sum256(append(make([]byte, sha256.Size), enc...))
	if plain != hex.EncodeToString(h[:]) || !strings.HasPrefix(string(enc), `{"v":1,`) {
		t.Errorf("plain link %s, encoding %s", plain, enc)
	}
	// The linker reuses its HMAC: a second link under it is the same.
	l := newLinker([]byte("key one"))
	_, _ = l.link(genesisHash, &e, 2, true)
	if again, _ := l.link(genesisHash, &e, 1, true); again != keyed {
		t.Errorf("a reused linker gave %s, want %s", again, keyed)
	}
}

func TestParseChainHead(t *testing.T) {
	t.Parallel()
	h := strings.Repeat("ab", 32)
	for _, tt := range []struct {
		in   string
		want ChainHead
		ok   bool
	}{
		{"12:" + h, ChainHead{12, h}, true},
		{" 12:" + strings.ToUpper(h) + "\n", ChainHead{12, h}, true},
		{"0:" + genesisHash, ChainHead{0, genesisHash}, true},
		{"-1:" + h, ChainHead{}, false},
		{"12", ChainHead{}, false},
		{"x:" + h, ChainHead{}, false},
		{"12:" + h[:62], ChainHead{}, false},
		{"12:" + strings.Repeat("zz", 32), ChainHead{}, false},
	} {
		got, err := ParseChainHead(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseChainHead(%q) = %v, %v", tt.in, got, err)
		}
		if tt.ok && got.String() != fmt.Sprintf("%d:%s", tt.want.Seq, tt.want.Hash) {
			t.Errorf("String() = %s", got)
		}
	}
}

// BenchmarkLink compares a keyed link (HMAC-SHA-256, the linker's state
// reused) with a plain SHA-256 link of the same event.
func BenchmarkLink(b *testing.B) {
	e := chainEvent{id: 7, typ: "personal_data.read", at: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC),
		personIIN: "800101300001", actorRole: "agency", message: []byte(`{"en":"Your data was read","kk":"Деректеріңіз оқылды","ru":"Ваши данные прочитаны"}`),
		data: []byte(`{"what":"address","actor_name":"Tax committee","purpose":"address:read"}`)}
	for _, keyed := range []bool{false, true} {
		name := "sha256"
		if keyed {
			name = "hmac"
		}
		b.Run(name, func(b *testing.B) {
			l := newLinker(DemoAuditKey)
			for b.Loop() {
				if _, err := l.link(genesisHash, &e, 42, keyed); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
