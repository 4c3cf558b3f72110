-- legacy/testdata/s2-create_all.sqlite.sql: S2
-- S2 (v1.0.5) created by create_all on SQLite.
-- Schema as TimeTracker left it (reference §4.3/§5.1), then realistic rows with explicit ids.
-- Generated for the legacy-conversion tests; rows marked with a comment are the awkward ones.

-- TimeTracker never enabled SQLite foreign keys; orphans below rely on that.
PRAGMA foreign_keys = OFF;

-- create_all, models @1b3a703c (v1.0.5): start_time/end_time, no SQL defaults, ix_ indexes
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

CREATE TABLE projects (
	id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	client VARCHAR(200) NOT NULL, 
	description TEXT, 
	billable BOOLEAN NOT NULL, 
	hourly_rate NUMERIC(9, 2), 
	billing_ref VARCHAR(100), 
	status VARCHAR(20) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_projects_name ON projects (name);
CREATE INDEX ix_projects_client ON projects (client);

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
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);

CREATE TABLE time_entries (
	id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
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
	FOREIGN KEY(project_id) REFERENCES projects (id)
);
CREATE INDEX ix_time_entries_user_id ON time_entries (user_id);
CREATE INDEX ix_time_entries_project_id ON time_entries (project_id);
CREATE INDEX ix_time_entries_start_time ON time_entries (start_time);
CREATE INDEX ix_time_entries_end_time ON time_entries (end_time);

-- ---------------------------------------------------------------- data

-- admin seeded by the install (role 'admin')
INSERT INTO users (id, username, role, created_at, last_login, is_active) VALUES (1, 'admin', 'admin', '2025-08-26 07:58:12', '2025-09-06 08:12:44.310551', 1);
-- non-ASCII username
INSERT INTO users (id, username, role, created_at, last_login, is_active) VALUES (2, 'jürgen', 'user', '2025-08-26 09:14:03.518204', '2025-09-05 17:40:00', 1);
INSERT INTO users (id, username, role, created_at, last_login, is_active) VALUES (3, 'marie-claire', 'user', '2025-08-27 10:00:00', NULL, 1);
-- quote in username
INSERT INTO users (id, username, role, created_at, last_login, is_active) VALUES (4, 'o''neil', 'user', '2025-08-27 10:05:00', '2025-08-30 06:59:59', 1);
-- inactive non-ASCII user who still owns an entry
INSERT INTO users (id, username, role, created_at, last_login, is_active) VALUES (5, '李雷', 'user', '2025-08-27 11:30:00', NULL, 0);
-- second admin, created later (oldest active admin is id 1)
INSERT INTO users (id, username, role, created_at, last_login, is_active) VALUES (6, 'backup-admin', 'admin', '2025-08-29 08:00:00', NULL, 1);

