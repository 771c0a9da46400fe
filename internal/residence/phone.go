package residence

// ParsePhone checks that s is a Kazakhstan mobile number as the registers
// and people write it — 7XXXXXXXXXX, +7XXXXXXXXXX or 8XXXXXXXXXX, with any
// spaces, dashes, dots or parentheses between the digits — and returns its
// one canonical form, the MSISDN 7XXXXXXXXXX of the Mobile Citizens
// Database. It returns ok false for anything else (another country's
// number, a letter, a plus sign that is not first, too few or too many
// digits), so that a typo is refused rather than stored in a form no SMS
// reaches. NormalizePhone, which never refuses, is for matching numbers an
// SMS centre reports; ParsePhone is for numbers people enter.
func ParsePhone(s string) (canonical string, ok bool) {
	var d []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			d = append(d, c)
		case c == '+':
			if len(d) > 0 || containsDigitBefore(s, i) {
				return "", false
			}
		case c == ' ' || c == '-' || c == '(' || c == ')' || c == '.' || c == '\t':
		default:
			return "", false
		}
		if len(d) > 11 {
			return "", false
		}
	}
	plus := len(s) > 0 && firstNonSpace(s) == '+'
	if len(d) != 11 {
		return "", false
	}
	switch {
	case d[0] == '7':
	case d[0] == '8' && !plus:
		d[0] = '7'
	default:
		return "", false
	}
	return string(d), true
}

func containsDigitBefore(s string, i int) bool {
	for j := 0; j < i; j++ {
		if s[j] >= '0' && s[j] <= '9' || s[j] == '+' {
			return true
		}
	}
	return false
}

func firstNonSpace(s string) byte {
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' && s[i] != '\t' {
			return s[i]
		}
	}
	return 0
}
