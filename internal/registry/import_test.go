package registry_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"tirkeu/internal/iin"
	"tirkeu/internal/registry"
	"tirkeu/internal/registry/registrytest"
	"tirkeu/internal/residence"
)

func num(tb testing.TB, prefix string) string {
	tb.Helper()
	s, err := iin.Complete(prefix)
	if err != nil {
		tb.Fatalf("complete %s: %v", prefix, err)
	}
	return s
}

func person(iin string) string {
	return `{"type":"person","iin":"` + iin + `","last_name":"Ахметов","first_name":"Ерлан","birth_date":"1980-03-18","citizenship":"KZ","capacity":"full","phone":"77011234567"}`
}

func premises(rka string) string {
	return `{"type":"premises","rka":"` + rka + `","region":"Астана","locality":"Астана","street":"Кенесары","building":"5","unit":"12","kind":"apartment","state_rental":false}`
}

// importLines imports the lines and returns the summary and the reasons by
// line number.
func importLines(t *testing.T, st residence.Store, batch int, lines ...string) (registry.Summary, map[int]string) {
	t.Helper()
	bad := map[int]string{}
	sum, err := registry.Import(context.Background(), st, strings.NewReader(strings.Join(lines, "\n")+"\n"),
		registry.Options{BatchSize: batch, Report: func(line int, reason string) {
			if _, dup := bad[line]; dup {
				t.Errorf("line %d reported twice", line)
			}
			bad[line] = reason
		}})
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	if sum.Imported+sum.Bad != sum.Read {
		t.Errorf("summary %+v does not add up", sum)
	}
	return sum, bad
}

func checkBad(t *testing.T, got map[int]string, want map[int]string) {
	t.Helper()
	var lines []int
	for l := range got {
		lines = append(lines, l)
	}
	sort.Ints(lines)
	for _, l := range lines {
		w, ok := want[l]
		if !ok {
			t.Errorf("line %d reported bad: %s", l, got[l])
		} else if !strings.Contains(got[l], w) {
			t.Errorf("line %d: reason %q, want %q", l, got[l], w)
		}
	}
	for l, w := range want {
		if _, ok := got[l]; !ok {
			t.Errorf("line %d not reported (want %q)", l, w)
		}
	}
}

