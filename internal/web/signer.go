package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// Kind says what a signed token is for. Each kind is signed with its own key,
// derived from the server secret, so a token of one kind never verifies as
// another (a staff cookie is not a citizen session, a sign-in challenge is
// neither).
type Kind string

// The kinds of signed token.
const (
	KindCitizen   Kind = "citizen"   // a citizen's session (page cookie or API bearer token)
	KindStaff     Kind = "staff"     // an operator's page session
	KindChallenge Kind = "challenge" // an EDS sign-in challenge
)

// Claims is the payload of every signed token.
type Claims struct {
	Kind Kind   `json:"k"`
	ID   string `json:"id"` // random; a session's row or a challenge's redemption is keyed by it
	// Subject is whom the token is about: a citizen's IIN, or for staff the
	// hex SHA-256 of the bearer token they signed in with (never the token).
	Subject string `json:"sub,omitempty"`
	Role    string `json:"r,omitempty"`
	Name    string `json:"n,omitempty"`
	Exp     int64  `json:"exp"` // Unix seconds
}

// Signer signs and verifies Claims: a token is the base64url JSON payload, a
// dot, and the base64url HMAC-SHA256 of the payload under the key of its
// kind. It is the one token format of tirkeu's sessions and challenges; it
// needs no state, so any node verifies what another signed (whether a session
// still stands is the database's answer, see Sessions). It is safe for
// concurrent use.
type Signer struct {
	keys map[Kind][]byte
}

// NewSigner derives one key per kind from secret: HMAC-SHA256(secret,
// "tirkeu/web/v1/" + kind). The derivation separates the domains; the
// secret itself signs nothing.
func NewSigner(secret []byte) *Signer {
	s := &Signer{keys: map[Kind][]byte{}}
	for _, k := range []Kind{KindCitizen, KindStaff, KindChallenge} {
		m := hmac.New(sha256.New, secret)
		m.Write([]byte("tirkeu/web/v1/" + string(k)))
		s.keys[k] = m.Sum(nil)
	}
	return s
}

// maxToken bounds the tokens Open looks at.
const maxToken = 2048

var errBadToken = errors.New("web: invalid or expired token")

// Sign returns the token for c. It panics on an unknown kind, a programming
// error.
func (s *Signer) Sign(c Claims) string {
	key, ok := s.keys[c.Kind]
	if !ok {
		panic("web: sign: unknown kind " + string(c.Kind))
	}
	body, _ := json.Marshal(c)
	p := base64.RawURLEncoding.EncodeToString(body)
	return p + "." + base64.RawURLEncoding.EncodeToString(mac(key, p))
}

// Open verifies a token of kind want and returns its claims. A token of
// another kind, with a bad MAC, malformed, or expired at now is an error.
func (s *Signer) Open(want Kind, token string, now time.Time) (Claims, error) {
	key, ok := s.keys[want]
	p, sig, found := strings.Cut(token, ".")
	if !ok || !found || len(token) > maxToken {
		return Claims{}, errBadToken
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, mac(key, p)) {
		return Claims{}, errBadToken
	}
	body, err := base64.RawURLEncoding.DecodeString(p)
	if err != nil {
		return Claims{}, errBadToken
	}
	var c Claims
	if err := json.Unmarshal(body, &c); err != nil || c.Kind != want || c.ID == "" || now.Unix() >= c.Exp {
		return Claims{}, errBadToken
	}
	return c, nil
}

func mac(key []byte, p string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(p))
	return m.Sum(nil)
}
