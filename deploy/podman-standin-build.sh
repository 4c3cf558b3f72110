#!/usr/bin/env bash
# OPTIONAL, MANUAL check. Not run by CI, not referenced by .ci/run or any test.
#
# Proves that ../Dockerfile builds and that the image runs, on a Debian 12 host
# that has podman but cannot reach a container registry (no Docker engine, no
# docker.io): both base images are replaced by locally made stand-ins.
#
#   debian:<tag>-slim          <- `debootstrap --variant=minbase bookworm` from
#                                 the host's Debian mirror, imported under the
#                                 exact name the Dockerfile's FROM line uses
#   golang:<ver>-bookworm      <- that rootfs + gcc, libc6-dev (cgo for
#                                 go-sqlite3) + this host's Go toolchain
#                                 (GOROOT), which must be the version in FROM
#
# Then: `podman build --pull=never` of the real Dockerfile, and runs of the
# image: one-shot migrator on SQLite (bind mount and named volume), an
# unwritable /data (exit 3), bootstrap then exec of a command (uid 1000, PID 1),
# pg_dump/pg_restore/--version, and, when a PostgreSQL server answers on
# $PGHOST:$PGPORT as $PGUSER without a password, db status / bootstrap /
# db status --check / db downgrade + upgrade with a verified pg_dump backup,
# on a scratch database created and dropped here.
#
# What it does NOT prove: anything about the real docker.io base images (the
# stand-ins hold whatever bookworm point release the mirror serves; with the
# slim settings below the debian stand-in is ~78 MB, close to but not the
# same as debian:*-slim), nor Docker/BuildKit specifics. It proves the Dockerfile's instructions, the build of the binary
# in a bookworm + gcc builder, and the runtime stage's behaviour.
#
# Usage (as root):  deploy/podman-standin-build.sh          # build + run checks
#                   deploy/podman-standin-build.sh --clean  # remove everything it made
# Environment: WORK (scratch dir, default /tmp/tt-podman-standin), IMAGE
# (default localhost/timetracker:podman-standin), VERSION (default
# podman-standin), PGHOST/PGPORT/PGUSER (default 127.0.0.1/5432/postgres),
# SKIP_PG=1 to skip the PostgreSQL runs.
#
# Idempotent: the stand-ins are made once (reused while they exist); the image
# is rebuilt with podman's layer cache; scratch data, the volume and the
# database are removed on exit. Every image made here (stand-ins, the builder
# stage, the result) carries the label io.timetracker.podman-standin=true,
# which is what --clean removes.
# The sh -c commands below are expanded inside the container, on purpose.
# shellcheck disable=SC2016
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
WORK=${WORK:-/tmp/tt-podman-standin}
IMAGE=${IMAGE:-localhost/timetracker:podman-standin}
VERSION=${VERSION:-podman-standin}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
SKIP_PG=${SKIP_PG:-0}
LABEL=io.timetracker.podman-standin=true
VOLUME_NAME=tt-podman-standin
PG_DB=tt_podman_standin

log() { printf '\n== %s\n' "$*" >&2; }
die() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (rootful podman, debootstrap)"

