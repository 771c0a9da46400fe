package api

import (
	"net/http"
	"strings"
	"time"

	"tirkeu/internal/residence"
	"tirkeu/internal/web"
)

type otpRequest struct {
	IIN     string `json:"iin"`
	Purpose string `json:"purpose"`
}

type otpResponse struct {
	ID        string    `json:"id"`
	Purpose   string    `json:"purpose"`
	Sent      bool      `json:"sent"`
	ExpiresAt time.Time `json:"expires_at"`
}

func (a *API) requestOTP(w http.ResponseWriter, r *http.Request) error {
	var in otpRequest
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if err := residence.CheckIIN("iin", in.IIN); err != nil {
		return err
	}
	if in.Purpose == "" {
		in.Purpose = string(residence.OTPLogin)
	}
	o, err := a.svc.RequestOTP(r.Context(), in.IIN, residence.OTPPurpose(in.Purpose))
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusCreated, otpResponse{ID: o.ID, Purpose: string(o.Purpose), Sent: true, ExpiresAt: o.ExpiresAt})
}

type sessionRequest struct {
	IIN       string `json:"iin"`
	OTP       string `json:"otp"`
	Challenge string `json:"challenge"` // EDS sign-in: from GET /api/v1/sessions/challenge
}

type challengeResponse struct {
	Challenge string    `json:"challenge"`
	ExpiresAt time.Time `json:"expires_at"`
}

// sessionChallenge issues a challenge for EDS sign-in: the client signs the
// body {"challenge": "..."} and posts it to /api/v1/sessions with the
// Signature header.
func (a *API) sessionChallenge(w http.ResponseWriter, r *http.Request) error {
	c, exp := a.sessions.Challenge(5 * time.Minute)
	return web.WriteJSON(w, http.StatusOK, challengeResponse{Challenge: c, ExpiresAt: exp})
}

var textBadChallenge = residence.Text{
	KK: "Кіру сұрауы жарамсыз немесе мерзімі өткен: жаңасын алып, қайта қол қойыңыз.",
	RU: "Запрос входа недействителен или устарел: получите новый и подпишите снова.",
	EN: "The sign-in challenge is invalid or expired: get a new one and sign again.",
}

type sessionResponse struct {
	Token     string    `json:"token"`
	TokenType string    `json:"token_type"`
	IIN       string    `json:"iin"`
	ExpiresAt time.Time `json:"expires_at"`
}

func (a *API) createSession(w http.ResponseWriter, r *http.Request) error {
	var actor residence.Actor
	var in sessionRequest
	if sig, err := decodeSigned(r, &in); err != nil {
		return err
	} else if sig != nil {
		if err := a.sessions.CheckChallenge(in.Challenge); err != nil {
			return &residence.Error{Code: residence.EUnauthenticated, Field: "challenge", Text: textBadChallenge}
		}
		if actor, err = a.svc.LoginEDS(r.Context(), *sig); err != nil {
			return err
		}
		// The challenge is redeemed with the session's start, once:
		// replaying the signed body is challenge_reused (409).
		tok, exp, err := a.sessions.IssueEDS(r.Context(), actor, in.Challenge)
		if err != nil {
			return err
		}
		return web.WriteJSON(w, http.StatusCreated, sessionResponse{Token: tok, TokenType: "Bearer", IIN: actor.IIN, ExpiresAt: exp})
	} else {
		if err := residence.CheckIIN("iin", in.IIN); err != nil {
			return err
		}
		if actor, err = a.svc.Login(r.Context(), in.IIN, in.OTP); err != nil {
			return err
		}
	}
	tok, exp, err := a.sessions.Issue(r.Context(), actor)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusCreated, sessionResponse{Token: tok, TokenType: "Bearer", IIN: actor.IIN, ExpiresAt: exp})
}

// endSession signs out: the bearer session is revoked on the server, so a
// copy of the token is refused (401) from now on. Without a citizen session
// there is nothing to end: 401.
func (a *API) endSession(w http.ResponseWriter, r *http.Request) error {
	if web.ActorFrom(r.Context()).Role != residence.RoleCitizen {
		return residence.NewError(residence.EUnauthenticated, textNoSession)
	}
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if err := a.sessions.End(r.Context(), strings.TrimSpace(tok)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

var textNoSession = residence.Text{
	KK: "Аяқталатын сеанс жоқ: сеанс таңбалауышын Authorization: Bearer тақырыбында жіберіңіз.",
	RU: "Нет сеанса для завершения: передайте токен сеанса в заголовке Authorization: Bearer.",
	EN: "There is no session to end: send the session token in the Authorization: Bearer header.",
}
