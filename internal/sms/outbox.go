package sms

import (
	"context"
	"sync"
)

// Outbox is the development Sender: it accepts every valid message at once
// and returns the provider id "outbox-<id>". The service stores the
// messages themselves and lists them at /dev/sms; Outbox only keeps the
// last few in memory for tests (Messages). It never logs a text.
type Outbox struct {
	mu   sync.Mutex
	ring []Message
	next int
	full bool
}

// OutboxKeep is how many messages NewOutbox keeps for Messages.
const OutboxKeep = 100

// NewOutbox returns an Outbox that remembers the last OutboxKeep messages.
func NewOutbox() *Outbox { return &Outbox{ring: make([]Message, OutboxKeep)} }

// Send accepts m. It fails permanently for an invalid message (no id, a
// recipient that is not an MSISDN, an empty text), as the SMPP sender
// would, and temporarily when ctx is already done.
func (o *Outbox) Send(ctx context.Context, m Message) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", temporary("submit", err)
	}
	if err := validate(&m); err != nil {
		return "", err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.ring) > 0 {
		o.ring[o.next] = m
		o.next = (o.next + 1) % len(o.ring)
		if o.next == 0 {
			o.full = true
		}
	}
	return "outbox-" + m.ID, nil
}

// Messages returns the messages kept, oldest first.
func (o *Outbox) Messages() []Message {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []Message
	if o.full {
		out = append(out, o.ring[o.next:]...)
	}
	return append(out, o.ring[:o.next]...)
}

// Close does nothing; an Outbox stays usable.
func (o *Outbox) Close() error { return nil }

var _ Sender = (*Outbox)(nil)
