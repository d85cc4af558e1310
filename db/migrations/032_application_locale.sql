-- The language a candidate applied in (the visitor's language on the apply page, or on the
-- page where they accepted a regional proposal): every mail to them is written in it. A
-- candidate has no account, so the application carries it.
ALTER TABLE applications ADD COLUMN locale TEXT NOT NULL DEFAULT 'fr' CHECK (locale IN ('fr', 'en'));
