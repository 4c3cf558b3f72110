// Package deploy holds the compose files and Kubernetes manifests that run
// timetracker as a container; its tests check that they parse and keep the
// shape docs/operations.md describes.
package deploy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/timetracker/timetracker/cmd"
	"github.com/timetracker/timetracker/config"
)

// The image's contract, as the Dockerfile declares it.
var (
	bootstrapCmd = []string{"timetracker", "bootstrap"}
	readinessCmd = []string{"timetracker", "db", "status", "--check"}
)

// yamlDocs decodes every document of a YAML file.
func yamlDocs(t *testing.T, path string) []map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var docs []map[string]any
	for {
		var doc map[string]any
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err, "%s does not parse as YAML", path)
		if doc != nil {
			docs = append(docs, doc)
		}
	}
	require.NotEmpty(t, docs, "%s holds no YAML document", path)
	return docs
}

func yamlDoc(t *testing.T, path string) map[string]any {
	t.Helper()
	docs := yamlDocs(t, path)
	require.Len(t, docs, 1, "%s: one document expected", path)
	return docs[0]
}

// get walks maps and lists: get(t, m, "spec", "template", "spec") or
// get(t, m, "containers", 0). A missing step fails the test.
func get(t *testing.T, v any, path ...any) any {
	t.Helper()
	cur := v
	for i, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := cur.(map[string]any)
			require.True(t, ok, "%v: not a map at %q", path[:i], k)
			next, ok := m[k]
			require.True(t, ok, "missing key %v", path[:i+1])
			cur = next
		case int:
			l, ok := cur.([]any)
			require.True(t, ok, "%v: not a list", path[:i])
			require.Less(t, k, len(l), "%v: index %d out of range", path[:i], k)
			cur = l[k]
		default:
			t.Fatalf("bad path element %v", p)
		}
	}
	return cur
}

func has(v any, key string) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	_, ok = m[key]
	return ok
}

func mapOf(t *testing.T, v any, path ...any) map[string]any {
	t.Helper()
	m, ok := get(t, v, path...).(map[string]any)
	require.True(t, ok, "%v is not a map", path)
	return m
}

func listOf(t *testing.T, v any, path ...any) []any {
	t.Helper()
	l, ok := get(t, v, path...).([]any)
	require.True(t, ok, "%v is not a list", path)
	return l
}

func strs(t *testing.T, v any) []string {
	t.Helper()
	l, ok := v.([]any)
	require.True(t, ok, "%v is not a list", v)
	out := make([]string, len(l))
	for i, x := range l {
		s, ok := x.(string)
		require.True(t, ok, "%v: element %d is not a string", v, i)
		out[i] = s
	}
	return out
}

func num(t *testing.T, v any, path ...any) int {
	t.Helper()
	n, ok := get(t, v, path...).(int)
	require.True(t, ok, "%v is not an integer", path)
	return n
}

func duration(t *testing.T, s string) time.Duration {
	t.Helper()
	d, err := time.ParseDuration(s)
	require.NoError(t, err)
	return d
}

// interpolate expands compose variables: $$, ${VAR}, ${VAR:-default},
// ${VAR-default}, ${VAR:?message} and ${VAR?message}, with env as the
// environment. A required variable that is unset fails the test.
func interpolate(t *testing.T, s string, env map[string]string) string {
	t.Helper()
	re := regexp.MustCompile(`\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}`)
	return re.ReplaceAllStringFunc(s, func(m string) string {
		if m == "$$" {
			return "$"
		}
		sub := re.FindStringSubmatch(m)
		name, op, arg := sub[1], sub[2], sub[3]
		val, set := env[name]
		empty := !set || (strings.HasPrefix(op, ":") && val == "")
		switch strings.TrimPrefix(op, ":") {
		case "-":
			if empty {
				return arg
			}
		case "?":
			require.False(t, empty, "required variable %s: %s", name, arg)
		}
		return val
	})
}

