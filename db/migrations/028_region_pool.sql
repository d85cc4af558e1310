-- Regional talent pool (issue 17). A second, separate consent at application: share it with the
-- other CPTS of the region for similar posts (revocable from the private link, kept like the
-- talent pool: TALENT_POOL_MONTHS after the last contact).
ALTER TABLE applications ADD COLUMN region_pool_consent INTEGER NOT NULL DEFAULT 0 CHECK (region_pool_consent IN (0, 1));
ALTER TABLE applications ADD COLUMN region_pool_at TEXT;

-- The text of a document, extracted at upload, only for applications shared with the region:
-- a copy of the candidate's data (privacy/personal-data.ts), gone with the document.
CREATE TABLE document_texts (
  document_id      INTEGER PRIMARY KEY REFERENCES application_documents(id) ON DELETE CASCADE,
  application_id   INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  body             TEXT NOT NULL,
  extracted_at     TEXT NOT NULL
);
CREATE INDEX document_texts_application ON document_texts(application_id);

-- The pool's full-text index, one row per shared application (rowid = application id): its
-- message and documents' text with the candidate's identity left out, and its region as a
-- token so a search never leaves the region. Contentless: the index keeps terms, not the text;
-- secure-delete removes a deleted row's terms from the index at once (erasure leaves nothing).
CREATE VIRTUAL TABLE region_pool_fts USING fts5(body, region, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');
INSERT INTO region_pool_fts(region_pool_fts, rank) VALUES ('secure-delete', 1);

-- A chargée de mission proposes a pooled candidate for another CPTS's open posting; the
-- candidate answers through the mailed link (only its SHA-256 here). An accepted proposal
-- created `application_id` in that CPTS, through the candidate's proof.
CREATE TABLE pool_proposals (
  id                     INTEGER PRIMARY KEY,
  region_id              INTEGER NOT NULL REFERENCES regions(id) ON DELETE CASCADE,
  source_application_id  INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  posting_id             INTEGER NOT NULL REFERENCES postings(id) ON DELETE CASCADE,
  organisation_id        INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  proposed_by            INTEGER REFERENCES users(id) ON DELETE SET NULL,
  proposer_name          TEXT NOT NULL,
  token_hash             TEXT NOT NULL UNIQUE,
  status                 TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined', 'cancelled')),
  application_id         INTEGER REFERENCES applications(id) ON DELETE SET NULL,
  expires_at             TEXT NOT NULL,
  created_at             TEXT NOT NULL,
  answered_at            TEXT
);
CREATE UNIQUE INDEX pool_proposals_once ON pool_proposals(source_application_id, posting_id);
CREATE INDEX pool_proposals_region ON pool_proposals(region_id, created_at);
CREATE INDEX pool_proposals_application ON pool_proposals(application_id);

-- The pool lists a region's shared applications of closed recruitments.
CREATE INDEX applications_region_pool ON applications(organisation_id) WHERE region_pool_consent = 1;
