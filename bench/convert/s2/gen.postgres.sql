-- A legacy TimeTracker v1.0.5 database (shape S2, the layout SQLAlchemy's
-- create_all wrote on PostgreSQL): users, projects with a free-text client
-- and no client_id, time_entries with start_time/end_time and no task_id,
-- settings with the nine base columns. No SQL defaults besides the SERIAL
-- ids, as create_all wrote none. Filled set-based with :N time entries,
-- 10,000 projects naming 2,000 distinct clients (some padded with spaces,
-- some empty), 100 users and one settings row; the same rows as
-- gen.sqlite.sql. bench/convert/run.sh replaces :N before running it:
--   sed 's/:N\b/100000/g' gen.postgres.sql | psql -v ON_ERROR_STOP=1 -d DB
\set ON_ERROR_STOP on
SET client_min_messages = warning;
BEGIN;

CREATE TABLE users (
	id SERIAL NOT NULL,
	username VARCHAR(80) NOT NULL,
	role VARCHAR(20) NOT NULL,
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL,
	last_login TIMESTAMP WITHOUT TIME ZONE,
	is_active BOOLEAN NOT NULL,
	PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_users_username ON users (username);

CREATE TABLE projects (
	id SERIAL NOT NULL,
	name VARCHAR(200) NOT NULL,
	client VARCHAR(200) NOT NULL,
	description TEXT,
	billable BOOLEAN NOT NULL,
	hourly_rate NUMERIC(9, 2),
	billing_ref VARCHAR(100),
	status VARCHAR(20) NOT NULL,
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL,
	updated_at TIMESTAMP WITHOUT TIME ZONE NOT NULL,
	PRIMARY KEY (id)
);
CREATE INDEX ix_projects_name ON projects (name);
CREATE INDEX ix_projects_client ON projects (client);

CREATE TABLE time_entries (
	id SERIAL NOT NULL,
	user_id INTEGER NOT NULL,
	project_id INTEGER NOT NULL,
	start_time TIMESTAMP WITHOUT TIME ZONE NOT NULL,
	end_time TIMESTAMP WITHOUT TIME ZONE,
	duration_seconds INTEGER,
	notes TEXT,
	tags VARCHAR(500),
	source VARCHAR(20) NOT NULL,
	billable BOOLEAN NOT NULL,
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL,
	updated_at TIMESTAMP WITHOUT TIME ZONE NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(user_id) REFERENCES users (id),
	FOREIGN KEY(project_id) REFERENCES projects (id)
);
CREATE INDEX ix_time_entries_user_id ON time_entries (user_id);
CREATE INDEX ix_time_entries_project_id ON time_entries (project_id);
CREATE INDEX ix_time_entries_start_time ON time_entries (start_time);
CREATE INDEX ix_time_entries_end_time ON time_entries (end_time);

CREATE TABLE settings (
	id SERIAL NOT NULL,
	timezone VARCHAR(50) NOT NULL,
	currency VARCHAR(3) NOT NULL,
	rounding_minutes INTEGER NOT NULL,
	single_active_timer BOOLEAN NOT NULL,
	allow_self_register BOOLEAN NOT NULL,
	idle_timeout_minutes INTEGER NOT NULL,
	backup_retention_days INTEGER NOT NULL,
	backup_time VARCHAR(5) NOT NULL,
	export_delimiter VARCHAR(1) NOT NULL,
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL,
	updated_at TIMESTAMP WITHOUT TIME ZONE NOT NULL,
	PRIMARY KEY (id)
);

-- 100 users: user 1 is the admin, user 100 is deactivated.
INSERT INTO users (id, username, role, created_at, last_login, is_active)
SELECT i,
       CASE WHEN i = 1 THEN 'admin' ELSE format('user%s', lpad(i::text, 3, '0')) END,
       CASE WHEN i = 1 THEN 'admin' ELSE 'user' END,
       timestamp '2018-12-01 09:00:00' + i * interval '1 hour',
       CASE WHEN i % 7 = 0 THEN NULL ELSE timestamp '2025-10-09 08:53:20' + i * interval '90 minutes' END,
       i <> 100
FROM generate_series(1, 100) AS i;

-- 10,000 projects; project i bills client ((i-1) % 2000) + 1, so each of the
-- 2,000 names appears five times. Copies 2 and 3 of some names carry
-- surrounding spaces, copy 5 of every tenth name is empty.
INSERT INTO projects (id, name, client, description, billable, hourly_rate, billing_ref, status, created_at, updated_at)
SELECT i,
       'Project ' || lpad(i::text, 5, '0'),
       CASE
         WHEN k = 4 AND c % 10 = 0 THEN ''
         WHEN k = 1 AND c % 3 = 0 THEN '  Client ' || lpad(c::text, 4, '0') || '  '
         WHEN k = 2 AND c % 5 = 0 THEN 'Client ' || lpad(c::text, 4, '0') || ' '
         ELSE 'Client ' || lpad(c::text, 4, '0')
       END,
       CASE WHEN i % 3 = 0 THEN format('Work package %s for client %s', k + 1, c) END,
       i % 4 <> 0,
       CASE WHEN i % 5 = 0 THEN NULL ELSE 40 + (i % 80) + 0.5 END,
       CASE WHEN i % 9 = 0 THEN 'PO-' || lpad(i::text, 6, '0') END,
       CASE WHEN i % 10 = 0 THEN 'archived' ELSE 'active' END,
       timestamp '2018-12-01 09:00:00' + i * interval '10 minutes',
       timestamp '2018-12-02 09:00:00' + i * interval '10 minutes'
FROM (SELECT i, (i - 1) % 2000 + 1 AS c, (i - 1) / 2000 AS k FROM generate_series(1, 10000) AS i) p;

-- :N time entries. Entry i belongs to user ((i-1) % 100) + 1 and is that
-- user's entry number k; four entries a working day (08:00, 10:00, 12:00,
-- 14:00 plus up to 29 minutes), 30 to 110 minutes long, from 2019-01-02 on.
-- The last entry of every fifth user is a running timer (end_time NULL),
-- so no user has more than one.
INSERT INTO time_entries (id, user_id, project_id, start_time, end_time, duration_seconds,
                          notes, tags, source, billable, created_at, updated_at)
