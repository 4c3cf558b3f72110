-- A legacy TimeTracker V1.1.0 database (shape S4, variant create_all, the
-- layout SQLAlchemy's create_all wrote on PostgreSQL): the schema of
-- legacy/testdata/s4-create_all.postgres.sql, S2's tables plus tasks,
-- time_entries.task_id, invoices without client_id and invoice_items, and
-- settings with the branding columns. No SQL defaults. Filled set-based
-- with the rows of ../s2/gen.postgres.sql (:N time entries, 10,000 projects
-- naming 2,000 distinct clients, some padded with spaces, some empty, 100
-- users), 1,000 tasks (every eighth entry names one),
-- 2,000 invoices whose client_name is their project's client text (every
-- fifth padded with spaces, every 50th a name no project uses) with two
-- items each, and one settings row. bench/convert/run.sh replaces :N
-- before running it.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
BEGIN;

CREATE TABLE users (
	id SERIAL NOT NULL, 
	username VARCHAR(80) NOT NULL, 
	role VARCHAR(20) NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	last_login TIMESTAMP WITHOUT TIME ZONE, 
	is_active BOOLEAN NOT NULL, 
	PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_users_username ON users (username);

CREATE TABLE projects (
	id SERIAL NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	client VARCHAR(200) NOT NULL, 
	description TEXT, 
	billable BOOLEAN NOT NULL, 
	hourly_rate NUMERIC(9, 2), 
	billing_ref VARCHAR(100), 
	status VARCHAR(20) NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	updated_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_projects_name ON projects (name);
CREATE INDEX ix_projects_client ON projects (client);

CREATE TABLE settings (
	id SERIAL NOT NULL, 
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
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	updated_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (id)
);

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

CREATE TABLE time_entries (
	id SERIAL NOT NULL, 
	user_id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	task_id INTEGER, 
	start_time TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	end_time TIMESTAMP WITHOUT TIME ZONE, 
	duration_seconds INTEGER, 
	notes TEXT, 
	tags VARCHAR(500), 
	source VARCHAR(20) NOT NULL, 
	billable BOOLEAN NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	updated_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
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
	id SERIAL NOT NULL, 
	invoice_number VARCHAR(50) NOT NULL, 
	project_id INTEGER NOT NULL, 
	client_name VARCHAR(200) NOT NULL, 
	client_email VARCHAR(200), 
	client_address TEXT, 
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
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	updated_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(project_id) REFERENCES projects (id), 
	FOREIGN KEY(created_by) REFERENCES users (id)
);
CREATE UNIQUE INDEX ix_invoices_invoice_number ON invoices (invoice_number);
CREATE INDEX ix_invoices_project_id ON invoices (project_id);

CREATE TABLE invoice_items (
	id SERIAL NOT NULL, 
	invoice_id INTEGER NOT NULL, 
	description VARCHAR(500) NOT NULL, 
	quantity NUMERIC(10, 2) NOT NULL, 
	unit_price NUMERIC(10, 2) NOT NULL, 
	total_amount NUMERIC(10, 2) NOT NULL, 
	time_entry_ids VARCHAR(500), 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(invoice_id) REFERENCES invoices (id)
);
CREATE INDEX ix_invoice_items_invoice_id ON invoice_items (invoice_id);

-- 100 users: user 1 is the admin, user 100 is deactivated.
INSERT INTO users (id, username, role, created_at, last_login, is_active)
SELECT i,
       CASE WHEN i = 1 THEN 'admin' ELSE format('user%s', lpad(i::text, 3, '0')) END,
       CASE WHEN i = 1 THEN 'admin' ELSE 'user' END,
       timestamp '2018-12-01 09:00:00' + i * interval '1 hour',
       CASE WHEN i % 7 = 0 THEN NULL ELSE timestamp '2025-10-09 08:53:20' + i * interval '90 minutes' END,
       i <> 100
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
INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration_seconds,
                          notes, tags, source, billable, created_at, updated_at)
SELECT i, u,
       (i::bigint * 7919) % 10000 + 1,
       CASE WHEN i % 8 = 0 THEN i % 1000 + 1 END,
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
                      idle_timeout_minutes, backup_retention_days, backup_time, export_delimiter, company_name,
                      company_address, company_email, company_phone, company_website, company_logo_filename,
                      company_tax_id, company_bank_info, invoice_prefix, invoice_start_number, invoice_terms,
                      invoice_notes, created_at, updated_at)
VALUES (1, 'Europe/Rome', 'EUR', 1, true, true, 30, 30, '02:00', ',', 'Bench Consulting', 'Via Roma 1',
        'info@bench.example', '+39 06 000000', 'www.bench.example', 'bench.png', NULL, NULL, 'INV', 1000,
        'Net 30', 'Thank you!', '2018-12-01 09:00:00', '2018-12-01 09:00:00');

-- 2,000 invoices on projects 1..2,000 (one per client name); client_name is
-- the project's client text, padded on every fifth, a name no project uses
-- on every 50th, empty where the project's client is; two items each.
INSERT INTO invoices (id, invoice_number, project_id, client_name, client_email, client_address, issue_date, due_date,
                      status, subtotal, tax_rate, tax_amount, total_amount, notes, terms, created_by, created_at,
                      updated_at)
SELECT v, 'INV-' || lpad(v::text, 6, '0'), v,
       CASE WHEN v % 50 = 0 THEN 'Walk-in ' || v WHEN v % 5 = 0 THEN ' ' || p.client || ' ' ELSE p.client END,
       CASE WHEN v % 4 = 0 THEN 'billing' || v || '@example.com' END,
       NULL,
       date '2020-01-01' + v, date '2020-01-31' + v,
       CASE v % 4 WHEN 0 THEN 'draft' WHEN 1 THEN 'sent' WHEN 2 THEN 'paid' ELSE 'overdue' END,
       100 + v, 22.00, round((100 + v) * 0.22, 2), round((100 + v) * 1.22, 2),
       CASE WHEN v % 3 = 0 THEN 'Thanks' END, NULL,
       CASE WHEN v % 2 = 0 THEN 1 ELSE v % 100 + 1 END,
       timestamp '2020-01-01 12:00:00' + v * interval '1 day',
       timestamp '2020-01-02 12:00:00' + v * interval '1 day'
FROM generate_series(1, 2000) AS v
JOIN projects p ON p.id = v;

INSERT INTO invoice_items (id, invoice_id, description, quantity, unit_price, total_amount, time_entry_ids, created_at)
SELECT j, (j - 1) / 2 + 1, 'Work item ' || j, 1 + j % 5, 20.00, (1 + j % 5) * 20.00,
       CASE WHEN j % 3 = 0 THEN (j * 7)::text || ',' || (j * 7 + 1)::text END,
       timestamp '2020-01-01 12:00:00' + ((j - 1) / 2 + 1) * interval '1 day'
FROM generate_series(1, 4000) AS j;

-- The ids were given explicitly; the sequences continue after them.
SELECT setval('users_id_seq', (SELECT max(id) FROM users));
SELECT setval('projects_id_seq', (SELECT max(id) FROM projects));
SELECT setval('time_entries_id_seq', (SELECT max(id) FROM time_entries));
SELECT setval('settings_id_seq', (SELECT max(id) FROM settings));
SELECT setval('tasks_id_seq', (SELECT max(id) FROM tasks));
SELECT setval('invoices_id_seq', (SELECT max(id) FROM invoices));
SELECT setval('invoice_items_id_seq', (SELECT max(id) FROM invoice_items));

COMMIT;

-- A database in service has been vacuumed and analysed by autovacuum.
VACUUM ANALYZE;
