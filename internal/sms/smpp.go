package sms

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/linxGnu/gosmpp/data"
	"github.com/linxGnu/gosmpp/pdu"
)

// SMPP is a Sender on an SMPP 3.4 transceiver session with an SMS centre.
//
// It keeps one session bound in the background: it dials, binds as a
// transceiver, probes the link with enquire_link, and after the centre
// drops the connection binds again with exponential back-off. Send submits
// a message (several submit_sm for a long text) and waits for each
// submit_sm_resp; at most Config.Window submits wait at once. deliver_sm
// from the centre go to the Handler, and are answered only after it
// returns.
//
// The PDUs are encoded by gosmpp's pdu package, but the session is this
// type's own: gosmpp's Session answers submits through a callback, keeps
// requests in a cache that needs another module, and answers deliver_sm
// before the application has stored it, while Send must block for the
// answer to its own submit and a reply must be acknowledged only once it
// is recorded.
type SMPP struct {
	cfg    Config
	h      Handler
	log    *slog.Logger
	window chan struct{}

	ctx     context.Context // the client's lifetime; cancelled by Close
	cancel  context.CancelFunc
	done    chan struct{} // closed when the connect loop has returned
	closing chan struct{} // closed when Close starts

	mu            sync.Mutex
	sess          *session      // the bound session, nil between sessions
	bound         chan struct{} // closed once sess is set; replaced when it drops
	closed        bool
	throttleUntil time.Time
	throttleStep  time.Duration
	binds         int

	handlers sync.WaitGroup // Handler calls in progress
}

// NewSMPP returns an SMPP sender and starts binding to cfg.Addr in the
// background. Zero fields of cfg take their defaults. Call Close to unbind.
func NewSMPP(cfg Config, h Handler, logger *slog.Logger) *SMPP {
	if logger == nil {
		logger = slog.Default()
	}
	if cfg.Source == "" {
		cfg.Source = DefaultFrom
	}
	if cfg.EnquireLink <= 0 {
		cfg.EnquireLink = DefaultEnquireLink
	}
	if cfg.Window <= 0 {
		cfg.Window = DefaultWindow
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.ReconnectMin <= 0 {
		cfg.ReconnectMin = DefaultReconnectMin
	}
	if cfg.ReconnectMax < cfg.ReconnectMin {
		cfg.ReconnectMax = max(cfg.ReconnectMin, DefaultReconnectMax)
	}
	if cfg.Throttle <= 0 {
		cfg.Throttle = DefaultThrottle
	}
	ctx, cancel := context.WithCancel(context.Background())
	c := &SMPP{
		cfg:     cfg,
		h:       h,
		log:     logger.With("component", "smpp", "smsc", cfg.Addr, "system_id", cfg.SystemID),
		window:  make(chan struct{}, cfg.Window),
		ctx:     ctx,
		cancel:  cancel,
		done:    make(chan struct{}),
		closing: make(chan struct{}),
		bound:   make(chan struct{}),
	}
	go c.run()
	return c
}

var _ Sender = (*SMPP)(nil)

// Bound reports whether a session is bound now (for readiness checks).
func (c *SMPP) Bound() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sess != nil
}

