package main

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"tirkeu/internal/certificate"
	"tirkeu/internal/eds"
)

// sealConfig is the service's seal for registration certificates
// (internal/certificate):
//
//   - TIRKEU_SEAL_KEY, TIRKEU_SEAL_PASSWORD: the PKCS#12 key store of the
//     service's seal. In production a key store of the demo CA is refused;
//     without TIRKEU_SEAL_KEY certificates are not offered.
//   - TIRKEU_PUBLIC_URL: the service's public address, which the QR code of
//     a certificate opens (/verify/{code}); required in production with a
//     seal, http://TIRKEU_ADDR in demo mode.
//
// In demo mode, without TIRKEU_SEAL_KEY, the seal is a key store the demo CA
// issues under the data directory (demo-ca/000000000000.p12, password
// "demo").
func loadSeal(cfg config, now time.Time, log *slog.Logger) (*certificate.Maker, error) {
	path, password := os.Getenv("TIRKEU_SEAL_KEY"), os.Getenv("TIRKEU_SEAL_PASSWORD")
	base := strings.TrimRight(os.Getenv("TIRKEU_PUBLIC_URL"), "/")
	if path == "" {
		if !cfg.demo() {
			log.Warn("registration certificates are off: TIRKEU_SEAL_KEY is not set")
			return nil, nil
		}
		dir := filepath.Join(cfg.DataDir, "demo-ca")
		if _, err := eds.EnsureDemoCA(dir, []eds.DemoSubject{certificate.DemoSealSubject}, now); err != nil {
			return nil, fmt.Errorf("demo seal: %w", err)
		}
		path, password = filepath.Join(dir, certificate.DemoSealSubject.IIN+".p12"), eds.DemoPassword
	}
	if base == "" {
		if !cfg.demo() {
			return nil, fmt.Errorf("TIRKEU_PUBLIC_URL is required with TIRKEU_SEAL_KEY: the QR code of a certificate opens it")
		}
		base = "http://" + cfg.Addr
	}
	seal, err := certificate.LoadSeal(path, password, cfg.demo())
	if err != nil {
		return nil, fmt.Errorf("TIRKEU_SEAL_KEY: %w", err)
	}
	return &certificate.Maker{Seal: seal, BaseURL: base}, nil
}
