-- A legacy TimeTracker database at Alembic revision 001 with nothing after
-- it (shape S6-pure-001, docs/conversion.md) on SQLite: the schema of
-- legacy/testdata/alembic-pure-001.sqlite.sql (duration DATETIME counted
-- from 1970-01-01, boolean server defaults stored as the TEXT 'true',
-- idx_ index names). Filled set-based with :N time entries (duration as
-- DATETIME, no duration_seconds; some source NULL; every 1,000th naming a
-- task that does not exist, as SQLite never enforced foreign keys), 10,000
-- projects over 2,000 clients whose names differ in case and surrounding
-- spaces (every tenth name's fifth project has no client, so the
-- conversion creates 'Default Client'), 1,000 tasks (some 'pending', some
-- assigned to a missing user), 100 users and one settings row with a logo
-- path; some booleans are the TEXT 'true'/'false' Alembic 001 wrote.
-- bench/convert/run.sh replaces :N before running it:
--   sed 's/:N\b/100000/g' gen.sqlite.sql | sqlite3 legacy.db
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA foreign_keys = OFF;
BEGIN;

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

-- 100 users: user 1 is the admin, user 100 is deactivated; users 2..9 got
-- is_active from the server default (the TEXT 'true').
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 100)
INSERT INTO users (id, username, role, created_at, last_login, is_active, updated_at)
SELECT i,
       CASE WHEN i = 1 THEN 'admin' ELSE printf('user%03d', i) END,
       CASE WHEN i = 1 THEN 'admin' ELSE 'user' END,
       datetime(1543654800 + i * 3600, 'unixepoch'),
       CASE WHEN i % 7 = 0 THEN NULL ELSE datetime(1760000000 + i * 5400, 'unixepoch') END,
       CASE WHEN i = 100 THEN 0 WHEN i < 10 THEN 'true' ELSE 1 END,
       datetime(1543658400 + i * 3600, 'unixepoch')
FROM s;

-- 2,000 clients; the names differ from one another in case ('client
-- 0003') and surrounding spaces (' Client 0005 '), as a unique index on
-- name allows.
WITH RECURSIVE s(c) AS (SELECT 1 UNION ALL SELECT c + 1 FROM s WHERE c < 2000)
INSERT INTO clients (id, name, description, default_hourly_rate, status, created_at, updated_at)
SELECT c,
       CASE
         WHEN c % 3 = 0 THEN printf('client %04d', c)
         WHEN c % 5 = 0 THEN printf(' Client %04d ', c)
         ELSE printf('Client %04d', c)
       END,
       CASE WHEN c % 4 = 0 THEN 'Account ' || c END,
       CASE WHEN c % 2 = 0 THEN 50 + c % 70 END,
       CASE WHEN c % 50 = 0 THEN 'inactive' ELSE 'active' END,
       datetime(1541062800 + c * 60, 'unixepoch'),
       datetime(1541149200 + c * 60, 'unixepoch')
FROM s;

-- 10,000 projects; project i bills client ((i-1) % 2000) + 1, each client
-- five times; copy 5 of every tenth client has none. Every seventh
-- project has no created_at, every eleventh no updated_at (001 allows it;
-- the conversion takes the other one). billable: 'true' (server default)
-- on every sixth, 'false' on every 26th.
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 10000),
p(i, c, k) AS (SELECT i, (i - 1) % 2000 + 1, (i - 1) / 2000 FROM s)
INSERT INTO projects (id, name, client_id, description, billable, hourly_rate, billing_ref, status, created_at, updated_at)
SELECT i,
       printf('Project %05d', i),
       CASE WHEN k = 4 AND c % 10 = 0 THEN NULL ELSE c END,
       CASE WHEN i % 3 = 0 THEN printf('Work package %d for client %d', k + 1, c) END,
       CASE WHEN i % 26 = 0 THEN 'false' WHEN i % 6 = 0 THEN 'true' WHEN i % 4 = 0 THEN 0 ELSE 1 END,
       CASE WHEN i % 5 = 0 THEN NULL ELSE 40 + (i % 80) + 0.5 END,
       CASE WHEN i % 9 = 0 THEN printf('PO-%06d', i) END,
       CASE WHEN i % 10 = 0 THEN 'archived' ELSE 'active' END,
       CASE WHEN i % 7 = 0 THEN NULL ELSE datetime(1543654800 + i * 600, 'unixepoch') END,
       CASE WHEN i % 11 = 0 AND i % 7 <> 0 THEN NULL ELSE datetime(1543654800 + i * 600 + 86400, 'unixepoch') END