// knownEnv returns every environment variable the program reads for a
// configuration key, from the flags' help texts ("(env A, B)").
func knownEnv(t *testing.T) map[string]bool {
	t.Helper()
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	config.AddFlags(fs)
	re := regexp.MustCompile(`\(env ([A-Z0-9_, ]+)\)`)
	out := map[string]bool{}
	fs.VisitAll(func(f *pflag.Flag) {
		m := re.FindStringSubmatch(f.Usage)
		require.NotNil(t, m, "flag --%s names no environment variable", f.Name)
		for _, n := range strings.Split(m[1], ",") {
			out[strings.TrimSpace(n)] = true
		}
	})
	// Read by the POSTGRES_* rule and the settings seed, not bound to a key.
	for _, n := range []string{"POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_HOST",
		"CURRENCY", "ROUNDING_MINUTES", "SINGLE_ACTIVE_TIMER", "ALLOW_SELF_REGISTER", "IDLE_TIMEOUT_MINUTES",
		"BACKUP_RETENTION_DAYS", "BACKUP_TIME"} {
		out[n] = true
	}
	return out
}

// imageEnv is the environment the images set (ENV in Dockerfile and
// Dockerfile.app-entrypoint; TestImageEnv checks it against the Dockerfile).
var imageEnv = map[string]string{"TIMETRACKER_DATA_DIR": "/data", "TZ": "Europe/Rome"}

// finalStageEnv reads the ENV key=value pairs of a Dockerfile's last stage.
// It is a line reader, enough for this repository's ENV lines (no quotes or
// spaces in values); deploy/dockerfile checks the Dockerfile with BuildKit's
// parser.
func finalStageEnv(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	text := regexp.MustCompile(`\\\n\s*`).ReplaceAllString(string(b), " ")
	out := map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) == 0:
		case strings.EqualFold(f[0], "FROM"):
			out = map[string]string{}
		case strings.EqualFold(f[0], "ENV"):
			for _, kv := range f[1:] {
				k, v, ok := strings.Cut(kv, "=")
				require.True(t, ok, "%s: ENV %s: want key=value", path, kv)
				out[k] = v
			}
		}
	}
	return out
}

func TestImageEnv(t *testing.T) {
	env := finalStageEnv(t, filepath.Join("..", "Dockerfile"))
	for k, v := range imageEnv {
		require.Equal(t, v, env[k], "imageEnv must match the Dockerfile's ENV %s", k)
	}
}

// loadEnv runs config.Load with the image's environment plus env, and nothing
// else, the way the container would start, and returns the configuration.
func loadEnv(t *testing.T, env map[string]string) config.Config {
	t.Helper()
	known := knownEnv(t)
	for n := range known {
		t.Setenv(n, "")
	}
	all := map[string]string{}
	for k, v := range imageEnv {
		all[k] = v
	}
	for k, v := range env {
		all[k] = v
	}
	for k, v := range all {
		if strings.HasPrefix(k, "TIMETRACKER_") {
			require.True(t, known[k], "%s is not a variable timetracker reads (typo?)", k)
		}
		t.Setenv(k, v)
	}
	cfg, err := config.Load(nil, nil)
	require.NoError(t, err, "the program refuses this environment: %v", env)
	return cfg
}

// Placeholders used for the required variables of the compose files.
var composeEnv = map[string]string{"POSTGRES_PASSWORD": "change-me", "SECRET_KEY": "change-me-too"}

func serviceEnv(t *testing.T, svc map[string]any) map[string]string {
	t.Helper()
	out := map[string]string{}
	for k, v := range mapOf(t, svc, "environment") {
		s, ok := v.(string)
		require.True(t, ok, "environment %s: quote non-string values", k)
		out[k] = interpolate(t, s, composeEnv)
	}
	return out
}

