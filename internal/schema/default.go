package schema

import (
	"regexp"
	"strings"
)

var castSuffix = regexp.MustCompile(`::[a-z_ ]+(\([0-9, ]+\))?(\[\])?$`)

// NormalizeDefault turns a default expression as either dialect reports it
// into neutral form, so that PostgreSQL's `'user'::character varying` and
// SQLite's `'user'` compare equal, and so do `true` and `1` on a boolean.
func NormalizeDefault(expr string, kind Kind) string {
	s := strings.TrimSpace(expr)
	for {
		prev := s
		if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") && balanced(s[1:len(s)-1]) {
			s = strings.TrimSpace(s[1 : len(s)-1])
		}
		s = strings.TrimSpace(castSuffix.ReplaceAllString(s, ""))
		if s == prev {
			break
		}
	}
	lower := strings.ToLower(s)
	switch lower {
	case "current_timestamp", "now()", "localtimestamp", "current_timestamp()":
		return "CURRENT_TIMESTAMP"
	case "current_date":
		return "CURRENT_DATE"
	case "null":
		return ""
	}
	if kind == Boolean {
		switch lower {
		case "1", "true", "'1'", "'true'", "'t'":
			return "true"
		case "0", "false", "'0'", "'false'", "'f'":
			return "false"
		}
	}
	if kind == Integer || kind == BigInt || kind == Numeric || kind == Float {
		// PostgreSQL quotes some numeric defaults ('0'::numeric).
		if len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'' {
			s = s[1 : len(s)-1]
		}
	}
	return s
}

func balanced(s string) bool {
	depth := 0
	inQuote := false
	for _, r := range s {
		switch {
		case r == '\'':
			inQuote = !inQuote
		case inQuote:
		case r == '(':
			depth++
		case r == ')':
			depth--
			if depth < 0 {
				return false
			}
		}
	}
	return depth == 0 && !inQuote
}
