package residence

import (
	"context"
	"errors"
)

// SMSGateway sends an SMS to the mobile network. It is implemented over
// internal/sms (the demo outbox or SMPP).
type SMSGateway interface {
	// Send hands the message to the SMS centre and returns its message id.
	Send(ctx context.Context, m SMS) (providerID string, err error)
	// Permanent reports whether err means retrying cannot help.
	Permanent(err error) bool
}

// DeliverSMS is the job that sends a queued SMS. It is idempotent: a message
// already sent, delivered or failed is left alone. A temporary failure is
// returned so the runner retries with back-off; on a permanent failure, or
// when lastAttempt is set, the message is marked failed and the applicant is
// told in their service history that the person could not be reached.
func (s *Service) DeliverSMS(ctx context.Context, gw SMSGateway, smsID string, lastAttempt bool) error {
	var m SMS
	err := s.store.View(ctx, func(r Reader) error {
		var err error
		m, err = r.SMS(ctx, smsID)
		return err
	})
	if IsCode(err, ENotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if m.Status != SMSQueued {
		return nil
	}
	providerID, sendErr := gw.Send(ctx, m)
	var retry error
	err = s.store.InTx(ctx, func(tx Tx) error {
		cur, err := tx.SMS(ctx, smsID)
		if err != nil {
			return err
		}
		if cur.Status != SMSQueued {
			return nil
		}
		cur.Attempts++
		cur.UpdatedAt = s.now()
		if sendErr == nil {
			cur.Status, cur.ProviderID, cur.LastError = SMSSent, providerID, ""
			return tx.UpdateSMS(ctx, cur)
		}
		cur.LastError = sendErr.Error()
		if !gw.Permanent(sendErr) && !lastAttempt {
			retry = errRetry{sendErr}
			return tx.UpdateSMS(ctx, cur)
		}
		cur.Status = SMSFailed
		if err := tx.UpdateSMS(ctx, cur); err != nil {
			return err
		}
		return s.smsFailedEvents(ctx, tx, cur)
	})
	if err != nil {
		return err
	}
	return retry
}

// errRetry is a temporary delivery failure, returned after the attempt and
// its error were recorded, so the job runner retries with back-off.
type errRetry struct{ err error }

func (e errRetry) Error() string { return "sms delivery will be retried: " + e.err.Error() }
func (e errRetry) Unwrap() error { return e.err }

// IsRetry reports whether err is a temporary SMS delivery failure.
func IsRetry(err error) bool {
	var r errRetry
	return errors.As(err, &r)
}

func (s *Service) smsFailedEvents(ctx context.Context, tx Tx, m SMS) error {
	sys := Actor{Role: RoleSystem}
	var evs []Event
	if m.ApplicationID != "" {
		app, err := tx.Application(ctx, m.ApplicationID)
		if err != nil && !IsCode(err, ENotFound) {
			return err
		}
		if err == nil && app.ApplicantIIN != m.RecipientIIN {
			e := s.event(EventSMSFailed, app.ApplicantIIN, sys)
			e.ApplicationID, e.RKA, e.Message = app.ID, app.RKA, textOwnerUnreachable
			evs = append(evs, e)
		}
	}
	e := s.event(EventSMSFailed, m.RecipientIIN, sys)
	e.ApplicationID, e.Message = m.ApplicationID, textSMSFailed
	evs = append(evs, e)
	return tx.AppendEvents(ctx, evs...)
}

// DeliveryReceipt records the SMS centre's delivery receipt for a message.
func (s *Service) DeliveryReceipt(ctx context.Context, providerID string, delivered bool) error {
	return s.store.InTx(ctx, func(tx Tx) error {
		m, err := tx.SMSByProviderID(ctx, providerID)
		if IsCode(err, ENotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if m.Status == SMSDelivered || m.Status == SMSFailed {
			return nil
		}
		m.UpdatedAt = s.now()
		if delivered {
			m.Status = SMSDelivered
			return tx.UpdateSMS(ctx, m)
		}
		m.Status, m.LastError = SMSFailed, "undelivered (delivery receipt)"
		if err := tx.UpdateSMS(ctx, m); err != nil {
			return err
		}
		return s.smsFailedEvents(ctx, tx, m)
	})
}
