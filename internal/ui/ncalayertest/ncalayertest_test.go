package ncalayertest

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/coder/websocket"

	"tirkeu/internal/demo"
	"tirkeu/internal/eds"
)

var now = time.Date(2026, 11, 22, 7, 0, 0, 0, time.UTC)

// exchange connects like the pages' script, reads the greeting, sends one
// sign request over data and returns the raw answer.
func exchange(t *testing.T, s *Server, data []byte) map[string]any {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, s.URL, &websocket.DialOptions{HTTPClient: &http.Client{
		Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}}) //nolint:gosec // the stand-in's test certificate
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	_, hello, err := c.Read(ctx)
	if err != nil || string(hello) != `{"result":{"version":"1.4"}}` {
		t.Fatalf("greeting %s, %v", hello, err)
	}
	req := `{"module":"kz.gov.pki.knca.basics","method":"sign","args":{"allowedStorages":["PKCS12"],"format":"cms","data":"` +
		base64.StdEncoding.EncodeToString(data) + `","signingParams":{"decode":true,"encapsulate":false,"digested":false,"tsaProfile":null},` +
		`"signerParams":{"extKeyUsageOids":["1.3.6.1.5.5.7.3.4"],"chain":[]},"locale":"kk"}}`
	if err := c.Write(ctx, websocket.MessageText, []byte(req)); err != nil {
		t.Fatal(err)
	}
	_, raw, err := c.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("answer %s: %v", raw, err)
	}
	return out
}

// TestStandIn: the stand-in answers in NCALayer's shapes, and what it signs
// verifies as a GOST 2015 signature of the demo CA over exactly the data
// (or, tampering, does not).
func TestStandIn(t *testing.T) {
	dir := t.TempDir()
	iin := demo.EDSSubjects()[0].IIN
	roots, err := eds.EnsureDemoCA(dir, []eds.DemoSubject{{IIN: iin, CommonName: "TEST"}}, now)
	if err != nil {
		t.Fatal(err)
	}
	p12, err := os.ReadFile(filepath.Join(dir, iin+".p12"))
	if err != nil {
		t.Fatal(err)
	}
	v, err := eds.NewVerifier(eds.Config{Roots: roots, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	s := Start(func() time.Time { return now })
	defer s.Close()
	data := []byte(`{"consent_id":"x","answer":"confirm"}`)

	if a := exchange(t, s, data); a["status"] != false || a["code"] != "500" {
		t.Fatalf("without a key store: %v", a)
	}
	s.Use(p12, eds.DemoPassword)
	for _, tt := range []struct {
		mode  Mode
		valid bool
	}{{Sign, true}, {Tamper, false}} {
		s.SetMode(tt.mode)
		a := exchange(t, s, data)
		res, _ := a["body"].(map[string]any)["result"].([]any)
		if a["status"] != true || len(res) != 1 {
			t.Fatalf("mode %d: %v", tt.mode, a)
		}
		cms, _ := base64.StdEncoding.DecodeString(res[0].(string))
		signer, err := v.Verify(context.Background(), cms, data)
		if (err == nil) != tt.valid || (tt.valid && signer.IIN != iin) {
			t.Fatalf("mode %d: verify %+v, %v", tt.mode, signer, err)
		}
	}
	s.SetMode(Cancel)
	if a := exchange(t, s, data); a["status"] != true || len(a["body"].(map[string]any)) != 0 {
		t.Fatalf("cancel: %v", a)
	}
	s.SetMode(Fail)
	if a := exchange(t, s, data); a["status"] != false || a["code"] != "500" {
		t.Fatalf("fail: %v", a)
	}
	if r := s.Requests(); len(r) != 5 || r[0].Args.Locale != "kk" {
		t.Fatalf("requests %+v", r)
	}
}
