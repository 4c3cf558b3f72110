-- The conversion `timetracker bootstrap` performs on the S1b database of
-- gen.postgres.sql, written by hand for that one shape: the legacy tables
-- move (with their indexes, constraints and sequences) into a schema of
-- their own, the head tables (the DDL `timetracker db init` creates) are
-- created under their own names in the current schema and filled with
-- INSERT ... SELECT, then indexes and foreign keys are added (each foreign
-- key validated in one pass), sequences moved past the copied ids, the
-- legacy schema dropped and the steps recorded, all in one transaction.
-- The same rules as the converter: one client per distinct
-- TRIM(projects.client), '' becoming 'Default Client'; projects.client
-- kept, nullable; NOT NULL columns that have a default take it where a row
-- holds NULL; created_at/updated_at fall back on each other (time_entries
-- also on start_time); at most one running timer per user (step 010).
-- The backup (pg_dump --format=custom) is run.sh's job.
-- S1b: start_utc/end_utc become start_time/end_time (rule
-- time-columns-rename; values unchanged: the UTC shift is opt-in);
-- users.updated_at is kept (rule keep-legacy-columns) and the updated_at
-- triggers are recreated on the new tables (rule indexes-and-defaults).
-- Usage: psql -v ON_ERROR_STOP=1 -d DB -f plain.postgres.sql
\set ON_ERROR_STOP on
SET client_min_messages = warning;
BEGIN;

CREATE SCHEMA tt_plain_legacy;
ALTER TABLE users SET SCHEMA tt_plain_legacy;
ALTER TABLE projects SET SCHEMA tt_plain_legacy;
ALTER TABLE time_entries SET SCHEMA tt_plain_legacy;
ALTER TABLE settings SET SCHEMA tt_plain_legacy;

CREATE TABLE users (
	id SERIAL PRIMARY KEY,
	username VARCHAR(80) NOT NULL,
	role VARCHAR(20) NOT NULL DEFAULT 'user',
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
	last_login TIMESTAMP WITHOUT TIME ZONE,
	is_active BOOLEAN NOT NULL DEFAULT true,
	updated_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP,
	full_name VARCHAR(200),
	theme_preference VARCHAR(10),
	preferred_language VARCHAR(8)
);
INSERT INTO users (id, username, role, created_at, last_login, is_active, updated_at)
SELECT id, username, COALESCE(role, 'user'), COALESCE(created_at, updated_at, LOCALTIMESTAMP(0)), last_login,
       COALESCE(is_active, true), COALESCE(updated_at, created_at, LOCALTIMESTAMP(0))
FROM tt_plain_legacy.users;

CREATE TABLE clients (
	id SERIAL PRIMARY KEY,
	name VARCHAR(200) NOT NULL,
	description TEXT,
	contact_person VARCHAR(200),
	email VARCHAR(200),
	phone VARCHAR(50),
	address TEXT,
	default_hourly_rate NUMERIC(9, 2),
	status VARCHAR(20) NOT NULL DEFAULT 'active',
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);
-- Like the converter: creation time in UTC, whole seconds.
INSERT INTO clients (name, status, created_at, updated_at)
SELECT name, 'active', date_trunc('second', now() AT TIME ZONE 'UTC'), date_trunc('second', now() AT TIME ZONE 'UTC')
FROM (SELECT DISTINCT COALESCE(NULLIF(TRIM(client), ''), 'Default Client') AS name FROM tt_plain_legacy.projects) n
ORDER BY name;
CREATE UNIQUE INDEX ix_clients_name ON clients (name);

CREATE TABLE projects (
	id SERIAL PRIMARY KEY,
	name VARCHAR(200) NOT NULL,
	client_id INTEGER NOT NULL,
	description TEXT,
	billable BOOLEAN NOT NULL DEFAULT true,
	hourly_rate NUMERIC(9, 2),
	billing_ref VARCHAR(100),
	status VARCHAR(20) NOT NULL DEFAULT 'active',
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
	client VARCHAR(200)
);
INSERT INTO projects (id, name, client_id, description, billable, hourly_rate, billing_ref, status, created_at, updated_at, client)
SELECT p.id, p.name, c.id, p.description, COALESCE(p.billable, true), p.hourly_rate, p.billing_ref, COALESCE(p.status, 'active'),
       COALESCE(p.created_at, p.updated_at, LOCALTIMESTAMP(0)), COALESCE(p.updated_at, p.created_at, LOCALTIMESTAMP(0)), p.client
