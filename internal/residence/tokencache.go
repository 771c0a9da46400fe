package residence

import (
	"sync"
	"time"
)

// Token caching.
//
// Every request of an agency or staff member carries a bearer token, and
// looking its hash up is a database round trip as costly as the lookup the
// agency asked for. CacheTokens keeps the actors of valid tokens for a short
// time, by the token's hash (never the token itself).
//
// What it costs: a token revoked in the database (tokens.revoked_at) is
// still accepted by a server that cached it until the entry expires, at most
// ttl later (10 s in serve). Unknown and revoked tokens are never cached, so
// a new token works at once and a guessed one is looked up every time.

// tokenCacheMax bounds the cache; when full it is emptied, which costs one
// lookup per token and keeps memory flat whatever callers send.
const tokenCacheMax = 10000

type tokenCache struct {
	ttl time.Duration
	mu  sync.Mutex
	m   map[string]cachedToken
}

type cachedToken struct {
	actor Actor
	until time.Time
}

// CacheTokens makes AuthenticateToken remember valid tokens for ttl (see
// above for what that costs). Until it is called every request looks its
// token up, which tests rely on. It is not safe to call concurrently with
// AuthenticateToken.
func (s *Service) CacheTokens(ttl time.Duration) {
	if ttl <= 0 {
		s.tokens = nil
		return
	}
	s.tokens = &tokenCache{ttl: ttl, m: map[string]cachedToken{}}
}

func (c *tokenCache) get(hash []byte, now time.Time) (Actor, bool) {
	if c == nil {
		return Actor{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[string(hash)]
	if !ok || !now.Before(e.until) {
		return Actor{}, false
	}
	return e.actor, true
}

func (c *tokenCache) put(hash []byte, a Actor, now time.Time) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= tokenCacheMax {
		clear(c.m)
	}
	c.m[string(hash)] = cachedToken{actor: a, until: now.Add(c.ttl)}
}
