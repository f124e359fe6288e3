// Package luhn implements the Luhn (mod 10) check of card numbers, and the
// search for a card number typed into free text.
package luhn

// Valid reports whether the ASCII digits in d pass the Luhn check. d must
// hold only digits.
func Valid(d []byte) bool {
	sum := 0
	double := false
	for i := len(d) - 1; i >= 0; i-- {
		v := int(d[i] - '0')
		if double {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
		double = !double
	}
	return sum%10 == 0
}

// ContainsCardNumber reports whether text holds a run of 13 to 19 digits,
// optionally split by single spaces or dashes as cards are written, that
// passes the Luhn check: a card number that has no business in free text.
func ContainsCardNumber(text string) bool {
	var buf [19]byte
	n := 0
	overflow := false
	flush := func() bool {
		found := !overflow && n >= 13 && Valid(buf[:n])
		n, overflow = 0, false
		return found
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c >= '0' && c <= '9':
			if n < len(buf) {
				buf[n] = c
				n++
			} else {
				overflow = true
			}
		case (c == ' ' || c == '-') && n > 0 && i+1 < len(text) && text[i+1] >= '0' && text[i+1] <= '9':
			// a single separator inside a run
		default:
			if flush() {
				return true
			}
		}
	}
	return flush()
}
