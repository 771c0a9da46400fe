package iin

import (
	"errors"
	"testing"
	"time"
)

// reference is an independent, deliberately naive statement of the algorithm
// used to cross-check Validate.
func reference(s string) (valid bool) {
	if len(s) != 12 {
		return false
	}
	var d [12]int
	for i, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
		d[i] = int(c - '0')
	}
	a := 0
	for i := 0; i < 11; i++ {
		a += d[i] * (i + 1)
	}
	a %= 11
	if a == 10 {
		b := 0
		for i := 0; i < 11; i++ {
			w := i + 3
			if w > 11 {
				w -= 11
			}
			b += d[i] * w
		}
		a = b % 11
		if a == 10 {
			return false
		}
	}
	return d[11] == a
}

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want error
	}{
		// First pass: 8*1+0*2+0*3+3*4+1*5+8*6+3*7+0*8+0*9+1*10+2*11 = 126; 126 mod 11 = 5.
		{"first pass", "800318300125", nil},
		{"first pass wrong digit", "800318300124", ErrCheckDigit},
		// First pass: 9*1+1*4+1*6+3*7+8*10+1*11 = 131 ≡ 10, so the second pass
		// decides: 9*3+1*6+1*8+3*9+8*1+1*2 = 78 ≡ 1.
		{"second pass", "900101300811", nil},
		{"second pass, first-pass remainder is wrong", "900101300810", ErrCheckDigit},
		// Both passes give 10: never issued; the 0 that some implementations use is refused.
		{"both passes 10, digit 0", "900101300800", ErrNeverIssued},
		{"both passes 10, any digit", "900101300807", ErrNeverIssued},
		{"too short", "80031830012", ErrLength},
		{"too long", "8003183001250", ErrLength},
		{"empty", "", ErrLength},
		{"letter", "80031830012a", ErrNotDigits},
		{"space", "80031830 125", ErrNotDigits},
		{"unicode digits", "８00318300125", ErrLength},
		{"sign", "-80031830012", ErrNotDigits},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(tt.in)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Validate(%q) = %v, want %v", tt.in, err, tt.want)
			}
			if got := Valid(tt.in); got != (tt.want == nil) {
				t.Fatalf("Valid(%q) = %v", tt.in, got)
			}
			if got := reference(tt.in); got != (tt.want == nil) {
				t.Fatalf("reference(%q) = %v; the table is wrong", tt.in, got)
			}
		})
	}
}

func TestCheckDigitPasses(t *testing.T) {
	t.Parallel()
	// The pass that decides each prefix is recomputed here from the weights, so
	// the table states only the expected pass and digit.
	tests := []struct {
		prefix    string
		wantPass  int // 1 or 2, or 0 for never issued
		wantDigit int
	}{
		{"80031830012", 1, 5},
		{"90010130081", 2, 1},
		{"90010130083", 2, 5},
		{"90010130080", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.prefix, func(t *testing.T) {
			first := 0
			for i := range 11 {
				first += int(tt.prefix[i]-'0') * weights1[i]
			}
			pass := 1
			if first%11 == 10 {
				pass = 2
				second := 0
				for i := range 11 {
					second += int(tt.prefix[i]-'0') * weights2[i]
				}
				if second%11 == 10 {
					pass = 0
				}
			}
			if pass != tt.wantPass {
				t.Fatalf("prefix %s resolves in pass %d, want %d", tt.prefix, pass, tt.wantPass)
			}
			d, ok := CheckDigit(tt.prefix)
			if ok != (tt.wantPass != 0) || (ok && d != tt.wantDigit) {
				t.Fatalf("CheckDigit(%s) = %d, %v; want %d, %v", tt.prefix, d, ok, tt.wantDigit, tt.wantPass != 0)
			}
		})
	}
}

func TestComplete(t *testing.T) {
	t.Parallel()
	got, err := Complete("80031830012")
	if err != nil || got != "800318300125" {
		t.Fatalf("Complete = %q, %v", got, err)
	}
	if _, err := Complete("90010130080"); !errors.Is(err, ErrNeverIssued) {
		t.Fatalf("Complete(never issued) err = %v", err)
	}
	if _, err := Complete("123"); err == nil {
		t.Fatal("Complete(short) succeeded")
	}
	if _, err := Complete("1234567890x"); !errors.Is(err, ErrNotDigits) {
		t.Fatalf("Complete(letter) err = %v", err)
	}
}

func TestExhaustiveAgreement(t *testing.T) {
	t.Parallel()
	// Every check digit for a spread of prefixes: exactly one digit is valid,
	// or none when the prefix is never issued.
	for p := 0; p < 200000; p += 7 {
		prefix := pad11(p * 499)
		valid := 0
		for d := byte('0'); d <= '9'; d++ {
			s := prefix + string(d)
			if Valid(s) != reference(s) {
				t.Fatalf("Valid(%s) disagrees with the reference", s)
			}
			if Valid(s) {
				valid++
			}
		}
		_, ok := CheckDigit(prefix)
		if (ok && valid != 1) || (!ok && valid != 0) {
			t.Fatalf("prefix %s: %d valid numbers, CheckDigit ok=%v", prefix, valid, ok)
		}
	}
}

func pad11(n int) string {
	b := []byte("00000000000")
	for i := 10; i >= 0 && n > 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b)
}

func FuzzValidate(f *testing.F) {
	for _, s := range []string{"800318300125", "900101300811", "900101300800", "", "abc", "8003183001250"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := Validate(s)
		if (err == nil) != reference(s) {
			t.Fatalf("Validate(%q) = %v, reference says %v", s, err, reference(s))
		}
	})
}

// TestBirthDate decodes the date an IIN suggests, and none for an invalid
// IIN, a century digit out of range or a day that does not exist.
func TestBirthDate(t *testing.T) {
	d, ok := BirthDate("800318300125")
	if want := time.Date(1980, 3, 18, 0, 0, 0, 0, time.UTC); !ok || !d.Equal(want) {
		t.Fatalf("BirthDate = %v, %v; want %v", d, ok, want)
	}
	if _, ok := BirthDate("800318300124"); ok {
		t.Error("BirthDate accepted an invalid IIN")
	}
	for _, prefix := range []string{"80131840012", "80023040012", "80031890012"} { // month 13, 30 February, century digit 9
		s, err := Complete(prefix)
		if err != nil {
			continue
		}
		if _, ok := BirthDate(s); ok {
			t.Errorf("BirthDate(%s) ok for an impossible date", s)
		}
	}
}