// checkSecretsFromEnv fails on a password or key written into a compose file:
// they must come from the environment (${VAR:?...}).
func checkSecretsFromEnv(t *testing.T, file string, services map[string]any) {
	t.Helper()
	for name, s := range services {
		if !has(s, "environment") {
			continue
		}
		for k, v := range mapOf(t, s, "environment") {
			if strings.Contains(k, "PASSWORD") || strings.Contains(k, "SECRET") || k == "DATABASE_URL" {
				val, _ := v.(string)
				require.Regexp(t, `^\$\{`+k+`:\?`, val, "%s: service %s sets %s in the file; take it from the environment", file, name, k)
			}
		}
	}
}

// checkVolumes fails on a named volume that is not declared.
func checkVolumes(t *testing.T, file string, doc map[string]any) {
	t.Helper()
	declared := map[string]bool{}
	if has(doc, "volumes") {
		for k := range mapOf(t, doc, "volumes") {
			declared[k] = true
		}
	}
	for name, s := range mapOf(t, doc, "services") {
		if !has(s, "volumes") {
			continue
		}
		for _, v := range strs(t, get(t, s, "volumes")) {
			src, _, ok := strings.Cut(v, ":")
			require.True(t, ok, "%s: %s: volume %q", file, name, v)
			if !strings.HasPrefix(src, ".") && !strings.HasPrefix(src, "/") {
				require.True(t, declared[src], "%s: service %s uses undeclared volume %s", file, name, src)
			}
		}
	}
}

func healthcheckOK(t *testing.T, file, name string, svc map[string]any) time.Duration {
	t.Helper()
	hc := mapOf(t, svc, "healthcheck")
	test := strs(t, hc["test"])
	require.NotEmpty(t, test, "%s: %s: empty healthcheck", file, name)
	require.Contains(t, []string{"CMD", "CMD-SHELL"}, test[0], "%s: %s", file, name)
	for _, k := range []string{"interval", "timeout"} {
		duration(t, hc[k].(string))
	}
	if sp, ok := hc["start_period"].(string); ok {
		return duration(t, sp)
	}
	return 0
}

// TestComposeMigrationService: db healthy -> one-shot migrate -> app.
func TestComposeMigrationService(t *testing.T) {
	const file = "docker-compose.yml"
	doc := yamlDoc(t, file)
	services := mapOf(t, doc, "services")
	require.ElementsMatch(t, []string{"db", "migrate", "app"}, keys(services))
	checkSecretsFromEnv(t, file, services)
	checkVolumes(t, file, doc)

	db := mapOf(t, services, "db")
	healthcheckOK(t, file, "db", db)
	require.Contains(t, strings.Join(strs(t, get(t, db, "healthcheck", "test")), " "), "pg_isready")
	require.NotContains(t, get(t, db, "image"), "latest")

	mig := mapOf(t, services, "migrate")
	require.Equal(t, "service_healthy", get(t, mig, "depends_on", "db", "condition"))
	require.False(t, has(mig, "command"), "migrate runs the image's ENTRYPOINT with no CMD: a one-shot bootstrap")
	require.False(t, has(mig, "entrypoint"), "migrate keeps the image's ENTRYPOINT")
	require.Equal(t, "no", get(t, mig, "restart"), "a one-shot service is not restarted")
	require.Equal(t, "..", get(t, mig, "build", "context"))
	_, err := os.Stat(filepath.Join("..", get(t, mig, "build", "dockerfile").(string)))
	require.NoError(t, err)
	require.Contains(t, strs(t, get(t, mig, "volumes")), "tt_data:/data", "backups persist in /data/backups")

	cfg := loadEnv(t, serviceEnv(t, mig))
	require.Equal(t, "postgresql://timetracker:***@db:5432/timetracker", cfg.Database.Redacted())
	require.Equal(t, "change-me", cfg.Database.Password)
	require.GreaterOrEqual(t, cfg.LockTimeout, 5*time.Minute, "replicas wait for a long migration")

	app := mapOf(t, services, "app")
	require.Equal(t, "service_completed_successfully", get(t, app, "depends_on", "migrate", "condition"))
	require.True(t, strings.HasPrefix(get(t, app, "image").(string), "ghcr.io/drytrix/timetracker:"))
	ep := strs(t, get(t, app, "entrypoint"))
	require.Equal(t, "gunicorn", ep[0], "the app starts its server directly, not TimeTracker's migrating start script")
	healthcheckOK(t, file, "app", app)
	// The application reads the same database settings.
	appEnv := serviceEnv(t, app)
	migEnv := serviceEnv(t, mig)
	for _, k := range []string{"POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_HOST", "TZ", "ADMIN_USERNAMES"} {
		require.Equal(t, migEnv[k], appEnv[k], "migrate and app disagree on %s", k)
	}
}

