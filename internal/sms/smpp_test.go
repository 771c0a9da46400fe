package sms

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"tirkeu/internal/sms/smsctest"
)

const testMSISDN = "77011234567"

// recorder is a Handler that records what it receives and fails the first
// failN calls.
type recorder struct {
	mu       sync.Mutex
	failN    int
	mo       []mo
	receipts []receipt
	changed  chan struct{}
}

type mo struct{ from, to, text string }

type receipt struct {
	id        string
	delivered bool
	detail    string
}

func newRecorder() *recorder { return &recorder{changed: make(chan struct{})} }

func (r *recorder) fail() bool {
	if r.failN > 0 {
		r.failN--
		return true
	}
	return false
}

func (r *recorder) ReceiveSMS(_ context.Context, from, to, text string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail() {
		return errors.New("database down")
	}
	r.mo = append(r.mo, mo{from, to, text})
	close(r.changed)
	r.changed = make(chan struct{})
	return nil
}

func (r *recorder) DeliveryReceipt(_ context.Context, id string, delivered bool, detail string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail() {
		return errors.New("database down")
	}
	r.receipts = append(r.receipts, receipt{id, delivered, detail})
	close(r.changed)
	r.changed = make(chan struct{})
	return nil
}

func (r *recorder) snapshot() ([]mo, []receipt) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]mo(nil), r.mo...), append([]receipt(nil), r.receipts...)
}

