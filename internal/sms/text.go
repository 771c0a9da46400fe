package sms

import (
	"errors"
	"fmt"
	"hash/fnv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/linxGnu/gosmpp/data"
)

// SMPP data_coding values used here.
const (
	codingDefault byte = 0x00 // SMSC default alphabet: GSM 03.38, one septet per octet
	codingIA5     byte = 0x01 // IA5 (ASCII)
	codingLatin1  byte = 0x03 // ISO-8859-1
	codingCyrill  byte = 0x06 // ISO-8859-5
	codingUCS2    byte = 0x08 // UCS-2 (UTF-16BE here)
)

// Limits of the user data of one SMS (3GPP TS 23.040): 140 octets, that is
// 160 GSM-7 septets or 70 UCS-2 characters; a concatenation header of six
// octets leaves 153 septets or 67 characters per part.
const (
	gsm7Single = 160
	gsm7Part   = 153
	ucs2Single = 70
	ucs2Part   = 67
	// MaxParts is the most parts a long text may take; a longer text is
	// refused as a permanent error, because nothing the service sends
	// should be that long.
	MaxParts = 10
)

// errTooLong is the cause of a permanent error for a text over MaxParts parts.
var errTooLong = errors.New("text too long")

// encoded is a text ready for submit_sm: its data_coding and the
// short_message of each part, concatenation UDH included when there are
// several parts.
type encoded struct {
	coding byte
	parts  [][]byte
}

// concatRef returns the 8-bit concatenation reference for message id: a
// hash, so that a retried message reuses its reference and a handset that
// got some parts on the first attempt can complete it.
func concatRef(id string) byte {
	h := fnv.New32a()
	h.Write([]byte(id))
	s := h.Sum32()
	return byte(s ^ s>>8 ^ s>>16 ^ s>>24)
}

// isGSM7 reports whether every character of text is in the GSM 03.38
// default alphabet or its extension table.
func isGSM7(text string) bool {
	return len(data.ValidateGSM7String(text)) == 0
}

// encodeText encodes text as GSM-7 (data_coding 0, unpacked, one septet per
// octet as SMPP expects) when allowGSM7 is set and every character fits,
// and as UCS-2 (data_coding 8) otherwise, splitting it into parts with an
// 8-bit-reference concatenation header when it does not fit one SMS.
func encodeText(text string, ref byte, allowGSM7 bool) (encoded, error) {
	if n := utf8.RuneCountInString(text); n > MaxParts*gsm7Part {
		return encoded{}, fmt.Errorf("%w: %d characters", errTooLong, n)
	}
	if allowGSM7 && isGSM7(text) {
		return encodeGSM7(text, ref)
	}
	return encodeUCS2(text, ref)
}

func encodeGSM7(text string, ref byte) (encoded, error) {
	runes := []rune(text)
	septets := func(r rune) int {
		if data.IsEscapeChar(r) {
			return 2
		}
		return 1
	}
	total := 0
	for _, r := range runes {
		total += septets(r)
	}
	var segs []string
	if total <= gsm7Single {
		segs = []string{text}
	} else {
		// Split on character boundaries so that an escape sequence never
		// straddles two parts.
		start, n := 0, 0
		for i, r := range runes {
			if n+septets(r) > gsm7Part {
				segs = append(segs, string(runes[start:i]))
				start, n = i, 0
			}
			n += septets(r)
		}
		segs = append(segs, string(runes[start:]))
	}
	out := encoded{coding: codingDefault}
	for _, s := range segs {
		b, err := data.GSM7BIT.Encode(s)
		if err != nil {
			return encoded{}, fmt.Errorf("gsm-7: %w", err)
		}
		out.parts = append(out.parts, b)
	}
	return withUDH(out, ref)
}

