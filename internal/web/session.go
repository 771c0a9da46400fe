package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"sync"
	"time"

	"tirkeu/internal/residence"
)

// SessionCookie is the name of the pages' session cookie.
const SessionCookie = "tirkeu_session"

// SessionStore records sessions and redeemed challenges;
// residence.Service implements it (residence/session.go).
type SessionStore interface {
	// StartSession records a session, redeeming its challenge (if any) in
	// the same transaction: challenge_reused when it was redeemed before.
	StartSession(ctx context.Context, s residence.Session) error
	// EndSession revokes a session; unknown ids are not an error.
	EndSession(ctx context.Context, id string) error
	// SessionActive returns nil for a standing session, unauthenticated for
	// an unknown, revoked or expired one, and the store's error otherwise.
	SessionActive(ctx context.Context, id string) error
}

// Sessions issues and checks the sessions of citizens and staff and the EDS
// sign-in challenges, all as Signer tokens. A session is accepted while its
// signature holds, it has not expired, and its row in the database stands:
// signing out revokes the row, so a copied cookie or bearer token stops
// working at once on this node, and within the cache time on the others.
// It is safe for concurrent use.
type Sessions struct {
	signer *Signer
	ttl    time.Duration
	now    func() time.Time
	store  SessionStore
	cache  *activeCache // nil: every request asks the store
}

// NewSessions returns Sessions signed with keys derived from secret, valid
// for ttl, recorded in store.
func NewSessions(secret []byte, ttl time.Duration, now func() time.Time, store SessionStore) *Sessions {
	if store == nil {
		panic("web: NewSessions: a session store is required")
	}
	return &Sessions{signer: NewSigner(secret), ttl: ttl, now: now, store: store}
}

// CacheActive makes the check that a session stands remembered for ttl: a
// session revoked on another node is still accepted here until then
// (sign-out on this node forgets it at once). Until it is called every
// request asks the store. Not safe to call concurrently with Verify.
func (s *Sessions) CacheActive(ttl time.Duration) {
	if ttl <= 0 {
		s.cache = nil
		return
	}
	s.cache = &activeCache{ttl: ttl, m: map[string]time.Time{}}
}

func newTokenID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// Issue starts a citizen's session and returns its token and expiry.
func (s *Sessions) Issue(ctx context.Context, a residence.Actor) (string, time.Time, error) {
	return s.start(ctx, Claims{Kind: KindCitizen, Subject: a.IIN, Role: string(residence.RoleCitizen)}, s.ttl, Claims{})
}

// IssueEDS starts a citizen's session signed in with EDS over challenge,
// redeeming the challenge: it fails with challenge_reused (409) when the
// challenge was redeemed before, and unauthenticated when it is not a valid
// challenge.
func (s *Sessions) IssueEDS(ctx context.Context, a residence.Actor, challenge string) (string, time.Time, error) {
	ch, err := s.signer.Open(KindChallenge, challenge, s.now())
	if err != nil {
		return "", time.Time{}, residence.NewError(residence.EUnauthenticated, textBadAuth)
	}
	return s.start(ctx, Claims{Kind: KindCitizen, Subject: a.IIN, Role: string(residence.RoleCitizen)}, s.ttl, ch)
}

// IssueStaff starts a member of staff's page session, bound to the hash of
// the bearer token they signed in with.
func (s *Sessions) IssueStaff(ctx context.Context, a residence.Actor, tokenHash []byte, ttl time.Duration) (string, time.Time, error) {
	return s.start(ctx, Claims{Kind: KindStaff, Subject: hex.EncodeToString(tokenHash), Role: string(a.Role), Name: a.Name}, ttl, Claims{})
}

func (s *Sessions) start(ctx context.Context, c Claims, ttl time.Duration, ch Claims) (string, time.Time, error) {
	now := s.now()
	exp := now.Add(ttl)
	c.ID, c.Exp = newTokenID(), exp.Unix()
	rec := residence.Session{ID: c.ID, Kind: string(c.Kind), CreatedAt: now, ExpiresAt: time.Unix(c.Exp, 0)}
	if ch.ID != "" {
		rec.Challenge, rec.ChallengeExpiresAt = ch.ID, time.Unix(ch.Exp, 0)
	}
	if err := s.store.StartSession(ctx, rec); err != nil {
		return "", time.Time{}, err
	}
	return s.signer.Sign(c), time.Unix(c.Exp, 0), nil
}

