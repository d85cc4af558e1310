-- Onboarding (templates, plans, steps, reminders) and the regional coordinator network
-- (correspondents, peer mentors, events). Dates of plans are calendar dates (YYYY-MM-DD).

-- A regional template (organisation_id NULL, maintained by chargés de mission) or a CPTS's own
-- copy (organisation_id set). Plans copy the steps: editing a template never changes a plan.
CREATE TABLE onboarding_templates (
  id                  INTEGER PRIMARY KEY,
  region_id           INTEGER NOT NULL REFERENCES regions(id) ON DELETE CASCADE,
  organisation_id     INTEGER REFERENCES organisations(id) ON DELETE CASCADE,
  kind                TEXT NOT NULL CHECK (kind IN ('coordinator', 'case_manager')),
  reference_key       TEXT,                 -- the shipped template it came from, if any
  name                TEXT NOT NULL,
  phases              TEXT NOT NULL,        -- JSON [{key, label}], in order
  source_template_id  INTEGER REFERENCES onboarding_templates(id) ON DELETE SET NULL,
  created_at          TEXT NOT NULL,
  updated_at          TEXT NOT NULL
);
CREATE INDEX onboarding_templates_region ON onboarding_templates(region_id, organisation_id);

CREATE TABLE onboarding_template_steps (
  id               INTEGER PRIMARY KEY,
  template_id      INTEGER NOT NULL REFERENCES onboarding_templates(id) ON DELETE CASCADE,
  position         INTEGER NOT NULL,
  step_key         TEXT,
  phase            TEXT NOT NULL,
  title            TEXT NOT NULL CHECK (length(title) > 0),
  description      TEXT NOT NULL DEFAULT '',
  owner_role       TEXT NOT NULL CHECK (owner_role IN ('coordinator', 'bureau', 'charge_de_mission', 'mentor')),
  due_offset_days  INTEGER NOT NULL,
  resources        TEXT NOT NULL DEFAULT '[]',   -- JSON [{label, url}]
  recurring_every_days INTEGER CHECK (recurring_every_days IS NULL OR recurring_every_days > 0),
  recurring_label  TEXT,
  tag              TEXT CHECK (tag IS NULL OR tag IN ('bureau_exchange', 'correspondents', 'network', 'mentor', 'workload_review', 'training'))
);
CREATE INDEX onboarding_template_steps_template ON onboarding_template_steps(template_id, position);

CREATE TABLE onboarding_plans (
  id               INTEGER PRIMARY KEY,
  organisation_id  INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  user_id          INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind             TEXT NOT NULL CHECK (kind IN ('coordinator', 'case_manager')),
  template_id      INTEGER REFERENCES onboarding_templates(id) ON DELETE SET NULL,
  template_name    TEXT NOT NULL,
  phases           TEXT NOT NULL,          -- JSON copy of the template's phases
  start_date       TEXT NOT NULL,          -- YYYY-MM-DD
  created_by       INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at       TEXT NOT NULL
);
CREATE INDEX onboarding_plans_org ON onboarding_plans(organisation_id);
CREATE INDEX onboarding_plans_user ON onboarding_plans(user_id);

CREATE TABLE onboarding_plan_steps (
  id               INTEGER PRIMARY KEY,
  plan_id          INTEGER NOT NULL REFERENCES onboarding_plans(id) ON DELETE CASCADE,
  organisation_id  INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  position         INTEGER NOT NULL,
  step_key         TEXT,
  phase            TEXT NOT NULL,
  title            TEXT NOT NULL,
  description      TEXT NOT NULL DEFAULT '',
  owner_role       TEXT NOT NULL CHECK (owner_role IN ('coordinator', 'bureau', 'charge_de_mission', 'mentor')),
  due_offset_days  INTEGER NOT NULL,
  due_date         TEXT NOT NULL,          -- YYYY-MM-DD: start date + offset
  resources        TEXT NOT NULL DEFAULT '[]',
  recurring_every_days INTEGER,
  recurring_label  TEXT,
  tag              TEXT,
  status           TEXT NOT NULL DEFAULT 'todo' CHECK (status IN ('todo', 'done', 'not_applicable')),
  status_reason    TEXT,
  status_by        INTEGER REFERENCES users(id) ON DELETE SET NULL,
  status_at        TEXT
);
CREATE INDEX onboarding_plan_steps_plan ON onboarding_plan_steps(plan_id, position);
CREATE INDEX onboarding_plan_steps_due ON onboarding_plan_steps(status, due_date);

