package sms

import (
	"context"
	"fmt"
	"testing"
)

func TestOutbox(t *testing.T) {
	t.Parallel()
	o := NewOutbox()
	ctx := context.Background()
	id, err := o.Send(ctx, Message{ID: "m1", To: "77011234567", Text: "Код: 123456"})
	if err != nil || id != "outbox-m1" {
		t.Fatalf("Send = %q, %v; want outbox-m1, nil", id, err)
	}
	got := o.Messages()
	if len(got) != 1 || got[0].From != DefaultFrom || got[0].Text != "Код: 123456" {
		t.Fatalf("Messages = %+v", got)
	}

	for _, m := range []Message{
		{ID: "", To: "77011234567", Text: "x"},
		{ID: "a", To: "+77011234567", Text: "x"},
		{ID: "a", To: "123", Text: "x"},
		{ID: "a", To: "77011234567", Text: ""},
	} {
		if _, err := o.Send(ctx, m); !IsPermanent(err) {
			t.Errorf("Send(%+v) = %v; want a permanent error", m, err)
		}
	}

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := o.Send(cctx, Message{ID: "c", To: "77011234567", Text: "x"}); err == nil || IsPermanent(err) {
		t.Errorf("Send with a done context = %v; want a temporary error", err)
	}

	for i := range OutboxKeep + 5 {
		if _, err := o.Send(ctx, Message{ID: fmt.Sprint(i), To: "77011234567", Text: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	got = o.Messages()
	if len(got) != OutboxKeep || got[0].ID != "5" || got[len(got)-1].ID != fmt.Sprint(OutboxKeep+4) {
		t.Fatalf("ring: %d messages, first %q, last %q", len(got), got[0].ID, got[len(got)-1].ID)
	}
}

func TestMask(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"77011234567": "*******4567", "1414": "****", "": ""} {
		if got := Mask(in); got != want {
			t.Errorf("Mask(%q) = %q; want %q", in, got, want)
		}
	}
}
