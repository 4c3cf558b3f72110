-- The conversion `timetracker bootstrap` performs on the Alembic 001
-- database of gen.sqlite.sql (shape S6-pure-001), written by hand for that
-- one shape: the legacy tables are renamed away, the head tables are
-- created under their own names and filled with INSERT ... SELECT, the old
-- tables dropped, the indexes built, foreign keys checked once, and the
-- steps recorded, all in one transaction. The rules of docs/conversion.md
-- that this data needs: keep-legacy-columns (users.updated_at,
-- time_entries.duration, settings.logo_path, invoices.total,
-- invoice_items.total/time_entry_id, at the end of their tables),
-- keep-wider-types (time_entries.source VARCHAR(50),
-- company_logo_filename VARCHAR(500)), sqlite-booleans, entry-duration,
-- entry-orphan-task, defaults-fill, timestamps-fill, project-client and
-- default-client, create-clients, task-status-todo, task-orphan-assignee,
-- logo-basename, invoice-total, invoice-client-name, invoice-creator,
-- item-time-entry-ids, single-active-timer. The backup (VACUUM INTO) is
-- run.sh's job.
-- Usage: sqlite3 legacy.db < plain.sqlite.sql
.bail on
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;

ALTER TABLE users RENAME TO legacy_users;
ALTER TABLE projects RENAME TO legacy_projects;
ALTER TABLE time_entries RENAME TO legacy_time_entries;
ALTER TABLE settings RENAME TO legacy_settings;
ALTER TABLE clients RENAME TO legacy_clients;
ALTER TABLE tasks RENAME TO legacy_tasks;
ALTER TABLE invoices RENAME TO legacy_invoices;
ALTER TABLE invoice_items RENAME TO legacy_invoice_items;

CREATE TABLE users (
	id INTEGER NOT NULL PRIMARY KEY,
	username VARCHAR(80) NOT NULL,
	role VARCHAR(20) NOT NULL DEFAULT 'user',
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	last_login DATETIME,
	is_active BOOLEAN NOT NULL DEFAULT 1,
	updated_at DATETIME DEFAULT CURRENT_TIMESTAMP,
	full_name VARCHAR(200),
	theme_preference VARCHAR(10),
	preferred_language VARCHAR(8)
);
-- Alembic 001's boolean server default stored the TEXT 'true': 1/0.
INSERT INTO users (id, username, role, created_at, last_login, is_active, updated_at)
SELECT id, username, COALESCE(role, 'user'), COALESCE(created_at, updated_at, CURRENT_TIMESTAMP), last_login,
       COALESCE(CASE is_active WHEN 'true' THEN 1 WHEN 'false' THEN 0 ELSE is_active END, 1),
       COALESCE(updated_at, created_at, CURRENT_TIMESTAMP)
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
INSERT INTO clients (id, name, description, contact_person, email, phone, address, default_hourly_rate, status,
                     created_at, updated_at)
SELECT id, name, description, contact_person, email, phone, address, default_hourly_rate, COALESCE(status, 'active'),
       COALESCE(created_at, updated_at, CURRENT_TIMESTAMP), COALESCE(updated_at, created_at, CURRENT_TIMESTAMP)
FROM legacy_clients;
-- A project without an existing client goes by 'Default Client', created
-- (after the highest id) when no legacy client has that name.
INSERT INTO clients (name, status, created_at, updated_at)
SELECT 'Default Client', 'active', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
WHERE EXISTS (SELECT 1 FROM legacy_projects p WHERE NOT EXISTS (SELECT 1 FROM clients c WHERE c.id = p.client_id))
  AND NOT EXISTS (SELECT 1 FROM clients WHERE name = 'Default Client');
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
	CONSTRAINT projects_client_id_fkey FOREIGN KEY (client_id) REFERENCES clients (id)
);
INSERT INTO projects (id, name, client_id, description, billable, hourly_rate, billing_ref, status, created_at, updated_at)
SELECT p.id, p.name, COALESCE(c.id, (SELECT id FROM clients WHERE name = 'Default Client')), p.description,
       COALESCE(CASE p.billable WHEN 'true' THEN 1 WHEN 'false' THEN 0 ELSE p.billable END, 1),
       p.hourly_rate, p.billing_ref, COALESCE(p.status, 'active'),
       COALESCE(p.created_at, p.updated_at, CURRENT_TIMESTAMP), COALESCE(p.updated_at, p.created_at, CURRENT_TIMESTAMP)
