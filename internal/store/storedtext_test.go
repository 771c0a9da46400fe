package store_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"tirkeu/internal/residence"
	"tirkeu/internal/store"
	"tirkeu/internal/store/storetest"
)

// storedTextDecisions are decisions whose texts take every stored form: a
// rejection whose basis, message and next step are catalogued; an expired
// application with a violation (a templated text), a document in full,
// consents, effects and an operator's record.
func storedTextDecisions() (rejected, expired residence.Decision) {
	rejected = residence.Decide(residence.Snapshot{Subject: residence.Person{IIN: iinTenant, Deceased: true}})
	expired = residence.ConsentExpiredDecision()
	expired.Violation = residence.AssessViolation(residence.ViolationFacts{Kind: residence.Temporary,
		ArrivedOn: date(2026, 1, 2), RegisteredOn: date(2026, 3, 1), ResidentIIN: iinTenant,
		Owners: []residence.Ownership{{RKA: rkaFlat, OwnerIIN: iinOwner}}})
	expired.Documents = []residence.Text{{KK: "жалдау шарты", RU: "договор найма", EN: "the lease"}}
	expired.Consents = []residence.ConsentRequirement{{Kind: residence.ConsentKindOwner, OwnerIIN: iinOwner, Channel: residence.ConsentSMS}}
	expired.Effects = []residence.Effect{{RegistrationID: "reg-old", RKA: rkaHouse, Kind: residence.Permanent, EndReason: residence.EndMoved}}
	expired.InPerson = &residence.InPersonRecord{Operator: "op-1", Documents: []residence.DocumentKind{"identity"}}
	return rejected, expired
}

// TestDecisionAndEventsReadBack writes a decided application and its events,
// whose texts are stored by id, as a template's id and parameters and in
// full, and reads back exactly what was written.
func TestDecisionAndEventsReadBack(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		seed(t, s)
		rejected, expired := storedTextDecisions()
		if rejected.Status != residence.StatusRejected || rejected.LegalBasis.IsZero() || expired.Violation == nil {
			t.Fatalf("decisions: %+v, %+v", rejected, expired)
		}
		a := application("app-text", iinTenant, iinTenant, rkaFlat, residence.Temporary)
		a.Status, a.Decision = rejected.Status, rejected
		mustTx(t, s, func(tx residence.Tx) error { return tx.CreateApplication(ctx(t), a) })
		readApp := func() residence.Application {
			var got residence.Application
			mustView(t, s, func(r residence.Reader) error {
				var err error
				got, err = r.Application(ctx(t), a.ID)
				return err
			})
			return got
		}
		if got := readApp(); !reflect.DeepEqual(got.Decision, rejected) {
			t.Fatalf("created decision reads back as\n%+v\nwant\n%+v", got.Decision, rejected)
		}
		a.Status, a.Decision, a.DecidedAt = expired.Status, expired, t0
		mustTx(t, s, func(tx residence.Tx) error { return tx.UpdateApplication(ctx(t), a) })
		if got := readApp(); !reflect.DeepEqual(got.Decision, expired) || got.Decision.Violation.Message != expired.Violation.Message {
			t.Fatalf("updated decision reads back as\n%+v\nwant\n%+v", got.Decision, expired)
		}

		messages := []residence.Text{rejected.Message, expired.Violation.Message, {EN: "free text", RU: "свободный текст"}, {}}
		var evs []residence.Event
		for i, m := range messages {
			e := tick(i)
			e.ApplicationID, e.Message = a.ID, m
			evs = append(evs, e)
		}
		mustTx(t, s, func(tx residence.Tx) error { return tx.AppendEvents(ctx(t), evs[:2]...) })
		mustTx(t, s, func(tx residence.Tx) error { return tx.AppendSealedEvents(ctx(t), evs[2:]...) })
		mustSeal(t, s)
		got := feed(t, s, 0, 100)
		if len(got) != len(messages) {
			t.Fatalf("%d events, want %d", len(got), len(messages))
		}
		for _, e := range got {
			i := 0
			_ = json.Unmarshal(e.Data, &struct {
				I *int `json:"i"`
			}{&i})
			if e.Message != messages[i] {
				t.Errorf("event %d: message %+v, want %+v", i, e.Message, messages[i])
			}
		}
		if rep := mustVerify(t, s); !rep.OK || rep.Events != int64(len(messages)) {
			t.Fatalf("VerifyChain = %+v", rep)
		}
	})
}

// TestChainMixesStoredForms seals an event whose message is stored in full,
// as before ids, and one stored by id; both read back as the same text, the
// chain verifies, and a change to the id of the second is detected.
func TestChainMixesStoredForms(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		rejected, _ := storedTextDecisions()
		old, current := tick(0), tick(1)
		old.Message, current.Message = rejected.Message, rejected.Message
		mustTx(t, s, func(tx residence.Tx) error { return tx.AppendEvents(ctx(t), old, current) })
		// The first as the code before ids wrote it: the text in full.
		full, err := json.Marshal(rejected.Message)
		if err != nil {
			t.Fatal(err)
		}
		execs(`UPDATE events SET message = '`+strings.ReplaceAll(string(full), "'", "''")+`' WHERE id = (SELECT min(id) FROM events)`)(t, s, nil)
		mustSeal(t, s)
		evs := feed(t, s, 0, 100)
		if len(evs) != 2 || evs[0].Message != rejected.Message || evs[1].Message != rejected.Message {
			t.Fatalf("events read back as %+v", evs)
		}
		if rep := mustVerify(t, s); !rep.OK || rep.Events != 2 {
			t.Fatalf("VerifyChain = %+v", rep)
		}
		forged, err := residence.EncodeText(residence.ConsentExpiredDecision().Message)
		if err != nil || forged[0] != '"' {
			t.Fatalf("EncodeText = %s, %v", forged, err)
		}
		execs(`UPDATE events SET message = '`+string(forged)+`' WHERE id = (SELECT max(id) FROM events)`)(t, s, nil)
		last := evs[0]
		if evs[1].ID > last.ID {
			last = evs[1]
		}
		rep := mustVerify(t, s)
		if rep.OK || rep.FirstBadSeq != last.Seq || rep.EventID != last.ID || !strings.HasPrefix(rep.Reason, store.ReasonHashMismatch) {
			t.Fatalf("VerifyChain after the id was changed = %+v", rep)
		}
	})
}
