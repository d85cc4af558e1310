-- A revision stamp per CPTS, bumped by the database whenever something the regional dashboard
-- and the regional benchmarks aggregate per CPTS changes: its postings (status, publication),
-- pipeline stages, cards and moves, applications, offers, onboarding plans and steps, the mails
-- linked to its applications and its candidates' addresses (what makes a mail a reply).
-- dashboards/summary.ts keeps each CPTS's aggregates in memory keyed by (CPTS, revision) and
-- reads one row per CPTS per request, so a region's page recomputes only the CPTS whose data
-- changed, and every process sharing the database stays correct. An absent row reads as 0.
--
-- No foreign key: the triggers also fire while a CPTS is being deleted (cascades), and a row
-- left behind by a deleted CPTS keeps counting up if SQLite hands its id to a new one (the
-- insert trigger below bumps it), so a revision cached for the old CPTS never matches the new.
-- Updates bump the old and the new CPTS; only the columns the aggregates read fire them.
CREATE TABLE organisation_revisions (
  organisation_id  INTEGER PRIMARY KEY,
  revision         INTEGER NOT NULL
);

-- postings
CREATE TRIGGER organisation_revision_postings_ins AFTER INSERT ON postings
BEGIN INSERT INTO organisation_revisions (organisation_id, revision) VALUES (NEW.organisation_id, 1) ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER organisation_revision_postings_upd AFTER UPDATE OF status, published_at, organisation_id ON postings
BEGIN INSERT INTO organisation_revisions (organisation_id, revision) VALUES (OLD.organisation_id, 1) ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; INSERT INTO organisation_revisions (organisation_id, revision) VALUES (NEW.organisation_id, 1) ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER organisation_revision_postings_del AFTER DELETE ON postings
BEGIN INSERT INTO organisation_revisions (organisation_id, revision) VALUES (OLD.organisation_id, 1) ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; END;
-- pipeline_cards
CREATE TRIGGER organisation_revision_pipeline_cards_ins AFTER INSERT ON pipeline_cards
BEGIN INSERT INTO organisation_revisions (organisation_id, revision) VALUES (NEW.organisation_id, 1) ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER organisation_revision_pipeline_cards_upd AFTER UPDATE OF stage_id, posting_id, organisation_id ON pipeline_cards
BEGIN INSERT INTO organisation_revisions (organisation_id, revision) VALUES (OLD.organisation_id, 1) ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; INSERT INTO organisation_revisions (organisation_id, revision) VALUES (NEW.organisation_id, 1) ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER organisation_revision_pipeline_cards_del AFTER DELETE ON pipeline_cards
BEGIN INSERT INTO organisation_revisions (organisation_id, revision) VALUES (OLD.organisation_id, 1) ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; END;
-- pipeline_stages
CREATE TRIGGER organisation_revision_pipeline_stages_ins AFTER INSERT ON pipeline_stages
BEGIN INSERT INTO organisation_revisions (organisation_id, revision) VALUES (NEW.organisation_id, 1) ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER organisation_revision_pipeline_stages_upd AFTER UPDATE OF kind, stage_key, posting_id, organisation_id ON pipeline_stages
BEGIN INSERT INTO organisation_revisions (organisation_id, revision) VALUES (OLD.organisation_id, 1) ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; INSERT INTO organisation_revisions (organisation_id, revision) VALUES (NEW.organisation_id, 1) ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER organisation_revision_pipeline_stages_del AFTER DELETE ON pipeline_stages
BEGIN INSERT INTO organisation_revisions (organisation_id, revision) VALUES (OLD.organisation_id, 1) ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; END;
-- onboarding_plans
CREATE TRIGGER organisation_revision_onboarding_plans_ins AFTER INSERT ON onboarding_plans
BEGIN INSERT INTO organisation_revisions (organisation_id, revision) VALUES (NEW.organisation_id, 1) ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER organisation_revision_onboarding_plans_upd AFTER UPDATE OF kind, organisation_id ON onboarding_plans
BEGIN INSERT INTO organisation_revisions (organisation_id, revision) VALUES (OLD.organisation_id, 1) ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; INSERT INTO organisation_revisions (organisation_id, revision) VALUES (NEW.organisation_id, 1) ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER organisation_revision_onboarding_plans_del AFTER DELETE ON onboarding_plans
BEGIN INSERT INTO organisation_revisions (organisation_id, revision) VALUES (OLD.organisation_id, 1) ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; END;
-- onboarding_plan_steps
CREATE TRIGGER organisation_revision_onboarding_plan_steps_ins AFTER INSERT ON onboarding_plan_steps
BEGIN INSERT INTO organisation_revisions (organisation_id, revision) VALUES (NEW.organisation_id, 1) ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER organisation_revision_onboarding_plan_steps_upd AFTER UPDATE OF status, due_date, tag, plan_id, organisation_id ON onboarding_plan_steps
BEGIN INSERT INTO organisation_revisions (organisation_id, revision) VALUES (OLD.organisation_id, 1) ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; INSERT INTO organisation_revisions (organisation_id, revision) VALUES (NEW.organisation_id, 1) ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER organisation_revision_onboarding_plan_steps_del AFTER DELETE ON onboarding_plan_steps
BEGIN INSERT INTO organisation_revisions (organisation_id, revision) VALUES (OLD.organisation_id, 1) ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; END;
-- offers
CREATE TRIGGER organisation_revision_offers_ins AFTER INSERT ON offers
BEGIN INSERT INTO organisation_revisions (organisation_id, revision) VALUES (NEW.organisation_id, 1) ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER organisation_revision_offers_upd AFTER UPDATE OF status, answered_at, posting_id, application_id, organisation_id ON offers
BEGIN INSERT INTO organisation_revisions (organisation_id, revision) VALUES (OLD.organisation_id, 1) ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; INSERT INTO organisation_revisions (organisation_id, revision) VALUES (NEW.organisation_id, 1) ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER organisation_revision_offers_del AFTER DELETE ON offers
BEGIN INSERT INTO organisation_revisions (organisation_id, revision) VALUES (OLD.organisation_id, 1) ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; END;
-- applications
CREATE TRIGGER organisation_revision_applications_ins AFTER INSERT ON applications
BEGIN INSERT INTO organisation_revisions (organisation_id, revision) VALUES (NEW.organisation_id, 1) ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER organisation_revision_applications_upd AFTER UPDATE OF created_at, posting_id, candidate_id, organisation_id ON applications
BEGIN INSERT INTO organisation_revisions (organisation_id, revision) VALUES (OLD.organisation_id, 1) ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; INSERT INTO organisation_revisions (organisation_id, revision) VALUES (NEW.organisation_id, 1) ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER organisation_revision_applications_del AFTER DELETE ON applications
BEGIN INSERT INTO organisation_revisions (organisation_id, revision) VALUES (OLD.organisation_id, 1) ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; END;
-- pipeline_moves
CREATE TRIGGER organisation_revision_pipeline_moves_ins AFTER INSERT ON pipeline_moves
BEGIN INSERT INTO organisation_revisions (organisation_id, revision) VALUES (NEW.organisation_id, 1) ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER organisation_revision_pipeline_moves_upd AFTER UPDATE OF from_stage_id, to_stage_id, created_at, application_id, organisation_id ON pipeline_moves
BEGIN INSERT INTO organisation_revisions (organisation_id, revision) VALUES (OLD.organisation_id, 1) ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; INSERT INTO organisation_revisions (organisation_id, revision) VALUES (NEW.organisation_id, 1) ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER organisation_revision_pipeline_moves_del AFTER DELETE ON pipeline_moves
BEGIN INSERT INTO organisation_revisions (organisation_id, revision) VALUES (OLD.organisation_id, 1) ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; END;
-- outbox_applications: a mail linked to (or unlinked from) an application can be its first reply
CREATE TRIGGER organisation_revision_outbox_applications_ins AFTER INSERT ON outbox_applications
BEGIN INSERT INTO organisation_revisions (organisation_id, revision) SELECT organisation_id, 1 FROM (SELECT organisation_id FROM applications WHERE id = NEW.application_id) WHERE organisation_id IS NOT NULL ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER organisation_revision_outbox_applications_del AFTER DELETE ON outbox_applications
BEGIN INSERT INTO organisation_revisions (organisation_id, revision) SELECT organisation_id, 1 FROM (SELECT organisation_id FROM applications WHERE id = OLD.application_id) WHERE organisation_id IS NOT NULL ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; END;
-- outbox: what makes a linked mail a reply (its CPTS, address, template, time)
CREATE TRIGGER organisation_revision_outbox_upd AFTER UPDATE OF organisation_id, to_address, template, created_at ON outbox
BEGIN INSERT INTO organisation_revisions (organisation_id, revision) SELECT organisation_id, 1 FROM (SELECT a.organisation_id FROM outbox_applications l JOIN applications a ON a.id = l.application_id WHERE l.outbox_id = NEW.id) WHERE organisation_id IS NOT NULL ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; INSERT INTO organisation_revisions (organisation_id, revision) SELECT organisation_id, 1 FROM (SELECT OLD.organisation_id AS organisation_id) WHERE organisation_id IS NOT NULL ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; INSERT INTO organisation_revisions (organisation_id, revision) SELECT organisation_id, 1 FROM (SELECT NEW.organisation_id AS organisation_id) WHERE organisation_id IS NOT NULL ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER organisation_revision_outbox_del AFTER DELETE ON outbox
BEGIN INSERT INTO organisation_revisions (organisation_id, revision) SELECT organisation_id, 1 FROM (SELECT a.organisation_id FROM outbox_applications l JOIN applications a ON a.id = l.application_id WHERE l.outbox_id = OLD.id) WHERE organisation_id IS NOT NULL ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; INSERT INTO organisation_revisions (organisation_id, revision) SELECT organisation_id, 1 FROM (SELECT OLD.organisation_id AS organisation_id) WHERE organisation_id IS NOT NULL ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; END;
-- candidates: a reply counts only when sent to the candidate's own address (erasure rewrites it)
CREATE TRIGGER organisation_revision_candidates_upd AFTER UPDATE OF email ON candidates
BEGIN INSERT INTO organisation_revisions (organisation_id, revision) VALUES (NEW.organisation_id, 1) ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; INSERT INTO organisation_revisions (organisation_id, revision) SELECT organisation_id, 1 FROM (SELECT organisation_id FROM applications WHERE candidate_id = NEW.id) WHERE organisation_id IS NOT NULL ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; END;
-- organisations: a new CPTS (its id may be an old one's) starts above any revision cached for that id
CREATE TRIGGER organisation_revision_organisations_ins AFTER INSERT ON organisations
BEGIN INSERT INTO organisation_revisions (organisation_id, revision) VALUES (NEW.id, 1) ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER organisation_revision_organisations_del AFTER DELETE ON organisations
BEGIN INSERT INTO organisation_revisions (organisation_id, revision) VALUES (OLD.id, 1) ON CONFLICT (organisation_id) DO UPDATE SET revision = revision + 1; END;
