package sms

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"time"
)

// Config is the configuration of an SMPP sender, usually parsed from a URL by
// ParseURL.
type Config struct {
	Addr       string // host:port of the SMS centre
	SystemID   string
	Password   string
	SystemType string

	Source    string // sender address; DefaultFrom when empty
	SourceTON byte
	SourceNPI byte
	DestTON   byte
	DestNPI   byte

	// EnquireLink is how often the link is probed; a probe unanswered
	// within Timeout closes the connection.
	EnquireLink time.Duration
	// Window is the most submit_sm awaiting their answer at once.
	Window int
	// Timeout bounds dialling, binding, waiting for a bound session in
	// Send, and each submit_sm_resp.
	Timeout time.Duration
	// ReconnectMin and ReconnectMax bound the exponential back-off between
	// binding attempts.
	ReconnectMin, ReconnectMax time.Duration
	// Throttle is the first pause after ESME_RTHROTTLED or ESME_RMSGQFUL;
	// it doubles while the SMS centre keeps refusing, up to ReconnectMax.
	Throttle time.Duration
	// GSM7 sends texts that fit the GSM 03.38 alphabet with data_coding 0;
	// when false every text goes as UCS-2.
	GSM7 bool
}

// Defaults of Config.
const (
	DefaultEnquireLink  = 30 * time.Second
	DefaultWindow       = 10
	DefaultTimeout      = 10 * time.Second
	DefaultReconnectMin = time.Second
	DefaultReconnectMax = time.Minute
	DefaultThrottle     = time.Second
)

// ParseURL parses
//
//	smpp://system_id:password@host:port?source=1414&source_ton=3&source_npi=0&dest_ton=1&dest_npi=1&bind=trx&enquire_link=30s&window=10
//
// Further optional parameters: system_type, timeout (10s), reconnect_min
// (1s), reconnect_max (1m), throttle (1s), gsm7 (true). Only bind=trx is
// supported: one transceiver session sends and receives. The short code
// 1414 is a network-specific number, hence source_ton=3 and source_npi=0
// by default; the recipient is an international MSISDN (dest_ton=1,
// dest_npi=1).
func ParseURL(raw string) (Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Config{}, fmt.Errorf("sms: parse url: %w", errors.Unwrap(err))
	}
	if u.Scheme != "smpp" {
		return Config{}, fmt.Errorf("sms: url scheme %q: want smpp", u.Scheme)
	}
	if u.Hostname() == "" || u.Port() == "" {
		return Config{}, errors.New("sms: url needs host:port")
	}
	c := Config{
		Addr:         net.JoinHostPort(u.Hostname(), u.Port()),
		SystemID:     u.User.Username(),
		Source:       DefaultFrom,
		SourceTON:    3,
		SourceNPI:    0,
		DestTON:      1,
		DestNPI:      1,
		EnquireLink:  DefaultEnquireLink,
		Window:       DefaultWindow,
		Timeout:      DefaultTimeout,
		ReconnectMin: DefaultReconnectMin,
		ReconnectMax: DefaultReconnectMax,
		Throttle:     DefaultThrottle,
		GSM7:         true,
	}
	c.Password, _ = u.User.Password()
	if c.SystemID == "" {
		return Config{}, errors.New("sms: url needs a system_id")
	}
	if len(c.SystemID) > 15 || len(c.Password) > 8 {
		return Config{}, errors.New("sms: system_id is at most 15 characters, password at most 8")
	}
	q := u.Query()
	var errs []error
	str := func(key string, dst *string, max int) {
		if v, ok := q[key]; ok {
			if len(v[0]) > max {
				errs = append(errs, fmt.Errorf("%s: at most %d characters", key, max))
			}
			*dst = v[0]
		}
	}
	octet := func(key string, dst *byte) {
		if v := q.Get(key); v != "" {
			n, err := strconv.ParseUint(v, 10, 8)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %q is not 0-255", key, v))
			}
			*dst = byte(n)
		}
	}
	dur := func(key string, dst *time.Duration) {
		if v := q.Get(key); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				errs = append(errs, fmt.Errorf("%s: %q is not a positive duration", key, v))
			}
			*dst = d
		}
	}
	str("source", &c.Source, 20)
	str("system_type", &c.SystemType, 12)
	octet("source_ton", &c.SourceTON)
	octet("source_npi", &c.SourceNPI)
	octet("dest_ton", &c.DestTON)
	octet("dest_npi", &c.DestNPI)
	dur("enquire_link", &c.EnquireLink)
	dur("timeout", &c.Timeout)
	dur("reconnect_min", &c.ReconnectMin)
	dur("reconnect_max", &c.ReconnectMax)
	dur("throttle", &c.Throttle)
	if v := q.Get("window"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			errs = append(errs, fmt.Errorf("window: %q is not 1-1000", v))
		}
		c.Window = n
	}
	if v := q.Get("gsm7"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("gsm7: %q is not a boolean", v))
		}
		c.GSM7 = b
	}
	if v := q.Get("bind"); v != "" && v != "trx" {
		errs = append(errs, fmt.Errorf("bind: %q is not supported, only trx", v))
	}
	if c.ReconnectMax < c.ReconnectMin {
		c.ReconnectMax = c.ReconnectMin
	}
	if err := errors.Join(errs...); err != nil {
		return Config{}, fmt.Errorf("sms: url: %w", err)
	}
	return c, nil
}

// Open returns the Sender that rawURL (the TIRKEU_SMS setting) names: an
// Outbox for "" or "outbox", an SMPP client for an smpp:// URL. The SMPP
// client binds in the background, so Open succeeds while the SMS centre is
// unreachable; Send reports ErrNotBound meanwhile. h receives replies and
// receipts (nil refuses them with a temporary error so that the SMS centre
// keeps them); logger nil means slog.Default().
func Open(rawURL string, h Handler, logger *slog.Logger) (Sender, error) {
	if rawURL == "" || rawURL == "outbox" {
		return NewOutbox(), nil
	}
	cfg, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	return NewSMPP(cfg, h, logger), nil
}
