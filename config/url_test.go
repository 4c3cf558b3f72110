package config

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"
)

const testInstanceDir = "/app/instance"

func TestParseDatabaseURLPostgres(t *testing.T) {
	pg := func(user, password, host string, port int, name string) Database {
		return Database{Dialect: Postgres, Host: host, Port: port, User: user, Password: password, Name: name}
	}
	withParams := func(d Database, params url.Values) Database { d.Params = params; return d }

	tests := []struct {
		name string
		raw  string
		want Database
	}{
		{"full", "postgresql://user:pass@host:5433/db", pg("user", "pass", "host", 5433, "db")},
		{"no port defaults to 5432", "postgresql://user:pass@host/db", pg("user", "pass", "host", 5432, "db")},
		{"empty port defaults to 5432", "postgresql://user:pass@host:/db", pg("user", "pass", "host", 5432, "db")},
		{"postgres scheme", "postgres://user:pass@host:5432/db", pg("user", "pass", "host", 5432, "db")},
		{"psycopg2 driver dropped", "postgresql+psycopg2://user:pass@host:5432/db", pg("user", "pass", "host", 5432, "db")},
		{"psycopg driver dropped", "postgresql+psycopg://user:pass@host:5432/db", pg("user", "pass", "host", 5432, "db")},
		{"surrounding spaces", "  postgresql://user:pass@host/db\n", pg("user", "pass", "host", 5432, "db")},

		{"password %40 decoded", "postgresql://user:p%40ss@host/db", pg("user", "p@ss", "host", 5432, "db")},
		{"password with colon", "postgresql://user:p:ss@host/db", pg("user", "p:ss", "host", 5432, "db")},
		{"password with slash", "postgresql://user:p/ss@host/db", pg("user", "p/ss", "host", 5432, "db")},
		{"password with slash and port", "postgresql://user:a/b:c@host:6000/db", pg("user", "a/b:c", "host", 6000, "db")},
		{"password %25 decoded", "postgresql://user:p%25@host/db", pg("user", "p%", "host", 5432, "db")},
		{"password with quote", "postgresql://user:p'ss@host/db", pg("user", "p'ss", "host", 5432, "db")},
		{"password invalid escape kept", "postgresql://user:p%zz@host/db", pg("user", "p%zz", "host", 5432, "db")},
		{"password trailing percent kept", "postgresql://user:pw%@host/db", pg("user", "pw%", "host", 5432, "db")},
		{"password short escape kept", "postgresql://user:pw%4@host/db", pg("user", "pw%4", "host", 5432, "db")},
		{"password plus stays plus", "postgresql://user:p+ss@host/db", pg("user", "p+ss", "host", 5432, "db")},
		{"password with question mark", "postgresql://user:p?ss@host/db", pg("user", "p?ss", "host", 5432, "db")},
		{"password utf-8 escapes", "postgresql://user:p%C3%A9@host/db", pg("user", "pé", "host", 5432, "db")},
		{"empty password", "postgresql://user:@host/db", pg("user", "", "host", 5432, "db")},
		{"user only", "postgresql://user@host/db", pg("user", "", "host", 5432, "db")},
		{"no user", "postgresql://host/db", pg("", "", "host", 5432, "db")},
		{"no user with port", "postgresql://host:5434/db", pg("", "", "host", 5434, "db")},
		{"user and db name decoded", "postgresql://us%65r:pw@host/my%2Ddb", pg("user", "pw", "host", 5432, "my-db")},
		{"ipv6 with port", "postgresql://u:p@[::1]:6543/db", pg("u", "p", "::1", 6543, "db")},
		{"ipv6 without port", "postgresql://u:p@[fe80::1]/db", pg("u", "p", "fe80::1", 5432, "db")},

		{"sslmode passed through", "postgresql://user:pass@host/db?sslmode=require",
			withParams(pg("user", "pass", "host", 5432, "db"), url.Values{"sslmode": {"require"}})},
		{"several params", "postgres://user:pass@host/db?sslmode=verify-full&connect_timeout=10",
			withParams(pg("user", "pass", "host", 5432, "db"), url.Values{"sslmode": {"verify-full"}, "connect_timeout": {"10"}})},
		{"at sign in query without user info", "postgresql://host/db?application_name=a@b",
			withParams(pg("", "", "host", 5432, "db"), url.Values{"application_name": {"a@b"}})},
		{"empty query", "postgresql://host/db?", pg("", "", "host", 5432, "db")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDatabaseURL(tt.raw, testInstanceDir)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestParseDatabaseURLSQLite(t *testing.T) {
	tests := []struct {
		name        string
		raw         string
		instanceDir string
		want        Database
	}{
		{"relative to instance dir", "sqlite:///timetracker.db", testInstanceDir,
			Database{Dialect: SQLite, Path: "/app/instance/timetracker.db", Relative: true}},
		{"relative with subdirectory (TT issue 42)", "sqlite:///data/sqlite.db", testInstanceDir,
			Database{Dialect: SQLite, Path: "/app/instance/data/sqlite.db", Relative: true}},
		{"relative dot-dot", "sqlite:///../x.db", testInstanceDir,
			Database{Dialect: SQLite, Path: "/app/x.db", Relative: true}},
		{"absolute", "sqlite:////data/timetracker.db", testInstanceDir,
			Database{Dialect: SQLite, Path: "/data/timetracker.db"}},
		{"absolute with extra slashes", "sqlite://///data//tt.db", testInstanceDir,
			Database{Dialect: SQLite, Path: "/data/tt.db"}},
		{"query stripped", "sqlite:////data/tt.db?mode=ro&cache=shared", testInstanceDir,
			Database{Dialect: SQLite, Path: "/data/tt.db"}},
		{"memory, empty path", "sqlite://", testInstanceDir, Database{Dialect: SQLite, Path: MemoryPath}},
		{"memory, explicit", "sqlite:///:memory:", testInstanceDir, Database{Dialect: SQLite, Path: MemoryPath}},
		{"memory with query", "sqlite://?cache=shared", testInstanceDir, Database{Dialect: SQLite, Path: MemoryPath}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDatabaseURL(tt.raw, tt.instanceDir)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}

	t.Run("relative instance dir made absolute", func(t *testing.T) {
		dir := t.TempDir()
		t.Chdir(dir)
		got, err := ParseDatabaseURL("sqlite:///tt.db", "inst")
		require.NoError(t, err)
		require.True(t, got.Relative)
		want, err := filepath.Abs(filepath.Join("inst", "tt.db"))
		require.NoError(t, err)
		require.Equal(t, want, got.Path)
		require.True(t, filepath.IsAbs(got.Path))
	})
}

func TestParseDatabaseURLErrors(t *testing.T) {
	tests := []struct {
		name    string
		raw     string
		wantMsg string // substring of the error text
	}{
		{"empty", "", "empty"},
		{"blank", "   ", "empty"},
		{"no scheme", "user:pass@host/db", "no scheme"},
		{"mysql", "mysql://user:pass@host/db", `unsupported scheme "mysql"`},
		{"http", "http://host/db", `unsupported scheme "http"`},
		{"asyncpg driver", "postgresql+asyncpg://user:pass@host/db", `unsupported scheme "postgresql+asyncpg"`},
		{"postgres with driver", "postgres+psycopg2://user:pass@host/db", `unsupported scheme "postgres+psycopg2"`},
		{"upper-case scheme", "POSTGRESQL://user:pass@host/db", `unsupported scheme "POSTGRESQL"`},
		{"sqlite driver", "sqlite+pysqlite:///x.db", `unsupported scheme "sqlite+pysqlite"`},
		{"malformed scheme", "post gres://host/db", "malformed scheme"},
		{"empty scheme", "://host/db", "malformed scheme"},

		{"missing db name", "postgresql://user:pass@host", "missing database name"},
		{"missing db name with port", "postgresql://user:pass@host:5432", "missing database name"},
		{"empty db name", "postgresql://user:pass@host:5432/", "missing database name"},
		{"query without db name", "postgresql://user:pass@host?sslmode=require", "missing database name"},
		{"missing host", "postgresql://user:pass@/db", "missing host"},
		{"missing host, no user", "postgresql:///db", "missing host"},
		{"port not numeric", "postgresql://user:pass@host:abc/db", "port must be a number"},
		{"port zero", "postgresql://user:pass@host:0/db", "port must be a number"},
		{"port too big", "postgresql://user:pass@host:65536/db", "port must be a number"},
		{"port negative", "postgresql://user:pass@host:-1/db", "port must be a number"},
		{"port with sign", "postgresql://user:pass@host:+5432/db", "port must be a number"},
		{"ipv6 unterminated", "postgresql://u:p@[::1:5432/db", "closing ']'"},
		{"ipv6 junk after bracket", "postgresql://u:p@[::1]x/db", "after the IPv6 host"},
		{"raw at in password", "postgresql://user:p@ss@host/db", "%40"},
		{"raw at and slash in password", "postgresql://user:p@ss/w@host/db", "%40"},
		{"raw at in user", "postgresql://us@er@host/db", "%40"},
		{"malformed query", "postgresql://user:pass@host/db?x=%zz", "malformed query"},

		{"sqlite without path", "sqlite:///", "missing SQLite file path"},
		{"sqlite root only", "sqlite:////", "missing SQLite file path"},
		{"sqlite with host", "sqlite://host/x.db", "takes no host"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseDatabaseURL(tt.raw, testInstanceDir)
			require.ErrorIs(t, err, ErrInvalidURL)
			require.Contains(t, err.Error(), tt.wantMsg)
			require.True(t, strings.HasPrefix(err.Error(), "invalid database URL: "), err.Error())
			require.NotContains(t, err.Error(), "\n")
		})
	}
}

func TestDSN(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		want string
	}{
		{"plain", "postgresql+psycopg2://user:pass@host/db", "postgres://user:pass@host:5432/db"},
		{"password escaped", "postgresql://user:p%40ss@host/db", "postgres://user:p%40ss@host:5432/db"},
		{"password with colon and slash", "postgresql://user:a:b/c@host:6000/db", "postgres://user:a%3Ab%2Fc@host:6000/db"},
		{"password with percent", "postgresql://user:p%25@host/db", "postgres://user:p%25@host:5432/db"},
		{"no password", "postgresql://user@host/db", "postgres://user@host:5432/db"},
		{"empty password", "postgresql://user:@host/db", "postgres://user@host:5432/db"},
		{"no user", "postgresql://host/db", "postgres://host:5432/db"},
		{"ipv6", "postgresql://u:p@[::1]:6543/db", "postgres://u:p@[::1]:6543/db"},
		{"params sorted", "postgresql://u:p@h/db?sslmode=require&connect_timeout=5", "postgres://u:p@h:5432/db?connect_timeout=5&sslmode=require"},
		{"db name escaped", "postgresql://u:p@h/my%2Fdb", "postgres://u:p@h:5432/my%2Fdb"},
		{"sqlite absolute", "sqlite:////data/tt.db", "/data/tt.db"},
		{"sqlite relative", "sqlite:///tt.db", "/app/instance/tt.db"},
		{"sqlite memory", "sqlite://", ":memory:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseDatabaseURL(tt.raw, testInstanceDir)
			require.NoError(t, err)
			require.Equal(t, tt.want, d.DSN())
		})
	}
	require.Empty(t, Database{}.DSN())
}

// The DSN must carry the exact credentials to a net/url based driver (pgx),
// and parse back to the same Database.
func TestDSNRoundTrip(t *testing.T) {
	for _, password := range []string{"p@ss", "p:ss", "p/ss", "p%", "p'ss", "p%zz", "S3cr3t-pw!", "a b+c?d#e&f=g", "pé"} {
		t.Run(password, func(t *testing.T) {
			d := Database{Dialect: Postgres, Host: "db", Port: 5432, User: "us:er@x", Password: password, Name: "time tracker",
				Params: url.Values{"sslmode": {"disable"}}}
			u, err := url.Parse(d.DSN())
			require.NoError(t, err)
			got, ok := u.User.Password()
			require.True(t, ok)
			require.Equal(t, password, got)
			require.Equal(t, "us:er@x", u.User.Username())
			require.Equal(t, "/time tracker", u.Path)

			back, err := ParseDatabaseURL(d.DSN(), "")
			require.NoError(t, err)
			require.Equal(t, d, back)
		})
	}
}

func TestRedacted(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		want string
	}{
		{"with password", "postgresql+psycopg2://user:S3cr3t-pw!@host/db", "postgresql://user:***@host:5432/db"},
		{"params kept, password param dropped", "postgres://user:S3cr3t-pw!@host:5433/db?sslmode=require&password=S3cr3t-pw!&sslpassword=x",
			"postgresql://user:***@host:5433/db?sslmode=require"},
		{"user without password", "postgresql://user@host/db", "postgresql://user@host:5432/db"},
		{"no user", "postgresql://host/db", "postgresql://host:5432/db"},
		{"ipv6", "postgresql://u:p@[::1]/db", "postgresql://u:***@[::1]:5432/db"},
		{"sqlite absolute", "sqlite:////data/tt.db", "sqlite:////data/tt.db"},
		{"sqlite relative shows absolute", "sqlite:///tt.db", "sqlite:////app/instance/tt.db"},
		{"sqlite memory", "sqlite://", "sqlite:///:memory:"},
		{"sqlite memory explicit", "sqlite:///:memory:", "sqlite:///:memory:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseDatabaseURL(tt.raw, testInstanceDir)
			require.NoError(t, err)
			require.Equal(t, tt.want, d.Redacted())
			require.Equal(t, tt.want, d.String())
			require.Equal(t, tt.want, fmt.Sprint(d))
		})
	}
	require.Empty(t, Database{}.Redacted())
}

