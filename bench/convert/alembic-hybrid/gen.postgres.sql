-- A legacy TimeTracker database of shape S6-hybrid (docs/conversion.md) on
-- PostgreSQL: Alembic 001 plus the enhanced init script on a fresh
-- install, later upgraded through 010, the schema of
-- legacy/testdata/alembic-hybrid.postgres.sql (duration next to its twin
-- duration_seconds, logo_path next to company_logo_filename, total next to
-- total_amount, updated_at triggers, task_activities, the one-active-timer
-- index). Filled set-based with :N time entries (duration_seconds filled on
-- every third, else NULL and duration holds the time; some source NULL),
-- 10,000 projects over 2,000 clients whose names differ in case and
-- surrounding spaces (every tenth name's fifth project has no client, so
-- the conversion creates 'Default Client'), 1,000 tasks (some 'pending')
-- with 2,000 task activities, 100 users and one settings row with a logo
-- path. bench/convert/run.sh replaces :N before running it.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
BEGIN;

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

-- docker/init-database-enhanced.py @645329c1 (CMD, every start): ADD COLUMN for what 001 lacks, idx_ indexes,
-- trigger function and triggers on 7 tables
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
ALTER TABLE invoices ADD COLUMN client_name VARCHAR(200) NOT NULL;
ALTER TABLE invoices ADD COLUMN client_email VARCHAR(200);
ALTER TABLE invoices ADD COLUMN client_address TEXT;
ALTER TABLE invoices ADD COLUMN total_amount NUMERIC(10, 2) NOT NULL DEFAULT 0;
ALTER TABLE invoices ADD COLUMN created_by INTEGER REFERENCES users(id) ON DELETE CASCADE;
ALTER TABLE invoice_items ADD COLUMN total_amount NUMERIC(10, 2) NOT NULL;
ALTER TABLE invoice_items ADD COLUMN time_entry_ids VARCHAR(500);

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

-- later images: flask db upgrade ran 002-010
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
-- 005-008 found every column they add (the enhanced init had added them) and did nothing; 008's copy
-- from invoices.total filters on total_amount IS NULL, so it copied nothing either.
-- 009: created_by existed; its FK is added beside the enhanced init's CASCADE one
ALTER TABLE invoices ADD CONSTRAINT fk_invoices_created_by_users FOREIGN KEY(created_by) REFERENCES users (id) ON DELETE SET NULL;
-- 010: its UPDATE closed all but the latest running timer per user (end_time = start_time,
-- duration left NULL; the trigger stamped updated_at), then:
CREATE UNIQUE INDEX IF NOT EXISTS ux_time_entries_one_active_per_user ON time_entries(user_id) WHERE end_time IS NULL;

-- 100 users: user 1 is the admin, user 100 is deactivated.
INSERT INTO users (id, username, role, created_at, last_login, is_active, updated_at, full_name, theme_preference)
SELECT i,
       CASE WHEN i = 1 THEN 'admin' ELSE format('user%s', lpad(i::text, 3, '0')) END,
       CASE WHEN i = 1 THEN 'admin' ELSE 'user' END,
       timestamp '2018-12-01 09:00:00' + i * interval '1 hour',
       CASE WHEN i % 7 = 0 THEN NULL ELSE timestamp '2025-10-09 08:53:20' + i * interval '90 minutes' END,
       i <> 100,
       timestamp '2018-12-01 10:00:00' + i * interval '1 hour',
       CASE WHEN i % 2 = 0 THEN 'User Number ' || i END,
       CASE WHEN i % 3 = 0 THEN 'dark' END
FROM generate_series(1, 100) AS i;

