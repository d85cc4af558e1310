-- Issue 15: network events that reach people, the coordinator–bureau meeting series, named
-- step owners and reminder preferences of onboarding plans.

-- ---- network events ---------------------------------------------------------------------------
ALTER TABLE network_events ADD COLUMN video_url TEXT NOT NULL DEFAULT '';
ALTER TABLE network_events ADD COLUMN cancelled_at TEXT;
-- 'region': every coordinator of the region's CPTS; 'organisations': those of the CPTS listed below.
ALTER TABLE network_events ADD COLUMN audience TEXT NOT NULL DEFAULT 'region' CHECK (audience IN ('region', 'organisations'));

CREATE TABLE network_event_organisations (
  event_id         INTEGER NOT NULL REFERENCES network_events(id) ON DELETE CASCADE,
  organisation_id  INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  PRIMARY KEY (event_id, organisation_id)
);

-- Who was invited; reminded_at is the reminder's sent-marker (set with the queued mail).
CREATE TABLE network_event_invitations (
  event_id     INTEGER NOT NULL REFERENCES network_events(id) ON DELETE CASCADE,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  invited_at   TEXT NOT NULL,
  reminded_at  TEXT,
  PRIMARY KEY (event_id, user_id)
);

-- Answer links mailed to invitees: only the SHA-256 of each token is kept. Every mail about an
-- event carries a fresh token, so the links of an earlier mail keep working until the event ends.
CREATE TABLE network_event_answer_tokens (
  token_hash  TEXT PRIMARY KEY,
  event_id    INTEGER NOT NULL REFERENCES network_events(id) ON DELETE CASCADE,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  expires_at  TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
CREATE INDEX network_event_answer_tokens_event ON network_event_answer_tokens(event_id, user_id);

-- The phone a member shares with the network (given to their peer when paired).
CREATE TABLE network_profiles (
  user_id     INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  phone       TEXT NOT NULL DEFAULT '',
  updated_at  TEXT NOT NULL
);

-- Correspondents of any département of the region, with more kinds of institution.
CREATE TABLE network_correspondents_new (
  id           INTEGER PRIMARY KEY,
  region_id    INTEGER NOT NULL REFERENCES regions(id) ON DELETE CASCADE,
  department   TEXT NOT NULL,
  institution  TEXT NOT NULL CHECK (institution IN ('ars', 'cpam', 'dac', 'cls', 'ght', 'other')),
  institution_other TEXT NOT NULL DEFAULT '',
  name         TEXT NOT NULL,
  role         TEXT NOT NULL DEFAULT '',
  email        TEXT NOT NULL DEFAULT '',
  phone        TEXT NOT NULL DEFAULT '',
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
);
INSERT INTO network_correspondents_new (id, region_id, department, institution, name, role, email, phone, created_at, updated_at)
  SELECT id, region_id, department, institution, name, role, email, phone, created_at, updated_at FROM network_correspondents;
DROP TABLE network_correspondents;
ALTER TABLE network_correspondents_new RENAME TO network_correspondents;
CREATE INDEX network_correspondents_region ON network_correspondents(region_id, department);

-- ---- the coordinator–bureau exchange ----------------------------------------------------------
-- One series per CPTS; times are Paris wall-clock (the recurrence follows Paris time across DST).
CREATE TABLE exchange_series (
  id                INTEGER PRIMARY KEY,
  organisation_id   INTEGER NOT NULL UNIQUE REFERENCES organisations(id) ON DELETE CASCADE,
  frequency         TEXT NOT NULL CHECK (frequency IN ('weekly', 'biweekly', 'monthly')),
  weekday           INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),   -- 1 = Monday
  start_time        TEXT NOT NULL,                                       -- HH:MM, Paris
  duration_minutes  INTEGER NOT NULL CHECK (duration_minutes > 0),
  first_date        TEXT NOT NULL,                                       -- YYYY-MM-DD, first meeting
  place             TEXT NOT NULL DEFAULT '',
  video_url         TEXT NOT NULL DEFAULT '',
  uid               TEXT NOT NULL UNIQUE,
  sequence          INTEGER NOT NULL DEFAULT 0,
  plan_step_id      INTEGER REFERENCES onboarding_plan_steps(id) ON DELETE SET NULL,
  created_by        INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL
);

CREATE TABLE exchange_participants (
  series_id  INTEGER NOT NULL REFERENCES exchange_series(id) ON DELETE CASCADE,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (series_id, user_id)
);

-- A meeting exists as a row once someone opens it, adds to it or is reminded of it.
CREATE TABLE exchange_meetings (
  id               INTEGER PRIMARY KEY,
  series_id        INTEGER NOT NULL REFERENCES exchange_series(id) ON DELETE CASCADE,
  organisation_id  INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  starts_at        TEXT NOT NULL,                 -- ISO-8601 UTC
  minutes          TEXT NOT NULL DEFAULT '',
  decisions        TEXT NOT NULL DEFAULT '',
  updated_by       INTEGER REFERENCES users(id) ON DELETE SET NULL,
  updated_at       TEXT,
  reminded_at      TEXT,                          -- the reminder's sent-marker
  UNIQUE (series_id, starts_at)
);
CREATE INDEX exchange_meetings_org ON exchange_meetings(organisation_id, starts_at);

CREATE TABLE exchange_agenda_items (
  id               INTEGER PRIMARY KEY,
  meeting_id       INTEGER NOT NULL REFERENCES exchange_meetings(id) ON DELETE CASCADE,
  organisation_id  INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  author_id        INTEGER REFERENCES users(id) ON DELETE SET NULL,
  body             TEXT NOT NULL CHECK (length(body) > 0),
  created_at       TEXT NOT NULL
);
CREATE INDEX exchange_agenda_items_meeting ON exchange_agenda_items(meeting_id);

-- Action items carry over from meeting to meeting until done.
CREATE TABLE exchange_actions (
  id               INTEGER PRIMARY KEY,
  series_id        INTEGER NOT NULL REFERENCES exchange_series(id) ON DELETE CASCADE,
  organisation_id  INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  meeting_id       INTEGER NOT NULL REFERENCES exchange_meetings(id) ON DELETE CASCADE,
  title            TEXT NOT NULL CHECK (length(title) > 0),
  owner_user_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
  due_date         TEXT NOT NULL,                 -- YYYY-MM-DD
  done_at          TEXT,
  done_by          INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_by       INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at       TEXT NOT NULL
);
CREATE INDEX exchange_actions_series ON exchange_actions(series_id, done_at);

-- ---- onboarding -------------------------------------------------------------------------------
-- A named owner per step (by role by default, set when the plan starts; the bureau may change it).
ALTER TABLE onboarding_plan_steps ADD COLUMN owner_user_id INTEGER REFERENCES users(id) ON DELETE SET NULL;
-- The bureau was told of this overdue step (escalation sent-marker).
ALTER TABLE onboarding_plan_steps ADD COLUMN escalated_at TEXT;

-- How often each person wants the onboarding digest.
CREATE TABLE onboarding_preferences (
  user_id     INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  digest      TEXT NOT NULL DEFAULT 'daily' CHECK (digest IN ('daily', 'weekly', 'off')),
  updated_at  TEXT NOT NULL
);
