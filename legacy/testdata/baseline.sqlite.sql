-- legacy/testdata/baseline.sqlite.sql: baseline
-- unversioned baseline: flask init-db at 645329c1, exactly the 8 tables, no version table.
-- Schema as TimeTracker left it (reference §4.3/§5.1), then realistic rows with explicit ids.
-- Generated for the legacy-conversion tests; rows marked with a comment are the awkward ones.

-- TimeTracker never enabled SQLite foreign keys; orphans below rely on that.
PRAGMA foreign_keys = OFF;

-- create_all, models @645329c1 (flask init-db): exactly the 8 baseline tables, no SQL defaults, no version table
CREATE TABLE users (
	id INTEGER NOT NULL, 
	username VARCHAR(80) NOT NULL, 
	role VARCHAR(20) NOT NULL, 
	created_at DATETIME NOT NULL, 
	last_login DATETIME, 
	is_active BOOLEAN NOT NULL, 
	PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_users_username ON users (username);

CREATE TABLE clients (
	id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	description TEXT, 
	contact_person VARCHAR(200), 
	email VARCHAR(200), 
	phone VARCHAR(50), 
	address TEXT, 
	default_hourly_rate NUMERIC(9, 2), 
	status VARCHAR(20) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_clients_name ON clients (name);

CREATE TABLE projects (
	id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	client_id INTEGER NOT NULL, 
	description TEXT, 
	billable BOOLEAN NOT NULL, 
	hourly_rate NUMERIC(9, 2), 
	billing_ref VARCHAR(100), 
	status VARCHAR(20) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(client_id) REFERENCES clients (id)
);
CREATE INDEX ix_projects_name ON projects (name);
CREATE INDEX ix_projects_client_id ON projects (client_id);

CREATE TABLE settings (
	id INTEGER NOT NULL, 
	timezone VARCHAR(50) NOT NULL, 
	currency VARCHAR(3) NOT NULL, 
	rounding_minutes INTEGER NOT NULL, 
	single_active_timer BOOLEAN NOT NULL, 
	allow_self_register BOOLEAN NOT NULL, 
	idle_timeout_minutes INTEGER NOT NULL, 
	backup_retention_days INTEGER NOT NULL, 
	backup_time VARCHAR(5) NOT NULL, 
	export_delimiter VARCHAR(1) NOT NULL, 
	company_name VARCHAR(200) NOT NULL, 
	company_address TEXT NOT NULL, 
	company_email VARCHAR(200) NOT NULL, 
	company_phone VARCHAR(50) NOT NULL, 
	company_website VARCHAR(200) NOT NULL, 
	company_logo_filename VARCHAR(255), 
	company_tax_id VARCHAR(100), 
	company_bank_info TEXT, 
	invoice_prefix VARCHAR(10) NOT NULL, 
	invoice_start_number INTEGER NOT NULL, 
	invoice_terms TEXT NOT NULL, 
	invoice_notes TEXT NOT NULL, 
	allow_analytics BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);

CREATE TABLE tasks (
	id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	description TEXT, 
	status VARCHAR(20) NOT NULL, 
	priority VARCHAR(20) NOT NULL, 
	estimated_hours FLOAT, 
	due_date DATE, 
	assigned_to INTEGER, 
	created_by INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	started_at DATETIME, 
	completed_at DATETIME, 
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

CREATE TABLE time_entries (
	id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	task_id INTEGER, 
	start_time DATETIME NOT NULL, 
	end_time DATETIME, 
	duration_seconds INTEGER, 
	notes TEXT, 
	tags VARCHAR(500), 
	source VARCHAR(20) NOT NULL, 
	billable BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(user_id) REFERENCES users (id), 
	FOREIGN KEY(project_id) REFERENCES projects (id), 
	FOREIGN KEY(task_id) REFERENCES tasks (id)
);
CREATE INDEX ix_time_entries_user_id ON time_entries (user_id);
CREATE INDEX ix_time_entries_project_id ON time_entries (project_id);
CREATE INDEX ix_time_entries_task_id ON time_entries (task_id);
CREATE INDEX ix_time_entries_start_time ON time_entries (start_time);
CREATE INDEX ix_time_entries_end_time ON time_entries (end_time);

CREATE TABLE invoices (
	id INTEGER NOT NULL, 
	invoice_number VARCHAR(50) NOT NULL, 
	project_id INTEGER NOT NULL, 
	client_name VARCHAR(200) NOT NULL, 
	client_email VARCHAR(200), 
	client_address TEXT, 
	client_id INTEGER NOT NULL, 
	issue_date DATE NOT NULL, 
	due_date DATE NOT NULL, 
	status VARCHAR(20) NOT NULL, 
	subtotal NUMERIC(10, 2) NOT NULL, 
	tax_rate NUMERIC(5, 2) NOT NULL, 
	tax_amount NUMERIC(10, 2) NOT NULL, 
	total_amount NUMERIC(10, 2) NOT NULL, 
	notes TEXT, 
	terms TEXT, 
	created_by INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(project_id) REFERENCES projects (id), 
	FOREIGN KEY(client_id) REFERENCES clients (id), 
	FOREIGN KEY(created_by) REFERENCES users (id)
);
CREATE UNIQUE INDEX ix_invoices_invoice_number ON invoices (invoice_number);
CREATE INDEX ix_invoices_project_id ON invoices (project_id);
CREATE INDEX ix_invoices_client_id ON invoices (client_id);

CREATE TABLE invoice_items (
	id INTEGER NOT NULL, 
	invoice_id INTEGER NOT NULL, 
	description VARCHAR(500) NOT NULL, 
	quantity NUMERIC(10, 2) NOT NULL, 
	unit_price NUMERIC(10, 2) NOT NULL, 
	total_amount NUMERIC(10, 2) NOT NULL, 
	time_entry_ids VARCHAR(500), 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(invoice_id) REFERENCES invoices (id)
);
CREATE INDEX ix_invoice_items_invoice_id ON invoice_items (invoice_id);

-- ---------------------------------------------------------------- data

-- admin seeded by the install (role 'admin')
INSERT INTO users (id, username, role, created_at, last_login, is_active) VALUES (1, 'admin', 'admin', '2025-09-02 07:58:12', '2025-09-13 08:12:44.310551', 1);
-- non-ASCII username
INSERT INTO users (id, username, role, created_at, last_login, is_active) VALUES (2, 'jürgen', 'user', '2025-09-02 09:14:03.518204', '2025-09-12 17:40:00', 1);
INSERT INTO users (id, username, role, created_at, last_login, is_active) VALUES (3, 'marie-claire', 'user', '2025-09-03 10:00:00', NULL, 1);
-- quote in username
INSERT INTO users (id, username, role, created_at, last_login, is_active) VALUES (4, 'o''neil', 'user', '2025-09-03 10:05:00', '2025-09-06 06:59:59', 1);
-- inactive non-ASCII user who still owns an entry
INSERT INTO users (id, username, role, created_at, last_login, is_active) VALUES (5, '李雷', 'user', '2025-09-03 11:30:00', NULL, 0);
-- second admin, created later (oldest active admin is id 1)
INSERT INTO users (id, username, role, created_at, last_login, is_active) VALUES (6, 'backup-admin', 'admin', '2025-09-05 08:00:00', NULL, 1);

-- seeded 'Default Client'
INSERT INTO clients (id, name, status, created_at, updated_at) VALUES (1, 'Default Client', 'active', '2025-09-02 07:58:12', '2025-09-02 07:58:12');
INSERT INTO clients (id, name, description, contact_person, email, phone, address, default_hourly_rate, status, created_at, updated_at) VALUES (2, 'Acme', 'Key account', 'Wile E. Coyote', 'billing@acme.example', '+1 555 0100', '1 Desert Road
Arizona', 95.00, 'active', '2025-09-03 08:59:00', '2025-09-03 08:59:00');
-- same name, other case (unique is case-sensitive)
INSERT INTO clients (id, name, status, created_at, updated_at) VALUES (3, 'acme', 'active', '2025-09-03 09:09:00', '2025-09-03 09:09:00');
-- non-ASCII client
INSERT INTO clients (id, name, contact_person, email, default_hourly_rate, status, created_at, updated_at) VALUES (4, 'Zürich GmbH', 'Grüße AG', NULL, 9999999.99, 'active', '2025-09-04 07:59:00', '2025-09-04 07:59:00');
INSERT INTO clients (id, name, default_hourly_rate, status, created_at, updated_at) VALUES (5, 'Globex', 0.00, 'inactive', '2025-09-04 08:29:00', '2025-09-09 08:29:00');

-- seeded 'General' project
INSERT INTO projects (id, name, client_id, description, billable, hourly_rate, billing_ref, status, created_at, updated_at) VALUES (1, 'General', 1, 'Default project for general tasks', 1, NULL, NULL, 'active', '2025-09-02 07:58:12', '2025-09-02 07:58:12');
-- client with surrounding spaces
INSERT INTO projects (id, name, client_id, description, billable, hourly_rate, billing_ref, status, created_at, updated_at) VALUES (2, 'Website Relaunch', 2, 'Phase 1 + 2', 1, 85.00, 'PO-2025-001', 'active', '2025-09-03 09:00:00.000001', '2025-09-03 09:00:00.000001');
-- same client trimmed
INSERT INTO projects (id, name, client_id, description, billable, hourly_rate, billing_ref, status, created_at, updated_at) VALUES (3, 'Mobile App', 2, NULL, 1, 120.50, NULL, 'active', '2025-09-03 09:05:00', '2025-09-08 16:20:00');
-- same client, other case
INSERT INTO projects (id, name, client_id, description, billable, hourly_rate, billing_ref, status, created_at, updated_at) VALUES (4, 'Support Retainer', 3, 'Monthly
retainer', 1, 0.00, '', 'active', '2025-09-03 09:10:00', '2025-09-03 09:10:00');
-- empty client
INSERT INTO projects (id, name, client_id, description, billable, hourly_rate, billing_ref, status, created_at, updated_at) VALUES (5, 'Internal Tools', 1, 'No client yet', 0, NULL, NULL, 'active', '2025-09-03 09:15:00', '2025-09-03 09:15:00');
-- non-ASCII project and client
INSERT INTO projects (id, name, client_id, description, billable, hourly_rate, billing_ref, status, created_at, updated_at) VALUES (6, 'Brücke Sanierung – Phase «2»', 4, NULL, 1, 9999999.99, 'ZH/2025/07', 'active', '2025-09-04 08:00:00', '2025-09-04 08:00:00');
-- archived, not billable
INSERT INTO projects (id, name, client_id, description, billable, hourly_rate, billing_ref, status, created_at, updated_at) VALUES (7, 'Archived Thing', 5, NULL, 0, 0.01, NULL, 'archived', '2025-09-04 08:30:00', '2025-09-10 18:00:00');

INSERT INTO tasks (id, project_id, name, description, status, priority, estimated_hours, due_date, assigned_to, created_by, created_at, updated_at, started_at, completed_at) VALUES (1, 2, 'Design mockups', 'Figma → HTML', 'todo', 'high', 12.50, '2025-09-24', 2, 1, '2025-09-04 09:00:00', '2025-09-04 09:00:00', NULL, NULL);
INSERT INTO tasks (id, project_id, name, description, status, priority, estimated_hours, due_date, assigned_to, created_by, created_at, updated_at, started_at, completed_at) VALUES (2, 3, 'API integration', NULL, 'in_progress', 'medium', 40.00, NULL, NULL, 1, '2025-09-04 09:10:00', '2025-09-05 08:30:00', '2025-09-05 08:30:00', NULL);
-- non-ASCII name with quotes, actual_hours at NUMERIC(5,2) max
INSERT INTO tasks (id, project_id, name, description, status, priority, estimated_hours, due_date, assigned_to, created_by, created_at, updated_at, started_at, completed_at) VALUES (3, 6, 'Statik prüfen – Brücke "Nord"', 'Line 1
Line 2', 'done', 'urgent', NULL, '2025-09-06', 3, 6, '2025-09-04 12:00:00', '2025-09-06 15:00:00', '2025-09-04 13:00:00', '2025-09-06 15:00:00');
INSERT INTO tasks (id, project_id, name, description, status, priority, estimated_hours, due_date, assigned_to, created_by, created_at, updated_at, started_at, completed_at) VALUES (4, 4, 'Support ticket triage', '', 'review', 'low', 0.25, '2025-09-05', 4, 1, '2025-09-05 10:00:00', '2025-09-05 10:00:00', NULL, NULL);
INSERT INTO tasks (id, project_id, name, description, status, priority, estimated_hours, due_date, assigned_to, created_by, created_at, updated_at, started_at, completed_at) VALUES (5, 2, 'Cancelled idea', NULL, 'cancelled', 'medium', NULL, NULL, NULL, 2, '2025-09-05 11:00:00', '2025-09-07 11:00:00', NULL, NULL);

-- finished; quotes in notes
INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration_seconds, notes, tags, source, billable, created_at, updated_at) VALUES (1, 1, 2, 1, '2025-09-04 09:00:00', '2025-09-04 10:30:00', 5400, 'Kickoff with "Acme" team; agreed on scope', 'meeting,client', 'manual', 1, '2025-09-04 10:30:05.120044', '2025-09-04 10:30:05.120044');
-- finished timer; multi-line non-ASCII notes
INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration_seconds, notes, tags, source, billable, created_at, updated_at) VALUES (2, 2, 6, 3, '2025-09-04 13:05:00', '2025-09-04 14:07:05', 3725, 'Line one
Line two — naïve café', 'dev,backend', 'auto', 1, '2025-09-04 13:05:00', '2025-09-04 14:07:05');
-- running timer #1 of user 2
INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration_seconds, notes, tags, source, billable, created_at, updated_at) VALUES (3, 2, 3, 2, '2025-09-05 08:30:00', NULL, NULL, NULL, NULL, 'auto', 1, '2025-09-05 08:30:00', '2025-09-05 08:30:00');
-- running timer #2 of user 2 (single_active_timer was off); emoji
INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration_seconds, notes, tags, source, billable, created_at, updated_at) VALUES (4, 2, 4, NULL, '2025-09-05 09:45:00', NULL, NULL, 'It''s a 🚀 launch', 'ops', 'auto', 1, '2025-09-05 09:45:00', '2025-09-05 09:45:00');
-- zero duration, backslashes and a tab, empty tags, not billable
INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration_seconds, notes, tags, source, billable, created_at, updated_at) VALUES (5, 3, 5, NULL, '2025-09-05 11:00:00', '2025-09-05 11:00:00', 0, 'Path C:\temp\report.csv	and a tab', '', 'manual', 0, '2025-09-05 11:00:00', '2025-09-05 11:00:00');
-- crosses midnight; empty notes; messy tags
INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration_seconds, notes, tags, source, billable, created_at, updated_at) VALUES (6, 4, 7, NULL, '2025-09-05 23:30:00', '2025-09-06 00:45:00', 4500, '', 'night, overtime ,', 'manual', 0, '2025-09-06 00:45:10', '2025-09-06 00:45:10');
-- running timer of user 1
INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration_seconds, notes, tags, source, billable, created_at, updated_at) VALUES (7, 1, 1, NULL, '2025-09-06 07:15:00', NULL, NULL, 'Timer started from 📱', NULL, 'auto', 1, '2025-09-06 07:15:00', '2025-09-06 07:15:00');
-- CRLF in notes
INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration_seconds, notes, tags, source, billable, created_at, updated_at) VALUES (8, 3, 2, 1, '2025-09-06 10:00:00', '2025-09-06 12:00:00', 7200, 'Review' || char(13) || '
windows line endings', 'review', 'manual', 1, '2025-09-06 12:00:00', '2025-09-06 12:00:00');
-- 59 seconds (rounding); non-ASCII notes
INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration_seconds, notes, tags, source, billable, created_at, updated_at) VALUES (9, 6, 6, NULL, '2025-09-06 14:00:00', '2025-09-06 14:00:59', 59, 'Zürich call – Grüße', NULL, 'manual', 1, '2025-09-06 14:01:00', '2025-09-06 14:01:00');
-- entry of the inactive user
INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration_seconds, notes, tags, source, billable, created_at, updated_at) VALUES (10, 5, 3, NULL, '2025-09-04 16:00:00', '2025-09-04 17:00:00', 3600, NULL, NULL, 'manual', 1, '2025-09-04 17:00:00', '2025-09-04 17:00:00');

