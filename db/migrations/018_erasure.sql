-- Erasure and retention leave nothing; mail that behaves.
--
-- Outbox: the Message-ID's random local part is fixed when the mail is queued (the sender adds
-- the domain of MAIL_FROM), so every retry of a row carries the same, globally unique ID; the
-- Reply-To (the CPTS's contact on mails to candidates); whether the mail is automatic
-- (Auto-Submitted: auto-generated); and which applications a mail concerns, so that erasure and
-- retention cancel or scrub it without matching its text.
ALTER TABLE outbox ADD COLUMN message_id TEXT;
ALTER TABLE outbox ADD COLUMN reply_to TEXT;
ALTER TABLE outbox ADD COLUMN auto_submitted INTEGER NOT NULL DEFAULT 1 CHECK (auto_submitted IN (0, 1));
UPDATE outbox SET message_id = lower(hex(randomblob(16))) WHERE message_id IS NULL;
CREATE UNIQUE INDEX outbox_message_id ON outbox(message_id);

CREATE TABLE outbox_applications (
  outbox_id       INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
  application_id  INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  PRIMARY KEY (outbox_id, application_id)
);
CREATE INDEX outbox_applications_application ON outbox_applications(application_id);
-- Mails queued before this migration: the pipeline recorded which application its mails were
-- about; the others are found by address and text by the erasure's safety net.
INSERT OR IGNORE INTO outbox_applications (outbox_id, application_id)
SELECT m.outbox_id, m.application_id FROM pipeline_mails m JOIN outbox o ON o.id = m.outbox_id;

-- The audit log stays append-only, except that erasure may blank what an entry says about the
-- erased person: its details (to '{}') and the address it came from (to NULL). Everything else
-- of an entry, and the fact that it happened, cannot change.
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.actor_user_id IS NOT OLD.actor_user_id
  OR NEW.actor_label IS NOT OLD.actor_label OR NEW.action IS NOT OLD.action
  OR NEW.organisation_id IS NOT OLD.organisation_id OR NEW.target_type IS NOT OLD.target_type
  OR NEW.target_id IS NOT OLD.target_id
  OR (NEW.ip IS NOT OLD.ip AND NEW.ip IS NOT NULL)
  OR (NEW.details IS NOT OLD.details AND NEW.details <> '{}')
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
