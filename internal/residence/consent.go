package residence

import (
	"context"
	"strings"
	"time"
	"unicode"
)

// ConsentAnswer is an owner's answer to a consent task: the SMS code, or an
// EDS signature, from the owner (or, for a petition, a representative).
type ConsentAnswer struct {
	Code string
	EDS  *EDS
}

// ConfirmConsent records an owner's consent. When it is the last consent the
// application needs, the person is registered in the same transaction (or,
// for an owner-initiated deregistration, deregistered).
//
// The answer is authenticated by the code (which only the owner's phone
// received) or by an EDS signature of the owner or, for a petition, of a
// representative of the organisation; a signed-in actor who is not the owner
// is refused. Errors: not_found, forbidden, otp_invalid, locked (attempts are
// counted even though the call fails), expired, conflict (already answered).
func (s *Service) ConfirmConsent(ctx context.Context, actor Actor, taskID string, ans ConsentAnswer) (Application, error) {
	return s.answerConsent(ctx, actor, taskID, ans, true)
}

// DeclineConsent records an owner's refusal; the application is rejected
// (rule CONSENT_DECLINED). It is authenticated like ConfirmConsent; a
// signed-in owner may decline without a code.
func (s *Service) DeclineConsent(ctx context.Context, actor Actor, taskID string, ans ConsentAnswer) (Application, error) {
	return s.answerConsent(ctx, actor, taskID, ans, false)
}

func (s *Service) answerConsent(ctx context.Context, actor Actor, taskID string, ans ConsentAnswer, confirm bool) (Application, error) {
	var signer string
	var info SignerInfo
	if ans.EDS != nil {
		var err error
		if info, err = s.verify(ctx, *ans.EDS); err != nil {
			return Application{}, err
		}
		if err := signedFor(ans.EDS.Content, taskID, confirm); err != nil {
			return Application{}, err
		}
		signer = info.IIN
		actor = Actor{Role: RoleCitizen, IIN: info.IIN}
	}
	var app Application
	var d deferred
	err := s.store.InTx(ctx, func(tx Tx) error {
		d = deferred{} // InTx may run fn again
		t, err := tx.ConsentTask(ctx, taskID)
		if err != nil {
			return err
		}
		// The application's row lock orders every answer to its tasks, its
		// expiry and its completion: what follows reads what the answer
		// before committed, so the application completes once.
		if app, err = tx.LockApplication(ctx, t.ApplicationID); err != nil {
			return err
		}
		if t, err = tx.ConsentTask(ctx, taskID); err != nil {
			return err
		}
		owner, err := s.mayAnswer(ctx, tx, actor, t)
		if err != nil {
			return err
		}
		if !answerable(t, signer != "", !confirm && owner && ans.Code == "") {
			if t.Status == ConsentLocked {
				return &Error{Code: ELocked, Field: "code", Text: textConsentLocked}
			}
			return &Error{Code: EConflict, Text: textConsentNotPending}
		}
		if !s.now().Before(t.ExpiresAt) {
			if err := s.expireTask(ctx, tx, &app, t); err != nil {
				return err
			}
			return d.fail(&Error{Code: EExpired, Text: textConsentExpired})
		}
		switch {
		case signer != "":
			// The signature is the answer. A petition must be signed with the
			// organisation's certificate by someone allowed to sign for it.
			if t.OwnerBIN != "" && !mayPetition(info, t.OwnerBIN) {
				return &Error{Code: ESignerNotRepresentative, Text: textNotRepresentative}
			}
			if err := s.useSignature(ctx, tx, info, SignedConsent); err != nil {
				return err
			}
		case ans.Code != "":
			ok, err := s.tryConsentCode(ctx, tx, &d, t, ans.Code)
			if err != nil || !ok {
				return err
			}
		case !confirm && owner:
			// A signed-in owner may decline without a code.
		default:
			return &Error{Code: EInvalid, Field: "code", Text: textCodeRequired}
		}
		return s.applyAnswer(ctx, tx, actor, &app, t, confirm)
	})
	if err == nil {
		err = d.err
	}
	return app, err
}

// answerable reports whether task t can take an answer now: a pending task
// takes any; a task locked by wrong codes takes no more codes, but still an
// EDS answer (byEDS) and a signed-in owner's or subject's decline
// (sessionDecline). So a stranger who burns the attempts with wrong codes
// cannot take away the answer of the person whose consent it is.
func answerable(t ConsentTask, byEDS, sessionDecline bool) bool {
	switch t.Status {
	case ConsentPending:
		return true
	case ConsentLocked:
		return byEDS || sessionDecline
	}
	return false
}

