-- A revision stamp per posting, bumped by the database whenever something the panel's ranking
-- and score badges aggregate changes for that posting: submitted evaluations and their
-- ratings, the scorecard and its criteria, the panel and its members, the pipeline's stages
-- and cards (the evaluated set depends on the stage), moves and applications. The evaluation
-- feature caches each posting's aggregation inputs in memory keyed by (posting, revision) and
-- reads this one row per request, so every process sharing the database stays correct.
-- An absent row reads as revision 0.
--
-- Drafts are left out on purpose (only submitted evaluations are aggregated; a panelist's own
-- drafts are read on each request): autosaving a draft does not invalidate the cache.
-- Trigger bodies stay one upsert each: the rating triggers fire once per inserted rating.
-- Triggers that can fire while a posting (or its CPTS) is being deleted, through a cascade or
-- an ON DELETE SET NULL, upsert only if the posting still exists: posting_revisions refers to
-- it, and the posting's own row is gone by the time its children are removed.
CREATE TABLE posting_revisions (
  posting_id  INTEGER PRIMARY KEY REFERENCES postings(id) ON DELETE CASCADE,
  revision    INTEGER NOT NULL
);

-- Evaluations: those submitted (a submission, an amendment superseding the previous version,
-- an erasure cascading from the application).
CREATE TRIGGER posting_revision_evaluations_ins AFTER INSERT ON evaluations WHEN NEW.status = 'submitted'
BEGIN INSERT INTO posting_revisions (posting_id, revision) VALUES (NEW.posting_id, 1) ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER posting_revision_evaluations_upd AFTER UPDATE OF status, superseded_at, recommendation, posting_id, application_id, panelist_user_id ON evaluations
WHEN NEW.status = 'submitted' OR OLD.status = 'submitted'
BEGIN INSERT INTO posting_revisions (posting_id, revision) VALUES (NEW.posting_id, 1) ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER posting_revision_evaluations_del AFTER DELETE ON evaluations WHEN OLD.status = 'submitted'
BEGIN INSERT INTO posting_revisions (posting_id, revision) SELECT OLD.posting_id, 1 FROM postings WHERE id = OLD.posting_id ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;

-- Ratings of a submitted evaluation (a draft's ratings change nothing aggregated; blanking a
-- comment neither). The lookup of the evaluation is by primary key.
CREATE TRIGGER posting_revision_ratings_ins AFTER INSERT ON evaluation_ratings
BEGIN INSERT INTO posting_revisions (posting_id, revision) SELECT posting_id, 1 FROM evaluations WHERE id = NEW.evaluation_id AND status = 'submitted' ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER posting_revision_ratings_upd AFTER UPDATE OF level, criterion_id, evaluation_id ON evaluation_ratings
BEGIN INSERT INTO posting_revisions (posting_id, revision) SELECT posting_id, 1 FROM evaluations WHERE id = NEW.evaluation_id AND status = 'submitted' ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER posting_revision_ratings_del AFTER DELETE ON evaluation_ratings
BEGIN INSERT INTO posting_revisions (posting_id, revision) SELECT posting_id, 1 FROM evaluations WHERE id = OLD.evaluation_id AND status = 'submitted' ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;

-- Scorecard and criteria (weights, must-haves, additions, deletions).
CREATE TRIGGER posting_revision_scorecards_ins AFTER INSERT ON scorecards
BEGIN INSERT INTO posting_revisions (posting_id, revision) VALUES (NEW.posting_id, 1) ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER posting_revision_scorecards_upd AFTER UPDATE ON scorecards
BEGIN INSERT INTO posting_revisions (posting_id, revision) VALUES (NEW.posting_id, 1) ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER posting_revision_scorecards_del AFTER DELETE ON scorecards
BEGIN INSERT INTO posting_revisions (posting_id, revision) SELECT OLD.posting_id, 1 FROM postings WHERE id = OLD.posting_id ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER posting_revision_criteria_ins AFTER INSERT ON scorecard_criteria
BEGIN INSERT INTO posting_revisions (posting_id, revision) SELECT posting_id, 1 FROM scorecards WHERE id = NEW.scorecard_id ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER posting_revision_criteria_upd AFTER UPDATE ON scorecard_criteria
BEGIN INSERT INTO posting_revisions (posting_id, revision) SELECT posting_id, 1 FROM scorecards WHERE id = NEW.scorecard_id ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER posting_revision_criteria_del AFTER DELETE ON scorecard_criteria
BEGIN INSERT INTO posting_revisions (posting_id, revision) SELECT posting_id, 1 FROM scorecards WHERE id = OLD.scorecard_id ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;

