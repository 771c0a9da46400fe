package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"tirkeu/internal/residence"
	"tirkeu/internal/store/storetest"
	"tirkeu/internal/web"
)

// seedSMS writes n messages to the person's phone, as if other requests had
// sent them a moment ago.
func (h *harness) seedSMS(name string, n int) {
	h.t.Helper()
	now := h.clock.Now().UTC()
	err := h.st.InTx(context.Background(), func(tx residence.Tx) error {
		for i := range n {
			m := residence.SMS{ID: fmt.Sprintf("seed-%s-%d-%d", name, now.UnixNano(), i), To: h.phone(name), From: residence.ShortNumber,
				Text: "seed", Status: residence.SMSDelivered, RecipientIIN: h.iin(name), CreatedAt: now.Add(-time.Minute), UpdatedAt: now}
			if err := tx.CreateSMS(context.Background(), m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) smsCount(name string) int {
	h.t.Helper()
	var n int
	err := h.st.View(context.Background(), func(r residence.Reader) error {
		var err error
		n, err = r.CountSMSSince(context.Background(), h.phone(name), h.clock.Now().Add(-24*time.Hour))
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return n
}

func wantRateLimited(t *testing.T, res response) {
	t.Helper()
	if res.status != http.StatusTooManyRequests || res.str("code") != residence.ERateLimited {
		t.Fatalf("want 429 rate_limited, got %d %s", res.status, res.raw)
	}
	if ra, err := strconv.Atoi(res.header.Get("Retry-After")); err != nil || ra <= 0 {
		t.Fatalf("Retry-After %q", res.header.Get("Retry-After"))
	}
}

// TestOTPCapPerPerson: five one-time passwords per person per hour.
func TestOTPCapPerPerson(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		for i := range 5 {
			h.must(h.do("POST", "/api/v1/otp", "", map[string]string{"iin": h.iin("stranger"), "purpose": "login"}), 201)
			h.clock.Advance(time.Minute)
			_ = i
		}
		before := h.smsCount("stranger")
		wantRateLimited(t, h.do("POST", "/api/v1/otp", "", map[string]string{"iin": h.iin("stranger"), "purpose": "sign"}))
		if h.smsCount("stranger") != before {
			t.Fatal("a refused password was still sent")
		}
		h.clock.Advance(time.Hour)
		h.must(h.do("POST", "/api/v1/otp", "", map[string]string{"iin": h.iin("stranger"), "purpose": "login"}), 201)
	})
}

// TestOTPCapPerPhone: a phone that received SMSPerPhoneHour messages in the
// last hour gets no more one-time passwords, whoever they are for.
func TestOTPCapPerPhone(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		h.seedSMS("stranger", residence.DefaultConfig().SMSPerPhoneHour-1)
		h.must(h.do("POST", "/api/v1/otp", "", map[string]string{"iin": h.iin("stranger"), "purpose": "login"}), 201)
		wantRateLimited(t, h.do("POST", "/api/v1/otp", "", map[string]string{"iin": h.iin("stranger"), "purpose": "login"}))
		h.clock.Advance(61 * time.Minute)
		h.must(h.do("POST", "/api/v1/otp", "", map[string]string{"iin": h.iin("stranger"), "purpose": "login"}), 201)
	})
}

// TestConsentSMSCapPerOwnerPhone: an applicant cannot flood an owner's phone
// by submitting application after application; the refused application is
// not written at all, and the owner can still get sign-in codes.
func TestConsentSMSCapPerOwnerPhone(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		limit := residence.DefaultConfig().ConsentSMSPerPhoneHour
		h.seedConsentSMS("coA", limit-1)
		h.must(h.apply("tenant", "tenant", "coFlat", nil), 201) // the limit-th message to coA
		h.clock.Advance(time.Minute)
		a, b := h.smsCount("coA"), h.smsCount("coB")
		res := h.apply("tenant", "tenant", "coFlat", nil)
		wantRateLimited(t, res)
		if res.str("field") != "rka" {
			t.Errorf("field %q", res.str("field"))
		}
		if h.smsCount("coA") != a || h.smsCount("coB") != b {
			t.Fatal("a refused application still sent consent codes")
		}
		apps := 0
		_ = h.st.View(context.Background(), func(r residence.Reader) error {
			list, err := r.ApplicationsFor(context.Background(), h.iin("tenant"), 100)
			apps = len(list)
			return err
		})
		if apps != 1 {
			t.Fatalf("%d applications stored, want 1", apps)
		}
		// The owner's own sign-in still works: consent floods stop below the
		// one-time-password cap.
		h.login("coA")
		// An hour later the owner can be asked again.
		h.clock.Advance(61 * time.Minute)
		h.must(h.apply("mover", "mover", "coFlat", nil), 201)
	})
}