FROM tt_plain_legacy.projects p
JOIN clients c ON c.name = COALESCE(NULLIF(TRIM(p.client), ''), 'Default Client');

CREATE TABLE tasks (
	id SERIAL PRIMARY KEY,
	project_id INTEGER NOT NULL,
	name VARCHAR(200) NOT NULL,
	description TEXT,
	status VARCHAR(20) NOT NULL DEFAULT 'todo',
	priority VARCHAR(20) NOT NULL DEFAULT 'medium',
	estimated_hours DOUBLE PRECISION,
	due_date DATE,
	assigned_to INTEGER,
	created_by INTEGER NOT NULL,
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
	started_at TIMESTAMP WITHOUT TIME ZONE,
	completed_at TIMESTAMP WITHOUT TIME ZONE
);

CREATE TABLE time_entries (
	id SERIAL PRIMARY KEY,
	user_id INTEGER NOT NULL,
	project_id INTEGER NOT NULL,
	task_id INTEGER,
	start_time TIMESTAMP WITHOUT TIME ZONE NOT NULL,
	end_time TIMESTAMP WITHOUT TIME ZONE,
	duration_seconds INTEGER,
	notes TEXT,
	tags VARCHAR(500),
	source VARCHAR(20) NOT NULL DEFAULT 'manual',
	billable BOOLEAN NOT NULL DEFAULT true,
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration_seconds, notes, tags,
                          source, billable, created_at, updated_at)
SELECT id, user_id, project_id, NULL, start_utc, end_utc, duration_seconds, notes, tags,
       COALESCE(source, 'manual'), COALESCE(billable, true),
       COALESCE(created_at, updated_at, start_utc, LOCALTIMESTAMP(0)),
       COALESCE(updated_at, created_at, start_utc, LOCALTIMESTAMP(0))
FROM tt_plain_legacy.time_entries;

CREATE TABLE settings (
	id SERIAL PRIMARY KEY,
	timezone VARCHAR(50) NOT NULL DEFAULT 'Europe/Rome',
	currency VARCHAR(3) NOT NULL DEFAULT 'EUR',
	rounding_minutes INTEGER NOT NULL DEFAULT 1,
	single_active_timer BOOLEAN NOT NULL DEFAULT true,
	allow_self_register BOOLEAN NOT NULL DEFAULT true,
	idle_timeout_minutes INTEGER NOT NULL DEFAULT 30,
	backup_retention_days INTEGER NOT NULL DEFAULT 30,
	backup_time VARCHAR(5) NOT NULL DEFAULT '02:00',
	export_delimiter VARCHAR(1) NOT NULL DEFAULT ',',
	company_name VARCHAR(200) NOT NULL DEFAULT 'Your Company Name',
	company_address TEXT NOT NULL DEFAULT 'Your Company Address',
	company_email VARCHAR(200) NOT NULL DEFAULT 'info@yourcompany.com',
	company_phone VARCHAR(50) NOT NULL DEFAULT '+1 (555) 123-4567',
	company_website VARCHAR(200) NOT NULL DEFAULT 'www.yourcompany.com',
	company_logo_filename VARCHAR(255) DEFAULT '',
	company_tax_id VARCHAR(100) DEFAULT '',
	company_bank_info TEXT DEFAULT '',
	invoice_prefix VARCHAR(10) NOT NULL DEFAULT 'INV',
	invoice_start_number INTEGER NOT NULL DEFAULT 1000,
	invoice_terms TEXT NOT NULL DEFAULT 'Payment is due within 30 days of invoice date.',
	invoice_notes TEXT NOT NULL DEFAULT 'Thank you for your business!',
	allow_analytics BOOLEAN NOT NULL DEFAULT true,
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
	-- added by a later step, so after the baseline's columns
	invoice_pdf_template_html TEXT,
	invoice_pdf_template_css TEXT
);
INSERT INTO settings (id, timezone, currency, rounding_minutes, single_active_timer, allow_self_register,
                      idle_timeout_minutes, backup_retention_days, backup_time, export_delimiter, created_at, updated_at)
