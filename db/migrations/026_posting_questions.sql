-- Custom questions a posting asks its candidates (yes/no, short text, one choice), and the
-- answers each application gave. A knock-out question states, on the public posting and before
-- anyone applies, the answer the post needs (e.g. a driving licence for a whole territory): a
-- different answer never rejects by itself, it flags the application for the bureau.
CREATE TABLE posting_questions (
  id               INTEGER PRIMARY KEY,
  organisation_id  INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  posting_id       INTEGER NOT NULL REFERENCES postings(id) ON DELETE CASCADE,
  position         INTEGER NOT NULL,
  kind             TEXT NOT NULL CHECK (kind IN ('yes_no', 'short_text', 'choice')),
  label            TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
  hint             TEXT NOT NULL DEFAULT '',
  required         INTEGER NOT NULL DEFAULT 0 CHECK (required IN (0, 1)),
  options          TEXT NOT NULL DEFAULT '[]',   -- JSON array of the choices ('choice' only)
  expected         TEXT,                         -- knock-out: 'yes' / 'no', or one of the choices; NULL: none
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
);
CREATE INDEX posting_questions_posting ON posting_questions(posting_id, position);

-- One answer per application and question; knocked_out: the answer differs from the expected one.
CREATE TABLE application_answers (
  application_id   INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  question_id      INTEGER NOT NULL REFERENCES posting_questions(id) ON DELETE CASCADE,
  organisation_id  INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  value            TEXT NOT NULL,
  knocked_out      INTEGER NOT NULL DEFAULT 0 CHECK (knocked_out IN (0, 1)),
  created_at       TEXT NOT NULL,
  PRIMARY KEY (application_id, question_id)
);
CREATE INDEX application_answers_question ON application_answers(question_id, value);

-- The public posting page lists the questions: a change shows at once (core/page-cache.ts).
CREATE TRIGGER public_revision_questions_ins AFTER INSERT ON posting_questions BEGIN UPDATE public_revision SET revision = revision + 1 WHERE id = 1; END;
CREATE TRIGGER public_revision_questions_upd AFTER UPDATE ON posting_questions BEGIN UPDATE public_revision SET revision = revision + 1 WHERE id = 1; END;
CREATE TRIGGER public_revision_questions_del AFTER DELETE ON posting_questions BEGIN UPDATE public_revision SET revision = revision + 1 WHERE id = 1; END;