-- Panel options (the first evaluated stage) and members.
CREATE TRIGGER posting_revision_panels_ins AFTER INSERT ON panels
BEGIN INSERT INTO posting_revisions (posting_id, revision) VALUES (NEW.posting_id, 1) ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER posting_revision_panels_upd AFTER UPDATE ON panels
BEGIN INSERT INTO posting_revisions (posting_id, revision) SELECT NEW.posting_id, 1 FROM postings WHERE id = NEW.posting_id ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER posting_revision_panels_del AFTER DELETE ON panels
BEGIN INSERT INTO posting_revisions (posting_id, revision) SELECT OLD.posting_id, 1 FROM postings WHERE id = OLD.posting_id ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER posting_revision_panel_members_ins AFTER INSERT ON panel_members
BEGIN INSERT INTO posting_revisions (posting_id, revision) VALUES (NEW.posting_id, 1) ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER posting_revision_panel_members_upd AFTER UPDATE ON panel_members
BEGIN INSERT INTO posting_revisions (posting_id, revision) VALUES (NEW.posting_id, 1) ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER posting_revision_panel_members_del AFTER DELETE ON panel_members
BEGIN INSERT INTO posting_revisions (posting_id, revision) SELECT OLD.posting_id, 1 FROM postings WHERE id = OLD.posting_id ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;

-- Pipeline: stages (positions, kinds, added or removed), cards (a move to another stage) and
-- the recorded moves (an application that reached the panel's stage stays evaluated).
CREATE TRIGGER posting_revision_stages_ins AFTER INSERT ON pipeline_stages
BEGIN INSERT INTO posting_revisions (posting_id, revision) VALUES (NEW.posting_id, 1) ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER posting_revision_stages_upd AFTER UPDATE ON pipeline_stages
BEGIN INSERT INTO posting_revisions (posting_id, revision) VALUES (NEW.posting_id, 1) ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER posting_revision_stages_del AFTER DELETE ON pipeline_stages
BEGIN INSERT INTO posting_revisions (posting_id, revision) SELECT OLD.posting_id, 1 FROM postings WHERE id = OLD.posting_id ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER posting_revision_cards_ins AFTER INSERT ON pipeline_cards
BEGIN INSERT INTO posting_revisions (posting_id, revision) VALUES (NEW.posting_id, 1) ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER posting_revision_cards_upd AFTER UPDATE OF stage_id, posting_id, application_id ON pipeline_cards
BEGIN INSERT INTO posting_revisions (posting_id, revision) VALUES (NEW.posting_id, 1) ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER posting_revision_cards_del AFTER DELETE ON pipeline_cards
BEGIN INSERT INTO posting_revisions (posting_id, revision) SELECT OLD.posting_id, 1 FROM postings WHERE id = OLD.posting_id ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER posting_revision_moves_ins AFTER INSERT ON pipeline_moves
BEGIN INSERT INTO posting_revisions (posting_id, revision) SELECT posting_id, 1 FROM pipeline_cards WHERE application_id = NEW.application_id ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;

-- Applications: a new one, an erasure (deleted) or an anonymisation (another candidate row).
CREATE TRIGGER posting_revision_applications_ins AFTER INSERT ON applications
BEGIN INSERT INTO posting_revisions (posting_id, revision) VALUES (NEW.posting_id, 1) ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER posting_revision_applications_upd AFTER UPDATE OF posting_id, candidate_id, status, withdrawn_at ON applications
BEGIN INSERT INTO posting_revisions (posting_id, revision) VALUES (NEW.posting_id, 1) ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER posting_revision_applications_del AFTER DELETE ON applications
BEGIN INSERT INTO posting_revisions (posting_id, revision) SELECT OLD.posting_id, 1 FROM postings WHERE id = OLD.posting_id ON CONFLICT (posting_id) DO UPDATE SET revision = revision + 1; END;