func encodeUCS2(text string, ref byte) (encoded, error) {
	units := utf16.Encode([]rune(text))
	var segs [][]uint16
	if len(units) <= ucs2Single {
		segs = [][]uint16{units}
	} else {
		for len(units) > 0 {
			n := min(ucs2Part, len(units))
			// Keep a surrogate pair in one part.
			if n < len(units) && utf16.IsSurrogate(rune(units[n-1])) && units[n-1] < 0xDC00 {
				n--
			}
			segs = append(segs, units[:n])
			units = units[n:]
		}
	}
	out := encoded{coding: codingUCS2}
	for _, s := range segs {
		b := make([]byte, 0, 2*len(s))
		for _, u := range s {
			b = append(b, byte(u>>8), byte(u))
		}
		out.parts = append(out.parts, b)
	}
	return withUDH(out, ref)
}

// withUDH prefixes each part with the concatenation header (IEI 0x00,
// 8-bit reference) when there is more than one part.
func withUDH(e encoded, ref byte) (encoded, error) {
	n := len(e.parts)
	if n > MaxParts {
		return encoded{}, fmt.Errorf("%w: %d parts, at most %d", errTooLong, n, MaxParts)
	}
	if n == 1 {
		return e, nil
	}
	for i, p := range e.parts {
		e.parts[i] = append([]byte{0x05, 0x00, 0x03, ref, byte(n), byte(i + 1)}, p...)
	}
	return e, nil
}

// decodeText decodes the user data of a received short message (the UDH
// already removed) from its data_coding. Undecodable bytes become U+FFFD;
// a binary coding is an error.
func decodeText(coding byte, b []byte) (string, error) {
	switch alphabet(coding) {
	case codingDefault:
		return decodeGSM7(b), nil
	case codingIA5:
		r := make([]rune, len(b))
		for i, c := range b {
			if c < 0x80 {
				r[i] = rune(c)
			} else {
				r[i] = '\uFFFD'
			}
		}
		return string(r), nil
	case codingLatin1:
		r := make([]rune, len(b))
		for i, c := range b {
			r[i] = rune(c)
		}
		return string(r), nil
	case codingCyrill:
		return data.CYRILLIC.Decode(b)
	case codingUCS2:
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		}
		s := string(utf16.Decode(u))
		if len(b)%2 != 0 {
			s += "\uFFFD"
		}
		return s, nil
	}
	return "", fmt.Errorf("unsupported data_coding 0x%02X", coding)
}

// alphabet maps a data_coding to the alphabet decodeText knows: SMPP's own
// values 0x00-0x0F, and GSM 03.38 coding groups 00xx (general data coding,
// bits 3-2 the alphabet) and 1111 (message class: bit 2 chooses 8-bit).
func alphabet(coding byte) byte {
	switch {
	case coding <= 0x0F:
		return coding
	case coding&0xC0 == 0x00:
		switch (coding >> 2) & 0x03 {
		case 0:
			return codingDefault
		case 2:
			return codingUCS2
		}
	case coding&0xF0 == 0xF0:
		if coding&0x04 == 0 {
			return codingDefault
		}
	}
	return 0xFF
}

// gsm7Basic and gsm7Ext are the GSM 03.38 default alphabet and the
// extension table reached through 0x1B.
var gsm7Basic = []rune("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")

var gsm7Ext = map[byte]rune{0x0A: '\f', 0x14: '^', 0x28: '{', 0x29: '}', 0x2F: '\\', 0x3C: '[', 0x3D: '~', 0x3E: ']', 0x40: '|', 0x65: '€'}

// decodeGSM7 decodes unpacked GSM-7 (one septet per octet). It never fails:
// an octet over 0x7F or an unknown escape becomes U+FFFD.
func decodeGSM7(b []byte) string {
	r := make([]rune, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c > 0x7F:
			r = append(r, '\uFFFD')
		case c == 0x1B && i+1 < len(b):
			i++
			if e, ok := gsm7Ext[b[i]]; ok {
				r = append(r, e)
			} else if b[i] <= 0x7F {
				r = append(r, gsm7Basic[b[i]]) // unknown escape: the basic character, as 23.038 says
			} else {
				r = append(r, '\uFFFD')
			}
		case c == 0x1B:
			r = append(r, ' ')
		default:
			r = append(r, gsm7Basic[c])
		}
	}
	return string(r)
}
