-- Candidate pipeline: stages per posting, each application's current stage, the history of
-- moves, notes with mentions, recorded reveals of anonymised identities, the per-posting
-- anonymisation option, and each CPTS's copies of the candidate mail templates.

-- Stages of one posting, in order. kind: 'new' (first, fixed), 'middle' (renamable,
-- reorderable), 'hired' (last of the main flow), and the end states 'rejected' / 'withdrawn'.
CREATE TABLE pipeline_stages (
  id               INTEGER PRIMARY KEY,
  organisation_id  INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  posting_id       INTEGER NOT NULL REFERENCES postings(id) ON DELETE CASCADE,
  kind             TEXT NOT NULL CHECK (kind IN ('new', 'middle', 'hired', 'rejected', 'withdrawn')),
  stage_key        TEXT,                 -- screening, interview, jury, offer for the defaults
  name             TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  position         INTEGER NOT NULL,
  anonymised       INTEGER NOT NULL DEFAULT 0 CHECK (anonymised IN (0, 1)),
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
);
CREATE INDEX pipeline_stages_posting ON pipeline_stages(posting_id, position);
CREATE UNIQUE INDEX pipeline_stages_name ON pipeline_stages(posting_id, name COLLATE NOCASE);

-- Options of a posting's pipeline (absent row = defaults).
CREATE TABLE pipeline_settings (
  posting_id       INTEGER PRIMARY KEY REFERENCES postings(id) ON DELETE CASCADE,
  organisation_id  INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  anonymised       INTEGER NOT NULL DEFAULT 0 CHECK (anonymised IN (0, 1)),
  updated_at       TEXT NOT NULL
);

-- Where each application stands. anon_number is the stable "Candidat·e n°12" of the posting;
-- identity_open turns to 1 once the application reaches a stage that shows identity.
CREATE TABLE pipeline_cards (
  application_id   INTEGER PRIMARY KEY REFERENCES applications(id) ON DELETE CASCADE,
  organisation_id  INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  posting_id       INTEGER NOT NULL REFERENCES postings(id) ON DELETE CASCADE,
  stage_id         INTEGER NOT NULL REFERENCES pipeline_stages(id),
  anon_number      INTEGER NOT NULL,
  identity_open    INTEGER NOT NULL DEFAULT 0 CHECK (identity_open IN (0, 1)),
  rejection_reason TEXT,
  rejection_text   TEXT,
  entered_at       TEXT NOT NULL
);
CREATE INDEX pipeline_cards_posting ON pipeline_cards(posting_id, stage_id);
CREATE INDEX pipeline_cards_org ON pipeline_cards(organisation_id);
CREATE INDEX pipeline_cards_stage ON pipeline_cards(stage_id);

-- Every move (from, to, who, when, comment). Stage names are copied so the history reads
-- the same after a stage is renamed or deleted.
CREATE TABLE pipeline_moves (
  id               INTEGER PRIMARY KEY,
  organisation_id  INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  application_id   INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  from_stage_id    INTEGER REFERENCES pipeline_stages(id) ON DELETE SET NULL,
  to_stage_id      INTEGER REFERENCES pipeline_stages(id) ON DELETE SET NULL,
  from_name        TEXT,
  to_name          TEXT NOT NULL,
  actor_user_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
  actor_name       TEXT NOT NULL DEFAULT '',
  comment          TEXT NOT NULL DEFAULT '',
  reason           TEXT,
  created_at       TEXT NOT NULL
);
CREATE INDEX pipeline_moves_application ON pipeline_moves(application_id, created_at);

CREATE TABLE pipeline_notes (
  id               INTEGER PRIMARY KEY,
  organisation_id  INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  application_id   INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  author_user_id   INTEGER REFERENCES users(id) ON DELETE SET NULL,
  author_name      TEXT NOT NULL,
  body             TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
  created_at       TEXT NOT NULL
);
CREATE INDEX pipeline_notes_application ON pipeline_notes(application_id, created_at);

