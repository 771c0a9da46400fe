package residence_test

import (
	"strings"
	"testing"

	"tirkeu/internal/residence"
)

// TestRKAShape: every outcome of the one shape rule the import and the
// form share.
func TestRKAShape(t *testing.T) {
	for _, tc := range []struct {
		rka, err string
	}{
		{"9000000000001003", ""},
		{"12345", ""}, // well formed: the register decides whether it exists
		{"RKA-1", ""}, // opaque: a dash is allowed
		{"", "required"},
		{strings.Repeat("7", 64), ""},
		{strings.Repeat("7", 65), "longer than 64 bytes"},
		{"12 345", "contains a space"},
		{"123\t45", "contains a space"},
		{"123\x0045", "control character"},
	} {
		err := residence.RKAShape(tc.rka)
		if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("RKAShape(%q) = %v, want %q", tc.rka, err, tc.err)
		}
	}
}
