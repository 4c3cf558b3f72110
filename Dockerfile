# timetracker: brings TimeTracker's database to a known, verified schema, then
# starts the command given as CMD. See docs/operations.md.
#
#   docker build -t timetracker:1.0.0 \
#     --build-arg VERSION=1.0.0 \
#     --build-arg REVISION="$(git rev-parse HEAD)" \
#     --build-arg BUILD_DATE="$(date -u +%Y-%m-%dT%H:%M:%SZ)" .
#
#   docker run --rm -v tt-data:/data timetracker:1.0.0             # one-shot migrator (SQLite in /data)
#   docker run --rm -e DATABASE_URL=... timetracker:1.0.0 sh -c 'echo migrated'  # migrate, then exec a command
#
# The command after the image must exist in this image (it is exec'd after the
# bootstrap; a missing one is exit 2 before anything is changed). The
# application (gunicorn) is not in it: to run TimeTracker's server after the
# bootstrap, build deploy/Dockerfile.app-entrypoint, TimeTracker's image with
# this binary as its entrypoint.
#   docker run --rm -e DATABASE_URL=... --entrypoint timetracker timetracker:1.0.0 db status
#
# Base images are pinned by version; the builder and the runtime are the same
# Debian release (bookworm), so the cgo binary finds the glibc it was linked
# against.

# --- Stage 1: build ----------------------------------------------------------
# The golang bookworm images ship gcc and libc6-dev: gorm.io/driver/sqlite
# (mattn/go-sqlite3) needs cgo.
FROM golang:1.26.8-bookworm AS builder

WORKDIR /src
ENV CGO_ENABLED=1 \
    GOFLAGS=-buildvcs=false

# Dependencies first, so a source change does not download them again.
COPY go.mod go.sum ./
RUN go mod download && go mod verify

COPY . .
ARG VERSION=dev
RUN go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/timetracker . \
    && /out/timetracker --version

# --- Stage 2: runtime --------------------------------------------------------
FROM debian:12.13-slim

# Version metadata (OCI image annotations).
ARG VERSION=dev
ARG REVISION=unknown
ARG BUILD_DATE=unknown
LABEL org.opencontainers.image.title="timetracker" \
      org.opencontainers.image.description="Waits for TimeTracker's database, backs it up, migrates and verifies it, then starts the application" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${BUILD_DATE}" \
      org.opencontainers.image.source="https://github.com/timetracker/timetracker" \
      org.opencontainers.image.base.name="docker.io/library/debian:12.13-slim"

# PostgreSQL client tools: pg_dump writes the backup taken before a change,
# pg_restore verifies it and `db restore` replays it. pg_dump refuses a server
# of a newer major version than itself; timetracker then falls back to a copy
# of every table inside the database and logs it. Debian 12 ships client 15;
# for a newer server build with --build-arg PG_CLIENT_MAJOR=16 (or 17): the
# PostgreSQL APT repository is enabled with the key postgresql-common ships.
ARG PG_CLIENT_MAJOR=15
# hadolint ignore=DL3008
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends ca-certificates tzdata; \
    if [ "${PG_CLIENT_MAJOR}" != "15" ]; then \
        apt-get install -y --no-install-recommends postgresql-common; \
        /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y; \
    fi; \
    apt-get install -y --no-install-recommends "postgresql-client-${PG_CLIENT_MAJOR}"; \
    rm -rf /var/lib/apt/lists/*; \
    pg_dump --version; \
    pg_restore --version

# A non-root user with uid/gid 1000 (the uid of TimeTracker's own image), the
# data directory it owns, and TimeTracker's instance folder (the base of
# relative sqlite:/// URLs, see TIMETRACKER_INSTANCE_DIR) for a shared volume.
RUN set -eux; \
    groupadd --gid 1000 timetracker; \
    useradd --uid 1000 --gid 1000 --home-dir /data --no-create-home --shell /usr/sbin/nologin timetracker; \
    mkdir -p /data/backups /app/instance; \
    chown -R 1000:1000 /data /app/instance; \
    chmod 0750 /data /data/backups

COPY --from=builder /out/timetracker /usr/local/bin/timetracker

# The SQLite default (/data/timetracker.db) and the backups (/data/backups).
# TZ sets the log time zone and the time zone of the settings row seeded on a
# fresh database (TimeTracker's image uses Europe/Rome too).
ENV TIMETRACKER_DATA_DIR=/data \
    TZ=Europe/Rome \
    HOME=/data
VOLUME ["/data"]

USER 1000:1000
# Not writable by uid 1000, and without a timetracker.yaml: configuration comes
# from the environment (or TIMETRACKER_CONFIG pointing at a mounted file).
WORKDIR /

# Any CMD is the application, exec'd (it becomes PID 1) after a successful
# bootstrap; with no CMD the container migrates and exits 0: a one-shot
# migrator. Other subcommands: --entrypoint timetracker ... db status.
ENTRYPOINT ["timetracker", "bootstrap", "--"]
CMD []
