// Package web is tirkeu's HTTP plumbing: the error renderer that maps domain
// error codes to statuses and RFC 9457 problem documents, the middleware
// (request ids, logging, recovery, body limits, deadlines, security
// headers, metrics), the per-address rate limiter, signed sessions and
// tokens, language negotiation, the 404/405 answers of unrouted paths, safe
// redirects, CSV cells that a spreadsheet will not run, and the server with
// its timeouts. Handlers live in internal/api and internal/ui.
package web

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"math/rand/v2"
	"mime"
	"net/http"
	"strings"
	"time"

	"tirkeu/internal/residence"
)

// HandlerFunc is a handler that returns its error to one renderer.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// ServeHTTP runs the handler and renders a returned error as a problem.
func (h HandlerFunc) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := h(w, r); err != nil {
		WriteError(w, r, err)
	}
}

// statusByCode is the one table of error codes and their HTTP statuses. Its
// keys are the constants of internal/residence, where the closed set of codes
// is declared; TestErrorCodes checks that every declared code is here and in
// the OpenAPI document. A code missing here is answered as a 500 internal
// error and logged: it is a bug, never a silent client error.
var statusByCode = map[string]int{
	residence.EInvalid:                 http.StatusUnprocessableEntity,
	residence.EInvalidJSON:             http.StatusBadRequest,
	residence.EUnknownPerson:           http.StatusUnprocessableEntity,
	residence.ENotFound:                http.StatusNotFound,
	residence.EConflict:                http.StatusConflict,
	residence.ESignatureReused:         http.StatusConflict,
	residence.EIdempotencyMismatch:     http.StatusConflict,
	residence.ESignatureTime:           http.StatusUnprocessableEntity,
	residence.EChallengeReused:         http.StatusConflict,
	residence.EForbidden:               http.StatusForbidden,
	residence.ESignerNotApplicant:      http.StatusForbidden,
	residence.ESignerNotRepresentative: http.StatusForbidden,
	residence.EPurposeMissing:          http.StatusForbidden,
	residence.EUnauthenticated:         http.StatusUnauthorized,
	residence.ENoMCDPhone:              http.StatusUnprocessableEntity,
	residence.EOTPInvalid:              http.StatusUnprocessableEntity,
	residence.ELocked:                  http.StatusLocked,
	residence.EExpired:                 http.StatusGone,
	residence.ERateLimited:             http.StatusTooManyRequests,
	residence.EUnavailable:             http.StatusServiceUnavailable,
	residence.EBodyTooLarge:            http.StatusRequestEntityTooLarge,
	residence.EUnsupportedMediaType:    http.StatusUnsupportedMediaType,
	residence.EMethodNotAllowed:        http.StatusMethodNotAllowed,
	residence.EInternal:                http.StatusInternalServerError,
	residence.ESignatureInvalid:        http.StatusUnprocessableEntity,
	residence.ECertificateUntrusted:    http.StatusUnprocessableEntity,
	residence.ECertificateExpired:      http.StatusUnprocessableEntity,
	residence.ECertificateRevoked:      http.StatusUnprocessableEntity,
	residence.EKeyUsage:                http.StatusUnprocessableEntity,
	residence.ERevocationUnavailable:   http.StatusServiceUnavailable,
}

