-- Evaluation: a scorecard per posting (copied from a shipped template), the hiring panel,
-- independent evaluations with their ratings (versioned: an amendment is a new version),
-- interviews with their calendar invitations, and the recorded hiring decisions.

CREATE TABLE scorecards (
  id               INTEGER PRIMARY KEY,
  organisation_id  INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  posting_id       INTEGER NOT NULL UNIQUE REFERENCES postings(id) ON DELETE CASCADE,
  template_key     TEXT NOT NULL,
  name             TEXT NOT NULL,
  locked_at        TEXT,                  -- first evaluation submitted: from then on, additions only
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
);

CREATE TABLE scorecard_criteria (
  id               INTEGER PRIMARY KEY,
  organisation_id  INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  scorecard_id     INTEGER NOT NULL REFERENCES scorecards(id) ON DELETE CASCADE,
  criterion_key    TEXT,                  -- the template's key, NULL for a criterion added by the CPTS
  group_key        TEXT NOT NULL CHECK (group_key IN ('savoir_etre', 'savoirs', 'savoir_faire')),
  label            TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 120),
  description      TEXT NOT NULL DEFAULT '',
  weight           INTEGER NOT NULL CHECK (weight BETWEEN 1 AND 3),
  must_have        INTEGER NOT NULL DEFAULT 0 CHECK (must_have IN (0, 1)),
  min_level        INTEGER CHECK (min_level IS NULL OR min_level BETWEEN 1 AND 4),
  level_1          TEXT NOT NULL,
  level_2          TEXT NOT NULL,
  level_3          TEXT NOT NULL,
  level_4          TEXT NOT NULL,
  questions        TEXT NOT NULL DEFAULT '[]',   -- JSON array of strings
  position         INTEGER NOT NULL,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  CHECK (must_have = 0 OR min_level IS NOT NULL)
);
CREATE INDEX scorecard_criteria_scorecard ON scorecard_criteria(scorecard_id, position);

-- Panel options per posting (absent row = starts at the "interview" stage).
CREATE TABLE panels (
  posting_id       INTEGER PRIMARY KEY REFERENCES postings(id) ON DELETE CASCADE,
  organisation_id  INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  start_stage_id   INTEGER REFERENCES pipeline_stages(id) ON DELETE SET NULL,
  updated_at       TEXT NOT NULL
);

-- Who sits on a posting's panel. kind: a member of the CPTS, a chargé(e) de mission of the
-- region, or an outside evaluator invited for this posting only (their account, created with
-- the invitation, has no role anywhere else). Removing a row removes access at once.
CREATE TABLE panel_members (
  id               INTEGER PRIMARY KEY,
  organisation_id  INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  posting_id       INTEGER NOT NULL REFERENCES postings(id) ON DELETE CASCADE,
  user_id          INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind             TEXT NOT NULL CHECK (kind IN ('member', 'charge', 'external')),
  is_chair         INTEGER NOT NULL DEFAULT 0 CHECK (is_chair IN (0, 1)),
  added_by         INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at       TEXT NOT NULL,
  UNIQUE (posting_id, user_id)
);
CREATE UNIQUE INDEX panel_members_one_chair ON panel_members(posting_id) WHERE is_chair = 1;
CREATE INDEX panel_members_user ON panel_members(user_id);

-- One panelist's evaluation of one application. A draft is edited freely; a submitted
-- version never changes (triggers below); an amendment is a new version that supersedes it.
CREATE TABLE evaluations (
  id                INTEGER PRIMARY KEY,
  organisation_id   INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  posting_id        INTEGER NOT NULL REFERENCES postings(id) ON DELETE CASCADE,
  application_id    INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  panelist_user_id  INTEGER REFERENCES users(id) ON DELETE SET NULL,
  panelist_name     TEXT NOT NULL,
  version           INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  status            TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted')),
  recommendation    TEXT CHECK (recommendation IS NULL OR recommendation IN ('strong_no', 'no', 'yes', 'strong_yes')),
  summary           TEXT NOT NULL DEFAULT '',
  amendment_reason  TEXT NOT NULL DEFAULT '',
  submitted_at      TEXT,
  superseded_at     TEXT,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  UNIQUE (application_id, panelist_user_id, version),
  CHECK (status = 'draft' OR recommendation IS NOT NULL)
);
CREATE UNIQUE INDEX evaluations_one_draft ON evaluations(application_id, panelist_user_id) WHERE status = 'draft';
CREATE INDEX evaluations_posting ON evaluations(posting_id, status);

