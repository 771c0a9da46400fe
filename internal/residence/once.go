package residence

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"time"
)

var (
	textSignatureReused = Text{
		KK: "Бұл ЭЦҚ қолтаңбасы бұрын пайдаланылған. Сұрауға қайта қол қойыңыз.",
		RU: "Эта подпись ЭЦП уже использована. Подпишите запрос заново.",
		EN: "This EDS signature has been used already. Sign the request again.",
	}
	textSignatureNoTime = Text{
		KK: "ЭЦҚ қолтаңбасында қол қою уақыты жоқ. Қол қою уақытын қосатын бағдарламамен қайта қол қойыңыз.",
		RU: "В подписи ЭЦП нет времени подписания. Подпишите заново программой, которая его указывает.",
		EN: "The EDS signature carries no signing time. Sign again with software that includes it.",
	}
	textSignatureStale = Text{
		KK: "ЭЦҚ қолтаңбасының уақыты сервер уақытынан тым алшақ. Сұрауға қазір қайта қол қойыңыз.",
		RU: "Время подписи ЭЦП слишком далеко от времени сервера. Подпишите запрос заново сейчас.",
		EN: "The EDS signing time is too far from the server's clock. Sign the request again now.",
	}
	textIdempotencyMismatch = Text{
		KK: "Бұл Idempotency-Key басқа өтінішке қолданылған. Жаңа өтініш үшін жаңа кілт алыңыз.",
		RU: "Этот Idempotency-Key уже использован для другого заявления. Для нового заявления нужен новый ключ.",
		EN: "This Idempotency-Key was used for another application. Use a new key for a new application.",
	}
	textSignedOtherAnswer = Text{
		KK: "Қолтаңба басқа жауапқа қойылған: қол қойылған мәтіндегі answer осы сұрауға сәйкес келуі керек (confirm немесе decline).",
		RU: "Подпись поставлена под другим ответом: answer в подписанном тексте должен совпадать с этим запросом (confirm или decline).",
		EN: "The signature is for another answer: the signed answer must match this request (confirm or decline).",
	}
)

// SigningTimeFresh is the rule on an EDS signature's signing time: it must
// be present and within skew of now, either way. A signature made long ago
// (or dated ahead) is not a fresh act of will: a captured signature cannot
// be held back and posted later, and the window also bounds what the
// used-signature record has to remember against a signer's clock.
func SigningTimeFresh(at, now time.Time, skew time.Duration) error {
	if at.IsZero() {
		return &Error{Code: ESignatureTime, Field: "signature", Text: textSignatureNoTime}
	}
	if d := at.Sub(now); d > skew || d < -skew {
		return &Error{Code: ESignatureTime, Field: "signature", Text: textSignatureStale}
	}
	return nil
}

// useSignature records in tx that the verified signature authorised this
// change; a signature recorded before is refused with signature_reused (the
// database's unique key decides, so two concurrent replays cannot both pass).
func (s *Service) useSignature(ctx context.Context, tx Tx, info SignerInfo, purpose string) error {
	err := tx.UseSignature(ctx, UsedSignature{Digest: info.Digest, Purpose: purpose, SignerIIN: info.IIN, UsedAt: s.now()})
	if IsCode(err, EConflict) {
		return &Error{Code: ESignatureReused, Field: "signature", Text: textSignatureReused, Err: err}
	}
	return err
}

