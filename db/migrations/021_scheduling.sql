-- Interview scheduling: the panel's availability poll over proposed slots, the candidates'
-- self-scheduling among the slots with the quorum, the day-before reminders and the members'
-- calendar subscription feeds. Times are UTC instants (chosen in Paris wall time).

-- A posting's poll settings: how many available panel members make a slot usable, whether
-- the chair must be one of them, and until how many hours before a slot candidates may
-- choose, move or cancel.
CREATE TABLE scheduling_polls (
  posting_id        INTEGER PRIMARY KEY REFERENCES postings(id) ON DELETE CASCADE,
  organisation_id   INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  quorum            INTEGER NOT NULL DEFAULT 2 CHECK (quorum BETWEEN 1 AND 30),
  chair_required    INTEGER NOT NULL DEFAULT 1 CHECK (chair_required IN (0, 1)),
  deadline_hours    INTEGER NOT NULL DEFAULT 24 CHECK (deadline_hours BETWEEN 0 AND 336),
  updated_at        TEXT NOT NULL
);

CREATE TABLE scheduling_slots (
  id                INTEGER PRIMARY KEY,
  organisation_id   INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  posting_id        INTEGER NOT NULL REFERENCES postings(id) ON DELETE CASCADE,
  starts_at         TEXT NOT NULL,
  ends_at           TEXT NOT NULL,
  duration_minutes  INTEGER NOT NULL CHECK (duration_minutes BETWEEN 15 AND 480),
  mode              TEXT NOT NULL CHECK (mode IN ('place', 'video')),
  location          TEXT NOT NULL DEFAULT '',
  video_url         TEXT NOT NULL DEFAULT '',
  status            TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'removed')),
  created_by        INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at        TEXT NOT NULL,
  removed_at        TEXT,
  CHECK (ends_at > starts_at)
);
CREATE INDEX scheduling_slots_posting ON scheduling_slots(posting_id, status, starts_at);

-- A panel member's answer per slot. Only current panel members count (answers of someone
-- taken off the panel stay here but are read through panel_members).
CREATE TABLE scheduling_answers (
  slot_id           INTEGER NOT NULL REFERENCES scheduling_slots(id) ON DELETE CASCADE,
  user_id           INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  answer            TEXT NOT NULL CHECK (answer IN ('yes', 'maybe', 'no')),
  updated_at        TEXT NOT NULL,
  PRIMARY KEY (slot_id, user_id)
);
CREATE INDEX scheduling_answers_user ON scheduling_answers(user_id);

-- The signed link in the poll mail, so a member (outside evaluators too) answers without
-- logging in. Only the token's SHA-256 is kept.
CREATE TABLE scheduling_panel_links (
  id                INTEGER PRIMARY KEY,
  organisation_id   INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  posting_id        INTEGER NOT NULL REFERENCES postings(id) ON DELETE CASCADE,
  user_id           INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  token_hash        TEXT NOT NULL UNIQUE,
  expires_at        TEXT NOT NULL,
  revoked_at        TEXT,
  created_at        TEXT NOT NULL
);
CREATE INDEX scheduling_panel_links_member ON scheduling_panel_links(posting_id, user_id);

-- A shortlisted candidate invited to choose a slot; they reach it through their private link.
CREATE TABLE scheduling_invitations (
  id                INTEGER PRIMARY KEY,
  organisation_id   INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  posting_id        INTEGER NOT NULL REFERENCES postings(id) ON DELETE CASCADE,
  application_id    INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  invited_by        INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  UNIQUE (posting_id, application_id)
);

-- A booked slot. The slot is the primary key: two candidates choosing one slot at the same
-- moment cannot both have it, whatever the application code does.
CREATE TABLE scheduling_bookings (
  slot_id           INTEGER PRIMARY KEY REFERENCES scheduling_slots(id) ON DELETE CASCADE,
  invitation_id     INTEGER NOT NULL UNIQUE REFERENCES scheduling_invitations(id) ON DELETE CASCADE,
  interview_id      INTEGER REFERENCES interviews(id) ON DELETE SET NULL,
  booked_at         TEXT NOT NULL
);

-- One day-before reminder per interview and start time (a moved interview gets a new one).
CREATE TABLE interview_reminders (
  interview_id      INTEGER NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
  starts_at         TEXT NOT NULL,
  sent_at           TEXT NOT NULL,
  PRIMARY KEY (interview_id, starts_at)
);

-- A member's private calendar subscription (webcal:). One live token per member; only its
-- SHA-256 is kept; revoking deletes it, regenerating replaces it.
CREATE TABLE calendar_feeds (
  user_id           INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  token_hash        TEXT NOT NULL UNIQUE,
  created_at        TEXT NOT NULL,
  last_read_at      TEXT
);