// testLogger discards logs unless the test runs with -v.
func testLogger(tb testing.TB) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(tWriter{tb}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

type tWriter struct{ tb testing.TB }

func (w tWriter) Write(p []byte) (int, error) {
	w.tb.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// setup starts a fake SMS centre and an SMPP client bound to it.
func setup(tb testing.TB, query string) (*SMPP, *smsctest.Server, *recorder, context.Context) {
	tb.Helper()
	srv := smsctest.Start(tb, "tirkeu", "secret")
	rec := newRecorder()
	// The first value of a parameter wins, so query overrides the defaults.
	q := query + "&timeout=2s&reconnect_min=10ms&reconnect_max=100ms&throttle=50ms&enquire_link=5s"
	s, err := Open(srv.URL(q), rec, testLogger(tb))
	if err != nil {
		tb.Fatal(err)
	}
	c := s.(*SMPP)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	tb.Cleanup(func() {
		_ = c.Close()
		cancel()
	})
	if err := c.WaitBound(ctx); err != nil {
		tb.Fatalf("WaitBound: %v", err)
	}
	return c, srv, rec, ctx
}

func ucs2(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	return b
}

func TestSMPPSendUCS2(t *testing.T) {
	t.Parallel()
	c, srv, _, ctx := setup(t, "")
	text := "Тіркеуге келісім коды: 123456. Ешкімге айтпаңыз."
	id, err := c.Send(ctx, Message{ID: "sms-1", To: testMSISDN, Text: text})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	subs := srv.Submits()
	if len(subs) != 1 {
		t.Fatalf("SMSC got %d submits; want 1", len(subs))
	}
	s := subs[0]
	if id != s.MessageID || id == "" {
		t.Errorf("provider id %q; SMSC message_id %q", id, s.MessageID)
	}
	if s.SourceAddr != "1414" || s.SourceTON != 3 || s.SourceNPI != 0 {
		t.Errorf("source %q ton %d npi %d; want 1414 3 0", s.SourceAddr, s.SourceTON, s.SourceNPI)
	}
	if s.DestAddr != testMSISDN || s.DestTON != 1 || s.DestNPI != 1 {
		t.Errorf("dest %q ton %d npi %d; want %s 1 1", s.DestAddr, s.DestTON, s.DestNPI, testMSISDN)
	}
	if s.DataCoding != 0x08 || s.RegisteredDelivery != 1 || s.EsmClass != 0 || s.UDH != nil {
		t.Errorf("data_coding 0x%02X registered_delivery %d esm_class 0x%02X udh %x; want 0x08 1 0x00 none",
			s.DataCoding, s.RegisteredDelivery, s.EsmClass, s.UDH)
	}
	if want := ucs2(text); string(s.ShortMessage) != string(want) {
		t.Errorf("short_message\n got % X\nwant % X", s.ShortMessage, want)
	}
}

func TestSMPPSendGSM7(t *testing.T) {
	t.Parallel()
	c, srv, _, ctx := setup(t, "")
	if _, err := c.Send(ctx, Message{ID: "sms-2", To: testMSISDN, Text: "Code 123456 [1414]"}); err != nil {
		t.Fatal(err)
	}
	s := srv.Submits()[0]
	// '[' and ']' are in the extension table: ESC 0x3C and ESC 0x3E.
	want := []byte("Code 123456 \x1b\x3c1414\x1b\x3e")
	if s.DataCoding != 0 || string(s.ShortMessage) != string(want) {
		t.Errorf("data_coding 0x%02X short_message % X; want 0x00 % X", s.DataCoding, s.ShortMessage, want)
	}

	c2, srv2, _, ctx2 := setup(t, "gsm7=false")
	if _, err := c2.Send(ctx2, Message{ID: "sms-3", To: testMSISDN, Text: "Code 123456"}); err != nil {
		t.Fatal(err)
	}
	if s := srv2.Submits()[0]; s.DataCoding != 8 || s.Text() != "Code 123456" {
		t.Errorf("gsm7=false: data_coding 0x%02X text %q", s.DataCoding, s.Text())
	}
}

func TestSMPPSendLongCyrillic(t *testing.T) {
	t.Parallel()
	c, srv, _, ctx := setup(t, "")
	text := strings.Repeat("Құрметті азамат, тіркеу туралы өтінішіңіз қабылданды. ", 3) // 159 characters
	id, err := c.Send(ctx, Message{ID: "long-1", To: testMSISDN, Text: text})
	if err != nil {
		t.Fatal(err)
	}
	subs := srv.Submits()
	if len(subs) != 3 {
		t.Fatalf("SMSC got %d parts; want 3", len(subs))
	}
	if id != subs[0].MessageID {
		t.Errorf("provider id %q; want the first part's %q", id, subs[0].MessageID)
	}
	var got strings.Builder
	ref := subs[0].Ref
	for i, s := range subs {
		if s.DataCoding != 8 || s.EsmClass&0x40 == 0 {
			t.Errorf("part %d: data_coding 0x%02X esm_class 0x%02X", i+1, s.DataCoding, s.EsmClass)
		}
		want := []byte{0x05, 0x00, 0x03, ref, 3, byte(i + 1)}
		if string(s.UDH) != string(want) || s.Total != 3 || s.Part != byte(i+1) {
			t.Errorf("part %d: UDH % X; want % X", i+1, s.UDH, want)
		}
		if len(s.ShortMessage) > 134 {
			t.Errorf("part %d: %d octets of text; at most 134", i+1, len(s.ShortMessage))
		}
		got.WriteString(s.Text())
	}
	if got.String() != text {
		t.Errorf("reassembled %q; want %q", got.String(), text)
	}
	if ref != concatRef("long-1") {
		t.Errorf("reference %d; want concatRef(id) %d", ref, concatRef("long-1"))
	}
}

func TestSMPPReceiveSMS(t *testing.T) {
	t.Parallel()
	_, srv, rec, ctx := setup(t, "")
	tests := []struct {
		text   string
		coding byte
	}{
		{"Жоқ", 8},
		{"654321", 0},
		{"Нет, не согласен", 8},
	}
	for _, tt := range tests {
		st, err := srv.DeliverText(ctx, testMSISDN, "1414", tt.text, tt.coding)
		if err != nil || st != 0 {
			t.Fatalf("DeliverText(%q) = 0x%X, %v; want 0, nil", tt.text, st, err)
		}
	}
	got, _ := rec.snapshot()
	if len(got) != len(tests) {
		t.Fatalf("handler got %d texts; want %d", len(got), len(tests))
	}
	for i, tt := range tests {
		if got[i] != (mo{testMSISDN, "1414", tt.text}) {
			t.Errorf("ReceiveSMS %d = %+v; want from %s to 1414 text %q", i, got[i], testMSISDN, tt.text)
		}
	}
}

func TestSMPPHandlerFailureAsksForRedelivery(t *testing.T) {
	t.Parallel()
	_, srv, rec, ctx := setup(t, "")
	rec.mu.Lock()
	rec.failN = 1
	rec.mu.Unlock()
	st, err := srv.DeliverText(ctx, testMSISDN, "1414", "123456", 0)
	if err != nil || st != statusXTAppn {
		t.Fatalf("first delivery: status 0x%X, %v; want ESME_RX_T_APPN", st, err)
	}
	st, err = srv.DeliverText(ctx, testMSISDN, "1414", "123456", 0)
	if err != nil || st != 0 {
		t.Fatalf("redelivery: status 0x%X, %v; want 0", st, err)
	}
	if got, _ := rec.snapshot(); len(got) != 1 {
		t.Fatalf("handler recorded %d texts; want 1", len(got))
	}
}

func TestSMPPDeliveryReceipt(t *testing.T) {
	t.Parallel()
	c, srv, rec, ctx := setup(t, "")
	id1, err := c.Send(ctx, Message{ID: "r1", To: testMSISDN, Text: "Код 111111"})
	if err != nil {
		t.Fatal(err)
	}
	id2, err := c.Send(ctx, Message{ID: "r2", To: testMSISDN, Text: "Код 222222"})
	if err != nil {
		t.Fatal(err)
	}
	if st, err := srv.DeliverReceipt(ctx, testMSISDN, id1, "DELIVRD", "000"); err != nil || st != 0 {
		t.Fatalf("receipt 1: 0x%X, %v", st, err)
	}
	if st, err := srv.DeliverReceipt(ctx, testMSISDN, id2, "UNDELIV", "001"); err != nil || st != 0 {
		t.Fatalf("receipt 2: 0x%X, %v", st, err)
	}
	_, got := rec.snapshot()
	want := []receipt{{id1, true, "DELIVRD"}, {id2, false, "UNDELIV err:001"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("receipts %+v; want %+v", got, want)
	}
}

// TestSMPPDropsExactlyOnce drives messages through an SMS centre that keeps
// dropping the connection, before reading a submit or right after
// answering it, while the caller retries temporary errors as the delivery
// job does. Every message must reach the centre exactly once.
func TestSMPPDropsExactlyOnce(t *testing.T) {
	t.Parallel()
	c, srv, _, ctx := setup(t, "window=4&reconnect_max=20ms")
	srv.OnSubmit(func(n int, _ smsctest.Submit) smsctest.Reply {
		switch {
		case n%7 == 3:
			return smsctest.Reply{DropBefore: true}
		case n%5 == 0:
			return smsctest.Reply{DropAfter: true}
		}
		return smsctest.Reply{}
	})
	const n = 60
	var wg sync.WaitGroup
	errs := make(chan error, n)
	var mu sync.Mutex
	temporaries := 0
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m := Message{ID: fmt.Sprintf("m%02d", i), To: testMSISDN, Text: fmt.Sprintf("message m%02d", i)}
			for {
				_, err := c.Send(ctx, m)
				if err == nil {
					return
				}
				if IsPermanent(err) || ctx.Err() != nil {
					errs <- fmt.Errorf("%s: %w", m.ID, err)
					return
				}
				mu.Lock()
				temporaries++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	count := map[string]int{}
	for _, s := range srv.Submits() {
		count[strings.TrimPrefix(s.Text(), "message ")]++
	}
	for i := range n {
		if id := fmt.Sprintf("m%02d", i); count[id] != 1 {
			t.Errorf("%s reached the SMSC %d times; want 1", id, count[id])
		}
	}
	if srv.Binds() < 5 || temporaries == 0 {
		t.Errorf("%d binds, %d temporary errors: the drops did not happen", srv.Binds(), temporaries)
	}
	t.Logf("%d binds, %d temporary errors retried", srv.Binds(), temporaries)
}

// TestSMPPLostAnswer shows the at-least-once edge: the centre accepts a
// message and the connection dies before its answer, so Send reports a
// temporary error and the retry sends it a second time.
func TestSMPPLostAnswer(t *testing.T) {
	t.Parallel()
	c, srv, _, ctx := setup(t, "")
	srv.OnSubmit(func(n int, _ smsctest.Submit) smsctest.Reply {
		return smsctest.Reply{LoseAnswer: n == 1}
	})
	m := Message{ID: "lost", To: testMSISDN, Text: "Код 333333"}
	_, err := c.Send(ctx, m)
	if err == nil || IsPermanent(err) || !errors.Is(err, ErrConnectionLost) {
		t.Fatalf("Send = %v; want a temporary ErrConnectionLost", err)
	}
	if _, err := c.Send(ctx, m); err != nil {
		t.Fatalf("retry: %v", err)
	}
	if got := len(srv.Submits()); got != 2 {
		t.Fatalf("SMSC has %d copies; want 2 (the documented duplicate)", got)
	}
}

func TestSMPPThrottling(t *testing.T) {
	t.Parallel()
	c, srv, _, ctx := setup(t, "")
	srv.OnSubmit(func(n int, _ smsctest.Submit) smsctest.Reply {
		if n <= 2 {
			return smsctest.Reply{Status: 0x58} // ESME_RTHROTTLED
		}
		return smsctest.Reply{}
	})
	m := Message{ID: "t1", To: testMSISDN, Text: "Код 444444"}
	_, err := c.Send(ctx, m)
	if err == nil || IsPermanent(err) || !errors.Is(err, ErrThrottled) || RetryAfter(err) <= 0 {
		t.Fatalf("Send = %v (retry after %v); want a temporary ErrThrottled with a pause", err, RetryAfter(err))
	}
	// During the pause Send refuses at once, without troubling the centre.
	if _, err := c.Send(ctx, m); !errors.Is(err, ErrThrottled) {
		t.Fatalf("Send during the pause = %v; want ErrThrottled", err)
	}
	var id string
	for attempt := 0; ; attempt++ {
		if attempt > 20 {
			t.Fatal("no success after 20 attempts")
		}
		id, err = c.Send(ctx, m)
		if err == nil {
			break
		}
		if !errors.Is(err, ErrThrottled) {
			t.Fatalf("Send = %v; want ErrThrottled or success", err)
		}
		select {
		case <-time.After(RetryAfter(err)): // the caller's back-off, as the job does
		case <-ctx.Done():
			t.Fatal(ctx.Err())
		}
	}
	if subs := srv.Submits(); len(subs) != 1 || subs[0].MessageID != id {
		t.Fatalf("SMSC accepted %d; want 1 with id %q", len(subs), id)
	}
}

func TestSMPPPermanentErrors(t *testing.T) {
	t.Parallel()
	c, srv, _, ctx := setup(t, "")
	srv.OnSubmit(func(int, smsctest.Submit) smsctest.Reply { return smsctest.Reply{Status: 0x0B} }) // ESME_RINVDSTADR
	_, err := c.Send(ctx, Message{ID: "p1", To: testMSISDN, Text: "x"})
	var e *Error
	if !IsPermanent(err) || !errors.As(err, &e) || e.Status != 0x0B {
		t.Fatalf("Send = %v; want a permanent ESME_RINVDSTADR", err)
	}
	if _, err := c.Send(ctx, Message{ID: "p2", To: "+7701", Text: "x"}); !IsPermanent(err) {
		t.Fatalf("Send to a bad number = %v; want permanent", err)
	}
	if _, err := c.Send(ctx, Message{ID: "p3", To: testMSISDN, Text: strings.Repeat("ж", 70*MaxParts)}); !IsPermanent(err) {
		t.Fatalf("Send of a huge text = %v; want permanent", err)
	}
	if !strings.Contains(err.Error(), "ESME_RINVDSTADR") && strings.Contains(err.Error(), testMSISDN) {
		t.Errorf("error %q leaks the number", err)
	}
}

func TestSMPPEnquireLink(t *testing.T) {
	t.Parallel()
	_, srv, _, ctx := setup(t, "enquire_link=20ms")
	if err := srv.WaitEnquireLinks(ctx, 3); err != nil {
		t.Fatalf("enquire_link: %v", err)
	}
}

func TestSMPPRebindAndClose(t *testing.T) {
	t.Parallel()
	c, srv, _, ctx := setup(t, "")
	srv.Drop()
	if err := srv.WaitBinds(ctx, 2); err != nil {
		t.Fatalf("no rebind after a drop: %v", err)
	}
	if err := c.WaitBound(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Send(ctx, Message{ID: "after", To: testMSISDN, Text: "ok"}); err != nil {
		t.Fatalf("Send after rebind: %v", err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Send(ctx, Message{ID: "closed", To: testMSISDN, Text: "x"}); err == nil || IsPermanent(err) {
		t.Fatalf("Send after Close = %v; want a temporary error", err)
	}
	if c.Bound() {
		t.Error("still bound after Close")
	}
	_ = c.Close()
}

func TestSMPPBindRefused(t *testing.T) {
	t.Parallel()
	srv := smsctest.Start(t, "tirkeu", "secret")
	url := srv.URL("timeout=100ms&reconnect_min=10ms&reconnect_max=50ms")
	srv.Password = "other" // before any connection: the bind is refused
	s, err := Open(url, newRecorder(), testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err = s.Send(ctx, Message{ID: "x", To: testMSISDN, Text: "x"})
	if !errors.Is(err, ErrNotBound) || IsPermanent(err) {
		t.Fatalf("Send = %v; want a temporary ErrNotBound", err)
	}
}

func TestOpen(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{"", "outbox"} {
		s, err := Open(raw, nil, nil)
		if _, ok := s.(*Outbox); !ok || err != nil {
			t.Errorf("Open(%q) = %T, %v; want *Outbox", raw, s, err)
		}
	}
	for _, raw := range []string{
		"http://a:b@localhost:2775",
		"smpp://localhost:2775",
		"smpp://id:pw@localhost",
		"smpp://id:pw@localhost:2775?bind=tx",
		"smpp://id:pw@localhost:2775?window=0",
		"smpp://id:pw@localhost:2775?enquire_link=soon",
		"smpp://id:pw@localhost:2775?source_ton=300",
		"smpp://id:toolongpassword@localhost:2775",
	} {
		if _, err := Open(raw, nil, nil); err == nil {
			t.Errorf("Open(%q) succeeded; want an error", raw)
		} else if strings.Contains(err.Error(), "toolongpassword") {
			t.Errorf("Open error %q shows the password", err)
		}
	}
}

func TestParseURL(t *testing.T) {
	t.Parallel()
	c, err := ParseURL("smpp://tirkeu:s3cret@smsc.example:2775?source=1414&source_ton=5&source_npi=0&dest_ton=1&dest_npi=1&bind=trx&enquire_link=15s&window=20&timeout=3s")
	if err != nil {
		t.Fatal(err)
	}
	want := Config{Addr: "smsc.example:2775", SystemID: "tirkeu", Password: "s3cret", Source: "1414", SourceTON: 5, SourceNPI: 0,
		DestTON: 1, DestNPI: 1, EnquireLink: 15 * time.Second, Window: 20, Timeout: 3 * time.Second,
		ReconnectMin: DefaultReconnectMin, ReconnectMax: DefaultReconnectMax, Throttle: DefaultThrottle, GSM7: true}
	if c != want {
		t.Errorf("ParseURL =\n%+v\nwant\n%+v", c, want)
	}
}

// TestSMPPLongTextSurvivesDrop: the centre hangs up right after taking the
// first part; Send finishes the other parts on the next session with the
// same reference and succeeds, each part reaching the centre once.
func TestSMPPLongTextSurvivesDrop(t *testing.T) {
	t.Parallel()
	c, srv, _, ctx := setup(t, "")
	srv.OnSubmit(func(n int, _ smsctest.Submit) smsctest.Reply {
		return smsctest.Reply{DropAfter: n == 1}
	})
	text := strings.Repeat("Өтінішіңіз қабылданды. ", 8)
	id, err := c.Send(ctx, Message{ID: "long-drop", To: testMSISDN, Text: text})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	subs := srv.Submits()
	if len(subs) != 3 || id != subs[0].MessageID || srv.Binds() < 2 {
		t.Fatalf("%d parts, %d binds, id %q; want 3 parts over 2 binds", len(subs), srv.Binds(), id)
	}
	var got strings.Builder
	for i, s := range subs {
		if s.Part != byte(i+1) || s.Ref != subs[0].Ref {
			t.Errorf("part %d: number %d ref %d", i+1, s.Part, s.Ref)
		}
		got.WriteString(s.Text())
	}
	if got.String() != text {
		t.Errorf("reassembled text differs")
	}
}
