package sms

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// DefaultFrom is the sender of every message of the service.
const DefaultFrom = "1414"

// Message is one outgoing text. ID is the service's id of the message (it
// makes the Outbox provider id and, for SMPP, the concatenation reference
// of a long text, so that a retry reuses it). To is the recipient's MSISDN
// as digits only, country code first ("77011234567"). From defaults to
// DefaultFrom.
type Message struct {
	ID, To, From, Text string
}

// Sender delivers messages to an SMS centre. Send blocks until the centre
// accepted or refused m, or ctx ends, and returns the centre's id for it.
// A non-nil error is permanent when IsPermanent says so and temporary
// otherwise; Send never returns an error for a message the centre has
// acknowledged. Send is safe for concurrent use. Close releases the
// connection; Send after Close returns a temporary error.
type Sender interface {
	Send(ctx context.Context, m Message) (providerID string, err error)
	Close() error
}

// Handler receives what the SMS centre delivers: replies to 1414 and
// delivery receipts. A handler error makes the SMS centre deliver the same
// message again later, so a handler must be idempotent and should fail only
// when it could not record the message (a database outage), not when the
// text makes no sense.
type Handler interface {
	// ReceiveSMS gets a mobile-originated text: from is the sender's MSISDN
	// (digits), to is the number it was sent to ("1414").
	ReceiveSMS(ctx context.Context, from, to, text string) error
	// DeliveryReceipt reports the final or intermediate state of a message
	// sent earlier: providerID is the id Send returned, delivered is true
	// for the DELIVRD state, detail is the state (DELIVRD, UNDELIV,
	// EXPIRED, REJECTD, DELETED, UNKNOWN, ACCEPTD, ENROUTE) with the error
	// code when the centre gave one ("UNDELIV err:001").
	DeliveryReceipt(ctx context.Context, providerID string, delivered bool, detail string) error
}

// Error is the error of a Send. Status is the SMPP command_status the SMS
// centre answered with (0 when the failure is not the centre's answer).
// Temporary errors are worth retrying, no sooner than RetryAfter when it is
// set.
type Error struct {
	Op         string // what failed: "validate", "encode", "connect", "submit"
	Status     uint32
	Temporary  bool
	RetryAfter time.Duration
	Err        error
}

// Error describes the failure without the message text or the number.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("sms: ")
	b.WriteString(e.Op)
	if e.Status != 0 {
		fmt.Fprintf(&b, ": status 0x%08X (%s)", e.Status, StatusName(e.Status))
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	if e.Temporary {
		b.WriteString(" (temporary)")
	} else {
		b.WriteString(" (permanent)")
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Causes wrapped by *Error.
var (
	// ErrInvalidMessage means the message cannot be sent as it is: an empty
	// or malformed number, an empty id or text.
	ErrInvalidMessage = errors.New("invalid message")
	// ErrNotBound means no SMPP session was bound in time.
	ErrNotBound = errors.New("not bound to the SMS centre")
	// ErrConnectionLost means the connection closed before the SMS centre
	// answered; the message may or may not have been accepted.
	ErrConnectionLost = errors.New("connection lost before the answer")
	// ErrTimeout means the SMS centre did not answer in time; the message
	// may or may not have been accepted.
	ErrTimeout = errors.New("no answer from the SMS centre in time")
	// ErrThrottled means the SMS centre asked us to slow down.
	ErrThrottled = errors.New("throttled by the SMS centre")
	// ErrClosed means the sender was closed.
	ErrClosed = errors.New("sender closed")
	// ErrPartial means some parts of a long text were accepted and the
	// rest could not be sent; a retry resends every part with the same
	// concatenation reference.
	ErrPartial = errors.New("long message partly sent")
)

// IsPermanent reports whether err says the message can never be sent as it
// is, so retrying is useless. It is false for nil, for temporary errors and
// for any error that is not an *Error (a context error, say): when in doubt,
// retry.
func IsPermanent(err error) bool {
	var e *Error
	return errors.As(err, &e) && !e.Temporary
}

// RetryAfter returns how long the SMS centre asked us to wait before the
// next attempt (after throttling), or 0.
func RetryAfter(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) && e.Temporary {
		return e.RetryAfter
	}
	return 0
}

func permanent(op string, err error) *Error { return &Error{Op: op, Err: err} }
func temporary(op string, err error) *Error { return &Error{Op: op, Err: err, Temporary: true} }

// validate checks what every sender needs: an id, digits for the
// recipient, and a text.
func validate(m *Message) error {
	if m.From == "" {
		m.From = DefaultFrom
	}
	if m.ID == "" {
		return permanent("validate", fmt.Errorf("%w: empty id", ErrInvalidMessage))
	}
	if !ValidMSISDN(m.To) {
		return permanent("validate", fmt.Errorf("%w: recipient %s is not an MSISDN", ErrInvalidMessage, Mask(m.To)))
	}
	if m.Text == "" {
		return permanent("validate", fmt.Errorf("%w: empty text", ErrInvalidMessage))
	}
	if len(m.From) > 20 {
		return permanent("validate", fmt.Errorf("%w: sender too long", ErrInvalidMessage))
	}
	return nil
}

// ValidMSISDN reports whether s looks like an MSISDN: 10 to 15 ASCII digits,
// country code first, no plus sign.
func ValidMSISDN(s string) bool {
	if len(s) < 10 || len(s) > 15 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Mask returns s with every character but the last four replaced by '*',
// for logs ("*******4567"). Strings of four characters or fewer are masked
// entirely.
func Mask(s string) string {
	r := []rune(s)
	if len(r) <= 4 {
		return strings.Repeat("*", len(r))
	}
	return strings.Repeat("*", len(r)-4) + string(r[len(r)-4:])
}