// mixedFile is a registry with good and bad lines of every type; bad maps
// the line numbers of the bad ones to their reasons.
func mixedFile(t *testing.T) (lines []string, bad map[int]string) {
	a, b, c, d := num(t, "80031830012"), num(t, "90010130081"), num(t, "10051050011"), num(t, "75020240003")
	ghost := num(t, "66060640001")
	later := num(t, "70070740007")
	bin := num(t, "05014000123")
	lines = []string{
		person(a), // 1
		person(b), // 2
		person(c), // 3
		`{"type":"person","iin":"` + d + `","last_name":"Ким","first_name":"Ольга","birth_date":"1975-02-02","citizenship":"KZ","capacity":"incapable"}`, // 4
		premises("R1"), // 5
		`{"type":"premises","rka":"R2","region":"Карагандинская область","locality":"Караганда","building":"7","kind":"apartment","state_rental":true}`, // 6
		`{"type":"relation","kind":"parent","from":"` + a + `","to":"` + c + `"}`,                                                                       // 7
		`{"type":"relation","kind":"guardian","from":"` + b + `","to":"` + d + `"}`,                                                                     // 8
		`{"type":"organisation","bin":"` + bin + `","name":"Отель Есиль","representatives":["` + a + `"]}`,                                              // 9
		`{"type":"ownership","rka":"R1","owner_iin":"` + a + `","share":"1/2"}`,                                                                         // 10
		`{"type":"ownership","rka":"R1","owner_iin":"` + b + `","share":0.5}`,                                                                           // 11
		`{"type":"ownership","rka":"R2","owner_bin":"` + bin + `","share":1}`,                                                                           // 12
		`{"type":"rental","rka":"R2","tenant_iin":"` + b + `","members":["` + d + `"],"valid_from":"2024-01-01","valid_until":"2030-01-01"}`,            // 13
		`{"type":"registration","iin":"` + a + `","rka":"R1","kind":"permanent","since":"2015-01-01"}`,                                                  // 14
		`{"type":"registration","iin":"` + b + `","rka":"R2","kind":"temporary","since":"2025-01-01","until":"2025-10-01"}`,                             // 15
		// Bad lines.
		`{"type":"person","iin":"800318300120","last_name":"X","first_name":"Y","birth_date":"1980-03-18","citizenship":"KZ","capacity":"full"}`, // 16
		`{"type":"relation","kind":"parent","from":"` + a + `","to":"` + ghost + `"}`,                                                            // 17
		`{"type":"ownership","rka":"R404","owner_iin":"` + a + `","share":1}`,                                                                    // 18
		`{"type":"ownership","rka":"R1","owner_bin":"` + num(t, "05014000999") + `","share":1}`,                                                  // 19
		`{"type":"rental","rka":"R2","tenant_iin":"` + b + `","members":["` + ghost + `"],"valid_from":"2024-02-01","valid_until":"2030-01-01"}`, // 20
		`{"type":"registration","iin":"` + ghost + `","rka":"R1","kind":"permanent","since":"2015-01-01"}`,                                       // 21
		`{"type":"registration","iin":"` + c + `","rka":"R404","kind":"permanent","since":"2015-01-01"}`,                                         // 22
		`{"type":"organisation","bin":"` + num(t, "05014000777") + `","name":"Хостел","representatives":["` + ghost + `"]}`,                      // 23
		`{"type":"registration","iin":"` + a + `","rka":"R2","kind":"permanent","since":"2020-01-01"}`,                                           // 24: second active permanent
		`not json at all`,  // 25
		`{"type":"alien"}`, // 26
		`{"type":"premises","rka":"R3","region":"Астана","locality":"Астана","building":"1","kind":"house","colour":"red"}`, // 27
		person(later), // 28
		`{"type":"relation","kind":"parent","from":"` + later + `","to":"` + d + `"}`, // 29: good
		`{"type":"relation","kind":"parent","from":"` + later + `","to":"` + d + `"}`, // 30: a repeat, good
		"", // blank: skipped, not counted
		`{"type":"registration","iin":"` + c + `","rka":"R1","kind":"permanent","since":"2016-01-01"}`, // 32: good
	}
	bad = map[int]string{
		16: "person: iin: check digit does not match",
		17: "relation: to: unknown person",
		18: "ownership: rka: unknown premises",
		19: "ownership: owner_bin: unknown organisation",
		20: "rental: members[0]: unknown person",
		21: "registration: iin: unknown person",
		22: "registration: rka: unknown premises",
		23: "organisation: representatives[0]: unknown person",
		24: "registration: conflict",
		25: "malformed JSON",
		26: `unknown type "alien"`,
		27: `premises: unknown field "colour"`,
	}
	return lines, bad
}

func TestImportKeepsGoodLinesAndNamesBadOnes(t *testing.T) {
	t.Parallel()
	for _, batch := range []int{1, 2, 3, 7, 1000} {
		t.Run(fmt.Sprintf("batch %d", batch), func(t *testing.T) {
			t.Parallel()
			lines, want := mixedFile(t)
			st := registrytest.NewStore()
			sum, bad := importLines(t, st, batch, lines...)
			checkBad(t, bad, want)
			if sum.Read != int64(len(lines)-1) || sum.Bad != int64(len(want)) {
				t.Errorf("summary %+v, want read %d bad %d", sum, len(lines)-1, len(want))
			}
			if n := len(st.Persons); n != 5 {
				t.Errorf("%d persons, want 5", n)
			}
			if n := len(st.Relations); n != 3 {
				t.Errorf("%d relations, want 3", n)
			}
			if n := len(st.Registrations); n != 3 {
				t.Errorf("%d registrations, want 3", n)
			}
			if n := len(st.Ownerships); n != 3 {
				t.Errorf("%d ownerships, want 3", n)
			}
			for _, g := range st.Registrations {
				if g.ID == "" || !g.Imported {
					t.Errorf("registration %+v", g)
				}
			}

			// A second import changes nothing.
			before := st.Dump()
			sum2, bad2 := importLines(t, st, batch, lines...)
			checkBad(t, bad2, want)
			if sum2 != sum {
				t.Errorf("second summary %+v, first %+v", sum2, sum)
			}
			if after := st.Dump(); after != before {
				t.Errorf("second import changed the store:\n%s\n---\n%s", before, after)
			}
		})
	}
}

