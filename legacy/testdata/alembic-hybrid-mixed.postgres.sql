-- legacy/testdata/alembic-hybrid-mixed.postgres.sql: S6-hybrid; alembic_version '012'
-- Alembic 001 that held rows before the enhanced init succeeded (its invoice batches rolled back), then 002-012: rows in both the legacy and the new columns, 007-style client_name ''.
-- Schema as TimeTracker left it (reference §4.3/§5.1), then realistic rows with explicit ids.
-- Generated for the legacy-conversion tests; rows marked with a comment are the awkward ones.

-- migrations/versions/001_initial_schema.py; the first starts' enhanced init failed, so the app wrote rows
-- into the pure 001 tables (duration, total, time_entry_id)
CREATE TABLE clients (
	id SERIAL NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	description TEXT, 
	contact_person VARCHAR(200), 
	email VARCHAR(200), 
	phone VARCHAR(50), 
	address TEXT, 
	default_hourly_rate NUMERIC(9, 2), 
	status VARCHAR(20) DEFAULT 'active' NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
	updated_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
	PRIMARY KEY (id)
);
CREATE UNIQUE INDEX idx_clients_name ON clients (name);
CREATE TABLE users (
	id SERIAL NOT NULL, 
	username VARCHAR(80) NOT NULL, 
	role VARCHAR(20) DEFAULT 'user' NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
	last_login TIMESTAMP WITHOUT TIME ZONE, 
	is_active BOOLEAN DEFAULT 'true' NOT NULL, 
	updated_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
	PRIMARY KEY (id)
);
CREATE UNIQUE INDEX idx_users_username ON users (username);
CREATE INDEX idx_users_role ON users (role);
CREATE TABLE projects (
	id SERIAL NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	client_id INTEGER, 
	description TEXT, 
	billable BOOLEAN DEFAULT 'true' NOT NULL, 
	hourly_rate NUMERIC(9, 2), 
	billing_ref VARCHAR(100), 
	status VARCHAR(20) DEFAULT 'active' NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP, 
	updated_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP, 
	PRIMARY KEY (id), 
	FOREIGN KEY(client_id) REFERENCES clients (id) ON DELETE CASCADE
);
CREATE INDEX idx_projects_client_id ON projects (client_id);
CREATE INDEX idx_projects_status ON projects (status);
CREATE TABLE tasks (
	id SERIAL NOT NULL, 
	project_id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	description TEXT, 
	status VARCHAR(20) DEFAULT 'pending' NOT NULL, 
	priority VARCHAR(20) DEFAULT 'medium' NOT NULL, 
	assigned_to INTEGER, 
	created_by INTEGER NOT NULL, 
	due_date DATE, 
	estimated_hours NUMERIC(5, 2), 
	created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
	updated_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(assigned_to) REFERENCES users (id) ON DELETE SET NULL, 
	FOREIGN KEY(created_by) REFERENCES users (id) ON DELETE CASCADE, 
	FOREIGN KEY(project_id) REFERENCES projects (id) ON DELETE CASCADE
);
CREATE INDEX idx_tasks_project_id ON tasks (project_id);
CREATE INDEX idx_tasks_status ON tasks (status);
CREATE INDEX idx_tasks_priority ON tasks (priority);
CREATE TABLE time_entries (
	id SERIAL NOT NULL, 
	user_id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	task_id INTEGER, 
	start_time TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	end_time TIMESTAMP WITHOUT TIME ZONE, 
	duration INTERVAL, 
	notes TEXT, 
	tags VARCHAR(500), 
	billable BOOLEAN DEFAULT 'true' NOT NULL, 
	source VARCHAR(50), 
	created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
	updated_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(project_id) REFERENCES projects (id) ON DELETE CASCADE, 
	FOREIGN KEY(task_id) REFERENCES tasks (id) ON DELETE SET NULL, 
	FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE INDEX idx_time_entries_user_id ON time_entries (user_id);
CREATE INDEX idx_time_entries_project_id ON time_entries (project_id);
CREATE INDEX idx_time_entries_start_time ON time_entries (start_time);
CREATE TABLE settings (
	id SERIAL NOT NULL, 
	company_name VARCHAR(200), 
	company_address TEXT, 
	company_phone VARCHAR(50), 
	company_email VARCHAR(200), 
	company_website VARCHAR(200), 
	currency VARCHAR(3) DEFAULT 'EUR' NOT NULL, 
	timezone VARCHAR(50) DEFAULT 'Europe/Rome' NOT NULL, 
	rounding_minutes INTEGER DEFAULT '1' NOT NULL, 
	single_active_timer BOOLEAN DEFAULT 'true' NOT NULL, 
	idle_timeout_minutes INTEGER DEFAULT '30' NOT NULL, 
	allow_self_register BOOLEAN DEFAULT 'true' NOT NULL, 
	allow_analytics BOOLEAN DEFAULT 'true' NOT NULL, 
	logo_path VARCHAR(500), 
	created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
	updated_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE invoices (
	id SERIAL NOT NULL, 
	invoice_number VARCHAR(50) NOT NULL, 
	client_id INTEGER NOT NULL, 
	project_id INTEGER, 
	issue_date DATE NOT NULL, 
	due_date DATE NOT NULL, 
	status VARCHAR(20) DEFAULT 'draft' NOT NULL, 
	subtotal NUMERIC(10, 2) DEFAULT '0' NOT NULL, 
	tax_rate NUMERIC(5, 2) DEFAULT '0' NOT NULL, 
	tax_amount NUMERIC(10, 2) DEFAULT '0' NOT NULL, 
	total NUMERIC(10, 2) DEFAULT '0' NOT NULL, 
	notes TEXT, 
	terms TEXT, 
	created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
	updated_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(client_id) REFERENCES clients (id) ON DELETE CASCADE, 
	FOREIGN KEY(project_id) REFERENCES projects (id) ON DELETE SET NULL
);
CREATE INDEX idx_invoices_client_id ON invoices (client_id);
CREATE INDEX idx_invoices_status ON invoices (status);
CREATE TABLE invoice_items (
	id SERIAL NOT NULL, 
	invoice_id INTEGER NOT NULL, 
	description VARCHAR(500) NOT NULL, 
	quantity NUMERIC(10, 2) DEFAULT '1' NOT NULL, 
	unit_price NUMERIC(9, 2) DEFAULT '0' NOT NULL, 
	total NUMERIC(10, 2) DEFAULT '0' NOT NULL, 
	time_entry_id INTEGER, 
	created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(invoice_id) REFERENCES invoices (id) ON DELETE CASCADE, 
	FOREIGN KEY(time_entry_id) REFERENCES time_entries (id) ON DELETE SET NULL
);
CREATE INDEX idx_invoice_items_invoice_id ON invoice_items (invoice_id);

CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- docker/init-database-enhanced.py @645329c1 on a later start. Its invoices batch (ADD COLUMN client_name
-- ... NOT NULL without default) and invoice_items batch (total_amount NOT NULL) failed on tables with rows and
-- were rolled back whole; the other tables got their additions (old rows: duration_seconds NULL)
ALTER TABLE tasks ADD COLUMN actual_hours NUMERIC(5,2);
ALTER TABLE tasks ADD COLUMN started_at TIMESTAMP;
ALTER TABLE tasks ADD COLUMN completed_at TIMESTAMP;
ALTER TABLE time_entries ADD COLUMN duration_seconds INTEGER;
ALTER TABLE settings ADD COLUMN backup_retention_days INTEGER DEFAULT 30 NOT NULL;
ALTER TABLE settings ADD COLUMN backup_time VARCHAR(5) DEFAULT '02:00' NOT NULL;
ALTER TABLE settings ADD COLUMN export_delimiter VARCHAR(1) DEFAULT ',' NOT NULL;
ALTER TABLE settings ADD COLUMN company_logo_filename VARCHAR(255) DEFAULT '' NOT NULL;
ALTER TABLE settings ADD COLUMN company_tax_id VARCHAR(100) DEFAULT '' NOT NULL;
ALTER TABLE settings ADD COLUMN company_bank_info TEXT DEFAULT '' NOT NULL;
ALTER TABLE settings ADD COLUMN invoice_prefix VARCHAR(10) DEFAULT 'INV' NOT NULL;
ALTER TABLE settings ADD COLUMN invoice_start_number INTEGER DEFAULT 1000 NOT NULL;
ALTER TABLE settings ADD COLUMN invoice_terms TEXT DEFAULT 'Payment is due within 30 days of invoice date.' NOT NULL;
ALTER TABLE settings ADD COLUMN invoice_notes TEXT DEFAULT 'Thank you for your business!' NOT NULL;

CREATE INDEX IF NOT EXISTS idx_clients_name ON clients(name);
CREATE INDEX IF NOT EXISTS idx_users_username ON users(username);
CREATE INDEX IF NOT EXISTS idx_users_role ON users(role);
CREATE INDEX IF NOT EXISTS idx_projects_client_id ON projects(client_id);
CREATE INDEX IF NOT EXISTS idx_projects_status ON projects(status);
CREATE INDEX IF NOT EXISTS idx_tasks_project_id ON tasks(project_id);
CREATE INDEX IF NOT EXISTS idx_tasks_status ON tasks(status);
CREATE INDEX IF NOT EXISTS idx_tasks_assigned_to ON tasks(assigned_to);
CREATE INDEX IF NOT EXISTS idx_tasks_due_date ON tasks(due_date);
CREATE INDEX IF NOT EXISTS idx_time_entries_user_id ON time_entries(user_id);
CREATE INDEX IF NOT EXISTS idx_time_entries_project_id ON time_entries(project_id);
CREATE INDEX IF NOT EXISTS idx_time_entries_task_id ON time_entries(task_id);
CREATE INDEX IF NOT EXISTS idx_time_entries_start_time ON time_entries(start_time);
CREATE INDEX IF NOT EXISTS idx_time_entries_billable ON time_entries(billable);
CREATE INDEX IF NOT EXISTS idx_invoices_project_id ON invoices(project_id);
CREATE INDEX IF NOT EXISTS idx_invoices_client_id ON invoices(client_id);
CREATE INDEX IF NOT EXISTS idx_invoices_status ON invoices(status);
CREATE INDEX IF NOT EXISTS idx_invoices_issue_date ON invoices(issue_date);
CREATE INDEX IF NOT EXISTS idx_invoice_items_invoice_id ON invoice_items(invoice_id);

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
CREATE TRIGGER update_tasks_updated_at BEFORE UPDATE ON tasks FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE TRIGGER update_invoices_updated_at BEFORE UPDATE ON invoices FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE TRIGGER update_clients_updated_at BEFORE UPDATE ON clients FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- later images: flask db upgrade ran 002-012
-- 002
ALTER TABLE users ADD COLUMN full_name VARCHAR(200);
-- 003
ALTER TABLE users ADD COLUMN theme_preference VARCHAR(10);
-- 004 (op.create_table emits the ix_ indexes of the inline index=True flags, then the explicit idx_ ones)
CREATE TABLE task_activities (
	id SERIAL NOT NULL, 
	task_id INTEGER NOT NULL, 
	user_id INTEGER, 
	event VARCHAR(50) NOT NULL, 
	details TEXT, 
	created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(task_id) REFERENCES tasks (id) ON DELETE CASCADE, 
	FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX ix_task_activities_task_id ON task_activities (task_id);
CREATE INDEX ix_task_activities_user_id ON task_activities (user_id);
CREATE INDEX ix_task_activities_event ON task_activities (event);
CREATE INDEX idx_task_activities_task_id ON task_activities (task_id);
CREATE INDEX idx_task_activities_user_id ON task_activities (user_id);
CREATE INDEX idx_task_activities_event ON task_activities (event);
CREATE INDEX idx_task_activities_created_at ON task_activities (created_at);
-- 005, 006: their columns existed (enhanced init)
-- 007: invoices client_name NOT NULL DEFAULT '' (every existing invoice got ''), client_email, client_address
ALTER TABLE invoices ADD COLUMN client_name VARCHAR(200) DEFAULT '' NOT NULL;
ALTER TABLE invoices ADD COLUMN client_email VARCHAR(200);
ALTER TABLE invoices ADD COLUMN client_address TEXT;
-- 008: total_amount NOT NULL DEFAULT 0 (existing rows 0: its copy from total filters on total_amount IS NULL),
-- invoice_items.time_entry_ids (time_entry_id not copied)
ALTER TABLE invoices ADD COLUMN total_amount NUMERIC(10, 2) DEFAULT '0' NOT NULL;
ALTER TABLE invoice_items ADD COLUMN total_amount NUMERIC(10, 2) DEFAULT '0' NOT NULL;
ALTER TABLE invoice_items ADD COLUMN time_entry_ids VARCHAR(500);
-- 009: created_by INTEGER NULL (existing invoices NULL) and its FK
ALTER TABLE invoices ADD COLUMN created_by INTEGER;
ALTER TABLE invoices ADD CONSTRAINT fk_invoices_created_by_users FOREIGN KEY(created_by) REFERENCES users (id) ON DELETE SET NULL;
-- 010: its UPDATE closed all but the latest running timer per user (end_time = start_time,
-- duration left NULL; the trigger stamped updated_at), then:
CREATE UNIQUE INDEX IF NOT EXISTS ux_time_entries_one_active_per_user ON time_entries(user_id) WHERE end_time IS NULL;
-- 011
ALTER TABLE users ADD COLUMN preferred_language VARCHAR(8);
-- 012
ALTER TABLE settings ADD COLUMN invoice_pdf_template_html TEXT;
ALTER TABLE settings ADD COLUMN invoice_pdf_template_css TEXT;

-- ---------------------------------------------------------------- data

-- admin seeded by the install (role 'admin')
INSERT INTO users (id, username, role, created_at, last_login, is_active, updated_at) VALUES (1, 'admin', 'admin', '2025-09-01 07:58:12', '2025-09-12 08:12:44.310551', TRUE, '2025-09-12 08:12:44.310551');
-- non-ASCII username
INSERT INTO users (id, username, role, created_at, last_login, is_active, updated_at, full_name, theme_preference, preferred_language) VALUES (2, 'jürgen', 'user', '2025-09-01 09:14:03.518204', '2025-09-11 17:40:00', TRUE, '2025-09-11 17:40:00', 'Jürgen Groß', 'dark', 'de');
INSERT INTO users (id, username, role, created_at, last_login, is_active, updated_at, full_name) VALUES (3, 'marie-claire', 'user', '2025-09-02 10:00:00', NULL, TRUE, '2025-09-02 10:00:00', '');
-- quote in username
INSERT INTO users (id, username, role, created_at, last_login, is_active, updated_at, full_name, theme_preference) VALUES (4, 'o''neil', 'user', '2025-09-02 10:05:00', '2025-09-05 06:59:59', TRUE, '2025-09-05 06:59:59', 'Seán O''Neil', 'light');
-- inactive non-ASCII user who still owns an entry
INSERT INTO users (id, username, role, created_at, last_login, is_active, updated_at, preferred_language) VALUES (5, '李雷', 'user', '2025-09-02 11:30:00', NULL, FALSE, '2025-09-06 12:00:00', 'zh');
-- second admin, created later (oldest active admin is id 1)
INSERT INTO users (id, username, role, created_at, last_login, is_active, updated_at) VALUES (6, 'backup-admin', 'admin', '2025-09-04 08:00:00', NULL, TRUE, '2025-09-04 08:00:00');

-- seeded 'Default Client'
INSERT INTO clients (id, name, status, created_at, updated_at) VALUES (1, 'Default Client', 'active', '2025-09-01 07:58:12', '2025-09-01 07:58:12');
INSERT INTO clients (id, name, description, contact_person, email, phone, address, default_hourly_rate, status, created_at, updated_at) VALUES (2, 'Acme', 'Key account', 'Wile E. Coyote', 'billing@acme.example', '+1 555 0100', '1 Desert Road
Arizona', 95.00, 'active', '2025-09-02 08:59:00', '2025-09-02 08:59:00');
-- same name, other case (unique is case-sensitive)
INSERT INTO clients (id, name, status, created_at, updated_at) VALUES (3, 'acme', 'active', '2025-09-02 09:09:00', '2025-09-02 09:09:00');
-- non-ASCII client
INSERT INTO clients (id, name, contact_person, email, default_hourly_rate, status, created_at, updated_at) VALUES (4, 'Zürich GmbH', 'Grüße AG', NULL, 9999999.99, 'active', '2025-09-03 07:59:00', '2025-09-03 07:59:00');
INSERT INTO clients (id, name, default_hourly_rate, status, created_at, updated_at) VALUES (5, 'Globex', 0.00, 'inactive', '2025-09-03 08:29:00', '2025-09-08 08:29:00');

-- seeded 'General' project
INSERT INTO projects (id, name, client_id, description, billable, hourly_rate, billing_ref, status, created_at, updated_at) VALUES (1, 'General', 1, 'Default project for general tasks', TRUE, NULL, NULL, 'active', '2025-09-01 07:58:12', '2025-09-01 07:58:12');
-- client with surrounding spaces
INSERT INTO projects (id, name, client_id, description, billable, hourly_rate, billing_ref, status, created_at, updated_at) VALUES (2, 'Website Relaunch', 2, 'Phase 1 + 2', TRUE, 85.00, 'PO-2025-001', 'active', '2025-09-02 09:00:00.000001', '2025-09-02 09:00:00.000001');
-- same client trimmed
INSERT INTO projects (id, name, client_id, description, billable, hourly_rate, billing_ref, status, created_at, updated_at) VALUES (3, 'Mobile App', 2, NULL, TRUE, 120.50, NULL, 'active', '2025-09-02 09:05:00', '2025-09-07 16:20:00');
-- same client, other case
INSERT INTO projects (id, name, client_id, description, billable, hourly_rate, billing_ref, status, created_at, updated_at) VALUES (4, 'Support Retainer', 3, 'Monthly
retainer', TRUE, 0.00, '', 'active', '2025-09-02 09:10:00', '2025-09-02 09:10:00');
-- empty client; created_at/updated_at NULL (001 allows it)
INSERT INTO projects (id, name, client_id, description, billable, hourly_rate, billing_ref, status, created_at, updated_at) VALUES (5, 'Internal Tools', NULL, 'No client yet', FALSE, NULL, NULL, 'active', NULL, NULL);
-- non-ASCII project and client
INSERT INTO projects (id, name, client_id, description, billable, hourly_rate, billing_ref, status, created_at, updated_at) VALUES (6, 'Brücke Sanierung – Phase «2»', 4, NULL, TRUE, 9999999.99, 'ZH/2025/07', 'active', '2025-09-03 08:00:00', '2025-09-03 08:00:00');
-- archived, not billable
INSERT INTO projects (id, name, client_id, description, billable, hourly_rate, billing_ref, status, created_at, updated_at) VALUES (7, 'Archived Thing', 5, NULL, FALSE, 0.01, NULL, 'archived', '2025-09-03 08:30:00', '2025-09-09 18:00:00');

-- status 'pending' (SQL-script DB default)
INSERT INTO tasks (id, project_id, name, description, status, priority, assigned_to, created_by, due_date, estimated_hours, created_at, updated_at, actual_hours, started_at, completed_at) VALUES (1, 2, 'Design mockups', 'Figma → HTML', 'pending', 'high', 2, 1, '2025-09-23', 12.50, '2025-09-03 09:00:00', '2025-09-03 09:00:00', 3.25, NULL, NULL);
INSERT INTO tasks (id, project_id, name, description, status, priority, assigned_to, created_by, due_date, estimated_hours, created_at, updated_at, actual_hours, started_at, completed_at) VALUES (2, 3, 'API integration', NULL, 'in_progress', 'medium', NULL, 1, NULL, 40.00, '2025-09-03 09:10:00', '2025-09-04 08:30:00', 0.00, '2025-09-04 08:30:00', NULL);
-- non-ASCII name with quotes, actual_hours at NUMERIC(5,2) max
INSERT INTO tasks (id, project_id, name, description, status, priority, assigned_to, created_by, due_date, estimated_hours, created_at, updated_at, actual_hours, started_at, completed_at) VALUES (3, 6, 'Statik prüfen – Brücke "Nord"', 'Line 1
Line 2', 'done', 'urgent', 3, 6, '2025-09-05', NULL, '2025-09-03 12:00:00', '2025-09-05 15:00:00', 999.99, '2025-09-03 13:00:00', '2025-09-05 15:00:00');
INSERT INTO tasks (id, project_id, name, description, status, priority, assigned_to, created_by, due_date, estimated_hours, created_at, updated_at, actual_hours, started_at, completed_at) VALUES (4, 4, 'Support ticket triage', '', 'review', 'low', 4, 1, '2025-09-04', 0.25, '2025-09-04 10:00:00', '2025-09-04 10:00:00', NULL, NULL, NULL);
INSERT INTO tasks (id, project_id, name, description, status, priority, assigned_to, created_by, due_date, estimated_hours, created_at, updated_at, actual_hours, started_at, completed_at) VALUES (5, 2, 'Cancelled idea', NULL, 'cancelled', 'medium', NULL, 2, NULL, NULL, '2025-09-04 11:00:00', '2025-09-06 11:00:00', NULL, NULL, NULL);
-- inserted without status: DB default 'pending'
INSERT INTO tasks (id, project_id, name, description, assigned_to, created_by, due_date, estimated_hours, created_at, updated_at, actual_hours, started_at, completed_at) VALUES (6, 1, 'Inbox', NULL, NULL, 1, NULL, NULL, '2025-09-05 08:00:00', '2025-09-05 08:00:00', NULL, NULL, NULL);

-- finished; quotes in notes; written while the database was pure 001: duration set, duration_seconds NULL
INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration, notes, tags, billable, source, created_at, updated_at, duration_seconds) VALUES (1, 1, 2, 1, '2025-09-03 09:00:00', '2025-09-03 10:30:00', '01:30:00', 'Kickoff with "Acme" team; agreed on scope', 'meeting,client', TRUE, 'manual', '2025-09-03 10:30:05.120044', '2025-09-03 10:30:05.120044', NULL);
-- finished timer; multi-line non-ASCII notes; written while the database was pure 001: duration set, duration_seconds NULL
INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration, notes, tags, billable, source, created_at, updated_at, duration_seconds) VALUES (2, 2, 6, 3, '2025-09-03 13:05:00', '2025-09-03 14:07:05', '01:02:05', 'Line one
Line two — naïve café', 'dev,backend', TRUE, 'auto', '2025-09-03 13:05:00', '2025-09-03 14:07:05', NULL);
-- timer #1 of user 2, closed by Alembic 010: end_time = start_time, duration NULL, updated_at set by the trigger
INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration, notes, tags, billable, source, created_at, updated_at, duration_seconds) VALUES (3, 2, 3, 2, '2025-09-04 08:30:00', '2025-09-04 08:30:00', NULL, NULL, NULL, TRUE, 'auto', '2025-09-04 08:30:00', '2025-09-10 06:00:00.481516', NULL);
-- running timer #2 of user 2 (single_active_timer was off); emoji
INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration, notes, tags, billable, source, created_at, updated_at, duration_seconds) VALUES (4, 2, 4, NULL, '2025-09-04 09:45:00', NULL, NULL, 'It''s a 🚀 launch', 'ops', TRUE, 'auto', '2025-09-04 09:45:00', '2025-09-04 09:45:00', NULL);
-- zero duration, backslashes and a tab, empty tags, not billable; written while the database was pure 001: duration set, duration_seconds NULL
INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration, notes, tags, billable, source, created_at, updated_at, duration_seconds) VALUES (5, 3, 5, NULL, '2025-09-04 11:00:00', '2025-09-04 11:00:00', '00:00:00', 'Path C:\temp\report.csv	and a tab', '', FALSE, 'manual', '2025-09-04 11:00:00', '2025-09-04 11:00:00', NULL);
-- crosses midnight; empty notes; messy tags; written while the database was pure 001: duration set, duration_seconds NULL
INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration, notes, tags, billable, source, created_at, updated_at, duration_seconds) VALUES (6, 4, 7, NULL, '2025-09-04 23:30:00', '2025-09-05 00:45:00', '01:15:00', '', 'night, overtime ,', FALSE, 'manual', '2025-09-05 00:45:10', '2025-09-05 00:45:10', NULL);
-- running timer of user 1
INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration, notes, tags, billable, source, created_at, updated_at, duration_seconds) VALUES (7, 1, 1, NULL, '2025-09-05 07:15:00', NULL, NULL, 'Timer started from 📱', NULL, TRUE, 'auto', '2025-09-05 07:15:00', '2025-09-05 07:15:00', NULL);
-- CRLF in notes
INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration, notes, tags, billable, source, created_at, updated_at, duration_seconds) VALUES (8, 3, 2, 1, '2025-09-05 10:00:00', '2025-09-05 12:00:00', NULL, 'Review' || chr(13) || '
windows line endings', 'review', TRUE, 'manual', '2025-09-05 12:00:00', '2025-09-05 12:00:00', 7200);
-- 59 seconds (rounding); non-ASCII notes
INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration, notes, tags, billable, source, created_at, updated_at, duration_seconds) VALUES (9, 6, 6, NULL, '2025-09-05 14:00:00', '2025-09-05 14:00:59', NULL, 'Zürich call – Grüße', NULL, TRUE, 'manual', '2025-09-05 14:01:00', '2025-09-05 14:01:00', 59);
-- entry of the inactive user; written while the database was pure 001: duration set, duration_seconds NULL; source NULL (001: VARCHAR(50) NULL, no default)
INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration, notes, tags, billable, source, created_at, updated_at, duration_seconds) VALUES (10, 5, 3, NULL, '2025-09-03 16:00:00', '2025-09-03 17:00:00', '01:00:00', NULL, NULL, TRUE, NULL, '2025-09-03 17:00:00', '2025-09-03 17:00:00', NULL);