CREATE TABLE evaluation_ratings (
  evaluation_id    INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
  criterion_id     INTEGER NOT NULL REFERENCES scorecard_criteria(id) ON DELETE CASCADE,
  level            INTEGER CHECK (level IS NULL OR level BETWEEN 1 AND 4),   -- NULL: not assessed
  comment          TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (evaluation_id, criterion_id)
);

CREATE TRIGGER evaluations_submitted_frozen BEFORE UPDATE ON evaluations
WHEN OLD.status = 'submitted' AND (NEW.status <> OLD.status OR NEW.recommendation IS NOT OLD.recommendation
  OR NEW.summary <> OLD.summary OR NEW.submitted_at IS NOT OLD.submitted_at)
BEGIN SELECT RAISE(ABORT, 'a submitted evaluation is final'); END;

CREATE TRIGGER evaluation_ratings_frozen_update BEFORE UPDATE ON evaluation_ratings
WHEN (SELECT status FROM evaluations WHERE id = OLD.evaluation_id) = 'submitted'
BEGIN SELECT RAISE(ABORT, 'a submitted evaluation is final'); END;

CREATE TRIGGER evaluation_ratings_frozen_delete BEFORE DELETE ON evaluation_ratings
WHEN (SELECT status FROM evaluations WHERE id = OLD.evaluation_id) = 'submitted'
BEGIN SELECT RAISE(ABORT, 'a submitted evaluation is final'); END;

-- Interviews: Paris wall time chosen by the user, stored as a UTC instant. The UID is stable
-- for the life of the interview; sequence grows on each reschedule and on cancellation.
CREATE TABLE interviews (
  id                INTEGER PRIMARY KEY,
  organisation_id   INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  posting_id        INTEGER NOT NULL REFERENCES postings(id) ON DELETE CASCADE,
  application_id    INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  uid               TEXT NOT NULL UNIQUE,
  sequence          INTEGER NOT NULL DEFAULT 0,
  starts_at         TEXT NOT NULL,
  ends_at           TEXT NOT NULL,
  duration_minutes  INTEGER NOT NULL CHECK (duration_minutes BETWEEN 5 AND 480),
  mode              TEXT NOT NULL CHECK (mode IN ('place', 'video')),
  location          TEXT NOT NULL DEFAULT '',
  video_url         TEXT NOT NULL DEFAULT '',
  status            TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
  created_by        INTEGER REFERENCES users(id) ON DELETE SET NULL,
  organizer_name    TEXT NOT NULL,
  organizer_email   TEXT NOT NULL,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  cancelled_at      TEXT,
  CHECK (ends_at > starts_at)
);
CREATE INDEX interviews_application ON interviews(application_id, starts_at);
CREATE INDEX interviews_time ON interviews(status, starts_at);

CREATE TABLE interview_attendees (
  interview_id     INTEGER NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
  user_id          INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (interview_id, user_id)
);
CREATE INDEX interview_attendees_user ON interview_attendees(user_id);

-- The written rationale behind moving a candidate to Proposition / Recruté(e) or rejecting
-- them after interview: who, when, and the panel's scores as they stood (JSON snapshot).
CREATE TABLE decisions (
  id                INTEGER PRIMARY KEY,
  organisation_id   INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  posting_id        INTEGER NOT NULL REFERENCES postings(id) ON DELETE CASCADE,
  application_id    INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  outcome           TEXT NOT NULL CHECK (outcome IN ('offer', 'hired', 'rejected')),
  from_stage_name   TEXT NOT NULL,
  to_stage_name     TEXT NOT NULL,
  rationale         TEXT NOT NULL CHECK (length(rationale) BETWEEN 1 AND 5000),
  score_snapshot    TEXT NOT NULL DEFAULT '{}',
  decided_by        INTEGER REFERENCES users(id) ON DELETE SET NULL,
  decider_name      TEXT NOT NULL,
  decided_at        TEXT NOT NULL
);
CREATE INDEX decisions_posting ON decisions(posting_id, decided_at);
