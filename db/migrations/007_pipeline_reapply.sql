-- A candidate who withdrew and then applies again to the same posting comes back to
-- "Nouvelle candidature", with the move recorded (no user: the candidate did it).
CREATE TRIGGER pipeline_candidate_reapplied AFTER UPDATE OF withdrawn_at ON applications
WHEN NEW.withdrawn_at IS NULL AND OLD.withdrawn_at IS NOT NULL
BEGIN
  INSERT INTO pipeline_moves (organisation_id, application_id, from_stage_id, to_stage_id, from_name, to_name, actor_user_id, actor_name, comment, reason, created_at)
  SELECT c.organisation_id, c.application_id, c.stage_id, n.id, s.name, n.name, NULL, '', '', 'reapplied_by_candidate', NEW.updated_at
  FROM pipeline_cards c
  JOIN pipeline_stages s ON s.id = c.stage_id
  JOIN pipeline_stages n ON n.posting_id = c.posting_id AND n.kind = 'new'
  WHERE c.application_id = NEW.id AND s.kind = 'withdrawn';
  UPDATE pipeline_cards
     SET stage_id = (SELECT n.id FROM pipeline_stages n WHERE n.posting_id = pipeline_cards.posting_id AND n.kind = 'new'),
         entered_at = NEW.updated_at
   WHERE application_id = NEW.id
     AND stage_id IN (SELECT w.id FROM pipeline_stages w WHERE w.posting_id = pipeline_cards.posting_id AND w.kind = 'withdrawn');
END;
