package sms

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/linxGnu/gosmpp/data"
	"github.com/linxGnu/gosmpp/pdu"
)

// esm_class message types of a deliver_sm (bits 5-2).
const (
	esmTypeMask     = 0x3C
	esmSMSCReceipt  = data.SM_SMSC_DLV_RCPT_TYPE    // 0x04
	esmIntermediate = data.SM_INTMD_DLV_NOTIFY_TYPE // 0x20
	esmUDHI         = data.SM_UDH_GSM               // 0x40
)

// TLV tags read from a deliver_sm.
const (
	tagReceiptedMessageID = 0x001E
	tagMessagePayload     = 0x0424
	tagMessageState       = 0x0427
)

// inbound is a decoded deliver_sm: either a receipt or a mobile-originated
// text.
type inbound struct {
	receipt   bool
	from, to  string
	text      string // MO text
	id        string // receipted message id
	stat      string // DELIVRD, UNDELIV, ...
	errCode   string
	partOf    byte // concatenation: total parts (0 when single)
	partNum   byte
	reference byte
}

// delivered reports whether the receipt says the message reached the phone.
func (in inbound) delivered() bool { return in.stat == "DELIVRD" }

// detail is the receipt's state for the handler ("UNDELIV err:001").
func (in inbound) detail() string {
	if in.errCode != "" && in.errCode != "000" && in.errCode != "0" {
		return in.stat + " err:" + in.errCode
	}
	return in.stat
}

var messageStates = map[byte]string{1: "ENROUTE", 2: "DELIVRD", 3: "EXPIRED", 4: "DELETED", 5: "UNDELIV", 6: "ACCEPTD", 7: "UNKNOWN", 8: "REJECTD"}

// deliverSM is the body of a deliver_sm as received. It is parsed here
// rather than by gosmpp, which drops an unknown data_coding and refuses a
// malformed user data header, so that every field arrives intact.
type deliverSM struct {
	serviceType        string
	srcTON, srcNPI     byte
	src                string
	dstTON, dstNPI     byte
	dst                string
	esmClass           byte
	dataCoding         byte
	shortMessage       []byte
	tlv                map[uint16][]byte
	registeredDelivery byte
}

// parseDeliverSM parses the body of a deliver_sm (after the 16-octet
// header). It never panics and fails on a truncated body.
func parseDeliverSM(b []byte) (deliverSM, error) {
	var d deliverSM
	r := reader{b: b}
	d.serviceType = r.cstring(6)
	d.srcTON, d.srcNPI, d.src = r.byte(), r.byte(), r.cstring(65)
	d.dstTON, d.dstNPI, d.dst = r.byte(), r.byte(), r.cstring(65)
	d.esmClass = r.byte()
	r.byte() // protocol_id
	r.byte() // priority_flag
	r.cstring(17)
	r.cstring(17)
	d.registeredDelivery = r.byte()
	r.byte() // replace_if_present_flag
	d.dataCoding = r.byte()
	r.byte() // sm_default_msg_id
	n := int(r.byte())
	d.shortMessage = r.bytes(n)
	for r.err == nil && len(r.b) > 0 {
		tag := uint16(r.byte())<<8 | uint16(r.byte())
		l := int(r.byte())<<8 | int(r.byte())
		v := r.bytes(l)
		if r.err == nil {
			if d.tlv == nil {
				d.tlv = make(map[uint16][]byte)
			}
			d.tlv[tag] = v
		}
	}
	return d, r.err
}

// reader reads SMPP fields from a byte slice, remembering the first error.
type reader struct {
	b   []byte
	err error
}

var errTruncated = errors.New("truncated PDU")

func (r *reader) byte() byte {
	if r.err != nil || len(r.b) == 0 {
		r.err = errTruncated
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *reader) bytes(n int) []byte {
	if r.err != nil || len(r.b) < n {
		r.err = errTruncated
		return nil
	}
	v := r.b[:n:n]
	r.b = r.b[n:]
	return v
}

// cstring reads a NUL-terminated string of at most max octets, NUL included.
func (r *reader) cstring(max int) string {
	if r.err != nil {
		return ""
	}
	i := bytes.IndexByte(r.b, 0)
	if i < 0 || i >= max {
		r.err = fmt.Errorf("%w: C-string over %d octets", errTruncated, max-1)
		return ""
	}
	s := string(r.b[:i])
	r.b = r.b[i+1:]
	return s
}

// decodeDeliver turns a deliver_sm into an inbound. It fails for a receipt
// without a message id and for a text in a coding it cannot read.
func decodeDeliver(d deliverSM) (inbound, error) {
	in := inbound{
		from: strings.TrimPrefix(d.src, "+"),
		to:   strings.TrimPrefix(d.dst, "+"),
	}
	ud := d.shortMessage
	if len(ud) == 0 {
		ud = d.tlv[tagMessagePayload]
	}
	if d.esmClass&esmUDHI != 0 && len(ud) > 0 {
		var udh pdu.UDH
		var err error
		if ud, udh, err = splitUDH(ud); err != nil {
			return in, err
		}
		if total, num, ref, ok := udh.GetConcatInfo(); ok {
			in.partOf, in.partNum, in.reference = total, num, ref
		}
	}

	switch d.esmClass & esmTypeMask {
	case esmSMSCReceipt, esmIntermediate:
		in.receipt = true
		text, _ := decodeText(d.dataCoding, ud) // receipts are ASCII; a stray coding still parses
		in.id, in.stat, in.errCode = parseReceipt(text)
		if v, ok := d.tlv[tagReceiptedMessageID]; ok {
			in.id = strings.TrimRight(string(v), "\x00")
		}
		if v, ok := d.tlv[tagMessageState]; ok && len(v) == 1 {
			if s, ok := messageStates[v[0]]; ok {
				in.stat = s
			}
		}
		if in.id == "" {
			return in, errors.New("delivery receipt without a message id")
		}
		if in.stat == "" {
			in.stat = "UNKNOWN"
		}
		return in, nil
	}
	var err error
	in.text, err = decodeText(d.dataCoding, ud)
	return in, err
}

// splitUDH separates a user data header (length octet first) from the text.
func splitUDH(b []byte) ([]byte, pdu.UDH, error) {
	if len(b) == 0 || int(b[0])+1 > len(b) {
		return nil, nil, errors.New("user data header longer than the message")
	}
	var u pdu.UDH
	if _, err := u.UnmarshalBinary(b); err != nil {
		return nil, nil, fmt.Errorf("user data header: %w", err)
	}
	return b[int(b[0])+1:], u, nil
}

// parseReceipt reads the id, stat and err fields of the SMPP 3.4 appendix B
// receipt text: "id:IIII sub:001 dlvrd:001 submit date:2501011200 done
// date:2501011201 stat:DELIVRD err:000 text:...". Keys are matched without
// regard to case; the free text after "text:" is ignored, so that it cannot
// fake a field.
func parseReceipt(s string) (id, stat, errCode string) {
	lower := strings.ToLower(s)
	if i := strings.Index(lower, " text:"); i >= 0 {
		s, lower = s[:i], lower[:i]
	}
	field := func(key string) string {
		for from := 0; ; {
			i := strings.Index(lower[from:], key)
			if i < 0 {
				return ""
			}
			i += from
			if i == 0 || lower[i-1] == ' ' {
				v := s[i+len(key):]
				if j := strings.IndexByte(v, ' '); j >= 0 {
					v = v[:j]
				}
				return v
			}
			from = i + len(key)
		}
	}
	return field("id:"), strings.ToUpper(field("stat:")), field("err:")
}
