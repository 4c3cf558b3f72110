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
	"unicode"
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
	Params   url.Values // query parameters passed through to the driver (sslmode, target_session_attrs, ...); host and port are in Host/Port/Hosts
	// Hosts lists every host of a multi-host URL (libpq's
	// postgresql://h1:5432,h2:5432/db, tried in order, with
	// target_session_attrs choosing among them); nil for one host, which is
	// Host and Port. A host starting with '/' is a Unix socket directory
	// (?host=/var/run/postgresql).
	Hosts []Endpoint

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
	d, after, hasUserInfo, err := parsePostgresURL(rest)
	if err != nil && hasUserInfo && strings.Contains(after, "@") {
		// A raw '@' inside the password ends the password early: whatever
		// then fails (often the "port") is a symptom of that '@'.
		return Database{}, errRawAt()
	}
	return d, err
}

// parsePostgresURL parses what follows "postgresql://". It also returns the
// text after the user info, and whether there was user info, so that the
// caller can blame a raw '@' for the error.
func parsePostgresURL(rest string) (Database, string, bool, error) {
	d := Database{Dialect: Postgres, Port: DefaultPostgresPort}

	// User info, following SQLAlchemy's pattern
	// (?:(?P<username>[^:/]*)(?::(?P<password>[^@]*))?@)?
	after := rest
	hasUserInfo := false
	if i := strings.IndexAny(rest, ":/@"); i >= 0 {
		switch rest[i] {
		case '@':
			d.User = unquote(rest[:i])
			after = rest[i+1:]
			hasUserInfo = true
		case ':':
			if j := strings.IndexByte(rest[i+1:], '@'); j >= 0 {
				d.User = unquote(rest[:i])
				d.Password = unquote(rest[i+1 : i+1+j])
				after = rest[i+1+j+1:]
				hasUserInfo = true
			}
			// No '@' at all: the ':' separates host and port.
		}
	}
	fail := func(err error) (Database, string, bool, error) { return Database{}, after, hasUserInfo, err }

	hostlist, tail := after, ""
	if k := strings.IndexAny(after, "/?"); k >= 0 {
		hostlist, tail = after[:k], after[k:]
	}
	if strings.Contains(hostlist, "@") {
		return fail(errRawAt())
	}

	// Hosts: one, or a comma-separated list (libpq's multi-host form).
	var hosts []Endpoint
	if hostlist != "" {
		for _, item := range splitHosts(hostlist) {
			e, err := parseEndpoint(item)
			if err != nil {
				return fail(err)
			}
			hosts = append(hosts, e)
		}
	}

	if !strings.HasPrefix(tail, "/") {
		return fail(invalidURL("missing database name (add /dbname after the host)"))
	}
	dbPart, query, _ := strings.Cut(tail[1:], "?")
	if strings.Contains(dbPart, "@") {
		return fail(errRawAt())
	}
	d.Name = unquote(dbPart)
	if query != "" {
		params, err := url.ParseQuery(query)
		if err != nil {
			// url's error quotes the offending text; keep it out.
			return fail(invalidURL("malformed query string after '?'"))
		}
		d.Params = params
	}
	// ?host= and ?port= (a socket directory, or a list) override the
	// netloc, as in libpq.
	if h, ok := d.Params["host"]; ok {
		hosts = nil
		for _, name := range strings.Split(strings.Join(h, ","), ",") {
			e := Endpoint{Host: strings.TrimSpace(name), Port: DefaultPostgresPort}
			if err := checkHost(e.Host); err != nil {
				return fail(err)
			}
			hosts = append(hosts, e)
		}
		delete(d.Params, "host")
	}
	if p, ok := d.Params["port"]; ok {
		ports := strings.Split(strings.Join(p, ","), ",")
		if len(ports) != 1 && len(ports) != len(hosts) {
			return fail(invalidURL("%d ports for %d hosts (give one port, or one per host)", len(ports), len(hosts)))
		}
		for i := range hosts {
			text := ports[0]
			if len(ports) > 1 {
				text = ports[i]
			}
			if strings.TrimSpace(text) == "" {
				continue
			}
			n, err := parsePort(strings.TrimSpace(text))
			if err != nil {
				return fail(err)
			}
			hosts[i].Port = n
		}
		delete(d.Params, "port")
	}
	if len(d.Params) == 0 {
		d.Params = nil
	}
	if len(hosts) == 0 {
		return fail(invalidURL("missing host (postgresql://user:password@host:5432/dbname, or ?host=/socket/dir for a Unix socket)"))
	}
	if d.Name == "" {
		return fail(invalidURL("missing database name (add /dbname after the host)"))
	}
	d.Host, d.Port = hosts[0].Host, hosts[0].Port
	if len(hosts) > 1 {
		d.Hosts = hosts
	}
	return d, after, hasUserInfo, nil
}