// tryConsentCode tries a code against a pending task: the database counts
// the attempt first (Tx.TryConsentCode) and only a counted attempt is
// compared, so at most MaxAttempts codes are ever evaluated; a wrong code on
// the last attempt locks the task. Refusals go through d, so that the
// attempt commits although the use case fails.
func (s *Service) tryConsentCode(ctx context.Context, tx Tx, d *deferred, t ConsentTask, code string) (bool, error) {
	t, ok, err := tx.TryConsentCode(ctx, t.ID, s.cfg.MaxAttempts)
	if err != nil {
		return false, err
	}
	if !ok {
		if t.Status == ConsentPending || t.Status == ConsentLocked {
			return false, d.fail(&Error{Code: ELocked, Field: "code", Text: codeText(ELocked)})
		}
		return false, &Error{Code: EConflict, Text: textConsentNotPending}
	}
	if codeMatches(s.cfg.Secret, "consent", t.ID, code, t.CodeHash) {
		return true, nil
	}
	if t.Attempts >= s.cfg.MaxAttempts {
		if err := tx.AnswerConsentTask(ctx, t.ID, ConsentLocked, time.Time{}, ""); err != nil {
			return false, err
		}
		return false, d.fail(&Error{Code: ELocked, Field: "code", Text: codeText(ELocked)})
	}
	return false, d.fail(&Error{Code: EOTPInvalid, Field: "code", Text: codeText(EOTPInvalid)})
}

// mayAnswer checks who answers a task: the owner in person, a representative
// of the owning organisation, or anyone holding the code (anonymous). It
// reports whether the actor is identified as the owner.
func (s *Service) mayAnswer(ctx context.Context, r Reader, actor Actor, t ConsentTask) (bool, error) {
	switch actor.Role {
	case "":
		return false, nil
	case RoleCitizen:
		if t.OwnerIIN != "" && t.OwnerIIN == actor.IIN {
			return true, nil
		}
		if t.OwnerBIN != "" {
			org, err := r.Organisation(ctx, t.OwnerBIN)
			if err != nil {
				return false, err
			}
			for _, rep := range org.Representatives {
				if rep == actor.IIN {
					return true, nil
				}
			}
		}
	}
	return false, &Error{Code: EForbidden, Text: textNotOwner}
}

// applyAnswer records the answer and moves the application on.
func (s *Service) applyAnswer(ctx context.Context, tx Tx, actor Actor, app *Application, t ConsentTask, confirm bool) error {
	now := s.now()
	t.AnsweredAt, t.AnsweredBy = now, actor.IIN
	if confirm {
		t.Status = ConsentConfirmed
	} else {
		t.Status = ConsentDeclined
	}
	// Only a pending task takes an answer: of two answers, the second finds
	// it answered (conflict) and writes nothing.
	err := tx.AnswerConsentTask(ctx, t.ID, t.Status, now, actor.IIN)
	if IsCode(err, EConflict) {
		return &Error{Code: EConflict, Text: textConsentNotPending, Err: err}
	}
	if err != nil {
		return err
	}
	ev := s.event(EventConsentAnswered, app.ApplicantIIN, actor)
	ev.ApplicationID, ev.RKA = app.ID, app.RKA
	ev.Message = consentAnsweredMessage(confirm)
	ev.Data = jobArgs(map[string]any{"task_id": t.ID, "status": t.Status})
	if err := tx.AppendEvents(ctx, ev); err != nil {
		return err
	}
	if app.Status != StatusAwaitingConsent {
		return nil
	}
	tasks, err := tx.ConsentTasks(ctx, app.ID)
	if err != nil {
		return err
	}
	if !confirm {
		dec := ConsentDeclinedDecision()
		if t.Kind == ConsentKindSubject {
			dec = SubjectDeclinedDecision()
		}
		return s.closeWaiting(ctx, tx, actor, app, tasks, dec)
	}
	for _, other := range tasks {
		if other.Status != ConsentConfirmed {
			return nil // still waiting for someone
		}
	}
	return s.complete(ctx, tx, actor, app)
}

// closeWaiting ends an application that waited for consent with a final
// decision (declined or expired): the other pending tasks are cancelled and
// the decision goes to the service histories.
func (s *Service) closeWaiting(ctx context.Context, tx Tx, actor Actor, app *Application, tasks []ConsentTask, dec Decision) error {
	for _, o := range tasks {
		if o.Status == ConsentPending || o.Status == ConsentLocked {
			err := tx.AnswerConsentTask(ctx, o.ID, ConsentCancelled, time.Time{}, "")
			if err != nil && !IsCode(err, EConflict) {
				return err
			}
		}
	}
	app.Decision = dec
	app.Status, app.UpdatedAt = dec.Status, s.now()
	if err := tx.UpdateApplication(ctx, *app); err != nil {
		return err
	}
	return tx.AppendEvents(ctx, s.decidedEvents(actor, *app)...)
}