// Status returns the HTTP status for an error: its code's status, or 500
// for an error without a declared code.
func Status(err error) int {
	if s, ok := statusByCode[residence.ErrorCode(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// Problem is an RFC 9457 problem document with tirkeu's extensions: a stable
// code, the field at fault, and the message in every language.
type Problem struct {
	Type      string          `json:"type"`
	Title     string          `json:"title"`
	Status    int             `json:"status"`
	Code      string          `json:"code"`
	Detail    string          `json:"detail"`
	Field     string          `json:"field,omitempty"`
	Messages  *residence.Text `json:"messages,omitempty"`
	Instance  string          `json:"instance,omitempty"`
	RequestID string          `json:"request_id,omitempty"`
}

// ClientGone handles a request whose client went away mid-request, and
// reports whether it did: no one reads an answer, and it is neither the
// service's fault (a 500, an error in the log) nor a reason to report it
// unavailable, so it is logged at info level and recorded as 499. Error
// renderers call it first.
func ClientGone(w http.ResponseWriter, r *http.Request, err error) bool {
	if !errors.Is(r.Context().Err(), context.Canceled) {
		return false
	}
	Logger(r.Context()).Info("client closed the request", "error", err.Error())
	w.WriteHeader(StatusClientClosedRequest)
	return true
}

// TimedOut returns err as unavailable (503, Retry-After) when the request
// ran out of time (Deadline) and err carries no code of its own: the
// service is slow, not broken, and the client may retry.
func TimedOut(r *http.Request, err error) error {
	if residence.ErrorCode(err) != residence.EInternal || !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	Logger(r.Context()).Warn("request timed out", "error", err.Error())
	return residence.Unavailable(err)
}

// StatusClientClosedRequest is the status recorded (in the request's log
// line and metrics) for a request whose client went away before its answer,
// as nginx records it; the client never sees it.
const StatusClientClosedRequest = 499

// WriteError renders err as application/problem+json in the request's
// language. Server errors are logged with the request id and described to
// the client without internals.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	if ClientGone(w, r, err) {
		return
	}
	err = TimedOut(r, err)
	status := Status(err)
	code := residence.ErrorCode(err)
	text := residence.ErrorText(err)
	if status == http.StatusInternalServerError {
		if _, declared := statusByCode[code]; !declared {
			Logger(r.Context()).Error("undeclared error code", "code", code)
		}
		code = residence.EInternal
		text = residence.ErrorText(errors.New("internal"))
		Logger(r.Context()).Error("request failed", "error", err.Error())
	}
	var field string
	var e *residence.Error
	if errors.As(err, &e) {
		field = e.Field
	}
	p := Problem{
		Type:      "https://tirkeu.kz/problems/" + strings.ReplaceAll(code, ":", "/"),
		Title:     http.StatusText(status),
		Status:    status,
		Code:      code,
		Detail:    text.In(Lang(r)),
		Field:     field,
		Messages:  &text,
		Instance:  maskDigits(r.URL.Path),
		RequestID: RequestID(r.Context()),
	}
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "5")
	}
	if status == http.StatusTooManyRequests && w.Header().Get("Retry-After") == "" {
		// The domain's caps count over the last hour; a minute is a polite
		// first wait that does not promise more than it knows.
		w.Header().Set("Retry-After", "60")
	}
	if status == http.StatusUnauthorized {
		// RFC 9110 §11.6.1: a 401 names the scheme that would succeed.
		w.Header().Set("WWW-Authenticate", `Bearer realm="tirkeu"`)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Content-Language", Lang(r))
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(p)
}

// maskDigits returns a path for a problem's instance with every run of 12 or
// more digits (an IIN or BIN in a path parameter) masked to its last four,
// as logs show them: a problem document is logged and shown by clients, and
// must not carry a full IIN.
func maskDigits(path string) string {
	var b strings.Builder
	for i := 0; i < len(path); {
		j := i
		for j < len(path) && '0' <= path[j] && path[j] <= '9' {
			j++
		}
		if j == i {
			b.WriteByte(path[i])
			i++
			continue
		}
		if j-i >= 12 {
			b.WriteString(residence.MaskIIN(path[i:j]))
		} else {
			b.WriteString(path[i:j])
		}
		i = j
	}
	return b.String()
}

// WriteJSON writes v as JSON with the status.
func WriteJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(v)
}

// CheckContentType returns unsupported_media_type (415) unless the request's
// body is declared as JSON: Content-Type application/json, or a type ending
// in +json, with any parameters. An empty body needs no type. Every handler
// that reads a JSON body calls it (DecodeJSON does), so a form, text or XML
// body is 415 on every route, not 415 on some and 400 on others.
func CheckContentType(r *http.Request, empty bool) error {
	ct := r.Header.Get("Content-Type")
	if ct == "" && empty {
		return nil
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || !(mt == "application/json" || strings.HasSuffix(mt, "+json")) {
		return residence.NewError(residence.EUnsupportedMediaType, textUnsupportedMedia)
	}
	return nil
}

// DecodeJSON reads a JSON object from the request body into v. The body is
// limited by the MaxBody middleware; a malformed body, a body that is not a
// single object, or a wrong content type is an invalid_json error.
func DecodeJSON(r *http.Request, v any) error {
	if err := CheckContentType(r, r.ContentLength == 0); err != nil {
		return err
	}
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return residence.NewError(residence.EBodyTooLarge, textTooLarge)
		}
		return &residence.Error{Code: residence.EInvalidJSON, Text: textInvalidJSON, Err: err}
	}
	if dec.More() {
		return &residence.Error{Code: residence.EInvalidJSON, Text: textInvalidJSON}
	}
	return nil
}