-- seeded 'General' project
INSERT INTO projects (id, name, client, description, billable, hourly_rate, billing_ref, status, created_at, updated_at) VALUES (1, 'General', 'Default Client', 'Default project for general tasks', 1, NULL, NULL, 'active', '2025-08-26 07:58:12', '2025-08-26 07:58:12');
-- client with surrounding spaces
INSERT INTO projects (id, name, client, description, billable, hourly_rate, billing_ref, status, created_at, updated_at) VALUES (2, 'Website Relaunch', ' Acme ', 'Phase 1 + 2', 1, 85.00, 'PO-2025-001', 'active', '2025-08-27 09:00:00.000001', '2025-08-27 09:00:00.000001');
-- same client trimmed
INSERT INTO projects (id, name, client, description, billable, hourly_rate, billing_ref, status, created_at, updated_at) VALUES (3, 'Mobile App', 'Acme', NULL, 1, 120.50, NULL, 'active', '2025-08-27 09:05:00', '2025-09-01 16:20:00');
-- same client, other case
INSERT INTO projects (id, name, client, description, billable, hourly_rate, billing_ref, status, created_at, updated_at) VALUES (4, 'Support Retainer', 'acme', 'Monthly
retainer', 1, 0.00, '', 'active', '2025-08-27 09:10:00', '2025-08-27 09:10:00');
-- empty client
INSERT INTO projects (id, name, client, description, billable, hourly_rate, billing_ref, status, created_at, updated_at) VALUES (5, 'Internal Tools', '', 'No client yet', 0, NULL, NULL, 'active', '2025-08-27 09:15:00', '2025-08-27 09:15:00');
-- non-ASCII project and client
INSERT INTO projects (id, name, client, description, billable, hourly_rate, billing_ref, status, created_at, updated_at) VALUES (6, 'Brücke Sanierung – Phase «2»', 'Zürich GmbH', NULL, 1, 9999999.99, 'ZH/2025/07', 'active', '2025-08-28 08:00:00', '2025-08-28 08:00:00');
-- archived, not billable
INSERT INTO projects (id, name, client, description, billable, hourly_rate, billing_ref, status, created_at, updated_at) VALUES (7, 'Archived Thing', 'Globex', NULL, 0, 0.01, NULL, 'archived', '2025-08-28 08:30:00', '2025-09-03 18:00:00');

-- finished; quotes in notes
INSERT INTO time_entries (id, user_id, project_id, start_time, end_time, duration_seconds, notes, tags, source, billable, created_at, updated_at) VALUES (1, 1, 2, '2025-08-28 09:00:00', '2025-08-28 10:30:00', 5400, 'Kickoff with "Acme" team; agreed on scope', 'meeting,client', 'manual', 1, '2025-08-28 10:30:05.120044', '2025-08-28 10:30:05.120044');
-- finished timer; multi-line non-ASCII notes
INSERT INTO time_entries (id, user_id, project_id, start_time, end_time, duration_seconds, notes, tags, source, billable, created_at, updated_at) VALUES (2, 2, 6, '2025-08-28 13:05:00', '2025-08-28 14:07:05', 3725, 'Line one
Line two — naïve café', 'dev,backend', 'auto', 1, '2025-08-28 13:05:00', '2025-08-28 14:07:05');
-- running timer #1 of user 2
INSERT INTO time_entries (id, user_id, project_id, start_time, end_time, duration_seconds, notes, tags, source, billable, created_at, updated_at) VALUES (3, 2, 3, '2025-08-29 08:30:00', NULL, NULL, NULL, NULL, 'auto', 1, '2025-08-29 08:30:00', '2025-08-29 08:30:00');
-- running timer #2 of user 2 (single_active_timer was off); emoji
INSERT INTO time_entries (id, user_id, project_id, start_time, end_time, duration_seconds, notes, tags, source, billable, created_at, updated_at) VALUES (4, 2, 4, '2025-08-29 09:45:00', NULL, NULL, 'It''s a 🚀 launch', 'ops', 'auto', 1, '2025-08-29 09:45:00', '2025-08-29 09:45:00');
-- zero duration, backslashes and a tab, empty tags, not billable
INSERT INTO time_entries (id, user_id, project_id, start_time, end_time, duration_seconds, notes, tags, source, billable, created_at, updated_at) VALUES (5, 3, 5, '2025-08-29 11:00:00', '2025-08-29 11:00:00', 0, 'Path C:\temp\report.csv	and a tab', '', 'manual', 0, '2025-08-29 11:00:00', '2025-08-29 11:00:00');
-- crosses midnight; empty notes; messy tags
INSERT INTO time_entries (id, user_id, project_id, start_time, end_time, duration_seconds, notes, tags, source, billable, created_at, updated_at) VALUES (6, 4, 7, '2025-08-29 23:30:00', '2025-08-30 00:45:00', 4500, '', 'night, overtime ,', 'manual', 0, '2025-08-30 00:45:10', '2025-08-30 00:45:10');
-- running timer of user 1
INSERT INTO time_entries (id, user_id, project_id, start_time, end_time, duration_seconds, notes, tags, source, billable, created_at, updated_at) VALUES (7, 1, 1, '2025-08-30 07:15:00', NULL, NULL, 'Timer started from 📱', NULL, 'auto', 1, '2025-08-30 07:15:00', '2025-08-30 07:15:00');
-- CRLF in notes
INSERT INTO time_entries (id, user_id, project_id, start_time, end_time, duration_seconds, notes, tags, source, billable, created_at, updated_at) VALUES (8, 3, 2, '2025-08-30 10:00:00', '2025-08-30 12:00:00', 7200, 'Review' || char(13) || '
windows line endings', 'review', 'manual', 1, '2025-08-30 12:00:00', '2025-08-30 12:00:00');
-- 59 seconds (rounding); non-ASCII notes
INSERT INTO time_entries (id, user_id, project_id, start_time, end_time, duration_seconds, notes, tags, source, billable, created_at, updated_at) VALUES (9, 6, 6, '2025-08-30 14:00:00', '2025-08-30 14:00:59', 59, 'Zürich call – Grüße', NULL, 'manual', 1, '2025-08-30 14:01:00', '2025-08-30 14:01:00');
-- entry of the inactive user
INSERT INTO time_entries (id, user_id, project_id, start_time, end_time, duration_seconds, notes, tags, source, billable, created_at, updated_at) VALUES (10, 5, 3, '2025-08-28 16:00:00', '2025-08-28 17:00:00', 3600, NULL, NULL, 'manual', 1, '2025-08-28 17:00:00', '2025-08-28 17:00:00');

-- the settings row
INSERT INTO settings (id, timezone, currency, rounding_minutes, single_active_timer, allow_self_register, idle_timeout_minutes, backup_retention_days, backup_time, export_delimiter, created_at, updated_at) VALUES (1, 'Europe/Rome', 'EUR', 5, 0, 1, 30, 14, '03:30', ';', '2025-08-26 07:58:12', '2025-09-01 12:00:00.999999');
