package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"tirkeu/internal/residence"
	"tirkeu/internal/web"
)

// config is the service's configuration, read once from the environment
// (flags mirror the variables) and validated before anything starts.
type config struct {
	DatabaseURL    string             // TIRKEU_DATABASE_URL: sqlite:PATH or postgres://…
	Addr           string             // TIRKEU_ADDR
	ConsentTTL     time.Duration      // TIRKEU_CONSENT_TTL
	OTPTTL         time.Duration      // TIRKEU_OTP_TTL
	TokenCache     time.Duration      // TIRKEU_TOKEN_CACHE: how long a valid bearer token is remembered
	RequestTimeout time.Duration      // TIRKEU_REQUEST_TIMEOUT: the longest a request may take, 0 for no bound
	Env            string             // TIRKEU_ENV: demo or production
	SMS            string             // TIRKEU_SMS: outbox or smpp://…
	TrustRoots     string             // TIRKEU_TRUST_ROOTS: PEM file of EDS roots
	TrustInter     string             // TIRKEU_TRUST_INTERMEDIATES: PEM file of the NCA's intermediates
	Secret         string             // TIRKEU_SECRET: keys code hashes and sessions
	DataDir        string             // TIRKEU_DATA_DIR: demo CA and the default SQLite file
	Workers        bool               // TIRKEU_JOBS: run background jobs in this process
	IPLimit        web.IPLimit        // TIRKEU_RATE_LIMIT, TIRKEU_TRUST_PROXY (ratelimit.go)
	SignatureSkew  time.Duration      // TIRKEU_SIGNATURE_SKEW: how far an EDS signing time may be from the clock
	AuditKey       []byte             // TIRKEU_AUDIT_KEY: keys the event chain (auditkey.go); the demo key in demo mode
	MetricsToken   string             // TIRKEU_METRICS_TOKEN: bearer token for /metrics (required to see it in production)
	MCI            residence.MCIRates // TIRKEU_MCI: years added to or overriding the MCI table, "2027=4500,2028=4700"

	explicitDB bool // the database URL was given, not derived from DataDir
}

// databaseURL returns TIRKEU_DATABASE_URL, or the SQLite file in the data
// directory (TIRKEU_DATA_DIR, default "data") when it is unset; the commands
// that only touch the database (migrate, import, token) use it too.
func databaseURL() string {
	if v := os.Getenv("TIRKEU_DATABASE_URL"); v != "" {
		return v
	}
	return "sqlite:" + filepath.Join(getenv("TIRKEU_DATA_DIR", "data"), "tirkeu.db")
}

func getenv(k, def string) string {
	if v, ok := os.LookupEnv(k); ok && v != "" {
		return v
	}
	return def
}

