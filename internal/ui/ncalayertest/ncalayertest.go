// Package ncalayertest is a stand-in for NCALayer, the NCA's signing
// application, for tests: a WebSocket server over TLS on a random local
// port that speaks the messages the pages' script sends and reads
// (internal/ui/static/ncalayer.js), signing with a key store given to it,
// as a citizen's NCALayer signs with the key they choose.
//
// The protocol, as NCALayer 1.4 speaks it (module kz.gov.pki.knca.basics):
// on connect the server greets {"result":{"version":"1.4"}}; the client
// sends {"module":"kz.gov.pki.knca.basics","method":"sign","args":{...,
// "format":"cms","data":"<base64>","signingParams":{"decode":true,
// "encapsulate":false,...}}}; the answer is {"status":true,"body":
// {"result":["<base64 CMS>"]}} when signed, {"status":true,"body":{}} when
// the person closes the dialogue, {"status":false,"code":"500",
// "message":"…"} on an error.
package ncalayertest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"tirkeu/internal/eds"
)

// Mode is how the stand-in answers a sign request.
type Mode int

const (
	// Sign signs the data with the key store (the person chose a key and
	// confirmed).
	Sign Mode = iota
	// Cancel answers as NCALayer does when the person closes its dialogue.
	Cancel
	// Fail answers with NCALayer's error shape.
	Fail
	// Tamper signs other bytes than the data: a signature the server must
	// refuse.
	Tamper
)

// Request is a sign request the stand-in received.
type Request struct {
	Module string `json:"module"`
	Method string `json:"method"`
	Args   struct {
		AllowedStorages []string `json:"allowedStorages"`
		Format          string   `json:"format"`
		Data            string   `json:"data"`
		SigningParams   struct {
			Decode      bool `json:"decode"`
			Encapsulate bool `json:"encapsulate"`
			Digested    bool `json:"digested"`
		} `json:"signingParams"`
		SignerParams struct {
			ExtKeyUsageOids []string `json:"extKeyUsageOids"`
		} `json:"signerParams"`
		Locale string `json:"locale"`
	} `json:"args"`
}

// Server is a running stand-in. Its methods are safe for concurrent use.
type Server struct {
	// URL is the wss:// address to give the pages.
	URL string

	srv *httptest.Server
	now func() time.Time

	mu       sync.Mutex
	mode     Mode
	p12      []byte
	password string
	requests []Request
	signed   [][]byte // the data of each request signed
}

// Start starts a stand-in; now is the signing time's clock (the server's,
// so that the signature is fresh). Close it when done.
func Start(now func() time.Time) *Server {
	s := &Server{now: now}
	s.srv = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	s.URL = "wss://" + strings.TrimPrefix(s.srv.URL, "https://")
	return s
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// Use sets the key store the next signatures are made with (a PKCS#12 file
// and its password), as the person choosing their key in NCALayer.
func (s *Server) Use(p12 []byte, password string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.p12, s.password = p12, password
}

// SetMode sets how the next sign requests are answered.
func (s *Server) SetMode(m Mode) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mode = m
}

// Requests returns the sign requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Signed returns the bytes of each request it signed (decoded data).
func (s *Server) Signed() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([][]byte(nil), s.signed...)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	// Pages of any origin may connect, as to NCALayer.
	c, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
	if err != nil {
		return
	}
	defer c.CloseNow()
	ctx, cancel := context.WithTimeout(r.Context(), time.Minute)
	defer cancel()
	if err := write(ctx, c, map[string]any{"result": map[string]string{"version": "1.4"}}); err != nil {
		return
	}
	for {
		_, msg, err := c.Read(ctx)
		if err != nil {
			return
		}
		if err := write(ctx, c, s.answer(msg)); err != nil {
			return
		}
	}
}

func write(ctx context.Context, c *websocket.Conn, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return c.Write(ctx, websocket.MessageText, b)
}

type failure struct {
	Status  bool   `json:"status"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Details string `json:"details,omitempty"`
}

func fail(msg string) failure { return failure{Code: "500", Message: msg} }

// answer answers one message as NCALayer does.
func (s *Server) answer(msg []byte) any {
	var req Request
	if err := json.Unmarshal(msg, &req); err != nil {
		return fail("bad request")
	}
	if req.Module != "kz.gov.pki.knca.basics" || req.Method != "sign" {
		return fail("unknown module or method")
	}
	a := req.Args
	if a.Format != "cms" || !a.SigningParams.Decode || a.SigningParams.Encapsulate || a.SigningParams.Digested {
		return fail("unsupported signing parameters")
	}
	data, err := base64.StdEncoding.DecodeString(a.Data)
	if err != nil {
		return fail("data is not base64")
	}
	s.mu.Lock()
	s.requests = append(s.requests, req)
	mode, p12, password := s.mode, s.p12, s.password
	s.mu.Unlock()
	switch mode {
	case Cancel:
		return map[string]any{"status": true, "body": map[string]any{}}
	case Fail:
		return failure{Code: "500", Message: "Internal error", Details: "stand-in failure"}
	case Tamper:
		data = append(append([]byte(nil), data...), ' ')
	}
	if p12 == nil {
		return fail("no key store chosen")
	}
	cms, err := eds.Sign(p12, password, data, s.now())
	if err != nil {
		return fail(err.Error())
	}
	s.mu.Lock()
	s.signed = append(s.signed, data)
	s.mu.Unlock()
	return map[string]any{"status": true, "body": map[string]any{"result": []string{base64.StdEncoding.EncodeToString(cms)}}}
}
