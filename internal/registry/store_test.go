package registry_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"tirkeu/internal/residence"
	"tirkeu/internal/store/storetest"
)

// snapshot reads back, through the Reader, everything the mixed file can
// have written about its persons and premises.
func snapshot(t *testing.T, st residence.Store, lines []string) string {
	t.Helper()
	var iins, rkas []string
	for _, l := range lines {
		var r struct{ Type, IIN, RKA string }
		if json.Unmarshal([]byte(l), &r) != nil {
			continue
		}
		if r.Type == "person" {
			iins = append(iins, r.IIN)
		}
		if r.Type == "premises" {
			rkas = append(rkas, r.RKA)
		}
	}
	var b strings.Builder
	err := st.View(context.Background(), func(r residence.Reader) error {
		ctx := context.Background()
		for _, iin := range iins {
			p, err := r.Person(ctx, iin)
			if residence.IsCode(err, residence.ENotFound) {
				b.WriteString("missing " + iin[:4] + "\n")
				continue
			}
			if err != nil {
				return err
			}
			rel, err := r.Relations(ctx, iin)
			if err != nil {
				return err
			}
			regs, err := r.Registrations(ctx, iin)
			if err != nil {
				return err
			}
			orgs, err := r.OrganisationsRepresentedBy(ctx, iin)
			if err != nil {
				return err
			}
			for i := range regs {
				regs[i].ID = "" // compared by content
			}
			j, _ := json.Marshal([]any{p, rel, regs, orgs})
			b.Write(j)
			b.WriteByte('\n')
		}
		for _, rka := range rkas {
			p, err := r.Premises(ctx, rka)
			if residence.IsCode(err, residence.ENotFound) {
				b.WriteString("missing " + rka + "\n")
				continue
			}
			if err != nil {
				return err
			}
			own, err := r.Owners(ctx, rka)
			if err != nil {
				return err
			}
			ra, err := r.RentalAgreements(ctx, rka)
			if err != nil {
				return err
			}
			res, err := r.Residents(ctx, rka)
			if err != nil {
				return err
			}
			j, _ := json.Marshal([]any{p, own, ra, len(res)})
			b.Write(j)
			b.WriteByte('\n')
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestImportIntoStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st residence.Store) {
		for _, batch := range []int{2, 1000} {
			lines, want := mixedFile(t)
			sum, bad := importLines(t, st, batch, lines...)
			checkBad(t, bad, want)
			if sum.Bad != int64(len(want)) {
				t.Errorf("batch %d: summary %+v", batch, sum)
			}
			first := snapshot(t, st, lines)
			if !strings.Contains(first, "missing") {
				t.Error("the bad person was written")
			}
			// Importing again (with another batch size) changes nothing.
			_, bad = importLines(t, st, batch, lines...)
			checkBad(t, bad, want)
			if again := snapshot(t, st, lines); again != first {
				t.Errorf("second import changed the store:\n%s\n---\n%s", first, again)
			}
		}
	})
}

func TestImportReferenceToLaterLineIsBadInStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st residence.Store) {
		a, b := num(t, "80031830012"), num(t, "90010130081")
		_, bad := importLines(t, st, 1000,
			person(a),
			`{"type":"relation","kind":"parent","from":"`+a+`","to":"`+b+`"}`,
			person(b),
		)
		checkBad(t, bad, map[int]string{2: "relation: to: unknown person"})
		err := st.View(context.Background(), func(r residence.Reader) error {
			rel, err := r.Relations(context.Background(), a)
			if len(rel) != 0 {
				t.Errorf("relations %+v", rel)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
