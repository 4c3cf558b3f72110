// PostgreSQL: running pg_dump and pg_restore with the password kept off
// their command lines.

package database

import (
	"context"
	"errors"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
)

// pgTool prepares a PostgreSQL client tool (pg_dump, pg_restore) for this
// database, through the direct URL when one is set: the URL without secrets
// as --dbname (every host and target_session_attrs kept, so libpq picks the
// same server the driver did), the password in PGPASSWORD and any other
// secret parameter (sslpassword) in a service file of mode 0600, never on
// the command line, where ps shows it. cleanupTool removes that file.
func (d *DB) pgTool(ctx context.Context, bin string, args ...string) (*exec.Cmd, error) {
	target, password, secrets, err := splitSecrets(d.toolDSN())
	if err != nil {
		return nil, err
	}
	env := append(os.Environ(), "PGPASSWORD="+password, "PGCONNECT_TIMEOUT=10")
	service := ""
	if len(secrets) > 0 {
		f, err := os.CreateTemp("", "timetracker-pgservice-*")
		if err != nil {
			return nil, err
		}
		var b strings.Builder
		b.WriteString("[timetracker]\n")
		for _, kv := range secrets {
			b.WriteString(kv + "\n")
		}
		_, werr := f.WriteString(b.String())
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			os.Remove(f.Name())
			return nil, werr
		}
		service = f.Name()
		env = append(env, "PGSERVICEFILE="+service)
		sep := "?"
		if strings.Contains(target, "?") {
			sep = "&"
		}
		target += sep + "service=timetracker"
	}
	cmd := exec.CommandContext(ctx, bin, append(args, "--dbname="+target)...)
	cmd.Env = env
	toolFiles.Store(cmd, service)
	return cmd, nil
}

// toolFiles remembers the service file of each prepared command.
var toolFiles sync.Map

func cleanupTool(cmd *exec.Cmd) {
	if v, ok := toolFiles.LoadAndDelete(cmd); ok && v.(string) != "" {
		os.Remove(v.(string))
	}
}

// splitSecrets takes a postgres:// URL as config.Database.DSN writes it
// (user info percent-encoded, so its '@' is the last one before the path)
// apart into the URL without secrets, the password (user info or
// ?password=), and other secret parameters as key=value lines.
func splitSecrets(dsn string) (target, password string, secrets []string, err error) {
	rest, ok := strings.CutPrefix(dsn, "postgres://")
	if !ok {
		if rest, ok = strings.CutPrefix(dsn, "postgresql://"); !ok {
			return "", "", nil, errors.New("malformed URL")
		}
	}
	netloc, path := rest, ""
	if i := strings.IndexAny(rest, "/?"); i >= 0 {
		netloc, path = rest[:i], rest[i:]
	}
	if i := strings.LastIndexByte(netloc, '@'); i >= 0 {
		userinfo := netloc[:i]
		netloc = netloc[i+1:]
		user, pw, hasPW := strings.Cut(userinfo, ":")
		if hasPW {
			if password, err = url.PathUnescape(pw); err != nil {
				return "", "", nil, errors.New("malformed URL")
			}
		}
		netloc = user + "@" + netloc
	}
	if base, query, ok := strings.Cut(path, "?"); ok {
		q, err := url.ParseQuery(query)
		if err != nil {
			return "", "", nil, errors.New("malformed URL")
		}
		for k, v := range q {
			if !strings.Contains(strings.ToLower(k), "pass") || k == "passfile" {
				continue
			}
			if k == "password" {
				if password == "" && len(v) > 0 {
					password = v[len(v)-1]
				}
			} else if len(v) > 0 {
				secrets = append(secrets, k+"="+v[len(v)-1])
			}
			delete(q, k)
		}
		path = base
		if len(q) > 0 {
			path += "?" + q.Encode()
		}
	}
	return "postgres://" + netloc + path, password, secrets, nil
}
