-- Candidate mails: held until the post is filled (runner-up rejections), or cancelled during
-- the few minutes before they leave (the outbox row waits with next_attempt_at in the future).
-- A held mail has no outbox row until it is released; a cancelled one loses its outbox row
-- and keeps here that it was not sent, by whom and when.
ALTER TABLE pipeline_mails ADD COLUMN held_until_filled INTEGER NOT NULL DEFAULT 0 CHECK (held_until_filled IN (0, 1));
ALTER TABLE pipeline_mails ADD COLUMN released_at TEXT;
ALTER TABLE pipeline_mails ADD COLUMN cancelled_at TEXT;
ALTER TABLE pipeline_mails ADD COLUMN cancelled_by_name TEXT;
CREATE INDEX pipeline_mails_held ON pipeline_mails(organisation_id, held_until_filled, released_at);

-- A decision's rationale per scorecard criterion, where it matters (a must-have overridden,
-- a lower-ranked candidate chosen): JSON [{"criterion": "...", "text": "..."}]. `reused_from`
-- points at the decision whose rationale an offer's acceptance carries forward.
ALTER TABLE decisions ADD COLUMN criteria_rationale TEXT NOT NULL DEFAULT '[]';
ALTER TABLE decisions ADD COLUMN reused_from INTEGER REFERENCES decisions(id) ON DELETE SET NULL;

-- Why an interview was cancelled (told to the candidate and the panel).
ALTER TABLE interviews ADD COLUMN cancel_reason TEXT;

-- Every candidate gets an answer: an application without a reply after this many days is
-- listed on the bureau's dashboard and in its digest.
ALTER TABLE recruitment_settings ADD COLUMN waiting_days INTEGER NOT NULL DEFAULT 15 CHECK (waiting_days BETWEEN 1 AND 90);
