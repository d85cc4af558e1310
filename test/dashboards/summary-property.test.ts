/**
 * The per-CPTS figures kept between requests (dashboards/summary.ts, revisions of migration 030)
 * against a fresh aggregate: after every step of a random sequence of writes (applications,
 * moves, withdrawals, erasures, postings closed, republished or deleted, onboarding steps done
 * and undone, plans added and removed, offers accepted, replies mailed, days passing forwards
 * and backwards), the regional dashboard and the regional benchmarks read through the cache
 * equal the same figures computed with the cache emptied.
 */
import { expect } from 'chai';
import { nowIso, type DB } from '../../server/core/db.js';
import { enqueueMail } from '../../server/core/mailer.js';
import { regionBenchmarks } from '../../server/features/dashboards/benchmarks.js';
import { regionalDashboard } from '../../server/features/dashboards/service.js';
import { regionalHires } from '../../server/features/funding/service.js';
import { regionNetworkAttention } from '../../server/features/network/service.js';
import { forgetSummaries } from '../../server/features/dashboards/summary.js';
import { withdrawApplication } from '../../server/features/applications/service.js';
import type { ApplicationRow } from '../../server/features/applications/queries.js';
import { erasePerson, personOfApplication } from '../../server/features/privacy/service.js';
import { seededRandom as prng } from '../../server/features/calibration/alpha.js';
import { createTestContext, mailContext, type TestContext } from '../helpers/app.js';
import { createOrganisation, createRegion, createUser } from '../helpers/factories.js';
import { createApplication, createPosting, stagesOf, type PostingFixture } from '../pipeline/fixtures.js';

const DAY = 86_400_000;


