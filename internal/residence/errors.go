package residence

import (
	"errors"
	"fmt"
)

// Error codes. The set is closed: every code an *Error carries is one of
// these constants, and internal/web answers each with the HTTP status of its
// one table (web.statusByCode); a code outside the set is answered as a 500
// internal error and fails web's TestErrorCodes. Declare a new code here, in
// that table and in the ErrorCode schema of internal/api/openapi.json. A
// code is stable: clients and tests match on it.
const (
	EInvalid         = "invalid"
	ENotFound        = "not_found"
	EConflict        = "conflict"
	EForbidden       = "forbidden"
	EUnauthenticated = "unauthenticated"
	EInternal        = "internal"
	ENoMCDPhone      = "no_mcd_phone"
	EOTPInvalid      = "otp_invalid"
	ELocked          = "locked"
	EExpired         = "expired"
	ERateLimited     = "rate_limited"
	EUnavailable     = "unavailable"
	// EPurposeMissing (403): an agency's read that its token's purposes
	// (Purpose) do not cover.
	EPurposeMissing = "purpose_missing"
	// EUnknownPerson: an IIN in the request is not in the persons registry.
	EUnknownPerson = "unknown_person"

	// Refusals that keep a signature or a request from being used twice.

	// ESignatureReused: this EDS signature already authorised a change
	// (409). Sign again.
	ESignatureReused = "signature_reused"
	// ESignatureTime: the EDS signature carries no signing time, or one
	// further from the server's clock than Config.SignatureSkew (422).
	ESignatureTime = "signature_time"
	// EIdempotencyMismatch: the Idempotency-Key was used by the applicant
	// for another request (409).
	EIdempotencyMismatch = "idempotency_mismatch"
	// EChallengeReused: a second attempt to sign in with an EDS sign-in
	// challenge already redeemed (409).
	EChallengeReused = "challenge_reused"

	// EDS verification (internal/eds) and who the signer is.

	// ESignatureInvalid: the CMS is malformed, is not a detached signature
	// over the submitted bytes, or the signature does not verify.
	ESignatureInvalid = "signature_invalid"
	// ECertificateUntrusted: the signer certificate does not chain to a
	// configured trust root, or does not follow the NCA profile.
	ECertificateUntrusted = "certificate_untrusted"
	// ECertificateExpired: the certificate (or one in its chain) was expired
	// or not yet valid at signing time.
	ECertificateExpired = "certificate_expired"
	// ECertificateRevoked: the CRL or OCSP responder says it is revoked.
	ECertificateRevoked = "certificate_revoked"
	// EKeyUsage: the certificate is not meant for signing (an authentication
	// key, for instance).
	EKeyUsage = "key_usage"
	// ERevocationUnavailable: neither OCSP nor the CRL could tell whether the
	// certificate is revoked. It is the service's trouble, not the client's:
	// 503 with Retry-After.
	ERevocationUnavailable = "revocation_unavailable"
	// ESignerNotApplicant: the signer's IIN is not the applicant's.
	ESignerNotApplicant = "signer_not_applicant"
	// ESignerNotRepresentative: the signer may not sign for the organisation.
	ESignerNotRepresentative = "signer_not_representative"

	// The request itself, refused by internal/web and the handlers.

	// EInvalidJSON: the body is not one valid JSON object.
	EInvalidJSON = "invalid_json"
	// EBodyTooLarge: the body exceeds the limit of the route.
	EBodyTooLarge = "body_too_large"
	// EUnsupportedMediaType: the body is not JSON.
	EUnsupportedMediaType = "unsupported_media_type"
	// EMethodNotAllowed: the route exists but not with this method.
	EMethodNotAllowed = "method_not_allowed"
)

// Error is the domain's one error type. Code is stable and machine-readable;
// Text is a safe message for the person who made the request, in kk, ru and
// en; Err, when set, is the internal cause, kept for logs and never shown.
type Error struct {
	Code  string
	Text  Text
	Field string // the input field at fault, when there is one
	Err   error
}

