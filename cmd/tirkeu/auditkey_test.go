package main

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"

	"tirkeu/internal/store"
)

func TestParseAuditKey(t *testing.T) {
	t.Parallel()
	raw := make([]byte, 32)
	_, _ = rand.Read(raw)
	for _, tt := range []struct {
		name, in, err string
	}{
		{"hex", hex.EncodeToString(raw), ""},
		{"hex, spaces around", " " + hex.EncodeToString(raw) + "\n", ""},
		{"base64", base64.StdEncoding.EncodeToString(raw), ""},
		{"base64 unpadded", base64.RawStdEncoding.EncodeToString(raw), ""},
		{"base64 URL", base64.URLEncoding.EncodeToString(raw), ""},
		{"short", hex.EncodeToString(raw[:16]), "at least 32 bytes"},
		{"a pattern", strings.Repeat("ab", 32), "weak"},
		{"a counter", hex.EncodeToString([]byte("0123456701234567012345670123456701234567")), "weak"},
		{"a passphrase", "correct horse battery staple", "hex or base64"},
		{"the demo key", hex.EncodeToString(store.DemoAuditKey), "demo key"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			key, err := parseAuditKey(tt.in)
			if tt.err == "" {
				if err != nil || !bytes.Equal(key, raw) {
					t.Fatalf("parseAuditKey = %x, %v; want %x", key, err, raw)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("error %v, want one containing %q", err, tt.err)
			}
		})
	}
}

// TestAuditKeyConfig: production refuses to start without TIRKEU_AUDIT_KEY,
// with a weak one, or with TIRKEU_SECRET as the key; demo mode seals with
// the demo key when none is set.
func TestAuditKeyConfig(t *testing.T) {
	raw := make([]byte, 32)
	_, _ = rand.Read(raw)
	good := hex.EncodeToString(raw)
	for _, tt := range []struct {
		name, env, key, secret, err string
	}{
		{name: "production, unset", env: "production", err: "TIRKEU_AUDIT_KEY must be set"},
		{name: "production, weak", env: "production", key: strings.Repeat("00", 32), err: "TIRKEU_AUDIT_KEY is weak"},
		{name: "production, the secret", env: "production", key: good, secret: good, err: "TIRKEU_AUDIT_KEY must not be TIRKEU_SECRET"},
		{name: "production, a key", env: "production", key: good},
		{name: "demo, unset", env: "demo"},
		{name: "demo, short", env: "demo", key: "abcd", err: "TIRKEU_AUDIT_KEY must give at least 32 bytes"},
		{name: "demo, a key", env: "demo", key: good},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("TIRKEU_ENV", tt.env)
			t.Setenv("TIRKEU_AUDIT_KEY", tt.key)
			t.Setenv("TIRKEU_SECRET", tt.secret)
			t.Setenv("TIRKEU_SMS", "")
			t.Setenv("TIRKEU_DATABASE_URL", "")
			c, _, err := loadConfig("serve", nil)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one containing %q", err, tt.err)
				}
				return
			}
			// Production refuses the other demo defaults too; only the
			// audit key matters here.
			if err != nil && strings.Contains(err.Error(), "TIRKEU_AUDIT_KEY") {
				t.Fatalf("error %v names the audit key", err)
			}
			want := raw
			if tt.key == "" {
				want = store.DemoAuditKey
			}
			if !bytes.Equal(c.storeAuditKey(), want) {
				t.Errorf("the store is keyed with %x, want %x", c.storeAuditKey(), want)
			}
		})
	}
}