// TestConsentSMSToOrganisationNotCapped: a hotel's representative receives
// a code for every guest, however many.
func TestConsentSMSToOrganisationNotCapped(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		h.seedSMS("hotelRep", residence.DefaultConfig().SMSPerPhoneHour+5)
		before := h.smsCount("hotelRep")
		h.must(h.apply("mover", "mover", "hotel", nil), 201)
		if h.smsCount("hotelRep") != before+1 {
			t.Fatal("the hotel's representative got no code")
		}
	})
}

// TestIPLimitOnAPI runs the per-IP limit on the real API: one client
// address may request and try only so many codes, then gets 429 with
// Retry-After, while reads go on, and the budget refills with time.
func TestIPLimitOnAPI(t *testing.T) {
	eachEngine(t, func(t *testing.T, h *harness) {
		now := h.clock.Now
		h.limited(web.NewIPLimiter(web.IPLimit{Burst: 4, Per: time.Hour, Now: func() time.Time { return now() }}))

		h.must(h.do("POST", "/api/v1/otp", "", map[string]string{"iin": h.iin("stranger")}), 201)
		h.do("POST", "/api/v1/sessions", "", map[string]string{"iin": h.iin("stranger"), "otp": "000000"})
		h.do("POST", "/api/v1/consents/nope/confirm", "", map[string]string{"code": "000000"})
		h.do("POST", "/api/v1/consents/nope/decline", "", map[string]string{"code": "000000"})
		for _, path := range []string{"/api/v1/sessions", "/api/v1/otp", "/api/v1/consents/nope/confirm"} {
			wantRateLimited(t, h.do("POST", path, "", map[string]string{"iin": h.iin("stranger"), "otp": "000000"}))
		}
		// Reads are not limited.
		h.must(h.do("GET", "/api/v1/sessions/challenge", "", nil), 200)
		h.clock.Advance(15 * time.Minute) // one token back
		h.must(h.do("POST", "/api/v1/otp", "", map[string]string{"iin": h.iin("tenant")}), 201)
	})
}

// TestIPLimitEveryCodeRoute: every API route that takes a code or a
// signature is limited, each where it is registered: with a budget of one
// request, the second to the same route is 429 whatever the body.
func TestIPLimitEveryCodeRoute(t *testing.T) {
	h := newHarness(t, storetest.Open(t, storetest.SQLite))
	for _, path := range []string{"/api/v1/otp", "/api/v1/sessions", "/api/v1/applications", "/api/v1/deregistrations",
		"/api/v1/consents/x/confirm", "/api/v1/consents/x/decline", "/dev/sms/reply"} {
		t.Run(path, func(t *testing.T) {
			h.limited(web.NewIPLimiter(web.IPLimit{Burst: 1, Per: time.Hour}))
			if res := h.do("POST", path, "", map[string]string{}); res.status == http.StatusTooManyRequests {
				t.Fatalf("first request limited: %s", res.raw)
			}
			res := h.do("POST", path, "", map[string]string{"otp": "000000"})
			wantRateLimited(t, res)
		})
	}
	// A service centre's operator, with a staff token, tries no code: the
	// limit does not count them.
	h.limited(web.NewIPLimiter(web.IPLimit{Burst: 1, Per: time.Hour}))
	op := h.staffToken(residence.RoleOperator)
	for range 3 {
		if res := h.do("POST", "/api/v1/applications", op, map[string]string{}); res.status == http.StatusTooManyRequests {
			t.Fatalf("operator limited: %s", res.raw)
		}
	}
}
