package directory

import (
	"fmt"
	"strings"
	"time"
)

// The words every front end says numbers and ages in, kept here so the
// browser, the command line and the SSH server say them alike.

// Thousands writes n with commas between groups of three digits: 30,000.
func Thousands(n int) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Count is n with the noun in the right number: "1 session", "3,000 people".
func Count(n int, one, many string) string {
	if n == 1 || n == -1 {
		return Thousands(n) + " " + one
	}
	return Thousands(n) + " " + many
}

// RoughAge says d in its largest unit: "45s", "12m", "3h", "2d" (hours up
// to two days, so "30h" rather than "1d").
func RoughAge(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(max(d, 0)/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d/time.Hour))
	}
	return fmt.Sprintf("%dd", int(d/(24*time.Hour)))
}
