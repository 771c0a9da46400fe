package sms

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/linxGnu/gosmpp/data"
	"github.com/linxGnu/gosmpp/pdu"
)

func TestGSM7Table(t *testing.T) {
	t.Parallel()
	if len(gsm7Basic) != 128 {
		t.Fatalf("gsm7Basic has %d characters; want 128", len(gsm7Basic))
	}
	// Our decoder and gosmpp's encoder agree on every character.
	for i, r := range gsm7Basic {
		if r == 0x1B {
			continue
		}
		b, err := data.GSM7BIT.Encode(string(r))
		if err != nil || len(b) != 1 || b[0] != byte(i) {
			t.Errorf("gosmpp encodes %q as % X (%v); want %02X", r, b, err, i)
		}
	}
	for code, r := range gsm7Ext {
		if got := decodeGSM7([]byte{0x1B, code}); got != string(r) {
			t.Errorf("decodeGSM7(1B %02X) = %q; want %q", code, got, r)
		}
	}
}

func TestEncodeText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		text    string
		coding  byte
		parts   int
		partLen []int // user data octets per part, UDH excluded
	}{
		{"short latin", "Your code is 123456", codingDefault, 1, []int{19}},
		{"160 gsm", strings.Repeat("a", 160), codingDefault, 1, []int{160}},
		{"161 gsm", strings.Repeat("a", 161), codingDefault, 2, []int{153, 8}},
		{"escapes not split", strings.Repeat("a", 152) + "€" + strings.Repeat("b", 8), codingDefault, 2, []int{152, 10}},
		{"russian", "Ваш код 123456", codingUCS2, 1, []int{28}},
		{"kazakh letters", "әғқңөұүһі", codingUCS2, 1, []int{18}},
		{"one kazakh letter in latin", "Code 123456 қ", codingUCS2, 1, []int{26}},
		{"70 ucs2", strings.Repeat("ж", 70), codingUCS2, 1, []int{140}},
		{"71 ucs2", strings.Repeat("ж", 71), codingUCS2, 2, []int{134, 8}},
		{"surrogate pair kept whole", strings.Repeat("ж", 66) + "😀" + strings.Repeat("ж", 5), codingUCS2, 2, []int{132, 14}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e, err := encodeText(tt.text, 42, true)
			if err != nil {
				t.Fatal(err)
			}
			if e.coding != tt.coding || len(e.parts) != tt.parts {
				t.Fatalf("coding 0x%02X, %d parts; want 0x%02X, %d", e.coding, len(e.parts), tt.coding, tt.parts)
			}
			var text strings.Builder
			for i, p := range e.parts {
				ud := p
				if tt.parts > 1 {
					want := []byte{5, 0, 3, 42, byte(tt.parts), byte(i + 1)}
					if !bytes.HasPrefix(p, want) {
						t.Fatalf("part %d: header % X; want % X", i+1, p[:6], want)
					}
					ud = p[6:]
				}
				if len(ud) != tt.partLen[i] {
					t.Errorf("part %d: %d octets; want %d", i+1, len(ud), tt.partLen[i])
				}
				if limit := maxOctets(e.coding); len(p) > limit {
					t.Errorf("part %d: %d octets in all; over %d", i+1, len(p), limit)
				}
				s, err := decodeText(e.coding, ud)
				if err != nil {
					t.Fatal(err)
				}
				text.WriteString(s)
			}
			if text.String() != tt.text {
				t.Errorf("round trip %q; want %q", text.String(), tt.text)
			}
		})
	}
	if _, err := encodeText(strings.Repeat("a", 153*MaxParts+1), 1, true); err == nil {
		t.Error("a text over MaxParts parts was accepted")
	}
}

// maxOctets is the most short_message octets of one SMS: 140 for UCS-2,
// 160 for unpacked GSM-7 (the centre packs 160 septets into 140 octets; a
// 6-octet UDH takes the room of 7 septets, so 6+153 = 159).
func maxOctets(coding byte) int {
	if coding == codingDefault {
		return 160
	}
	return 140
}