// Error returns the code, the English message and the cause.
func (e *Error) Error() string {
	s := e.Code
	if e.Text.EN != "" {
		s += ": " + e.Text.EN
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the internal cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the code and an English message; the Kazakh
// and Russian messages fall back to the generic text for the code.
func Errorf(code string, format string, args ...any) *Error {
	t := codeText(code)
	t.EN = fmt.Sprintf(format, args...)
	return &Error{Code: code, Text: t}
}

// NewError returns an *Error with a fully translated message.
func NewError(code string, text Text) *Error { return &Error{Code: code, Text: text} }

// Unavailable is the error for a service that cannot answer now (its
// database unreachable, busy or too slow for the request): a 503 with
// Retry-After, in every language, cause kept as the internal reason.
func Unavailable(cause error) *Error {
	return &Error{Code: EUnavailable, Text: codeText(EUnavailable), Err: cause}
}

// ErrorCode returns the code of the first *Error in err's chain, EInternal for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrorText returns the safe message of err for a client: the *Error's text,
// or a generic message that reveals nothing for any other error.
func ErrorText(err error) Text {
	var e *Error
	if errors.As(err, &e) {
		return e.Text
	}
	return codeText(EInternal)
}

// IsCode reports whether err carries the code.
func IsCode(err error, code string) bool { return ErrorCode(err) == code }

// ErrNotFound is returned by Store methods when the row does not exist. Wrap
// it or compare with IsCode(err, ENotFound).
var ErrNotFound = &Error{Code: ENotFound, Text: codeText(ENotFound)}

// ErrConflict is returned by Store methods when a uniqueness or state
// invariant enforced by the database refuses a write.
var ErrConflict = &Error{Code: EConflict, Text: codeText(EConflict)}

func codeText(code string) Text {
	switch code {
	case ENotFound:
		return Text{KK: "Сұралған жазба табылмады.", RU: "Запрошенная запись не найдена.", EN: "The requested record was not found."}
	case EConflict:
		return Text{KK: "Сұрау ағымдағы деректерге қайшы келеді. Қайталап көріңіз.", RU: "Запрос противоречит текущим данным. Повторите попытку.", EN: "The request conflicts with the current data. Please try again."}
	case EForbidden:
		return Text{KK: "Бұл әрекетке құқығыңыз жоқ.", RU: "У вас нет прав на это действие.", EN: "You are not allowed to do this."}
	case EUnauthenticated:
		return Text{KK: "Жүйеге кіріңіз.", RU: "Войдите в систему.", EN: "Please sign in."}
	case EInvalid:
		return Text{KK: "Деректер қате толтырылған.", RU: "Данные заполнены неверно.", EN: "The data is not valid."}
	case ENoMCDPhone:
		return Text{KK: "Сіздің телефон нөміріңіз мобильді азаматтар базасында тіркелмеген. ЭЦҚ арқылы қол қойыңыз.", RU: "Ваш номер телефона не зарегистрирован в базе мобильных граждан. Подпишите с помощью ЭЦП.", EN: "Your phone number is not in the Mobile Citizens Database. Sign with a digital signature (EDS) instead."}
	case EOTPInvalid:
		return Text{KK: "Бір реттік құпия сөз қате немесе мерзімі өткен.", RU: "Одноразовый пароль неверен или истёк.", EN: "The one-time password is wrong or has expired."}
	case ELocked:
		return Text{KK: "Тым көп қате әрекет. Жаңа код сұраңыз.", RU: "Слишком много неверных попыток. Запросите новый код.", EN: "Too many wrong attempts. Request a new code."}
	case EExpired:
		return Text{KK: "Мерзімі өтіп кетті.", RU: "Срок истёк.", EN: "The time limit has passed."}
	case ERateLimited:
		return Text{KK: "Тым көп сұрау. Кейінірек қайталаңыз.", RU: "Слишком много запросов. Повторите позже.", EN: "Too many requests. Please try again later."}
	case EUnavailable:
		return Text{KK: "Қызмет уақытша қолжетімсіз. Кейінірек қайталаңыз.", RU: "Сервис временно недоступен. Повторите позже.", EN: "The service is temporarily unavailable. Please try again later."}
	default:
		return Text{KK: "Ішкі қате. Кейінірек қайталаңыз.", RU: "Внутренняя ошибка. Повторите позже.", EN: "Internal error. Please try again later."}
	}
}
