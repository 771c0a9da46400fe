package store_test

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"tirkeu/internal/demo"
	"tirkeu/internal/residence"
	"tirkeu/internal/residence/residencetest"
	"tirkeu/internal/store"
	"tirkeu/internal/store/storetest"
)

var sixDigits = regexp.MustCompile(`\b\d{6}\b`)

// TestStoredTextSize runs a mix of the demo's scenarios through the service
// on PostgreSQL (registrations, rejections, in-person answers, owners' and
// a subject's consent answered by SMS reply) and reports the average stored
// size of applications' decision and events' message (pg_column_size, the
// bytes a row holds), for docs/PERFORMANCE.md. Every text these flows store
// is catalogued or templated: no row holds a text in full.
func TestStoredTextSize(t *testing.T) {
	ctx := context.Background()
	url := storetest.PostgresURL(t)
	st, err := store.OpenPostgres(ctx, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	today := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	if _, err := demo.Load(ctx, st, today); err != nil {
		t.Fatal(err)
	}
	cast := map[string]demo.CastMember{}
	for _, m := range demo.Cast(today) {
		cast[m.Role] = m
	}
	clock := residencetest.NewFakeClock(today)
	svc := residence.NewService(st, clock, residence.DefaultConfig(), nil, nil)
	lastCode := func(phone string) string {
		var code string
		err := st.View(ctx, func(r residence.Reader) error {
			msgs, err := r.ListSMS(ctx, 1000)
			for _, m := range msgs {
				if m.To == phone {
					code = sixDigits.FindString(m.Text)
				}
			}
			return err
		})
		if err != nil || code == "" {
			t.Fatalf("no code sent to %s (%v)", phone, err)
		}
		return code
	}
	submit := func(applicant, subject, rka string, kind residence.Kind) {
		t.Helper()
		a := cast[applicant]
		if rka == "" {
			rka = a.RKA
		}
		if _, err := svc.RequestOTP(ctx, a.IIN, residence.OTPSign); err != nil {
			t.Fatalf("%s: RequestOTP: %v", applicant, err)
		}
		in := residence.SubmitInput{Kind: kind, ApplicantIIN: a.IIN, SubjectIIN: cast[subject].IIN, RKA: rka,
			Channel: residence.ChannelPortal, OTP: lastCode(a.Phone)}
		if kind == residence.Temporary {
			in.StayFrom, in.StayUntil = residence.DateOf(today), residence.AddMonths(residence.DateOf(today), 3)
		}
		if _, _, err := svc.Submit(ctx, residence.Actor{}, in); err != nil {
			t.Fatalf("%s for %s: Submit: %v", applicant, subject, err)
		}
		clock.Advance(time.Minute)
	}
	reply := func(role string) {
		t.Helper()
		p := cast[role].Phone
		if _, err := svc.ReceiveSMS(ctx, p, lastCode(p)); err != nil {
			t.Fatalf("%s replies: %v", role, err)
		}
		clock.Advance(time.Minute)
	}
	submit("sole_owner", "sole_owner", "", residence.Permanent)                              // registered
	submit("tenant", "tenant", "", residence.Permanent)                                      // awaiting the owners
	reply("co_owner_1")                                                                      // consent
	reply("co_owner_2")                                                                      // consent: registered
	submit("parent", "child_15", "", residence.Permanent)                                    // registered by a parent
	submit("parent", "child_13", "", residence.Permanent)                                    // rejected: age
	submit("ward", "ward", cast["guardian"].RKA, residence.Permanent)                        // rejected: authority
	submit("minor_flat_owner", "minor_flat_owner", "", residence.Permanent)                  // in person: offline owners
	submit("rental_friend", "rental_friend", cast["rental_tenant"].RKA, residence.Permanent) // rejected: rental
	submit("rental_tenant", "rental_member", "", residence.Permanent)                        // awaiting the subject
	reply("rental_member")                                                                   // confirmed: registered
	submit("hotel_head", "hotel_guest", "", residence.Temporary)                             // awaiting the guest
	submit("back_from_abroad", "back_from_abroad", "", residence.Permanent)                  // in person: from abroad
	submit("sole_owner", "sole_owner", cast["tenant"].RKA, residence.Temporary)              // awaiting the owners

	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rs, err := conn.Query(ctx, `SELECT status || ' ' || COALESCE(decision->>'rule', '') || ': ' || count(*) FROM applications GROUP BY status, decision->>'rule' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	mix, err := pgx.CollectRows(rs, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("applications: %v", mix)
	for _, q := range []struct{ what, sql string }{
		{"applications.decision", `SELECT count(*), avg(pg_column_size(decision)), avg(octet_length(decision::text)) FROM applications`},
		{"events.message", `SELECT count(*), avg(pg_column_size(message)), avg(octet_length(message::text)) FROM events WHERE message IS NOT NULL`},
	} {
		var n int
		var size, text float64
		if err := conn.QueryRow(ctx, q.sql).Scan(&n, &size, &text); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d rows, pg_column_size %.0f bytes, text %.0f bytes on average", q.what, n, size, text)
	}
	for _, q := range []string{
		`SELECT count(*) FROM applications WHERE decision::text LIKE '%"kk"%'`,
		`SELECT count(*) FROM events WHERE message::text LIKE '%"kk"%'`,
	} {
		var n int
		if err := conn.QueryRow(ctx, q).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s = %d, %v: a flow stores a text in full", q, n, err)
		}
	}
}
