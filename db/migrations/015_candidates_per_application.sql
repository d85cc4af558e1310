-- migrate: foreign_keys off
-- Candidate records belong to one CPTS and to one application (issue 12). Until now one row
-- per e-mail address was shared by every CPTS, so a form sent to CPTS B with an address that
-- had applied to CPTS A renamed the person on A's pages. Now each application has its own
-- candidate row, in its CPTS: nothing one CPTS's form receives can change what another sees,
-- and a public form only ever creates. The same address applying twice within a CPTS is a
-- fact found by (organisation_id, email), never a shared row.
--
-- The table is rebuilt the SQLite way (foreign keys off for this file, checked before commit):
-- dropping it with foreign keys on would cascade to every application.

CREATE TABLE candidates_new (
  id               INTEGER PRIMARY KEY,
  organisation_id  INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  email            TEXT NOT NULL COLLATE NOCASE,
  first_name       TEXT NOT NULL,
  last_name        TEXT NOT NULL,
  phone            TEXT NOT NULL DEFAULT '',
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
);

-- The first use of a shared row (its lowest application id) keeps the row's id, so links,
-- exports and audit entries that name it stay right.
INSERT INTO candidates_new (id, organisation_id, email, first_name, last_name, phone, created_at, updated_at)
SELECT c.id, a.organisation_id, c.email, c.first_name, c.last_name, c.phone, c.created_at, c.updated_at
FROM candidates c
JOIN applications a ON a.id = (SELECT MIN(b.id) FROM applications b WHERE b.candidate_id = c.id);

-- Every later application of a shared row gets a copy of it, in its own CPTS, with a new id.
CREATE TABLE candidate_split AS
SELECT a.id AS application_id, a.candidate_id AS old_id,
       (SELECT COALESCE(MAX(id), 0) FROM candidates) + ROW_NUMBER() OVER (ORDER BY a.id) AS new_id
FROM applications a
WHERE a.id <> (SELECT MIN(b.id) FROM applications b WHERE b.candidate_id = a.candidate_id);

INSERT INTO candidates_new (id, organisation_id, email, first_name, last_name, phone, created_at, updated_at)
SELECT s.new_id, a.organisation_id, c.email, c.first_name, c.last_name, c.phone, c.created_at, c.updated_at
FROM candidate_split s JOIN applications a ON a.id = s.application_id JOIN candidates c ON c.id = s.old_id;

UPDATE applications SET candidate_id = (SELECT s.new_id FROM candidate_split s WHERE s.application_id = applications.id)
WHERE id IN (SELECT application_id FROM candidate_split);

DROP TABLE candidate_split;
-- A row no application uses is reachable from no page and belongs to no CPTS: it goes.
DROP TABLE candidates;
ALTER TABLE candidates_new RENAME TO candidates;

-- Duplicate detection within a CPTS ("same e-mail address as application n°…").
CREATE INDEX candidates_organisation_email ON candidates(organisation_id, email COLLATE NOCASE);

-- One candidate row per application, held by the schema: no code path can share one again.
CREATE UNIQUE INDEX applications_one_candidate ON applications(candidate_id);
DROP INDEX applications_candidate;

-- The acknowledgement cap counts the mails sent to an address in the last 24 hours.
CREATE INDEX outbox_recipient ON outbox(to_address COLLATE NOCASE, created_at);
