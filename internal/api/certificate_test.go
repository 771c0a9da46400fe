package api_test

import (
	"context"
	"strings"
	"testing"

	"tirkeu/internal/residence"
)

// registrationOf returns the id of one of the person's registrations
// (active first; a past one has a certificate too).
func (h *harness) registrationOf(name string) string {
	h.t.Helper()
	var id string
	err := h.st.View(context.Background(), func(r residence.Reader) error {
		regs, err := r.Registrations(context.Background(), h.iin(name))
		for _, reg := range regs {
			if id == "" {
				id = reg.ID
			}
		}
		return err
	})
	if err != nil || id == "" {
		h.t.Fatalf("no registration of %s: %v", name, err)
	}
	return id
}

// certificateOf issues a certificate of the person's registration.
func (h *harness) certificateOf(name string) string {
	h.t.Helper()
	c, err := h.svc.IssueCertificate(context.Background(), residence.Actor{Role: residence.RoleCitizen, IIN: h.iin(name)}, h.registrationOf(name))
	if err != nil {
		h.t.Fatal(err)
	}
	return c.ID
}

func wantPDF(t *testing.T, e *cellEnv, res response) {
	t.Helper()
	if ct := res.header.Get("Content-Type"); ct != "application/pdf" || !strings.HasPrefix(string(res.raw), "%PDF-") {
		t.Errorf("Content-Type %q, body %.10q: want a PDF", ct, res.raw)
	}
	if loc := res.header.Get("Content-Location"); !strings.HasPrefix(loc, "/api/v1/certificates/") {
		t.Errorf("Content-Location = %q", loc)
	}
}
