-- Panel calibration per recruitment, kept between visits (issue 17: one region's page well
-- under 100 ms on the national dataset). Every figure of a region's calibration page adds up
-- over its recruitments: the coincidence patterns per criterion, the complete panels, each
-- panelist's sums. A recruitment's summary is computed from its current submitted ratings the
-- first time it is needed and again only after its revision moved on.
--
-- The revision is a value of one clock that only grows: the triggers below move a
-- recruitment's revision on whenever a submitted evaluation, one of its ratings, the panel or
-- a criterion of its scorecard changes. A summary records the revision it was computed at and is
-- written only if the revision is still that one, so a change during the computation is never
-- hidden. The summary holds counts and sums keyed by criterion and panelist account: no
-- candidate's data.
CREATE TABLE calibration_clock (
  id  INTEGER PRIMARY KEY CHECK (id = 1),
  n   INTEGER NOT NULL
);
INSERT INTO calibration_clock (id, n) VALUES (1, 1);

-- No foreign key on posting_id: the triggers also run while a posting's evaluations are
-- deleted along with it; readers join postings, and the posting's deletion removes its row.
CREATE TABLE calibration_postings (
  posting_id        INTEGER PRIMARY KEY,
  organisation_id   INTEGER NOT NULL,
  revision          INTEGER NOT NULL,
  summary_revision  INTEGER,
  summary           TEXT
);
CREATE INDEX calibration_postings_organisation ON calibration_postings(organisation_id);
-- The background job's read: the summaries to compute again.
CREATE INDEX calibration_postings_stale ON calibration_postings(revision) WHERE summary_revision IS NOT revision;

INSERT INTO calibration_postings (posting_id, organisation_id, revision)
  SELECT DISTINCT posting_id, organisation_id, 1 FROM evaluations WHERE status = 'submitted';

CREATE TRIGGER calibration_evaluation_insert AFTER INSERT ON evaluations WHEN NEW.status = 'submitted'
BEGIN
  UPDATE calibration_clock SET n = n + 1;
  INSERT OR IGNORE INTO calibration_postings (posting_id, organisation_id, revision)
    SELECT NEW.posting_id, NEW.organisation_id, 0 WHERE EXISTS (SELECT 1 FROM postings WHERE id = NEW.posting_id);
  UPDATE calibration_postings SET revision = (SELECT n FROM calibration_clock) WHERE posting_id = NEW.posting_id;
END;

CREATE TRIGGER calibration_evaluation_update AFTER UPDATE ON evaluations WHEN NEW.status = 'submitted' OR OLD.status = 'submitted'
BEGIN
  UPDATE calibration_clock SET n = n + 1;
  INSERT OR IGNORE INTO calibration_postings (posting_id, organisation_id, revision)
    SELECT NEW.posting_id, NEW.organisation_id, 0 WHERE EXISTS (SELECT 1 FROM postings WHERE id = NEW.posting_id);
  UPDATE calibration_postings SET revision = (SELECT n FROM calibration_clock) WHERE posting_id IN (NEW.posting_id, OLD.posting_id);
END;

CREATE TRIGGER calibration_evaluation_delete AFTER DELETE ON evaluations WHEN OLD.status = 'submitted'
BEGIN
  UPDATE calibration_clock SET n = n + 1;
  UPDATE calibration_postings SET revision = (SELECT n FROM calibration_clock) WHERE posting_id = OLD.posting_id;
END;

CREATE TRIGGER calibration_rating_insert AFTER INSERT ON evaluation_ratings
WHEN (SELECT status FROM evaluations WHERE id = NEW.evaluation_id) = 'submitted'
BEGIN
  UPDATE calibration_clock SET n = n + 1;
  UPDATE calibration_postings SET revision = (SELECT n FROM calibration_clock)
    WHERE posting_id = (SELECT posting_id FROM evaluations WHERE id = NEW.evaluation_id);
END;

CREATE TRIGGER calibration_panel_insert AFTER INSERT ON panel_members
BEGIN
  UPDATE calibration_clock SET n = n + 1;
  UPDATE calibration_postings SET revision = (SELECT n FROM calibration_clock) WHERE posting_id = NEW.posting_id;
END;

CREATE TRIGGER calibration_panel_update AFTER UPDATE OF posting_id, user_id ON panel_members
BEGIN
  UPDATE calibration_clock SET n = n + 1;
  UPDATE calibration_postings SET revision = (SELECT n FROM calibration_clock) WHERE posting_id IN (NEW.posting_id, OLD.posting_id);
END;

CREATE TRIGGER calibration_panel_delete AFTER DELETE ON panel_members
BEGIN
  UPDATE calibration_clock SET n = n + 1;
  UPDATE calibration_postings SET revision = (SELECT n FROM calibration_clock) WHERE posting_id = OLD.posting_id;
END;

-- Its label and key group the ratings; its anchors are shown beside the figures.
CREATE TRIGGER calibration_criterion_update AFTER UPDATE ON scorecard_criteria
BEGIN
  UPDATE calibration_clock SET n = n + 1;
  UPDATE calibration_postings SET revision = (SELECT n FROM calibration_clock)
    WHERE posting_id = (SELECT posting_id FROM scorecards WHERE id = NEW.scorecard_id);
END;

CREATE TRIGGER calibration_posting_delete AFTER DELETE ON postings
BEGIN
  DELETE FROM calibration_postings WHERE posting_id = OLD.id;
END;

-- A CPTS that moves to another region takes its recruitments' figures with it.
CREATE TRIGGER calibration_organisation_region AFTER UPDATE OF region_id ON organisations
BEGIN
  UPDATE calibration_clock SET n = n + 1;
  UPDATE calibration_postings SET revision = (SELECT n FROM calibration_clock) WHERE organisation_id = NEW.id;
END;