// secretsIn are the forms a test password may take in output: as given, and
// decoded or encoded.
func secretsIn(t *testing.T, text string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		require.NotContains(t, text, s, "output leaks a password")
	}
}

func TestPasswordNeverInOutput(t *testing.T) {
	secrets := []string{"S3cr3t", "p@ss-Xyz", "p%40ss-Xyz"}

	valid := []string{
		"postgresql://user:S3cr3t-pw!@host:5432/db",
		"postgresql+psycopg2://user:p%40ss-Xyz@host/db?sslmode=require",
		"postgres://user:S3cr3t-pw!@[::1]/db?password=S3cr3t-pw!",
		"postgresql://:S3cr3t-pw!@host/db",
	}
	for _, raw := range valid {
		d, err := ParseDatabaseURL(raw, testInstanceDir)
		require.NoError(t, err, raw)
		var buf bytes.Buffer
		slog.New(slog.NewJSONHandler(&buf, nil)).Info("db", "database", d)
		slog.New(slog.NewTextHandler(&buf, nil)).Info("db", "database", d)
		text := strings.Join([]string{
			d.Redacted(), d.String(),
			fmt.Sprintf("%v %+v %#v %s %q", d, d, d, d, d),
			buf.String(),
		}, "\n")
		secretsIn(t, text, secrets...)
	}

	malformed := []string{
		"mysql://user:S3cr3t-pw!@host/db",
		"user:S3cr3t-pw!@host/db",
		"postgresql://user:S3cr3t-pw!/host/db",       // forgot the '@': password lands in the port
		"postgresql://user:S3cr3t-pw!@host",          // no db name
		"postgresql://user:S3cr3t@pw@host/db",        // raw '@'
		"postgresql://user:S3cr3t-pw!@host:x/db",     // bad port
		"postgresql://user:S3cr3t-pw!@host/db?x=%zz", // bad query
		"postgresql://user:S3cr3t-pw!@host/db?password=%zzS3cr3t",
		"postgresql://user:S3cr3t-pw!@[::1/db",
		"postgresql://user:p%40ss-Xyz@/db",
		"xx:S3cr3t-pw!://host/db",
		"postgresql+asyncpg://user:p%40ss-Xyz@host/db",
	}
	for _, raw := range malformed {
		_, err := ParseDatabaseURL(raw, testInstanceDir)
		require.ErrorIs(t, err, ErrInvalidURL, raw)
		secretsIn(t, err.Error(), secrets...)
	}
}

