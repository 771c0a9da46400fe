// Package jobs runs tirkeu's durable background work on River: consent
// expiry at its deadline, SMS delivery with retries (and the end of a
// temporary registration, for jobs queued by earlier versions). It also
// holds the sweeper that ends temporary registrations after their last
// day, whoever made them, and the handler of inbound SMS (replies to 1414 and delivery receipts). Jobs are
// inserted by the domain in the transaction of the change that needs them
// (residence.Tx.Enqueue); the workers here call back into
// residence.Service, whose job methods are idempotent, so a job that runs
// twice (after a crash between its work and its completion) does no harm.
package jobs

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"tirkeu/internal/residence"
	"tirkeu/internal/sms"
)

// ConsentExpireArgs are the arguments of residence.JobConsentExpire.
type ConsentExpireArgs struct {
	TaskID string `json:"task_id"`
}

// Kind returns the job kind.
func (ConsentExpireArgs) Kind() string { return residence.JobConsentExpire }

// SMSDeliverArgs are the arguments of residence.JobSMSDeliver.
type SMSDeliverArgs struct {
	SMSID string `json:"sms_id"`
}

// Kind returns the job kind.
func (SMSDeliverArgs) Kind() string { return residence.JobSMSDeliver }

// RegistrationExpireArgs are the arguments of residence.JobRegistrationExpire.
type RegistrationExpireArgs struct {
	RegistrationID string `json:"registration_id"`
}

// Kind returns the job kind.
func (RegistrationExpireArgs) Kind() string { return residence.JobRegistrationExpire }

// Gateway adapts an sms.Sender to the domain's SMSGateway.
type Gateway struct{ Sender sms.Sender }

// Send hands the message to the sender.
func (g Gateway) Send(ctx context.Context, m residence.SMS) (string, error) {
	return g.Sender.Send(ctx, sms.Message{ID: m.ID, To: m.To, From: m.From, Text: m.Text})
}

// Permanent reports whether a send error cannot be helped by retrying.
func (g Gateway) Permanent(err error) bool { return sms.IsPermanent(err) }

// Workers returns the River workers for every job kind of the service.
func Workers(svc *residence.Service, gw residence.SMSGateway, log *slog.Logger) *river.Workers {
	w := river.NewWorkers()
	river.AddWorker(w, &consentExpire{svc: svc})
	river.AddWorker(w, &smsDeliver{svc: svc, gw: gw, log: log})
	// No registration enqueues this job any more (the Sweeper ends them);
	// its worker stays so that the jobs earlier versions queued in a
	// deployed database still run. ExpireRegistration is idempotent, so a
	// job for a registration the sweep ended already does nothing.
	river.AddWorker(w, &registrationExpire{svc: svc})
	return w
}

// notDue turns the domain's ErrNotDue into a River snooze, so a job that
// fires early (clock skew between nodes) runs again shortly.
func notDue(err error, in time.Duration) error {
	if errors.Is(err, residence.ErrNotDue) {
		return river.JobSnooze(in)
	}
	return err
}

type consentExpire struct {
	river.WorkerDefaults[ConsentExpireArgs]
	svc *residence.Service
}

func (w *consentExpire) Work(ctx context.Context, j *river.Job[ConsentExpireArgs]) error {
	return notDue(w.svc.ExpireConsent(ctx, j.Args.TaskID), 5*time.Second)
}

type registrationExpire struct {
	river.WorkerDefaults[RegistrationExpireArgs]
	svc *residence.Service
}

func (w *registrationExpire) Work(ctx context.Context, j *river.Job[RegistrationExpireArgs]) error {
	return notDue(w.svc.ExpireRegistration(ctx, j.Args.RegistrationID), time.Minute)
}

type smsDeliver struct {
	river.WorkerDefaults[SMSDeliverArgs]
	svc *residence.Service
	gw  residence.SMSGateway
	log *slog.Logger
}