SELECT i, u,
       (i::bigint * 7919) % 10000 + 1,
       st,
       CASE WHEN running THEN NULL ELSE st + dur * interval '1 second' END,
       CASE WHEN running THEN NULL ELSE dur END,
       CASE WHEN i % 3 = 0 THEN 'Worked on item #' || (i % 5000) END,
       CASE i % 6 WHEN 0 THEN 'meeting' WHEN 1 THEN 'dev,review' END,
       CASE WHEN i % 4 = 0 THEN 'auto' ELSE 'manual' END,
       i % 10 <> 0,
       st,
       CASE WHEN running THEN st ELSE st + dur * interval '1 second' END
FROM (
  SELECT i, (i - 1) % 100 + 1 AS u,
         timestamp '2019-01-02 08:00:00'
           + ((i - 1) / 100 / 4) * interval '1 day'
           + (((i - 1) / 100) % 4) * interval '2 hours'
           + ((i::bigint * 13) % 30) * interval '1 minute' AS st,
         1800 + (i::bigint * 37) % 4800 AS dur,
         i > :N - 100 AND ((i - 1) % 100 + 1) % 5 = 0 AS running
  FROM generate_series(1, :N) AS i) e;

INSERT INTO settings (id, timezone, currency, rounding_minutes, single_active_timer, allow_self_register,
                      idle_timeout_minutes, backup_retention_days, backup_time, export_delimiter, created_at, updated_at)
VALUES (1, 'Europe/Rome', 'EUR', 1, true, true, 30, 30, '02:00', ',', '2018-12-01 09:00:00', '2018-12-01 09:00:00');

-- The ids were given explicitly; the sequences continue after them.
SELECT setval('users_id_seq', (SELECT max(id) FROM users));
SELECT setval('projects_id_seq', (SELECT max(id) FROM projects));
SELECT setval('time_entries_id_seq', (SELECT max(id) FROM time_entries));
SELECT setval('settings_id_seq', (SELECT max(id) FROM settings));

COMMIT;

-- A database in service has been vacuumed and analysed by autovacuum.
VACUUM ANALYZE;