# The two FROM lines of the Dockerfile decide what the stand-ins are called.
golang_ref=$(awk 'toupper($1)=="FROM" && $2 ~ /^golang:/ {print $2; exit}' "$repo/Dockerfile")
debian_ref=$(awk 'toupper($1)=="FROM" && $2 ~ /^debian:/ {print $2; exit}' "$repo/Dockerfile")
{ [ -n "$golang_ref" ] && [ -n "$debian_ref" ]; } || die "cannot find the golang/debian FROM lines in $repo/Dockerfile"
go_version=${golang_ref#golang:}; go_version=${go_version%-bookworm}
golang_image=docker.io/library/$golang_ref
debian_image=docker.io/library/$debian_ref

# podman settings for this script only (the host's containers.conf is untouched):
# * runtime runc: bookworm's crun refuses hosts with cgroups v1 and v2 mounted
#   side by side ("cgroups in hybrid mode not supported"); runc runs there.
# * ulimits no higher than the host's: podman's defaults for root
#   (nofile 1048576, nproc 4194304) cannot be set without CAP_SYS_RESOURCE.
export CONTAINERS_CONF="$WORK/containers.conf"
mkdir -p "$WORK"
nofile=$(ulimit -Hn); [ "$nofile" = unlimited ] && nofile=1048576
nproc=$(ulimit -Hu); { [ "$nproc" = unlimited ] || [ "$nproc" -gt 4096 ]; } && nproc=4096
cat >"$CONTAINERS_CONF" <<EOF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
[engine]
runtime = "runc"
EOF

if [ "${1:-}" = "--clean" ]; then
    log "removing every image labelled $LABEL, the volume and $WORK"
    if command -v podman >/dev/null; then
        podman volume rm -f "$VOLUME_NAME" >/dev/null 2>&1 || true
        podman image prune -a -f --filter "label=$LABEL" >/dev/null || true
        podman rmi -f "$IMAGE" "$golang_image" "$debian_image" "localhost/$debian_ref" >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
    exit 0
fi

# --- 1. tools ----------------------------------------------------------------
need=()
for p in podman:podman debootstrap:debootstrap runc:runc; do
    command -v "${p%%:*}" >/dev/null || need+=("${p#*:}")
done
if [ ${#need[@]} -gt 0 ]; then
    log "installing ${need[*]}"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}"
fi
command -v go >/dev/null || die "no Go toolchain on PATH (need go$go_version)"
host_go=$(go env GOVERSION)
[ "$host_go" = "go$go_version" ] || die "host Go is $host_go, the Dockerfile wants go$go_version"
goroot=$(go env GOROOT)
goproxy=$(go env GOPROXY)

# --- 2. debian stand-in ----------------------------------------------------------
# The host's Debian mirror (deb822 file first, then sources.list).
mirror=$(awk '$1=="URIs:" && $2 ~ /\/debian\/?$/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
[ -n "$mirror" ] || mirror=$(awk '$1=="deb" && $2 ~ /\/debian\/?$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
mirror=${mirror:-http://deb.debian.org/debian}; mirror=${mirror%/}
security_mirror=${mirror%/debian}/debian-security

if podman image exists "$debian_image"; then
    log "reusing $debian_image"
else
    log "debootstrap bookworm from $mirror -> $debian_image"
    rm -rf "$WORK/rootfs"
    debootstrap --variant=minbase bookworm "$WORK/rootfs" "$mirror" >"$WORK/debootstrap.log" 2>&1 \
        || { tail -20 "$WORK/debootstrap.log" >&2; die "debootstrap failed"; }
    rm -f "$WORK/rootfs/etc/apt/sources.list"
    cat >"$WORK/rootfs/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security_mirror
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    # What the official images' build (debuerreotype) adds, so that apt
    # inside the Dockerfile behaves, and the image's size compares, as on
    # debian:*-slim: no package caches or .debs left in layers, no docs,
    # man pages or locales (copyright files kept).
    r="$WORK/rootfs"
    cat >"$r/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
    echo 'Acquire::GzipIndexes "true";' >"$r/etc/apt/apt.conf.d/docker-gzip-indexes"
    echo 'Acquire::Languages "none";' >"$r/etc/apt/apt.conf.d/docker-no-languages"
    echo 'Apt::AutoRemove::SuggestsImportant "false";' >"$r/etc/apt/apt.conf.d/docker-autoremove-suggests"
    cat >"$r/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/overrides/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/man/*
EOF
    find "$r/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
    rm -rf "$r"/usr/share/man/* "$r"/usr/share/info/* "$r"/usr/share/locale/* "$r"/usr/share/groff/*
    rm -rf "$r"/var/cache/apt/archives/*.deb "$r"/var/cache/apt/*.bin "$r"/var/lib/apt/lists/*
    tar -C "$WORK/rootfs" -c . | podman import --quiet --change "LABEL $LABEL" --change 'CMD ["bash"]' - "localhost/$debian_ref" >/dev/null
    podman tag "localhost/$debian_ref" "$debian_image"
    rm -rf "$WORK/rootfs"
fi

# --- 3. golang stand-in ----------------------------------------------------------
if podman image exists "$golang_image"; then
    log "reusing $golang_image"
else
    log "$golang_image from $debian_image + gcc + $goroot"
    mkdir -p "$WORK/golang-ctx"
    # Extra CAs of this host (e.g. a TLS-intercepting egress proxy) so that
    # `go mod download` inside the build trusts what the host trusts. Empty
    # on an ordinary host.
    mkdir -p "$WORK/golang-ctx/extra-ca"
    cp /usr/local/share/ca-certificates/*.crt "$WORK/golang-ctx/extra-ca/" 2>/dev/null || true
    cat >"$WORK/golang-ctx/Containerfile" <<EOF
# Local stand-in for $golang_image (made by deploy/podman-standin-build.sh).
FROM $debian_image
RUN set -eux; apt-get update; \\
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates gcc g++ libc6-dev make pkg-config; \\
    rm -rf /var/lib/apt/lists/*
COPY extra-ca/ /usr/local/share/ca-certificates/
RUN update-ca-certificates
RUN cp -a /hostgo /usr/local/go
ENV GOLANG_VERSION=$go_version GOTOOLCHAIN=local GOPATH=/go GOPROXY=$goproxy \\
    PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN mkdir -p /go/src /go/bin && chmod -R 1777 /go && go version
WORKDIR /go
EOF
    podman build --pull=never --network host --label "$LABEL" \
        -v "$goroot:/hostgo:ro" -t "$golang_image" "$WORK/golang-ctx" >"$WORK/build-golang.log" 2>&1 \
        || { tail -20 "$WORK/build-golang.log" >&2; die "golang stand-in build failed"; }
fi

# --- 4. the real Dockerfile ------------------------------------------------------
log "podman build $repo -> $IMAGE (log: $WORK/build.log)"
revision=$(git -C "$repo" rev-parse HEAD 2>/dev/null || echo unknown)
podman build --pull=never --network host \
    -t "$IMAGE" \
    --build-arg VERSION="$VERSION" \
    --build-arg REVISION="$revision" \
    --build-arg BUILD_DATE="$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    "$repo" >"$WORK/build.log" 2>&1 \
    || { tail -30 "$WORK/build.log" >&2; die "podman build failed"; }
# (The builder stage's own `--version` line appears only when that layer is
# not cached; the binary in the image is checked below.)
podman image inspect "$IMAGE" --format 'size={{.Size}} user={{.Config.User}} entrypoint={{json .Config.Entrypoint}} cmd={{json .Config.Cmd}} volumes={{json .Config.Volumes}}'

# --- 5. runs ---------------------------------------------------------------------
data=$(mktemp -d "$WORK/data.XXXXXX")
rootdata=$(mktemp -d "$WORK/rootdata.XXXXXX")
pg_created=0
cleanup() {
    rm -rf "$data" "$rootdata"
    podman volume rm -f "$VOLUME_NAME" >/dev/null 2>&1 || true
    if [ "$pg_created" = 1 ]; then
        psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -qc "DROP DATABASE IF EXISTS $PG_DB" || true
    fi
}
trap cleanup EXIT

run() { podman run --rm --network host "$@"; }
expect_exit() { # expect_exit CODE DESCRIPTION -- podman run args...
    local want=$1 what=$2 rc=0; shift 3
    run "$@" >"$WORK/out" 2>&1 || rc=$?
    cat "$WORK/out"
    [ "$rc" = "$want" ] || die "$what: exit $rc, want $want"
    echo "ok: $what (exit $rc)"
}

log "SQLite, one-shot migrator, bind mount owned by 1000"
chown 1000:1000 "$data"; chmod 0750 "$data"
expect_exit 0 "one-shot migrator on a fresh SQLite" -- -v "$data:/data" "$IMAGE"
grep -q "Detected database state: 'fresh'" "$WORK/out" || die "fresh SQLite not detected"
[ "$(stat -c %u:%g "$data/timetracker.db")" = 1000:1000 ] || die "/data/timetracker.db not owned by 1000:1000"
expect_exit 0 "second start takes the fast path" -- -v "$data:/data" "$IMAGE"
grep -q "strategy=none" "$WORK/out" || die "second start did not take strategy none"

log "bootstrap, then exec of the command (uid 1000, PID 1)"
expect_exit 0 "bootstrap then command" -- -v "$data:/data" "$IMAGE" sh -c 'echo app-started uid=$(id -u) pid=$$'
grep -q "app-started uid=1000 pid=1" "$WORK/out" || die "command did not run as uid 1000 / PID 1"

log "named volume (initialised from the image: /data owned by 1000)"
podman volume rm -f "$VOLUME_NAME" >/dev/null 2>&1 || true
expect_exit 0 "one-shot migrator on a named volume" -- -v "$VOLUME_NAME:/data" "$IMAGE"
run -v "$VOLUME_NAME:/data" --entrypoint stat "$IMAGE" -c '%u:%g %a %n' /data /data/backups /data/timetracker.db

log "/data not writable by uid 1000 (root-owned bind mount): exit 3"
chmod 0755 "$rootdata"
expect_exit 3 "unwritable /data" -- -v "$rootdata:/data" "$IMAGE"

log "tools in the image"
run --entrypoint timetracker "$IMAGE" --version | grep -qx "timetracker version $VERSION" || die "--version"
run --entrypoint pg_dump "$IMAGE" --version
run --entrypoint pg_restore "$IMAGE" --version

if [ "$SKIP_PG" = 1 ]; then
    log "PostgreSQL runs skipped (SKIP_PG=1)"
elif ! command -v psql >/dev/null || ! psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -w -qAtc 'select 1' >/dev/null 2>&1; then
    log "PostgreSQL runs skipped: no passwordless $PGUSER@$PGHOST:$PGPORT (or no psql on the host)"
else
    log "PostgreSQL at $PGHOST:$PGPORT, scratch database $PG_DB"
    psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -qc "DROP DATABASE IF EXISTS $PG_DB"
    psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -qc "CREATE DATABASE $PG_DB"
    pg_created=1
    url="postgres://$PGUSER@$PGHOST:$PGPORT/$PG_DB?sslmode=disable"
    expect_exit 0 "db status on the empty database" -- -e DATABASE_URL="$url" --entrypoint timetracker "$IMAGE" db status
    grep -q "state: *fresh" "$WORK/out" || die "empty database not fresh"
    expect_exit 0 "one-shot migrator on PostgreSQL" -- -e DATABASE_URL="$url" -v "$data:/data" "$IMAGE"
    expect_exit 0 "db status --check" -- -e DATABASE_URL="$url" --entrypoint timetracker "$IMAGE" db status --check
    grep -q "verified: *true" "$WORK/out" || die "not verified"
    head_step=$(run -e DATABASE_URL="$url" --entrypoint timetracker "$IMAGE" db history 2>/dev/null | awk 'NR>1 {print $1}' | tail -n 3 | head -n 1)
    expect_exit 0 "db downgrade --to $head_step (takes a pg_dump backup first)" -- \
        -e DATABASE_URL="$url" -v "$data:/data" --entrypoint timetracker "$IMAGE" db downgrade --to "$head_step" --yes
    expect_exit 0 "bootstrap upgrades (pg_dump backup), then execs the command" -- \
        -e DATABASE_URL="$url" -v "$data:/data" "$IMAGE" sh -c 'echo app-started uid=$(id -u)'
    grep -q "strategy: 'upgrade'" "$WORK/out" || die "upgrade strategy not selected"
    grep -q "Backup written and verified kind=pg_dump" "$WORK/out" || die "no verified pg_dump backup"
    grep -q "app-started uid=1000" "$WORK/out" || die "command did not start"
    ls -ln "$data/backups"
fi

log "all checks passed; image $IMAGE kept (remove everything with: $0 --clean)"