// WaitBound blocks until a session is bound, ctx ends or c is closed.
func (c *SMPP) WaitBound(ctx context.Context) error {
	for {
		c.mu.Lock()
		s, ch, closed := c.sess, c.bound, c.closed
		c.mu.Unlock()
		switch {
		case closed:
			return ErrClosed
		case s != nil:
			return nil
		}
		select {
		case <-ch:
		case <-c.closing:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Send submits m and returns the SMS centre's message_id (of the first part
// for a long text). See the package comment for what its errors mean.
func (c *SMPP) Send(ctx context.Context, m Message) (string, error) {
	if err := validate(&m); err != nil {
		return "", err
	}
	enc, err := encodeText(m.Text, concatRef(m.ID), c.cfg.GSM7)
	if err != nil {
		return "", permanent("encode", err)
	}
	if wait := c.throttled(); wait > 0 {
		return "", &Error{Op: "submit", Temporary: true, Err: ErrThrottled, RetryAfter: wait}
	}
	select {
	case c.window <- struct{}{}:
	case <-ctx.Done():
		return "", temporary("submit", ctx.Err())
	case <-c.closing:
		return "", temporary("submit", ErrClosed)
	}
	defer func() { <-c.window }()

	log := c.log.With("sms_id", m.ID, "to", Mask(m.To))
	var firstID string
	for i, part := range enc.parts {
		sm := pdu.NewSubmitSM().(*pdu.SubmitSM)
		sm.SourceAddr = pdu.NewAddressWithTonNpi(c.cfg.SourceTON, c.cfg.SourceNPI)
		_ = sm.SourceAddr.SetAddress(m.From)
		sm.DestAddr = pdu.NewAddressWithTonNpi(c.cfg.DestTON, c.cfg.DestNPI)
		_ = sm.DestAddr.SetAddress(m.To)
		sm.RegisteredDelivery = 1
		if len(enc.parts) > 1 {
			sm.EsmClass |= esmUDHI
		}
		if err := sm.Message.SetMessageDataWithEncoding(part, codingOf(enc.coding)); err != nil {
			return "", permanent("encode", err)
		}
		id, err := c.submit(ctx, sm, i > 0)
		if err != nil {
			if i > 0 {
				err.Err = fmt.Errorf("%w: part %d of %d: %w", ErrPartial, i+1, len(enc.parts), err.Err)
				err.Temporary = true
			}
			log.Warn("smpp: submit failed", "part", i+1, "parts", len(enc.parts), "error", err)
			return "", err
		}
		if i == 0 {
			firstID = id
		}
	}
	c.throttleReset()
	log.Debug("smpp: submitted", "provider_id", firstID, "parts", len(enc.parts), "data_coding", enc.coding)
	return firstID, nil
}

// codingOf returns the gosmpp encoding that writes data_coding b; the
// bytes are already encoded, so only DataCoding matters.
func codingOf(b byte) data.Encoding {
	if b == codingUCS2 {
		return data.UCS2
	}
	return data.GSM7BIT
}

// submit sends one submit_sm on the bound session and waits for its answer.
// When more is set (a later part of a long text whose first part the
// centre accepted) a lost connection is not the end: the part is submitted
// again on the next session, up to three times, because giving up would
// leave the handset with half a message.
func (c *SMPP) submit(ctx context.Context, sm *pdu.SubmitSM, more bool) (string, *Error) {
	for attempt := 1; ; attempt++ {
		s, err := c.session(ctx)
		if err != nil {
			return "", temporary("connect", err)
		}
		resp, err := s.call(ctx, sm, c.cfg.Timeout)
		if err != nil {
			if more && attempt < 3 && errors.Is(err, ErrConnectionLost) && ctx.Err() == nil {
				continue
			}
			return "", temporary("submit", err)
		}
		h := resp.GetHeader()
		status := uint32(h.CommandStatus)
		if h.CommandID == data.GENERIC_NACK && status == statusOK {
			status = statusSysErr
		}
		if status == statusOK {
			r, ok := resp.(*pdu.SubmitSMResp)
			if !ok {
				// An answer of the wrong kind to our sequence number: the
				// centre is confused, and whether it took the message is
				// unknown.
				return "", temporary("submit", fmt.Errorf("unexpected answer 0x%08X", uint32(h.CommandID)))
			}
			return r.MessageID, nil
		}
		e := &Error{Op: "submit", Status: status, Temporary: temporaryStatus(status)}
		if status == statusThrottled || status == statusMsgQFul {
			e.Err = ErrThrottled
			e.RetryAfter = c.throttle()
		}
		return "", e
	}
}

// throttled returns how long Send must still refuse to submit after the
// centre throttled us.
func (c *SMPP) throttled() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Until(c.throttleUntil)
}

// throttle starts or lengthens the pause after a throttling answer and
// returns it.
func (c *SMPP) throttle() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.throttleStep == 0 {
		c.throttleStep = c.cfg.Throttle
	} else {
		c.throttleStep = min(2*c.throttleStep, c.cfg.ReconnectMax)
	}
	until := time.Now().Add(c.throttleStep)
	if until.After(c.throttleUntil) {
		c.throttleUntil = until
	}
	c.log.Warn("smpp: throttled by the SMS centre", "pause", c.throttleStep)
	return time.Until(c.throttleUntil)
}

func (c *SMPP) throttleReset() {
	c.mu.Lock()
	c.throttleStep = 0
	c.mu.Unlock()
}

// session returns the bound session, waiting up to Timeout for one.
func (c *SMPP) session(ctx context.Context) (*session, error) {
	t := time.NewTimer(c.cfg.Timeout)
	defer t.Stop()
	for {
		c.mu.Lock()
		s, ch, closed := c.sess, c.bound, c.closed
		c.mu.Unlock()
		switch {
		case closed:
			return nil, ErrClosed
		case s != nil:
			return s, nil
		}
		select {
		case <-ch:
		case <-c.closing:
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-t.C:
			return nil, ErrNotBound
		}
	}
}

// Close stops new sends, lets those waiting for an answer finish (up to
// Timeout), unbinds, closes the connection and waits for Handler calls in
// progress (their context is cancelled). It is safe to call twice.
func (c *SMPP) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		<-c.done
		return nil
	}
	c.closed = true
	close(c.closing)
	c.mu.Unlock()

	// Fill the window: once every slot is ours, no submit is in flight.
	t := time.NewTimer(c.cfg.Timeout)
	defer t.Stop()
