package redact

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"postgresql://u:timetracker@db:5432/timetracker", "postgresql://u:***@db:5432/timetracker"},
		{`database="postgres://postgres:postgres@127.0.0.1:5432/postgres?sslmode=disable"`, `database="postgres://postgres:***@127.0.0.1:5432/postgres?sslmode=disable"`},
		{"postgresql://u:p%40ss:w%2Frd%23%3F%25@h/d", "postgresql://u:***@h/d"},
		{"postgresql://u:p@ss@h/d", "postgresql://u:***@ss@h/d"},
		{"postgresql://u@h/d?sslmode=disable&password=postgres&x=1", "postgresql://u@h/d?sslmode=disable&password=***&x=1"},
		{"host=h user=u password=timetracker dbname=d", "host=h user=u password=*** dbname=d"},
		{"host=h password='a b' dbname=d", "host=h password='***' dbname=d"},
		{`{"password": "p@ss:w/rd#?%", "user":"u"}`, `{"password": "***", "user":"u"}`},
		{"PGPASSWORD=postgres pg_dump", "PGPASSWORD=*** pg_dump"},
		{"POSTGRES_PASSWORD=timetracker", "POSTGRES_PASSWORD=***"},
		{"password authentication failed for user \"postgres\"", "password authentication failed for user \"postgres\""},
		{"timetracker: timetracker_migrations holds all 7 steps; dialect=postgres; /data/postgres/backups/timetracker-1.pgdump",
			"timetracker: timetracker_migrations holds all 7 steps; dialect=postgres; /data/postgres/backups/timetracker-1.pgdump"},
		{"password_hash: x", "password_hash: x"},
		{"ignoring POSTGRES_PASSWORD: the database given by --database-url wins", "ignoring POSTGRES_PASSWORD: the database given by --database-url wins"},
		{`password: "hunter2"`, `password: "***"`},
		{"password:hunter2", "password:***"},
		{"sqlite:////data/timetracker.db", "sqlite:////data/timetracker.db"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, String(tt.in), tt.in)
	}
}

func TestDistinctiveAndForms(t *testing.T) {
	require.False(t, Distinctive("timetracker"))
	require.False(t, Distinctive("postgres"))
	require.True(t, Distinctive("p@ss:w/rd#?%"))
	forms := Forms("p@ss:w/rd#?%")
	require.Contains(t, forms, "p@ss:w/rd#?%")
	require.Contains(t, forms, url.QueryEscape("p@ss:w/rd#?%"))
	for _, f := range forms {
		require.False(t, strings.Contains(f, "%%"), f)
	}
}
