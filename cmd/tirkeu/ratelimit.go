package main

import (
	"fmt"
	"os"

	"tirkeu/internal/web"
)

// ipLimitFromEnv reads the per-client-IP limit on code requests:
// TIRKEU_RATE_LIMIT is N/DURATION (default 60/10m) or off, and
// TIRKEU_TRUST_PROXY=true takes the client address from the last
// X-Forwarded-For entry, for a service behind a reverse proxy that appends it.
func ipLimitFromEnv() (web.IPLimit, error) {
	lim, err := web.ParseIPLimit(getenv("TIRKEU_RATE_LIMIT", "60/10m"))
	if err != nil {
		return lim, fmt.Errorf("TIRKEU_RATE_LIMIT: %w", err)
	}
	switch v := os.Getenv("TIRKEU_TRUST_PROXY"); v {
	case "", "0", "false", "off":
	case "1", "true", "on":
		lim.TrustProxy = true
	default:
		return lim, fmt.Errorf("TIRKEU_TRUST_PROXY must be true or false, not %q", v)
	}
	return lim, nil
}