func TestUnquote(t *testing.T) {
	tests := map[string]string{
		"":        "",
		"plain":   "plain",
		"%41%42":  "AB",
		"%4a%4A":  "JJ",
		"%":       "%",
		"%%":      "%%",
		"%2":      "%2",
		"%zz":     "%zz",
		"a%2":     "a%2",
		"%%41":    "%A",
		"a+b":     "a+b",
		"%ff":     "\uFFFD",
		"%C3%A9x": "éx",
	}
	for in, want := range tests {
		require.Equal(t, want, unquote(in), in)
	}
}

// Unix sockets and multi-host URLs, as SQLAlchemy, libpq and Cloud SQL's
// socket proxy write them.
func TestParseDatabaseURLSocketsAndHostLists(t *testing.T) {
	tests := []struct {
		name      string
		raw       string
		endpoints []Endpoint
		params    url.Values
		dsn       string
		redacted  string
	}{
		{"socket as ?host=", "postgresql://user:pw@/dbname?host=/var/run/postgresql",
			[]Endpoint{{"/var/run/postgresql", 5432}}, nil,
			"postgres://user:pw@/dbname?host=%2Fvar%2Frun%2Fpostgresql",
			"postgresql://user:***@/dbname?host=/var/run/postgresql"},
		{"cloud sql socket with port", "postgresql+psycopg2://user:pw@/db?host=/cloudsql/proj:region:inst&port=5433&sslmode=disable",
			[]Endpoint{{"/cloudsql/proj:region:inst", 5433}}, url.Values{"sslmode": {"disable"}},
			"postgres://user:pw@/db?host=%2Fcloudsql%2Fproj%3Aregion%3Ainst&port=5433&sslmode=disable",
			"postgresql://user:***@/db?host=/cloudsql/proj:region:inst&port=5433&sslmode=disable"},
		{"host that is a path", "postgresql://user:pw@%2Fvar%2Frun%2Fpostgresql/dbname",
			[]Endpoint{{"/var/run/postgresql", 5432}}, nil,
			"postgres://user:pw@/dbname?host=%2Fvar%2Frun%2Fpostgresql",
			"postgresql://user:***@/dbname?host=/var/run/postgresql"},
		{"multi-host", "postgresql://user:pw@h1:5432,h2:5433/db?target_session_attrs=read-write",
			[]Endpoint{{"h1", 5432}, {"h2", 5433}}, url.Values{"target_session_attrs": {"read-write"}},
			"postgres://user:pw@h1:5432,h2:5433/db?target_session_attrs=read-write",
			"postgresql://user:***@h1:5432,h2:5433/db?target_session_attrs=read-write"},
		{"multi-host with ipv6 and default ports", "postgresql://u:pw@[::1],db-2.internal/db",
			[]Endpoint{{"::1", 5432}, {"db-2.internal", 5432}}, nil,
			"postgres://u:pw@[::1]:5432,db-2.internal:5432/db",
			"postgresql://u:***@[::1]:5432,db-2.internal:5432/db"},
		{"host list in the query", "postgresql://u:pw@/db?host=a,b&port=6001,6002",
			[]Endpoint{{"a", 6001}, {"b", 6002}}, nil,
			"postgres://u:pw@a:6001,b:6002/db",
			"postgresql://u:***@a:6001,b:6002/db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseDatabaseURL(tt.raw, testInstanceDir)
			require.NoError(t, err)
			require.Equal(t, tt.endpoints, d.Endpoints())
			require.Equal(t, tt.params, d.Params)
			require.Equal(t, tt.dsn, d.DSN())
			require.Equal(t, tt.redacted, d.Redacted())
			back, err := ParseDatabaseURL(d.DSN(), "")
			require.NoError(t, err)
			require.Equal(t, d, back, "the DSN parses back to the same database")
			// The driver reads the DSN as the same hosts.
			cfg, err := pgconn.ParseConfig(d.DSN())
			require.NoError(t, err)
			got := []Endpoint{{cfg.Host, int(cfg.Port)}}
			for _, f := range cfg.Fallbacks {
				if e := (Endpoint{f.Host, int(f.Port)}); e != got[len(got)-1] {
					got = append(got, e)
				}
			}
			require.Equal(t, tt.endpoints, got)
			require.Equal(t, "pw", cfg.Password)
		})
	}
}

