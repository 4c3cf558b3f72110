-- legacy/testdata/s3-script.postgres.sql: S3 / script
-- S3-script: S2-sql plus migrate-add-task-columns.py: tasks without started_at/completed_at, fk_time_entries_task_id.
-- Schema as TimeTracker left it (reference §4.3/§5.1), then realistic rows with explicit ids.
-- Generated for the legacy-conversion tests; rows marked with a comment are the awkward ones.

-- docker/init-database-sql.py @1b3a703c (v1.0.5 fresh): S1b DDL with start_time/end_time, no uuid-ossp
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

-- docker/migrate-add-task-columns.py @1865a5a1 (run by hand): tasks without started_at/completed_at, ix_ indexes, fk_time_entries_task_id
CREATE TABLE tasks (
    id SERIAL PRIMARY KEY,
    project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE NOT NULL,
    name VARCHAR(200) NOT NULL,
    description TEXT,
    status VARCHAR(20) DEFAULT 'pending' NOT NULL,
    priority VARCHAR(20) DEFAULT 'medium' NOT NULL,
    assigned_to INTEGER REFERENCES users(id),
    created_by INTEGER REFERENCES users(id) NOT NULL,
    due_date DATE,
    estimated_hours NUMERIC(5,2),
    actual_hours NUMERIC(5,2),
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
);

CREATE INDEX ix_tasks_project_id ON tasks (project_id);
CREATE INDEX ix_tasks_status ON tasks (status);
CREATE INDEX ix_tasks_priority ON tasks (priority);
CREATE INDEX ix_tasks_assigned_to ON tasks (assigned_to);
CREATE INDEX ix_tasks_created_by ON tasks (created_by);

ALTER TABLE time_entries ADD COLUMN task_id INTEGER;
CREATE INDEX ix_time_entries_task_id ON time_entries (task_id);

ALTER TABLE time_entries ADD CONSTRAINT fk_time_entries_task_id FOREIGN KEY (task_id) REFERENCES tasks(id);

-- ---------------------------------------------------------------- data

-- admin seeded by the install (role 'admin')
INSERT INTO users (id, username, role, created_at, last_login, is_active, updated_at) VALUES (1, 'admin', 'admin', '2025-08-27 07:58:12', '2025-09-07 08:12:44.310551', TRUE, '2025-09-07 08:12:44.310551');
-- non-ASCII username
INSERT INTO users (id, username, role, created_at, last_login, is_active, updated_at) VALUES (2, 'jürgen', 'user', '2025-08-27 09:14:03.518204', '2025-09-06 17:40:00', TRUE, '2025-09-06 17:40:00');
INSERT INTO users (id, username, role, created_at, last_login, is_active, updated_at) VALUES (3, 'marie-claire', 'user', '2025-08-28 10:00:00', NULL, TRUE, '2025-08-28 10:00:00');
-- quote in username
INSERT INTO users (id, username, role, created_at, last_login, is_active, updated_at) VALUES (4, 'o''neil', 'user', '2025-08-28 10:05:00', '2025-08-31 06:59:59', TRUE, '2025-08-31 06:59:59');
-- inactive non-ASCII user who still owns an entry
INSERT INTO users (id, username, role, created_at, last_login, is_active, updated_at) VALUES (5, '李雷', 'user', '2025-08-28 11:30:00', NULL, FALSE, '2025-09-01 12:00:00');
-- second admin, created later (oldest active admin is id 1)
INSERT INTO users (id, username, role, created_at, last_login, is_active, updated_at) VALUES (6, 'backup-admin', 'admin', '2025-08-30 08:00:00', NULL, TRUE, '2025-08-30 08:00:00');

