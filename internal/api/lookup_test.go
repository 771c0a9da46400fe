package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"testing"

	"tirkeu/internal/residence"
	"tirkeu/internal/store/storetest"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata")

// registrationID matches a registration's id in a lookup's answer (imported
// registrations get fresh ids).
var registrationID = regexp.MustCompile(`"id":"[^"]*"`)

// TestLookupGolden pins the exact bytes of an agency's lookup, for an adult
// with an address and a child under 14 whose address is a parent's, on both
// engines and through serve's whole stack (newLookupServer, the one
// BenchmarkLookup measures), so that work on the lookup's cost cannot change
// its answer. The fixture's IINs (drawn per test process) and the
// registration ids are replaced by stable names before comparing; every
// other byte, the trailing newline included, is compared. Run with -update
// to rewrite testdata/lookup-*.json.
func TestLookupGolden(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st residence.Store) {
		s := newLookupServer(t, st)
		for _, tt := range []struct{ name, person string }{{"adult", "owner"}, {"child", "child13"}} {
			t.Run(tt.name, func(t *testing.T) {
				var w benchWriter
				w.reset()
				s.h.ServeHTTP(&w, s.request(t, tt.person))
				if w.status != http.StatusOK {
					t.Fatalf("status %d: %s", w.status, w.body.Bytes())
				}
				if ct := w.header.Get("Content-Type"); ct != "application/json" {
					t.Errorf("Content-Type %q, want application/json", ct)
				}
				got := s.normalise(w.body.Bytes())
				path := filepath.Join("testdata", "lookup-"+tt.name+".json")
				if *updateGolden {
					if err := os.MkdirAll("testdata", 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, got, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("lookup of %s:\n got %s\nwant %s", tt.person, got, want)
				}
			})
		}
		// Every lookup above is in the access log of the person read, and a
		// child's also in the parent's, whose address was read for it.
		if err := s.svc.FlushAccessLog(context.Background()); err != nil {
			t.Fatal(err)
		}
		for _, who := range []string{"owner", "child13", "parent"} {
			var evs []residence.Event
			err := st.View(context.Background(), func(r residence.Reader) error {
				var err error
				evs, err = r.PersonEvents(context.Background(), s.f.p[who].iin, []string{residence.EventPersonalDataRead}, 10)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(evs) != 1 {
				t.Fatalf("%s: %d access-log records, want 1", who, len(evs))
			}
			e := evs[0]
			var data map[string]string
			if err := json.Unmarshal(e.Data, &data); err != nil {
				t.Fatal(err)
			}
			want := map[string]string{"actor_name": "bench-agency", "purpose": "address:read", "what": "registrations"}
			if e.ActorRole != string(residence.RoleAgency) || e.ActorIIN != "" || !e.At.Equal(today) || !maps.Equal(data, want) {
				t.Errorf("%s: record %+v (data %s), want an agency's at %v with data %v", who, e, e.Data, today, want)
			}
		}
	})
}

// normalise replaces the fixture's IINs, plain or masked, by the people's
// names, and registration ids by "<id>".
func (s *lookupServer) normalise(b []byte) []byte {
	names := make([]string, 0, len(s.f.p))
	for name := range s.f.p {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		iin := s.f.p[name].iin
		b = bytes.ReplaceAll(b, []byte(iin), []byte("<"+name+">"))
		// An IIN the reader may not see is masked down to its last four digits.
		b = bytes.ReplaceAll(b, []byte("********"+iin[8:]), []byte("<masked "+name+">"))
	}
	return registrationID.ReplaceAll(b, []byte(`"id":"<id>"`))
}
