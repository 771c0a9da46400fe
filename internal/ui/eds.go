package ui

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"

	"tirkeu/internal/residence"
)

// Signing on the pages. A page that asks for a signature renders the exact
// bytes to sign (EDSSign) into its form; with JavaScript, static/ncalayer.js
// hands them to NCALayer on the citizen's computer (module
// kz.gov.pki.knca.basics, method sign, a detached CMS) and posts the
// signature in the hidden field "signature"; without it, the citizen signs
// the same bytes with any tool and uploads the file ("cms"). The handler
// builds the bytes again from the form's own fields and verifies the CMS
// over exactly them, so a signature binds what the form asks for.

// EDSSign is what a page's signing widget needs: the exact bytes to sign,
// as base64 for NCALayer and as text for a person signing them otherwise.
type EDSSign struct {
	ID   string // suffix of the widget's element ids
	Data string // base64 of the bytes
	Text string // the bytes as text
}

func newEDSSign(id string, body []byte) EDSSign {
	return EDSSign{ID: id, Data: base64.StdEncoding.EncodeToString(body), Text: string(body)}
}

// applicationBody is the application as signed on the sign step: the JSON
// the API's POST /api/v1/applications takes, with the portal channel.
func applicationBody(f applyForm, applicant string) []byte {
	subject := f.Subject
	if subject == "" {
		subject = applicant
	}
	body := struct {
		Kind         string `json:"kind"`
		ApplicantIIN string `json:"applicant_iin"`
		SubjectIIN   string `json:"subject_iin"`
		RKA          string `json:"rka"`
		Reason       string `json:"reason,omitempty"`
		StayFrom     string `json:"stay_from,omitempty"`
		StayUntil    string `json:"stay_until,omitempty"`
		Channel      string `json:"channel"`
	}{Kind: f.Kind, ApplicantIIN: applicant, SubjectIIN: subject, RKA: f.EffectiveRKA(), Reason: f.Reason,
		Channel: string(residence.ChannelPortal)}
	if f.Kind == string(residence.Temporary) {
		body.StayFrom, body.StayUntil = f.StayFrom, f.StayUntil
	}
	return mustJSON(body)
}

// consentBody is a consent answer as signed: what residence checks
// (signedFor), the task and the answer.
func consentBody(taskID, answer string) []byte {
	return mustJSON(struct {
		ConsentID string `json:"consent_id"`
		Answer    string `json:"answer"`
	}{taskID, answer})
}

// deregistrationBody is an owner's deregistration request as signed: the
// JSON the API's POST /api/v1/deregistrations takes.
func deregistrationBody(owner, subject, rka, kind, reason string) []byte {
	return mustJSON(struct {
		OwnerIIN   string `json:"owner_iin"`
		SubjectIIN string `json:"subject_iin"`
		RKA        string `json:"rka"`
		Kind       string `json:"kind,omitempty"`
		Reason     string `json:"reason,omitempty"`
	}{owner, subject, rka, kind, reason})
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // structs of strings always marshal
	}
	return b
}

// postedCMS returns the form's signature: NCALayer's base64 CMS from the
// hidden field "signature", else an uploaded file "cms" (uploadedCMS); nil
// when the form carries neither, so that the caller asks for the SMS code.
func postedCMS(r *http.Request) ([]byte, error) {
	if s := strings.TrimSpace(r.PostFormValue("signature")); s != "" {
		b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(s), ""))
		if err != nil || len(b) == 0 {
			return nil, &residence.Error{Code: residence.ESignatureInvalid, Field: "cms", Text: tr("eds.bad_signature")}
		}
		return b, nil
	}
	if r.MultipartForm == nil || len(r.MultipartForm.File["cms"]) == 0 {
		return nil, nil
	}
	if fh := r.MultipartForm.File["cms"][0]; fh.Size == 0 && fh.Filename == "" {
		return nil, nil // the browser sends an empty part for a file input left empty
	}
	return uploadedCMS(r)
}