var (
	textInvalidJSON = residence.Text{
		KK: "Сұрау денесі дұрыс JSON объектісі емес.",
		RU: "Тело запроса не является корректным объектом JSON.",
		EN: "The request body is not a valid JSON object.",
	}
	textTooLarge = residence.Text{
		KK: "Сұрау тым үлкен.",
		RU: "Запрос слишком большой.",
		EN: "The request is too large.",
	}
	textUnsupportedMedia = residence.Text{
		KK: "Сұрау JSON пішімінде болуы керек.",
		RU: "Запрос должен быть в формате JSON.",
		EN: "The request must be JSON.",
	}
	textNotFoundRoute = residence.Text{
		KK: "Мұндай бет жоқ.",
		RU: "Такой страницы нет.",
		EN: "There is no such page.",
	}
)

// NotFound renders a problem for an unknown path.
func NotFound(w http.ResponseWriter, r *http.Request) {
	WriteError(w, r, residence.NewError(residence.ENotFound, textNotFoundRoute))
}

type ctxKey int

const (
	keyRequest ctxKey = iota // *requestState (Observe)
	keyActor
	keySecure
)

// RequestID returns the request's id, or "".
func RequestID(ctx context.Context) string {
	if st, ok := ctx.Value(keyRequest).(*requestState); ok {
		return st.id
	}
	return ""
}

// Logger returns the request's logger (with its request id), or the default.
func Logger(ctx context.Context) *slog.Logger {
	if st, ok := ctx.Value(keyRequest).(*requestState); ok {
		return st.logger()
	}
	return slog.Default()
}

// WithActor returns ctx carrying the authenticated actor.
func WithActor(ctx context.Context, a residence.Actor) context.Context {
	return context.WithValue(ctx, keyActor, a)
}

// ActorFrom returns the request's actor; the zero Actor is anonymous.
func ActorFrom(ctx context.Context) residence.Actor {
	a, _ := ctx.Value(keyActor).(residence.Actor)
	return a
}

func newRequestID() string {
	// It correlates log lines and answers; it guards nothing, so the
	// runtime's generator serves (no system call per request).
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], rand.Uint64())
	return hex.EncodeToString(b[:])
}

// Lang picks the response language: the `lang` query parameter, then the
// `lang` cookie, then Accept-Language (kk, ru, en). Without any of them the
// answer is Russian, the language most requests to the service use; Kazakh
// and English are one header away.
func Lang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); isLang(l) {
		return l
	}
	if c, err := r.Cookie("lang"); err == nil && isLang(c.Value) {
		return c.Value
	}
	return NegotiateLang(r.Header.Get("Accept-Language"))
}

func isLang(l string) bool { return l == "kk" || l == "ru" || l == "en" }

// NegotiateLang returns the first of kk, ru, en named in an Accept-Language
// header (by quality, then order), or "ru".
func NegotiateLang(header string) string {
	best, bestQ := "", -1.0
	for _, part := range strings.Split(header, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		tag, q := part, 1.0
		if i := strings.Index(part, ";"); i >= 0 {
			tag = strings.TrimSpace(part[:i])
			if v, ok := strings.CutPrefix(strings.TrimSpace(part[i+1:]), "q="); ok {
				q = parseQ(v)
			}
		}
		base := strings.ToLower(tag)
		if i := strings.IndexAny(base, "-_"); i >= 0 {
			base = base[:i]
		}
		if base == "kz" {
			base = "kk"
		}
		if isLang(base) && q > bestQ {
			best, bestQ = base, q
		}
	}
	if best == "" {
		return "ru"
	}
	return best
}

func parseQ(s string) float64 {
	// q values are 0, 1, or 0.xxx; parse without strconv's leniency.
	if s == "" {
		return 0
	}
	if s[0] == '1' {
		return 1
	}
	if s[0] != '0' {
		return 0
	}
	q, scale := 0.0, 0.1
	for _, c := range s[1:] {
		if c == '.' {
			continue
		}
		if c < '0' || c > '9' {
			break
		}
		q += float64(c-'0') * scale
		scale /= 10
	}
	return q
}

// NewServer returns an http.Server with the timeouts every tirkeu listener
// uses: slow clients cannot hold connections open (slowloris), and a stuck
// handler is cut off.
func NewServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
}
