package jobs_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"tirkeu/internal/iin"
	"tirkeu/internal/jobs"
	"tirkeu/internal/registry"
	"tirkeu/internal/residence"
	"tirkeu/internal/sms"
	"tirkeu/internal/sms/smsctest"
	"tirkeu/internal/store"
	"tirkeu/internal/store/storetest"
)

// world is the service running against a fake SMS centre over SMPP, with
// River working its jobs.
type world struct {
	svc   *residence.Service
	st    store.Store
	smsc  *smsctest.Server
	iins  map[string]string
	phone map[string]string
}

func mustIIN(t *testing.T, prefix string) string {
	t.Helper()
	for i := 0; ; i++ {
		s, err := iin.Complete(fmt.Sprintf("%s%d", prefix[:10], i))
		if err == nil {
			return s
		}
	}
}

func newWorld(t *testing.T, engine string) *world {
	t.Helper()
	w := &world{iins: map[string]string{}, phone: map[string]string{}}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	for i, name := range []string{"tenant", "coA", "coB", "x1", "x2", "x3", "x4", "x5", "x6"} {
		w.iins[name] = mustIIN(t, fmt.Sprintf("850101300%d", i))
		w.phone[name] = fmt.Sprintf("7702555000%d", i)
		_ = enc.Encode(map[string]any{"type": "person", "iin": w.iins[name], "last_name": "Сәрсенов", "first_name": name,
			"birth_date": "1985-01-01", "citizenship": "KZ", "capacity": "full", "phone": w.phone[name]})
	}
	_ = enc.Encode(map[string]any{"type": "premises", "rka": "RKA-J-1", "region": "Астана", "locality": "Астана",
		"street": "Қабанбай батыр", "building": "1", "unit": "1", "kind": "apartment"})
	_ = enc.Encode(map[string]any{"type": "ownership", "rka": "RKA-J-1", "owner_iin": w.iins["coA"], "share": 0.5})
	_ = enc.Encode(map[string]any{"type": "ownership", "rka": "RKA-J-1", "owner_iin": w.iins["coB"], "share": 0.5})

	w.st = storetest.Open(t, engine)
	ctx := context.Background()
	if sum, err := registry.Import(ctx, w.st, strings.NewReader(b.String()), registry.Options{}); err != nil || sum.Bad != 0 {
		t.Fatalf("import: %+v %v", sum, err)
	}
	log := slog.New(slog.DiscardHandler)
	cfg := residence.DefaultConfig()
	cfg.OTPPerHour = 100
	w.svc = residence.NewService(w.st, residence.SystemClock{}, cfg, nil, log)
	w.smsc = smsctest.Start(t, "tirkeu", "secret")
	sender, err := sms.Open(w.smsc.URL("source=1414&enquire_link=1s&reconnect_min=50ms&reconnect_max=200ms&timeout=2s"), jobs.Inbound{Service: w.svc}, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sender.Close() })
	stop, err := w.st.StartJobs(ctx, jobs.Workers(w.svc, jobs.Gateway{Sender: sender}, log))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = stop(c)
	})
	return w
}

var sixDigits = regexp.MustCompile(`\b\d{6}\b`)

// codeTo waits for the n-th message to the phone at the centre and returns
// its code and the message.
func (w *world) codeTo(t *testing.T, phone string, n int) (string, smsctest.Submit) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var got []message
	for seen := 1; len(got) < n; {
		all, err := w.smsc.WaitSubmits(ctx, seen)
		if err != nil {
			t.Fatalf("no message %d to %s at the SMS centre: %v", n, phone, err)
		}
		got = messagesTo(all, phone)
		seen = len(all) + 1
	}
	m := got[n-1]
	codes := sixDigits.FindAllString(m.text, -1)
	if len(codes) != 1 {
		t.Fatalf("message %q holds %d codes", m.text, len(codes))
	}
	return codes[0], m.first
}

// message is a whole SMS as the phone shows it: its concatenated parts.
type message struct {
	first smsctest.Submit
	text  string
	parts int
}

// messagesTo reassembles the complete messages to a phone, in order.
func messagesTo(subs []smsctest.Submit, phone string) []message {
	var out []message
	open := map[byte]*message{}
	for _, s := range subs {
		if s.DestAddr != phone {
			continue
		}
		if s.Total <= 1 {
			out = append(out, message{first: s, text: s.Text(), parts: 1})
			continue
		}
		m := open[s.Ref]
		if m == nil || s.Part == 1 {
			m = &message{first: s}
			open[s.Ref] = m
		}
		m.text += s.Text()
		m.parts++
		if m.parts == int(s.Total) {
			out = append(out, *m)
			delete(open, s.Ref)
		}
	}
	return out
}