// loadConfig reads the environment, then the flags in args.
func loadConfig(name string, args []string) (config, *flag.FlagSet, error) {
	c := config{
		DatabaseURL: os.Getenv("TIRKEU_DATABASE_URL"),
		Addr:        getenv("TIRKEU_ADDR", "localhost:8080"),
		Env:         getenv("TIRKEU_ENV", "demo"),
		SMS:         getenv("TIRKEU_SMS", "outbox"),
		TrustRoots:  os.Getenv("TIRKEU_TRUST_ROOTS"),
		TrustInter:  os.Getenv("TIRKEU_TRUST_INTERMEDIATES"),
		Secret:      os.Getenv("TIRKEU_SECRET"),
		DataDir:     getenv("TIRKEU_DATA_DIR", "data"),
		Workers:     getenv("TIRKEU_JOBS", "on") != "off",
		// The metrics token, like the secret, is read from the
		// environment only: a flag would show it in the process list.
		MetricsToken: os.Getenv("TIRKEU_METRICS_TOKEN"),
	}
	var err error
	if c.ConsentTTL, err = time.ParseDuration(getenv("TIRKEU_CONSENT_TTL", "1h")); err != nil {
		return c, nil, fmt.Errorf("TIRKEU_CONSENT_TTL: %w", err)
	}
	if c.OTPTTL, err = time.ParseDuration(getenv("TIRKEU_OTP_TTL", "5m")); err != nil {
		return c, nil, fmt.Errorf("TIRKEU_OTP_TTL: %w", err)
	}
	if c.TokenCache, err = time.ParseDuration(getenv("TIRKEU_TOKEN_CACHE", "10s")); err != nil {
		return c, nil, fmt.Errorf("TIRKEU_TOKEN_CACHE: %w", err)
	}
	if c.RequestTimeout, err = time.ParseDuration(getenv("TIRKEU_REQUEST_TIMEOUT", "30s")); err != nil {
		return c, nil, fmt.Errorf("TIRKEU_REQUEST_TIMEOUT: %w", err)
	}
	if c.SignatureSkew, err = time.ParseDuration(getenv("TIRKEU_SIGNATURE_SKEW", "5m")); err != nil {
		return c, nil, fmt.Errorf("TIRKEU_SIGNATURE_SKEW: %w", err)
	}
	if c.IPLimit, err = ipLimitFromEnv(); err != nil {
		return c, nil, err
	}
	if c.MCI, err = residence.ParseMCIRates(os.Getenv("TIRKEU_MCI")); err != nil {
		return c, nil, fmt.Errorf("TIRKEU_MCI: %w", err)
	}
	auditKeyErr := c.loadAuditKey()
	fs := flag.NewFlagSet("tirkeu "+name, flag.ContinueOnError)
	fs.StringVar(&c.DatabaseURL, "database", c.DatabaseURL, "database URL (TIRKEU_DATABASE_URL)")
	fs.StringVar(&c.Addr, "addr", c.Addr, "listen address (TIRKEU_ADDR)")
	fs.StringVar(&c.Env, "env", c.Env, "demo or production (TIRKEU_ENV)")
	fs.StringVar(&c.SMS, "sms", c.SMS, "outbox or smpp://user:pass@host:port (TIRKEU_SMS)")
	fs.DurationVar(&c.ConsentTTL, "consent-ttl", c.ConsentTTL, "time an owner has to consent (TIRKEU_CONSENT_TTL)")
	fs.DurationVar(&c.OTPTTL, "otp-ttl", c.OTPTTL, "lifetime of a one-time password (TIRKEU_OTP_TTL)")
	fs.DurationVar(&c.TokenCache, "token-cache", c.TokenCache, "how long a valid bearer token is remembered, 0 to look it up on every request (TIRKEU_TOKEN_CACHE)")
	fs.DurationVar(&c.RequestTimeout, "request-timeout", c.RequestTimeout, "the longest a request may take before its database work is cancelled (503), 0 for no bound (TIRKEU_REQUEST_TIMEOUT)")
	fs.DurationVar(&c.SignatureSkew, "signature-skew", c.SignatureSkew, "how far an EDS signing time may be from the server's clock (TIRKEU_SIGNATURE_SKEW)")
	fs.StringVar(&c.TrustRoots, "trust-roots", c.TrustRoots, "PEM file of EDS trust roots (TIRKEU_TRUST_ROOTS)")
	fs.StringVar(&c.TrustInter, "trust-intermediates", c.TrustInter, "PEM file of EDS intermediates, for signatures that carry only the signer's certificate (TIRKEU_TRUST_INTERMEDIATES)")
	if err := fs.Parse(args); err != nil {
		return c, fs, err
	}
	c.explicitDB = c.DatabaseURL != ""
	if !c.explicitDB {
		c.DatabaseURL = "sqlite:" + filepath.Join(c.DataDir, "tirkeu.db")
	}
	if auditKeyErr != nil {
		return c, fs, auditKeyErr
	}
	return c, fs, c.validate()
}

// demo reports whether the service runs in demo mode.
func (c config) demo() bool { return c.Env == "demo" }

func (c config) validate() error {
	switch c.Env {
	case "demo", "production":
	default:
		return fmt.Errorf("TIRKEU_ENV must be demo or production, not %q", c.Env)
	}
	if c.ConsentTTL <= 0 || c.OTPTTL <= 0 {
		return errors.New("TTLs must be positive")
	}
	if c.SignatureSkew <= 0 {
		return errors.New("TIRKEU_SIGNATURE_SKEW must be positive")
	}
	if c.TokenCache < 0 {
		return errors.New("TIRKEU_TOKEN_CACHE must not be negative")
	}
	if c.RequestTimeout < 0 {
		return errors.New("TIRKEU_REQUEST_TIMEOUT must not be negative")
	}
	if c.Env == "production" {
		var problems []string
		if err := secretStrength(c.Secret); err != nil {
			problems = append(problems, err.Error())
		}
		if c.MetricsToken != "" && len(c.MetricsToken) < 32 {
			problems = append(problems, "TIRKEU_METRICS_TOKEN must be at least 32 random characters (openssl rand -base64 32)")
		}
		if c.SMS == "outbox" || c.SMS == "" {
			problems = append(problems, "TIRKEU_SMS must be an smpp:// URL (the development outbox is for demo mode)")
		}
		if !c.explicitDB {
			problems = append(problems, "TIRKEU_DATABASE_URL must be set explicitly")
		}
		if p := c.auditKeyProblem(); p != "" {
			problems = append(problems, p)
		}
		if len(problems) > 0 {
			return errors.New("production mode refuses to start: " + strings.Join(problems, "; "))
		}
	}
	return nil
}

// serviceConfig is the domain's view of the configuration.
func (c config) serviceConfig() residence.Config {
	rc := residence.DefaultConfig()
	rc.ConsentTTL, rc.OTPTTL = c.ConsentTTL, c.OTPTTL
	rc.SignatureSkew = c.SignatureSkew
	if c.Secret != "" {
		rc.Secret = []byte(c.Secret)
	}
	rc.MCI = c.MCI
	return rc
}
