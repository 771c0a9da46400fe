package residence

import "testing"

func TestMayPetition(t *testing.T) {
	t.Parallel()
	const bin = "100340001237"
	tests := []struct {
		name string
		info SignerInfo
		want bool
	}{
		{"head of the organisation", SignerInfo{BIN: bin, Roles: []string{"organisation", "head"}}, true},
		{"signing right", SignerInfo{BIN: bin, Roles: []string{"organisation", "signing_right"}}, true},
		{"employee only", SignerInfo{BIN: bin, Roles: []string{"organisation", "employee"}}, false},
		{"head of another organisation", SignerInfo{BIN: "100340001245", Roles: []string{"head"}}, false},
		{"individual certificate", SignerInfo{Roles: []string{"individual"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mayPetition(tt.info, bin); got != tt.want {
				t.Fatalf("mayPetition = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestExtractCodeAndDeclineWords(t *testing.T) {
	t.Parallel()
	codes := []struct {
		text string
		code string
		ok   bool
	}{
		{"123456", "123456", true},
		{"Код 654321, спасибо", "654321", true},
		{"12345", "", false},
		{"1234567", "", false},
		{"111111 222222", "", false},
		{"", "", false},
	}
	for _, c := range codes {
		got, ok := extractCode(c.text)
		if ok != c.ok || (ok && got != c.code) {
			t.Errorf("extractCode(%q) = %q, %v", c.text, got, ok)
		}
	}
	for _, w := range []string{"жоқ", "Нет.", " NO ", "ЖОҚ!"} {
		if !isDeclineWord(w, nil) {
			t.Errorf("%q not a decline word", w)
		}
	}
	for _, w := range []string{"иә", "да 123456", "nothing"} {
		if isDeclineWord(w, nil) {
			t.Errorf("%q taken for a decline word", w)
		}
	}
}

func TestNormalizePhone(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"+7 701 123 45 67": "77011234567",
		"87011234567":      "77011234567",
		"7011234567":       "77011234567",
		"77011234567":      "77011234567",
	} {
		if got := NormalizePhone(in); got != want {
			t.Errorf("NormalizePhone(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSMSTextsFitAndHoldOneCode(t *testing.T) {
	t.Parallel()
	texts := map[string]int{
		otpText(OTPLogin, "123456", 0): 70,
		otpText(OTPSign, "123456", 0):  70,
		consentText("Жақсылықова Гүлнар Мұратқызы", ActionRegister, Temporary, "123456"): 134,
		consentText("Петрова Анна", ActionDeregister, Permanent, "123456"):               134,
	}
	for text, max := range texts {
		if n := len([]rune(text)); n > max {
			t.Errorf("%q is %d characters, over %d", text, n, max)
		}
		if code, ok := extractCode(text); !ok || code != "123456" {
			t.Errorf("%q: code %q, %v", text, code, ok)
		}
	}
}
