package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"tirkeu/internal/residence"
)

// SessionCookie is the name of the pages' session cookie.
const SessionCookie = "tirkeu_session"

// Sessions issues and verifies signed, stateless session tokens, so that
// every node of a cluster accepts a session made by any other node without
// shared memory. A token is the base64url JSON claims and an HMAC-SHA256 over
// them with the server secret.
type Sessions struct {
	secret []byte
	ttl    time.Duration
	now    func() time.Time
}

// NewSessions returns Sessions keyed by secret, valid for ttl.
func NewSessions(secret []byte, ttl time.Duration, now func() time.Time) *Sessions {
	return &Sessions{secret: secret, ttl: ttl, now: now}
}

type claims struct {
	IIN   string `json:"iin"`
	Role  string `json:"role"`
	Exp   int64  `json:"exp"`
	Nonce string `json:"n"`
}

// Issue returns a token for the actor and its expiry.
func (s *Sessions) Issue(a residence.Actor) (string, time.Time) {
	exp := s.now().Add(s.ttl)
	var n [9]byte
	_, _ = rand.Read(n[:])
	body, _ := json.Marshal(claims{IIN: a.IIN, Role: string(a.Role), Exp: exp.Unix(), Nonce: hex.EncodeToString(n[:])})
	p := base64.RawURLEncoding.EncodeToString(body)
	return p + "." + base64.RawURLEncoding.EncodeToString(s.sign(p)), exp
}

func (s *Sessions) sign(p string) []byte {
	m := hmac.New(sha256.New, s.secret)
	m.Write([]byte("session\x00"))
	m.Write([]byte(p))
	return m.Sum(nil)
}

var errBadSession = errors.New("web: invalid session")

// Verify checks a token's signature and expiry and returns its actor.
func (s *Sessions) Verify(token string) (residence.Actor, error) {
	p, sig, ok := strings.Cut(token, ".")
	if !ok || len(token) > 1024 {
		return residence.Actor{}, errBadSession
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, s.sign(p)) {
		return residence.Actor{}, errBadSession
	}
	body, err := base64.RawURLEncoding.DecodeString(p)
	if err != nil {
		return residence.Actor{}, errBadSession
	}
	var c claims
	if err := json.Unmarshal(body, &c); err != nil || s.now().Unix() >= c.Exp {
		return residence.Actor{}, errBadSession
	}
	if c.Role != string(residence.RoleCitizen) || c.IIN == "" {
		return residence.Actor{}, errBadSession
	}
	return residence.Actor{Role: residence.RoleCitizen, IIN: c.IIN}, nil
}

// Challenge returns a fresh login challenge for EDS sign-in, valid for five
// minutes: the client signs {"challenge": "..."} and posts it with the
// signature, so a signature made for another purpose cannot sign in.
func (s *Sessions) Challenge() (string, time.Time) {
	exp := s.now().Add(5 * time.Minute)
	var n [12]byte
	_, _ = rand.Read(n[:])
	p := fmt.Sprintf("%d.%s", exp.Unix(), hex.EncodeToString(n[:]))
	m := hmac.New(sha256.New, s.secret)
	m.Write([]byte("challenge\x00" + p))
	return p + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil)), exp
}

// CheckChallenge verifies a challenge made by Challenge and not yet expired.
func (s *Sessions) CheckChallenge(c string) error {
	i := strings.LastIndexByte(c, '.')
	if i < 0 || len(c) > 256 {
		return errBadSession
	}
	p, sig := c[:i], c[i+1:]
	m := hmac.New(sha256.New, s.secret)
	m.Write([]byte("challenge\x00" + p))
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, m.Sum(nil)) {
		return errBadSession
	}
	expStr, _, _ := strings.Cut(p, ".")
	exp, err := strconv.ParseInt(expStr, 10, 64)
	if err != nil || s.now().Unix() >= exp {
		return errBadSession
	}
	return nil
}