FROM legacy_projects p
LEFT JOIN clients c ON c.id = p.client_id
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
                   created_by, created_at, updated_at)
SELECT t.id, t.project_id, t.name, t.description,
       CASE WHEN t.status IS NULL OR t.status = 'pending' THEN 'todo' ELSE t.status END,
       COALESCE(t.priority, 'medium'), t.estimated_hours, t.due_date, u.id, t.created_by,
       COALESCE(t.created_at, t.updated_at, CURRENT_TIMESTAMP), COALESCE(t.updated_at, t.created_at, CURRENT_TIMESTAMP)
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
	source VARCHAR(50) NOT NULL DEFAULT 'manual',
	billable BOOLEAN NOT NULL DEFAULT 1,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	duration DATETIME,
	CONSTRAINT time_entries_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id),
	CONSTRAINT time_entries_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id),
	CONSTRAINT time_entries_task_id_fkey FOREIGN KEY (task_id) REFERENCES tasks (id)
);
-- duration_seconds: the whole seconds of duration, a DATETIME counted from
-- 1970-01-01; a task_id naming no task becomes NULL.
INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration_seconds, notes, tags,
                          source, billable, created_at, updated_at, duration)
SELECT e.id, e.user_id, e.project_id, t.id, e.start_time, e.end_time, CAST(strftime('%s', e.duration) AS INTEGER),
       e.notes, e.tags, COALESCE(e.source, 'manual'),
       COALESCE(CASE e.billable WHEN 'true' THEN 1 WHEN 'false' THEN 0 ELSE e.billable END, 1),
       COALESCE(e.created_at, e.updated_at, e.start_time, CURRENT_TIMESTAMP),
       COALESCE(e.updated_at, e.created_at, e.start_time, CURRENT_TIMESTAMP), e.duration
FROM legacy_time_entries e
LEFT JOIN tasks t ON t.id = e.task_id
ORDER BY e.id;

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
	company_logo_filename VARCHAR(500) DEFAULT '',
	company_tax_id VARCHAR(100) DEFAULT '',
	company_bank_info TEXT DEFAULT '',
	invoice_prefix VARCHAR(10) NOT NULL DEFAULT 'INV',
	invoice_start_number INTEGER NOT NULL DEFAULT 1000,
	invoice_terms TEXT NOT NULL DEFAULT 'Payment is due within 30 days of invoice date.',
	invoice_notes TEXT NOT NULL DEFAULT 'Thank you for your business!',
	allow_analytics BOOLEAN NOT NULL DEFAULT 1,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	logo_path VARCHAR(500),
	-- added by a later step, so after the baseline's columns
	invoice_pdf_template_html TEXT,
	invoice_pdf_template_css TEXT
);
-- company_logo_filename: the text after the last / or \ of logo_path
-- (rtrim strips every character but '/' from the right).
INSERT INTO settings (id, timezone, currency, rounding_minutes, single_active_timer, allow_self_register,
                      idle_timeout_minutes, company_name, company_address, company_email, company_phone,
                      company_website, company_logo_filename, allow_analytics, created_at, updated_at, logo_path)
