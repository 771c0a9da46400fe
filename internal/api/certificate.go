package api

import (
	"net/http"
	"strconv"

	"tirkeu/internal/residence"
	"tirkeu/internal/web"
)

// issueCertificate issues a sealed registration certificate of one of the
// signed-in person's registrations and answers its PDF. The certificate's
// own URL is in Content-Location and the service's detached signature over
// the PDF is at Link rel="signature".
func (a *API) issueCertificate(w http.ResponseWriter, r *http.Request) error {
	c, err := a.svc.IssueCertificate(r.Context(), web.ActorFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeCertificate(w, c, false)
}

// getCertificate answers an issued certificate's PDF (or, sig, its
// signature) to the person it was issued to.
func (a *API) getCertificate(sig bool) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := a.svc.IssuedCertificate(r.Context(), web.ActorFrom(r.Context()), r.PathValue("id"))
		if err != nil {
			return err
		}
		return writeCertificate(w, c, sig)
	}
}

func writeCertificate(w http.ResponseWriter, c residence.Certificate, sig bool) error {
	body, ct, name := c.PDF, "application/pdf", "tirkeu-certificate-"+c.ID+".pdf"
	if sig {
		body, ct, name = c.Signature, "application/pkcs7-signature", name+".p7s"
	}
	self := "/api/v1/certificates/" + c.ID
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("Content-Location", self)
	h.Set("Link", `<`+self+`/signature>; rel="signature"`)
	h.Set("Cache-Control", "no-store")
	_, err := w.Write(body)
	return err
}
