-- A permanent, human reference per posting (issue 13): the year of its creation and its rank
-- among that CPTS's postings of that year, e.g. "2026-03", so that two postings of the same
-- title can be told apart on every page, mail, calendar file and export, and quoted on the
-- phone. Unique per CPTS; never changed once given; never given again, even after a draft is
-- deleted: the last number given per CPTS and year is kept apart from the postings.
CREATE TABLE posting_reference_counters (
  organisation_id  INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  year             INTEGER NOT NULL,
  last_number      INTEGER NOT NULL,
  PRIMARY KEY (organisation_id, year)
) WITHOUT ROWID;

ALTER TABLE postings ADD COLUMN reference TEXT;

-- Existing postings, numbered by creation order within their CPTS and year (UPDATE … FROM:
-- the numbering is computed once, not once per posting; 10,000 postings in well under a second).
UPDATE postings SET reference = printf('%s-%02d', r.year, r.n)
FROM (
  SELECT id, substr(created_at, 1, 4) AS year,
    ROW_NUMBER() OVER (PARTITION BY organisation_id, substr(created_at, 1, 4) ORDER BY created_at, id) AS n
  FROM postings
) AS r
WHERE r.id = postings.id;
INSERT INTO posting_reference_counters (organisation_id, year, last_number)
  SELECT organisation_id, CAST(substr(created_at, 1, 4) AS INTEGER), COUNT(*) FROM postings GROUP BY organisation_id, substr(created_at, 1, 4);

CREATE UNIQUE INDEX postings_reference ON postings(organisation_id, reference);

-- Given by the database in the statement that inserts the posting, so every way a posting is
-- created (blank, template, onboarding step, demo, bench, tests) gets one in its transaction.
CREATE TRIGGER posting_reference_assign AFTER INSERT ON postings WHEN NEW.reference IS NULL
BEGIN
  INSERT INTO posting_reference_counters (organisation_id, year, last_number)
    VALUES (NEW.organisation_id, CAST(substr(NEW.created_at, 1, 4) AS INTEGER), 1)
    ON CONFLICT (organisation_id, year) DO UPDATE SET last_number = last_number + 1;
  UPDATE postings SET reference = (
    SELECT printf('%d-%02d', c.year, c.last_number) FROM posting_reference_counters c
    WHERE c.organisation_id = NEW.organisation_id AND c.year = CAST(substr(NEW.created_at, 1, 4) AS INTEGER)
  ) WHERE id = NEW.id;
END;

-- A reference once given is permanent.
CREATE TRIGGER posting_reference_permanent BEFORE UPDATE OF reference ON postings
  WHEN OLD.reference IS NOT NULL AND NEW.reference IS NOT OLD.reference
BEGIN
  SELECT RAISE(ABORT, 'a posting reference is permanent');
END;
