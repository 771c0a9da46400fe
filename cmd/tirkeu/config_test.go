package main

import (
	"strings"
	"testing"
	"time"
)

// The durations serve reads from the environment, each with its default,
// its flag overriding the variable, and its errors.
func TestDurationConfig(t *testing.T) {
	for _, tc := range []struct {
		env, flag string // the variable and the flag
		val, arg  string // their values
		want      time.Duration
		err       string
	}{
		{env: "TIRKEU_TOKEN_CACHE", want: 10 * time.Second},
		{env: "TIRKEU_TOKEN_CACHE", val: "0", want: 0},
		{env: "TIRKEU_TOKEN_CACHE", val: "2m", want: 2 * time.Minute},
		{env: "TIRKEU_TOKEN_CACHE", flag: "-token-cache", val: "30s", arg: "1s", want: time.Second},
		{env: "TIRKEU_TOKEN_CACHE", val: "soon", err: "TIRKEU_TOKEN_CACHE"},
		{env: "TIRKEU_TOKEN_CACHE", val: "-1s", err: "TIRKEU_TOKEN_CACHE must not be negative"},
		{env: "TIRKEU_REQUEST_TIMEOUT", want: 30 * time.Second},
		{env: "TIRKEU_REQUEST_TIMEOUT", val: "0", want: 0},
		{env: "TIRKEU_REQUEST_TIMEOUT", val: "5s", want: 5 * time.Second},
		{env: "TIRKEU_REQUEST_TIMEOUT", flag: "-request-timeout", val: "5s", arg: "1m", want: time.Minute},
		{env: "TIRKEU_REQUEST_TIMEOUT", val: "long", err: "TIRKEU_REQUEST_TIMEOUT"},
		{env: "TIRKEU_REQUEST_TIMEOUT", val: "-1s", err: "TIRKEU_REQUEST_TIMEOUT must not be negative"},
	} {
		t.Run(tc.env+"="+tc.val+tc.flag+"="+tc.arg, func(t *testing.T) {
			t.Setenv("TIRKEU_TOKEN_CACHE", "")
			t.Setenv("TIRKEU_REQUEST_TIMEOUT", "")
			t.Setenv(tc.env, tc.val)
			var args []string
			if tc.flag != "" {
				args = []string{tc.flag, tc.arg}
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
			got := c.TokenCache
			if tc.env == "TIRKEU_REQUEST_TIMEOUT" {
				got = c.RequestTimeout
			}
			if got != tc.want {
				t.Errorf("%s: %v, want %v", tc.env, got, tc.want)
			}
		})
	}
}