-- seeded 'General' project
INSERT INTO projects (id, name, client, description, billable, hourly_rate, billing_ref, status, created_at, updated_at) VALUES (1, 'General', 'Default Client', 'Default project for general tasks', TRUE, NULL, NULL, 'active', '2025-08-27 07:58:12', '2025-08-27 07:58:12');
-- client with surrounding spaces
INSERT INTO projects (id, name, client, description, billable, hourly_rate, billing_ref, status, created_at, updated_at) VALUES (2, 'Website Relaunch', ' Acme ', 'Phase 1 + 2', TRUE, 85.00, 'PO-2025-001', 'active', '2025-08-28 09:00:00.000001', '2025-08-28 09:00:00.000001');
-- same client trimmed
INSERT INTO projects (id, name, client, description, billable, hourly_rate, billing_ref, status, created_at, updated_at) VALUES (3, 'Mobile App', 'Acme', NULL, TRUE, 120.50, NULL, 'active', '2025-08-28 09:05:00', '2025-09-02 16:20:00');
-- same client, other case
INSERT INTO projects (id, name, client, description, billable, hourly_rate, billing_ref, status, created_at, updated_at) VALUES (4, 'Support Retainer', 'acme', 'Monthly
retainer', TRUE, 0.00, '', 'active', '2025-08-28 09:10:00', '2025-08-28 09:10:00');
-- empty client
INSERT INTO projects (id, name, client, description, billable, hourly_rate, billing_ref, status, created_at, updated_at) VALUES (5, 'Internal Tools', '', 'No client yet', FALSE, NULL, NULL, 'active', '2025-08-28 09:15:00', '2025-08-28 09:15:00');
-- non-ASCII project and client
INSERT INTO projects (id, name, client, description, billable, hourly_rate, billing_ref, status, created_at, updated_at) VALUES (6, 'Brücke Sanierung – Phase «2»', 'Zürich GmbH', NULL, TRUE, 9999999.99, 'ZH/2025/07', 'active', '2025-08-29 08:00:00', '2025-08-29 08:00:00');
-- archived, not billable
INSERT INTO projects (id, name, client, description, billable, hourly_rate, billing_ref, status, created_at, updated_at) VALUES (7, 'Archived Thing', 'Globex', NULL, FALSE, 0.01, NULL, 'archived', '2025-08-29 08:30:00', '2025-09-04 18:00:00');

-- status 'pending' (SQL-script DB default)
INSERT INTO tasks (id, project_id, name, description, status, priority, assigned_to, created_by, due_date, estimated_hours, actual_hours, created_at, updated_at) VALUES (1, 2, 'Design mockups', 'Figma → HTML', 'pending', 'high', 2, 1, '2025-09-18', 12.50, 3.25, '2025-08-29 09:00:00', '2025-08-29 09:00:00');
INSERT INTO tasks (id, project_id, name, description, status, priority, assigned_to, created_by, due_date, estimated_hours, actual_hours, created_at, updated_at) VALUES (2, 3, 'API integration', NULL, 'in_progress', 'medium', NULL, 1, NULL, 40.00, 0.00, '2025-08-29 09:10:00', '2025-08-30 08:30:00');
-- non-ASCII name with quotes, actual_hours at NUMERIC(5,2) max
INSERT INTO tasks (id, project_id, name, description, status, priority, assigned_to, created_by, due_date, estimated_hours, actual_hours, created_at, updated_at) VALUES (3, 6, 'Statik prüfen – Brücke "Nord"', 'Line 1
Line 2', 'done', 'urgent', 3, 6, '2025-08-31', NULL, 999.99, '2025-08-29 12:00:00', '2025-08-31 15:00:00');
INSERT INTO tasks (id, project_id, name, description, status, priority, assigned_to, created_by, due_date, estimated_hours, actual_hours, created_at, updated_at) VALUES (4, 4, 'Support ticket triage', '', 'review', 'low', 4, 1, '2025-08-30', 0.25, NULL, '2025-08-30 10:00:00', '2025-08-30 10:00:00');
INSERT INTO tasks (id, project_id, name, description, status, priority, assigned_to, created_by, due_date, estimated_hours, actual_hours, created_at, updated_at) VALUES (5, 2, 'Cancelled idea', NULL, 'cancelled', 'medium', NULL, 2, NULL, NULL, NULL, '2025-08-30 11:00:00', '2025-09-01 11:00:00');
-- inserted without status: DB default 'pending'
INSERT INTO tasks (id, project_id, name, description, assigned_to, created_by, due_date, estimated_hours, actual_hours, created_at, updated_at) VALUES (6, 1, 'Inbox', NULL, NULL, 1, NULL, NULL, NULL, '2025-08-31 08:00:00', '2025-08-31 08:00:00');

-- finished; quotes in notes
INSERT INTO time_entries (id, user_id, project_id, start_time, end_time, duration_seconds, notes, tags, source, billable, created_at, updated_at, task_id) VALUES (1, 1, 2, '2025-08-29 09:00:00', '2025-08-29 10:30:00', 5400, 'Kickoff with "Acme" team; agreed on scope', 'meeting,client', 'manual', TRUE, '2025-08-29 10:30:05.120044', '2025-08-29 10:30:05.120044', 1);
-- finished timer; multi-line non-ASCII notes
INSERT INTO time_entries (id, user_id, project_id, start_time, end_time, duration_seconds, notes, tags, source, billable, created_at, updated_at, task_id) VALUES (2, 2, 6, '2025-08-29 13:05:00', '2025-08-29 14:07:05', 3725, 'Line one
Line two — naïve café', 'dev,backend', 'auto', TRUE, '2025-08-29 13:05:00', '2025-08-29 14:07:05', 3);
-- running timer #1 of user 2
INSERT INTO time_entries (id, user_id, project_id, start_time, end_time, duration_seconds, notes, tags, source, billable, created_at, updated_at, task_id) VALUES (3, 2, 3, '2025-08-30 08:30:00', NULL, NULL, NULL, NULL, 'auto', TRUE, '2025-08-30 08:30:00', '2025-08-30 08:30:00', 2);
-- running timer #2 of user 2 (single_active_timer was off); emoji
INSERT INTO time_entries (id, user_id, project_id, start_time, end_time, duration_seconds, notes, tags, source, billable, created_at, updated_at, task_id) VALUES (4, 2, 4, '2025-08-30 09:45:00', NULL, NULL, 'It''s a 🚀 launch', 'ops', 'auto', TRUE, '2025-08-30 09:45:00', '2025-08-30 09:45:00', NULL);
-- zero duration, backslashes and a tab, empty tags, not billable
INSERT INTO time_entries (id, user_id, project_id, start_time, end_time, duration_seconds, notes, tags, source, billable, created_at, updated_at, task_id) VALUES (5, 3, 5, '2025-08-30 11:00:00', '2025-08-30 11:00:00', 0, 'Path C:\temp\report.csv	and a tab', '', 'manual', FALSE, '2025-08-30 11:00:00', '2025-08-30 11:00:00', NULL);
-- crosses midnight; empty notes; messy tags
INSERT INTO time_entries (id, user_id, project_id, start_time, end_time, duration_seconds, notes, tags, source, billable, created_at, updated_at, task_id) VALUES (6, 4, 7, '2025-08-30 23:30:00', '2025-08-31 00:45:00', 4500, '', 'night, overtime ,', 'manual', FALSE, '2025-08-31 00:45:10', '2025-08-31 00:45:10', NULL);
-- running timer of user 1
INSERT INTO time_entries (id, user_id, project_id, start_time, end_time, duration_seconds, notes, tags, source, billable, created_at, updated_at, task_id) VALUES (7, 1, 1, '2025-08-31 07:15:00', NULL, NULL, 'Timer started from 📱', NULL, 'auto', TRUE, '2025-08-31 07:15:00', '2025-08-31 07:15:00', NULL);
-- CRLF in notes
INSERT INTO time_entries (id, user_id, project_id, start_time, end_time, duration_seconds, notes, tags, source, billable, created_at, updated_at, task_id) VALUES (8, 3, 2, '2025-08-31 10:00:00', '2025-08-31 12:00:00', 7200, 'Review' || chr(13) || '
windows line endings', 'review', 'manual', TRUE, '2025-08-31 12:00:00', '2025-08-31 12:00:00', 1);
-- 59 seconds (rounding); non-ASCII notes
INSERT INTO time_entries (id, user_id, project_id, start_time, end_time, duration_seconds, notes, tags, source, billable, created_at, updated_at, task_id) VALUES (9, 6, 6, '2025-08-31 14:00:00', '2025-08-31 14:00:59', 59, 'Zürich call – Grüße', NULL, 'manual', TRUE, '2025-08-31 14:01:00', '2025-08-31 14:01:00', NULL);
-- entry of the inactive user
INSERT INTO time_entries (id, user_id, project_id, start_time, end_time, duration_seconds, notes, tags, source, billable, created_at, updated_at, task_id) VALUES (10, 5, 3, '2025-08-29 16:00:00', '2025-08-29 17:00:00', 3600, NULL, NULL, 'manual', TRUE, '2025-08-29 17:00:00', '2025-08-29 17:00:00', NULL);

-- the settings row
INSERT INTO settings (id, timezone, currency, rounding_minutes, single_active_timer, allow_self_register, idle_timeout_minutes, backup_retention_days, backup_time, export_delimiter, created_at, updated_at) VALUES (1, 'Europe/Rome', 'EUR', 5, FALSE, TRUE, 30, 14, '03:30', ';', '2025-08-27 07:58:12', '2025-09-02 12:00:00.999999');

-- sequences past the explicit ids
SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users));
SELECT setval(pg_get_serial_sequence('projects', 'id'), (SELECT max(id) FROM projects));
SELECT setval(pg_get_serial_sequence('tasks', 'id'), (SELECT max(id) FROM tasks));
SELECT setval(pg_get_serial_sequence('time_entries', 'id'), (SELECT max(id) FROM time_entries));
SELECT setval(pg_get_serial_sequence('settings', 'id'), (SELECT max(id) FROM settings));