// Verify returns the citizen of a session token. A bad, expired or revoked
// token is unauthenticated; a store that cannot answer is its error.
func (s *Sessions) Verify(ctx context.Context, token string) (residence.Actor, error) {
	c, err := s.open(ctx, KindCitizen, token)
	if err != nil {
		return residence.Actor{}, err
	}
	if c.Role != string(residence.RoleCitizen) || c.Subject == "" {
		return residence.Actor{}, residence.NewError(residence.EUnauthenticated, textBadAuth)
	}
	return residence.Actor{Role: residence.RoleCitizen, IIN: c.Subject}, nil
}

// VerifyStaff returns the member of staff of a staff session token and the
// hash of the bearer token they signed in with (the caller checks that it
// is still valid). Errors as Verify.
func (s *Sessions) VerifyStaff(ctx context.Context, token string) (residence.Actor, []byte, error) {
	c, err := s.open(ctx, KindStaff, token)
	if err != nil {
		return residence.Actor{}, nil, err
	}
	hash, err := hex.DecodeString(c.Subject)
	a := residence.Actor{Role: residence.Role(c.Role), Name: c.Name}
	if err != nil || !a.IsStaff() {
		return residence.Actor{}, nil, residence.NewError(residence.EUnauthenticated, textBadAuth)
	}
	return a, hash, nil
}

func (s *Sessions) open(ctx context.Context, kind Kind, token string) (Claims, error) {
	c, err := s.signer.Open(kind, token, s.now())
	if err != nil {
		return Claims{}, residence.NewError(residence.EUnauthenticated, textBadAuth)
	}
	if s.cache.has(c.ID, s.now()) {
		return c, nil
	}
	if err := s.store.SessionActive(ctx, c.ID); err != nil {
		return Claims{}, err
	}
	s.cache.put(c.ID, s.now())
	return c, nil
}

// End revokes the session of a citizen or staff token (sign-out). A token
// that does not verify ends nothing and is not an error: signing out always
// succeeds.
func (s *Sessions) End(ctx context.Context, token string) error {
	now := s.now()
	c, err := s.signer.Open(KindCitizen, token, now)
	if err != nil {
		if c, err = s.signer.Open(KindStaff, token, now); err != nil {
			return nil
		}
	}
	s.cache.forget(c.ID)
	return s.store.EndSession(ctx, c.ID)
}

// Challenge returns a fresh EDS sign-in challenge valid for ttl: the client
// signs it (the API: the JSON body {"challenge": "..."}; the pages: the
// challenge text), so a signature made for another purpose cannot sign in.
// It is redeemed once, by IssueEDS.
func (s *Sessions) Challenge(ttl time.Duration) (string, time.Time) {
	exp := time.Unix(s.now().Add(ttl).Unix(), 0)
	return s.signer.Sign(Claims{Kind: KindChallenge, ID: newTokenID(), Exp: exp.Unix()}), exp
}

// CheckChallenge verifies a challenge made by Challenge and not yet
// expired. Whether it was redeemed is IssueEDS's check, in the database.
func (s *Sessions) CheckChallenge(c string) error {
	_, err := s.signer.Open(KindChallenge, c, s.now())
	return err
}

// activeCache remembers sessions found standing, by id, until a deadline.
type activeCache struct {
	ttl time.Duration
	mu  sync.Mutex
	m   map[string]time.Time
}

// activeCacheMax bounds the cache; when full it is emptied.
const activeCacheMax = 10000

func (c *activeCache) has(id string, now time.Time) bool {
	if c == nil {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	until, ok := c.m[id]
	return ok && now.Before(until)
}

func (c *activeCache) put(id string, now time.Time) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= activeCacheMax {
		clear(c.m)
	}
	c.m[id] = now.Add(c.ttl)
}

func (c *activeCache) forget(id string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, id)
}
