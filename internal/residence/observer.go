package residence

import (
	"context"
	"time"
)

// Observer is told, after each transaction of the Service commits, what it
// wrote that an operator counts: applications reaching a status, consent
// outcomes, SMS sent, failed or delivered. It is never told of a
// transaction that rolled back, nor twice of one that was retried. It is
// called on the use case's goroutine, so it must be quick and must not
// block; it cannot fail. internal/web implements it with Prometheus
// counters (the domain knows no metrics library).
type Observer interface {
	Committed(c Commit)
}

// Commit is what one committed transaction wrote, in the order written.
type Commit struct {
	// Applications are the applications created, or updated to a status
	// other than the one the transaction read (Application, LockApplication).
	Applications []Application
	// Consents are the outcomes recorded for consent requests: confirmed,
	// declined or expired.
	Consents []ConsentStatus
	// SMS are the messages created (queued) or updated (sent, delivered,
	// failed), with their new status and UpdatedAt.
	SMS []SMS
}

func (c Commit) empty() bool {
	return len(c.Applications) == 0 && len(c.Consents) == 0 && len(c.SMS) == 0
}

// Observe makes the Service tell o what each of its transactions commits.
// Call it once, before the Service serves requests. Store still returns the
// store the Service was made with.
func (s *Service) Observe(o Observer) {
	if s.unobserved == nil {
		s.unobserved = s.store
	}
	s.store = observedStore{Store: s.unobserved, obs: o}
}

// observedStore records, in each transaction, the writes an Observer is
// told of, and tells it once the transaction has committed.
type observedStore struct {
	Store
	obs Observer
}

func (o observedStore) InTx(ctx context.Context, fn func(tx Tx) error) error {
	var c Commit
	err := o.Store.InTx(ctx, func(tx Tx) error {
		c = Commit{} // InTx may retry fn: only the last attempt committed
		return fn(&observedTx{Tx: tx, c: &c, read: map[string]ApplicationStatus{}})
	})
	if err == nil && !c.empty() {
		o.obs.Committed(c)
	}
	return err
}

// observedTx is a Tx that notes what it writes into c.
type observedTx struct {
	Tx
	c    *Commit
	read map[string]ApplicationStatus // application statuses read in the transaction
}

// Facts and Pipeline pass the store's own (FactsReader, Pipeliner) on:
// the wrapper must not hide them.
func (t *observedTx) Facts(ctx context.Context, q FactsQuery) (Facts, error) {
	if fr, ok := t.Tx.(FactsReader); ok {
		return fr.Facts(ctx, q)
	}
	return readFactsOneByOne(ctx, t, q)
}

func (t *observedTx) Pipeline() {
	if p, ok := t.Tx.(Pipeliner); ok {
		p.Pipeline()
	}
}

func (t *observedTx) Application(ctx context.Context, id string) (Application, error) {
	a, err := t.Tx.Application(ctx, id)
	if err == nil {
		t.read[a.ID] = a.Status
	}
	return a, err
}

func (t *observedTx) LockApplication(ctx context.Context, id string) (Application, error) {
	a, err := t.Tx.LockApplication(ctx, id)
	if err == nil {
		t.read[a.ID] = a.Status
	}
	return a, err
}

func (t *observedTx) CreateApplication(ctx context.Context, a Application) error {
	if err := t.Tx.CreateApplication(ctx, a); err != nil {
		return err
	}
	t.c.Applications = append(t.c.Applications, a)
	t.read[a.ID] = a.Status
	return nil
}

func (t *observedTx) UpdateApplication(ctx context.Context, a Application) error {
	if err := t.Tx.UpdateApplication(ctx, a); err != nil {
		return err
	}
	if prev, ok := t.read[a.ID]; !ok || prev != a.Status {
		t.c.Applications = append(t.c.Applications, a)
	}
	t.read[a.ID] = a.Status
	return nil
}

func (t *observedTx) WithdrawApplication(ctx context.Context, id string, d Decision, at time.Time) (Application, error) {
	a, err := t.Tx.WithdrawApplication(ctx, id, d, at)
	if err != nil {
		return a, err
	}
	t.c.Applications = append(t.c.Applications, a)
	t.read[a.ID] = a.Status
	return a, nil
}

func (t *observedTx) UpdateConsentTask(ctx context.Context, c ConsentTask) error {
	if err := t.Tx.UpdateConsentTask(ctx, c); err != nil {
		return err
	}
	if c.Status != ConsentPending {
		t.c.Consents = append(t.c.Consents, c.Status)
	}
	return nil
}

func (t *observedTx) AnswerConsentTask(ctx context.Context, id string, status ConsentStatus, at time.Time, by string) error {
	if err := t.Tx.AnswerConsentTask(ctx, id, status, at, by); err != nil {
		return err
	}
	t.c.Consents = append(t.c.Consents, status)
	return nil
}

func (t *observedTx) CreateSMS(ctx context.Context, m SMS) error {
	if err := t.Tx.CreateSMS(ctx, m); err != nil {
		return err
	}
	t.c.SMS = append(t.c.SMS, m)
	return nil
}

func (t *observedTx) UpdateSMS(ctx context.Context, m SMS) error {
	if err := t.Tx.UpdateSMS(ctx, m); err != nil {
		return err
	}
	t.c.SMS = append(t.c.SMS, m)
	return nil
}
