package main

import (
	"fmt"
	"strconv"
	"strings"
)

// span is a count flag written N or MIN-MAX; each use draws a value in
// [Min, Max].
type span struct{ Min, Max int }

func (s *span) String() string {
	if s == nil {
		return ""
	}
	if s.Min == s.Max {
		return strconv.Itoa(s.Min)
	}
	return fmt.Sprintf("%d-%d", s.Min, s.Max)
}

// Set parses N or MIN-MAX, both non-negative, MIN <= MAX.
func (s *span) Set(v string) error {
	lo, hi, isRange := strings.Cut(v, "-")
	if !isRange {
		hi = lo
	}
	a, err1 := strconv.Atoi(strings.TrimSpace(lo))
	b, err2 := strconv.Atoi(strings.TrimSpace(hi))
	if err1 != nil || err2 != nil || a < 0 || b < a {
		return fmt.Errorf("want N or MIN-MAX with 0 <= MIN <= MAX, got %q", v)
	}
	s.Min, s.Max = a, b
	return nil
}
