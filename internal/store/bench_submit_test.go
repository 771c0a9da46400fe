package store_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"testing"
	"time"

	"tirkeu/internal/iin"
	"tirkeu/internal/residence"
	"tirkeu/internal/residence/residencetest"
	"tirkeu/internal/store/storetest"
)

// sigVerifier accepts every signature as the applicant's, with a new digest
// each time (the submit scenario's new signer); the store's round trips do
// not depend on the CMS.
type sigVerifier struct {
	clock residence.Clock
}

func (v sigVerifier) VerifySignature(_ context.Context, cms, _ []byte) (residence.SignerInfo, error) {
	d := sha256.Sum256(cms)
	return residence.SignerInfo{IIN: string(cms[:12]), Roles: []string{residence.SignerIndividual},
		SigningTime: v.clock.Now(), Digest: d[:]}, nil
}

func validIIN(t testing.TB, prefix string) string {
	t.Helper()
	for i := 0; i < 10; i++ {
		if s, err := iin.Complete(fmt.Sprintf("%s%d", prefix, i)); err == nil {
			return s
		}
	}
	t.Fatalf("no valid IIN from %s", prefix)
	return ""
}

// BenchmarkSubmitRegistration measures one submission of the submit
// scenario (anonymous, EDS-signed, temporary, a sole owner at the flat they
// own; the signature's verification is a stub) through the Service on
// PostgreSQL, one at a time: the latency the round trips and statements of
// the write path cost on an idle database.
func BenchmarkSubmitRegistration(b *testing.B) {
	st := storetest.Open(b, storetest.Postgres)
	ctx := b.Context()
	const max = 5000
	owners := make([]string, 0, max)
	var ps []residence.Person
	var prem []residence.Premises
	var own []residence.Ownership
	for i := 0; len(owners) < max; i++ {
		who, err := iin.Complete(fmt.Sprintf("850101%05d", i))
		if err != nil {
			continue
		}
		rka := fmt.Sprintf("RKA-BS-%d", len(owners))
		owners = append(owners, who)
		ps = append(ps, residence.Person{IIN: who, LastName: "Сәрсенов", FirstName: "Ерлан", BirthDate: time.Date(1985, 1, 1, 0, 0, 0, 0, time.UTC),
			Citizenship: "KZ", Capacity: residence.CapacityFull})
		prem = append(prem, residence.Premises{RKA: rka, Region: "Астана", Locality: "Астана", Street: "Абай",
			Building: fmt.Sprint(len(owners)), Kind: residence.PremisesApartment})
		own = append(own, residence.Ownership{RKA: rka, OwnerIIN: who, Share: 1})
	}
	if err := st.InTx(ctx, func(tx residence.Tx) error { return upsertOwned(ctx, tx, ps, prem, own) }); err != nil {
		b.Fatal(err)
	}
	clock := residencetest.NewFakeClock(time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC))
	svc := residence.NewService(st, clock, residence.DefaultConfig(), sigVerifier{clock: clock}, nil)
	today := residence.DateOf(clock.Now())
	i := 0
	for b.Loop() {
		if i == max {
			b.Fatalf("more than %d submissions: run with -benchtime=Nx, N <= %d", max, max)
		}
		in := residence.SubmitInput{Kind: residence.Temporary, ApplicantIIN: owners[i], RKA: fmt.Sprintf("RKA-BS-%d", i),
			StayFrom: today, StayUntil: today.AddDate(0, 3, 0), EDS: &residence.EDS{CMS: []byte(owners[i] + " signs"), Content: []byte("application")}}
		v, _, err := svc.SubmitView(ctx, residence.Actor{}, in)
		if err != nil || v.Application.Status != residence.StatusRegistered {
			b.Fatalf("submit %d: %s %v", i, v.Application.Status, err)
		}
		i++
	}
}

// upsertOwned writes persons, their premises and the ownerships between
// them in tx: the registry of the submit-path tests and benchmark.
func upsertOwned(ctx context.Context, tx residence.Tx, ps []residence.Person, prem []residence.Premises, own []residence.Ownership) error {
	if err := tx.UpsertPersons(ctx, ps); err != nil {
		return err
	}
	if err := tx.UpsertPremises(ctx, prem); err != nil {
		return err
	}
	return tx.UpsertOwnerships(ctx, own)
}
