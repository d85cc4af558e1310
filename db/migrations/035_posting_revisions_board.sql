-- The pipeline board keeps, per posting and viewer, which cards each column shows with their
-- documents count and the anonymity rule's verdict (pipeline/board.ts), under the posting's
-- revision (migration 011). These triggers bump it for what the board reads beyond the
-- ranking's inputs: a card's place in its column and its identity (entered_at, identity_open,
-- anon_number), the documents of an application, the posting's anonymised screening setting,
-- and identity reveals (the verdict depends on the viewer's). Candidates' names are not kept
-- (read fresh for the cards shown), so no trigger on candidates. As in 011, a trigger that can
-- fire while a posting is being deleted upserts only if the posting still exists.
CREATE TRIGGER posting_revision_cards_board_upd AFTER UPDATE OF entered_at, identity_open, anon_number ON pipeline_cards
BEGIN INSERT INTO posting_revisions (posting_id, revision) VALUES (NEW.posting_id, 1) ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;

CREATE TRIGGER posting_revision_documents_ins AFTER INSERT ON application_documents
BEGIN INSERT INTO posting_revisions (posting_id, revision) SELECT a.posting_id, 1 FROM applications a JOIN postings p ON p.id = a.posting_id WHERE a.id = NEW.application_id ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER posting_revision_documents_upd AFTER UPDATE OF application_id ON application_documents
BEGIN INSERT INTO posting_revisions (posting_id, revision) SELECT a.posting_id, 1 FROM applications a JOIN postings p ON p.id = a.posting_id WHERE a.id IN (OLD.application_id, NEW.application_id) ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER posting_revision_documents_del AFTER DELETE ON application_documents
BEGIN INSERT INTO posting_revisions (posting_id, revision) SELECT a.posting_id, 1 FROM applications a JOIN postings p ON p.id = a.posting_id WHERE a.id = OLD.application_id ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;

CREATE TRIGGER posting_revision_settings_ins AFTER INSERT ON pipeline_settings
BEGIN INSERT INTO posting_revisions (posting_id, revision) SELECT NEW.posting_id, 1 FROM postings WHERE id = NEW.posting_id ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER posting_revision_settings_upd AFTER UPDATE ON pipeline_settings
BEGIN INSERT INTO posting_revisions (posting_id, revision) SELECT p.id, 1 FROM postings p WHERE p.id IN (OLD.posting_id, NEW.posting_id) ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER posting_revision_settings_del AFTER DELETE ON pipeline_settings
BEGIN INSERT INTO posting_revisions (posting_id, revision) SELECT OLD.posting_id, 1 FROM postings WHERE id = OLD.posting_id ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;

CREATE TRIGGER posting_revision_reveals_ins AFTER INSERT ON pipeline_reveals
BEGIN INSERT INTO posting_revisions (posting_id, revision) SELECT a.posting_id, 1 FROM applications a JOIN postings p ON p.id = a.posting_id WHERE a.id = NEW.application_id ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER posting_revision_reveals_upd AFTER UPDATE ON pipeline_reveals
BEGIN INSERT INTO posting_revisions (posting_id, revision) SELECT a.posting_id, 1 FROM applications a JOIN postings p ON p.id = a.posting_id WHERE a.id IN (OLD.application_id, NEW.application_id) ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER posting_revision_reveals_del AFTER DELETE ON pipeline_reveals
BEGIN INSERT INTO posting_revisions (posting_id, revision) SELECT a.posting_id, 1 FROM applications a JOIN postings p ON p.id = a.posting_id WHERE a.id = OLD.application_id ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;