-- the settings row; logo_path set while pure 001, company_logo_filename '' from the enhanced init's default
INSERT INTO settings (id, company_name, company_address, company_phone, company_email, company_website, currency, timezone, rounding_minutes, single_active_timer, idle_timeout_minutes, allow_self_register, allow_analytics, logo_path, created_at, updated_at, backup_retention_days, backup_time, export_delimiter, company_logo_filename, company_tax_id, company_bank_info, invoice_prefix, invoice_start_number, invoice_terms, invoice_notes, invoice_pdf_template_html, invoice_pdf_template_css) VALUES (1, 'Ünicorn Consulting & Co. "UC"', 'Via Roma 1
00100 Roma', '+39 06 1234567', 'info@unicorn.example', 'https://unicorn.example', 'EUR', 'Europe/Rome', 5, FALSE, 30, TRUE, FALSE, 'uploads/logos/acme_logo.png', '2025-09-01 07:58:12', '2025-09-07 12:00:00.999999', 14, '03:30', ';', '', 'IT01234567890', 'IBAN IT60 X054 2811 1010 0000 0123 456
BIC: BPMOIT22', 'UC', 2025, 'Net 14 days.', 'Grazie! 🙏', NULL, '');

-- client_name matches a client; written while pure 001: total set, then 007 gave client_name '', 008 total_amount 0, 009 created_by NULL
INSERT INTO invoices (id, invoice_number, client_id, project_id, issue_date, due_date, status, subtotal, tax_rate, tax_amount, total, notes, terms, created_at, updated_at, client_name, client_email, client_address, total_amount, created_by) VALUES (1, 'INV-20250907-001', 2, 2, '2025-09-07', '2025-10-07', 'sent', 1000.00, 22.00, 220.00, 1220.00, NULL, 'Net 30', '2025-09-07 09:00:00', '2025-09-07 09:30:00', '', NULL, NULL, 0.00, NULL);
-- non-ASCII client; NUMERIC(10,2) maximum; written while pure 001: total set, then 007 gave client_name '', 008 total_amount 0, 009 created_by NULL
INSERT INTO invoices (id, invoice_number, client_id, project_id, issue_date, due_date, status, subtotal, tax_rate, tax_amount, total, notes, terms, created_at, updated_at, client_name, client_email, client_address, total_amount, created_by) VALUES (2, 'INV-20250907-002', 4, 6, '2025-09-07', '2025-09-07', 'paid', 99999999.90, 0.00, 0.09, 99999999.99, 'Max value', NULL, '2025-09-07 10:00:00', '2025-09-08 10:00:00', '', NULL, NULL, 0.00, NULL);
-- client_name matches no client
INSERT INTO invoices (id, invoice_number, client_id, project_id, issue_date, due_date, status, subtotal, tax_rate, tax_amount, total, notes, terms, created_at, updated_at, client_name, client_email, client_address, total_amount, created_by) VALUES (3, 'INV-20250908-001', 5, 7, '2025-09-08', '2025-10-08', 'draft', 0.00, 0.00, 0.00, 0.00, '', '', '2025-09-08 08:00:00', '2025-09-08 08:00:00', ' Unknown Client Ltd ', '', '', 0.00, 1);
-- one cent; client_name in other case
INSERT INTO invoices (id, invoice_number, client_id, project_id, issue_date, due_date, status, subtotal, tax_rate, tax_amount, total, notes, terms, created_at, updated_at, client_name, client_email, client_address, total_amount, created_by) VALUES (4, 'INV-20250909-001', 3, 3, '2025-09-09', '2025-09-10', 'overdue', 0.01, 0.00, 0.00, 0.00, 'Cent test', NULL, '2025-09-09 08:00:00', '2025-09-09 08:00:00', 'acme', NULL, NULL, 0.01, 2);
-- project without client: invoice for the 'Default Client'
INSERT INTO invoices (id, invoice_number, client_id, project_id, issue_date, due_date, status, subtotal, tax_rate, tax_amount, total, notes, terms, created_at, updated_at, client_name, client_email, client_address, total_amount, created_by) VALUES (5, 'INV-20250909-002', 1, 5, '2025-09-09', '2025-10-09', 'cancelled', 10.00, 10.00, 1.00, 0.00, NULL, NULL, '2025-09-09 09:00:00', '2025-09-09 09:00:00', 'Default Client', NULL, NULL, 11.00, 1);

-- written while pure 001: total/time_entry_id set, 008 total_amount 0
INSERT INTO invoice_items (id, invoice_id, description, quantity, unit_price, total, time_entry_id, created_at, total_amount, time_entry_ids) VALUES (1, 1, 'Design work – 10h', 10.00, 100.00, 1000.00, 1, '2025-09-07 09:00:00', 0.00, NULL);
-- largest unit price that fits NUMERIC(9,2); written while pure 001: total/time_entry_id set, 008 total_amount 0
INSERT INTO invoice_items (id, invoice_id, description, quantity, unit_price, total, time_entry_id, created_at, total_amount, time_entry_ids) VALUES (2, 2, 'Fixed fee «Brücke»', 10.00, 9999999.99, 99999999.90, NULL, '2025-09-07 10:00:00', 0.00, NULL);
-- one cent; empty time_entry_ids
INSERT INTO invoice_items (id, invoice_id, description, quantity, unit_price, total, time_entry_id, created_at, total_amount, time_entry_ids) VALUES (3, 4, 'Rounding cent', 0.01, 1.00, 0.00, NULL, '2025-09-09 08:00:00', 0.01, '');
-- zero amounts
INSERT INTO invoice_items (id, invoice_id, description, quantity, unit_price, total, time_entry_id, created_at, total_amount, time_entry_ids) VALUES (4, 3, 'Nothing billed', 0.00, 0.00, 0.00, NULL, '2025-09-08 08:00:00', 0.00, NULL);
-- quotes, semicolon and backslash
INSERT INTO invoice_items (id, invoice_id, description, quantity, unit_price, total, time_entry_id, created_at, total_amount, time_entry_ids) VALUES (5, 5, 'Travel; "quoted" \ backslash', 1.00, 10.00, 0.00, NULL, '2025-09-09 09:00:00', 10.00, '2');

INSERT INTO task_activities (id, task_id, user_id, event, details, created_at) VALUES (1, 1, 1, 'created', 'Task created: Design mockups', '2025-09-03 09:00:00');
INSERT INTO task_activities (id, task_id, user_id, event, details, created_at) VALUES (2, 3, NULL, 'status_change', 'in_progress → done', '2025-09-05 15:00:00');

INSERT INTO alembic_version (version_num) VALUES ('012');

-- sequences past the explicit ids
SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users));
SELECT setval(pg_get_serial_sequence('clients', 'id'), (SELECT max(id) FROM clients));
SELECT setval(pg_get_serial_sequence('projects', 'id'), (SELECT max(id) FROM projects));
SELECT setval(pg_get_serial_sequence('tasks', 'id'), (SELECT max(id) FROM tasks));
SELECT setval(pg_get_serial_sequence('time_entries', 'id'), (SELECT max(id) FROM time_entries));
SELECT setval(pg_get_serial_sequence('settings', 'id'), (SELECT max(id) FROM settings));
SELECT setval(pg_get_serial_sequence('invoices', 'id'), (SELECT max(id) FROM invoices));
SELECT setval(pg_get_serial_sequence('invoice_items', 'id'), (SELECT max(id) FROM invoice_items));
SELECT setval(pg_get_serial_sequence('task_activities', 'id'), (SELECT max(id) FROM task_activities));