SELECT id, COALESCE(timezone, 'Europe/Rome'), COALESCE(currency, 'EUR'), COALESCE(rounding_minutes, 1),
       COALESCE(single_active_timer, true), COALESCE(allow_self_register, true), COALESCE(idle_timeout_minutes, 30),
       COALESCE(backup_retention_days, 30), COALESCE(backup_time, '02:00'), COALESCE(export_delimiter, ','),
       COALESCE(created_at, updated_at, LOCALTIMESTAMP(0)), COALESCE(updated_at, created_at, LOCALTIMESTAMP(0))
FROM tt_plain_legacy.settings;
-- TimeTracker needs one settings row.
INSERT INTO settings (created_at, updated_at)
SELECT LOCALTIMESTAMP(0), LOCALTIMESTAMP(0) WHERE NOT EXISTS (SELECT 1 FROM settings);

CREATE TABLE invoices (
	id SERIAL PRIMARY KEY,
	invoice_number VARCHAR(50) NOT NULL,
	project_id INTEGER NOT NULL,
	client_name VARCHAR(200) NOT NULL,
	client_email VARCHAR(200),
	client_address TEXT,
	client_id INTEGER NOT NULL,
	issue_date DATE NOT NULL DEFAULT CURRENT_DATE,
	due_date DATE NOT NULL,
	status VARCHAR(20) NOT NULL DEFAULT 'draft',
	subtotal NUMERIC(10, 2) NOT NULL DEFAULT 0,
	tax_rate NUMERIC(5, 2) NOT NULL DEFAULT 0,
	tax_amount NUMERIC(10, 2) NOT NULL DEFAULT 0,
	total_amount NUMERIC(10, 2) NOT NULL DEFAULT 0,
	notes TEXT,
	terms TEXT,
	created_by INTEGER NOT NULL,
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE invoice_items (
	id SERIAL PRIMARY KEY,
	invoice_id INTEGER NOT NULL,
	description VARCHAR(500) NOT NULL,
	quantity NUMERIC(10, 2) NOT NULL DEFAULT 1,
	unit_price NUMERIC(10, 2) NOT NULL,
	total_amount NUMERIC(10, 2) NOT NULL,
	time_entry_ids VARCHAR(500),
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE task_activities (
	id SERIAL PRIMARY KEY,
	task_id INTEGER NOT NULL,
	user_id INTEGER,
	event VARCHAR(50) NOT NULL,
	details TEXT,
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

DROP SCHEMA tt_plain_legacy CASCADE;

CREATE UNIQUE INDEX ix_users_username ON users (username);
CREATE INDEX ix_projects_name ON projects (name);
CREATE INDEX ix_projects_client_id ON projects (client_id);
CREATE INDEX ix_tasks_project_id ON tasks (project_id);
CREATE INDEX ix_tasks_name ON tasks (name);
CREATE INDEX ix_tasks_status ON tasks (status);
CREATE INDEX ix_tasks_due_date ON tasks (due_date);
CREATE INDEX ix_tasks_assigned_to ON tasks (assigned_to);
CREATE INDEX ix_tasks_created_by ON tasks (created_by);
CREATE INDEX ix_time_entries_user_id ON time_entries (user_id);
CREATE INDEX ix_time_entries_project_id ON time_entries (project_id);
CREATE INDEX ix_time_entries_task_id ON time_entries (task_id);
CREATE INDEX ix_time_entries_start_time ON time_entries (start_time);
CREATE INDEX ix_time_entries_end_time ON time_entries (end_time);
CREATE UNIQUE INDEX ix_invoices_invoice_number ON invoices (invoice_number);
CREATE INDEX ix_invoices_project_id ON invoices (project_id);
CREATE INDEX ix_invoices_client_id ON invoices (client_id);
CREATE INDEX ix_invoice_items_invoice_id ON invoice_items (invoice_id);
CREATE INDEX idx_task_activities_task_id ON task_activities (task_id);
CREATE INDEX idx_task_activities_user_id ON task_activities (user_id);
CREATE INDEX idx_task_activities_event ON task_activities (event);
CREATE INDEX idx_task_activities_created_at ON task_activities (created_at);

ALTER TABLE projects ADD CONSTRAINT projects_client_id_fkey FOREIGN KEY (client_id) REFERENCES clients (id);
ALTER TABLE tasks ADD CONSTRAINT tasks_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id);
ALTER TABLE tasks ADD CONSTRAINT tasks_assigned_to_fkey FOREIGN KEY (assigned_to) REFERENCES users (id);
ALTER TABLE tasks ADD CONSTRAINT tasks_created_by_fkey FOREIGN KEY (created_by) REFERENCES users (id);
ALTER TABLE time_entries ADD CONSTRAINT time_entries_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id);
ALTER TABLE time_entries ADD CONSTRAINT time_entries_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id);
ALTER TABLE time_entries ADD CONSTRAINT time_entries_task_id_fkey FOREIGN KEY (task_id) REFERENCES tasks (id);
ALTER TABLE invoices ADD CONSTRAINT invoices_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id);
ALTER TABLE invoices ADD CONSTRAINT invoices_client_id_fkey FOREIGN KEY (client_id) REFERENCES clients (id);
ALTER TABLE invoices ADD CONSTRAINT invoices_created_by_fkey FOREIGN KEY (created_by) REFERENCES users (id);
ALTER TABLE invoice_items ADD CONSTRAINT invoice_items_invoice_id_fkey FOREIGN KEY (invoice_id) REFERENCES invoices (id);
ALTER TABLE task_activities ADD CONSTRAINT task_activities_task_id_fkey FOREIGN KEY (task_id) REFERENCES tasks (id) ON DELETE CASCADE;
ALTER TABLE task_activities ADD CONSTRAINT task_activities_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL;

