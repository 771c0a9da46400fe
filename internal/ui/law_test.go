package ui_test

import (
	"context"
	"net/url"
	"testing"

	"tirkeu/internal/residence"
)

// TestHotelDeregistersItsGuest: an organisation's representative sees the
// people registered in its premises on /owner and takes one off the
// register, signed with a one-time password (rule DEREGISTER_ORGANISATION).
func TestHotelDeregistersItsGuest(t *testing.T) {
	e := newEnv(t)
	head, guest := e.person("hotel_head"), e.person("hotel_guest")
	op := residence.Actor{Role: residence.RoleOperator, Name: "counter-1"}
	app, err := e.svc.SubmitInPerson(context.Background(), op, residence.PSCInput{Kind: residence.Temporary, ApplicantIIN: guest.IIN,
		RKA: head.RKA, StayUntil: residence.AddMonths(residence.DateOf(e.clock.Now()), 3),
		Documents: []residence.DocumentKind{residence.DocIdentity, residence.DocOrganisationPetition}})
	if err != nil || app.Status != residence.StatusRegistered {
		t.Fatalf("guest's registration: %s %v", app.Status, err)
	}
	c := e.client("en")
	c.signIn(head.IIN)
	st, body := c.get("/owner")
	if st != 200 {
		t.Fatalf("/owner: %d", st)
	}
	mustContain(t, body, guest.Name)
	c.post("/owner/otp", url.Values{})
	st, body = c.post("/owner/deregister", url.Values{"subject": {guest.IIN}, "rka": {head.RKA}, "code": {e.lastCode(head.IIN)}})
	if st != 200 {
		t.Fatalf("deregister: %d\n%s", st, excerpt(body))
	}
	mustContain(t, body, "Deregistered")
	ad, err := e.svc.PersonAddresses(context.Background(), op, guest.IIN)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range ad.Registrations {
		if g.RKA == head.RKA && (g.Status != residence.RegistrationEnded || g.EndReason != residence.EndDeregisteredByOwner) {
			t.Fatalf("the guest's registration: %+v", g)
		}
	}
}
