-- The conversion `timetracker bootstrap` performs on the S3 (orm) database of
-- gen.sqlite.sql, written by hand for that one shape: the legacy tables are
-- renamed away, the head tables (the DDL `timetracker db init` creates) are
-- created under their own names and filled with INSERT ... SELECT, the old
-- tables dropped, the indexes built, foreign keys checked once, and the
-- steps recorded, all in one transaction. The same rules as the converter:
-- one client per distinct TRIM(projects.client), '' becoming
-- 'Default Client'; projects.client kept, nullable; NOT NULL columns that
-- have a default take it where a row holds NULL; created_at/updated_at fall
-- back on each other (time_entries also on start_time); at most one running
-- timer per user (step 010). The backup (VACUUM INTO) is run.sh's job.
-- S3 adds: tasks copied (status and values kept), time_entries.task_id
-- copied, a task_id naming no task becoming NULL (rule entry-orphan-task).
-- Usage: sqlite3 legacy.db < plain.sqlite.sql
.bail on
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;

ALTER TABLE users RENAME TO legacy_users;
ALTER TABLE projects RENAME TO legacy_projects;
ALTER TABLE time_entries RENAME TO legacy_time_entries;
ALTER TABLE settings RENAME TO legacy_settings;
ALTER TABLE tasks RENAME TO legacy_tasks;

CREATE TABLE users (
	id INTEGER NOT NULL PRIMARY KEY,
	username VARCHAR(80) NOT NULL,
	role VARCHAR(20) NOT NULL DEFAULT 'user',
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	last_login DATETIME,
	is_active BOOLEAN NOT NULL DEFAULT 1,
	full_name VARCHAR(200),
	theme_preference VARCHAR(10),
	preferred_language VARCHAR(8)
);
INSERT INTO users (id, username, role, created_at, last_login, is_active)
SELECT id, username, COALESCE(role, 'user'), COALESCE(created_at, CURRENT_TIMESTAMP), last_login, COALESCE(is_active, 1)
FROM legacy_users;

CREATE TABLE clients (
	id INTEGER NOT NULL PRIMARY KEY,
	name VARCHAR(200) NOT NULL,
	description TEXT,
	contact_person VARCHAR(200),
	email VARCHAR(200),
	phone VARCHAR(50),
	address TEXT,
	default_hourly_rate NUMERIC(9, 2),
	status VARCHAR(20) NOT NULL DEFAULT 'active',
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO clients (name, status, created_at, updated_at)
SELECT DISTINCT COALESCE(NULLIF(TRIM(client), ''), 'Default Client'), 'active', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
FROM legacy_projects ORDER BY 1;
CREATE UNIQUE INDEX ix_clients_name ON clients (name);

CREATE TABLE projects (
	id INTEGER NOT NULL PRIMARY KEY,
	name VARCHAR(200) NOT NULL,
	client_id INTEGER NOT NULL,
	description TEXT,
	billable BOOLEAN NOT NULL DEFAULT 1,
	hourly_rate NUMERIC(9, 2),
	billing_ref VARCHAR(100),
	status VARCHAR(20) NOT NULL DEFAULT 'active',
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	client VARCHAR(200),
	CONSTRAINT projects_client_id_fkey FOREIGN KEY (client_id) REFERENCES clients (id)
);
INSERT INTO projects (id, name, client_id, description, billable, hourly_rate, billing_ref, status, created_at, updated_at, client)
SELECT p.id, p.name, c.id, p.description, COALESCE(p.billable, 1), p.hourly_rate, p.billing_ref, COALESCE(p.status, 'active'),
       COALESCE(p.created_at, p.updated_at, CURRENT_TIMESTAMP), COALESCE(p.updated_at, p.created_at, CURRENT_TIMESTAMP), p.client
FROM legacy_projects p
JOIN clients c ON c.name = COALESCE(NULLIF(TRIM(p.client), ''), 'Default Client')
ORDER BY p.id;

CREATE TABLE tasks (
	id INTEGER NOT NULL PRIMARY KEY,
	project_id INTEGER NOT NULL,
	name VARCHAR(200) NOT NULL,
	description TEXT,
	status VARCHAR(20) NOT NULL DEFAULT 'todo',
	priority VARCHAR(20) NOT NULL DEFAULT 'medium',
	estimated_hours FLOAT,
	due_date DATE,
	assigned_to INTEGER,
	created_by INTEGER NOT NULL,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	started_at DATETIME,
	completed_at DATETIME,
	CONSTRAINT tasks_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id),
	CONSTRAINT tasks_assigned_to_fkey FOREIGN KEY (assigned_to) REFERENCES users (id),
	CONSTRAINT tasks_created_by_fkey FOREIGN KEY (created_by) REFERENCES users (id)
);
INSERT INTO tasks (id, project_id, name, description, status, priority, estimated_hours, due_date, assigned_to,
                   created_by, created_at, updated_at, started_at, completed_at)
