-- Mail attachments (e.g. calendar invitations), kept with the queued message as JSON:
-- [{"filename": "entretien.ics", "contentType": "text/calendar; method=REQUEST", "content": "..."}]
ALTER TABLE outbox ADD COLUMN attachments TEXT NOT NULL DEFAULT '[]';