fill:
	for range cap(c.window) {
		select {
		case c.window <- struct{}{}:
		case <-t.C:
			break fill
		}
	}
	c.cancel()
	<-c.done
	c.handlers.Wait() // no Handler call outlives Close
	return nil
}

// run keeps a session bound until Close.
func (c *SMPP) run() {
	defer close(c.done)
	backoff := c.cfg.ReconnectMin
	for {
		start := time.Now()
		s, err := c.dial()
		if err == nil {
			c.setSession(s)
			select {
			case <-s.done:
			case <-c.ctx.Done():
			}
			if c.ctx.Err() != nil {
				c.clearSession(s, true)
				return
			}
			c.clearSession(s, false)
			c.log.Warn("smpp: connection lost", "error", s.err(), "bound_for", time.Since(start).Round(time.Millisecond))
			if time.Since(start) > c.cfg.ReconnectMax {
				backoff = c.cfg.ReconnectMin
			}
		} else if c.ctx.Err() == nil {
			c.log.Warn("smpp: bind failed", "error", err, "retry_in", backoff)
		}
		// Wait with ±20% jitter, so that several nodes do not rebind in step.
		wait := backoff + time.Duration((rand.Float64()*0.4-0.2)*float64(backoff))
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-c.ctx.Done():
			t.Stop()
			return
		}
		backoff = min(2*backoff, c.cfg.ReconnectMax)
	}
}

func (c *SMPP) setSession(s *session) {
	c.mu.Lock()
	c.sess = s
	c.binds++
	close(c.bound)
	c.mu.Unlock()
	c.log.Info("smpp: bound as transceiver")
}

// clearSession forgets s and closes it, after an unbind when polite.
func (c *SMPP) clearSession(s *session, polite bool) {
	c.mu.Lock()
	if c.sess == s {
		c.sess = nil
		c.bound = make(chan struct{})
	}
	c.mu.Unlock()
	if polite {
		s.unbind(c.cfg.Timeout)
	}
	s.close(ErrConnectionLost)
}

// dial connects and binds a new session.
func (c *SMPP) dial() (*session, error) {
	ctx, cancel := context.WithTimeout(c.ctx, c.cfg.Timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", c.cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("dial: %w", err)
	}
	s := newSession(c, conn)
	go s.readLoop()

	b := pdu.NewBindRequest(pdu.Transceiver)
	b.SystemID, b.Password, b.SystemType = c.cfg.SystemID, c.cfg.Password, c.cfg.SystemType
	resp, err := s.call(ctx, b, c.cfg.Timeout)
	if err != nil {
		s.close(err)
		return nil, fmt.Errorf("bind: %w", err)
	}
	if st := uint32(resp.GetHeader().CommandStatus); st != statusOK || resp.GetHeader().CommandID != data.BIND_TRANSCEIVER_RESP {
		s.close(errors.New("bind refused"))
		return nil, fmt.Errorf("bind refused: %s", StatusName(st))
	}
	go s.enquireLoop()
	return s, nil
}