SELECT id, COALESCE(timezone, 'Europe/Rome'), COALESCE(currency, 'EUR'), COALESCE(rounding_minutes, 1),
       COALESCE(CASE single_active_timer WHEN 'true' THEN 1 WHEN 'false' THEN 0 ELSE single_active_timer END, 1),
       COALESCE(CASE allow_self_register WHEN 'true' THEN 1 WHEN 'false' THEN 0 ELSE allow_self_register END, 1),
       COALESCE(idle_timeout_minutes, 30),
       COALESCE(company_name, 'Your Company Name'), COALESCE(company_address, 'Your Company Address'),
       COALESCE(company_email, 'info@yourcompany.com'), COALESCE(company_phone, '+1 (555) 123-4567'),
       COALESCE(company_website, 'www.yourcompany.com'),
       CASE WHEN COALESCE(logo_path, '') <> '' THEN
         substr(logo_path, length(rtrim(replace(logo_path, '\', '/'), replace(replace(logo_path, '\', '/'), '/', ''))) + 1)
       ELSE '' END,
       COALESCE(CASE allow_analytics WHEN 'true' THEN 1 WHEN 'false' THEN 0 ELSE allow_analytics END, 1),
       COALESCE(created_at, updated_at, CURRENT_TIMESTAMP), COALESCE(updated_at, created_at, CURRENT_TIMESTAMP), logo_path
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
	total NUMERIC(10, 2) DEFAULT 0,
	CONSTRAINT invoices_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id),
	CONSTRAINT invoices_client_id_fkey FOREIGN KEY (client_id) REFERENCES clients (id),
	CONSTRAINT invoices_created_by_fkey FOREIGN KEY (created_by) REFERENCES users (id)
);
-- An invoice keeps its client when it exists, else its project's client,
-- takes the client's name, and its creator is the oldest active admin;
-- total_amount is total. (gen.sqlite.sql writes no invoices.)
INSERT INTO invoices (id, invoice_number, project_id, client_name, client_id, issue_date, due_date, status, subtotal,
                      tax_rate, tax_amount, total_amount, notes, terms, created_by, created_at, updated_at, total)
SELECT i.id, i.invoice_number, i.project_id, c.name, c.id, i.issue_date, i.due_date, COALESCE(i.status, 'draft'),
       COALESCE(i.subtotal, 0), COALESCE(i.tax_rate, 0), COALESCE(i.tax_amount, 0), COALESCE(i.total, 0), i.notes, i.terms,
       (SELECT id FROM users WHERE role = 'admin' AND is_active = 1 ORDER BY created_at, id LIMIT 1),
       COALESCE(i.created_at, i.updated_at, CURRENT_TIMESTAMP), COALESCE(i.updated_at, i.created_at, CURRENT_TIMESTAMP), i.total
FROM legacy_invoices i
JOIN clients c ON c.id = COALESCE((SELECT id FROM clients WHERE id = i.client_id),
                                  (SELECT client_id FROM projects WHERE id = i.project_id))
ORDER BY i.id;

CREATE TABLE invoice_items (
	id INTEGER NOT NULL PRIMARY KEY,
	invoice_id INTEGER NOT NULL,
	description VARCHAR(500) NOT NULL,
	quantity NUMERIC(10, 2) NOT NULL DEFAULT 1,
	unit_price NUMERIC(10, 2) NOT NULL,
	total_amount NUMERIC(10, 2) NOT NULL,
	time_entry_ids VARCHAR(500),
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	total NUMERIC(10, 2) DEFAULT 0,
	time_entry_id INTEGER,
	CONSTRAINT invoice_items_invoice_id_fkey FOREIGN KEY (invoice_id) REFERENCES invoices (id)
);
INSERT INTO invoice_items (id, invoice_id, description, quantity, unit_price, total_amount, time_entry_ids, created_at,
                           total, time_entry_id)
SELECT id, invoice_id, description, COALESCE(quantity, 1), unit_price, COALESCE(total, 0), CAST(time_entry_id AS TEXT),
       COALESCE(created_at, CURRENT_TIMESTAMP), total, time_entry_id
FROM legacy_invoice_items
ORDER BY id;

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
DROP TABLE legacy_clients;
DROP TABLE legacy_tasks;
DROP TABLE legacy_invoices;
DROP TABLE legacy_invoice_items;

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
-- run.sh puts one row per step of migrations/testdata/step_ids.golden here.
INSERT INTO timetracker_migrations (id) VALUES @STEP_IDS@;
INSERT INTO timetracker_migration_history (migration_id, kind, started_at, duration_ms, success, program_version)
SELECT id, CASE WHEN id = '202509030000_baseline' THEN 'baselined' ELSE 'applied' END, CURRENT_TIMESTAMP, 0, 1, 'plain-sql'
FROM timetracker_migrations ORDER BY id;
-- The legacy alembic_version table stays, at the last step.
UPDATE alembic_version SET version_num = '012';

COMMIT;