func (w *smsDeliver) Work(ctx context.Context, j *river.Job[SMSDeliverArgs]) error {
	last := j.Attempt >= j.MaxAttempts
	err := w.svc.DeliverSMS(ctx, w.gw, j.Args.SMSID, last)
	if err != nil && residence.IsRetry(err) {
		w.log.Warn("sms delivery will be retried", "sms_id", j.Args.SMSID, "attempt", j.Attempt, "error", err.Error())
		if d := sms.RetryAfter(errors.Unwrap(err)); d > 0 {
			return river.JobSnooze(d)
		}
	}
	return err
}

// NextRetry spaces SMS retries: 1s, 2s, 4s … capped at five minutes, so a
// brief SMSC outage delays codes by seconds, not River's default minutes.
func (w *smsDeliver) NextRetry(j *river.Job[SMSDeliverArgs]) time.Time {
	d := time.Second << min(max(j.Attempt-1, 0), 9)
	if d > 5*time.Minute {
		d = 5 * time.Minute
	}
	return time.Now().Add(d)
}

// Inbound routes SMS replies to 1414 and delivery receipts from the SMS
// centre to the service; it is the sms.Handler of the running service.
type Inbound struct {
	Service *residence.Service
}

// ReceiveSMS hands a reply to the consent path. A reply the service cannot
// use (no pending request, a wrong code) is acknowledged, not redelivered:
// only a failure of the service itself asks the SMS centre to try again.
func (in Inbound) ReceiveSMS(ctx context.Context, from, _ string, text string) error {
	_, err := in.Service.ReceiveSMS(ctx, from, text)
	switch residence.ErrorCode(err) {
	case "", residence.EInternal, residence.EUnavailable:
		return err
	}
	return nil
}

// DeliveryReceipt records the centre's receipt for a sent message.
func (in Inbound) DeliveryReceipt(ctx context.Context, providerID string, delivered bool, _ string) error {
	return in.Service.DeliveryReceipt(ctx, providerID, delivered)
}

var _ sms.Handler = Inbound{}

// Sweeper ends every temporary registration whose period has passed
// (residence.Service.SweepExpiredRegistrations): it is the one mechanism
// for that, for the service's registrations and those the registry import
// loaded alike (a registration enqueues no job of its own). It sweeps at
// start (catching up after downtime), at every midnight in Almaty — the
// moment the registrations whose last day was yesterday end
// (residence.NextDay of the service's injected clock) — and every Every in
// between, so a missed wake-up costs minutes, not a day. Several nodes may
// sweep at once: the sweep is idempotent.
type Sweeper struct {
	Service *residence.Service
	Every   time.Duration // 10 minutes when zero
	Log     *slog.Logger
	// After, when set, replaces time.After between sweeps: a test sees
	// the wait the sweeper asks for and decides when it ends.
	After func(d time.Duration) <-chan time.Time
}

// Wait returns how long the sweeper waits, at now, before its next sweep:
// until the next midnight in Almaty, at most every.
func Wait(now time.Time, every time.Duration) time.Duration {
	return min(residence.NextDay(now).Sub(now), every)
}

// Start sweeps once at once and then as Sweeper says until stop is called;
// stop waits for a sweep in progress to end.
func (s Sweeper) Start(ctx context.Context) (stop func()) {
	every := s.Every
	if every <= 0 {
		every = 10 * time.Minute
	}
	log := s.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	after := s.After
	if after == nil {
		after = time.After
	}
	clock := s.Service.Clock()
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			s.sweep(ctx, log)
			select {
			case <-ctx.Done():
				return
			case <-after(Wait(clock.Now(), every)):
			}
		}
	}()
	return func() { cancel(); <-done }
}

// Sweep runs one sweep and returns how many registrations it ended.
func (s Sweeper) Sweep(ctx context.Context) (int, error) {
	return s.Service.SweepExpiredRegistrations(ctx)
}

func (s Sweeper) sweep(ctx context.Context, log *slog.Logger) {
	n, err := s.Sweep(ctx)
	switch {
	case err != nil && ctx.Err() == nil:
		log.Error("expiry sweep", "error", err.Error(), "ended", n)
	case n > 0:
		log.Info("expiry sweep", "ended", n)
	}
}
