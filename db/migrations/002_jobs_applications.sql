-- Job postings (from templates, with their history), candidates, applications, their
-- documents and private links, and the per-CPTS notification settings.
-- Timestamps are ISO-8601 UTC text; calendar dates YYYY-MM-DD; money in integer euros.

CREATE TABLE postings (
  id                        INTEGER PRIMARY KEY,
  organisation_id           INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  slug                      TEXT NOT NULL UNIQUE,
  kind                      TEXT NOT NULL CHECK (kind IN ('coordinator', 'case_manager', 'other')),
  template_key              TEXT,
  title                     TEXT NOT NULL,
  location                  TEXT NOT NULL DEFAULT '',
  contract_type             TEXT NOT NULL CHECK (contract_type IN ('CDI', 'CDD', 'other')),
  contract_duration_months  INTEGER CHECK (contract_duration_months IS NULL OR contract_duration_months > 0),
  contract_details          TEXT NOT NULL DEFAULT '',
  fte_percent               INTEGER CHECK (fte_percent IS NULL OR fte_percent BETWEEN 1 AND 100),
  hours_per_week            INTEGER CHECK (hours_per_week IS NULL OR hours_per_week BETWEEN 1 AND 48),
  salary_min                INTEGER CHECK (salary_min IS NULL OR salary_min >= 0),
  salary_max                INTEGER CHECK (salary_max IS NULL OR salary_max >= 0),
  start_date                TEXT,
  deadline                  TEXT,
  summary                   TEXT NOT NULL DEFAULT '',
  description_md            TEXT NOT NULL DEFAULT '',
  contact_name              TEXT NOT NULL DEFAULT '',
  contact_email             TEXT NOT NULL DEFAULT '',
  status                    TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'closed', 'filled')),
  published_at              TEXT,
  closed_at                 TEXT,
  created_by                INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at                TEXT NOT NULL,
  updated_at                TEXT NOT NULL
);
CREATE INDEX postings_organisation ON postings(organisation_id, status);
CREATE INDEX postings_public ON postings(status, published_at);

-- Who changed what and when, for every posting.
CREATE TABLE posting_history (
  id               INTEGER PRIMARY KEY,
  posting_id       INTEGER NOT NULL REFERENCES postings(id) ON DELETE CASCADE,
  organisation_id  INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  user_id          INTEGER REFERENCES users(id) ON DELETE SET NULL,
  actor_label      TEXT NOT NULL DEFAULT '',
  action           TEXT NOT NULL,            -- created, updated, published, closed, filled, reopened
  changes          TEXT NOT NULL DEFAULT '{}', -- JSON {field: [before, after]}
  at               TEXT NOT NULL
);
CREATE INDEX posting_history_posting ON posting_history(posting_id, id);

CREATE TABLE recruitment_settings (
  organisation_id  INTEGER PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
  notify_mode      TEXT NOT NULL DEFAULT 'each' CHECK (notify_mode IN ('each', 'digest')),
  updated_by       INTEGER REFERENCES users(id) ON DELETE SET NULL,
  updated_at       TEXT NOT NULL
);

-- One record per person (by e-mail) across postings; what they sent lives on applications.
CREATE TABLE candidates (
  id               INTEGER PRIMARY KEY,
  email            TEXT NOT NULL UNIQUE COLLATE NOCASE,
  first_name       TEXT NOT NULL,
  last_name        TEXT NOT NULL,
  phone            TEXT NOT NULL DEFAULT '',
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
);

CREATE TABLE applications (
  id                   INTEGER PRIMARY KEY,
  posting_id           INTEGER NOT NULL REFERENCES postings(id) ON DELETE CASCADE,
  organisation_id      INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  candidate_id         INTEGER NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
  status               TEXT NOT NULL DEFAULT 'received'
                         CHECK (status IN ('received', 'in_review', 'interview', 'offer', 'hired', 'rejected', 'withdrawn')),
  message              TEXT NOT NULL DEFAULT '',
  source               TEXT NOT NULL DEFAULT 'other',
  talent_pool_consent  INTEGER NOT NULL DEFAULT 0 CHECK (talent_pool_consent IN (0, 1)),
  talent_pool_at       TEXT,
  notified_at          TEXT,                  -- bureau told (at once, or by the daily digest)
  withdrawn_at         TEXT,
  last_contact_at      TEXT NOT NULL,
  created_at           TEXT NOT NULL,
  updated_at           TEXT NOT NULL,
  UNIQUE (posting_id, candidate_id)
);
CREATE INDEX applications_organisation ON applications(organisation_id, posting_id);
CREATE INDEX applications_candidate ON applications(candidate_id);
CREATE INDEX applications_notify ON applications(organisation_id, notified_at);

-- Files are stored outside public/ under a random name; the original name only for display.
CREATE TABLE application_documents (
  id               INTEGER PRIMARY KEY,
  application_id   INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  organisation_id  INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  kind             TEXT NOT NULL CHECK (kind IN ('cv', 'other')),
  stored_name      TEXT NOT NULL UNIQUE,
  original_name    TEXT NOT NULL,
  file_type        TEXT NOT NULL CHECK (file_type IN ('pdf', 'docx', 'odt')),
  size_bytes       INTEGER NOT NULL CHECK (size_bytes > 0),
  sha256           TEXT NOT NULL,
  created_at       TEXT NOT NULL
);
CREATE INDEX application_documents_application ON application_documents(application_id);

-- The candidate's private links (only the SHA-256 of the token is stored).
CREATE TABLE application_links (
  id               INTEGER PRIMARY KEY,
  application_id   INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  token_hash       TEXT NOT NULL UNIQUE,
  expires_at       TEXT NOT NULL,
  revoked_at       TEXT,
  created_at       TEXT NOT NULL
);
CREATE INDEX application_links_application ON application_links(application_id);

CREATE TABLE application_events (
  id               INTEGER PRIMARY KEY,
  application_id   INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  organisation_id  INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  user_id          INTEGER REFERENCES users(id) ON DELETE SET NULL,
  action           TEXT NOT NULL,             -- submitted, updated, withdrawn, link_revoked
  details          TEXT NOT NULL DEFAULT '{}',
  at               TEXT NOT NULL
);
CREATE INDEX application_events_application ON application_events(application_id, id);

-- At most one application digest per CPTS per day (Europe/Paris calendar day).
CREATE TABLE application_digests (
  organisation_id  INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  day              TEXT NOT NULL,
  sent_at          TEXT NOT NULL,
  PRIMARY KEY (organisation_id, day)
);