-- 2,000 clients; the names differ from one another in case ('client
-- 0003') and surrounding spaces (' Client 0005 '), as a unique index on
-- name allows.
INSERT INTO clients (id, name, description, default_hourly_rate, status, created_at, updated_at)
SELECT c,
       CASE
         WHEN c % 3 = 0 THEN 'client ' || lpad(c::text, 4, '0')
         WHEN c % 5 = 0 THEN ' Client ' || lpad(c::text, 4, '0') || ' '
         ELSE 'Client ' || lpad(c::text, 4, '0')
       END,
       CASE WHEN c % 4 = 0 THEN 'Account ' || c END,
       CASE WHEN c % 2 = 0 THEN 50 + c % 70 END,
       CASE WHEN c % 50 = 0 THEN 'inactive' ELSE 'active' END,
       timestamp '2018-11-01 09:00:00' + c * interval '1 minute',
       timestamp '2018-11-02 09:00:00' + c * interval '1 minute'
FROM generate_series(1, 2000) AS c;

-- 10,000 projects; project i bills client ((i-1) % 2000) + 1, each client
-- five times; copy 5 of every tenth client has none. Every seventh
-- project has no created_at, every eleventh no updated_at (001 allows it;
-- the conversion takes the other one).
INSERT INTO projects (id, name, client_id, description, billable, hourly_rate, billing_ref, status, created_at, updated_at)
SELECT i,
       'Project ' || lpad(i::text, 5, '0'),
       CASE WHEN k = 4 AND c % 10 = 0 THEN NULL ELSE c END,
       CASE WHEN i % 3 = 0 THEN format('Work package %s for client %s', k + 1, c) END,
       i % 4 <> 0,
       CASE WHEN i % 5 = 0 THEN NULL ELSE 40 + (i % 80) + 0.5 END,
       CASE WHEN i % 9 = 0 THEN 'PO-' || lpad(i::text, 6, '0') END,
       CASE WHEN i % 10 = 0 THEN 'archived' ELSE 'active' END,
       CASE WHEN i % 7 = 0 THEN NULL ELSE timestamp '2018-12-01 09:00:00' + i * interval '10 minutes' END,
       CASE WHEN i % 11 = 0 AND i % 7 <> 0 THEN NULL ELSE timestamp '2018-12-02 09:00:00' + i * interval '10 minutes' END
FROM (SELECT i, (i - 1) % 2000 + 1 AS c, (i - 1) / 2000 AS k FROM generate_series(1, 10000) AS i) p;

-- 1,000 tasks on the first 1,000 projects; every third 'pending' (001's
-- default). (PostgreSQL enforced the foreign keys: no orphans here.)
INSERT INTO tasks (id, project_id, name, description, status, priority, assigned_to, created_by, due_date,
                   estimated_hours, created_at, updated_at)
SELECT t, t, 'Task ' || t,
       CASE WHEN t % 2 = 0 THEN 'Details of task ' || t END,
       CASE t % 3 WHEN 0 THEN 'pending' WHEN 1 THEN 'in_progress' ELSE 'done' END,
       CASE t % 4 WHEN 0 THEN 'low' WHEN 1 THEN 'medium' WHEN 2 THEN 'high' ELSE 'urgent' END,
       CASE WHEN t % 5 = 0 THEN NULL ELSE t % 100 + 1 END,
       1,
       CASE WHEN t % 2 = 1 THEN date '2019-03-01' + t END,
       CASE WHEN t % 3 <> 2 THEN (t % 400) / 4.0 END,
       timestamp '2018-12-05 09:00:00' + t * interval '1 hour',
       timestamp '2018-12-06 09:00:00' + t * interval '1 hour'
FROM generate_series(1, 1000) AS t;

-- :N time entries. Entry i belongs to user ((i-1) % 100) + 1; four entries
-- a working day, 30 to 110 minutes long, from 2019-01-02 on; duration is
-- an INTERVAL (NULL on every 50th finished entry). The last entry of every
-- fifth user is a running timer. Every eighth entry names a task; every
-- sixth has no source.
INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration, duration_seconds,
                          notes, tags, billable, source, created_at, updated_at)
SELECT i, u,
       (i::bigint * 7919) % 10000 + 1,
       CASE WHEN i % 8 = 0 THEN i % 1000 + 1 END,
       st,
       CASE WHEN running THEN NULL ELSE st + dur * interval '1 second' END,
       CASE WHEN running OR i % 50 = 0 THEN NULL ELSE dur * interval '1 second' END,
       CASE WHEN NOT running AND i % 3 = 0 THEN dur END,
       CASE WHEN i % 3 = 0 THEN 'Worked on item #' || (i % 5000) END,
       CASE i % 6 WHEN 0 THEN 'meeting' WHEN 1 THEN 'dev,review' END,
       i % 10 <> 0,
       CASE WHEN i % 6 = 0 THEN NULL WHEN i % 4 = 0 THEN 'auto' ELSE 'manual' END,
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

INSERT INTO settings (id, company_name, company_address, company_phone, company_email, company_website, currency,
                      timezone, rounding_minutes, single_active_timer, idle_timeout_minutes, allow_self_register,
                      allow_analytics, logo_path, created_at, updated_at)
VALUES (1, 'Bench Consulting', 'Via Roma 1', NULL, 'info@bench.example', NULL, 'EUR', 'Europe/Rome', 5, true, 30,
        true, true, '/srv/uploads/logos/bench.png', '2018-12-01 09:00:00', '2018-12-01 09:00:00');

-- Two activities per task.
INSERT INTO task_activities (id, task_id, user_id, event, details, created_at)
SELECT a, (a - 1) / 2 + 1, CASE WHEN a % 9 = 0 THEN NULL ELSE a % 100 + 1 END,
       CASE WHEN a % 2 = 1 THEN 'created' ELSE 'status_change' END,
       CASE WHEN a % 2 = 0 THEN 'todo -> in_progress' END,
       timestamp '2018-12-05 09:00:00' + a * interval '30 minutes'
FROM generate_series(1, 2000) AS a;

INSERT INTO alembic_version (version_num) VALUES ('010');

SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users));
SELECT setval(pg_get_serial_sequence('clients', 'id'), (SELECT max(id) FROM clients));
SELECT setval(pg_get_serial_sequence('projects', 'id'), (SELECT max(id) FROM projects));
SELECT setval(pg_get_serial_sequence('tasks', 'id'), (SELECT max(id) FROM tasks));
SELECT setval(pg_get_serial_sequence('time_entries', 'id'), (SELECT max(id) FROM time_entries));
SELECT setval(pg_get_serial_sequence('settings', 'id'), (SELECT max(id) FROM settings));
SELECT setval(pg_get_serial_sequence('task_activities', 'id'), (SELECT max(id) FROM task_activities));

COMMIT;

-- A database in service has been vacuumed and analysed by autovacuum.
VACUUM ANALYZE;
