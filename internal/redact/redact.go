// Package redact removes secrets from text by where they stand: the password
// of a URL's user info, the value of a password key (key=value, key: value,
// JSON "password": "..."). It does not mask every occurrence of a password's
// text, so words that merely contain it (timetracker_migrations, a path, the
// program's name) stay readable.
package redact

import (
	"net/url"
	"regexp"
	"strings"
)

// Mask replaces a secret.
const Mask = "***"

var (
	// scheme://user:PASSWORD@ — the password runs to the first '@', as in
	// SQLAlchemy URLs, so raw ':' and '/' in it are covered.
	urlUserinfo = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.\-]*://[^\s:/@"'<>]*):[^\s@"'<>]*@`)
	// password=VALUE, password: VALUE, "password": "VALUE", PGPASSWORD=...,
	// POSTGRES_PASSWORD=..., in query strings, libpq key/value strings and
	// JSON.
	keyValue = regexp.MustCompile(`(?i)\b([a-z_]*(?:password|passwd|passphrase))("?[ \t]*[=:][ \t]*)('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^\s&;,'"]+)`)
)

// String returns s with every structurally recognisable secret replaced by
// Mask.
func String(s string) string {
	if strings.Contains(s, "://") {
		s = urlUserinfo.ReplaceAllString(s, "${1}:"+Mask+"@")
	}
	if strings.Contains(strings.ToLower(s), "pass") {
		s = keyValue.ReplaceAllStringFunc(s, func(m string) string {
			sub := keyValue.FindStringSubmatch(m)
			// "PASSWORD: the database given by…" is prose, not a value:
			// after ':' and a space only a quoted value is a secret.
			if strings.Contains(sub[2], ":") && strings.TrimRight(sub[2], " \t") != sub[2] &&
				!strings.HasPrefix(sub[3], `"`) && !strings.HasPrefix(sub[3], `'`) {
				return m
			}
			return sub[1] + sub[2] + quoteLike(sub[3])
		})
	}
	return s
}

// quoteLike keeps the quoting of the masked value, so JSON stays JSON.
func quoteLike(v string) string {
	switch {
	case strings.HasPrefix(v, `"`):
		return `"` + Mask + `"`
	case strings.HasPrefix(v, `'`):
		return `'` + Mask + `'`
	}
	return Mask
}

// Distinctive reports whether a password's text is unlike ordinary words,
// so that masking it wherever it appears cannot damage other output: it
// holds a character other than a letter, digit, '_', '-' or '.'. A password
// made only of those ("timetracker", "postgres") is recognised by where it
// stands, never by its text.
func Distinctive(secret string) bool {
	for _, r := range secret {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-', r == '.':
		default:
			return true
		}
	}
	return false
}

// Forms lists the texts a secret can take in output: raw, and
// percent-encoded as in a query, a path and a URL's user info; duplicates
// removed.
func Forms(secret string) []string {
	var out []string
	for _, s := range []string{secret, url.QueryEscape(secret), url.PathEscape(secret),
		strings.TrimPrefix(url.UserPassword("u", secret).String(), "u:")} {
		dup := false
		for _, o := range out {
			dup = dup || o == s
		}
		if !dup && s != "" {
			out = append(out, s)
		}
	}
	return out
}