// RequestHash is the hash of what an application asks for (not how it is
// signed), stored with its Idempotency-Key: a later request with the key is
// the same request only when its hash is the same.
func RequestHash(in SubmitInput) []byte {
	h := sha256.New()
	field := func(s string) {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.DateOnly)
	}
	field("application/v1")
	field(string(in.Kind))
	field(in.ApplicantIIN)
	field(in.SubjectIIN)
	field(in.RKA)
	field(in.Reason)
	field(date(in.StayFrom))
	field(date(in.StayUntil))
	field(date(in.ArrivedOn))
	if p := in.InPerson; p != nil {
		field("in_person")
		field(boolString(p.DocumentsChecked))
		field(boolString(p.OwnersConsentInWriting))
	}
	return h.Sum(nil)
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// replay decides, in tx, whether an application stored under the request's
// Idempotency-Key is answered to this request: only when the request's own
// signature proves the applicant again, and then only when it asks for the
// same thing (its RequestHash; another body is idempotency_mismatch). The
// signature is checked first, so that one who holds the key but not the
// applicant's code learns nothing, not even whether a guessed body is the
// stored one. An EDS signature and a staff actor were checked before the
// transaction. A one-time password must be the code of the password that
// signed the stored application or of the applicant's current unused one
// (a retry signed anew); each try counts an attempt on that password like
// any other. It returns false (with d's error) when the code is wrong.
func (s *Service) replay(ctx context.Context, tx Tx, d *deferred, a Application, in SubmitInput, hash []byte) (bool, error) {
	if in.OTP != "" {
		var ids []string
		if a.OTPID != "" {
			ids = append(ids, a.OTPID)
		}
		o, err := tx.LatestOTP(ctx, in.ApplicantIIN, OTPSign, s.clientTag(ctx))
		switch {
		case err == nil && o.ID != a.OTPID && o.UsedAt.IsZero() && !o.Locked && s.now().Before(o.ExpiresAt):
			ids = append(ids, o.ID)
		case err != nil && !IsCode(err, ENotFound):
			return false, err
		}
		refusal := &Error{Code: EOTPInvalid, Field: "otp", Text: codeText(EOTPInvalid)}
		for _, id := range ids {
			if refusal, err = s.tryOTP(ctx, tx, id, in.OTP, false); err != nil {
				return false, err
			}
			if refusal == nil {
				break
			}
		}
		if refusal != nil {
			return false, d.fail(refusal)
		}
	}
	if len(a.IdempotencyHash) > 0 && !hmac.Equal(a.IdempotencyHash, hash) {
		return false, &Error{Code: EIdempotencyMismatch, Field: "Idempotency-Key", Text: textIdempotencyMismatch}
	}
	return true, nil
}

// tryOTP tries a code against the one-time password id: the attempt is
// counted by the database first (Tx.TryOTP), and only a counted attempt is
// compared, so however many requests race, at most MaxAttempts codes are
// ever evaluated. A wrong code on the last attempt locks the password. With
// use, a right code also marks the password used (Tx.UseOTP), which only
// one request can do. It returns the refusal (nil when the code is right);
// the caller lets the transaction commit with it, so that the counted
// attempt stays although the use case fails.
func (s *Service) tryOTP(ctx context.Context, tx Tx, id, code string, use bool) (*Error, error) {
	o, ok, err := tx.TryOTP(ctx, id, s.cfg.MaxAttempts)
	if err != nil {
		return nil, err
	}
	if !ok {
		return &Error{Code: ELocked, Field: "otp", Text: codeText(ELocked)}, nil
	}
	if !codeMatches(s.cfg.Secret, "otp", o.ID, code, o.CodeHash) {
		if o.Attempts >= s.cfg.MaxAttempts {
			if err := tx.LockOTP(ctx, o.ID); err != nil {
				return nil, err
			}
			return &Error{Code: ELocked, Field: "otp", Text: codeText(ELocked)}, nil
		}
		return &Error{Code: EOTPInvalid, Field: "otp", Text: codeText(EOTPInvalid)}, nil
	}
	if use {
		err := tx.UseOTP(ctx, o.ID, s.now())
		if IsCode(err, EConflict) {
			// Another request with the same code came first.
			return &Error{Code: EOTPInvalid, Field: "otp", Text: codeText(EOTPInvalid)}, nil
		}
		if err != nil {
			return nil, err
		}
	}
	return nil, nil
}

// signedFor checks that an EDS-signed consent answer names the task it
// answers and the answer it gives ({"consent_id": "...", "answer":
// "confirm"|"decline"}), so that a signature captured for one request
// cannot be replayed on another task, nor a signed refusal posted as
// consent. A body without answer is refused.
func signedFor(content []byte, taskID string, confirm bool) error {
	var body struct {
		ConsentID string `json:"consent_id"`
		Answer    string `json:"answer"`
	}
	if err := json.Unmarshal(content, &body); err != nil || body.ConsentID != taskID {
		return &Error{Code: ESignatureInvalid, Field: "consent_id", Text: textSignedForOther}
	}
	want := "decline"
	if confirm {
		want = "confirm"
	}
	if body.Answer != want {
		return &Error{Code: ESignatureInvalid, Field: "answer", Text: textSignedOtherAnswer}
	}
	return nil
}