describe('dashboards: the per-CPTS figures kept between requests equal a fresh aggregate after any writes', () => {
  let ctx: TestContext | undefined;
  afterEach(() => ctx?.close());

  for (const seed of [1, 2, 3]) {
    it(`when a random sequence of writes runs (seed ${seed}) then after each one the cached dashboard and benchmarks equal the fresh ones`, async () => {
      const test = (ctx = createTestContext());
      const db: DB = test.db;
      const rnd = prng(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
      const region = createRegion(db);
      const orgs = [0, 1, 2, 3].map(() => createOrganisation(db, region.id));
      const person = await createUser(db, { email: `coord${seed}@example.test`, name: 'Coordinatrice', memberships: [{ role: 'coordinator', organisationId: orgs[0]!.id }] });
      const elsewhere = createRegion(db);
      const people = [person, ...(await Promise.all([0, 1, 2].map((i) => createUser(db, { email: `p${i}.${seed}@example.test`, name: `Personne ${i}` }))))];
      let now = new Date(Date.UTC(2026, 5, 15, 10));
      const iso = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY).toISOString();
      const newPosting = () => {
        const p = createPosting(db, pick(orgs).id);
        db.prepare('UPDATE postings SET published_at = ? WHERE id = ?').run(iso(Math.floor(rnd() * 400)), p.id);
      };
      for (let i = 0; i < 6; i++) newPosting();
      // Something for each regional figure from the start: a chargée on a panel, a coordinator's
      // plan without a mentor, a workload review that opens a case manager's post.
      db.prepare("INSERT INTO memberships (user_id, region_id, role, created_at) VALUES (?, ?, 'charge_de_mission', ?)").run(people[1]!.id, region.id, nowIso());
      const first = db.prepare("SELECT id, organisation_id FROM postings WHERE status = 'published' LIMIT 1").get() as { id: number; organisation_id: number };
      db.prepare("INSERT INTO panel_members (organisation_id, posting_id, user_id, kind, created_at) VALUES (?, ?, ?, 'charge', ?)").run(first.organisation_id, first.id, people[1]!.id, nowIso());
      const plan = Number(
        db.prepare("INSERT INTO onboarding_plans (organisation_id, user_id, kind, template_name, phases, start_date, created_at) VALUES (?, ?, 'coordinator', 'Parcours', '[]', ?, ?)").run(orgs[0]!.id, person.id, iso(30).slice(0, 10), nowIso()).lastInsertRowid,
      );
      const review = Number(
        db.prepare("INSERT INTO onboarding_plan_steps (plan_id, organisation_id, position, phase, title, owner_role, due_offset_days, due_date, tag) VALUES (?, ?, 0, 'p', 'Revue', 'coordinator', 3, ?, 'workload_review')").run(plan, orgs[0]!.id, iso(10).slice(0, 10)).lastInsertRowid,
      );
      db.prepare("INSERT INTO onboarding_workload_reviews (step_id, decision, decided_at) VALUES (?, 'open_case_manager', ?)").run(review, iso(5));

      // From the table: SQLite hands a deleted posting's id to the next one.
      const livePostings = () => db.prepare('SELECT id, organisation_id, title FROM postings').all() as PostingFixture[];
      const apps = () => db.prepare('SELECT a.*, c.email FROM applications a JOIN candidates c ON c.id = a.candidate_id').all() as (ApplicationRow & { email: string })[];
      const ops: [string, () => void][] = [
        ['apply', () => {
          const ps = livePostings();
          if (ps.length) createApplication(db, pick(ps), { createdAt: iso(Math.floor(rnd() * 400)) });
        }],
        ['move', () => {
          const a = apps();
          if (!a.length) return;
          const app = pick(a);
          const stage = pick(stagesOf(db, app.posting_id).filter((s) => s.kind !== 'withdrawn'));
          db.prepare('UPDATE pipeline_cards SET stage_id = ?, entered_at = ? WHERE application_id = ?').run(stage.id, iso(0), app.id);
          db.prepare(
            `INSERT INTO pipeline_moves (organisation_id, application_id, from_stage_id, to_stage_id, to_name, actor_name, created_at)
             SELECT organisation_id, application_id, stage_id, ?, ?, 'Bureau', ? FROM pipeline_cards WHERE application_id = ?`,
          ).run(stage.id, stage.name, iso(Math.floor(rnd() * 30)), app.id);
        }],
        ['withdraw', () => {
          const a = apps();
          if (a.length) withdrawApplication(db, pick(a), mailContext(test), now);
        }],
        ['erase', () => {
          const a = apps();
          if (!a.length) return;
          const app = pick(a);
          erasePerson(db, personOfApplication(db, app), test.config.uploadDir, { actorLabel: 'test', action: 'application.erased' }, mailContext(test));
        }],
        ['posting status', () => {
          const ps = livePostings();
          if (ps.length) db.prepare("UPDATE postings SET status = CASE status WHEN 'published' THEN 'closed' ELSE 'published' END, updated_at = ? WHERE id = ?").run(nowIso(), pick(ps).id);
        }],
        ['posting republished', () => {
          const ps = livePostings();
          if (ps.length) db.prepare('UPDATE postings SET published_at = ? WHERE id = ?').run(iso(Math.floor(rnd() * 400)), pick(ps).id);
        }],
        ['posting deleted', () => {
          const ps = livePostings();
          if (ps.length > 2) db.prepare('DELETE FROM postings WHERE id = ?').run(pick(ps).id);
        }],
        ['posting created', newPosting],
        ['plan', () => {
          const org = pick(orgs);
          const start = iso(Math.floor(rnd() * 60)).slice(0, 10);
          const planId = Number(
            db.prepare(`INSERT INTO onboarding_plans (organisation_id, user_id, kind, template_name, phases, start_date, created_at) VALUES (?, ?, ?, 'Parcours', '[]', ?, ?)`).run(org.id, person.id, pick(['coordinator', 'case_manager']), start, nowIso()).lastInsertRowid,
          );
          for (let i = 0; i < 4; i++) {
            const due = new Date(now.getTime() + (Math.floor(rnd() * 80) - 40) * DAY).toISOString().slice(0, 10);
            db.prepare(`INSERT INTO onboarding_plan_steps (plan_id, organisation_id, position, phase, title, owner_role, due_offset_days, due_date, tag) VALUES (?, ?, ?, 'p', 'Étape', 'coordinator', 3, ?, ?)`).run(planId, org.id, i, due, rnd() < 0.3 ? 'workload_review' : null);
          }
        }],
        ['plan removed', () => {
          const ids = db.prepare('SELECT id FROM onboarding_plans').pluck().all() as number[];
          if (ids.length) db.prepare('DELETE FROM onboarding_plans WHERE id = ?').run(pick(ids));
        }],
        ['step done or undone', () => {
          const ids = db.prepare('SELECT id FROM onboarding_plan_steps').pluck().all() as number[];
          if (ids.length) db.prepare("UPDATE onboarding_plan_steps SET status = CASE status WHEN 'todo' THEN ? ELSE 'todo' END WHERE id = ?").run(pick(['done', 'not_applicable']), pick(ids));
        }],
        ['offer accepted', () => {
          const a = apps();
          if (!a.length) return;
          const app = pick(a);
          db.prepare(
            `INSERT INTO offers (organisation_id, posting_id, application_id, start_date, contract_type, fte_percent, salary_gross_yearly, status, created_at, answered_at)
             VALUES (?, ?, ?, '2026-09-01', 'CDI', 100, 38000, 'accepted', ?, ?)`,
          ).run(app.organisation_id, app.posting_id, app.id, iso(0), iso(Math.floor(rnd() * 400)));
        }],
        ['reply mailed', () => {
          const a = apps();
          if (!a.length) return;
          const app = pick(a);
          const id = enqueueMail(db, { template: pick(['pipeline.stage', 'applications.ack']), to: app.email, organisationId: app.organisation_id, subject: 'Votre candidature', text: 'Bonjour', html: '<p>Bonjour</p>' }, new Date(now.getTime() - Math.floor(rnd() * 40) * DAY));
          db.prepare('INSERT INTO outbox_applications (outbox_id, application_id) VALUES (?, ?)').run(id, app.id);
        }],
        ['mail purged', () => {
          const ids = db.prepare('SELECT id FROM outbox').pluck().all() as number[];
          if (ids.length) db.prepare('DELETE FROM outbox WHERE id = ?').run(pick(ids));
        }],
        ['days pass', () => {
          now = new Date(now.getTime() + Math.floor(rnd() * 20) * DAY + Math.floor(rnd() * DAY));
        }],
        ['clock earlier', () => {
          now = new Date(now.getTime() - Math.floor(rnd() * 3) * DAY);
        }],
        // What the regional page reads outside the per-CPTS figures (kept under table revisions, core/revisions.ts).
        ['member joins', () => {
          const user = pick(people);
          const role = pick(['coordinator', 'bureau', 'charge_de_mission']);
          if (role === 'charge_de_mission') db.prepare("INSERT OR IGNORE INTO memberships (user_id, region_id, role, created_at) VALUES (?, ?, 'charge_de_mission', ?)").run(user.id, region.id, nowIso());
          else db.prepare('INSERT OR IGNORE INTO memberships (user_id, organisation_id, role, created_at) VALUES (?, ?, ?, ?)').run(user.id, pick(orgs).id, role, nowIso());
        }],
        ['member leaves', () => {
          const ids = db.prepare('SELECT id FROM memberships').pluck().all() as number[];
          if (ids.length > 1) db.prepare('DELETE FROM memberships WHERE id = ?').run(pick(ids));
        }],
        ['user renamed or disabled', () => {
          const user = pick(people);
          if (rnd() < 0.5) db.prepare('UPDATE users SET name = ? WHERE id = ?').run(`Personne ${Math.floor(rnd() * 1000)}`, user.id);
          else db.prepare('UPDATE users SET disabled_at = CASE WHEN disabled_at IS NULL THEN ? ELSE NULL END WHERE id = ?').run(nowIso(), user.id);
        }],
        ['panel seat', () => {
          const ps = livePostings();
          if (!ps.length) return;
          const p = pick(ps);
          db.prepare('INSERT OR IGNORE INTO panel_members (organisation_id, posting_id, user_id, kind, created_at) VALUES (?, ?, ?, ?, ?)').run(p.organisation_id, p.id, pick(people).id, pick(['member', 'charge', 'charge', 'external']), nowIso());
        }],
        ['panel seat removed', () => {
          const ids = db.prepare('SELECT id FROM panel_members').pluck().all() as number[];
          if (ids.length) db.prepare('DELETE FROM panel_members WHERE id = ?').run(pick(ids));
        }],
        ['mentor paired or unpaired', () => {
          const open = db.prepare('SELECT id FROM network_mentor_pairings WHERE ended_at IS NULL').pluck().all() as number[];
          if (open.length && rnd() < 0.4) return void db.prepare('UPDATE network_mentor_pairings SET ended_at = ? WHERE id = ?').run(nowIso(), pick(open));
          const [mentee, mentor] = [pick(orgs), pick(orgs)];
          if (mentee.id === mentor.id) return;
          db.prepare(
            `INSERT OR IGNORE INTO network_mentor_pairings (region_id, mentee_user_id, mentee_organisation_id, mentor_user_id, mentor_organisation_id, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
          ).run(region.id, pick(people).id, mentee.id, pick(people).id, mentor.id, nowIso());
        }],
        ['workload review decided', () => {
          const steps = db.prepare("SELECT id FROM onboarding_plan_steps WHERE tag = 'workload_review'").pluck().all() as number[];
          if (!steps.length) return;
          db.prepare('INSERT OR REPLACE INTO onboarding_workload_reviews (step_id, decision, decided_at) VALUES (?, ?, ?)').run(pick(steps), pick(['keep', 'adjust', 'open_case_manager']), iso(Math.floor(rnd() * 90)));
        }],
        ['funding recorded', () => {
          const org = pick(orgs);
          const what = pick(['profile', 'post', 'other', 'envelope', 'removed']);
          if (what === 'profile') {
            db.prepare(
              `INSERT INTO funding_profiles (organisation_id, aci_size, aci_start_year, new_post_rate_percent, updated_at) VALUES (?, ?, 2024, ?, ?)
               ON CONFLICT (organisation_id) DO UPDATE SET aci_size = excluded.aci_size, new_post_rate_percent = excluded.new_post_rate_percent`,
            ).run(org.id, 1 + Math.floor(rnd() * 4), Math.floor(rnd() * 60), nowIso());
          } else if (what === 'post') {
            db.prepare("INSERT INTO funding_commitments (organisation_id, kind, label, gross_salary, fte_percent, employer_rate_percent, created_at, updated_at) VALUES (?, 'post', 'Poste', ?, ?, 45, ?, ?)").run(org.id, 30_000 + Math.floor(rnd() * 20_000), 50 + Math.floor(rnd() * 51), nowIso(), nowIso());
          } else if (what === 'other') {
            db.prepare("INSERT INTO funding_commitments (organisation_id, kind, label, amount, created_at, updated_at) VALUES (?, 'other', 'Loyer', ?, ?, ?)").run(org.id, 1 + Math.floor(rnd() * 40_000), nowIso(), nowIso());
          } else if (what === 'envelope') {
            db.prepare(
              `INSERT INTO funding_envelopes (region_id, size_class, year, amount, source, source_date, updated_at) VALUES (?, ?, ?, ?, 'ARS', '2026-01-01', ?)
               ON CONFLICT (region_id, size_class, year) WHERE region_id IS NOT NULL DO UPDATE SET amount = excluded.amount`,
            ).run(region.id, 1 + Math.floor(rnd() * 4), now.getUTCFullYear(), 50_000 + Math.floor(rnd() * 200_000), nowIso());
          } else {
            const ids = db.prepare('SELECT id FROM funding_commitments').pluck().all() as number[];
            if (ids.length) db.prepare('DELETE FROM funding_commitments WHERE id = ?').run(pick(ids));
          }
        }],
        ['CPTS renamed, or leaves the region and comes back', () => {
          const org = pick(orgs);
          if (rnd() < 0.7) db.prepare('UPDATE organisations SET name = ? WHERE id = ?').run(`CPTS ${Math.floor(rnd() * 1000)}`, org.id);
          else db.prepare('UPDATE organisations SET region_id = CASE region_id WHEN ? THEN ? ELSE ? END WHERE id = ?').run(region.id, elsewhere.id, region.id, org.id);
        }],
        ['region renamed', () => {
          db.prepare('UPDATE regions SET name = ? WHERE id = ?').run(`Région ${Math.floor(rnd() * 1000)}`, region.id);
        }],
      ];

      // Applications more often than the rest, so that there is something to count and erase.
      const apply = ops[0]!;
      ops.push(apply, apply, apply);
      const seen = new Set<string>();
      let mostCards = 0;
      let mostApplications = 0;
      let mostWithoutMentor = 0;
      let mostHires = 0;
      let mostPanels = 0;
      for (let step = 0; step < 260; step++) {
        const [name, op] = pick(ops);
        op();
        seen.add(name);
        const page = () => ({ dash: regionalDashboard(db, region.id, now), bench: regionBenchmarks(db, region.id, now), network: regionNetworkAttention(db, region.id, now).withoutMentor, hires: regionalHires(db, region.id, now) });
        const cached = page();
        forgetSummaries(db);
        const fresh = page();
        expect(cached, `after step ${step} (${name}), seed ${seed}`).to.deep.equal(fresh);
        mostCards = Math.max(mostCards, fresh.dash.reduce((n, r) => n + r.stages.total, 0));
        mostWithoutMentor = Math.max(mostWithoutMentor, fresh.network.length);
        mostHires = Math.max(mostHires, fresh.hires.affordable.length + fresh.hires.others.length);
        mostPanels = Math.max(mostPanels, fresh.dash.reduce((n, r) => n + r.panels, 0));
        mostApplications = Math.max(mostApplications, apps().length);
        // Read again through the now warm cache: the same figures.
        expect(page()).to.deep.equal(fresh);
      }
      expect(seen.size, 'every kind of write ran').to.equal(new Set(ops.map(([name]) => name)).size);
      expect(mostApplications, 'the sequence had applications').to.be.greaterThan(3);
      expect(mostCards, 'the dashboard had cards to count').to.be.greaterThan(0);
      expect(mostWithoutMentor, 'coordinators without a mentor were listed').to.be.greaterThan(0);
      expect(mostHires, 'hires were checked').to.be.greaterThan(0);
      expect(mostPanels, 'chargé(e)s sat on panels').to.be.greaterThan(0);
    });
  }
});
