-- A revision stamp per table, for figures kept in memory that read tables no per-CPTS revision
-- covers (organisation_revisions, migration 030): the regional dashboard's CPTS names and
-- coordinators, chargé(e)s' panels, coordinators without a mentor, and the case-manager hires
-- with their funding. Such a figure is kept under the revisions of the tables it reads
-- (core/revisions.ts) and computed again as soon as one of them moves, whichever process wrote.
-- Coarse on purpose: any write to one of these tables anywhere moves it. They are written
-- rarely (accounts, memberships, panels, plans, funding), and the columns written often (an
-- onboarding step ticked, a user's last sign-in) are left out of the update triggers, since
-- no kept figure reads them. A table gets a row on its first write; an absent row reads as 0.
CREATE TABLE table_revisions (
  name      TEXT PRIMARY KEY,
  revision  INTEGER NOT NULL
) WITHOUT ROWID;

-- organisations
CREATE TRIGGER table_revision_organisations_ins AFTER INSERT ON organisations
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('organisations', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER table_revision_organisations_upd AFTER UPDATE ON organisations
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('organisations', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER table_revision_organisations_del AFTER DELETE ON organisations
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('organisations', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
-- regions
CREATE TRIGGER table_revision_regions_ins AFTER INSERT ON regions
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('regions', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER table_revision_regions_upd AFTER UPDATE ON regions
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('regions', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER table_revision_regions_del AFTER DELETE ON regions
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('regions', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
-- memberships
CREATE TRIGGER table_revision_memberships_ins AFTER INSERT ON memberships
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('memberships', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER table_revision_memberships_upd AFTER UPDATE ON memberships
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('memberships', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER table_revision_memberships_del AFTER DELETE ON memberships
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('memberships', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
-- users
CREATE TRIGGER table_revision_users_ins AFTER INSERT ON users
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('users', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER table_revision_users_upd AFTER UPDATE OF name, disabled_at ON users
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('users', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER table_revision_users_del AFTER DELETE ON users
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('users', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
-- postings
CREATE TRIGGER table_revision_postings_ins AFTER INSERT ON postings
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('postings', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER table_revision_postings_upd AFTER UPDATE OF id, status, organisation_id ON postings
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('postings', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER table_revision_postings_del AFTER DELETE ON postings
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('postings', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
-- panel_members
CREATE TRIGGER table_revision_panel_members_ins AFTER INSERT ON panel_members
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('panel_members', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER table_revision_panel_members_upd AFTER UPDATE ON panel_members
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('panel_members', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER table_revision_panel_members_del AFTER DELETE ON panel_members
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('panel_members', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
-- onboarding_plans
CREATE TRIGGER table_revision_onboarding_plans_ins AFTER INSERT ON onboarding_plans
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('onboarding_plans', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER table_revision_onboarding_plans_upd AFTER UPDATE OF id, kind, user_id, organisation_id ON onboarding_plans
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('onboarding_plans', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER table_revision_onboarding_plans_del AFTER DELETE ON onboarding_plans
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('onboarding_plans', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
-- onboarding_plan_steps
CREATE TRIGGER table_revision_onboarding_plan_steps_ins AFTER INSERT ON onboarding_plan_steps
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('onboarding_plan_steps', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER table_revision_onboarding_plan_steps_upd AFTER UPDATE OF id, plan_id, organisation_id ON onboarding_plan_steps
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('onboarding_plan_steps', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER table_revision_onboarding_plan_steps_del AFTER DELETE ON onboarding_plan_steps
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('onboarding_plan_steps', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
-- onboarding_workload_reviews
CREATE TRIGGER table_revision_onboarding_workload_reviews_ins AFTER INSERT ON onboarding_workload_reviews
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('onboarding_workload_reviews', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER table_revision_onboarding_workload_reviews_upd AFTER UPDATE ON onboarding_workload_reviews
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('onboarding_workload_reviews', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER table_revision_onboarding_workload_reviews_del AFTER DELETE ON onboarding_workload_reviews
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('onboarding_workload_reviews', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
-- network_mentor_pairings
CREATE TRIGGER table_revision_network_mentor_pairings_ins AFTER INSERT ON network_mentor_pairings
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('network_mentor_pairings', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER table_revision_network_mentor_pairings_upd AFTER UPDATE ON network_mentor_pairings
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('network_mentor_pairings', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER table_revision_network_mentor_pairings_del AFTER DELETE ON network_mentor_pairings
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('network_mentor_pairings', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
-- funding_profiles
CREATE TRIGGER table_revision_funding_profiles_ins AFTER INSERT ON funding_profiles
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('funding_profiles', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER table_revision_funding_profiles_upd AFTER UPDATE ON funding_profiles
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('funding_profiles', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER table_revision_funding_profiles_del AFTER DELETE ON funding_profiles
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('funding_profiles', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
-- funding_envelopes
CREATE TRIGGER table_revision_funding_envelopes_ins AFTER INSERT ON funding_envelopes
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('funding_envelopes', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER table_revision_funding_envelopes_upd AFTER UPDATE ON funding_envelopes
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('funding_envelopes', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER table_revision_funding_envelopes_del AFTER DELETE ON funding_envelopes
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('funding_envelopes', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
-- funding_commitments
CREATE TRIGGER table_revision_funding_commitments_ins AFTER INSERT ON funding_commitments
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('funding_commitments', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER table_revision_funding_commitments_upd AFTER UPDATE ON funding_commitments
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('funding_commitments', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
CREATE TRIGGER table_revision_funding_commitments_del AFTER DELETE ON funding_commitments
BEGIN INSERT INTO table_revisions (name, revision) VALUES ('funding_commitments', 1) ON CONFLICT (name) DO UPDATE SET revision = revision + 1; END;