func TestDecodeText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		coding byte
		in     []byte
		want   string
	}{
		{"gsm7", 0x00, []byte("Hello @"[:6] + "\x00"), "Hello @"},
		{"gsm7 high octet", 0x00, []byte{0x41, 0xFF}, "A\uFFFD"},
		{"gsm7 trailing escape", 0x00, []byte{0x41, 0x1B}, "A "},
		{"gsm7 euro", 0x00, []byte{0x1B, 0x65}, "€"},
		{"ia5", 0x01, []byte("no"), "no"},
		{"latin1", 0x03, []byte{0x6E, 0xE9}, "né"},
		{"cyrillic iso-8859-5", 0x06, []byte{0xBD, 0xD5, 0xE2}, "Нет"},
		{"ucs2", 0x08, ucs2("Жоқ"), "Жоқ"},
		{"ucs2 odd length", 0x08, append(ucs2("Жоқ"), 0x04), "Жоқ\uFFFD"},
		{"ucs2 with class", 0x18, ucs2("иә"), "иә"},
		{"class 0 gsm7", 0xF0, []byte("hi"), "hi"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := decodeText(tt.coding, tt.in)
			if err != nil || got != tt.want {
				t.Errorf("decodeText(0x%02X, % X) = %q, %v; want %q", tt.coding, tt.in, got, err, tt.want)
			}
		})
	}
	for _, c := range []byte{0x02, 0x04, 0xF4} {
		if _, err := decodeText(c, []byte{1, 2}); err == nil {
			t.Errorf("decodeText(0x%02X) decoded binary data", c)
		}
	}
}

func TestParseReceipt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text, id, stat, err string
	}{
		{"id:0123456789 sub:001 dlvrd:001 submit date:2601011200 done date:2601011201 stat:DELIVRD err:000 text:Код 123456", "0123456789", "DELIVRD", "000"},
		{"id:ab12 sub:001 dlvrd:000 submit date:2601011200 done date:2601011201 stat:UNDELIV err:001 Text:stat:DELIVRD id:x", "ab12", "UNDELIV", "001"},
		{"ID:77 STAT:expired", "77", "EXPIRED", ""},
		{"msgid:9 stat:DELIVRD", "", "DELIVRD", ""},
		{"", "", "", ""},
	}
	for _, tt := range tests {
		id, stat, err := parseReceipt(tt.text)
		if id != tt.id || stat != tt.stat || err != tt.err {
			t.Errorf("parseReceipt(%q) = %q %q %q; want %q %q %q", tt.text, id, stat, err, tt.id, tt.stat, tt.err)
		}
	}
}

// marshalDeliver encodes d with gosmpp and returns the body after the header.
func marshalDeliver(d *pdu.DeliverSM) []byte {
	b := pdu.NewBuffer(nil)
	d.Marshal(b)
	return b.Bytes()[16:]
}

