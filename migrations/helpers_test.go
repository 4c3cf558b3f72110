package migrations_test

import "github.com/timetracker/timetracker/internal/schema"

func schemaDiff(a, b schema.Schema) []string { return schema.Diff(a, b) }