// Configuration errors are named for what they are (issue: a raw password
// with '@' was blamed on the port; impossible host names passed).
func TestParseDatabaseURLBlame(t *testing.T) {
	tests := []struct{ name, raw, want string }{
		{"raw password with @:/#?%", "postgresql://user:p@ss:w/rd#?%@host:5432/db", "%40"},
		{"raw password with @ and port", "postgresql://user:p@ss:w@host:5432/db", "%40"},
		{"hash in host", "postgresql://user:pw@ho#st:5432/db", `contains '#'`},
		{"space in host", "postgresql://user:pw@ho st/db", `contains ' '`},
		{"brace in host", "postgresql://user:pw@{host}/db", `contains '{'`},
		{"bad host in a list", "postgresql://user:pw@h1,h#2/db", `contains '#'`},
		{"bad host in ?host=", "postgresql://user:pw@/db?host=a%20b", `contains ' '`},
		{"empty host in a list", "postgresql://user:pw@h1,/db", "missing host"},
		{"socket without host", "postgresql://user:pw@/db?sslmode=disable", "missing host"},
		{"ports do not match hosts", "postgresql://u:pw@/db?host=a,b,c&port=1,2", "2 ports for 3 hosts"},
		{"bad port in ?port=", "postgresql://u:pw@h/db?port=x", "port must be a number"},
		{"not ipv6 in brackets", "postgresql://u:pw@[not-ip]/db", "not an IPv6 address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseDatabaseURL(tt.raw, testInstanceDir)
			require.ErrorIs(t, err, ErrInvalidURL)
			require.Contains(t, err.Error(), tt.want)
			require.NotContains(t, err.Error(), "p@ss")
			require.NotContains(t, err.Error(), "ss:w")
		})
	}
}
