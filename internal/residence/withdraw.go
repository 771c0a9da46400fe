package residence

import (
	"context"
	"time"
)

// Withdraw ends an application its applicant no longer wants while it waits
// for consent: the application becomes withdrawn, its open consent tasks
// are cancelled (their codes answer conflict from then on), and the
// decision goes to the applicant's and the subject's histories and, as a
// notification, to each person whose answer was awaited. Nothing is
// registered or deregistered.
//
// Only the applicant, signed in, may withdraw (not the subject, an owner or
// staff); only while the application awaits consent. The change is one
// conditional UPDATE (Tx.WithdrawApplication) in the transaction that
// cancels the tasks, so a consent that arrives at the same moment either
// completes the application first (and withdrawing answers conflict) or
// finds it withdrawn and its task cancelled (and answers conflict).
// Errors: unauthenticated, forbidden, not_found, conflict (no longer
// pending).
func (s *Service) Withdraw(ctx context.Context, actor Actor, id string) (Application, error) {
	if actor.Role == "" {
		return Application{}, unauthenticated()
	}
	if actor.Role != RoleCitizen {
		return Application{}, forbidden()
	}
	var app Application
	err := s.store.InTx(ctx, func(tx Tx) error {
		a, err := tx.Application(ctx, id)
		if err != nil {
			return err
		}
		if a.ApplicantIIN != actor.IIN {
			return &Error{Code: EForbidden, Text: textNotApplicant}
		}
		if a.Status != StatusAwaitingConsent {
			return &Error{Code: EConflict, Text: textNotWithdrawable}
		}
		app, err = tx.WithdrawApplication(ctx, id, WithdrawnDecision(), s.now())
		if IsCode(err, EConflict) {
			return &Error{Code: EConflict, Text: textNotWithdrawable, Err: err}
		}
		if err != nil {
			return err
		}
		tasks, err := tx.ConsentTasks(ctx, id)
		if err != nil {
			return err
		}
		evs := s.decidedEvents(actor, app)
		for _, t := range tasks {
			if t.Status != ConsentPending && t.Status != ConsentLocked {
				continue
			}
			// The application's row is locked by the UPDATE above, so no
			// answer runs meanwhile; an answer that came first left its
			// task answered and the application not pending.
			if err := tx.AnswerConsentTask(ctx, t.ID, ConsentCancelled, time.Time{}, ""); err != nil {
				return err
			}
			if t.OwnerIIN != "" && t.OwnerIIN != actor.IIN {
				e := s.event(EventNotification, t.OwnerIIN, actor)
				e.ApplicationID, e.RKA, e.Message = app.ID, app.RKA, msgWithdrawnNotice
				evs = append(evs, e)
			}
		}
		// A consent request still waiting in the SMS queue is not sent:
		// the owner would be asked about an application that is gone.
		if _, err := tx.CancelQueuedSMS(ctx, app.ID, "cancelled: the application was withdrawn", s.now()); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, evs...)
	})
	if err != nil {
		return Application{}, err
	}
	return ApplicationFor(actor, app), nil
}

// WithdrawnDecision is the final decision of an application its applicant
// withdrew (status withdrawn, no rule: nothing was refused).
func WithdrawnDecision() Decision {
	return Decision{Status: StatusWithdrawn, Message: msgWithdrawn, Next: nxtWithdrawn}
}

var (
	msgWithdrawn = Text{
		KK: "Өтінішті өтініш беруші қайтарып алды. Тіркеу жасалмады, келісім сұраулары тоқтатылды.",
		RU: "Заявление отозвано заявителем. Регистрация не оформлена, запросы согласия отменены.",
		EN: "The applicant withdrew the application. No registration was made and the consent requests were cancelled.",
	}
	nxtWithdrawn = Text{
		KK: "Кез келген уақытта жаңа өтініш беруге болады.",
		RU: "Новое заявление можно подать в любое время.",
		EN: "You can make a new application at any time.",
	}
	msgWithdrawnNotice = Text{
		KK: "Сізден келісім сұралған өтінішті өтініш беруші қайтарып алды: жауап берудің қажеті жоқ.",
		RU: "Заявитель отозвал заявление, на которое у вас запрашивали согласие: отвечать не нужно.",
		EN: "The applicant withdrew the application your consent was asked for: no answer is needed.",
	}
	textNotApplicant = Text{
		KK: "Өтінішті тек оны берген адам қайтарып ала алады.",
		RU: "Отозвать заявление может только тот, кто его подал.",
		EN: "Only the person who made the application can withdraw it.",
	}
	textNotWithdrawable = Text{
		KK: "Өтінішті тек келісім күтіп тұрғанда қайтарып алуға болады; ол қазір шешілген.",
		RU: "Отозвать можно только заявление, ожидающее согласия; это заявление уже решено.",
		EN: "Only an application that awaits consent can be withdrawn; this one has been decided.",
	}
)