// session is one TCP connection to the SMS centre.
type session struct {
	c    *SMPP
	conn net.Conn
	seq  atomic.Uint32

	wmu sync.Mutex // serialises writes

	pmu     sync.Mutex
	pending map[uint32]chan pdu.PDU

	done      chan struct{} // closed by close
	closeOnce sync.Once
	cause     error
	handlers  chan struct{} // bounds concurrent Handler calls
}

func newSession(c *SMPP, conn net.Conn) *session {
	return &session{
		c:        c,
		conn:     conn,
		pending:  make(map[uint32]chan pdu.PDU),
		done:     make(chan struct{}),
		handlers: make(chan struct{}, c.cfg.Window),
	}
}

// close ends the session once; calls waiting for an answer fail with
// ErrConnectionLost.
func (s *session) close(cause error) {
	s.closeOnce.Do(func() {
		s.cause = cause
		_ = s.conn.Close()
		close(s.done)
		// Stop handing the dead session to Send before the connect loop
		// notices.
		c := s.c
		c.mu.Lock()
		if c.sess == s {
			c.sess = nil
			c.bound = make(chan struct{})
		}
		c.mu.Unlock()
	})
}

func (s *session) err() error {
	select {
	case <-s.done:
		return s.cause
	default:
		return nil
	}
}

// write sends p; a failed write ends the session.
func (s *session) write(p pdu.PDU) error {
	b := pdu.NewBuffer(make([]byte, 0, 64))
	p.Marshal(b)
	s.wmu.Lock()
	defer s.wmu.Unlock()
	_ = s.conn.SetWriteDeadline(time.Now().Add(s.c.cfg.Timeout))
	if _, err := s.conn.Write(b.Bytes()); err != nil {
		s.close(fmt.Errorf("write: %w", err))
		return err
	}
	return nil
}

// call sends req with a fresh sequence number and waits for the answer.
// An answer that arrived is always returned, even when the connection
// closed or ctx ended at the same moment, so that an accepted message is
// never reported as failed.
func (s *session) call(ctx context.Context, req pdu.PDU, timeout time.Duration) (pdu.PDU, error) {
	seq := s.seq.Add(1) & 0x7FFFFFFF
	if seq == 0 {
		seq = s.seq.Add(1) & 0x7FFFFFFF
	}
	req.SetSequenceNumber(int32(seq))
	ch := make(chan pdu.PDU, 1)
	s.pmu.Lock()
	s.pending[seq] = ch
	s.pmu.Unlock()
	defer func() {
		s.pmu.Lock()
		delete(s.pending, seq)
		s.pmu.Unlock()
	}()
	if err := s.write(req); err != nil {
		return nil, ErrConnectionLost
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	var err error
	select {
	case resp := <-ch:
		return resp, nil
	case <-s.done:
		err = ErrConnectionLost
	case <-t.C:
		err = ErrTimeout
	case <-ctx.Done():
		err = ctx.Err()
	}
	select {
	case resp := <-ch:
		return resp, nil
	default:
		return nil, err
	}
}

// maxPDU bounds what the reader accepts; SMPP 3.4 PDUs are far smaller.
const maxPDU = 64 << 10

// readLoop reads PDUs until the connection fails. It answers the centre's
// requests and hands answers to the calls waiting for them.
func (s *session) readLoop() {
	r := bufio.NewReader(s.conn)
	idle := 2*s.c.cfg.EnquireLink + s.c.cfg.Timeout
	for {
		_ = s.conn.SetReadDeadline(time.Now().Add(idle))
		hdr, body, err := readFrame(r)
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = io.EOF
			}
			s.close(fmt.Errorf("read: %w", err))
			return
		}
		s.dispatch(hdr, body)
	}
}

