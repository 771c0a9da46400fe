package residence

import (
	"bytes"
	"testing"
	"time"
)

func TestSigningTimeFresh(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 22, 7, 0, 0, 0, time.UTC)
	const skew = 5 * time.Minute
	tests := []struct {
		name string
		at   time.Time
		ok   bool
	}{
		{"now", now, true},
		{"a minute ago", now.Add(-time.Minute), true},
		{"exactly the skew ago", now.Add(-skew), true},
		{"exactly the skew ahead", now.Add(skew), true},
		{"just past the skew", now.Add(-skew - time.Second), false},
		{"ahead beyond the skew", now.Add(skew + time.Second), false},
		{"yesterday", now.AddDate(0, 0, -1), false},
		{"no signing time", time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := SigningTimeFresh(tt.at, now, skew)
			if tt.ok != (err == nil) {
				t.Fatalf("SigningTimeFresh(%v) = %v, want ok %v", tt.at, err, tt.ok)
			}
			if err != nil && !IsCode(err, ESignatureTime) {
				t.Fatalf("code %q, want %s", ErrorCode(err), ESignatureTime)
			}
		})
	}
}

func TestSignedFor(t *testing.T) {
	t.Parallel()
	const task = "01a2-task"
	tests := []struct {
		name    string
		body    string
		confirm bool
		field   string // "" when accepted
	}{
		{"confirm signed as confirm", `{"consent_id":"01a2-task","answer":"confirm"}`, true, ""},
		{"decline signed as decline", `{"answer":"decline","consent_id":"01a2-task"}`, false, ""},
		{"decline posted as confirm", `{"consent_id":"01a2-task","answer":"decline"}`, true, "answer"},
		{"confirm posted as decline", `{"consent_id":"01a2-task","answer":"confirm"}`, false, "answer"},
		{"old body without answer", `{"consent_id":"01a2-task"}`, true, "answer"},
		{"another task", `{"consent_id":"other","answer":"confirm"}`, true, "consent_id"},
		{"not JSON", `consent_id=01a2-task`, true, "consent_id"},
		{"answer in capitals", `{"consent_id":"01a2-task","answer":"CONFIRM"}`, true, "answer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := signedFor([]byte(tt.body), task, tt.confirm)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			e, ok := err.(*Error)
			if !ok || e.Code != "signature_invalid" || e.Field != tt.field {
				t.Fatalf("got %v, want signature_invalid on %s", err, tt.field)
			}
		})
	}
}

func TestRequestHash(t *testing.T) {
	t.Parallel()
	base := SubmitInput{Kind: Permanent, ApplicantIIN: "960920490032", RKA: "9000000000001003", Reason: "moving in", OTP: "123456"}
	h := RequestHash(base)
	same := base
	same.OTP, same.IdempotencyKey, same.Channel = "654321", "k", ChannelMobile
	if !bytes.Equal(h, RequestHash(same)) {
		t.Error("the signature, key and channel changed the request's hash")
	}
	for name, change := range map[string]func(*SubmitInput){
		"kind":       func(in *SubmitInput) { in.Kind = Temporary },
		"subject":    func(in *SubmitInput) { in.SubjectIIN = "861130390063" },
		"rka":        func(in *SubmitInput) { in.RKA = "9000000000001004" },
		"reason":     func(in *SubmitInput) { in.Reason = "moving" },
		"stay until": func(in *SubmitInput) { in.StayUntil = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC) },
		"in person":  func(in *SubmitInput) { in.InPerson = &InPersonFacts{DocumentsChecked: true} },
		// Field boundaries are part of the hash: moving text between
		// fields is another request.
		"shifted": func(in *SubmitInput) { in.RKA, in.Reason = "9000000000001003moving", " in" },
	} {
		in := base
		change(&in)
		if bytes.Equal(h, RequestHash(in)) {
			t.Errorf("changing the %s kept the hash", name)
		}
	}
}