FROM p;

-- 1,000 tasks on the first 1,000 projects; every third 'pending' (001's
-- default), every 97th assigned to a user that does not exist.
WITH RECURSIVE s(t) AS (SELECT 1 UNION ALL SELECT t + 1 FROM s WHERE t < 1000)
INSERT INTO tasks (id, project_id, name, description, status, priority, assigned_to, created_by, due_date,
                   estimated_hours, created_at, updated_at)
SELECT t, t, 'Task ' || t,
       CASE WHEN t % 2 = 0 THEN 'Details of task ' || t END,
       CASE t % 3 WHEN 0 THEN 'pending' WHEN 1 THEN 'in_progress' ELSE 'done' END,
       CASE t % 4 WHEN 0 THEN 'low' WHEN 1 THEN 'medium' WHEN 2 THEN 'high' ELSE 'urgent' END,
       CASE WHEN t % 97 = 0 THEN 500 WHEN t % 5 = 0 THEN NULL ELSE t % 100 + 1 END,
       1,
       CASE WHEN t % 2 = 1 THEN date('2019-03-01', '+' || t || ' days') END,
       CASE WHEN t % 3 <> 2 THEN (t % 400) / 4.0 END,
       datetime(1543998800 + t * 3600, 'unixepoch'),
       datetime(1544085200 + t * 3600, 'unixepoch')
FROM s;

-- :N time entries. Entry i belongs to user ((i-1) % 100) + 1; four entries
-- a working day, 30 to 110 minutes long, from 2019-01-02 on; duration is a
-- DATETIME since the epoch with microseconds, as SQLAlchemy wrote an
-- INTERVAL on SQLite (NULL on every 50th finished entry). The last entry
-- of every fifth user is a running timer. Every eighth entry names a task,
-- every 1,000th a task that does not exist; every sixth has no source.
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < :N),
e(i, u, st, dur, running) AS (
  SELECT i, (i - 1) % 100 + 1,
         1546416000 + ((i - 1) / 100 / 4) * 86400 + (((i - 1) / 100) % 4) * 7200 + ((i * 13) % 30) * 60,
         1800 + (i * 37) % 4800,
         i > :N - 100 AND ((i - 1) % 100 + 1) % 5 = 0
  FROM s)
INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration,
                          notes, tags, billable, source, created_at, updated_at)
SELECT i, u,
       (i * 7919) % 10000 + 1,
       CASE WHEN i % 1000 = 0 THEN 5000 WHEN i % 8 = 0 THEN i % 1000 + 1 END,
       datetime(st, 'unixepoch'),
       CASE WHEN running THEN NULL ELSE datetime(st + dur, 'unixepoch') END,
       CASE WHEN running OR i % 50 = 0 THEN NULL ELSE datetime(dur, 'unixepoch') || '.000000' END,
       CASE WHEN i % 3 = 0 THEN printf('Worked on item #%d', i % 5000) END,
       CASE i % 6 WHEN 0 THEN 'meeting' WHEN 1 THEN 'dev,review' END,
       CASE WHEN i % 10 = 0 THEN 0 WHEN i % 7 = 0 THEN 'true' ELSE 1 END,
       CASE WHEN i % 6 = 0 THEN NULL WHEN i % 4 = 0 THEN 'auto' ELSE 'manual' END,
       datetime(st, 'unixepoch'),
       datetime(CASE WHEN running THEN st ELSE st + dur END, 'unixepoch')
FROM e;

INSERT INTO settings (id, company_name, company_address, company_phone, company_email, company_website, currency,
                      timezone, rounding_minutes, single_active_timer, idle_timeout_minutes, logo_path, created_at,
                      updated_at)
VALUES (1, 'Bench Consulting', 'Via Roma 1', NULL, 'info@bench.example', NULL, 'EUR', 'Europe/Rome', 5, 'true', 30,
        'C:\uploads\logos\bench.png', '2018-12-01 09:00:00', '2018-12-01 09:00:00');

INSERT INTO alembic_version (version_num) VALUES ('001');

COMMIT;