func TestDecodeDeliver(t *testing.T) {
	t.Parallel()
	mo := pdu.NewDeliverSM().(*pdu.DeliverSM)
	_ = mo.SourceAddr.SetAddress("+77011234567")
	_ = mo.DestAddr.SetAddress("1414")
	mo.Message, _ = pdu.NewShortMessageWithEncoding("Жоқ", data.UCS2)

	rcpt := pdu.NewDeliverSM().(*pdu.DeliverSM)
	rcpt.EsmClass = 0x04
	rcpt.Message, _ = pdu.NewShortMessage("id:1 stat:ENROUTE err:000")
	rcpt.RegisterOptionalParam(pdu.Field{Tag: tagReceiptedMessageID, Data: []byte("00AB\x00")})
	rcpt.RegisterOptionalParam(pdu.Field{Tag: tagMessageState, Data: []byte{2}})

	part := pdu.NewDeliverSM().(*pdu.DeliverSM)
	part.EsmClass = 0x40
	_ = part.SourceAddr.SetAddress("77011234567")
	part.Message, _ = pdu.NewBinaryShortMessageWithEncoding(append([]byte{5, 0, 3, 9, 2, 1}, ucs2("иә")...), data.UCS2)

	payload := pdu.NewDeliverSM().(*pdu.DeliverSM)
	payload.Message, _ = pdu.NewShortMessage("")
	payload.RegisterOptionalParam(pdu.Field{Tag: tagMessagePayload, Data: []byte("123456")})

	tests := []struct {
		name string
		d    *pdu.DeliverSM
		want inbound
	}{
		{"mo ucs2", mo, inbound{from: "77011234567", to: "1414", text: "Жоқ"}},
		{"receipt with tlvs", rcpt, inbound{receipt: true, id: "00AB", stat: "DELIVRD", errCode: "000"}},
		{"mo part", part, inbound{from: "77011234567", text: "иә", partOf: 2, partNum: 1, reference: 9}},
		{"message_payload", payload, inbound{text: "123456"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, err := parseDeliverSM(marshalDeliver(tt.d))
			if err != nil {
				t.Fatal(err)
			}
			got, err := decodeDeliver(d)
			if err != nil || got != tt.want {
				t.Errorf("decodeDeliver = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}

	noID := pdu.NewDeliverSM().(*pdu.DeliverSM)
	noID.EsmClass = 0x04
	noID.Message, _ = pdu.NewShortMessage("stat:DELIVRD")
	d, _ := parseDeliverSM(marshalDeliver(noID))
	if _, err := decodeDeliver(d); err == nil {
		t.Error("a receipt without an id was accepted")
	}
	body := marshalDeliver(mo)
	for n := range len(body) - 1 {
		if _, err := parseDeliverSM(body[:n]); err == nil && n < len(body)-len(ucs2("Жоқ")) {
			t.Errorf("parseDeliverSM accepted a body cut at %d of %d", n, len(body))
		}
	}
}

// FuzzDecodeDeliver feeds arbitrary deliver_sm bodies to the decoding path
// of inbound messages: it must never panic, and a decoded text is valid
// UTF-8.
func FuzzDecodeDeliver(f *testing.F) {
	mo := pdu.NewDeliverSM().(*pdu.DeliverSM)
	mo.Message, _ = pdu.NewShortMessageWithEncoding("Жоқ 123456", data.UCS2)
	f.Add(marshalDeliver(mo))
	r := pdu.NewDeliverSM().(*pdu.DeliverSM)
	r.EsmClass = 0x44
	r.Message, _ = pdu.NewBinaryShortMessageWithEncoding([]byte("\x05\x00\x03\x01\x02\x01id:1 stat:DELIVRD"), data.GSM7BIT)
	r.RegisterOptionalParam(pdu.Field{Tag: tagMessageState, Data: []byte{5}})
	f.Add(marshalDeliver(r))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, body []byte) {
		d, err := parseDeliverSM(body)
		if err != nil {
			return
		}
		in, err := decodeDeliver(d)
		if err == nil && !utf8.ValidString(in.text) {
			t.Fatalf("invalid UTF-8 text %q", in.text)
		}
	})
}

// FuzzFrame feeds arbitrary bytes to the PDU reader and to gosmpp's decoders
// behind it, as a hostile SMS centre could: no panic.
func FuzzFrame(f *testing.F) {
	resp := pdu.NewSubmitSMResp().(*pdu.SubmitSMResp)
	resp.MessageID = "00AB"
	b := pdu.NewBuffer(nil)
	resp.Marshal(b)
	f.Add(b.Bytes())
	sm := pdu.NewSubmitSM().(*pdu.SubmitSM)
	sm.EsmClass = 0x40
	sm.Message, _ = pdu.NewBinaryShortMessageWithEncoding([]byte{5, 0, 3, 1, 2, 1, 0, 0x41}, data.UCS2)
	b = pdu.NewBuffer(nil)
	sm.Marshal(b)
	f.Add(b.Bytes())
	f.Fuzz(func(t *testing.T, raw []byte) {
		h, body, err := readFrame(bytes.NewReader(raw))
		if err != nil {
			return
		}
		if uint32(len(body)) != h.length-16 || binary.BigEndian.Uint32(raw) != h.length {
			t.Fatalf("frame of %d octets; header says %d", len(body)+16, h.length)
		}
		_, _ = unmarshal(h, body)
		if d, err := parseDeliverSM(body); err == nil {
			_, _ = decodeDeliver(d)
		}
	})
}

// FuzzEncodeText checks that any valid text encodes within the limits and
// decodes back to itself.
func FuzzEncodeText(f *testing.F) {
	for _, s := range []string{"Код 123456", "abc€[]", strings.Repeat("қ", 80), "😀x"} {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, text string, gsm7 bool) {
		if !utf8.ValidString(text) || strings.ContainsRune(text, utf8.RuneError) {
			return
		}
		e, err := encodeText(text, 7, gsm7)
		if err != nil {
			return
		}
		var got strings.Builder
		for _, p := range e.parts {
			if len(p) > maxOctets(e.coding) {
				t.Fatalf("part of %d octets", len(p))
			}
			if len(e.parts) > 1 {
				p = p[6:]
			}
			s, err := decodeText(e.coding, p)
			if err != nil {
				t.Fatal(err)
			}
			got.WriteString(s)
		}
		if got.String() != text {
			t.Fatalf("round trip %q; want %q", got.String(), text)
		}
	})
}
