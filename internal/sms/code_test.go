package sms

import "testing"

func TestExtractCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text, code string
		ok               bool
	}{
		{"bare", "123456", "123456", true},
		{"padded", "  042042\n", "042042", true},
		{"in words", "Код 654321 растаймын", "654321", true},
		{"with a time", "123456 at 12:30", "123456", true},
		{"with a date", "31.12.2025 987654", "987654", true},
		{"glued to letters", "code:123456ok", "123456", true},
		{"empty", "", "", false},
		{"none", "иә", "", false},
		{"five digits", "12345", "", false},
		{"seven digits", "1234567", "", false},
		{"split by space", "123 456", "", false},
		{"two codes", "123456 654321", "", false},
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
		text  string
		words []string
		want  bool
	}{
		{"ЖОҚ", nil, true},
		{"жоқ", nil, true},
		{"Жоқ!", nil, true},
		{"жок", nil, true},
		{"НЕТ", nil, true},
		{"Нет", nil, true},
		{" нет. ", nil, true},
		{"no", nil, true},
		{"No", nil, true},
		{"NO\n", nil, true},
		{"", nil, false},
		{"  ", nil, false},
		{"иә", nil, false},
		{"да", nil, false},
		{"not", nil, false},
		{"нет 123456", nil, false},
		{"no no", nil, false},
		{"ok", []string{"OK"}, true},
		{"нет", []string{"OK"}, false},
		{"қарсымын", []string{"ҚАРСЫМЫН"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			if got := IsDeclineWord(tt.text, tt.words); got != tt.want {
				t.Errorf("IsDeclineWord(%q, %q) = %v; want %v", tt.text, tt.words, got, tt.want)
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
		if ok != (len(code) == CodeLength) {
			t.Fatalf("ExtractCode(%q) = %q, %v", s, code, ok)
		}
		for i := 0; i < len(code); i++ {
			if !isDigit(code[i]) {
				t.Fatalf("ExtractCode(%q) = %q: not digits", s, code)
			}
		}
		_ = IsDeclineWord(s, nil)
	})
}
