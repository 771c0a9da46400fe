package residence

import (
	"context"
	"encoding/hex"
)

// clientKey is the context key of the requesting client's address.
type clientKey struct{}

// WithClient returns ctx carrying the address of the client that made the
// request (the web layer's per-client key: an IPv4 address or an IPv6 /64).
// The one-time password use cases count and bind codes per client with it,
// so that a stranger's requests for a person's codes neither use up that
// person's hourly budget nor supersede the code the person asked for.
func WithClient(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, clientKey{}, addr)
}

// ClientFrom returns the client address WithClient stored, or "" (calls
// from outside a request, such as the command line, share one bucket).
func ClientFrom(ctx context.Context) string {
	s, _ := ctx.Value(clientKey{}).(string)
	return s
}

// clientTag is the stored form of the client of ctx: a keyed hash of its
// address, so that the database holds no address, or "" when unknown.
func (s *Service) clientTag(ctx context.Context) string {
	addr := ClientFrom(ctx)
	if addr == "" {
		return ""
	}
	return hex.EncodeToString(hashCode(s.cfg.Secret, "client", "", addr)[:16])
}
