package eds

import (
	"errors"
	"fmt"
)

// The NCA's Kalkan writes its key stores in BER: indefinite lengths and
// strings cut into constructed pieces. encoding/asn1 reads DER only, so
// berToDER rewrites one BER element as DER-shaped bytes encoding/asn1
// accepts: every length definite and minimal, and every constructed
// universal string (OCTET STRING, BIT STRING and the character strings)
// joined into one primitive string. The contents of primitive elements are
// kept as they are, so a MAC over an OCTET STRING's contents still holds.
// SET OF is not re-sorted: nothing read here depends on the order.

// berMaxDepth bounds the nesting berToDER follows, so that crafted input
// cannot exhaust the stack.
const berMaxDepth = 48

var errBER = errors.New("ber: malformed")

// berToDER converts the BER element at the start of b and returns it and the
// bytes after it.
func berToDER(b []byte) (der, rest []byte, err error) {
	e, rest, err := berParse(b, 0)
	if err != nil {
		return nil, nil, err
	}
	return e.encode(nil), rest, nil
}

type berElement struct {
	class, tag int
	compound   bool
	header     []byte // identifier octets, as read
	content    []byte // primitive contents
	children   []*berElement
}

// universal string tags that BER allows to be constructed.
func berIsString(tag int) bool {
	switch tag {
	case 3, 4, 12, 18, 19, 20, 21, 22, 25, 26, 27, 28, 30:
		return true
	}
	return false
}

func berParse(b []byte, depth int) (*berElement, []byte, error) {
	if depth > berMaxDepth {
		return nil, nil, fmt.Errorf("%w: nested deeper than %d", errBER, berMaxDepth)
	}
	if len(b) < 2 {
		return nil, nil, fmt.Errorf("%w: truncated header", errBER)
	}
	e := &berElement{class: int(b[0] >> 6), compound: b[0]&0x20 != 0, tag: int(b[0] & 0x1f)}
	i := 1
	if e.tag == 0x1f {
		e.tag = 0
		for {
			if i >= len(b) || i > 5 {
				return nil, nil, fmt.Errorf("%w: bad tag", errBER)
			}
			c := b[i]
			i++
			e.tag = e.tag<<7 | int(c&0x7f)
			if c&0x80 == 0 {
				break
			}
		}
	}
	e.header = b[:i]
	if i >= len(b) {
		return nil, nil, fmt.Errorf("%w: truncated length", errBER)
	}
	lb := b[i]
	i++
	if lb == 0x80 { // indefinite
		if !e.compound {
			return nil, nil, fmt.Errorf("%w: indefinite length on a primitive", errBER)
		}
		rest := b[i:]
		for {
			if len(rest) >= 2 && rest[0] == 0 && rest[1] == 0 {
				rest = rest[2:]
				break
			}
			if len(rest) == 0 {
				return nil, nil, fmt.Errorf("%w: missing end-of-contents", errBER)
			}
			c, r, err := berParse(rest, depth+1)
			if err != nil {
				return nil, nil, err
			}
			e.children = append(e.children, c)
			rest = r
		}
		return e.finish(rest)
	}
	n := 0
	if lb < 0x80 {
		n = int(lb)
	} else {
		k := int(lb & 0x7f)
		if k > 4 || i+k > len(b) {
			return nil, nil, fmt.Errorf("%w: bad length", errBER)
		}
		for _, c := range b[i : i+k] {
			n = n<<8 | int(c)
		}
		i += k
	}
	if n < 0 || n > len(b)-i {
		return nil, nil, fmt.Errorf("%w: length %d exceeds the input", errBER, n)
	}
	body, rest := b[i:i+n], b[i+n:]
	if !e.compound {
		e.content = body
		return e, rest, nil
	}
	for len(body) > 0 {
		c, r, err := berParse(body, depth+1)
		if err != nil {
			return nil, nil, err
		}
		e.children = append(e.children, c)
		body = r
	}
	return e.finish(rest)
}

// finish joins a constructed universal string into a primitive one.
func (e *berElement) finish(rest []byte) (*berElement, []byte, error) {
	if e.class != 0 || !berIsString(e.tag) {
		return e, rest, nil
	}
	var joined []byte
	unused := byte(0)
	for i, c := range e.children {
		if c.compound || c.class != 0 || c.tag != e.tag {
			return nil, nil, fmt.Errorf("%w: piece of a constructed string is not a primitive string of its type", errBER)
		}
		content := c.content
		if e.tag == 3 { // BIT STRING: each piece starts with its unused-bits octet; only the last may be non-zero
			if len(content) == 0 || (content[0] != 0 && i != len(e.children)-1) {
				return nil, nil, fmt.Errorf("%w: bad piece of a constructed BIT STRING", errBER)
			}
			unused, content = content[0], content[1:]
		}
		joined = append(joined, content...)
	}
	if e.tag == 3 {
		joined = append([]byte{unused}, joined...)
	}
	e.compound, e.children, e.content = false, nil, joined
	e.header = []byte{byte(e.tag)}
	return e, rest, nil
}

// encode appends the DER-shaped encoding of e to out.
func (e *berElement) encode(out []byte) []byte {
	var body []byte
	if e.compound {
		for _, c := range e.children {
			body = c.encode(body)
		}
	} else {
		body = e.content
	}
	h := append([]byte(nil), e.header...)
	if e.compound {
		h[0] |= 0x20
	} else {
		h[0] &^= 0x20
	}
	out = append(out, h...)
	out = appendLength(out, len(body))
	return append(out, body...)
}

func appendLength(out []byte, n int) []byte {
	if n < 0x80 {
		return append(out, byte(n))
	}
	var buf [8]byte
	k := 0
	for v := n; v > 0; v >>= 8 {
		k++
	}
	for j := k - 1; j >= 0; j-- {
		buf[k-1-j] = byte(n >> (8 * j))
	}
	out = append(out, 0x80|byte(k))
	return append(out, buf[:k]...)
}