// TestComposeEntrypoint: timetracker is the entrypoint of the app's image.
func TestComposeEntrypoint(t *testing.T) {
	const file = "docker-compose.entrypoint.yml"
	doc := yamlDoc(t, file)
	services := mapOf(t, doc, "services")
	require.ElementsMatch(t, []string{"db", "app"}, keys(services))
	checkSecretsFromEnv(t, file, services)
	checkVolumes(t, file, doc)
	healthcheckOK(t, file, "db", mapOf(t, services, "db"))

	app := mapOf(t, services, "app")
	require.Equal(t, "service_healthy", get(t, app, "depends_on", "db", "condition"))
	require.False(t, has(app, "entrypoint"), "the image's ENTRYPOINT (timetracker bootstrap --) must run")
	require.False(t, has(app, "command"), "the image's CMD is the application")
	ctx := get(t, app, "build", "context").(string)
	df := get(t, app, "build", "dockerfile").(string)
	require.Equal(t, "deploy/Dockerfile.app-entrypoint", df)
	_, err := os.Stat(filepath.Join(ctx, df))
	require.NoError(t, err)
	// The Dockerfile compiles timetracker: the context is the module.
	_, err = os.Stat(filepath.Join(ctx, "go.mod"))
	require.NoError(t, err, "the build context must hold the source timetracker is built from")
	for arg := range mapOf(t, app, "build", "args") {
		require.Contains(t, dockerfileArgs(t, filepath.Join(ctx, df)), arg, "build arg %s is not declared in %s", arg, df)
	}

	cfg := loadEnv(t, serviceEnv(t, app))
	require.Equal(t, "postgresql://timetracker:***@db:5432/timetracker", cfg.Database.Redacted())
	// The migration runs before the server listens: the health check must
	// not count failures for at least the lock wait.
	start := healthcheckOK(t, file, "app", app)
	require.GreaterOrEqual(t, start, cfg.LockTimeout, "healthcheck start_period shorter than lock-timeout")
}

// dockerfileArgs lists the ARG names of a Dockerfile (names only; the
// Dockerfile itself is checked in deploy/dockerfile).
func dockerfileArgs(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var out []string
	for _, m := range regexp.MustCompile(`(?m)^ARG ([A-Za-z_][A-Za-z0-9_]*)`).FindAllStringSubmatch(string(b), -1) {
		out = append(out, m[1])
	}
	return out
}

func TestEnvExample(t *testing.T) {
	b, err := os.ReadFile(".env.example")
	require.NoError(t, err)
	n := 0
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		require.True(t, ok, "line %q", line)
		require.True(t, strings.HasPrefix(v, "change-me"), "%s must be an obvious placeholder, got %q", k, v)
		n++
	}
	require.Positive(t, n)
	// Every required compose variable has a line.
	for _, f := range []string{"docker-compose.yml", "docker-compose.entrypoint.yml"} {
		c, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, m := range regexp.MustCompile(`\$\{([A-Z_]+):\?`).FindAllStringSubmatch(string(c), -1) {
			require.Contains(t, string(b), "\n"+m[1]+"=", "%s requires %s: add it to .env.example", f, m[1])
		}
	}
}

