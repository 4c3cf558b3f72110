-- legacy/testdata/alembic-pure-001.sqlite.sql: S6-pure-001; alembic_version '001'
-- Alembic 001 on SQLite (PR #46): duration as DATETIME since the epoch, boolean server defaults stored as TEXT 'true'.
-- Schema as TimeTracker left it (reference §4.3/§5.1), then realistic rows with explicit ids.
-- Generated for the legacy-conversion tests; rows marked with a comment are the awkward ones.

-- TimeTracker never enabled SQLite foreign keys; orphans below rely on that.
PRAGMA foreign_keys = OFF;

-- migrations/versions/001_initial_schema.py (flask db upgrade, nothing after it): real server defaults,
-- idx_ names, duration INTERVAL (SQLite: DATETIME), boolean defaults rendered as the text 'true'
CREATE TABLE clients (
	id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	description TEXT, 
	contact_person VARCHAR(200), 
	email VARCHAR(200), 
	phone VARCHAR(50), 
	address TEXT, 
	default_hourly_rate NUMERIC(9, 2), 
	status VARCHAR(20) DEFAULT 'active' NOT NULL, 
	created_at TIMESTAMP DEFAULT (CURRENT_TIMESTAMP) NOT NULL, 
	updated_at TIMESTAMP DEFAULT (CURRENT_TIMESTAMP) NOT NULL, 
	PRIMARY KEY (id)
);
CREATE UNIQUE INDEX idx_clients_name ON clients (name);
CREATE TABLE users (
	id INTEGER NOT NULL, 
	username VARCHAR(80) NOT NULL, 
	role VARCHAR(20) DEFAULT 'user' NOT NULL, 
	created_at TIMESTAMP DEFAULT (CURRENT_TIMESTAMP) NOT NULL, 
	last_login TIMESTAMP, 
	is_active BOOLEAN DEFAULT 'true' NOT NULL, 
	updated_at TIMESTAMP DEFAULT (CURRENT_TIMESTAMP) NOT NULL, 
	PRIMARY KEY (id)
);
CREATE UNIQUE INDEX idx_users_username ON users (username);
CREATE INDEX idx_users_role ON users (role);
CREATE TABLE projects (
	id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	client_id INTEGER, 
	description TEXT, 
	billable BOOLEAN DEFAULT 'true' NOT NULL, 
	hourly_rate NUMERIC(9, 2), 
	billing_ref VARCHAR(100), 
	status VARCHAR(20) DEFAULT 'active' NOT NULL, 
	created_at TIMESTAMP DEFAULT (CURRENT_TIMESTAMP), 
	updated_at TIMESTAMP DEFAULT (CURRENT_TIMESTAMP), 
	PRIMARY KEY (id), 
	FOREIGN KEY(client_id) REFERENCES clients (id) ON DELETE CASCADE
);
CREATE INDEX idx_projects_client_id ON projects (client_id);
CREATE INDEX idx_projects_status ON projects (status);
CREATE TABLE tasks (
	id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	description TEXT, 
	status VARCHAR(20) DEFAULT 'pending' NOT NULL, 
	priority VARCHAR(20) DEFAULT 'medium' NOT NULL, 
	assigned_to INTEGER, 
	created_by INTEGER NOT NULL, 
	due_date DATE, 
	estimated_hours NUMERIC(5, 2), 
	created_at TIMESTAMP DEFAULT (CURRENT_TIMESTAMP) NOT NULL, 
	updated_at TIMESTAMP DEFAULT (CURRENT_TIMESTAMP) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(assigned_to) REFERENCES users (id) ON DELETE SET NULL, 
	FOREIGN KEY(created_by) REFERENCES users (id) ON DELETE CASCADE, 
	FOREIGN KEY(project_id) REFERENCES projects (id) ON DELETE CASCADE
);
CREATE INDEX idx_tasks_project_id ON tasks (project_id);
CREATE INDEX idx_tasks_status ON tasks (status);
CREATE INDEX idx_tasks_priority ON tasks (priority);
CREATE TABLE time_entries (
	id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	task_id INTEGER, 
	start_time TIMESTAMP NOT NULL, 
	end_time TIMESTAMP, 
	duration DATETIME, 
	notes TEXT, 
	tags VARCHAR(500), 
	billable BOOLEAN DEFAULT 'true' NOT NULL, 
	source VARCHAR(50), 
	created_at TIMESTAMP DEFAULT (CURRENT_TIMESTAMP) NOT NULL, 
	updated_at TIMESTAMP DEFAULT (CURRENT_TIMESTAMP) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(project_id) REFERENCES projects (id) ON DELETE CASCADE, 
	FOREIGN KEY(task_id) REFERENCES tasks (id) ON DELETE SET NULL, 
	FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE INDEX idx_time_entries_user_id ON time_entries (user_id);
CREATE INDEX idx_time_entries_project_id ON time_entries (project_id);
CREATE INDEX idx_time_entries_start_time ON time_entries (start_time);
CREATE TABLE settings (
	id INTEGER NOT NULL, 
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
	created_at TIMESTAMP DEFAULT (CURRENT_TIMESTAMP) NOT NULL, 
	updated_at TIMESTAMP DEFAULT (CURRENT_TIMESTAMP) NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE invoices (
	id INTEGER NOT NULL, 
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
	created_at TIMESTAMP DEFAULT (CURRENT_TIMESTAMP) NOT NULL, 
	updated_at TIMESTAMP DEFAULT (CURRENT_TIMESTAMP) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(client_id) REFERENCES clients (id) ON DELETE CASCADE, 
	FOREIGN KEY(project_id) REFERENCES projects (id) ON DELETE SET NULL
);
CREATE INDEX idx_invoices_client_id ON invoices (client_id);
CREATE INDEX idx_invoices_status ON invoices (status);
CREATE TABLE invoice_items (
	id INTEGER NOT NULL, 
	invoice_id INTEGER NOT NULL, 
	description VARCHAR(500) NOT NULL, 
	quantity NUMERIC(10, 2) DEFAULT '1' NOT NULL, 
	unit_price NUMERIC(9, 2) DEFAULT '0' NOT NULL, 
	total NUMERIC(10, 2) DEFAULT '0' NOT NULL, 
	time_entry_id INTEGER, 
	created_at TIMESTAMP DEFAULT (CURRENT_TIMESTAMP) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(invoice_id) REFERENCES invoices (id) ON DELETE CASCADE, 
	FOREIGN KEY(time_entry_id) REFERENCES time_entries (id) ON DELETE SET NULL
);
CREATE INDEX idx_invoice_items_invoice_id ON invoice_items (invoice_id);

CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- ---------------------------------------------------------------- data

-- admin seeded by the install (role 'admin'); inserted without is_active: the server default stored the TEXT 'true'
INSERT INTO users (id, username, role, created_at, last_login, updated_at) VALUES (1, 'admin', 'admin', '2025-09-01 07:58:12', '2025-09-12 08:12:44.310551', '2025-09-12 08:12:44.310551');
-- non-ASCII username
INSERT INTO users (id, username, role, created_at, last_login, is_active, updated_at) VALUES (2, 'jürgen', 'user', '2025-09-01 09:14:03.518204', '2025-09-11 17:40:00', 1, '2025-09-11 17:40:00');
INSERT INTO users (id, username, role, created_at, last_login, is_active, updated_at) VALUES (3, 'marie-claire', 'user', '2025-09-02 10:00:00', NULL, 1, '2025-09-02 10:00:00');
-- quote in username
INSERT INTO users (id, username, role, created_at, last_login, is_active, updated_at) VALUES (4, 'o''neil', 'user', '2025-09-02 10:05:00', '2025-09-05 06:59:59', 1, '2025-09-05 06:59:59');
-- inactive non-ASCII user who still owns an entry; is_active holds the TEXT 'false' (manual SQL)
INSERT INTO users (id, username, role, created_at, last_login, is_active, updated_at) VALUES (5, '李雷', 'user', '2025-09-02 11:30:00', NULL, 'false', '2025-09-06 12:00:00');
-- second admin, created later (oldest active admin is id 1)
INSERT INTO users (id, username, role, created_at, last_login, is_active, updated_at) VALUES (6, 'backup-admin', 'admin', '2025-09-04 08:00:00', NULL, 1, '2025-09-04 08:00:00');

-- seeded 'Default Client'
INSERT INTO clients (id, name, status, created_at, updated_at) VALUES (1, 'Default Client', 'active', '2025-09-01 07:58:12', '2025-09-01 07:58:12');
INSERT INTO clients (id, name, description, contact_person, email, phone, address, default_hourly_rate, status, created_at, updated_at) VALUES (2, 'Acme', 'Key account', 'Wile E. Coyote', 'billing@acme.example', '+1 555 0100', '1 Desert Road
Arizona', 95.00, 'active', '2025-09-02 08:59:00', '2025-09-02 08:59:00');
-- same name, other case (unique is case-sensitive)
INSERT INTO clients (id, name, status, created_at, updated_at) VALUES (3, 'acme', 'active', '2025-09-02 09:09:00', '2025-09-02 09:09:00');
-- non-ASCII client
INSERT INTO clients (id, name, contact_person, email, default_hourly_rate, status, created_at, updated_at) VALUES (4, 'Zürich GmbH', 'Grüße AG', NULL, 9999999.99, 'active', '2025-09-03 07:59:00', '2025-09-03 07:59:00');
INSERT INTO clients (id, name, default_hourly_rate, status, created_at, updated_at) VALUES (5, 'Globex', 0.00, 'inactive', '2025-09-03 08:29:00', '2025-09-08 08:29:00');

-- seeded 'General' project; billable from the server default: TEXT 'true'
INSERT INTO projects (id, name, client_id, description, hourly_rate, billing_ref, status, created_at, updated_at) VALUES (1, 'General', 1, 'Default project for general tasks', NULL, NULL, 'active', '2025-09-01 07:58:12', '2025-09-01 07:58:12');
-- client with surrounding spaces
INSERT INTO projects (id, name, client_id, description, billable, hourly_rate, billing_ref, status, created_at, updated_at) VALUES (2, 'Website Relaunch', 2, 'Phase 1 + 2', 1, 85.00, 'PO-2025-001', 'active', '2025-09-02 09:00:00.000001', '2025-09-02 09:00:00.000001');
-- same client trimmed
INSERT INTO projects (id, name, client_id, description, billable, hourly_rate, billing_ref, status, created_at, updated_at) VALUES (3, 'Mobile App', 2, NULL, 1, 120.50, NULL, 'active', '2025-09-02 09:05:00', '2025-09-07 16:20:00');
-- same client, other case
INSERT INTO projects (id, name, client_id, description, billable, hourly_rate, billing_ref, status, created_at, updated_at) VALUES (4, 'Support Retainer', 3, 'Monthly
retainer', 1, 0.00, '', 'active', '2025-09-02 09:10:00', '2025-09-02 09:10:00');
-- empty client; created_at/updated_at NULL (001 allows it)
INSERT INTO projects (id, name, client_id, description, billable, hourly_rate, billing_ref, status, created_at, updated_at) VALUES (5, 'Internal Tools', NULL, 'No client yet', 0, NULL, NULL, 'active', NULL, NULL);
-- non-ASCII project and client
INSERT INTO projects (id, name, client_id, description, billable, hourly_rate, billing_ref, status, created_at, updated_at) VALUES (6, 'Brücke Sanierung – Phase «2»', 4, NULL, 1, 9999999.99, 'ZH/2025/07', 'active', '2025-09-03 08:00:00', '2025-09-03 08:00:00');
-- archived, not billable; billable holds the TEXT 'false' (manual SQL)
INSERT INTO projects (id, name, client_id, description, billable, hourly_rate, billing_ref, status, created_at, updated_at) VALUES (7, 'Archived Thing', 5, NULL, 'false', 0.01, NULL, 'archived', '2025-09-03 08:30:00', '2025-09-09 18:00:00');

-- status 'pending' (SQL-script DB default)
INSERT INTO tasks (id, project_id, name, description, status, priority, assigned_to, created_by, due_date, estimated_hours, created_at, updated_at) VALUES (1, 2, 'Design mockups', 'Figma → HTML', 'pending', 'high', 2, 1, '2025-09-23', 12.50, '2025-09-03 09:00:00', '2025-09-03 09:00:00');
INSERT INTO tasks (id, project_id, name, description, status, priority, assigned_to, created_by, due_date, estimated_hours, created_at, updated_at) VALUES (2, 3, 'API integration', NULL, 'in_progress', 'medium', NULL, 1, NULL, 40.00, '2025-09-03 09:10:00', '2025-09-04 08:30:00');
-- non-ASCII name with quotes, actual_hours at NUMERIC(5,2) max
INSERT INTO tasks (id, project_id, name, description, status, priority, assigned_to, created_by, due_date, estimated_hours, created_at, updated_at) VALUES (3, 6, 'Statik prüfen – Brücke "Nord"', 'Line 1
Line 2', 'done', 'urgent', 3, 6, '2025-09-05', NULL, '2025-09-03 12:00:00', '2025-09-05 15:00:00');
-- orphan assigned_to (user 42 does not exist; SQLite never enforced the FK)
INSERT INTO tasks (id, project_id, name, description, status, priority, assigned_to, created_by, due_date, estimated_hours, created_at, updated_at) VALUES (4, 4, 'Support ticket triage', '', 'review', 'low', 42, 1, '2025-09-04', 0.25, '2025-09-04 10:00:00', '2025-09-04 10:00:00');
INSERT INTO tasks (id, project_id, name, description, status, priority, assigned_to, created_by, due_date, estimated_hours, created_at, updated_at) VALUES (5, 2, 'Cancelled idea', NULL, 'cancelled', 'medium', NULL, 2, NULL, NULL, '2025-09-04 11:00:00', '2025-09-06 11:00:00');
-- inserted without status: DB default 'pending'
INSERT INTO tasks (id, project_id, name, description, assigned_to, created_by, due_date, estimated_hours, created_at, updated_at) VALUES (6, 1, 'Inbox', NULL, NULL, 1, NULL, NULL, '2025-09-05 08:00:00', '2025-09-05 08:00:00');

-- finished; quotes in notes
INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration, notes, tags, billable, source, created_at, updated_at) VALUES (1, 1, 2, 1, '2025-09-03 09:00:00', '2025-09-03 10:30:00', '1970-01-01 01:30:00.000000', 'Kickoff with "Acme" team; agreed on scope', 'meeting,client', 1, 'manual', '2025-09-03 10:30:05.120044', '2025-09-03 10:30:05.120044');
-- finished timer; multi-line non-ASCII notes
INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration, notes, tags, billable, source, created_at, updated_at) VALUES (2, 2, 6, 3, '2025-09-03 13:05:00', '2025-09-03 14:07:05', '1970-01-01 01:02:05.000000', 'Line one
Line two — naïve café', 'dev,backend', 1, 'auto', '2025-09-03 13:05:00', '2025-09-03 14:07:05');
-- running timer #1 of user 2
INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration, notes, tags, billable, source, created_at, updated_at) VALUES (3, 2, 3, 2, '2025-09-04 08:30:00', NULL, NULL, NULL, NULL, 1, 'auto', '2025-09-04 08:30:00', '2025-09-04 08:30:00');
-- running timer #2 of user 2 (single_active_timer was off); emoji
INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration, notes, tags, billable, source, created_at, updated_at) VALUES (4, 2, 4, NULL, '2025-09-04 09:45:00', NULL, NULL, 'It''s a 🚀 launch', 'ops', 1, 'auto', '2025-09-04 09:45:00', '2025-09-04 09:45:00');
-- zero duration, backslashes and a tab, empty tags, not billable
INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration, notes, tags, billable, source, created_at, updated_at) VALUES (5, 3, 5, NULL, '2025-09-04 11:00:00', '2025-09-04 11:00:00', '1970-01-01 00:00:00.000000', 'Path C:\temp\report.csv	and a tab', '', 0, 'manual', '2025-09-04 11:00:00', '2025-09-04 11:00:00');
-- crosses midnight; empty notes; messy tags; orphan task_id 77 (no task 77, no enforced FK)
INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration, notes, tags, billable, source, created_at, updated_at) VALUES (6, 4, 7, 77, '2025-09-04 23:30:00', '2025-09-05 00:45:00', '1970-01-01 01:15:00.000000', '', 'night, overtime ,', 0, 'manual', '2025-09-05 00:45:10', '2025-09-05 00:45:10');
-- running timer of user 1
INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration, notes, tags, billable, source, created_at, updated_at) VALUES (7, 1, 1, NULL, '2025-09-05 07:15:00', NULL, NULL, 'Timer started from 📱', NULL, 1, 'auto', '2025-09-05 07:15:00', '2025-09-05 07:15:00');
-- CRLF in notes; finished but duration NULL
INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration, notes, tags, billable, source, created_at, updated_at) VALUES (8, 3, 2, 1, '2025-09-05 10:00:00', '2025-09-05 12:00:00', NULL, 'Review' || char(13) || '
windows line endings', 'review', 1, 'manual', '2025-09-05 12:00:00', '2025-09-05 12:00:00');
-- 59 seconds (rounding); non-ASCII notes
INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration, notes, tags, billable, source, created_at, updated_at) VALUES (9, 6, 6, NULL, '2025-09-05 14:00:00', '2025-09-05 14:00:59', '1970-01-01 00:00:59.000000', 'Zürich call – Grüße', NULL, 1, 'manual', '2025-09-05 14:01:00', '2025-09-05 14:01:00');
-- entry of the inactive user; source NULL (001: VARCHAR(50) NULL, no default)
INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration, notes, tags, billable, source, created_at, updated_at) VALUES (10, 5, 3, NULL, '2025-09-03 16:00:00', '2025-09-03 17:00:00', '1970-01-01 01:00:00.000000', NULL, NULL, 1, NULL, '2025-09-03 17:00:00', '2025-09-03 17:00:00');