-- Who ticked what when: every status change of a step.
CREATE TABLE onboarding_step_history (
  id         INTEGER PRIMARY KEY,
  step_id    INTEGER NOT NULL REFERENCES onboarding_plan_steps(id) ON DELETE CASCADE,
  user_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
  status     TEXT NOT NULL,
  reason     TEXT,
  at         TEXT NOT NULL
);
CREATE INDEX onboarding_step_history_step ON onboarding_step_history(step_id);

CREATE TABLE onboarding_step_comments (
  id         INTEGER PRIMARY KEY,
  step_id    INTEGER NOT NULL REFERENCES onboarding_plan_steps(id) ON DELETE CASCADE,
  user_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
  body       TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX onboarding_step_comments_step ON onboarding_step_comments(step_id);

-- The outcome of a workload review step; posting_id once a case-manager posting was drafted.
CREATE TABLE onboarding_workload_reviews (
  step_id     INTEGER PRIMARY KEY REFERENCES onboarding_plan_steps(id) ON DELETE CASCADE,
  decision    TEXT NOT NULL CHECK (decision IN ('keep', 'adjust', 'open_case_manager')),
  notes       TEXT NOT NULL DEFAULT '',
  decided_by  INTEGER REFERENCES users(id) ON DELETE SET NULL,
  decided_at  TEXT NOT NULL,
  posting_id  INTEGER
);

-- One reminder digest per owner per day at most.
CREATE TABLE onboarding_digests (
  user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  day      TEXT NOT NULL,
  sent_at  TEXT NOT NULL,
  PRIMARY KEY (user_id, day)
);

CREATE TABLE network_correspondents (
  id           INTEGER PRIMARY KEY,
  region_id    INTEGER NOT NULL REFERENCES regions(id) ON DELETE CASCADE,
  department   TEXT NOT NULL,        -- matches organisations.department
  institution  TEXT NOT NULL CHECK (institution IN ('ars', 'cpam', 'dac', 'other')),
  name         TEXT NOT NULL,
  role         TEXT NOT NULL DEFAULT '',
  email        TEXT NOT NULL DEFAULT '',
  phone        TEXT NOT NULL DEFAULT '',
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
);
CREATE INDEX network_correspondents_region ON network_correspondents(region_id, department);

CREATE TABLE network_mentor_pairings (
  id                      INTEGER PRIMARY KEY,
  region_id               INTEGER NOT NULL REFERENCES regions(id) ON DELETE CASCADE,
  mentee_user_id          INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  mentee_organisation_id  INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  mentor_user_id          INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  mentor_organisation_id  INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  created_by              INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at              TEXT NOT NULL,
  ended_at                TEXT,
  CHECK (mentee_organisation_id <> mentor_organisation_id)
);
CREATE UNIQUE INDEX network_mentor_active ON network_mentor_pairings(mentee_user_id, mentee_organisation_id) WHERE ended_at IS NULL;
CREATE INDEX network_mentor_mentor ON network_mentor_pairings(mentor_user_id);

CREATE TABLE network_events (
  id          INTEGER PRIMARY KEY,
  region_id   INTEGER NOT NULL REFERENCES regions(id) ON DELETE CASCADE,
  kind        TEXT NOT NULL CHECK (kind IN ('meeting', 'training')),
  title       TEXT NOT NULL,
  starts_at   TEXT NOT NULL,        -- ISO-8601 UTC
  duration_minutes INTEGER NOT NULL CHECK (duration_minutes > 0),
  place       TEXT NOT NULL,
  agenda      TEXT NOT NULL DEFAULT '',
  uid         TEXT NOT NULL UNIQUE,
  sequence    INTEGER NOT NULL DEFAULT 0,
  created_by  INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE INDEX network_events_region ON network_events(region_id, starts_at);

CREATE TABLE network_event_rsvps (
  event_id    INTEGER NOT NULL REFERENCES network_events(id) ON DELETE CASCADE,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  response    TEXT NOT NULL CHECK (response IN ('yes', 'no', 'maybe')),
  updated_at  TEXT NOT NULL,
  PRIMARY KEY (event_id, user_id)
);
