package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Dialect names the database engine a database URL points at.
type Dialect string

// The dialects ParseDatabaseURL understands.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// DefaultPostgresPort is used when a PostgreSQL URL names no port.
const DefaultPostgresPort = 5432

// MemoryPath is Database.Path for an in-memory SQLite database
// (sqlite:// or sqlite:///:memory:; meant for tests).
const MemoryPath = ":memory:"

// ErrInvalidURL is returned (wrapped, with a one-line detail) by
// ParseDatabaseURL when the database URL cannot be used, and therefore also by
// Load and Config.Validate. The detail names the offending part of the URL but
// never repeats the URL or its password.
var ErrInvalidURL = errors.New("invalid database URL")

// urlHint lists the accepted URL forms; appended to scheme errors.
const urlHint = "use postgresql://user:password@host:5432/dbname or sqlite:///path"

// Database is a parsed database URL.
//
// It holds the password in clear text so that DSN can hand it to the driver.
// String, GoString and LogValue all render Redacted, so printing or logging a
// Database never shows the password; do not log the Password field or DSN.
type Database struct {
	Dialect Dialect

	// PostgreSQL.
	Host     string     // host name or IP; IPv6 without brackets
	Port     int        // 1-65535; DefaultPostgresPort when the URL has none
	User     string     // percent-decoded
	Password string     // percent-decoded; never logged
	Name     string     // database name, percent-decoded
	Params   url.Values // query parameters passed through to the driver (sslmode, connect_timeout, ...)

	// SQLite.
	Path     string // absolute file path, or MemoryPath
	Relative bool   // the URL gave a relative path (sqlite:///X), resolved against the instance directory
}

// ParseDatabaseURL parses a SQLAlchemy-style database URL the way TimeTracker
// (Flask-SQLAlchemy) reads it, so that the program opens the same database as
// the app.
//
// Accepted forms:
//
//	postgresql://, postgres://, postgresql+psycopg2://, postgresql+psycopg://
//	    user[:password]@host[:port]/dbname[?query]
//	sqlite:///relative/path   relative to instanceDir (Relative is set)
//	sqlite:////absolute/path
//	sqlite:// and sqlite:///:memory:   in-memory database
//
// As in SQLAlchemy the user runs up to the first ':' or '/', and the password
// from that ':' up to the first '@', so it may contain ':' and '/'. User,
// password and database name are percent-decoded like Python's
// urllib.parse.unquote: valid %XX escapes are decoded, any other '%' is kept.
// A raw '@' inside the password cannot be told apart from the host separator
// and is rejected with a request to write it as %40. The port defaults to 5432.
// The query of a PostgreSQL URL is kept in Params; that of a SQLite URL is
// ignored.
//
// Errors wrap ErrInvalidURL and never contain the URL or its password.
func ParseDatabaseURL(raw, instanceDir string) (Database, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return Database{}, invalidURL("empty (%s)", urlHint)
	}
	i := strings.Index(raw, "://")
	if i < 0 {
		return Database{}, invalidURL("no scheme (%s)", urlHint)
	}
	scheme := raw[:i]
	if !isScheme(scheme) {
		// Do not echo it: without a well-formed scheme the text before
		// "://" may be anything, including a password.
		return Database{}, invalidURL("malformed scheme (%s)", urlHint)
	}
	rest := raw[i+len("://"):]

	// Scheme names are case-sensitive, as in SQLAlchemy's dialect registry.
	switch scheme {
	case "postgresql", "postgres", "postgresql+psycopg2", "postgresql+psycopg":
		return parsePostgres(rest)
	case "sqlite":
		return parseSQLite(rest, instanceDir)
	default:
		return Database{}, invalidURL("unsupported scheme %q (%s)", scheme, urlHint)
	}
}

func invalidURL(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidURL, fmt.Sprintf(format, args...))
}

// isScheme reports whether s looks like a URL scheme (RFC 3986 characters,
// short), which makes it safe to quote in an error message.
func isScheme(s string) bool {
	if s == "" || len(s) > 40 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return true
}

func parsePostgres(rest string) (Database, error) {
	d := Database{Dialect: Postgres, Port: DefaultPostgresPort}

	// User info, following SQLAlchemy's pattern
	// (?:(?P<username>[^:/]*)(?::(?P<password>[^@]*))?@)?
	after := rest
	if i := strings.IndexAny(rest, ":/@"); i >= 0 {
		switch rest[i] {
		case '@':
			d.User = unquote(rest[:i])
			after = rest[i+1:]
		case ':':
			if j := strings.IndexByte(rest[i+1:], '@'); j >= 0 {
				d.User = unquote(rest[:i])
				d.Password = unquote(rest[i+1 : i+1+j])
				after = rest[i+1+j+1:]
			}
			// No '@' at all: the ':' separates host and port.
		}
	}

	hostport, tail := after, ""
	if k := strings.IndexAny(after, "/?"); k >= 0 {
		hostport, tail = after[:k], after[k:]
	}
	if strings.Contains(hostport, "@") {
		return Database{}, errRawAt()
	}

	var portText string
	if strings.HasPrefix(hostport, "[") {
		end := strings.IndexByte(hostport, ']')
		if end < 0 {
			return Database{}, invalidURL("IPv6 host lacks its closing ']'")
		}
		d.Host = hostport[1:end]
		switch tail := hostport[end+1:]; {
		case tail == "":
		case tail[0] == ':':
			portText = tail[1:]
		default:
			return Database{}, invalidURL("unexpected text after the IPv6 host (expected :port)")
		}
	} else {
		d.Host, portText, _ = strings.Cut(hostport, ":")
	}
	if d.Host == "" {
		return Database{}, invalidURL("missing host (postgresql://user:password@host:5432/dbname)")
	}
	if portText != "" {
		// The port text is not echoed: when the '@' is missing it may be
		// the password.
		p, err := strconv.Atoi(portText)
		if err != nil || p < 1 || p > 65535 || !isDigits(portText) {
			return Database{}, invalidURL("port must be a number from 1 to 65535")
		}
		d.Port = p
	}

	if !strings.HasPrefix(tail, "/") {
		return Database{}, invalidURL("missing database name (add /dbname after the host)")
	}
	dbPart, query, _ := strings.Cut(tail[1:], "?")
	if strings.Contains(dbPart, "@") {
		return Database{}, errRawAt()
	}
	d.Name = unquote(dbPart)
	if d.Name == "" {
		return Database{}, invalidURL("missing database name (add /dbname after the host)")
	}
	if query != "" {
		params, err := url.ParseQuery(query)
		if err != nil {
			// url's error quotes the offending text; keep it out.
			return Database{}, invalidURL("malformed query string after '?'")
		}
		d.Params = params
	}
	return d, nil
}

