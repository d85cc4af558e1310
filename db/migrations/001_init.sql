-- Foundation: regions, CPTS organisations, users and roles, auth tokens, sessions,
-- mail outbox, job leases, audit log. Timestamps are ISO-8601 UTC text.

CREATE TABLE regions (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  slug        TEXT NOT NULL UNIQUE,
  created_at  TEXT NOT NULL
);

CREATE TABLE organisations (
  id            INTEGER PRIMARY KEY,
  region_id     INTEGER NOT NULL REFERENCES regions(id),
  name          TEXT NOT NULL,
  slug          TEXT NOT NULL UNIQUE,
  department    TEXT NOT NULL,          -- e.g. "Loire-Atlantique (44)"
  territory     TEXT NOT NULL,          -- communes / area covered
  population    INTEGER NOT NULL CHECK (population >= 0),
  size_class    INTEGER NOT NULL CHECK (size_class BETWEEN 1 AND 4),
  presentation  TEXT NOT NULL DEFAULT '',
  email         TEXT,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);
CREATE INDEX organisations_region ON organisations(region_id);

CREATE TABLE users (
  id             INTEGER PRIMARY KEY,
  email          TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name           TEXT NOT NULL,
  password_hash  TEXT,
  locale         TEXT NOT NULL DEFAULT 'fr' CHECK (locale IN ('fr', 'en')),
  is_admin       INTEGER NOT NULL DEFAULT 0,
  disabled_at    TEXT,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
);

-- A role held in one CPTS (bureau, coordinator, case_manager) or in one region
-- (charge_de_mission). Panel membership is per posting and lives with the postings.
CREATE TABLE memberships (
  id               INTEGER PRIMARY KEY,
  user_id          INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  organisation_id  INTEGER REFERENCES organisations(id) ON DELETE CASCADE,
  region_id        INTEGER REFERENCES regions(id) ON DELETE CASCADE,
  role             TEXT NOT NULL CHECK (role IN ('bureau', 'coordinator', 'case_manager', 'charge_de_mission')),
  title            TEXT NOT NULL DEFAULT '',   -- "Président", "Trésorière", ...
  created_at       TEXT NOT NULL,
  CHECK ((role = 'charge_de_mission' AND region_id IS NOT NULL AND organisation_id IS NULL)
      OR (role <> 'charge_de_mission' AND organisation_id IS NOT NULL AND region_id IS NULL))
);
CREATE UNIQUE INDEX memberships_org_unique ON memberships(user_id, organisation_id, role) WHERE organisation_id IS NOT NULL;
CREATE UNIQUE INDEX memberships_region_unique ON memberships(user_id, region_id, role) WHERE region_id IS NOT NULL;
CREATE INDEX memberships_organisation ON memberships(organisation_id);
CREATE INDEX memberships_region ON memberships(region_id);

CREATE TABLE invitations (
  id               INTEGER PRIMARY KEY,
  token_hash       TEXT NOT NULL UNIQUE,
  email            TEXT NOT NULL COLLATE NOCASE,
  name             TEXT NOT NULL,
  organisation_id  INTEGER REFERENCES organisations(id) ON DELETE CASCADE,
  region_id        INTEGER REFERENCES regions(id) ON DELETE CASCADE,
  role             TEXT NOT NULL,
  title            TEXT NOT NULL DEFAULT '',
  invited_by       INTEGER REFERENCES users(id) ON DELETE SET NULL,
  expires_at       TEXT NOT NULL,
  accepted_at      TEXT,
  revoked_at       TEXT,
  created_at       TEXT NOT NULL
);
CREATE INDEX invitations_organisation ON invitations(organisation_id);

CREATE TABLE password_resets (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  token_hash  TEXT NOT NULL UNIQUE,
  expires_at  TEXT NOT NULL,
  used_at     TEXT,
  created_at  TEXT NOT NULL
);

CREATE TABLE sessions (
  sid      TEXT PRIMARY KEY,
  sess     TEXT NOT NULL,
  expires  INTEGER NOT NULL          -- epoch milliseconds
);
CREATE INDEX sessions_expires ON sessions(expires);

-- Durable mail queue: written in the same transaction as the action that sends the mail.
CREATE TABLE outbox (
  id               INTEGER PRIMARY KEY,
  organisation_id  INTEGER REFERENCES organisations(id) ON DELETE SET NULL,
  template         TEXT NOT NULL,
  to_address       TEXT NOT NULL,
  subject          TEXT NOT NULL,
  text_body        TEXT NOT NULL,
  html_body        TEXT NOT NULL,
  status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  TEXT NOT NULL,
  lease_until      TEXT,
  last_error       TEXT,
  created_at       TEXT NOT NULL,
  sent_at          TEXT
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);

-- Keeps two processes from running the same background job at once.
CREATE TABLE job_leases (
  name         TEXT PRIMARY KEY,
  holder       TEXT NOT NULL,
  lease_until  TEXT NOT NULL,
  last_run_at  TEXT
);

-- Append-only record of security-relevant actions (no UPDATE/DELETE from the app).
CREATE TABLE audit_log (
  id               INTEGER PRIMARY KEY,
  at               TEXT NOT NULL,
  actor_user_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
  actor_label      TEXT NOT NULL DEFAULT '',
  action           TEXT NOT NULL,
  organisation_id  INTEGER REFERENCES organisations(id) ON DELETE SET NULL,
  target_type      TEXT,
  target_id        INTEGER,
  ip               TEXT,
  details          TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_org ON audit_log(organisation_id, at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
