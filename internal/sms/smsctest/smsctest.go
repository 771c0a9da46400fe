// Package smsctest is a fake SMS centre for tests: a real SMPP 3.4 peer on a
// loopback TCP listener. It accepts transceiver binds, records every
// submit_sm it accepts, answers enquire_link, sends deliver_sm (texts and
// delivery receipts) and waits for their answers, and can misbehave on
// demand: refuse or throttle a submit, drop the connection before or after
// answering, or drop it at any moment.
//
// It speaks SMPP through gosmpp's pdu package, independently of the client
// in package sms, so that tests see the bytes on the wire.
package smsctest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/linxGnu/gosmpp/data"
	"github.com/linxGnu/gosmpp/pdu"
)

// Submit is one submit_sm as the centre received it.
type Submit struct {
	MessageID          string // the id the centre answered with ("" if not accepted)
	SourceAddr         string
	SourceTON          byte
	SourceNPI          byte
	DestAddr           string
	DestTON            byte
	DestNPI            byte
	EsmClass           byte
	DataCoding         byte
	RegisteredDelivery byte
	UDH                []byte // the user data header, length octet first; nil when none
	ShortMessage       []byte // the user data after the UDH
	// Concatenation (8-bit reference IE), zero for a single message.
	Ref, Total, Part byte
}

// Text decodes ShortMessage: UCS-2 for data_coding 8, GSM-7 (unpacked)
// for 0.
func (s Submit) Text() string {
	switch s.DataCoding {
	case 0x08:
		u := make([]uint16, len(s.ShortMessage)/2)
		for i := range u {
			u[i] = uint16(s.ShortMessage[2*i])<<8 | uint16(s.ShortMessage[2*i+1])
		}
		return string(utf16.Decode(u))
	case 0x00:
		t, _ := data.GSM7BIT.Decode(s.ShortMessage)
		return t
	}
	return string(s.ShortMessage)
}

// Reply says how the centre answers a submit_sm.
type Reply struct {
	// Status is the command_status of submit_sm_resp; 0 accepts the
	// message.
	Status uint32
	// DropBefore hangs up instead of taking the submit: nothing is
	// recorded, nothing answered, and later PDUs on the connection are
	// ignored.
	DropBefore bool
	// DropAfter accepts and answers, then hangs up.
	DropAfter bool
	// LoseAnswer accepts the message but hangs up instead of answering:
	// the lost submit_sm_resp of the at-least-once edge.
	LoseAnswer bool
}

// Server is the fake SMS centre. Its zero value is not usable; call Start.
type Server struct {
	SystemID, Password string

	ln net.Listener

	mu        sync.Mutex
	onSubmit  func(n int, s Submit) Reply
	submits   []Submit // accepted, in order
	attempts  int      // submit_sm seen
	binds     int
	enquiries int
	nextID    int
	conns     map[*conn]struct{}
	bound     *conn // the last bound transceiver
	changed   chan struct{}
}

// Start listens on 127.0.0.1:0 and serves until the test ends.
func Start(tb testing.TB, systemID, password string) *Server {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("smsctest: listen: %v", err)
	}
	s := &Server{SystemID: systemID, Password: password, ln: ln, conns: map[*conn]struct{}{}, changed: make(chan struct{})}
	go s.serve()
	tb.Cleanup(s.Close)
	return s
}

// Addr returns the listener's host:port.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// URL returns an smpp:// URL for the server with the given query (without
// "?").
func (s *Server) URL(query string) string {
	u := url.URL{Scheme: "smpp", User: url.UserPassword(s.SystemID, s.Password), Host: s.Addr(), RawQuery: query}
	return u.String()
}

// OnSubmit sets how the n-th submit_sm (counting from 1, accepted or not)
// is answered; nil accepts all.
func (s *Server) OnSubmit(f func(n int, sub Submit) Reply) {
	s.mu.Lock()
	s.onSubmit = f
	s.mu.Unlock()
}

// Submits returns the accepted submit_sm, in order of arrival.
func (s *Server) Submits() []Submit {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Submit(nil), s.submits...)
}

// Binds returns how many binds succeeded.
func (s *Server) Binds() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.binds
}

