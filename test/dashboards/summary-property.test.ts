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
import { forgetSummaries } from '../../server/features/dashboards/summary.js';
import { withdrawApplication } from '../../server/features/applications/service.js';
import type { ApplicationRow } from '../../server/features/applications/queries.js';
import { erasePerson, personOfApplication } from '../../server/features/privacy/service.js';
import { createTestContext, mailContext, type TestContext } from '../helpers/app.js';
import { createOrganisation, createRegion, createUser } from '../helpers/factories.js';
import { createApplication, createPosting, stagesOf, type PostingFixture } from '../pipeline/fixtures.js';

const DAY = 86_400_000;

/** mulberry32: the same sequence for a seed, so a failure replays. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
      let now = new Date(Date.UTC(2026, 5, 15, 10));
      const iso = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY).toISOString();
      const newPosting = () => {
        const p = createPosting(db, pick(orgs).id);
        db.prepare('UPDATE postings SET published_at = ? WHERE id = ?').run(iso(Math.floor(rnd() * 400)), p.id);
      };
      for (let i = 0; i < 6; i++) newPosting();

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
      ];

      // Applications more often than the rest, so that there is something to count and erase.
      const apply = ops[0]!;
      ops.push(apply, apply, apply);
      const seen = new Set<string>();
      let mostCards = 0;
      let mostApplications = 0;
      for (let step = 0; step < 160; step++) {
        const [name, op] = pick(ops);
        op();
        seen.add(name);
        const cached = { dash: regionalDashboard(db, region.id, now), bench: regionBenchmarks(db, region.id, now) };
        forgetSummaries(db);
        const fresh = { dash: regionalDashboard(db, region.id, now), bench: regionBenchmarks(db, region.id, now) };
        expect(cached, `after step ${step} (${name}), seed ${seed}`).to.deep.equal(fresh);
        mostCards = Math.max(mostCards, fresh.dash.reduce((n, r) => n + r.stages.total, 0));
        mostApplications = Math.max(mostApplications, apps().length);
        // Read again through the now warm cache: the same figures.
        expect({ dash: regionalDashboard(db, region.id, now), bench: regionBenchmarks(db, region.id, now) }).to.deep.equal(fresh);
      }
      expect(seen.size, 'every kind of write ran').to.equal(new Set(ops.map(([name]) => name)).size);
      expect(mostApplications, 'the sequence had applications').to.be.greaterThan(3);
      expect(mostCards, 'the dashboard had cards to count').to.be.greaterThan(0);
    });
  }
});
