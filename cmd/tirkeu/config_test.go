package main

import (
	"strings"
	"testing"
	"time"
)

func TestTokenCacheConfig(t *testing.T) {
	for _, tc := range []struct {
		env, flag string
		want      time.Duration
		err       string
	}{
		{want: 10 * time.Second},
		{env: "0", want: 0},
		{env: "2m", want: 2 * time.Minute},
		{env: "30s", flag: "1s", want: time.Second},
		{env: "soon", err: "TIRKEU_TOKEN_CACHE"},
		{env: "-1s", err: "TIRKEU_TOKEN_CACHE must not be negative"},
	} {
		t.Run(tc.env+"/"+tc.flag, func(t *testing.T) {
			t.Setenv("TIRKEU_TOKEN_CACHE", tc.env)
			var args []string
			if tc.flag != "" {
				args = []string{"-token-cache", tc.flag}
			}
			c, _, err := loadConfig("serve", args)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.TokenCache != tc.want {
				t.Errorf("TokenCache = %v, want %v", c.TokenCache, tc.want)
			}
		})
	}
}