// header is a PDU header.
type header struct {
	length, id, status, seq uint32
}

// readFrame reads one PDU: its header and the body after it.
func readFrame(r io.Reader) (header, []byte, error) {
	var hb [16]byte
	if _, err := io.ReadFull(r, hb[:]); err != nil {
		return header{}, nil, err
	}
	h := header{
		length: binary.BigEndian.Uint32(hb[0:]),
		id:     binary.BigEndian.Uint32(hb[4:]),
		status: binary.BigEndian.Uint32(hb[8:]),
		seq:    binary.BigEndian.Uint32(hb[12:]),
	}
	if h.length < 16 || h.length > maxPDU {
		return h, nil, fmt.Errorf("command_length %d out of range", h.length)
	}
	body := make([]byte, h.length-16)
	if _, err := io.ReadFull(r, body); err != nil {
		return h, nil, err
	}
	return h, body, nil
}

// unmarshal decodes a whole PDU with gosmpp, turning a panic on hostile
// input into an error.
func unmarshal(h header, body []byte) (p pdu.PDU, err error) {
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, fmt.Errorf("malformed PDU 0x%08X", h.id)
		}
	}()
	p, err = pdu.CreatePDUFromCmdID(data.CommandIDType(h.id))
	if err != nil {
		return nil, err
	}
	b := pdu.NewBuffer(make([]byte, 0, 16+len(body)))
	var hb [16]byte
	binary.BigEndian.PutUint32(hb[0:], h.length)
	binary.BigEndian.PutUint32(hb[4:], h.id)
	binary.BigEndian.PutUint32(hb[8:], h.status)
	binary.BigEndian.PutUint32(hb[12:], h.seq)
	_, _ = b.Write(hb[:])
	_, _ = b.Write(body)
	if err := p.Unmarshal(b); err != nil {
		// An error answer may come without a body; keep its header.
		if h.status != statusOK && h.id&0x80000000 != 0 {
			return headerOnly(p, h), nil
		}
		return nil, err
	}
	return p, nil
}

// headerOnly returns a fresh p of the same kind carrying h's status and
// sequence number.
func headerOnly(p pdu.PDU, h header) pdu.PDU {
	q, _ := pdu.CreatePDUFromCmdID(data.CommandIDType(h.id))
	if q == nil {
		q = p
	}
	setStatus(q, h.status)
	q.SetSequenceNumber(int32(h.seq))
	return q
}

// setStatus sets the command_status of a gosmpp PDU, which offers no setter.
func setStatus(p pdu.PDU, status uint32) {
	switch v := p.(type) {
	case *pdu.SubmitSMResp:
		v.CommandStatus = data.CommandStatusType(status)
	case *pdu.DeliverSMResp:
		v.CommandStatus = data.CommandStatusType(status)
	case *pdu.GenericNack:
		v.CommandStatus = data.CommandStatusType(status)
	case *pdu.BindResp:
		v.CommandStatus = data.CommandStatusType(status)
	case *pdu.EnquireLinkResp:
		v.CommandStatus = data.CommandStatusType(status)
	case *pdu.UnbindResp:
		v.CommandStatus = data.CommandStatusType(status)
	}
}

func (s *session) dispatch(h header, body []byte) {
	switch {
	case h.id&0x80000000 != 0: // an answer, generic_nack included
		p, err := unmarshal(h, body)
		if err != nil {
			s.c.log.Warn("smpp: malformed answer", "command_id", fmt.Sprintf("0x%08X", h.id), "error", err)
			p = pdu.NewGenericNack()
			setStatus(p, statusSysErr)
		}
		s.answer(h.seq, p)
	case h.id == uint32(data.DELIVER_SM):
		d, err := parseDeliverSM(body)
		select {
		case s.handlers <- struct{}{}:
		case <-s.done:
			return
		}
		s.c.handlers.Add(1)
		go func() {
			defer s.c.handlers.Done()
			defer func() { <-s.handlers }()
			s.deliver(h.seq, d, err)
		}()
	case h.id == uint32(data.ENQUIRE_LINK):
		resp := pdu.NewEnquireLinkResp()
		resp.SetSequenceNumber(int32(h.seq))
		_ = s.write(resp)
	case h.id == uint32(data.UNBIND):
		resp := pdu.NewUnbindResp()
		resp.SetSequenceNumber(int32(h.seq))
		_ = s.write(resp)
		s.close(errors.New("unbound by the SMS centre"))
	case h.id == uint32(data.ALERT_NOTIFICATION):
		// Nothing to do: we do not hold messages for absent subscribers.
	default:
		nack := pdu.NewGenericNack()
		setStatus(nack, statusInvCmdID)
		nack.SetSequenceNumber(int32(h.seq))
		_ = s.write(nack)
	}
}

