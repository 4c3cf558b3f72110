// Package dockerfile checks the image's contract (stages, pinned bases, the
// binary's place, user, volume, ENTRYPOINT and CMD) with BuildKit's parser,
// the one `docker build` uses. It is a module of its own so that BuildKit
// and its dependencies stay out of the program's module graph; it imports
// nothing from the program.
package dockerfile

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/stretchr/testify/require"
)

// dockerfile is a Dockerfile parsed by BuildKit, the parser `docker build`
// uses.
type dockerfile struct {
	path     string
	stages   []instructions.Stage
	metaArgs map[string]string // ARG defaults before the first FROM
}

// parseDockerfile parses path with BuildKit's parser and instruction reader
// and fails the test on a parse error, a parser warning (such as an empty
// continuation line) or a BuildKit lint rule the reader checks (stage name
// casing, FROM/AS casing, deprecated MAINTAINER, ...).
func parseDockerfile(t *testing.T, path string) dockerfile {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	res, err := parser.Parse(f)
	require.NoError(t, err, "%s does not parse", path)
	for _, w := range res.Warnings {
		t.Errorf("%s: parser warning: %s", path, w.Short)
	}
	var lint []string
	l := linter.New(&linter.Config{Warn: func(rule, _, url, msg string, loc []parser.Range) {
		line := 0
		if len(loc) > 0 {
			line = loc[0].Start.Line
		}
		lint = append(lint, rule+" (line "+strconv.Itoa(line)+"): "+msg+" "+url)
	}})
	stages, meta, err := instructions.Parse(res.AST, l)
	require.NoError(t, err, "%s: BuildKit rejects it", path)
	require.Empty(t, lint, "%s: BuildKit lint", path)
	d := dockerfile{path: path, stages: stages, metaArgs: map[string]string{}}
	for _, a := range meta {
		for _, kv := range a.Args {
			require.NotNil(t, kv.Value, "%s: ARG %s before FROM needs a default", path, kv.Key)
			d.metaArgs[kv.Key] = *kv.Value
		}
	}
	return d
}

// base returns the image of a stage with ${ARG} replaced by its default.
func (d dockerfile) base(s instructions.Stage) string {
	return regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?`).ReplaceAllStringFunc(s.BaseName, func(m string) string {
		name := strings.Trim(m, "${}")
		return d.metaArgs[name]
	})
}

// final is the last stage: the image that is shipped.
func (d dockerfile) final() instructions.Stage { return d.stages[len(d.stages)-1] }

// commands returns the commands of type T in stage s, in order.
func commands[T instructions.Command](s instructions.Stage) []T {
	var out []T
	for _, c := range s.Commands {
		if x, ok := c.(T); ok {
			out = append(out, x)
		}
	}
	return out
}

// checkPinned fails on a base image without an explicit version tag.
func checkPinned(t *testing.T, d dockerfile) {
	t.Helper()
	names := map[string]bool{}
	for _, s := range d.stages {
		img := d.base(s)
		if names[img] {
			continue // FROM an earlier stage
		}
		if s.Name != "" {
			names[s.Name] = true
		}
		require.NotContains(t, img, "$", "%s: FROM %s: unresolved variable", d.path, s.BaseName)
		ref := img
		if i := strings.LastIndex(ref, "/"); i >= 0 {
			ref = ref[i+1:]
		}
		_, tag, ok := strings.Cut(ref, ":")
		require.True(t, ok, "%s: FROM %s has no tag", d.path, img)
		require.NotEqual(t, "latest", tag, "%s: FROM %s", d.path, img)
	}
}

func entrypointAndCmd(t *testing.T, d dockerfile) ([]string, []string, bool) {
	t.Helper()
	eps := commands[*instructions.EntrypointCommand](d.final())
	require.Len(t, eps, 1, "%s: one ENTRYPOINT in the final stage", d.path)
	require.False(t, eps[0].PrependShell, "%s: ENTRYPOINT must be exec form (JSON): the app becomes PID 1 and gets signals", d.path)
	cmds := commands[*instructions.CmdCommand](d.final())
	if len(cmds) == 0 {
		return eps[0].CmdLine, nil, false
	}
	c := cmds[len(cmds)-1]
	require.False(t, c.PrependShell, "%s: CMD must be exec form (JSON)", d.path)
	return eps[0].CmdLine, c.CmdLine, true
}

func env(d dockerfile, s instructions.Stage) map[string]string {
	out := map[string]string{}
	for _, e := range commands[*instructions.EnvCommand](s) {
		for _, kv := range e.Env {
			out[kv.Key] = kv.Value
		}
	}
	return out
}

func TestDockerfile(t *testing.T) {
	d := parseDockerfile(t, filepath.Join("..", "..", "Dockerfile"))
	checkPinned(t, d)
	require.GreaterOrEqual(t, len(d.stages), 2, "multi-stage: a builder and a runtime stage")

	builder := d.stages[0]
	require.Equal(t, "builder", builder.Name)
	require.True(t, strings.HasPrefix(d.base(builder), "golang:"), "builder: %s", d.base(builder))
	require.Equal(t, "1", env(d, builder)["CGO_ENABLED"], "gorm.io/driver/sqlite needs cgo")
	var build string
	for _, r := range commands[*instructions.RunCommand](builder) {
		if strings.Contains(strings.Join(r.CmdLine, " "), "go build") {
			build = strings.Join(r.CmdLine, " ")
		}
	}
	require.Contains(t, build, "-X main.version=${VERSION}", "the version is set at build time")
	require.True(t, slices.ContainsFunc(commands[*instructions.ArgCommand](builder), func(a *instructions.ArgCommand) bool {
		return a.Args[0].Key == "VERSION"
	}), "ARG VERSION in the builder")

	final := d.final()
	require.True(t, strings.HasPrefix(d.base(final), "debian:") && strings.HasSuffix(d.base(final), "-slim"), "runtime: %s", d.base(final))
	copies := commands[*instructions.CopyCommand](final)
	require.True(t, slices.ContainsFunc(copies, func(c *instructions.CopyCommand) bool {
		return c.From == "builder" && c.DestPath == "/usr/local/bin/timetracker"
	}), "the binary comes from the builder stage into PATH")

	// Packages the program calls at run time.
	var install string
	for _, r := range commands[*instructions.RunCommand](final) {
		install += strings.Join(r.CmdLine, " ")
	}
	for _, p := range []string{"ca-certificates", "tzdata", "postgresql-client-"} {
		require.Contains(t, install, p)
	}

	// Non-root uid 1000; the data directory and time zone from the environment.
	users := commands[*instructions.UserCommand](final)
	require.NotEmpty(t, users)
	user := users[len(users)-1].User
	uid, _, _ := strings.Cut(user, ":")
	require.Equal(t, "1000", uid, "USER %s", user)
	e := env(d, final)
	require.Equal(t, "/data", e["TIMETRACKER_DATA_DIR"])
	require.NotEmpty(t, e["TZ"])
	var volumes []string
	for _, v := range commands[*instructions.VolumeCommand](final) {
		volumes = append(volumes, v.Volumes...)
	}
	require.Equal(t, []string{"/data"}, volumes)

	ep, cmdLine, hasCmd := entrypointAndCmd(t, d)
	require.Equal(t, []string{"timetracker", "bootstrap", "--"}, ep)
	require.True(t, hasCmd, "CMD [] must reset the base image's CMD (debian's is bash), or bootstrap would exec it")
	require.Empty(t, cmdLine, "no CMD: a one-shot migrator")

	labels := map[string]string{}
	for _, l := range commands[*instructions.LabelCommand](final) {
		for _, kv := range l.Labels {
			labels[kv.Key] = strings.Trim(kv.Value, `"`)
		}
	}
	for label, arg := range map[string]string{
		"org.opencontainers.image.version":  "${VERSION}",
		"org.opencontainers.image.revision": "${REVISION}",
		"org.opencontainers.image.created":  "${BUILD_DATE}",
	} {
		require.Equal(t, arg, labels[label], "label %s", label)
	}
}

