package schema_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/timetracker/timetracker/internal/schema"
)

func TestParseType(t *testing.T) {
	for in, want := range map[string]string{
		"character varying(80)":          "varchar(80)",
		"VARCHAR(200)":                   "varchar(200)",
		"timestamp without time zone":    "timestamp",
		"timestamp(6) without time zone": "timestamp",
		"timestamp with time zone":       "timestamptz",
		"DATETIME":                       "timestamp",
		"numeric(9,2)":                   "numeric(9,2)",
		"NUMERIC(10, 2)":                 "numeric(10,2)",
		"double precision":               "float",
		"FLOAT":                          "float",
		"INTEGER":                        "integer",
		"interval":                       "interval",
		"BOOLEAN":                        "boolean",
		"uuid":                           "uuid",
	} {
		require.Equal(t, want, schema.ParseType(in).String(), in)
	}
}

func TestNormalizeDefault(t *testing.T) {
	cases := []struct {
		in   string
		kind schema.Kind
		want string
	}{
		{"'user'::character varying", schema.Varchar, "'user'"},
		{"'0'::numeric", schema.Numeric, "0"},
		{"now()", schema.Timestamp, "CURRENT_TIMESTAMP"},
		{"CURRENT_TIMESTAMP", schema.Timestamp, "CURRENT_TIMESTAMP"},
		{"1", schema.Boolean, "true"},
		{"'true'", schema.Boolean, "true"},
		{"false", schema.Boolean, "false"},
		{"NULL", schema.Varchar, ""},
		{"('a(b)')", schema.Varchar, "'a(b)'"},
	}
	for _, c := range cases {
		require.Equal(t, c.want, schema.NormalizeDefault(c.in, c.kind), c.in)
	}
}

func TestVerifyRules(t *testing.T) {
	want := schema.Schema{Tables: []schema.Table{{
		Name: "users",
		Columns: []schema.Column{
			{Name: "id", Type: schema.Type{Kind: schema.Integer}, NotNull: true, PrimaryKey: true},
			{Name: "username", Type: schema.Type{Kind: schema.Varchar, Length: 80}, NotNull: true},
		},
		Indexes: []schema.Index{{Name: "ix_users_username", Columns: []string{"username"}, Unique: true}},
	}}}
	ok := schema.Schema{Tables: []schema.Table{{
		Name: "users",
		Columns: []schema.Column{
			{Name: "id", Type: schema.Type{Kind: schema.Integer}, NotNull: true, PrimaryKey: true},
			{Name: "username", Type: schema.Type{Kind: schema.Varchar, Length: 120}, NotNull: true},
			{Name: "updated_at", Type: schema.Type{Kind: schema.Timestamp}, NotNull: true, Default: "CURRENT_TIMESTAMP"},
		},
		Indexes: []schema.Index{{Name: "users_username_key", Columns: []string{"username"}, Unique: true}},
	}}}
	require.Empty(t, schema.Verify(want, ok), "wider varchar, defaulted extra column, unique index of another name")

	bad := ok
	bad.Tables = []schema.Table{ok.Tables[0]}
	bad.Tables[0].Columns = []schema.Column{
		{Name: "id", Type: schema.Type{Kind: schema.Integer}, NotNull: true, PrimaryKey: true},
		{Name: "username", Type: schema.Type{Kind: schema.Varchar, Length: 40}},
		{Name: "legacy", Type: schema.Type{Kind: schema.Text}, NotNull: true},
	}
	bad.Tables[0].Indexes = []schema.Index{{Name: "ix", Columns: []string{"username"}}}
	require.Equal(t, []string{
		"table users: column username: type varchar(40), want varchar(80)",
		"table users: column username: NULL allowed, want NOT NULL",
		"table users: column legacy: extra NOT NULL column without a default (inserts by the app would fail)",
		"table users: unique index on (username): missing (wanted as ix_users_username)",
	}, schema.Verify(want, bad))
}
