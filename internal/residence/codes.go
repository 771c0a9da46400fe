package residence

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"sync"
	"time"
)

// CodeDigits is the length of every SMS code.
const CodeDigits = 6

// newCode returns a uniformly random six-digit code.
func newCode() string {
	var b [8]byte
	for {
		if _, err := rand.Read(b[:]); err != nil {
			panic("residence: crypto/rand failed: " + err.Error())
		}
		// Reject the top of the range to keep the distribution uniform.
		n := binary.BigEndian.Uint64(b[:])
		const limit = (1<<64 - 1) - (1<<64-1)%1_000_000
		if n < limit {
			return fmt.Sprintf("%06d", n%1_000_000)
		}
	}
}

// hashCode returns the keyed hash of a code bound to the record it belongs
// to, so a stolen table of hashes is useless without the secret and a code
// for one task cannot be replayed on another.
func hashCode(secret []byte, scope, id, code string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(scope))
	m.Write([]byte{0})
	m.Write([]byte(id))
	m.Write([]byte{0})
	m.Write([]byte(code))
	return m.Sum(nil)
}

// codeMatches compares a code with its stored hash in constant time.
func codeMatches(secret []byte, scope, id, code string, hash []byte) bool {
	if len(code) != CodeDigits {
		// Still compute to keep timing independent of the input's shape.
		hmac.Equal(hashCode(secret, scope, id, "000000"), hash)
		return false
	}
	return hmac.Equal(hashCode(secret, scope, id, code), hash)
}

// HashToken returns the stored form of a bearer token.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// idState makes identifiers strictly increasing within a process: the 12
// bits after the version count up within one millisecond (RFC 9562 §6.2,
// method 1), so "newest first" orders by id when timestamps tie.
var idState struct {
	sync.Mutex
	ms  uint64
	seq uint16
}

// newID returns a time-ordered random identifier in UUID version 7 form, so
// that rows inserted together sit together in indexes and ids sort in the
// order they were made.
func newID(now time.Time) string {
	var b [16]byte
	ms := uint64(now.UnixMilli())
	idState.Lock()
	if ms <= idState.ms {
		ms = idState.ms
		idState.seq++
		if idState.seq > 0x0fff {
			ms++
			idState.seq = 0
		}
	} else {
		idState.seq = 0
	}
	idState.ms = ms
	seq := idState.seq
	idState.Unlock()
	b[0], b[1], b[2], b[3], b[4], b[5] = byte(ms>>40), byte(ms>>32), byte(ms>>24), byte(ms>>16), byte(ms>>8), byte(ms)
	if _, err := rand.Read(b[8:]); err != nil {
		panic("residence: crypto/rand failed: " + err.Error())
	}
	b[6], b[7] = 0x70|byte(seq>>8), byte(seq)
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// NewToken returns a random bearer token for staff or agencies.
func NewToken() string {
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("residence: crypto/rand failed: " + err.Error())
	}
	return "tk_" + hex.EncodeToString(b[:])
}

// MaskIIN hides all but the last four digits of an IIN for logs.
func MaskIIN(iin string) string {
	if len(iin) <= 4 {
		return "****"
	}
	return "********" + iin[len(iin)-4:]
}
