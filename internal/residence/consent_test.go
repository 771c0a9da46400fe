package residence

import (
	"strings"
	"testing"
)

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

func TestExtractCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text, code string
		ok               bool
	}{
		{"bare", "123456", "123456", true},
		{"padded", "  042042\n", "042042", true},
		{"in words", "Код 654321, спасибо", "654321", true},
		{"with a time", "123456 at 12:30", "123456", true},
		{"with a date", "31.12.2025 987654", "987654", true},
		{"glued to letters", "code:123456ok", "123456", true},
		{"empty", "", "", false},
		{"none", "иә", "", false},
		{"five digits", "12345", "", false},
		{"seven digits", "1234567", "", false},
		{"split by space", "123 456", "", false},
		{"two codes", "111111 222222", "", false},
		{"same code twice", "123456 123456", "", false},
		{"fullwidth digits", "１２３４５６", "", false},
		{"arabic-indic digits", "١٢٣٤٥٦", "", false},
		{"six then seven", "123456 1234567", "123456", true},
		{"invalid utf-8", "\xff123456\xfe", "123456", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, ok := ExtractCode(tt.text)
			if code != tt.code || ok != tt.ok {
				t.Errorf("ExtractCode(%q) = %q, %v; want %q, %v", tt.text, code, ok, tt.code, tt.ok)
			}
		})
	}
}

func TestIsDeclineWord(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text string
		want bool
	}{
		{"ЖОҚ", true},
		{"жоқ", true},
		{"Жоқ!", true},
		{"жок", true},
		{"НЕТ", true},
		{"Нет", true},
		{" нет. ", true},
		{"нет,", true},
		{"«нет»", true},
		{"no", true},
		{" NO ", true},
		{"NO\n", true},
		{"", false},
		{"  ", false},
		{"!!", false},
		{"иә", false},
		{"да", false},
		{"not", false},
		{"nothing", false},
		{"нет 123456", false},
		{"да 123456", false},
		{"no no", false},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			if got := isDeclineWord(tt.text); got != tt.want {
				t.Errorf("isDeclineWord(%q) = %v; want %v", tt.text, got, tt.want)
			}
		})
	}
}

func FuzzExtractCode(f *testing.F) {
	for _, s := range []string{"123456", "a123456b", "1234567", "жоқ 123456", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, ok := ExtractCode(s)
		if ok != (len(code) == CodeDigits) {
			t.Fatalf("ExtractCode(%q) = %q, %v", s, code, ok)
		}
		for i := range len(code) {
			if code[i] < '0' || code[i] > '9' {
				t.Fatalf("ExtractCode(%q) = %q: not digits", s, code)
			}
		}
		_ = isDeclineWord(s)
	})
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
	// Each names its code as the form asking for it does.
	for text, name := range map[string]string{
		otpText(OTPLogin, "123456", 0): "Кіру коды / Код входа",
		otpText(OTPSign, "123456", 0):  "Қол қою коды / Код подписи",
		consentText("Петрова Анна", ActionRegister, Permanent, "123456"): "Келісім коды / Код согласия",
	} {
		if !strings.Contains(text, name) {
			t.Errorf("%q does not say %q", text, name)
		}
	}
	for text, max := range texts {
		if n := len([]rune(text)); n > max {
			t.Errorf("%q is %d characters, over %d", text, n, max)
		}
		if code, ok := ExtractCode(text); !ok || code != "123456" {
			t.Errorf("%q: code %q, %v", text, code, ok)
		}
	}
}