func TestImportDuplicateKeyInOneBatch(t *testing.T) {
	t.Parallel()
	a := num(t, "80031830012")
	st := registrytest.NewStore()
	renamed := strings.Replace(person(a), "Ерлан", "Ернар", 1)
	sum, bad := importLines(t, st, 100, person(a), premises("R1"), renamed)
	checkBad(t, bad, nil)
	if sum.Imported != 3 {
		t.Errorf("summary %+v", sum)
	}
	if st.Persons[a].FirstName != "Ернар" {
		t.Errorf("later line did not win: %+v", st.Persons[a])
	}
}

func TestImportLongLine(t *testing.T) {
	t.Parallel()
	a := num(t, "80031830012")
	long := `{"type":"premises","rka":"R1","region":"` + strings.Repeat("я", registry.MaxLineBytes) + `"}`
	st := registrytest.NewStore()
	sum, bad := importLines(t, st, 10, person(a), long, premises("R2"))
	checkBad(t, bad, map[int]string{2: "line longer than"})
	if sum.Imported != 2 {
		t.Errorf("summary %+v", sum)
	}
}

func TestImportProgressAndTransform(t *testing.T) {
	t.Parallel()
	var lines []string
	for i := range 10000 {
		lines = append(lines, premises(fmt.Sprintf("R%d", i)))
	}
	var last int64
	calls := 0
	st := registrytest.NewStore()
	sum, err := registry.Import(context.Background(), st, strings.NewReader(strings.Join(lines, "\n")), registry.Options{
		Progress:  func(n int64) { last, calls = n, calls+1 },
		Transform: func(r *registry.Record) { r.Premises.Unit = "transformed" },
	})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Imported != 10000 || last != 10000 || calls < 2 {
		t.Errorf("summary %+v, progress last %d calls %d", sum, last, calls)
	}
	if st.Premises["R5"].Unit != "transformed" {
		t.Errorf("transform not applied: %+v", st.Premises["R5"])
	}
}

func TestImportCancelled(t *testing.T) {
	t.Parallel()
	var lines []string
	for i := range 10000 {
		lines = append(lines, premises(fmt.Sprintf("R%d", i)))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := registry.Import(ctx, registrytest.NewStore(), strings.NewReader(strings.Join(lines, "\n")), registry.Options{})
	if err == nil {
		t.Fatal("no error after cancel")
	}
}

func TestImportReferenceToLaterLineIsBad(t *testing.T) {
	t.Parallel()
	a, b, c := num(t, "80031830012"), num(t, "90010130081"), num(t, "10051050011")
	for _, batch := range []int{1, 2, 1000} {
		t.Run(fmt.Sprintf("batch %d", batch), func(t *testing.T) {
			t.Parallel()
			st := registrytest.NewStore()
			_, bad := importLines(t, st, batch,
				person(a), // 1
				`{"type":"relation","kind":"parent","from":"`+a+`","to":"`+b+`"}`,                          // 2: b is on line 4
				`{"type":"registration","iin":"`+a+`","rka":"R1","kind":"permanent","since":"2015-01-01"}`, // 3: R1 is on line 5
				person(b),      // 4
				premises("R1"), // 5
				`{"type":"ownership","rka":"R1","owner_iin":"`+c+`","share":1}`, // 6: c is on line 7
				person(c), // 7
				`{"type":"relation","kind":"parent","from":"`+a+`","to":"`+c+`"}`, // 8: good
			)
			checkBad(t, bad, map[int]string{
				2: "relation: to: unknown person",
				3: "registration: rka: unknown premises",
				6: "ownership: owner_iin: unknown person",
			})
			if len(st.Relations) != 1 || len(st.Registrations) != 0 || len(st.Ownerships) != 0 {
				t.Errorf("relations %d registrations %d ownerships %d", len(st.Relations), len(st.Registrations), len(st.Ownerships))
			}
		})
	}
}
