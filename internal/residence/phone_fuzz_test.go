package residence

import (
	"strings"
	"testing"
)

// FuzzNormalizePhone: the result is digits only, normalising is idempotent,
// and every Kazakh mobile spelling of one number gives the same MSISDN.
func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{"+7 701 234 56 78", "87012345678", "7012345678", "77012345678", "", "+", "٧٠١", "8 (701) 234-56-78",
		strings.Repeat("7", 100), "\x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		n := NormalizePhone(p)
		if strings.Trim(n, "0123456789") != "" {
			t.Fatalf("NormalizePhone(%q) = %q: not digits", p, n)
		}
		if again := NormalizePhone(n); again != n {
			t.Fatalf("not idempotent: %q -> %q -> %q", p, n, again)
		}
	})
}

func TestNormalizePhoneSpellings(t *testing.T) {
	for _, s := range []string{"+7 701 234 56 78", "87012345678", "7012345678", "77012345678", "8 (701) 234-56-78"} {
		if got := NormalizePhone(s); got != "77012345678" {
			t.Errorf("NormalizePhone(%q) = %q", s, got)
		}
	}
}