// answer hands an answer to the call waiting for seq.
func (s *session) answer(seq uint32, p pdu.PDU) {
	s.pmu.Lock()
	ch, ok := s.pending[seq]
	s.pmu.Unlock()
	if !ok {
		// Typically a submit_sm_resp after Send gave up waiting: the
		// message was sent although Send reported a timeout.
		s.c.log.Warn("smpp: late or unknown answer", "command_id", fmt.Sprintf("0x%08X", uint32(p.GetHeader().CommandID)), "sequence", seq)
		return
	}
	select {
	case ch <- p:
	default:
	}
}

// handlerTimeout bounds one Handler call.
const handlerTimeout = 30 * time.Second

// deliver passes a deliver_sm to the Handler and answers it afterwards:
// ESME_ROK once the handler stored it, ESME_RX_T_APPN (the centre will
// deliver it again) when the handler failed, ESME_RX_P_APPN for a PDU that
// will never make sense.
func (s *session) deliver(seq uint32, d deliverSM, perr error) {
	status := statusOK
	in, err := inbound{}, perr
	if err == nil {
		in, err = decodeDeliver(d)
	}
	log := s.c.log
	switch {
	case err != nil:
		log.Warn("smpp: undecodable deliver_sm", "error", err)
		status = statusXPAppn
	case s.c.h == nil:
		log.Warn("smpp: deliver_sm refused: no handler")
		status = statusXTAppn
	default:
		ctx, cancel := context.WithTimeout(s.c.ctx, handlerTimeout)
		if in.receipt {
			err = s.c.h.DeliveryReceipt(ctx, in.id, in.delivered(), in.detail())
			log = log.With("kind", "receipt", "provider_id", in.id, "stat", in.stat)
		} else {
			to := in.to
			if to == "" {
				to = s.c.cfg.Source
			}
			if in.partOf > 1 {
				log = log.With("part", in.partNum, "parts", in.partOf)
			}
			err = s.c.h.ReceiveSMS(ctx, in.from, to, in.text)
			log = log.With("kind", "mo", "from", Mask(in.from))
		}
		cancel()
		if err != nil {
			log.Warn("smpp: handler failed; the SMS centre will deliver again", "error", err)
			status = statusXTAppn
		} else {
			log.Debug("smpp: deliver_sm handled")
		}
	}
	resp := pdu.NewDeliverSMResp()
	setStatus(resp, status)
	resp.SetSequenceNumber(int32(seq))
	_ = s.write(resp)
}

// enquireLoop probes the link every EnquireLink; an unanswered probe ends
// the session so that the connect loop binds again.
func (s *session) enquireLoop() {
	t := time.NewTicker(s.c.cfg.EnquireLink)
	defer t.Stop()
	for {
		select {
		case <-s.done:
			return
		case <-t.C:
			if _, err := s.call(s.c.ctx, pdu.NewEnquireLink(), s.c.cfg.Timeout); err != nil {
				s.close(fmt.Errorf("enquire_link: %w", err))
				return
			}
		}
	}
}

// unbind ends the session politely: unbind, wait briefly for unbind_resp,
// close.
func (s *session) unbind(timeout time.Duration) {
	select {
	case <-s.done:
		return
	default:
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	_, _ = s.call(ctx, pdu.NewUnbind(), timeout)
	s.close(ErrClosed)
}
