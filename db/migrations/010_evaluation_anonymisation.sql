-- A submitted evaluation stays final (levels, recommendation, dates), but its free text may be
-- blanked: the retention job removes a candidate's personal data, and panel comments and
-- summaries are free text about them. Blanking is the only change allowed.
DROP TRIGGER evaluations_submitted_frozen;
CREATE TRIGGER evaluations_submitted_frozen BEFORE UPDATE ON evaluations
WHEN OLD.status = 'submitted' AND (NEW.status <> OLD.status OR NEW.recommendation IS NOT OLD.recommendation
  OR (NEW.summary <> OLD.summary AND NEW.summary <> '') OR NEW.submitted_at IS NOT OLD.submitted_at)
BEGIN SELECT RAISE(ABORT, 'a submitted evaluation is final'); END;

DROP TRIGGER evaluation_ratings_frozen_update;
CREATE TRIGGER evaluation_ratings_frozen_update BEFORE UPDATE ON evaluation_ratings
WHEN (SELECT status FROM evaluations WHERE id = OLD.evaluation_id) = 'submitted'
  AND (NEW.level IS NOT OLD.level OR NEW.criterion_id <> OLD.criterion_id OR NEW.evaluation_id <> OLD.evaluation_id
       OR (NEW.comment <> OLD.comment AND NEW.comment <> ''))
BEGIN SELECT RAISE(ABORT, 'a submitted evaluation is final'); END;
