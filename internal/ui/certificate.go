package ui

import (
	"net/http"
	"strconv"

	"tirkeu/internal/residence"
)

// Registration certificates: the account page issues one (POST, then a
// redirect to its page), the person downloads its PDF and the service's
// signature over it, and anyone holding its QR code checks it at
// /verify/{code}. residence.Service authorises and logs every step.

// certificateView is the page of an issued certificate: only its id (the
// downloads authorise themselves), so the page itself reads nothing.
type certificateView struct {
	Page
	ID      string
	SealPEM bool
}

// issueCertificate issues a certificate of one of the person's
// registrations and redirects to its page.
func (u *UI) issueCertificate(w http.ResponseWriter, r *http.Request) error {
	a, err := u.requireCitizen(r)
	if err != nil {
		return err
	}
	c, err := u.svc.IssueCertificate(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	return redirect(w, r, "/account/certificates/"+c.ID)
}

func (u *UI) certificatePage(w http.ResponseWriter, r *http.Request) error {
	if _, err := u.requireCitizen(r); err != nil {
		return err
	}
	v := &certificateView{Page: u.page(w, r, "certificate.title"), ID: r.PathValue("id"), SealPEM: len(u.opts.SealPEM) > 0}
	return u.render(w, r, http.StatusOK, "certificate", v)
}

// certificateFile serves the PDF or (sig) the detached CMS signature of a
// certificate, to the person it was issued to.
func (u *UI) certificateFile(sig bool) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		a, err := u.requireCitizen(r)
		if err != nil {
			return err
		}
		c, err := u.svc.IssuedCertificate(r.Context(), a, r.PathValue("id"))
		if err != nil {
			return err
		}
		ServeCertificate(w, c, sig)
		return nil
	}
}

// ServeCertificate writes a certificate's PDF (or its signature) as a
// download; the API serves it the same way.
func ServeCertificate(w http.ResponseWriter, c residence.Certificate, sig bool) {
	body, ct, name := c.PDF, "application/pdf", "tirkeu-certificate-"+c.ID+".pdf"
	if sig {
		body, ct, name = c.Signature, "application/pkcs7-signature", name+".p7s"
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(body)
}

// verifyView is the public check of a certificate: validity only.
type verifyView struct {
	Page
	Found bool
	Check residence.CertificateCheck
}

// verifyPage answers whether a certificate is genuine and its registration
// still active. It shows a masked name, never an IIN or an address.
func (u *UI) verifyPage(w http.ResponseWriter, r *http.Request) error {
	v := &verifyView{Page: u.page(w, r, "verify.title")}
	// Whoever asks, the check is an anonymous read (the person's own
	// session does not change what the page shows).
	check, err := u.svc.VerifyCertificate(r.Context(), residence.Actor{}, r.PathValue("code"))
	status := http.StatusOK
	switch {
	case err == nil:
		v.Found, v.Check = true, check
	case residence.IsCode(err, residence.ENotFound):
		status = http.StatusNotFound
	default:
		return err
	}
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("X-Robots-Tag", "noindex")
	return u.render(w, r, status, "verify", v)
}

// sealPEM serves the service's seal certificate, for `tirkeu eds verify-cert`.
func (u *UI) sealPEM(w http.ResponseWriter, r *http.Request) error {
	if len(u.opts.SealPEM) == 0 {
		return &residence.Error{Code: residence.ENotFound, Text: tr("error.no_page")}
	}
	w.Header().Set("Content-Type", "application/x-pem-file")
	_, _ = w.Write(u.opts.SealPEM)
	return nil
}