SELECT t.id, t.project_id, t.name, t.description,
       CASE WHEN t.status IS NULL OR t.status = 'pending' THEN 'todo' ELSE t.status END,
       COALESCE(t.priority, 'medium'), t.estimated_hours, t.due_date, u.id, t.created_by,
       COALESCE(t.created_at, t.updated_at, CURRENT_TIMESTAMP), COALESCE(t.updated_at, t.created_at, CURRENT_TIMESTAMP),
       t.started_at, t.completed_at
FROM legacy_tasks t
LEFT JOIN users u ON u.id = t.assigned_to
ORDER BY t.id;

CREATE TABLE time_entries (
	id INTEGER NOT NULL PRIMARY KEY,
	user_id INTEGER NOT NULL,
	project_id INTEGER NOT NULL,
	task_id INTEGER,
	start_time DATETIME NOT NULL,
	end_time DATETIME,
	duration_seconds INTEGER,
	notes TEXT,
	tags VARCHAR(500),
	source VARCHAR(20) NOT NULL DEFAULT 'manual',
	billable BOOLEAN NOT NULL DEFAULT 1,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	CONSTRAINT time_entries_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id),
	CONSTRAINT time_entries_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id),
	CONSTRAINT time_entries_task_id_fkey FOREIGN KEY (task_id) REFERENCES tasks (id)
);
INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration_seconds, notes, tags,
                          source, billable, created_at, updated_at)
SELECT id, user_id, project_id, (SELECT t.id FROM tasks t WHERE t.id = e.task_id), start_time, end_time,
       duration_seconds, notes, tags,
       COALESCE(source, 'manual'), COALESCE(billable, 1),
       COALESCE(created_at, updated_at, start_time, CURRENT_TIMESTAMP),
       COALESCE(updated_at, created_at, start_time, CURRENT_TIMESTAMP)
FROM legacy_time_entries e;

CREATE TABLE settings (
	id INTEGER NOT NULL PRIMARY KEY,
	timezone VARCHAR(50) NOT NULL DEFAULT 'Europe/Rome',
	currency VARCHAR(3) NOT NULL DEFAULT 'EUR',
	rounding_minutes INTEGER NOT NULL DEFAULT 1,
	single_active_timer BOOLEAN NOT NULL DEFAULT 1,
	allow_self_register BOOLEAN NOT NULL DEFAULT 1,
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
	allow_analytics BOOLEAN NOT NULL DEFAULT 1,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	-- added by a later step, so after the baseline's columns
	invoice_pdf_template_html TEXT,
	invoice_pdf_template_css TEXT
);
INSERT INTO settings (id, timezone, currency, rounding_minutes, single_active_timer, allow_self_register,
                      idle_timeout_minutes, backup_retention_days, backup_time, export_delimiter, created_at, updated_at)
SELECT id, COALESCE(timezone, 'Europe/Rome'), COALESCE(currency, 'EUR'), COALESCE(rounding_minutes, 1),
       COALESCE(single_active_timer, 1), COALESCE(allow_self_register, 1), COALESCE(idle_timeout_minutes, 30),
       COALESCE(backup_retention_days, 30), COALESCE(backup_time, '02:00'), COALESCE(export_delimiter, ','),
       COALESCE(created_at, updated_at, CURRENT_TIMESTAMP), COALESCE(updated_at, created_at, CURRENT_TIMESTAMP)