func TestDockerfileAppEntrypoint(t *testing.T) {
	d := parseDockerfile(t, filepath.Join("..", "Dockerfile.app-entrypoint"))
	checkPinned(t, d)
	require.Len(t, d.stages, 2)
	// timetracker is compiled here, from the repository: no image that
	// nothing builds or publishes.
	require.True(t, strings.HasPrefix(d.base(d.stages[0]), "golang:"), d.base(d.stages[0]))
	require.True(t, slices.ContainsFunc(commands[*instructions.RunCommand](d.stages[0]), func(r *instructions.RunCommand) bool {
		return strings.Contains(strings.Join(r.CmdLine, " "), "go build") && strings.Contains(strings.Join(r.CmdLine, " "), "-o /usr/local/bin/timetracker")
	}), "the first stage builds timetracker")
	require.True(t, strings.HasPrefix(d.base(d.stages[1]), "ghcr.io/drytrix/timetracker:"), d.base(d.stages[1]))
	final := d.final()
	require.True(t, slices.ContainsFunc(commands[*instructions.CopyCommand](final), func(c *instructions.CopyCommand) bool {
		return c.From == d.stages[0].Name && slices.Equal(c.SourcePaths, []string{"/usr/local/bin/timetracker"})
	}), "COPY --from the timetracker image")
	users := commands[*instructions.UserCommand](final)
	require.NotEmpty(t, users)
	require.True(t, strings.HasPrefix(users[len(users)-1].User, "1000"))
	require.Equal(t, "/data", env(d, final)["TIMETRACKER_DATA_DIR"])

	ep, cmdLine, hasCmd := entrypointAndCmd(t, d)
	require.Equal(t, []string{"timetracker", "bootstrap", "--"}, ep)
	require.True(t, hasCmd)
	require.NotEmpty(t, cmdLine, "the application's command is the CMD")
	require.Equal(t, "gunicorn", cmdLine[0])
}

// TestDockerfileExamplesRunWhatTheImageHas: the `docker run` examples in
// the Dockerfile's header start only commands the image contains (its
// CMD is exec'd after the bootstrap, so a missing one is exit 2).
func TestDockerfileExamplesRunWhatTheImageHas(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "Dockerfile"))
	require.NoError(t, err)
	// The runtime stage is debian slim with the PostgreSQL client and this
	// binary.
	inImage := map[string]bool{"timetracker": true, "sh": true, "true": true, "env": true, "pg_dump": true, "pg_restore": true, "psql": true}
	runs := 0
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(strings.TrimPrefix(line, "#"))
		if !strings.HasPrefix(line, "docker run ") {
			continue
		}
		runs++
		words := strings.Fields(strings.SplitN(line, "#", 2)[0])
		if i := slices.Index(words, "--entrypoint"); i >= 0 && i+1 < len(words) {
			require.True(t, inImage[words[i+1]], "%q: --entrypoint %s is not in the image", line, words[i+1])
			continue // what follows the image are its arguments
		}
		for i, w := range words {
			if strings.HasPrefix(w, "timetracker:") && i+1 < len(words) {
				require.True(t, inImage[words[i+1]], "%q runs %s, which the image does not have", line, words[i+1])
			}
		}
	}
	require.Positive(t, runs)
}
