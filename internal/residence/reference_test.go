package residence

import (
	"testing"
	"time"
)

func TestReference(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, id, want string
	}{
		{"zero", "0190a0b0-c0d0-7000-8000-000000000000", "0000-0000"},
		{"last bits", "0190a0b0-c0d0-7000-8000-00000000001f", "0000-000Z"},
		{"all ones", "0190a0b0-c0d0-7000-8000-00ffffffffff", "ZZZZ-ZZZZ"},
		{"mixed", "0190a0b0-c0d0-7000-8000-000123456789", "04HM-ASW9"},
		{"not a uuid", "abc", ""},
		{"not hex", "0190a0b0-c0d0-7000-8000-00000000zzzz", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Reference(tt.id); got != tt.want {
				t.Errorf("Reference(%q) = %q, want %q", tt.id, got, tt.want)
			}
		})
	}
}

func TestReferenceSuffix(t *testing.T) {
	t.Parallel()
	for i := 0; i < 200; i++ {
		id := newID(time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC))
		ref := Reference(id)
		for _, typed := range []string{ref, "  " + ref[:4] + " " + ref[5:], toLower(ref)} {
			got, ok := ReferenceSuffix(typed)
			if !ok || got != id[26:] {
				t.Fatalf("ReferenceSuffix(%q) = %q, %v; want %q (id %s)", typed, got, ok, id[26:], id)
			}
		}
	}
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"O0IL-0000", "", true}, // read as 0011-0000
		{"0000-000", "", false},
		{"0000-00000", "", false},
		{"0000-000U", "", false},
		{"", "", false},
	}
	tests[0].want, _ = ReferenceSuffix("0011-0000") // O is 0, I and L are 1
	for _, tt := range tests {
		got, ok := ReferenceSuffix(tt.in)
		if ok != tt.ok || got != tt.want {
			t.Errorf("ReferenceSuffix(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func toLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}