// Endpoint is one host of a PostgreSQL URL: a host name, an IP address or,
// when it starts with '/', the directory of a Unix socket.
type Endpoint struct {
	Host string
	Port int
}

// IsSocket reports whether the endpoint is a Unix socket directory.
func (e Endpoint) IsSocket() bool { return strings.HasPrefix(e.Host, "/") }

// splitHosts splits a netloc list on the commas outside IPv6 brackets.
func splitHosts(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '[':
			depth++
		case ']':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

func parseEndpoint(item string) (Endpoint, error) {
	e := Endpoint{Port: DefaultPostgresPort}
	var portText string
	if strings.HasPrefix(item, "[") {
		end := strings.IndexByte(item, ']')
		if end < 0 {
			return e, invalidURL("IPv6 host lacks its closing ']'")
		}
		e.Host = item[1:end]
		switch tail := item[end+1:]; {
		case tail == "":
		case tail[0] == ':':
			portText = tail[1:]
		default:
			return e, invalidURL("unexpected text after the IPv6 host (expected :port)")
		}
		addr, _, _ := strings.Cut(e.Host, "%") // a zone (fe80::1%eth0) follows '%'
		if net.ParseIP(addr) == nil {
			return e, invalidURL("the host in brackets is not an IPv6 address")
		}
	} else {
		var host string
		host, portText, _ = strings.Cut(item, ":")
		// A percent-encoded path is a socket directory (libpq's form
		// postgresql://%2Fvar%2Frun%2Fpostgresql/db).
		e.Host = unquote(host)
		if e.Host == "" {
			return e, invalidURL("missing host (postgresql://user:password@host:5432/dbname, or ?host=/socket/dir for a Unix socket)")
		}
		if err := checkHost(e.Host); err != nil {
			return e, err
		}
	}
	if portText != "" {
		p, err := parsePort(portText)
		if err != nil {
			return e, err
		}
		e.Port = p
	}
	return e, nil
}

// parsePort does not echo the text: when the '@' is missing it may be the
// password.
func parsePort(text string) (int, error) {
	p, err := strconv.Atoi(text)
	if err != nil || p < 1 || p > 65535 || !isDigits(text) {
		return 0, invalidURL("port must be a number from 1 to 65535")
	}
	return p, nil
}

// checkHost refuses characters no host name has (a socket directory may
// hold anything but a NUL). Only the character is named: a malformed URL's
// host may be a piece of the password.
func checkHost(h string) error {
	if h == "" {
		return invalidURL("empty host in the host list")
	}
	if strings.HasPrefix(h, "/") {
		if strings.ContainsRune(h, 0) {
			return invalidURL("the socket directory contains a NUL byte")
		}
		return nil
	}
	for _, r := range h {
		switch {
		case unicode.IsLetter(r), unicode.IsDigit(r), r == '.', r == '-', r == '_':
		default:
			return invalidURL("the host contains %q, which no host name can contain (a socket directory starts with '/'; an '@', ':' or '/' in the password is written %%40, %%3A, %%2F)", r)
		}
	}
	return nil
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
		d.writeTarget(&b, d.Params.Encode(), url.QueryEscape)
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
		d.writeTarget(&b, redactedParams(d.Params), func(s string) string { return s })
		return b.String()
	case SQLite:
		// MemoryPath gives sqlite:///:memory:, an absolute path sqlite:////abs.
		return "sqlite:///" + d.Path
	default:
		return ""
	}
}

// Endpoints lists the hosts in the order they are tried (one for a
// single-host URL).
func (d Database) Endpoints() []Endpoint {
	if len(d.Hosts) > 0 {
		return d.Hosts
	}
	return []Endpoint{{Host: d.Host, Port: d.port()}}
}

// writeTarget writes the hosts, the database name and the query: hosts in
// the netloc (h1:5432,h2:5432), or, when one is a socket directory, as
// ?host=...&port=... (libpq's form for paths). esc escapes a socket path.
func (d Database) writeTarget(b *strings.Builder, query string, esc func(string) string) {
	eps := d.Endpoints()
	socket := false
	for _, e := range eps {
		socket = socket || e.IsSocket()
	}
	if !socket {
		for i, e := range eps {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(net.JoinHostPort(e.Host, strconv.Itoa(e.Port)))
		}
	}
	b.WriteByte('/')
	b.WriteString(url.PathEscape(d.Name))
	if socket {
		hosts, ports := make([]string, len(eps)), make([]string, len(eps))
		defaultPorts := true
		for i, e := range eps {
			hosts[i], ports[i] = esc(e.Host), strconv.Itoa(e.Port)
			defaultPorts = defaultPorts && e.Port == DefaultPostgresPort
		}
		q := "host=" + strings.Join(hosts, ",")
		if !defaultPorts {
			q += "&port=" + strings.Join(ports, ",")
		}
		if query != "" {
			q += "&" + query
		}
		query = q
	}
	if query != "" {
		b.WriteByte('?')
		b.WriteString(query)
	}
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