FROM legacy_settings;
-- TimeTracker needs one settings row.
INSERT INTO settings (created_at, updated_at) SELECT CURRENT_TIMESTAMP, CURRENT_TIMESTAMP WHERE NOT EXISTS (SELECT 1 FROM settings);

CREATE TABLE invoices (
	id INTEGER NOT NULL PRIMARY KEY,
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
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	CONSTRAINT invoices_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id),
	CONSTRAINT invoices_client_id_fkey FOREIGN KEY (client_id) REFERENCES clients (id),
	CONSTRAINT invoices_created_by_fkey FOREIGN KEY (created_by) REFERENCES users (id)
);

CREATE TABLE invoice_items (
	id INTEGER NOT NULL PRIMARY KEY,
	invoice_id INTEGER NOT NULL,
	description VARCHAR(500) NOT NULL,
	quantity NUMERIC(10, 2) NOT NULL DEFAULT 1,
	unit_price NUMERIC(10, 2) NOT NULL,
	total_amount NUMERIC(10, 2) NOT NULL,
	time_entry_ids VARCHAR(500),
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	CONSTRAINT invoice_items_invoice_id_fkey FOREIGN KEY (invoice_id) REFERENCES invoices (id)
);

CREATE TABLE task_activities (
	id INTEGER NOT NULL PRIMARY KEY,
	task_id INTEGER NOT NULL,
	user_id INTEGER,
	event VARCHAR(50) NOT NULL,
	details TEXT,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	CONSTRAINT task_activities_task_id_fkey FOREIGN KEY (task_id) REFERENCES tasks (id) ON DELETE CASCADE,
	CONSTRAINT task_activities_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL
);

-- The legacy tables go, and their index names with them.
DROP TABLE legacy_time_entries;
DROP TABLE legacy_projects;
DROP TABLE legacy_settings;
DROP TABLE legacy_users;
DROP TABLE legacy_tasks;

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

-- Step 010: every user keeps only the newest running timer, then the
-- partial unique index holds it.
UPDATE time_entries SET end_time = start_time, duration_seconds = 0
WHERE end_time IS NULL AND EXISTS (
	SELECT 1 FROM time_entries newer
	WHERE newer.user_id = time_entries.user_id AND newer.end_time IS NULL
	AND (newer.start_time > time_entries.start_time
		OR (newer.start_time = time_entries.start_time AND newer.id > time_entries.id)));
CREATE UNIQUE INDEX ux_time_entries_one_active_per_user ON time_entries (user_id) WHERE end_time IS NULL;

-- Foreign keys are not enforced while rows are copied; check them all once.
-- A dangling reference makes this INSERT fail the CHECK, and .bail ends the
-- script before COMMIT, so nothing is changed.
CREATE TEMP TABLE fk_problems (n INTEGER CHECK (n = 0));
INSERT INTO fk_problems SELECT count(*) FROM pragma_foreign_key_check;

-- Record the steps as timetracker does, so `timetracker db verify` accepts
-- the result.
CREATE TABLE timetracker_migrations (
	id VARCHAR(255) NOT NULL
);
CREATE UNIQUE INDEX ux_timetracker_migrations_id ON timetracker_migrations (id);
CREATE TABLE timetracker_migration_history (
	id INTEGER NOT NULL PRIMARY KEY,
	migration_id VARCHAR(255) NOT NULL,
	kind VARCHAR(20) NOT NULL,
	started_at DATETIME NOT NULL,
	duration_ms BIGINT NOT NULL DEFAULT 0,
	success BOOLEAN NOT NULL,
	program_version VARCHAR(64) NOT NULL,
	error TEXT
);
CREATE INDEX ix_timetracker_migration_history_migration_id ON timetracker_migration_history (migration_id);
CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL,
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
-- run.sh puts one row per step of migrations/testdata/step_ids.golden here.
INSERT INTO timetracker_migrations (id) VALUES @STEP_IDS@;
INSERT INTO timetracker_migration_history (migration_id, kind, started_at, duration_ms, success, program_version)
SELECT id, CASE WHEN id = '202509030000_baseline' THEN 'baselined' ELSE 'applied' END, CURRENT_TIMESTAMP, 0, 1, 'plain-sql'
FROM timetracker_migrations ORDER BY id;
INSERT INTO alembic_version (version_num) VALUES ('012');

COMMIT;
