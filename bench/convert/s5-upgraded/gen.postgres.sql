-- A legacy TimeTracker database of shape S5-upgraded (docs/conversion.md)
-- on PostgreSQL: an S4-sql database started under v1.2.0 and v1.2.1, the
-- schema of legacy/testdata/s5-upgraded.postgres.sql (projects.client NOT
-- NULL next to a nullable client_id, a clients table, tasks with
-- actual_hours, updated_at triggers, no foreign key on
-- time_entries.task_id). Filled set-based with :N time entries (every
-- 1,000th naming a task that does not exist), 10,000 projects naming 2,000
-- client names with spelling variants (surrounding spaces, other case,
-- empty), a clients table already holding half of the names (the even
-- ones), with client_id set only where the text matched a client exactly
-- (as v1.2.1's migration did), 1,000 tasks (every third 'pending'), 100
-- users and one settings row. bench/convert/run.sh replaces :N before
-- running it.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
BEGIN;

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
    task_id INTEGER,
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

CREATE TABLE IF NOT EXISTS invoices (
    id SERIAL PRIMARY KEY,
    invoice_number VARCHAR(50) UNIQUE NOT NULL,
    project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE,
    client_name VARCHAR(200) NOT NULL,
    client_email VARCHAR(200),
    client_address TEXT,
    issue_date DATE NOT NULL,
    due_date DATE NOT NULL,
    status VARCHAR(20) DEFAULT 'draft' NOT NULL,
    subtotal NUMERIC(10, 2) NOT NULL DEFAULT 0,
    tax_rate NUMERIC(5, 2) NOT NULL DEFAULT 0,
    tax_amount NUMERIC(10, 2) NOT NULL DEFAULT 0,
    total_amount NUMERIC(10, 2) NOT NULL DEFAULT 0,
    notes TEXT,
    terms TEXT,
    created_by INTEGER REFERENCES users(id) ON DELETE CASCADE,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE IF NOT EXISTS invoice_items (
    id SERIAL PRIMARY KEY,
    invoice_id INTEGER REFERENCES invoices(id) ON DELETE CASCADE,
    description VARCHAR(500) NOT NULL,
    quantity NUMERIC(10, 2) NOT NULL DEFAULT 1,
    unit_price NUMERIC(10, 2) NOT NULL,
    total_amount NUMERIC(10, 2) NOT NULL,
    time_entry_ids VARCHAR(500),
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE IF NOT EXISTS tasks (
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
    started_at TIMESTAMP,
    completed_at TIMESTAMP,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
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
    -- Company branding for invoices
    company_name VARCHAR(200) DEFAULT 'Your Company Name' NOT NULL,
    company_address TEXT DEFAULT 'Your Company Address' NOT NULL,
    company_email VARCHAR(200) DEFAULT 'info@yourcompany.com' NOT NULL,
    company_phone VARCHAR(50) DEFAULT '+1 (555) 123-4567' NOT NULL,
    company_website VARCHAR(200) DEFAULT 'www.yourcompany.com' NOT NULL,
    company_logo_filename VARCHAR(255) DEFAULT '' NOT NULL,
    company_tax_id VARCHAR(100) DEFAULT '' NOT NULL,
    company_bank_info TEXT DEFAULT '' NOT NULL,
    -- Invoice defaults
    invoice_prefix VARCHAR(10) DEFAULT 'INV' NOT NULL,
    invoice_start_number INTEGER DEFAULT 1000 NOT NULL,
    invoice_terms TEXT DEFAULT 'Payment is due within 30 days of invoice date.' NOT NULL,
    invoice_notes TEXT DEFAULT 'Thank you for your business!' NOT NULL,

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
CREATE TRIGGER update_tasks_updated_at BEFORE UPDATE ON tasks FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- docker/init-database-enhanced.py @8a378b70 (v1.2.0) on that database: allow_analytics, idx_ indexes,
-- triggers on tasks and invoices; its seeds added a second 'General' project and a second settings row
ALTER TABLE settings ADD COLUMN allow_analytics BOOLEAN DEFAULT true NOT NULL;

CREATE INDEX IF NOT EXISTS idx_users_username ON users(username);
CREATE INDEX IF NOT EXISTS idx_users_role ON users(role);
CREATE INDEX IF NOT EXISTS idx_projects_client ON projects(client);
CREATE INDEX IF NOT EXISTS idx_projects_status ON projects(status);
CREATE INDEX IF NOT EXISTS idx_time_entries_task_id ON time_entries(task_id);
CREATE INDEX IF NOT EXISTS idx_time_entries_billable ON time_entries(billable);
CREATE INDEX IF NOT EXISTS idx_tasks_project_id ON tasks(project_id);
CREATE INDEX IF NOT EXISTS idx_tasks_status ON tasks(status);
CREATE INDEX IF NOT EXISTS idx_tasks_assigned_to ON tasks(assigned_to);
CREATE INDEX IF NOT EXISTS idx_tasks_due_date ON tasks(due_date);
CREATE INDEX IF NOT EXISTS idx_invoices_project_id ON invoices(project_id);
CREATE INDEX IF NOT EXISTS idx_invoices_status ON invoices(status);
CREATE INDEX IF NOT EXISTS idx_invoices_issue_date ON invoices(issue_date);
CREATE INDEX IF NOT EXISTS idx_invoice_items_invoice_id ON invoice_items(invoice_id);

CREATE TRIGGER update_invoices_updated_at BEFORE UPDATE ON invoices FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- docker/init-database-enhanced.py @03868810 (v1.2.1): clients table, projects.client_id NULL, legacy migration
-- (DISTINCT non-empty client values, no TRIM; client_id by exact name), best-effort FK and index.
-- Its seeds then failed on projects.client NOT NULL and rolled back; time_entries.task_id existed, so no FK was added
CREATE TABLE clients (id SERIAL PRIMARY KEY, name VARCHAR(200) UNIQUE NOT NULL, description TEXT, contact_person VARCHAR(200), email VARCHAR(200), phone VARCHAR(50), address TEXT, default_hourly_rate NUMERIC(9, 2), status VARCHAR(20) DEFAULT 'active' NOT NULL, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL, updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL);

ALTER TABLE projects ADD COLUMN client_id INTEGER;

CREATE INDEX IF NOT EXISTS idx_clients_name ON clients(name);
CREATE INDEX IF NOT EXISTS idx_projects_client_id ON projects(client_id);

CREATE TRIGGER update_clients_updated_at BEFORE UPDATE ON clients FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

ALTER TABLE projects ADD CONSTRAINT fk_projects_client_id FOREIGN KEY (client_id) REFERENCES clients(id) ON DELETE CASCADE;

-- 100 users: user 1 is the admin, user 100 is deactivated.
INSERT INTO users (id, username, role, created_at, last_login, is_active, updated_at)
SELECT i,
       CASE WHEN i = 1 THEN 'admin' ELSE format('user%s', lpad(i::text, 3, '0')) END,
       CASE WHEN i = 1 THEN 'admin' ELSE 'user' END,
       timestamp '2018-12-01 09:00:00' + i * interval '1 hour',
       CASE WHEN i % 7 = 0 THEN NULL ELSE timestamp '2025-10-09 08:53:20' + i * interval '90 minutes' END,
       i <> 100,
       timestamp '2018-12-01 10:00:00' + i * interval '1 hour'
FROM generate_series(1, 100) AS i;

-- Half the client names are already clients: 'Client 0002', 'Client 0004',
-- ... (ids 1..1000), as v1.2.1's migration created them.
INSERT INTO clients (id, name, description, default_hourly_rate, status, created_at, updated_at)
SELECT c / 2, 'Client ' || lpad(c::text, 4, '0'),
       CASE WHEN c % 4 = 0 THEN 'Account ' || c END,
       CASE WHEN c % 8 = 0 THEN 50 + c % 70 END,
       'active',
       timestamp '2018-11-01 09:00:00' + c * interval '1 minute',
       timestamp '2018-11-02 09:00:00' + c * interval '1 minute'
FROM generate_series(2, 2000, 2) AS c;

-- 10,000 projects; project i bills client ((i-1) % 2000) + 1, each name five
-- times. Copies 2 and 3 of some names carry surrounding spaces, copy 4 of
-- every seventh name is upper case (another client: names match exactly),
-- copy 5 of every tenth name is empty. client_id is set where the text
-- names an existing client exactly.
INSERT INTO projects (id, name, client, description, billable, hourly_rate, billing_ref, status, created_at, updated_at,
                      client_id)
SELECT i, name, client, description, billable, hourly_rate, billing_ref, status, created_at, updated_at,
       (SELECT id FROM clients WHERE clients.name = p.client)
FROM (
  SELECT i,
         'Project ' || lpad(i::text, 5, '0') AS name,
         CASE
           WHEN k = 4 AND c % 10 = 0 THEN ''
           WHEN k = 3 AND c % 7 = 0 THEN 'CLIENT ' || lpad(c::text, 4, '0')
           WHEN k = 1 AND c % 3 = 0 THEN '  Client ' || lpad(c::text, 4, '0') || '  '
           WHEN k = 2 AND c % 5 = 0 THEN 'Client ' || lpad(c::text, 4, '0') || ' '
           ELSE 'Client ' || lpad(c::text, 4, '0')
         END AS client,
         CASE WHEN i % 3 = 0 THEN format('Work package %s for client %s', k + 1, c) END AS description,
         i % 4 <> 0 AS billable,
         CASE WHEN i % 5 = 0 THEN NULL ELSE 40 + (i % 80) + 0.5 END AS hourly_rate,
         CASE WHEN i % 9 = 0 THEN 'PO-' || lpad(i::text, 6, '0') END AS billing_ref,
         CASE WHEN i % 10 = 0 THEN 'archived' ELSE 'active' END AS status,
         timestamp '2018-12-01 09:00:00' + i * interval '10 minutes' AS created_at,
         timestamp '2018-12-02 09:00:00' + i * interval '10 minutes' AS updated_at
  FROM (SELECT i, (i - 1) % 2000 + 1 AS c, (i - 1) / 2000 AS k FROM generate_series(1, 10000) AS i) q) p;

-- 1,000 tasks on the first 1,000 projects; every third 'pending' (the SQL
-- script's default); actual_hours and started_at on the ones in progress.
INSERT INTO tasks (id, project_id, name, description, status, priority, assigned_to, created_by, due_date,
                   estimated_hours, actual_hours, started_at, completed_at, created_at, updated_at)
SELECT t, t, 'Task ' || t,
       CASE WHEN t % 2 = 0 THEN 'Details of task ' || t END,
       CASE t % 3 WHEN 0 THEN 'pending' WHEN 1 THEN 'in_progress' ELSE 'done' END,
       CASE t % 4 WHEN 0 THEN 'low' WHEN 1 THEN 'medium' WHEN 2 THEN 'high' ELSE 'urgent' END,
       CASE WHEN t % 5 = 0 THEN NULL ELSE t % 100 + 1 END,
       1,
       CASE WHEN t % 2 = 1 THEN date '2019-03-01' + t END,
       CASE WHEN t % 3 <> 2 THEN (t % 400) / 4.0 END,
       CASE WHEN t % 3 = 1 THEN (t % 200) / 8.0 END,
       CASE WHEN t % 3 <> 0 THEN timestamp '2018-12-05 10:00:00' + t * interval '1 hour' END,
       CASE WHEN t % 3 = 2 THEN timestamp '2018-12-06 10:00:00' + t * interval '1 hour' END,
       timestamp '2018-12-05 09:00:00' + t * interval '1 hour',
       timestamp '2018-12-06 09:00:00' + t * interval '1 hour'
FROM generate_series(1, 1000) AS t;

-- :N time entries, as in ../s2/gen.postgres.sql; every eighth names a task,
-- every 1,000th a task that does not exist (no foreign key held it).
INSERT INTO time_entries (id, user_id, project_id, task_id, start_time, end_time, duration_seconds,
                          notes, tags, source, billable, created_at, updated_at)
SELECT i, u,
       (i::bigint * 7919) % 10000 + 1,
       CASE WHEN i % 1000 = 0 THEN 5000 WHEN i % 8 = 0 THEN i % 1000 + 1 END,
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

INSERT INTO settings (id, timezone, currency, company_name, company_logo_filename, created_at, updated_at)
VALUES (1, 'Europe/Rome', 'EUR', 'Bench Consulting', 'bench.png', '2018-12-01 09:00:00', '2018-12-01 09:00:00');

SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users));
SELECT setval(pg_get_serial_sequence('clients', 'id'), (SELECT max(id) FROM clients));
SELECT setval(pg_get_serial_sequence('projects', 'id'), (SELECT max(id) FROM projects));
SELECT setval(pg_get_serial_sequence('tasks', 'id'), (SELECT max(id) FROM tasks));
SELECT setval(pg_get_serial_sequence('time_entries', 'id'), (SELECT max(id) FROM time_entries));
SELECT setval(pg_get_serial_sequence('settings', 'id'), (SELECT max(id) FROM settings));

COMMIT;

-- A database in service has been vacuumed and analysed by autovacuum.
VACUUM ANALYZE;