-- the settings row
INSERT INTO settings (id, timezone, currency, rounding_minutes, single_active_timer, allow_self_register, idle_timeout_minutes, backup_retention_days, backup_time, export_delimiter, company_name, company_address, company_email, company_phone, company_website, company_logo_filename, company_tax_id, company_bank_info, invoice_prefix, invoice_start_number, invoice_terms, invoice_notes, allow_analytics, created_at, updated_at) VALUES (1, 'Europe/Rome', 'EUR', 5, 0, 1, 30, 14, '03:30', ';', 'Ünicorn Consulting & Co. "UC"', 'Via Roma 1
00100 Roma', 'info@unicorn.example', '+39 06 1234567', 'https://unicorn.example', 'acme_logo.png', 'IT01234567890', 'IBAN IT60 X054 2811 1010 0000 0123 456
BIC: BPMOIT22', 'UC', 2025, 'Net 14 days.', 'Grazie! 🙏', 0, '2025-09-02 07:58:12', '2025-09-08 12:00:00.999999');

-- client_name matches a client
INSERT INTO invoices (id, invoice_number, project_id, client_name, client_email, client_address, client_id, issue_date, due_date, status, subtotal, tax_rate, tax_amount, total_amount, notes, terms, created_by, created_at, updated_at) VALUES (1, 'INV-20250908-001', 2, 'Acme', 'billing@acme.example', '1 Desert Road
Arizona', 2, '2025-09-08', '2025-10-08', 'sent', 1000.00, 22.00, 220.00, 1220.00, NULL, 'Net 30', 1, '2025-09-08 09:00:00', '2025-09-08 09:30:00');
-- non-ASCII client; NUMERIC(10,2) maximum
INSERT INTO invoices (id, invoice_number, project_id, client_name, client_email, client_address, client_id, issue_date, due_date, status, subtotal, tax_rate, tax_amount, total_amount, notes, terms, created_by, created_at, updated_at) VALUES (2, 'INV-20250908-002', 6, 'Zürich GmbH', NULL, NULL, 4, '2025-09-08', '2025-09-08', 'paid', 99999999.90, 0.00, 0.09, 99999999.99, 'Max value', NULL, 6, '2025-09-08 10:00:00', '2025-09-09 10:00:00');
-- client_name matches no client
INSERT INTO invoices (id, invoice_number, project_id, client_name, client_email, client_address, client_id, issue_date, due_date, status, subtotal, tax_rate, tax_amount, total_amount, notes, terms, created_by, created_at, updated_at) VALUES (3, 'INV-20250909-001', 7, ' Unknown Client Ltd ', '', '', 5, '2025-09-09', '2025-10-09', 'draft', 0.00, 0.00, 0.00, 0.00, '', '', 1, '2025-09-09 08:00:00', '2025-09-09 08:00:00');
-- one cent; client_name in other case
INSERT INTO invoices (id, invoice_number, project_id, client_name, client_email, client_address, client_id, issue_date, due_date, status, subtotal, tax_rate, tax_amount, total_amount, notes, terms, created_by, created_at, updated_at) VALUES (4, 'INV-20250910-001', 3, 'acme', NULL, NULL, 3, '2025-09-10', '2025-09-11', 'overdue', 0.01, 0.00, 0.00, 0.01, 'Cent test', NULL, 2, '2025-09-10 08:00:00', '2025-09-10 08:00:00');
-- client_name '' (project without client)
INSERT INTO invoices (id, invoice_number, project_id, client_name, client_email, client_address, client_id, issue_date, due_date, status, subtotal, tax_rate, tax_amount, total_amount, notes, terms, created_by, created_at, updated_at) VALUES (5, 'INV-20250910-002', 5, '', NULL, NULL, 1, '2025-09-10', '2025-10-10', 'cancelled', 10.00, 10.00, 1.00, 11.00, NULL, NULL, 1, '2025-09-10 09:00:00', '2025-09-10 09:00:00');

INSERT INTO invoice_items (id, invoice_id, description, quantity, unit_price, total_amount, time_entry_ids, created_at) VALUES (1, 1, 'Design work – 10h', 10.00, 100.00, 1000.00, '1,8', '2025-09-08 09:00:00');
-- largest unit price that fits NUMERIC(9,2)
INSERT INTO invoice_items (id, invoice_id, description, quantity, unit_price, total_amount, time_entry_ids, created_at) VALUES (2, 2, 'Fixed fee «Brücke»', 10.00, 9999999.99, 99999999.90, NULL, '2025-09-08 10:00:00');
-- one cent; empty time_entry_ids
INSERT INTO invoice_items (id, invoice_id, description, quantity, unit_price, total_amount, time_entry_ids, created_at) VALUES (3, 4, 'Rounding cent', 0.01, 1.00, 0.01, '', '2025-09-10 08:00:00');
-- zero amounts
INSERT INTO invoice_items (id, invoice_id, description, quantity, unit_price, total_amount, time_entry_ids, created_at) VALUES (4, 3, 'Nothing billed', 0.00, 0.00, 0.00, NULL, '2025-09-09 08:00:00');
-- quotes, semicolon and backslash
INSERT INTO invoice_items (id, invoice_id, description, quantity, unit_price, total_amount, time_entry_ids, created_at) VALUES (5, 5, 'Travel; "quoted" \ backslash', 1.00, 10.00, 10.00, '2', '2025-09-10 09:00:00');