// Wait blocks until cond (called with the server's state locked) holds or
// ctx ends.
func (s *Server) Wait(ctx context.Context, cond func(*Server) bool) error {
	for {
		s.mu.Lock()
		ok, ch := cond(s), s.changed
		s.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// WaitSubmits waits until at least n submits were accepted.
func (s *Server) WaitSubmits(ctx context.Context, n int) ([]Submit, error) {
	err := s.Wait(ctx, func(s *Server) bool { return len(s.submits) >= n })
	return s.Submits(), err
}

// WaitBinds waits until at least n binds succeeded.
func (s *Server) WaitBinds(ctx context.Context, n int) error {
	return s.Wait(ctx, func(s *Server) bool { return s.binds >= n })
}

// WaitEnquireLinks waits until at least n enquire_link were answered.
func (s *Server) WaitEnquireLinks(ctx context.Context, n int) error {
	return s.Wait(ctx, func(s *Server) bool { return s.enquiries >= n })
}

// notify wakes Wait; call with mu held.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// Drop closes every connection at once, as an SMS centre crash would:
// answers in flight may be lost.
func (s *Server) Drop() {
	s.mu.Lock()
	conns := make([]*conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.close()
	}
}

// Close stops listening and drops every connection.
func (s *Server) Close() {
	_ = s.ln.Close()
	s.Drop()
}

// ErrNotBound is returned by Deliver when no transceiver is bound.
var ErrNotBound = errors.New("smsctest: no bound transceiver")

// Deliver sends d to the last bound transceiver and returns the
// command_status of its deliver_sm_resp.
func (s *Server) Deliver(ctx context.Context, d pdu.PDU) (uint32, error) {
	s.mu.Lock()
	c := s.bound
	s.mu.Unlock()
	if c == nil {
		return 0, ErrNotBound
	}
	resp, err := c.call(ctx, d)
	if err != nil {
		return 0, err
	}
	return uint32(resp.GetHeader().CommandStatus), nil
}

// DeliverText sends a mobile-originated text from an MSISDN to a number:
// UCS-2 when coding is 8, GSM-7 when it is 0.
func (s *Server) DeliverText(ctx context.Context, from, to, text string, coding byte) (uint32, error) {
	d := pdu.NewDeliverSM().(*pdu.DeliverSM)
	d.SourceAddr = pdu.NewAddressWithTonNpi(1, 1)
	_ = d.SourceAddr.SetAddress(from)
	d.DestAddr = pdu.NewAddressWithTonNpi(3, 0)
	_ = d.DestAddr.SetAddress(to)
	enc := data.GSM7BIT
	if coding == 0x08 {
		enc = data.UCS2
	}
	msg, err := pdu.NewShortMessageWithEncoding(text, enc)
	if err != nil {
		return 0, err
	}
	d.Message = msg
	return s.Deliver(ctx, d)
}

// DeliverReceipt sends an SMSC delivery receipt for messageID with state
// stat (DELIVRD, UNDELIV, ...) in the SMPP 3.4 appendix B text format.
func (s *Server) DeliverReceipt(ctx context.Context, to, messageID, stat, errCode string) (uint32, error) {
	d := pdu.NewDeliverSM().(*pdu.DeliverSM)
	d.SourceAddr = pdu.NewAddressWithTonNpi(1, 1)
	_ = d.SourceAddr.SetAddress(to)
	d.DestAddr = pdu.NewAddressWithTonNpi(3, 0)
	_ = d.DestAddr.SetAddress("1414")
	d.EsmClass = data.SM_SMSC_DLV_RCPT_TYPE
	text := fmt.Sprintf("id:%s sub:001 dlvrd:001 submit date:2601011200 done date:2601011201 stat:%s err:%s text:", messageID, stat, errCode)
	msg, err := pdu.NewShortMessageWithEncoding(text, data.GSM7BIT)
	if err != nil {
		return 0, err
	}
	d.Message = msg
	return s.Deliver(ctx, d)
}

func (s *Server) serve() {
	for {
		nc, err := s.ln.Accept()
		if err != nil {
			return
		}
		c := &conn{srv: s, nc: nc, pending: map[int32]chan pdu.PDU{}, done: make(chan struct{})}
		s.mu.Lock()
		s.conns[c] = struct{}{}
		s.mu.Unlock()
		go c.serve()
	}
}

// conn is one ESME connection.
type conn struct {
	srv *Server
	nc  net.Conn

	wmu sync.Mutex

	pmu     sync.Mutex
	seq     int32
	pending map[int32]chan pdu.PDU

	once sync.Once
	done chan struct{}
}

func (c *conn) close() {
	c.once.Do(func() {
		_ = c.nc.Close()
		close(c.done)
		c.srv.mu.Lock()
		delete(c.srv.conns, c)
		if c.srv.bound == c {
			c.srv.bound = nil
		}
		c.srv.notify()
		c.srv.mu.Unlock()
	})
}

func (c *conn) write(p pdu.PDU) error {
	b := pdu.NewBuffer(nil)
	p.Marshal(b)
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_, err := c.nc.Write(b.Bytes())
	return err
}

// call sends a request to the ESME and waits for its answer.
func (c *conn) call(ctx context.Context, p pdu.PDU) (pdu.PDU, error) {
	ch := make(chan pdu.PDU, 1)
	c.pmu.Lock()
	c.seq++
	seq := c.seq
	c.pending[seq] = ch
	c.pmu.Unlock()
	p.SetSequenceNumber(seq)
	if err := c.write(p); err != nil {
		return nil, err
	}
	select {
	case r := <-ch:
		return r, nil
	case <-c.done:
		return nil, errors.New("smsctest: connection closed")
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// hangUp ends the connection the way an SMS centre going down in order
// does: it stops taking PDUs, sends FIN after the answers already written,
// and discards whatever the client still sends until it closes. (Closing
// at once with unread data would send RST, and the client's kernel could
// discard answers already sent: the lost-answer case, which LoseAnswer
// tests on purpose.)
func (c *conn) hangUp(r *bufio.Reader) {
	c.srv.mu.Lock()
	if c.srv.bound == c {
		c.srv.bound = nil
	}
	c.srv.mu.Unlock()
	if tc, ok := c.nc.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
	}
	_ = c.nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, _ = io.Copy(io.Discard, r)
}

func (c *conn) serve() {
	defer c.close()
	r := bufio.NewReader(c.nc)
	for {
		p, err := pdu.Parse(r)
		if err != nil {
			return
		}
		switch v := p.(type) {
		case *pdu.BindRequest:
			resp := pdu.NewBindResp(*v)
			resp.SystemID = "smsctest"
			ok := v.BindingType == pdu.Transceiver && v.SystemID == c.srv.SystemID && v.Password == c.srv.Password
			if !ok {
				resp.CommandStatus = data.ESME_RBINDFAIL
			}
			if ok {
				// Bound before the answer leaves, so that a client that
				// sees the answer can be delivered to at once.
				c.srv.mu.Lock()
				c.srv.binds++
				c.srv.bound = c
				c.srv.notify()
				c.srv.mu.Unlock()
			}
			if c.write(resp) != nil {
				return
			}
		case *pdu.SubmitSM:
			if !c.submit(v) {
				c.hangUp(r)
				return
			}
		case *pdu.EnquireLink:
			if c.write(v.GetResponse()) != nil {
				return
			}
			c.srv.mu.Lock()
			c.srv.enquiries++
			c.srv.notify()
			c.srv.mu.Unlock()
		case *pdu.Unbind:
			_ = c.write(v.GetResponse())
			return
		default:
			if p.GetHeader().CommandID&data.CommandIDType(-0x80000000) != 0 {
				c.pmu.Lock()
				ch := c.pending[p.GetSequenceNumber()]
				delete(c.pending, p.GetSequenceNumber())
				c.pmu.Unlock()
				if ch != nil {
					ch <- p
				}
				continue
			}
			nack := pdu.NewGenericNack()
			nack.SetSequenceNumber(p.GetSequenceNumber())
			if c.write(nack) != nil {
				return
			}
		}
	}
}

// submit handles one submit_sm and reports whether the connection stays.
func (c *conn) submit(v *pdu.SubmitSM) bool {
	sub := Submit{
		SourceAddr: v.SourceAddr.Address(), SourceTON: v.SourceAddr.Ton(), SourceNPI: v.SourceAddr.Npi(),
		DestAddr: v.DestAddr.Address(), DestTON: v.DestAddr.Ton(), DestNPI: v.DestAddr.Npi(),
		EsmClass: v.EsmClass, RegisteredDelivery: v.RegisteredDelivery,
	}
	if enc := v.Message.Encoding(); enc != nil {
		sub.DataCoding = enc.DataCoding()
	}
	sub.ShortMessage, _ = v.Message.GetMessageData()
	if udh := v.Message.UDH(); len(udh) > 0 {
		sub.UDH, _ = udh.MarshalBinary()
		sub.Total, sub.Part, sub.Ref, _ = udh.GetConcatInfo()
	}

	s := c.srv
	s.mu.Lock()
	s.attempts++
	n, f := s.attempts, s.onSubmit
	s.mu.Unlock()
	var reply Reply
	if f != nil {
		reply = f(n, sub)
	}
	if reply.DropBefore {
		return false
	}
	resp := v.GetResponse().(*pdu.SubmitSMResp)
	resp.CommandStatus = data.CommandStatusType(reply.Status)
	if reply.Status == 0 {
		s.mu.Lock()
		s.nextID++
		sub.MessageID = fmt.Sprintf("%08X", s.nextID)
		s.submits = append(s.submits, sub)
		s.notify()
		s.mu.Unlock()
		resp.MessageID = sub.MessageID
	}
	if reply.LoseAnswer {
		return false
	}
	if c.write(resp) != nil {
		return false
	}
	return !reply.DropAfter
}
