package residence_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"tirkeu/internal/demo"
	"tirkeu/internal/residence"
	"tirkeu/internal/residence/residencetest"
	"tirkeu/internal/store/storetest"
)

func TestMaskName(t *testing.T) {
	for _, c := range []struct {
		p    residence.Person
		want string
	}{
		{residence.Person{LastName: "Әлімжанова", FirstName: "Гүлнұр", Patronymic: "Серікқызы"}, "Ә*** Г***"},
		{residence.Person{LastName: "Kim", FirstName: "Ivan"}, "K*** I***"},
		{residence.Person{LastName: "Oralbek"}, "O***"},
		{residence.Person{LastName: " ", FirstName: ""}, ""},
	} {
		if got := residence.MaskName(c.p); got != c.want {
			t.Errorf("MaskName(%+v) = %q, want %q", c.p, got, c.want)
		}
	}
}

// stubMaker renders nothing: the use cases' rules are under test here.
type stubMaker struct{ codes []string }

func (m *stubMaker) Make(_ context.Context, f residence.CertificateFacts) ([]byte, []byte, error) {
	m.codes = append(m.codes, f.Code)
	return []byte("%PDF-stub " + f.ID), []byte{0x30, 0x00}, nil
}

// TestCertificateUseCases: only the person registered is issued a
// certificate; a temporary registration past its end date checks as ended
// even before the expiry job has run; malformed codes are unknown.
func TestCertificateUseCases(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, storetest.SQLite)
	if _, err := demo.Load(ctx, st, today); err != nil {
		t.Fatal(err)
	}
	clock := residencetest.NewFakeClock(today)
	svc := residence.NewService(st, clock, residence.DefaultConfig(), nil, nil)
	cast := demo.Cast(today)
	person, other := cast[0], cast[1]
	reg := residence.Registration{ID: "", IIN: person.IIN, RKA: person.RKA, Kind: residence.Temporary,
		Since: residence.DateOf(today).AddDate(0, -2, 0), Until: residence.DateOf(today).AddDate(0, 0, 3),
		Status: residence.RegistrationActive, Imported: true}
	if reg.RKA == "" {
		t.Skip("the first cast member has no premises")
	}
	if err := st.InTx(ctx, func(tx residence.Tx) error { return tx.UpsertImportedRegistrations(ctx, []residence.Registration{reg}) }); err != nil {
		t.Fatal(err)
	}
	var regID string
	st.View(ctx, func(r residence.Reader) error {
		regs, err := r.Registrations(ctx, person.IIN)
		for _, g := range regs {
			if g.Kind == residence.Temporary && g.Until.Equal(reg.Until) {
				regID = g.ID
			}
		}
		return err
	})
	if regID == "" {
		t.Fatal("the temporary registration was not stored")
	}
	me := residence.Actor{Role: residence.RoleCitizen, IIN: person.IIN}
	if _, err := svc.IssueCertificate(ctx, me, regID); !residence.IsCode(err, residence.EUnavailable) {
		t.Errorf("without a maker: %v, want unavailable", err)
	}
	m := &stubMaker{}
	svc.SetCertificateMaker(m)
	for _, c := range []struct {
		actor residence.Actor
		code  string
	}{
		{residence.Actor{}, residence.EUnauthenticated},
		{residence.Actor{Role: residence.RoleCitizen, IIN: other.IIN}, residence.EForbidden},
		{residence.Actor{Role: residence.RoleOperator, Name: "PSC"}, residence.EForbidden},
		{residence.Actor{Role: residence.RoleAgency, Name: "agency"}, residence.EForbidden},
	} {
		if _, err := svc.IssueCertificate(ctx, c.actor, regID); !residence.IsCode(err, c.code) {
			t.Errorf("IssueCertificate by %+v: %v, want %s", c.actor, err, c.code)
		}
	}
	if _, err := svc.IssueCertificate(ctx, me, "no-such-registration"); !residence.IsCode(err, residence.ENotFound) {
		t.Errorf("unknown registration: %v", err)
	}
	cert, err := svc.IssueCertificate(ctx, me, regID)
	if err != nil || len(m.codes) != 1 {
		t.Fatalf("IssueCertificate = %v (%d made)", err, len(m.codes))
	}
	if len(m.codes[0]) != 24 || string(cert.CodeHash) == m.codes[0] {
		t.Errorf("code %q, hash stored %x", m.codes[0], cert.CodeHash)
	}
	check, err := svc.VerifyCertificate(ctx, residence.Actor{}, m.codes[0])
	if err != nil || !check.Genuine || !check.Active {
		t.Fatalf("VerifyCertificate = %+v, %v", check, err)
	}
	clock.Advance(5 * 24 * time.Hour) // past Until, before the expiry job
	check, err = svc.VerifyCertificate(ctx, residence.Actor{}, m.codes[0])
	if err != nil || check.Active || !check.EndedOn.Equal(reg.Until) {
		t.Errorf("after its end date: %+v, %v; want ended on %s", check, err, reg.Until)
	}
	for _, bad := range []string{"", "x", m.codes[0] + "A", "!!!!!!!!!!!!!!!!!!!!!!!!", strings.Repeat("A", 24)} {
		if _, err := svc.VerifyCertificate(ctx, residence.Actor{}, bad); !residence.IsCode(err, residence.ENotFound) {
			t.Errorf("VerifyCertificate(%q) = %v, want not_found", bad, err)
		}
	}
}