func (w *world) application(t *testing.T, id string) residence.Application {
	t.Helper()
	var a residence.Application
	if err := w.st.View(context.Background(), func(r residence.Reader) error {
		var err error
		a, err = r.Application(context.Background(), id)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return a
}

func engines(t *testing.T, fn func(t *testing.T, engine string)) {
	for _, e := range []string{storetest.SQLite, storetest.Postgres} {
		t.Run(e, func(t *testing.T) { fn(t, e) })
	}
}

// TestConsentOverSMPP: the applicant signs with a password that arrives over
// SMPP, the owners' consent codes reach the centre from 1414 in UCS-2, and
// the owners' replies (deliver_sm) register the tenant.
func TestConsentOverSMPP(t *testing.T) {
	engines(t, func(t *testing.T, engine string) {
		w := newWorld(t, engine)
		ctx := context.Background()
		if _, err := w.svc.RequestOTP(ctx, w.iins["tenant"], residence.OTPSign); err != nil {
			t.Fatal(err)
		}
		otp, _ := w.codeTo(t, w.phone["tenant"], 1)
		app, _, err := w.svc.Submit(ctx, residence.Actor{}, residence.SubmitInput{Kind: residence.Permanent,
			ApplicantIIN: w.iins["tenant"], RKA: "RKA-J-1", OTP: otp})
		if err != nil {
			t.Fatal(err)
		}
		if app.Status != residence.StatusAwaitingConsent {
			t.Fatalf("status %s", app.Status)
		}
		codeA, subA := w.codeTo(t, w.phone["coA"], 1)
		codeB, _ := w.codeTo(t, w.phone["coB"], 1)
		if subA.SourceAddr != "1414" || subA.DataCoding != 0x08 || subA.RegisteredDelivery&1 == 0 {
			t.Fatalf("consent SMS from %q coding %#x receipt %d", subA.SourceAddr, subA.DataCoding, subA.RegisteredDelivery)
		}
		if !strings.Contains(subA.Text(), "Код согласия") {
			t.Fatalf("consent SMS text %q", subA.Text())
		}
		// Replies: one in UCS-2 with Cyrillic around the code, one in GSM-7.
		if st, err := w.smsc.DeliverText(ctx, w.phone["coA"], "1414", "Иә "+codeA, 0x08); err != nil || st != 0 {
			t.Fatalf("deliver A: %d %v", st, err)
		}
		if w.application(t, app.ID).Status != residence.StatusAwaitingConsent {
			t.Fatal("registered after one of two consents")
		}
		if st, err := w.smsc.DeliverText(ctx, w.phone["coB"], "1414", codeB, 0x00); err != nil || st != 0 {
			t.Fatalf("deliver B: %d %v", st, err)
		}
		if got := w.application(t, app.ID).Status; got != residence.StatusRegistered {
			t.Fatalf("after both replies: %s", got)
		}
		// The job records the centre's message id once the centre took the
		// message (shortly after it arrived there), and a delivery receipt
		// then marks it delivered.
		var sent residence.SMS
		deadline := time.Now().Add(20 * time.Second)
		for sent.Status != residence.SMSSent && time.Now().Before(deadline) {
			var msgs []residence.SMS
			_ = w.st.View(ctx, func(r residence.Reader) error {
				msgs, err = r.ListSMS(ctx, 100)
				return err
			})
			for _, m := range msgs {
				if m.To == w.phone["coA"] {
					sent = m
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
		if sent.Status != residence.SMSSent || sent.ProviderID == "" {
			t.Fatalf("consent SMS state %s provider %q", sent.Status, sent.ProviderID)
		}
		if _, err := w.smsc.DeliverReceipt(ctx, w.phone["coA"], sent.ProviderID, "DELIVRD", "000"); err != nil {
			t.Fatal(err)
		}
		_ = w.st.View(ctx, func(r residence.Reader) error {
			sent, err = r.SMS(ctx, sent.ID)
			return err
		})
		if sent.Status != residence.SMSDelivered {
			t.Fatalf("after the receipt: %s", sent.Status)
		}
	})
}

// TestSMSCDropsLoseNoMessage: the centre hangs up on every third submit; each
// one-time password still reaches it exactly once after the rebind.
func TestSMSCDropsLoseNoMessage(t *testing.T) {
	engines(t, func(t *testing.T, engine string) {
		w := newWorld(t, engine)
		w.smsc.OnSubmit(func(n int, _ smsctest.Submit) smsctest.Reply {
			return smsctest.Reply{DropBefore: n%3 == 0}
		})
		ctx := context.Background()
		names := []string{"x1", "x2", "x3", "x4", "x5", "x6"}
		for _, n := range names {
			if _, err := w.svc.RequestOTP(ctx, w.iins[n], residence.OTPLogin); err != nil {
				t.Fatal(err)
			}
		}
		for _, n := range names {
			w.codeTo(t, w.phone[n], 1)
		}
		all := w.smsc.Submits()
		for _, n := range names {
			if got := len(messagesTo(all, w.phone[n])); got != 1 {
				t.Errorf("%s received %d copies", n, got)
			}
		}
		if w.smsc.Binds() < 2 {
			t.Errorf("the client never rebound (%d binds)", w.smsc.Binds())
		}
	})
}