// expireTask marks a task expired and, if the application still waits, the
// application too (rule CONSENT_EXPIRED); the other pending tasks are
// cancelled. The caller holds the application's lock (LockApplication), so
// no answer to t runs meanwhile.
func (s *Service) expireTask(ctx context.Context, tx Tx, app *Application, t ConsentTask) error {
	t.Status = ConsentExpired
	if err := tx.UpdateConsentTask(ctx, t); err != nil {
		return err
	}
	if app.Status != StatusAwaitingConsent {
		return nil
	}
	tasks, err := tx.ConsentTasks(ctx, app.ID)
	if err != nil {
		return err
	}
	sys := Actor{Role: RoleSystem}
	dec := ConsentExpiredDecision()
	if t.Kind == ConsentKindSubject {
		dec.Message = msgSubjectExpired
	}
	if err := s.closeWaiting(ctx, tx, sys, app, tasks, dec); err != nil {
		return err
	}
	e := s.event(EventConsentExpired, app.ApplicantIIN, sys)
	e.ApplicationID, e.RKA, e.Message = app.ID, app.RKA, app.Decision.Message
	return tx.AppendEvents(ctx, e)
}

// ExpireConsent is the job that runs at a task's deadline. It is idempotent:
// a task already answered or expired is left alone. It returns ErrNotDue when
// run before the deadline, so the runner tries again later.
func (s *Service) ExpireConsent(ctx context.Context, taskID string) error {
	return s.store.InTx(ctx, func(tx Tx) error {
		t, err := tx.ConsentTask(ctx, taskID)
		if IsCode(err, ENotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if t.Status != ConsentPending && t.Status != ConsentLocked {
			return nil
		}
		if s.now().Before(t.ExpiresAt) {
			return ErrNotDue
		}
		// Under the application's lock, as the answers: an answer that
		// committed meanwhile is seen, and the task is left alone.
		app, err := tx.LockApplication(ctx, t.ApplicationID)
		if err != nil {
			return err
		}
		if t, err = tx.ConsentTask(ctx, taskID); err != nil {
			return err
		}
		if t.Status != ConsentPending && t.Status != ConsentLocked {
			return nil
		}
		return s.expireTask(ctx, tx, &app, t)
	})
}

// ReceiveSMS handles an SMS sent to 1414 from a phone: a reply holding the
// code of a pending consent task of that phone's owner confirms it; a reply
// that is a decline word declines the owner's oldest pending task. It is the
// one path for SMPP deliver_sm and the demo's POST /dev/sms/reply. It returns
// the application answered. Errors: not_found (nothing pending for the
// phone), otp_invalid, locked, expired.
func (s *Service) ReceiveSMS(ctx context.Context, from, text string) (Application, error) {
	from = NormalizePhone(from)
	code, hasCode := ExtractCode(text)
	decline := isDeclineWord(text)
	if !hasCode && !decline {
		return Application{}, Errorf(EInvalid, "the reply holds neither a six-digit code nor a decline word")
	}
	var tasks []ConsentTask
	var owner Person
	err := s.store.View(ctx, func(r Reader) error {
		persons, err := r.PersonsByPhone(ctx, from)
		if err != nil {
			return err
		}
		for _, p := range persons {
			ts, err := r.PendingConsentTasksFor(ctx, p.IIN)
			if err != nil {
				return err
			}
			if len(ts) > 0 && len(tasks) == 0 {
				owner = p
			}
			tasks = append(tasks, ts...)
		}
		return nil
	})
	if err != nil {
		return Application{}, err
	}
	if len(tasks) == 0 {
		return Application{}, &Error{Code: ENotFound, Text: textNothingPending}
	}
	actor := Actor{Role: RoleCitizen, IIN: owner.IIN}
	if decline {
		// The phone is the owner's: its decline is the owner's, even on a
		// task a stranger locked with wrong codes.
		return s.DeclineConsent(ctx, actor, tasks[0].ID, ConsentAnswer{})
	}
	// The code identifies the task among the phone's pending ones; locked
	// tasks take no codes. Tasks still within their hour come first, so
	// that one whose hour has passed (its expiry job not yet run) never
	// shadows a live task that happens to have the same code; a late reply
	// with the code of a passed task still hears that it expired.
	now := s.now()
	var live, passed []ConsentTask
	for _, t := range tasks {
		switch {
		case t.Status != ConsentPending:
		case now.Before(t.ExpiresAt):
			live = append(live, t)
		default:
			passed = append(passed, t)
		}
	}
	pending := append(live, passed...)
	if len(pending) == 0 {
		return Application{}, &Error{Code: ELocked, Field: "code", Text: textConsentLocked}
	}
	for _, t := range pending {
		if codeMatches(s.cfg.Secret, "consent", t.ID, code, t.CodeHash) {
			return s.ConfirmConsent(ctx, actor, t.ID, ConsentAnswer{Code: code})
		}
	}
	// A wrong code counts against the oldest live task (the oldest passed
	// one when none is live).
	return s.ConfirmConsent(ctx, actor, pending[0].ID, ConsentAnswer{Code: code})
}

// NormalizePhone reduces a phone number to its MSISDN digits in the form of
// the Mobile Citizens Database (7XXXXXXXXXX): "+7 701 123 45 67" and
// "87011234567" both become "77011234567".
func NormalizePhone(p string) string {
	var b strings.Builder
	for _, r := range p {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	d := b.String()
	if len(d) == 11 && d[0] == '8' {
		d = "7" + d[1:]
	}
	if len(d) == 10 && d[0] == '7' {
		d = "7" + d
	}
	return d
}

// ExtractCode returns the one run of exactly six ASCII digits in text, the
// code an owner or applicant sends back to 1414. Runs of other lengths (a
// date, a time, a flat number) are ignored; ok is false when text holds no
// such run or more than one, because then the reply is ambiguous.
func ExtractCode(text string) (code string, ok bool) {
	n, run := 0, 0
	for i := 0; i <= len(text); i++ {
		if i < len(text) && text[i] >= '0' && text[i] <= '9' {
			run++
			continue
		}
		if run == CodeDigits {
			code = text[i-run : i]
			n++
		}
		run = 0
	}
	if n != 1 {
		return "", false
	}
	return code, true
}

// DeclineWords are the replies that decline a consent request: "no" in
// Kazakh, Russian and English. ЖОК is ЖОҚ typed on a keyboard without Kazakh
// letters, which is how many phones send it.
var DeclineWords = []string{"ЖОҚ", "ЖОК", "НЕТ", "NO"}

// isDeclineWord reports whether text, trimmed of spaces, punctuation and
// control characters, is one of DeclineWords compared with Unicode case
// folding ("жоқ", "Нет.", "no!" all match).
func isDeclineWord(text string) bool {
	t := strings.TrimFunc(text, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsControl(r)
	})
	if t == "" {
		return false
	}
	for _, w := range DeclineWords {
		if strings.EqualFold(t, w) {
			return true
		}
	}
	return false
}

// mayPetition reports whether a certificate may sign a petition for the
// organisation: it names the organisation's BIN and carries the role of its
// head or of a person with the right to sign (NCA RK profile). An employee
// certificate alone is not enough.
func mayPetition(info SignerInfo, bin string) bool {
	if info.BIN != bin {
		return false
	}
	for _, r := range info.Roles {
		if r == SignerHead || r == SignerSigningRight {
			return true
		}
	}
	return false
}

var (
	textNotRepresentative = Text{
		KK: "Өтінішхатқа ұйымның басшысы немесе қол қою құқығы бар өкілі ұйымның ЭЦҚ-сымен қол қоюы керек.",
		RU: "Ходатайство должен подписать руководитель организации или представитель с правом подписи, ЭЦП организации.",
		EN: "The petition must be signed with the organisation's digital signature by its head or a representative with the right to sign.",
	}
	textConsentLocked = Text{
		KK: "Қате код тым көп рет енгізілді, сондықтан бұл сұрау енді код қабылдамайды. Жеке кабинетке кіріп бас тартуға немесе ЭЦҚ-мен жауап беруге болады.",
		RU: "Слишком много раз введён неверный код, поэтому этот запрос больше не принимает коды. Можно отказать, войдя в личный кабинет, или ответить ЭЦП.",
		EN: "Too many wrong codes were entered, so this request takes no more codes. You can still decline it signed in to your account, or answer it with an EDS.",
	}
	textSignedForOther = Text{
		KK: "Қол қойылған мәтінде осы келісім сұрауының нөмірі (consent_id) болуы керек.",
		RU: "Подписанный текст должен содержать номер этого запроса согласия (consent_id).",
		EN: "The signed body must name this consent request (consent_id).",
	}
)