CREATE TABLE pipeline_note_mentions (
  note_id  INTEGER NOT NULL REFERENCES pipeline_notes(id) ON DELETE CASCADE,
  user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (note_id, user_id)
);

-- Mails sent to a candidate from the pipeline, linked to the outbox row.
CREATE TABLE pipeline_mails (
  id               INTEGER PRIMARY KEY,
  organisation_id  INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  application_id   INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  outbox_id        INTEGER REFERENCES outbox(id) ON DELETE SET NULL,
  template_key     TEXT NOT NULL,
  subject          TEXT NOT NULL,
  actor_user_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
  actor_name       TEXT NOT NULL DEFAULT '',
  created_at       TEXT NOT NULL
);
CREATE INDEX pipeline_mails_application ON pipeline_mails(application_id);

-- Who lifted the anonymity of an application, or opened one of its documents on demand,
-- during anonymised screening (also written to audit_log).
CREATE TABLE pipeline_reveals (
  id               INTEGER PRIMARY KEY,
  organisation_id  INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  application_id   INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  user_id          INTEGER REFERENCES users(id) ON DELETE SET NULL,
  user_name        TEXT NOT NULL DEFAULT '',
  what             TEXT NOT NULL CHECK (what IN ('identity', 'document')),
  document_id      INTEGER,
  created_at       TEXT NOT NULL
);
CREATE INDEX pipeline_reveals_application ON pipeline_reveals(application_id, user_id);

-- A CPTS's own copy of a candidate mail template (absent row = the shipped text).
CREATE TABLE candidate_mail_templates (
  id               INTEGER PRIMARY KEY,
  organisation_id  INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  template_key     TEXT NOT NULL CHECK (template_key IN ('receipt', 'interview', 'rejection', 'rejection_after_interview', 'offer')),
  subject          TEXT NOT NULL,
  body             TEXT NOT NULL,
  updated_by       INTEGER REFERENCES users(id) ON DELETE SET NULL,
  updated_at       TEXT NOT NULL,
  UNIQUE (organisation_id, template_key)
);

-- Every posting gets the default French stages, whichever code creates it, and postings
-- that existed before this migration get them too.
CREATE TRIGGER pipeline_default_stages AFTER INSERT ON postings
BEGIN
  INSERT INTO pipeline_stages (organisation_id, posting_id, kind, stage_key, name, position, anonymised, created_at, updated_at) VALUES
    (NEW.organisation_id, NEW.id, 'new', 'new', 'Nouvelle candidature', 1, 1, NEW.created_at, NEW.created_at),
    (NEW.organisation_id, NEW.id, 'middle', 'screening', 'Présélection', 2, 1, NEW.created_at, NEW.created_at),
    (NEW.organisation_id, NEW.id, 'middle', 'interview', 'Entretien', 3, 0, NEW.created_at, NEW.created_at),
    (NEW.organisation_id, NEW.id, 'middle', 'jury', 'Jury', 4, 0, NEW.created_at, NEW.created_at),
    (NEW.organisation_id, NEW.id, 'middle', 'offer', 'Proposition', 5, 0, NEW.created_at, NEW.created_at),
    (NEW.organisation_id, NEW.id, 'hired', 'hired', 'Recruté(e)', 6, 0, NEW.created_at, NEW.created_at),
    (NEW.organisation_id, NEW.id, 'rejected', 'rejected', 'Non retenu(e)', 7, 0, NEW.created_at, NEW.created_at),
    (NEW.organisation_id, NEW.id, 'withdrawn', 'withdrawn', 'Désistement', 8, 0, NEW.created_at, NEW.created_at);
END;

