package residence

import "testing"

func TestParsePhone(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want string // "" means refused
	}{
		{"77012345678", "77012345678"},
		{"+77012345678", "77012345678"},
		{"87012345678", "77012345678"},
		{"+7 701 234 56 78", "77012345678"},
		{"8 (701) 234-56-78", "77012345678"},
		{"+7(701)234-56-78", "77012345678"},
		{"7-701-234-56-78", "77012345678"},
		{" 8 701 234 56 78 ", "77012345678"},
		{"+87012345678", ""},  // +8 is no country code here
		{"7012345678", ""},    // ten digits: the trunk prefix is missing
		{"770123456789", ""},  // twelve digits
		{"97012345678", ""},   // another country
		{"7701234567a", ""},   // a letter
		{"77+012345678", ""},  // a plus in the middle
		{"++77012345678", ""}, // two pluses
		{"", ""},              // empty (the import reads "" as no phone)
		{"+", ""},
		{"٧٧٠١٢٣٤٥٦٧٨", ""}, // non-ASCII digits
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := ParsePhone(tt.in)
			if ok != (tt.want != "") || got != tt.want {
				t.Errorf("ParsePhone(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
			}
			if ok {
				if again, ok2 := ParsePhone(got); !ok2 || again != got {
					t.Errorf("not idempotent: %q -> %q", got, again)
				}
				if NormalizePhone(tt.in) != got {
					t.Errorf("NormalizePhone(%q) = %q, disagrees with ParsePhone %q", tt.in, NormalizePhone(tt.in), got)
				}
			}
		})
	}
}

// FuzzParsePhone: an accepted number is canonical (11 digits from 7),
// parsing is idempotent on it, and NormalizePhone agrees.
func FuzzParsePhone(f *testing.F) {
	for _, s := range []string{"+7 701 234 56 78", "87012345678", "8 (701) 234-56-78", "", "+", "7+7"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ParsePhone(s)
		if !ok {
			return
		}
		if len(got) != 11 || got[0] != '7' {
			t.Fatalf("ParsePhone(%q) = %q", s, got)
		}
		if again, ok := ParsePhone(got); !ok || again != got {
			t.Fatalf("not idempotent: %q", got)
		}
		if NormalizePhone(s) != got {
			t.Fatalf("NormalizePhone(%q) = %q, ParsePhone %q", s, NormalizePhone(s), got)
		}
	})
}