-- the settings row; company_phone/company_website NULL (001: company_* nullable); written by raw SQL: single_active_timer TEXT 'false', allow_self_register/allow_analytics TEXT 'true' from the server default
INSERT INTO settings (id, company_name, company_address, company_phone, company_email, company_website, currency, timezone, rounding_minutes, single_active_timer, idle_timeout_minutes, logo_path, created_at, updated_at) VALUES (1, 'Ünicorn Consulting & Co. "UC"', 'Via Roma 1
00100 Roma', NULL, 'info@unicorn.example', NULL, 'EUR', 'Europe/Rome', 5, 'false', 30, 'C:\logos\x.png', '2025-09-01 07:58:12', '2025-09-07 12:00:00.999999');

-- client_id of 'Acme'
INSERT INTO invoices (id, invoice_number, client_id, project_id, issue_date, due_date, status, subtotal, tax_rate, tax_amount, total, notes, terms, created_at, updated_at) VALUES (1, 'INV-20250907-001', 2, 2, '2025-09-07', '2025-10-07', 'sent', 1000.00, 22.00, 220.00, 1220.00, NULL, 'Net 30', '2025-09-07 09:00:00', '2025-09-07 09:30:00');
-- non-ASCII client; NUMERIC(10,2) maximum
INSERT INTO invoices (id, invoice_number, client_id, project_id, issue_date, due_date, status, subtotal, tax_rate, tax_amount, total, notes, terms, created_at, updated_at) VALUES (2, 'INV-20250907-002', 4, 6, '2025-09-07', '2025-09-07', 'paid', 99999999.90, 0.00, 0.09, 99999999.99, 'Max value', NULL, '2025-09-07 10:00:00', '2025-09-08 10:00:00');
-- zero amounts, empty notes/terms
INSERT INTO invoices (id, invoice_number, client_id, project_id, issue_date, due_date, status, subtotal, tax_rate, tax_amount, total, notes, terms, created_at, updated_at) VALUES (3, 'INV-20250908-001', 5, 7, '2025-09-08', '2025-10-08', 'draft', 0.00, 0.00, 0.00, 0.00, '', '', '2025-09-08 08:00:00', '2025-09-08 08:00:00');
-- one cent; client 'acme'
INSERT INTO invoices (id, invoice_number, client_id, project_id, issue_date, due_date, status, subtotal, tax_rate, tax_amount, total, notes, terms, created_at, updated_at) VALUES (4, 'INV-20250909-001', 3, 3, '2025-09-09', '2025-09-10', 'overdue', 0.01, 0.00, 0.00, 0.01, 'Cent test', NULL, '2025-09-09 08:00:00', '2025-09-09 08:00:00');
-- the 'Default Client' (project without client)
INSERT INTO invoices (id, invoice_number, client_id, project_id, issue_date, due_date, status, subtotal, tax_rate, tax_amount, total, notes, terms, created_at, updated_at) VALUES (5, 'INV-20250909-002', 1, 5, '2025-09-09', '2025-10-09', 'cancelled', 10.00, 10.00, 1.00, 11.00, NULL, NULL, '2025-09-09 09:00:00', '2025-09-09 09:00:00');

INSERT INTO invoice_items (id, invoice_id, description, quantity, unit_price, total, time_entry_id, created_at) VALUES (1, 1, 'Design work – 10h', 10.00, 100.00, 1000.00, 1, '2025-09-07 09:00:00');
-- largest unit price that fits NUMERIC(9,2)
INSERT INTO invoice_items (id, invoice_id, description, quantity, unit_price, total, time_entry_id, created_at) VALUES (2, 2, 'Fixed fee «Brücke»', 10.00, 9999999.99, 99999999.90, NULL, '2025-09-07 10:00:00');
-- one cent; legacy time_entry_id
INSERT INTO invoice_items (id, invoice_id, description, quantity, unit_price, total, time_entry_id, created_at) VALUES (3, 4, 'Rounding cent', 0.01, 1.00, 0.01, 5, '2025-09-09 08:00:00');
-- zero amounts
INSERT INTO invoice_items (id, invoice_id, description, quantity, unit_price, total, time_entry_id, created_at) VALUES (4, 3, 'Nothing billed', 0.00, 0.00, 0.00, NULL, '2025-09-08 08:00:00');
-- quotes, semicolon and backslash
INSERT INTO invoice_items (id, invoice_id, description, quantity, unit_price, total, time_entry_id, created_at) VALUES (5, 5, 'Travel; "quoted" \ backslash', 1.00, 10.00, 10.00, 2, '2025-09-09 09:00:00');

INSERT INTO alembic_version (version_num) VALUES ('001');