func errRawAt() error {
	return invalidURL("unexpected '@' after the user info; write an '@' inside the password (or user) as %%40")
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func parseSQLite(rest, instanceDir string) (Database, error) {
	d := Database{Dialect: SQLite}
	path, _, _ := strings.Cut(rest, "?") // SQLite URL options are ignored
	if path == "" {
		d.Path = MemoryPath // sqlite://
		return d, nil
	}
	if !strings.HasPrefix(path, "/") {
		return Database{}, invalidURL("a sqlite URL takes no host (use sqlite:///relative/path, sqlite:////absolute/path or sqlite:///:memory:)")
	}
	p := path[1:]
	switch {
	case p == MemoryPath:
		d.Path = MemoryPath
	case strings.Trim(p, "/") == "":
		return Database{}, invalidURL("missing SQLite file path after sqlite:/// (use sqlite:///relative/path or sqlite:////absolute/path)")
	case strings.HasPrefix(p, "/"):
		d.Path = filepath.Clean(p)
	default:
		abs, err := filepath.Abs(filepath.Join(instanceDir, p))
		if err != nil {
			return Database{}, invalidURL("cannot make the relative SQLite path absolute: %v", err)
		}
		d.Path = abs
		d.Relative = true
	}
	return d, nil
}

// unquote decodes %XX escapes the way Python's urllib.parse.unquote does: a
// '%' not followed by two hex digits stays as it is, '+' stays '+', and
// bytes that do not form valid UTF-8 become U+FFFD.
func unquote(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	out := b.String()
	if !utf8.ValidString(out) {
		out = strings.ToValidUTF8(out, "\uFFFD")
	}
	return out
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

func (d Database) port() int {
	if d.Port == 0 {
		return DefaultPostgresPort
	}
	return d.Port
}

// DSN returns the connection string for the driver: for PostgreSQL
// "postgres://user:password@host:port/name?params" with every part escaped
// (query keys sorted), for SQLite the absolute file path or MemoryPath.
// It contains the password: never log it. A zero Database gives "".
func (d Database) DSN() string {
	switch d.Dialect {
	case Postgres:
		var b strings.Builder
		b.WriteString("postgres://")
		switch {
		case d.Password != "":
			b.WriteString(url.UserPassword(d.User, d.Password).String())
			b.WriteByte('@')
		case d.User != "":
			b.WriteString(url.User(d.User).String())
			b.WriteByte('@')
		}
		d.writeHostAndName(&b)
		if len(d.Params) > 0 {
			b.WriteByte('?')
			b.WriteString(d.Params.Encode())
		}
		return b.String()
	case SQLite:
		return d.Path
	default:
		return ""
	}
}

// Redacted returns the URL for logs and messages, without the password:
// "postgresql://user:***@host:port/name?params" (secret-looking query
// parameters such as password are dropped; "user@" when there is no password,
// nothing when there is no user), "sqlite:////abs/path" or
// "sqlite:///:memory:". A zero Database gives "".
func (d Database) Redacted() string {
	switch d.Dialect {
	case Postgres:
		var b strings.Builder
		b.WriteString("postgresql://")
		if d.User != "" || d.Password != "" {
			b.WriteString(url.User(d.User).String())
			if d.Password != "" {
				b.WriteString(":***")
			}
			b.WriteByte('@')
		}
		d.writeHostAndName(&b)
		if q := redactedParams(d.Params); q != "" {
			b.WriteByte('?')
			b.WriteString(q)
		}
		return b.String()
	case SQLite:
		// MemoryPath gives sqlite:///:memory:, an absolute path sqlite:////abs.
		return "sqlite:///" + d.Path
	default:
		return ""
	}
}

func (d Database) writeHostAndName(b *strings.Builder) {
	b.WriteString(net.JoinHostPort(d.Host, strconv.Itoa(d.port())))
	b.WriteByte('/')
	b.WriteString(url.PathEscape(d.Name))
}

// redactedParams encodes params without any whose name contains "pass"
// (password, sslpassword, passfile).
func redactedParams(params url.Values) string {
	kept := make(url.Values, len(params))
	for k, v := range params {
		if !strings.Contains(strings.ToLower(k), "pass") {
			kept[k] = v
		}
	}
	return kept.Encode() // sorted by key
}

// String returns Redacted, so that %v and %s never show the password.
func (d Database) String() string { return d.Redacted() }

// GoString keeps %#v from printing the password.
func (d Database) GoString() string { return fmt.Sprintf("config.Database(%q)", d.Redacted()) }

// LogValue makes slog log the redacted URL.
func (d Database) LogValue() slog.Value { return slog.StringValue(d.Redacted()) }