-- Rows kept their ids; the sequences continue after them.
SELECT setval(pg_get_serial_sequence('users', 'id'), COALESCE(max(id), 0) + 1, false) FROM users;
SELECT setval(pg_get_serial_sequence('projects', 'id'), COALESCE(max(id), 0) + 1, false) FROM projects;
SELECT setval(pg_get_serial_sequence('time_entries', 'id'), COALESCE(max(id), 0) + 1, false) FROM time_entries;
SELECT setval(pg_get_serial_sequence('settings', 'id'), COALESCE(max(id), 0) + 1, false) FROM settings;

-- The legacy updated_at triggers, on the new tables (the function stayed
-- in this schema).
CREATE TRIGGER update_users_updated_at BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE TRIGGER update_projects_updated_at BEFORE UPDATE ON projects FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE TRIGGER update_time_entries_updated_at BEFORE UPDATE ON time_entries FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE TRIGGER update_settings_updated_at BEFORE UPDATE ON settings FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- Step 010: every user keeps only the newest running timer, then the
-- partial unique index holds it.
UPDATE time_entries SET end_time = start_time, duration_seconds = 0
WHERE end_time IS NULL AND EXISTS (
	SELECT 1 FROM time_entries newer
	WHERE newer.user_id = time_entries.user_id AND newer.end_time IS NULL
	AND (newer.start_time > time_entries.start_time
		OR (newer.start_time = time_entries.start_time AND newer.id > time_entries.id)));
CREATE UNIQUE INDEX ux_time_entries_one_active_per_user ON time_entries (user_id) WHERE end_time IS NULL;

-- Record the steps as timetracker does, so `timetracker db verify` accepts
-- the result.
CREATE TABLE timetracker_migrations (
	id VARCHAR(255) NOT NULL
);
CREATE UNIQUE INDEX ux_timetracker_migrations_id ON timetracker_migrations (id);
CREATE TABLE timetracker_migration_history (
	id SERIAL PRIMARY KEY,
	migration_id VARCHAR(255) NOT NULL,
	kind VARCHAR(20) NOT NULL,
	started_at TIMESTAMP WITHOUT TIME ZONE NOT NULL,
	duration_ms BIGINT NOT NULL DEFAULT 0,
	success BOOLEAN NOT NULL,
	program_version VARCHAR(64) NOT NULL,
	error TEXT
);
CREATE INDEX ix_timetracker_migration_history_migration_id ON timetracker_migration_history (migration_id);
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL,
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
-- run.sh puts one row per step of migrations/testdata/step_ids.golden here.
INSERT INTO timetracker_migrations (id) VALUES @STEP_IDS@;
INSERT INTO timetracker_migration_history (migration_id, kind, started_at, duration_ms, success, program_version)
SELECT id, CASE WHEN id = '202509030000_baseline' THEN 'baselined' ELSE 'applied' END, now() AT TIME ZONE 'UTC', 0, true, 'plain-sql'
FROM timetracker_migrations ORDER BY id;
INSERT INTO alembic_version (version_num) VALUES ('012');

COMMIT;
