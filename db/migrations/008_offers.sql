-- Offers made to a candidate in "Proposition", and their outcome. An accepted offer is the
-- hire: the application moves to Recruté(e) through a recorded decision.
CREATE TABLE offers (
  id                        INTEGER PRIMARY KEY,
  organisation_id           INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  posting_id                INTEGER NOT NULL REFERENCES postings(id) ON DELETE CASCADE,
  application_id            INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  start_date                TEXT NOT NULL,                  -- YYYY-MM-DD
  contract_type             TEXT NOT NULL CHECK (contract_type IN ('CDI', 'CDD', 'other')),
  contract_duration_months  INTEGER CHECK (contract_duration_months IS NULL OR contract_duration_months BETWEEN 1 AND 36),
  fte_percent               INTEGER NOT NULL CHECK (fte_percent BETWEEN 10 AND 100),
  salary_gross_yearly       INTEGER NOT NULL CHECK (salary_gross_yearly BETWEEN 10000 AND 200000),
  status                    TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined')),
  decline_reason            TEXT CHECK (decline_reason IS NULL OR decline_reason IN ('salary', 'contract', 'other_offer', 'personal', 'no_answer', 'other')),
  decline_text              TEXT,
  hired_user_id             INTEGER REFERENCES users(id) ON DELETE SET NULL,
  onboarding_plan_id        INTEGER REFERENCES onboarding_plans(id) ON DELETE SET NULL,
  created_by                INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at                TEXT NOT NULL,
  answered_by               INTEGER REFERENCES users(id) ON DELETE SET NULL,
  answered_at               TEXT
);
CREATE INDEX offers_application ON offers(application_id, id);
CREATE INDEX offers_posting ON offers(posting_id);
-- At most one offer waiting for an answer per application.
CREATE UNIQUE INDEX offers_one_pending ON offers(application_id) WHERE status = 'pending';
