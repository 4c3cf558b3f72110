-- A legacy TimeTracker database of shape S3, variant orm, on PostgreSQL:
-- the schema of legacy/testdata/s3-orm.postgres.sql, the v1.0.5 SQL-script
-- layout (SQL defaults, users.updated_at, updated_at triggers) plus the
-- tasks table create_all added, and no time_entries.task_id. Filled
-- set-based with :N time entries, 10,000 projects naming 2,000 distinct
-- clients (some padded with spaces, some empty), 1,000 tasks, 100 users and
-- one settings row. bench/convert/run.sh replaces :N before running it.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
BEGIN;

CREATE TABLE IF NOT EXISTS users (
    id SERIAL PRIMARY KEY,
    username VARCHAR(80) UNIQUE NOT NULL,
    role VARCHAR(20) DEFAULT 'user' NOT NULL,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
    last_login TIMESTAMP,
    is_active BOOLEAN DEFAULT true NOT NULL,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS projects (
    id SERIAL PRIMARY KEY,
    name VARCHAR(200) NOT NULL,
    client VARCHAR(200) NOT NULL,
    description TEXT,
    billable BOOLEAN DEFAULT true NOT NULL,
    hourly_rate NUMERIC(9, 2),
    billing_ref VARCHAR(100),
    status VARCHAR(20) DEFAULT 'active' NOT NULL,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE IF NOT EXISTS time_entries (
    id SERIAL PRIMARY KEY,
    user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
    project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE,
    start_time TIMESTAMP NOT NULL,
    end_time TIMESTAMP,
    duration_seconds INTEGER,
    notes TEXT,
    tags VARCHAR(500),
    source VARCHAR(20) DEFAULT 'manual' NOT NULL,
    billable BOOLEAN DEFAULT true NOT NULL,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE IF NOT EXISTS settings (
    id SERIAL PRIMARY KEY,
    timezone VARCHAR(50) DEFAULT 'Europe/Rome' NOT NULL,
    currency VARCHAR(3) DEFAULT 'EUR' NOT NULL,
    rounding_minutes INTEGER DEFAULT 1 NOT NULL,
    single_active_timer BOOLEAN DEFAULT true NOT NULL,
    allow_self_register BOOLEAN DEFAULT true NOT NULL,
    idle_timeout_minutes INTEGER DEFAULT 30 NOT NULL,
    backup_retention_days INTEGER DEFAULT 30 NOT NULL,
    backup_time VARCHAR(5) DEFAULT '02:00' NOT NULL,
    export_delimiter VARCHAR(1) DEFAULT ',' NOT NULL,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
);

CREATE INDEX IF NOT EXISTS idx_time_entries_user_id ON time_entries(user_id);
CREATE INDEX IF NOT EXISTS idx_time_entries_project_id ON time_entries(project_id);
CREATE INDEX IF NOT EXISTS idx_time_entries_start_time ON time_entries(start_time);

CREATE OR REPLACE FUNCTION update_updated_at_column()
RETURNS TRIGGER AS $$
BEGIN
    NEW.updated_at = CURRENT_TIMESTAMP;
    RETURN NEW;
END;
$$ language 'plpgsql';

CREATE TRIGGER update_users_updated_at BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE TRIGGER update_projects_updated_at BEFORE UPDATE ON projects FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE TRIGGER update_time_entries_updated_at BEFORE UPDATE ON time_entries FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE TRIGGER update_settings_updated_at BEFORE UPDATE ON settings FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- app/__init__.py @98728691 migrate_task_management_tables: db.create_all() creates tasks from the model;
-- its ALTER TABLE time_entries ADD COLUMN task_id used engine.execute, which SQLAlchemy 2.0.23 no longer
-- has, so time_entries keeps no task_id
CREATE TABLE tasks (
	id SERIAL NOT NULL, 
	project_id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	description TEXT, 
	status VARCHAR(20) NOT NULL, 
	priority VARCHAR(20) NOT NULL, 
	estimated_hours FLOAT, 
	due_date DATE, 
	assigned_to INTEGER, 
	created_by INTEGER NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	updated_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	started_at TIMESTAMP WITHOUT TIME ZONE, 
	completed_at TIMESTAMP WITHOUT TIME ZONE, 
	PRIMARY KEY (id), 
	FOREIGN KEY(project_id) REFERENCES projects (id), 
	FOREIGN KEY(assigned_to) REFERENCES users (id), 
	FOREIGN KEY(created_by) REFERENCES users (id)
);
CREATE INDEX ix_tasks_project_id ON tasks (project_id);
CREATE INDEX ix_tasks_name ON tasks (name);
CREATE INDEX ix_tasks_status ON tasks (status);
CREATE INDEX ix_tasks_due_date ON tasks (due_date);
CREATE INDEX ix_tasks_assigned_to ON tasks (assigned_to);
CREATE INDEX ix_tasks_created_by ON tasks (created_by);

-- 100 users: user 1 is the admin, user 100 is deactivated.
INSERT INTO users (id, username, role, created_at, last_login, is_active, updated_at)
SELECT i,
       CASE WHEN i = 1 THEN 'admin' ELSE format('user%s', lpad(i::text, 3, '0')) END,
       CASE WHEN i = 1 THEN 'admin' ELSE 'user' END,
       timestamp '2018-12-01 09:00:00' + i * interval '1 hour',
       CASE WHEN i % 7 = 0 THEN NULL ELSE timestamp '2025-10-09 08:53:20' + i * interval '90 minutes' END,
       i <> 100,
       timestamp '2018-12-01 10:00:00' + i * interval '1 hour'
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

-- 1,000 tasks on the first 1,000 projects, in the statuses of the V1.1.0
-- model ('todo', 'in_progress', 'done').
INSERT INTO tasks (id, project_id, name, description, status, priority, estimated_hours, due_date, assigned_to,
                   created_by, created_at, updated_at, started_at, completed_at)
SELECT t, t, 'Task ' || t,
       CASE WHEN t % 2 = 0 THEN 'Details of task ' || t END,
       CASE t % 3 WHEN 0 THEN 'todo' WHEN 1 THEN 'in_progress' ELSE 'done' END,
       CASE t % 4 WHEN 0 THEN 'low' WHEN 1 THEN 'medium' WHEN 2 THEN 'high' ELSE 'urgent' END,
       CASE WHEN t % 3 <> 2 THEN (t % 400) / 4.0 END,
       CASE WHEN t % 2 = 1 THEN date '2019-03-01' + t END,
       CASE WHEN t % 5 = 0 THEN NULL ELSE t % 100 + 1 END,
       1,
       timestamp '2018-12-05 09:00:00' + t * interval '1 hour',
       timestamp '2018-12-06 09:00:00' + t * interval '1 hour',
       CASE WHEN t % 3 <> 0 THEN timestamp '2018-12-05 10:00:00' + t * interval '1 hour' END,
       CASE WHEN t % 3 = 2 THEN timestamp '2018-12-06 10:00:00' + t * interval '1 hour' END
FROM generate_series(1, 1000) AS t;

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
SELECT setval('tasks_id_seq', (SELECT max(id) FROM tasks));

COMMIT;

-- A database in service has been vacuumed and analysed by autovacuum.
VACUUM ANALYZE;