INSERT INTO pipeline_stages (organisation_id, posting_id, kind, stage_key, name, position, anonymised, created_at, updated_at)
SELECT p.organisation_id, p.id, d.kind, d.stage_key, d.name, d.position, d.anonymised, p.created_at, p.created_at
FROM postings p CROSS JOIN (
  SELECT 'new' AS kind, 'new' AS stage_key, 'Nouvelle candidature' AS name, 1 AS position, 1 AS anonymised
  UNION ALL SELECT 'middle', 'screening', 'Présélection', 2, 1
  UNION ALL SELECT 'middle', 'interview', 'Entretien', 3, 0
  UNION ALL SELECT 'middle', 'jury', 'Jury', 4, 0
  UNION ALL SELECT 'middle', 'offer', 'Proposition', 5, 0
  UNION ALL SELECT 'hired', 'hired', 'Recruté(e)', 6, 0
  UNION ALL SELECT 'rejected', 'rejected', 'Non retenu(e)', 7, 0
  UNION ALL SELECT 'withdrawn', 'withdrawn', 'Désistement', 8, 0
) d;

-- Every application enters the pipeline at the stage matching its status (a new one:
-- Nouvelle candidature), with the next "Candidat·e n°" of its posting.
CREATE TRIGGER pipeline_new_card AFTER INSERT ON applications
BEGIN
  INSERT INTO pipeline_cards (application_id, organisation_id, posting_id, stage_id, anon_number, identity_open, entered_at)
  SELECT NEW.id, NEW.organisation_id, NEW.posting_id, s.id,
         COALESCE((SELECT MAX(anon_number) FROM pipeline_cards WHERE posting_id = NEW.posting_id), 0) + 1,
         CASE WHEN NEW.status IN ('interview', 'offer', 'hired') THEN 1 ELSE 0 END,
         NEW.created_at
  FROM pipeline_stages s
  WHERE s.posting_id = NEW.posting_id
    AND s.stage_key = CASE NEW.status WHEN 'in_review' THEN 'screening' WHEN 'received' THEN 'new' ELSE NEW.status END;
END;

INSERT INTO pipeline_cards (application_id, organisation_id, posting_id, stage_id, anon_number, identity_open, entered_at)
SELECT a.id, a.organisation_id, a.posting_id, s.id,
       ROW_NUMBER() OVER (PARTITION BY a.posting_id ORDER BY a.id),
       CASE WHEN a.status IN ('interview', 'offer', 'hired') THEN 1 ELSE 0 END,
       a.created_at
FROM applications a JOIN pipeline_stages s
  ON s.posting_id = a.posting_id
 AND s.stage_key = CASE a.status WHEN 'in_review' THEN 'screening' WHEN 'received' THEN 'new' ELSE a.status END;

-- A candidate who withdraws through their private link lands in Désistement, with the move
-- recorded (no user: the candidate did it).
CREATE TRIGGER pipeline_candidate_withdrew AFTER UPDATE OF withdrawn_at ON applications
WHEN NEW.withdrawn_at IS NOT NULL AND OLD.withdrawn_at IS NULL
BEGIN
  INSERT INTO pipeline_moves (organisation_id, application_id, from_stage_id, to_stage_id, from_name, to_name, actor_user_id, actor_name, comment, reason, created_at)
  SELECT c.organisation_id, c.application_id, c.stage_id, w.id, s.name, w.name, NULL, '', '', 'withdrawn_by_candidate', NEW.withdrawn_at
  FROM pipeline_cards c
  JOIN pipeline_stages s ON s.id = c.stage_id
  JOIN pipeline_stages w ON w.posting_id = c.posting_id AND w.kind = 'withdrawn'
  WHERE c.application_id = NEW.id AND c.stage_id <> w.id;
  UPDATE pipeline_cards
     SET stage_id = (SELECT w.id FROM pipeline_stages w WHERE w.posting_id = pipeline_cards.posting_id AND w.kind = 'withdrawn'),
         entered_at = NEW.withdrawn_at
   WHERE application_id = NEW.id;
END;
