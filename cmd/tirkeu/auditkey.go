package main

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"

	"tirkeu/internal/store"
)

// minAuditKeyBytes is the least key TIRKEU_AUDIT_KEY may give: 256 bits,
// the size of HMAC-SHA-256's output.
const minAuditKeyBytes = 32

// parseAuditKey decodes TIRKEU_AUDIT_KEY: hex (64 or more digits, e.g.
// `openssl rand -hex 32`) or base64, standard or URL alphabet, padded or
// not (`openssl rand -base64 32`), of at least 32 bytes. It refuses a key
// that is short, that repeats a few byte values (a pattern, not random
// bytes: 32 random bytes have about 30 distinct values, fewer than 16 is
// about as likely as guessing the key), and the public demo key.
func parseAuditKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	var key []byte
	if b, err := hex.DecodeString(s); err == nil {
		key = b
	} else {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
			if b, err := enc.DecodeString(s); err == nil {
				key = b
				break
			}
		}
	}
	switch {
	case key == nil:
		return nil, errors.New("TIRKEU_AUDIT_KEY must be hex or base64 (openssl rand -hex 32)")
	case len(key) < minAuditKeyBytes:
		return nil, fmt.Errorf("TIRKEU_AUDIT_KEY must give at least %d bytes, not %d (openssl rand -hex 32)", minAuditKeyBytes, len(key))
	case distinctBytes(key) < 16:
		return nil, errors.New("TIRKEU_AUDIT_KEY is weak: a pattern, not random bytes (openssl rand -hex 32)")
	case bytes.Equal(key, store.DemoAuditKey) || s == string(store.DemoAuditKey):
		return nil, errors.New("TIRKEU_AUDIT_KEY is the public demo key")
	}
	return key, nil
}

func distinctBytes(b []byte) int {
	var seen [256]bool
	n := 0
	for _, c := range b {
		if !seen[c] {
			seen[c] = true
			n++
		}
	}
	return n
}

// auditKey returns the key of the event chain for a command: TIRKEU_AUDIT_KEY
// when set (and valid), else the public demo key (store.DemoAuditKey), which
// production refuses. demo reports the fallback.
func auditKey(production bool) (key []byte, demo bool, err error) {
	v := os.Getenv("TIRKEU_AUDIT_KEY")
	if v == "" {
		if production {
			return nil, false, errors.New("TIRKEU_AUDIT_KEY must be set in production (openssl rand -hex 32; the same on every node, never in the database)")
		}
		return store.DemoAuditKey, true, nil
	}
	key, err = parseAuditKey(v)
	return key, false, err
}

// production reports whether TIRKEU_ENV asks for production mode.
func production() bool { return os.Getenv("TIRKEU_ENV") == "production" }

// loadAuditKey reads TIRKEU_AUDIT_KEY into c.AuditKey: the demo key when
// unset (production refuses that in validate), an error when set but not a
// valid, strong key.
func (c *config) loadAuditKey() error {
	key, err := parseAuditKeyEnv()
	c.AuditKey = key
	return err
}

func parseAuditKeyEnv() ([]byte, error) {
	v := os.Getenv("TIRKEU_AUDIT_KEY")
	if v == "" {
		return nil, nil
	}
	return parseAuditKey(v)
}

// auditKeyProblem says why production refuses c's audit key ("" when it
// does not): missing, or the same as TIRKEU_SECRET (one key, one purpose).
func (c config) auditKeyProblem() string {
	switch {
	case len(c.AuditKey) == 0:
		return "TIRKEU_AUDIT_KEY must be set (openssl rand -hex 32; the same on every node, never stored in the database)"
	case c.Secret != "" && strings.TrimSpace(os.Getenv("TIRKEU_AUDIT_KEY")) == strings.TrimSpace(c.Secret):
		return "TIRKEU_AUDIT_KEY must not be TIRKEU_SECRET"
	}
	return ""
}

// storeAuditKey is the key the service's store seals with: the configured
// one, or the demo key in demo mode.
func (c config) storeAuditKey() []byte {
	if len(c.AuditKey) == 0 {
		return store.DemoAuditKey
	}
	return c.AuditKey
}