// k8s returns the Kubernetes objects of deploy/kubernetes by kind/name.
func k8s(t *testing.T) map[string]map[string]any {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("kubernetes", "*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	out := map[string]map[string]any{}
	for _, f := range files {
		for _, d := range yamlDocs(t, f) {
			api, _ := d["apiVersion"].(string)
			kind, _ := d["kind"].(string)
			require.NotEmpty(t, api, "%s: apiVersion", f)
			require.NotEmpty(t, kind, "%s: kind", f)
			name, _ := get(t, d, "metadata", "name").(string)
			require.NotEmpty(t, name, "%s: metadata.name", f)
			require.Equal(t, "timetracker", get(t, d, "metadata", "labels", "app.kubernetes.io/name"), "%s: %s/%s label", f, kind, name)
			id := kind + "/" + name
			require.NotContains(t, out, id, "%s: duplicate %s", f, id)
			out[id] = d
		}
	}
	return out
}

// k8sEnv is the environment a container gets from its envFrom and env.
func k8sEnv(t *testing.T, objs map[string]map[string]any, container any) map[string]string {
	t.Helper()
	env := map[string]string{}
	for _, ef := range listOf(t, container, "envFrom") {
		var kind, name string
		switch {
		case has(ef, "configMapRef"):
			kind, name = "ConfigMap", get(t, ef, "configMapRef", "name").(string)
		case has(ef, "secretRef"):
			kind, name = "Secret", get(t, ef, "secretRef", "name").(string)
		default:
			t.Fatalf("envFrom %v", ef)
		}
		obj, ok := objs[kind+"/"+name]
		require.True(t, ok, "envFrom names %s/%s, which is not in deploy/kubernetes", kind, name)
		field := "data"
		if kind == "Secret" {
			field = "stringData"
		}
		for k, v := range mapOf(t, obj, field) {
			s, ok := v.(string)
			require.True(t, ok, "%s/%s %s: quote the value", kind, name, k)
			env[k] = s
		}
	}
	if has(container, "env") {
		for _, e := range listOf(t, container, "env") {
			env[get(t, e, "name").(string)] = get(t, e, "value").(string)
		}
	}
	return env
}

func containerNamed(t *testing.T, list []any, name string) map[string]any {
	t.Helper()
	for _, c := range list {
		if get(t, c, "name") == name {
			return c.(map[string]any)
		}
	}
	t.Fatalf("no container %q", name)
	return nil
}

func checkPodSecurity(t *testing.T, id string, pod map[string]any) {
	t.Helper()
	sc := mapOf(t, pod, "securityContext")
	require.Equal(t, true, sc["runAsNonRoot"], id)
	require.Equal(t, 1000, sc["runAsUser"], "%s: the image's user is uid 1000", id)
	require.Equal(t, 1000, sc["fsGroup"], "%s: /data must be writable by gid 1000", id)
}

// checkMigrator: the container runs `timetracker bootstrap` without a command
// to start (one-shot), with /data on the persistent volume.
func checkMigrator(t *testing.T, objs map[string]map[string]any, id string, pod, c map[string]any) config.Config {
	t.Helper()
	require.True(t, strings.HasPrefix(get(t, c, "image").(string), "ghcr.io/timetracker/timetracker:"), id)
	require.Equal(t, bootstrapCmd, strs(t, get(t, c, "command")), "%s: the migrator runs timetracker bootstrap", id)
	require.False(t, has(c, "args"), "%s: no application after --: migrate and exit", id)
	var dataVolume string
	for _, m := range listOf(t, c, "volumeMounts") {
		if get(t, m, "mountPath") == "/data" {
			dataVolume = get(t, m, "name").(string)
		}
	}
	require.NotEmpty(t, dataVolume, "%s: /data (backups) is not mounted", id)
	for _, v := range listOf(t, pod, "volumes") {
		if get(t, v, "name") == dataVolume {
			claim := get(t, v, "persistentVolumeClaim", "claimName").(string)
			require.Contains(t, objs, "PersistentVolumeClaim/"+claim, "%s: backups must survive the pod", id)
		}
	}
	env := k8sEnv(t, objs, c)
	cfg := loadEnv(t, env)
	require.Equal(t, "postgresql://timetracker:***@postgres:5432/timetracker", cfg.Database.Redacted(), id)
	require.Equal(t, "/data", cfg.DataDir, "%s: the image sets TIMETRACKER_DATA_DIR=/data", id)
	return cfg
}

func TestKubernetesDeployment(t *testing.T) {
	objs := k8s(t)
	const id = "Deployment/timetracker"
	dep, ok := objs[id]
	require.True(t, ok, "no %s", id)
	pod := mapOf(t, dep, "spec", "template", "spec")
	checkPodSecurity(t, id, pod)

	inits := listOf(t, pod, "initContainers")
	require.Len(t, inits, 1)
	cfg := checkMigrator(t, objs, id, pod, containerNamed(t, inits, "migrate"))

	app := containerNamed(t, listOf(t, pod, "containers"), "app")
	require.Equal(t, readinessCmd, strs(t, get(t, app, "readinessProbe", "exec", "command")), "readiness is `timetracker db status --check`")
	require.False(t, has(get(t, app, "livenessProbe"), "exec"), "liveness must not depend on the database")
	// A startupProbe long enough for the app container to migrate itself,
	// should the init container be removed.
	sp := mapOf(t, app, "startupProbe")
	budget := time.Duration(num(t, sp, "failureThreshold")*num(t, sp, "periodSeconds")) * time.Second
	require.GreaterOrEqual(t, budget, cfg.WaitTimeout+cfg.LockTimeout, "startupProbe allows %s, less than wait-timeout + lock-timeout", budget)
	require.GreaterOrEqual(t, time.Duration(num(t, dep, "spec", "progressDeadlineSeconds"))*time.Second, budget,
		"progressDeadlineSeconds shorter than the startup budget: the rollout would be reported failed")
	require.Equal(t, 0, num(t, dep, "spec", "strategy", "rollingUpdate", "maxUnavailable"))
	// The app container reads the same database settings.
	require.Equal(t, k8sEnv(t, objs, containerNamed(t, inits, "migrate")), k8sEnv(t, objs, app))

	svc, ok := objs["Service/timetracker"]
	require.True(t, ok)
	labels := mapOf(t, dep, "spec", "template", "metadata", "labels")
	for k, v := range mapOf(t, svc, "spec", "selector") {
		require.Equal(t, v, labels[k], "the Service selects the Deployment's pods")
	}
	require.Equal(t, mapOf(t, dep, "spec", "selector", "matchLabels"), labels)
}

func TestKubernetesJob(t *testing.T) {
	objs := k8s(t)
	var id string
	for k := range objs {
		if strings.HasPrefix(k, "Job/") {
			require.Empty(t, id, "one migration Job")
			id = k
		}
	}
	require.NotEmpty(t, id, "no Job in deploy/kubernetes")
	job := objs[id]
	pod := mapOf(t, job, "spec", "template", "spec")
	require.Equal(t, "Never", get(t, pod, "restartPolicy"), "podFailurePolicy needs restartPolicy Never")
	checkPodSecurity(t, id, pod)
	c := containerNamed(t, listOf(t, pod, "containers"), "migrate")
	cfg := checkMigrator(t, objs, id, pod, c)
	require.GreaterOrEqual(t, time.Duration(num(t, job, "spec", "activeDeadlineSeconds"))*time.Second, cfg.WaitTimeout+cfg.LockTimeout)

	// Exit codes that retrying cannot fix fail the Job at once.
	var failJob []int
	for _, r := range listOf(t, job, "spec", "podFailurePolicy", "rules") {
		if get(t, r, "action") == "FailJob" {
			require.Equal(t, "migrate", get(t, r, "onExitCodes", "containerName"))
			require.Equal(t, "In", get(t, r, "onExitCodes", "operator"))
			for _, v := range listOf(t, r, "onExitCodes", "values") {
				failJob = append(failJob, v.(int))
			}
		}
	}
	sort.Ints(failJob)
	require.Equal(t, []int{cmd.ExitUsage, cmd.ExitVerify, cmd.ExitRefused, cmd.ExitBackup}, failJob)

	// A signal (node drain, a deleted pod) during the wait, the lock wait,
	// the backup or between steps is exit 8: retried without counting
	// against backoffLimit.
	var ignored []int
	for _, r := range listOf(t, job, "spec", "podFailurePolicy", "rules") {
		if get(t, r, "action") == "Ignore" && has(r, "onExitCodes") {
			for _, v := range listOf(t, r, "onExitCodes", "values") {
				ignored = append(ignored, v.(int))
			}
		}
	}
	require.Equal(t, []int{cmd.ExitInterrupted}, ignored)

	// Waiting for the Job: `kubectl wait --for=condition=complete` alone
	// waits out its whole timeout on a Job that already failed.
	b, err := os.ReadFile(filepath.Join("kubernetes", "migrate-job.yaml"))
	require.NoError(t, err)
	require.Contains(t, string(b), "--for=condition=failed", "document waiting for complete or failed")
	require.Contains(t, string(b), "--for=condition=complete")
}

func TestKubernetesSecretsArePlaceholders(t *testing.T) {
	for id, obj := range k8s(t) {
		if !strings.HasPrefix(id, "Secret/") {
			continue
		}
		require.False(t, has(obj, "data"), "%s: use stringData placeholders, not encoded values", id)
		for k, v := range mapOf(t, obj, "stringData") {
			require.True(t, strings.HasPrefix(v.(string), "change-me"), "%s: %s must be an obvious placeholder", id, k)
		}
	}
}

// TestOperationsGuide keeps docs/operations.md complete: every flag and
// environment variable, every exit code, every state and strategy.
func TestOperationsGuide(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "docs", "operations.md"))
	require.NoError(t, err)
	doc := string(b)

	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	config.AddFlags(fs)
	fs.VisitAll(func(f *pflag.Flag) {
		require.Contains(t, doc, "`--"+f.Name+"`", "docs/operations.md lacks the flag --%s", f.Name)
	})
	var missing []string
	for n := range knownEnv(t) {
		if !strings.Contains(doc, "`"+n+"`") {
			missing = append(missing, n)
		}
	}
	slices.Sort(missing)
	require.Empty(t, missing, "docs/operations.md lacks these environment variables")

	codes := regexp.MustCompile("(?m)^\\| `?(\\d)`? \\| ").FindAllStringSubmatch(doc, -1)
	var got []string
	for _, c := range codes {
		got = append(got, c[1])
	}
	var want []string
	for _, c := range []int{cmd.ExitOK, cmd.ExitError, cmd.ExitUsage, cmd.ExitUnreachable, cmd.ExitVerify,
		cmd.ExitRefused, cmd.ExitLockTimeout, cmd.ExitBackup, cmd.ExitInterrupted} {
		want = append(want, fmt.Sprint(c))
	}
	require.Equal(t, want, got, "the exit-code table of docs/operations.md")

	for _, s := range []string{"fresh", "migrated", "behind", "legacy", "alembic", "newer", "foreign", "unknown"} {
		require.Contains(t, doc, "`"+s+"`", "state %s", s)
	}
	for _, s := range []string{"create", "none", "upgrade", "adopt", "convert", "refuse"} {
		require.Contains(t, doc, "`"+s+"`", "strategy %s", s)
	}
	for _, f := range []string{"docker-compose.yml", "docker-compose.entrypoint.yml", "Dockerfile.app-entrypoint",
		"kubernetes/deployment.yaml", "kubernetes/migrate-job.yaml"} {
		require.Contains(t, doc, f)
		_, err := os.Stat(f)
		require.NoError(t, err)
	}
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
